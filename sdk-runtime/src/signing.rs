//! The ACS3-HMAC-SHA256 (V3) signature.
//!
//! Signed headers: `host`, `content-type` when present, and every `x-acs-*` header. The
//! canonical request is the method, the path, the canonical query (pairs percent-encoded and
//! sorted byte-wise), the canonical headers (`name:value\n` each, sorted), the signed header
//! names (`;`-joined) and the hex SHA-256 of the body, joined by `\n`; the string to sign is
//! `ACS3-HMAC-SHA256\n` followed by the hex SHA-256 of the canonical request.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use http::header::{AUTHORIZATION, HOST, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use super::credentials::{Credentials, InvalidCredentials};
use super::wire::{canonical_query, decode_query, is_canonical_query, percent_encode};

/// The signature algorithm's name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The volatile inputs of one signature: the time and a nonce unique to the request. Inject
/// fixed ones to make a signature reproducible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningParams {
    /// The signing time, sent as `x-acs-date`.
    pub time: SystemTime,
    /// The nonce, sent as `x-acs-signature-nonce`.
    pub nonce: String,
}

impl SigningParams {
    /// The current time and a fresh random nonce.
    pub fn now() -> Self {
        Self {
            time: SystemTime::now(),
            nonce: uuid::Uuid::new_v4().simple().to_string(),
        }
    }
}

/// What a signature was computed from, for debugging and tests. Its `Debug` output leaves the
/// security token's line of the canonical request out.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// Hex SHA-256 of the canonical request.
    pub hashed_canonical_request: String,
    /// The signed header names, `;`-joined.
    pub signed_headers: String,
    /// The hex signature.
    pub signature: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field(
                "canonical_request",
                &redacted_canonical_request(&self.canonical_request),
            )
            .field("hashed_canonical_request", &self.hashed_canonical_request)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .finish()
    }
}

/// A canonical request with the security token's value replaced, for messages and logs.
pub fn redacted_canonical_request(canonical_request: &str) -> String {
    canonical_request
        .split('\n')
        .map(|line| match line.strip_prefix("x-acs-security-token:") {
            Some(_) => "x-acs-security-token:** redacted **",
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a request could not be signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// A header's name or value holds bytes a header cannot carry.
    #[error("header {name} cannot carry its value: {source}")]
    InvalidHeader {
        /// The header's name.
        name: String,
        /// What `http` refused.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The parts do not make an HTTP request.
    #[error("the request cannot be built: {0}")]
    InvalidRequest(#[source] http::Error),
    /// The request's URI names no host.
    #[error("the request URI {0} has no host")]
    NoHost(String),
    /// A part of the credentials cannot be sent as it is.
    #[error(transparent)]
    InvalidCredentials(#[from] InvalidCredentials),
}

/// Formats `time` as `x-acs-date` wants it: UTC `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 to the
/// second). Times before 1970 are clamped to the epoch, times after 9999 to its last second.
pub fn format_date(time: SystemTime) -> String {
    let last = UNIX_EPOCH + std::time::Duration::from_secs(253_402_300_799);
    humantime::format_rfc3339_seconds(time.clamp(UNIX_EPOCH, last)).to_string()
}

/// Lower-case hex of a 32-byte digest.
fn hex32(digest: &[u8]) -> String {
    let mut buf = [0u8; 64];
    // A 32-byte digest fills the 64-byte buffer exactly, and hex digits are ASCII.
    match hex::encode_to_slice(digest, &mut buf) {
        Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
        Err(_) => hex::encode(digest),
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex32(&Sha256::digest(bytes))
}

fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    hex32(&mac.finalize().into_bytes())
}

/// Whether a header is signed: `host`, `content-type` and every `x-acs-*` header.
pub fn is_signed_header(name: &str) -> bool {
    name == "host" || name == "content-type" || name.starts_with("x-acs-")
}

/// The canonical query of a raw query string: each key and value decoded, then encoded the
/// RFC 3986 way, sorted byte-wise.
pub fn canonical_query_of(raw: Option<&str>) -> String {
    let Some(raw) = raw.filter(|q| !q.is_empty()) else {
        return String::new();
    };
    if is_canonical_query(raw) {
        return raw.to_owned();
    }
    canonical_query(
        decode_query(raw)
            .into_iter()
            .map(|(k, v)| (percent_encode(&k), percent_encode(&v))),
    )
}

/// The canonical request of `parts` over the headers named in `signed` (lower case, sorted),
/// with its canonical query and the body's hex SHA-256.
fn canonical_request_with_query(
    parts: &http::request::Parts,
    query: &str,
    signed: &[String],
    payload_hash: &str,
) -> String {
    let path = match parts.uri.path() {
        "" => "/",
        path => path,
    };
    let mut out = String::with_capacity(256 + query.len());
    out.push_str(parts.method.as_str());
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    for name in signed {
        let values: Vec<&str> = parts
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| v.to_str().unwrap_or_default().trim())
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// Computes the signature of `parts` over the headers named in `signed`.
pub fn compute(
    parts: &http::request::Parts,
    signed: &[String],
    payload_hash: &str,
    secret: &str,
) -> Signature {
    let query = canonical_query_of(parts.uri.query());
    compute_with_query(parts, &query, signed, payload_hash, secret)
}

fn compute_with_query(
    parts: &http::request::Parts,
    query: &str,
    signed: &[String],
    payload_hash: &str,
    secret: &str,
) -> Signature {
    let canonical_request = canonical_request_with_query(parts, query, signed, payload_hash);
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = format!("{ALGORITHM}\n{hashed_canonical_request}");
    let signature = hmac_sha256_hex(secret.as_bytes(), string_to_sign.as_bytes());
    Signature {
        canonical_request,
        hashed_canonical_request,
        signed_headers: signed.join(";"),
        signature,
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(value).map_err(|e| SigningError::InvalidHeader {
        name: name.to_owned(),
        source: Box::new(e),
    })
}

fn set(headers: &mut http::HeaderMap, name: &'static str, value: &str) -> Result<(), SigningError> {
    headers.insert(HeaderName::from_static(name), header_value(name, value)?);
    Ok(())
}

/// Sets a header whose value is a credential: marked sensitive, so `Debug` output of the
/// request (and HTTP stacks that honour the mark) never shows it.
fn set_secret(
    headers: &mut http::HeaderMap,
    name: HeaderName,
    value: &str,
) -> Result<(), SigningError> {
    let mut value = header_value(name.as_str(), value)?;
    value.set_sensitive(true);
    headers.insert(name, value);
    Ok(())
}

/// Signs `request` in place: sets `host` (from the URI, unless present), `x-acs-date`,
/// `x-acs-signature-nonce`, `x-acs-content-sha256`, `x-acs-security-token` and
/// `x-acs-accesskey-id` (STS credentials only) and `Authorization`; the last two are marked sensitive. Credentials that cannot be
/// sent as they are ([`Credentials::check`]) are refused.
pub fn sign(
    request: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<Signature, SigningError> {
    sign_with_query(request, None, credentials, params)
}

/// As [`sign`]; `canonical_query`, when given, is the request's query already in canonical
/// form (the caller encoded it), so it is not parsed and re-encoded.
pub(crate) fn sign_with_query(
    request: &mut http::Request<Vec<u8>>,
    canonical_query: Option<&str>,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<Signature, SigningError> {
    credentials.check()?;
    let payload_hash = sha256_hex(request.body());
    let (mut parts, body) = std::mem::take(request).into_parts();
    let result = sign_parts(
        &mut parts,
        canonical_query,
        &payload_hash,
        credentials,
        params,
    );
    *request = http::Request::from_parts(parts, body);
    result
}

fn sign_parts(
    parts: &mut http::request::Parts,
    canonical_query: Option<&str>,
    payload_hash: &str,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<Signature, SigningError> {
    if !parts.headers.contains_key(HOST) {
        let authority = parts
            .uri
            .authority()
            .ok_or_else(|| SigningError::NoHost(parts.uri.to_string()))?
            .to_string();
        parts
            .headers
            .insert(HOST, header_value("host", &authority)?);
    }
    let headers = &mut parts.headers;
    set(headers, "x-acs-date", &format_date(params.time))?;
    set(headers, "x-acs-signature-nonce", &params.nonce)?;
    set(headers, "x-acs-content-sha256", payload_hash)?;
    match credentials.security_token() {
        // With STS credentials the official SDKs name the AccessKey ID in a header too.
        Some(token) => {
            set(headers, "x-acs-accesskey-id", credentials.access_key_id())?;
            set_secret(
                headers,
                HeaderName::from_static("x-acs-security-token"),
                token,
            )?;
        }
        None => {
            headers.remove("x-acs-security-token");
            headers.remove("x-acs-accesskey-id");
        }
    }
    let mut signed: Vec<String> = parts
        .headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| is_signed_header(k))
        .map(str::to_owned)
        .collect();
    signed.sort();
    signed.dedup();
    let query = match canonical_query {
        Some(query) => std::borrow::Cow::Borrowed(query),
        None => std::borrow::Cow::Owned(canonical_query_of(parts.uri.query())),
    };
    let signature = compute_with_query(
        parts,
        &query,
        &signed,
        payload_hash,
        credentials.access_key_secret(),
    );
    let authorization = format!(
        "{ALGORITHM} Credential={},SignedHeaders={},Signature={}",
        credentials.access_key_id(),
        signature.signed_headers,
        signature.signature
    );
    set_secret(&mut parts.headers, AUTHORIZATION, &authorization)?;
    Ok(signature)
}

/// The parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The AccessKey ID.
    pub credential: String,
    /// The signed header names.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

impl Authorization {
    /// Reads an `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..` header.
    pub fn parse(header: &str) -> Option<Self> {
        let rest = header.strip_prefix(ALGORITHM)?.trim_start();
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for item in rest.split(',') {
            let (key, value) = item.trim().split_once('=')?;
            match key {
                "Credential" => credential = Some(value.to_owned()),
                "SignedHeaders" => {
                    signed = Some(value.split(';').map(str::to_owned).collect::<Vec<_>>())
                }
                "Signature" => signature = Some(value.to_owned()),
                _ => return None,
            }
        }
        Some(Self {
            credential: credential?,
            signed_headers: signed?,
            signature: signature?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_format_as_utc_seconds() {
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(format_date(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(format_date(at(1_698_315_752)), "2023-10-26T10:22:32Z");
        assert_eq!(format_date(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(format_date(at(4_107_542_399)), "2100-02-28T23:59:59Z");
        assert_eq!(format_date(at(1_735_689_599)), "2024-12-31T23:59:59Z");
        assert_eq!(
            format_date(UNIX_EPOCH - Duration::from_secs(5)),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            format_date(at(300_000_000_000)),
            "9999-12-31T23:59:59Z",
            "clamped"
        );
    }

    #[test]
    fn raw_queries_are_renormalized() {
        assert_eq!(
            canonical_query_of(Some("b=%7e+x&a=1&Key.10=&Key.2=y")),
            "Key.10=&Key.2=y&a=1&b=~%2Bx"
        );
        assert_eq!(canonical_query_of(None), "");
    }

    #[test]
    fn authorization_headers_parse() {
        let a = Authorization::parse(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab",
        )
        .unwrap();
        assert_eq!(a.credential, "id");
        assert_eq!(a.signed_headers, ["host", "x-acs-date"]);
        assert_eq!(a.signature, "ab");
        assert_eq!(Authorization::parse("HMAC Credential=id"), None);
    }
}
