//! Checks a data set read from a file (a fixture or a state file) before it is served:
//! every ID lies in `1..=`[`MAX_ID`], every time is between 1970 and the year 9999, every
//! count and amount is within a range whose sums cannot overflow. A value outside is named
//! by its field path (`Certificates[3].CertificateId`), so a hand-edited file fails at
//! start with a message instead of making requests fail later.

use super::ids::MAX_ID;
use super::model::DataSet;

/// The last millisecond of the year 9999.
const MAX_TIME_MS: i64 = 253_402_300_799_999;
/// The largest count (domains, certificates of a package).
const MAX_COUNT: i64 = 1_000_000_000;
/// The largest amount in cents, either sign: sums of a few million of them still fit.
const MAX_CENTS: i64 = 1_000_000_000_000_000;

/// What is wrong, and where: `(field path, message)`.
pub(crate) type Problem = (String, String);

fn in_range(
    field: String,
    value: i64,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> Result<(), Problem> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err((
            field,
            format!(
                "{value} is not a valid {what} (expected {} to {})",
                range.start(),
                range.end()
            ),
        ))
    }
}

fn id(field: String, value: i64) -> Result<(), Problem> {
    in_range(field, value, 1..=MAX_ID, "ID")
}

fn time(field: String, value: i64) -> Result<(), Problem> {
    in_range(field, value, 0..=MAX_TIME_MS, "time in epoch milliseconds")
}

fn count(field: String, value: i64) -> Result<(), Problem> {
    in_range(field, value, 0..=MAX_COUNT, "count")
}

fn cents(field: String, value: i64) -> Result<(), Problem> {
    in_range(field, value, -MAX_CENTS..=MAX_CENTS, "amount in cents")
}

/// The first value of `data` out of its range.
pub(crate) fn check(data: &DataSet) -> Result<(), Problem> {
    for (i, o) in data.certificate_orders.iter().enumerate() {
        let at = |f: &str| format!("CertificateOrders[{i}].{f}");
        id(at("OrderId"), o.order_id)?;
        id(at("AliyunOrderId"), o.aliyun_order_id)?;
        count(at("DomainCount"), o.domain_count)?;
        count(at("WildDomainCount"), o.wild_domain_count)?;
        time(at("BuyDate"), o.buy_date)?;
        if let Some(t) = o.cert_start_time {
            time(at("CertStartTime"), t)?;
        }
        if let Some(t) = o.cert_end_time {
            time(at("CertEndTime"), t)?;
        }
    }
    for (i, c) in data.certificates.iter().enumerate() {
        id(format!("Certificates[{i}].CertificateId"), c.certificate_id)?;
    }
    for (i, o) in data.order_instances.iter().enumerate() {
        id(format!("OrderInstances[{i}].Id"), o.id)?;
    }
    for (i, j) in data.deployment_jobs.iter().enumerate() {
        let at = |f: &str| format!("DeploymentJobs[{i}].{f}");
        id(at("JobId"), j.job_id)?;
        for (n, r) in j.resource_ids.iter().enumerate() {
            id(at(&format!("ResourceIds[{n}]")), *r)?;
        }
        for (n, c) in j.contact_ids.iter().enumerate() {
            id(at(&format!("ContactIds[{n}]")), *c)?;
        }
        time(at("StartedMs"), j.started_ms)?;
        time(at("CreatedMs"), j.created_ms)?;
        time(at("ModifiedMs"), j.modified_ms)?;
        time(at("ScheduleTime"), j.schedule_time)?;
        for (n, c) in j.certs.iter().enumerate() {
            let at = |f: &str| format!("DeploymentJobs[{i}].Certs[{n}].{f}");
            if let Some(v) = c.cert_id {
                id(at("CertId"), v)?;
            }
            if let Some(v) = c.order_id {
                id(at("OrderId"), v)?;
            }
            time(at("NotBeforeTime"), c.not_before_time)?;
            time(at("NotAfterTime"), c.not_after_time)?;
        }
    }
    // Billing order IDs are text on the wire (and the service's exceed 2^53): any text.
    for (i, r) in data.cloud_resources.iter().enumerate() {
        id(format!("CloudResources[{i}].Id"), r.id)?;
        if let Some(c) = r.cert_id {
            id(format!("CloudResources[{i}].CertId"), c)?;
        }
    }
    for (i, c) in data.csrs.iter().enumerate() {
        id(format!("Csrs[{i}].CsrId"), c.csr_id)?;
    }
    for (i, a) in data.applications.iter().enumerate() {
        id(format!("Applications[{i}].OrderId"), a.order_id)?;
        time(format!("Applications[{i}].CreatedMs"), a.created_ms)?;
        if let Some(c) = a.cert_id {
            id(format!("Applications[{i}].CertId"), c)?;
        }
    }
    for (i, c) in data.private_certificates.iter().enumerate() {
        let at = |f: &str| format!("PrivateCertificates[{i}].{f}");
        id(at("Id"), c.id)?;
        time(at("BeforeMs"), c.before_ms)?;
        time(at("AfterMs"), c.after_ms)?;
        time(at("CreatedMs"), c.created_ms)?;
        if let Some(t) = c.revoked_ms {
            time(at("RevokedMs"), t)?;
        }
        count(at("CertTotalCount"), c.cert_total_count)?;
    }
    for (i, b) in data.budgets.iter().enumerate() {
        time(format!("Budgets[{i}].CreatedMs"), b.created_ms)?;
    }
    for (i, c) in data.cost_centers.iter().enumerate() {
        id(format!("CostCenters[{i}].CostCenterId"), c.cost_center_id)?;
        time(format!("CostCenters[{i}].CreatedMs"), c.created_ms)?;
    }
    for (i, r) in data.cost_center_rules.iter().enumerate() {
        id(format!("CostCenterRules[{i}].Id"), r.id)?;
        id(
            format!("CostCenterRules[{i}].CostCenterId"),
            r.cost_center_id,
        )?;
        time(format!("CostCenterRules[{i}].CreatedMs"), r.created_ms)?;
        time(format!("CostCenterRules[{i}].ModifiedMs"), r.modified_ms)?;
    }
    for (i, p) in data.packages.iter().enumerate() {
        count(format!("Packages[{i}].TotalCount"), p.total_count)?;
    }
    cents("Ledger.DepositCents".to_owned(), data.ledger.deposit_cents)?;
    for (i, b) in data.ledger.instances.iter().enumerate() {
        for (n, (_, price, discount)) in b.charges.iter().enumerate() {
            cents(format!("Ledger.Instances[{i}].Charges[{n}][1]"), *price)?;
            cents(format!("Ledger.Instances[{i}].Charges[{n}][2]"), *discount)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_data_set_passes_and_a_bad_id_is_named() {
        let mut data = DataSet::seeded_at(std::time::SystemTime::now());
        check(&data).unwrap();
        data.certificates[3].certificate_id = i64::MAX;
        let (field, message) = check(&data).unwrap_err();
        assert_eq!(field, "Certificates[3].CertificateId");
        assert!(message.contains("9223372036854775807"), "{message}");
    }
}
