//! The seam between generated code and the runtime: an operation descriptor and its
//! parameters as wire pairs.

use std::collections::BTreeMap;
use std::fmt;

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl HttpMethod {
    /// The method as it appears on the wire and in the string-to-sign.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// API style of an operation. Only RPC is used by the products this SDK covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Remote-procedure style: the action travels in a header (V3) or the query (V1).
    Rpc,
}

/// How parameters placed in the body are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    /// The operation sends no body.
    None,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/json; charset=utf-8`.
    Json,
}

/// Everything the runtime needs to know about one operation, apart from its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Wire action name, e.g. `ListUserCertificateOrder`.
    pub action: &'static str,
    /// API version, e.g. `2020-04-07`.
    pub version: &'static str,
    /// HTTP method.
    pub method: HttpMethod,
    /// API style.
    pub style: Style,
    /// Request path, `/` for RPC.
    pub path: &'static str,
    /// Encoding of body parameters.
    pub body: BodyFormat,
    /// Whether the call only reads, so it is safe to retry. A call that is not read-only
    /// (a write) is retried only when its request provably never reached the service (a
    /// connect failure, or a throttling rejection by the gateway); otherwise a failure
    /// after sending reports [`Error::may_have_run`](crate::Error::may_have_run).
    pub read_only: bool,
    /// Where the operation's idempotency token ([`CLIENT_TOKEN`]) travels, when it takes
    /// one. The runtime fills a fresh token into a call that carries none (or an empty
    /// one) and sends that same token on every attempt; only a call whose request
    /// actually carries a non-empty token is retried like a read.
    pub client_token: Option<Location>,
    /// Parameters whose values are secrets (private keys, passwords): the runtime removes
    /// their values from every error message, including a gateway's echo of the request.
    pub sensitive: &'static [&'static str],
    /// How the call authenticates.
    pub auth: Auth,
}

/// The wire name of the idempotency token that writes of these APIs take.
pub const CLIENT_TOKEN: &str = "ClientToken";

impl Operation {
    /// Whether a failed attempt of a call with `params` may be sent again without the risk
    /// of running twice: the operation only reads, or the request carries a non-empty
    /// [`CLIENT_TOKEN`] (the service runs a call at most once per token). Decided from the
    /// request itself, not from whether the operation could take a token.
    pub fn safe_to_retry(&self, params: &Params) -> bool {
        self.read_only || params.client_token().is_some()
    }
}

/// A fresh idempotency token (`ClientToken`): 32 random hex digits in UUID layout.
pub fn new_client_token() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// How a call authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Signed with the client's credentials.
    AccessKey,
    /// Sent unsigned (STS `AssumeRoleWithOIDC`, whose OIDC token is the proof).
    Anonymous,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the URL query string.
    Query,
    /// In the request body.
    Body,
}

/// A value that can be written as one wire parameter.
pub trait WireValue {
    /// The text sent on the wire.
    fn to_wire(&self) -> String;
}

impl WireValue for str {
    fn to_wire(&self) -> String {
        self.to_owned()
    }
}

impl WireValue for String {
    fn to_wire(&self) -> String {
        self.clone()
    }
}

impl WireValue for bool {
    /// Booleans travel as `true`/`false` (lower case), as the Go and Java SDKs send them.
    fn to_wire(&self) -> String {
        if *self { "true" } else { "false" }.to_owned()
    }
}

macro_rules! wire_value_via_display {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn to_wire(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
wire_value_via_display!(i32, i64, u32, u64);

impl WireValue for f64 {
    /// As the official Python SDK writes a float (`str(x)`): `0.5`, `2.0` (an integral
    /// value keeps its `.0`), the shortest digits that read back the same, exponent notation
    /// below 1e-4 and from 1e16 with a signed two-digit exponent (`1e+16`, `1.5e-07`),
    /// `nan`, `inf`.
    fn to_wire(&self) -> String {
        if self.is_nan() {
            return "nan".to_owned();
        }
        // Rust's `Debug` picks the same digits and the same switch to exponent notation;
        // only the exponent is spelled differently (`1e16`, `1.5e-7`).
        let text = format!("{self:?}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => {
                let (sign, digits) = match exponent.strip_prefix('-') {
                    Some(digits) => ('-', digits),
                    None => ('+', exponent),
                };
                format!("{mantissa}e{sign}{digits:0>2}")
            }
            None => text,
        }
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    fn to_wire(&self) -> String {
        (**self).to_wire()
    }
}

/// Epoch times inside a request value sent as one JSON string (`style: json`) are their
/// number.
macro_rules! serialize_epoch {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }
    )*};
}
serialize_epoch!(crate::wire::EpochMillis, crate::wire::EpochSeconds);

/// A request value written into [`Params`] under a wire name, flattened the way the
/// gateway reads it (the official SDKs' rule): a scalar as `Name=value`; a list as
/// `Name.1`, `Name.2`, … (1-based); an object or a map as `Name.Key`; nested values
/// recursively (`Tag.1.Key`, `Filter.1.Value.2`); an absent value (`None`, JSON `null`) and
/// an empty list not at all. Empty strings are kept (`Keyword=`).
///
/// Scalars, enums, `Option`, `Vec`, slices, `BTreeMap<String, _>` and [`JsonValue`] (by its
/// JSON shape) implement it, and so does every generated request object, so any nesting
/// composes. Every pair goes to the location it is given, whatever the nesting.
///
/// [`JsonValue`]: crate::wire::JsonValue
pub trait ParamValue {
    /// Writes the value as pairs named `name` or `name.…`, at `location`.
    fn write_params(&self, name: &str, location: Location, params: &mut Params);
}

/// Every scalar ([`WireValue`]: text, numbers, booleans, enums, epoch times) is one pair.
impl<T: WireValue + ?Sized> ParamValue for T {
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        params.push(location, name, self);
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        if let Some(value) = self {
            value.write_params(name, location, params);
        }
    }
}

impl<T: ParamValue> ParamValue for [T] {
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        for (index, value) in self.iter().enumerate() {
            value.write_params(&format!("{name}.{}", index + 1), location, params);
        }
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        self.as_slice().write_params(name, location, params);
    }
}

impl<T: ParamValue> ParamValue for BTreeMap<String, T> {
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        for (key, value) in self {
            value.write_params(&format!("{name}.{key}"), location, params);
        }
    }
}

impl ParamValue for serde_json::Value {
    /// By its JSON shape: `null` writes nothing, text is itself, numbers and booleans their
    /// JSON text, arrays and objects flatten like lists and maps.
    fn write_params(&self, name: &str, location: Location, params: &mut Params) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => items.write_params(name, location, params),
            serde_json::Value::Object(fields) => {
                for (key, value) in fields {
                    value.write_params(&format!("{name}.{key}"), location, params);
                }
            }
            serde_json::Value::String(text) => params.push(location, name, text),
            scalar => params.push(location, name, &scalar.to_string()),
        }
    }
}

/// The flattened parameters of one request, split by location, in insertion order.
///
/// Absent values are never written; empty strings are kept (`Keyword=`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    query: Vec<(String, String)>,
    body: Vec<(String, String)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    fn list_mut(&mut self, location: Location) -> &mut Vec<(String, String)> {
        match location {
            Location::Query => &mut self.query,
            Location::Body => &mut self.body,
        }
    }

    /// Adds one scalar parameter.
    pub fn push(&mut self, location: Location, name: &str, value: &(impl WireValue + ?Sized)) {
        let value = value.to_wire();
        self.list_mut(location).push((name.to_owned(), value));
    }

    /// Sets one scalar parameter: removes every pair of that name (from the query and the
    /// body), then adds it at `location`. How a page stream moves a request to its next
    /// page (`PageNumber`, `NextToken`).
    pub fn set(&mut self, location: Location, name: &str, value: &(impl WireValue + ?Sized)) {
        self.query.retain(|(k, _)| k != name);
        self.body.retain(|(k, _)| k != name);
        self.push(location, name, value);
    }

    /// The value of the first pair named `name`, query first.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The idempotency token the request carries ([`CLIENT_TOKEN`]), if it is not empty.
    pub fn client_token(&self) -> Option<&str> {
        self.get(CLIENT_TOKEN)
            .filter(|token| !token.trim().is_empty())
    }

    /// Writes a request value of any shape under `name` ([`ParamValue`]: lists as
    /// `Name.1`, objects and maps as `Name.Key`, absent values left out).
    pub fn write<T: ParamValue + ?Sized>(&mut self, location: Location, name: &str, value: &T) {
        value.write_params(name, location, self);
    }

    /// Adds a value as one compact JSON string (the `json` style, the official SDKs'
    /// "shrink" parameters). A value that is JSON text travels as that text, unquoted, as the
    /// official SDKs send it.
    pub fn push_json<T: serde::Serialize + ?Sized>(
        &mut self,
        location: Location,
        name: &str,
        value: &T,
    ) {
        // Serializing plain data (strings, numbers, lists, maps with string keys) cannot fail.
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = match serde_json::from_str::<String>(&json) {
            Ok(text) if json.starts_with('"') => text,
            _ => json,
        };
        self.list_mut(location).push((name.to_owned(), json));
    }

    /// Adds a list of scalars as one parameter, its items joined by `separator`: `,` for the
    /// `simple` style, a space for `spaceDelimited`, `|` for `pipeDelimited`. An empty list
    /// is not sent.
    pub fn push_joined<T: WireValue>(
        &mut self,
        location: Location,
        name: &str,
        values: &[T],
        separator: &str,
    ) {
        if values.is_empty() {
            return;
        }
        let joined = values
            .iter()
            .map(WireValue::to_wire)
            .collect::<Vec<_>>()
            .join(separator);
        self.list_mut(location).push((name.to_owned(), joined));
    }

    /// Query parameters, in insertion order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// Body parameters, in insertion order.
    pub fn body(&self) -> &[(String, String)] {
        &self.body
    }

    /// All pairs, query first: convenient for tests and for the CLI.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query
            .iter()
            .chain(&self.body)
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Params {
    /// Shows parameter names only: values may carry secrets (tokens, keys).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names =
            |list: &[(String, String)]| list.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        f.debug_struct("Params")
            .field("query", &names(&self.query))
            .field("body", &names(&self.body))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request object as generated code writes it: every field under `name.Field`, at
    /// the location it is given.
    #[derive(Default)]
    struct Tag {
        key: String,
        value: Option<String>,
        weights: Vec<f64>,
        extra: Option<serde_json::Value>,
    }

    impl ParamValue for Tag {
        fn write_params(&self, name: &str, location: Location, params: &mut Params) {
            params.write(location, &format!("{name}.Key"), &self.key);
            params.write(location, &format!("{name}.Value"), &self.value);
            params.write(location, &format!("{name}.Weights"), &self.weights);
            params.write(location, &format!("{name}.Extra"), &self.extra);
        }
    }

    fn pairs(params: &Params) -> Vec<(&str, &str)> {
        params.pairs().collect()
    }

    #[test]
    fn lists_flatten_one_based_and_empty_strings_are_kept() {
        let mut params = Params::new();
        params.write(Location::Query, "ResourceId", &["a", "b"][..]);
        let tags = vec![
            Tag {
                key: "env".into(),
                value: Some(String::new()),
                ..Tag::default()
            },
            Tag {
                key: "team".into(),
                ..Tag::default()
            },
        ];
        params.write(Location::Query, "Tag", &tags);
        params.write(Location::Body, "Flag", &true);
        params.write(Location::Query, "Unset", &None::<String>);
        params.write(Location::Query, "Empty", &Vec::<i64>::new());
        assert_eq!(
            pairs(&params),
            [
                ("ResourceId.1", "a"),
                ("ResourceId.2", "b"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", ""),
                ("Tag.2.Key", "team"),
                ("Flag", "true"),
            ]
        );
        assert_eq!(params.body().len(), 1);
    }

    #[test]
    fn every_shape_nests_and_keeps_its_location() {
        let mut params = Params::new();
        let tag = Tag {
            key: "k".into(),
            weights: vec![0.5, 2.0],
            extra: Some(serde_json::json!({"a": [1, {"b": true}], "n": null})),
            ..Tag::default()
        };
        let mut by_name = BTreeMap::new();
        by_name.insert("x".to_owned(), vec![tag]);
        params.write(Location::Body, "Groups", &by_name);
        let mut lists = BTreeMap::new();
        lists.insert("k".to_owned(), vec![vec![1_i32, 2], vec![3]]);
        params.write(Location::Body, "Grid", &lists);
        params.write(Location::Body, "Ratio", &1e16_f64);
        params.write(Location::Body, "Any", &serde_json::json!("text"));
        assert!(params.query().is_empty(), "nothing leaks into the query");
        assert_eq!(
            pairs(&params),
            [
                ("Groups.x.1.Key", "k"),
                ("Groups.x.1.Weights.1", "0.5"),
                ("Groups.x.1.Weights.2", "2.0"),
                ("Groups.x.1.Extra.a.1", "1"),
                ("Groups.x.1.Extra.a.2.b", "true"),
                ("Grid.k.1.1", "1"),
                ("Grid.k.1.2", "2"),
                ("Grid.k.2.1", "3"),
                ("Ratio", "1e+16"),
                ("Any", "text"),
            ]
        );
    }

    #[test]
    fn json_and_delimited_styles_make_one_parameter() {
        let mut params = Params::new();
        params.push_json(Location::Query, "Ids", &[1, 2]);
        params.push_json(Location::Query, "Text", &serde_json::json!("plain"));
        params.push_json(Location::Query, "Map", &serde_json::json!({"a": "é"}));
        params.push_joined(Location::Query, "Simple", &["a", "b"], ",");
        params.push_joined(Location::Query, "Space", &[1, 2], " ");
        params.push_joined(Location::Query, "Pipe", &[true, false], "|");
        params.push_joined::<&str>(Location::Query, "None", &[], ",");
        assert_eq!(
            pairs(&params),
            [
                ("Ids", "[1,2]"),
                ("Text", "plain"),
                ("Map", "{\"a\":\"é\"}"),
                ("Simple", "a,b"),
                ("Space", "1 2"),
                ("Pipe", "true|false"),
            ]
        );
    }

    #[test]
    fn set_replaces_every_pair_of_the_name() {
        let mut params = Params::new();
        params.push(Location::Body, "PageNumber", "3");
        params.push(Location::Query, "Other", "x");
        params.set(Location::Query, "PageNumber", &4);
        assert_eq!(
            params.pairs().collect::<Vec<_>>(),
            [("Other", "x"), ("PageNumber", "4")]
        );
        assert!(params.body().is_empty());
        assert_eq!(params.get("PageNumber"), Some("4"));
        assert_eq!(params.get("Missing"), None);
    }

    #[test]
    fn floats_read_as_the_python_sdk_writes_them() {
        let cases = [
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (123_456_789_012_345_680.0, "1.2345678901234568e+17"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
            (1e300, "1e+300"),
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (value, text) in cases {
            assert_eq!(value.to_wire(), text, "{value:?}");
        }
    }

    #[test]
    fn debug_hides_values() {
        let mut params = Params::new();
        params.push(Location::Query, "OIDCToken", "secret-token-value");
        let shown = format!("{params:?}");
        assert!(shown.contains("OIDCToken"));
        assert!(!shown.contains("secret-token-value"));
    }
}
