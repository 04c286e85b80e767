//! The seam between generated code and the runtime: an operation descriptor and its
//! parameters as wire pairs.

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
    /// As the official Python SDK writes a float: `0.5`, `2.0` (an integral value keeps
    /// its `.0`), exponent notation from 1e16.
    fn to_wire(&self) -> String {
        format!("{self:?}")
    }
}

impl WireValue for serde_json::Value {
    /// Text as itself, other scalars as their JSON text, arrays and objects as compact JSON.
    fn to_wire(&self) -> String {
        match self {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    fn to_wire(&self) -> String {
        (**self).to_wire()
    }
}

/// A structured request value (an object inside a list, such as `Tag.1.Key`).
pub trait WireObject {
    /// Writes every set field as `{prefix}.{Field}` pairs.
    fn write_params(&self, prefix: &str, location: Location, params: &mut Params);
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

    /// Adds a scalar parameter when it is set.
    pub fn push_opt<T: WireValue>(&mut self, location: Location, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.push(location, name, value);
        }
    }

    /// Adds a list of scalars as `Name.1`, `Name.2`, ... (1-based).
    pub fn push_list<T: WireValue>(&mut self, location: Location, name: &str, values: &[T]) {
        for (index, value) in values.iter().enumerate() {
            self.push(location, &format!("{name}.{}", index + 1), value);
        }
    }

    /// Adds a list of objects as `Name.1.Field`, `Name.2.Field`, ... (1-based).
    pub fn push_object_list<T: WireObject>(
        &mut self,
        location: Location,
        name: &str,
        values: &[T],
    ) {
        for (index, value) in values.iter().enumerate() {
            value.write_params(&format!("{name}.{}", index + 1), location, self);
        }
    }

    /// Adds one object as `Name.Field` pairs.
    pub fn push_object<T: WireObject>(&mut self, location: Location, name: &str, value: &T) {
        value.write_params(name, location, self);
    }

    /// Adds a value serialized as one compact JSON string (the "shrink" style).
    pub fn push_json<T: serde::Serialize + ?Sized>(
        &mut self,
        location: Location,
        name: &str,
        value: &T,
    ) {
        // Serializing plain data (strings, numbers, lists, maps with string keys) cannot fail.
        let json = serde_json::to_string(value).unwrap_or_default();
        self.list_mut(location).push((name.to_owned(), json));
    }

    /// Adds a map as `Name.key` pairs.
    pub fn push_map<T: WireValue>(
        &mut self,
        location: Location,
        name: &str,
        values: &std::collections::BTreeMap<String, T>,
    ) {
        for (key, value) in values {
            self.push(location, &format!("{name}.{key}"), value);
        }
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

    struct Tag {
        key: String,
        value: Option<String>,
    }

    impl WireObject for Tag {
        fn write_params(&self, prefix: &str, location: Location, params: &mut Params) {
            params.push(location, &format!("{prefix}.Key"), &self.key);
            params.push_opt(location, &format!("{prefix}.Value"), self.value.as_ref());
        }
    }

    #[test]
    fn lists_flatten_one_based_and_empty_strings_are_kept() {
        let mut params = Params::new();
        params.push_list(Location::Query, "ResourceId", &["a", "b"]);
        params.push_object_list(
            Location::Query,
            "Tag",
            &[
                Tag {
                    key: "env".into(),
                    value: Some(String::new()),
                },
                Tag {
                    key: "team".into(),
                    value: None,
                },
            ],
        );
        params.push(Location::Body, "Flag", &true);
        let pairs: Vec<_> = params.pairs().collect();
        assert_eq!(
            pairs,
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
    fn debug_hides_values() {
        let mut params = Params::new();
        params.push(Location::Query, "OIDCToken", "secret-token-value");
        let shown = format!("{params:?}");
        assert!(shown.contains("OIDCToken"));
        assert!(!shown.contains("secret-token-value"));
    }
}
