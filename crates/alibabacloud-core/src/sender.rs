//! What a generated request builder needs in order to send itself.

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::{Operation, Params};

/// A client's handle and the options of one call: what a request builder started from a
/// `Client` method carries, so that it can `send()`. A builder made with
/// `<Operation>Request::builder()` carries `()` instead and only builds.
#[derive(Clone, Debug)]
pub struct Sender {
    handle: Handle,
    options: CallOptions,
}

impl Sender {
    /// A sender on `handle` with the client's own options.
    pub fn new(handle: Handle) -> Self {
        Self {
            handle,
            options: CallOptions::default(),
        }
    }

    /// Overrides the client's timeout or retry policy for this call.
    pub fn set_options(&mut self, options: CallOptions) {
        self.options = options;
    }

    /// Changes this call's options with `change` (the fluent builders' `customize`).
    pub fn customize(&mut self, change: impl FnOnce(CallOptions) -> CallOptions) {
        self.options = change(std::mem::take(&mut self.options));
    }

    /// Sends `operation` with `params` and deserializes the response.
    pub async fn invoke<T: DeserializeOwned>(
        self,
        operation: &'static Operation,
        params: Params,
    ) -> Result<T, Error> {
        self.handle.invoke(operation, params, &self.options).await
    }

    /// The handle and the options, for paginators.
    pub fn into_parts(self) -> (Handle, CallOptions) {
        (self.handle, self.options)
    }
}
