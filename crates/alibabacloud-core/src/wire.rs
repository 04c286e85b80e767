//! Wire types and lenient deserializers used by generated response models.
//!
//! Real responses are looser than the docs: numbers arrive as strings, lists arrive
//! wrapped in an XML-derived object (`{"OrderList": {"Order": [...]}}`), fields are absent
//! or `null`. These helpers accept all of that so one odd field never fails a response.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, DeserializeOwned, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

use crate::operation::WireValue;

/// Any JSON value: the type of fields the API documents as `any`.
pub use serde_json::Value as JsonValue;

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

/// Deserializes optional text that may arrive as a number or a boolean (kept as its text).
pub fn lenient_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

/// Deserializes required text that may arrive as a number or a boolean.
pub fn lenient_text_required<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    lenient_text(deserializer)?.ok_or_else(|| de::Error::custom("a text value, not null"))
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, a number or a boolean")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }
}

/// Deserializes a generated enum from its wire text; known values allocate nothing.
///
/// Generated enums implement `Deserialize` with it; a number is read as its text.
pub fn enum_value<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    deserializer.deserialize_any(EnumVisitor(PhantomData))
}

struct EnumVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum value as text")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from(value.to_string().as_str()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        Ok(T::from(value.to_string().as_str()))
    }
}

/// A value that may arrive as itself, as its text (`"42"`, `"true"`) or as `null`.
struct Lenient<T>(Option<T>);

impl<'de, T> Deserialize<'de> for Lenient<T>
where
    T: Deserialize<'de> + FromStr,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(LenientVisitor(PhantomData))
            .map(Lenient)
    }
}

/// Reads a scalar straight from the input, without building an intermediate value.
struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for LenientVisitor<T>
where
    T: Deserialize<'de> + FromStr,
{
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a boolean, or its text")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        T::deserialize(value.into_deserializer()).map(Some)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        trimmed
            .parse()
            .map(Some)
            .map_err(|_| E::custom(format_args!("unexpected text {text:?}")))
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
/// (`{"Order": [...]}`), a single element where one item was expected in the wrapper,
/// `null` or absent (use with `#[serde(default)]`). Items are read straight from the input.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ListVisitor {
        wrapped: false,
        items: PhantomData,
    })
}

/// Reads a list; inside an XML-derived wrapper (`wrapped`), a lone element is a list of one.
struct ListVisitor<T> {
    wrapped: bool,
    items: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or a list wrapped in a one-key object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if self.wrapped {
            // A lone object where a list of objects was expected.
            return T::deserialize(MapAccessDeserializer::new(map)).map(|item| vec![item]);
        }
        let mut items = Vec::new();
        while map.next_key::<IgnoredAny>()?.is_some() {
            let inner: WrappedItems<T> = map.next_value()?;
            items.extend(inner.0);
        }
        Ok(items)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if !self.wrapped {
            return Err(E::invalid_type(de::Unexpected::Str(value), &self));
        }
        T::deserialize(value.into_deserializer()).map(|item| vec![item])
    }
}

/// The content of a list wrapper: a list, or one element.
struct WrappedItems<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for WrappedItems<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ListVisitor {
                wrapped: true,
                items: PhantomData,
            })
            .map(WrappedItems)
    }
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
