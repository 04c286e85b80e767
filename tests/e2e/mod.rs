//! The harness shared by the `e2e_*` test targets (`e2e_catalog` has its own): the generated
//! clients (CAS 2020-04-07 and 2018-07-13, BssOpenApi 2017-12-14, STS 2015-04-01) against the
//! in-process emulator (`alibabacloud-emulator`), which checks every signature, validates
//! every parameter against the catalog and answers from a seeded data set.
//!
//! Each test starts its own emulator on 127.0.0.1 with `DataSet::seeded_at(t)` and keeps a
//! copy of that data set, so expected values are read from the data, not restated. Each test
//! runs under a hard time limit ([`bounded`]) and every client has 5 s timeouts.
//!
//! The emulator's request log (`requests()`) records action, version, nonce, signature
//! version, key, status, code and injected fault, but not the parameters; that the emulator
//! read the page parameters is shown by what it echoes (`CurrentPage`/`ShowSize`,
//! `Data.PageNum`/`Data.PageSize`) and by the rows it served (the `StartIndex` offset).

#![allow(dead_code)] // each e2e_* target uses a different part of this module

use std::collections::HashSet;
use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::signing;
use alibabacloud_core::{Config, ConfigBuilder, Error, SignatureVersion};
use alibabacloud_emulator::data::{BillingOrder, Certificate, CertificateOrder};
use alibabacloud_emulator::{
    DEFAULT_ACCOUNT_ID, DataSet, Emulator, EmulatorBuilder, RecordedRequest, RunningEmulator,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Both signature versions, for every matrix below.
pub const VERSIONS: [SignatureVersion; 2] = [SignatureVersion::V1, SignatureVersion::V3];
/// Connect and read timeout of every client and raw request.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// The hard limit of one test.
pub const TEST_LIMIT: Duration = Duration::from_secs(30);
pub const HOUR: Duration = Duration::from_secs(3600);
pub const DAY: Duration = Duration::from_secs(86_400);

pub const CAS2020: &str = "2020-04-07";
pub const CAS2018: &str = "2018-07-13";
pub const BSS: &str = "2017-12-14";
pub const STS: &str = "2015-04-01";

/// Runs one test body, failing it if it takes longer than `limit`.
pub async fn bounded<T>(limit: Duration, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, test)
        .await
        .unwrap_or_else(|_| panic!("the test did not finish within {limit:?}"))
}

/// One running emulator and the data set it serves.
pub struct Fixture {
    pub emulator: RunningEmulator,
    pub data: DataSet,
    /// The instant the data set was generated for (`DataSet::seeded_at`).
    pub now: SystemTime,
}

impl Fixture {
    pub async fn start() -> Self {
        Self::with(Emulator::builder()).await
    }

    pub async fn with(builder: EmulatorBuilder) -> Self {
        Self::with_data(builder, |_, _| {}).await
    }

    /// The seeded data set, changed by `edit` (given the data and its `now`) before the
    /// emulator starts.
    pub async fn with_data(
        builder: EmulatorBuilder,
        edit: impl FnOnce(&mut DataSet, SystemTime),
    ) -> Self {
        let now = SystemTime::now();
        let mut data = DataSet::seeded_at(now);
        edit(&mut data, now);
        let emulator = builder
            .data(data.clone())
            .start()
            .await
            .expect("the emulator starts");
        Self {
            emulator,
            data,
            now,
        }
    }

    /// A client config for the emulator: its endpoint and key, 5 s timeouts, the default
    /// retry policy and the product's default signature.
    pub fn config(&self) -> ConfigBuilder {
        Config::builder()
            .endpoint(self.emulator.endpoint())
            .credentials(self.emulator.credentials())
            .connect_timeout(CALL_TIMEOUT)
            .read_timeout(CALL_TIMEOUT)
    }

    pub fn mark(&self) -> usize {
        self.emulator.requests().len()
    }

    /// The requests received since `mark`.
    pub fn since(&self, mark: usize) -> Vec<RecordedRequest> {
        self.emulator.requests().split_off(mark)
    }

    /// Certificate orders of one source (`cpack`/`buy`), newest first, as served.
    pub fn orders(&self, source: &str) -> Vec<&CertificateOrder> {
        let mut orders: Vec<_> = self
            .data
            .certificate_orders
            .iter()
            .filter(|o| o.source_type == source)
            .collect();
        orders.sort_by_key(|o| std::cmp::Reverse(o.buy_date));
        orders
    }

    /// Certificates (uploaded ones only if `upload_only`) whose status is one of
    /// `statuses`, newest first, as served.
    pub fn certificates(&self, upload_only: bool, statuses: &[&str]) -> Vec<&Certificate> {
        let mut certs: Vec<_> = self
            .data
            .certificates
            .iter()
            .filter(|c| !upload_only || c.upload)
            .filter(|c| statuses.contains(&cert_status(c, self.now)))
            .collect();
        certs.sort_by_key(|c| std::cmp::Reverse(c.certificate_id));
        certs
    }

    /// Billing orders created from `start` until the data set's `now`
    /// (`YYYY-MM-DDTHH:MM:SSZ` orders like time), newest first, as served.
    pub fn billing_since(&self, start: &str) -> Vec<&BillingOrder> {
        let end = iso(self.now);
        let mut orders: Vec<_> = self
            .data
            .billing_orders
            .iter()
            .filter(|o| o.create_time.as_str() >= start && o.create_time <= end)
            .collect();
        orders.sort_by(|a, b| b.create_time.cmp(&a.create_time));
        orders
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the wire format of every time here.
pub fn iso(t: SystemTime) -> String {
    signing::timestamp(t)
}

pub fn parse_iso(text: &str) -> SystemTime {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let t = time::PrimitiveDateTime::parse(text, format)
        .unwrap_or_else(|e| panic!("{text:?} is not a wire time: {e}"))
        .assume_utc();
    UNIX_EPOCH + Duration::from_secs(u64::try_from(t.unix_timestamp()).expect("after 1970"))
}

/// A certificate's status at `now` as the emulator documents it: EXPIRED after its end
/// date, WILLEXPIRED within 30 days of it, ISSUED before. (`YYYY-MM-DD` orders like time.)
fn cert_status(cert: &Certificate, now: SystemTime) -> &'static str {
    let today = &iso(now)[..10];
    let in_30_days = &iso(now + 30 * DAY)[..10];
    if cert.end_date.as_str() < today {
        "EXPIRED"
    } else if cert.end_date.as_str() <= in_30_days {
        "WILLEXPIRED"
    } else {
        "ISSUED"
    }
}

/// The wire text of an optional generated enum (or any displayable value).
pub fn text<T: Display>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// An unsigned JWT with these claims (the emulator reads the claims, not the signature).
pub fn jwt(claims: &Value) -> String {
    let part = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        part(br#"{"alg":"RS256","typ":"JWT"}"#),
        part(claims.to_string().as_bytes()),
        part(b"signature-not-checked")
    )
}

pub fn role_arn(name: &str) -> String {
    format!("acs:ram::{DEFAULT_ACCOUNT_ID}:role/{name}")
}

pub fn oidc_provider_arn() -> String {
    format!("acs:ram::{DEFAULT_ACCOUNT_ID}:oidc-provider/e2e-idp")
}

/// Every nonce in `log` is present and none repeats.
pub fn assert_distinct_nonces(log: &[RecordedRequest]) {
    let nonces: HashSet<_> = log
        .iter()
        .map(|r| {
            r.nonce
                .clone()
                .expect("every signed request carries a nonce")
        })
        .collect();
    assert_eq!(nonces.len(), log.len(), "a nonce was reused: {log:#?}");
}

/// The billing-order fields of a QueryOrders / DescribeOrderList row (two generated types
/// with the same fields), in a fixed order.
#[allow(unused_macros)] // used by e2e_billing and e2e_data_operations only; dead_code skips macros
macro_rules! billing_row {
    ($row:expr) => {{
        let row = $row;
        [
            row.order_id.clone().unwrap_or_default(),
            row.related_order_id.clone().unwrap_or_default(),
            row.product_code.clone().unwrap_or_default(),
            row.product_type.clone().unwrap_or_default(),
            row.commodity_code.clone().unwrap_or_default(),
            $crate::e2e::text(&row.subscription_type),
            $crate::e2e::text(&row.order_type),
            $crate::e2e::text(&row.payment_status),
            row.create_time.clone().unwrap_or_default(),
            row.payment_time.clone().unwrap_or_default(),
            row.currency.clone().unwrap_or_default(),
            row.payment_currency.clone().unwrap_or_default(),
            row.pretax_gross_amount
                .map(|amount| amount.to_string())
                .unwrap_or_default(),
            row.pretax_amount
                .map(|amount| amount.to_string())
                .unwrap_or_default(),
            row.pretax_amount_local
                .map(|amount| amount.to_string())
                .unwrap_or_default(),
            row.tax.map(|amount| amount.to_string()).unwrap_or_default(),
            row.after_tax_amount
                .map(|amount| amount.to_string())
                .unwrap_or_default(),
        ]
    }};
}
#[allow(unused_imports)] // likewise, the re-export is unused in the other targets
pub(crate) use billing_row;

pub fn billing_data_row(o: &BillingOrder) -> [String; 17] {
    [
        o.order_id.clone(),
        o.related_order_id.clone(),
        o.product_code.clone(),
        o.product_type.clone(),
        o.commodity_code.clone(),
        o.subscription_type.clone(),
        o.order_type.clone(),
        o.payment_status.clone(),
        o.create_time.clone(),
        o.payment_time.clone(),
        o.currency.clone(),
        o.payment_currency.clone(),
        o.pretax_gross_amount.clone(),
        o.pretax_amount.clone(),
        o.pretax_amount_local.clone(),
        o.tax.clone(),
        o.after_tax_amount.clone(),
    ]
}

/// Every field of a CPACK/BUY row against the order it came from.
pub fn assert_order_row(
    row: &cas2020::list_user_certificate_order::CertificateOrder,
    want: &CertificateOrder,
) {
    let context = &want.instance_id;
    assert_eq!(row.order_id, Some(want.order_id), "{context}");
    assert_eq!(row.aliyun_order_id, Some(want.aliyun_order_id), "{context}");
    assert_eq!(row.instance_id.as_deref(), Some(want.instance_id.as_str()));
    assert_eq!(text(&row.source_type), want.source_type, "{context}");
    assert_eq!(text(&row.status), want.status, "{context}");
    assert_eq!(text(&row.cert_type), want.cert_type, "{context}");
    assert_eq!(
        row.algorithm.as_deref(),
        Some(want.algorithm.as_str()),
        "{context}"
    );
    assert_eq!(
        row.domain.as_deref(),
        Some(want.domain.as_str()),
        "{context}"
    );
    assert_eq!(row.domain_count, Some(want.domain_count), "{context}");
    assert_eq!(
        row.wild_domain_count,
        Some(want.wild_domain_count),
        "{context}"
    );
    assert_eq!(text(&row.domain_type), want.domain_type, "{context}");
    assert_eq!(row.buy_date.map(|t| t.0), Some(want.buy_date), "{context}");
    assert_eq!(
        row.cert_start_time.map(|t| t.0),
        want.cert_start_time,
        "{context}"
    );
    assert_eq!(
        row.cert_end_time.map(|t| t.0),
        want.cert_end_time,
        "{context}"
    );
    assert_eq!(
        row.partner_order_id.as_deref(),
        Some(want.partner_order_id.as_str())
    );
    assert_eq!(
        row.product_code.as_deref(),
        Some(want.product_code.as_str())
    );
    assert_eq!(
        row.product_name.as_deref(),
        Some(want.product_name.as_str())
    );
    assert_eq!(text(&row.root_brand), want.root_brand, "{context}");
    assert_eq!(text(&row.trustee_status), want.trustee_status, "{context}");
    assert_eq!(
        row.certificate_id, None,
        "order rows carry no certificate fields"
    );
}

/// Awaits a call that must fail with a service error `code` / `status`, and checks that the
/// emulator saw exactly one attempt (these codes are not retried) and recorded that code.
pub async fn expect_error<T: std::fmt::Debug>(
    fx: &Fixture,
    call: impl Future<Output = Result<T, Error>>,
    code: &str,
    status: u16,
) -> Error {
    let mark = fx.mark();
    let error = call.await.expect_err(code);
    assert_eq!(error.kind(), ErrorKind::Service, "{error:?}");
    assert_eq!(error.code(), Some(code), "{error}");
    assert_eq!(error.http_status(), Some(status), "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert!(
        error.request_id().is_some_and(|id| id.len() == 36),
        "{error:?}"
    );
    let recommend = error.recommend().unwrap_or_default();
    assert!(recommend.contains(&format!("q={code}&")), "{recommend}");
    let log = fx.since(mark);
    assert_eq!(log.len(), 1, "{code}: one attempt, not retried: {log:#?}");
    assert_eq!(
        (log[0].status, log[0].code.as_deref()),
        (status, Some(code))
    );
    error
}
