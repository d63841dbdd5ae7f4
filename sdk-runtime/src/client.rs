//! The async client every product's `Client` wraps: validate, encode once, then sign and send
//! each attempt, repeating what is safe to repeat.

use std::time::{Duration, Instant};

use http::HeaderMap;

use serde_json::Value;

use super::config::Config;
use super::credentials::Credentials;
use super::error::{Error, TransportError, TransportErrorKind, parse_reply, parse_reply_value};
use super::http_request::prepare;
use super::operation::{Operation, OperationSpec};
use super::retry::retry_reason;
use super::signing::SigningParams;
use super::wire::PreparedRequest;

/// Calls any operation: `Caller::new(config).call(request)` takes every generated request
/// type. Each product module's `Client` wraps one and adds a method per operation; use a
/// `Caller` for code that is generic over operations.
#[derive(Debug, Clone)]
pub struct Caller {
    config: Config,
}

/// A successful call: the operation's typed response and what came with it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The typed response.
    pub output: T,
    /// Status, headers and request ID of the reply.
    pub metadata: ResponseMetadata,
}

/// What came with a reply besides its body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseMetadata {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The request ID: the body's `RequestId` (or `requestId`, `request_id`), else the
    /// `x-acs-request-id` header.
    pub request_id: Option<String>,
    /// How many attempts the call took.
    pub attempts: u32,
}

/// The request ID a reply carries.
fn request_id(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        #[serde(alias = "requestId", alias = "request_id")]
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<Id>(body)
        .ok()
        .and_then(|id| id.request_id)
        .filter(|id| !id.is_empty())
        .or_else(|| {
            headers
                .get("x-acs-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
}

impl Caller {
    /// A caller for `config`.
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `R`: validates `request` (nothing is sent when it breaks a rule),
    /// encodes it once (generating the idempotency token if the operation has one and it is
    /// unset), then signs and sends it; every attempt sends the same parameters and token, each
    /// signed with credentials good at that moment (a provider's are fetched at the first call
    /// and again before they expire).
    ///
    /// A failed attempt is repeated (up to [`RetryConfig::max_attempts`](super::RetryConfig)
    /// in all, with backoff) only when that is safe:
    /// - throttling (HTTP 429 or a `Throttling*` code) and a connection that failed before the
    ///   request was sent: for every operation, as the service did not act;
    /// - a 500, 502, 503 or 504 reply, a timeout, or a connection broken after the request was
    ///   sent: only for operations that cannot act twice, read-only ones and those with an
    ///   idempotency token, as the service may have acted;
    /// - never after a TLS failure, a redirect (never followed), a reply past the size
    ///   [`Limits`](super::Limits), or any other status.
    ///
    /// A reply that names a wait (`x-acs-retry-after` in milliseconds, `Retry-After` in seconds
    /// or as a date) is waited for; otherwise the backoff applies. A wait that would end after
    /// the operation timeout is not started: the failure is returned at once. Each retry is
    /// paid from the configuration's retry budget; when it is empty, the failure is returned
    /// at once too.
    pub async fn call<R: Operation>(&self, request: R) -> Result<R::Response, Error> {
        self.call_full(request).await.map(|r| r.output)
    }

    /// As [`call`](Self::call), with the reply's status, headers and request ID.
    pub async fn call_full<R: Operation>(
        &self,
        request: R,
    ) -> Result<Response<R::Response>, Error> {
        let prepared = prepare(&request, &self.config)?;
        self.run(&prepared, parse_reply::<R>).await
    }

    /// Calls operation `spec` with its fields given by wire name, without the typed request and
    /// response (the credential providers' STS calls); the reply's body as JSON.
    pub async fn call_fields(
        &self,
        spec: &'static OperationSpec,
        fields: serde_json::Map<String, Value>,
    ) -> Result<Value, Error> {
        let prepared = PreparedRequest::from_fields(spec, fields)?;
        let parse = |status: u16, headers: &HeaderMap, body: &[u8]| {
            parse_reply_value(spec, status, headers, body)
        };
        self.run(&prepared, parse).await.map(|r| r.output)
    }

    async fn run<T>(
        &self,
        prepared: &PreparedRequest,
        parse: impl Fn(u16, &HeaderMap, &[u8]) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let spec = prepared.spec;
        let overall = self.config.timeouts.operation;
        let deadline = Instant::now() + overall;
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "alibabacloud.call",
            product = spec.product,
            operation = spec.action,
            version = spec.version
        );
        let work = self.attempts(prepared, deadline, &parse);
        #[cfg(feature = "tracing")]
        let work = tracing::Instrument::instrument(work, span);
        match tokio::time::timeout(overall, work).await {
            Ok(result) => result,
            Err(_) => Err(TransportError {
                action: spec.action,
                kind: TransportErrorKind::Timeout,
                message: format!("no result within the operation timeout of {overall:?}"),
                source: None,
            }
            .into()),
        }
    }

    async fn attempts<T>(
        &self,
        prepared: &PreparedRequest,
        deadline: Instant,
        parse: &impl Fn(u16, &HeaderMap, &[u8]) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let spec = prepared.spec;
        let retry = self.config.retry;
        let budget = &self.config.budget;
        let mut withdrawn = 0;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let error = match self.attempt(prepared, attempt, parse).await {
                Ok(response) => {
                    // A success refills the budget: what this call's retries took, or one token.
                    budget.deposit(if withdrawn > 0 { withdrawn } else { 1 });
                    #[cfg(feature = "tracing")]
                    tracing::info!(
                        attempt,
                        status = response.metadata.status,
                        request_id = response.metadata.request_id.as_deref(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "call succeeded"
                    );
                    return Ok(response);
                }
                Err(error) => error,
            };
            let reason = retry_reason(spec, &error);
            let wait = match &error {
                Error::Service(e) => e.retry_after,
                _ => None,
            }
            .unwrap_or_else(|| retry.backoff(attempt));
            let fits = Instant::now()
                .checked_add(wait)
                .is_some_and(|end| end < deadline);
            let retrying = reason
                .is_some_and(|r| attempt < retry.max_attempts && fits && budget.withdraw(r.cost()));
            #[cfg(feature = "tracing")]
            tracing::warn!(
                attempt,
                error = %error,
                request_id = error.service_error().and_then(|e| e.request_id.as_deref()),
                elapsed_ms = started.elapsed().as_millis() as u64,
                retry = retrying,
                wait_ms = if retrying { wait.as_millis() as u64 } else { 0 },
                "attempt failed"
            );
            #[cfg(not(feature = "tracing"))]
            let _ = started;
            let Some(reason) = reason.filter(|_| retrying) else {
                return Err(error);
            };
            withdrawn += reason.cost();
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt<T>(
        &self,
        prepared: &PreparedRequest,
        attempt: u32,
        parse: &impl Fn(u16, &HeaderMap, &[u8]) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let action = prepared.spec.action;
        let params = SigningParams::now();
        let (request, credentials) = if prepared.spec.anonymous {
            (prepared.sign(&self.config, &params)?, None)
        } else {
            let credentials = self.config.resolve_credentials().await?;
            (
                prepared.sign_with(&self.config, &credentials, &params)?,
                Some(credentials),
            )
        };
        let request = reqwest::Request::try_from(request).map_err(|e| transport(action, e))?;
        let limit = self.config.timeouts.attempt;
        let (status, headers, body) =
            match tokio::time::timeout(limit, self.exchange(action, request)).await {
                Ok(reply) => reply?,
                Err(_) => return Err(timeout(action, limit)),
            };
        let output =
            parse(status, &headers, &body).map_err(|e| redacted(e, credentials.as_ref()))?;
        Ok(Response {
            output,
            metadata: ResponseMetadata {
                request_id: request_id(&headers, &body),
                status,
                headers,
                attempts: attempt,
            },
        })
    }

    /// Sends `request` and reads the reply, never more of its body than the limits allow;
    /// a redirect's body is not read at all.
    async fn exchange(
        &self,
        action: &'static str,
        request: reqwest::Request,
    ) -> Result<(u16, HeaderMap, Vec<u8>), Error> {
        let mut response = self
            .config
            .http
            .main()?
            .execute(request)
            .await
            .map_err(|e| transport(action, e))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status.is_redirection() {
            return Ok((status.as_u16(), headers, Vec::new()));
        }
        let limit = if status.is_success() {
            self.config.limits.response_body
        } else {
            self.config.limits.error_body
        };
        let too_large = |size: String| -> Error {
            TransportError {
                action,
                kind: TransportErrorKind::TooLarge,
                message: format!(
                    "the HTTP {} reply's body is {size}, over the limit of {limit} bytes \
                     (Config limits)",
                    status.as_u16()
                ),
                source: None,
            }
            .into()
        };
        if let Some(announced) = response.content_length()
            && usize::try_from(announced).map_or(true, |n| n > limit)
        {
            return Err(too_large(format!("{announced} bytes")));
        }
        let mut body = Vec::with_capacity(
            response
                .content_length()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(limit),
        );
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(action, e))? {
            if chunk.len() > limit - body.len() {
                // Dropping the response closes the connection: nothing more is read.
                return Err(too_large(format!("more than {limit} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status.as_u16(), headers, body))
    }
}

/// The error with the credentials' secret and token scrubbed from what the server said.
fn redacted(mut error: Error, credentials: Option<&Credentials>) -> Error {
    if let Some(c) = credentials {
        error.redact(&[
            c.access_key_secret(),
            c.security_token().unwrap_or_default(),
        ]);
    }
    error
}
/// The error after `error` in its chain of causes. An `io::Error` wrapping another error reports
/// that error's source as its own, skipping the wrapped error itself (where rustls puts its
/// TLS errors), so it is stepped into instead.
fn cause<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a (dyn std::error::Error + 'static)> {
    match error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => Some(inner),
        None => error.source(),
    }
}

/// Whether a TLS error is among the causes of `error`.
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |e| cause(*e)).any(|e| e.is::<rustls::Error>())
}

/// The error and its causes, each once, joined by `: `.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = String::new();
    for e in std::iter::successors(Some(error), |e| cause(*e)) {
        let line = e.to_string();
        // An I/O error that wraps another shows that error's text: say it once.
        if !text.ends_with(&line) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&line);
        }
    }
    text
}

fn transport(action: &'static str, e: reqwest::Error) -> Error {
    // The URL is left out: the endpoint is known, and the query may be long.
    let e = e.without_url();
    let kind = if is_tls(&e) {
        TransportErrorKind::Tls
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError {
        action,
        kind,
        message: chain(&e),
        source: Some(Box::new(e)),
    }
    .into()
}

fn timeout(action: &'static str, limit: Duration) -> Error {
    TransportError {
        action,
        kind: TransportErrorKind::Timeout,
        message: format!("no reply within the attempt timeout of {limit:?}"),
        source: None,
    }
    .into()
}
