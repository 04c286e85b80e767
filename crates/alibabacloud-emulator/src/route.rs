//! Routing: which catalog operation a request names.

use alibabacloud_catalog::PRODUCTS;
use alibabacloud_core::catalog::{OperationInfo, ProductInfo};

use crate::auth::Scheme;
use crate::errors::ApiError;
use crate::request::Incoming;

/// The operation a request names.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Route {
    /// Its product (code and version).
    pub product: &'static ProductInfo,
    /// The operation.
    pub op: &'static OperationInfo,
}

/// The action and version a request names: V3 reads the `x-acs-action` / `x-acs-version`
/// headers, V1 and unsigned requests the `Action` / `Version` query parameters; each falls
/// back to the other place.
pub(crate) fn action_and_version(
    req: &Incoming,
    scheme: Scheme,
) -> (Option<String>, Option<String>) {
    let from_headers = (req.header("x-acs-action"), req.header("x-acs-version"));
    let from_query = (req.query_param("Action"), req.query_param("Version"));
    let (first, second) = match scheme {
        Scheme::V3 => (from_headers, from_query),
        Scheme::V1 | Scheme::Unsigned => (from_query, from_headers),
    };
    let pick = |a: Option<&str>, b: Option<&str>| {
        a.filter(|s| !s.is_empty())
            .or(b.filter(|s| !s.is_empty()))
            .map(str::to_owned)
    };
    (pick(first.0, second.0), pick(first.1, second.1))
}

/// The catalog operation for `action` at `version` on `path`, or `404 InvalidApi.NotFound`.
pub(crate) fn find(
    path: &str,
    action: Option<&str>,
    version: Option<&str>,
) -> Result<Route, ApiError> {
    let (Some(action), Some(version)) = (action, version) else {
        return Err(ApiError::api_not_found());
    };
    if path != "/" {
        return Err(ApiError::api_not_found());
    }
    PRODUCTS
        .iter()
        .filter(|product| product.service.version == version)
        .find_map(|product| product.operation(action).map(|op| Route { product, op }))
        .ok_or_else(ApiError::api_not_found)
}

/// The product code of a version, for the `Recommend` link of errors before routing.
pub(crate) fn product_of_version(version: Option<&str>) -> &'static str {
    version
        .and_then(|v| PRODUCTS.iter().find(|p| p.service.version == v))
        .map_or("", |p| p.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_catalog_operation() {
        for product in PRODUCTS {
            for op in product.operations {
                let route = find(
                    "/",
                    Some(op.operation.action),
                    Some(product.service.version),
                )
                .expect("catalog operation");
                assert_eq!(route.op.operation.action, op.operation.action);
            }
        }
    }

    #[test]
    fn unknown_or_wrong_version_is_not_found() {
        let err = find("/", Some("Nope"), Some("2020-04-07")).unwrap_err();
        assert_eq!(
            (err.status, err.code.as_str()),
            (404, "InvalidApi.NotFound")
        );
        assert!(find("/", Some("ListUserCertificateOrder"), Some("2018-07-13")).is_err());
        assert!(find("/x", Some("ListUserCertificateOrder"), Some("2020-04-07")).is_err());
        assert!(find("/", None, Some("2020-04-07")).is_err());
    }
}
