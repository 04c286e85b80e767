//! The log of requests the emulator received ([`crate::RunningEmulator::requests`]).

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
