//! Retry policy: which attempts to repeat and how long to wait between them.
//!
//! The official SDKs retry nothing by default. We retry read-only calls up to three
//! attempts on network errors, timeouts, HTTP 5xx, throttling, `ServiceUnavailable` and
//! `SignatureNonceUsed`, with exponential backoff and full jitter, honouring the
//! server's `x-acs-retry-after` (milliseconds) or standard `Retry-After` (seconds).
//!
//! Writes (operations that are not read-only) never run twice: they are retried only
//! when the request provably never reached the service — a connect failure (DNS,
//! connection refused, connect timeout, TLS handshake), or a rejection by the gateway
//! before the service runs (throttling, `SignatureNonceUsed`). After a 5xx, a read
//! timeout or a connection broken after sending, a write is not retried and its error
//! reports [`Error::may_have_run`](crate::Error::may_have_run).

use std::time::Duration;

use rand::Rng;

/// When and how often to retry a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff ceilings of 100 ms, 200 ms, ... capped at 20 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the total number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff ceiling of the first retry; it doubles with each attempt.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the largest wait between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait after failed attempt number `attempt` (1-based).
    ///
    /// A server-requested delay wins (capped at the maximum backoff); otherwise a random
    /// delay between zero and `initial * 2^(attempt-1)`, capped (full jitter).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(delay) = retry_after {
            return delay.min(self.max_backoff);
        }
        let ceiling = self.ceiling(attempt);
        if ceiling.is_zero() {
            return ceiling;
        }
        rand::thread_rng().gen_range(Duration::ZERO..=ceiling)
    }

    fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..=4 {
            let ceiling = Duration::from_millis(100 * (1 << (attempt - 1)));
            for _ in 0..50 {
                assert!(policy.delay(attempt, None) <= ceiling);
            }
        }
        assert_eq!(policy.ceiling(40), Duration::from_secs(20));
    }

    #[test]
    fn server_delay_wins_but_is_capped() {
        let policy = RetryPolicy::default().with_max_backoff(Duration::from_secs(1));
        assert_eq!(
            policy.delay(1, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(60))),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn disabled_means_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
