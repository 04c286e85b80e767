//! Shared by the runtime's integration tests: a loopback HTTP/1.1 server that records
//! every request and answers with raw bytes from a script, a hand-written service and
//! operations, and a credentials provider that counts attempts.
//!
//! The server speaks just enough HTTP/1.1 for reqwest: it reads one request per
//! connection (head, then a `Content-Length` body), answers, and closes the connection.
//! Answers are raw bytes so a test can send anything: a redirect, a body larger than the
//! client's cap, a `Content-Length` that promises too much, or nothing at all.

#![allow(dead_code)] // each test target uses a different part of this module

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibabacloud_core::credentials::{CredentialsFuture, ProvideCredentials};
use alibabacloud_core::endpoint::ServiceInfo;
use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Operation, Style};
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::{Config, ConfigBuilder, Credentials, Handle, SignatureVersion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const AK_ID: &str = "LTAI-test-id";
pub const AK_SECRET: &str = "test-secret";

/// A product that exists only in these tests.
pub static SERVICE: ServiceInfo = ServiceInfo {
    product: "demo",
    version: "2024-01-01",
    signature: SignatureVersion::V3,
    global_endpoint: Some("demo.aliyuncs.com"),
    regional_endpoints: &[],
    endpoint_rule: None,
    vpc_endpoint_rule: None,
};

/// A read-only query.
pub const READ: Operation = Operation {
    action: "DescribeThings",
    version: "2024-01-01",
    method: HttpMethod::Post,
    style: Style::Rpc,
    path: "/",
    body: BodyFormat::None,
    read_only: true,
    client_token: None,
    sensitive: &[],
    auth: Auth::AccessKey,
};

/// A write (say, a payment): must never run twice.
pub const WRITE: Operation = Operation {
    action: "CreateThing",
    read_only: false,
    client_token: None,
    sensitive: &[],
    ..READ
};

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `POST / ?a=b HTTP/1.1`, as sent.
    pub request_line: String,
    /// Header lines, names lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the request was complete (tokio clock).
    pub at: tokio::time::Instant,
}

impl Recorded {
    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes, then closes the connection.
    Raw(Vec<u8>),
    /// Closes the connection without answering (after reading the request).
    Drop,
    /// Waits (tokio clock), then does the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    /// A JSON answer with `Content-Length`, plus extra header lines.
    pub fn json(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        let mut head = format!(
            "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        Reply::Raw(bytes)
    }

    /// HTTP 200 with a JSON body.
    pub fn ok(body: &str) -> Self {
        Self::json(200, &[], body)
    }

    /// An error body in the POP gateway's shape.
    pub fn error(status: u16, code: &str) -> Self {
        let body = serde_json::json!({
            "RequestId": format!("REQ-{code}"),
            "Code": code,
            "Message": format!("{code} happened"),
        });
        Self::json(status, &[], &body.to_string())
    }

    /// Answers after `delay`.
    pub fn delayed(self, delay: Duration) -> Self {
        Reply::Delay(delay, Box::new(self))
    }
}

/// The body of a successful call.
pub const OK_BODY: &str = r#"{"RequestId":"REQ-OK","Value":"done"}"#;

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A loopback server on `127.0.0.1:0`, stopped when dropped.
pub struct TestServer {
    pub port: u16,
    log: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Answers each request with `handler(request, index)`.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let log = log.clone();
            let connections = connections.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, log.clone(), handler.clone()));
                }
            }
        });
        Self {
            port,
            log,
            connections,
            task,
        }
    }

    /// Always answers with `reply`.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    /// Answers request `i` with `replies[i]`, later ones with the last reply.
    pub async fn sequence(replies: Vec<Reply>) -> Self {
        Self::start(move |_, i| replies[i.min(replies.len() - 1)].clone()).await
    }

    /// `http://127.0.0.1:port`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Complete requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// How many complete requests arrived.
    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// How many connections were accepted (a request need not have followed).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<Recorded>>>, handler: Arc<Handler>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let recorded = Recorded {
        request_line,
        headers,
        body,
        at: tokio::time::Instant::now(),
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(recorded.clone());
        log.len() - 1
    };
    let mut reply = handler(&recorded, index);
    loop {
        match reply {
            Reply::Delay(delay, inner) => {
                tokio::time::sleep(delay).await;
                reply = *inner;
            }
            Reply::Drop => return,
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

/// A port on which nothing listens: connections are refused at once.
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// Static credentials that count how often they are asked for: the runtime asks once per
/// attempt, just before sending, so this counts attempts even when no request arrives.
#[derive(Clone, Debug, Default)]
pub struct CountingCredentials {
    asked: Arc<AtomicUsize>,
}

impl CountingCredentials {
    /// How many attempts were started.
    pub fn attempts(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for CountingCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new(AK_ID, AK_SECRET)) })
    }
}

/// Millisecond backoff so tests stay quick; three attempts as by default.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(20))
}

/// A configuration aimed at `endpoint`, counting attempts through `credentials`.
pub fn config(endpoint: &str, credentials: &CountingCredentials) -> ConfigBuilder {
    Config::builder()
        .endpoint(endpoint)
        .credentials(credentials.clone())
        .retry_policy(fast_retries())
        // A loopback connect takes microseconds, and an attempt lasts at least the connect
        // timeout: short read timeouts stay short.
        .connect_timeout(std::time::Duration::from_millis(250))
}

/// A handle on [`SERVICE`] built from `config`.
pub fn handle(config: ConfigBuilder) -> Handle {
    Handle::new(&config.build(), &SERVICE).expect("handle")
}

/// A listener that never accepts, with its accept queue filled: the kernel drops the SYN
/// of any further connection, so connecting hangs until the client's connect timeout.
/// Keep the returned value alive for as long as the port must stay that way.
pub struct FullBacklog {
    pub port: u16,
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
}

impl FullBacklog {
    /// Binds `127.0.0.1:0` with a backlog of 1 and connects until a connection hangs.
    pub async fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(1).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        for _ in 0..64 {
            match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => queued.push(stream),
                Ok(Err(error)) => panic!("connect to the full listener: {error}"),
                Err(_) => {
                    return Self {
                        port: addr.port(),
                        _listener: listener,
                        _queued: queued,
                    };
                }
            }
        }
        panic!("the accept queue never filled");
    }
}
