//! CAS 2020-04-07: ListUserCertificateOrder, ListDeploymentJobCert.

use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::clock::{self, DAY_MS};
use crate::data::{Certificate, CertificateOrder};
use crate::errors::ApiError;

/// Default `ShowSize`, as documented.
const DEFAULT_SHOW_SIZE: i64 = 50;

/// Days before `EndDate` from which a certificate is about to expire.
const WILL_EXPIRE_DAYS: i64 = 30;

/// The status of a certificate at `now_ms`: EXPIRED after its end date, WILLEXPIRED within
/// 30 days of it, ISSUED before.
pub(crate) fn certificate_status(cert: &Certificate, now_ms: i64) -> &'static str {
    let end = clock::parse_date(&cert.end_date).unwrap_or(0);
    if cert.revoked {
        "REVOKED"
    } else if end + DAY_MS <= now_ms {
        "EXPIRED"
    } else if end - now_ms <= WILL_EXPIRE_DAYS * DAY_MS {
        "WILLEXPIRED"
    } else {
        "ISSUED"
    }
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_ascii_lowercase().contains(needle)
}

fn order_matches(order: &CertificateOrder, keyword: Option<&str>) -> bool {
    keyword.is_none_or(|k| contains(&order.domain, k) || contains(&order.instance_id, k))
}

fn certificate_matches(cert: &Certificate, keyword: Option<&str>) -> bool {
    keyword.is_none_or(|k| {
        contains(&cert.common_name, k) || contains(&cert.sans, k) || contains(&cert.instance_id, k)
    })
}

/// ListUserCertificateOrder: orders (CPACK, BUY) or certificates (CERT, UPLOAD), filtered by
/// `Keyword` (fuzzy, case-insensitive, on the domain names and the instance id), `Status`
/// (empty: every order, or the valid certificates — ISSUED and WILLEXPIRED) and
/// `ResourceGroupId`; newest first; paged by `CurrentPage` / `ShowSize` (default 50).
pub(crate) fn list_user_certificate_order(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let order_type = ctx.text("OrderType").unwrap_or("CPACK");
    let status = ctx.text("Status");
    let keyword = ctx.text("Keyword").map(str::to_ascii_lowercase);
    let keyword = keyword.as_deref();
    let group = ctx.text("ResourceGroupId");
    let current_page = ctx.int("CurrentPage", 1).max(1);
    let show_size = match ctx.int("ShowSize", DEFAULT_SHOW_SIZE) {
        n if n < 1 => DEFAULT_SHOW_SIZE,
        n => n,
    };
    let in_group = |g: &str| group.is_none_or(|wanted| wanted == g);

    let data = ctx.state.data();
    let rows: Vec<Value> = match order_type {
        "CPACK" | "BUY" => {
            let source = order_type.to_ascii_lowercase();
            let mut orders: Vec<&CertificateOrder> = data
                .certificate_orders
                .iter()
                .filter(|o| o.source_type == source)
                .filter(|o| status.is_none_or(|s| o.status == s))
                .filter(|o| order_matches(o, keyword) && in_group(&o.resource_group_id))
                .collect();
            orders.sort_by_key(|o| std::cmp::Reverse(o.buy_date));
            orders
                .into_iter()
                .map(|o| {
                    let mut row = object(serde_json::to_value(o).unwrap_or_default());
                    row.remove("ResourceGroupId");
                    Value::Object(row)
                })
                .collect()
        }
        _ => {
            let upload_only = order_type == "UPLOAD";
            let mut certs: Vec<(&Certificate, &str)> = data
                .certificates
                .iter()
                .filter(|c| !upload_only || c.upload)
                .map(|c| (c, certificate_status(c, ctx.now_ms)))
                .filter(|(_, s)| match status {
                    None => matches!(*s, "ISSUED" | "WILLEXPIRED"),
                    Some(wanted) => *s == wanted,
                })
                .filter(|(c, _)| certificate_matches(c, keyword) && in_group(&c.resource_group_id))
                .collect();
            certs.sort_by_key(|(c, _)| std::cmp::Reverse(c.certificate_id));
            certs
                .into_iter()
                .map(|(c, s)| {
                    let mut row = object(serde_json::to_value(c).unwrap_or_default());
                    for stored_only in ["Cert", "Key", "Algorithm", "Revoked"] {
                        row.remove(stored_only);
                    }
                    row.insert("Expired".to_owned(), Value::Bool(s == "EXPIRED"));
                    Value::Object(row)
                })
                .collect()
        }
    };
    Ok(object(json!({
        "TotalCount": rows.len(),
        "CurrentPage": current_page,
        "ShowSize": show_size,
        "CertificateOrderList": page(&rows, current_page, show_size),
    })))
}

/// ListDeploymentJobCert: the certificates of one deployment task; an unknown `JobId` is
/// `404 InvalidJobId.NotFound`.
pub(crate) fn list_deployment_job_cert(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let job_id = ctx.int("JobId", 0);
    let data = ctx.state.data();
    let job = data
        .deployment_jobs
        .iter()
        .find(|j| j.job_id == job_id)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidJobId.NotFound",
                format!("The specified deployment job {job_id} does not exist."),
            )
        })?;
    Ok(object(json!({ "Data": job.certs })))
}
