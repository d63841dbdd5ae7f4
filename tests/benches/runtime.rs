//! The runtime per real operation: validate + encode + sign a request (with fixed signing
//! inputs, so only the work is measured), building one through its builder, and parsing the
//! page's example response.
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

fn runtime_benches(c: &mut Criterion) {
    operation::<generated_sdk::aiworkspace::CreateProductOrdersRequest>(c);
    operation::<generated_sdk::bssopenapi::CreateInstanceRequest>(c);
    operation::<generated_sdk::ice::CreateIpcOrderRequest>(c);
    operation::<generated_sdk::vpcipam::OpenVpcIpamServiceRequest>(c);
    build(c);
}

criterion_group!(benches, runtime_benches);
criterion_main!(benches);
