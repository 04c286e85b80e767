//! The state shared by every connection of one running emulator.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::auth::{KeyStore, NonceCache};
use crate::data::DataSet;
use crate::faults::Faults;
use crate::idempotency::ClientTokens;
use crate::persist::StateFile;
use crate::record::RecordedRequest;
use crate::throttle::Throttle;

/// Data, keys, nonces, faults, flow control and the request log.
#[derive(Debug)]
pub(crate) struct State {
    data: RwLock<DataSet>,
    keys: Mutex<KeyStore>,
    /// Nonces seen recently.
    pub nonces: Mutex<NonceCache>,
    faults: Mutex<Faults>,
    throttle: Option<Mutex<Throttle>>,
    records: Mutex<Vec<RecordedRequest>>,
    tokens: Mutex<ClientTokens>,
    /// Where the data set is saved after each write, if anywhere.
    state_file: Option<StateFile>,
    /// How far the emulator's clock is ahead of real time, milliseconds.
    clock_offset_ms: AtomicI64,
    /// One step of a resource lifecycle (a deployment job's, a certificate application's).
    step_ms: AtomicI64,
}

/// The default lifecycle step: five seconds.
pub(crate) const DEFAULT_STEP_MS: i64 = 5_000;

/// Locks `m`, ignoring poisoning (every critical section leaves the data consistent).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// A fresh state.
    pub fn new(data: DataSet, keys: KeyStore, faults: Faults, throttle: Option<u32>) -> Self {
        Self {
            data: RwLock::new(data),
            keys: Mutex::new(keys),
            nonces: Mutex::new(NonceCache::default()),
            faults: Mutex::new(faults),
            throttle: throttle.map(|n| Mutex::new(Throttle::new(n))),
            records: Mutex::new(Vec::new()),
            tokens: Mutex::new(ClientTokens::default()),
            state_file: None,
            clock_offset_ms: AtomicI64::new(0),
            step_ms: AtomicI64::new(DEFAULT_STEP_MS),
        }
    }

    /// The data set, for reading.
    pub fn data(&self) -> RwLockReadGuard<'_, DataSet> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The data set, for a write.
    pub fn data_mut(&self) -> RwLockWriteGuard<'_, DataSet> {
        self.data.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The emulator's clock, epoch milliseconds: real time plus what tests advanced it by.
    pub fn now_ms(&self) -> i64 {
        crate::clock::millis(std::time::SystemTime::now())
            .saturating_add(self.clock_offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the emulator's clock forward.
    pub fn advance(&self, ms: i64) {
        self.clock_offset_ms.fetch_add(ms.max(0), Ordering::Relaxed);
    }

    /// One lifecycle step, milliseconds.
    pub fn step_ms(&self) -> i64 {
        self.step_ms.load(Ordering::Relaxed)
    }

    /// Sets the lifecycle step (at least one millisecond).
    pub fn set_step_ms(&self, ms: i64) {
        self.step_ms.store(ms.max(1), Ordering::Relaxed);
    }

    /// Saves the data set to `file` after every write from now on.
    pub fn set_state_file(&mut self, file: StateFile) {
        self.state_file = Some(file);
    }

    /// Saves the data set to the state file, if there is one.
    pub fn persist(&self) -> std::io::Result<()> {
        match &self.state_file {
            Some(file) => file.save(&self.data()),
            None => Ok(()),
        }
    }

    /// The `ClientToken`s of recent writes.
    pub fn client_tokens(&self) -> MutexGuard<'_, ClientTokens> {
        lock(&self.tokens)
    }

    /// The key store.
    pub fn keys(&self) -> MutexGuard<'_, KeyStore> {
        lock(&self.keys)
    }

    /// The current faults.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    /// Flow control, when enabled.
    pub fn throttle(&self) -> Option<MutexGuard<'_, Throttle>> {
        self.throttle.as_ref().map(lock)
    }

    /// Appends to the request log.
    pub fn record(&self, record: RecordedRequest) {
        lock(&self.records).push(record);
    }

    /// A copy of the request log.
    pub fn records(&self) -> Vec<RecordedRequest> {
        lock(&self.records).clone()
    }
}
