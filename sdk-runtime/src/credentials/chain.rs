//! The environment as a source of settings, the environment-variable provider, and the default
//! chain.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::{
    Credentials, CredentialsError, CredentialsFuture, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_SECURITY_TOKEN, ProvideCredentials, ProviderContext,
};

/// Where providers read their settings: the process environment, or a set of variables given
/// in code (tests, and programs that keep settings elsewhere). Empty values count as unset.
#[derive(Clone)]
pub struct Env(Arc<Lookup>);

/// How an [`Env`] reads a variable.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env")
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self(Arc::new(|name| std::env::var(name).ok()))
    }

    /// Variables looked up through `lookup`.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(lookup))
    }

    /// These variables and no others.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self::from_fn(move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// The variable `name`, trimmed; `None` when unset or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Whether the variable `name` is `true` (any case).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home folder: `HOME`, else `USERPROFILE` (Windows).
    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for
/// STS credentials, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads `env`.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the variables hold.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let missing: Vec<&str> = [ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET]
            .into_iter()
            .filter(|name| self.env.get(name).is_none())
            .collect();
        match (
            self.env.get(ENV_ACCESS_KEY_ID),
            self.env.get(ENV_ACCESS_KEY_SECRET),
        ) {
            (Some(id), Some(secret)) => Ok(Credentials::new(
                id,
                secret,
                self.env.get(ENV_SECURITY_TOKEN),
            )),
            _ => Err(CredentialsError::Unavailable {
                provider: "environment",
                reason: format!("{} unset", missing.join(" and ")),
            }),
        }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials<'a>(&'a self, _: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(std::future::ready(self.read()))
    }

    fn name(&self) -> &'static str {
        "environment"
    }
}

/// The variable that turns the CLI profile file off in the default chain (`true`).
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// The credential providers in the order Alibaba's credential libraries try them
/// (credentials-python's and credentials-go's default provider):
///
/// 1. the environment ([`EnvironmentProvider`]);
/// 2. an OIDC role, when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set (ACK RRSA; [`OidcRoleProvider`](super::OidcRoleProvider));
/// 3. the CLI's profile file `~/.aliyun/config.json` ([`CliProfileProvider`](super::CliProfileProvider)),
///    unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED` is `true`;
/// 4. the credentials file `~/.alibabacloud/credentials` or `ALIBABA_CLOUD_CREDENTIALS_FILE`
///    ([`IniProfileProvider`](super::IniProfileProvider));
/// 5. the ECS instance's RAM role ([`EcsRamRoleProvider`](super::EcsRamRoleProvider)), unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED` is `true`;
/// 6. a credentials URI, when `ALIBABA_CLOUD_CREDENTIALS_URI` is set
///    ([`UriProvider`](super::UriProvider)).
///
/// The first that gives credentials wins, and is asked again at each refresh; when none does,
/// the error says what each one found. Without the `client` feature only the providers that
/// need no network (1, 3 and 4 with fixed keys) are tried.
#[derive(Debug)]
pub struct DefaultChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    last: Mutex<Option<usize>>,
}

impl DefaultChain {
    /// The chain, configured from the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The chain, configured from `env`.
    pub fn with_env(env: Env) -> Self {
        let mut providers: Vec<Arc<dyn ProvideCredentials>> =
            vec![Arc::new(EnvironmentProvider::with_env(env.clone()))];
        #[cfg(feature = "client")]
        if let Some(oidc) = super::OidcRoleProvider::from_env(&env) {
            providers.push(Arc::new(oidc));
        }
        if !env.is_true(ENV_CLI_PROFILE_DISABLED) {
            providers.push(Arc::new(super::CliProfileProvider::with_env(env.clone())));
        }
        providers.push(Arc::new(super::IniProfileProvider::with_env(env.clone())));
        #[cfg(feature = "client")]
        {
            if !env.is_true(super::ENV_ECS_METADATA_DISABLED) {
                providers.push(Arc::new(super::EcsRamRoleProvider::from_env(&env)));
            }
            if let Some(uri) = env.get(super::ENV_CREDENTIALS_URI) {
                providers.push(Arc::new(super::UriProvider::new(uri)));
            }
        }
        Self::from_providers(providers)
    }

    /// A chain of these providers, tried in order.
    pub fn from_providers(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        Self {
            providers,
            last: Mutex::new(None),
        }
    }

    /// The providers' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            let last = *self.last.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = last
                && let Some(provider) = self.providers.get(i)
            {
                return provider.provide_credentials(context).await;
            }
            let mut tried = Vec::new();
            for (i, provider) in self.providers.iter().enumerate() {
                match provider.provide_credentials(context).await {
                    Ok(credentials) => {
                        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(i);
                        return Ok(credentials);
                    }
                    Err(e) => tried.push(e.to_string()),
                }
            }
            Err(CredentialsError::NotFound { tried })
        })
    }

    fn name(&self) -> &'static str {
        "default-chain"
    }
}
