//! Certificate applications, CAS 2020-04-07: apply for a certificate of a domain (with a
//! key the emulator makes, or the user's CSR), watch it move through domain validation
//! and processing, and download it once the emulator's CA has issued it.
//!
//! Each application takes one certificate from its product's package; an application
//! beyond the package's total is `400 InsufficientQuota`. The state moves one lifecycle
//! step at a time from the application: `domain_verify`, `process`, `certificate`; a domain
//! under `.invalid` (reserved, never resolvable) ends in `verify_fail` instead. Once issued,
//! the certificate is stored with the others: the lists show it, and RevokeCertificate
//! revokes it.

use serde_json::json;

use super::context::Ctx;
use crate::answer::{Body, object};
use crate::clock;
use crate::data::ids::next_id;
use crate::data::lifecycle::application_state as state;
use crate::data::{Application, DataSet, pki};
use crate::errors::ApiError;
use crate::pem;

/// The product of an application that names none.
const DEFAULT_PRODUCT: &str = "digicert-free-1-free";
/// The first order ID when the data set has none above it.
const FIRST_ORDER_ID: i64 = 2_021_010_000;

fn not_found(id: i64) -> ApiError {
    ApiError::new(
        404,
        "InvalidOrderId.NotFound",
        format!("The specified certificate order {id} does not exist."),
    )
}

fn denied(state: &str) -> ApiError {
    ApiError::new(
        400,
        "OperationDenied.OrderStatus",
        format!("The operation is not allowed while the order is in state {state}."),
    )
}

/// Refuses an application beyond the package of `product`.
fn check_quota(data: &DataSet, product: &str) -> Result<(), ApiError> {
    let package = data
        .packages
        .iter()
        .find(|p| p.product_code == product)
        .ok_or_else(|| {
            ApiError::new(
                400,
                "InsufficientQuota",
                format!("The account has no {product} package."),
            )
        })?;
    let used = data
        .applications
        .iter()
        .filter(|a| a.product_code == product)
        .count() as i64;
    if used >= package.total_count {
        return Err(ApiError::new(
            400,
            "InsufficientQuota",
            format!(
                "The {product} package has no certificate left ({used} of {} used).",
                package.total_count
            ),
        ));
    }
    Ok(())
}

/// Stores an application for `domain` with this CSR (and key, when the emulator made it).
fn apply(ctx: &Ctx<'_>, domain: &str, csr: String, private_key: String) -> Result<Body, ApiError> {
    if domain.is_empty() {
        return Err(ApiError::new(
            400,
            "MissingDomain",
            "Domain is mandatory for this action (or a CSR that names one).",
        ));
    }
    let product = ctx.text("ProductCode").unwrap_or(DEFAULT_PRODUCT);
    let mut data = ctx.state.data_mut();
    check_quota(&data, product)?;
    let order_id = next_id(data.applications.iter().map(|a| a.order_id), FIRST_ORDER_ID)
        .ok_or_else(|| ApiError::ids_exhausted("order"))?;
    data.applications.push(Application {
        order_id,
        instance_id: format!("cas-ivauto-{order_id:x}"),
        domain: domain.to_owned(),
        product_code: product.to_owned(),
        validate_type: ctx.text("ValidateType").unwrap_or("DNS").to_owned(),
        created_ms: ctx.now_ms,
        csr,
        private_key,
        cert_id: None,
    });
    Ok(object(json!({ "OrderId": order_id })))
}

/// An application with a key and CSR the emulator makes (P-256).
fn apply_for_domain(ctx: &Ctx<'_>, domain: &str) -> Result<Body, ApiError> {
    let internal = |e: String| ApiError::new(500, "InternalError", e);
    let (key, key_pem) = pki::new_key("ECC", 256).map_err(internal)?;
    let subject = pki::Subject {
        common_name: domain,
        sans: &[],
        country: "",
        province: "",
        locality: "",
        org_name: "",
        department: "",
    };
    let csr = pki::csr(&subject, &key).map_err(|e| {
        ApiError::new(
            400,
            "InvalidParameter.Domain",
            format!("The domain cannot be certified: {e}."),
        )
    })?;
    apply(ctx, domain, csr, key_pem)
}

/// An application for the CSR's common name, with the user's CSR.
fn apply_with_csr(ctx: &Ctx<'_>, text: &str) -> Result<Body, ApiError> {
    let csr = pem::parse_csr(text)?;
    apply(ctx, &csr.common_name, text.trim().to_owned(), String::new())
}

/// CreateCertificateRequest: a DV certificate for `Domain`.
pub(crate) fn create(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    apply_for_domain(ctx, ctx.text("Domain").unwrap_or_default())
}

/// CreateCertificateWithCsrRequest: a DV certificate for the CSR.
pub(crate) fn create_with_csr(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    apply_with_csr(ctx, ctx.text("Csr").unwrap_or_default())
}

/// CreateCertificateForPackageRequest: with the CSR when given, else for `Domain`.
pub(crate) fn create_for_package(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    match ctx.text("Csr") {
        Some(csr) => apply_with_csr(ctx, csr),
        None => apply_for_domain(ctx, ctx.text("Domain").unwrap_or_default()),
    }
}

fn position(ctx: &Ctx<'_>, data: &DataSet) -> Result<usize, ApiError> {
    let id = ctx.int("OrderId", 0);
    data.applications
        .iter()
        .position(|a| a.order_id == id)
        .ok_or_else(|| not_found(id))
}

/// DescribeCertificateState: where an application is, what to publish for validation,
/// and the certificate once issued.
pub(crate) fn describe_state(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let application = &data.applications[position(ctx, &data)?];
    let state = state(application, ctx.now_ms, ctx.state.step_ms());
    let mut body = object(json!({
        "Type": state,
        "Domain": application.domain,
        "ValidateType": application.validate_type,
    }));
    let token = format!(
        "{}{:x}",
        clock::date(application.created_ms).replace('-', ""),
        application.order_id
    );
    match state {
        "domain_verify" if application.validate_type == "FILE" => {
            body.insert(
                "Uri".to_owned(),
                json!(format!(
                    "/.well-known/pki-validation/fileauth-{}.txt",
                    application.order_id
                )),
            );
            body.insert("Content".to_owned(), json!(token));
        }
        "domain_verify" => {
            body.insert("RecordType".to_owned(), json!("TXT"));
            body.insert("RecordDomain".to_owned(), json!("_dnsauth"));
            body.insert("RecordValue".to_owned(), json!(token));
        }
        "certificate" => {
            if let Some(cert) = application
                .cert_id
                .and_then(|id| data.certificates.iter().find(|c| c.certificate_id == id))
            {
                body.insert("CertId".to_owned(), json!(cert.certificate_id.to_string()));
                body.insert("Certificate".to_owned(), json!(cert.cert));
                if !cert.key.is_empty() {
                    body.insert("PrivateKey".to_owned(), json!(cert.key));
                }
            }
        }
        _ => {}
    }
    Ok(body)
}

/// DescribePackageState: a package's total, used and issued counts.
pub(crate) fn describe_package_state(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let product = ctx.text("ProductCode").unwrap_or(DEFAULT_PRODUCT);
    let data = ctx.state.data();
    let total = data
        .packages
        .iter()
        .find(|p| p.product_code == product)
        .map_or(0, |p| p.total_count);
    let of_product = || {
        data.applications
            .iter()
            .filter(|a| a.product_code == product)
    };
    Ok(object(json!({
        "ProductCode": product,
        "TotalCount": total,
        "UsedCount": of_product().count(),
        "IssuedCount": of_product().filter(|a| a.cert_id.is_some()).count(),
    })))
}

/// CancelCertificateForPackageRequest: withdraws an application that is not issued yet;
/// its certificate goes back to the package.
pub(crate) fn cancel(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let index = position(ctx, &data)?;
    let state = state(&data.applications[index], ctx.now_ms, ctx.state.step_ms());
    if state == "certificate" {
        return Err(denied(state));
    }
    data.applications.remove(index);
    Ok(Body::new())
}

/// DeleteCertificateRequest: removes an application in any state (an issued certificate
/// stays with the certificates; one in progress is withdrawn).
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let index = position(ctx, &data)?;
    data.applications.remove(index);
    Ok(Body::new())
}

/// RevokeCertificate: revokes the issued certificate of an application (by `InstanceId`).
pub(crate) fn revoke(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let instance = ctx.text("InstanceId").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let cert = data
        .certificates
        .iter_mut()
        .find(|c| c.instance_id == instance && !c.upload)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidInstanceId.NotFound",
                format!("No issued certificate has the instance {instance}."),
            )
        })?;
    if cert.revoked {
        return Err(ApiError::new(
            400,
            "OperationDenied.Revoked",
            "The certificate is already revoked.",
        ));
    }
    cert.revoked = true;
    Ok(Body::new())
}
