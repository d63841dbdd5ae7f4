//! The runtime per real operation: validate + encode + sign a request (with fixed signing
//! inputs, so only the work is measured), building one through its builder, and parsing the
//! page's example response; then the signature of one encoded request alone, beside its floor
//! (the digests and the HMAC it cannot avoid, with `sha2` and `hmac`; the signed request's head
//! made from its final texts, with `http`) and the peer's signer
//! (`aws-sigv4` signing the same request with SigV4); and the percent-encoding of the largest
//! text in its query; and a 100-instance `DescribeInstances` reply read into its typed
//! response, beside parsing the same bytes into a `serde_json::Value`.
//!
//! `cargo bench -p tests --bench runtime` measures; `cargo test` runs each benchmark once.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use generated_sdk::runtime::{Operation, SigningParams, parse_response, prepare};
use generated_sdk::{Config, Credentials};

fn config() -> Config {
    Config::builder()
        .credentials(Credentials::new("id", "secret", None))
        .region("cn-hangzhou")
        .build()
        .expect("a valid configuration")
}

fn params() -> SigningParams {
    SigningParams {
        time: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        nonce: "0123456789abcdef0123456789abcdef".to_owned(),
    }
}

/// The page's example request of `R`.
fn example<R: Operation + serde::de::DeserializeOwned>() -> R {
    let root = xtask::workspace_root();
    let catalog = xtask::load_specs(&root, &root.join("specs")).expect("the real specs load");
    let spec = catalog
        .specs()
        .iter()
        .find(|s| s.spec.operation == R::SPEC.action)
        .expect("a spec for every operation");
    serde_json::from_value(spec.model.example_request.clone()).expect("the example reads")
}

fn operation<R: Operation + serde::de::DeserializeOwned>(c: &mut Criterion) {
    let action = R::SPEC.action;
    let (config, params, request) = (config(), params(), example::<R>());
    c.bench_function(&format!("{action}/validate+encode+sign"), |b| {
        b.iter(|| {
            prepare(black_box(&request), &config)
                .and_then(|p| p.sign(&config, &params))
                .expect("the example signs")
        })
    });
    let body = R::SPEC
        .example_response
        .expect("benchmarked operations have an example response")
        .as_bytes();
    c.bench_function(&format!("{action}/parse-response"), |b| {
        b.iter(|| parse_response::<R>(200, black_box(body)).expect("the example parses"))
    });
}

fn build(c: &mut Criterion) {
    use generated_sdk::bssopenapi::CreateInstanceRequest;
    use generated_sdk::bssopenapi::create_instance::{ModuleParameter, SubscriptionType};
    let (config, params) = (config(), params());
    c.bench_function("CreateInstance/build+validate+encode+sign", |b| {
        b.iter(|| {
            let request = CreateInstanceRequest::builder()
                .product_code(black_box("rds"))
                .subscription_type(SubscriptionType::Subscription)
                .period(12)
                .client_token("JASIOFKVNVIXXXXXX")
                .parameter([
                    ModuleParameter::builder()
                        .code("InstanceType")
                        .value("disk")
                        .build(),
                    ModuleParameter::builder()
                        .code("Region")
                        .value("cn-hangzhou")
                        .build(),
                ])
                .build()
                .expect("a valid request");
            prepare(&request, &config)
                .and_then(|p| p.sign(&config, &params))
                .expect("the request signs")
        })
    });
}

/// The work an ACS3 signature cannot avoid, given its canonical request: the body's SHA-256 in
/// hex (the canonical request ends with it), the canonical request's SHA-256 in hex and the
/// HMAC-SHA256 of the string to sign, with an HMAC already keyed by the secret (keying once
/// per credentials is what the SDK does).
fn floor(canonical_request: &str, body: &[u8], keyed: &hmac::Hmac<sha2::Sha256>) -> [u8; 32] {
    use hmac::Mac;
    use sha2::{Digest, Sha256};
    let mut body_hex = [0u8; 64];
    hex::encode_to_slice(Sha256::digest(body), &mut body_hex).expect("64 hex digits");
    let mut request_hex = [0u8; 64];
    hex::encode_to_slice(
        Sha256::digest(canonical_request.as_bytes()),
        &mut request_hex,
    )
    .expect("64 hex digits");
    let mut mac = keyed.clone();
    mac.update(b"ACS3-HMAC-SHA256\n");
    mac.update(&request_hex);
    black_box(body_hex);
    mac.finalize().into_bytes().into()
}

fn signing(c: &mut Criterion) {
    use generated_sdk::bssopenapi::CreateInstanceRequest;
    let (config, params) = (config(), params());
    let request = example::<CreateInstanceRequest>();
    let prepared = prepare(&request, &config).expect("the example encodes");
    c.bench_function("CreateInstance/sign", |b| {
        b.iter(|| prepared.sign(&config, black_box(&params)).expect("signs"))
    });

    // The other part of the floor: the signed request's own head, with nothing computed: its
    // URI parsed from the final text, its header values (made beforehand) put in a map, the
    // whole dropped again. What any signer handing out this `http::Request` spends at least.
    let (signed, signature) = prepared
        .sign_detailed(&config, &params)
        .expect("the example signs");
    let uri = signed.uri().to_string();
    let headers: Vec<(http::HeaderName, http::HeaderValue)> = signed
        .headers()
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    c.bench_function("CreateInstance/http-request-floor", |b| {
        b.iter(|| {
            let mut parts = http::Request::new(()).into_parts().0;
            parts.method = http::Method::POST;
            parts.uri = http::Uri::try_from(black_box(uri.as_str())).expect("a valid URI");
            parts.headers = http::HeaderMap::with_capacity(headers.len());
            for (name, value) in &headers {
                parts.headers.insert(name.clone(), value.clone());
            }
            http::Request::from_parts(parts, Vec::<u8>::new())
        })
    });
    let canonical_request = signature.expect("a signed operation").canonical_request;
    let body = prepared.body().to_vec();
    let keyed = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(b"secret")
        .expect("any key length");
    c.bench_function("CreateInstance/sign-floor (sha2+hmac)", |b| {
        b.iter(|| floor(black_box(&canonical_request), black_box(&body), &keyed))
    });

    // The peer: aws-sigv4 signs the same unsigned request (method, URI, headers, body) and
    // its instructions are applied to a copy, as this SDK builds a signed request each time.
    let unsigned = prepared
        .to_unsigned(&config)
        .expect("the example has an endpoint");
    let identity =
        aws_credential_types::Credentials::new("id", "secret", None, None, "bench").into();
    let sigv4 = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("cn-hangzhou")
        .name("bssopenapi")
        .time(params.time)
        .settings(aws_sigv4::http_request::SigningSettings::default())
        .build()
        .expect("complete SigV4 parameters")
        .into();
    c.bench_function("CreateInstance/sign-peer (aws-sigv4)", |b| {
        b.iter(|| {
            let mut request = unsigned.clone();
            let uri = request.uri().to_string();
            let signable = aws_sigv4::http_request::SignableRequest::new(
                request.method().as_str(),
                uri,
                request
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.to_str().unwrap_or_default())),
                aws_sigv4::http_request::SignableBody::Bytes(request.body()),
            )
            .expect("a signable request");
            let (instructions, _) = aws_sigv4::http_request::sign(signable, &sigv4)
                .expect("SigV4 signs")
                .into_parts();
            instructions.apply_to_request_http1x(&mut request);
            request
        })
    });
}

/// The percent-encoding of `CreateInstance`'s JSON text, the largest part of its query.
fn percent_encoding(c: &mut Criterion) {
    use generated_sdk::runtime::percent_encode;
    let text = r#"{"cityCode":"330100","cityName":"Hangzhou","contactName":"Test","countryCode":"","districtName":"Puyan Street","email":"**@example.com","mobilePhone":"153564848844","phone":"1234567","provCode":"330000","provName":"Zhejiang","streetCode":"33010610","streetName":"Zhuantang","zipCode":"0000"}"#;
    c.bench_function(
        &format!("percent-encode/{}-byte JSON text", text.len()),
        |b| b.iter(|| percent_encode(black_box(text))),
    );
}

/// A 100-instance `DescribeInstances` reply (the differential fixture's instance, repeated)
/// read into the typed response, beside its floor: the same bytes parsed into a
/// `serde_json::Value`.
fn describe_instances(c: &mut Criterion) {
    use generated_sdk::ecs::DescribeInstancesRequest;
    let path = xtask::workspace_root().join("tests/fixtures/responses/ecs-DescribeInstances.json");
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the fixture reads"))
            .expect("the fixture is JSON");
    let mut document = fixture["document"].clone();
    let instance = document["Instances"]["Instance"][0].clone();
    document["Instances"]["Instance"] = serde_json::Value::Array(vec![instance; 100]);
    // The fixture sends some numbers as text and some nulls on purpose (read leniently); a
    // service's usual reply is well typed: the same reply written back by the typed response.
    let lenient = serde_json::to_vec(&document).expect("a document");
    let typed = parse_response::<DescribeInstancesRequest>(200, &lenient).expect("it parses");
    let body = serde_json::to_vec(&typed).expect("a typed document");
    let name = format!(
        "DescribeInstances/100 instances ({} KiB)",
        body.len() / 1024
    );
    c.bench_function(&format!("{name}/parse-response"), |b| {
        b.iter(|| {
            parse_response::<DescribeInstancesRequest>(200, black_box(&body))
                .expect("the reply parses")
        })
    });
    c.bench_function(
        &format!("{name}/parse-response, text for numbers (lenient)"),
        |b| {
            b.iter(|| {
                parse_response::<DescribeInstancesRequest>(200, black_box(&lenient))
                    .expect("the reply parses")
            })
        },
    );
    c.bench_function(&format!("{name}/floor (serde_json Value)"), |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("JSON"))
    });
}

fn runtime_benches(c: &mut Criterion) {
    operation::<generated_sdk::aiworkspace::CreateProductOrdersRequest>(c);
    operation::<generated_sdk::bssopenapi::CreateInstanceRequest>(c);
    operation::<generated_sdk::ice::CreateIpcOrderRequest>(c);
    operation::<generated_sdk::vpcipam::OpenVpcIpamServiceRequest>(c);
    build(c);
    signing(c);
    percent_encoding(c);
    describe_instances(c);
}

criterion_group!(benches, runtime_benches);
criterion_main!(benches);
