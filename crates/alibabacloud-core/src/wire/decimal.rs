//! Exact money: every amount, price, cost, discount, balance and tax field (spec type
//! `decimal`) is a [`Decimal`], read from the digits the server sent, never through `f64`.
//!
//! The gateway sends money as JSON numbers (`12.34`) or as text (`"12.34"`,
//! `"1,234.50"`). Both are read from their text: a number through serde_json's raw
//! value, so `0.10` keeps its scale and `12345678901234.56` all of its digits, and
//! `Display` shows them as received. Thousands separators in text are dropped. A value
//! that is not a decimal number leaves the field empty, by the rule of
//! [`mismatch`](crate::mismatch).

use serde::de::{self, Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::mismatch::tolerate;
use crate::operation::WireValue;

/// An exact decimal number: [`rust_decimal::Decimal`] (up to 28 significant digits, exact
/// arithmetic, `Display` keeps the scale it was read with: `0.10` stays `0.10`).
pub use rust_decimal::Decimal;

/// Deserializes an optional decimal from a JSON number or numeric text, keeping its
/// digits. Responses are read from their bytes by serde_json, which this needs (a raw
/// value); from any other deserializer the field is left empty.
pub fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    let raw = match Option::<Box<RawValue>>::deserialize(deserializer) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Ok(None),
        Err(error) => {
            tolerate::<D::Error>(|| error.to_string(), "a decimal number")?;
            return Ok(None);
        }
    };
    let text = raw.get();
    let read = if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .ok()
            .and_then(|inner| parse(&inner))
    } else if text == "null" {
        return Ok(None);
    } else {
        parse(text)
    };
    match read {
        Some(value) => Ok(Some(value)),
        None => {
            tolerate::<D::Error>(|| text.to_owned(), "a decimal number")?;
            Ok(None)
        }
    }
}

/// Deserializes a required decimal (see [`decimal`]).
pub fn decimal_required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    decimal(deserializer)?.ok_or_else(|| de::Error::custom("a decimal number, not null"))
}

/// A decimal from its text: `12.34`, `-0.5`, `1,234.50`, `1e+16`; `None` if it is not one
/// (empty text included).
pub fn parse(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let plain: String;
    let text = if text.contains(',') {
        plain = text.replace(',', "");
        plain.as_str()
    } else {
        text
    };
    if text.contains(['e', 'E']) {
        return Decimal::from_scientific(text).ok();
    }
    text.parse::<Decimal>().ok()
}

impl WireValue for Decimal {
    /// Its digits, as `Display` shows them (`12.30` stays `12.30`).
    fn to_wire(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Bill {
        #[serde(default, deserialize_with = "decimal")]
        amount: Option<Decimal>,
    }

    fn amount(json: &str) -> Option<Decimal> {
        serde_json::from_str::<Bill>(json).unwrap().amount
    }

    #[test]
    fn digits_are_kept_as_sent() {
        for (json, shown) in [
            (r#"{"amount": 0.10}"#, "0.10"),
            (r#"{"amount": 12345678901234.56}"#, "12345678901234.56"),
            (r#"{"amount": "12.30"}"#, "12.30"),
            (r#"{"amount": "1,234.50"}"#, "1234.50"),
            (r#"{"amount": 7}"#, "7"),
            (r#"{"amount": -0.5}"#, "-0.5"),
            (r#"{"amount": 1e2}"#, "100"),
            (
                r#"{"amount": 0.1234567890123456789012345678}"#,
                "0.1234567890123456789012345678",
            ),
        ] {
            assert_eq!(amount(json).unwrap().to_string(), shown, "{json}");
        }
        assert_eq!(amount(r#"{"amount": null}"#), None);
        assert_eq!(amount(r#"{}"#), None);
    }

    #[test]
    fn the_sum_is_exact() {
        let sum: Decimal = [r#"{"amount": 0.1}"#, r#"{"amount": 0.2}"#]
            .iter()
            .filter_map(|json| amount(json))
            .sum();
        assert_eq!(sum.to_string(), "0.3");
    }

    #[test]
    fn what_is_not_a_number_leaves_the_field_empty() {
        assert_eq!(amount(r#"{"amount": "free"}"#), None);
        assert_eq!(amount(r#"{"amount": ""}"#), None);
        assert_eq!(amount(r#"{"amount": [1]}"#), None);
        assert_eq!(amount(r#"{"amount": true}"#), None);
    }
}
