//! A received request, decoded: query and form pairs, headers, body, host.

use std::collections::BTreeMap;

use alibabacloud_core::signing::encode::parse_pairs;
use bytes::Bytes;

/// Parameter names the gateway itself consumes; never operation parameters.
pub(crate) const COMMON_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// One request as received.
#[derive(Clone, Debug)]
pub(crate) struct Incoming {
    /// HTTP method, upper case.
    pub method: String,
    /// URL path.
    pub path: String,
    /// Query pairs, decoded (`%XX` and `+`), in wire order.
    pub query: Vec<(String, String)>,
    /// Headers, names lower case, in wire order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
    /// Body pairs of a form body (`application/x-www-form-urlencoded`).
    pub form: Vec<(String, String)>,
    /// Top-level fields of a JSON object body, as text.
    pub json: Vec<(String, String)>,
    /// The `host` header (`HostId` of errors).
    pub host: String,
}

impl Incoming {
    /// Decodes a request from its parts and body.
    pub fn new(parts: &http::request::Parts, body: Bytes, fallback_host: &str) -> Self {
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let content_type = header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let form = if content_type.starts_with("application/x-www-form-urlencoded") {
            parse_pairs(&String::from_utf8_lossy(&body))
        } else {
            Vec::new()
        };
        let json = if content_type.starts_with("application/json") {
            json_pairs(&body)
        } else {
            Vec::new()
        };
        Self {
            method: parts.method.as_str().to_ascii_uppercase(),
            path: parts.uri.path().to_owned(),
            query: parse_pairs(parts.uri.query().unwrap_or_default()),
            host: header("host").unwrap_or_else(|| fallback_host.to_owned()),
            headers,
            body,
            form,
            json,
        }
    }

    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The last value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The operation's parameters: query, then JSON body, then form body (a later source
    /// wins on a clash), without the gateway's common parameters.
    pub fn params(&self) -> Params {
        let mut map = BTreeMap::new();
        for (k, v) in self.query.iter().chain(&self.json).chain(&self.form) {
            if !COMMON_PARAMS.contains(&k.as_str()) {
                map.insert(k.clone(), v.clone());
            }
        }
        Params(map)
    }
}

/// Operation parameters by wire name (`Tag.1.Key` flattened as sent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Params(pub BTreeMap<String, String>);

impl Params {
    /// The value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The value of `name` if sent and not empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// An integer parameter (already type-checked), or `default` when absent, empty or
    /// not an integer.
    pub fn int(&self, name: &str, default: i64) -> i64 {
        self.non_empty(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    }

    /// Every `(key, value)` whose key starts with `{name}.` (flattened lists and objects).
    pub fn nested<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        let prefix = format!("{name}.");
        self.0
            .iter()
            .filter(move |(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The top-level fields of a JSON object body, scalars as text and the rest as JSON.
fn json_pairs(body: &[u8]) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else {
        return Vec::new();
    };
    map.into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded() {
        assert_eq!(
            parse_pairs("A=1&Keyword=+my%20cert&&Empty=&Flag"),
            vec![
                ("A".to_owned(), "1".to_owned()),
                ("Keyword".to_owned(), " my cert".to_owned()),
                ("Empty".to_owned(), String::new()),
                ("Flag".to_owned(), String::new()),
            ]
        );
        assert_eq!(
            parse_pairs("S=a%2Bb%3D"),
            vec![("S".to_owned(), "a+b=".to_owned())]
        );
    }

    #[test]
    fn json_scalars_become_text() {
        let pairs = json_pairs(br#"{"StartIndex":1,"Lang":"zh","On":true}"#);
        assert!(pairs.contains(&("StartIndex".to_owned(), "1".to_owned())));
        assert!(pairs.contains(&("On".to_owned(), "true".to_owned())));
    }
}
