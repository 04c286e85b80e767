//! Stage 1: the spec files as written, read with serde. Every struct denies unknown keys,
//! so a typo is an error rather than lost information, and so is a key that was retired
//! (see [`RETIRED_KEYS`]). See `specs/README.md`.

/// Keys that specs once had and that reached nothing, with what to do about one: a spec
/// that still has one fails with this explanation instead of a bare "unknown field".
pub const RETIRED_KEYS: &[(&str, &str)] = &[
    (
        "protocol",
        "service.yaml no longer takes `protocol`: it changed nothing (every endpoint is \
         https unless an explicit endpoint says http://); delete the line",
    ),
    (
        "style",
        "operations no longer take `style`: every operation is RPC (the importer refuses \
         other APIs), so the key changed nothing; delete the line (parameters keep their \
         `style`)",
    ),
    (
        "response_body",
        "operations no longer take `response_body`: every response is JSON, so the key \
         changed nothing; delete the line",
    ),
];

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `service.yaml`: one product and API version.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub product: String,
    pub title: String,
    pub version: String,
    #[serde(rename = "crate")]
    pub crate_name: String,
    pub signature: Signature,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The product code as Alibaba Cloud's OpenAPI portal spells it (`BssOpenApi`), for
    /// links to each operation's page; default: `product`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portal_code: Option<String>,
    pub endpoints: EndpointsSpec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signature {
    V1,
    V3,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regional: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Host pattern of the VPC endpoints, with `{region}` in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_rule: Option<String>,
    /// Hand overrides of the regional map, each with the reason; they win over `regional`,
    /// which a re-import rewrites from the metadata's map.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<String, EndpointOverride>,
    /// Free text for maintainers about these endpoints; not rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One region whose host is chosen by hand rather than by the metadata's map.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointOverride {
    pub host: String,
    /// Why the published map is not followed here (required).
    pub note: String,
}

/// `<Action>.yaml`: one operation. Fields are in the order the importer writes keys.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Who owns the facts of this spec: a person (`curated`, the default) or
    /// `cargo xtask import` (`imported`). See `specs/README.md`.
    #[serde(default, skip_serializing_if = "Origin::is_curated")]
    pub origin: Origin,
    /// For imported specs: the fingerprint of the facts as the importer last wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_digest: Option<String>,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: Method,
    pub path: String,
    pub request_body: RequestBody,
    /// Required: whether the call only reads, which makes it safe to retry.
    pub read_only: bool,
    /// The service marks the operation deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Auth::is_ak")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiters: Vec<WaiterSpec>,
    pub request: Vec<FieldSpec>,
    pub response: ResponseSpec,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Who owns the facts of a spec.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Written by a person: the importer adds missing fields and reports disagreements,
    /// and never changes a value.
    #[default]
    Curated,
    /// Written by `cargo xtask import`: the importer refreshes the facts while nobody
    /// has edited them by hand.
    Imported,
}

impl Origin {
    fn is_curated(&self) -> bool {
        *self == Origin::Curated
    }
}

/// A generated `wait_until_<name>` method: polls the operation until a response field
/// holds a success or a failure value.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterSpec {
    /// snake_case name: the client method is `wait_until_<name>`.
    pub name: String,
    /// Dotted wire path of the response field that is matched.
    pub path: String,
    /// Values that end the wait successfully.
    pub success: Vec<String>,
    /// Values that end the wait with an error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure: Vec<String>,
    /// Delay before the second poll, seconds (default 5); it doubles up to the largest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_delay_seconds: Option<u64>,
    /// Largest delay between two polls, seconds (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    /// Default overall wait limit, seconds (default 900).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a call authenticates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Signed with an access key (the default).
    #[default]
    Ak,
    /// Sent unsigned (STS AssumeRoleWithOIDC: the OIDC token is the proof).
    Anonymous,
}

impl Auth {
    fn is_ak(&self) -> bool {
        *self == Auth::Ak
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestBody {
    None,
    Form,
    Json,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSpec {
    pub calls: u32,
    pub per: RatePeriod,
    pub scope: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RatePeriod {
    Second,
    Minute,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, tag = "style", rename_all = "snake_case")]
pub enum PaginationSpec {
    PageNumber {
        page: String,
        page_size: String,
        total: String,
        items: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    StartIndex {
        start: String,
        total: String,
        items: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// `NextToken`/`MaxResults`: the response's token asks for the next page.
    NextToken {
        /// Request parameter that carries the token.
        token: String,
        /// Request parameter of the page size, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_size: Option<String>,
        /// Dotted response path of the next token.
        next: String,
        items: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    pub http_status: u16,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub fields: Vec<FieldSpec>,
}

/// A request parameter, a response field, or (without `name`) a list item or map value.
/// Fields are in the order the importer writes keys.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(rename = "type")]
    pub ty: TypeName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<String>,
    #[serde(default, rename = "struct", skip_serializing_if = "Option::is_none")]
    pub struct_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<FieldSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<FieldSpec>>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValueSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    /// Request values: how they travel (see [`ParamStyle`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Why a field whose name or example looks like key material is not a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeName {
    #[default]
    String,
    Int32,
    Int64,
    Bool,
    EpochMillis,
    EpochSeconds,
    Date,
    Datetime,
    Decimal,
    /// A floating-point number (`f64`).
    Number,
    /// Any JSON value (`serde_json::Value`).
    Any,
    List,
    Object,
    Map,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Query,
    /// The form (or JSON) body; `formData` is the metadata's spelling.
    #[serde(alias = "formData")]
    Body,
}

/// How a structured request parameter travels (the metadata's `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum ParamStyle {
    /// Lists as `X.1`, `X.2`, objects in lists as `X.1.Key` (the default).
    #[serde(rename = "repeatList")]
    RepeatList,
    /// Objects and maps as `X.Key`.
    #[serde(rename = "flat")]
    Flat,
    /// The whole value as one JSON string.
    #[serde(rename = "json")]
    Json,
    /// A list of scalars as one parameter, its items joined by commas.
    #[serde(rename = "simple")]
    Simple,
    /// A list of scalars as one parameter, its items joined by spaces.
    #[serde(rename = "spaceDelimited")]
    SpaceDelimited,
    /// A list of scalars as one parameter, its items joined by `|`.
    #[serde(rename = "pipeDelimited")]
    PipeDelimited,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    pub value: String,
    /// Override of the Rust variant name (`WillExpire` for `WILLEXPIRE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An example value: YAML may write it as a string, a number or a boolean.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}
