//! The hand-written runtime of the SDK that generated code builds on: what each operation is
//! ([`OperationSpec`]), validation plumbing, enum support, the wire encoding, the V3
//! signature, credentials, configuration, errors and the async client. Behaviour shared by
//! every operation lives here once, so generated code holds only what differs.
//!
//! The SDK crates re-export it as their `runtime` module (hidden from their docs: what a user
//! names is re-exported at their root). Generated code refers to it as `crate::runtime::...`
//! and expands its macros (`string_enum_impls!`, `int_enum_impls!`, `error_code_impls!`,
//! `product_client!`), so one runtime serves every product crate.

#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]

mod binary;
#[cfg(feature = "client")]
mod client;
mod config;
mod credentials;
mod direct;
mod enums;
mod error;
mod fields;
#[cfg(feature = "mock")]
pub mod flat;
#[doc(hidden)]
pub mod float;
mod http_request;
mod lenient;
mod macros;
mod metadata;
#[cfg(feature = "mock")]
pub mod mock;
mod operation;
mod paginate;
#[cfg(feature = "client")]
mod retry;
pub mod signing;
mod validation;
mod wire;

pub use binary::Binary;
#[cfg(feature = "client")]
pub use client::{Caller, Response, ResponseMetadata};
pub use config::{
    Config, ConfigBuilder, ConfigError, ENV_REGION_ID, Limits, Network, RETRY_COST, RetryConfig,
    TIMEOUT_RETRY_COST, Timeouts, TlsRoots,
};
pub use credentials::{
    Credentials, CredentialsCache, CredentialsError, CredentialsFuture, ENV_ACCESS_KEY_ID,
    ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN, InvalidCredentials, ProvideCredentials,
    ProviderContext,
};

/// Credential providers: the default chain and each source it tries.
pub mod credential_providers {
    #[cfg(feature = "client")]
    pub use crate::credentials::{
        AssumeRoleProvider, ENV_CREDENTIALS_URI, ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED,
        ENV_IMDSV1_DISABLED, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN,
        ENV_ROLE_SESSION_NAME, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, EcsRamRoleProvider,
        OidcRoleProvider, StsEndpoint, UriProvider,
    };
    pub use crate::credentials::{
        CliProfileProvider, DefaultChain, ENV_CLI_PROFILE_DISABLED, ENV_CREDENTIALS_FILE,
        ENV_PROFILE, Env, EnvironmentProvider, IniProfileProvider, Profile,
    };
}
pub use enums::{UnknownEnumValue, UnknownNumber, UnknownValue, WireEnum};
pub use error::{
    DecodeError, Error, RedirectError, ServiceError, TransportError, TransportErrorKind,
    parse_reply, parse_reply_value, parse_response,
};
pub use fields::{ResponseFields, deserialize_fields};
pub use http_request::{
    MAX_URI_LEN, from_http_response, prepare, to_http_request, to_http_request_with,
};
pub use metadata::{ErrorCodeInfo, RamAuthorization, RamResourceType};
pub use operation::{
    Encoding, EndpointRule, KnownErrorCode, Location, Operation, OperationSpec, Operations,
    ParamSpec, ResponseBody, SiteHost, Style,
};
#[cfg(feature = "client")]
pub use paginate::{Items, Pages};
pub use paginate::{NextPage, PageFacts, Paged, PagedItems, PaginationError, Paging, next_page};
pub use signing::{SigningError, SigningParams};
pub use validation::{Rule, Validate, ValidationErrors, Validator, Violation};
pub use wire::{
    BINARY_CONTENT_TYPE, Body, EncodeError, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, PreparedRequest,
    WireParts, decode_query, encode, encode_fields, percent_encode,
};

/// Whether an optional field is unset: generated types skip unset fields when serializing
/// (`skip_serializing_if = "crate::is_none"`).
pub fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}
