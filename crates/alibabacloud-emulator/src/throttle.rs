//! Per-account flow control: at most N calls in any one-second window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

/// A sliding one-second window of accepted calls per account.
#[derive(Debug)]
pub(crate) struct Throttle {
    per_second: u32,
    calls: HashMap<String, VecDeque<Instant>>,
}

impl Throttle {
    /// At most `per_second` calls per account in any one-second window.
    pub fn new(per_second: u32) -> Self {
        Self {
            per_second,
            calls: HashMap::new(),
        }
    }

    /// Counts one call of `account` at `now`; `false` when it is over the limit (and then
    /// not counted).
    pub fn admit(&mut self, account: &str, now: Instant) -> bool {
        let calls = self.calls.entry(account.to_owned()).or_default();
        while calls
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            calls.pop_front();
        }
        if calls.len() >= self.per_second as usize {
            return false;
        }
        calls.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides() {
        let mut throttle = Throttle::new(2);
        let t0 = Instant::now();
        assert!(throttle.admit("a", t0));
        assert!(throttle.admit("a", t0));
        assert!(!throttle.admit("a", t0));
        assert!(throttle.admit("b", t0), "accounts are counted apart");
        assert!(throttle.admit("a", t0 + WINDOW));
    }
}
