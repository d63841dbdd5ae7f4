//! The async client every product's `Client` wraps: validate, encode once, then sign and send
//! each attempt, retrying what may succeed on a later try.

use std::time::Duration;

use super::config::Config;
use super::error::{Error, TransportError, TransportErrorKind, parse_response};
use super::http_request::prepare;
use super::operation::Operation;
use super::signing::SigningParams;
use super::wire::PreparedRequest;

/// Sends requests of any operation. Each product module has a `Client` with one method per
/// operation built on this one.
#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
}

impl Client {
    /// A client for `config`.
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `R`: validates `request` (nothing is sent when it breaks a rule),
    /// encodes it once (generating the idempotency token if the operation has one and it is
    /// unset), then signs and sends it, retrying throttling, 5xx replies and failed
    /// connections with backoff; every retry sends the same parameters and token.
    pub async fn call<R: Operation>(&self, request: R) -> Result<R::Response, Error> {
        let prepared = prepare(&request, &self.config)?;
        let overall = self.config.timeouts.operation;
        match tokio::time::timeout(overall, self.attempts::<R>(&prepared)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError {
                action: R::SPEC.action,
                kind: TransportErrorKind::Timeout,
                message: format!("no result within the operation timeout of {overall:?}"),
                source: None,
            }
            .into()),
        }
    }

    async fn attempts<R: Operation>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<R::Response, Error> {
        let retry = self.config.retry;
        let mut attempt = 1;
        loop {
            let result = self.attempt::<R>(prepared).await;
            match result {
                Err(e) if e.is_retryable() && attempt < retry.max_attempts => {
                    tokio::time::sleep(retry.backoff(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn attempt<R: Operation>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<R::Response, Error> {
        let action = R::SPEC.action;
        let request = prepared.sign(&self.config, &SigningParams::now())?;
        let request = reqwest::Request::try_from(request).map_err(|e| transport(action, e))?;
        let limit = self.config.timeouts.attempt;
        let exchange = async {
            let response = self.config.http.execute(request).await?;
            let status = response.status().as_u16();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, body))
        };
        let (status, body) = match tokio::time::timeout(limit, exchange).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => return Err(transport(action, e)),
            Err(_) => return Err(timeout(action, limit)),
        };
        parse_response::<R>(status, &body).map_err(|e| self.redacted(e))
    }

    /// The error with the credentials' secret and token scrubbed from what the server said.
    fn redacted(&self, error: Error) -> Error {
        match error {
            Error::Service(mut service) => {
                let credentials = &self.config.credentials;
                let secrets = [
                    credentials.access_key_secret(),
                    credentials.security_token().unwrap_or_default(),
                ];
                service.redact(&secrets);
                Error::Service(service)
            }
            other => other,
        }
    }
}

fn transport(action: &'static str, e: reqwest::Error) -> Error {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError {
        action,
        kind,
        message: e.to_string(),
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
