//! A local, signature-checking emulator of the Alibaba Cloud RPC gateway.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use alibabacloud_emulator::Emulator;
//!
//! let emulator = Emulator::start().await?; // 127.0.0.1, a free port, seeded data
//! let config = alibabacloud_core::Config::builder()
//!     .endpoint(emulator.endpoint())
//!     .credentials(emulator.credentials())
//!     .build();
//! // ... any generated client on `config` ...
//! # let _ = config;
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! It serves every operation of [`alibabacloud_catalog::PRODUCTS`] on `127.0.0.1`, checks
//! each request the way the cloud does and answers from a stateful, deterministic data set:
//!
//! 1. **Faults** ([`Faults`]): added latency, dropped connections, `503 ServiceUnavailable`,
//!    truncated bodies, consumed one per request in that order (drop, fail, truncate), for
//!    every request or for one action
//!    ([`EmulatorBuilder::action_faults`]).
//! 2. **Routing**: the action and version come from the `x-acs-action` / `x-acs-version`
//!    headers (V3) or the `Action` / `Version` query parameters (V1); anything that is not a
//!    catalog operation on path `/` is `404 InvalidApi.NotFound`.
//! 3. **Authentication**: V3 (`ACS3-HMAC-SHA256`) and V1 (HMAC-SHA1) signatures are
//!    recomputed with the configured access key (or a temporary key the emulator's own STS
//!    issued) and compared; timestamps more than 15 minutes off and reused nonces are
//!    refused (nonces are forgotten once that window has passed, so memory stays
//!    bounded). Operations whose catalog `auth` is `Anonymous` (STS `AssumeRoleWithOIDC`)
//!    need no signature.
//! 4. **Flow control** ([`Throttling`], off by default): per account and operation, at
//!    each operation's documented rate or at one rate for all (`Throttling.User`).
//! 5. **Validation** against the catalog: required parameters (`Missing{Param}`), integer
//!    and boolean types and enum values (`InvalidParameter`).
//! 6. **Idempotency**: a write whose `ClientToken` was seen answers the first answer again.
//! 7. **Handlers**: the lifecycles (uploaded certificates, CSRs, certificate applications,
//!    deployment jobs, bills and orders, STS) from the stored [`DataSet`], which moves on
//!    the emulator's clock ([`RunningEmulator::advance`]) and can live in a state file
//!    ([`EmulatorBuilder::state_file`]); every other operation from its response schema in
//!    the catalog ([`conforms`] checks a body against it).
//!
//! Every error body is JSON with `RequestId`, `HostId`, `Code`, `Message` and `Recommend`.
//! See `README.md` of this crate for every operation family, the error table and the
//! fixture format.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answer;
mod auth;
mod clock;
pub mod data;
mod emulator;
mod errors;
mod faults;
mod gateway;
mod handlers;
mod idempotency;
mod pem;
mod persist;
mod record;
mod request;
mod route;
mod server;
mod state;
mod synth;
mod throttle;
mod timekeeping;
mod validate;

pub use data::{DEFAULT_ACCOUNT_ID, DataError, DataSet};
pub use emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_BODY_READ_TIMEOUT,
    DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_REPLAY_WINDOW, Emulator, EmulatorBuilder, RunningEmulator,
};
pub use faults::{FaultSpec, Faults};
pub use record::{DEFAULT_REQUEST_LOG_CAPACITY, InjectedFault, RecordedRequest};
pub use synth::conforms;
pub use throttle::Throttling;
pub use timekeeping::Clock;
