//! The wire encoding: a request becomes query pairs, headers, a path and a JSON body, by the
//! operation's [`ParamSpec`] table. No network code: the result is turned into a signed
//! `http::Request` by [`PreparedRequest::sign`].

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::binary::Binary;
use super::operation::{Encoding, Location, Operation, OperationSpec};

/// Percent-encodes `text` as the signature and the query string want it (RFC 3986).
pub fn percent_encode(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    push_percent_encoded(&mut out, text);
    ascii_text(out)
}

/// Appends `text`, percent-encoded, to `out`: unreserved bytes as they are, every other byte
/// as `%XX`. The same output as `percent_encoding` with RFC 3986's unreserved set (a test
/// compares them). The query's JSON texts alternate short runs and escapes, which made
/// copying piece by piece slow (a `memcpy` call apiece) and branching on each byte
/// mispredicted; instead every byte writes its four-byte entry of [`ENCODED`] into a stack
/// buffer and moves on by the entry's length, without a branch.
pub(crate) fn push_percent_encoded(out: &mut Vec<u8>, text: &str) {
    const CHUNK: usize = 64;
    let mut buf = [0u8; 3 * CHUNK + 1];
    out.reserve(text.len());
    for chunk in text.as_bytes().chunks(CHUNK) {
        let mut len = 0;
        for &b in chunk {
            let entry = ENCODED[usize::from(b)];
            // `len` is at most 3 per byte before it, so the four bytes fit.
            if let Some(slot) = buf.get_mut(len..len + 4) {
                slot.copy_from_slice(&entry);
            }
            len += usize::from(entry[3]);
        }
        out.extend_from_slice(&buf[..len.min(buf.len())]);
    }
}

/// Each byte's encoding: the byte itself (unreserved) or `%XX` (upper-case hex), padded to
/// three bytes, then its length.
const ENCODED: [[u8; 4]; 256] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [[0u8; 4]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if UNRESERVED[b] {
            [b as u8, 0, 0, 1]
        } else {
            [b'%', HEX[b >> 4], HEX[b & 0xF], 3]
        };
        b += 1;
    }
    table
};

/// The text of bytes [`push_percent_encoded`] wrote: all ASCII, so always UTF-8 (a lossy
/// reading keeps this total without a panic path).
fn ascii_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether RFC 3986 leaves a byte unreserved (`A-Z a-z 0-9 - _ . ~`), by byte.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Orders raw texts as their percent-encodings order byte-wise, without encoding them. Each
/// byte's encoding is either itself (unreserved) or `%XX` (upper-case hex), and no encoding is
/// a prefix of another, so the first differing byte decides: an escaped byte sorts before any
/// unreserved one (`%` is below them all), escaped bytes by value (hex digits sort as their
/// values), unreserved bytes by value.
fn cmp_as_encoded(a: &str, b: &str) -> std::cmp::Ordering {
    let rank = |b: u8| u16::from(b) + if UNRESERVED[usize::from(b)] { 256 } else { 0 };
    for (&x, &y) in a.as_bytes().iter().zip(b.as_bytes()) {
        if x != y {
            return rank(x).cmp(&rank(y));
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `raw` already is a canonical query: `k=v` pairs joined by `&`, every byte
/// unreserved or an upper-case `%XX` escape of a byte that must be escaped, sorted by key,
/// then value. Signing a query this crate encoded takes this path and skips re-encoding.
pub(crate) fn is_canonical_query(raw: &str) -> bool {
    let escaped_ok = |s: &str| {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'%' {
                let hex = |h: u8| h.is_ascii_digit() || (b'A'..=b'F').contains(&h);
                let (Some(&h1), Some(&h2)) = (b.get(i + 1), b.get(i + 2)) else {
                    return false;
                };
                if !hex(h1) || !hex(h2) {
                    return false;
                }
                // An escaped unreserved byte is not canonical.
                let byte = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0);
                if UNRESERVED[usize::from(byte)] {
                    return false;
                }
                i += 3;
            } else if UNRESERVED[usize::from(c)] {
                i += 1;
            } else {
                return false;
            }
        }
        true
    };
    let mut previous: Option<(&str, &str)> = None;
    for pair in raw.split('&') {
        let Some((k, v)) = pair.split_once('=') else {
            return false;
        };
        if !escaped_ok(k) || !escaped_ok(v) || previous.is_some_and(|p| p > (k, v)) {
            return false;
        }
        previous = Some((k, v));
    }
    true
}

/// A request's body, as its parameters place it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A JSON object of the request's body fields.
    Fields(Map<String, Value>),
    /// A whole JSON value (an array, a map, any value).
    Json(Value),
    /// Text sent as it is (a string parameter that is the body, such as JSON text).
    Text(String),
    /// Bytes sent as they are.
    Bytes(Vec<u8>),
    /// Form fields, sent `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

impl Body {
    /// The `Content-Type` the body is sent with.
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Fields(_) | Self::Json(_) | Self::Text(_) => Some(JSON_CONTENT_TYPE),
            Self::Bytes(_) => Some(BINARY_CONTENT_TYPE),
            Self::Form(_) => Some(FORM_CONTENT_TYPE),
        }
    }

    /// The bytes sent.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Self::None => Vec::new(),
            // JSON values always serialize.
            Self::Fields(map) => serde_json::to_vec(map).unwrap_or_default(),
            Self::Json(value) => serde_json::to_vec(value).unwrap_or_default(),
            Self::Text(text) => text.as_bytes().to_vec(),
            Self::Bytes(bytes) => bytes.clone(),
            Self::Form(pairs) => {
                canonical_query_of_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .into_bytes()
            }
        }
    }
}

/// The content type of a JSON body (also of a string body, which holds JSON text).
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The content type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The content type of a binary body.
pub const BINARY_CONTENT_TYPE: &str = "application/octet-stream";

/// A request's parameters, placed where the operation says they travel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WireParts {
    /// Query parameters, decoded, in encoding order.
    pub query: Vec<(String, String)>,
    /// Headers from header parameters.
    pub headers: Vec<(String, String)>,
    /// The path with path parameters filled in, percent-encoded.
    pub path: String,
    /// The first label of the host, from a host parameter.
    pub host: Option<String>,
    /// The body.
    pub body: Body,
}

impl WireParts {
    /// The query string: pairs percent-encoded and sorted byte-wise by key, then value, as the
    /// signature's canonical query wants them.
    pub fn query_string(&self) -> String {
        canonical_query_of_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The body bytes.
    pub fn body_bytes(&self) -> Vec<u8> {
        self.body.bytes()
    }

    /// The value sent for the top-level parameter `name`, as text, wherever it travels.
    pub fn param(&self, name: &str) -> Option<String> {
        self.find_param(name).map(std::borrow::Cow::into_owned)
    }

    /// As [`param`](Self::param), borrowing the text where it is held as text.
    fn find_param(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        fn find<'a>(
            pairs: &'a [(String, String)],
            name: &str,
        ) -> Option<std::borrow::Cow<'a, str>> {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| std::borrow::Cow::Borrowed(v.as_str()))
        }
        find(&self.query, name)
            .or_else(|| find(&self.headers, name))
            .or_else(|| match &self.body {
                Body::Form(pairs) => find(pairs, name),
                Body::Fields(map) => map
                    .get(name)
                    .map(|value| std::borrow::Cow::Owned(scalar_or_json_text(value))),
                _ => None,
            })
    }
}

/// The pairs of a raw query string, percent-decoded (invalid UTF-8 replaced), in order; a
/// pair without `=` has an empty value.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The canonical query of raw (decoded) pairs: each key and value percent-encoded, the pairs
/// sorted byte-wise by encoded key, then value, joined as `k=v&k=v`. The raw pairs are sorted
/// in the order of their encodings ([`cmp_as_encoded`]) and encoded once, straight into the
/// result: two allocations whatever the number of pairs.
pub(crate) fn canonical_query_of_pairs<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> String {
    // Sorted raw, in the order of their encodings, then encoded once into the result.
    let mut pairs: Vec<(&str, &str)> = pairs.collect();
    pairs.sort_unstable_by(|a, b| cmp_as_encoded(a.0, b.0).then_with(|| cmp_as_encoded(a.1, b.1)));
    let raw_len: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = Vec::with_capacity(raw_len * 3 / 2);
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        push_percent_encoded(&mut out, key);
        out.push(b'=');
        push_percent_encoded(&mut out, value);
    }
    ascii_text(out)
}

/// Sorts already-encoded pairs byte-wise (key, then value) and joins them as `k=v&k=v`: the
/// plain version of [`canonical_query_of_pairs`], which the tests hold it to.
#[cfg(test)]
pub(crate) fn canonical_query(pairs: impl Iterator<Item = (String, String)>) -> String {
    let mut pairs: Vec<(String, String)> = pairs.collect();
    pairs.sort_unstable();
    let len = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Why a request could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("{action}: cannot encode parameter {param}: {reason}")]
pub struct EncodeError {
    /// The operation.
    pub action: &'static str,
    /// The parameter's wire name.
    pub param: String,
    /// What went wrong.
    pub reason: String,
    /// The underlying error, where there is one (serialization).
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Places every set parameter of `request` where its operation says it travels.
///
/// The request is serialized straight into its wire parts (`direct.rs`); a shape that path
/// does not take (a parameter in the body or the host, JSON text, a map with keys that are not
/// text, a failing `Serialize`) is serialized once more as a JSON value and placed by
/// [`encode_fields`], which also gives every error, so both paths send the same bytes.
pub fn encode<R: Operation>(request: &R) -> Result<WireParts, EncodeError> {
    let spec = R::SPEC;
    if let Some(parts) = super::direct::encode(spec, request) {
        return Ok(parts);
    }
    encode_via_value(spec, request)
}

/// [`encode`] through a `serde_json::Value` of the whole request: the reference the direct
/// path is tested against.
pub(crate) fn encode_via_value<R: serde::Serialize>(
    spec: &'static OperationSpec,
    request: &R,
) -> Result<WireParts, EncodeError> {
    match serde_json::to_value(request) {
        Ok(Value::Object(fields)) => encode_fields(spec, fields),
        Ok(other) => Err(EncodeError {
            action: spec.action,
            param: "(request)".to_owned(),
            reason: format!("serialized as {other}, not an object"),
            source: None,
        }),
        Err(e) => Err(EncodeError {
            action: spec.action,
            param: "(request)".to_owned(),
            reason: "the request does not serialize".to_owned(),
            source: Some(Box::new(e)),
        }),
    }
}

/// Encodes the request of operation `spec` given as its fields by wire name (what a request
/// type serializes to): the runtime's own calls (the credential providers' STS calls) use it
/// with the generated operation records.
pub fn encode_fields(
    spec: &'static OperationSpec,
    fields: Map<String, Value>,
) -> Result<WireParts, EncodeError> {
    let mut parts = WireParts::empty(spec);
    for (name, value) in fields {
        if value.is_null() {
            continue;
        }
        place(&mut parts, spec, name, value)?;
    }
    Ok(parts)
}

fn encode_error(spec: &OperationSpec, param: &str, reason: String) -> EncodeError {
    EncodeError {
        action: spec.action,
        param: param.to_owned(),
        reason,
        source: None,
    }
}

impl WireParts {
    /// The parts of a request of `spec` with no parameter set: its path template, and an empty
    /// JSON object or form when parameters travel there.
    pub(crate) fn empty(spec: &OperationSpec) -> Self {
        let body = if spec.params.iter().any(|p| p.encoding == Encoding::JsonBody) {
            Body::Fields(Map::new())
        } else if spec.params.iter().any(|p| p.location == Location::Form) {
            Body::Form(Vec::new())
        } else {
            Body::None
        };
        Self {
            query: Vec::with_capacity(spec.params.len()),
            path: spec.path.to_owned(),
            body,
            ..Self::default()
        }
    }
}

/// Places the (non-null) value of the parameter `name` where `spec` says it travels.
pub(crate) fn place(
    parts: &mut WireParts,
    spec: &OperationSpec,
    name: String,
    value: Value,
) -> Result<(), EncodeError> {
    let Some(param) = spec.param(&name) else {
        return Err(encode_error(
            spec,
            &name,
            "the operation has no such parameter".to_owned(),
        ));
    };
    match (param.location, param.encoding) {
        (_, Encoding::JsonBody) => {
            if let Body::Fields(body) = &mut parts.body {
                body.insert(name, value);
            }
        }
        (Location::Body, Encoding::Binary) => {
            let bytes = value
                .as_str()
                .and_then(Binary::from_base64)
                .ok_or_else(|| {
                    encode_error(spec, &name, "the bytes do not read back".to_owned())
                })?;
            parts.body = Body::Bytes(bytes.into_bytes());
        }
        (Location::Body, Encoding::Json) => parts.body = Body::Json(value),
        (Location::Body, _) => parts.body = Body::Text(scalar_or_json_text(&value)),
        (location, encoding) => {
            let mut texts = Vec::new();
            match encoding {
                Encoding::Flat => flatten(&name, &value, &mut texts),
                Encoding::Json => texts.push((name, json_text(&value))),
                Encoding::Simple => texts.push((name, simple_text(&value))),
                _ => texts.push((name, scalar_or_json_text(&value))),
            }
            place_texts(parts, spec, location, texts)?;
        }
    }
    Ok(())
}

/// Where the texts of a parameter in the query, a form or a header go (`None` for the path,
/// the host and the body, which take them one by one).
pub(crate) fn text_list(
    parts: &mut WireParts,
    location: Location,
) -> Option<&mut Vec<(String, String)>> {
    match location {
        Location::Query => Some(&mut parts.query),
        Location::Header => Some(&mut parts.headers),
        Location::Form => match &mut parts.body {
            Body::Form(form) => Some(form),
            _ => None,
        },
        Location::Path | Location::Host | Location::Body => None,
    }
}

/// Places the wire texts of one parameter that travels as text (not in the body).
pub(crate) fn place_texts(
    parts: &mut WireParts,
    spec: &OperationSpec,
    location: Location,
    texts: Vec<(String, String)>,
) -> Result<(), EncodeError> {
    match location {
        Location::Query | Location::Header | Location::Form => {
            if let Some(list) = text_list(parts, location) {
                list.extend(texts);
            }
        }
        Location::Host => parts.host = texts.into_iter().next_back().map(|(_, text)| text),
        Location::Path => {
            for (key, text) in texts {
                let placeholder = format!("{{{key}}}");
                if !parts.path.contains(&placeholder) {
                    return Err(encode_error(
                        spec,
                        &key,
                        format!("the path {} has no {placeholder}", spec.path),
                    ));
                }
                parts.path = parts.path.replace(&placeholder, &percent_encode(&text));
            }
        }
        Location::Body => parts.query.extend(texts),
    }
    Ok(())
}

/// A list of scalars joined by commas (`a,b,c`); anything else as its JSON text.
fn simple_text(value: &Value) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(scalar_or_json_text)
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_or_json_text(other),
    }
}

/// Flattens arrays and objects into `prefix.1.Field` keys; nulls and empty containers vanish.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, item) in map {
                flatten(&format!("{prefix}.{key}"), item, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", i + 1), item, out);
            }
        }
        scalar => out.push((prefix.to_owned(), scalar_or_json_text(scalar))),
    }
}

/// A scalar's wire text (strings as they are, booleans `true`/`false`, numbers in decimal);
/// anything else as JSON text.
pub(crate) fn scalar_or_json_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => json_text(other),
    }
}

fn json_text(value: &Value) -> String {
    // `Value`'s `Display` is its compact JSON text.
    value.to_string()
}

/// A request that has been validated and encoded once, ready to be signed for each attempt.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub(crate) spec: &'static OperationSpec,
    pub(crate) parts: WireParts,
    pub(crate) query: String,
    pub(crate) body: Vec<u8>,
    /// The body's hex SHA-256, which every attempt's signature holds.
    pub(crate) payload_hash: std::borrow::Cow<'static, str>,
}

impl PreparedRequest {
    /// Encodes `request`; when the operation has an idempotency token that `request` leaves
    /// unset, one is generated here, so every attempt made from this value sends the same one.
    pub fn new<R: Operation>(request: &R) -> Result<Self, EncodeError> {
        Ok(Self::from_parts(R::SPEC, encode(request)?))
    }

    /// As [`new`](Self::new), for operation `spec` with its fields given by wire name.
    pub fn from_fields(
        spec: &'static OperationSpec,
        fields: Map<String, Value>,
    ) -> Result<Self, EncodeError> {
        Ok(Self::from_parts(spec, encode_fields(spec, fields)?))
    }

    fn from_parts(spec: &'static OperationSpec, mut parts: WireParts) -> Self {
        if let Some(token) = spec.idempotency_token
            && parts.find_param(token).is_none()
        {
            let value = uuid::Uuid::new_v4().to_string();
            match (spec.param(token).map(|p| p.location), &mut parts.body) {
                (Some(Location::Header), _) => parts.headers.push((token.to_owned(), value)),
                (Some(Location::Body), Body::Fields(body)) => {
                    body.insert(token.to_owned(), Value::String(value));
                }
                (Some(Location::Form), Body::Form(form)) => form.push((token.to_owned(), value)),
                _ => parts.query.push((token.to_owned(), value)),
            }
        }
        let query = parts.query_string();
        let body = parts.body_bytes();
        let payload_hash = crate::signing::payload_hash(&body);
        Self {
            spec,
            parts,
            query,
            body,
            payload_hash,
        }
    }

    /// The operation.
    pub fn spec(&self) -> &'static OperationSpec {
        self.spec
    }

    /// The encoded parameters.
    pub fn parts(&self) -> &WireParts {
        &self.parts
    }

    /// The idempotency token this request carries (generated or the caller's), if the
    /// operation has one.
    pub fn idempotency_token(&self) -> Option<String> {
        self.spec
            .idempotency_token
            .and_then(|t| self.parts.param(t))
    }

    /// The query string (encoded, sorted).
    pub fn query_string(&self) -> &str {
        &self.query
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::operation::{EndpointRule, ParamSpec, Style};
    use crate::{ErrorCodeInfo, KnownErrorCode, OperationSpec, Validate, Validator};

    /// A hand-made ROA operation with a parameter in every place.
    #[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
    struct Roa {
        #[serde(rename = "ClusterId", skip_serializing_if = "Option::is_none")]
        cluster_id: Option<String>,
        #[serde(rename = "x-trace", skip_serializing_if = "Option::is_none")]
        trace: Option<String>,
        #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
        #[serde(rename = "Filter", skip_serializing_if = "Option::is_none")]
        filter: Option<serde_json::Value>,
        #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(rename = "Size", skip_serializing_if = "Option::is_none")]
        size: Option<i64>,
    }

    impl Validate for Roa {
        fn validate_into(&self, v: &mut Validator) {
            v.required("ClusterId", &self.cluster_id);
        }
    }

    #[derive(Debug, Clone)]
    struct NoCodes;

    impl std::fmt::Display for NoCodes {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("none")
        }
    }

    impl KnownErrorCode for NoCodes {
        const SPEC: &'static OperationSpec = &ROA;
        fn from_code(_: &str) -> Self {
            Self
        }
        fn code(&self) -> &str {
            "none"
        }
        fn info(&self) -> Option<&'static ErrorCodeInfo> {
            None
        }
    }

    const ROA: OperationSpec = OperationSpec {
        product: "Test",
        action: "UpdateCluster",
        version: "2024-01-01",
        style: Style::Roa,
        method: "PUT",
        path: "/clusters/{ClusterId}/config",
        endpoint: EndpointRule::Regional {
            host: "test.{region}.aliyuncs.com",
            regions: &[],
            vpc: &[],
        },
        params: &[
            ParamSpec::new("ClusterId", Location::Path, Encoding::Plain),
            ParamSpec::new("x-trace", Location::Header, Encoding::Plain),
            ParamSpec::query_flat("Tags"),
            ParamSpec::query_json("Filter"),
            ParamSpec::body("Name"),
            ParamSpec::body("Size"),
        ],
        idempotency_token: None,
        read_only: false,
        anonymous: false,
        success_field: None,
        errors: &[],
        example_response: None,
        response_body: crate::ResponseBody::Object,
        #[cfg(feature = "mock")]
        check: crate::flat::check::<Roa>,
    };

    impl Operation for Roa {
        type Response = serde_json::Value;
        type ErrorCode = NoCodes;
        const SPEC: &'static OperationSpec = &ROA;
    }

    #[test]
    fn roa_parameters_go_to_path_header_query_and_body() {
        let request = Roa {
            cluster_id: Some("c 1/2".into()),
            trace: Some("t-1".into()),
            tags: Some(vec!["a".into(), "b".into()]),
            filter: Some(serde_json::json!({"k": [1, 2]})),
            name: Some("n".into()),
            size: Some(3),
        };
        let parts = encode(&request).unwrap();
        assert_eq!(parts.path, "/clusters/c%201%2F2/config");
        assert_eq!(parts.headers, [("x-trace".to_owned(), "t-1".to_owned())]);
        assert_eq!(
            parts.query_string(),
            "Filter=%7B%22k%22%3A%5B1%2C2%5D%7D&Tags.1=a&Tags.2=b"
        );
        assert_eq!(
            String::from_utf8(parts.body_bytes()).unwrap(),
            r#"{"Name":"n","Size":3}"#
        );

        // An operation with body fields sends a JSON object even when none is set.
        let empty = encode(&Roa {
            cluster_id: Some("c".into()),
            ..Roa::default()
        })
        .unwrap();
        assert_eq!(empty.body_bytes(), b"{}");
    }

    #[cfg(feature = "mock")]
    #[test]
    fn the_server_side_reading_inverts_the_encoding() {
        use crate::flat::{Received, check};
        let request = Roa {
            cluster_id: Some("c 1".into()),
            trace: Some("t".into()),
            tags: Some(vec!["a".into(), "b".into()]),
            filter: Some(serde_json::json!({"k": true})),
            name: Some("n".into()),
            size: Some(3),
        };
        let parts = encode(&request).unwrap();
        let body = parts.body_bytes();
        let received = Received {
            query: parts.query.clone(),
            headers: parts.headers.clone(),
            path_params: vec![("ClusterId".into(), "c 1".into())],
            body: &body,
        };
        assert_eq!(check::<Roa>(&received), Ok(()));

        let mut unknown = received.clone();
        unknown.query.push(("Tags.3.Deep".into(), "x".into()));
        assert!(check::<Roa>(&unknown).is_err());

        let missing = Received {
            path_params: Vec::new(),
            ..received
        };
        assert_eq!(
            check::<Roa>(&missing),
            Err(vec!["ClusterId: is required".to_owned()])
        );
    }

    #[test]
    fn rfc3986_encoding_keeps_unreserved_and_encodes_space_as_percent_20() {
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode("a b+c*d/é"), "a%20b%2Bc%2Ad%2F%C3%A9");
    }

    proptest::proptest! {
        #[test]
        fn percent_encoding_matches_the_percent_encoding_crate(text in ".*") {
            const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
                .remove(b'-')
                .remove(b'_')
                .remove(b'.')
                .remove(b'~');
            let expected = percent_encoding::utf8_percent_encode(&text, UNRESERVED).to_string();
            proptest::prop_assert_eq!(percent_encode(&text), expected);
        }

        #[test]
        fn canonical_queries_of_raw_pairs_sort_the_encoded_pairs(
            pairs in proptest::collection::vec((".*", ".*"), 0..12),
        ) {
            let expected = canonical_query(
                pairs.iter().map(|(k, v)| (percent_encode(k), percent_encode(v))),
            );
            let got = canonical_query_of_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            proptest::prop_assert_eq!(got, expected);
        }

        /// Short texts over an alphabet that mixes unreserved bytes with escaped ones above
        /// and below them (`[` sorts after `A` raw, before it escaped), so ties and prefixes
        /// are common.
        #[test]
        fn raw_pairs_sort_as_their_encodings(
            pairs in proptest::collection::vec(("[A-Z\\[a~%. é-]{0,3}", "[aZ %~]{0,2}"), 0..12),
        ) {
            let expected = canonical_query(
                pairs.iter().map(|(k, v)| (percent_encode(k), percent_encode(v))),
            );
            let got = canonical_query_of_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn canonical_queries_are_recognised() {
        assert!(is_canonical_query("A=z&Key.10=a&Key.2=b"));
        assert!(is_canonical_query("a=%20b&b=~"));
        assert!(is_canonical_query("k="));
        assert!(!is_canonical_query("b=1&a=1"), "unsorted");
        assert!(!is_canonical_query("a=%41"), "an escaped unreserved byte");
        assert!(!is_canonical_query("a=%2a"), "lower-case hex");
        assert!(!is_canonical_query("a=b c"), "a raw space");
        assert!(!is_canonical_query("a=+"), "a raw plus");
        assert!(!is_canonical_query("a"), "no =");
        assert!(!is_canonical_query("a=%2"), "a cut escape");
    }

    #[test]
    fn canonical_query_sorts_encoded_keys_bytewise() {
        let q = canonical_query(
            [("Key.2", "b"), ("Key.10", "a"), ("A", "z")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        assert_eq!(q, "A=z&Key.10=a&Key.2=b");
    }

    #[test]
    fn flatten_is_one_based_and_skips_empty_arrays_and_nulls() {
        let value = serde_json::json!([{"Code": "a", "Value": 1}, {"Code": "b", "Skip": null}]);
        let mut out = Vec::new();
        flatten("Parameter", &value, &mut out);
        flatten("Empty", &serde_json::json!([]), &mut out);
        flatten("Flag", &serde_json::json!(true), &mut out);
        let expected = [
            ("Parameter.1.Code", "a"),
            ("Parameter.1.Value", "1"),
            ("Parameter.2.Code", "b"),
            ("Flag", "true"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(out, expected);
    }
}
