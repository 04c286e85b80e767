//! The HTTP/1.1 server on `127.0.0.1`: accepts connections, reads each request, hands it to
//! the gateway and writes the answer (or drops the connection, or cuts the body short).
//! A connection that takes longer than the header-read timeout to send a request's
//! headers, or stays idle that long between requests, is closed. A request whose body does
//! not arrive in full within the body-read timeout of its head is answered
//! `408 RequestTimeout`, one whose body is over 8 MiB `413 RequestEntityTooLarge` (before
//! reading it when its `content-length` says so); both then close the connection.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited, StreamBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::errors::ApiError;
use crate::gateway::{self, Answer, Outcome};
use crate::request::Incoming;
use crate::state::State;

/// Largest request body read (larger ones are answered 413 and the connection closed).
pub(crate) const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How long connections may take: to send a request head, and then its body.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    /// Head of a request, and idle time between requests (`None`: never).
    pub header_read: Option<Duration>,
    /// The whole body, from the moment the head was read (`None`: never).
    pub body_read: Option<Duration>,
}

type ResponseBody = BoxBody<Bytes, io::Error>;

/// A running accept loop.
#[derive(Debug)]
pub(crate) struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:port` (0: any free port) and starts serving `state`, closing
    /// connections that send no complete request head within the header-read timeout, and
    /// answering 408 to those whose body does not follow within the body-read timeout.
    pub async fn start(port: u16, state: Arc<State>, timeouts: Timeouts) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let mut http = hyper::server::conn::http1::Builder::new();
        // The timer is always set: hyper refuses a header-read timeout without one.
        http.timer(TokioTimer::new())
            .header_read_timeout(timeouts.header_read);
        let task = tokio::spawn(accept_loop(
            listener,
            state,
            http,
            timeouts.body_read,
            stopped,
        ));
        Ok(Server {
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Stops accepting, closes every open connection and waits for the loop to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    http: hyper::server::conn::http1::Builder,
    body_read_timeout: Option<Duration>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(
                        stream,
                        Arc::clone(&state),
                        http.clone(),
                        body_read_timeout,
                    ));
                }
                // Out of file descriptors and the like: back off briefly.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve(
    stream: TcpStream,
    state: Arc<State>,
    http: hyper::server::conn::http1::Builder,
    body_read_timeout: Option<Duration>,
) {
    let service = service_fn(move |req| respond(Arc::clone(&state), body_read_timeout, req));
    // A dropped or truncated answer, or a header-read timeout, ends the connection with an
    // error: expected.
    let _ = http.serve_connection(TokioIo::new(stream), service).await;
}

async fn respond(
    state: Arc<State>,
    body_read_timeout: Option<Duration>,
    req: Request<hyper::body::Incoming>,
) -> Result<Response<ResponseBody>, io::Error> {
    let (parts, body) = req.into_parts();
    let fallback_host = parts
        .uri
        .authority()
        .map_or_else(|| "127.0.0.1".to_owned(), ToString::to_string);
    let refuse = |error: ApiError| {
        let head = Incoming::new(&parts, Bytes::new(), &fallback_host);
        Ok(response(gateway::refuse(&state, &head, &error)))
    };
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return refuse(ApiError::body_too_large(MAX_BODY_BYTES));
    }
    let read = Limited::new(body, MAX_BODY_BYTES).collect();
    let read = match body_read_timeout {
        Some(limit) => match tokio::time::timeout(limit, read).await {
            Ok(read) => read,
            Err(_) => return refuse(ApiError::body_timeout(limit)),
        },
        None => read.await,
    };
    let body = match read {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return refuse(ApiError::body_too_large(MAX_BODY_BYTES));
        }
        // The client went away mid-body: nothing to answer.
        Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
    };
    let incoming = Incoming::new(&parts, body, &fallback_host);
    match gateway::handle(&state, incoming).await {
        Outcome::Drop => Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "fault injected: connection dropped",
        )),
        Outcome::Respond(answer) => Ok(response(answer)),
    }
}

fn response(answer: Answer) -> Response<ResponseBody> {
    let length = answer.body.len();
    let bytes = Bytes::from(answer.body);
    let body: ResponseBody = if answer.truncate {
        let half = bytes.slice(..length / 2);
        let frames = futures::stream::iter([
            Ok(Frame::data(half)),
            Err(io::Error::other("fault injected: body truncated")),
        ]);
        BodyExt::boxed(StreamBody::new(frames))
    } else {
        Full::new(bytes)
            .map_err(|never: Infallible| match never {})
            .boxed()
    };
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(answer.status)
        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(length),
    );
    if let Ok(id) = http::HeaderValue::from_str(&answer.request_id) {
        headers.insert("x-acs-request-id", id);
    }
    if answer.close {
        headers.insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
    }
    response
}
