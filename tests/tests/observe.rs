//! What a call tells besides its output, and how it reaches the network: the request ID from
//! the body or the `x-acs-request-id` header, status and headers of a success, the
//! User-Agent, tracing events without secrets, a root certificate of one's own, a proxy, a
//! user's HTTP client.

use std::io::Write;
use std::sync::Mutex;

use generated_sdk::mock::MockServer;
use generated_sdk::vpcipam::{Client, OpenVpcIpamServiceRequest};
use generated_sdk::{Config, Credentials, Error, TransportErrorKind};
use tests::hostile::{Reply, Server, UntrustedTls};

fn credentials() -> Credentials {
    Credentials::new("observe-id", "observe-s3cr3t", Some("observe-t0k3n".into()))
}

fn request() -> OpenVpcIpamServiceRequest {
    OpenVpcIpamServiceRequest::builder()
        .region_id("cn-hangzhou")
        .build()
        .unwrap()
}

fn config_for(endpoint: &str) -> generated_sdk::ConfigBuilder {
    Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .allow_http(true)
        .max_attempts(1)
}

#[tokio::test]
async fn a_success_gives_status_headers_and_the_request_id_from_the_header() {
    // The body has no RequestId: the header gives it.
    let server = Server::start(|_, _| {
        Reply::json(200, r#"{"Code":"200"}"#).with_header("x-acs-request-id", "HDR-1")
    })
    .await;
    let client = Client::new(config_for(&server.endpoint()).build().unwrap());
    let reply = client.caller().call_full(request()).await.unwrap();
    assert_eq!(reply.metadata.status, 200);
    assert_eq!(reply.metadata.request_id.as_deref(), Some("HDR-1"));
    assert_eq!(reply.metadata.headers["x-acs-request-id"], "HDR-1");
    assert_eq!(reply.metadata.attempts, 1);
    assert_eq!(reply.output.code.as_deref(), Some("200"));
    // An error whose body lacks it takes the header's too.
    let failing = Server::start(|_, _| {
        Reply::json(400, r#"{"Code":"InvalidParameter","Message":"bad"}"#)
            .with_header("x-acs-request-id", "HDR-2")
    })
    .await;
    let client = Client::new(config_for(&failing.endpoint()).build().unwrap());
    let err = client.open_vpc_ipam_service(request()).await.unwrap_err();
    assert_eq!(
        err.service_error().and_then(|e| e.request_id.as_deref()),
        Some("HDR-2")
    );
}

#[tokio::test]
async fn the_user_agent_names_the_sdk_the_runtime_the_platform_and_the_app() {
    let server = MockServer::start(credentials()).await.unwrap();
    let config = server.config().app_name("billing-job/2.1").build().unwrap();
    Client::new(config)
        .open_vpc_ipam_service(request())
        .await
        .unwrap();
    let ua = server.requests()[0]
        .header("user-agent")
        .unwrap()
        .to_owned();
    let expected = format!(
        "generated-sdk/{} sdk-runtime/{} ({}; {}) rust billing-job/2.1",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert_eq!(ua, expected);
}

/// What a tracing subscriber wrote on the threads that asked for it.
static CAPTURED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

thread_local! {
    static CAPTURING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps what is written on a capturing thread, drops the rest (other tests run alongside).
struct Captured;

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if CAPTURING.with(std::cell::Cell::get) {
            CAPTURED.lock().unwrap().extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_reports_each_attempt_and_no_secret() {
    // A process-wide subscriber: tracing caches per call site whether anyone listens, and a
    // thread-scoped subscriber loses events to that cache when other tests' threads (with no
    // subscriber) reach the same call sites first.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(|| Captured)
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let server = MockServer::start(credentials()).await.unwrap();
    server.throttle_next(1);
    // The test runs on one thread (tokio's current-thread runtime), where the events are made.
    CAPTURING.with(|c| c.set(true));
    Client::new(server.config().build().unwrap())
        .open_vpc_ipam_service(request())
        .await
        .unwrap();
    CAPTURING.with(|c| c.set(false));
    let text = String::from_utf8(CAPTURED.lock().unwrap().clone()).unwrap();
    assert!(text.contains("attempt failed"), "{text}");
    assert!(text.contains("retry=true"), "{text}");
    assert!(text.contains("call succeeded"), "{text}");
    assert!(text.contains("operation=\"OpenVpcIpamService\""), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("request_id="), "{text}");
    for secret in ["observe-s3cr3t", "observe-t0k3n"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn a_root_certificate_of_ones_own_is_trusted() {
    let server = UntrustedTls::start().await;
    let refused = Client::new(
        Config::builder()
            .credentials(credentials())
            .region("cn-hangzhou")
            .endpoint(server.endpoint())
            .max_attempts(1)
            .build()
            .unwrap(),
    );
    let err = refused.open_vpc_ipam_service(request()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind == TransportErrorKind::Tls),
        "{err}"
    );
    let trusting = Client::new(
        Config::builder()
            .credentials(credentials())
            .region("cn-hangzhou")
            .endpoint(server.endpoint())
            .add_root_certificate(server.certificate_der().to_vec())
            .max_attempts(1)
            .build()
            .unwrap(),
    );
    let reply = trusting.caller().call_full(request()).await.unwrap();
    assert_eq!(reply.metadata.request_id.as_deref(), Some("tls-ok"));
    // A certificate that is not one is refused when the configuration is built.
    let bad = Config::builder()
        .credentials(credentials())
        .add_root_certificate(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert!(bad.to_string().contains("root certificate"), "{bad}");
}

#[tokio::test]
async fn requests_go_through_the_configured_proxy() {
    let proxy = Server::start(|_, _| Reply::json(200, r#"{"RequestId":"via-proxy"}"#)).await;
    let config = Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint("http://vpcipam.invalid")
        .allow_http(true)
        .proxy(proxy.endpoint())
        .max_attempts(1)
        .build()
        .unwrap();
    let reply = Client::new(config)
        .caller()
        .call_full(request())
        .await
        .unwrap();
    assert_eq!(reply.metadata.request_id.as_deref(), Some("via-proxy"));
    // A proxy is sent the whole URL.
    assert!(
        proxy.requests()[0]
            .target
            .starts_with("http://vpcipam.invalid/"),
        "{:?}",
        proxy.requests()[0].target
    );
}

#[tokio::test]
async fn a_users_own_http_client_sends_the_requests() {
    let server = Server::start(|_, _| Reply::json(200, r#"{"RequestId":"mine"}"#)).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-team", "payments".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let config = config_for(&server.endpoint())
        .http_client(http)
        .build()
        .unwrap();
    Client::new(config)
        .open_vpc_ipam_service(request())
        .await
        .unwrap();
    assert_eq!(server.requests()[0].header("x-team"), Some("payments"));
}
