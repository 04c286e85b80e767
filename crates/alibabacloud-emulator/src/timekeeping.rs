//! The emulator's notion of "now": the system clock, or a manual clock a test moves.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// The clock an emulator reads ([`crate::EmulatorBuilder::clock`]).
///
/// It drives every time-dependent check and answer: the timestamp window of signatures,
/// how long nonces are remembered, the expiry of the temporary keys its STS issues, the
/// flow-control windows, the times handlers write and the times of the request log. It
/// does not drive real I/O: fault latency and the header-read timeout of connections run
/// on real time.
///
/// [`Clock::system`] (the default) follows the system time; [`Clock::manual`] stands
/// still until [`Clock::advance`] or [`Clock::set`] moves it, so a test can step over a
/// throttling window or a key's expiry without waiting. Clones share one time.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use alibabacloud_emulator::Clock;
/// let start = SystemTime::now();
/// let clock = Clock::manual(start);
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now(), start + Duration::from_secs(60));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<SystemTime>>>,
}

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Self {
        Self { manual: None }
    }

    /// A clock that stands at `start` until moved.
    pub fn manual(start: SystemTime) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.manual {
            Some(time) => *time.lock().unwrap_or_else(PoisonError::into_inner),
            None => SystemTime::now(),
        }
    }

    /// Moves a manual clock forward by `by` (saturating at the end of `SystemTime`); the
    /// system clock ignores it.
    pub fn advance(&self, by: Duration) {
        if let Some(time) = &self.manual {
            let mut time = time.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(later) = time.checked_add(by) {
                *time = later;
            }
        }
    }

    /// Sets a manual clock to `to` (backwards too); the system clock ignores it.
    pub fn set(&self, to: SystemTime) {
        if let Some(time) = &self.manual {
            *time.lock().unwrap_or_else(PoisonError::into_inner) = to;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = Clock::manual(start);
        let other = clock.clone();
        assert_eq!(clock.now(), start);
        other.advance(Duration::from_millis(1500));
        assert_eq!(clock.now(), start + Duration::from_millis(1500));
        clock.set(start);
        assert_eq!(other.now(), start);
        assert!(clock.is_manual() && !Clock::system().is_manual());
    }

    #[test]
    fn the_system_clock_ignores_moves() {
        let clock = Clock::system();
        let before = SystemTime::now();
        clock.advance(Duration::from_secs(3600));
        clock.set(SystemTime::UNIX_EPOCH);
        let now = clock.now();
        assert!(now >= before && now < before + Duration::from_secs(3600));
    }
}
