//! Parameter validation from the catalog: required parameters, integer and boolean types,
//! JSON values and documented enum values.
//!
//! A required parameter that is absent or empty is `400 Missing{Param}` ("{Param} is
//! mandatory for this action.", e.g. `MissingInstanceId`), as the gateway answers. A value
//! of the wrong type or outside the documented values is `400 InvalidParameter`
//! ("Specified parameter {Param} is not valid."). Parameters the catalog does not know are
//! ignored, as the gateway does.

use alibabacloud_core::catalog::{OperationInfo, ParamInfo, ParamType};

use crate::errors::ApiError;
use crate::request::Params;

/// Checks `params` against the operation's catalog entry.
pub(crate) fn validate(op: &OperationInfo, params: &Params) -> Result<(), ApiError> {
    for info in op.params {
        check(info, params)?;
    }
    Ok(())
}

fn check(info: &ParamInfo, params: &Params) -> Result<(), ApiError> {
    match info.kind {
        ParamType::List | ParamType::Object => {
            let values: Vec<&str> = params.nested(info.name).map(|(_, v)| v).collect();
            if values.is_empty() && params.non_empty(info.name).is_none() {
                return if info.required {
                    Err(ApiError::missing(info.name))
                } else {
                    Ok(())
                };
            }
            if info.kind == ParamType::List && !info.values.is_empty() {
                for value in values {
                    if !info.values.contains(&value) {
                        return Err(ApiError::invalid(info.name));
                    }
                }
            }
            Ok(())
        }
        _ => {
            let Some(value) = params.get(info.name) else {
                return if info.required {
                    Err(ApiError::missing(info.name))
                } else {
                    Ok(())
                };
            };
            if value.is_empty() {
                return if info.required {
                    Err(ApiError::missing(info.name))
                } else {
                    Ok(())
                };
            }
            if !well_typed(info.kind, value)
                || (!info.values.is_empty() && !info.values.contains(&value))
            {
                return Err(ApiError::invalid(info.name));
            }
            Ok(())
        }
    }
}

/// Whether `value` is a valid wire value of `kind`.
fn well_typed(kind: ParamType, value: &str) -> bool {
    match kind {
        ParamType::Int32 => value.trim().parse::<i32>().is_ok(),
        ParamType::Int64 => value.trim().parse::<i64>().is_ok(),
        // The official Python SDK sends `True`/`False`.
        ParamType::Bool => {
            value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
        }
        ParamType::Json => serde_json::from_str::<serde_json::Value>(value).is_ok(),
        ParamType::String | ParamType::List | ParamType::Object => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn op(action: &str) -> &'static OperationInfo {
        alibabacloud_catalog::PRODUCTS
            .iter()
            .find_map(|p| p.operation(action))
            .unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn missing_required() {
        let err = validate(op("DescribeDVOrderResult"), &params(&[])).unwrap_err();
        assert_eq!(err.code, "MissingInstanceId");
        assert_eq!(err.message, "InstanceId is mandatory for this action.");
        let err =
            validate(op("DescribeDVOrderResult"), &params(&[("InstanceId", "")])).unwrap_err();
        assert_eq!(err.code, "MissingInstanceId");
    }

    #[test]
    fn types_and_enums() {
        let list = op("ListUserCertificateOrder");
        assert!(validate(list, &params(&[("OrderType", "CERT"), ("ShowSize", "10")])).is_ok());
        let err = validate(list, &params(&[("OrderType", "cert")])).unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "InvalidParameter"));
        assert_eq!(err.message, "Specified parameter OrderType is not valid.");
        let err = validate(list, &params(&[("CurrentPage", "one")])).unwrap_err();
        assert_eq!(err.message, "Specified parameter CurrentPage is not valid.");
        let err = validate(
            op("DescribeOrderInstanceList"),
            &params(&[("StartIndex", "99999999999")]),
        )
        .unwrap_err();
        assert_eq!(err.code, "InvalidParameter", "out of i32 range");
        assert!(well_typed(ParamType::Bool, "True"));
        assert!(!well_typed(ParamType::Bool, "yes"));
    }
}
