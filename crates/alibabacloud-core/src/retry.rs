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
//!
//! Throttling (`Throttling`, `Throttling.User`, `Throttling.Api`, ..., HTTP 429) gets its
//! own schedule, because the gateway's limits are per second: a retry within the same
//! window is throttled again, and the general backoff (full jitter under 100 ms, 200 ms)
//! spends its whole budget inside one window. After a throttled attempt `n`, the wait is
//! random in `[floor, 2 * floor]` with `floor = 500 ms * 2^(n-1)` (the throttling
//! backoff, [`RetryPolicy::with_throttling_backoff`]): 0.5–1 s, then 1–2 s, so with
//! the default three attempts the last one starts at least 1.5 s after the first, in
//! another window, and concurrent callers are spread over it. The floor is capped by the
//! maximum backoff, and a server-requested delay (`x-acs-retry-after`, `Retry-After`)
//! replaces it.

use std::time::Duration;

use rand::Rng;

use crate::error::Error;

/// When and how often to retry a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    throttling_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff ceilings of 100 ms, 200 ms, ... capped at 20 s; after
    /// throttling, waits of at least 500 ms, 1 s, ...
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
            throttling_backoff: Duration::from_millis(500),
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

    /// Sets the shortest wait after a first throttled attempt; it doubles with each
    /// attempt, and each wait is random between it and twice it (see the module docs).
    pub fn with_throttling_backoff(mut self, backoff: Duration) -> Self {
        self.throttling_backoff = backoff;
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

    /// How long to wait after failed attempt number `attempt` (1-based) failed with
    /// `error`: the server's delay if it asked for one (capped at the maximum backoff),
    /// the throttling schedule after throttling, else [`RetryPolicy::delay`].
    pub fn delay_after(&self, attempt: u32, error: &Error) -> Duration {
        if error.retry_after().is_some() {
            return self.delay(attempt, error.retry_after());
        }
        if !error.is_throttling() {
            return self.delay(attempt, None);
        }
        let floor = self.throttling_floor(attempt);
        let top = floor.saturating_mul(2).min(self.max_backoff);
        if top <= floor {
            return floor;
        }
        rand::thread_rng().gen_range(floor..=top)
    }

    fn throttling_floor(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.throttling_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
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
    fn throttling_waits_outlast_a_one_second_window() {
        let policy = RetryPolicy::default();
        let throttled = Error::service("Throttling.User", "flow control").with_http_status(400);
        for _ in 0..50 {
            let first = policy.delay_after(1, &throttled);
            let second = policy.delay_after(2, &throttled);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            assert!(second >= Duration::from_secs(1) && second <= Duration::from_secs(2));
            assert!(first + second > Duration::from_secs(1));
        }
        // Capped by the maximum backoff (tests use millisecond policies).
        let quick = policy.clone().with_max_backoff(Duration::from_millis(20));
        assert_eq!(quick.delay_after(3, &throttled), Duration::from_millis(20));
        // A server delay replaces the schedule.
        let asked = throttled.with_retry_after(Some(Duration::from_millis(70)));
        assert_eq!(policy.delay_after(1, &asked), Duration::from_millis(70));
        // Other errors keep the general backoff.
        let unavailable = Error::service("ServiceUnavailable", "x").with_http_status(503);
        for _ in 0..50 {
            assert!(policy.delay_after(1, &unavailable) <= Duration::from_millis(100));
        }
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
