//! Interceptors: hooks a user plugs into every call of a client (logging, metrics, header
//! injection) without forking the SDK.
//!
//! Each attempt of a call runs, in order: [`Interceptor::before_sign`] (may add headers
//! and query parameters, which are then signed), [`Interceptor::before_send`] (sees the
//! signed request as text, every secret redacted), then, once the attempt is over,
//! [`Interceptor::after_response`] (the status, headers, RequestId, attempt number,
//! latency, and the error if the attempt failed). Hooks run on the caller's task: keep
//! them short. Their additions never change how a call is retried.
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use alibabacloud_core::interceptor::{AfterResponse, BeforeSign, Interceptor};
//!
//! #[derive(Default)]
//! struct Count(AtomicU64);
//!
//! impl Interceptor for Count {
//!     fn before_sign(&self, context: &mut BeforeSign<'_>) {
//!         context.add_header("x-acs-trace", "demo");
//!     }
//!     fn after_response(&self, response: &AfterResponse<'_>) {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!         let _ = (response.operation.action, response.latency, response.status);
//!     }
//! }
//!
//! let config = alibabacloud_core::Config::builder()
//!     .interceptor(Count::default())
//!     .build();
//! # let _ = config;
//! ```

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::operation::Operation;

/// Hooks on every attempt of every call of a client. Every method does nothing by
/// default; implement those you need.
pub trait Interceptor: Send + Sync + 'static {
    /// Before an attempt is signed: may add headers and query parameters.
    fn before_sign(&self, context: &mut BeforeSign<'_>) {
        let _ = context;
    }

    /// Before an attempt is sent: the signed request, redacted.
    fn before_send(&self, request: &BeforeSend<'_>) {
        let _ = request;
    }

    /// After an attempt: what came back, or why nothing did.
    fn after_response(&self, response: &AfterResponse<'_>) {
        let _ = response;
    }
}

/// What [`Interceptor::before_sign`] sees, and what it may add to the attempt.
pub struct BeforeSign<'a> {
    /// The operation called.
    pub operation: &'a Operation,
    /// The attempt number, from 1.
    pub attempt: u32,
    pub(crate) headers: &'a mut Vec<(String, String)>,
    pub(crate) query: &'a mut Vec<(String, String)>,
}

impl BeforeSign<'_> {
    /// Adds a header (lowercased; signed with V3). A header the signer sets itself
    /// (`host`, `authorization`, `x-acs-*` it produces, `content-type`) is ignored.
    pub fn add_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
    }

    /// Adds a query parameter (signed, like the operation's own).
    pub fn add_query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.query.push((name.into(), value.into()));
    }
}

/// What [`Interceptor::before_send`] sees: the request about to go on the wire.
pub struct BeforeSend<'a> {
    /// The operation called.
    pub operation: &'a Operation,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The request as text, every secret `<redacted>` (see
    /// [`PreparedRequest::redacted`](crate::PreparedRequest::redacted)).
    pub redacted: &'a str,
}

/// What [`Interceptor::after_response`] sees once an attempt is over.
pub struct AfterResponse<'a> {
    /// The operation called.
    pub operation: &'a Operation,
    /// The attempt number, from 1.
    pub attempt: u32,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The response headers, when a response arrived.
    pub headers: Option<&'a http::HeaderMap>,
    /// The call's RequestId, when the service gave one.
    pub request_id: Option<&'a str>,
    /// From sending the attempt to its outcome.
    pub latency: Duration,
    /// Bytes of the response body received.
    pub bytes_in: usize,
    /// The attempt's error, if it failed (it may still be retried).
    pub error: Option<&'a Error>,
}

/// The interceptors of a client, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Interceptors(pub(crate) Vec<std::sync::Arc<dyn Interceptor>>);

impl Interceptors {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} interceptor(s)", self.0.len())
    }
}
