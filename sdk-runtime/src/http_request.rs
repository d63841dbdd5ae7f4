//! From a request value to a signed `http::Request`, and back from an `http::Response`:
//! the sans-IO surface, for callers who bring their own HTTP stack.

use http::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use super::config::{Config, ConfigError};
use super::credentials::Credentials;
use super::error::{Error, parse_reply};
use super::operation::Operation;
use super::operation::Style;
use super::signing::{self, Signature, SigningError, SigningParams};
use super::wire::{EncodeError, PreparedRequest, canonical_query_of_pairs};

/// Validates `request` (unless the configuration turned validation off) and encodes it.
pub fn prepare<R: Operation>(request: &R, config: &Config) -> Result<PreparedRequest, Error> {
    if config.validate_requests {
        super::Validator::check(request)?;
    }
    Ok(PreparedRequest::new(request)?)
}

/// Validates, encodes and signs `request` with the current time and a fresh nonce: the request
/// for any HTTP stack (the SDK crate's docs show one).
pub fn to_http_request<R: Operation>(
    request: &R,
    config: &Config,
) -> Result<http::Request<Vec<u8>>, Error> {
    prepare(request, config)?.sign(config, &SigningParams::now())
}

/// As [`to_http_request`], signed with `credentials` (a configuration whose credentials come
/// from a provider: `config.resolve_credentials().await` gives them).
pub fn to_http_request_with<R: Operation>(
    request: &R,
    config: &Config,
    credentials: &Credentials,
) -> Result<http::Request<Vec<u8>>, Error> {
    prepare(request, config)?.sign_with(config, credentials, &SigningParams::now())
}

/// Reads an HTTP response to operation `R` (see [`parse_reply`]): a redirect is an
/// [`Error::Redirect`], never followed.
pub fn from_http_response<R: Operation>(
    response: &http::Response<Vec<u8>>,
) -> Result<R::Response, Error> {
    parse_reply::<R>(
        response.status().as_u16(),
        response.headers(),
        response.body(),
    )
}

/// The longest request URI the `http` crate (and so this crate) can carry, in bytes.
pub const MAX_URI_LEN: usize = u16::MAX as usize - 1;

const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");

/// A header value from static text, without copying it, or the error naming the header.
fn static_value(name: &str, value: &'static str) -> Result<HeaderValue, SigningError> {
    // What `HeaderValue::from_static` accepts (it panics on anything else): visible ASCII,
    // spaces and tabs. Other text (bytes above ASCII are valid in a header) is copied.
    if value.bytes().all(|b| (32..127).contains(&b) || b == b'\t') {
        Ok(HeaderValue::from_static(value))
    } else {
        HeaderValue::from_str(value).map_err(SigningError::invalid_header(name))
    }
}

fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), SigningError> {
    let name_ok = HeaderName::try_from(name.to_ascii_lowercase())
        .map_err(SigningError::invalid_header(name))?;
    let value_ok = HeaderValue::from_str(value).map_err(SigningError::invalid_header(name))?;
    Ok((name_ok, value_ok))
}

impl PreparedRequest {
    /// The unsigned HTTP request for `config`'s endpoint.
    pub fn to_unsigned(&self, config: &Config) -> Result<http::Request<Vec<u8>>, Error> {
        self.build(config, &self.query)
    }

    /// The HTTP request with `query` (canonical) as its query string.
    fn build(&self, config: &Config, query: &str) -> Result<http::Request<Vec<u8>>, Error> {
        let (parts, _) = self.head(config, query)?;
        Ok(http::Request::from_parts(parts, self.body.clone()))
    }

    /// The head of [`build`](Self::build)'s request, and the host it goes to.
    fn head(&self, config: &Config, query: &str) -> Result<(http::request::Parts, String), Error> {
        let spec = self.spec;
        let (scheme, authority) = config.endpoint_parts(spec)?;
        // A host parameter is the host's first label, as the official SDKs send it.
        let authority = match &self.parts.host {
            Some(label) => format!("{label}.{authority}"),
            None => authority.into_owned(),
        };
        let mut uri = String::with_capacity(
            scheme.len() + authority.len() + self.parts.path.len() + query.len() + 4,
        );
        uri.push_str(scheme);
        uri.push_str("://");
        uri.push_str(&authority);
        uri.push_str(&self.parts.path);
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(query);
        }
        if uri.len() > MAX_URI_LEN {
            return Err(EncodeError {
                action: spec.action,
                param: "(query string)".to_owned(),
                reason: format!(
                    "the request URI would be {} bytes; at most {MAX_URI_LEN} fit in a URI",
                    uri.len()
                ),
                source: None,
            }
            .into());
        }
        let invalid_request = |e: http::Error| Error::from(SigningError::InvalidRequest(e));
        let method = http::Method::from_bytes(spec.method.as_bytes())
            .map_err(|e| invalid_request(e.into()))?;
        let uri = http::Uri::try_from(uri).map_err(|e| invalid_request(e.into()))?;
        // Room for what a request sends without reallocating: the five set here, the five
        // the signature adds (seven with STS credentials) and a few header parameters.
        let mut headers = http::HeaderMap::with_capacity(12 + self.parts.headers.len());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = config
            .user_agent_header()
            .map_err(SigningError::invalid_header("user-agent"))?;
        headers.insert(USER_AGENT, user_agent);
        headers.insert(X_ACS_ACTION, static_value("x-acs-action", spec.action)?);
        headers.insert(X_ACS_VERSION, static_value("x-acs-version", spec.version)?);
        if let Some(content_type) = self.parts.body.content_type() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in &self.parts.headers {
            let (name, value) = header(name, value)?;
            headers.append(name, value);
        }
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.method = method;
        parts.uri = uri;
        parts.headers = headers;
        Ok((parts, authority))
    }

    /// The signed HTTP request for `config`'s endpoint and fixed credentials (for an anonymous
    /// operation, the request as the service takes it unsigned). A configuration with a
    /// credentials provider signs through [`sign_with`](Self::sign_with).
    pub fn sign(
        &self,
        config: &Config,
        params: &SigningParams,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        self.sign_detailed(config, params)
            .map(|(request, _)| request)
    }

    /// As [`sign`](Self::sign), also returning what the signature was computed from (none for
    /// an anonymous operation).
    pub fn sign_detailed(
        &self,
        config: &Config,
        params: &SigningParams,
    ) -> Result<(http::Request<Vec<u8>>, Option<Signature>), Error> {
        if self.spec.anonymous {
            return Ok((self.unsigned_anonymous(config, params)?, None));
        }
        let credentials = config
            .static_credentials()
            .ok_or(ConfigError::MissingCredentials)?;
        self.signed(config, credentials, params)
    }

    /// The request for `config`'s endpoint, signed with `credentials` (ignored for an anonymous
    /// operation).
    pub fn sign_with(
        &self,
        config: &Config,
        credentials: &Credentials,
        params: &SigningParams,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        if self.spec.anonymous {
            return self.unsigned_anonymous(config, params);
        }
        self.signed(config, credentials, params).map(|(r, _)| r)
    }

    fn signed(
        &self,
        config: &Config,
        credentials: &Credentials,
        params: &SigningParams,
    ) -> Result<(http::Request<Vec<u8>>, Option<Signature>), Error> {
        let (mut parts, host) = self.head(config, &self.query)?;
        let host = HeaderValue::try_from(host).map_err(SigningError::invalid_header("host"))?;
        parts.headers.insert(http::header::HOST, host);
        // The query was encoded canonically by this crate and the body hashed once: the
        // signer takes both as they are.
        let signature = signing::sign_parts(
            &mut parts,
            Some(&self.query),
            &self.payload_hash,
            credentials,
            params,
        )?;
        let request = http::Request::from_parts(parts, self.body.clone());
        Ok((request, Some(signature)))
    }

    /// An anonymous request, as the official SDKs send one: an RPC request names its action,
    /// version, reply format, time and a nonce in the query as well; nothing is signed.
    fn unsigned_anonymous(
        &self,
        config: &Config,
        params: &SigningParams,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        if self.spec.style != Style::Rpc {
            return self.to_unsigned(config);
        }
        let date = signing::format_date(params.time);
        let extra = [
            ("Action", self.spec.action),
            ("Format", "json"),
            ("SignatureNonce", params.nonce.as_str()),
            ("Timestamp", date.as_str()),
            ("Version", self.spec.version),
        ];
        let pairs = self
            .parts
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(extra);
        self.build(config, &canonical_query_of_pairs(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_header_values_never_panic() {
        assert_eq!(static_value("x", "2014-05-26").unwrap(), "2014-05-26");
        // Above ASCII: valid in a header, refused by `from_static`, so copied.
        assert_eq!(
            static_value("x", "v\u{e9}").unwrap().as_bytes(),
            "v\u{e9}".as_bytes()
        );
        assert!(matches!(
            static_value("x-acs-action", "a\nb"),
            Err(SigningError::InvalidHeader { name, .. }) if name == "x-acs-action"
        ));
    }
}
