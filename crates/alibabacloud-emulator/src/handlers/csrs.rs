//! Certificate signing requests, CAS 2020-04-07: CreateCsr makes a real key and CSR,
//! UploadCsr stores one the user made (parsed; its key, if given, must match), and
//! ListCsr, GetCsrDetail, UpdateCsr and DeleteCsr read and change the store.

use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object, page};
use crate::data::{Csr, ids, pki};
use crate::errors::ApiError;
use crate::pem;

/// The first ID given to a CSR when the data set has none above it.
const FIRST_CSR_ID: i64 = 3_000;

fn not_found(id: i64) -> ApiError {
    ApiError::new(
        404,
        "InvalidCsrId.NotFound",
        format!("The specified CSR {id} does not exist."),
    )
}

fn next_id(csrs: &[Csr]) -> Result<i64, ApiError> {
    ids::next_id(csrs.iter().map(|c| c.csr_id), FIRST_CSR_ID)
        .ok_or_else(|| ApiError::ids_exhausted("CSR"))
}

fn sans(ctx: &Ctx<'_>) -> Vec<String> {
    ctx.text("Sans")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// CreateCsr: a new key (`Algorithm` RSA or ECC, `KeySize`) and a CSR for the subject.
pub(crate) fn create(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let algorithm = ctx.text("Algorithm").unwrap_or("RSA");
    let size = ctx.int("KeySize", 2048);
    let (key, key_pem) = pki::new_key(algorithm, size)
        .map_err(|message| ApiError::new(400, "InvalidParameter.KeySize", message))?;
    let common_name = ctx.text("CommonName").unwrap_or_default();
    let sans = sans(ctx);
    let text = |name: &str| ctx.text(name).unwrap_or_default();
    let subject = pki::Subject {
        common_name,
        sans: &sans,
        country: text("CountryCode"),
        province: text("Province"),
        locality: text("Locality"),
        org_name: text("CorpName"),
        department: text("Department"),
    };
    let csr_pem = pki::csr(&subject, &key).map_err(|e| {
        ApiError::new(
            400,
            "InvalidParameter.CommonName",
            format!("No CSR can be made for this subject: {e}."),
        )
    })?;
    let mut data = ctx.state.data_mut();
    let csr_id = next_id(&data.csrs)?;
    let mut names = vec![common_name.to_owned()];
    names.extend(sans.into_iter().filter(|s| s != common_name));
    data.csrs.push(Csr {
        csr_id,
        name: ctx
            .text("Name")
            .map_or_else(|| format!("csr-{csr_id}"), str::to_owned),
        common_name: common_name.to_owned(),
        sans: names.join(","),
        algorithm: algorithm.to_ascii_uppercase(),
        key_size: size,
        corp_name: text("CorpName").to_owned(),
        department: text("Department").to_owned(),
        country_code: text("CountryCode").to_owned(),
        province: text("Province").to_owned(),
        locality: text("Locality").to_owned(),
        csr: csr_pem.clone(),
        private_key: key_pem,
    });
    Ok(object(json!({ "CsrId": csr_id, "Csr": csr_pem })))
}

/// UploadCsr: stores a CSR the user made, with its key if given.
pub(crate) fn upload(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let text = ctx.text("Csr").unwrap_or_default();
    let parsed = pem::parse_csr(text)?;
    let key = ctx.text("Key").unwrap_or_default();
    if !key.is_empty() {
        pem::check_csr_key(&parsed, key)?;
    }
    let mut data = ctx.state.data_mut();
    let csr_id = next_id(&data.csrs)?;
    data.csrs.push(Csr {
        csr_id,
        name: ctx
            .text("Name")
            .map_or_else(|| format!("csr-{csr_id}"), str::to_owned),
        sans: parsed.sans.join(","),
        common_name: parsed.common_name,
        algorithm: parsed.algorithm,
        key_size: parsed.key_size,
        corp_name: parsed.org_name,
        department: parsed.department,
        country_code: parsed.country,
        province: parsed.province,
        locality: parsed.locality,
        csr: text.trim().to_owned(),
        private_key: key.trim().to_owned(),
    });
    Ok(object(json!({ "CsrId": csr_id })))
}

fn position(ctx: &Ctx<'_>, csrs: &[Csr]) -> Result<usize, ApiError> {
    let id = ctx.int("CsrId", 0);
    csrs.iter()
        .position(|c| c.csr_id == id)
        .ok_or_else(|| not_found(id))
}

/// ListCsr: every CSR, newest first, filtered by `Algorithm` and `KeyWord` (on the
/// names), paged by `CurrentPage` / `ShowSize` (default 50).
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let current = ctx.int("CurrentPage", 1).max(1);
    let size = ctx.int("ShowSize", 50).max(1);
    let keyword = ctx.text("KeyWord").map(str::to_ascii_lowercase);
    let mut csrs: Vec<&Csr> = data.csrs.iter().collect();
    csrs.sort_by_key(|c| std::cmp::Reverse(c.csr_id));
    let rows: Vec<Value> = csrs
        .into_iter()
        .filter(|c| {
            ctx.text("Algorithm")
                .is_none_or(|a| c.algorithm.eq_ignore_ascii_case(a))
        })
        .filter(|c| {
            keyword.as_deref().is_none_or(|k| {
                c.common_name.to_ascii_lowercase().contains(k)
                    || c.sans.to_ascii_lowercase().contains(k)
                    || c.name.to_ascii_lowercase().contains(k)
            })
        })
        .map(|c| {
            json!({
                "CsrId": c.csr_id,
                "Name": c.name,
                "CommonName": c.common_name,
                "Sans": c.sans,
                "Algorithm": c.algorithm,
                "KeySize": c.key_size,
                "CorpName": c.corp_name,
                "Department": c.department,
                "CountryCode": c.country_code,
                "Province": c.province,
                "Locality": c.locality,
                "HasPrivateKey": !c.private_key.is_empty(),
                "KeySha2": hex::encode_upper(ring::digest::digest(
                    &ring::digest::SHA256,
                    c.private_key.as_bytes()
                )),
            })
        })
        .collect();
    Ok(object(json!({
        "TotalCount": rows.len(),
        "CurrentPage": current,
        "ShowSize": size,
        "CsrList": page(&rows, current, size),
    })))
}

/// GetCsrDetail: the CSR and its private key (empty when the emulator does not hold it).
pub(crate) fn detail(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let data = ctx.state.data();
    let csr = &data.csrs[position(ctx, &data.csrs)?];
    Ok(object(
        json!({ "Csr": csr.csr, "PrivateKey": csr.private_key }),
    ))
}

/// UpdateCsr: sets the private key of a CSR; it must match.
pub(crate) fn update(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let key = ctx.text("Key").unwrap_or_default();
    let mut data = ctx.state.data_mut();
    let index = position(ctx, &data.csrs)?;
    let parsed = pem::parse_csr(&data.csrs[index].csr)?;
    pem::check_csr_key(&parsed, key)?;
    data.csrs[index].private_key = key.trim().to_owned();
    Ok(Body::new())
}

/// DeleteCsr.
pub(crate) fn delete(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let mut data = ctx.state.data_mut();
    let index = position(ctx, &data.csrs)?;
    data.csrs.remove(index);
    Ok(Body::new())
}
