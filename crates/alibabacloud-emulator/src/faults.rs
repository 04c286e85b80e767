//! Faults on demand: latency, dropped connections, `503`s and truncated bodies.

use std::time::Duration;

use crate::record::InjectedFault;

/// Faults to inject, set when the emulator starts ([`crate::EmulatorBuilder::faults`]) or
/// while it runs ([`crate::RunningEmulator::set_faults`], which replaces the current ones).
///
/// `latency` delays every request while it is set. The counters are consumed one per
/// request, in this order: a request whose connection is dropped consumes `drop_next`
/// only, one answered `503` consumes `fail_next` only, and a request that meets neither
/// consumes `truncate_next` (its answer, whatever it is, is cut short).
///
/// ```
/// use alibabacloud_emulator::Faults;
/// let faults = Faults { fail_next: 2, ..Faults::default() };
/// assert_eq!(faults.drop_next, 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Answer the next N requests with `503 ServiceUnavailable` ("The request has failed
    /// due to a temporary failure of the server."), before any check.
    pub fail_next: u32,
    /// Wait this long before handling each request (zero: no delay).
    pub latency: Duration,
    /// Close the connection of the next N requests without answering.
    pub drop_next: u32,
    /// Send the next N answers with their full `content-length` but only half the body,
    /// then close the connection.
    pub truncate_next: u32,
}

impl Faults {
    /// Takes the fault the next request meets, if any (latency aside).
    pub(crate) fn take(&mut self) -> Option<InjectedFault> {
        if self.drop_next > 0 {
            self.drop_next -= 1;
            Some(InjectedFault::Dropped)
        } else if self.fail_next > 0 {
            self.fail_next -= 1;
            Some(InjectedFault::Failed)
        } else if self.truncate_next > 0 {
            self.truncate_next -= 1;
            Some(InjectedFault::Truncated)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_consumed_in_order() {
        let mut faults = Faults {
            fail_next: 1,
            drop_next: 1,
            truncate_next: 1,
            latency: Duration::ZERO,
        };
        assert_eq!(faults.take(), Some(InjectedFault::Dropped));
        assert_eq!(faults.take(), Some(InjectedFault::Failed));
        assert_eq!(faults.take(), Some(InjectedFault::Truncated));
        assert_eq!(faults.take(), None);
    }
}
