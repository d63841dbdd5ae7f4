//! The V3 signature (ACS3-HMAC-SHA256) against Alibaba Cloud's published example, and the
//! signing rules the example does not exercise.

use std::time::{Duration, UNIX_EPOCH};

use generated_sdk::Credentials;
use generated_sdk::runtime::SigningParams;
use generated_sdk::runtime::signing::{self, Signature};

/// 2023-10-26T10:22:32Z.
const EXAMPLE_TIME: u64 = 1_698_315_752;

fn example_params() -> SigningParams {
    SigningParams {
        time: UNIX_EPOCH + Duration::from_secs(EXAMPLE_TIME),
        nonce: "3156853299f313e23d1673dc12e1703d".to_owned(),
    }
}

fn sign(
    mut request: http::Request<Vec<u8>>,
    credentials: &Credentials,
) -> (http::Request<Vec<u8>>, Signature) {
    let signature = signing::sign(&mut request, credentials, &example_params()).unwrap();
    (request, signature)
}

fn example_request() -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method("POST")
        .uri("https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai")
        .header("x-acs-action", "RunInstances")
        .header("x-acs-version", "2014-05-26")
        .body(Vec::new())
        .unwrap()
}

#[test]
fn reproduces_the_published_example() {
    let credentials = Credentials::new("YourAccessKeyId", "YourAccessKeySecret", None);
    let (request, signature) = sign(example_request(), &credentials);
    assert_eq!(
        signature.canonical_request,
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\n\
         x-acs-action:RunInstances\n\
         x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-date:2023-10-26T10:22:32Z\n\
         x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\n\
         host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        signature.hashed_canonical_request,
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        signature.signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        request.headers()["authorization"],
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
         SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
         Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(request.headers()["x-acs-date"], "2023-10-26T10:22:32Z");
    assert_eq!(request.headers()["host"], "ecs.cn-shanghai.aliyuncs.com");
}

#[test]
fn query_keys_sort_bytewise_after_encoding() {
    let credentials = Credentials::new("id", "secret", None);
    let request = http::Request::builder()
        .method("POST")
        .uri("https://example.aliyuncs.com/?Key.2=b&Key.10=a&Name=a%20b&Tilde=~&Plus=%2B&Star=*")
        .body(Vec::new())
        .unwrap();
    let (_, signature) = sign(request, &credentials);
    let query = signature.canonical_request.lines().nth(2).unwrap();
    assert_eq!(
        query,
        "Key.10=a&Key.2=b&Name=a%20b&Plus=%2B&Star=%2A&Tilde=~"
    );
}

#[test]
fn signs_content_type_and_every_acs_header_but_not_others() {
    let credentials = Credentials::new("id", "secret", Some("sts-token".to_owned()));
    let request = http::Request::builder()
        .method("POST")
        .uri("https://aiworkspace.cn-hangzhou.aliyuncs.com/api/v1/productorders")
        .header("content-type", "application/json; charset=utf-8")
        .header("accept", "application/json")
        .header("user-agent", "test")
        .header("x-acs-action", "CreateProductOrders")
        .body(br#"{"AutoPay":true}"#.to_vec())
        .unwrap();
    let (request, signature) = sign(request, &credentials);
    assert_eq!(
        signature.signed_headers,
        "content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce"
    );
    assert_eq!(request.headers()["x-acs-security-token"], "sts-token");
    assert_eq!(
        request.headers()["x-acs-content-sha256"],
        signing::sha256_hex(br#"{"AutoPay":true}"#)
    );
    // A different secret gives a different signature over the same canonical request.
    let other = Credentials::new("id", "other-secret", Some("sts-token".to_owned()));
    let (_, again) = sign(request.clone(), &other);
    assert_eq!(again.canonical_request, signature.canonical_request);
    assert_ne!(again.signature, signature.signature);
}
