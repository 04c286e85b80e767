//! The emulator's data: certificates, certificate orders, order instances, deployment jobs
//! and billing orders.
//!
//! [`DataSet::seeded`] builds a realistic, deterministic data set; [`DataSet::to_json`]
//! prints it and [`DataSet::from_json_file`] reads one back, so a user can dump the seeded
//! data (`alibabacloud-emulator --dump-data`), edit it and serve the result (`--data`).
//!
//! The JSON format is this module's serde form: one object whose keys are the field names
//! of [`DataSet`] in PascalCase (`AccountId`, `CertificateOrders`, `Certificates`,
//! `OrderInstances`, `DeploymentJobs`, `BillingOrders`), each row with the field names of
//! its wire response (`InstanceId`, `CertEndTime`, ...). Every list may be left out (empty);
//! unknown keys are refused so typos surface.

mod check;
pub mod ids;
pub(crate) mod lifecycle;
mod model;
pub(crate) mod pki;
pub(crate) mod private_ca;
mod seed;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

pub use ids::MAX_ID;
pub use model::*;

impl DataSet {
    /// The built-in data set, generated from a fixed seed with times relative to now
    /// (see [`DataSet::seeded_at`]).
    pub fn seeded() -> Self {
        Self::seeded_at(SystemTime::now())
    }

    /// The built-in data set with times relative to `now`: the same `now` always gives the
    /// same data, certificates and keys included.
    ///
    /// It holds a few hundred certificate orders and certificates across every status and
    /// type of ListUserCertificateOrder, order instances across every status (DV ones in
    /// `checking`, `issued` with a real certificate and key, and `checked_fail`),
    /// deployment jobs (8888 among them), and billing orders over the last 90 days, a few
    /// within the last hour.
    pub fn seeded_at(now: SystemTime) -> Self {
        seed::generate(crate::clock::millis(now))
    }

    /// Reads a data set from a JSON file (the format of [`DataSet::to_json`]).
    pub fn from_json_file(path: impl AsRef<Path>) -> Result<Self, DataError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: shown.clone(),
            source,
        })?;
        let data: Self = serde_json::from_str(&text).map_err(|source| DataError::Json {
            path: shown.clone(),
            source,
        })?;
        data.checked(&shown)
    }

    /// Reads a data set from JSON text.
    pub fn from_json(text: &str) -> Result<Self, DataError> {
        let data: Self = serde_json::from_str(text).map_err(|source| DataError::Json {
            path: "<string>".to_owned(),
            source,
        })?;
        data.checked("<string>")
    }

    /// The data set, if every value is in its range (see [`ids`]); `path` names where it
    /// came from in the error.
    pub(crate) fn checked(self, path: &str) -> Result<Self, DataError> {
        match check::check(&self) {
            Ok(()) => Ok(self),
            Err((field, message)) => Err(DataError::Invalid {
                path: path.to_owned(),
                field,
                message,
            }),
        }
    }

    /// For each request parameter of `action` that names a stored resource, one that
    /// exists and that the action can work on (an application in progress to cancel, an
    /// issued one to revoke, ...).
    pub fn resource_ids(&self, action: &str) -> BTreeMap<String, String> {
        let mut ids = BTreeMap::new();
        if let Some(cert) = self.certificates.first() {
            ids.insert("CertId".to_owned(), cert.certificate_id.to_string());
            ids.insert("CertificateId".to_owned(), cert.certificate_id.to_string());
        }
        if let Some(dv) = self.order_instances.iter().find(|o| o.dv.is_some()) {
            ids.insert("InstanceId".to_owned(), dv.instance_id.clone());
        }
        if let Some(job) = self.deployment_jobs.first() {
            ids.insert("JobId".to_owned(), job.job_id.to_string());
        }
        if let Some(resource) = self.cloud_resources.first() {
            ids.insert("ResourceIds".to_owned(), resource.id.to_string());
        }
        if let Some(cert) = self.certificates.first() {
            ids.insert("CertIds".to_owned(), cert.certificate_id.to_string());
        }
        if let Some(csr) = self.csrs.first() {
            ids.insert("CsrId".to_owned(), csr.csr_id.to_string());
            ids.insert("Csr".to_owned(), csr.csr.clone());
            if !csr.private_key.is_empty() {
                // UpdateCsr's key, and the key of a certificate a test makes to upload.
                ids.insert("Key".to_owned(), csr.private_key.clone());
            }
        }
        if let Some((cycle, ..)) = self.ledger.instances.first().and_then(|i| i.charges.last()) {
            ids.insert("BillingCycle".to_owned(), cycle.clone());
        }
        if action == "AssumeRoleWithOIDC" {
            // A JWT (unsigned claims; the emulator does not check the signature) valid
            // until 2100.
            use base64::Engine as _;
            let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
            let token = format!(
                "{}.{}.{}",
                b64(r#"{"alg":"RS256","typ":"JWT"}"#),
                b64(
                    r#"{"iss":"https://oidc.emulator.test","sub":"emulator","aud":"sts.aliyuncs.com","iat":1700000000,"exp":4102444800}"#
                ),
                b64("emulator-signature"),
            );
            ids.insert("OIDCToken".to_owned(), token);
        }
        self.private_ca_ids(action, &mut ids);
        self.billing_ids(action, &mut ids);
        if matches!(
            action,
            "TagResources" | "UntagResources" | "ListTagResources" | "ListTagKeys"
        ) {
            // Certificates take tags in both CAS versions.
            ids.insert("ResourceType".to_owned(), "cert".to_owned());
            if let Some(cert) = self.certificates.first() {
                ids.insert("ResourceId".to_owned(), cert.certificate_id.to_string());
            }
            if action == "TagResources" {
                ids.insert("RegionId".to_owned(), "cn-hangzhou".to_owned());
            }
        }
        if action == "CreateRollbackTask" {
            // A job that ran, and its first worker.
            if let Some(job) = self.deployment_jobs.iter().find(|j| j.started_ms > 0) {
                ids.insert("JobId".to_owned(), job.job_id.to_string());
                ids.insert("WorkerId".to_owned(), (job.job_id * 100).to_string());
            }
        }
        let issued = self.applications.first();
        let in_progress = self.applications.last();
        let (order, instance) = match action {
            "CancelCertificateForPackageRequest" => (in_progress, None),
            "RevokeCertificate" => (issued, issued),
            _ => (issued, None),
        };
        if let Some(application) = order {
            ids.insert("OrderId".to_owned(), application.order_id.to_string());
        }
        if let Some(application) = instance {
            ids.insert("InstanceId".to_owned(), application.instance_id.clone());
        }
        ids
    }

    /// The private CA resources an action of CAS 2020-06-30 works on.
    fn private_ca_ids(&self, action: &str, ids: &mut BTreeMap<String, String>) {
        let live = || self.private_certificates.iter().filter(|c| !c.deleted);
        let of_type = |t: &str| live().find(|c| c.certificate_type == t && c.status == "ISSUE");
        let root = of_type("ROOT");
        let sub = of_type("SUB_ROOT");
        // An end entity with its key, not revoked; and a revoked one.
        let good = live().find(|c| {
            matches!(c.certificate_type.as_str(), "CLIENT" | "SERVER")
                && c.status == "ISSUE"
                && !c.private_key.is_empty()
        });
        let revoked = live().find(|c| c.certificate_type == "CLIENT" && c.status == "REVOKE");
        let parent = if action == "CreateSubCACertificate" {
            root
        } else {
            sub
        };
        if let Some(parent) = parent {
            ids.insert("ParentIdentifier".to_owned(), parent.identifier.clone());
        }
        if action == "UpdateCACertificateStatus" {
            ids.insert("Status".to_owned(), "REVOKE".to_owned());
        }
        let identifier = match action {
            "DescribeCACertificate"
            | "UpdateCACertificateStatus"
            | "ListCACertificateLog"
            | "GetCAInstanceStatus"
            | "DescribeCACertificateList" => sub,
            "DeleteClientCertificate" => revoked,
            _ => good,
        };
        if let Some(cert) = identifier {
            ids.insert("Identifier".to_owned(), cert.identifier.clone());
        }
        if let Some(cert) = good {
            ids.insert("SerialNumber".to_owned(), cert.serial_number.clone());
        }
    }

    /// The budgets and cost centres an action of BssOpenApi 2023-09-30 works on.
    fn billing_ids(&self, action: &str, ids: &mut BTreeMap<String, String>) {
        if let Some(budget) = self.budgets.first() {
            match action {
                // A new budget keeps the name it is given.
                "CreateBudget" => {}
                "UpdateBudget" => {
                    ids.insert("OriginalBudgetName".to_owned(), budget.budget_name.clone());
                }
                _ => {
                    ids.insert("BudgetName".to_owned(), budget.budget_name.clone());
                }
            }
        }
        let with_rule = |has: bool| {
            self.cost_centers.iter().find(|c| {
                has == self
                    .cost_center_rules
                    .iter()
                    .any(|r| r.cost_center_id == c.cost_center_id)
            })
        };
        let leaf = self.cost_centers.iter().rev().find(|c| {
            !self
                .cost_centers
                .iter()
                .any(|x| x.parent_cost_center_id == c.cost_center_id)
        });
        let center = match action {
            "CreateCostCenterRule" => with_rule(false),
            "DeleteCostCenter" => leaf,
            _ => with_rule(true),
        };
        if let Some(center) = center {
            ids.insert("CostCenterId".to_owned(), center.cost_center_id.to_string());
            ids.insert(
                "OwnerAccountId".to_owned(),
                center.owner_account_id.to_string(),
            );
        }
    }

    /// The data set as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Every field is a string, a number, a bool or a list of them: serialization cannot
        // fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
