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
use super::wire::{canonical_query_of_pairs, decode_query, is_canonical_query};

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

impl SigningError {
    /// The error naming header `name` whose name or value `http` refused, for `map_err`.
    pub(crate) fn invalid_header<E: std::error::Error + Send + Sync + 'static>(
        name: &str,
    ) -> impl FnOnce(E) -> Self + '_ {
        move |source| Self::InvalidHeader {
            name: name.to_owned(),
            source: Box::new(source),
        }
    }
}

/// Formats `time` as `x-acs-date` wants it: UTC `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 to the
/// second). Times before 1970 are clamped to the epoch, times after 9999 to its last second.
pub fn format_date(time: SystemTime) -> String {
    String::from_utf8_lossy(&date_text(time)).into_owned()
}

/// The text of [`format_date`], without an allocation or the formatting machinery: it is
/// written on every signature (a property test holds it to `humantime`'s).
fn date_text(time: SystemTime) -> [u8; 20] {
    const LAST: u64 = 253_402_300_799;
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs().min(LAST));
    let (days, of_day) = (secs / 86_400, secs % 86_400);
    // The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`,
    // for days on or after the epoch): eras of 400 years, years starting in March.
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, width: u32, value: u64| {
        for i in 0..width {
            let digit = value / 10u64.pow(width - 1 - i) % 10;
            // A digit is below 10, so it fits a byte.
            out[at + i as usize] = b'0' + u8::try_from(digit).unwrap_or(0);
        }
    };
    put(0, 4, year);
    put(5, 2, month);
    put(8, 2, day);
    put(11, 2, of_day / 3_600);
    put(14, 2, of_day / 60 % 60);
    put(17, 2, of_day % 60);
    out
}

/// Lower-case hex of a 32-byte digest.
fn hex32(digest: &[u8]) -> String {
    let mut buf = [0u8; 64];
    // A 32-byte digest fills the 64-byte buffer exactly, and hex digits are ASCII.
    match hex::encode_to_slice(digest, &mut buf) {
        Ok(()) => std::str::from_utf8(&buf).map_or_else(|_| hex::encode(digest), str::to_owned),
        Err(_) => hex::encode(digest),
    }
}

/// Hex SHA-256 of no bytes: the payload hash of every request without a body (most RPC
/// calls), known without hashing.
pub(crate) const EMPTY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The payload hash of a request with this body: its hex SHA-256, known without hashing when
/// the body is empty.
pub(crate) fn payload_hash(body: &[u8]) -> std::borrow::Cow<'static, str> {
    if body.is_empty() {
        std::borrow::Cow::Borrowed(EMPTY_SHA256)
    } else {
        std::borrow::Cow::Owned(sha256_hex(body))
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex32(&Sha256::digest(bytes))
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
    let pairs = decode_query(raw);
    canonical_query_of_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The canonical request of `parts`: its method, path and canonical `query`, the `headers`
/// (name and value, sorted by name; the values of one name in the order sent), their names
/// and the body's hex SHA-256. Also answers the names `;`-joined, as the Authorization
/// header lists them.
fn canonical_request(
    parts: &http::request::Parts,
    query: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
) -> (String, String) {
    let path = match parts.uri.path() {
        "" => "/",
        path => path,
    };
    let headers_len: usize = headers.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(
        parts.method.as_str().len() + path.len() + query.len() + 2 * headers_len + 80,
    );
    let mut names = String::with_capacity(headers_len);
    out.push_str(parts.method.as_str());
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    // `name:value,value\n` per name.
    let mut previous: Option<&str> = None;
    for (name, value) in headers {
        if previous == Some(*name) {
            out.push(',');
        } else {
            if previous.is_some() {
                out.push('\n');
                names.push(';');
            }
            out.push_str(name);
            out.push(':');
            names.push_str(name);
            previous = Some(*name);
        }
        out.push_str(value.trim());
    }
    if previous.is_some() {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&names);
    out.push('\n');
    out.push_str(payload_hash);
    (out, names)
}

/// The values of the headers named in `signed`, by name (a name that is absent has one empty
/// value, as a signer that listed it saw it).
fn signed_values<'a>(
    parts: &'a http::request::Parts,
    signed: &'a [String],
) -> Vec<(&'a str, &'a str)> {
    let mut values = Vec::with_capacity(signed.len());
    for name in signed {
        let before = values.len();
        values.extend(
            parts
                .headers
                .get_all(name)
                .iter()
                .map(|v| (name.as_str(), v.to_str().unwrap_or_default())),
        );
        if values.len() == before {
            values.push((name.as_str(), ""));
        }
    }
    values
}

/// Computes the signature of `parts` over the headers named in `signed`.
pub fn compute(
    parts: &http::request::Parts,
    signed: &[String],
    payload_hash: &str,
    secret: &str,
) -> Signature {
    let query = canonical_query_of(parts.uri.query());
    let headers = signed_values(parts, signed);
    let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    compute_with_query(parts, &query, &headers, payload_hash, mac)
}

/// The signature over the canonical request of these parts, signing `headers` (sorted by
/// name); `mac` is the HMAC-SHA256 keyed with the AccessKey secret.
fn compute_with_query(
    parts: &http::request::Parts,
    query: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
    mut mac: Hmac<Sha256>,
) -> Signature {
    let (canonical_request, signed_headers) =
        canonical_request(parts, query, headers, payload_hash);
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    // The string to sign, `ALGORITHM\n<hash>`, fed to the HMAC in pieces.
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(hashed_canonical_request.as_bytes());
    let signature = hex32(&mac.finalize().into_bytes());
    Signature {
        canonical_request,
        hashed_canonical_request,
        signed_headers,
        signature,
    }
}

/// The header value of `value` (a `String` is taken over, not copied), or the error naming
/// the header.
fn header_value<V>(name: &str, value: V) -> Result<HeaderValue, SigningError>
where
    HeaderValue: TryFrom<V>,
    <HeaderValue as TryFrom<V>>::Error: std::error::Error + Send + Sync + 'static,
{
    HeaderValue::try_from(value).map_err(SigningError::invalid_header(name))
}

fn set<V>(headers: &mut http::HeaderMap, name: &'static str, value: V) -> Result<(), SigningError>
where
    HeaderValue: TryFrom<V>,
    <HeaderValue as TryFrom<V>>::Error: std::error::Error + Send + Sync + 'static,
{
    headers.insert(HeaderName::from_static(name), header_value(name, value)?);
    Ok(())
}

/// Sets a header whose value is a credential: marked sensitive, so `Debug` output of the
/// request (and HTTP stacks that honour the mark) never shows it.
fn set_secret(
    headers: &mut http::HeaderMap,
    name: HeaderName,
    value: String,
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
    let payload_hash = payload_hash(request.body());
    let (mut parts, body) = std::mem::take(request).into_parts();
    let result = sign_parts(&mut parts, None, &payload_hash, credentials, params);
    *request = http::Request::from_parts(parts, body);
    result
}

/// Signs the head of a request in place (see [`sign`]), given its canonical query when the
/// caller has it and its body's hex SHA-256.
pub(crate) fn sign_parts(
    parts: &mut http::request::Parts,
    canonical_query: Option<&str>,
    payload_hash: &str,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<Signature, SigningError> {
    credentials.check()?;
    if !parts.headers.contains_key(HOST) {
        let authority = parts
            .uri
            .authority()
            .ok_or_else(|| SigningError::NoHost(parts.uri.to_string()))?
            .to_string();
        parts.headers.insert(HOST, header_value("host", authority)?);
    }
    let headers = &mut parts.headers;
    set(headers, "x-acs-date", &date_text(params.time)[..])?;
    set(headers, "x-acs-signature-nonce", params.nonce.as_str())?;
    match payload_hash {
        // Most requests have no body: their hash is static text, not copied.
        EMPTY_SHA256 => set(
            headers,
            "x-acs-content-sha256",
            HeaderValue::from_static(EMPTY_SHA256),
        )?,
        hash => set(headers, "x-acs-content-sha256", hash)?,
    }
    match credentials.security_token() {
        // With STS credentials the official SDKs name the AccessKey ID in a header too.
        Some(token) => {
            set(
                headers,
                "x-acs-accesskey-id",
                credentials.access_key_id().to_owned(),
            )?;
            set_secret(
                headers,
                HeaderName::from_static("x-acs-security-token"),
                token.to_owned(),
            )?;
        }
        None => {
            headers.remove("x-acs-security-token");
            headers.remove("x-acs-accesskey-id");
        }
    }
    // Every signed header in one pass over the map; a stable sort by name keeps the values of
    // one name in the order they are sent.
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(parts.headers.len());
    headers.extend(
        parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_str().unwrap_or_default()))
            .filter(|(k, _)| is_signed_header(k)),
    );
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let query = match canonical_query {
        Some(query) => std::borrow::Cow::Borrowed(query),
        None => std::borrow::Cow::Owned(canonical_query_of(parts.uri.query())),
    };
    let signature = compute_with_query(
        parts,
        &query,
        &headers,
        payload_hash,
        credentials.signing_mac(),
    );
    let id = credentials.access_key_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len()
            + " Credential=,SignedHeaders=,Signature=".len()
            + id.len()
            + signature.signed_headers.len()
            + signature.signature.len(),
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(id);
    authorization.push_str(",SignedHeaders=");
    authorization.push_str(&signature.signed_headers);
    authorization.push_str(",Signature=");
    authorization.push_str(&signature.signature);
    set_secret(&mut parts.headers, AUTHORIZATION, authorization)?;
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

    proptest::proptest! {
        #[test]
        fn dates_format_as_humantime_formats_them(secs in 0u64..=253_402_300_799) {
            let time = UNIX_EPOCH + Duration::from_secs(secs);
            proptest::prop_assert_eq!(
                format_date(time),
                humantime::format_rfc3339_seconds(time).to_string()
            );
        }
    }

    #[test]
    fn the_empty_body_hash_is_sha256_of_nothing() {
        assert_eq!(EMPTY_SHA256, sha256_hex(b""));
        assert_eq!(payload_hash(b""), sha256_hex(b""));
        assert_eq!(payload_hash(b"{}"), sha256_hex(b"{}"));
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
