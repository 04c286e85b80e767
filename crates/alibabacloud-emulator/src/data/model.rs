//! The rows of the data set: every type [`super::DataSet`] is made of, in its JSON form
//! (the fixture and state-file format).

use serde::{Deserialize, Serialize};

/// The account (UID) of the seeded data set and of the emulator's keys.
pub const DEFAULT_ACCOUNT_ID: &str = "1234567890123456";

/// Everything the emulator answers from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DataSet {
    /// The account (UID) that owns the data and the emulator's access key; `OwnerId` of
    /// QueryOrders must match it.
    #[serde(default = "default_account_id")]
    pub account_id: String,
    /// ListUserCertificateOrder rows for `OrderType` CPACK and BUY.
    #[serde(default)]
    pub certificate_orders: Vec<CertificateOrder>,
    /// ListUserCertificateOrder rows for `OrderType` CERT and UPLOAD.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// DescribeOrderInstanceList rows; DV ones carry what DescribeDVOrderResult answers.
    #[serde(default)]
    pub order_instances: Vec<OrderInstance>,
    /// ListDeploymentJobCert: each job and its certificates.
    #[serde(default)]
    pub deployment_jobs: Vec<DeploymentJob>,
    /// QueryOrders / DescribeOrderList rows.
    #[serde(default)]
    pub billing_orders: Vec<BillingOrder>,
    /// Cloud resources that certificates deploy to (ListCloudResources).
    #[serde(default)]
    pub cloud_resources: Vec<CloudResource>,
    /// Certificate signing requests (ListCsr).
    #[serde(default)]
    pub csrs: Vec<Csr>,
    /// Certificate applications (DescribeCertificateState).
    #[serde(default)]
    pub applications: Vec<Application>,
    /// Certificate packages: the quota of each product (DescribePackageState).
    #[serde(default)]
    pub packages: Vec<Package>,
    /// The billing ledger: every bill, instance bill and the balance come from it.
    #[serde(default)]
    pub ledger: Ledger,
    /// Private CA certificates (CAS 2020-06-30): root and subordinate CAs and the server
    /// and client certificates they issued.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_certificates: Vec<PrivateCertificate>,
    /// Budgets (BssOpenApi 2023-09-30).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<Budget>,
    /// Cost centres (BssOpenApi 2023-09-30).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_centers: Vec<CostCenter>,
    /// The rule of each cost centre that has one (BssOpenApi 2023-09-30).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_center_rules: Vec<CostCenterRule>,
}

/// A tag on a resource (TagResources, and the `Tags` of the operations that create one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value (may be empty).
    #[serde(default)]
    pub value: String,
}

/// A certificate of the private CA service (CAS 2020-06-30): a root CA, a subordinate CA,
/// or a server or client certificate one of them issued. Every one is a real X.509
/// certificate whose chain ends at its root; `PrivateKey` is its key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PrivateCertificate {
    /// The identifier (32 lower-case hex digits).
    pub identifier: String,
    /// A numeric ID (`Id` of the lists).
    pub id: i64,
    /// `ROOT`, `SUB_ROOT`, `SERVER` or `CLIENT`.
    pub certificate_type: String,
    /// The issuer's identifier (empty for a root).
    #[serde(default)]
    pub parent_identifier: String,
    /// Subject common name.
    pub common_name: String,
    /// Subject organization.
    #[serde(default)]
    pub organization: String,
    /// Subject organizational unit.
    #[serde(default)]
    pub organization_unit: String,
    /// Subject locality.
    #[serde(default)]
    pub locality: String,
    /// Subject state or province.
    #[serde(default)]
    pub state: String,
    /// Subject country code.
    #[serde(default)]
    pub country_code: String,
    /// Subject alternative names, comma separated.
    #[serde(default)]
    pub sans: String,
    /// `RSA` or `ECC`.
    pub algorithm: String,
    /// Key size in bits.
    pub key_size: i64,
    /// Signature algorithm, e.g. `SHA256WITHECDSA`.
    pub sign_algorithm: String,
    /// Serial number, lower-case hex.
    pub serial_number: String,
    /// MD5 of the DER, upper-case hex.
    pub md5: String,
    /// SHA-256 of the DER, upper-case hex.
    pub sha2: String,
    /// Validity start, epoch milliseconds.
    pub before_ms: i64,
    /// Validity end, epoch milliseconds.
    pub after_ms: i64,
    /// The certificate, PEM.
    pub certificate: String,
    /// The issuers' certificates up to the root, PEM (empty for a root).
    #[serde(default)]
    pub chain: String,
    /// Its private key, PKCS #8 PEM (empty when the caller kept it: certificates made from
    /// a CSR).
    #[serde(default)]
    pub private_key: String,
    /// `ISSUE` or `REVOKE`.
    pub status: String,
    /// CAs only: `issue`, `forbidden` (disabled: issues nothing) or `revoke`.
    #[serde(default)]
    pub ca_status: String,
    /// When it was revoked, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_ms: Option<i64>,
    /// Deleted (DeleteClientCertificate, revoked ones only): gone from every list but the
    /// revocation list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// CAs only: how many certificates it may issue.
    #[serde(default)]
    pub cert_total_count: i64,
    /// Alias (end-entity certificates).
    #[serde(default)]
    pub alias_name: String,
    /// The caller's identifier of it, if given.
    #[serde(default)]
    pub custom_identifier: String,
    /// Resource group.
    #[serde(default)]
    pub resource_group_id: String,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// When it was made, epoch milliseconds.
    pub created_ms: i64,
}

/// A budget (BssOpenApi 2023-09-30). The structured parts are kept as the JSON the caller
/// sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Budget {
    /// The name, unique.
    pub budget_name: String,
    /// e.g. `CONSUME`.
    pub budget_type: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// e.g. `MONTHLY`.
    pub cycle_type: String,
    /// First period, `YYYY-MM`.
    pub cycle_start_period: String,
    /// Last period, `YYYY-MM`.
    pub cycle_end_period: String,
    /// e.g. `REQUIRE_AMOUNT`.
    pub metric: String,
    /// The amount, decimal text.
    #[serde(default)]
    pub quota: String,
    /// `FIXED` or per cycle.
    pub quota_type: String,
    /// The quota of each period (`CyclePeriod`, `Quota`).
    #[serde(default)]
    pub cycle_quota: serde_json::Value,
    /// What it counts (`Code`, `SelectType`, `Values`).
    #[serde(default)]
    pub query_filter: serde_json::Value,
    /// Its alerts.
    #[serde(default)]
    pub warn_confs: serde_json::Value,
    /// The accounts it covers (`EcId`, `AccountIds`).
    #[serde(default)]
    pub ec_id_account_ids: serde_json::Value,
    /// When it was made, epoch milliseconds.
    pub created_ms: i64,
}

/// A cost centre (BssOpenApi 2023-09-30).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CostCenter {
    /// Its ID.
    pub cost_center_id: i64,
    /// Its name.
    pub cost_center_name: String,
    /// The account it belongs to.
    pub owner_account_id: i64,
    /// Its parent, `-1` at the top.
    pub parent_cost_center_id: i64,
    /// When it was made, epoch milliseconds.
    pub created_ms: i64,
}

/// The rule of a cost centre: which costs it collects (BssOpenApi 2023-09-30).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CostCenterRule {
    /// The rule's ID.
    pub id: i64,
    /// Its cost centre.
    pub cost_center_id: i64,
    /// The cost centre's account.
    pub owner_account_id: i64,
    /// The filter, as the caller sent it (`ExpressionType`, `FilterValues`, ...).
    pub filter_expression: serde_json::Value,
    /// When it was made, epoch milliseconds.
    pub created_ms: i64,
    /// When it was last changed, epoch milliseconds.
    pub modified_ms: i64,
}

/// The billing ledger: a deposit, and what each instance cost in each billing cycle.
///
/// Amounts are whole cents, so that every sum is exact: an account's balance is its
/// deposit less what it paid; a product's overview is the sum of its instances' bills; an
/// instance's monthly bill is the sum of its daily ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Ledger {
    /// Money paid in, cents.
    #[serde(default)]
    pub deposit_cents: i64,
    /// Currency of every amount, e.g. `CNY`.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The billed instances.
    #[serde(default)]
    pub instances: Vec<BilledInstance>,
}

fn default_currency() -> String {
    "CNY".to_owned()
}

/// One instance and its charges per billing cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BilledInstance {
    /// Instance id (`InstanceID`).
    pub instance_id: String,
    /// Product code, e.g. `ecs`.
    pub product_code: String,
    /// Product name.
    pub product_name: String,
    /// `Subscription` or `PayAsYouGo`.
    pub subscription_type: String,
    /// Region.
    pub region: String,
    /// `(billing cycle YYYY-MM, list price in cents, discount in cents)` per cycle billed.
    pub charges: Vec<(String, i64, i64)>,
}

fn default_account_id() -> String {
    DEFAULT_ACCOUNT_ID.to_owned()
}

impl Default for DataSet {
    fn default() -> Self {
        Self {
            account_id: default_account_id(),
            certificate_orders: Vec::new(),
            certificates: Vec::new(),
            order_instances: Vec::new(),
            deployment_jobs: Vec::new(),
            billing_orders: Vec::new(),
            cloud_resources: Vec::new(),
            csrs: Vec::new(),
            applications: Vec::new(),
            packages: Vec::new(),
            ledger: Ledger::default(),
            private_certificates: Vec::new(),
            budgets: Vec::new(),
            cost_centers: Vec::new(),
            cost_center_rules: Vec::new(),
        }
    }
}

/// A certificate order (a ListUserCertificateOrder row for CPACK or BUY).
///
/// `Status` is stored: PAYED, CHECKING, CHECKED_FAIL, ISSUED, WILLEXPIRED, EXPIRED,
/// NOTACTIVATED or REVOKED.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CertificateOrder {
    /// Order id.
    pub order_id: i64,
    /// Alibaba Cloud order id.
    pub aliyun_order_id: i64,
    /// Resource id (`cas-cn-...`).
    pub instance_id: String,
    /// `cpack` (virtual resource order) or `buy` (purchase order).
    pub source_type: String,
    /// Order status.
    pub status: String,
    /// DV, OV, EV or FREE.
    pub cert_type: String,
    /// RSA, ECC or SM2.
    pub algorithm: String,
    /// Bound domain (empty before application).
    pub domain: String,
    /// Domains the certificate may bind.
    pub domain_count: i64,
    /// Wildcard domains the certificate may bind.
    pub wild_domain_count: i64,
    /// ONE, MULTIPLE, WILDCARD, M_WILDCARD or MIX.
    pub domain_type: String,
    /// When the order was placed, epoch milliseconds.
    pub buy_date: i64,
    /// Certificate validity start, epoch milliseconds (issued orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_start_time: Option<i64>,
    /// Certificate validity end, epoch milliseconds (issued orders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_end_time: Option<i64>,
    /// The CA's order id.
    pub partner_order_id: String,
    /// Specification id.
    pub product_code: String,
    /// Specification name.
    pub product_name: String,
    /// Certificate brand (WoSign, CFCA, DigiCert, vTrus, ...).
    pub root_brand: String,
    /// `unTrustee` or `trustee`.
    pub trustee_status: String,
    /// Resource group (filter only; not part of the order rows on the wire).
    #[serde(default)]
    pub resource_group_id: String,
}

/// A certificate (a ListUserCertificateOrder row for CERT or UPLOAD).
///
/// Its status is not stored but follows from `EndDate` and the emulator's clock: expired
/// after `EndDate`, about to expire (WILLEXPIRED) within 30 days of it, issued before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Certificate {
    /// Certificate id.
    pub certificate_id: i64,
    /// Resource id.
    pub instance_id: String,
    /// Certificate name.
    pub name: String,
    /// Common name.
    pub common_name: String,
    /// Every bound domain, comma separated.
    pub sans: String,
    /// SHA-1 fingerprint, upper-case hex.
    pub fingerprint: String,
    /// SHA-256 fingerprint, upper-case hex.
    pub sha2: String,
    /// Serial number, lower-case hex.
    pub serial_no: String,
    /// Issuer.
    pub issuer: String,
    /// Organization.
    pub org_name: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// Country code.
    pub country: String,
    /// Whether it was uploaded (else issued through the service).
    pub upload: bool,
    /// Validity start, `YYYY-MM-DD`.
    pub start_date: String,
    /// Validity end, `YYYY-MM-DD`.
    pub end_date: String,
    /// Resource group.
    #[serde(default)]
    pub resource_group_id: String,
    /// The certificate in PEM, for uploaded ones (empty when the data set has none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cert: String,
    /// Its private key in PEM (empty when the data set has none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// The key algorithm, `RSA`, `ECC` or `SM2` (empty when unknown).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub algorithm: String,
    /// Revoked (RevokeCertificate): no longer among the valid certificates.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
    /// Tags (TagResources, `Tags` of the upload).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// The accounts it was shared with (ShareCertificate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<i64>,
}

/// A certificate signing request, made by the emulator (CreateCsr) or uploaded
/// (UploadCsr).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Csr {
    /// CSR id.
    pub csr_id: i64,
    /// Name.
    pub name: String,
    /// Common name.
    pub common_name: String,
    /// Subject alternative names, comma-separated.
    pub sans: String,
    /// `RSA` or `ECC`.
    pub algorithm: String,
    /// Key size in bits.
    pub key_size: i64,
    /// Organization.
    #[serde(default)]
    pub corp_name: String,
    /// Organizational unit.
    #[serde(default)]
    pub department: String,
    /// Country code.
    #[serde(default)]
    pub country_code: String,
    /// Province.
    #[serde(default)]
    pub province: String,
    /// Locality.
    #[serde(default)]
    pub locality: String,
    /// The CSR, PEM.
    pub csr: String,
    /// Its private key, PEM (empty when the emulator does not have it).
    #[serde(default)]
    pub private_key: String,
}

/// A certificate application (an order for a certificate of one domain).
///
/// It moves by itself, one lifecycle step each from `CreatedMs`: `domain_verify`, then
/// `process`, then `certificate`, when the certificate is issued by the emulator's CA and
/// stored with the certificates. A domain under `.invalid` never verifies (`verify_fail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Application {
    /// Order id.
    pub order_id: i64,
    /// Instance id (`cas-ivauto-...`), which RevokeCertificate names.
    pub instance_id: String,
    /// The domain; the certificate's common name.
    pub domain: String,
    /// Product code (the package its quota comes from).
    pub product_code: String,
    /// `DNS` or `FILE`.
    pub validate_type: String,
    /// When it was applied for, epoch milliseconds.
    pub created_ms: i64,
    /// The CSR, PEM.
    pub csr: String,
    /// Its private key, PEM (empty when the user kept it).
    #[serde(default)]
    pub private_key: String,
    /// The issued certificate ([`Certificate::certificate_id`]), once issued.
    #[serde(default)]
    pub cert_id: Option<i64>,
}

/// A certificate package: how many certificates of a product the account may apply for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Package {
    /// Product code, e.g. `digicert-free-1-free`.
    pub product_code: String,
    /// Certificates the package holds.
    pub total_count: i64,
}

/// An SSL Certificates Service instance (a DescribeOrderInstanceList row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OrderInstance {
    /// Row id.
    pub id: i64,
    /// Instance id (`cas-cn-...`).
    pub instance_id: String,
    /// BUY, CDN, OSS, EWS or DOMAIN.
    pub source: String,
    /// PAYED, CHECKING, Verifying, CHECKED_FAIL, Pending Verification, Pending Verification
    /// for Revocation, Verifying Revocation or Issued.
    pub status: String,
    /// OV, EV, DV or FREE.
    pub cert_type: String,
    /// The DV order behind the instance (DescribeDVOrderResult), if it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dv: Option<DvOrder>,
}

/// A domain validated order (DescribeDVOrderResult).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DvOrder {
    /// The domain being validated.
    pub domain: String,
    /// `checking`, `issued` or `checked_fail`.
    pub order_status: String,
    /// `DNS` or `FILE`.
    pub check_type: String,
    /// DNS record name or file path of the validation.
    pub check_name: String,
    /// Expected record value or file content.
    pub check_value: String,
    /// The issued certificate (PEM), once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Its private key (PEM), once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
}

/// A deployment task: its certificates (ListDeploymentJobCert), its resources and where it
/// is in its lifecycle.
///
/// `Status` is stored as `editing` or `pending`; from the moment it was started
/// (`StartedMs`, by UpdateDeploymentJobStatus) it moves on by itself, one lifecycle step
/// each: `scheduling`, `processing`, then `success`, or `error` when a worker failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeploymentJob {
    /// Task id (`JobId`).
    pub job_id: i64,
    /// Task name.
    pub name: String,
    /// Its certificates, as answered.
    pub certs: Vec<DeploymentJobCert>,
    /// `user` or `cloud`.
    #[serde(default = "default_job_type")]
    pub job_type: String,
    /// `editing` or `pending` (then moving on by itself from `started_ms`).
    #[serde(default = "default_job_status")]
    pub status: String,
    /// When it was started, epoch milliseconds (0: never).
    #[serde(default)]
    pub started_ms: i64,
    /// When it was created, epoch milliseconds.
    #[serde(default)]
    pub created_ms: i64,
    /// When it was last changed, epoch milliseconds.
    #[serde(default)]
    pub modified_ms: i64,
    /// The resources it deploys to ([`CloudResource::id`]).
    #[serde(default)]
    pub resource_ids: Vec<i64>,
    /// The contacts told about it.
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    /// When it is scheduled to run, epoch milliseconds (0: at once).
    #[serde(default)]
    pub schedule_time: i64,
    /// The workers rolled back (CreateRollbackTask): their resources went back to the
    /// certificate they served before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rolled_back_workers: Vec<i64>,
}

fn default_job_type() -> String {
    "user".to_owned()
}

fn default_job_status() -> String {
    "editing".to_owned()
}

/// A cloud resource that takes certificates (a ListCloudResources row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CloudResource {
    /// Resource id.
    pub id: i64,
    /// `aliyun`, `Tencent`, `Huawei` or `Aws`.
    pub cloud_name: String,
    /// `SLB`, `CDN`, `ALB`, ...
    pub cloud_product: String,
    /// Region.
    pub cloud_region: String,
    /// The product's own instance id.
    pub instance_id: String,
    /// The domain it serves; a certificate deployed to it must cover it.
    pub domain: String,
    /// Listener, for load balancers (empty otherwise).
    #[serde(default)]
    pub listener_id: String,
    /// Listener port, for load balancers (empty otherwise).
    #[serde(default)]
    pub listener_port: String,
    /// The certificate it serves now, if any.
    #[serde(default)]
    pub cert_id: Option<i64>,
}

/// One certificate of a deployment task, in the wire shape of ListDeploymentJobCert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeploymentJobCert {
    /// Certificate id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_id: Option<i64>,
    /// Order id (only when there is no `CertId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<i64>,
    /// Certificate instance id.
    pub cert_instance_id: String,
    /// Certificate name.
    pub cert_name: String,
    /// Common name.
    pub common_name: String,
    /// Subject alternative names.
    pub sans: Vec<String>,
    /// Public key algorithm.
    pub algorithm: String,
    /// Validity start, epoch milliseconds.
    pub not_before_time: i64,
    /// Validity end, epoch milliseconds.
    pub not_after_time: i64,
    /// Months applied for.
    pub month: i32,
    /// issued, upload, willExpired, expired, trustee, ...
    pub status_code: String,
    /// DV, OV, EV, ...
    pub cert_type: String,
    /// upload, buy or free.
    pub cert_order_type: String,
    /// Whether it is hosted.
    pub is_trustee: bool,
}

/// A billing order (QueryOrders / DescribeOrderList), every field text as on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BillingOrder {
    /// Order id (digits).
    pub order_id: String,
    /// Related order id, empty if none.
    pub related_order_id: String,
    /// Product code (`ecs`, `rds`, `cas`, ...).
    pub product_code: String,
    /// Product type, often empty.
    pub product_type: String,
    /// Commodity code.
    pub commodity_code: String,
    /// `Subscription` or `PayAsYouGo`.
    pub subscription_type: String,
    /// New, Renew, Upgrade, ..., Refund.
    pub order_type: String,
    /// Unpaid, Paid, Cancelled (empty for refunds).
    pub payment_status: String,
    /// Creation time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub create_time: String,
    /// Payment time, `YYYY-MM-DDTHH:MM:SSZ` or empty.
    pub payment_time: String,
    /// Currency (`CNY`).
    pub currency: String,
    /// Payment currency.
    pub payment_currency: String,
    /// Original amount.
    pub pretax_gross_amount: String,
    /// Pre-tax amount.
    pub pretax_amount: String,
    /// Pre-tax amount in local currency.
    pub pretax_amount_local: String,
    /// Tax.
    pub tax: String,
    /// Amount after tax.
    pub after_tax_amount: String,
}

/// Why a fixture file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid data set.
    #[error("{path}: not a valid data set: {source}")]
    Json {
        /// The file (or `<string>`).
        path: String,
        /// The cause, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A value of the data set is out of its range (an ID above [`super::MAX_ID`], a time
    /// past the year 9999, ...).
    #[error("{path}: {field}: {message}")]
    Invalid {
        /// The file (or `<string>`).
        path: String,
        /// Where the value is, e.g. `Certificates[3].CertificateId`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}
