//! A hostile HTTP/1.1 server on 127.0.0.1 for client tests: it reads each request, records it,
//! and answers as a script says: any status and headers, a body streamed without end, a reply
//! cut off midway, a connection closed without a reply. One request per connection; every
//! loop is bounded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest request head or body the server reads.
const MAX_READ: usize = 16 << 20;

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method.
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A whole response.
    Full {
        /// The status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// A response whose body is `total` bytes, written in 64 KiB chunks until done or until the
    /// client goes away; `announce` sends a `Content-Length`, else the body is chunked.
    Stream {
        /// The status.
        status: u16,
        /// The body's size.
        total: u64,
        /// Whether `Content-Length` announces it.
        announce: bool,
    },
    /// The head and `sent` bytes of a body announced as `announced` bytes, then the connection
    /// is closed.
    Truncated {
        /// The status.
        status: u16,
        /// The announced size.
        announced: usize,
        /// The bytes sent.
        sent: usize,
    },
    /// The connection is closed without a reply.
    Hangup,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Self {
        Self::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// The same reply with one more header (only for [`Reply::Full`]).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

/// A script: the reply to the `n`th request (0-based).
pub type Script = dyn Fn(usize, &Request) -> Reply + Send + Sync;

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    streamed: Vec<u64>,
}

/// The hostile server. It stops when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

impl Server {
    /// Starts a server on a free port of 127.0.0.1 answering by `script`.
    pub async fn start(script: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let state = Arc::new(Mutex::new(State::default()));
        let script: Arc<Script> = Arc::new(script);
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, script) = (Arc::clone(&shared), Arc::clone(&script));
                tokio::spawn(async move { serve(stream, &state, &*script).await });
            }
        });
        Self { addr, state, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    /// How many requests were read.
    pub fn hits(&self) -> usize {
        self.lock().requests.len()
    }

    /// For each [`Reply::Stream`] answered, the body bytes written before it ended.
    pub fn streamed(&self) -> Vec<u64> {
        self.lock().streamed.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request: its head up to the blank line, then a `Content-Length` body.
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if data.len() > MAX_READ {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_READ);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Hostile\r\nconnection: close\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    match length {
        Some(n) => text.push_str(&format!("content-length: {n}\r\n")),
        None => text.push_str("transfer-encoding: chunked\r\n"),
    }
    text.push_str("\r\n");
    text.into_bytes()
}

async fn serve(mut stream: TcpStream, state: &Mutex<State>, script: &Script) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let n = {
        let mut state = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.requests.push(request.clone());
        state.requests.len() - 1
    };
    match script(n, &request) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut bytes = head(status, &headers, Some(body.len()));
            bytes.extend_from_slice(&body);
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Stream {
            status,
            total,
            announce,
        } => {
            let length = announce.then(|| usize::try_from(total).unwrap_or(usize::MAX));
            let mut written = 0u64;
            if stream.write_all(&head(status, &[], length)).await.is_ok() {
                let chunk = vec![b'x'; 64 << 10];
                while written < total {
                    let size = (total - written).min(chunk.len() as u64) as usize;
                    let frame = if announce {
                        chunk[..size].to_vec()
                    } else {
                        let mut f = format!("{size:x}\r\n").into_bytes();
                        f.extend_from_slice(&chunk[..size]);
                        f.extend_from_slice(b"\r\n");
                        f
                    };
                    if stream.write_all(&frame).await.is_err() {
                        break;
                    }
                    written += size as u64;
                }
                if written == total && !announce {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
            }
            let mut state = state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.streamed.push(written);
        }
        Reply::Truncated {
            status,
            announced,
            sent,
        } => {
            let mut bytes = head(status, &[], Some(announced));
            bytes.extend(std::iter::repeat_n(b'{', sent.min(announced)));
            let _ = stream.write_all(&bytes).await;
        }
        Reply::Hangup => {}
    }
    let _ = stream.shutdown().await;
}

/// A TLS server on 127.0.0.1 whose certificate nobody trusts (self-signed, made afresh): a
/// handshake fails on the client's side unless the client was told to trust the certificate
/// ([`certificate_der`](Self::certificate_der)); then each request is answered with a JSON body
/// `{"RequestId":"tls-ok"}`. It counts the connections it accepts.
pub struct UntrustedTls {
    addr: SocketAddr,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    certificate_der: Vec<u8>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for UntrustedTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UntrustedTls")
            .field("addr", &self.addr)
            .finish()
    }
}

impl UntrustedTls {
    /// Starts the server.
    pub async fn start() -> Self {
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("a cert");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            certified.signing_key.serialize_der(),
        ));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .expect("a server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that rejects the certificate ends here.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < MAX_READ {
                        match tls.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    let body = br#"{"RequestId":"tls-ok"}"#;
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.write_all(body).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Self {
            addr,
            connections,
            certificate_der: certified.cert.der().to_vec(),
            task,
        }
    }

    /// The server's certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// `https://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for UntrustedTls {
    fn drop(&mut self) {
        self.task.abort();
    }
}
