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
//!
//! As the official `RetryOptions` offer, a policy can also name extra error codes to retry
//! ([`RetryPolicy::retry_codes`]) and codes never to retry
//! ([`RetryPolicy::never_retry_codes`]), and pick the backoff ([`Backoff`]: fixed,
//! exponential, equal jitter or full jitter, the default), with its first and largest
//! delay. None of this ever resends a write that may have run: that takes the explicit
//! [`RetryPolicy::resend_writes_that_may_have_run`], whose name says what it risks.

use std::time::Duration;

use rand::Rng;

use crate::error::Error;

/// How the wait before a retry grows with the attempts (after errors other than
/// throttling, whose schedule is its own; see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backoff {
    /// Always the initial backoff.
    Fixed,
    /// `initial * 2^(attempt-1)`, capped at the maximum backoff.
    Exponential,
    /// Half the exponential delay, plus a random part of up to the other half.
    EqualJitter,
    /// A random delay between zero and the exponential delay (the default).
    #[default]
    FullJitter,
}

/// When and how often to retry a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    backoff: Backoff,
    initial_backoff: Duration,
    max_backoff: Duration,
    throttling_backoff: Duration,
    retry_codes: Vec<String>,
    never_retry_codes: Vec<String>,
    resend_writes: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff ceilings of 100 ms, 200 ms, ... capped at 20 s; after
    /// throttling, waits of at least 500 ms, 1 s, ...
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff: Backoff::FullJitter,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
            throttling_backoff: Duration::from_millis(500),
            retry_codes: Vec::new(),
            never_retry_codes: Vec::new(),
            resend_writes: false,
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

    /// Picks how the wait grows between attempts (default [`Backoff::FullJitter`]).
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Also retries errors with these service codes (`Code` of the error body), beside
    /// those the SDK retries anyway. Writes keep the never-twice rule.
    pub fn retry_codes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, codes: I) -> Self {
        self.retry_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Never retries errors with these service codes, even those the SDK would retry.
    pub fn never_retry_codes<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        codes: I,
    ) -> Self {
        self.never_retry_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// **Risks running a write twice**: also resends a write without a `ClientToken`
    /// after a failure that may have reached the service (a 5xx, a timeout, a connection
    /// broken after sending). Off by default, and no other setting turns it on: use it
    /// only for writes that are harmless to repeat.
    pub fn resend_writes_that_may_have_run(mut self) -> Self {
        self.resend_writes = true;
        self
    }

    /// Whether [`RetryPolicy::resend_writes_that_may_have_run`] is on.
    pub fn resends_writes_that_may_have_run(&self) -> bool {
        self.resend_writes
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a new attempt after `error` may succeed, by the SDK's rule
    /// ([`Error::is_retryable`]) and this policy's code lists (the never-retried list wins).
    pub fn retries(&self, error: &Error) -> bool {
        if let Some(code) = error.code() {
            if self.never_retry_codes.iter().any(|c| c == code) {
                return false;
            }
            if self.retry_codes.iter().any(|c| c == code) {
                return true;
            }
        }
        error.is_retryable()
    }

    /// How long to wait after failed attempt number `attempt` (1-based).
    ///
    /// A server-requested delay wins (capped at the maximum backoff); otherwise the
    /// policy's [`Backoff`] from `initial * 2^(attempt-1)`, capped.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(delay) = retry_after {
            return delay.min(self.max_backoff);
        }
        let ceiling = self.ceiling(attempt);
        let random = |low: Duration, high: Duration| {
            if high <= low {
                low
            } else {
                rand::thread_rng().gen_range(low..=high)
            }
        };
        match self.backoff {
            Backoff::Fixed => self.initial_backoff.min(self.max_backoff),
            Backoff::Exponential => ceiling,
            Backoff::EqualJitter => random(ceiling / 2, ceiling),
            Backoff::FullJitter => random(Duration::ZERO, ceiling),
        }
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
    fn each_backoff_keeps_to_its_shape() {
        let policy = |backoff| RetryPolicy::default().with_backoff(backoff);
        let ms = Duration::from_millis;
        for _ in 0..50 {
            assert_eq!(policy(Backoff::Fixed).delay(3, None), ms(100));
            assert_eq!(policy(Backoff::Exponential).delay(3, None), ms(400));
            let equal = policy(Backoff::EqualJitter).delay(3, None);
            assert!(equal >= ms(200) && equal <= ms(400), "{equal:?}");
            assert!(policy(Backoff::FullJitter).delay(3, None) <= ms(400));
        }
        let capped = policy(Backoff::Exponential).with_max_backoff(ms(250));
        assert_eq!(capped.delay(3, None), ms(250));
    }

    #[test]
    fn code_lists_add_and_remove_retryable_errors() {
        let policy = RetryPolicy::default()
            .retry_codes(["IncorrectStatus"])
            .never_retry_codes(["ServiceUnavailable"]);
        let service = |code: &str, status| Error::service(code, "x").with_http_status(status);
        assert!(policy.retries(&service("IncorrectStatus", 400)));
        assert!(!policy.retries(&service("ServiceUnavailable", 503)));
        assert!(policy.retries(&service("InternalError", 500)));
        assert!(!policy.retries(&service("InvalidParameter", 400)));
        assert!(!RetryPolicy::default().resends_writes_that_may_have_run());
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
