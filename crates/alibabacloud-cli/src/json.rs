//! A JSON value that keeps object keys in the order the server sent them, and numbers in
//! the digits it sent them with (`0.10` stays `0.10`, `12345678901234.56` keeps every
//! digit): a bill prints as the service wrote it.
//!
//! `serde_json::Value` sorts keys unless the `preserve_order` feature is on, and holds
//! numbers as `f64` unless `arbitrary_precision` is; turning either on would change
//! `serde_json` for every crate built with this one. This small type keeps both itself:
//! objects are lists of pairs, and each member is first read as serde_json's raw value, so
//! a number is kept as its text.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

/// A JSON document.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// Members in document order.
    Object(Vec<(String, Value)>),
}

/// A JSON number kept as the text it was written with.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

impl Number {
    /// The number as a float (what JMESPath computes with).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }
}

impl From<&serde_json::Number> for Number {
    fn from(number: &serde_json::Number) -> Self {
        Self(number.to_string())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Value {
    /// Parses a JSON text.
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// Pretty-printed text (two-space indent), without a trailing newline.
    pub fn to_pretty(&self) -> String {
        // Serializing this type into a string cannot fail.
        serde_json::to_string_pretty(&AsWritten(self)).unwrap_or_default()
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a dotted path (`Data.TotalCount`); an empty path is the value itself.
    pub fn at(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .filter(|s| !s.is_empty())
            .try_fold(self, |value, key| value.get(key))
    }

    /// The value at a dotted path, mutably.
    pub fn at_mut(&mut self, path: &str) -> Option<&mut Value> {
        path.split('.')
            .filter(|s| !s.is_empty())
            .try_fold(self, |value, key| value.get_mut(key))
    }

    /// The list at a dotted path. Lenient about the XML-style wrapper some services add
    /// (`"OrderList": {"Order": [...]}`): an object with a single array member is read
    /// through.
    pub fn list_at(&self, path: &str) -> Option<&Vec<Value>> {
        match self.at(path)? {
            Value::Array(items) => Some(items),
            Value::Object(members) if members.len() == 1 => match &members[0].1 {
                Value::Array(items) => Some(items),
                _ => None,
            },
            _ => None,
        }
    }

    /// The list at a dotted path, mutably (same leniency as [`Value::list_at`]).
    pub fn list_at_mut(&mut self, path: &str) -> Option<&mut Vec<Value>> {
        match self.at_mut(path)? {
            Value::Array(items) => Some(items),
            Value::Object(members) if members.len() == 1 => match &mut members[0].1 {
                Value::Array(items) => Some(items),
                _ => None,
            },
            _ => None,
        }
    }

    /// The array node at a dotted path (same leniency as [`Value::list_at`]), mutably.
    pub fn array_at_mut(&mut self, path: &str) -> Option<&mut Value> {
        let node = self.at_mut(path)?;
        if matches!(node, Value::Array(_)) {
            return Some(node);
        }
        match node {
            Value::Object(members) if members.len() == 1 => {
                let inner = &mut members[0].1;
                matches!(inner, Value::Array(_)).then_some(inner)
            }
            _ => None,
        }
    }

    /// Whether this is neither an array nor an object.
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Value::Array(_) | Value::Object(_))
    }

    /// The first array in the document, depth first in document order.
    pub fn first_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            Value::Object(members) => members.iter().find_map(|(_, v)| v.first_array()),
            _ => None,
        }
    }

    /// What kind of value this is, with its article: `a string`, `an object`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }

    /// A scalar as the text a waiter compares: strings as they are, numbers and booleans
    /// as written; `None` for null, lists and objects.
    pub fn state_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A scalar as a table cell: strings unquoted, `null` empty, one line.
    pub fn cell(&self) -> String {
        let text = match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            other => serde_json::to_string(&AsWritten(other)).unwrap_or_default(),
        };
        text.replace(['\n', '\r', '\t'], " ")
    }
}

/// A value serialized for printing by serde_json: numbers in the digits they came with.
struct AsWritten<'a>(&'a Value);

impl Serialize for AsWritten<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Number(n) => match RawValue::from_string(n.0.clone()) {
                Ok(raw) => raw.serialize(serializer),
                Err(_) => serializer.serialize_str(&n.0),
            },
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&AsWritten(item))?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, &AsWritten(value))?;
                }
                map.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// As data (for JMESPath and comparisons): numbers as integers where they are, else as
/// floats.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => match (n.0.parse::<u64>(), n.0.parse::<i64>()) {
                (Ok(u), _) => serializer.serialize_u64(u),
                (_, Ok(i)) => serializer.serialize_i64(i),
                _ => serializer.serialize_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(Number(n.to_string())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(Number(n.to_string())))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(n)
            .map(|n| Value::Number(Number::from(&n)))
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Box<RawValue>>()? {
            items.push(from_raw(&item).map_err(de::Error::custom)?);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
            members.push((key, from_raw(&value).map_err(de::Error::custom)?));
        }
        Ok(Value::Object(members))
    }
}

/// A member read as raw text: a number keeps its text, anything else is parsed (its own
/// members raw again, one level down).
fn from_raw(raw: &RawValue) -> Result<Value, serde_json::Error> {
    let text = raw.get();
    if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return Ok(Value::Number(Number(text.to_owned())));
    }
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_the_digits_the_server_sent() {
        let text =
            br#"{"PretaxAmount":0.10,"Big":12345678901234.56,"Items":[{"Tax":1.50}],"N":-7}"#;
        let value = Value::parse(text).unwrap();
        assert_eq!(
            serde_json::to_string(&AsWritten(&value)).unwrap(),
            r#"{"PretaxAmount":0.10,"Big":12345678901234.56,"Items":[{"Tax":1.50}],"N":-7}"#
        );
        assert_eq!(value.get("PretaxAmount").unwrap().cell(), "0.10");
        assert!(value.to_pretty().contains("\"Big\": 12345678901234.56"));
    }

    #[test]
    fn keys_keep_the_order_the_server_sent() {
        let text = br#"{"Zeta":1,"Alpha":{"b":true,"a":null},"Mid":[1.5,"x",-3]}"#;
        let value = Value::parse(text).unwrap();
        assert_eq!(
            value.to_pretty(),
            "{\n  \"Zeta\": 1,\n  \"Alpha\": {\n    \"b\": true,\n    \"a\": null\n  },\n  \"Mid\": [\n    1.5,\n    \"x\",\n    -3\n  ]\n}"
        );
    }

    #[test]
    fn paths_and_wrapped_lists() {
        let value = Value::parse(
            br#"{"Data":{"TotalCount":"3","OrderList":{"Order":[{"Id":1},{"Id":2}]}},"L":[]}"#,
        )
        .unwrap();
        assert_eq!(
            value.at("Data.TotalCount"),
            Some(&Value::String("3".into()))
        );
        assert_eq!(value.list_at("Data.OrderList").unwrap().len(), 2);
        assert!(value.list_at("Data.Missing").is_none());
        assert_eq!(value.first_array().unwrap().len(), 2);
        assert_eq!(Value::String("a\nb".into()).cell(), "a b");
        assert_eq!(Value::Null.cell(), "");
    }
}
