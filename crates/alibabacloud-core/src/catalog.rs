//! A machine-readable description of every operation, generated from the specs into the
//! `alibabacloud-catalog` crate. Tools that work on any operation by name — the `alicloud`
//! CLI and the local emulator — read it instead of the typed clients.

use crate::endpoint::ServiceInfo;
use crate::operation::{Location, Operation};
use crate::waiter::WaitRule;

mod check;
mod pages;

pub use check::InvalidValue;
pub use pages::{Page, pages};

/// One product and API version.
#[derive(Debug)]
pub struct ProductInfo {
    /// Product code, e.g. `cas` (also the CLI's product name).
    pub code: &'static str,
    /// Human name.
    pub title: &'static str,
    /// Endpoints and default signature.
    pub service: &'static ServiceInfo,
    /// Its operations, sorted by action.
    pub operations: &'static [OperationInfo],
}

/// One operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// How the runtime sends it.
    pub operation: Operation,
    /// One-line summary.
    pub summary: &'static str,
    /// The operation's reference page on Alibaba Cloud's OpenAPI portal (the link the
    /// generated crates' docs carry).
    pub reference_url: &'static str,
    /// Request parameters.
    pub params: &'static [ParamInfo],
    /// How it pages, if it does.
    pub pagination: Option<PagingInfo>,
    /// Documented calls per second per account, if any.
    pub rate_limit_per_second: Option<u32>,
    /// Documented error codes with their HTTP status.
    pub errors: &'static [(&'static str, u16)],
    /// The fields of a successful response body, besides `RequestId`.
    pub response: &'static [FieldShape],
    /// The waiters that poll this (read) operation until a field reaches a state.
    pub waiters: &'static [WaitRule],
    /// Whether the service marks the operation deprecated.
    pub deprecated: bool,
}

/// One field of a response object, or (with an empty `name`) a list item or map value.
#[derive(Debug)]
pub struct FieldShape {
    /// Wire name.
    pub name: &'static str,
    /// Whether the service always sends it.
    pub required: bool,
    /// The documented example value, as text (empty when none).
    pub example: &'static str,
    /// Wire type.
    pub kind: ShapeKind,
}

impl FieldShape {
    /// A field shape (a constructor, so that the generated catalog stays compact).
    pub const fn new(
        name: &'static str,
        required: bool,
        example: &'static str,
        kind: ShapeKind,
    ) -> Self {
        Self {
            name,
            required,
            example,
            kind,
        }
    }
}

/// The wire type of a response field.
#[derive(Clone, Copy, Debug)]
pub enum ShapeKind {
    /// Free text.
    Text,
    /// A calendar date as text, `YYYY-MM-DD`.
    Date,
    /// An ISO 8601 UTC time as text, `YYYY-MM-DDTHH:MM:SSZ`.
    Datetime,
    /// A decimal amount as text.
    Decimal,
    /// Text limited to these values.
    Enum(&'static [&'static str]),
    /// 32-bit integer.
    Int32,
    /// 64-bit integer.
    Int64,
    /// Milliseconds since the Unix epoch.
    EpochMillis,
    /// Seconds since the Unix epoch.
    EpochSeconds,
    /// A floating-point number.
    Number,
    /// `true` or `false`.
    Bool,
    /// Any JSON value.
    Any,
    /// An object with these fields.
    Object(&'static [FieldShape]),
    /// An array of `item`; with `wrapper`, an object holding the array under that key
    /// (`{"Item": [...]}`).
    List {
        /// The key of the array inside its wrapper object, if any.
        wrapper: Option<&'static str>,
        /// The shape of each item.
        item: &'static FieldShape,
    },
    /// An object whose values all have this shape.
    Map(&'static FieldShape),
}

/// The wire type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// Text (also dates, times and decimals).
    String,
    /// 32-bit integer.
    Int32,
    /// 64-bit integer (also epoch timestamps).
    Int64,
    /// `true` or `false`.
    Bool,
    /// A repeated list sent as `Name.1`, `Name.2`, ...
    List,
    /// A list or object sent as one JSON string.
    Json,
    /// An object or map sent as `Name.Field` / `Name.key`.
    Object,
}

/// One request parameter.
#[derive(Debug)]
pub struct ParamInfo {
    /// Wire name.
    pub name: &'static str,
    /// Wire type.
    pub kind: ParamType,
    /// Whether the call needs it.
    pub required: bool,
    /// Where it travels.
    pub location: Location,
    /// Documented values, empty when free.
    pub values: &'static [&'static str],
    /// The documentation text.
    pub description: &'static str,
    /// A secret (private key, password, token): never shown in logs, errors or output.
    pub sensitive: bool,
    /// The documented example value, as text (empty when none).
    pub example: &'static str,
}

/// How an operation pages.
#[derive(Clone, Copy, Debug)]
pub struct PagingInfo {
    /// The page-number parameter (`CurrentPage`, `PageNum`) or the offset parameter
    /// (`StartIndex`).
    pub cursor: &'static str,
    /// Whether `cursor` is an offset (`StartIndex`) rather than a 1-based page number.
    pub offset: bool,
    /// Whether `cursor` is a page token (`NextToken`): then `total` is the response path
    /// of the next page's token, and paging ends when it is empty or absent.
    pub token: bool,
    /// The page-size parameter, if any.
    pub page_size: Option<&'static str>,
    /// Dotted path of the total in the response (`Data.TotalCount`).
    pub total: &'static str,
    /// Dotted path of the item list in the response (`Data.OrderList`).
    pub items: &'static str,
    /// Dotted path of the page number the response echoes back, if it carries one
    /// (`PageNumber`): an echo that repeats ends the page stream (see
    /// [`pagination`](crate::pagination)).
    pub echo: Option<&'static str>,
}

impl ProductInfo {
    /// The operation with this action name.
    pub fn operation(&self, action: &str) -> Option<&'static OperationInfo> {
        self.operations
            .iter()
            .find(|op| op.operation.action == action)
    }
}

impl OperationInfo {
    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&'static ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }
}
