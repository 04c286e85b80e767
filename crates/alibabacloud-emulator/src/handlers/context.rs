//! What a handler sees of one request: the shared state, the validated parameters and the
//! time.

use crate::request::Params;
use crate::state::State;

/// What a handler sees of one request.
pub(crate) struct Ctx<'a> {
    /// Shared state (data, keys).
    pub state: &'a State,
    /// Validated operation parameters.
    pub params: &'a Params,
    /// The emulator's clock, epoch milliseconds.
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// An integer parameter (already type-checked), or `default` when absent or empty.
    pub fn int(&self, name: &str, default: i64) -> i64 {
        self.params.int(name, default)
    }

    /// A text parameter, `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.params.non_empty(name)
    }
}
