//! The AccessKey secret and the STS token never show in `Debug` or `Display` output of the
//! configuration, the credentials, the clients, the mock and what it recorded, signed
//! `http::Request`s and `Signature`s, or any error (a server echoing them included).

use std::time::Duration;

use generated_sdk::bssopenapi::create_instance::ErrorCode;
use generated_sdk::mock::MockServer;
use generated_sdk::runtime::{SigningParams, prepare};
use generated_sdk::{Config, ConfigError, Credentials, Error};
use tests::hostile::{Reply, Server};

const SECRET: &str = "SeCrEt-4f1c9e";
const TOKEN: &str = "ToKeN-77ab02";

fn credentials() -> Credentials {
    Credentials::new("visible-id", SECRET, Some(TOKEN.to_owned()))
}

/// Both `{:?}` and `{}` (where there is one) of everything in `shown`.
#[track_caller]
fn assert_clean(what: &str, shown: &str) {
    assert!(!shown.is_empty(), "{what}: nothing formatted");
    assert!(!shown.contains(SECRET), "{what} shows the secret: {shown}");
    assert!(!shown.contains(TOKEN), "{what} shows the token: {shown}");
}

fn error_text(e: &Error) -> String {
    format!("{e} {e:?} {e:#?}")
}

fn example() -> generated_sdk::bssopenapi::CreateInstanceRequest {
    generated_sdk::bssopenapi::CreateInstanceRequest::builder()
        .product_code("rds")
        .subscription_type(generated_sdk::bssopenapi::create_instance::SubscriptionType::PayAsYouGo)
        .build()
        .unwrap()
}

#[tokio::test]
async fn no_secret_in_configuration_clients_or_errors() {
    let credentials = credentials();
    assert_clean("Credentials", &format!("{credentials:?} {credentials:#?}"));
    let builder = Config::builder().credentials(credentials.clone());
    assert_clean("ConfigBuilder", &format!("{builder:?}"));

    let server = MockServer::start(credentials.clone()).await.unwrap();
    assert_clean("MockServer", &format!("{server:?}"));
    let config = server.config().build().unwrap();
    assert_clean("Config", &format!("{config:?} {config:#?}"));
    let client = generated_sdk::bssopenapi::Client::new(config.clone());
    assert_clean("Client", &format!("{client:?}"));
    let runtime_client = generated_sdk::Caller::new(config.clone());
    assert_clean("Caller", &format!("{runtime_client:?}"));
    let prepared = prepare(&example(), &config).unwrap();
    assert_clean("PreparedRequest", &format!("{prepared:?}"));

    let mut errors: Vec<Error> = Vec::new();
    // Service errors: documented, throttled, and a signature the mock refuses (whose message
    // quotes the canonical request the mock computed).
    server.fail_with(ErrorCode::InvalidOwner).unwrap();
    errors.push(client.create_instance(example()).await.unwrap_err());
    server.reset();
    server.throttle_next(5);
    errors.push(
        generated_sdk::bssopenapi::Client::new(server.config().max_attempts(1).build().unwrap())
            .create_instance(example())
            .await
            .unwrap_err(),
    );
    server.reset();
    let other_secret = server
        .config()
        .credentials(Credentials::new(
            "visible-id",
            "another",
            Some(TOKEN.to_owned()),
        ))
        .build()
        .unwrap();
    let refused = generated_sdk::bssopenapi::Client::new(other_secret)
        .create_instance(example())
        .await
        .unwrap_err();
    assert_eq!(
        refused.service_error().unwrap().code.as_deref(),
        Some("SignatureDoesNotMatch")
    );
    errors.push(refused);

    // Transport: nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = Config::builder()
        .credentials(credentials.clone())
        .endpoint(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    errors.push(
        generated_sdk::bssopenapi::Client::new(nowhere)
            .create_instance(example())
            .await
            .unwrap_err(),
    );

    // Validation, configuration and signing errors.
    let invalid: generated_sdk::bssopenapi::CreateInstanceRequest =
        serde_json::from_value(serde_json::json!({"Period": 5})).unwrap();
    errors.push(client.create_instance(invalid).await.unwrap_err());
    errors.push(Error::from(
        Config::builder()
            .credentials(credentials.clone())
            .endpoint("ftp://nope")
            .build()
            .unwrap_err(),
    ));
    errors.push(Error::from(ConfigError::MissingCredentials));
    // A token that cannot be sent is refused when the configuration is built, naming the part
    // and never its value; signing with such credentials directly is refused the same way.
    let bad_token = Credentials::new("id", SECRET, Some(format!("{TOKEN}\n")));
    errors.push(Error::from(
        Config::builder()
            .credentials(bad_token.clone())
            .build()
            .unwrap_err(),
    ));
    let mut unsigned = prepare(&example(), &config)
        .unwrap()
        .to_unsigned(&config)
        .unwrap();
    let signing = Error::from(
        generated_sdk::runtime::signing::sign(&mut unsigned, &bad_token, &SigningParams::now())
            .unwrap_err(),
    );
    errors.push(signing);

    // Decode errors hold only what the server sent.
    errors.push(
        generated_sdk::runtime::parse_response::<generated_sdk::bssopenapi::CreateInstanceRequest>(
            200,
            b"not json",
        )
        .unwrap_err(),
    );
    // A server that echoes the token into a wrongly typed field: serde's message quotes the
    // value, and the client redacts it.
    let echo = format!(r#"{{"Success": "{TOKEN}", "RequestId": "r"}}"#);
    let echoing = Server::start(move |_, _| Reply::json(200, &echo)).await;
    let decode = generated_sdk::bssopenapi::Client::new(
        Config::builder()
            .credentials(credentials.clone())
            .endpoint(echoing.endpoint())
            .allow_http(true)
            .build()
            .unwrap(),
    )
    .create_instance(example())
    .await
    .unwrap_err();
    assert!(matches!(decode, Error::Decode(_)), "{decode}");
    assert!(decode.to_string().contains("** redacted **"), "{decode}");
    errors.push(decode);

    // A redirect.
    let redirecting = Server::start(|_, _| {
        Reply::json(307, "{}").with_header("location", "https://elsewhere.example/")
    })
    .await;
    errors.push(
        generated_sdk::bssopenapi::Client::new(
            Config::builder()
                .credentials(credentials.clone())
                .endpoint(redirecting.endpoint())
                .allow_http(true)
                .build()
                .unwrap(),
        )
        .create_instance(example())
        .await
        .unwrap_err(),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Config(_) => "config",
            Error::Validation(_) => "validation",
            Error::Encode(_) => "encode",
            Error::Signing(_) => "signing",
            Error::Transport(_) => "transport",
            Error::Service(_) => "service",
            Error::Decode(_) => "decode",
            Error::Redirect(_) => "redirect",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "service",
            "service",
            "service",
            "transport",
            "validation",
            "config",
            "config",
            "config",
            "signing",
            "decode",
            "decode",
            "redirect"
        ]
    );
    for e in &errors {
        assert_clean("an error", &error_text(e));
    }

    // The server's side: the requests it recorded carry the token (it was sent), but their
    // `Debug` output, verdicts included, does not show it.
    let recorded = server.requests();
    assert!(
        recorded
            .iter()
            .any(|r| r.header("x-acs-security-token") == Some(TOKEN))
    );
    assert_clean(
        "the mock's recorded requests",
        &format!("{recorded:?} {recorded:#?}"),
    );
}

#[test]
fn signed_requests_and_signatures_do_not_show_the_token() {
    let config = Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .build()
        .unwrap();
    let request = generated_sdk::runtime::to_http_request(&example(), &config).unwrap();
    assert_eq!(request.headers()["x-acs-security-token"], TOKEN);
    assert!(request.headers()["x-acs-security-token"].is_sensitive());
    assert!(request.headers()["authorization"].is_sensitive());
    assert_clean("http::Request", &format!("{request:?} {request:#?}"));

    let (signed, signature) = prepare(&example(), &config)
        .unwrap()
        .sign_detailed(&config, &SigningParams::now())
        .unwrap();
    let signature = signature.expect("a signed operation");
    assert_clean("http::Request", &format!("{signed:?}"));
    assert!(signature.canonical_request.contains(TOKEN), "it is signed");
    let shown = format!("{signature:?} {signature:#?}");
    assert_clean("Signature", &shown);
    assert!(
        shown.contains("x-acs-security-token:** redacted **"),
        "{shown}"
    );
}

#[test]
fn a_server_that_echoes_a_secret_is_redacted() {
    let spec = <generated_sdk::bssopenapi::CreateInstanceRequest as generated_sdk::runtime::Operation>::SPEC;
    let body = format!(r#"{{"Code": "Bad", "Message": "token {TOKEN} and secret {SECRET}"}}"#);
    let mut error = generated_sdk::ServiceError::from_response(
        spec,
        400,
        &http::HeaderMap::new(),
        body.as_bytes(),
    );
    error.redact(&[SECRET, TOKEN]);
    assert_clean("ServiceError", &format!("{error} {error:?}"));
    assert_eq!(
        error.message.as_deref(),
        Some("token ** redacted ** and secret ** redacted **")
    );
}
