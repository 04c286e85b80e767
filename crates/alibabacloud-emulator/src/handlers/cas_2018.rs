//! CAS 2018-07-13: DescribeOrderInstanceList, DescribeDVOrderResult.

use serde_json::json;

use super::context::Ctx;
use crate::answer::{Body, object};
use crate::errors::ApiError;

/// The server-defined page size of DescribeOrderInstanceList (undocumented upstream).
pub(crate) const INSTANCE_PAGE_SIZE: usize = 10;

/// DescribeOrderInstanceList: up to 10 instances from `StartIndex` (0-based offset), with
/// the total count.
pub(crate) fn describe_order_instance_list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let start =
        usize::try_from(ctx.int("StartIndex", 0)).map_err(|_| ApiError::invalid("StartIndex"))?;
    let data = ctx.state.data();
    let rows: Vec<_> = data
        .order_instances
        .iter()
        .skip(start)
        .take(INSTANCE_PAGE_SIZE)
        .map(|i| {
            json!({
                "Id": i.id,
                "InstanceId": i.instance_id,
                "Source": i.source,
                "Status": i.status,
                "CertType": i.cert_type,
            })
        })
        .collect();
    Ok(object(json!({
        "OrderList": rows,
        "TotalCount": data.order_instances.len(),
    })))
}

/// DescribeDVOrderResult: the validation record while `checking` (or `checked_fail`), plus
/// the certificate and key once `issued`. An instance that is not a DV order is
/// `404 InvalidInstanceId.NotFound`.
pub(crate) fn describe_dv_order_result(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let instance_id = ctx.text("InstanceId").unwrap_or_default();
    let data = ctx.state.data();
    let dv = data
        .order_instances
        .iter()
        .find(|i| i.instance_id == instance_id)
        .and_then(|i| i.dv.as_ref())
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidInstanceId.NotFound",
                format!("The specified DV certificate order {instance_id} does not exist."),
            )
        })?;
    let mut body = object(json!({
        "OrderStatus": dv.order_status,
        "CheckType": dv.check_type,
        "CheckName": dv.check_name,
        "CheckValue": dv.check_value,
    }));
    if let Some(certificate) = &dv.certificate {
        body.insert("Certificate".to_owned(), json!(certificate));
    }
    if let Some(private_key) = &dv.private_key {
        body.insert("PrivateKey".to_owned(), json!(private_key));
    }
    Ok(body)
}
