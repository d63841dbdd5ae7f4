//! The one error type of every call, and the reading of responses into results or errors.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::HeaderMap;
use serde_json::Value;

use super::config::ConfigError;
use super::lenient::Lenient;
use super::metadata::ErrorCodeInfo;
use super::operation::{KnownErrorCode, Operation, OperationSpec, ResponseBody};
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
    /// No usable response came back: connection or TLS failure, timeout, I/O error, or a
    /// reply larger than the configured limits.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The endpoint answered with a redirect (3xx). Redirects are never followed: nothing was
    /// sent to the other host, and the call is not repeated.
    #[error(transparent)]
    Redirect(#[from] RedirectError),
    /// The service answered with an error (or a 200 reply that reports failure).
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// A success response could not be read as the page documents it.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// No credentials could be had to sign the request; nothing was sent.
    #[error(transparent)]
    Credentials(Box<super::credentials::CredentialsError>),
    /// A paged listing cannot go on: the service repeated a page token or returned another
    /// page than the one asked for. The pages before it were delivered.
    #[error(transparent)]
    Pagination(#[from] super::paginate::PaginationError),
}

impl From<super::credentials::CredentialsError> for Error {
    fn from(e: super::credentials::CredentialsError) -> Self {
        Self::Credentials(Box::new(e))
    }
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

    /// Whether the failure is transient, so that trying again later may succeed: throttling
    /// (HTTP 429 or a `Throttling*` code), a 500, 502, 503 or 504 reply, a failed connection, a
    /// timeout or a broken exchange. Whether the client does repeat it also depends on the
    /// operation (see [`Caller::call`](super::Caller::call)).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(e) => matches!(
                e.kind,
                TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
            ),
            Self::Service(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// Replaces every occurrence of each of `secrets` with `** redacted **` in the texts the
    /// server sent back (a server echoing a signed header, or a token in a wrongly typed field,
    /// must not put a secret in logs). The client does this itself; callers of the sans-IO
    /// [`from_http_response`](super::from_http_response) pass their secret and token.
    pub fn redact(&mut self, secrets: &[&str]) {
        match self {
            Self::Service(e) => e.redact(secrets),
            Self::Decode(e) => redact_text(&mut e.message, secrets),
            _ => {}
        }
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established; the request was not sent.
    Connect,
    /// The TLS handshake failed (an untrusted or invalid certificate, a protocol error).
    Tls,
    /// An attempt, or the whole call, ran out of time.
    Timeout,
    /// The connection failed while sending or receiving.
    Io,
    /// The reply is larger than the configured [`Limits`](super::Limits).
    TooLarge,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection",
            Self::Tls => "TLS",
            Self::Timeout => "timeout",
            Self::Io => "I/O",
            Self::TooLarge => "reply size",
        })
    }
}

/// No usable response came back.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {kind} failure: {message}")]
pub struct TransportError {
    /// The operation.
    pub action: &'static str,
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, with the chain of causes (`error sending request: ...: invalid peer
    /// certificate: UnknownIssuer`).
    pub message: String,
    /// The underlying error, if any.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The endpoint answered with a redirect, which is never followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{action}: the endpoint answered HTTP {status} redirecting to {}; redirects are not followed (check the endpoint and region)",
    location.as_deref().unwrap_or("(no Location)")
)]
pub struct RedirectError {
    /// The operation.
    pub action: &'static str,
    /// The HTTP status (301, 302, 303, 307, 308, ...).
    pub status: u16,
    /// The `Location` header (at most 256 characters of it), when the reply has one.
    pub location: Option<String>,
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
    /// How long the service asks the caller to wait before trying again
    /// (`x-acs-retry-after` in milliseconds, or `Retry-After` in seconds or as a date).
    pub retry_after: Option<Duration>,
    /// The body as received (invalid UTF-8 replaced).
    pub body: String,
}

impl ServiceError {
    /// Reads an error reply: a JSON body with `Code`, `Message`, `RequestId`, `HostId` and
    /// `Recommend` (any letter case), or an XML `<Error>` document with those elements;
    /// whatever cannot be read (an empty body, a proxy's HTML page) leaves those fields unset
    /// and stays in [`body`](Self::body). The request ID falls back to the `x-acs-request-id`
    /// header; the wait the service asks for is read from the headers.
    pub fn from_response(
        spec: &'static OperationSpec,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
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
            request_id: field("RequestId").or_else(|| header_text(headers, "x-acs-request-id")),
            host_id: field("HostId"),
            recommend: field("Recommend"),
            code,
            retry_after: retry_after(headers, SystemTime::now()),
            body: text.into_owned(),
        }
    }

    /// Replaces every occurrence of each of `secrets` in the texts read from the reply with
    /// `** redacted **` (a server echoing a signed header must not put a secret in logs).
    pub fn redact(&mut self, secrets: &[&str]) {
        let texts = [
            &mut self.code,
            &mut self.message,
            &mut self.request_id,
            &mut self.host_id,
            &mut self.recommend,
        ];
        for text in texts.into_iter().flatten() {
            redact_text(text, secrets);
        }
        redact_text(&mut self.body, secrets);
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

    /// Whether trying again later may succeed: throttling, or a 500, 502, 503 or 504 reply
    /// (other statuses, 501 and 505 among them, say the request itself is at fault).
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || matches!(self.status, 500 | 502 | 503 | 504)
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

/// Replaces each non-empty secret in `text` with `** redacted **`.
fn redact_text(text: &mut String, secrets: &[&str]) {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            *text = text.replace(secret, "** redacted **");
        }
    }
}

/// At most `max` characters of `text`, with `…` where it was cut.
pub(crate) fn clipped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A header's value as text (invalid bytes replaced), when present.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?;
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The wait a reply asks for: `x-acs-retry-after` (milliseconds, as Alibaba Cloud's gateways
/// send it), else `Retry-After` (seconds, or an HTTP date measured from `now`). A zero, past or
/// unreadable value asks for nothing.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let wait = if let Some(ms) = header_text(headers, "x-acs-retry-after") {
        Duration::from_millis(ms.parse().ok()?)
    } else {
        let value = header_text(headers, "retry-after")?;
        match value.parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => httpdate::parse_http_date(&value)
                .ok()?
                .duration_since(now)
                .ok()?,
        }
    };
    (!wait.is_zero()).then_some(wait)
}

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

/// Reads an HTTP response of operation `R` from its status and body (see [`parse_reply`], which
/// also reads the headers).
pub fn parse_response<R: Operation>(status: u16, body: &[u8]) -> Result<R::Response, Error> {
    parse_reply::<R>(status, &HeaderMap::new(), body)
}

/// Reads an HTTP response of operation `R`: its documented response on success; a redirect
/// error for a 3xx status; a service error for any other non-2xx status, or for a 2xx body
/// whose success flag is `false`.
pub fn parse_reply<R: Operation>(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<R::Response, Error> {
    let spec = R::SPEC;
    // Most replies are well typed: a success body that is a JSON object is read straight from
    // its bytes into the response (no `Value` of the whole reply). Anything the strict reader
    // refuses (text where a number is described, a `null` in a list, a duplicate key) and
    // every reply whose success flag must be looked at go the lenient way below, which also
    // names the JSON path of what cannot be read.
    if (200..300).contains(&status)
        && spec.response_body == ResponseBody::Object
        && spec.success_field.is_none()
    {
        let mut reader = serde_json::Deserializer::from_slice(body);
        if let Ok(response) = <R::Response as serde::Deserialize>::deserialize(&mut reader)
            && reader.end().is_ok()
        {
            return Ok(response);
        }
    }
    let value = parse_reply_value(spec, status, headers, body)?;
    serde_path_to_error::deserialize(Lenient(value)).map_err(|e| {
        let path = e.path().to_string();
        DecodeError {
            action: spec.action,
            status,
            path: clipped(&path, 256),
            message: clipped(&e.into_inner().to_string(), 256),
        }
        .into()
    })
}

/// As [`parse_reply`], for operation `spec`, the success body as JSON.
pub fn parse_reply_value(
    spec: &'static OperationSpec,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Error> {
    if (300..400).contains(&status) {
        return Err(RedirectError {
            action: spec.action,
            status,
            location: header_text(headers, "location").map(|l| clipped(&l, 256)),
        }
        .into());
    }
    if !(200..300).contains(&status) {
        return Err(ServiceError::from_response(spec, status, headers, body).into());
    }
    // serde's messages quote the value that did not fit; a long one is cut.
    let decode_error = |path: String, message: String| DecodeError {
        action: spec.action,
        status,
        path: clipped(&path, 256),
        message: clipped(&message, 256),
    };
    // A body that is not a JSON object is read into the response's one field, `body`.
    let whole = |value: Value| {
        let mut map = serde_json::Map::new();
        map.insert("body".to_owned(), value);
        Ok(Value::Object(map))
    };
    match spec.response_body {
        ResponseBody::Object => {}
        ResponseBody::Json => {
            let value: Value = serde_json::from_slice(body)
                .map_err(|e| decode_error(".".to_owned(), e.to_string()))?;
            return whole(value);
        }
        ResponseBody::Text => {
            return whole(Value::String(String::from_utf8_lossy(body).into_owned()));
        }
        // `Binary` reads bytes from base64 text, as JSON carries them.
        ResponseBody::Binary => {
            let text = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, body);
            return whole(Value::String(text));
        }
        ResponseBody::None => return Ok(Value::Object(serde_json::Map::new())),
    }
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
        return Err(ServiceError::from_response(spec, status, headers, body).into());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    http::header::HeaderName::from_static(k),
                    http::HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_reads_milliseconds_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs| retry_after(&headers(pairs), now);
        assert_eq!(
            wait(&[("x-acs-retry-after", "1500")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("retry-after", " 3 ")]),
            Some(Duration::from_secs(3))
        );
        // 2023-11-14T22:13:20Z is `now`; ten seconds later:
        assert_eq!(
            wait(&[("retry-after", "Tue, 14 Nov 2023 22:13:30 GMT")]),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            wait(&[("x-acs-retry-after", "200"), ("retry-after", "9")]),
            Some(Duration::from_millis(200)),
            "Alibaba Cloud's own header first"
        );
        for nothing in [
            &[("retry-after", "0")][..],
            &[("retry-after", "Mon, 13 Nov 2023 00:00:00 GMT")],
            &[("retry-after", "soon")],
            &[("x-acs-retry-after", "-5")],
            &[],
        ] {
            assert_eq!(wait(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn long_texts_are_clipped_on_a_character_boundary() {
        assert_eq!(clipped("abc", 3), "abc");
        assert_eq!(clipped("abcd", 3), "abc…");
        assert_eq!(clipped("ééé", 2), "éé…");
    }
}
