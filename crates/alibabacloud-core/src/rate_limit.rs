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
///
/// Waiting callers queue on a fair (FIFO) lock, and only the caller at the head of the
/// queue sleeps, holding the lock until its start time. A slot is taken only when the
/// caller actually starts: a caller that is dropped while queued or asleep (a
/// `tokio::time::timeout` that expires, a cancelled task) releases the lock without
/// recording a start, so the next caller's slot follows the last call that really
/// started, not the abandoned ones.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    /// When the last caller that got through started.
    last_start: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            interval: limit.interval,
            last_start: Mutex::new(None),
        }
    }

    /// Waits until this caller's slot. Cancel-safe: dropping the future gives the slot up.
    pub(crate) async fn acquire(&self) {
        let mut last_start = self.last_start.lock().await;
        let now = Instant::now();
        let slot = last_start.map_or(now, |last| (last + self.interval).max(now));
        tokio::time::sleep_until(slot).await;
        // Only now, when this caller goes ahead, is its slot taken.
        *last_start = Some(slot);
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

    #[tokio::test(start_paused = true)]
    async fn callers_that_give_up_give_their_slots_back() {
        let limiter = std::sync::Arc::new(RateLimiter::new(RateLimit::per_second(10)));
        let start = Instant::now();
        let callers: Vec<_> = (0..100)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    tokio::time::timeout(Duration::from_millis(50), limiter.acquire()).await
                })
            })
            .collect();
        let mut served = 0;
        for caller in callers {
            served += caller.await.unwrap().is_ok() as usize;
        }
        assert_eq!(served, 1, "only the first caller's slot came within 50 ms");
        assert_eq!(start.elapsed(), Duration::from_millis(50));

        // The 99 that gave up hold nothing: the next call waits for the slot after the
        // one call that went out (at 100 ms), not behind 99 abandoned ones (~9.9 s).
        limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }
}
