//! Wire types and lenient deserializers used by generated response models.
//!
//! Real responses are looser than the docs: numbers arrive as strings, lists arrive
//! wrapped in an XML-derived object (`{"OrderList": {"Order": [...]}}`), fields are absent
//! or `null`. These helpers accept all of that so one odd field never fails a response:
//! a value that still cannot be read as its field's type leaves the field empty, by the
//! rule of [`mismatch`](crate::mismatch) (an array is never read as an object's fields by
//! position). Lists are bounded in memory: see [`MAX_LIST_MEMORY`].

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

use crate::mismatch::tolerate;
use crate::operation::WireValue;

/// The most memory one response list may take, counted as items times the size of one
/// item: a list past it fails the response (a 3 MB body of empty objects would otherwise
/// cost hundreds of megabytes), whatever the byte cap of the body allowed.
pub const MAX_LIST_MEMORY: usize = 128 << 20;

mod decimal;
pub use decimal::{Decimal, decimal, decimal_required};

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

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim().parse().map($name)
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

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let items = skip_seq(seq)?;
        tolerate(|| format!("an array of {items}"), "text")?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let members = skip_map(map)?;
        tolerate(|| format!("an object of {members} members"), "text")?;
        Ok(None)
    }
}

/// Reads past an array, returning how many items it held.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<usize, A::Error> {
    let mut items = 0;
    while seq.next_element::<IgnoredAny>()?.is_some() {
        items += 1;
    }
    Ok(items)
}

/// Reads past an object, returning how many members it held.
fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<usize, A::Error> {
    let mut members = 0;
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
        members += 1;
    }
    Ok(members)
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

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        Ok(T::from(value.to_string().as_str()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        Ok(T::from(if value { "true" } else { "false" }))
    }
}

/// Deserializes an optional generated enum field: its value, `None` for null, and `None`
/// (by the rule of [`mismatch`](crate::mismatch)) for an object or an array.
pub fn enum_field<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    deserializer.deserialize_any(Optional(EnumVisitor(PhantomData)))
}

/// Deserializes an optional object field: an object only (an array is never read as its
/// fields by position); `None` for null, and `None` by the rule of
/// [`mismatch`](crate::mismatch) for anything else.
pub fn object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ObjectVisitor(PhantomData))
}

/// Deserializes a map field: an object of values; empty when null or absent, and empty by
/// the rule of [`mismatch`](crate::mismatch) when not an object.
pub fn map<'de, D, V>(deserializer: D) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    Ok(object(deserializer)?.unwrap_or_default())
}

/// The visitor of an optional field: `None` for null, what `inner` reads otherwise, and
/// `None` for an object or an array that `inner` does not read, by the mismatch rule.
struct Optional<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
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
        self.0.visit_str(value).map(Some)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(value).map(Some)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(value).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(value).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let items = skip_seq(seq)?;
        tolerate(|| format!("an array of {items}"), "a scalar")?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let members = skip_map(map)?;
        tolerate(|| format!("an object of {members} members"), "a scalar")?;
        Ok(None)
    }
}

/// Reads an object, and nothing else, into `T`.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
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

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let items = skip_seq(seq)?;
        tolerate(|| format!("an array of {items}"), "an object")?;
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        tolerate(|| format!("{value:?}"), "an object")?;
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "an object")?;
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "an object")?;
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "an object")?;
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "an object")?;
        Ok(None)
    }
}

/// One item of a list of objects: an object, or (by the mismatch rule) nothing.
struct ObjectItem<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectItem<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ObjectVisitor(PhantomData))
            .map(ObjectItem)
    }
}

/// Deserializes a list of objects as [`list`] does, each item an object only (an array is
/// never read as an item's fields by position): an item that is not an object is left
/// out, by the rule of [`mismatch`](crate::mismatch).
pub fn object_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items: Vec<ObjectItem<T>> = list(deserializer)?;
    Ok(items.into_iter().filter_map(|item| item.0).collect())
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
        scalar(T::deserialize(value.into_deserializer()), || {
            value.to_string()
        })
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        scalar(T::deserialize(value.into_deserializer()), || {
            value.to_string()
        })
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        scalar(T::deserialize(value.into_deserializer()), || {
            value.to_string()
        })
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        scalar(T::deserialize(value.into_deserializer()), || {
            value.to_string()
        })
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        match trimmed.parse() {
            Ok(value) => Ok(Some(value)),
            Err(_) => {
                tolerate(|| format!("{text:?}"), std::any::type_name::<T>())?;
                Ok(None)
            }
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let items = skip_seq(seq)?;
        tolerate(
            || format!("an array of {items}"),
            std::any::type_name::<T>(),
        )?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let members = skip_map(map)?;
        tolerate(
            || format!("an object of {members} members"),
            std::any::type_name::<T>(),
        )?;
        Ok(None)
    }
}

/// A scalar read as `T`, or (by the mismatch rule) nothing.
fn scalar<T, E: de::Error>(
    read: Result<T, E>,
    value: impl FnOnce() -> String,
) -> Result<Option<T>, E> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(_) => {
            tolerate(value, std::any::type_name::<T>())?;
            Ok(None)
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
        // The most items this list may hold within MAX_LIST_MEMORY; its buffer never
        // grows past that either.
        let limit = MAX_LIST_MEMORY / std::mem::size_of::<T>().max(1);
        let mut items: Vec<T> = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            if items.len() == items.capacity() {
                if items.len() >= limit {
                    return Err(de::Error::custom(format_args!(
                        "a list holds more than {limit} items, over the {} MiB a response \
                         list may take in memory",
                        MAX_LIST_MEMORY >> 20
                    )));
                }
                let grow = items.len().max(8).min(limit - items.len());
                items.reserve_exact(grow);
            }
            items.push(item);
        }
        Ok(items)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "a list")?;
        Ok(Vec::new())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "a list")?;
        Ok(Vec::new())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "a list")?;
        Ok(Vec::new())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        tolerate(|| value.to_string(), "a list")?;
        Ok(Vec::new())
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
        if self.wrapped {
            if let Ok(item) = T::deserialize(IntoDeserializer::<E>::into_deserializer(value)) {
                return Ok(vec![item]);
            }
        }
        tolerate(|| format!("{value:?}"), "a list")?;
        Ok(Vec::new())
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
        #[serde(default, deserialize_with = "lenient")]
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
    fn a_value_of_the_wrong_type_leaves_its_field_empty() {
        let s = parse(r#"{"count":"many","flag":{"a":1},"items":"x","at":"2024-01-01"}"#);
        assert_eq!(s.count, None);
        assert_eq!(s.flag, None);
        assert!(s.items.is_empty());
        assert_eq!(s.at, None);
    }

    #[derive(Deserialize, Debug, Default, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Page {
        #[serde(default, deserialize_with = "lenient")]
        show_size: Option<i64>,
        #[serde(default, deserialize_with = "lenient")]
        current_page: Option<i64>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "PascalCase")]
    struct Holder {
        #[serde(default, deserialize_with = "object")]
        page: Option<Page>,
        #[serde(default, deserialize_with = "object_list")]
        pages: Vec<Page>,
    }

    #[test]
    fn an_array_is_never_read_as_an_object_by_position() {
        let h: Holder =
            serde_json::from_str(r#"{"Page":[1,2],"Pages":[[3,4],{"ShowSize":5}]}"#).unwrap();
        assert_eq!(h.page, None);
        assert_eq!(
            h.pages,
            [Page {
                show_size: Some(5),
                current_page: None
            }]
        );
    }

    #[test]
    fn a_list_past_its_memory_bound_fails_without_growing_past_it() {
        let count = MAX_LIST_MEMORY / std::mem::size_of::<Page>() + 1;
        let body = format!(r#"{{"Pages":[{}{{}}]}}"#, "{},".repeat(count - 1));
        let error = serde_json::from_str::<Holder>(&body).unwrap_err();
        assert!(error.to_string().contains("MiB"), "{error}");
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
