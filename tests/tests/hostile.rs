//! The client against hostile servers on 127.0.0.1 (`tests::hostile`): redirects are never
//! followed, replies past the size limits fail with bounded memory, only what is safe to
//! repeat is repeated, `Retry-After` is honoured, the retry budget caps the load a failing
//! service sees, TLS failures and over-long requests are reported clearly. Every case here is
//! listed in ROBUSTNESS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use generated_sdk::bssopenapi::CreateInstanceRequest;
use generated_sdk::bssopenapi::create_instance::SubscriptionType;
use generated_sdk::ice::CreateIpcOrderRequest;
use generated_sdk::ice::create_ipc_order::{Capability, Period};
use generated_sdk::ram::ListRolesRequest;
use generated_sdk::{Caller, Operation, TransportErrorKind};
use generated_sdk::{Config, ConfigBuilder, Credentials, Error};
use tests::hostile::{Reply, Server, UntrustedTls};

fn credentials() -> Credentials {
    Credentials::new("hostile-test-id", "hostile-test-secret", None)
}

/// A configuration aimed at `endpoint`, with backoffs short enough for tests.
fn config(endpoint: &str) -> ConfigBuilder {
    Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .allow_http(true)
        .backoff(Duration::from_millis(1), Duration::from_millis(10))
}

/// A purchase without an idempotency token.
fn purchase() -> CreateIpcOrderRequest {
    CreateIpcOrderRequest::builder()
        .device_id("d123")
        .capability(Capability::Understand)
        .period(Period::Month)
        .build()
        .unwrap()
}

/// A purchase with a ClientToken (generated when unset).
fn tokened_purchase() -> CreateInstanceRequest {
    CreateInstanceRequest::builder()
        .product_code("rds")
        .subscription_type(SubscriptionType::PayAsYouGo)
        .build()
        .unwrap()
}

/// A read-only operation.
fn listing() -> ListRolesRequest {
    ListRolesRequest::builder().build().unwrap()
}

const ICE_OK: &str = r#"{"RequestId": "r", "PurchaseStatus": "Success"}"#;
const RAM_OK: &str = r#"{"RequestId": "r", "IsTruncated": false}"#;

async fn call<R: Operation>(endpoint: &str, request: R) -> Result<R::Response, Error> {
    Caller::new(config(endpoint).build().unwrap())
        .call(request)
        .await
}

#[tokio::test]
async fn a_redirect_of_any_status_is_an_error_and_the_other_host_receives_nothing() {
    let elsewhere = Server::start(|_, _| Reply::json(200, "{}")).await;
    for status in [301, 302, 303, 307, 308] {
        let target = format!("{}/steal", elsewhere.endpoint());
        let location = target.clone();
        let server =
            Server::start(move |_, _| Reply::json(status, "{}").with_header("location", &location))
                .await;
        // CreateInstance carries a ClientToken, so it would be repeated after a 5xx: a
        // redirect is not repeated all the same.
        let err = call(&server.endpoint(), tokened_purchase())
            .await
            .unwrap_err();
        let Error::Redirect(redirect) = &err else {
            panic!("{status}: expected a redirect error, got {err}");
        };
        assert_eq!(redirect.status, status);
        assert_eq!(redirect.location.as_deref(), Some(target.as_str()));
        assert!(err.to_string().contains("not followed"), "{err}");
        assert!(!err.is_retryable());
        assert_eq!(server.hits(), 1, "{status}: not repeated");
    }
    assert_eq!(elsewhere.hits(), 0, "nothing reached the other host");

    // A redirect loop is one request.
    let server = Server::start(|_, request| {
        let target = request.target.clone();
        Reply::json(302, "").with_header("location", &target)
    })
    .await;
    let err = call(&server.endpoint(), listing()).await.unwrap_err();
    assert!(matches!(err, Error::Redirect(_)), "{err}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_reply_past_the_size_limit_fails_early_with_bounded_memory() {
    const LIMIT: usize = 1 << 20;
    const HUGE: u64 = 4 << 30;
    for announce in [false, true] {
        let server = Server::start(move |_, _| Reply::Stream {
            status: 200,
            total: HUGE,
            announce,
        })
        .await;
        let config = config(&server.endpoint())
            .max_response_body(LIMIT)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = Caller::new(config).call(listing()).await.unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("expected a transport error, got {err}");
        };
        assert_eq!(transport.kind, TransportErrorKind::TooLarge, "{err}");
        assert!(
            err.to_string().contains("over the limit of 1048576 bytes"),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        // Not repeated, although ListRoles is read-only: the next reply would be as large.
        assert_eq!(server.hits(), 1);
        // The server saw the connection dropped long before the 4 GiB were written.
        let streamed = wait_for(|| server.streamed().first().copied()).await;
        assert!(streamed < 64 << 20, "{announce}: {streamed} bytes written");
    }
}

#[tokio::test]
async fn error_bodies_have_a_smaller_limit() {
    let server = Server::start(|_, _| Reply::Stream {
        status: 500,
        total: 8 << 20,
        announce: false,
    })
    .await;
    let err = call(&server.endpoint(), listing()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::TooLarge),
        "{err}"
    );
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert!(err.to_string().contains("1048576 bytes"), "{err}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_5xx_to_a_purchase_without_a_token_is_not_repeated() {
    for status in [500, 502, 503, 504] {
        let server = Server::start(move |_, _| {
            Reply::json(status, r#"{"Code": "InternalError", "Message": "m"}"#)
        })
        .await;
        let err = call(&server.endpoint(), purchase()).await.unwrap_err();
        assert_eq!(err.service_error().unwrap().status, status);
        assert!(err.is_retryable(), "transient, but not safe to repeat");
        assert_eq!(server.hits(), 1, "{status}: the order may have been placed");

        // A read-only operation and one with a token are repeated.
        let server = Server::start(move |_, _| Reply::json(status, "{}")).await;
        call(&server.endpoint(), listing()).await.unwrap_err();
        assert_eq!(server.hits(), 3, "{status}: ListRoles");
        let server = Server::start(move |_, _| Reply::json(status, "{}")).await;
        call(&server.endpoint(), tokened_purchase())
            .await
            .unwrap_err();
        let requests = server.requests();
        assert_eq!(requests.len(), 3, "{status}: CreateInstance");
        let token = |r: &tests::hostile::Request| {
            r.target
                .split(['?', '&'])
                .find(|p| p.starts_with("ClientToken="))
                .map(str::to_owned)
        };
        assert!(token(&requests[0]).is_some());
        assert!(requests.iter().all(|r| token(r) == token(&requests[0])));
    }
}

#[tokio::test]
async fn a_broken_exchange_is_repeated_only_when_safe() {
    for (name, reply) in [
        ("reset before a reply", Reply::Hangup),
        (
            "truncated body",
            Reply::Truncated {
                status: 200,
                announced: 1000,
                sent: 10,
            },
        ),
    ] {
        let server = Server::start({
            let reply = reply.clone();
            move |_, _| reply.clone()
        })
        .await;
        let err = call(&server.endpoint(), purchase()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Io),
            "{name}: {err}"
        );
        assert_eq!(server.hits(), 1, "{name}: CreateIpcOrder is not repeated");

        let server = Server::start(move |n, _| match n {
            0 => reply.clone(),
            _ => Reply::json(200, RAM_OK),
        })
        .await;
        call(&server.endpoint(), listing()).await.unwrap();
        assert_eq!(server.hits(), 2, "{name}: ListRoles is repeated");
    }
}

#[tokio::test]
async fn statuses_other_than_500_502_503_504_are_not_repeated() {
    for status in [400, 403, 404, 501, 505, 599, 999] {
        let server = Server::start(move |_, _| Reply::json(status, r#"{"Code": "X"}"#)).await;
        let err = call(&server.endpoint(), listing()).await.unwrap_err();
        assert!(!err.is_retryable(), "{status}");
        assert_eq!(server.hits(), 1, "{status}");
    }
}

#[tokio::test]
async fn throttling_is_repeated_for_every_operation_after_the_wait_it_asks_for() {
    let throttled = |header: &'static str, value: &'static str| {
        Server::start(move |n, _| match n {
            0 => Reply::json(429, r#"{"Code": "Throttling.User"}"#).with_header(header, value),
            _ => Reply::json(200, ICE_OK),
        })
    };
    for (header, value, wait) in [
        ("retry-after", "1", Duration::from_secs(1)),
        ("x-acs-retry-after", "400", Duration::from_millis(400)),
    ] {
        let server = throttled(header, value).await;
        let started = Instant::now();
        // CreateIpcOrder is not idempotent: throttling means the service did not act.
        call(&server.endpoint(), purchase()).await.unwrap();
        assert!(
            started.elapsed() >= wait,
            "{header}: {:?}",
            started.elapsed()
        );
        assert_eq!(server.hits(), 2, "{header}");
    }

    // Throttling as a 400 with a Throttling code, as Alibaba Cloud's gateways send it.
    let server = Server::start(|n, _| match n {
        0 => Reply::json(400, r#"{"Code": "Throttling.Api", "Message": "slow down"}"#),
        _ => Reply::json(200, ICE_OK),
    })
    .await;
    call(&server.endpoint(), purchase()).await.unwrap();
    assert_eq!(server.hits(), 2);

    // A wait past the operation timeout is not started: the throttling error comes back now.
    let server = throttled("retry-after", "3600").await;
    let config = config(&server.endpoint())
        .operation_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = Caller::new(config).call(purchase()).await.unwrap_err();
    assert!(err.service_error().unwrap().is_throttling());
    assert_eq!(
        err.service_error().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_503_that_names_a_wait_is_repeated_after_it() {
    let server = Server::start(|n, _| match n {
        0 => Reply::json(503, "{}").with_header("retry-after", "1"),
        _ => Reply::json(200, RAM_OK),
    })
    .await;
    let started = Instant::now();
    call(&server.endpoint(), listing()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn the_retry_budget_caps_what_many_failing_calls_send() {
    const CALLS: usize = 200;
    let server = Server::start(|_, _| Reply::json(503, r#"{"Code": "ServiceUnavailable"}"#)).await;
    // One configuration, so one budget: the default 500 tokens pay for 100 retries.
    let client = Arc::new(Caller::new(config(&server.endpoint()).build().unwrap()));
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { client.call(listing()).await })
        })
        .collect();
    for call in calls {
        assert!(call.await.unwrap().is_err());
    }
    let sent = server.hits();
    // Without a budget: 3 attempts each, 600 requests.
    assert!(
        (CALLS..=CALLS + 100).contains(&sent),
        "{sent} requests for {CALLS} calls"
    );

    // A budget of 10 tokens pays for two retries in all.
    let server = Server::start(|_, _| Reply::json(503, "{}")).await;
    let client = Caller::new(config(&server.endpoint()).retry_budget(10).build().unwrap());
    for _ in 0..5 {
        client.call(listing()).await.unwrap_err();
    }
    assert_eq!(server.hits(), 5 + 2);
}

#[tokio::test]
async fn successes_refill_the_budget() {
    // Each call fails once, then succeeds: the retry's cost comes back, so a budget that pays
    // for one retry serves every call.
    let server = Server::start(|n, _| match n % 2 {
        0 => Reply::json(503, "{}"),
        _ => Reply::json(200, RAM_OK),
    })
    .await;
    let client = Caller::new(config(&server.endpoint()).retry_budget(5).build().unwrap());
    for _ in 0..5 {
        client.call(listing()).await.unwrap();
    }
    assert_eq!(server.hits(), 10);
}

#[tokio::test]
async fn a_tls_certificate_failure_is_reported_with_its_cause_and_not_repeated() {
    let server = UntrustedTls::start().await;
    let config = Config::builder()
        .credentials(credentials())
        .endpoint(server.endpoint())
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let err = Caller::new(config).call(listing()).await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err}");
    };
    assert_eq!(transport.kind, TransportErrorKind::Tls, "{err}");
    let shown = err.to_string();
    assert!(shown.contains("invalid peer certificate"), "{shown}");
    assert!(!shown.contains(&server.endpoint()), "no URL: {shown}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn plain_http_needs_the_opt_in() {
    let server = Server::start(|_, _| Reply::json(200, ICE_OK)).await;
    let err = Config::builder()
        .credentials(credentials())
        .endpoint(server.endpoint())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("allow_http"), "{err}");
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn an_over_long_request_is_refused_naming_its_size_not_echoing_it() {
    let server = Server::start(|_, _| Reply::json(200, ICE_OK)).await;
    let long = "x".repeat(1 << 20);
    let request: CreateIpcOrderRequest = serde_json::from_value(serde_json::json!({
        "DeviceId": long, "Capability": "understand", "Period": "month"
    }))
    .unwrap();
    let err = call(&server.endpoint(), request).await.unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err}");
    let shown = err.to_string();
    assert!(shown.len() < 300, "{shown}");
    assert!(shown.contains("at most 65534"), "{shown}");
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn a_connection_refused_is_repeated_even_for_a_purchase() {
    // Nothing listens: the request was never sent, so repeating it cannot place an order.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = config(&format!("http://127.0.0.1:{port}"))
        .backoff(Duration::from_millis(100), Duration::from_millis(100))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = Caller::new(config).call(purchase()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Connect),
        "{err}"
    );
    assert!(err.to_string().contains("Connection refused"), "{err}");
    // Two backoffs of at least 50 ms each: three attempts.
    assert!(started.elapsed() >= Duration::from_millis(100));
}

/// Polls `probe` (at most 200 times, 10 ms apart) until it gives a value.
async fn wait_for<T>(probe: impl Fn() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(value) = probe() {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no value after 2 s");
}

// The mock server stays up and bounded whatever its clients do.

mod mock {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use generated_sdk::Credentials;
    use generated_sdk::mock::{MockLimits, MockServer, Verdict};
    use generated_sdk::ram::ListRolesRequest;

    fn credentials() -> Credentials {
        Credentials::new("mock-id", "mock-secret", None)
    }

    /// Writes `bytes` to the mock and reads until it closes the connection (at most 5 s);
    /// returns what it answered and how long it took to close.
    fn exchange(addr: SocketAddr, bytes: &[u8], trickle: Option<Duration>) -> (String, Duration) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let started = Instant::now();
        match trickle {
            // One byte at a time; a write fails once the mock has closed the connection.
            Some(pause) => {
                for byte in bytes {
                    if stream.write_all(&[*byte]).is_err() {
                        break;
                    }
                    std::thread::sleep(pause);
                }
            }
            None => stream.write_all(bytes).unwrap(),
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_body_past_the_limit_is_refused() {
        let limits = MockLimits::default().with_max_body_bytes(1024);
        let server = MockServer::start_with(credentials(), limits).await.unwrap();
        let addr = server.addr();
        let head = "POST /api/v1/productorders HTTP/1.1\r\nhost: x\r\ncontent-length: 4096\r\nconnection: close\r\n\r\n";
        let mut request = head.as_bytes().to_vec();
        request.extend(std::iter::repeat_n(b'a', 4096));
        let (answer, _) = tokio::task::spawn_blocking(move || exchange(addr, &request, None))
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("RequestEntityTooLarge"), "{answer}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn idle_and_slow_connections_are_closed() {
        // A connection that goes quiet midway through its headers.
        let limits = MockLimits::default()
            .with_idle_timeout(Duration::from_millis(200))
            .with_header_read_timeout(Duration::from_secs(30));
        let server = MockServer::start_with(credentials(), limits).await.unwrap();
        let addr = server.addr();
        let (_, took) =
            tokio::task::spawn_blocking(move || exchange(addr, b"POST / HTTP/1.1\r\n", None))
                .await
                .unwrap();
        assert!(took < Duration::from_secs(3), "closed after {took:?}");

        // A connection that keeps sending a header byte at a time: never idle, but too slow.
        let limits = MockLimits::default()
            .with_idle_timeout(Duration::from_secs(30))
            .with_header_read_timeout(Duration::from_millis(300));
        let server = MockServer::start_with(credentials(), limits).await.unwrap();
        let addr = server.addr();
        let slow =
            b"POST / HTTP/1.1\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
        let (_, took) = tokio::task::spawn_blocking(move || {
            exchange(addr, slow, Some(Duration::from_millis(50)))
        })
        .await
        .unwrap();
        assert!(took < Duration::from_secs(3), "closed after {took:?}");
    }

    #[tokio::test]
    async fn recorded_requests_are_bounded() {
        let limits = MockLimits::default().with_max_recorded_requests(3);
        let server = MockServer::start_with(credentials(), limits).await.unwrap();
        let client = generated_sdk::ram::Client::new(server.config().build().unwrap());
        for n in 0..5 {
            let request = ListRolesRequest::builder()
                .marker(format!("m{n}"))
                .build()
                .unwrap();
            client.list_roles(request).await.unwrap();
        }
        let requests = server.requests();
        let markers: Vec<Option<&str>> = requests.iter().map(|r| r.param("Marker")).collect();
        assert_eq!(markers, [Some("m2"), Some("m3"), Some("m4")]);
        assert!(requests.iter().all(|r| r.verdict == Verdict::Success));
        assert_eq!(server.requests_dropped(), 2);
    }

    /// Started by [`the_mock_serves_again_after_file_descriptors_run_out`] in a child process
    /// whose file limit is 64: it starts a mock, prints its address, and answers `accept-errors`
    /// lines on stdin with the count of failed accepts, until stdin closes.
    #[test]
    #[ignore = "run in a child process under a low file limit by the_mock_serves_again_after_file_descriptors_run_out"]
    fn mock_under_a_low_file_limit() {
        if std::env::var_os("MOCK_FD_CHILD").is_none() {
            return;
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start(credentials())).unwrap();
        let mut out = std::io::stdout();
        writeln!(out, "listening {}", server.addr()).unwrap();
        out.flush().unwrap();
        for line in std::io::stdin().lock().lines() {
            match line.as_deref().map(str::trim) {
                Ok("accept-errors") => {
                    writeln!(out, "accept-errors {}", server.accept_errors()).unwrap();
                    out.flush().unwrap();
                }
                _ => break,
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_mock_serves_again_after_file_descriptors_run_out() {
        let exe = std::env::current_exe().unwrap();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -n 64 && exec "$0" --exact hostile::mock::mock_under_a_low_file_limit --ignored --nocapture --test-threads 1"#)
            .arg(&exe)
            .env("MOCK_FD_CHILD", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next_value = |prefix: &str| -> String {
            for _ in 0..50 {
                let line = lines.next().expect("the child ended early").unwrap();
                // libtest prints the test's name before it runs, on the same line.
                if let Some(at) = line.find(prefix) {
                    return line[at + prefix.len()..].trim().to_owned();
                }
            }
            panic!("the child never printed {prefix:?}");
        };
        let addr: SocketAddr = next_value("listening ").parse().unwrap();

        // Idle connections, ten at a time, until the mock runs out of descriptors accepting
        // them (the kernel completes each connection whether or not it is accepted).
        let mut held = Vec::new();
        let mut errors = 0;
        for _ in 0..30 {
            for _ in 0..10 {
                if let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                    held.push(stream);
                }
            }
            std::thread::sleep(Duration::from_millis(20));
            writeln!(stdin, "accept-errors").unwrap();
            errors = next_value("accept-errors ").parse().unwrap();
            if errors > 0 {
                break;
            }
        }
        assert!(errors > 0, "accept() never failed: the limit did not bite");
        drop(held);

        // Once the descriptors are free again, a real call is served.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let result = runtime.block_on(async {
            let config = generated_sdk::Config::builder()
                .credentials(credentials())
                .endpoint(format!("http://{addr}"))
                .allow_http(true)
                .attempt_timeout(Duration::from_secs(20))
                .operation_timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            generated_sdk::ram::Client::new(config)
                .list_roles(ListRolesRequest::builder().build().unwrap())
                .await
        });
        drop(stdin);
        let _ = child.kill();
        let _ = child.wait();
        let response = result.expect("the mock serves again");
        assert!(response.request_id.is_some());
    }
}
