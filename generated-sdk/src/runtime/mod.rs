//! The hand-written part of the SDK that generated code builds on: what each operation is
//! ([`OperationSpec`]), validation plumbing, enum support, the wire encoding, the V3
//! signature, credentials, configuration, errors and the async client. Behaviour shared by
//! every operation lives here once, so generated code holds only what differs.
//!
//! This module is plumbing and hidden from the docs: everything a user names is re-exported at
//! the crate root, and documented there. Its paths keep working.

mod binary;
#[cfg(feature = "client")]
mod client;
mod config;
mod credentials;
mod enums;
mod error;
#[cfg(feature = "mock")]
pub mod flat;
mod http_request;
mod lenient;
mod macros;
mod metadata;
mod operation;
#[cfg(feature = "client")]
mod retry;
pub mod signing;
mod validation;
mod wire;

pub use binary::Binary;
#[cfg(feature = "client")]
pub use client::Caller;
pub use config::{
    Config, ConfigBuilder, ConfigError, ENV_REGION_ID, Limits, RETRY_COST, RetryConfig,
    TIMEOUT_RETRY_COST, Timeouts,
};
pub use credentials::{
    Credentials, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN, InvalidCredentials,
};
pub use enums::{UnknownEnumValue, UnknownNumber, UnknownValue, WireEnum};
pub use error::{
    DecodeError, Error, RedirectError, ServiceError, TransportError, TransportErrorKind,
    parse_reply, parse_response,
};
pub use http_request::{MAX_URI_LEN, from_http_response, prepare, to_http_request};
#[cfg(feature = "client")]
#[allow(
    unused_imports,
    reason = "used by generated code, when some product feature is on"
)]
pub(crate) use macros::product_client;
#[allow(
    unused_imports,
    reason = "used by generated code, when some product feature is on"
)]
pub(crate) use macros::{error_code_impls, int_enum_impls, string_enum_impls};
pub use metadata::{ErrorCodeInfo, RamAuthorization, RamResourceType};
pub use operation::{
    Encoding, EndpointRule, KnownErrorCode, Location, Operation, OperationSpec, ParamSpec,
    SiteHost, Style,
};
pub use signing::{SigningError, SigningParams};
pub use validation::{Rule, Validate, ValidationErrors, Validator, Violation};
pub use wire::{
    BINARY_CONTENT_TYPE, Body, EncodeError, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, PreparedRequest,
    WireParts, decode_query, encode, percent_encode,
};

/// Whether an optional field is unset: generated types skip unset fields when serializing
/// (`skip_serializing_if = "crate::runtime::is_none"`).
pub fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}
