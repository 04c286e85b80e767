//! The impls every generated enum shares, written once.
//!
//! A generated enum declares its variants (with their docs) and an `Unknown(UnknownValue)`
//! fallback, then names the wire value of each variant in one [`wire_enum!`] call:
//!
//! ```
//! use alibabacloud_core::wire::UnknownValue;
//!
//! /// The state of an order.
//! #[derive(Clone, Debug, PartialEq, Eq, Hash)]
//! #[non_exhaustive]
//! pub enum OrderState {
//!     /// `paid`
//!     Paid,
//!     /// A value this version of the SDK does not know.
//!     Unknown(UnknownValue),
//! }
//!
//! alibabacloud_core::wire_enum!(OrderState { Paid = "paid" });
//!
//! assert_eq!(OrderState::from("paid"), OrderState::Paid);
//! assert_eq!(OrderState::from("later").as_str(), "later");
//! assert_eq!(OrderState::VALUES, &["paid"]);
//! ```

/// Implements `VALUES`, `as_str`, `From<&str>`, `From<String>`, `Deserialize`, `Display`
/// and `WireValue` for a generated enum with an `Unknown(UnknownValue)` variant.
#[macro_export]
macro_rules! wire_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// Every value this SDK knows, as sent on the wire.
            pub const VALUES: &[&str] = &[$($value),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::wire::UnknownValue::new(other)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::wire::enum_value(deserializer)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::operation::WireValue for $name {
            fn to_wire(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
