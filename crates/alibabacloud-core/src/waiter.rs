//! The poller behind every generated waiter (`client.wait_until_<state>()`): send the same
//! read again and again until a response field holds a success or a failure value.
//!
//! Between polls it waits with exponential backoff and jitter, from the rule's smallest to
//! its largest delay, and never past the overall wait limit. Errors the runtime would
//! retry (throttling, 5xx, network) keep the poll going; any other error ends it. When the
//! limit is reached, the error says which state was seen last.

use std::time::Duration;

use rand::Rng;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::{Operation, Params};
use crate::sender::Sender;

/// What a waiter waits for: from the `waiters` of an operation's spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitRule {
    /// The waiter's name (`certificate_issued`).
    pub name: &'static str,
    /// Dotted wire path of the field that is matched (`Type`, `Data.Status`).
    pub path: &'static str,
    /// Values that end the wait successfully.
    pub success: &'static [&'static str],
    /// Values that end the wait with an error.
    pub failure: &'static [&'static str],
    /// Delay before the second poll; it doubles up to `max_delay`.
    pub min_delay: Duration,
    /// Largest delay between two polls.
    pub max_delay: Duration,
    /// Default overall limit.
    pub max_wait: Duration,
}

/// A sender that polls: what a request builder started by a `wait_until_…` method
/// carries.
#[derive(Clone, Debug)]
pub struct Waiter {
    sender: Sender,
    rule: &'static WaitRule,
    max_wait: Duration,
    min_delay: Duration,
    max_delay: Duration,
}

/// What one poll observed.
enum Poll<T> {
    Done(T),
    Failed(String),
    Pending(Option<String>),
    /// The poll failed in a way worth polling on (throttling, 5xx, network): this error.
    Unknown(Error),
}

impl Waiter {
    /// A waiter on `handle` following `rule`.
    pub fn new(handle: Handle, rule: &'static WaitRule) -> Self {
        Self {
            sender: Sender::new(handle),
            rule,
            max_wait: rule.max_wait,
            min_delay: rule.min_delay,
            max_delay: rule.max_delay,
        }
    }

    /// The rule this waiter follows.
    pub fn rule(&self) -> &'static WaitRule {
        self.rule
    }

    /// Sets the overall wait limit.
    pub fn set_max_wait(&mut self, limit: Duration) {
        self.max_wait = limit;
    }

    /// Sets the smallest and the largest delay between polls.
    pub fn set_delays(&mut self, min: Duration, max: Duration) {
        self.min_delay = min;
        self.max_delay = max.max(min);
    }

    /// Overrides the client's timeout or retry policy for each poll.
    pub fn set_options(&mut self, options: CallOptions) {
        self.sender.set_options(options);
    }

    /// Polls `operation` with `params` until `state` of a response is a success value
    /// (returns that response) or a failure value (an error), or the limit passes.
    pub async fn wait<T: DeserializeOwned>(
        self,
        operation: &'static Operation,
        params: Params,
        state: fn(&T) -> Option<String>,
    ) -> Result<T, Error> {
        let started = Instant::now();
        let deadline = started + self.max_wait;
        let mut last: Option<String> = None;
        let mut last_error: Option<Error> = None;
        let mut polls = 0u32;
        loop {
            // Each poll ends by the wait's own deadline, however slow the service is.
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() && polls > 0 {
                let waited = started.elapsed();
                return Err(self.timed_out(operation.action, last, last_error, waited, polls));
            }
            polls += 1;
            let (handle, options) = self.sender.clone().into_parts();
            let limit = options
                .operation_timeout_or(handle.operation_timeout())
                .min(left);
            let options = options.operation_timeout(limit);
            let outcome = handle
                .invoke::<T>(operation, params.clone(), &options)
                .await;
            match self.judge(outcome, state)? {
                Poll::Done(response) => return Ok(response),
                Poll::Failed(value) => {
                    return Err(self.failed(operation.action, &value));
                }
                Poll::Pending(seen) => {
                    if seen.is_some() {
                        last = seen;
                    }
                }
                Poll::Unknown(error) => last_error = Some(error),
            }
            let delay = self.delay(polls);
            if Instant::now() + delay > deadline {
                let waited = started.elapsed();
                return Err(self.timed_out(operation.action, last, last_error, waited, polls));
            }
            tracing::debug!(waiter = self.rule.name, polls, state = ?last, delay_ms = delay.as_millis() as u64, "waiting");
            tokio::time::sleep(delay).await;
        }
    }

    fn judge<T>(
        &self,
        outcome: Result<T, Error>,
        state: fn(&T) -> Option<String>,
    ) -> Result<Poll<T>, Error> {
        let response = match outcome {
            Ok(response) => response,
            // Throttling, 5xx, network trouble: the state is unknown, poll again.
            Err(error) if error.is_retryable() => {
                tracing::debug!(waiter = self.rule.name, error = %error, "poll failed; polling on");
                return Ok(Poll::Unknown(error));
            }
            Err(error) => return Err(error),
        };
        let value = state(&response);
        Ok(match value.as_deref() {
            Some(v) if self.rule.success.contains(&v) => Poll::Done(response),
            Some(v) if self.rule.failure.contains(&v) => Poll::Failed(v.to_owned()),
            _ => Poll::Pending(value),
        })
    }

    /// Backoff with jitter: a random delay in the upper half of `min * 2^(polls-1)`,
    /// capped at the largest delay.
    fn delay(&self, polls: u32) -> Duration {
        let factor = 1u32
            .checked_shl(polls.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self
            .min_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
            .max(self.min_delay);
        let floor = (ceiling / 2).max(self.min_delay.min(ceiling));
        if floor >= ceiling {
            return ceiling;
        }
        rand::thread_rng().gen_range(floor..=ceiling)
    }

    fn failed(&self, action: &str, value: &str) -> Error {
        Error::waiter(
            action,
            format!(
                "waiter {} stopped: {} is {value:?}, a failure state (success would be {:?})",
                self.rule.name, self.rule.path, self.rule.success
            ),
            Some(value.to_owned()),
            false,
        )
    }

    fn timed_out(
        &self,
        action: &str,
        last: Option<String>,
        last_error: Option<Error>,
        waited: Duration,
        polls: u32,
    ) -> Error {
        let seen = match &last {
            Some(value) => format!("last seen {} = {value:?}", self.rule.path),
            None => format!("{} was never seen", self.rule.path),
        };
        // When polls failed, the last failure says why the state was not seen.
        let failure = match &last_error {
            Some(error) => format!("; the last poll failed: {}", error.message()),
            None => String::new(),
        };
        let error = Error::waiter(
            action,
            format!(
                "waiter {} gave up after {:.1} s and {polls} polls (limit {:.1} s): {seen}, \
                 waiting for {:?}{failure}",
                self.rule.name,
                waited.as_secs_f64(),
                self.max_wait.as_secs_f64(),
                self.rule.success
            ),
            last,
            true,
        );
        match last_error {
            Some(cause) => error.caused_by(cause),
            None => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULE: WaitRule = WaitRule {
        name: "done",
        path: "State",
        success: &["done"],
        failure: &["failed"],
        min_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
        max_wait: Duration::from_secs(10),
    };

    #[test]
    fn delays_back_off_with_jitter_between_the_smallest_and_largest() {
        let waiter = Waiter {
            sender: Sender::new(test_handle()),
            rule: &RULE,
            max_wait: RULE.max_wait,
            min_delay: RULE.min_delay,
            max_delay: RULE.max_delay,
        };
        for polls in 1..=8 {
            let ceiling = Duration::from_millis((100u64 << (polls - 1)).min(1000));
            for _ in 0..20 {
                let delay = waiter.delay(polls);
                assert!(delay <= ceiling, "{polls}: {delay:?}");
                assert!(delay >= RULE.min_delay, "{polls}: {delay:?}");
                assert!(delay >= ceiling / 2, "{polls}: {delay:?}");
            }
        }
    }

    fn test_handle() -> Handle {
        use crate::endpoint::ServiceInfo;
        static SERVICE: ServiceInfo = ServiceInfo {
            product: "demo",
            version: "2024-01-01",
            signature: crate::signing::SignatureVersion::V3,
            global_endpoint: Some("demo.aliyuncs.com"),
            regional_endpoints: &[],
            endpoint_rule: None,
            vpc_endpoint_rule: None,
        };
        Handle::new(&crate::Config::builder().build(), &SERVICE).expect("a handle")
    }
}
