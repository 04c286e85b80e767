//! Runtime for the generated Alibaba Cloud clients.
//!
//! You rarely call it directly: a generated client (here CAS 2020-04-07) takes a
//! [`Config`] and does the rest through this crate: endpoint, signature, retries, errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), alibabacloud_core::Error> {
//! use alibabacloud_core::{Config, Credentials};
//!
//! let config = Config::builder()
//!     .region("cn-hangzhou")
//!     .credentials(Credentials::new("LTAI...", "secret"))
//!     .build();
//! let client = alibabacloud_cas_20200407::Client::new(&config)?;
//! let page = client
//!     .list_user_certificate_order()
//!     .order_type("CERT")
//!     .send()
//!     .await?;
//! println!("{} certificates", page.total_count.unwrap_or(0));
//! # Ok(())
//! # }
//! ```
//!
//! The generated crates (`alibabacloud-cas-20200407`, ...) describe each operation with an
//! [`Operation`] and its parameters as wire pairs ([`Params`]), and hand both to
//! [`Handle::invoke`] ([`Handle::invoke_raw`] returns the undeserialized
//! [`RawResponse`] instead). Everything else lives here:
//!
//! - [`signing`]: ACS3-HMAC-SHA256 (V3, default) and HMAC-SHA1 (V1) request signatures.
//! - [`credentials`]: the credentials type, the provider trait and static credentials.
//! - [`config`]: client configuration (region, endpoint, credentials, timeouts, retries).
//! - [`endpoint`]: endpoint resolution from a service's endpoint table.
//! - [`retry`]: retry policy with exponential backoff and full jitter.
//! - [`error`]: the one public [`Error`] type.
//! - [`wire`]: lenient deserializers and the timestamp types used by generated models.
//! - [`pagination`]: the page stream behind every generated paginator.
//!
//! ## Features
//!
//! - `rustls` (default): HTTPS through rustls with the ring provider and bundled root
//!   certificates.
//! - `native-tls`: HTTPS through the platform's TLS library instead (OpenSSL on Linux).
//!   When both are enabled, `native-tls` is used. One of the two is required.
//! - `catalog`: the `catalog` module, the static operation descriptions read by the CLI
//!   and the emulator. Off by default; clients do not need it.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "alibabacloud-core needs a TLS backend: enable its `rustls` (default) or `native-tls` \
     feature (a crate that depends on it with `default-features = false` must name one)"
);

#[cfg(feature = "catalog")]
#[cfg_attr(docsrs, doc(cfg(feature = "catalog")))]
pub mod catalog;
pub mod config;
pub mod connection;
pub mod credentials;
pub mod endpoint;
pub mod error;
mod handle;
pub mod interceptor;
pub mod mismatch;
pub mod mock;
pub mod operation;
pub mod pagination;
pub mod rate_limit;
pub mod region;
pub mod retry;
mod sender;
pub mod signing;
pub mod token_pagination;
mod transport;
pub mod waiter;
pub mod wire;
mod wire_enum;
pub mod wire_struct;

/// Paths the exported macros use; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}

pub use config::{Config, ConfigBuilder};
pub use credentials::{Credentials, ProvideCredentials};
pub use endpoint::{Network, ServiceInfo};
pub use error::{BuildError, Error};
pub use handle::{CallOptions, Handle};
pub use operation::{Operation, Params};
pub use sender::Sender;
pub use signing::SignatureVersion;
pub use transport::{PreparedRequest, RawResponse};
