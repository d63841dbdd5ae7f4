//! Providers that fetch credentials over the network: the ECS instance metadata service, a
//! credentials URI, and STS (a RAM role assumed with other credentials, or with an OIDC
//! token). The STS calls are the SDK crate's own generated operations `AssumeRole` and
//! `AssumeRoleWithOIDC`, found among the operations it compiles in.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use super::chain::Env;
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};
use crate::client::Caller;
use crate::config::Config;

/// The variable naming the ECS instance's RAM role.
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// The variable that keeps the instance metadata service out of the default chain (`true`).
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// The variable that forbids reading instance metadata without a session token (`true`).
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// The variable holding a credentials URI.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";
/// The variable holding the ARN of the RAM role to assume with an OIDC token.
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The variable holding the ARN of the OIDC identity provider.
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The variable holding the path of the OIDC token file.
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The variable holding the role session name.
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// The variable naming the STS region.
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// The variable that sends STS calls to the VPC endpoint (`true`).
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";

/// The instance metadata service's address.
const METADATA_ADDRESS: &str = "http://100.100.100.200";
/// How long a metadata session token lasts, in seconds.
const METADATA_TOKEN_TTL: &str = "21600";

fn fetch_error(
    provider: &'static str,
    reason: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> CredentialsError {
    CredentialsError::Fetch {
        provider,
        reason,
        source,
    }
}

/// Credentials in the shape the metadata service, credentials URIs and STS give them:
/// `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration` (RFC 3339).
fn temporary(provider: &'static str, v: &Value) -> Result<Credentials, CredentialsError> {
    let field = |key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fetch_error(provider, format!("the reply has no `{key}`"), None))
    };
    let expiration = humantime::parse_rfc3339(field("Expiration")?).map_err(|e| {
        fetch_error(
            provider,
            "the reply's `Expiration` is not an RFC 3339 time".to_owned(),
            Some(Box::new(e)),
        )
    })?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("AccessKeySecret")?,
        Some(field("SecurityToken")?.to_owned()),
    )
    .with_expiration(expiration))
}

/// One HTTP exchange of a provider, bounded by `limit`: status and body.
async fn exchange(
    provider: &'static str,
    request: reqwest::RequestBuilder,
    limit: Duration,
) -> Result<(u16, String), CredentialsError> {
    let sent = async {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        Ok::<_, reqwest::Error>((status, body))
    };
    match tokio::time::timeout(limit, sent).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(fetch_error(
            provider,
            "the request failed".to_owned(),
            Some(Box::new(e)),
        )),
        Err(_) => Err(fetch_error(
            provider,
            format!("no reply within {limit:?}"),
            None,
        )),
    }
}

/// Credentials of the ECS instance's RAM role, from the instance metadata service
/// (`100.100.100.200`): a session token first (`PUT /latest/api/token`), then the role's
/// name (unless given) and its credentials, each request carrying the token. When no token can
/// be had, the requests go without one, unless that is forbidden (`ALIBABA_CLOUD_IMDSV1_DISABLED`
/// or [`tokenless_fallback(false)`](Self::tokenless_fallback)).
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    address: String,
    role_name: Option<String>,
    tokenless_fallback: bool,
    timeout: Duration,
}

impl EcsRamRoleProvider {
    /// The instance's role, found from the metadata service.
    pub fn new() -> Self {
        Self {
            address: METADATA_ADDRESS.to_owned(),
            role_name: None,
            tokenless_fallback: true,
            timeout: Duration::from_secs(1),
        }
    }

    /// Configured from `env` (`ALIBABA_CLOUD_ECS_METADATA`, `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn from_env(env: &Env) -> Self {
        let mut p = Self::new().tokenless_fallback(!env.is_true(ENV_IMDSV1_DISABLED));
        if let Some(role) = env.get(ENV_ECS_METADATA) {
            p = p.role_name(role);
        }
        p
    }

    /// The role's name (saves a request).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Whether requests may go without a session token when none can be had (default: yes).
    pub fn tokenless_fallback(mut self, allowed: bool) -> Self {
        self.tokenless_fallback = allowed;
        self
    }

    /// The metadata service's address (`http://host[:port]`), for a stand-in in tests.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into().trim_end_matches('/').to_owned();
        self
    }

    /// The time allowed for each request to the metadata service (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn fetch(&self, context: &ProviderContext) -> Result<Credentials, CredentialsError> {
        const NAME: &str = "ecs-ram-role";
        let http = &context.http;
        let token_request = http
            .put(format!("{}/latest/api/token", self.address))
            .header(
                "X-aliyun-ecs-metadata-token-ttl-seconds",
                METADATA_TOKEN_TTL,
            );
        let token = match exchange(NAME, token_request, self.timeout).await {
            Ok((200, token)) if !token.trim().is_empty() => Some(token.trim().to_owned()),
            Ok((status, _)) if !self.tokenless_fallback => {
                return Err(fetch_error(
                    NAME,
                    format!(
                        "the metadata service refused a session token (HTTP {status}), and reading without one is forbidden"
                    ),
                    None,
                ));
            }
            Err(e) if !self.tokenless_fallback => return Err(e),
            Err(e) if self.role_name.is_none() => {
                // Nothing answers at the metadata address: not an ECS instance.
                return Err(CredentialsError::Unavailable {
                    provider: NAME,
                    reason: format!("no instance metadata service ({e})"),
                });
            }
            _ => None,
        };
        let get = |path: String| {
            let request = http.get(format!("{}{path}", self.address));
            match &token {
                Some(t) => request.header("X-aliyun-ecs-metadata-token", t.as_str()),
                None => request,
            }
        };
        let base = "/latest/meta-data/ram/security-credentials/";
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => match exchange(NAME, get(base.to_owned()), self.timeout).await? {
                (200, body) if !body.trim().is_empty() => {
                    body.lines().next().unwrap_or_default().trim().to_owned()
                }
                (status, _) => {
                    return Err(CredentialsError::Unavailable {
                        provider: NAME,
                        reason: format!("the instance has no RAM role (HTTP {status})"),
                    });
                }
            },
        };
        match exchange(NAME, get(format!("{base}{role}")), self.timeout).await? {
            (200, body) => {
                let v: Value = serde_json::from_str(&body).map_err(|e| {
                    fetch_error(
                        NAME,
                        "the credentials are not JSON".to_owned(),
                        Some(Box::new(e)),
                    )
                })?;
                if v.get("Code").and_then(Value::as_str) != Some("Success") {
                    return Err(fetch_error(
                        NAME,
                        format!(
                            "the metadata service says {:?} for role {role:?}",
                            v.get("Code").and_then(Value::as_str).unwrap_or("nothing")
                        ),
                        None,
                    ));
                }
                temporary(NAME, &v)
            }
            (status, _) => Err(fetch_error(
                NAME,
                format!("HTTP {status} for the credentials of role {role:?}"),
                None,
            )),
        }
    }
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(self.fetch(context))
    }

    fn name(&self) -> &'static str {
        "ecs-ram-role"
    }
}

/// Credentials from a URI that answers with `Code: Success`, `AccessKeyId`,
/// `AccessKeySecret`, `SecurityToken` and `Expiration` (`ALIBABA_CLOUD_CREDENTIALS_URI`).
#[derive(Debug, Clone)]
pub struct UriProvider {
    uri: String,
}

impl UriProvider {
    /// Credentials from `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self { uri: uri.into() }
    }
}

impl ProvideCredentials for UriProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            const NAME: &str = "credentials-uri";
            let (status, body) =
                exchange(NAME, context.http.get(&self.uri), context.timeout).await?;
            if status != 200 {
                return Err(fetch_error(NAME, format!("HTTP {status}"), None));
            }
            let v: Value = serde_json::from_str(&body).map_err(|e| {
                fetch_error(NAME, "the reply is not JSON".to_owned(), Some(Box::new(e)))
            })?;
            if v.get("Code").and_then(Value::as_str) != Some("Success") {
                return Err(fetch_error(
                    NAME,
                    "the reply's `Code` is not `Success`".to_owned(),
                    None,
                ));
            }
            temporary(NAME, &v)
        })
    }

    fn name(&self) -> &'static str {
        "credentials-uri"
    }
}

/// Where STS calls go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StsEndpoint {
    /// `sts.aliyuncs.com`.
    Global,
    /// `sts.<region>.aliyuncs.com`.
    Region(String),
    /// `sts-vpc.<region>.aliyuncs.com`, reachable from the region's VPCs.
    Vpc(String),
    /// Any URL (`https://host`; `http://` for a stand-in in tests).
    Url(String),
}

impl StsEndpoint {
    /// From `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub fn from_env(env: &Env) -> Self {
        match (
            env.get(ENV_STS_REGION),
            env.is_true(ENV_VPC_ENDPOINT_ENABLED),
        ) {
            (Some(region), true) => Self::Vpc(region),
            (Some(region), false) => Self::Region(region),
            (None, _) => Self::Global,
        }
    }

    fn url(&self) -> String {
        match self {
            Self::Global => "https://sts.aliyuncs.com".to_owned(),
            Self::Region(r) => format!("https://sts.{r}.aliyuncs.com"),
            Self::Vpc(r) => format!("https://sts-vpc.{r}.aliyuncs.com"),
            Self::Url(u) => u.clone(),
        }
    }
}

/// Calls STS `action` (one of the SDK crate's operations) and reads the credentials of its
/// reply; `signer` signs the call (`None`: an anonymous operation).
async fn sts(
    provider: &'static str,
    context: &ProviderContext,
    endpoint: &StsEndpoint,
    action: &'static str,
    fields: Map<String, Value>,
    signer: Option<Credentials>,
) -> Result<Credentials, CredentialsError> {
    let spec = context
        .operations
        .iter()
        .copied()
        .find(|s| s.product.eq_ignore_ascii_case("Sts") && s.action == action)
        .ok_or_else(|| CredentialsError::Invalid {
            provider,
            reason: format!(
                "STS {action} is not among the operations this SDK compiles in: enable the `sts` feature, and call through a product `Client` (or give the operations to the configuration)"
            ),
            source: None,
        })?;
    let url = endpoint.url();
    let mut builder = Config::builder()
        .endpoint(url.clone())
        .allow_http(url.starts_with("http://"))
        .http_client(context.http.clone())
        .operation_timeout(context.timeout);
    builder = match signer {
        Some(c) => builder.credentials(c),
        None => builder.unsigned(),
    };
    let config = builder.build().map_err(|e| CredentialsError::Invalid {
        provider,
        reason: "cannot configure the STS call".to_owned(),
        source: Some(Box::new(e)),
    })?;
    let reply = Caller::new(config)
        .call_fields(spec, fields)
        .await
        .map_err(|e| fetch_error(provider, format!("STS {action} failed"), Some(Box::new(e))))?;
    let credentials = reply.get("Credentials").ok_or_else(|| {
        fetch_error(
            provider,
            format!("STS {action} returned no `Credentials`"),
            None,
        )
    })?;
    temporary(provider, credentials)
}

/// What both STS role providers send about the session: the role, the session's name (default
/// `sdk-rust-<unix time>`), how long it lasts (default one hour) and the policy narrowing it,
/// and where the call goes (default `sts.aliyuncs.com`).
#[derive(Debug, Clone)]
struct RoleSession {
    role_arn: String,
    session_name: Option<String>,
    duration: Duration,
    policy: Option<String>,
    endpoint: StsEndpoint,
}

impl RoleSession {
    fn new(role_arn: String) -> Self {
        Self {
            role_arn,
            session_name: None,
            duration: Duration::from_secs(3600),
            policy: None,
            endpoint: StsEndpoint::Global,
        }
    }

    /// The request fields naming the role and the session.
    fn fields(&self) -> Map<String, Value> {
        let session_name = self.session_name.clone().unwrap_or_else(|| {
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("sdk-rust-{now}")
        });
        let mut fields = Map::new();
        fields.insert("RoleArn".into(), json!(self.role_arn));
        fields.insert("RoleSessionName".into(), json!(session_name));
        fields.insert("DurationSeconds".into(), json!(self.duration.as_secs()));
        if let Some(p) = &self.policy {
            fields.insert("Policy".into(), json!(p));
        }
        fields
    }
}

/// The setters of a provider's [`RoleSession`] (its `session` field).
macro_rules! role_session_setters {
    () => {
        /// The session name (default `sdk-rust-<unix time>`).
        pub fn session_name(mut self, name: impl Into<String>) -> Self {
            self.session.session_name = Some(name.into());
            self
        }

        /// How long the credentials last (default one hour).
        pub fn duration(mut self, duration: Duration) -> Self {
            self.session.duration = duration;
            self
        }

        /// A policy narrowing the role's permissions.
        pub fn policy(mut self, policy: impl Into<String>) -> Self {
            self.session.policy = Some(policy.into());
            self
        }

        /// Where the STS call goes (default `sts.aliyuncs.com`).
        pub fn endpoint(mut self, endpoint: StsEndpoint) -> Self {
            self.session.endpoint = endpoint;
            self
        }
    };
}

/// Credentials of a RAM role, assumed through STS `AssumeRole` with the credentials of another
/// provider.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    session: RoleSession,
    external_id: Option<String>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with the credentials `source` gives.
    pub fn new(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>) -> Self {
        Self {
            source,
            session: RoleSession::new(role_arn.into()),
            external_id: None,
        }
    }

    role_session_setters!();

    /// The external ID the role's trust policy asks for.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            let source = self.source.provide_credentials(context).await?;
            let mut fields = self.session.fields();
            if let Some(id) = &self.external_id {
                fields.insert("ExternalId".into(), json!(id));
            }
            sts(
                "assume-role",
                context,
                &self.session.endpoint,
                "AssumeRole",
                fields,
                Some(source),
            )
            .await
        })
    }

    fn name(&self) -> &'static str {
        "assume-role"
    }
}

/// Credentials of a RAM role, assumed through STS `AssumeRoleWithOIDC` with an OIDC token read
/// from a file at each fetch (ACK RRSA mounts and rotates it). From the environment:
/// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`,
/// and optionally `ALIBABA_CLOUD_ROLE_SESSION_NAME`.
#[derive(Debug, Clone)]
pub struct OidcRoleProvider {
    session: RoleSession,
    provider_arn: String,
    token_file: PathBuf,
}

impl OidcRoleProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by `provider_arn`.
    pub fn new(
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        Self {
            session: RoleSession::new(role_arn.into()),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
        }
    }

    /// From `env`, when its three variables are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        let mut p = Self::new(
            env.get(ENV_ROLE_ARN)?,
            env.get(ENV_OIDC_PROVIDER_ARN)?,
            env.get(ENV_OIDC_TOKEN_FILE)?,
        )
        .endpoint(StsEndpoint::from_env(env));
        if let Some(name) = env.get(ENV_ROLE_SESSION_NAME) {
            p = p.session_name(name);
        }
        Some(p)
    }

    role_session_setters!();
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            const NAME: &str = "oidc-role";
            let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
                CredentialsError::Invalid {
                    provider: NAME,
                    reason: format!(
                        "cannot read the OIDC token file {}",
                        self.token_file.display()
                    ),
                    source: Some(Box::new(e)),
                }
            })?;
            let mut fields = self.session.fields();
            fields.insert("OIDCProviderArn".into(), json!(self.provider_arn));
            fields.insert("OIDCToken".into(), json!(token.trim()));
            sts(
                NAME,
                context,
                &self.session.endpoint,
                "AssumeRoleWithOIDC",
                fields,
                None,
            )
            .await
        })
    }

    fn name(&self) -> &'static str {
        "oidc-role"
    }
}
