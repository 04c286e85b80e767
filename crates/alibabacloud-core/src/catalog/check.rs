//! The one check of a parameter value against its catalog entry, shared by the CLI (which
//! refuses a flag before sending) and the emulator (which answers `InvalidParameter`).
//! Each caller words its own message around the [`InvalidValue`] it gets.

use std::borrow::Cow;
use std::fmt;

use super::{ParamInfo, ParamType};

/// Why a value is not valid for a parameter. `Display` says what was expected, e.g.
/// `expected a 32-bit integer` or `expected one of On, Off (did you mean 'On'?)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidValue {
    /// Not a 32-bit integer.
    NotInt32,
    /// Not a 64-bit integer.
    NotInt64,
    /// Neither `true` nor `false` (in any case).
    NotBool,
    /// Not a JSON text.
    NotJson,
    /// Not one of the documented values.
    Undocumented {
        /// The documented values.
        values: &'static [&'static str],
        /// The documented value that differs from the one given only in case, if any.
        close: Option<&'static str>,
    },
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidValue::NotInt32 => f.write_str("expected a 32-bit integer"),
            InvalidValue::NotInt64 => f.write_str("expected a 64-bit integer"),
            InvalidValue::NotBool => f.write_str("expected true or false"),
            InvalidValue::NotJson => f.write_str("expected a JSON text"),
            InvalidValue::Undocumented { values, close } => {
                write!(f, "expected one of {}", values.join(", "))?;
                match close {
                    Some(close) => write!(f, " (did you mean '{close}'?)"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for InvalidValue {}

impl ParamInfo {
    /// Checks one wire value of this parameter: the value of a scalar (an integer, a
    /// boolean, a JSON text, text limited to the documented values), one item of a list
    /// (`Name.1`), or one field of an object (`Name.Field`, not checked).
    ///
    /// Returns the value as it should travel: integers without surrounding white space,
    /// booleans as `true`/`false` (services and the official SDKs also send `True`), every
    /// other value as given.
    pub fn check<'a>(&self, value: &'a str) -> Result<Cow<'a, str>, InvalidValue> {
        match self.kind {
            ParamType::Int32 => value
                .trim()
                .parse::<i32>()
                .map(|n| Cow::Owned(n.to_string()))
                .map_err(|_| InvalidValue::NotInt32),
            ParamType::Int64 => value
                .trim()
                .parse::<i64>()
                .map(|n| Cow::Owned(n.to_string()))
                .map_err(|_| InvalidValue::NotInt64),
            ParamType::Bool => {
                let value = value.trim();
                if value.eq_ignore_ascii_case("true") {
                    Ok(Cow::Borrowed("true"))
                } else if value.eq_ignore_ascii_case("false") {
                    Ok(Cow::Borrowed("false"))
                } else {
                    Err(InvalidValue::NotBool)
                }
            }
            ParamType::Json => match serde_json::from_str::<serde::de::IgnoredAny>(value) {
                Ok(_) => Ok(Cow::Borrowed(value)),
                Err(_) => Err(InvalidValue::NotJson),
            },
            ParamType::String | ParamType::List => self.documented(value).map(Cow::Borrowed),
            ParamType::Object => Ok(Cow::Borrowed(value)),
        }
    }

    /// `value`, if the parameter documents no values or this is one of them.
    fn documented<'a>(&self, value: &'a str) -> Result<&'a str, InvalidValue> {
        if self.values.is_empty() || self.values.contains(&value) {
            return Ok(value);
        }
        let close = self
            .values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(value.trim()))
            .copied();
        Err(InvalidValue::Undocumented {
            values: self.values,
            close,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Location;

    const fn param(kind: ParamType, values: &'static [&'static str]) -> ParamInfo {
        ParamInfo {
            name: "P",
            kind,
            required: false,
            location: Location::Query,
            values,
            description: "",
            sensitive: false,
            example: "",
        }
    }

    #[test]
    fn types_are_checked_and_canonical() {
        let int32 = param(ParamType::Int32, &[]);
        assert_eq!(int32.check(" -5 ").unwrap(), "-5");
        assert_eq!(int32.check("3000000000"), Err(InvalidValue::NotInt32));
        let int64 = param(ParamType::Int64, &[]);
        assert_eq!(int64.check("3000000000").unwrap(), "3000000000");
        assert_eq!(int64.check("x"), Err(InvalidValue::NotInt64));
        let flag = param(ParamType::Bool, &[]);
        assert_eq!(flag.check("True").unwrap(), "true");
        assert_eq!(flag.check("FALSE").unwrap(), "false");
        assert_eq!(flag.check("yes"), Err(InvalidValue::NotBool));
        let json = param(ParamType::Json, &[]);
        assert_eq!(json.check(r#"{"x":[1]}"#).unwrap(), r#"{"x":[1]}"#);
        assert_eq!(json.check("{x"), Err(InvalidValue::NotJson));
        assert_eq!(
            param(ParamType::Object, &[]).check("anything").unwrap(),
            "anything"
        );
    }

    #[test]
    fn documented_values_are_exact_with_a_hint() {
        let mode = param(ParamType::String, &["On", "Off"]);
        assert_eq!(mode.check("On").unwrap(), "On");
        let error = mode.check("on").unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected one of On, Off (did you mean 'On'?)"
        );
        assert_eq!(
            mode.check("Maybe").unwrap_err().to_string(),
            "expected one of On, Off"
        );
        let list = param(ParamType::List, &["A"]);
        assert!(list.check("A").is_ok());
        assert!(list.check("B").is_err());
        assert_eq!(param(ParamType::String, &[]).check(" x ").unwrap(), " x ");
    }
}
