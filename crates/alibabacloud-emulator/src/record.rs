//! The log of requests the emulator received ([`crate::RunningEmulator::requests`]): a
//! ring of the most recent ones, so that a long run does not grow it without bound.

use std::collections::VecDeque;
use std::time::SystemTime;

use alibabacloud_core::SignatureVersion;

/// A fault that was injected into one request (see [`crate::Faults`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjectedFault {
    /// The connection was closed without an answer.
    Dropped,
    /// The request was answered `503 ServiceUnavailable`.
    Failed,
    /// The answer's body was cut short.
    Truncated,
}

/// One request as the emulator saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// When it arrived.
    pub time: SystemTime,
    /// The action it named (`x-acs-action` or `Action`), if any.
    pub action: Option<String>,
    /// The API version it named, if any.
    pub version: Option<String>,
    /// Its signature nonce (`x-acs-signature-nonce` or `SignatureNonce`), if any.
    pub nonce: Option<String>,
    /// How it was signed: `Some(V3)` with an `Authorization` header, `Some(V1)` with a
    /// `Signature` query parameter, `None` when unsigned.
    pub signature_version: Option<SignatureVersion>,
    /// The access key id it was signed with, if any.
    pub access_key_id: Option<String>,
    /// The HTTP status answered; `0` when the connection was dropped without an answer.
    pub status: u16,
    /// The error `Code` answered, `None` on success.
    pub code: Option<String>,
    /// The fault injected into it, if any.
    pub fault: Option<InjectedFault>,
}

/// How many requests the log keeps unless told otherwise
/// ([`crate::EmulatorBuilder::request_log_capacity`]).
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 1_000;

/// The most recent requests, at most `capacity` of them, and how many there were.
#[derive(Debug)]
pub(crate) struct RequestLog {
    capacity: usize,
    records: VecDeque<RecordedRequest>,
    total: u64,
}

impl RequestLog {
    /// An empty log keeping at most `capacity` requests (0: none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            // Grows as requests come, up to the capacity; never beyond it.
            records: VecDeque::new(),
            total: 0,
        }
    }

    /// Appends `record`, dropping the oldest one when full.
    pub fn push(&mut self, record: RecordedRequest) {
        self.total = self.total.saturating_add(1);
        if self.capacity == 0 {
            return;
        }
        if self.records.len() >= self.capacity {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    /// The kept requests, oldest first.
    pub fn records(&self) -> Vec<RecordedRequest> {
        self.records.iter().cloned().collect()
    }

    /// How many requests were ever logged, kept or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Forgets the kept requests (the total stays).
    pub fn clear(&mut self) {
        self.records.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u16) -> RecordedRequest {
        RecordedRequest {
            time: SystemTime::UNIX_EPOCH,
            action: None,
            version: None,
            nonce: None,
            signature_version: None,
            access_key_id: None,
            status: n,
            code: None,
            fault: None,
        }
    }

    #[test]
    fn keeps_the_most_recent() {
        let mut log = RequestLog::new(3);
        for n in 1..=5 {
            log.push(record(n));
        }
        let kept: Vec<_> = log.records().iter().map(|r| r.status).collect();
        assert_eq!(kept, vec![3, 4, 5]);
        assert_eq!(log.total(), 5);
        assert!(log.records.capacity() < 16);
        log.clear();
        assert!(log.records().is_empty());
        assert_eq!(log.total(), 5);
    }

    #[test]
    fn zero_keeps_nothing() {
        let mut log = RequestLog::new(0);
        log.push(record(1));
        assert!(log.records().is_empty());
        assert_eq!(log.total(), 1);
    }
}
