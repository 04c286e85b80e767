//! One attempt on the wire, in three steps: [`prepare`] (pure: encode the parameters, sign
//! them with the nonce and timestamp it is given, build the URL), [`send`] (the I/O: the
//! HTTP exchange and the body read, bounded by the timeouts and the size cap), then
//! [`answer`] (pure: classify what was received into a success body or an [`Error`]).
//! [`attempt`] runs the three with a fresh nonce and timestamp.
//!
//! This module does not know the client handle: a [`Transport`] holds what every attempt
//! of one client shares.

use std::borrow::Cow;
use std::time::{Duration, Instant, SystemTime};

use std::sync::LazyLock;

use bytes::{Bytes, BytesMut};
use memchr::memmem::Finder;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use serde::Deserialize;

use crate::config::MAX_URL_BYTES;
use crate::credentials::Credentials;
use crate::error::{AccessDeniedDetail, Error};
use crate::interceptor::{AfterResponse, BeforeSend, BeforeSign, Interceptors};
use crate::mock::{Mock, MockOutcome, MockRequest};
use crate::operation::{BodyFormat, HttpMethod, Operation, Params};
use crate::signing::{self, Body, SignatureVersion, SigningInput, encode};

/// A success response, its body not yet deserialized: what
/// [`Handle::invoke_raw`](crate::Handle::invoke_raw) returns, for callers that read the
/// JSON themselves (the CLI keeps the keys in the order the service sent them) and for
/// tests. A service error, including Billing's `Success: false` on HTTP 200, is an
/// [`Error`] instead.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// HTTP status (2xx).
    pub status: u16,
    /// The `RequestId` of the call: the body's when the transport read the body (Billing's
    /// `Success` flag), else the `x-acs-request-id` header, else (from
    /// [`Handle::invoke_raw`](crate::Handle::invoke_raw)) the first `RequestId` member
    /// found in the body text.
    pub request_id: Option<String>,
    /// The idempotency token (`ClientToken`) the request carried, if any.
    pub client_token: Option<String>,
    /// The body bytes.
    pub body: Bytes,
}

impl RawResponse {
    /// The error for this success response when its body cannot be read as `operation`'s
    /// response (`source` says why): it names the operation, the status and the RequestId
    /// (from the body when the response had none). The service answered 2xx, so a write
    /// almost certainly ran: the error of an operation that is not read-only reports
    /// [`Error::may_have_run`], with the call's `ClientToken` if it carried one.
    pub fn unreadable(
        &self,
        operation: &Operation,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        let request_id = self
            .request_id
            .clone()
            .or_else(|| request_id_of(&self.body));
        let error = Error::response(operation.action, request_id, self.status, source)
            .with_client_token(self.client_token.clone());
        if operation.read_only {
            error
        } else {
            error.mark_may_have_run()
        }
    }
}

/// Header values that outlive one request: those of the operation and the credentials
/// provider (static text) and the client's host and user agent (made once per client).
/// A signed header with one of these values shares it instead of copying it.
struct KnownValues<'a> {
    operation: &'a Operation,
    provider: Option<&'static str>,
    host: &'a HeaderValue,
    /// The client's user agent, unless the call changes it.
    user_agent: Option<&'a HeaderValue>,
}

/// A header value over static text, without a copy.
fn static_value(text: &'static str) -> Option<HeaderValue> {
    HeaderValue::from_maybe_shared(Bytes::from_static(text.as_bytes())).ok()
}

/// The signed headers as an HTTP header map. The names the signer always produces are
/// static; a value known to outlive the request is shared, a value the signer computed
/// moves into the map, and only the rest (date, nonce, token) is copied.
fn header_map(
    headers: Vec<(Cow<'_, str>, Cow<'_, str>)>,
    known: &KnownValues<'_>,
) -> Result<HeaderMap, Error> {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let shared = match (name.as_ref(), value.as_ref()) {
            ("host", v) if known.host.as_bytes() == v.as_bytes() => Some(known.host.clone()),
            ("user-agent", v) => known
                .user_agent
                .filter(|agent| agent.as_bytes() == v.as_bytes())
                .cloned(),
            ("x-acs-action", v) if v == known.operation.action => {
                static_value(known.operation.action)
            }
            ("x-acs-version", v) if v == known.operation.version => {
                static_value(known.operation.version)
            }
            ("accept", "application/json") => static_value("application/json"),
            ("x-acs-content-sha256", signing::v3::EMPTY_PAYLOAD_HASH) => {
                static_value(signing::v3::EMPTY_PAYLOAD_HASH)
            }
            ("x-acs-credentials-provider", v) if Some(v) == known.provider => {
                known.provider.and_then(static_value)
            }
            _ => None,
        };
        let name = match name.as_ref() {
            "host" => HOST,
            "accept" => ACCEPT,
            "authorization" => AUTHORIZATION,
            "content-type" => CONTENT_TYPE,
            "user-agent" => USER_AGENT,
            "x-acs-action" => HeaderName::from_static("x-acs-action"),
            "x-acs-version" => HeaderName::from_static("x-acs-version"),
            "x-acs-date" => HeaderName::from_static("x-acs-date"),
            "x-acs-signature-nonce" => HeaderName::from_static("x-acs-signature-nonce"),
            "x-acs-content-sha256" => HeaderName::from_static("x-acs-content-sha256"),
            "x-acs-credentials-provider" => HeaderName::from_static("x-acs-credentials-provider"),
            other => HeaderName::from_bytes(other.as_bytes())
                .map_err(|_| Error::config(format!("{other:?} is not a valid header name")))?,
        };
        let value = match (shared, value) {
            (Some(value), _) => Ok(value),
            (None, Cow::Borrowed(text)) => HeaderValue::from_str(text),
            (None, Cow::Owned(text)) => HeaderValue::from_maybe_shared(Bytes::from(text)),
        }
        .map_err(|_| {
            Error::config(format!(
                "the value of header {name} is not valid header text"
            ))
        })?;
        map.append(name, value);
    }
    Ok(map)
}

/// Longest excerpt of a non-JSON error body kept in an error message.
const EXCERPT_CHARS: usize = 200;

/// A request built and signed as [`Handle::invoke`](crate::Handle::invoke) sends it, but
/// not sent: what [`Handle::prepare`](crate::Handle::prepare) returns, and what every
/// attempt of a call builds before it goes on the wire.
///
/// The accessors give the request as it would be sent, secrets included (the V1 query and
/// the V3 headers carry the STS token; a body may carry a private key). To show it, use
/// [`PreparedRequest::redacted`]; `Debug` prints that redacted text too.
#[derive(Clone)]
pub struct PreparedRequest {
    method: HttpMethod,
    url: reqwest::Url,
    headers: HeaderMap,
    body_format: BodyFormat,
    body: Option<Body>,
    /// The string that was signed, for diagnosing a `SignatureDoesNotMatch`.
    string_to_sign: String,
    /// The operation's sensitive parameters (wire names).
    sensitive: &'static [&'static str],
    /// The credentials' secret and token, never shown.
    secrets: Vec<String>,
}

/// What replaces a secret in [`PreparedRequest::redacted`] and in error messages.
pub(crate) const REDACTED: &str = "<redacted>";

impl PreparedRequest {
    /// The HTTP method (`GET`, `POST`).
    pub fn method(&self) -> &'static str {
        self.method.as_str()
    }

    /// The complete URL, query included.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Every header sent, names lowercase, `authorization` included (V3), in the order
    /// they are sent. `content-length` is left to the HTTP client.
    pub fn headers(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().unwrap_or_default()))
            .collect()
    }

    /// The signed query pairs, unencoded, in wire order.
    fn query_pairs(&self) -> Vec<(String, String)> {
        self.url
            .query()
            .map(encode::parse_pairs)
            .unwrap_or_default()
    }

    /// The body bytes, if the operation sends a body.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_ref().map(|body| body.bytes.as_slice())
    }

    /// The request as text, for showing it: the request line (method and URL), one
    /// `name: value` line per header, then a blank line and the body, if any.
    ///
    /// Nothing secret is left in it: the STS token (`SecurityToken` in the query,
    /// `x-acs-security-token`), the signature (`Signature` in the V1 query, the
    /// `Signature=` part of the V3 `authorization`) and the value of every sensitive
    /// parameter of the operation (and of its list items and fields, `Key.1`, `Key.Field`)
    /// read `<redacted>`; the access key secret and the token are also taken out of any
    /// other place they appear. The body is rebuilt from its redacted parameters in its
    /// own encoding, so `x-acs-content-sha256` describes the real body, not the text shown.
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
        let query = self.query_pairs();
        if !query.is_empty() {
            let query: Vec<(String, String)> = query
                .iter()
                .map(|(name, value)| (name.clone(), self.shown_value(name, value)))
                .collect();
            url.set_query(Some(&encode::query_string(&query)));
        }
        // `<redacted>` is shown as is, not percent-encoded.
        let url = url.as_str().replace("%3Credacted%3E", REDACTED);
        let mut text = format!("{} {url}\n", self.method());
        for (name, value) in self.headers() {
            let value = match name {
                "x-acs-security-token" => REDACTED.to_owned(),
                "authorization" => redact_authorization(value),
                _ => value.to_owned(),
            };
            text.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(body) = &self.body {
            let params: Vec<(String, String)> = body
                .params
                .iter()
                .map(|(name, value)| (name.clone(), self.shown_value(name, value)))
                .collect();
            let shown = build_body(self.body_format, &params)
                .map(|body| String::from_utf8_lossy(&body.bytes).into_owned())
                .unwrap_or_default();
            text.push('\n');
            text.push_str(&shown.replace("%3Credacted%3E", REDACTED));
            text.push('\n');
        }
        // The secret and the token are never placed anywhere else, but a parameter value
        // could repeat them. Short ones are not searched for: they would blank out
        // unrelated text.
        let secrets = self.secrets.iter().map(String::as_str);
        redact_text(&text, secrets.filter(|secret| secret.len() >= 8)).unwrap_or(text)
    }

    /// How many bytes the request takes on the wire, roughly: its URL and body.
    pub(crate) fn wire_len(&self) -> usize {
        self.url.as_str().len() + self.body.as_ref().map_or(0, |body| body.bytes.len())
    }

    /// The value shown for a wire parameter: `<redacted>` for a secret.
    fn shown_value(&self, name: &str, value: &str) -> String {
        if self.is_secret_param(name) {
            REDACTED.to_owned()
        } else {
            value.to_owned()
        }
    }

    /// Whether a wire parameter's value must not be shown: the STS token, the V1
    /// signature, a sensitive parameter or one of its items or fields.
    fn is_secret_param(&self, name: &str) -> bool {
        name == "SecurityToken"
            || name == signing::v1::SIGNATURE_PARAM
            || self.sensitive.iter().any(|sensitive| {
                name.strip_prefix(sensitive)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
    }
}

impl std::fmt::Debug for PreparedRequest {
    /// The [`redacted`](PreparedRequest::redacted) text: no secret is ever shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("request", &self.redacted())
            .finish()
    }
}

/// `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=<redacted>`.
fn redact_authorization(value: &str) -> String {
    match value.find("Signature=") {
        Some(at) => format!("{}Signature={REDACTED}", &value[..at]),
        None => REDACTED.to_owned(),
    }
}

/// The body of an operation from its body parameters, in the operation's encoding.
fn build_body(format: BodyFormat, params: &[(String, String)]) -> Option<Body> {
    match format {
        BodyFormat::None => None,
        BodyFormat::Form => Some(Body::form(params.to_vec())),
        BodyFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = params
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let bytes = serde_json::to_vec(&object).unwrap_or_default();
            Some(Body::json(params.to_vec(), bytes))
        }
    }
}

/// What every attempt of one client shares: where it sends, how it signs, the connection
/// pool, the body cap and the interceptors.
#[derive(Debug)]
pub(crate) struct Transport {
    /// Where requests go unless a call overrides it.
    pub(crate) target: Target,
    /// The signature version of every request.
    pub(crate) signature: SignatureVersion,
    /// The `user-agent` header.
    pub(crate) user_agent: String,
    /// The `user-agent` header's value, made once.
    pub(crate) user_agent_value: HeaderValue,
    /// The connection pool, or the mock that answers instead.
    pub(crate) backend: Backend,
    /// The largest response body read, in bytes.
    pub(crate) max_response_body: usize,
    /// Hooks on every attempt.
    pub(crate) interceptors: Interceptors,
    /// Whether `backend` is a client the SDK built (redirects off), not the user's.
    pub(crate) own_client: bool,
}

/// Where a request goes.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// `scheme://authority/`, parsed once.
    pub(crate) base_url: reqwest::Url,
    /// `host[:port]`, the `host` header (and the signed host).
    pub(crate) host: String,
    /// The `host` header's value, made once.
    pub(crate) host_value: HeaderValue,
}

/// What sends a prepared request.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// The network, through this client.
    Http(reqwest::Client),
    /// A mock's rules (`Config::mock`).
    Mock(Mock),
}

/// What one call adds to every attempt: another endpoint, headers, query parameters, a
/// user-agent suffix (from `CallOptions`), and another HTTP client (a per-call connect
/// timeout).
#[derive(Clone, Copy, Default)]
pub(crate) struct Extras<'a> {
    pub(crate) target: Option<&'a Target>,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) query: &'a [(String, String)],
    pub(crate) user_agent: Option<&'a str>,
    pub(crate) http: Option<&'a reqwest::Client>,
    /// Whether the prepared request keeps the credentials' secret and token, to take them
    /// out of its redacted text (the dry run and the interceptors show it; a plain attempt
    /// never does, and copies nothing).
    pub(crate) keep_secrets: bool,
}

/// The nonce and timestamp that make one attempt unique.
#[derive(Clone, Debug)]
pub(crate) struct Stamp {
    nonce: [u8; 32],
    timestamp: [u8; 20],
}

impl Stamp {
    /// A fresh nonce and the current time, without touching the heap.
    pub(crate) fn now() -> Self {
        let mut nonce = [0u8; 32];
        let _ = hex::encode_to_slice(rand::random::<[u8; 16]>(), &mut nonce);
        Self {
            nonce,
            timestamp: signing::timestamp_bytes(SystemTime::now()),
        }
    }

    /// A given nonce (32 characters at most) and timestamp, for tests.
    #[cfg(test)]
    pub(crate) fn fixed(nonce: &str, timestamp: &str) -> Self {
        let mut stamp = Self {
            nonce: [b' '; 32],
            timestamp: [b' '; 20],
        };
        stamp.nonce[..nonce.len()].copy_from_slice(nonce.as_bytes());
        stamp.timestamp.copy_from_slice(timestamp.as_bytes());
        stamp
    }

    pub(crate) fn nonce(&self) -> &str {
        std::str::from_utf8(&self.nonce)
            .unwrap_or_default()
            .trim_end()
    }

    pub(crate) fn timestamp(&self) -> &str {
        std::str::from_utf8(&self.timestamp).unwrap_or_default()
    }
}

/// Builds and signs one attempt with `stamp`, without sending it. Pure: the same inputs
/// give the same request.
pub(crate) fn prepare(
    transport: &Transport,
    operation: &Operation,
    params: &Params,
    credentials: Option<&Credentials>,
    stamp: &Stamp,
    extras: &Extras<'_>,
) -> Result<PreparedRequest, Error> {
    let target = extras.target.unwrap_or(&transport.target);
    let body = build_body(operation.body, params.body());
    let user_agent = extras.user_agent.unwrap_or(&transport.user_agent);
    // The client's headers on the stack; a call's own headers, rare, take a Vec.
    let provider = credentials.map(|c| ("x-acs-credentials-provider", c.provider()));
    let stack: [(&str, &str); 2];
    let with_calls: Vec<(&str, &str)>;
    let extra_headers: &[(&str, &str)] = if extras.headers.is_empty() {
        stack = [("user-agent", user_agent), provider.unwrap_or_default()];
        &stack[..1 + usize::from(provider.is_some())]
    } else {
        with_calls = [("user-agent", user_agent)]
            .into_iter()
            .chain(provider)
            .chain(extras.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .collect();
        &with_calls
    };
    let query: Cow<'_, [(String, String)]> = if extras.query.is_empty() {
        Cow::Borrowed(params.query())
    } else {
        Cow::Owned([params.query(), extras.query].concat())
    };
    let input = SigningInput {
        method: operation.method.as_str(),
        host: &target.host,
        path: operation.path,
        action: operation.action,
        version: operation.version,
        query: &query,
        body: body.as_ref(),
        access_key_id: credentials.map_or("", Credentials::access_key_id),
        access_key_secret: credentials.map_or("", Credentials::access_key_secret),
        security_token: credentials.and_then(Credentials::security_token),
        nonce: stamp.nonce(),
        timestamp: stamp.timestamp(),
        extra_headers,
    };
    let signed = match credentials {
        Some(_) => signing::sign(transport.signature, &input),
        None => signing::unsigned(transport.signature, &input),
    };

    let mut url = target.base_url.clone();
    if operation.path != "/" {
        url.set_path(operation.path);
    }
    if !signed.query.is_empty() {
        url.set_query(Some(&encode::query_string(&signed.query)));
    }
    if url.as_str().len() > MAX_URL_BYTES {
        return Err(url_too_long(params, url.as_str().len()));
    }
    let secrets = match (credentials, extras.keep_secrets) {
        (Some(credentials), true) => std::iter::once(credentials.access_key_secret())
            .chain(credentials.security_token())
            .filter(|secret| !secret.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let signing::SignedRequest {
        headers,
        string_to_sign,
        ..
    } = signed;
    let known = KnownValues {
        operation,
        provider: credentials.map(Credentials::provider),
        host: &target.host_value,
        user_agent: extras
            .user_agent
            .is_none()
            .then_some(&transport.user_agent_value),
    };
    let headers = header_map(headers, &known)?;
    Ok(PreparedRequest {
        method: operation.method,
        url,
        headers,
        body_format: operation.body,
        body,
        string_to_sign,
        sensitive: operation.sensitive,
        secrets,
    })
}

/// One attempt on the wire: the interceptors' `before_sign`, [`prepare`] with a fresh
/// [`Stamp`], `before_send`, [`send`], [`answer`], `after_response`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn attempt(
    transport: &Transport,
    operation: &Operation,
    params: &Params,
    credentials: Option<&Credentials>,
    attempt: u32,
    timeouts: Timeouts,
    extras: &Extras<'_>,
) -> Result<RawResponse, Error> {
    let interceptors = &transport.interceptors;
    let (mut headers, mut query) = (Vec::new(), Vec::new());
    let extras = if interceptors.is_empty() {
        Cow::Borrowed(extras)
    } else {
        headers.extend(extras.headers.iter().cloned());
        query.extend(extras.query.iter().cloned());
        for interceptor in &interceptors.0 {
            interceptor.before_sign(&mut BeforeSign {
                operation,
                attempt,
                headers: &mut headers,
                query: &mut query,
            });
        }
        Cow::Owned(Extras {
            headers: &headers,
            query: &query,
            keep_secrets: true,
            ..*extras
        })
    };
    let mut prepared = prepare(
        transport,
        operation,
        params,
        credentials,
        &Stamp::now(),
        &extras,
    )?;
    if !interceptors.is_empty() {
        let redacted = prepared.redacted();
        for interceptor in &interceptors.0 {
            interceptor.before_send(&BeforeSend {
                operation,
                attempt,
                redacted: &redacted,
            });
        }
    }
    let started = Instant::now();
    // The headers go to the wire; what the answer needs of the request stays.
    let outcome = send(transport, &mut prepared, timeouts, extras.http).await;
    let latency = started.elapsed();
    let latency_ms = latency.as_millis() as u64;
    let span = tracing::Span::current();
    span.record("attempts", attempt);
    span.record("bytes_out", prepared.wire_len() as u64);
    let mut received = match outcome {
        Ok(received) => received,
        Err(error) => {
            tracing::debug!(attempt, latency_ms, error = %error, "attempt failed before a response");
            after_response(transport, operation, attempt, latency, None, Err(&error));
            return Err(error);
        }
    };
    let status = received.status;
    let headers = std::mem::take(&mut received.headers);
    let bytes_in = received.body.len();
    span.record("status", status);
    span.record("bytes_in", bytes_in as u64);
    let mut result = answer(operation, params, credentials, &prepared, received);
    // The RequestId of a body nobody parsed yet, when the span or an interceptor wants it.
    if let Ok(raw) = &mut result {
        if raw.request_id.is_none() && (!span.is_disabled() || !interceptors.is_empty()) {
            raw.request_id = scan_request_id(&raw.body);
        }
    }
    let request_id = match &result {
        Ok(raw) => raw.request_id.as_deref(),
        Err(error) => error.request_id(),
    };
    if let Some(request_id) = request_id {
        span.record("request_id", request_id);
    }
    tracing::debug!(attempt, status, request_id, latency_ms, "attempt finished");
    let seen = Seen {
        status,
        headers: &headers,
        request_id,
        bytes_in,
    };
    after_response(
        transport,
        operation,
        attempt,
        latency,
        Some(seen),
        result.as_ref().map(drop),
    );
    result
}

/// What came back of an attempt, for the interceptors.
struct Seen<'a> {
    status: u16,
    headers: &'a HeaderMap,
    request_id: Option<&'a str>,
    bytes_in: usize,
}

/// Runs the interceptors' `after_response`.
fn after_response(
    transport: &Transport,
    operation: &Operation,
    attempt: u32,
    latency: Duration,
    seen: Option<Seen<'_>>,
    outcome: Result<(), &Error>,
) {
    for interceptor in &transport.interceptors.0 {
        interceptor.after_response(&AfterResponse {
            operation,
            attempt,
            status: seen.as_ref().map(|s| s.status),
            headers: seen.as_ref().map(|s| s.headers),
            request_id: seen.as_ref().and_then(|s| s.request_id),
            latency,
            bytes_in: seen.as_ref().map_or(0, |s| s.bytes_in),
            error: outcome.err(),
        });
    }
}

/// What [`send`] received.
pub(crate) struct Received {
    status: u16,
    /// The response headers.
    headers: HeaderMap,
    retry_after: Option<Duration>,
    /// The `x-acs-request-id` header, which the gateway sets even on errors whose body is
    /// not JSON.
    request_id: Option<String>,
    /// For a redirect, the `Location` host (`host[:port]`), resolved against the request.
    redirect_host: Option<String>,
    body: Bytes,
}

/// What the service's answer means: a refused redirect, a success body or the service's
/// error (with the request's secrets taken out of its message). Pure.
pub(crate) fn answer(
    operation: &Operation,
    params: &Params,
    credentials: Option<&Credentials>,
    prepared: &PreparedRequest,
    received: Received,
) -> Result<RawResponse, Error> {
    let Received {
        status,
        retry_after,
        request_id,
        redirect_host,
        body,
        ..
    } = received;
    if (300..400).contains(&status) {
        tracing::debug!(status, "redirect refused");
        return Err(Error::redirect(status, redirect_host.as_deref()).with_request_id(request_id));
    }
    classify(
        operation.action,
        Answer {
            status,
            retry_after,
            request_id,
            body,
        },
        &prepared.string_to_sign,
    )
    .map_err(|error| {
        let token = credentials.and_then(Credentials::security_token);
        let secrets = params
            .pairs()
            .filter(|(name, _)| operation.sensitive.contains(name))
            .map(|(_, value)| value);
        redact_secrets(error, token.into_iter().chain(secrets))
    })
}

/// The host a redirect points to, never its path or query (they may hold a signature).
fn redirect_host(response: &reqwest::Response) -> Option<String> {
    let location = response.headers().get(reqwest::header::LOCATION)?;
    let url = response.url().join(location.to_str().ok()?).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// The error for a URL over [`MAX_URL_BYTES`], naming its largest query parameter.
fn url_too_long(params: &Params, length: usize) -> Error {
    let largest = params
        .query()
        .iter()
        .map(|(name, value)| (name, name.len() + 1 + encode::percent_encode(value).len()))
        .max_by_key(|(_, size)| *size);
    let culprit = match largest {
        Some((name, size)) => {
            format!("; its largest query parameter is {name} ({size} bytes encoded)")
        }
        None => String::new(),
    };
    Error::build(format!(
        "the request URL would be {length} bytes, over this SDK's limit of {MAX_URL_BYTES} \
         bytes{culprit}; nothing was sent"
    ))
}

/// Sends a prepared request and reads the answer: the only I/O of an attempt. The attempt's
/// limit bounds the whole exchange; the body is read up to the transport's cap. `http`
/// replaces the transport's client for this call.
pub(crate) async fn send(
    transport: &Transport,
    prepared: &mut PreparedRequest,
    timeouts: Timeouts,
    http: Option<&reqwest::Client>,
) -> Result<Received, Error> {
    let client = match (&transport.backend, http) {
        (Backend::Mock(mock), _) => return send_to_mock(mock, prepared),
        (Backend::Http(_), Some(client)) => client,
        (Backend::Http(client), None) => client,
    };
    let method = match prepared.method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
    };
    // The request is put together by hand so that the prepared header map moves into it
    // (the builder would copy every header into a map of its own).
    let mut request = reqwest::Request::new(method, prepared.url.clone());
    *request.headers_mut() = std::mem::take(&mut prepared.headers);
    *request.timeout_mut() = Some(timeouts.total);
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.bytes.clone().into());
    }
    let mut response = client
        .execute(request)
        .await
        .map_err(|e| network_error(e, timeouts))?;
    // An answer from elsewhere (a redirect followed by a client brought by the user) is
    // refused: the signed request went there; nothing more of it does.
    if !transport.own_client && response.url().as_str() != prepared.url.as_str() {
        let host = response.url().host_str().unwrap_or_default().to_owned();
        return Err(Error::redirect(response.status().as_u16(), Some(&host)));
    }
    let status = response.status().as_u16();
    let redirect_host = if response.status().is_redirection() {
        redirect_host(&response)
    } else {
        None
    };
    let retry_after = retry_after(response.headers());
    let request_id = response
        .headers()
        .get("x-acs-request-id")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
        .map(str::to_owned);
    let headers = std::mem::take(response.headers_mut());
    let body = read_body(&mut response, status, timeouts, transport.max_response_body).await?;
    Ok(Received {
        status,
        headers,
        retry_after,
        request_id,
        redirect_host,
        body,
    })
}

/// A mock's answer to a prepared request, as if it had come over the network.
fn send_to_mock(mock: &Mock, prepared: &PreparedRequest) -> Result<Received, Error> {
    let mut params = std::collections::BTreeMap::new();
    let body_params = prepared.body.iter().flat_map(|body| body.params.iter());
    let query = prepared.query_pairs();
    for (name, value) in query.iter().chain(body_params) {
        if !signing::v1::COMMON_PARAMS.contains(&name.as_str()) {
            params.insert(name.clone(), value.clone());
        }
    }
    let header = |name: &str| {
        prepared
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let action = query
        .iter()
        .find(|(n, _)| n == "Action")
        .map(|(_, v)| v.clone())
        .or_else(|| header("x-acs-action"))
        .unwrap_or_default();
    let version = header("x-acs-version").unwrap_or_default();
    let request = MockRequest {
        action,
        version,
        params,
        sensitive: prepared.sensitive,
    };
    match mock.answer(request)? {
        MockOutcome::Response(status, body) => Ok(Received {
            status,
            headers: HeaderMap::new(),
            retry_after: None,
            request_id: None,
            redirect_host: None,
            body,
        }),
        MockOutcome::Broken => Err(Error::network(
            "the connection failed before a complete response arrived",
            std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "mock: connection reset",
            ),
        )),
        MockOutcome::Refused => Err(Error::network(
            "could not connect to the endpoint",
            std::io::Error::new(
                std::io::ErrorKind::ConnectionRefused,
                "mock: connection refused",
            ),
        )
        .never_sent()),
    }
}

/// The delay the server asks for before a retry: the gateway's `x-acs-retry-after`, in
/// milliseconds (as the official tea-openapi client reads it), else the standard
/// `Retry-After` in seconds (RFC 9110). Only a positive whole number counts: a
/// `Retry-After` HTTP-date is ignored (the gateway is not known to send one, and a date
/// depends on both clocks), so the policy's own backoff applies.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|n| *n > 0)
    };
    number("x-acs-retry-after")
        .map(Duration::from_millis)
        .or_else(|| number("retry-after").map(Duration::from_secs))
}

async fn next_chunk(
    response: &mut reqwest::Response,
    timeouts: Timeouts,
) -> Result<Option<Bytes>, Error> {
    response
        .chunk()
        .await
        .map_err(|e| network_error(e, timeouts))
}

/// Reads the body chunk by chunk, failing as soon as it is known to exceed `max_body`:
/// from `Content-Length` before reading, else once the bytes read pass the cap.
async fn read_body(
    response: &mut reqwest::Response,
    status: u16,
    timeouts: Timeouts,
    max_body: usize,
) -> Result<Bytes, Error> {
    let declared = response.content_length();
    if let Some(length) = declared.filter(|length| *length > max_body as u64) {
        return Err(Error::body_too_large(status, max_body, Some(length)));
    }
    // Most answers arrive in one chunk: keep it without copying.
    let Some(first) = next_chunk(response, timeouts).await? else {
        return Ok(Bytes::new());
    };
    if first.len() > max_body {
        return Err(Error::body_too_large(status, max_body, None));
    }
    let Some(second) = next_chunk(response, timeouts).await? else {
        return Ok(first);
    };
    let capacity = declared.map_or(first.len() + second.len(), |length| length as usize);
    let mut body = BytesMut::with_capacity(capacity);
    body.extend_from_slice(&first);
    let mut chunk = Some(second);
    while let Some(bytes) = chunk {
        if body.len() + bytes.len() > max_body {
            return Err(Error::body_too_large(status, max_body, None));
        }
        body.extend_from_slice(&bytes);
        chunk = next_chunk(response, timeouts).await?;
    }
    Ok(body.freeze())
}

/// Describes a failed send or body read. A connect failure (DNS, refused, connect
/// timeout, TLS handshake) is checked before the timeout kind: reqwest marks a connect
/// timeout as both, and it must not be reported, with the wrong advice, as a read timeout.
fn network_error(error: reqwest::Error, timeouts: Timeouts) -> Error {
    // The URL holds the query, which under V1 carries `SecurityToken`: keep it out of the
    // error's source (and so out of `Debug`, error chains and logs).
    let error = error.without_url();
    if error.is_connect() {
        if error.is_timeout() {
            let message = format!(
                "could not connect to the endpoint within the connect timeout ({} ms): it \
                 is unreachable or not accepting connections; check the endpoint, or allow \
                 longer with Config::connect_timeout",
                timeouts.connect.as_millis()
            );
            Error::network(message, error).never_sent()
        } else {
            Error::network("could not connect to the endpoint", error).never_sent()
        }
    } else if error.is_timeout() {
        Error::timeout(format!(
            "no complete response within the read timeout ({} ms); a longer read timeout \
             (Config::read_timeout or CallOptions::read_timeout) may help",
            timeouts.read.as_millis()
        ))
    } else if closed_by_peer(&error) {
        Error::network(
            "the connection was closed by the server before a complete response arrived",
            error,
        )
        .closed_by_peer()
    } else {
        Error::network(
            "the connection failed before a complete response arrived",
            error,
        )
    }
}

/// Whether the server closed the connection before its answer was complete: hyper's
/// incomplete message, or a reset, broken pipe or early end of the socket. On a pooled
/// connection this is the race with a server's idle timeout.
fn closed_by_peer(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if current
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
        {
            return true;
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::{
                BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof,
            };
            if matches!(
                io.kind(),
                ConnectionReset | BrokenPipe | ConnectionAborted | UnexpectedEof
            ) {
                return true;
            }
        }
        cause = current.source();
    }
    false
}

/// The timeouts of one attempt, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
    /// The limit of the whole attempt: connecting, sending and reading the answer (the
    /// read timeout, but at least the connect timeout).
    pub(crate) total: Duration,
}

/// The fields every response and every error body may carry (`Code` or `code`, ...).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    #[serde(
        rename = "RequestId",
        alias = "requestId",
        deserialize_with = "crate::wire::lenient_text"
    )]
    request_id: Option<String>,
    #[serde(
        rename = "HostId",
        alias = "hostId",
        deserialize_with = "crate::wire::lenient_text"
    )]
    host_id: Option<String>,
    #[serde(rename = "Code", alias = "code")]
    code: Option<serde_json::Value>,
    #[serde(
        rename = "Message",
        alias = "message",
        deserialize_with = "crate::wire::lenient_text"
    )]
    message: Option<String>,
    #[serde(
        rename = "Recommend",
        alias = "recommend",
        deserialize_with = "crate::wire::lenient_text"
    )]
    recommend: Option<String>,
    #[serde(rename = "Success", alias = "success")]
    success: Option<serde_json::Value>,
    /// An object, or (BssOpenApi 2023-09-30) the same object as JSON text; anything else
    /// is dropped rather than failing the response.
    #[serde(
        rename = "AccessDeniedDetail",
        alias = "accessDeniedDetail",
        deserialize_with = "access_denied_detail"
    )]
    access_denied_detail: Option<AccessDeniedDetail>,
}

fn access_denied_detail<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<AccessDeniedDetail>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::String(text) => serde_json::from_str(&text).ok(),
        value @ serde_json::Value::Object(_) => serde_json::from_value(value).ok(),
        _ => None,
    })
}

impl Envelope {
    fn code(&self) -> Option<String> {
        match &self.code {
            Some(serde_json::Value::String(code)) => Some(code.clone()),
            Some(serde_json::Value::Number(code)) => Some(code.to_string()),
            _ => None,
        }
    }

    /// `Success: false` (or `"false"`) marks a failure even on HTTP 200 (Billing).
    fn reports_failure(&self) -> bool {
        matches!(&self.success, Some(serde_json::Value::Bool(false)))
            || matches!(&self.success, Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("false"))
    }

    /// The rule for a 2xx body without a `Success` flag: it is an error when its top
    /// level has a string `Code` and a string `Message` and the code is not a success
    /// code (`200`, `Success`, `OK`, in any case). Gateways and some services answer
    /// errors this way on HTTP 200; a real answer of these APIs carries its data fields,
    /// and at most a success code, beside them. A numeric `Code`, a `Code` without a
    /// `Message`, and fields nested deeper are left to the typed deserializer.
    fn reports_error_code(&self) -> bool {
        const SUCCESS_CODES: &[&str] = &["200", "success", "ok"];
        if self.success.is_some() || self.message.is_none() {
            return false;
        }
        match &self.code {
            Some(serde_json::Value::String(code)) => !SUCCESS_CODES
                .iter()
                .any(|success| code.eq_ignore_ascii_case(success)),
            _ => false,
        }
    }

    fn into_error(self, status: u16, fallback_code: &str) -> Error {
        let code = self.code().unwrap_or_else(|| fallback_code.to_owned());
        let message = self
            .message
            .unwrap_or_else(|| "the service returned no message".to_owned());
        Error::service(code, message)
            .with_http_status(status)
            .with_request_id(self.request_id)
            .with_host_id(self.host_id)
            .with_recommend(self.recommend)
            .with_access_denied_detail(self.access_denied_detail)
    }
}

/// What came back, to classify.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    /// The `x-acs-request-id` header.
    request_id: Option<String>,
    body: Bytes,
}

fn classify(action: &str, answer: Answer, our_string_to_sign: &str) -> Result<RawResponse, Error> {
    let Answer {
        status,
        retry_after,
        request_id: header_request_id,
        body,
    } = answer;
    let success = |request_id: Option<String>, body: Bytes| RawResponse {
        status,
        request_id: request_id.or_else(|| header_request_id.clone()),
        client_token: None,
        body,
    };
    if (200..300).contains(&status) {
        // Only bodies that mention `Success` or `Code` can be failures; others are read
        // once, by the caller's typed deserializer.
        let flagged = has_success_flag(&body);
        if !flagged && !has_code_key(&body) {
            return Ok(success(None, body));
        }
        return match serde_json::from_slice::<Envelope>(&body) {
            Ok(envelope) if envelope.reports_failure() || envelope.reports_error_code() => {
                let error = envelope.into_error(status, "Unsuccessful");
                Err(with_header_request_id(error, header_request_id).with_operation(action))
            }
            Ok(envelope) => Ok(success(envelope.request_id, body)),
            Err(error) if flagged => Err(Error::response(
                action,
                header_request_id.clone(),
                status,
                error,
            )),
            // `"Code"` was only text somewhere: leave the body to the typed deserializer.
            Err(_) => Ok(success(None, body)),
        };
    }
    let envelope = serde_json::from_slice::<Envelope>(&body);
    let error = match envelope {
        Ok(envelope) if envelope.code.is_some() || envelope.message.is_some() => {
            let error = envelope.into_error(status, "Unknown");
            diagnose_signature(error, our_string_to_sign)
        }
        _ => Error::status(status, format!("non-JSON error body: {}", excerpt(&body))),
    };
    Err(with_header_request_id(error, header_request_id)
        .with_operation(action)
        .with_retry_after(retry_after))
}

/// The error with the `x-acs-request-id` header as its RequestId when its body gave none.
fn with_header_request_id(error: Error, header: Option<String>) -> Error {
    if error.request_id().is_some() {
        error
    } else {
        error.with_request_id(header)
    }
}

/// Whether a body mentions a `Code` key (either case).
fn has_code_key(body: &[u8]) -> bool {
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"Code\""));
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"code\""));
    UPPER.find(body).is_some() || LOWER.find(body).is_some()
}

/// Whether a body mentions a `Success` key (either case).
fn has_success_flag(body: &[u8]) -> bool {
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"Success\""));
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"success\""));
    UPPER.find(body).is_some() || LOWER.find(body).is_some()
}

/// The `RequestId` of a JSON body, if it has one: used to name the request when a success
/// body does not match its model.
pub(crate) fn request_id_of(body: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => envelope.request_id,
        // A body cut short or broken further on may still name its RequestId up front.
        Err(_) => scan_request_id(body),
    }
}

/// The text of the first `"RequestId": "…"` (or `requestId`) member in a body that does
/// not parse as a whole.
pub(crate) fn scan_request_id(body: &[u8]) -> Option<String> {
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"RequestId\""));
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"requestId\""));
    let key = UPPER.find(body).or_else(|| LOWER.find(body))?;
    let rest = &body[key + b"\"RequestId\"".len()..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b":")?
        .trim_ascii_start();
    let rest = rest.strip_prefix(b"\"")?;
    let end = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
    let id = std::str::from_utf8(&rest[..end]).ok()?;
    (!id.is_empty() && id.len() <= 128).then(|| id.to_owned())
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None if text.is_empty() => "(empty)".to_owned(),
        None => text,
    }
}

/// Takes the STS token out of a service message. Gateways echo request data: V1's
/// `SignatureDoesNotMatch` repeats the whole string-to-sign, `SecurityToken` included
/// (percent-encoded twice there). Runs after [`diagnose_signature`], which needs the echo.
/// Removes each secret (the security token, the values of sensitive parameters) from the
/// error's message, as [`redact_text`] does.
fn redact_secrets<'a>(error: Error, secrets: impl Iterator<Item = &'a str>) -> Error {
    match redact_text(error.message(), secrets) {
        Some(message) => error.with_message(message),
        None => error,
    }
}

/// `text` with each secret replaced by [`REDACTED`], as given and as percent-encoded once
/// or twice (a V1 string-to-sign); `None` when no secret appears in it.
fn redact_text<'a>(text: &str, secrets: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut redacted = None::<String>;
    for secret in secrets.filter(|secret| !secret.is_empty()) {
        let once = encode::percent_encode(secret);
        let twice = encode::percent_encode(&once);
        for form in [twice, once, secret.to_owned()] {
            let current = redacted.as_deref().unwrap_or(text);
            if current.contains(form.as_str()) {
                redacted = Some(current.replace(form.as_str(), REDACTED));
            }
        }
    }
    redacted
}

/// For `SignatureDoesNotMatch`, the gateway echoes its string-to-sign. When it equals
/// ours, the request was built correctly and the secret must be wrong.
fn diagnose_signature(error: Error, ours: &str) -> Error {
    if error.code() != Some("SignatureDoesNotMatch") {
        return error;
    }
    const MARKER: &str = "server string to sign is:";
    let Some(position) = error.message().find(MARKER) else {
        return error;
    };
    let theirs = error.message()[position + MARKER.len()..].trim();
    let diagnosis = if theirs == ours.trim() {
        "The server's string-to-sign equals ours, so the request was signed over the right \
         bytes: the access key secret is wrong."
    } else {
        "The server's string-to-sign differs from ours: the request was changed in transit \
         (a proxy rewriting it?) or this SDK built it differently."
    };
    let message = format!("{} {diagnosis}", error.message());
    error.with_message(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_str(status: u16, body: &str) -> Result<RawResponse, Error> {
        classify(
            "Op",
            Answer {
                status,
                retry_after: None,
                request_id: None,
                body: Bytes::from(body.to_owned()),
            },
            "POST&%2F&x",
        )
    }

    #[test]
    fn the_server_delay_is_read_from_x_acs_retry_after_then_retry_after() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        // x-acs-retry-after is in milliseconds (tea-openapi's ThrottlingException).
        assert_eq!(
            retry_after(&headers(&[("x-acs-retry-after", "1500")])),
            Some(Duration::from_millis(1500))
        );
        // Retry-After (RFC 9110) is in seconds.
        assert_eq!(
            retry_after(&headers(&[("retry-after", " 2 ")])),
            Some(Duration::from_secs(2))
        );
        // Both: the gateway's own header is the more precise.
        assert_eq!(
            retry_after(&headers(&[
                ("retry-after", "2"),
                ("x-acs-retry-after", "300")
            ])),
            Some(Duration::from_millis(300))
        );
        // An HTTP-date, zero or garbage asks for nothing.
        for value in ["Wed, 21 Oct 2015 07:28:00 GMT", "0", "-1", "soon"] {
            assert_eq!(
                retry_after(&headers(&[("retry-after", value)])),
                None,
                "{value}"
            );
        }
    }

    #[test]
    fn error_body_fields_are_read_in_either_case() {
        let error = classify_str(
            404,
            r#"{"requestId":"R1","hostId":"cas.aliyuncs.com","code":"InvalidAccessKeyId.NotFound","message":"Specified access key is not found.","recommend":"https://x"}"#,
        )
        .unwrap_err();
        assert_eq!(error.code(), Some("InvalidAccessKeyId.NotFound"));
        assert_eq!(error.request_id(), Some("R1"));
        assert_eq!(error.host_id(), Some("cas.aliyuncs.com"));
        assert_eq!(error.recommend(), Some("https://x"));
        assert_eq!(error.http_status(), Some(404));
        assert!(!error.is_retryable());
    }

    #[test]
    fn html_error_becomes_a_status_error_with_an_excerpt() {
        let error = classify_str(502, "<html><body>Bad   Gateway</body></html>").unwrap_err();
        assert_eq!(error.code(), None);
        assert_eq!(error.http_status(), Some(502));
        assert!(
            error.message().contains("<html><body>Bad Gateway"),
            "{}",
            error.message()
        );
        assert!(error.is_retryable());
    }

    #[test]
    fn success_false_on_200_is_an_error() {
        let error = classify_str(
            200,
            r#"{"Success":false,"Code":"InvalidOwner","Message":"The specified owner doesn't belong to caller.","RequestId":"R2"}"#,
        )
        .unwrap_err();
        assert_eq!(error.code(), Some("InvalidOwner"));
        assert_eq!(error.request_id(), Some("R2"));
    }

    #[test]
    fn success_bodies_are_passed_through_unless_they_carry_a_success_flag() {
        let raw = classify_str(200, r#"{"RequestId":"R","TotalCount":1}"#).unwrap();
        assert_eq!(
            raw.request_id, None,
            "the body is left to the typed deserializer (invoke_raw scans it)"
        );
        assert_eq!(scan_request_id(&raw.body).as_deref(), Some("R"));
        let raw = classify_str(200, r#"{"RequestId":"R","Success":true}"#).unwrap();
        assert_eq!(raw.request_id.as_deref(), Some("R"));
        let error = classify_str(200, r#"{"Success":"yes""#).unwrap_err();
        assert!(error.to_string().starts_with("Op: "), "{error}");
        assert_eq!(
            request_id_of(br#"{"requestId":"R9","x":[1]}"#).as_deref(),
            Some("R9")
        );
        assert_eq!(request_id_of(b"<html>"), None);
    }

    #[test]
    fn a_200_with_an_error_code_and_message_but_no_success_flag_is_an_error() {
        let error = classify_str(
            200,
            r#"{"Code":"InvalidOrder.NotFound","Message":"The order does not exist.","RequestId":"R7"}"#,
        )
        .unwrap_err();
        assert_eq!(error.code(), Some("InvalidOrder.NotFound"));
        assert_eq!(error.message(), "The order does not exist.");
        assert_eq!(error.request_id(), Some("R7"));
        assert_eq!(error.http_status(), Some(200));
        assert!(error.to_string().starts_with("Op: "), "{error}");
        assert!(!error.is_retryable());
        // Success codes, bodies with only one of the two, nested fields and a `Success`
        // flag are left alone.
        for body in [
            r#"{"Code":"200","Message":"ok","Data":{}}"#,
            r#"{"code":"Success","message":"done"}"#,
            r#"{"Code":"OK","Message":"fine","RequestId":"R"}"#,
            r#"{"Code":"InvalidOrder","RequestId":"R"}"#,
            r#"{"Message":"a note","RequestId":"R"}"#,
            r#"{"Data":{"Code":"X","Message":"inner"},"RequestId":"R"}"#,
            r#"{"Code":"Success","Message":"Successful!","RequestId":"R","Success":true}"#,
            r#"{"Code":5,"Message":"a number is not an error code here"}"#,
        ] {
            assert!(classify_str(200, body).is_ok(), "{body}");
        }
    }

    #[test]
    fn the_security_token_is_redacted_from_service_messages() {
        let token = "CAIS+token/abc=";
        let echo = format!(
            "server string to sign is:POST&%2F&SecurityToken%3D{}%26X%3D1 / {} / {token}",
            encode::percent_encode(&encode::percent_encode(token)),
            encode::percent_encode(token),
        );
        let error = redact_secrets(
            Error::service("SignatureDoesNotMatch", echo),
            [token].into_iter(),
        );
        assert_eq!(
            error.message(),
            "server string to sign is:POST&%2F&SecurityToken%3D<redacted>%26X%3D1 / <redacted> / <redacted>"
        );
        let error = redact_secrets(Error::service("X", "nothing to hide"), [token].into_iter());
        assert_eq!(error.message(), "nothing to hide");
    }

    const fn upload(body: BodyFormat) -> Operation {
        Operation {
            action: "UploadKey",
            version: "2024-01-01",
            method: HttpMethod::Post,
            style: crate::operation::Style::Rpc,
            path: "/",
            body,
            read_only: false,
            client_token: None,
            sensitive: &["Key", "Secrets"],
            auth: crate::operation::Auth::AccessKey,
        }
    }

    fn transport(signature: signing::SignatureVersion) -> Transport {
        Transport {
            target: Target {
                base_url: reqwest::Url::parse("http://127.0.0.1:9/").unwrap(),
                host: "127.0.0.1:9".to_owned(),
                host_value: HeaderValue::from_static("127.0.0.1:9"),
            },
            signature,
            user_agent: "test".to_owned(),
            user_agent_value: HeaderValue::from_static("test"),
            backend: Backend::Http(reqwest::Client::new()),
            max_response_body: 1 << 20,
            interceptors: Interceptors::default(),
            own_client: true,
        }
    }

    fn stamp(nonce: &str) -> Stamp {
        Stamp::fixed(nonce, "2025-01-02T03:04:05Z")
    }

    fn prepare_with(
        version: signing::SignatureVersion,
        operation: &'static Operation,
        stamp: &Stamp,
    ) -> PreparedRequest {
        let credentials = Credentials::new("LTAIexampleid", "example-secret-value")
            .with_security_token("CAIS+token/with=chars");
        let mut params = Params::new();
        params.push(crate::operation::Location::Query, "Name", "my cert");
        params.push(
            crate::operation::Location::Query,
            "Secrets.1",
            "list-secret",
        );
        params.push(
            crate::operation::Location::Body,
            "Key",
            "-----BEGIN PRIVATE KEY-----\nMIIEv+/=\n-----END PRIVATE KEY-----\n",
        );
        params.push(crate::operation::Location::Body, "KeyName", "shown");
        prepare(
            &transport(version),
            operation,
            &params,
            Some(&credentials),
            stamp,
            &Extras::default(),
        )
        .unwrap()
    }

    async fn prepared(
        version: signing::SignatureVersion,
        operation: &'static Operation,
    ) -> PreparedRequest {
        prepare_with(version, operation, &Stamp::now())
    }

    #[test]
    fn prepare_is_pure() {
        static FORM: Operation = upload(BodyFormat::Form);
        for version in [signing::SignatureVersion::V3, signing::SignatureVersion::V1] {
            let one = prepare_with(version, &FORM, &stamp("n1"));
            let again = prepare_with(version, &FORM, &stamp("n1"));
            assert_eq!(
                (one.url(), one.headers(), one.body()),
                (again.url(), again.headers(), again.body())
            );
            let other = prepare_with(version, &FORM, &stamp("n2"));
            assert_ne!(one.string_to_sign, other.string_to_sign);
        }
    }

    #[tokio::test]
    async fn a_prepared_request_is_shown_without_its_secrets() {
        static FORM: Operation = upload(BodyFormat::Form);
        static JSON: Operation = upload(BodyFormat::Json);
        for (version, operation) in [
            (signing::SignatureVersion::V3, &FORM),
            (signing::SignatureVersion::V1, &FORM),
            (signing::SignatureVersion::V3, &JSON),
        ] {
            let request = prepared(version, operation).await;
            assert_eq!(request.method(), "POST");
            assert!(request.url().starts_with("http://127.0.0.1:9/"));
            // The accessors give the real request.
            let body = String::from_utf8_lossy(request.body().unwrap()).into_owned();
            assert!(body.contains("MIIEv"), "{body}");
            let text = request.redacted();
            for secret in [
                "MIIEv",
                "PRIVATE",
                "list-secret",
                "CAIS",
                "with=chars",
                "with%3Dchars",
                "example-secret-value",
            ] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
            assert!(!format!("{request:?}").contains("MIIEv"));
            assert!(text.starts_with("POST http://127.0.0.1:9/"), "{text}");
            assert!(text.contains("x-acs-action: UploadKey\n"), "{text}");
            assert!(text.contains("shown"), "{text}");
            assert!(text.contains("my"), "{text}");
            assert!(
                text.contains("Key") && text.contains("<redacted>"),
                "{text}"
            );
            match version {
                signing::SignatureVersion::V3 => {
                    assert!(
                        text.contains("x-acs-security-token: <redacted>\n"),
                        "{text}"
                    );
                    assert!(
                        text.contains("authorization: ACS3-HMAC-SHA256 Credential=LTAIexampleid,"),
                        "{text}"
                    );
                    assert!(text.contains(",Signature=<redacted>\n"), "{text}");
                }
                signing::SignatureVersion::V1 => {
                    assert!(text.contains("SecurityToken=<redacted>"), "{text}");
                    assert!(text.contains("&Signature=<redacted>"), "{text}");
                    assert!(text.contains("AccessKeyId=LTAIexampleid"), "{text}");
                }
            }
        }
    }

    #[test]
    fn signature_mismatch_with_equal_string_to_sign_blames_the_secret() {
        let body = r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&x","RequestId":"R3"}"#;
        let error = classify_str(400, body).unwrap_err();
        assert!(
            error.message().contains("the access key secret is wrong"),
            "{}",
            error.message()
        );
        let body = body.replace("POST&%2F&x", "GET&%2F&y");
        let error = classify_str(400, &body).unwrap_err();
        assert!(
            error.message().contains("differs from ours"),
            "{}",
            error.message()
        );
    }
}
