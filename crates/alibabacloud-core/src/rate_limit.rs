//! An optional client-side rate limiter, to stay inside a documented limit such as
//! "10 calls per second per account" instead of being throttled by the server.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// A limit on calls per second, spread evenly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    interval: Duration,
}

impl RateLimit {
    /// At most `calls` calls per second (at least 1).
    pub fn per_second(calls: u32) -> Self {
        Self {
            interval: Duration::from_secs(1) / calls.max(1),
        }
    }

    /// The spacing between two calls.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

/// Hands out evenly spaced start times to concurrent callers.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            interval: limit.interval,
            next_slot: Mutex::new(None),
        }
    }

    /// Waits until this caller's slot.
    pub(crate) async fn acquire(&self) {
        let slot = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |next| next.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_by_the_interval() {
        let limiter = RateLimiter::new(RateLimit::per_second(10));
        let start = Instant::now();
        for _ in 0..11 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }
}
