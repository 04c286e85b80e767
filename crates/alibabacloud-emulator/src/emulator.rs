//! The public entry points: [`Emulator`], [`EmulatorBuilder`], [`RunningEmulator`].

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alibabacloud_core::Credentials;

use crate::auth::KeyStore;
use crate::data::DataSet;
use crate::faults::Faults;
use crate::persist::StateFile;
use crate::record::RecordedRequest;
use crate::server::Server;
use crate::state::{DEFAULT_STEP_MS, State};

/// The access key id the emulator accepts unless told otherwise.
pub const DEFAULT_ACCESS_KEY_ID: &str = "LTAI5tEmulatorAccessKey01";
/// The secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "EmulatorAccessKeySecret0000000000";
/// The account (UID) of the seeded data set and of the emulator's keys.
pub const DEFAULT_ACCOUNT_ID: &str = "1234567890123456";

/// The local emulator. Start one with [`Emulator::start`] (defaults) or configure it with
/// [`Emulator::builder`].
#[derive(Clone, Copy, Debug)]
pub struct Emulator;

impl Emulator {
    /// Starts an emulator on `127.0.0.1` at a free port, with the seeded data set
    /// ([`DataSet::seeded`]), the default access key ([`DEFAULT_ACCESS_KEY_ID`] /
    /// [`DEFAULT_ACCESS_KEY_SECRET`]), no faults and no throttling. Needs a Tokio runtime.
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
    faults: Faults,
    throttle_per_second: Option<u32>,
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
            faults: Faults::default(),
            throttle_per_second: None,
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

    /// The data to serve (default: [`DataSet::seeded`]).
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
    /// Tests move the clock with [`RunningEmulator::advance`] instead of waiting.
    pub fn lifecycle_step(mut self, step: Duration) -> Self {
        self.lifecycle_step = step;
        self
    }

    /// Faults to inject from the first request on (see [`Faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Per-account flow control: `Some(n)` answers `400 Throttling.User` ("Request was
    /// denied due to user flow control.") to calls beyond `n` within any one second
    /// (the documented limit of the CAS operations is 10); `None` (the default) turns it
    /// off.
    pub fn throttle_per_second(mut self, calls: Option<u32>) -> Self {
        self.throttle_per_second = calls;
        self
    }

    /// Binds the port and starts serving. Needs a Tokio runtime.
    pub async fn start(self) -> io::Result<RunningEmulator> {
        let state_file = self.state_file.as_ref().map(StateFile::new);
        let stored = match &state_file {
            Some(file) => file
                .load()
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.path().display())))?,
            None => None,
        };
        let fresh = stored.is_none();
        let data = stored.or(self.data).unwrap_or_else(DataSet::seeded);
        let keys = KeyStore::new(
            data.account_id.clone(),
            self.access_key_id.clone(),
            self.access_key_secret.clone(),
        );
        let mut state = State::new(data, keys, self.faults, self.throttle_per_second);
        if let Some(file) = state_file {
            if fresh {
                file.save(&state.data())?;
            }
            state.set_state_file(file);
        }
        state.set_step_ms(i64::try_from(self.lifecycle_step.as_millis()).unwrap_or(i64::MAX));
        let state = Arc::new(state);
        let server = Server::start(self.port, Arc::clone(&state)).await?;
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

    /// Moves the emulator's clock forward by `by`: lifecycles, `ClientToken` lifetimes and
    /// every time it answers follow it. Authentication stays on real time (a client signs
    /// with its own clock): the 15-minute timestamp window, nonces and temporary keys.
    pub fn advance(&self, by: Duration) {
        self.state
            .advance(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.records()
    }

    /// Replaces the faults to inject from the next request on.
    pub fn set_faults(&self, faults: Faults) {
        *self.state.faults() = faults;
    }

    /// Stops serving: no new connections, open ones closed.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
    }
}
