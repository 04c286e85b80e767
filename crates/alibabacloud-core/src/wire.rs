//! Wire types and lenient deserializers used by generated response models.
//!
//! Real responses are looser than the docs: numbers arrive as strings, lists arrive
//! wrapped in an XML-derived object (`{"OrderList": {"Order": [...]}}`), fields are absent
//! or `null`. These helpers accept all of that so one odd field never fails a response.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};

use crate::operation::WireValue;

/// A server value that this version of the SDK does not know, kept verbatim.
///
/// Held by the `Unknown` variant of every generated enum; it cannot be built by users, so
/// matching on it never compiles into a false promise about future values.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value the SDK does not recognise. Used by generated code.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! epoch_type {
    ($(#[$doc:meta])* $name:ident, $nanos_per_unit:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl $name {
            /// The instant as a [`SystemTime`]; `None` if it does not fit.
            pub fn to_system_time(self) -> Option<SystemTime> {
                let units = u64::try_from(self.0).ok()?;
                UNIX_EPOCH.checked_add(Duration::from_nanos(units.checked_mul($nanos_per_unit)?))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl WireValue for $name {
            fn to_wire(&self) -> String {
                self.0.to_string()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Lenient::<i64>::deserialize(deserializer)?
                    .0
                    .map($name)
                    .ok_or_else(|| de::Error::custom("expected a timestamp, found null"))
            }
        }
    };
}

epoch_type!(
    /// Milliseconds since 1970-01-01T00:00:00Z, as CAS sends its timestamps.
    EpochMillis,
    1_000_000
);
epoch_type!(
    /// Seconds since 1970-01-01T00:00:00Z.
    EpochSeconds,
    1_000_000_000
);

/// A value that may arrive as itself, as its text (`"42"`, `"true"`) or as `null`.
struct Lenient<T>(Option<T>);

impl<'de, T> Deserialize<'de> for Lenient<T>
where
    T: DeserializeOwned + FromStr,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        match value {
            serde_json::Value::Null => Ok(Lenient(None)),
            serde_json::Value::String(text) if text.is_empty() => Ok(Lenient(None)),
            serde_json::Value::String(text) => text
                .trim()
                .parse()
                .map(|v| Lenient(Some(v)))
                .map_err(|_| de::Error::custom(format_args!("unexpected text {text:?}"))),
            other => T::deserialize(other)
                .map(|v| Lenient(Some(v)))
                .map_err(de::Error::custom),
        }
    }
}

/// Deserializes an optional number or boolean that may arrive as text.
///
/// Use with `#[serde(default, deserialize_with = "lenient")]`.
pub fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
{
    Ok(Lenient::<T>::deserialize(deserializer)?.0)
}

/// Deserializes a required number or boolean that may arrive as text.
pub fn lenient_required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
{
    Lenient::<T>::deserialize(deserializer)?
        .0
        .ok_or_else(|| de::Error::custom("missing value"))
}

/// Deserializes a list that may be a plain array, wrapped in a one-key object
/// (`{"Order": [...]}`), `null` or absent (use with `#[serde(default)]`).
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let array = match value {
        serde_json::Value::Null => return Ok(Vec::new()),
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(map) => match map.into_iter().next() {
            None => return Ok(Vec::new()),
            Some((_, serde_json::Value::Array(items))) => items,
            Some((_, serde_json::Value::Null)) => return Ok(Vec::new()),
            // An XML-derived wrapper around a single element.
            Some((_, single)) => vec![single],
        },
        single => vec![single],
    };
    array
        .into_iter()
        .map(|item| T::deserialize(item).map_err(de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Sample {
        #[serde(default, deserialize_with = "lenient")]
        count: Option<i64>,
        #[serde(default, deserialize_with = "lenient")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "list")]
        items: Vec<String>,
        at: Option<EpochMillis>,
    }

    fn parse(json: &str) -> Sample {
        serde_json::from_str(json).expect("sample parses")
    }

    #[test]
    fn numbers_and_bools_may_arrive_as_text() {
        let s = parse(r#"{"count":"42","flag":"true","at":"1634283958000"}"#);
        assert_eq!(s.count, Some(42));
        assert_eq!(s.flag, Some(true));
        assert_eq!(s.at, Some(EpochMillis(1_634_283_958_000)));
    }

    #[test]
    fn absent_null_and_empty_are_none() {
        let s = parse(r#"{"count":null,"flag":""}"#);
        assert_eq!(s.count, None);
        assert_eq!(s.flag, None);
        assert!(s.items.is_empty());
        assert_eq!(s.at, None);
    }

    #[test]
    fn lists_may_be_wrapped() {
        assert_eq!(parse(r#"{"items":{"Order":["a","b"]}}"#).items, ["a", "b"]);
        assert_eq!(parse(r#"{"items":["a"]}"#).items, ["a"]);
        assert_eq!(parse(r#"{"items":{"Order":"a"}}"#).items, ["a"]);
        assert!(parse(r#"{"items":{}}"#).items.is_empty());
    }

    #[test]
    fn garbage_text_is_an_error_not_a_panic() {
        let err = serde_json::from_str::<Sample>(r#"{"count":"many"}"#).unwrap_err();
        assert!(err.to_string().contains("many"), "{err}");
    }

    #[test]
    fn epoch_millis_converts_to_system_time() {
        let t = EpochMillis(1_500).to_system_time().unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap(),
            Duration::from_millis(1_500)
        );
        assert_eq!(EpochSeconds(-1).to_system_time(), None);
    }
}
