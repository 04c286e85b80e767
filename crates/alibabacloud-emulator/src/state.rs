//! The state shared by every connection of one running emulator.
//!
//! Everything that lives as long as the emulator is bounded: the request log is a ring,
//! nonces are forgotten once their timestamp window has passed, temporary keys are not
//! stored at all (their tokens carry them), and flow control keeps one second of calls per
//! account and operation.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime};

use crate::auth::{KeyStore, NonceCache};
use crate::clock;
use crate::data::DataSet;
use crate::data::lifecycle::{self, DEFAULT_STEP_MS};
use crate::faults::FaultPlan;
use crate::idempotency::ClientTokens;
use crate::persist::StateFile;
use crate::record::{InjectedFault, RecordedRequest, RequestLog};
use crate::route::Route;
use crate::throttle::{Throttle, Throttling};
use crate::timekeeping::Clock;

/// Data, keys, nonces, faults, flow control, the request log and the clock.
#[derive(Debug)]
pub(crate) struct State {
    data: RwLock<DataSet>,
    keys: KeyStore,
    /// Nonces seen recently (also the timestamp window).
    pub nonces: NonceCache,
    faults: Mutex<FaultPlan>,
    throttle: Option<Mutex<Throttle>>,
    records: Mutex<RequestLog>,
    clock: Clock,
    tokens: Mutex<ClientTokens>,
    /// Where the data set is kept and shared with other emulators, if anywhere.
    state_file: Option<StateFile>,
    /// How far lifecycles are ahead of the clock, milliseconds
    /// ([`crate::RunningEmulator::advance`]).
    lifecycle_offset_ms: AtomicI64,
    /// One step of a resource lifecycle (a deployment job's, a certificate application's).
    step_ms: AtomicI64,
}

/// How a state is set up, besides its data and keys.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Faults to inject.
    pub faults: FaultPlan,
    /// Flow control.
    pub throttling: Throttling,
    /// Requests kept in the log.
    pub request_log_capacity: usize,
    /// Largest accepted timestamp distance, and how long nonces are remembered.
    pub replay_window: Duration,
    /// What "now" is.
    pub clock: Clock,
}

/// Locks `m`, ignoring poisoning (every critical section leaves the data consistent).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// A fresh state.
    pub fn new(data: DataSet, keys: KeyStore, settings: Settings) -> Self {
        let window_ms = i64::try_from(settings.replay_window.as_millis()).unwrap_or(i64::MAX);
        Self {
            data: RwLock::new(data),
            keys,
            nonces: NonceCache::new(window_ms),
            faults: Mutex::new(settings.faults),
            throttle: (settings.throttling != Throttling::Off)
                .then(|| Mutex::new(Throttle::new(settings.throttling))),
            records: Mutex::new(RequestLog::new(settings.request_log_capacity)),
            clock: settings.clock,
            tokens: Mutex::new(ClientTokens::default()),
            state_file: None,
            lifecycle_offset_ms: AtomicI64::new(0),
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

    /// Keeps the data set in `file` from now on (see [`State::transact`]).
    pub fn set_state_file(&mut self, file: StateFile) {
        self.state_file = Some(file);
    }

    /// Runs `work` (one request's handler) on the current data set, with lifecycles
    /// settled at `now_ms` first, and saves the data set when `work` was a `write` that
    /// succeeded or settling changed it.
    ///
    /// With a state file, this happens under its lock: exclusive for a write (or when
    /// lifecycles are due), shared for a read; the data set is first re-read if another
    /// emulator saved the file since this one last read or wrote it. So concurrent writers
    /// on one file each see every earlier write. Without one, only the in-memory locks
    /// apply.
    pub fn transact<T, E: From<std::io::Error>>(
        &self,
        write: bool,
        now_ms: i64,
        work: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(file) = &self.state_file else {
            self.settle(now_ms);
            return work();
        };
        let mut lock = file.lock_file()?;
        if !write {
            let guard = lock.read()?;
            if let Some(stored) = file.changed(&guard)? {
                *self.data_mut() = stored;
            }
            if !self.settle_due(now_ms) {
                return work();
            }
            // Lifecycles to settle: a write after all.
        }
        let mut guard = lock.write()?;
        if let Some(stored) = file.changed(&guard)? {
            *self.data_mut() = stored;
        }
        let settled = self.settle(now_ms);
        let result = work();
        if settled || (write && result.is_ok()) {
            file.save(&mut guard, &self.data())?;
        }
        result
    }

    /// Whether a lifecycle is due to change the data set at `now_ms`.
    fn settle_due(&self, now_ms: i64) -> bool {
        lifecycle::any_due(&self.data(), now_ms, self.step_ms())
    }

    /// Moves every lifecycle that time has moved on (issues due certificates); whether the
    /// data set changed. Looked for under the read lock: only a request that has work to
    /// do takes the write lock, so requests are not serialised on it.
    fn settle(&self, now_ms: i64) -> bool {
        if !self.settle_due(now_ms) {
            return false;
        }
        let mut data = self.data_mut();
        lifecycle::settle(&mut data, now_ms, self.step_ms())
    }

    /// The `ClientToken`s of recent writes.
    pub fn client_tokens(&self) -> MutexGuard<'_, ClientTokens> {
        lock(&self.tokens)
    }

    /// The time the handlers see, epoch milliseconds: the clock, plus what lifecycles were
    /// advanced by.
    pub fn lifecycle_now_ms(&self) -> i64 {
        self.now_ms()
            .saturating_add(self.lifecycle_offset_ms.load(Ordering::Relaxed))
    }

    /// Moves lifecycles forward (not the clock that authentication reads).
    pub fn advance_lifecycles(&self, ms: i64) {
        self.lifecycle_offset_ms
            .fetch_add(ms.max(0), Ordering::Relaxed);
    }

    /// One lifecycle step, milliseconds.
    pub fn step_ms(&self) -> i64 {
        self.step_ms.load(Ordering::Relaxed)
    }

    /// Sets the lifecycle step (at least one millisecond).
    pub fn set_step_ms(&self, ms: i64) {
        self.step_ms.store(ms.max(1), Ordering::Relaxed);
    }

    /// The key store.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// The current faults.
    pub fn faults(&self) -> MutexGuard<'_, FaultPlan> {
        lock(&self.faults)
    }

    /// The latency and the fault of the next request, which names `action`.
    pub fn take_fault(&self, action: Option<&str>) -> (Duration, Option<InjectedFault>) {
        self.faults().take(action)
    }

    /// Counts a call of `account` to the operation of `route` at `now_ms`; `false` when
    /// flow control refuses it.
    pub fn admit(&self, account: &str, route: Route, now_ms: i64) -> bool {
        match &self.throttle {
            Some(throttle) => {
                lock(throttle).admit(account, route.product.service.version, route.op, now_ms)
            }
            None => true,
        }
    }

    /// Appends to the request log.
    pub fn record(&self, record: RecordedRequest) {
        lock(&self.records).push(record);
    }

    /// A copy of the request log.
    pub fn records(&self) -> Vec<RecordedRequest> {
        lock(&self.records).records()
    }

    /// How many requests were received (logged, whether still kept or not).
    pub fn request_count(&self) -> u64 {
        lock(&self.records).total()
    }

    /// Empties the request log.
    pub fn clear_records(&self) {
        lock(&self.records).clear();
    }

    /// The emulator's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The clock's time.
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// The clock's time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        clock::millis(self.clock.now())
    }
}
