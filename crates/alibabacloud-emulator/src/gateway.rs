//! The pipeline for one request: faults, routing, authentication, flow control,
//! validation, handler; and its entry in the request log.

use alibabacloud_core::SignatureVersion;
use alibabacloud_core::operation::Auth;
use serde_json::Value;

use crate::answer::Body;
use crate::auth::{self, Scheme};
use crate::errors::{ApiError, new_request_id};
use crate::handlers::{self, context::Ctx};
use crate::record::{InjectedFault, RecordedRequest};
use crate::request::Incoming;
use crate::route;
use crate::state::State;
use crate::validate;

/// What to do with the connection.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Close it without answering.
    Drop,
    /// Answer.
    Respond(Answer),
}

/// An answer.
#[derive(Debug)]
pub(crate) struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: Vec<u8>,
    /// `x-acs-request-id` (also the body's `RequestId`).
    pub request_id: String,
    /// Send only half of the body, then close.
    pub truncate: bool,
    /// Close the connection after the answer (its request body was not read to the end).
    pub close: bool,
}

/// Answers a request refused before its body was read (too large, too slow): logged like
/// any other, with an error body of the usual shape, and the connection closed after it.
pub(crate) fn refuse(state: &State, req: &Incoming, error: &ApiError) -> Answer {
    let scheme = auth::scheme(req);
    let (action, version) = route::action_and_version(req, scheme);
    let request_id = new_request_id();
    let body = error.body(
        &request_id,
        &req.host,
        route::product_of_version(version.as_deref()),
    );
    state.record(RecordedRequest {
        time: state.now(),
        action,
        version,
        nonce: auth::nonce(req, scheme),
        signature_version: match scheme {
            Scheme::V3 => Some(SignatureVersion::V3),
            Scheme::V1 => Some(SignatureVersion::V1),
            Scheme::Unsigned => None,
        },
        access_key_id: auth::access_key_id(req, scheme),
        status: error.status,
        code: Some(error.code.clone()),
        fault: None,
    });
    Answer {
        status: error.status,
        body: serde_json::to_vec(&body).unwrap_or_default(),
        request_id,
        truncate: false,
        close: true,
    }
}

/// Handles one request end to end.
pub(crate) async fn handle(state: &State, req: Incoming) -> Outcome {
    let scheme = auth::scheme(&req);
    let (action, version) = route::action_and_version(&req, scheme);
    let mut record = RecordedRequest {
        time: state.now(),
        action: action.clone(),
        version: version.clone(),
        nonce: auth::nonce(&req, scheme),
        signature_version: match scheme {
            Scheme::V3 => Some(SignatureVersion::V3),
            Scheme::V1 => Some(SignatureVersion::V1),
            Scheme::Unsigned => None,
        },
        access_key_id: auth::access_key_id(&req, scheme),
        status: 0,
        code: None,
        fault: None,
    };

    let (latency, fault) = state.take_fault(action.as_deref());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    record.fault = fault;
    if fault == Some(InjectedFault::Dropped) {
        state.record(record);
        return Outcome::Drop;
    }

    let request_id = new_request_id();
    let result = if fault == Some(InjectedFault::Failed) {
        Err((
            ApiError::service_unavailable(),
            route::product_of_version(version.as_deref()),
        ))
    } else {
        process(state, &req, scheme, action.as_deref(), version.as_deref())
    };
    let (status, body) = match result {
        Ok(mut body) => {
            body.insert("RequestId".to_owned(), Value::String(request_id.clone()));
            (200, Value::Object(body))
        }
        Err((error, product)) => {
            record.code = Some(error.code.clone());
            (error.status, error.body(&request_id, &req.host, product))
        }
    };
    record.status = status;
    state.record(record);
    Outcome::Respond(Answer {
        status,
        body: serde_json::to_vec(&body).unwrap_or_default(),
        request_id,
        truncate: fault == Some(InjectedFault::Truncated),
        close: false,
    })
}

/// Routing, authentication, flow control, validation and the handler. An error comes
/// with the product code for its `Recommend` link.
fn process(
    state: &State,
    req: &Incoming,
    scheme: Scheme,
    action: Option<&str>,
    version: Option<&str>,
) -> Result<Body, (ApiError, &'static str)> {
    let now_ms = state.now_ms();
    if req.method != "GET" && req.method != "POST" {
        return Err((
            ApiError::api_not_found(),
            route::product_of_version(version),
        ));
    }
    let route = route::find(&req.path, action, version)
        .map_err(|e| (e, route::product_of_version(version)))?;
    let product = route.product.code;
    let fail = |e: ApiError| (e, product);

    let account = match route.op.operation.auth {
        Auth::Anonymous => "anonymous".to_owned(),
        Auth::AccessKey => {
            // On the clock, not lifecycle time: clients sign with their own clock.
            auth::authenticate(req, scheme, state.keys(), &state.nonces, now_ms)
                .map_err(fail)?
                .account
        }
    };
    if !state.admit(&account, route, now_ms) {
        return Err(fail(ApiError::throttled()));
    }
    let params = req.params();
    validate::validate(route.op, &params).map_err(fail)?;
    // Handlers live on lifecycle time (the clock, plus what a test advanced lifecycles by).
    let now_ms = state.lifecycle_now_ms();
    let ctx = Ctx {
        state,
        params: &params,
        now_ms,
    };
    let write = !route.op.operation.read_only;
    // Saved (with a state file) before the answer leaves: a write that was answered is on
    // disk.
    let answered = state.transact(write, now_ms, || -> Result<Body, Refusal> {
        if !write || params.non_empty("ClientToken").is_none() {
            return handlers::dispatch(route, &ctx).map_err(Refusal::Api);
        }
        // A write with a token: held under the token lock, so that two calls with the
        // same token never both apply.
        let action = route.op.operation.action;
        let mut tokens = state.client_tokens();
        if let Some(replayed) = tokens.replay(&account, action, &params, now_ms) {
            return replayed.map_err(Refusal::Replayed);
        }
        let body = handlers::dispatch(route, &ctx).map_err(Refusal::Api)?;
        tokens.remember(&account, action, &params, &body, now_ms);
        Ok(body)
    });
    match answered {
        Ok(body) => Ok(body),
        // A replayed refusal changed nothing: nothing to save either way.
        Err(Refusal::Api(e) | Refusal::Replayed(e)) => Err(fail(e)),
        Err(Refusal::StateFile(e)) => Err(fail(state_file_error(&e))),
    }
}

/// Why a handler's work did not answer a body.
enum Refusal {
    /// The handler's refusal.
    Api(ApiError),
    /// The refusal a `ClientToken` replays.
    Replayed(ApiError),
    /// The state file could not be read or written.
    StateFile(std::io::Error),
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Self {
        Refusal::StateFile(e)
    }
}

/// `500 InternalError`: the state file could not be read or saved.
fn state_file_error(e: &std::io::Error) -> ApiError {
    ApiError::new(
        500,
        "InternalError",
        format!("The emulator could not read or save its state file: {e}."),
    )
}
