//! Credentials and where they come from.
//!
//! [`Credentials`] are an AccessKey pair (with an STS token for temporary ones) whose secret
//! parts never show in `Debug` output. A [`ProvideCredentials`] implementation finds them: fixed
//! ones, the environment, the CLI's profile file, the ECS instance's RAM role, an OIDC token
//! (ACK RRSA), an STS role, a credentials URI, or the [`DefaultChain`] of those in the order
//! Alibaba's credential libraries use. A [`Config`](crate::Config) holds a provider behind a
//! [`CredentialsCache`], which fetches credentials at the first call and again shortly before
//! they expire, one fetch at a time however many calls wait for it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, KeyInit};
use sha2::Sha256;

use super::config::ConfigError;

mod chain;
mod profile;
#[cfg(feature = "client")]
mod remote;

pub use chain::{DefaultChain, ENV_CLI_PROFILE_DISABLED, Env, EnvironmentProvider};
pub use profile::{
    CliProfileProvider, ENV_CREDENTIALS_FILE, ENV_PROFILE, IniProfileProvider, Profile,
};
#[cfg(feature = "client")]
pub use remote::{
    AssumeRoleProvider, ENV_CREDENTIALS_URI, ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED,
    ENV_IMDSV1_DISABLED, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN,
    ENV_ROLE_SESSION_NAME, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, EcsRamRoleProvider,
    OidcRoleProvider, StsEndpoint, UriProvider,
};

/// The environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The environment variable holding an STS security token (optional).
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// A string that is never printed.
#[derive(Clone, PartialEq, Eq)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"** redacted **\"")
    }
}

/// The AccessKey secret, and the HMAC-SHA256 keyed with it. Keying costs two SHA-256 blocks;
/// it is paid here, once, instead of on every signature. Neither part is ever printed, and
/// two are equal when their texts are (the key follows from the text).
#[derive(Clone)]
struct SigningSecret {
    text: Secret,
    /// Shared: credentials are cloned for every call, the keyed state is 200-odd bytes.
    keyed: Arc<Hmac<Sha256>>,
}

impl SigningSecret {
    fn new(text: String) -> Self {
        let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(text.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Self {
            text: Secret(text),
            keyed: Arc::new(keyed),
        }
    }
}

impl PartialEq for SigningSecret {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for SigningSecret {}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text.fmt(f)
    }
}

/// An AccessKey pair, with an STS security token for temporary credentials.
///
/// `Debug` shows the AccessKey ID only; the secret and the token are redacted.
///
/// ```
/// let credentials = sdk_runtime::Credentials::new("LTAI-id", "the-secret", None);
/// assert!(!format!("{credentials:?}").contains("the-secret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: SigningSecret,
    security_token: Option<Secret>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from an AccessKey pair, and the security token when they are STS
    /// credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: SigningSecret::new(access_key_secret.into()),
            security_token: security_token.map(Secret),
            expiration: None,
        }
    }

    /// The same credentials, valid until `expiration` (temporary credentials).
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// When the credentials stop working, for temporary ones.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, when set,
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`. Empty values
    /// count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let read = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());
        let missing: Vec<&'static str> = [ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET]
            .into_iter()
            .filter(|name| read(name).is_none())
            .collect();
        match (read(ENV_ACCESS_KEY_ID), read(ENV_ACCESS_KEY_SECRET)) {
            (Some(id), Some(secret)) => Ok(Self::new(id, secret, read(ENV_SECURITY_TOKEN))),
            _ => Err(ConfigError::MissingEnv { missing }),
        }
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret. Handle with care: this is what signs requests.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret.text.0
    }

    /// The HMAC-SHA256 keyed with the AccessKey secret, to sign with.
    pub(crate) fn signing_mac(&self) -> Hmac<Sha256> {
        Hmac::clone(&self.access_key_secret.keyed)
    }

    /// The STS security token, for temporary credentials.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(|s| s.0.as_str())
    }

    /// Checks that each part can be sent as it is: none is empty, each is printable ASCII
    /// without white space, and the AccessKey ID holds neither `,` nor `=` (which would split
    /// the `Authorization` header). The error names the part and the problem, never the value.
    pub fn check(&self) -> Result<(), InvalidCredentials> {
        check_part("access_key_id", &self.access_key_id)?;
        if let Some(at) = self.access_key_id.find([',', '=']) {
            return Err(InvalidCredentials {
                field: "access_key_id",
                problem: format!(
                    "holds {:?} at byte {at}, which would break the Authorization header",
                    &self.access_key_id[at..=at]
                ),
            });
        }
        check_part("access_key_secret", &self.access_key_secret.text.0)?;
        if let Some(token) = &self.security_token {
            check_part("security_token", &token.0)?;
        }
        Ok(())
    }
}

/// Why credentials cannot be used: which part, and what is wrong with it (never the value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid credentials: {field} {problem}")]
pub struct InvalidCredentials {
    /// The part: `access_key_id`, `access_key_secret` or `security_token`.
    pub field: &'static str,
    /// What is wrong.
    pub problem: String,
}

fn check_part(field: &'static str, value: &str) -> Result<(), InvalidCredentials> {
    let invalid = |problem: String| Err(InvalidCredentials { field, problem });
    if value.is_empty() {
        return invalid("is empty".to_owned());
    }
    match value.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
        Some((at, c)) if c.is_ascii_whitespace() || c.is_ascii_control() => invalid(format!(
            "holds a space or control character at byte {at} (a pasted line end?)"
        )),
        Some((at, _)) => invalid(format!(
            "holds a non-ASCII character at byte {at}; credentials are ASCII"
        )),
        None => Ok(()),
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .field(
                "expiration",
                &self.expiration.map(humantime::format_rfc3339_seconds),
            )
            .finish()
    }
}

/// Why no credentials could be had, with the cause; never holding a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No provider of the chain found credentials: what each said, in order.
    #[error("no credentials found; {}", tried.join("; "))]
    NotFound {
        /// Each provider's name and why it had none.
        tried: Vec<String>,
    },
    /// A provider has no credentials to give (its source is absent or switched off); the
    /// chain goes on to the next.
    #[error("{provider}: {reason}")]
    Unavailable {
        /// The provider.
        provider: &'static str,
        /// Why.
        reason: String,
    },
    /// A source exists but is wrong: an unreadable or malformed profile file, an unknown mode,
    /// a missing setting. The chain stops here: this is a mistake to fix, not a source to skip.
    #[error("{provider}: {reason}")]
    Invalid {
        /// The provider.
        provider: &'static str,
        /// What is wrong.
        reason: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Fetching credentials failed: the metadata service, the credentials URI or STS
    /// answered with an error or not at all.
    #[error("{provider}: {reason}")]
    Fetch {
        /// The provider.
        provider: &'static str,
        /// What failed.
        reason: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The credentials found cannot be sent as they are.
    #[error(transparent)]
    InvalidCredentials(#[from] InvalidCredentials),
}

impl CredentialsError {
    /// Whether the chain should try the next provider (this one has no source).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }
}

/// What credentials providers may use to fetch credentials: the HTTP client of the
/// configuration, the operations of the SDK crate (STS `AssumeRole` and
/// `AssumeRoleWithOIDC` among them, for role providers), and the configuration's timeouts.
#[derive(Debug, Clone)]
pub struct ProviderContext {
    #[cfg(feature = "client")]
    pub(crate) http: reqwest::Client,
    pub(crate) operations: crate::operation::Operations,
    pub(crate) timeout: Duration,
}

impl ProviderContext {
    /// The operations the SDK crate compiles in.
    pub fn operations(&self) -> crate::operation::Operations {
        self.operations
    }

    /// The time allowed for one fetch.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// A future of credentials, as providers return it.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Implement it to bring your own; the SDK's providers are listed in
/// the module docs.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Fetches credentials (the [`CredentialsCache`] decides when).
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a>;

    /// A short name for reports (`environment`, `ecs-ram-role`).
    fn name(&self) -> &'static str;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(&'a self, _: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }

    fn name(&self) -> &'static str {
        "static"
    }
}

/// How long before they expire credentials are fetched again: a quarter of their lifetime,
/// at most 15 minutes (as Alibaba's libraries do for ECS role credentials), at least 10 s.
#[cfg(feature = "client")]
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 4).clamp(Duration::from_secs(10), Duration::from_secs(15 * 60))
}

/// Credentials from a provider, fetched at the first call and again when they come within a
/// margin of their expiration (a quarter of their lifetime, at most 15 minutes). Callers that
/// arrive during a fetch wait for it; one fetch runs at a time. When a refresh fails while the
/// cached credentials are still valid, those are used and the refresh is tried again at the
/// next call.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    #[cfg(feature = "client")]
    state: tokio::sync::Mutex<Option<Cached>>,
}

#[cfg(feature = "client")]
#[derive(Debug)]
struct Cached {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
}

impl CredentialsCache {
    /// A cache in front of `provider`.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            provider,
            #[cfg(feature = "client")]
            state: tokio::sync::Mutex::new(None),
        }
    }

    /// The provider.
    pub fn provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.provider
    }

    /// Credentials good for a call now, fetched if there are none or they are due.
    #[cfg(feature = "client")]
    pub async fn credentials(
        &self,
        context: &ProviderContext,
    ) -> Result<Credentials, CredentialsError> {
        let now = SystemTime::now();
        let mut state = self.state.lock().await;
        if let Some(cached) = state.as_ref()
            && cached.refresh_at.is_none_or(|at| now < at)
        {
            return Ok(cached.credentials.clone());
        }
        match self.provider.provide_credentials(context).await {
            Ok(credentials) => {
                credentials.check()?;
                let refresh_at = credentials.expiration.map(|expiry| {
                    let lifetime = expiry.duration_since(now).unwrap_or_default();
                    expiry - refresh_margin(lifetime).min(lifetime)
                });
                *state = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(error) => match state.as_ref() {
                // Still valid: use them, and try again next time.
                Some(cached)
                    if cached
                        .credentials
                        .expiration
                        .is_some_and(|expiry| now < expiry) =>
                {
                    Ok(cached.credentials.clone())
                }
                _ => Err(error),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn reads_the_conventional_variables() {
        let c = Credentials::from_lookup(lookup(&[
            (ENV_ACCESS_KEY_ID, "id"),
            (ENV_ACCESS_KEY_SECRET, "secret"),
            (ENV_SECURITY_TOKEN, "token"),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::new("id", "secret", Some("token".into())));
    }

    #[test]
    fn names_every_missing_variable_and_treats_empty_as_unset() {
        let err = Credentials::from_lookup(lookup(&[(ENV_ACCESS_KEY_ID, " ")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "credentials not found: set ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        );
    }

    #[test]
    fn unusable_parts_are_named_without_their_values() {
        let problem = |c: Credentials| c.check().unwrap_err().to_string();
        let token = |t: &str| Credentials::new("id", "secret", Some(t.to_owned()));
        for (credentials, expected) in [
            (
                Credentials::new("", "s3cr3t", None),
                "invalid credentials: access_key_id is empty",
            ),
            (
                Credentials::new("LTAI,x", "s3cr3t", None),
                "invalid credentials: access_key_id holds \",\" at byte 4, which would break the Authorization header",
            ),
            (
                Credentials::new("LTAI=x", "s3cr3t", None),
                "invalid credentials: access_key_id holds \"=\" at byte 4, which would break the Authorization header",
            ),
            (
                Credentials::new("LTAI x", "s3cr3t", None),
                "invalid credentials: access_key_id holds a space or control character at byte 4 (a pasted line end?)",
            ),
            (
                Credentials::new("LTAIé", "s3cr3t", None),
                "invalid credentials: access_key_id holds a non-ASCII character at byte 4; credentials are ASCII",
            ),
            (
                Credentials::new("id", "", None),
                "invalid credentials: access_key_secret is empty",
            ),
            (
                Credentials::new("id", "s3cr3t\n", None),
                "invalid credentials: access_key_secret holds a space or control character at byte 6 (a pasted line end?)",
            ),
            (token(""), "invalid credentials: security_token is empty"),
            (
                token("t\u{7f}"),
                "invalid credentials: security_token holds a space or control character at byte 1 (a pasted line end?)",
            ),
            (
                token("tök"),
                "invalid credentials: security_token holds a non-ASCII character at byte 1; credentials are ASCII",
            ),
        ] {
            let shown = problem(credentials);
            assert_eq!(shown, expected);
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
        assert_eq!(token("STS.token/+=").check(), Ok(()));
        assert_eq!(Credentials::new("STS.NU1d", "s/+=", None).check(), Ok(()));
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("id", "s3cr3t", Some("t0k3n".into()));
        let shown = format!("{c:?} {c:#?}");
        assert!(shown.contains("id"));
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("t0k3n"),
            "{shown}"
        );
    }
}
