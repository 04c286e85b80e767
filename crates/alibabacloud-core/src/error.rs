//! The one public error type.
//!
//! Every failure of a call — a request that could not be built, missing credentials, a
//! network failure, a timeout, a service error body, a malformed success body — is an
//! [`Error`]. Service details (`code`, `message`, `RequestId`, ...) are read through
//! accessors, and `Display` always shows the code, the message and the request id.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;

pub mod codes;

/// Which kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be built (a required parameter is missing, ...).
    Build,
    /// No credentials could be obtained.
    Credentials,
    /// The client configuration is unusable (bad endpoint, unknown region, ...).
    Config,
    /// The service answered with an error (an error body, or `Success: false`).
    Service,
    /// The request did not complete within its timeout.
    Timeout,
    /// The connection failed or broke before a response arrived.
    Network,
    /// The service answered with a success status but a body that does not parse.
    Response,
    /// The endpoint answered with a redirect (HTTP 3xx), which is never followed.
    Redirect,
    /// A waiter saw its resource reach a failure state (a timed-out waiter is a
    /// [`ErrorKind::Timeout`]); [`Error::waiter_state`] holds the state.
    Waiter,
}

/// Detail that RAM adds to an access-denied error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct AccessDeniedDetail {
    /// `System` or `Custom` policy.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub policy_type: Option<String>,
    /// Account that owns the principal.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub auth_principal_owner_id: Option<String>,
    /// `SubUser`, `AssumedRoleUser`, ...
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub auth_principal_type: Option<String>,
    /// Display name of the principal.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub auth_principal_display_name: Option<String>,
    /// `ImplicitDeny` or `ExplicitDeny`.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub no_permission_type: Option<String>,
    /// The RAM action that was denied.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub auth_action: Option<String>,
    /// Encoded diagnostic message for the RAM console.
    #[serde(deserialize_with = "crate::wire::lenient_text")]
    pub encoded_diagnostic_message: Option<String>,
}

/// Error returned by every call.
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Default)]
struct Inner {
    kind: Option<ErrorKind>,
    operation: Option<String>,
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    http_status: Option<u16>,
    access_denied_detail: Option<AccessDeniedDetail>,
    retry_after: Option<Duration>,
    /// The request provably never left the client.
    never_sent: bool,
    /// A write whose request was sent, without a definite answer.
    may_have_run: bool,
    /// The server closed the connection before its answer was complete.
    closed_by_peer: bool,
    /// The idempotency token the call's request carried.
    client_token: Option<String>,
    /// The last state a waiter observed.
    waiter_state: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// Prefix of the codes the gateway uses for throttling (`Throttling`, `Throttling.User`,
/// `Throttling.Api`, ...).
const THROTTLING_PREFIX: &str = "Throttling";

/// Service codes that are safe to retry (a new attempt gets a new nonce and signature).
const RETRYABLE_CODES: &[&str] = &["ServiceUnavailable", "SignatureNonceUsed", "InternalError"];

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind: Some(kind),
                message: message.into(),
                ..Inner::default()
            }),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// A waiter that ended without success: the resource reached a failure state, or the
    /// wait limit passed (`timed_out`). `state` is the last state seen, if any.
    pub fn waiter(
        operation: &str,
        message: impl Into<String>,
        state: Option<String>,
        timed_out: bool,
    ) -> Self {
        let kind = if timed_out {
            ErrorKind::Timeout
        } else {
            ErrorKind::Waiter
        };
        let mut error = Self::new(kind, message);
        error.inner.operation = Some(operation.to_owned());
        error.inner.waiter_state = state;
        error
    }

    /// A waiter's timeout that the failure of its last poll explains: takes that error's
    /// code, HTTP status and RequestId, and keeps it as the source.
    pub(crate) fn caused_by(mut self, cause: Error) -> Self {
        self.inner.code = cause.inner.code.clone();
        self.inner.http_status = cause.inner.http_status;
        self.inner.request_id = cause.inner.request_id.clone();
        self.inner.source = Some(Box::new(cause));
        self
    }

    /// The last state a waiter saw, when the error ends a wait.
    pub fn waiter_state(&self) -> Option<&str> {
        self.inner.waiter_state.as_deref()
    }

    /// A request that could not be built, found before sending (not retried).
    pub(crate) fn build(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Build, message)
    }

    /// A credentials error; `message` says which sources were tried and why each failed.
    pub fn credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Credentials, message)
    }

    /// A timeout.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, message)
    }

    /// A network failure, with its cause.
    pub fn network(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        let mut error = Self::new(ErrorKind::Network, message);
        error.inner.source = Some(Box::new(source));
        error
    }

    /// A success response whose body does not parse.
    pub fn response(
        operation: &str,
        request_id: Option<String>,
        http_status: u16,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        let mut error = Self::new(
            ErrorKind::Response,
            format!("the response body does not match the model: {source}"),
        );
        error.inner.operation = Some(operation.to_owned());
        error.inner.request_id = request_id;
        error.inner.http_status = Some(http_status);
        error.inner.source = Some(Box::new(source));
        error
    }

    /// Responses that parse but contradict the protocol (a page token sent twice, ...).
    pub fn response_shape(operation: &str, message: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorKind::Response, message);
        error.inner.operation = Some(operation.to_owned());
        error
    }

    /// A redirect (HTTP 3xx) that was not followed. `target` names the `Location` host
    /// only (`host[:port]`): the full URL may carry a signature or a token.
    pub fn redirect(status: u16, target: Option<&str>) -> Self {
        let to = match target {
            Some(host) => format!("to {host}"),
            None => "without a usable Location".to_owned(),
        };
        Self::new(
            ErrorKind::Redirect,
            format!(
                "the endpoint answered with a redirect {to}, which is not followed: it would \
                 send the signed request and its credentials to another host; set the \
                 endpoint to the service's own host"
            ),
        )
        .with_http_status(status)
    }

    /// A response body over the configured cap (`Config::max_response_body`).
    /// `declared` is its `Content-Length`, when that was what gave it away.
    pub(crate) fn body_too_large(status: u16, limit: usize, declared: Option<u64>) -> Self {
        let size = match declared {
            Some(length) => format!("declares {length} bytes"),
            None => "goes on".to_owned(),
        };
        Self::new(
            ErrorKind::Response,
            format!(
                "the response body {size}, over the limit of {limit} bytes \
                 (Config::max_response_body); it was not read"
            ),
        )
        .with_http_status(status)
    }

    /// A service error: starts a builder for the details read from the error body.
    pub fn service(code: impl Into<String>, message: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorKind::Service, message);
        error.inner.code = Some(code.into());
        error
    }

    /// A service error known only by its HTTP status (the body was not an error body).
    pub fn status(status: u16, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Service, message).with_http_status(status)
    }

    /// Sets the HTTP status.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.inner.request_id = request_id;
        self
    }

    /// Sets the host id.
    pub fn with_host_id(mut self, host_id: Option<String>) -> Self {
        self.inner.host_id = host_id;
        self
    }

    /// Sets the troubleshooting link.
    pub fn with_recommend(mut self, recommend: Option<String>) -> Self {
        self.inner.recommend = recommend;
        self
    }

    /// Sets the RAM access-denied detail.
    pub fn with_access_denied_detail(mut self, detail: Option<AccessDeniedDetail>) -> Self {
        self.inner.access_denied_detail = detail;
        self
    }

    /// Sets the delay the server asked for (`x-acs-retry-after` or `Retry-After`).
    pub fn with_retry_after(mut self, delay: Option<Duration>) -> Self {
        self.inner.retry_after = delay;
        self
    }

    /// Names the operation that failed.
    pub fn with_operation(mut self, operation: &str) -> Self {
        self.inner.operation = Some(operation.to_owned());
        self
    }

    /// Replaces the message (used to add a diagnosis, such as a wrong secret).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = message.into();
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind.unwrap_or(ErrorKind::Service)
    }

    /// The operation that failed, when known.
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation.as_deref()
    }

    /// The service error code (`Throttling.User`, `InvalidParameter`, ...), or for errors
    /// that never reached the service, `None`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The `RequestId` the service assigned to the call.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The `HostId` of the service that answered.
    pub fn host_id(&self) -> Option<&str> {
        self.inner.host_id.as_deref()
    }

    /// The troubleshooting link the service recommends.
    pub fn recommend(&self) -> Option<&str> {
        self.inner.recommend.as_deref()
    }

    /// The HTTP status of the response, when one arrived.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// RAM's detail for an access-denied error.
    pub fn access_denied_detail(&self) -> Option<&AccessDeniedDetail> {
        self.inner.access_denied_detail.as_ref()
    }

    /// The delay the server asked for before a retry.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Whether this failed call of a write (an operation that is not read-only) may
    /// nevertheless have taken effect: its request was sent and then the answer was a
    /// 5xx, a timeout, a broken connection, or a body that could not be read (even on
    /// HTTP 200, which means it almost certainly ran). `Display` says it may or may not
    /// have run. A write without a `ClientToken` is never sent again after that: check its
    /// effect before sending it again. A write with one was retried with the same token
    /// until the attempts ran out; [`client_token`](Error::client_token) gives the token,
    /// and a new call with it runs at most once.
    ///
    /// Always `false` for read-only operations, and for failures that show the call did
    /// not run (nothing was sent, or the service answered with a client error).
    pub fn may_have_run(&self) -> bool {
        self.inner.may_have_run
    }

    /// Marks the failure as one where the request provably never left the client: DNS
    /// failure, connection refused, connect timeout, TLS handshake failure.
    pub(crate) fn never_sent(mut self) -> Self {
        self.inner.never_sent = true;
        self
    }

    /// Whether a write may be sent again after this failure: the request never left the
    /// client, or the gateway rejected it before the service ran it (throttling, or a
    /// `SignatureNonceUsed` replay check, which happen in the gateway).
    pub(crate) fn safe_to_resend(&self) -> bool {
        self.inner.never_sent
            || self.throttled_by_code()
            || self.code() == Some("SignatureNonceUsed")
    }

    /// Throttling that the gateway states by its code or HTTP 429: it refused the call
    /// before the service ran it. (A server-requested delay alone also counts as
    /// throttling for the backoff, but not as proof that a write did not run.)
    fn throttled_by_code(&self) -> bool {
        self.code().is_some_and(|code| {
            code.strip_prefix(THROTTLING_PREFIX)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        }) || self.http_status() == Some(429)
    }

    /// Whether the request may have reached the service without a definite answer: a
    /// timeout or broken connection after sending, a 5xx, or an unreadable answer.
    pub(crate) fn outcome_unknown(&self) -> bool {
        if self.safe_to_resend() {
            return false;
        }
        match self.kind() {
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Response => true,
            ErrorKind::Service => self.http_status().is_some_and(|status| status >= 500),
            _ => false,
        }
    }

    /// Records that this failed write may have run (see [`Error::may_have_run`]).
    pub(crate) fn mark_may_have_run(mut self) -> Self {
        self.inner.may_have_run = true;
        self
    }

    /// Records that the server closed the connection before its answer was complete.
    pub(crate) fn closed_by_peer(mut self) -> Self {
        self.inner.closed_by_peer = true;
        self
    }

    /// Whether the server closed the connection before its answer was complete (often a
    /// pooled connection the server had just let go): a call that is safe to retry is
    /// retried at once, on a fresh connection.
    pub(crate) fn is_closed_by_peer(&self) -> bool {
        self.inner.closed_by_peer
    }

    /// Records the idempotency token the call's request carried.
    pub(crate) fn with_client_token(mut self, token: Option<String>) -> Self {
        if token.is_some() {
            self.inner.client_token = token;
        }
        self
    }

    /// The idempotency token (`ClientToken`) the failed call's request carried: the one
    /// the caller set, or the one the runtime made for it. After a failure that
    /// [`may_have_run`](Error::may_have_run), sending the same call again with this token
    /// runs it at most once: the service recognises the token of a call it already ran.
    pub fn client_token(&self) -> Option<&str> {
        self.inner.client_token.as_deref()
    }

    /// Whether the service throttled the call: a `Throttling` or `Throttling.*` code,
    /// HTTP 429, or any error that carries a server-requested delay (`x-acs-retry-after`
    /// or `Retry-After`), as the official runtime counts it since 2026.
    pub fn is_throttling(&self) -> bool {
        self.throttled_by_code() || self.retry_after().is_some()
    }

    /// Whether a new attempt of the same call may succeed: network errors, timeouts,
    /// HTTP 5xx, throttling (any `Throttling*` code or HTTP 429), a server-requested
    /// `x-acs-retry-after` or `Retry-After`, `ServiceUnavailable` and `SignatureNonceUsed`.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::Network | ErrorKind::Timeout => true,
            ErrorKind::Service => {
                self.is_throttling()
                    || self.retry_after().is_some()
                    || self.http_status().is_some_and(|status| status >= 500)
                    || self
                        .code()
                        .is_some_and(|code| RETRYABLE_CODES.contains(&code))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        if let Some(operation) = &inner.operation {
            write!(f, "{operation}: ")?;
        }
        match (&inner.code, inner.http_status) {
            (Some(code), Some(status)) => write!(f, "{code} (HTTP {status}): ")?,
            (Some(code), None) => write!(f, "{code}: ")?,
            (None, Some(status))
                if matches!(self.kind(), ErrorKind::Service | ErrorKind::Redirect) =>
            {
                write!(f, "HTTP {status}: ")?
            }
            _ => {}
        }
        f.write_str(&inner.message)?;
        if let Some(request_id) = &inner.request_id {
            write!(f, " (RequestId: {request_id})")?;
        }
        if inner.may_have_run {
            match &inner.client_token {
                Some(token) => write!(
                    f,
                    "; the call may or may not have run: send it again with the same \
                     ClientToken ({token}) to run it at most once"
                )?,
                None => f.write_str(
                    "; the call may or may not have run (it is not read-only, so it was not \
                     retried after its request was sent): check its effect before sending it \
                     again",
                )?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind());
        if let Some(operation) = &inner.operation {
            d.field("operation", operation);
        }
        if let Some(code) = &inner.code {
            d.field("code", code);
        }
        d.field("message", &inner.message);
        if let Some(request_id) = &inner.request_id {
            d.field("request_id", request_id);
        }
        if let Some(status) = inner.http_status {
            d.field("http_status", &status);
        }
        if inner.may_have_run {
            d.field("may_have_run", &true);
        }
        if let Some(token) = &inner.client_token {
            d.field("client_token", token);
        }
        if let Some(source) = &inner.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// A request could not be built before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required parameter was not set.
    #[error("{operation}: the required parameter {parameter} is not set")]
    MissingParameter {
        /// The operation being built.
        operation: &'static str,
        /// Wire name of the parameter.
        parameter: &'static str,
    },
}

impl BuildError {
    /// A required parameter is missing.
    pub fn missing(operation: &'static str, parameter: &'static str) -> Self {
        BuildError::MissingParameter {
            operation,
            parameter,
        }
    }
}

impl From<BuildError> for Error {
    fn from(error: BuildError) -> Self {
        let BuildError::MissingParameter {
            operation,
            parameter,
        } = &error;
        let mut wrapped = Error::new(
            ErrorKind::Build,
            format!("the required parameter {parameter} is not set"),
        );
        wrapped.inner.operation = Some((*operation).to_owned());
        wrapped.inner.source = Some(Box::new(error));
        wrapped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_code_message_and_request_id() {
        let error = Error::service(
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
        .with_http_status(400)
        .with_request_id(Some("REQ-1".into()))
        .with_operation("ListUserCertificateOrder");
        assert_eq!(
            error.to_string(),
            "ListUserCertificateOrder: Throttling.User (HTTP 400): Request was denied due to user flow control. (RequestId: REQ-1)"
        );
        assert!(error.is_throttling());
        assert!(error.is_retryable());
    }

    #[test]
    fn access_denied_detail_accepts_numbers_where_text_is_documented() {
        let detail: AccessDeniedDetail = serde_json::from_str(
            r#"{"AuthPrincipalOwnerId": 1234567890, "NoPermissionType": "ImplicitDeny", "AuthAction": null}"#,
        )
        .expect("lenient");
        assert_eq!(
            detail.auth_principal_owner_id.as_deref(),
            Some("1234567890")
        );
        assert_eq!(detail.no_permission_type.as_deref(), Some("ImplicitDeny"));
        assert_eq!(detail.auth_action, None);
    }

    #[test]
    fn throttling_is_recognised_by_prefix_and_status() {
        assert!(
            Error::service("Throttling.Tenant", "x")
                .with_http_status(400)
                .is_throttling()
        );
        assert!(
            !Error::service("ThrottlingIsFun", "x")
                .with_http_status(400)
                .is_throttling()
        );
        assert!(Error::status(429, "slow down").is_retryable());
        let asked = Error::service("Busy", "x")
            .with_http_status(400)
            .with_retry_after(Some(std::time::Duration::from_millis(10)));
        assert!(asked.is_retryable());
    }

    #[test]
    fn client_errors_are_not_retryable() {
        let error = Error::service("InvalidParameter", "bad").with_http_status(400);
        assert!(!error.is_retryable());
        assert!(!error.is_throttling());
        let error = Error::service("InternalError", "x").with_http_status(500);
        assert!(error.is_retryable());
    }

    #[test]
    fn build_errors_name_operation_and_parameter() {
        let error = Error::from(BuildError::missing("ListDeploymentJobCert", "JobId"));
        assert_eq!(error.kind(), ErrorKind::Build);
        assert_eq!(
            error.to_string(),
            "ListDeploymentJobCert: the required parameter JobId is not set"
        );
    }
}
