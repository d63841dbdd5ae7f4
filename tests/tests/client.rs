//! The async client against the spec-driven mock server: every operation succeeds, every
//! documented error code comes back typed, throttling is retried with the same ClientToken,
//! bad signatures are rejected, invalid requests are never sent, timeouts hold.

use std::time::Duration;

use generated_sdk::mock::{MockServer, Verdict};
use generated_sdk::runtime::{KnownErrorCode, Operation, TransportErrorKind};
use generated_sdk::{Config, Credentials, Error};
use tests::real_catalog;

fn credentials() -> Credentials {
    Credentials::new("test-access-key-id", "test-access-key-secret", None)
}

async fn server() -> MockServer {
    MockServer::start(credentials()).await.unwrap()
}

/// The page's example request of `R`, as a value of its request type.
fn example_request<R: Operation + serde::de::DeserializeOwned>() -> R {
    let catalog = real_catalog();
    let spec = catalog
        .specs()
        .iter()
        .find(|s| s.spec.operation == R::SPEC.action)
        .unwrap();
    serde_json::from_value(spec.model.example_request.clone()).unwrap()
}

fn client(config: Config) -> generated_sdk::Caller {
    generated_sdk::Caller::new(config)
}

async fn succeeds<R: Operation + serde::de::DeserializeOwned>(server: &MockServer) {
    let action = R::SPEC.action;
    let response = client(server.config().build().unwrap())
        .call(example_request::<R>())
        .await
        .unwrap_or_else(|e| panic!("{action}: {e}; mock saw {:#?}", server.requests()));
    // The mock answers with the page's example, or the request id alone where there is none.
    let example = match R::SPEC.example_response {
        Some(text) => text.to_owned(),
        None => format!(
            r#"{{"RequestId":{:?}}}"#,
            server.requests().last().unwrap().request_id
        ),
    };
    let expected: R::Response = serde_json::from_str(&example).unwrap();
    assert_eq!(format!("{response:?}"), format!("{expected:?}"), "{action}");
    let last = server.requests().pop().unwrap();
    assert_eq!(last.action.as_deref(), Some(action));
    assert_eq!(last.verdict, Verdict::Success);
}

#[tokio::test]
async fn every_operation_succeeds_with_its_example_request() {
    let server = server().await;
    succeeds::<generated_sdk::aiworkspace::CreateProductOrdersRequest>(&server).await;
    succeeds::<generated_sdk::bssopenapi::CreateInstanceRequest>(&server).await;
    succeeds::<generated_sdk::ice::CreateIpcOrderRequest>(&server).await;
    succeeds::<generated_sdk::vpcipam::OpenVpcIpamServiceRequest>(&server).await;
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn the_documented_client_contract_compiles_and_works() {
    let server = server().await;
    let config = Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint(server.endpoint())
        .allow_http(true)
        .build()
        .unwrap();
    let client = generated_sdk::bssopenapi::Client::new(config.clone());
    let request = generated_sdk::bssopenapi::CreateInstanceRequest::builder()
        .product_code("rds")
        .product_type("rds")
        .subscription_type(
            generated_sdk::bssopenapi::create_instance::SubscriptionType::Subscription,
        )
        .period(12)
        .build()
        .unwrap();
    let response = client.create_instance(request).await.unwrap();
    assert_eq!(response.success, Some(true));
    let data = response.data.unwrap();
    assert_eq!(data.order_id.as_deref(), Some("20240xxxx21"));
}

/// Every row of `R`'s error table, configured on the mock, comes back as that typed code.
async fn every_error_code<R: Operation + serde::de::DeserializeOwned>()
where
    R::ErrorCode: PartialEq,
{
    let server = server().await;
    let client = client(server.config().build().unwrap());
    for info in R::SPEC.errors {
        server.reset();
        let code = R::ErrorCode::from_code(info.code);
        server.fail_with(code.clone()).unwrap();
        let err = client.call(example_request::<R>()).await.unwrap_err();
        let service = err
            .service_error()
            .unwrap_or_else(|| panic!("{}: not a service error: {err}", info.code));
        assert_eq!(service.status, info.http_status, "{}", info.code);
        assert_eq!(service.code.as_deref(), Some(info.code));
        assert_eq!(service.message.as_deref(), Some(info.message));
        assert!(service.request_id.as_deref().unwrap().starts_with("MOCK-"));
        assert!(service.recommend.is_some());
        assert_eq!(service.info, Some(info));
        assert_eq!(service.description(), info.description);
        assert_eq!(err.error_code::<R::ErrorCode>(), Some(code.clone()));
        assert_eq!(code.info(), Some(info));
        // 500, 502, 503 and 504 are retried for operations that cannot act twice; the rest
        // is final.
        let transient = matches!(info.http_status, 500 | 502 | 503 | 504);
        let attempts = if transient && R::SPEC.is_idempotent() {
            3
        } else {
            1
        };
        assert_eq!(server.requests().len(), attempts, "{}", info.code);
    }
}

#[tokio::test]
async fn every_documented_error_code_surfaces_as_its_typed_code() {
    every_error_code::<generated_sdk::bssopenapi::CreateInstanceRequest>().await;
    every_error_code::<generated_sdk::vpcipam::OpenVpcIpamServiceRequest>().await;
    every_error_code::<generated_sdk::ice::CreateIpcOrderRequest>().await;
    every_error_code::<generated_sdk::aiworkspace::CreateProductOrdersRequest>().await;
}

#[tokio::test]
async fn a_200_reply_with_success_false_is_a_service_error() {
    use generated_sdk::bssopenapi::create_instance::ErrorCode;
    let server = server().await;
    server
        .fail_with(ErrorCode::InsufficientAvailableQuota)
        .unwrap();
    let client = generated_sdk::bssopenapi::Client::new(server.config().build().unwrap());
    let err = client.create_instance(example_request()).await.unwrap_err();
    assert_eq!(
        ErrorCode::from_error(&err),
        Some(ErrorCode::InsufficientAvailableQuota)
    );
    let service = err.service_error().unwrap();
    assert_eq!(service.status, 200);
    assert!(
        service.body.contains("\"Success\":false"),
        "{}",
        service.body
    );
    assert_eq!(
        service.description(),
        Some("Your account balance drops below 0. Top up your account and try again.")
    );
    // A code of another operation's table does not read as this one's.
    assert_eq!(
        err.error_code::<generated_sdk::vpcipam::open_vpc_ipam_service::ErrorCode>(),
        None
    );
}

#[tokio::test]
async fn throttling_is_retried_with_the_same_client_token() {
    let server = server().await;
    server.throttle_next(2);
    let client = generated_sdk::vpcipam::Client::new(server.config().build().unwrap());
    let request = generated_sdk::vpcipam::OpenVpcIpamServiceRequest::builder()
        .region_id("cn-hangzhou")
        .build()
        .unwrap();
    assert_eq!(request.client_token, None);
    client.open_vpc_ipam_service(request).await.unwrap();
    let requests = server.requests();
    let verdicts: Vec<&Verdict> = requests.iter().map(|r| &r.verdict).collect();
    assert_eq!(
        verdicts,
        [&Verdict::Throttled, &Verdict::Throttled, &Verdict::Success]
    );
    let tokens: Vec<&str> = requests
        .iter()
        .map(|r| r.param("ClientToken").unwrap())
        .collect();
    assert!(!tokens[0].is_empty());
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    // Each attempt is signed anew.
    let nonces: Vec<&str> = requests
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap())
        .collect();
    assert_ne!(nonces[0], nonces[1]);
    assert_ne!(nonces[1], nonces[2]);
}

#[tokio::test]
async fn a_users_client_token_is_kept_and_retries_stop_at_max_attempts() {
    let server = server().await;
    server.throttle_next(10);
    let config = server.config().max_attempts(4).build().unwrap();
    let client = generated_sdk::bssopenapi::Client::new(config);
    let request: generated_sdk::bssopenapi::CreateInstanceRequest = example_request();
    assert_eq!(request.client_token.as_deref(), Some("JASIOFKVNVIXXXXXX"));
    let err = client.create_instance(request).await.unwrap_err();
    let service = err.service_error().unwrap();
    assert!(service.is_throttling());
    assert_eq!(service.status, 429);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests
            .iter()
            .all(|r| r.param("ClientToken") == Some("JASIOFKVNVIXXXXXX"))
    );
}

#[tokio::test]
async fn a_bad_signature_is_rejected_and_not_retried() {
    let server = server().await;
    let signing_with = |credentials| server.config().credentials(credentials).build().unwrap();
    let wrong_secret = signing_with(Credentials::new("test-access-key-id", "wrong-secret", None));
    let err = client(wrong_secret)
        .call(example_request::<generated_sdk::ice::CreateIpcOrderRequest>())
        .await
        .unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!(service.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(service.status, 400);
    assert_eq!(server.requests().len(), 1);

    let wrong_id = signing_with(Credentials::new(
        "someone-else",
        "test-access-key-secret",
        None,
    ));
    let err = client(wrong_id)
        .call(example_request::<generated_sdk::ice::CreateIpcOrderRequest>())
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code.as_deref(),
        Some("InvalidAccessKeyId.NotFound")
    );
}

#[tokio::test]
async fn sts_credentials_send_and_sign_the_security_token() {
    let sts = Credentials::new("sts-id", "sts-secret", Some("sts-token".to_owned()));
    let server = MockServer::start(sts).await.unwrap();
    client(server.config().build().unwrap())
        .call(example_request::<
            generated_sdk::aiworkspace::CreateProductOrdersRequest,
        >())
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.header("x-acs-security-token"), Some("sts-token"));
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("x-acs-security-token")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(request.path, "/api/v1/productorders");
}

#[tokio::test]
async fn an_invalid_request_is_never_sent() {
    let server = server().await;
    // Made through serde, which does not check the page's rules: Period must be a multiple of
    // 12 and SubscriptionType is required.
    let request: generated_sdk::bssopenapi::CreateInstanceRequest =
        serde_json::from_value(serde_json::json!({"ProductCode": "rds", "Period": 5})).unwrap();
    let err = client(server.config().build().unwrap())
        .call(request)
        .await
        .unwrap_err();
    let Error::Validation(errors) = &err else {
        panic!("expected a validation error, got {err}");
    };
    assert_eq!(errors.violations().len(), 2, "{errors}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn with_validation_off_the_mock_still_checks_the_page_rules() {
    let server = server().await;
    let config = server.config().validate_requests(false).build().unwrap();
    let request: generated_sdk::ice::CreateIpcOrderRequest = serde_json::from_value(
        serde_json::json!({"DeviceId": "d1", "Capability": "teleport", "Period": "month"}),
    )
    .unwrap();
    let err = client(config).call(request).await.unwrap_err();
    let service = err.service_error().unwrap();
    assert_eq!(service.code.as_deref(), Some("InvalidParameter"));
    let message = service.message.as_deref().unwrap();
    assert!(message.contains("Capability"), "{message}");
    assert!(message.contains("teleport"), "{message}");
    let Verdict::Rejected { problems, .. } = &server.requests()[0].verdict else {
        panic!("not rejected");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // A port nothing listens on: bind, note it, close it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = Config::builder()
        .credentials(credentials())
        .endpoint(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let err = client(config)
        .call(example_request::<
            generated_sdk::bssopenapi::CreateInstanceRequest,
        >())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err}");
    };
    assert_eq!(transport.kind, TransportErrorKind::Connect);
    assert!(err.is_retryable());
}

/// A server that accepts connections and never answers; it counts the connections.
async fn silent_server() -> (
    tokio::task::JoinHandle<()>,
    String,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (task, endpoint, accepted)
}

#[tokio::test]
async fn attempt_and_operation_timeouts_hold() {
    use std::sync::atomic::Ordering;
    let (task, endpoint, accepted) = silent_server().await;
    let base = Config::builder()
        .credentials(credentials())
        .endpoint(endpoint)
        .allow_http(true)
        .backoff(Duration::from_millis(1), Duration::from_millis(5));

    let per_attempt = base
        .clone()
        .attempt_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    // CreateInstance carries a ClientToken, so a timed-out attempt is repeated: three
    // attempts of 50 ms each.
    let started = std::time::Instant::now();
    let err = client(per_attempt.clone())
        .call(example_request::<
            generated_sdk::bssopenapi::CreateInstanceRequest,
        >())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a timeout, got {err}");
    };
    assert_eq!(transport.kind, TransportErrorKind::Timeout);
    assert!(transport.message.contains("attempt timeout"), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(accepted.load(Ordering::SeqCst), 3);

    // CreateIpcOrder has none: the service may have placed the order, so it is not repeated.
    let err = client(per_attempt)
        .call(example_request::<generated_sdk::ice::CreateIpcOrderRequest>())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("attempt timeout"), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 4);

    let overall = base
        .attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_millis(80))
        .build()
        .unwrap();
    let err = client(overall)
        .call(example_request::<generated_sdk::ice::CreateIpcOrderRequest>())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("operation timeout"), "{err}");
    task.abort();
}

#[tokio::test]
async fn the_mock_rejects_requests_the_spec_does_not_describe() {
    let server = server().await;
    let config = server.config().build().unwrap();
    let request: generated_sdk::vpcipam::OpenVpcIpamServiceRequest =
        serde_json::from_value(serde_json::json!({"RegionId": "cn-hangzhou"})).unwrap();
    let prepared = generated_sdk::runtime::prepare(&request, &config).unwrap();
    let signed = prepared
        .sign(&config, &generated_sdk::runtime::SigningParams::now())
        .unwrap();

    // Replay the signed request with the query tampered with: the signature no longer holds.
    let (mut parts, body) = signed.into_parts();
    let tampered = format!("{}&Extra=1", parts.uri);
    parts.uri = tampered.parse().unwrap();
    let status = send(&server, http::Request::from_parts(parts, body)).await;
    assert_eq!(status, 400);
    let Verdict::Rejected { code, .. } = &server.requests()[0].verdict else {
        panic!("not rejected");
    };
    assert_eq!(code, "SignatureDoesNotMatch");

    // A parameter the operation does not have, properly signed, is refused too.
    let mut unknown = generated_sdk::runtime::prepare(&request, &config)
        .unwrap()
        .sign(&config, &generated_sdk::runtime::SigningParams::now())
        .unwrap();
    let uri = format!("{}&Bogus=1", unknown.uri());
    *unknown.uri_mut() = uri.parse().unwrap();
    unknown.headers_mut().remove("authorization");
    generated_sdk::runtime::signing::sign(
        &mut unknown,
        &credentials(),
        &generated_sdk::runtime::SigningParams::now(),
    )
    .unwrap();
    assert_eq!(send(&server, unknown).await, 400);
    let Verdict::Rejected { code, problems } = &server.requests()[1].verdict else {
        panic!("not rejected");
    };
    assert_eq!(code, "InvalidParameter");
    assert_eq!(problems, &["Bogus: not a parameter of OpenVpcIpamService"]);
}

/// Sends a raw request to the mock over plain HTTP/1.1 and returns the status.
async fn send(server: &MockServer, request: http::Request<Vec<u8>>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap();
    let mut head = format!("{} {target} HTTP/1.1\r\n", request.method());
    for (name, value) in request.headers() {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body().len()
    ));
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(request.body()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    reply.split(' ').nth(1).unwrap().parse().unwrap()
}
