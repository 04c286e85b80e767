//! A mock transport for users' unit tests: a client configured with a [`Mock`] sends
//! nothing over the network; each request is answered by the first matching [`Rule`]
//! (its action and parameters), and recorded for the test to inspect.
//!
//! Everything above the transport is real: parameters are flattened and signed, retries,
//! timeouts, write safety and error classification run as they would against the service,
//! and responses are deserialized into the generated types. What a mock does not check is
//! the signature (nothing verifies it) and the service's behaviour beyond the canned
//! answers.
//!
//! **When to use which:** a mock for a unit test of your own code's handling of one
//! answer, an error or a failure (no process, no port, no state); the emulator
//! (`alibabacloud-emulator`) to test a flow end to end against real lifecycles and
//! signature checks.
//!
//! ```
//! # async fn demo() -> Result<(), alibabacloud_core::Error> {
//! use alibabacloud_core::mock::{Mock, Rule};
//! use alibabacloud_core::Config;
//!
//! let mock = Mock::new()
//!     .rule(Rule::action("DeleteCsr").param("CsrId", "1").error(404, "NotFound", "no CSR 1"))
//!     .rule(Rule::action("DeleteCsr").reply(r#"{"RequestId":"R-1"}"#).times(1))
//!     .rule(Rule::action("ListCsr").reply(r#"{"RequestId":"R-2","TotalCount":0,"List":[]}"#));
//! let config = Config::builder().mock(mock.clone()).build();
//! // ... a generated client from `config`, the code under test ...
//! assert!(mock.requests().iter().all(|r| r.action != "CreateCsr"));
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

use crate::error::Error;

/// Canned answers by rule, and the record of what was sent. Clones share both.
#[derive(Clone, Default)]
pub struct Mock {
    inner: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    requests: Vec<MockRequest>,
}

/// One request a mock received. `Debug` shows the operation's sensitive parameters
/// (private keys, passwords) as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct MockRequest {
    /// The action (`ListCsr`).
    pub action: String,
    /// The API version.
    pub version: String,
    /// Every query and body parameter of the operation, by wire name (the signature's
    /// own parameters left out).
    pub params: BTreeMap<String, String>,
    /// The operation's sensitive parameters.
    pub(crate) sensitive: &'static [&'static str],
}

impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: BTreeMap<&str, &str> = self
            .params
            .iter()
            .map(|(name, value)| {
                let secret = self.sensitive.iter().any(|s| {
                    name.strip_prefix(s)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                });
                (
                    name.as_str(),
                    if secret { "<redacted>" } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("MockRequest")
            .field("action", &self.action)
            .field("version", &self.version)
            .field("params", &params)
            .finish()
    }
}

impl MockRequest {
    /// The value of one parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// What a rule answers.
#[derive(Clone, Debug)]
enum Answer {
    /// An HTTP response: status and JSON body.
    Response(u16, String),
    /// The connection fails after the request was sent (a write may have run).
    Broken,
    /// The connection cannot be made (nothing is sent).
    Refused,
}

/// One canned answer: for requests naming `action` (and the parameters given), in order;
/// used every time by default, or a limited number of times.
#[derive(Clone, Debug)]
pub struct Rule {
    action: String,
    params: Vec<(String, String)>,
    answer: Answer,
    times: Option<usize>,
}

impl Rule {
    /// A rule for requests of `action`; it answers `{}` with HTTP 200 until told otherwise.
    pub fn action(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            params: Vec::new(),
            answer: Answer::Response(200, "{}".to_owned()),
            times: None,
        }
    }

    /// Only for requests whose parameter `name` is `value`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Answers HTTP 200 with this JSON body.
    pub fn reply(mut self, body: impl Into<String>) -> Self {
        self.answer = Answer::Response(200, body.into());
        self
    }

    /// Answers with this status and JSON body.
    pub fn reply_with_status(mut self, status: u16, body: impl Into<String>) -> Self {
        self.answer = Answer::Response(status, body.into());
        self
    }

    /// Answers a service error in the gateway's shape (`Code`, `Message`, `RequestId`).
    pub fn error(mut self, status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({
            "Code": code,
            "Message": message,
            "RequestId": "MOCK-REQUEST-ID",
        });
        self.answer = Answer::Response(status, body.to_string());
        self
    }

    /// The connection breaks after the request was sent: a read is retried, a write
    /// without a `ClientToken` fails with `may_have_run`.
    pub fn broken_connection(mut self) -> Self {
        self.answer = Answer::Broken;
        self
    }

    /// The connection cannot be made: nothing was sent, so any call may be retried.
    pub fn refused_connection(mut self) -> Self {
        self.answer = Answer::Refused;
        self
    }

    /// Answers only the next `times` matching requests, then stands aside for the rules
    /// after it.
    pub fn times(mut self, times: usize) -> Self {
        self.times = Some(times);
        self
    }

    fn matches(&self, request: &MockRequest) -> bool {
        self.times != Some(0)
            && self.action == request.action
            && self
                .params
                .iter()
                .all(|(name, value)| request.param(name) == Some(value))
    }
}

/// What the mock transport makes of one request.
pub(crate) enum MockOutcome {
    /// A response: status and body.
    Response(u16, Bytes),
    /// Broken after sending.
    Broken,
    /// Refused before sending.
    Refused,
}

impl Mock {
    /// A mock with no rules: every request fails until rules are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule after the others (the first matching rule answers).
    pub fn rule(self, rule: Rule) -> Self {
        self.state().rules.push(rule);
        self
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.state().requests.clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records `request` and answers it by the first matching rule; no rule is an error
    /// that names the request (it is a mistake in the test, not a network failure).
    pub(crate) fn answer(&self, request: MockRequest) -> Result<MockOutcome, Error> {
        let mut state = self.state();
        let rule = state.rules.iter_mut().find(|rule| rule.matches(&request));
        let answer = rule.map(|rule| {
            if let Some(times) = rule.times.as_mut() {
                *times -= 1;
            }
            rule.answer.clone()
        });
        let action = request.action.clone();
        let params = request
            .params
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        state.requests.push(request);
        match answer {
            Some(Answer::Response(status, body)) => {
                Ok(MockOutcome::Response(status, Bytes::from(body)))
            }
            Some(Answer::Broken) => Ok(MockOutcome::Broken),
            Some(Answer::Refused) => Ok(MockOutcome::Refused),
            None => Err(Error::config(format!(
                "the mock has no rule for {action} (parameters: {params}); add a Rule for it"
            ))),
        }
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Mock")
            .field("rules", &state.rules.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}
