//! The one error type of every call, and the reading of responses into results or errors.

use std::fmt;

use serde_json::Value;

use super::config::ConfigError;
use super::lenient::Lenient;
use super::metadata::ErrorCodeInfo;
use super::operation::{KnownErrorCode, Operation, OperationSpec};
use super::signing::SigningError;
use super::validation::ValidationErrors;
use super::wire::EncodeError;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration cannot serve the call (no region for a per-region product, ...).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The request breaks rules the reference page states; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The request could not be put on the wire; nothing was sent.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The request could not be signed; nothing was sent.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// No response came back: connection failure, timeout, I/O error.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The service answered with an error (or a 200 reply that reports failure).
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// A success response could not be read as the page documents it.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Self::Service(Box::new(e))
    }
}

impl Error {
    /// The service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The typed error code of operation `C`'s table, when this is a service error of that
    /// operation (`create_instance::ErrorCode::from_error(&err)` says the same).
    pub fn error_code<C: KnownErrorCode>(&self) -> Option<C> {
        self.service_error().and_then(ServiceError::error_code::<C>)
    }

    /// Whether trying again may succeed: throttling (HTTP 429 or a `Throttling*` code), a 5xx
    /// reply, or a failed connection or attempt.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Service(e) => e.is_retryable(),
            _ => false,
        }
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established.
    Connect,
    /// An attempt, or the whole call, ran out of time.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
}

/// No response came back.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {kind:?} failure: {message}")]
pub struct TransportError {
    /// The operation.
    pub action: &'static str,
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What happened.
    pub message: String,
    /// The underlying error, if any.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// An error answer of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The product (`BssOpenApi`).
    pub product: &'static str,
    /// The operation (`CreateInstance`).
    pub action: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// `Code`, when the body has one.
    pub code: Option<String>,
    /// `Message`, when the body has one.
    pub message: Option<String>,
    /// `RequestId`, when the body has one.
    pub request_id: Option<String>,
    /// `HostId`, when the body has one.
    pub host_id: Option<String>,
    /// `Recommend` (a diagnosis link), when the body has one.
    pub recommend: Option<String>,
    /// The page's table row for the code, when the page documents it.
    pub info: Option<&'static ErrorCodeInfo>,
    /// The body as received (invalid UTF-8 replaced).
    pub body: String,
}

impl ServiceError {
    /// Reads an error body: JSON with `Code`, `Message`, `RequestId`, `HostId` and `Recommend`
    /// (any letter case), or an XML `<Error>` document with those elements; whatever cannot be
    /// read (an empty body, a proxy's HTML page) leaves those fields unset and stays in
    /// [`body`](Self::body).
    pub fn from_response(spec: &'static OperationSpec, status: u16, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let json: Option<serde_json::Map<String, Value>> = serde_json::from_slice(body).ok();
        let field = |name: &str| match &json {
            Some(map) => {
                let value = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)?;
                match value {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                }
            }
            None => xml_element(&text, name),
        };
        let code = field("Code");
        Self {
            product: spec.product,
            action: spec.action,
            status,
            info: code.as_deref().and_then(|c| spec.error(c)),
            message: field("Message"),
            request_id: field("RequestId"),
            host_id: field("HostId"),
            recommend: field("Recommend"),
            code,
            body: text.into_owned(),
        }
    }

    /// Replaces every occurrence of each of `secrets` in the texts read from the reply with
    /// `** redacted **` (a server echoing a signed header must not put a secret in logs).
    pub fn redact(&mut self, secrets: &[&str]) {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            let texts = [
                &mut self.code,
                &mut self.message,
                &mut self.request_id,
                &mut self.host_id,
                &mut self.recommend,
            ];
            for text in texts.into_iter().flatten() {
                if text.contains(secret) {
                    *text = text.replace(secret, "** redacted **");
                }
            }
            if self.body.contains(secret) {
                self.body = self.body.replace(secret, "** redacted **");
            }
        }
    }

    /// The typed error code of operation `C`'s table, when this error is that operation's.
    pub fn error_code<C: KnownErrorCode>(&self) -> Option<C> {
        let same = C::SPEC.product == self.product && C::SPEC.action == self.action;
        self.code.as_deref().filter(|_| same).map(C::from_code)
    }

    /// The page's description of the code, when the page documents it.
    pub fn description(&self) -> Option<&'static str> {
        self.info.and_then(|i| i.description)
    }

    /// Whether this is throttling: HTTP 429, or a code starting with `Throttling`.
    pub fn is_throttling(&self) -> bool {
        self.status == 429
            || self
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with("Throttling"))
    }

    /// Whether trying again may succeed: throttling or a 5xx reply.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || self.status >= 500
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.action, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// The text of the first `<name>...</name>` element (any letter case) of an XML document,
/// entities decoded; `None` when absent or empty. Only for the flat `<Error>` documents some
/// gateways send, not a general XML reader.
fn xml_element(text: &str, name: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let open = format!("<{}>", name.to_ascii_lowercase());
    let close = format!("</{}>", name.to_ascii_lowercase());
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are positions in `text`.
    let start = lower.find(&open)? + open.len();
    let end = start + lower[start..].find(&close)?;
    let raw = text.get(start..end)?.trim();
    let raw = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .unwrap_or(raw);
    let decoded = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    (!decoded.is_empty()).then_some(decoded)
}

/// A success response that does not read as the page documents it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action}: cannot read the response (HTTP {status}) at {path}: {message}")]
pub struct DecodeError {
    /// The operation.
    pub action: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The JSON path where reading failed (`.` for the whole body).
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Reads an HTTP response of operation `R`: its documented response on success, a service
/// error for a non-2xx status or for a 2xx body whose success flag is `false`.
pub fn parse_response<R: Operation>(status: u16, body: &[u8]) -> Result<R::Response, Error> {
    let spec = R::SPEC;
    if !(200..300).contains(&status) {
        return Err(ServiceError::from_response(spec, status, body).into());
    }
    let decode_error = |path: String, message: String| DecodeError {
        action: spec.action,
        status,
        path,
        message,
    };
    let value: Value =
        serde_json::from_slice(body).map_err(|e| decode_error(".".to_owned(), e.to_string()))?;
    let failed = |v: &Value| match v {
        Value::Bool(b) => !b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    };
    if let Some(flag) = spec.success_field
        && value.get(flag).is_some_and(failed)
    {
        return Err(ServiceError::from_response(spec, status, body).into());
    }
    serde_path_to_error::deserialize(Lenient(value)).map_err(|e| {
        let path = e.path().to_string();
        decode_error(path, e.into_inner().to_string()).into()
    })
}
