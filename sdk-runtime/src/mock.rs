//! A stand-in for the Alibaba Cloud service, driven by the specs, for tests (feature `mock`).
//!
//! [`MockServer`] listens on `127.0.0.1` at a free port and checks every request it receives
//! against the operation's spec: action, version, method, path, every parameter (names, types,
//! enum values, the page's rules) and the V3 signature for the credentials it was started
//! with. A request that passes is answered with the page's example response, or with an error
//! of the operation's table ([`MockServer::fail_with`]), or with throttling
//! ([`MockServer::throttle_next`]). Every request is recorded ([`MockServer::requests`]).
//!
//! The mock is bounded so that a test that misbehaves cannot exhaust the machine: request
//! bodies, the time to send a request's headers, idle connections, open connections and the
//! requests it keeps are limited ([`MockLimits`]); a failed `accept()` (out of file
//! descriptors, say) is logged with `tracing` and retried after a pause, so the mock serves
//! again once resources are free.
//!
//! The mock serves the operations it is given; an SDK crate's `mock` module starts it with
//! every operation that crate compiles in (`generated_sdk::mock::MockServer::start`).

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::ConfigBuilder;
use crate::flat::Received;
use crate::signing::{self, Authorization};
use crate::{Credentials, KnownErrorCode, Location, OperationSpec, decode_query};

/// The operations a mock serves.
pub use crate::operation::Operations;

/// The code of the throttling reply.
pub const THROTTLING_CODE: &str = "Throttling.User";

/// Why a mock could not be set up as asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// Binding the listener failed.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
    /// The code is not in the operation's error-code table.
    #[error("{action} documents no error code {code:?}")]
    UndocumentedCode {
        /// The operation.
        action: &'static str,
        /// The code asked for.
        code: String,
    },
}

/// What the mock accepts and keeps. Every bound has a default that no reasonable test reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockLimits {
    /// The largest request body; a larger one is answered with HTTP 413. Default 8 MiB.
    pub max_body_bytes: usize,
    /// The time a client has to send a request's headers, counted from when the connection
    /// starts waiting for it (so it also ends kept-alive connections that send nothing).
    /// Default 10 s.
    pub header_read_timeout: Duration,
    /// A connection with no traffic either way for this long is closed (a request whose body
    /// stalls, say). Default 30 s.
    pub idle_timeout: Duration,
    /// Connections served at once; further ones wait in the listen backlog. Default 256.
    pub max_connections: usize,
    /// Requests kept for [`MockServer::requests`]; beyond it the oldest are dropped (and
    /// counted, [`MockServer::requests_dropped`]). Default 1,000.
    pub max_recorded_requests: usize,
    /// Bytes of request bodies kept; beyond it the oldest requests are dropped (the latest is
    /// always kept). Default 64 MiB.
    pub max_recorded_bytes: usize,
}

impl Default for MockLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 8 << 20,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: 256,
            max_recorded_requests: 1000,
            max_recorded_bytes: 64 << 20,
        }
    }
}

impl MockLimits {
    /// Sets [`max_body_bytes`](Self::max_body_bytes).
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Sets [`header_read_timeout`](Self::header_read_timeout).
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout).
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`max_connections`](Self::max_connections) (at least 1).
    pub fn with_max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Sets [`max_recorded_requests`](Self::max_recorded_requests).
    pub fn with_max_recorded_requests(mut self, requests: usize) -> Self {
        self.max_recorded_requests = requests;
        self
    }

    /// Sets [`max_recorded_bytes`](Self::max_recorded_bytes).
    pub fn with_max_recorded_bytes(mut self, bytes: usize) -> Self {
        self.max_recorded_bytes = bytes;
        self
    }
}

/// What the mock made of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Answered with the page's example response.
    Success,
    /// Answered with a configured error of the operation's table.
    Error {
        /// The error code.
        code: String,
    },
    /// Answered with throttling.
    Throttled,
    /// The request broke the spec or carried a bad signature.
    Rejected {
        /// The code of the error reply (`SignatureDoesNotMatch`, `InvalidParameter`, ...).
        code: String,
        /// Every problem found.
        problems: Vec<String>,
    },
}

/// A request the mock received. Its `Debug` output hides the values of the `authorization` and
/// `x-acs-security-token` headers ([`header`](Self::header) still gives them).
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path.
    pub path: String,
    /// `x-acs-action`.
    pub action: Option<String>,
    /// `x-acs-version`.
    pub version: Option<String>,
    /// Query pairs, decoded, in the order received.
    pub query: Vec<(String, String)>,
    /// Headers (names in lower case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// What the mock made of it.
    pub verdict: Verdict,
    /// The request id the mock answered with.
    pub request_id: String,
}

impl ReceivedRequest {
    /// The query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Headers whose values are credentials (or derived from them).
const SECRET_HEADERS: [&str; 2] = ["authorization", "x-acs-security-token"];

impl fmt::Debug for ReceivedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| match SECRET_HEADERS.contains(&k.as_str()) {
                true => (k.as_str(), "** redacted **"),
                false => (k.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("action", &self.action)
            .field("version", &self.version)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("verdict", &self.verdict)
            .finish()
    }
}

#[derive(Debug, Default)]
struct State {
    throttle: usize,
    errors: BTreeMap<(&'static str, &'static str), &'static str>,
    replies: BTreeMap<(String, String), Value>,
    requests: VecDeque<ReceivedRequest>,
    recorded_bytes: usize,
    requests_dropped: u64,
    accept_errors: u64,
    next_id: u64,
}

impl State {
    /// Keeps `request`, dropping the oldest ones past the limits.
    fn record(&mut self, request: ReceivedRequest, limits: &MockLimits) {
        self.recorded_bytes += request.body.len();
        self.requests.push_back(request);
        while self.requests.len() > limits.max_recorded_requests
            || (self.recorded_bytes > limits.max_recorded_bytes && self.requests.len() > 1)
        {
            if let Some(old) = self.requests.pop_front() {
                self.recorded_bytes -= old.body.len();
                self.requests_dropped += 1;
            }
        }
    }
}

/// A spec-driven mock of the service. It stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    credentials: Credentials,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // The state stays consistent even if a holder panicked: every update is one assignment.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What every connection task shares.
struct Shared {
    state: Arc<Mutex<State>>,
    credentials: Credentials,
    limits: MockLimits,
    operations: Operations,
}

impl MockServer {
    /// Starts a mock of `operations` on a free port of 127.0.0.1 that accepts requests signed
    /// with `credentials`, with the default [`MockLimits`]. Needs a tokio runtime.
    pub async fn start(
        credentials: Credentials,
        operations: Operations,
    ) -> Result<Self, MockError> {
        Self::start_with(credentials, MockLimits::default(), operations).await
    }

    /// As [`start`](Self::start), with the given limits.
    pub async fn start_with(
        credentials: Credentials,
        limits: MockLimits,
        operations: Operations,
    ) -> Result<Self, MockError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::new(Shared {
            state: Arc::clone(&state),
            credentials: credentials.clone(),
            limits,
            operations,
        });
        let task = tokio::spawn(accept_loop(listener, shared));
        Ok(Self {
            addr,
            credentials,
            state,
            task,
        })
    }

    /// The address the mock listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint to configure (`http://127.0.0.1:<port>`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A configuration builder aimed at this mock (plain HTTP allowed), with its credentials,
    /// region `cn-hangzhou` and short backoffs (so retry tests run fast).
    pub fn config(&self) -> ConfigBuilder {
        crate::Config::builder()
            .credentials(self.credentials.clone())
            .region("cn-hangzhou")
            .endpoint(self.endpoint())
            .allow_http(true)
            .backoff(
                std::time::Duration::from_millis(1),
                std::time::Duration::from_millis(20),
            )
    }

    /// Answers every valid request of `code`'s operation with that documented error (its
    /// table's HTTP status; a 200 error comes as a body with `Success: false`).
    pub fn fail_with<C: KnownErrorCode>(&self, code: C) -> Result<(), MockError> {
        let spec = C::SPEC;
        let info = code.info().ok_or_else(|| MockError::UndocumentedCode {
            action: spec.action,
            code: code.code().to_owned(),
        })?;
        lock(&self.state)
            .errors
            .insert((spec.product, spec.action), info.code);
        Ok(())
    }

    /// Answers the next `n` valid requests with throttling (HTTP 429, `Throttling.User`).
    pub fn throttle_next(&self, n: usize) {
        lock(&self.state).throttle = n;
    }

    /// Answers operation `action` of `product` (as the spec spells them) with `body` instead of
    /// the page's example, once it has checked the request (a stand-in for what the service
    /// would return: STS credentials with a real expiry, say).
    pub fn reply_with(&self, product: &str, action: &str, body: Value) {
        lock(&self.state)
            .replies
            .insert((product.to_owned(), action.to_owned()), body);
    }

    /// Forgets configured errors, throttling and recorded requests.
    pub fn reset(&self) {
        *lock(&self.state) = State::default();
    }

    /// The requests received so far, in order (the latest ones, within
    /// [`MockLimits::max_recorded_requests`] and [`MockLimits::max_recorded_bytes`]).
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        lock(&self.state).requests.iter().cloned().collect()
    }

    /// How many received requests were dropped from [`requests`](Self::requests) to stay within
    /// the limits.
    pub fn requests_dropped(&self) -> u64 {
        lock(&self.state).requests_dropped
    }

    /// How many times accepting a connection failed (each one logged, then retried).
    pub fn accept_errors(&self) -> u64 {
        lock(&self.state).accept_errors
    }
}

/// Accepts connections for as long as the mock lives. A failed `accept()` (file descriptors
/// exhausted, say) is logged and retried after a pause that grows to a second, so the mock
/// serves again once the cause is gone.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(
        shared.limits.max_connections.max(1),
    ));
    let mut pause = Duration::from_millis(10);
    loop {
        // The semaphore is never closed, so this cannot fail; stop if it somehow does.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                pause = Duration::from_millis(10);
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    serve(stream, &shared).await;
                    drop(slot);
                });
            }
            Err(error) => {
                lock(&shared.state).accept_errors += 1;
                tracing::warn!(%error, ?pause, "mock server: accept failed; retrying after a pause");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Serves one connection until it closes, fails, or is idle for too long.
async fn serve(stream: TcpStream, shared: &Arc<Shared>) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let handler = Arc::clone(shared);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&handler);
        async move { Ok::<_, Infallible>(handle(&shared, request).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.header_read_timeout)
        .serve_connection(io, service);
    let idle = shared.limits.idle_timeout;
    tokio::select! {
        // A connection that fails midway only ends that connection.
        _ = connection => {}
        () = activity.idle_for(idle) => {}
    }
}

/// When a connection last moved bytes.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// Completes once no bytes have moved for `idle`.
    async fn idle_for(&self, idle: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// A stream that notes each read and write in its [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Reply = hyper::Response<Full<Bytes>>;

fn reply(status: u16, body: &Value) -> Reply {
    let mut response = hyper::Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

fn error_body(request_id: &str, code: &str, message: &str) -> Value {
    json!({
        "RequestId": request_id,
        "HostId": "127.0.0.1",
        "Code": code,
        "Message": message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
    })
}

async fn handle(shared: &Shared, request: hyper::Request<Incoming>) -> Reply {
    let (state, credentials, limits) = (&shared.state, &shared.credentials, &shared.limits);
    let (parts, body) = request.into_parts();
    let request_id = {
        let mut state = lock(state);
        state.next_id += 1;
        format!("MOCK-{:08}", state.next_id)
    };
    let body = match Limited::new(body, limits.max_body_bytes).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            let message = format!(
                "the request body is larger than the mock's limit of {} bytes",
                limits.max_body_bytes
            );
            return reply(
                413,
                &error_body(&request_id, "RequestEntityTooLarge", &message),
            );
        }
        Err(e) => return reply(400, &error_body(&request_id, "InvalidBody", &e.to_string())),
    };
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let query = decode_query(parts.uri.query().unwrap_or_default());
    let mut received = ReceivedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        action: header("x-acs-action"),
        version: header("x-acs-version"),
        query,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        verdict: Verdict::Success,
        request_id: request_id.clone(),
    };
    let (status, answer, verdict) = match check(&parts, &received, credentials, shared.operations) {
        Err((status, code, problems)) => (
            status,
            error_body(&request_id, code, &problems.join("; ")),
            Verdict::Rejected {
                code: code.to_owned(),
                problems,
            },
        ),
        Ok(spec) => answer(state, spec, &request_id),
    };
    received.verdict = verdict;
    lock(state).record(received, limits);
    reply(status, &answer)
}

fn answer(
    state: &Mutex<State>,
    spec: &'static OperationSpec,
    request_id: &str,
) -> (u16, Value, Verdict) {
    let mut state = lock(state);
    if state.throttle > 0 {
        state.throttle -= 1;
        let body = error_body(
            request_id,
            THROTTLING_CODE,
            "Request was denied due to user flow control.",
        );
        return (429, body, Verdict::Throttled);
    }
    if let Some(info) = state
        .errors
        .get(&(spec.product, spec.action))
        .and_then(|code| spec.error(code))
    {
        let mut body = error_body(request_id, info.code, info.message);
        if let (true, Some(flag), Some(map)) = (
            info.http_status < 300,
            spec.success_field,
            body.as_object_mut(),
        ) {
            map.insert(flag.to_owned(), Value::Bool(false));
        }
        let verdict = Verdict::Error {
            code: info.code.to_owned(),
        };
        return (info.http_status, body, verdict);
    }
    if let Some(body) = state
        .replies
        .get(&(spec.product.to_owned(), spec.action.to_owned()))
    {
        return (200, body.clone(), Verdict::Success);
    }
    // Without an example (an open response), the reply carries the request id alone; a body
    // that is not an object of elements is empty (`null`: no list, no map, no value).
    let body = spec
        .example_response
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_else(|| match spec.response_body {
            crate::ResponseBody::Object => serde_json::json!({ "RequestId": request_id }),
            _ => Value::Null,
        });
    (200, body, Verdict::Success)
}

type Rejection = (u16, &'static str, Vec<String>);

fn check(
    parts: &http::request::Parts,
    received: &ReceivedRequest,
    credentials: &Credentials,
    operations: Operations,
) -> Result<&'static OperationSpec, Rejection> {
    let reject = |status, code, problem: String| (status, code, vec![problem]);
    let action = received.action.as_deref().unwrap_or_default();
    // An action can exist in several versions (and products): the version and path decide.
    let candidates: Vec<&'static OperationSpec> = operations
        .iter()
        .copied()
        .filter(|op| op.action == action)
        .collect();
    let Some(first) = candidates.first().copied() else {
        return Err(reject(
            404,
            "InvalidAction.NotFound",
            format!("no operation {action:?}"),
        ));
    };
    let spec = candidates
        .iter()
        .copied()
        .filter(|op| received.version.as_deref() == Some(op.version))
        .find(|op| match_path(op.path, &received.path).is_some())
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .find(|op| received.version.as_deref() == Some(op.version))
        })
        .unwrap_or(first);
    if received.version.as_deref() != Some(spec.version) {
        let problem = format!(
            "{action} is served at version {}, not {:?}",
            spec.version, received.version
        );
        return Err(reject(400, "InvalidVersion", problem));
    }
    if received.method != spec.method {
        let problem = format!("{action} takes {}, not {}", spec.method, received.method);
        return Err(reject(400, "UnsupportedHTTPMethod", problem));
    }
    let Some(path_params) = match_path(spec.path, &received.path) else {
        let problem = format!("{action} is served at {}, not {}", spec.path, received.path);
        return Err(reject(404, "InvalidPath", problem));
    };
    let mut query = received.query.clone();
    if spec.anonymous {
        // Unsigned: the RPC form names the action, version, format, time and nonce in the
        // query as well.
        query.retain(|(k, _)| {
            !["Action", "Format", "SignatureNonce", "Timestamp", "Version"].contains(&k.as_str())
        });
    } else {
        verify_signature(parts, &received.body, credentials)?;
    }
    let headers = spec
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
        .filter_map(|p| {
            received
                .header(&p.name.to_ascii_lowercase())
                .map(|v| (p.name.to_owned(), v.to_owned()))
        })
        .collect();
    let wire = Received {
        query,
        headers,
        path_params,
        body: &received.body,
    };
    (spec.check)(&wire).map_err(|problems| (400, "InvalidParameter", problems))?;
    Ok(spec)
}

/// The path parameters of `path` read by `template` (`/a/{Id}`), or `None` when it does not match.
fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let expected: Vec<&str> = template.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    if expected.len() != given.len() {
        return None;
    }
    let mut params = Vec::new();
    for (e, g) in expected.iter().zip(&given) {
        match e.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            Some(name) => params.push((
                name.to_owned(),
                percent_decode_str(g).decode_utf8_lossy().into_owned(),
            )),
            None if e == g => {}
            None => return None,
        }
    }
    Some(params)
}

fn verify_signature(
    parts: &http::request::Parts,
    body: &[u8],
    credentials: &Credentials,
) -> Result<(), Rejection> {
    let incomplete = |problem: &str| (400, "IncompleteSignature", vec![problem.to_owned()]);
    let header = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| incomplete("no Authorization header"))?;
    let auth = Authorization::parse(header)
        .ok_or_else(|| incomplete("the Authorization header is not ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=.."))?;
    if auth.credential != credentials.access_key_id() {
        return Err((
            400,
            "InvalidAccessKeyId.NotFound",
            vec![format!("unknown AccessKey ID {:?}", auth.credential)],
        ));
    }
    for required in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(incomplete(&format!("{required} is not signed")));
        }
    }
    for name in parts.headers.keys() {
        if signing::is_signed_header(name.as_str())
            && !auth.signed_headers.iter().any(|h| h == name.as_str())
        {
            return Err(incomplete(&format!("{name} is sent but not signed")));
        }
    }
    if parts
        .headers
        .get("x-acs-security-token")
        .and_then(|v| v.to_str().ok())
        != credentials.security_token()
    {
        return Err(incomplete(
            "x-acs-security-token does not match the credentials",
        ));
    }
    let payload_hash = signing::sha256_hex(body);
    let declared = parts
        .headers
        .get("x-acs-content-sha256")
        .and_then(|v| v.to_str().ok());
    if declared != Some(payload_hash.as_str()) {
        return Err((
            400,
            "SignatureDoesNotMatch",
            vec!["x-acs-content-sha256 is not the body's SHA-256".to_owned()],
        ));
    }
    let expected = signing::compute(
        parts,
        &auth.signed_headers,
        &payload_hash,
        credentials.access_key_secret(),
    );
    if expected.signature != auth.signature {
        // The canonical request helps find what differs; the token's value is left out of it.
        return Err((
            400,
            "SignatureDoesNotMatch",
            vec![format!(
                "the signature does not match; the canonical request the mock computed is {:?}",
                signing::redacted_canonical_request(&expected.canonical_request)
            )],
        ));
    }
    Ok(())
}
