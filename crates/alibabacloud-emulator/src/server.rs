//! The HTTP/1.1 server on `127.0.0.1`: accepts connections, reads each request, hands it to
//! the gateway and writes the answer (or drops the connection, or cuts the body short).
//! A connection that takes longer than the header-read timeout to send a request's
//! headers, or stays idle that long between requests, is closed.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::gateway::{self, Answer, Outcome};
use crate::request::Incoming;
use crate::state::State;

/// Largest request body read (larger ones get the connection closed).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

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
    /// connections that send no complete request head within `header_read_timeout`
    /// (`None`: never).
    pub async fn start(
        port: u16,
        state: Arc<State>,
        header_read_timeout: Option<Duration>,
    ) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let mut http = hyper::server::conn::http1::Builder::new();
        // The timer is always set: hyper refuses a header-read timeout without one.
        http.timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout);
        let task = tokio::spawn(accept_loop(listener, state, http, stopped));
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
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(stream, Arc::clone(&state), http.clone()));
                }
                // Out of file descriptors and the like: back off briefly.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve(stream: TcpStream, state: Arc<State>, http: hyper::server::conn::http1::Builder) {
    let service = service_fn(move |req| respond(Arc::clone(&state), req));
    // A dropped or truncated answer, or a header-read timeout, ends the connection with an
    // error: expected.
    let _ = http.serve_connection(TokioIo::new(stream), service).await;
}

async fn respond(
    state: Arc<State>,
    req: Request<hyper::body::Incoming>,
) -> Result<Response<ResponseBody>, io::Error> {
    let (parts, body) = req.into_parts();
    let body = Limited::new(body, MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?
        .to_bytes();
    let fallback_host = parts
        .uri
        .authority()
        .map_or_else(|| "127.0.0.1".to_owned(), ToString::to_string);
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
    response
}
