//! Profiles: the CLI's `~/.aliyun/config.json` and the credentials file
//! `~/.alibabacloud/credentials`, each naming a way to get credentials.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::chain::Env;
use super::{
    Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext,
};

/// The variable naming the profile to use (both files).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// The variable naming the credentials file.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// One profile: how its credentials are had.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// A fixed AccessKey pair (CLI mode `AK`, file type `access_key`).
    AccessKey(Credentials),
    /// Fixed STS credentials (CLI mode `StsToken`, file type `sts`).
    StsToken(Credentials),
    /// A RAM role assumed with the credentials of another profile (CLI modes `RamRoleArn`,
    /// with the profile's own AccessKey, and `ChainableRamRoleArn`, with its
    /// `source_profile`; file type `ram_role_arn`).
    RamRoleArn {
        /// Whose credentials assume the role.
        source: Box<Profile>,
        /// The role's ARN.
        role_arn: String,
        /// The session name, where the profile gives one.
        session_name: Option<String>,
        /// How long the credentials last, where the profile says.
        duration: Option<Duration>,
        /// A policy narrowing the role's permissions.
        policy: Option<String>,
        /// The external ID the role's trust policy asks for.
        external_id: Option<String>,
        /// The STS region.
        sts_region: Option<String>,
    },
    /// The ECS instance's RAM role (CLI mode `EcsRamRole`, file type `ecs_ram_role`).
    EcsRamRole {
        /// The role's name; looked up from the metadata service when absent.
        role_name: Option<String>,
    },
    /// A RAM role assumed with an OIDC token (CLI mode `OIDC`, file type `oidc_role_arn`).
    Oidc {
        /// The role's ARN.
        role_arn: String,
        /// The OIDC identity provider's ARN.
        provider_arn: String,
        /// The file holding the token.
        token_file: PathBuf,
        /// The session name, where the profile gives one.
        session_name: Option<String>,
        /// How long the credentials last, where the profile says.
        duration: Option<Duration>,
        /// A policy narrowing the role's permissions.
        policy: Option<String>,
        /// The STS region.
        sts_region: Option<String>,
    },
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AccessKey(c) => f.debug_tuple("AccessKey").field(c).finish(),
            Self::StsToken(c) => f.debug_tuple("StsToken").field(c).finish(),
            Self::RamRoleArn {
                source, role_arn, ..
            } => f
                .debug_struct("RamRoleArn")
                .field("source", source)
                .field("role_arn", role_arn)
                .finish_non_exhaustive(),
            Self::EcsRamRole { role_name } => f
                .debug_struct("EcsRamRole")
                .field("role_name", role_name)
                .finish(),
            Self::Oidc {
                role_arn,
                provider_arn,
                ..
            } => f
                .debug_struct("Oidc")
                .field("role_arn", role_arn)
                .field("provider_arn", provider_arn)
                .finish_non_exhaustive(),
        }
    }
}

impl Profile {
    /// The provider that gets this profile's credentials.
    pub fn provider(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        match self {
            Self::AccessKey(c) | Self::StsToken(c) => Ok(Arc::new(c.clone())),
            #[cfg(feature = "client")]
            Self::RamRoleArn {
                source,
                role_arn,
                session_name,
                duration,
                policy,
                external_id,
                sts_region,
            } => {
                let mut p = super::AssumeRoleProvider::new(source.provider()?, role_arn.clone());
                if let Some(s) = session_name {
                    p = p.session_name(s.clone());
                }
                if let Some(d) = duration {
                    p = p.duration(*d);
                }
                if let Some(policy) = policy {
                    p = p.policy(policy.clone());
                }
                if let Some(id) = external_id {
                    p = p.external_id(id.clone());
                }
                if let Some(region) = sts_region {
                    p = p.endpoint(super::StsEndpoint::Region(region.clone()));
                }
                Ok(Arc::new(p))
            }
            #[cfg(feature = "client")]
            Self::EcsRamRole { role_name } => {
                let mut p = super::EcsRamRoleProvider::new();
                if let Some(name) = role_name {
                    p = p.role_name(name.clone());
                }
                Ok(Arc::new(p))
            }
            #[cfg(feature = "client")]
            Self::Oidc {
                role_arn,
                provider_arn,
                token_file,
                session_name,
                duration,
                policy,
                sts_region,
            } => {
                let mut p = super::OidcRoleProvider::new(
                    role_arn.clone(),
                    provider_arn.clone(),
                    token_file.clone(),
                );
                if let Some(s) = session_name {
                    p = p.session_name(s.clone());
                }
                if let Some(d) = duration {
                    p = p.duration(*d);
                }
                if let Some(policy) = policy {
                    p = p.policy(policy.clone());
                }
                if let Some(region) = sts_region {
                    p = p.endpoint(super::StsEndpoint::Region(region.clone()));
                }
                Ok(Arc::new(p))
            }
            #[cfg(not(feature = "client"))]
            _ => Err(CredentialsError::Unavailable {
                provider: "profile",
                reason: "this profile fetches credentials over the network, which needs the `client` feature".to_owned(),
            }),
        }
    }
}

/// A profile provider's state: the file's profile, turned into a provider once.
#[derive(Debug, Default)]
struct Loaded(Mutex<Option<Arc<dyn ProvideCredentials>>>);

impl Loaded {
    fn get_or_load(
        &self,
        load: impl FnOnce() -> Result<Arc<dyn ProvideCredentials>, CredentialsError>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = slot.as_ref() {
            return Ok(p.clone());
        }
        let p = load()?;
        *slot = Some(p.clone());
        Ok(p)
    }
}

/// Credentials from the Alibaba Cloud CLI's profile file, `~/.aliyun/config.json`: the
/// profile named by `ALIBABA_CLOUD_PROFILE`, else the file's `current` one, in mode `AK`,
/// `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC` or `ChainableRamRoleArn`.
#[derive(Debug)]
pub struct CliProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    loaded: Loaded,
}

impl CliProfileProvider {
    /// The file and profile the process environment names.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The file under `env`'s home folder, the profile `env` names.
    pub fn with_env(env: Env) -> Self {
        Self {
            path: env.home().map(|h| h.join(".aliyun").join("config.json")),
            profile: env.get(ENV_PROFILE),
            loaded: Loaded::default(),
        }
    }

    /// Reads `path` instead.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses profile `name` instead.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The profile the file gives.
    pub fn read(&self) -> Result<Profile, CredentialsError> {
        let (path, config, name) = self.load()?;
        cli_profile(&config, &name, 0).map_err(|reason| CredentialsError::Invalid {
            provider: "cli-profile",
            reason: format!("{}: {reason}", path.display()),
            source: None,
        })
    }

    /// The region of the profile (its `region_id`), where the file has one.
    pub fn region(&self) -> Option<String> {
        let (_, config, name) = self.load().ok()?;
        let profile = config
            .get("profiles")?
            .as_array()?
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))?;
        text(profile, "region_id")
    }

    /// The file, its JSON and the name of the profile to use.
    fn load(&self) -> Result<(&PathBuf, Value, String), CredentialsError> {
        let Some(path) = &self.path else {
            return Err(CredentialsError::Unavailable {
                provider: "cli-profile",
                reason: "no home folder (HOME) to find ~/.aliyun/config.json in".to_owned(),
            });
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::Unavailable {
                    provider: "cli-profile",
                    reason: format!("{} does not exist", path.display()),
                });
            }
            Err(e) => {
                return Err(CredentialsError::Invalid {
                    provider: "cli-profile",
                    reason: format!("cannot read {}", path.display()),
                    source: Some(Box::new(e)),
                });
            }
        };
        let config: Value = serde_json::from_str(&text).map_err(|e| CredentialsError::Invalid {
            provider: "cli-profile",
            reason: format!("{} is not JSON", path.display()),
            source: Some(Box::new(e)),
        })?;
        let name = match &self.profile {
            Some(n) => n.clone(),
            None => config
                .get("current")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or("default")
                .to_owned(),
        };
        Ok((path, config, name))
    }
}

impl Default for CliProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

fn text(profile: &Value, key: &str) -> Option<String> {
    match profile.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn seconds(profile: &Value, key: &str) -> Option<Duration> {
    let n: u64 = text(profile, key)?.parse().ok()?;
    (n > 0).then(|| Duration::from_secs(n))
}

/// Profile `name` of a CLI config; `depth` guards against a cycle of source profiles.
fn cli_profile(config: &Value, name: &str, depth: usize) -> Result<Profile, String> {
    if depth > 8 {
        return Err(format!("source profiles loop back through `{name}`"));
    }
    let profile = config
        .get("profiles")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        })
        .ok_or_else(|| format!("no profile `{name}`"))?;
    let need =
        |key: &str| text(profile, key).ok_or_else(|| format!("profile `{name}` has no `{key}`"));
    let access_key = || -> Result<Credentials, String> {
        Ok(Credentials::new(
            need("access_key_id")?,
            need("access_key_secret")?,
            None,
        ))
    };
    let mode = text(profile, "mode").unwrap_or_else(|| "AK".to_owned());
    let role = |source: Profile| -> Result<Profile, String> {
        Ok(Profile::RamRoleArn {
            source: Box::new(source),
            role_arn: need("ram_role_arn")?,
            session_name: text(profile, "ram_session_name"),
            duration: seconds(profile, "expired_seconds"),
            policy: text(profile, "policy"),
            external_id: text(profile, "external_id"),
            sts_region: text(profile, "sts_region"),
        })
    };
    match mode.as_str() {
        "AK" => Ok(Profile::AccessKey(access_key()?)),
        "StsToken" => Ok(Profile::StsToken(Credentials::new(
            need("access_key_id")?,
            need("access_key_secret")?,
            Some(need("sts_token")?),
        ))),
        "RamRoleArn" => role(Profile::AccessKey(access_key()?)),
        "ChainableRamRoleArn" => {
            let source = need("source_profile")?;
            role(cli_profile(config, &source, depth + 1)?)
        }
        "EcsRamRole" => Ok(Profile::EcsRamRole {
            role_name: text(profile, "ram_role_name"),
        }),
        "OIDC" => Ok(Profile::Oidc {
            role_arn: need("ram_role_arn")?,
            provider_arn: need("oidc_provider_arn")?,
            token_file: PathBuf::from(need("oidc_token_file")?),
            session_name: text(profile, "role_session_name"),
            duration: seconds(profile, "expired_seconds"),
            policy: text(profile, "policy"),
            sts_region: text(profile, "sts_region"),
        }),
        other => Err(format!(
            "profile `{name}` has mode `{other}`, which this SDK does not support (AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC)"
        )),
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            let inner = self.loaded.get_or_load(|| self.read()?.provider())?;
            inner.provide_credentials(context).await
        })
    }

    fn name(&self) -> &'static str {
        "cli-profile"
    }
}

/// Credentials from the credentials file, `~/.alibabacloud/credentials` or the file
/// `ALIBABA_CLOUD_CREDENTIALS_FILE` names (INI): the section named by `ALIBABA_CLOUD_PROFILE`,
/// else `default`, of type `access_key`, `sts`, `ram_role_arn`, `ecs_ram_role` or
/// `oidc_role_arn`, unless it says `enable = false`.
#[derive(Debug)]
pub struct IniProfileProvider {
    path: Option<PathBuf>,
    named_by_env: bool,
    profile: String,
    loaded: Loaded,
}

impl IniProfileProvider {
    /// The file and profile the process environment names.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The file and profile `env` names.
    pub fn with_env(env: Env) -> Self {
        let named = env.get(ENV_CREDENTIALS_FILE).map(PathBuf::from);
        Self {
            named_by_env: named.is_some(),
            path: named.or_else(|| {
                env.home()
                    .map(|h| h.join(".alibabacloud").join("credentials"))
            }),
            profile: env.get(ENV_PROFILE).unwrap_or_else(|| "default".to_owned()),
            loaded: Loaded::default(),
        }
    }

    /// Reads `path` instead.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self.named_by_env = true;
        self
    }

    /// The profile the file gives.
    pub fn read(&self) -> Result<Profile, CredentialsError> {
        let unavailable = |reason: String| CredentialsError::Unavailable {
            provider: "credentials-file",
            reason,
        };
        let Some(path) = &self.path else {
            return Err(unavailable(
                "no home folder (HOME) to find ~/.alibabacloud/credentials in".to_owned(),
            ));
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            // A file the environment names must exist; the default one may not.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !self.named_by_env => {
                return Err(unavailable(format!("{} does not exist", path.display())));
            }
            Err(e) => {
                return Err(CredentialsError::Invalid {
                    provider: "credentials-file",
                    reason: format!("cannot read {}", path.display()),
                    source: Some(Box::new(e)),
                });
            }
        };
        let invalid = |reason: String| CredentialsError::Invalid {
            provider: "credentials-file",
            reason: format!("{}: {reason}", path.display()),
            source: None,
        };
        let section = ini_section(&text, &self.profile).ok_or_else(|| {
            unavailable(format!(
                "{} has no profile [{}]",
                path.display(),
                self.profile
            ))
        })?;
        let get = |key: &str| {
            section
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            return Err(unavailable(format!(
                "profile [{}] is disabled",
                self.profile
            )));
        }
        let need = |key: &str| {
            get(key).ok_or_else(|| invalid(format!("profile [{}] has no `{key}`", self.profile)))
        };
        let secs = |key: &str| {
            get(key)
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_secs)
        };
        let ty = get("type").unwrap_or_else(|| "access_key".to_owned());
        match ty.as_str() {
            "access_key" => Ok(Profile::AccessKey(Credentials::new(
                need("access_key_id")?,
                need("access_key_secret")?,
                None,
            ))),
            "sts" => Ok(Profile::StsToken(Credentials::new(
                need("access_key_id")?,
                need("access_key_secret")?,
                Some(need("security_token")?),
            ))),
            "ram_role_arn" => Ok(Profile::RamRoleArn {
                source: Box::new(Profile::AccessKey(Credentials::new(
                    need("access_key_id")?,
                    need("access_key_secret")?,
                    None,
                ))),
                role_arn: need("role_arn")?,
                session_name: get("role_session_name"),
                duration: secs("duration_seconds"),
                policy: get("policy"),
                external_id: get("external_id"),
                sts_region: get("sts_region"),
            }),
            "ecs_ram_role" => Ok(Profile::EcsRamRole {
                role_name: get("role_name"),
            }),
            "oidc_role_arn" => Ok(Profile::Oidc {
                role_arn: need("role_arn")?,
                provider_arn: need("oidc_provider_arn")?,
                token_file: PathBuf::from(need("oidc_token_file_path")?),
                session_name: get("role_session_name"),
                duration: secs("duration_seconds"),
                policy: get("policy"),
                sts_region: get("sts_region"),
            }),
            other => Err(invalid(format!(
                "profile [{}] has type `{other}`, which this SDK does not support (access_key, sts, ram_role_arn, ecs_ram_role, oidc_role_arn)",
                self.profile
            ))),
        }
    }
}

impl Default for IniProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// The `key = value` lines of section `[name]` of an INI text (`;` and `#` start comments).
fn ini_section(text: &str, name: &str) -> Option<Vec<(String, String)>> {
    let mut found = None;
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = header.trim() == name;
            if in_section {
                found.get_or_insert_with(Vec::new);
            }
            continue;
        }
        if in_section && let Some((k, v)) = line.split_once('=') {
            let v = v.trim().trim_matches('"');
            found
                .get_or_insert_with(Vec::new)
                .push((k.trim().to_owned(), v.to_owned()));
        }
    }
    found
}

impl ProvideCredentials for IniProfileProvider {
    fn provide_credentials<'a>(&'a self, context: &'a ProviderContext) -> CredentialsFuture<'a> {
        Box::pin(async move {
            let inner = self.loaded.get_or_load(|| self.read()?.provider())?;
            inner.provide_credentials(context).await
        })
    }

    fn name(&self) -> &'static str {
        "credentials-file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_and_comments() {
        let text =
            "; comment\n[default]\ntype = access_key\naccess_key_id = id\n\n[other]\nx = \"y\"\n";
        assert_eq!(
            ini_section(text, "default"),
            Some(vec![
                ("type".to_owned(), "access_key".to_owned()),
                ("access_key_id".to_owned(), "id".to_owned())
            ])
        );
        assert_eq!(
            ini_section(text, "other"),
            Some(vec![("x".to_owned(), "y".to_owned())])
        );
        assert_eq!(ini_section(text, "none"), None);
    }

    #[test]
    fn cli_modes_and_their_missing_settings() {
        let config: Value = serde_json::json!({
            "current": "ak",
            "profiles": [
                {"name": "ak", "mode": "AK", "access_key_id": "id", "access_key_secret": "s"},
                {"name": "sts", "mode": "StsToken", "access_key_id": "id", "access_key_secret": "s"},
                {"name": "role", "mode": "ChainableRamRoleArn", "source_profile": "ak", "ram_role_arn": "acs:ram::1:role/r", "expired_seconds": 900},
                {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "r"},
                {"name": "sso", "mode": "CloudSSO"}
            ]
        });
        assert_eq!(
            cli_profile(&config, "ak", 0),
            Ok(Profile::AccessKey(Credentials::new("id", "s", None)))
        );
        assert_eq!(
            cli_profile(&config, "sts", 0).unwrap_err(),
            "profile `sts` has no `sts_token`"
        );
        match cli_profile(&config, "role", 0) {
            Ok(Profile::RamRoleArn {
                source, duration, ..
            }) => {
                assert_eq!(
                    *source,
                    Profile::AccessKey(Credentials::new("id", "s", None))
                );
                assert_eq!(duration, Some(Duration::from_secs(900)));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            cli_profile(&config, "loop", 0)
                .unwrap_err()
                .contains("loop back")
        );
        assert!(
            cli_profile(&config, "sso", 0)
                .unwrap_err()
                .contains("`CloudSSO`")
        );
        assert_eq!(
            cli_profile(&config, "nope", 0).unwrap_err(),
            "no profile `nope`"
        );
    }
}
