//! Uploaded certificates, CAS 2020-04-07 and 2018-07-13: upload, detail, delete, and the
//! lists that show them (ListUserCertificateOrder with `OrderType` UPLOAD or CERT lives in
//! `cas_2020`; ListCert and DescribeUserCertificateList here).
//!
//! An upload parses the PEM (see [`crate::pem`]) and stores what the certificate says of
//! itself; it refuses a malformed PEM, a key that is not the certificate's, an expired
//! certificate and a name already in use. The name is optional, as the metadata has it.

use serde_json::{Value, json};

use super::context::Ctx;
use super::tags;
use crate::answer::{Body, object, page};
use crate::clock;
use crate::data::Certificate;
use crate::data::ids::next_id;
use crate::errors::ApiError;
use crate::pem;

/// The first ID given to an uploaded certificate when the data set has none above it.
const FIRST_UPLOAD_ID: i64 = 20_000_000;

fn missing(name: &str) -> ApiError {
    ApiError::new(
        400,
        format!("Missing{name}"),
        format!("{name} is mandatory for this action."),
    )
}

fn not_found(id: i64) -> ApiError {
    ApiError::new(
        404,
        "InvalidCertId.NotFound",
        format!("The specified certificate {id} does not exist."),
    )
}

/// Stores an uploaded certificate after every check; its new ID and instance ID.
fn store(ctx: &Ctx<'_>) -> Result<(i64, String), ApiError> {
    let cert_pem = ctx.text("Cert").ok_or_else(|| missing("Cert"))?;
    let key_pem = ctx.text("Key").ok_or_else(|| missing("Key"))?;
    let parsed = pem::parse_certificate(cert_pem)?;
    pem::check_key(&parsed, key_pem)?;
    if parsed.not_after_ms <= ctx.now_ms {
        return Err(ApiError::new(
            400,
            "CertificateExpired",
            format!(
                "The certificate expired on {}.",
                clock::iso(parsed.not_after_ms)
            ),
        ));
    }
    let mut data = ctx.state.data_mut();
    let id = next_id(
        data.certificates.iter().map(|c| c.certificate_id),
        FIRST_UPLOAD_ID,
    )
    .ok_or_else(|| ApiError::ids_exhausted("certificate"))?;
    // The metadata lists the name as optional: without one, the certificate is named
    // after its ID.
    let name = ctx
        .text("Name")
        .map_or_else(|| format!("cert-{id}"), str::to_owned);
    if data.certificates.iter().any(|c| c.name == name) {
        return Err(ApiError::new(
            400,
            "NameRepeat",
            format!("A certificate named {name:?} already exists."),
        ));
    }
    let instance_id = format!("cas-upload-{id:x}");
    let mut tags = Vec::new();
    tags::apply(&mut tags, &tags::tags(ctx.params, "Tags"))?;
    let common_name = if parsed.common_name.is_empty() {
        parsed.sans.first().cloned().unwrap_or_default()
    } else {
        parsed.common_name.clone()
    };
    data.certificates.push(Certificate {
        certificate_id: id,
        instance_id: instance_id.clone(),
        name,
        common_name,
        sans: parsed.sans.join(","),
        fingerprint: parsed.fingerprint,
        sha2: parsed.sha2,
        serial_no: parsed.serial_no,
        issuer: parsed.issuer,
        org_name: parsed.org_name,
        province: parsed.province,
        city: parsed.city,
        country: parsed.country,
        upload: true,
        start_date: clock::date(parsed.not_before_ms),
        end_date: clock::date(parsed.not_after_ms),
        resource_group_id: ctx.text("ResourceGroupId").unwrap_or_default().to_owned(),
        cert: cert_pem.trim().to_owned(),
        key: key_pem.trim().to_owned(),
        algorithm: parsed.algorithm,
        revoked: false,
        tags,
        shared_with: Vec::new(),
    });
    Ok((id, instance_id))
}

/// UploadUserCertificate (2020-04-07): stored with its `Tags`.
pub(crate) fn upload(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (id, instance_id) = store(ctx)?;
    Ok(object(json!({ "CertId": id, "ResourceId": instance_id })))
}

/// ShareCertificate: shares a stored certificate with another account (kept in the
/// certificate's `SharedWith`; sharing twice changes nothing). An unknown certificate is
/// `InvalidCertId.NotFound`; the account that owns it is `InvalidParameter.TargetUserId`.
pub(crate) fn share(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let id = ctx.int("CertificateId", 0);
    let target = ctx.int("TargetUserId", 0);
    let mut data = ctx.state.data_mut();
    if target <= 0 || data.account_id == target.to_string() {
        return Err(ApiError::new(
            400,
            "InvalidParameter.TargetUserId",
            "A certificate is shared with another account, by its UID.",
        ));
    }
    let cert = data
        .certificates
        .iter_mut()
        .find(|c| c.certificate_id == id)
        .ok_or_else(|| not_found(id))?;
    if !cert.shared_with.contains(&target) {
        cert.shared_with.push(target);
    }
    Ok(Body::new())
}

/// CreateUserCertificate (2018-07-13).
pub(crate) fn create_2018(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (id, _) = store(ctx)?;
    Ok(object(json!({ "CertId": id })))
}

fn find(ctx: &Ctx<'_>) -> Result<Certificate, ApiError> {
    let id = ctx.int("CertId", 0);
    ctx.state
        .data()
        .certificates
        .iter()
        .find(|c| c.certificate_id == id)
        .cloned()
        .ok_or_else(|| not_found(id))
}

fn millis(date: &str) -> i64 {
    clock::parse_date(date).unwrap_or(0)
}

fn expired(cert: &Certificate, now_ms: i64) -> bool {
    millis(&cert.end_date) + clock::DAY_MS <= now_ms
}

/// The detail fields both API versions share.
fn common_detail(ctx: &Ctx<'_>, cert: &Certificate) -> Body {
    object(json!({
        "Id": cert.certificate_id,
        "Name": cert.name,
        "Common": cert.common_name,
        "Sans": cert.sans,
        "Fingerprint": cert.fingerprint,
        "Issuer": cert.issuer,
        "OrgName": cert.org_name,
        "Province": cert.province,
        "City": cert.city,
        "Country": cert.country,
        "StartDate": cert.start_date,
        "EndDate": cert.end_date,
        "Expired": expired(cert, ctx.now_ms),
        "BuyInAliyun": !cert.upload,
    }))
}

/// GetUserCertificateDetail (2020-04-07): the certificate and key PEM only when
/// `CertFilter` is not `true`.
pub(crate) fn detail(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cert = find(ctx)?;
    let mut body = common_detail(ctx, &cert);
    body.extend(object(json!({
        "InstanceId": cert.instance_id,
        "Sha2": cert.sha2,
        "CertSha2": cert.sha2,
        "SerialNo": cert.serial_no,
        "NotBefore": millis(&cert.start_date),
        "NotAfter": millis(&cert.end_date),
        "CertIdentifier": format!("{}-cn-hangzhou", cert.certificate_id),
        "ResourceGroupId": cert.resource_group_id,
        "Tags": tags::rows(&cert.tags),
    })));
    if !cert.algorithm.is_empty() {
        body.insert("Algorithm".to_owned(), json!(cert.algorithm));
    }
    if ctx.text("CertFilter") != Some("true") {
        if !cert.cert.is_empty() {
            body.insert("Cert".to_owned(), json!(cert.cert));
        }
        if !cert.key.is_empty() {
            body.insert("Key".to_owned(), json!(cert.key));
        }
    }
    Ok(body)
}

/// DescribeUserCertificateDetail (2018-07-13): the certificate and its PEM.
pub(crate) fn detail_2018(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let cert = find(ctx)?;
    let mut body = common_detail(ctx, &cert);
    body.insert("Cert".to_owned(), json!(cert.cert));
    body.insert("Key".to_owned(), json!(cert.key));
    Ok(body)
}

/// DeleteUserCertificate (both versions): gone from every list; the detail answers
/// not-found afterwards.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let id = ctx.int("CertId", 0);
    let mut data = ctx.state.data_mut();
    let before = data.certificates.len();
    data.certificates.retain(|c| c.certificate_id != id);
    if data.certificates.len() == before {
        return Err(not_found(id));
    }
    Ok(Body::new())
}

/// Stored certificates, newest first.
fn newest_first(ctx: &Ctx<'_>) -> Vec<Certificate> {
    let mut certs = ctx.state.data().certificates.clone();
    certs.sort_by_key(|c| std::cmp::Reverse(c.certificate_id));
    certs
}

/// DescribeUserCertificateList (2018-07-13): every certificate, paged by `CurrentPage` /
/// `ShowSize` (default 50).
pub(crate) fn list_2018(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let current_page = ctx.int("CurrentPage", 1).max(1);
    let show_size = ctx.int("ShowSize", 50).max(1);
    let rows: Vec<Value> = newest_first(ctx)
        .iter()
        .map(|c| {
            json!({
                "id": c.certificate_id,
                "name": c.name,
                "common": c.common_name,
                "sans": c.sans,
                "fingerprint": c.fingerprint,
                "issuer": c.issuer,
                "orgName": c.org_name,
                "province": c.province,
                "city": c.city,
                "country": c.country,
                "startDate": c.start_date,
                "endDate": c.end_date,
                "expired": expired(c, ctx.now_ms),
                "buyInAliyun": !c.upload,
            })
        })
        .collect();
    Ok(object(json!({
        "TotalCount": rows.len(),
        "CurrentPage": current_page,
        "ShowSize": show_size,
        "CertificateList": page(&rows, current_page, show_size),
    })))
}

/// ListCert (2020-04-07): the stored certificates as certificate-repository rows,
/// filtered by `KeyWord` on the names, paged by `CurrentPage` / `ShowSize` (default 50).
pub(crate) fn list_cert(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let current_page = ctx.int("CurrentPage", 1).max(1);
    let show_size = ctx.int("ShowSize", 50).max(1);
    let keyword = ctx.text("KeyWord").map(str::to_ascii_lowercase);
    let rows: Vec<Value> = newest_first(ctx)
        .iter()
        .filter(|c| {
            keyword.as_deref().is_none_or(|k| {
                c.common_name.to_ascii_lowercase().contains(k)
                    || c.sans.to_ascii_lowercase().contains(k)
            })
        })
        .map(|c| {
            let algorithm = if c.algorithm.is_empty() {
                "RSA"
            } else {
                &c.algorithm
            };
            json!({
                "Identifier": c.instance_id,
                "CommonName": c.common_name,
                "Sans": c.sans,
                "Issuer": c.issuer,
                "SerialNo": c.serial_no,
                "Algorithm": algorithm,
                "BeforeDate": millis(&c.start_date),
                "AfterDate": millis(&c.end_date),
                "ExistPrivateKey": !c.key.is_empty(),
                "CertType": "CERT",
                "SourceType": if c.upload { "upload" } else { "aliyun" },
                "Status": "ISSUE",
            })
        })
        .collect();
    Ok(object(json!({
        "TotalCount": rows.len(),
        "CurrentPage": current_page,
        "ShowSize": show_size,
        "CertList": page(&rows, current_page, show_size),
    })))
}
