//! The public entry points: [`Emulator`], [`EmulatorBuilder`], [`RunningEmulator`].

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alibabacloud_core::Credentials;

use crate::auth::{DEFAULT_WINDOW_MS, KeyStore};
use crate::data::DataSet;
use crate::data::lifecycle::DEFAULT_STEP_MS;
use crate::faults::{FaultPlan, Faults};
use crate::persist::StateFile;
use crate::record::{DEFAULT_REQUEST_LOG_CAPACITY, RecordedRequest};
use crate::server::{Server, Timeouts};
use crate::state::{Settings, State};
use crate::throttle::Throttling;
use crate::timekeeping::Clock;

/// The access key id the emulator accepts unless told otherwise.
pub const DEFAULT_ACCESS_KEY_ID: &str = "LTAI5tEmulatorAccessKey01";
/// The secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "EmulatorAccessKeySecret0000000000";
/// How long a connection may take to send a request's headers, and how long an idle
/// keep-alive connection stays open, unless told otherwise
/// ([`EmulatorBuilder::header_read_timeout`]).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a request's body may take to arrive, from the moment its head was read,
/// unless told otherwise ([`EmulatorBuilder::body_read_timeout`]).
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest accepted distance between a request's timestamp and the emulator's clock
/// unless told otherwise, the gateway's 15 minutes ([`EmulatorBuilder::replay_window`]).
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_millis(DEFAULT_WINDOW_MS as u64);

/// A data set out of range, as an I/O error of kind `InvalidInput`.
fn invalid(e: crate::data::DataError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

/// The local emulator. Start one with [`Emulator::start`] (defaults) or configure it with
/// [`Emulator::builder`].
#[derive(Clone, Copy, Debug)]
pub struct Emulator;

impl Emulator {
    /// Starts an emulator on `127.0.0.1` at a free port, with the seeded data set
    /// ([`DataSet::seeded`]), the default access key ([`DEFAULT_ACCESS_KEY_ID`] /
    /// [`DEFAULT_ACCESS_KEY_SECRET`]), no faults, no throttling, the system clock, a log of
    /// the last [`DEFAULT_REQUEST_LOG_CAPACITY`] requests, a 15-minute timestamp window
    /// and a [`DEFAULT_HEADER_READ_TIMEOUT`] of 30 s. Needs a Tokio runtime.
    pub async fn start() -> io::Result<RunningEmulator> {
        Self::builder().start().await
    }

    /// A builder with the defaults of [`Emulator::start`].
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configures an emulator before it starts.
#[derive(Clone, Debug)]
pub struct EmulatorBuilder {
    port: u16,
    data: Option<DataSet>,
    access_key_id: String,
    access_key_secret: String,
    faults: FaultPlan,
    throttling: Throttling,
    request_log_capacity: usize,
    replay_window: Duration,
    header_read_timeout: Option<Duration>,
    body_read_timeout: Option<Duration>,
    clock: Clock,
    state_file: Option<PathBuf>,
    lifecycle_step: Duration,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            data: None,
            access_key_id: DEFAULT_ACCESS_KEY_ID.to_owned(),
            access_key_secret: DEFAULT_ACCESS_KEY_SECRET.to_owned(),
            faults: FaultPlan::default(),
            throttling: Throttling::Off,
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            replay_window: DEFAULT_REPLAY_WINDOW,
            header_read_timeout: Some(DEFAULT_HEADER_READ_TIMEOUT),
            body_read_timeout: Some(DEFAULT_BODY_READ_TIMEOUT),
            clock: Clock::system(),
            state_file: None,
            lifecycle_step: Duration::from_millis(DEFAULT_STEP_MS as u64),
        }
    }
}

impl EmulatorBuilder {
    /// The port on `127.0.0.1` (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The data to serve (default: [`DataSet::seeded_at`] the clock's time).
    pub fn data(mut self, data: DataSet) -> Self {
        self.data = Some(data);
        self
    }

    /// The one long-term access key accepted (besides the temporary keys its STS issues).
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.access_key_id = id.into();
        self.access_key_secret = secret.into();
        self
    }

    /// Keeps the data in `path` (JSON, the [`DataSet`] format): read at start when the file
    /// exists (it wins over [`data`](Self::data)), written with the starting data when it
    /// does not, and saved atomically after every write operation, before its answer is
    /// sent. Delete the file to start afresh.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// How long each step of a lifecycle takes on the emulator's clock (default 5 s): a
    /// started deployment job is `scheduling`, `processing`, then done, one step each; a
    /// certificate application verifies its domain, then is processed, then issued.
    /// Tests move lifecycles on with [`RunningEmulator::advance`] instead of waiting.
    pub fn lifecycle_step(mut self, step: Duration) -> Self {
        self.lifecycle_step = step;
        self
    }

    /// Faults to inject into every request from the first one on (see [`Faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults.all = faults;
        self
    }

    /// Faults to inject into the requests naming `action` only (in any API version), e.g.
    /// `UploadUserCertificate`: a request meets its action's counters first, and those of
    /// [`EmulatorBuilder::faults`] only when none is left; both latencies add up. Called
    /// again for the same action, it replaces its faults.
    pub fn action_faults(mut self, action: impl Into<String>, faults: Faults) -> Self {
        self.faults.set_action(&action.into(), faults);
        self
    }

    /// Flow control (see [`Throttling`]; default [`Throttling::Off`]).
    /// [`Throttling::Documented`] answers `400 Throttling.User` to calls beyond each
    /// operation's documented rate per account.
    pub fn throttling(mut self, throttling: Throttling) -> Self {
        self.throttling = throttling;
        self
    }

    /// Shorthand for [`EmulatorBuilder::throttling`]: `Some(n)` is
    /// [`Throttling::PerOperation`]`(n)` (every operation at `n` calls per second per
    /// account), `None` is [`Throttling::Off`].
    pub fn throttle_per_second(mut self, calls: Option<u32>) -> Self {
        self.throttling = calls.map_or(Throttling::Off, Throttling::PerOperation);
        self
    }

    /// How many of the most recent requests [`RunningEmulator::requests`] keeps (default
    /// [`DEFAULT_REQUEST_LOG_CAPACITY`], 1,000; 0 keeps none). Older ones are dropped, so
    /// the log never grows beyond this.
    pub fn request_log_capacity(mut self, requests: usize) -> Self {
        self.request_log_capacity = requests;
        self
    }

    /// The largest accepted distance between a request's timestamp and the emulator's
    /// clock (default [`DEFAULT_REPLAY_WINDOW`], the gateway's 15 minutes; at least 1 ms).
    /// A nonce is remembered for as long as a request carrying it could pass that check,
    /// and for at least one window, so the memory nonces use is proportional to the
    /// requests of the last two windows. A short window bounds it tighter (the soak
    /// benchmark uses one to show memory flat over many windows).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// How long a connection may take to send a request's headers; also how long an idle
    /// keep-alive connection stays open waiting for its next request (default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`], 30 s). The connection is then closed. `None` (or
    /// zero) keeps connections open for as long as clients keep them.
    pub fn header_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.header_read_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// How long a request's body may take to arrive in full, from the moment its head was
    /// read (default [`DEFAULT_BODY_READ_TIMEOUT`], 30 s): a slower one is answered
    /// `408 RequestTimeout` and its connection closed, so connections that trickle a body
    /// are not held forever. `None` (or zero) waits for as long as the client sends.
    pub fn body_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.body_read_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// The clock (default [`Clock::system`]); keep a clone of a [`Clock::manual`] to move
    /// time in a test (also available as [`RunningEmulator::clock`]).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Binds the port and starts serving. Needs a Tokio runtime.
    pub async fn start(self) -> io::Result<RunningEmulator> {
        let clock = self.clock;
        let given = match self.data {
            Some(data) => Some(data.checked("the given data set").map_err(invalid)?),
            None => None,
        };
        let initial = || given.unwrap_or_else(|| DataSet::seeded_at(clock.now()));
        let state_file = self.state_file.as_ref().map(StateFile::new);
        let data = match &state_file {
            // Read when it exists (it wins over `data`), else written with the start data.
            Some(file) => file.open(initial)?.0,
            None => initial(),
        };
        let keys = KeyStore::new(
            data.account_id.clone(),
            self.access_key_id.clone(),
            self.access_key_secret.clone(),
        );
        let settings = Settings {
            faults: self.faults,
            throttling: self.throttling,
            request_log_capacity: self.request_log_capacity,
            replay_window: self.replay_window,
            clock: clock.clone(),
        };
        let mut state = State::new(data, keys, settings);
        if let Some(file) = state_file {
            state.set_state_file(file);
        }
        state.set_step_ms(i64::try_from(self.lifecycle_step.as_millis()).unwrap_or(i64::MAX));
        let state = Arc::new(state);
        let timeouts = Timeouts {
            header_read: self.header_read_timeout,
            body_read: self.body_read_timeout,
        };
        let server = Server::start(self.port, Arc::clone(&state), timeouts).await?;
        Ok(RunningEmulator {
            addr: server.addr,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            state,
            server: Some(server),
        })
    }
}

/// A running emulator. Dropping it stops the accept loop; [`RunningEmulator::shutdown`]
/// also waits for it and closes open connections.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    access_key_id: String,
    access_key_secret: String,
    state: Arc<State>,
    server: Option<Server>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, for `Config::builder().endpoint(...)`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The long-term access key it accepts.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(&self.access_key_id, &self.access_key_secret)
    }

    /// The account (UID) that owns its data and keys.
    pub fn account_id(&self) -> String {
        self.state.keys().account_id.clone()
    }

    /// For each request parameter of `action` that names a stored resource (`CertId`,
    /// `JobId`, ...), the ID of one resource of that kind that exists now and that the
    /// action can work on: what a test passes to call any operation on real state.
    pub fn resource_ids(&self, action: &str) -> BTreeMap<String, String> {
        self.state.data().resource_ids(action)
    }

    /// Moves lifecycles forward by `by`: deployment jobs and certificate applications, and
    /// the times handlers answer and `ClientToken` lifetimes. The [`Clock`] that
    /// authentication reads does not move (a client signs with its own clock), so signed
    /// calls keep working; move that one with [`RunningEmulator::clock`].
    pub fn advance(&self, by: Duration) {
        self.state
            .advance_lifecycles(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
    }

    /// The most recent requests received, oldest first: every one until the log is full
    /// (see [`EmulatorBuilder::request_log_capacity`]), then the last ones.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.records()
    }

    /// How many requests were received so far, including those the log no longer keeps.
    pub fn request_count(&self) -> u64 {
        self.state.request_count()
    }

    /// Empties the request log ([`RunningEmulator::request_count`] keeps counting).
    pub fn clear_requests(&self) {
        self.state.clear_records();
    }

    /// Replaces the faults of every request from the next request on (the faults of
    /// single actions are kept).
    pub fn set_faults(&self, faults: Faults) {
        self.state.faults().all = faults;
    }

    /// Replaces the faults of the requests naming `action` from the next request on
    /// (`Faults::default()` clears them); see [`EmulatorBuilder::action_faults`].
    pub fn set_action_faults(&self, action: &str, faults: Faults) {
        self.state.faults().set_action(action, faults);
    }

    /// The emulator's clock: with a [`Clock::manual`], moving it moves the emulator's time.
    pub fn clock(&self) -> Clock {
        self.state.clock().clone()
    }

    /// Stops serving: no new connections, open ones closed.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
    }
}
