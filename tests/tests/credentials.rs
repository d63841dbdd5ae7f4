//! Credential providers against local stand-ins on 127.0.0.1: an instance metadata service
//! and a credentials URI (scripted servers), STS (the spec-driven mock, which checks each STS
//! request against the generated operation and its signature), profile files in a temporary
//! home. The default chain's order, the cache's refresh before expiry and its single fetch
//! for concurrent callers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use generated_sdk::credential_providers::{
    AssumeRoleProvider, CliProfileProvider, DefaultChain, EcsRamRoleProvider, Env,
    EnvironmentProvider, IniProfileProvider, OidcRoleProvider, StsEndpoint, UriProvider,
};
use generated_sdk::mock::{MockServer, Verdict};
use generated_sdk::vpcipam::{Client, OpenVpcIpamServiceRequest};
use generated_sdk::{
    Config, Credentials, CredentialsError, CredentialsFuture, Error, ProvideCredentials,
    ProviderContext,
};
use serde_json::json;
use tests::hostile::{Reply, Server};

/// A folder of its own under `target/`, emptied.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = tests::root()
        .join("target")
        .join("credentials-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A configuration whose only credentials come from `provider`, aimed at the mock.
fn through(server: &MockServer, provider: impl ProvideCredentials + 'static) -> Config {
    server
        .config()
        .credentials_provider(provider)
        .build()
        .unwrap()
}

fn open_vpc_ipam() -> OpenVpcIpamServiceRequest {
    OpenVpcIpamServiceRequest::builder()
        .region_id("cn-hangzhou")
        .build()
        .unwrap()
}

/// The expiry an STS stand-in gives, an hour away.
fn in_an_hour() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(3600)).to_string()
}

fn temporary_json(id: &str, secret: &str, token: &str, expiration: &str) -> serde_json::Value {
    json!({
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "SecurityToken": token,
        "Expiration": expiration,
        "Code": "Success"
    })
}

#[tokio::test]
async fn environment_variables_sign_the_call() {
    let credentials = Credentials::new("env-id", "env-secret", Some("env-token".into()));
    let server = MockServer::start(credentials).await.unwrap();
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
    ]);
    let client = Client::new(through(&server, EnvironmentProvider::with_env(env)));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].verdict, Verdict::Success);
    assert_eq!(seen[0].header("x-acs-security-token"), Some("env-token"));
}

#[tokio::test]
async fn cli_profiles_give_keys_tokens_and_name_what_is_wrong() {
    let home = scratch("cli");
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(
        home.join(".aliyun/config.json"),
        json!({
            "current": "work",
            "profiles": [
                {"name": "work", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret"},
                {"name": "temp", "mode": "StsToken", "access_key_id": "t-id", "access_key_secret": "t-secret", "sts_token": "t-token"},
                {"name": "broken", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let home_env = |profile: Option<&str>| {
        let mut pairs = vec![("HOME".to_owned(), home.display().to_string())];
        if let Some(p) = profile {
            pairs.push(("ALIBABA_CLOUD_PROFILE".to_owned(), p.to_owned()));
        }
        Env::from_pairs(pairs)
    };
    // The file's current profile.
    let server = MockServer::start(Credentials::new("cli-id", "cli-secret", None))
        .await
        .unwrap();
    let client = Client::new(through(
        &server,
        CliProfileProvider::with_env(home_env(None)),
    ));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    // The one ALIBABA_CLOUD_PROFILE names.
    let server = MockServer::start(Credentials::new("t-id", "t-secret", Some("t-token".into())))
        .await
        .unwrap();
    let client = Client::new(through(
        &server,
        CliProfileProvider::with_env(home_env(Some("temp"))),
    ));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    // A profile missing a setting: the error names the file, the profile and the setting.
    let client = Client::new(through(
        &server,
        CliProfileProvider::with_env(home_env(Some("broken"))),
    ));
    let err = client
        .open_vpc_ipam_service(open_vpc_ipam())
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, Error::Credentials(_)), "{shown}");
    assert!(
        shown.contains("profile `broken` has no `ram_role_arn`"),
        "{shown}"
    );
    assert!(
        !shown.contains("y\"") && !shown.contains("secret"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_credentials_file_gives_its_profile() {
    let dir = scratch("ini");
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\nenable = true\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n\n[off]\nenable = false\ntype = access_key\n",
    )
    .unwrap();
    let server = MockServer::start(Credentials::new("ini-id", "ini-secret", None))
        .await
        .unwrap();
    let env = Env::from_pairs([("ALIBABA_CLOUD_CREDENTIALS_FILE", file.display().to_string())]);
    let client = Client::new(through(&server, IniProfileProvider::with_env(env)));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    let off = IniProfileProvider::with_env(Env::from_pairs([
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", file.display().to_string()),
        ("ALIBABA_CLOUD_PROFILE", "off".to_owned()),
    ]));
    let err = off.read().unwrap_err();
    assert!(err.is_unavailable(), "{err}");
}

/// An instance metadata service stand-in: a session token, the role's name, its credentials.
async fn metadata_service(token_ok: bool, expiration: String) -> Server {
    Server::start(
        move |_, request| match (request.method.as_str(), request.target.as_str()) {
            ("PUT", "/latest/api/token") if token_ok => Reply::json(200, "session-token"),
            ("PUT", "/latest/api/token") => Reply::json(403, "no"),
            ("GET", "/latest/meta-data/ram/security-credentials/") => Reply::json(200, "EcsRole"),
            ("GET", "/latest/meta-data/ram/security-credentials/EcsRole") => Reply::json(
                200,
                &temporary_json("STS.ecs", "ecs-secret", "ecs-token", &expiration).to_string(),
            ),
            _ => Reply::json(404, "{}"),
        },
    )
    .await
}

#[tokio::test]
async fn the_ecs_ram_role_comes_from_the_metadata_service_with_a_session_token() {
    let imds = metadata_service(true, in_an_hour()).await;
    let server = MockServer::start(Credentials::new(
        "STS.ecs",
        "ecs-secret",
        Some("ecs-token".into()),
    ))
    .await
    .unwrap();
    let provider = EcsRamRoleProvider::new().address(imds.endpoint());
    let client = Client::new(through(&server, provider));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    let seen = imds.requests();
    // One fetch for both calls (the credentials are good for an hour): token, role, credentials.
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        seen[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for r in &seen[1..] {
        assert_eq!(
            r.header("x-aliyun-ecs-metadata-token"),
            Some("session-token")
        );
    }
}

#[tokio::test]
async fn without_a_session_token_the_fallback_can_be_forbidden() {
    let imds = metadata_service(false, in_an_hour()).await;
    // Allowed (the default): the requests go without a token.
    let context = context();
    let allowed = EcsRamRoleProvider::new().address(imds.endpoint());
    let c = allowed.provide_credentials(&context).await.unwrap();
    assert_eq!(c.access_key_id(), "STS.ecs");
    assert!(
        imds.requests()[1]
            .header("x-aliyun-ecs-metadata-token")
            .is_none()
    );
    // Forbidden: no credentials.
    let env = Env::from_pairs([("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]);
    let forbidden = EcsRamRoleProvider::from_env(&env).address(imds.endpoint());
    let err = forbidden.provide_credentials(&context).await.unwrap_err();
    assert!(err.to_string().contains("forbidden"), "{err}");
}

/// A provider context as a configuration gives one.
fn context() -> ProviderContext {
    let config = Config::builder()
        .credentials(Credentials::new("unused", "unused", None))
        .build()
        .unwrap();
    config.provider_context().unwrap()
}

#[tokio::test]
async fn credentials_due_to_expire_are_fetched_again() {
    // Credentials are fetched again a quarter of their lifetime before they expire, and at
    // least 10 s before: credentials that expire in 5 s are due at once.
    let soon =
        humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(5)).to_string();
    let uri = Server::start(move |_, _| {
        Reply::json(
            200,
            &temporary_json("STS.uri", "uri-secret", "uri-token", &soon).to_string(),
        )
    })
    .await;
    let server = MockServer::start(Credentials::new(
        "STS.uri",
        "uri-secret",
        Some("uri-token".into()),
    ))
    .await
    .unwrap();
    let client = Client::new(through(
        &server,
        UriProvider::new(format!("{}/creds", uri.endpoint())),
    ));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    assert_eq!(
        uri.hits(),
        2,
        "fetched for each call, the credentials being due"
    );
}

/// A provider that counts its fetches and takes a while over each.
#[derive(Debug, Default)]
struct Counting(AtomicUsize);

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self, _: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            self.0.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(Credentials::new("id", "secret", None)
                .with_expiration(SystemTime::now() + Duration::from_secs(3600)))
        })
    }

    fn name(&self) -> &'static str {
        "counting"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_fetch() {
    let server = MockServer::start(Credentials::new("id", "secret", None))
        .await
        .unwrap();
    let counting = Arc::new(Counting::default());
    #[derive(Debug)]
    struct Shared(Arc<Counting>);
    impl ProvideCredentials for Shared {
        fn provide_credentials<'a>(&'a self, c: &'a ProviderContext) -> CredentialsFuture<'a> {
            self.0.provide_credentials(c)
        }
        fn name(&self) -> &'static str {
            "shared"
        }
    }
    let client = Client::new(through(&server, Shared(Arc::clone(&counting))));
    let calls = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.open_vpc_ipam_service(open_vpc_ipam()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(counting.0.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_role_is_assumed_through_the_sdks_own_sts_operation() {
    let source = Credentials::new("source-id", "source-secret", None);
    let sts = MockServer::start(source.clone()).await.unwrap();
    sts.reply_with(
        "Sts",
        "AssumeRole",
        json!({
            "RequestId": "r-1",
            "Credentials": temporary_json("STS.role", "role-secret", "role-token", &in_an_hour())
        }),
    );
    let service = MockServer::start(Credentials::new(
        "STS.role",
        "role-secret",
        Some("role-token".into()),
    ))
    .await
    .unwrap();
    let provider = AssumeRoleProvider::new(Arc::new(source), "acs:ram::1:role/app")
        .session_name("s1")
        .endpoint(StsEndpoint::Url(sts.endpoint()));
    let client = Client::new(through(&service, provider));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    let call = &sts.requests()[0];
    assert_eq!(call.verdict, Verdict::Success, "{call:?}");
    assert_eq!(call.action.as_deref(), Some("AssumeRole"));
    assert_eq!(call.param("RoleArn"), Some("acs:ram::1:role/app"));
    assert_eq!(call.param("RoleSessionName"), Some("s1"));
    assert_eq!(call.param("DurationSeconds"), Some("3600"));
    assert_eq!(service.requests()[0].verdict, Verdict::Success);
}

#[tokio::test]
async fn an_oidc_token_assumes_a_role_unsigned() {
    let dir = scratch("oidc");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "eyJ.oidc.token\n").unwrap();
    let sts = MockServer::start(Credentials::new("nobody", "nothing", None))
        .await
        .unwrap();
    sts.reply_with(
        "Sts",
        "AssumeRoleWithOIDC",
        json!({
            "RequestId": "r-2",
            "Credentials": temporary_json("STS.oidc", "oidc-secret", "oidc-token", &in_an_hour())
        }),
    );
    let service = MockServer::start(Credentials::new(
        "STS.oidc",
        "oidc-secret",
        Some("oidc-token".into()),
    ))
    .await
    .unwrap();
    let env = Env::from_pairs([
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/pod"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/ack",
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-1"),
    ]);
    let provider = OidcRoleProvider::from_env(&env)
        .unwrap()
        .endpoint(StsEndpoint::Url(sts.endpoint()));
    let client = Client::new(through(&service, provider));
    client.open_vpc_ipam_service(open_vpc_ipam()).await.unwrap();
    let call = &sts.requests()[0];
    assert_eq!(call.verdict, Verdict::Success, "{call:?}");
    assert_eq!(call.param("OIDCToken"), Some("eyJ.oidc.token"));
    assert_eq!(call.param("RoleSessionName"), Some("pod-1"));
    assert!(call.header("authorization").is_none(), "sent unsigned");
}

#[tokio::test]
async fn the_default_chain_takes_the_first_source_and_says_what_each_lacked() {
    let home = scratch("chain");
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(
        home.join(".aliyun/config.json"),
        json!({"current": "p", "profiles": [
            {"name": "p", "mode": "AK", "access_key_id": "profile-id", "access_key_secret": "profile-secret", "region_id": "cn-shanghai"},
            {"name": "q", "mode": "AK", "access_key_id": "q-id", "access_key_secret": "q-secret", "region_id": "eu-central-1"},
        ]}).to_string(),
    )
    .unwrap();
    // With only the CLI's file, `from_env` takes the region of the profile in use too (the
    // variable, where set, wins).
    let home_only = |extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("HOME".to_owned(), home.display().to_string()),
            (
                "ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(),
                "true".to_owned(),
            ),
        ];
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Config::from_env_with(Env::from_pairs(pairs)).unwrap()
    };
    assert_eq!(home_only(&[]).region(), Some("cn-shanghai"));
    assert_eq!(
        home_only(&[("ALIBABA_CLOUD_PROFILE", "q")]).region(),
        Some("eu-central-1")
    );
    assert_eq!(
        home_only(&[("ALIBABA_CLOUD_REGION_ID", "cn-beijing")]).region(),
        Some("cn-beijing")
    );
    let base = |extra: &[(&str, &str)]| {
        let mut pairs: Vec<(String, String)> = vec![
            ("HOME".into(), home.display().to_string()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".into(), "true".into()),
        ];
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Env::from_pairs(pairs)
    };
    let context = context();
    // The environment comes first.
    let chain = DefaultChain::with_env(base(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]));
    assert_eq!(
        chain.names(),
        ["environment", "cli-profile", "credentials-file"]
    );
    let c = chain.provide_credentials(&context).await.unwrap();
    assert_eq!(c.access_key_id(), "env-id");
    // Without it, the CLI profile.
    let chain = DefaultChain::with_env(base(&[]));
    assert_eq!(
        chain
            .provide_credentials(&context)
            .await
            .unwrap()
            .access_key_id(),
        "profile-id"
    );
    // With nothing at all, every source says why.
    let empty = scratch("chain-empty");
    let chain = DefaultChain::with_env(Env::from_pairs([
        ("HOME", empty.display().to_string()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()),
    ]));
    let err = chain.provide_credentials(&context).await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::NotFound { ref tried } if tried.len() == 3),
        "{err}"
    );
    let shown = err.to_string();
    for part in [
        "environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET unset",
        "cli-profile:",
        "credentials-file:",
    ] {
        assert!(shown.contains(part), "{shown}");
    }
}

#[tokio::test]
async fn from_env_resolves_lazily_at_the_first_call() {
    let server = MockServer::start(Credentials::new("late-id", "late-secret", None))
        .await
        .unwrap();
    // Building needs no credentials; the call finds them.
    let config = Config::from_env_with(Env::from_pairs([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "late-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "late-secret"),
        ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]))
    .unwrap();
    assert_eq!(config.region(), Some("cn-hangzhou"));
    let config = Config::builder()
        .credentials_provider(DefaultChain::with_env(Env::from_pairs([
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "late-id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "late-secret"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ])))
        .region("cn-hangzhou")
        .endpoint(server.endpoint())
        .allow_http(true)
        .build()
        .unwrap();
    Client::new(config)
        .open_vpc_ipam_service(open_vpc_ipam())
        .await
        .unwrap();
    assert_eq!(server.requests()[0].verdict, Verdict::Success);
}
