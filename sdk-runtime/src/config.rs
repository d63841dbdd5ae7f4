//! Client configuration: credentials, region, endpoint, retries, timeouts.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::credentials::{
    Credentials, CredentialsCache, DefaultChain, Env, InvalidCredentials, ProvideCredentials,
};
use super::operation::{EndpointRule, OperationSpec, Operations};
#[cfg(feature = "client")]
use super::retry::RetryBudget;

/// The environment variable holding the default region.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The call needs fixed credentials and the configuration has a provider: the sans-IO
    /// functions sign with credentials given to them (resolve them first).
    #[error(
        "this configuration gets its credentials from a provider; resolve them (Config::resolve_credentials) and sign with them"
    )]
    MissingCredentials,
    /// Credential environment variables are unset.
    #[error("credentials not found: set {}", missing.join(", "))]
    MissingEnv {
        /// The variables that are unset or empty.
        missing: Vec<&'static str>,
    },
    /// A part of the credentials cannot be sent as it is (empty, white space, non-ASCII, ...).
    #[error(transparent)]
    InvalidCredentials(#[from] InvalidCredentials),
    /// The endpoint override is not a usable URL.
    #[error("invalid endpoint {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The endpoint is plain `http` and [`ConfigBuilder::allow_http`] was not set: requests and
    /// their signatures would travel unencrypted, open to anyone on the path.
    #[error(
        "the endpoint {endpoint:?} is plain http: use https, or call ConfigBuilder::allow_http(true) for a local test server"
    )]
    InsecureEndpoint {
        /// The endpoint as given.
        endpoint: String,
    },
    /// The operation's endpoint depends on the region, and none is configured.
    #[error("{action} is served per region: configure a region (or an endpoint)")]
    MissingRegion {
        /// The operation.
        action: &'static str,
    },
    /// The operation is served by one host per site, and none is for the configured site.
    #[error("{action} is served at the sites {}, not {site:?}", sites.join(", "))]
    UnknownSite {
        /// The operation.
        action: &'static str,
        /// The configured site.
        site: String,
        /// The sites the operation is served at.
        sites: Vec<&'static str>,
    },
    /// The region is not a plain region ID.
    #[error("invalid region {0:?}: a region ID holds lower-case letters, digits and '-'")]
    InvalidRegion(String),
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    HttpClient(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A root certificate or proxy setting is not usable.
    #[error("invalid {what}: {reason}")]
    InvalidNetworkSetting {
        /// The setting.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The operation has no endpoint for the configured network.
    #[error("{action} lists no {network} endpoint for region {region:?}")]
    NoNetworkEndpoint {
        /// The operation.
        action: &'static str,
        /// The network.
        network: &'static str,
        /// The region.
        region: Option<String>,
    },
}

/// Where requests are signed from: fixed credentials, a provider behind a cache, or nothing
/// (anonymous operations only).
#[derive(Clone)]
pub(crate) enum CredentialsSource {
    Static(Credentials),
    Provider(Arc<CredentialsCache>),
    Unsigned,
}

impl fmt::Debug for CredentialsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Static(c) => c.fmt(f),
            Self::Provider(cache) => write!(f, "provider {:?}", cache.provider().name()),
            Self::Unsigned => f.write_str("unsigned"),
        }
    }
}

/// Which network endpoints are used: the public ones, or those reachable from the region's
/// VPCs (`ecs-vpc.cn-hangzhou.aliyuncs.com`), where the product's endpoint data has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Network {
    /// The public endpoints (default).
    #[default]
    Public,
    /// The VPC endpoints.
    Vpc,
}

/// Which certificate authorities HTTPS trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TlsRoots {
    /// The Mozilla roots bundled with the SDK (default): the same on every machine.
    #[default]
    Bundled,
    /// The operating system's trust store (a corporate TLS-inspecting proxy's root included).
    Native,
    /// Both.
    BundledAndNative,
}

/// When and how often a failed call is repeated; see [`Caller::call`](super::Caller::call) for
/// which failures are repeated for which operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 = no retries). Default 3.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles each retry. Default 200 ms.
    pub initial_backoff: Duration,
    /// The longest backoff. Default 10 s.
    pub max_backoff: Duration,
    /// The retry budget: tokens shared by every call made with one [`Config`] (and its clones).
    /// A retry takes [`RETRY_COST`] tokens ([`TIMEOUT_RETRY_COST`] after a timeout) and is not
    /// made when the budget cannot pay; a call that succeeds gives back what its retries took,
    /// a first-attempt success adds one token. So a failing service is not hit again by every
    /// caller. Default 500 (100 retries in a row of failures).
    pub budget: u32,
}

/// The tokens a retry takes from the [budget](RetryConfig::budget).
pub const RETRY_COST: u32 = 5;
/// The tokens a retry after a timeout takes from the [budget](RetryConfig::budget).
pub const TIMEOUT_RETRY_COST: u32 = 10;

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            budget: 500,
        }
    }
}

impl RetryConfig {
    /// The backoff ceiling before retry number `retry` (1-based): the initial backoff doubled
    /// per earlier retry, capped. The wait is drawn from its upper half (jitter).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The wait before retry number `retry`: uniformly random in the upper half of
    /// [`backoff_ceiling`](Self::backoff_ceiling), so concurrent clients spread out.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let half = ceiling / 2;
        let span = u64::try_from((ceiling - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(fastrand::u64(0..=span))
    }
}

/// How large a reply may be. A reply past its limit fails the call with
/// [`TransportErrorKind::TooLarge`](super::TransportErrorKind::TooLarge) as soon as the limit is
/// passed (or at once, when `Content-Length` announces it), so memory stays bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest success body, in bytes. Default 64 MiB: the largest list replies (a page of
    /// 100 ECS instances, a bill of 300 items) are a few MiB.
    pub response_body: usize,
    /// The largest error (non-2xx) body, in bytes. Default 1 MiB: error bodies are small JSON
    /// or XML documents, or a proxy's HTML page.
    pub error_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            response_body: 64 << 20,
            error_body: 1 << 20,
        }
    }
}

/// Timeouts. Defaults: connect 5 s, each attempt 30 s, the whole call (retries and backoff
/// included) 120 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Establishing a connection.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole response.
    pub attempt: Duration,
    /// The whole call, retries and backoff included.
    pub operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            operation: Duration::from_secs(120),
        }
    }
}

/// Where requests go when the endpoint is overridden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EndpointOverride {
    scheme: String,
    authority: String,
}

impl EndpointOverride {
    fn parse(endpoint: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            reason: reason.to_owned(),
        };
        let with_scheme = if endpoint.contains("://") {
            endpoint.to_owned()
        } else {
            format!("https://{endpoint}")
        };
        let uri: http::Uri = with_scheme
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        let scheme = match uri.scheme_str() {
            Some(s @ ("http" | "https")) => s.to_owned(),
            _ => return Err(invalid("the scheme must be http or https")),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| invalid("no host"))?
            .to_string();
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(invalid("give scheme, host and port only, no path or query"));
        }
        Ok(Self { scheme, authority })
    }
}

/// Settings shared by every product client: clone it freely (clones share one connection pool).
///
/// ```
/// use sdk_runtime::{Config, Credentials};
///
/// let config = Config::builder()
///     .credentials(Credentials::new("id", "secret", None))
///     .region("cn-hangzhou")
///     .build()?;
/// assert_eq!(config.region(), Some("cn-hangzhou"));
/// # Ok::<(), sdk_runtime::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: CredentialsSource,
    pub(crate) network: Network,
    pub(crate) operations: Operations,
    pub(crate) app_name: Option<String>,
    pub(crate) sdk_name: &'static str,
    /// The User-Agent header for `sdk_name` and `app_name`, made once; `None` when the
    /// application name cannot be sent in a header (a request then fails naming it).
    user_agent: Option<http::HeaderValue>,
    pub(crate) region: Option<String>,
    pub(crate) site: Option<String>,
    pub(crate) endpoint: Option<EndpointOverride>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) limits: Limits,
    pub(crate) validate_requests: bool,
    pub(crate) allow_http: bool,
    #[cfg(feature = "client")]
    pub(crate) http: Arc<HttpClients>,
    #[cfg(feature = "client")]
    pub(crate) budget: std::sync::Arc<RetryBudget>,
}

/// The HTTP clients of a configuration, built at first use from its settings: one for calls
/// (HTTPS only unless plain HTTP is allowed) and one for credential providers (which may reach
/// a plain-HTTP metadata service). A client the user gives serves both.
#[cfg(feature = "client")]
pub(crate) struct HttpClients {
    given: Option<reqwest::Client>,
    connect_timeout: Duration,
    https_only: bool,
    tls_roots: TlsRoots,
    certificates: Vec<reqwest::Certificate>,
    proxy: Option<reqwest::Proxy>,
    no_proxy: bool,
    main: std::sync::OnceLock<Result<reqwest::Client, String>>,
    provider: std::sync::OnceLock<Result<reqwest::Client, String>>,
}

#[cfg(feature = "client")]
impl fmt::Debug for HttpClients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClients")
            .field("given", &self.given.is_some())
            .field("tls_roots", &self.tls_roots)
            .field("proxy", &self.proxy.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "client")]
impl HttpClients {
    fn build(&self, https_only: bool) -> Result<reqwest::Client, String> {
        if let Some(given) = &self.given {
            return Ok(given.clone());
        }
        let mut b = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .https_only(https_only);
        b = match self.tls_roots {
            TlsRoots::Bundled => b,
            TlsRoots::Native => b
                .tls_built_in_webpki_certs(false)
                .tls_built_in_native_certs(true),
            TlsRoots::BundledAndNative => b.tls_built_in_native_certs(true),
        };
        for cert in &self.certificates {
            b = b.add_root_certificate(cert.clone());
        }
        if self.no_proxy {
            b = b.no_proxy();
        }
        if let Some(proxy) = &self.proxy {
            b = b.proxy(proxy.clone());
        }
        b.build().map_err(|e| e.to_string())
    }

    /// The client for calls.
    pub(crate) fn main(&self) -> Result<reqwest::Client, ConfigError> {
        self.main
            .get_or_init(|| self.build(self.https_only))
            .clone()
            .map_err(|e| ConfigError::HttpClient(e.into()))
    }

    /// The client for credential providers.
    pub(crate) fn provider(&self) -> Result<reqwest::Client, ConfigError> {
        self.provider
            .get_or_init(|| self.build(false))
            .clone()
            .map_err(|e| ConfigError::HttpClient(e.into()))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("site", &self.site)
            .field("network", &self.network)
            .field("endpoint", &self.endpoint)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("limits", &self.limits)
            .field("validate_requests", &self.validate_requests)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder: every setting has a default; without credentials, the [`DefaultChain`]
    /// finds them at the first call.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region from `ALIBABA_CLOUD_REGION_ID` (else the `region_id` of the CLI profile in
    /// use, as the `aliyun` CLI does), and credentials from the [`DefaultChain`] (environment,
    /// OIDC role, CLI profile, credentials file, ECS RAM role, credentials URI), found at the
    /// first call and refreshed before they expire.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(Env::process())
    }

    /// As [`from_env`](Self::from_env), reading variables from `env`.
    pub fn from_env_with(env: Env) -> Result<Self, ConfigError> {
        let mut builder = Self::builder().credentials_provider(DefaultChain::with_env(env.clone()));
        let region = env.get(ENV_REGION_ID).or_else(|| {
            if env.is_true(crate::credentials::ENV_CLI_PROFILE_DISABLED) {
                None
            } else {
                crate::credentials::CliProfileProvider::with_env(env.clone()).region()
            }
        });
        if let Some(region) = region {
            builder = builder.region(region);
        }
        builder.build()
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<Self, ConfigError> {
        Self::from_env_with(Env::from_fn(lookup))
    }

    /// The fixed credentials, where the configuration has them (not a provider).
    pub fn static_credentials(&self) -> Option<&Credentials> {
        match &self.credentials {
            CredentialsSource::Static(c) => Some(c),
            _ => None,
        }
    }

    /// The credentials provider, where the configuration has one.
    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        match &self.credentials {
            CredentialsSource::Provider(cache) => Some(cache.provider()),
            _ => None,
        }
    }

    /// The same configuration, with the operations the SDK crate compiles in and the SDK
    /// crate's name and version for the User-Agent (product clients set them; credential
    /// providers find the STS operations there).
    #[doc(hidden)]
    pub fn with_sdk(mut self, sdk_name: &'static str, operations: Operations) -> Self {
        if self.operations.is_empty() {
            self.operations = operations;
        }
        self.sdk_name = sdk_name;
        self.make_user_agent();
        self
    }

    /// Makes the User-Agent header of `sdk_name` and `app_name` once, for every request.
    fn make_user_agent(&mut self) {
        self.user_agent = http::HeaderValue::try_from(self.user_agent(self.sdk_name)).ok();
    }

    /// The User-Agent header requests carry (see [`user_agent`](Self::user_agent)), or the
    /// reason it cannot be sent.
    pub(crate) fn user_agent_header(&self) -> Result<http::HeaderValue, http::Error> {
        match &self.user_agent {
            Some(value) => Ok(value.clone()),
            None => http::HeaderValue::try_from(self.user_agent(self.sdk_name)).map_err(Into::into),
        }
    }

    /// Credentials for a call now: the fixed ones, or the provider's (fetched when due).
    #[cfg(feature = "client")]
    pub async fn resolve_credentials(
        &self,
    ) -> Result<Credentials, super::credentials::CredentialsError> {
        match &self.credentials {
            CredentialsSource::Static(c) => Ok(c.clone()),
            CredentialsSource::Provider(cache) => {
                let context = self.provider_context().map_err(|e| {
                    super::credentials::CredentialsError::Invalid {
                        provider: "configuration",
                        reason: "cannot set up the providers' HTTP client".to_owned(),
                        source: Some(Box::new(e)),
                    }
                })?;
                cache.credentials(&context).await
            }
            CredentialsSource::Unsigned => Err(super::credentials::CredentialsError::Unavailable {
                provider: "unsigned",
                reason: "this configuration signs nothing (anonymous operations only)".to_owned(),
            }),
        }
    }

    /// What providers may use: the HTTP client, the operations, the timeout of one fetch (for
    /// calling a provider directly).
    #[cfg(feature = "client")]
    pub fn provider_context(&self) -> Result<super::credentials::ProviderContext, ConfigError> {
        Ok(super::credentials::ProviderContext {
            http: self.http.provider()?,
            operations: self.operations,
            timeout: self.timeouts.attempt,
        })
    }

    /// The network whose endpoints are used.
    pub fn network(&self) -> Network {
        self.network
    }

    /// The User-Agent requests carry: the SDK, the runtime, the OS and architecture, and the
    /// application's name where one is set.
    pub fn user_agent(&self, sdk: &str) -> String {
        let runtime = concat!("sdk-runtime/", env!("CARGO_PKG_VERSION"));
        let mut ua = if sdk == "sdk-runtime" {
            runtime.to_owned()
        } else {
            format!("{sdk} {runtime}")
        };
        ua.push_str(&format!(
            " ({}; {}) rust",
            std::env::consts::OS,
            std::env::consts::ARCH
        ));
        if let Some(app) = &self.app_name {
            ua.push(' ');
            ua.push_str(app);
        }
        ua
    }

    /// The region, if one is set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The site for products served by one host per site, if one is set.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The reply size limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether a plain `http` endpoint is allowed.
    pub fn allows_http(&self) -> bool {
        self.allow_http
    }

    /// Whether requests are checked against the page's rules before they are sent.
    pub fn validates_requests(&self) -> bool {
        self.validate_requests
    }

    /// The scheme and authority (`host[:port]`) requests for `spec` go to: the override, or
    /// the host the operation's rule gives for the configured region (a region the rule lists
    /// on its own first) or site.
    pub fn endpoint_for(&self, spec: &OperationSpec) -> Result<(String, String), ConfigError> {
        self.endpoint_parts(spec)
            .map(|(scheme, authority)| (scheme.to_owned(), authority.into_owned()))
    }

    /// As [`endpoint_for`](Self::endpoint_for), borrowing what needs no new text (every
    /// host but a regional pattern's).
    pub(crate) fn endpoint_parts(
        &self,
        spec: &OperationSpec,
    ) -> Result<(&str, Cow<'_, str>), ConfigError> {
        if let Some(e) = &self.endpoint {
            return Ok((&e.scheme, Cow::Borrowed(&e.authority)));
        }
        let listed = |regions: &[(&'static str, &'static str)]| {
            let region = self.region.as_deref()?;
            regions.iter().find(|(r, _)| *r == region).map(|(_, h)| *h)
        };
        if self.network == Network::Vpc {
            let region = self.region.clone();
            let vpc = match spec.endpoint {
                EndpointRule::Regional { vpc, .. } | EndpointRule::Global { vpc, .. } => vpc,
            };
            let host = region
                .as_deref()
                .and_then(|r| vpc.iter().find(|(name, _)| *name == r).map(|(_, h)| *h));
            return match host {
                Some(h) => Ok(("https", Cow::Borrowed(h))),
                None => Err(ConfigError::NoNetworkEndpoint {
                    action: spec.action,
                    network: "VPC",
                    region,
                }),
            };
        }
        let host = match spec.endpoint {
            EndpointRule::Regional { host, regions, .. } => {
                let region = self.region.as_deref().ok_or(ConfigError::MissingRegion {
                    action: spec.action,
                })?;
                match listed(regions) {
                    Some(own) => Cow::Borrowed(own),
                    None => Cow::Owned(host.replace("{region}", region)),
                }
            }
            EndpointRule::Global { regions, .. }
                if self.site.is_none() && listed(regions).is_some() =>
            {
                Cow::Borrowed(listed(regions).unwrap_or_default())
            }
            EndpointRule::Global { hosts, .. } => {
                let chosen = match (hosts, self.site.as_deref()) {
                    // One host serves every site.
                    ([only], _) => Some(only),
                    (hosts, Some(site)) => hosts.iter().find(|h| h.site == site),
                    (hosts, None) => hosts.first(),
                };
                match (chosen, &self.site) {
                    (Some(h), _) => Cow::Borrowed(h.host),
                    (None, Some(site)) => {
                        return Err(ConfigError::UnknownSite {
                            action: spec.action,
                            site: site.clone(),
                            sites: hosts.iter().map(|h| h.site).collect(),
                        });
                    }
                    (None, None) => {
                        return Err(ConfigError::InvalidEndpoint {
                            endpoint: String::new(),
                            reason: format!("{} lists no endpoint host", spec.action),
                        });
                    }
                }
            }
        };
        Ok(("https", host))
    }
}

/// Builds a [`Config`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    credentials: Option<CredentialsSource>,
    network: Network,
    app_name: Option<String>,
    operations: Operations,
    tls_roots: TlsRoots,
    root_certificates: Vec<Vec<u8>>,
    proxy: Option<String>,
    no_proxy: bool,
    #[cfg(feature = "client")]
    http_client: Option<reqwest::Client>,
    region: Option<String>,
    site: Option<String>,
    endpoint: Option<String>,
    retry: RetryConfig,
    timeouts: Timeouts,
    limits: Limits,
    validate_requests: bool,
    allow_http: bool,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            network: Network::Public,
            app_name: None,
            operations: &[],
            tls_roots: TlsRoots::Bundled,
            root_certificates: Vec::new(),
            proxy: None,
            no_proxy: false,
            #[cfg(feature = "client")]
            http_client: None,
            region: None,
            site: None,
            endpoint: None,
            retry: RetryConfig::default(),
            timeouts: Timeouts::default(),
            limits: Limits::default(),
            validate_requests: true,
            allow_http: false,
        }
    }
}

impl ConfigBuilder {
    /// Fixed credentials that sign requests (without any, the [`DefaultChain`] finds them).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(credentials));
        self
    }

    /// A credentials provider, behind a cache that fetches at the first call and again before
    /// the credentials expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        let cache = CredentialsCache::new(Arc::new(provider));
        self.credentials = Some(CredentialsSource::Provider(Arc::new(cache)));
        self
    }

    /// Signs nothing: for anonymous operations only (STS `AssumeRoleWithOIDC`).
    #[doc(hidden)]
    pub fn unsigned(mut self) -> Self {
        self.credentials = Some(CredentialsSource::Unsigned);
        self
    }

    /// The endpoints of this network: [`Network::Vpc`] for VPC endpoints.
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// An application name (`my-app/1.2`) appended to the User-Agent.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// The operations the SDK crate compiles in (product clients set them).
    #[doc(hidden)]
    pub fn operations(mut self, operations: Operations) -> Self {
        self.operations = operations;
        self
    }

    /// Which certificate authorities HTTPS trusts (default: the bundled Mozilla roots).
    pub fn tls_roots(mut self, roots: TlsRoots) -> Self {
        self.tls_roots = roots;
        self
    }

    /// Trusts this root certificate (PEM or DER) as well, e.g. a corporate proxy's.
    pub fn add_root_certificate(mut self, certificate: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(certificate.into());
        self
    }

    /// Sends every request through this proxy (`http://host:port`, `socks5://...` where
    /// supported), instead of the one the environment (`HTTPS_PROXY`) names.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores the proxy variables of the environment.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Sends requests with this HTTP client instead of one built from the settings above.
    /// It should not follow redirects (a redirect is returned as an error) and should time out
    /// its connects; the TLS, proxy and connect-timeout settings of this builder do not apply.
    #[cfg(feature = "client")]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The region (`cn-hangzhou`): picks the endpoint of per-region products.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The site (`china`, `international`) for products served by one host per site, whatever
    /// the region (BssOpenApi: `business.aliyuncs.com` for `china`,
    /// `business.ap-southeast-1.aliyuncs.com` for `international`). Without one, the first site
    /// the product's spec lists is used; a product with a single host ignores it.
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// Sends every request to this endpoint (`https://host`, or a bare host, meaning HTTPS)
    /// instead of the one the operation's endpoint rule picks. A plain `http://` endpoint also
    /// needs [`allow_http`](Self::allow_http).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Allows a plain `http://` endpoint (default off: only HTTPS is used). For local test
    /// servers such as the mock; on a real network, anyone on the path could read and redirect
    /// plain-text requests.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Attempts in all, the first included (1 = no retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry, and the longest backoff.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry.initial_backoff = initial;
        self.retry.max_backoff = max.max(initial);
        self
    }

    /// The retry budget's tokens (see [`RetryConfig::budget`]).
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.retry.budget = tokens;
        self
    }

    /// The reply size limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The largest success body, in bytes (see [`Limits`]).
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.limits.response_body = bytes;
        self
    }

    /// The largest error body, in bytes (see [`Limits`]).
    pub fn max_error_body(mut self, bytes: usize) -> Self {
        self.limits.error_body = bytes;
        self
    }

    /// All timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The timeout of one attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// The timeout of a whole call, retries included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = timeout;
        self
    }

    /// Whether requests are checked against the page's rules before they are sent (default
    /// on). Turn it off when the service has moved ahead of the pages (a new enum value, a
    /// lifted limit).
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate_requests = validate;
        self
    }

    /// Checks the settings (credentials that can be sent, a plain region ID, an HTTPS endpoint
    /// unless plain HTTP is allowed) and sets up the HTTP client, which never follows redirects.
    pub fn build(self) -> Result<Config, ConfigError> {
        let credentials = match self.credentials {
            Some(CredentialsSource::Static(c)) => {
                c.check()?;
                CredentialsSource::Static(c)
            }
            Some(other) => other,
            None => {
                let chain = CredentialsCache::new(Arc::new(DefaultChain::new()));
                CredentialsSource::Provider(Arc::new(chain))
            }
        };
        if let Some(region) = &self.region {
            let plain = !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !plain {
                return Err(ConfigError::InvalidRegion(region.clone()));
            }
        }
        let endpoint = self
            .endpoint
            .as_deref()
            .map(EndpointOverride::parse)
            .transpose()?;
        if let Some(e) = &endpoint
            && e.scheme == "http"
            && !self.allow_http
        {
            return Err(ConfigError::InsecureEndpoint {
                endpoint: self.endpoint.clone().unwrap_or_default(),
            });
        }
        #[cfg(feature = "client")]
        let http = {
            // Checked now, so that a bad setting fails here; the clients are built at first use.
            let mut certificates = Vec::new();
            for pem in &self.root_certificates {
                let is_pem = pem.trim_ascii_start().starts_with(b"-----BEGIN");
                let cert = if is_pem {
                    reqwest::Certificate::from_pem(pem)
                } else {
                    reqwest::Certificate::from_der(pem)
                }
                .map_err(|e| ConfigError::InvalidNetworkSetting {
                    what: "root certificate",
                    reason: e.to_string(),
                })?;
                certificates.push(cert);
            }
            let proxy = self
                .proxy
                .as_deref()
                .map(reqwest::Proxy::all)
                .transpose()
                .map_err(|e| ConfigError::InvalidNetworkSetting {
                    what: "proxy",
                    reason: e.to_string(),
                })?;
            let has_certificates = !certificates.is_empty();
            let clients = Arc::new(HttpClients {
                given: self.http_client,
                connect_timeout: self.timeouts.connect,
                https_only: !self.allow_http,
                tls_roots: self.tls_roots,
                certificates,
                proxy,
                no_proxy: self.no_proxy,
                main: std::sync::OnceLock::new(),
                provider: std::sync::OnceLock::new(),
            });
            // The TLS stack reads a certificate only when a client is built: build the
            // client for calls now, so that bytes that are no certificate fail here.
            if has_certificates {
                clients
                    .main()
                    .map_err(|e| ConfigError::InvalidNetworkSetting {
                        what: "root certificate",
                        reason: std::error::Error::source(&e)
                            .map_or_else(|| e.to_string(), |s| s.to_string()),
                    })?;
            }
            clients
        };
        let mut config = Config {
            credentials,
            network: self.network,
            operations: self.operations,
            app_name: self.app_name,
            sdk_name: "sdk-runtime",
            user_agent: None,
            region: self.region,
            site: self.site,
            endpoint,
            retry: self.retry,
            timeouts: self.timeouts,
            limits: self.limits,
            validate_requests: self.validate_requests,
            allow_http: self.allow_http,
            #[cfg(feature = "client")]
            http,
            #[cfg(feature = "client")]
            budget: std::sync::Arc::new(RetryBudget::new(self.retry.budget)),
        };
        config.make_user_agent();
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ConfigBuilder {
        Config::builder().credentials(Credentials::new("id", "secret", None))
    }

    #[test]
    fn endpoint_overrides_are_checked() {
        for (given, scheme, authority) in [
            ("http://127.0.0.1:8080", "http", "127.0.0.1:8080"),
            (
                "https://ice.cn-hangzhou.aliyuncs.com/",
                "https",
                "ice.cn-hangzhou.aliyuncs.com",
            ),
            ("business.aliyuncs.com", "https", "business.aliyuncs.com"),
        ] {
            let e = EndpointOverride::parse(given).unwrap();
            assert_eq!(
                (e.scheme.as_str(), e.authority.as_str()),
                (scheme, authority)
            );
        }
        for bad in ["ftp://x", "http://x/path", "http://", "http://x?q=1"] {
            let err = builder()
                .allow_http(true)
                .endpoint(bad)
                .build()
                .unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidEndpoint { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn plain_http_needs_an_explicit_opt_in() {
        let err = builder()
            .endpoint("http://127.0.0.1:8080")
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, ConfigError::InsecureEndpoint { endpoint } if endpoint == "http://127.0.0.1:8080"),
            "{err}"
        );
        let config = builder()
            .endpoint("http://127.0.0.1:8080")
            .allow_http(true)
            .build()
            .unwrap();
        assert!(config.allows_http());
        assert!(builder().endpoint("https://x").build().is_ok());
    }

    #[test]
    fn credentials_are_checked_when_the_config_is_built() {
        let err = Config::builder()
            .credentials(Credentials::new("id", "s3cr3t ", None))
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, ConfigError::InvalidCredentials(e) if e.field == "access_key_secret"),
            "{err}"
        );
        assert!(!err.to_string().contains("s3cr3t"));
    }

    #[test]
    fn regions_are_plain_ids() {
        assert!(builder().region("cn-hangzhou").build().is_ok());
        let err = builder().region("cn/../x").build().unwrap_err();
        assert!(matches!(&err, ConfigError::InvalidRegion(r) if r == "cn/../x"));
        assert!(builder().build().is_ok());
        // Without credentials, the default chain finds them at the first call.
        let config = Config::builder().build().unwrap();
        assert_eq!(
            config.credentials_provider().map(|p| p.name()),
            Some("default-chain")
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let retry = RetryConfig {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            budget: 0,
        };
        let ceilings: Vec<u128> = (1..=4)
            .map(|r| retry.backoff_ceiling(r).as_millis())
            .collect();
        assert_eq!(ceilings, [100, 200, 350, 350]);
        for r in 1..=4 {
            for _ in 0..50 {
                let wait = retry.backoff(r);
                let ceiling = retry.backoff_ceiling(r);
                assert!(
                    wait >= ceiling / 2 && wait <= ceiling,
                    "{wait:?} vs {ceiling:?}"
                );
            }
        }
    }

    #[test]
    fn from_lookup_reads_the_region_and_chains_the_credentials() {
        let config = Config::from_lookup(|name| match name {
            "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some("id".into()),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => Some("s3cr3t".into()),
            "ALIBABA_CLOUD_REGION_ID" => Some("cn-shanghai".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(config.region(), Some("cn-shanghai"));
        assert_eq!(
            config.credentials_provider().map(|p| p.name()),
            Some("default-chain")
        );
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }
}
