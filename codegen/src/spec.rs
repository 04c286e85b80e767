//! Stage 1: the spec files as written, read with serde. Every struct denies unknown keys,
//! so a typo is an error rather than lost information. See `specs/README.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `service.yaml`: one product and API version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub product: String,
    pub title: String,
    pub version: String,
    #[serde(rename = "crate")]
    pub crate_name: String,
    pub protocol: Protocol,
    pub signature: Signature,
    #[serde(default)]
    pub description: Option<String>,
    pub endpoints: EndpointsSpec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Https,
    Http,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signature {
    V1,
    V3,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    #[serde(default)]
    pub global: Option<String>,
    #[serde(default)]
    pub regional: BTreeMap<String, String>,
    #[serde(default)]
    pub rule: Option<String>,
}

/// `<Action>.yaml`: one operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    pub action: String,
    #[serde(default)]
    pub rust_name: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    pub style: Style,
    pub method: Method,
    pub path: String,
    pub request_body: RequestBody,
    pub response_body: ResponseBody,
    #[serde(default)]
    pub rate_limit: Option<RateLimitSpec>,
    #[serde(default)]
    pub ram_action: Option<String>,
    #[serde(default = "yes")]
    pub read_only: bool,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub pagination: Option<PaginationSpec>,
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    pub request: Vec<FieldSpec>,
    pub response: ResponseSpec,
}

fn yes() -> bool {
    true
}

/// How a call authenticates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Signed with an access key (the default).
    #[default]
    Ak,
    /// Sent unsigned (STS AssumeRoleWithOIDC: the OIDC token is the proof).
    Anonymous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Style {
    #[serde(rename = "RPC")]
    Rpc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestBody {
    None,
    Form,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseBody {
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSpec {
    pub calls: u32,
    pub per: RatePeriod,
    pub scope: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RatePeriod {
    Second,
    Minute,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, tag = "style", rename_all = "snake_case")]
pub enum PaginationSpec {
    PageNumber {
        page: String,
        page_size: String,
        total: String,
        items: String,
    },
    StartIndex {
        start: String,
        total: String,
        items: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    pub http_status: u16,
    pub code: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    #[serde(default)]
    pub name: Option<String>,
    pub fields: Vec<FieldSpec>,
}

/// A request parameter, a response field, or (without `name`) a list item or map value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(rename = "type")]
    pub ty: TypeName,
    #[serde(default)]
    pub required: bool,
    #[serde(default, rename = "in")]
    pub location: Option<Location>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub example: Option<Scalar>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<EnumValueSpec>>,
    #[serde(default)]
    pub enum_name: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub items: Option<Box<FieldSpec>>,
    #[serde(default)]
    pub fields: Option<Vec<FieldSpec>>,
    #[serde(default, rename = "struct")]
    pub struct_name: Option<String>,
    #[serde(default)]
    pub values: Option<Box<FieldSpec>>,
    #[serde(default)]
    pub wrapper: Option<String>,
    #[serde(default)]
    pub list_style: Option<ListStyle>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeName {
    String,
    Int32,
    Int64,
    Bool,
    EpochMillis,
    EpochSeconds,
    Date,
    Datetime,
    Decimal,
    List,
    Object,
    Map,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Query,
    Body,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListStyle {
    Repeat,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    pub value: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// An example value: YAML may write it as a string, a number or a boolean.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}
