//! The `Deserialize` of every generated response struct, written once.
//!
//! A generated struct declares its fields (with their docs), then names, in one
//! [`wire_struct!`](crate::wire_struct!) call, each field's wire name and how it is read: one of the
//! [`read`] functions, the lenient readers of [`wire`](crate::wire) as seeds. A field read
//! `required` fails the response when it is absent; every other one takes its default.
//!
//! ```
//! use alibabacloud_core::wire::EpochMillis;
//!
//! /// One order.
//! #[derive(Clone, Debug, PartialEq)]
//! #[non_exhaustive]
//! pub struct Order {
//!     /// `OrderId`.
//!     pub order_id: String,
//!     /// `Note`.
//!     pub note: Option<String>,
//!     /// `Items`.
//!     pub items: Vec<i64>,
//!     /// `CreatedAt`.
//!     pub created_at: Option<EpochMillis>,
//! }
//!
//! alibabacloud_core::wire_struct!(Order {
//!     order_id: "OrderId" => text_required required,
//!     note: "Note" => text,
//!     items: "Items" => list,
//!     created_at: "CreatedAt" => lenient,
//! });
//!
//! let order: Order =
//!     serde_json::from_str(r#"{"OrderId": 7, "Items": {"Item": [1, 2]}, "CreatedAt": "5"}"#)
//!         .unwrap();
//! assert_eq!(order.order_id, "7");
//! assert_eq!(order.items, [1, 2]);
//! assert_eq!(order.created_at, Some(EpochMillis(5)));
//! assert!(serde_json::from_str::<Order>("{}").is_err(), "OrderId is required");
//! ```
//!
//! Compared with `#[derive(Deserialize)]` and a `deserialize_with` per field, which makes
//! serde generate two wrapper types for every field, this costs a fraction of the compile
//! time and memory in crates of hundreds of operations, and reads the same documents the
//! same way: keys by exact wire name, unknown keys skipped, a key seen twice an error, and
//! only objects (never an array read by position).

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

/// The key of a response field: the position of its wire name among the struct's fields,
/// or `None` for one the struct does not know. Allocates nothing; the lookup is the
/// struct's own `match` on the name.
#[derive(Clone, Copy, Debug)]
pub struct FieldKey(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok((self.0)(value))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(value).ok().and_then(self.0))
    }
}

/// How a field's value is read: [`wire`](crate::wire)'s readers as seeds, each named after
/// its function there (`plain` is the type's own `Deserialize`).
pub mod read {
    use std::collections::BTreeMap;

    use super::*;

    /// The type's own `Deserialize` (structs, enums and JSON values that must be present).
    pub fn plain<T>() -> PhantomData<T> {
        PhantomData
    }

    /// [`wire::lenient_text`](crate::wire::lenient_text).
    pub fn text() -> Text {
        Text
    }

    #[doc(hidden)]
    pub struct Text;

    impl<'de> DeserializeSeed<'de> for Text {
        type Value = Option<String>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Option<String>, D::Error> {
            crate::wire::lenient_text(deserializer)
        }
    }

    /// [`wire::lenient_text_required`](crate::wire::lenient_text_required).
    pub fn text_required() -> TextRequired {
        TextRequired
    }

    #[doc(hidden)]
    pub struct TextRequired;

    impl<'de> DeserializeSeed<'de> for TextRequired {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
            crate::wire::lenient_text_required(deserializer)
        }
    }

    /// [`wire::decimal`](crate::wire::decimal).
    pub fn decimal() -> DecimalText {
        DecimalText
    }

    #[doc(hidden)]
    pub struct DecimalText;

    impl<'de> DeserializeSeed<'de> for DecimalText {
        type Value = Option<crate::wire::Decimal>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            crate::wire::decimal(deserializer)
        }
    }

    /// [`wire::decimal_required`](crate::wire::decimal_required).
    pub fn decimal_required() -> DecimalRequired {
        DecimalRequired
    }

    #[doc(hidden)]
    pub struct DecimalRequired;

    impl<'de> DeserializeSeed<'de> for DecimalRequired {
        type Value = crate::wire::Decimal;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            crate::wire::decimal_required(deserializer)
        }
    }

    /// [`wire::lenient`](crate::wire::lenient).
    pub fn lenient<T>() -> Lenient<T> {
        Lenient(PhantomData)
    }

    #[doc(hidden)]
    pub struct Lenient<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for Lenient<T>
    where
        T: DeserializeOwned + FromStr,
    {
        type Value = Option<T>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            crate::wire::lenient(deserializer)
        }
    }

    /// [`wire::lenient_required`](crate::wire::lenient_required).
    pub fn lenient_required<T>() -> LenientRequired<T> {
        LenientRequired(PhantomData)
    }

    #[doc(hidden)]
    pub struct LenientRequired<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for LenientRequired<T>
    where
        T: DeserializeOwned + FromStr,
    {
        type Value = T;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            crate::wire::lenient_required(deserializer)
        }
    }

    /// [`wire::list`](crate::wire::list).
    pub fn list<T>() -> List<T> {
        List(PhantomData)
    }

    #[doc(hidden)]
    pub struct List<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for List<T>
    where
        T: Deserialize<'de>,
    {
        type Value = Vec<T>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
            crate::wire::list(deserializer)
        }
    }

    /// [`wire::object_list`](crate::wire::object_list).
    pub fn object_list<T>() -> ObjectList<T> {
        ObjectList(PhantomData)
    }

    #[doc(hidden)]
    pub struct ObjectList<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for ObjectList<T>
    where
        T: Deserialize<'de>,
    {
        type Value = Vec<T>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
            crate::wire::object_list(deserializer)
        }
    }

    /// [`wire::map`](crate::wire::map).
    pub fn map<T>() -> Map<T> {
        Map(PhantomData)
    }

    #[doc(hidden)]
    pub struct Map<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for Map<T>
    where
        T: Deserialize<'de>,
    {
        type Value = BTreeMap<String, T>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<BTreeMap<String, T>, D::Error> {
            crate::wire::map(deserializer)
        }
    }

    /// [`wire::object`](crate::wire::object).
    pub fn object<T>() -> Object<T> {
        Object(PhantomData)
    }

    #[doc(hidden)]
    pub struct Object<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for Object<T>
    where
        T: Deserialize<'de>,
    {
        type Value = Option<T>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            crate::wire::object(deserializer)
        }
    }

    /// [`wire::enum_field`](crate::wire::enum_field).
    pub fn enum_field<T>() -> EnumField<T> {
        EnumField(PhantomData)
    }

    #[doc(hidden)]
    pub struct EnumField<T>(PhantomData<T>);

    impl<'de, T> DeserializeSeed<'de> for EnumField<T>
    where
        T: for<'a> From<&'a str>,
    {
        type Value = Option<T>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
            crate::wire::enum_field(deserializer)
        }
    }
}

/// Implements `Deserialize` for a generated response struct: each field is named by its wire
/// name and read by one of the [`read`](crate::wire_struct::read) functions; `required`
/// makes its absence an error, otherwise an absent field takes its default.
#[macro_export]
macro_rules! wire_struct {
    ($name:ident { $($field:ident: $wire:literal => $read:ident $($required:ident)?),* $(,)? }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                const FIELDS: &[&str] = &[$($wire),*];

                /// Each field's position in `FIELDS`, as a constant a `match` can jump on.
                #[allow(non_upper_case_globals, non_camel_case_types)]
                mod position {
                    pub(super) enum Field { $($field),* }
                    $(pub(super) const $field: usize = Field::$field as usize;)*
                }

                fn position_of(name: &str) -> ::core::option::Option<usize> {
                    match name {
                        $($wire => ::core::option::Option::Some(position::$field),)*
                        _ => ::core::option::Option::None,
                    }
                }

                struct Fields;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for Fields {
                    type Value = $name;

                    fn expecting(
                        &self,
                        f: &mut ::core::fmt::Formatter<'_>,
                    ) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("struct ", ::core::stringify!($name)))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: $crate::__private::serde::de::MapAccess<'de>,
                    {
                        $(let mut $field = ::core::option::Option::None;)*
                        while let ::core::option::Option::Some(key) =
                            map.next_key_seed($crate::wire_struct::FieldKey(position_of))?
                        {
                            match key {
                                $(::core::option::Option::Some(position::$field) => {
                                    if $field.is_some() {
                                        return ::core::result::Result::Err(
                                            <A::Error as $crate::__private::serde::de::Error>::duplicate_field($wire),
                                        );
                                    }
                                    $field = ::core::option::Option::Some(
                                        map.next_value_seed($crate::wire_struct::read::$read())?,
                                    );
                                })*
                                _ => {
                                    map.next_value::<$crate::__private::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::core::result::Result::Ok($name {
                            $($field: $crate::wire_struct!(@value $field $wire A $($required)?),)*
                        })
                    }
                }

                deserializer.deserialize_struct(::core::stringify!($name), FIELDS, Fields)
            }
        }
    };
    (@value $field:ident $wire:literal $error:ident) => {
        $field.unwrap_or_default()
    };
    (@value $field:ident $wire:literal $error:ident required) => {
        match $field {
            ::core::option::Option::Some(value) => value,
            ::core::option::Option::None => {
                return ::core::result::Result::Err(
                    <$error::Error as $crate::__private::serde::de::Error>::missing_field($wire),
                );
            }
        }
    };
}
