//! Parameter validation from the catalog: required parameters here, then each value
//! through core's [`ParamInfo::check`] (integer and boolean types, JSON values and
//! documented enum values).
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
            if info.kind == ParamType::List {
                for value in values {
                    info.check(value)
                        .map_err(|_| ApiError::invalid(info.name))?;
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
            info.check(value)
                .map_err(|_| ApiError::invalid(info.name))?;
            Ok(())
        }
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
        // The official Python SDK sends `True`/`False`.
        let flag = ParamInfo {
            name: "Flag",
            kind: ParamType::Bool,
            required: false,
            location: alibabacloud_core::operation::Location::Query,
            values: &[],
            description: "",
            sensitive: false,
            example: "",
        };
        assert!(check(&flag, &params(&[("Flag", "True")])).is_ok());
        let err = check(&flag, &params(&[("Flag", "yes")])).unwrap_err();
        assert_eq!(err.message, "Specified parameter Flag is not valid.");
    }
}
