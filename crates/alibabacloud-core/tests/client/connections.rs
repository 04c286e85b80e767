//! Keep-alive connections against servers that close them: the pool lets an idle
//! connection go before the server does, and a request the server closes a reused
//! connection under is retried at once on a fresh one when that is safe (a read, or a
//! write with a ClientToken); a write without one still reports that it may have run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alibabacloud_core::connection::PoolOptions;
use alibabacloud_core::operation::{CLIENT_TOKEN, Location};
use alibabacloud_core::{CallOptions, Operation, Params};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::*;

/// What the keep-alive server does with the second request on a connection.
#[derive(Clone, Copy)]
enum Second {
    /// Answers it, then closes the connection after `idle` without a request.
    Answer,
    /// Reads it whole, then closes the connection without a byte of answer.
    Close,
}

/// A keep-alive HTTP/1.1 server on loopback: it answers the first request of every
/// connection and keeps the connection open for `idle`; the second request is handled by
/// `second`. Counts connections and requests.
struct KeepAlive {
    endpoint: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl KeepAlive {
    async fn start(idle: Duration, second: Second) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (c, r) = (connections.clone(), requests.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, idle, second, r.clone()));
            }
        });
        Self {
            endpoint,
            connections,
            requests,
        }
    }
}

async fn read_request(stream: &mut TcpStream, idle: Duration) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return true;
            }
        }
        match tokio::time::timeout(idle, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buffer.extend_from_slice(&chunk[..n]),
            _ => return false,
        }
    }
}

async fn serve(mut stream: TcpStream, idle: Duration, second: Second, requests: Arc<AtomicUsize>) {
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{OK_BODY}",
        OK_BODY.len()
    );
    for index in 0.. {
        if !read_request(&mut stream, idle).await {
            return;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        if index == 1 && matches!(second, Second::Close) {
            return;
        }
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn client(server: &KeepAlive, pool: PoolOptions) -> alibabacloud_core::Handle {
    let credentials = CountingCredentials::default();
    handle(config(&server.endpoint, &credentials).pool(pool))
}

#[tokio::test]
async fn idle_connections_leave_the_pool_before_the_server_closes_them() {
    // The server drops a connection idle for 1 s; the pool lets it go after 300 ms.
    let server = KeepAlive::start(Duration::from_secs(1), Second::Answer).await;
    let pool = PoolOptions {
        idle_timeout: Duration::from_millis(300),
        ..PoolOptions::default()
    };
    let handle = client(&server, pool);
    for _ in 0..3 {
        handle
            .invoke_raw(&WRITE, &Params::new(), &CallOptions::new())
            .await
            .expect("never a stale connection, so a write succeeds");
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        3,
        "each write sent once"
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_request_the_server_closes_a_reused_connection_under_is_retried_at_once_when_safe() {
    let server = KeepAlive::start(Duration::from_secs(5), Second::Close).await;
    let handle = client(&server, PoolOptions::default());
    // The first call opens the connection; the second reuses it and is closed under.
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .unwrap();
    let started = std::time::Instant::now();
    handle
        .invoke_raw(&READ, &Params::new(), &CallOptions::new())
        .await
        .expect("a read is retried on a fresh connection");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
    // At once: no backoff (a correctness bound with a wide margin).
    assert!(started.elapsed() < Duration::from_secs(2));

    // A write with a ClientToken is retried with its token.
    static TOKEN_WRITE: Operation = Operation {
        client_token: Some(Location::Query),
        ..WRITE
    };
    let mut params = Params::new();
    params.push(Location::Query, CLIENT_TOKEN, "token-1");
    handle
        .invoke_raw(&TOKEN_WRITE, &params, &CallOptions::new())
        .await
        .expect("a write with a token is retried");

    // A write without one is not: it may have run.
    let error = handle
        .invoke_raw(&WRITE, &Params::new(), &CallOptions::new())
        .await
        .expect_err("the server closed the connection under it");
    assert!(error.may_have_run(), "{error}");
    assert!(
        error.to_string().contains("closed by the server"),
        "{error}"
    );
}
