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
mod enums;
mod error;
#[cfg(feature = "mock")]
pub mod flat;
mod http_request;
mod lenient;
mod macros;
mod metadata;
#[cfg(feature = "mock")]
pub mod mock;
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
/// (`skip_serializing_if = "crate::is_none"`).
pub fn is_none<T>(value: &Option<T>) -> bool {
    value.is_none()
}
