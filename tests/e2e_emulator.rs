//! End to end: the generated clients (CAS 2020-04-07 and 2018-07-13, BssOpenApi 2017-12-14,
//! STS 2015-04-01) against the in-process emulator (`alibabacloud-emulator`), which checks
//! every signature, validates every parameter against the catalog and answers from a seeded
//! data set.
//!
//! Each test starts its own emulator on 127.0.0.1 with `DataSet::seeded_at(t)` and keeps a
//! copy of that data set, so expected values are read from the data, not restated. Each test
//! runs under a hard time limit ([`bounded`]) and every client has 5 s timeouts.
//!
//! The emulator's request log (`requests()`) records action, version, nonce, signature
//! version, key, status, code and injected fault, but not the parameters; that the emulator
//! read the page parameters is shown by what it echoes (`CurrentPage`/`ShowSize`,
//! `Data.PageNum`/`Data.PageSize`) and by the rows it served (the `StartIndex` offset).

use std::collections::{BTreeSet, HashSet};
use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::error::ErrorKind;
use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Location, Style};
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_core::signing::{self, SigningInput, encode};
use alibabacloud_core::{
    CallOptions, Config, ConfigBuilder, Credentials, Error, Handle, Operation, Params, ServiceInfo,
    SignatureVersion,
};
use alibabacloud_emulator::data::{BillingOrder, Certificate, CertificateOrder};
use alibabacloud_emulator::{
    DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCOUNT_ID, DataSet, Emulator, EmulatorBuilder, Faults,
    InjectedFault, RecordedRequest, RunningEmulator,
};
use alibabacloud_sts_20150401 as sts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::TryStreamExt;
use futures::future::join_all;
use serde_json::{Value, json};

/// Both signature versions, for every matrix below.
const VERSIONS: [SignatureVersion; 2] = [SignatureVersion::V1, SignatureVersion::V3];
/// Connect and read timeout of every client and raw request.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// The hard limit of one test.
const TEST_LIMIT: Duration = Duration::from_secs(30);
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

const CAS2020: &str = "2020-04-07";
const CAS2018: &str = "2018-07-13";
const BSS: &str = "2017-12-14";
const STS: &str = "2015-04-01";

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// Runs one test body, failing it if it takes longer than `limit`.
async fn bounded<T>(limit: Duration, test: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, test)
        .await
        .unwrap_or_else(|_| panic!("the test did not finish within {limit:?}"))
}

/// One running emulator and the data set it serves.
struct Fixture {
    emulator: RunningEmulator,
    data: DataSet,
    /// The instant the data set was generated for (`DataSet::seeded_at`).
    now: SystemTime,
}

impl Fixture {
    async fn start() -> Self {
        Self::with(Emulator::builder()).await
    }

    async fn with(builder: EmulatorBuilder) -> Self {
        Self::with_data(builder, |_, _| {}).await
    }

    /// The seeded data set, changed by `edit` (given the data and its `now`) before the
    /// emulator starts.
    async fn with_data(
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
    fn config(&self) -> ConfigBuilder {
        Config::builder()
            .endpoint(self.emulator.endpoint())
            .credentials(self.emulator.credentials())
            .connect_timeout(CALL_TIMEOUT)
            .read_timeout(CALL_TIMEOUT)
    }

    fn mark(&self) -> usize {
        self.emulator.requests().len()
    }

    /// The requests received since `mark`.
    fn since(&self, mark: usize) -> Vec<RecordedRequest> {
        self.emulator.requests().split_off(mark)
    }

    /// Certificate orders of one source (`cpack`/`buy`), newest first, as served.
    fn orders(&self, source: &str) -> Vec<&CertificateOrder> {
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
    fn certificates(&self, upload_only: bool, statuses: &[&str]) -> Vec<&Certificate> {
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
    fn billing_since(&self, start: &str) -> Vec<&BillingOrder> {
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
fn iso(t: SystemTime) -> String {
    signing::timestamp(t)
}

fn parse_iso(text: &str) -> SystemTime {
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
fn text<T: Display>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// An unsigned JWT with these claims (the emulator reads the claims, not the signature).
fn jwt(claims: &Value) -> String {
    let part = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    format!(
        "{}.{}.{}",
        part(br#"{"alg":"RS256","typ":"JWT"}"#),
        part(claims.to_string().as_bytes()),
        part(b"signature-not-checked")
    )
}

fn role_arn(name: &str) -> String {
    format!("acs:ram::{DEFAULT_ACCOUNT_ID}:role/{name}")
}

fn oidc_provider_arn() -> String {
    format!("acs:ram::{DEFAULT_ACCOUNT_ID}:oidc-provider/e2e-idp")
}

/// Every nonce in `log` is present and none repeats.
fn assert_distinct_nonces(log: &[RecordedRequest]) {
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
macro_rules! billing_row {
    ($row:expr) => {{
        let row = $row;
        [
            row.order_id.clone().unwrap_or_default(),
            row.related_order_id.clone().unwrap_or_default(),
            row.product_code.clone().unwrap_or_default(),
            row.product_type.clone().unwrap_or_default(),
            row.commodity_code.clone().unwrap_or_default(),
            text(&row.subscription_type),
            text(&row.order_type),
            text(&row.payment_status),
            row.create_time.clone().unwrap_or_default(),
            row.payment_time.clone().unwrap_or_default(),
            row.currency.clone().unwrap_or_default(),
            row.payment_currency.clone().unwrap_or_default(),
            row.pretax_gross_amount.clone().unwrap_or_default(),
            row.pretax_amount.clone().unwrap_or_default(),
            row.pretax_amount_local.clone().unwrap_or_default(),
            row.tax.clone().unwrap_or_default(),
            row.after_tax_amount.clone().unwrap_or_default(),
        ]
    }};
}

fn billing_data_row(o: &BillingOrder) -> [String; 17] {
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
fn assert_order_row(
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

/// Page `page_num` of 20 of every billing order: the echoed total, page number and size,
/// and every field of every row.
fn assert_billing_page(
    fx: &Fixture,
    page_num: i32,
    (total, echoed_page, echoed_size): (Option<i32>, Option<i32>, Option<i32>),
    rows: Vec<[String; 17]>,
) {
    let expected = fx.billing_since(&iso(fx.now - 91 * DAY));
    assert_eq!(expected.len(), fx.data.billing_orders.len());
    assert_eq!(total, Some(expected.len() as i32));
    assert_eq!((echoed_page, echoed_size), (Some(page_num), Some(20)));
    let skip = (page_num as usize - 1) * 20;
    let want: Vec<_> = expected[skip..skip + 20]
        .iter()
        .map(|o| billing_data_row(o))
        .collect();
    assert_eq!(rows, want);
}

// ---------------------------------------------------------------------------------------
// 1. Every operation through its generated client, under V1 and V3
// ---------------------------------------------------------------------------------------

/// The operations of the catalog that the emulator answers from data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    ListUserCertificateOrder,
    ListDeploymentJobCert,
    DescribeOrderInstanceList,
    DescribeDvOrderResult,
    QueryOrders,
    DescribeOrderList,
    AssumeRole,
    AssumeRoleWithOidc,
}

impl Op {
    const ALL: [Op; 8] = [
        Op::ListUserCertificateOrder,
        Op::ListDeploymentJobCert,
        Op::DescribeOrderInstanceList,
        Op::DescribeDvOrderResult,
        Op::QueryOrders,
        Op::DescribeOrderList,
        Op::AssumeRole,
        Op::AssumeRoleWithOidc,
    ];

    fn action(self) -> &'static str {
        match self {
            Op::ListUserCertificateOrder => "ListUserCertificateOrder",
            Op::ListDeploymentJobCert => "ListDeploymentJobCert",
            Op::DescribeOrderInstanceList => "DescribeOrderInstanceList",
            Op::DescribeDvOrderResult => "DescribeDVOrderResult",
            Op::QueryOrders => "QueryOrders",
            Op::DescribeOrderList => "DescribeOrderList",
            Op::AssumeRole => "AssumeRole",
            Op::AssumeRoleWithOidc => "AssumeRoleWithOIDC",
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Op::ListUserCertificateOrder | Op::ListDeploymentJobCert => CAS2020,
            Op::DescribeOrderInstanceList | Op::DescribeDvOrderResult => CAS2018,
            Op::QueryOrders | Op::DescribeOrderList => BSS,
            Op::AssumeRole | Op::AssumeRoleWithOidc => STS,
        }
    }

    /// AssumeRoleWithOIDC is anonymous: sent unsigned whatever the configured version.
    fn signed(self) -> bool {
        self != Op::AssumeRoleWithOidc
    }
}

/// One client per product, all with the same signature version.
struct Clients {
    version: SignatureVersion,
    cas2020: cas2020::Client,
    cas2018: cas2018::Client,
    bss: bss::Client,
    sts: sts::Client,
    /// An STS client without any credentials, for the anonymous AssumeRoleWithOIDC.
    sts_anonymous: sts::Client,
}

impl Clients {
    fn new(fx: &Fixture, version: SignatureVersion) -> Self {
        let config = fx.config().signature_version(version).build();
        let anonymous = Config::builder()
            .endpoint(fx.emulator.endpoint())
            .signature_version(version)
            .connect_timeout(CALL_TIMEOUT)
            .read_timeout(CALL_TIMEOUT)
            .build();
        Self {
            version,
            cas2020: cas2020::Client::new(&config).unwrap(),
            cas2018: cas2018::Client::new(&config).unwrap(),
            bss: bss::Client::new(&config).unwrap(),
            sts: sts::Client::new(&config).unwrap(),
            sts_anonymous: sts::Client::new(&anonymous).unwrap(),
        }
    }
}

/// Calls `op` once (AssumeRole: twice, the second call with the issued key) and checks
/// the answer against the data set.
async fn exercise(op: Op, c: &Clients, fx: &Fixture) {
    let version = c.version;
    match op {
        Op::ListUserCertificateOrder => {
            let page = c
                .cas2020
                .list_user_certificate_order()
                .current_page(2)
                .show_size(10)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            let cpack = fx.orders("cpack");
            assert_eq!(page.total_count, Some(cpack.len() as i64));
            assert_eq!((page.current_page, page.show_size), (Some(2), Some(10)));
            assert_eq!(page.certificate_order_list.len(), 10);
            for (row, want) in page.certificate_order_list.iter().zip(&cpack[10..20]) {
                assert_order_row(row, want);
            }
        }
        Op::ListDeploymentJobCert => {
            let job = fx
                .data
                .deployment_jobs
                .iter()
                .find(|j| j.job_id == 8888)
                .unwrap();
            let got = c
                .cas2020
                .list_deployment_job_cert()
                .job_id(8888)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            assert_eq!(got.data.len(), job.certs.len());
            for (row, want) in got.data.iter().zip(&job.certs) {
                assert_eq!(row.cert_id, want.cert_id);
                assert_eq!(row.order_id, want.order_id);
                assert_eq!(
                    row.cert_instance_id.as_deref(),
                    Some(want.cert_instance_id.as_str())
                );
                assert_eq!(row.cert_name.as_deref(), Some(want.cert_name.as_str()));
                assert_eq!(row.common_name.as_deref(), Some(want.common_name.as_str()));
                assert_eq!(row.sans, want.sans);
                assert_eq!(row.algorithm.as_deref(), Some(want.algorithm.as_str()));
                assert_eq!(row.not_before_time.map(|t| t.0), Some(want.not_before_time));
                assert_eq!(row.not_after_time.map(|t| t.0), Some(want.not_after_time));
                assert_eq!(row.month, Some(want.month));
                assert_eq!(text(&row.status_code), want.status_code);
                assert_eq!(row.cert_type.as_deref(), Some(want.cert_type.as_str()));
                assert_eq!(text(&row.cert_order_type), want.cert_order_type);
                assert_eq!(row.is_trustee, Some(want.is_trustee));
            }
        }
        Op::DescribeOrderInstanceList => {
            let page = c
                .cas2018
                .describe_order_instance_list()
                .start_index(20)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            let all = &fx.data.order_instances;
            assert_eq!(page.total_count, Some(all.len() as i32));
            assert_eq!(page.order_list.len(), 10);
            for (row, want) in page.order_list.iter().zip(&all[20..30]) {
                assert_eq!(row.id, Some(want.id));
                assert_eq!(row.instance_id.as_deref(), Some(want.instance_id.as_str()));
                assert_eq!(text(&row.source), want.source);
                assert_eq!(text(&row.status), want.status);
                assert_eq!(text(&row.cert_type), want.cert_type);
            }
        }
        Op::DescribeDvOrderResult => {
            let (instance, dv) = fx
                .data
                .order_instances
                .iter()
                .find_map(|i| {
                    let dv = i.dv.as_ref()?;
                    (dv.order_status == "issued").then_some((i, dv))
                })
                .expect("the data set has an issued DV order");
            let got = c
                .cas2018
                .describe_dv_order_result()
                .instance_id(instance.instance_id.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            assert_eq!(text(&got.order_status), "issued");
            assert_eq!(text(&got.check_type), dv.check_type);
            assert_eq!(got.check_name.as_deref(), Some(dv.check_name.as_str()));
            assert_eq!(got.check_value.as_deref(), Some(dv.check_value.as_str()));
            assert!(
                dv.certificate
                    .as_deref()
                    .is_some_and(|pem| pem.contains("BEGIN CERTIFICATE"))
            );
            assert_eq!(got.certificate, dv.certificate);
            assert_eq!(got.private_key, dv.private_key);
        }
        // The billing orders of the last 91 days (all of them): QueryOrders reads page 2,
        // DescribeOrderList page 3, of 20.
        Op::QueryOrders => {
            let page = c
                .bss
                .query_orders()
                .create_time_start(iso(fx.now - 91 * DAY))
                .page_num(2)
                .page_size(20)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            assert_eq!(
                (page.success, page.code.as_deref()),
                (Some(true), Some("Success"))
            );
            let data = page.data.unwrap();
            let rows = data.order_list.iter().map(|r| billing_row!(r)).collect();
            assert_billing_page(
                fx,
                2,
                (data.total_count, data.page_num, data.page_size),
                rows,
            );
        }
        Op::DescribeOrderList => {
            let page = c
                .bss
                .describe_order_list()
                .create_time_start(iso(fx.now - 91 * DAY))
                .page_num(3)
                .page_size(20)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            assert_eq!(
                (page.success, page.code.as_deref()),
                (Some(true), Some("Success"))
            );
            let data = page.data.unwrap();
            let rows = data.order_list.iter().map(|r| billing_row!(r)).collect();
            assert_billing_page(
                fx,
                3,
                (data.total_count, data.page_num, data.page_size),
                rows,
            );
        }
        Op::AssumeRole => {
            let before = SystemTime::now();
            let got = c
                .sts
                .assume_role()
                .role_arn(role_arn("E2E-Reader"))
                .role_session_name("e2e-session")
                .duration_seconds(900)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            let after = SystemTime::now();
            let user = got.assumed_role_user.unwrap();
            assert_eq!(
                user.arn.as_deref(),
                Some(format!("acs:ram::{DEFAULT_ACCOUNT_ID}:role/e2e-reader/e2e-session").as_str())
            );
            assert!(user.assumed_role_id.unwrap().ends_with(":e2e-session"));
            let issued = got.credentials.unwrap();
            let id = issued.access_key_id.unwrap();
            assert!(id.starts_with("STS."), "{id}");
            let expiration = issued.expiration.unwrap();
            let window =
                iso(before + Duration::from_secs(900))..=iso(after + Duration::from_secs(900));
            assert!(
                window.contains(&expiration),
                "{expiration} outside {window:?}"
            );

            // The issued key, with its token, is accepted under the same signature version.
            let temporary = Credentials::new(id, issued.access_key_secret.unwrap())
                .with_security_token(issued.security_token.unwrap());
            let config = fx
                .config()
                .signature_version(version)
                .credentials(temporary)
                .build();
            let page = cas2020::Client::new(&config)
                .unwrap()
                .list_user_certificate_order()
                .show_size(1)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            assert_eq!(page.total_count, Some(fx.orders("cpack").len() as i64));
        }
        Op::AssumeRoleWithOidc => {
            let (iat, exp) = (1_700_000_000u64, 4_102_444_800u64);
            let token = jwt(&json!({
                "iss": "https://oidc.e2e.example",
                "sub": "system:serviceaccount:e2e:reader",
                "aud": "sts.aliyuncs.com",
                "iat": iat,
                "exp": exp,
            }));
            let before = SystemTime::now();
            let got = c
                .sts_anonymous
                .assume_role_with_oidc()
                .oidc_provider_arn(oidc_provider_arn())
                .role_arn(role_arn("e2e-oidc"))
                .oidc_token(token)
                .role_session_name("e2e-oidc-session")
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} {op:?}: {e}"));
            let after = SystemTime::now();
            let info = got.oidc_token_info.unwrap();
            assert_eq!(info.issuer.as_deref(), Some("https://oidc.e2e.example"));
            assert_eq!(
                info.subject.as_deref(),
                Some("system:serviceaccount:e2e:reader")
            );
            assert_eq!(info.client_ids.as_deref(), Some("sts.aliyuncs.com"));
            assert_eq!(info.verification_info.as_deref(), Some("Success"));
            assert_eq!(
                info.issuance_time,
                Some(iso(UNIX_EPOCH + Duration::from_secs(iat)))
            );
            assert_eq!(
                info.expiration_time,
                Some(iso(UNIX_EPOCH + Duration::from_secs(exp)))
            );
            assert_eq!(
                got.assumed_role_user.unwrap().arn.as_deref(),
                Some(
                    format!("acs:ram::{DEFAULT_ACCOUNT_ID}:role/e2e-oidc/e2e-oidc-session")
                        .as_str()
                )
            );
            let issued = got.credentials.unwrap();
            assert!(issued.access_key_id.unwrap().starts_with("STS."));
            assert!(!issued.security_token.unwrap().is_empty());
            let expiration = issued.expiration.unwrap();
            let window = iso(before + HOUR)..=iso(after + HOUR);
            assert!(window.contains(&expiration), "default 3600 s: {expiration}");
        }
    }
}

#[tokio::test]
async fn every_operation_answers_the_seeded_data_under_v1_and_v3() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        for version in VERSIONS {
            let clients = Clients::new(&fx, version);
            let mark = fx.mark();
            for op in Op::ALL {
                exercise(op, &clients, &fx).await;
            }

            // The emulator saw each operation once, signed as configured (AssumeRoleWithOIDC
            // unsigned), plus the call made with the key AssumeRole issued; no retries.
            let log = fx.since(mark);
            assert_eq!(log.len(), Op::ALL.len() + 1, "{version:?}: {log:#?}");
            assert!(
                log.iter()
                    .all(|r| r.status == 200 && r.code.is_none() && r.fault.is_none())
            );
            for op in Op::ALL {
                let seen: Vec<_> = log
                    .iter()
                    .filter(|r| r.action.as_deref() == Some(op.action()))
                    .collect();
                let expected = if op == Op::ListUserCertificateOrder {
                    2
                } else {
                    1
                };
                assert_eq!(seen.len(), expected, "{version:?} {op:?}");
                for r in seen {
                    assert_eq!(r.version.as_deref(), Some(op.api_version()), "{op:?}");
                    let signature = op.signed().then_some(version);
                    assert_eq!(r.signature_version, signature, "{version:?} {op:?}");
                }
            }
            let keys: Vec<_> = log
                .iter()
                .filter_map(|r| r.access_key_id.as_deref())
                .collect();
            assert_eq!(keys.iter().filter(|k| k.starts_with("STS.")).count(), 1);
            assert_eq!(
                keys.iter().filter(|k| **k == DEFAULT_ACCESS_KEY_ID).count(),
                Op::ALL.len() - 1,
                "every signed call but the temporary key's used the emulator's key"
            );
            assert_distinct_nonces(&log);
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 2. Every page through the paginators
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_certificate_order_paginator_walks_every_page() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2020::Client::new(&fx.config().build()).unwrap();
        let expected = fx.orders("cpack");
        const SIZE: usize = 7;
        let n_pages = expected.len().div_ceil(SIZE);
        assert!(n_pages > 3);

        let pages: Vec<_> = client
            .list_user_certificate_order()
            .show_size(SIZE as i64)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            // The page the emulator read from CurrentPage / ShowSize, and the rows it served.
            assert_eq!(page.current_page, Some(i as i64 + 1));
            assert_eq!(page.show_size, Some(SIZE as i64));
            assert_eq!(page.total_count, Some(expected.len() as i64));
            let got: Vec<_> = page.certificate_order_list.iter().map(|r| r.order_id).collect();
            let want: Vec<_> = expected.iter().skip(i * SIZE).take(SIZE).map(|o| Some(o.order_id)).collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages, "one request per page");
        assert!(log.iter().all(|r| r.status == 200 && r.action.as_deref() == Some("ListUserCertificateOrder")));
        assert_distinct_nonces(&log);

        let mark = fx.mark();
        let items: Vec<_> = client
            .list_user_certificate_order()
            .show_size(SIZE as i64)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(Some(items.len() as i64), pages[0].total_count);
        let ids: HashSet<_> = items.iter().map(|r| r.order_id.unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");
        for (row, want) in items.iter().zip(&expected) {
            assert_order_row(row, want);
        }
        assert_eq!(fx.since(mark).len(), n_pages);

        // A paginator starts at the page it was given: BUY orders from page 2 of 25.
        let buy = fx.orders("buy");
        let tail: Vec<_> = client
            .list_user_certificate_order()
            .order_type("BUY")
            .show_size(25)
            .current_page(2)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let got: Vec<_> = tail.iter().map(|r| r.order_id.unwrap()).collect();
        let want: Vec<_> = buy[25..].iter().map(|o| o.order_id).collect();
        assert_eq!(got, want);

        // Certificates page the same way: every valid certificate, 20 at a time.
        let mark = fx.mark();
        let certs: Vec<_> = client
            .list_user_certificate_order()
            .order_type("CERT")
            .show_size(20)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let got: Vec<_> = certs.iter().map(|c| c.certificate_id.unwrap()).collect();
        let valid = fx.certificates(false, &["ISSUED", "WILLEXPIRED"]);
        let want: Vec<_> = valid.iter().map(|c| c.certificate_id).collect();
        assert_eq!(got, want);
        assert_eq!(fx.since(mark).len(), valid.len().div_ceil(20));
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn describe_order_instance_list_paginator_advances_start_index() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2018::Client::new(&fx.config().build()).unwrap();
        let all = &fx.data.order_instances;
        // The server's page size is 10.
        let n_pages = all.len().div_ceil(10);
        assert!(n_pages > 3);

        let pages: Vec<_> = client
            .describe_order_instance_list()
            .start_index(0)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(page.total_count, Some(all.len() as i32));
            // The rows at offset 10·i: the emulator read StartIndex = 10·i.
            let got: Vec<_> = page
                .order_list
                .iter()
                .map(|r| r.instance_id.clone().unwrap())
                .collect();
            let want: Vec<_> = all
                .iter()
                .skip(i * 10)
                .take(10)
                .map(|r| r.instance_id.clone())
                .collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages);
        assert!(
            log.iter().all(
                |r| r.status == 200 && r.action.as_deref() == Some("DescribeOrderInstanceList")
            )
        );
        assert_distinct_nonces(&log);

        let items: Vec<_> = client
            .describe_order_instance_list()
            .start_index(0)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(Some(items.len() as i32), pages[0].total_count);
        let ids: HashSet<_> = items.iter().map(|r| r.id.unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");
        let want: Vec<_> = all.iter().map(|r| Some(r.id)).collect();
        assert_eq!(items.iter().map(|r| r.id).collect::<Vec<_>>(), want);

        // From an offset that is not a multiple of the page size: the paginator stops at
        // the total without asking for an empty page.
        let before = fx.emulator.requests().len();
        let tail: Vec<_> = client
            .describe_order_instance_list()
            .start_index(5)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let want: Vec<_> = all[5..].iter().map(|r| Some(r.id)).collect();
        assert_eq!(tail.iter().map(|r| r.id).collect::<Vec<_>>(), want);
        let pages_needed = (all.len() - 5).div_ceil(10);
        assert_eq!(fx.emulator.requests().len() - before, pages_needed);
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn query_orders_paginator_walks_a_multi_page_window() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = bss::Client::new(&fx.config().build()).unwrap();
        let start = iso(fx.now - 30 * DAY);
        let expected = fx.billing_since(&start);
        const SIZE: usize = 25;
        let n_pages = expected.len().div_ceil(SIZE);
        assert!(
            n_pages >= 3,
            "the window spans several pages: {}",
            expected.len()
        );

        let pages: Vec<_> = client
            .query_orders()
            .create_time_start(start.clone())
            .page_size(SIZE as i32)
            .into_paginator()
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), n_pages);
        for (i, page) in pages.iter().enumerate() {
            let data = page.data.as_ref().unwrap();
            // What the emulator read from PageNum / PageSize, and the rows it served.
            assert_eq!(data.page_num, Some(i as i32 + 1));
            assert_eq!(data.page_size, Some(SIZE as i32));
            assert_eq!(data.total_count, Some(expected.len() as i32));
            let got: Vec<_> = data.order_list.iter().map(|r| billing_row!(r)).collect();
            let want: Vec<_> = expected
                .iter()
                .skip(i * SIZE)
                .take(SIZE)
                .map(|o| billing_data_row(o))
                .collect();
            assert_eq!(got, want, "page {}", i + 1);
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), n_pages);
        assert!(
            log.iter()
                .all(|r| r.status == 200 && r.action.as_deref() == Some("QueryOrders"))
        );
        assert_distinct_nonces(&log);

        let items: Vec<_> = client
            .query_orders()
            .create_time_start(start.clone())
            .page_size(SIZE as i32)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.len(), expected.len());
        let ids: HashSet<_> = items.iter().map(|o| o.order_id.clone().unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "no duplicates");

        // DescribeOrderList pages the same orders.
        let same: Vec<_> = client
            .describe_order_list()
            .create_time_start(start)
            .page_size(SIZE as i32)
            .into_paginator()
            .items()
            .try_collect()
            .await
            .unwrap();
        let a: Vec<_> = items.iter().map(|o| o.order_id.clone()).collect();
        let b: Vec<_> = same.iter().map(|o| o.order_id.clone()).collect();
        assert_eq!(a, b);
        fx.emulator.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 3. The documented filters
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_certificate_order_filters() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let client = cas2020::Client::new(&fx.config().build()).unwrap();
        // Everything on one page.
        const ALL: i64 = 1000;
        let order_ids =
            |rows: &[cas2020::list_user_certificate_order::CertificateOrder]| -> Vec<i64> {
                rows.iter().map(|r| r.order_id.unwrap()).collect()
            };
        let cert_ids =
            |rows: &[cas2020::list_user_certificate_order::CertificateOrder]| -> Vec<i64> {
                rows.iter().map(|r| r.certificate_id.unwrap()).collect()
            };

        // OrderType CPACK (also the default) and BUY: every order of that source.
        for (order_type, source) in [
            (None, "cpack"),
            (Some("CPACK"), "cpack"),
            (Some("BUY"), "buy"),
        ] {
            let mut call = client.list_user_certificate_order().show_size(ALL);
            if let Some(order_type) = order_type {
                call = call.order_type(order_type);
            }
            let page = call.send().await.unwrap();
            let want: Vec<_> = fx.orders(source).iter().map(|o| o.order_id).collect();
            assert_eq!(page.total_count, Some(want.len() as i64), "{order_type:?}");
            assert_eq!(
                order_ids(&page.certificate_order_list),
                want,
                "{order_type:?}"
            );
        }
        assert_eq!(
            fx.orders("cpack").len() + fx.orders("buy").len(),
            fx.data.certificate_orders.len()
        );

        // Status, for CPACK and BUY: exactly the orders in that status.
        let statuses = cas2020::list_user_certificate_order::CertificateStatusFilter::VALUES;
        for (order_type, source) in [("CPACK", "cpack"), ("BUY", "buy")] {
            for status in statuses {
                let page = client
                    .list_user_certificate_order()
                    .order_type(order_type)
                    .status(*status)
                    .show_size(ALL)
                    .send()
                    .await
                    .unwrap();
                let want: Vec<_> = fx
                    .orders(source)
                    .iter()
                    .filter(|o| o.status == *status)
                    .map(|o| o.order_id)
                    .collect();
                assert!(
                    !want.is_empty(),
                    "the data has {order_type} orders in {status}"
                );
                assert_eq!(
                    order_ids(&page.certificate_order_list),
                    want,
                    "{order_type} {status}"
                );
                assert_eq!(page.total_count, Some(want.len() as i64));
            }
        }

        // CERT with an empty Status: only the valid certificates (ISSUED + WILLEXPIRED).
        let page = client
            .list_user_certificate_order()
            .order_type("CERT")
            .show_size(ALL)
            .send()
            .await
            .unwrap();
        let valid = fx.certificates(false, &["ISSUED", "WILLEXPIRED"]);
        assert!(!valid.is_empty() && valid.len() < fx.data.certificates.len());
        assert_eq!(
            cert_ids(&page.certificate_order_list),
            valid.iter().map(|c| c.certificate_id).collect::<Vec<_>>()
        );
        assert_eq!(page.total_count, Some(valid.len() as i64));
        for (row, want) in page.certificate_order_list.iter().zip(&valid) {
            assert_eq!(row.expired, Some(false));
            assert_eq!(row.instance_id.as_deref(), Some(want.instance_id.as_str()));
            assert_eq!(row.common_name.as_deref(), Some(want.common_name.as_str()));
            assert_eq!(row.sans.as_deref(), Some(want.sans.as_str()));
            assert_eq!(row.end_date.as_deref(), Some(want.end_date.as_str()));
            assert_eq!(row.upload, Some(want.upload));
            assert_eq!(row.order_id, None, "certificate rows carry no order fields");
        }

        // CERT and UPLOAD with each certificate status; an order-only status finds nothing.
        for (order_type, upload_only) in [("CERT", false), ("UPLOAD", true)] {
            for status in ["ISSUED", "WILLEXPIRED", "EXPIRED"] {
                let page = client
                    .list_user_certificate_order()
                    .order_type(order_type)
                    .status(status)
                    .show_size(ALL)
                    .send()
                    .await
                    .unwrap();
                let want: Vec<_> = fx
                    .certificates(upload_only, &[status])
                    .iter()
                    .map(|c| c.certificate_id)
                    .collect();
                assert!(
                    !want.is_empty(),
                    "the data has {order_type} certificates in {status}"
                );
                assert_eq!(
                    cert_ids(&page.certificate_order_list),
                    want,
                    "{order_type} {status}"
                );
                let expired = status == "EXPIRED";
                assert!(
                    page.certificate_order_list
                        .iter()
                        .all(|r| r.expired == Some(expired))
                );
                assert!(
                    page.certificate_order_list
                        .iter()
                        .all(|r| !upload_only || r.upload == Some(true))
                );
            }
            let page = client
                .list_user_certificate_order()
                .order_type(order_type)
                .status("PAYED")
                .send()
                .await
                .unwrap();
            assert_eq!(page.total_count, Some(0), "{order_type} PAYED");
        }
        let page = client
            .list_user_certificate_order()
            .order_type("UPLOAD")
            .show_size(ALL)
            .send()
            .await
            .unwrap();
        let want: Vec<_> = fx
            .certificates(true, &["ISSUED", "WILLEXPIRED"])
            .iter()
            .map(|c| c.certificate_id)
            .collect();
        assert!(want.len() < fx.certificates(false, &["ISSUED", "WILLEXPIRED"]).len());
        assert_eq!(
            cert_ids(&page.certificate_order_list),
            want,
            "UPLOAD, empty Status"
        );

        // Keyword: a case-insensitive substring of the domain names or the instance id.
        let lower = |s: &str| s.to_ascii_lowercase();
        let order = fx
            .orders("cpack")
            .into_iter()
            .find(|o| !o.domain.is_empty())
            .unwrap();
        let domain_word = order.domain.trim_start_matches("*.").to_ascii_uppercase();
        let id_fragment = order.instance_id[7..15].to_ascii_uppercase();
        for keyword in [
            domain_word.as_str(),
            id_fragment.as_str(),
            "no-such-name-e2e",
        ] {
            let page = client
                .list_user_certificate_order()
                .keyword(keyword)
                .show_size(ALL)
                .send()
                .await
                .unwrap();
            let k = lower(keyword);
            let want: Vec<_> = fx
                .orders("cpack")
                .iter()
                .filter(|o| lower(&o.domain).contains(&k) || lower(&o.instance_id).contains(&k))
                .map(|o| o.order_id)
                .collect();
            if keyword != "no-such-name-e2e" {
                assert!(want.contains(&order.order_id), "{keyword}");
            }
            assert_eq!(
                order_ids(&page.certificate_order_list),
                want,
                "keyword {keyword}"
            );
        }
        let cert = valid[valid.len() / 2];
        let cert_word = cert
            .common_name
            .trim_start_matches("*.")
            .to_ascii_uppercase();
        for keyword in [cert_word.as_str(), &cert.instance_id[..12]] {
            let page = client
                .list_user_certificate_order()
                .order_type("CERT")
                .keyword(keyword)
                .show_size(ALL)
                .send()
                .await
                .unwrap();
            let k = lower(keyword);
            let want: Vec<_> = valid
                .iter()
                .filter(|c| {
                    lower(&c.common_name).contains(&k)
                        || lower(&c.sans).contains(&k)
                        || lower(&c.instance_id).contains(&k)
                })
                .map(|c| c.certificate_id)
                .collect();
            assert!(want.contains(&cert.certificate_id), "{keyword}");
            assert_eq!(
                cert_ids(&page.certificate_order_list),
                want,
                "CERT keyword {keyword}"
            );
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

type QuerySetter = fn(
    bss::query_orders::QueryOrdersFluentBuilder,
    &str,
) -> bss::query_orders::QueryOrdersFluentBuilder;
type BillingField = fn(&BillingOrder) -> &str;

/// Every page of a QueryOrders call: the reported total and the order ids, in order.
async fn query_all(
    call: bss::query_orders::QueryOrdersFluentBuilder,
) -> (Option<i32>, Vec<String>) {
    let pages: Vec<_> = call
        .page_size(100)
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let total = pages[0].data.as_ref().and_then(|d| d.total_count);
    let ids = pages
        .into_iter()
        .flat_map(|p| p.data.map(|d| d.order_list).unwrap_or_default())
        .map(|o| o.order_id.unwrap())
        .collect();
    (total, ids)
}

#[tokio::test]
async fn query_orders_filters_and_time_window() {
    bounded(TEST_LIMIT, async {
        // Probes at the edges of the windows below: a minute outside the default hour, one
        // in the future, and around the end of an older window.
        let probe = |data: &DataSet, id: &str, at: SystemTime| BillingOrder {
            order_id: id.to_owned(),
            create_time: iso(at),
            ..data.billing_orders[0].clone()
        };
        let fx = Fixture::with_data(Emulator::builder(), |data, now| {
            let mut seeded = data.billing_orders.clone();
            seeded.sort_by(|a, b| b.create_time.cmp(&a.create_time));
            let pivot = parse_iso(&seeded[40].create_time);
            let probes = [
                probe(
                    data,
                    "9900000000000001",
                    now - HOUR - Duration::from_secs(60),
                ),
                probe(data, "9900000000000002", now + Duration::from_secs(600)),
                probe(
                    data,
                    "9900000000000003",
                    pivot - HOUR + Duration::from_secs(60),
                ),
                probe(
                    data,
                    "9900000000000004",
                    pivot - HOUR - Duration::from_secs(60),
                ),
            ];
            data.billing_orders.extend(probes);
        })
        .await;
        let client = bss::Client::new(&fx.config().build()).unwrap();
        let start = iso(fx.now - 91 * DAY);
        let all = fx.billing_since(&start);
        assert_eq!(
            all.len(),
            fx.data.billing_orders.len() - 1,
            "all but the future probe"
        );
        let ids = |orders: &[&BillingOrder]| {
            orders
                .iter()
                .map(|o| o.order_id.clone())
                .collect::<Vec<_>>()
        };

        // Each exact filter, with every value the data holds: the served orders are the
        // matching ones, and the values of one filter partition the orders.
        let filters: [(&str, QuerySetter, BillingField); 4] = [
            ("ProductCode", |b, v| b.product_code(v), |o| &o.product_code),
            (
                "SubscriptionType",
                |b, v| b.subscription_type(v),
                |o| &o.subscription_type,
            ),
            ("OrderType", |b, v| b.order_type(v), |o| &o.order_type),
            (
                "PaymentStatus",
                |b, v| b.payment_status(v),
                |o| &o.payment_status,
            ),
        ];
        for (name, set, field) in filters {
            let values: BTreeSet<&str> = all
                .iter()
                .map(|o| field(o))
                .filter(|v| !v.is_empty())
                .collect();
            assert!(values.len() >= 2, "{name}: {values:?}");
            let mut covered = 0;
            for value in values {
                let (total, got) = query_all(set(
                    client.query_orders().create_time_start(start.clone()),
                    value,
                ))
                .await;
                let want: Vec<_> = all
                    .iter()
                    .filter(|o| field(o) == value)
                    .map(|o| o.order_id.clone())
                    .collect();
                assert_eq!(got, want, "{name}={value}");
                assert_eq!(total, Some(want.len() as i32), "{name}={value}");
                covered += want.len();
            }
            let unset = all.iter().filter(|o| field(o).is_empty()).count();
            assert_eq!(covered + unset, all.len(), "{name}");
        }
        // Filters combine.
        let (_, got) = query_all(
            client
                .query_orders()
                .create_time_start(start.clone())
                .product_code("ecs")
                .payment_status("Paid"),
        )
        .await;
        let want: Vec<_> = all
            .iter()
            .filter(|o| o.product_code == "ecs" && o.payment_status == "Paid")
            .map(|o| o.order_id.clone())
            .collect();
        assert!(!want.is_empty());
        assert_eq!(got, want);

        // No CreateTimeStart/End: the last hour (not the probe a minute before it, not the
        // one in the future).
        let (total, got) = query_all(client.query_orders()).await;
        let want = ids(&fx.billing_since(&iso(fx.now - HOUR)));
        assert_eq!(
            want.len(),
            6,
            "the seeded data has 6 orders within the last hour"
        );
        assert_eq!((total, got), (Some(6), want));

        // Only a start: from it until now (not the future probe).
        let seeded: Vec<&BillingOrder> = all
            .iter()
            .filter(|o| !o.order_id.starts_with("99000000"))
            .copied()
            .collect();
        let pivot = seeded[40];
        let (_, got) = query_all(
            client
                .query_orders()
                .create_time_start(pivot.create_time.clone()),
        )
        .await;
        let want = ids(&fx.billing_since(&pivot.create_time));
        assert!(want.len() > 40 && !want.contains(&"9900000000000002".to_owned()));
        assert_eq!(got, want);

        // Only an end: the hour before it (the probe a minute inside, not the one outside).
        let end = &pivot.create_time;
        let hour_before = iso(parse_iso(end) - HOUR);
        let (_, got) = query_all(client.query_orders().create_time_end(end.clone())).await;
        let want: Vec<_> = all
            .iter()
            .filter(|o| o.create_time >= hour_before && o.create_time <= *end)
            .map(|o| o.order_id.clone())
            .collect();
        assert!(want.contains(&pivot.order_id) && want.contains(&"9900000000000003".to_owned()));
        assert!(!want.contains(&"9900000000000004".to_owned()));
        assert_eq!(got, want);
        fx.emulator.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 4. Gateway errors as alibabacloud_core::Error
// ---------------------------------------------------------------------------------------

/// Awaits a call that must fail with a service error `code` / `status`, and checks that the
/// emulator saw exactly one attempt (these codes are not retried) and recorded that code.
async fn expect_error<T: std::fmt::Debug>(
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

fn catalog_service(version: &str) -> &'static ServiceInfo {
    alibabacloud_catalog::PRODUCTS
        .iter()
        .find(|p| p.service.version == version)
        .expect("a catalog product")
        .service
}

fn catalog_operation(version: &str, action: &str) -> &'static Operation {
    let product = alibabacloud_catalog::PRODUCTS
        .iter()
        .find(|p| p.service.version == version)
        .expect("a catalog product");
    &product
        .operation(action)
        .expect("a catalog operation")
        .operation
}

/// An action no catalog product has.
const UNKNOWN_ACTION: Operation = Operation {
    action: "DescribeNothingAtAll",
    version: CAS2020,
    method: HttpMethod::Post,
    style: Style::Rpc,
    path: "/",
    body: BodyFormat::None,
    read_only: true,
    idempotent: false,
    sensitive: &[],
    auth: Auth::AccessKey,
};

/// A known action under a version that does not exist.
const UNKNOWN_VERSION: Operation = Operation {
    action: "ListUserCertificateOrder",
    version: "2019-01-01",
    ..UNKNOWN_ACTION
};

#[tokio::test]
async fn unknown_actions_and_bad_parameters_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let options = CallOptions::new();
        for version in VERSIONS {
            let config = fx.config().signature_version(version).build();
            let handle = Handle::new(&config, catalog_service(CAS2020)).unwrap();

            // InvalidApi.NotFound: an unknown action, a known action under an unknown version.
            for operation in [&UNKNOWN_ACTION, &UNKNOWN_VERSION] {
                let error = expect_error(
                    &fx,
                    handle.invoke::<Value>(operation, Params::new(), &options),
                    "InvalidApi.NotFound",
                    404,
                )
                .await;
                assert_eq!(
                    error.message(),
                    "Specified api is not found, please check your url and method."
                );
            }

            // Missing{Param}: no JobId at all, or an empty one (raw Params through the seam),
            // and an empty InstanceId through the generated client.
            let list_job = catalog_operation(CAS2020, "ListDeploymentJobCert");
            let mut empty = Params::new();
            empty.push(Location::Query, "JobId", "");
            for params in [Params::new(), empty] {
                let error = expect_error(
                    &fx,
                    handle.invoke::<Value>(list_job, params, &options),
                    "MissingJobId",
                    400,
                )
                .await;
                assert_eq!(error.message(), "JobId is mandatory for this action.");
            }
            let cas2018 = cas2018::Client::new(&config).unwrap();
            expect_error(
                &fx,
                cas2018.describe_dv_order_result().instance_id("").send(),
                "MissingInstanceId",
                400,
            )
            .await;

            // The generated builder refuses a missing required parameter before sending.
            let mark = fx.mark();
            let cas2020 = cas2020::Client::new(&config).unwrap();
            let error = cas2020.list_deployment_job_cert().send().await.unwrap_err();
            assert_eq!((error.kind(), error.code()), (ErrorKind::Build, None));
            assert_eq!(fx.since(mark).len(), 0, "nothing was sent");

            // InvalidParameter: values outside the documented enums (the generated enums
            // accept them), and a non-integer for an integer.
            let error = expect_error(
                &fx,
                cas2020
                    .list_user_certificate_order()
                    .order_type("BOGUS")
                    .send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(
                error.message(),
                "Specified parameter OrderType is not valid."
            );
            let error = expect_error(
                &fx,
                cas2020.list_user_certificate_order().status("BOGUS").send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(error.message(), "Specified parameter Status is not valid.");
            let bss = bss::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                bss.query_orders().payment_status("Refunded").send(),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(
                error.message(),
                "Specified parameter PaymentStatus is not valid."
            );
            let mut not_a_number = Params::new();
            not_a_number.push(Location::Query, "JobId", "eight");
            let error = expect_error(
                &fx,
                handle.invoke::<Value>(list_job, not_a_number, &options),
                "InvalidParameter",
                400,
            )
            .await;
            assert_eq!(error.message(), "Specified parameter JobId is not valid.");
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn wrong_keys_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        for version in VERSIONS {
            // SignatureDoesNotMatch: the right key id, a wrong secret; the SDK compares the
            // server's string to sign with its own and says the secret is wrong.
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new(DEFAULT_ACCESS_KEY_ID, "not-the-secret"))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "SignatureDoesNotMatch",
                400,
            )
            .await;
            assert!(
                error.message().contains("server string to sign is:"),
                "{error}"
            );
            assert!(
                error.message().ends_with("the access key secret is wrong."),
                "{version:?}: {error}"
            );

            // InvalidAccessKeyId.NotFound: a key id the emulator does not know.
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new("LTAI-unknown-key", "whatever"))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            let error = expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "InvalidAccessKeyId.NotFound",
                404,
            )
            .await;
            assert_eq!(error.message(), "Specified access key is not found.");

            // InvalidSecurityToken.MismatchWithAccessKey: a temporary key without its token.
            let sts = sts::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let issued = sts
                .assume_role()
                .role_arn(role_arn("e2e"))
                .role_session_name("e2e-session")
                .send()
                .await
                .unwrap()
                .credentials
                .unwrap();
            let config = fx
                .config()
                .signature_version(version)
                .credentials(Credentials::new(
                    issued.access_key_id.unwrap(),
                    issued.access_key_secret.unwrap(),
                ))
                .build();
            let client = cas2020::Client::new(&config).unwrap();
            expect_error(
                &fx,
                client.list_user_certificate_order().send(),
                "InvalidSecurityToken.MismatchWithAccessKey",
                400,
            )
            .await;
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

/// A raw answer.
struct Raw {
    status: u16,
    body: Value,
    request_id_header: Option<String>,
}

impl Raw {
    fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }
}

/// Sends ListUserCertificateOrder signed with `alibabacloud_core::signing::sign` over the
/// given nonce and timestamp, which the SDK itself always draws fresh.
async fn send_raw(
    fx: &Fixture,
    version: SignatureVersion,
    secret: &str,
    nonce: &str,
    timestamp: &str,
) -> Raw {
    let host = fx.emulator.local_addr().to_string();
    let input = SigningInput {
        method: "POST",
        host: &host,
        path: "/",
        action: "ListUserCertificateOrder",
        version: CAS2020,
        query: &[],
        body: None,
        access_key_id: DEFAULT_ACCESS_KEY_ID,
        access_key_secret: secret,
        security_token: None,
        nonce,
        timestamp,
        extra_headers: &[],
    };
    let signed = signing::sign(version, &input);
    let mut url = format!("{}/", fx.emulator.endpoint());
    if !signed.query.is_empty() {
        url.push('?');
        url.push_str(&encode::query_string(&signed.query));
    }
    let http = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let mut request = http.post(url);
    for (name, value) in &signed.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await.expect("an HTTP answer");
    let status = response.status().as_u16();
    let request_id_header = response
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null);
    Raw {
        status,
        body,
        request_id_header,
    }
}

/// A refused raw request: status, code, message, and the error body's request id equal to
/// the header's.
fn assert_raw_error(raw: &Raw, status: u16, code: &str, message: &str) {
    assert_eq!((raw.status, raw.code()), (status, code), "{}", raw.body);
    assert_eq!(raw.body["Message"], message);
    assert_eq!(
        raw.body["RequestId"].as_str(),
        raw.request_id_header.as_deref()
    );
    assert!(
        raw.body["Recommend"]
            .as_str()
            .unwrap_or_default()
            .contains(code)
    );
}

#[tokio::test]
async fn stale_timestamps_and_reused_nonces_are_refused() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let secret = fx.emulator.credentials().access_key_secret().to_owned();
        for version in VERSIONS {
            let now = SystemTime::now();
            // InvalidTimeStamp.Expired: more than 15 minutes off, either way; 14 minutes is fine.
            for (offset, ok) in [(-20i64, false), (20, false), (-14, true)] {
                let shift = Duration::from_secs(offset.unsigned_abs() * 60);
                let at = if offset < 0 { now - shift } else { now + shift };
                let raw = send_raw(&fx, version, &secret, &signing::new_nonce(), &iso(at)).await;
                if ok {
                    assert_eq!(raw.status, 200, "{version:?} {offset} min: {}", raw.body);
                } else {
                    assert_raw_error(
                        &raw,
                        400,
                        "InvalidTimeStamp.Expired",
                        "Specified time stamp or date value is expired.",
                    );
                }
            }

            // SignatureNonceUsed: the same nonce twice.
            let nonce = signing::new_nonce();
            let first = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_eq!(first.status, 200, "{}", first.body);
            let again = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_raw_error(
                &again,
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );

            // The nonce of an SDK call is remembered too.
            let client =
                cas2020::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let mark = fx.mark();
            client
                .list_user_certificate_order()
                .show_size(1)
                .send()
                .await
                .unwrap();
            let sdk_nonce = fx.since(mark)[0].nonce.clone().unwrap();
            let replay = send_raw(&fx, version, &secret, &sdk_nonce, &iso(SystemTime::now())).await;
            assert_eq!(replay.code(), "SignatureNonceUsed");

            // A nonce is remembered only once its signature matched.
            let nonce = signing::new_nonce();
            let forged = send_raw(
                &fx,
                version,
                "not-the-secret",
                &nonce,
                &iso(SystemTime::now()),
            )
            .await;
            assert_eq!(
                (forged.status, forged.code()),
                (400, "SignatureDoesNotMatch")
            );
            let genuine = send_raw(&fx, version, &secret, &nonce, &iso(SystemTime::now())).await;
            assert_eq!(genuine.status, 200, "{}", genuine.body);
        }
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn throttling_surfaces_as_throttling_user_when_retries_are_off() {
    bounded(TEST_LIMIT, async {
        // One call per second, so that a burst of ten is throttled however slow the machine.
        let fx = Fixture::with(Emulator::builder().throttle_per_second(Some(1))).await;
        let config = fx.config().retry_policy(RetryPolicy::disabled()).build();
        let client = cas2020::Client::new(&config).unwrap();
        let results =
            join_all((0..10).map(|_| client.list_user_certificate_order().show_size(1).send()))
                .await;
        let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(!errors.is_empty() && errors.len() < 10, "{results:?}");
        for error in &errors {
            assert_eq!(error.code(), Some("Throttling.User"), "{error}");
            assert_eq!(error.http_status(), Some(400));
            assert_eq!(
                error.message(),
                "Request was denied due to user flow control."
            );
            assert!(error.is_throttling() && error.is_retryable());
        }
        let log = fx.emulator.requests();
        assert_eq!(log.len(), 10, "one attempt per call: retries are off");
        let throttled = log
            .iter()
            .filter(|r| r.code.as_deref() == Some("Throttling.User"))
            .count();
        assert_eq!(throttled, errors.len());
        fx.emulator.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn operation_specific_errors() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let config = fx.config().build();
        let cas2020 = cas2020::Client::new(&config).unwrap();
        let cas2018 = cas2018::Client::new(&config).unwrap();
        let bss = bss::Client::new(&config).unwrap();
        let sts = sts::Client::new(&config).unwrap();

        // ListDeploymentJobCert: an unknown job.
        let error = expect_error(
            &fx,
            cas2020.list_deployment_job_cert().job_id(1).send(),
            "InvalidJobId.NotFound",
            404,
        )
        .await;
        assert_eq!(
            error.message(),
            "The specified deployment job 1 does not exist."
        );

        // DescribeDVOrderResult: an unknown instance, and a real instance that is no DV order.
        let not_dv = fx
            .data
            .order_instances
            .iter()
            .find(|i| i.dv.is_none())
            .unwrap();
        for instance_id in ["cas-cn-nope", not_dv.instance_id.as_str()] {
            let error = expect_error(
                &fx,
                cas2018
                    .describe_dv_order_result()
                    .instance_id(instance_id)
                    .send(),
                "InvalidInstanceId.NotFound",
                404,
            )
            .await;
            assert!(error.message().contains(instance_id), "{error}");
        }

        // QueryOrders: an OwnerId other than the data set's account.
        expect_error(
            &fx,
            bss.query_orders().owner_id(42).send(),
            "InvalidOwner",
            400,
        )
        .await;
        let own: i64 = fx.emulator.account_id().parse().unwrap();
        bss.query_orders().owner_id(own).send().await.unwrap();

        // STS parameter checks.
        let assume = || {
            sts.assume_role()
                .role_arn(role_arn("e2e"))
                .role_session_name("e2e-session")
        };
        expect_error(
            &fx,
            assume().role_arn("arn:aws:iam::1:role/x").send(),
            "InvalidParameter.RoleArn",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().role_session_name("x").send(),
            "InvalidParameter.RoleSessionName",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().duration_seconds(899).send(),
            "InvalidParameter.DurationSeconds",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().duration_seconds(43_201).send(),
            "InvalidParameter.DurationSeconds",
            400,
        )
        .await;
        expect_error(
            &fx,
            assume().policy("{not json").send(),
            "InvalidParameter.PolicyGrammar",
            400,
        )
        .await;
        let future_token =
            jwt(&json!({"iss": "https://oidc.e2e.example", "exp": 4_102_444_800u64}));
        let oidc = |token: &str| {
            sts.assume_role_with_oidc()
                .oidc_provider_arn(oidc_provider_arn())
                .role_arn(role_arn("e2e"))
                .oidc_token(token)
        };
        expect_error(
            &fx,
            oidc(&future_token)
                .oidc_provider_arn("acs:ram::1:role/not-a-provider")
                .send(),
            "InvalidParameter.OIDCProviderArn",
            400,
        )
        .await;
        expect_error(&fx, oidc("abc").send(), "InvalidParameter.OIDCToken", 400).await;
        let expired = jwt(&json!({"iss": "https://oidc.e2e.example", "exp": 1_600_000_000u64}));
        expect_error(
            &fx,
            oidc(&expired).send(),
            "AuthenticationFail.OIDCToken.Expired",
            400,
        )
        .await;
        oidc(&future_token).send().await.unwrap();
        fx.emulator.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 5. Retries through flow control
// ---------------------------------------------------------------------------------------

/// 30 concurrent calls through one client against a 10-per-second limit all succeed.
///
/// The default policy (3 attempts, backoff ceilings 100 ms then 200 ms, full jitter) cannot
/// do it: a call's three attempts span at most ~300 ms, inside the second in which the first
/// ten calls were admitted, so twenty calls would fail. This test configures 25 attempts
/// with every backoff ceiling at 1 s (so each wait is uniform in [0, 1 s]).
///
/// Why that never flakes: a throttled attempt at time `a` means ten calls were admitted in
/// (a − 1 s, a]. A call admitted once is done, so the 29 other calls can fill at most two
/// disjoint such windows; a call is therefore admitted by the first of its attempts that
/// lies ≥ 1 s after an attempt that lies ≥ 1 s after its first. Attempts are separated by at
/// least the backoff drawn between them, so a call can only fail if its 24 waits, less one
/// of them, sum to under 2 s, hence only if all 24 sum to under 3 s: probability
/// ≤ 3^24/24! < 5e-13 per call, whatever the load. The same argument bounds each call at
/// about 4 s (two windows plus two waits); it takes about 2.7 s here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_30_through_a_10_per_second_limit_succeeds_by_retrying() {
    bounded(Duration::from_secs(20), async {
        let fx = Fixture::with(Emulator::builder().throttle_per_second(Some(10))).await;
        let policy = RetryPolicy::default()
            .with_max_attempts(25)
            .with_initial_backoff(Duration::from_secs(1))
            .with_max_backoff(Duration::from_secs(1));
        let client = cas2020::Client::new(&fx.config().retry_policy(policy).build()).unwrap();
        let cpack = fx.orders("cpack").len() as i64;

        let started = Instant::now();
        let results =
            join_all((0..30).map(|_| client.list_user_certificate_order().show_size(5).send()))
                .await;
        let elapsed = started.elapsed();
        for result in &results {
            let page = result
                .as_ref()
                .unwrap_or_else(|e| panic!("a call failed: {e}"));
            assert_eq!(page.total_count, Some(cpack));
        }
        assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

        let log = fx.emulator.requests();
        let ok = log.iter().filter(|r| r.status == 200).count();
        let throttled: Vec<_> = log
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status != 200)
            .collect();
        assert_eq!(ok, 30, "exactly one admitted attempt per call");
        for (_, r) in &throttled {
            assert_eq!(
                (r.status, r.code.as_deref()),
                (400, Some("Throttling.User")),
                "{r:?}"
            );
        }
        // The first ten calls fill the first second (thirty simultaneous loopback requests
        // arrive well within it): twenty calls at least were throttled, and each of them
        // succeeded later, on a retried attempt.
        assert!(throttled.len() >= 20, "{} throttled", throttled.len());
        let first_throttled = throttled[0].0;
        let later_ok = log[first_throttled..]
            .iter()
            .filter(|r| r.status == 200)
            .count();
        assert!(
            later_ok >= 20,
            "{later_ok} successes after the first Throttling.User"
        );
        // Every attempt, retries included, was signed anew.
        assert_eq!(log.len(), 30 + throttled.len());
        assert_distinct_nonces(&log);
        fx.emulator.shutdown().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 6. Server faults and dropped connections
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried() {
    bounded(TEST_LIMIT, async {
        let fx = Fixture::start().await;
        let cpack = fx.orders("cpack").len() as i64;
        for version in VERSIONS {
            // The default policy: three attempts.
            let client =
                cas2020::Client::new(&fx.config().signature_version(version).build()).unwrap();
            let no_retries = cas2020::Client::new(
                &fx.config()
                    .signature_version(version)
                    .retry_policy(RetryPolicy::disabled())
                    .build(),
            )
            .unwrap();
            let cases: [(Faults, &[Option<InjectedFault>]); 4] = [
                (
                    Faults {
                        fail_next: 2,
                        ..Faults::default()
                    },
                    &[
                        Some(InjectedFault::Failed),
                        Some(InjectedFault::Failed),
                        None,
                    ],
                ),
                (
                    Faults {
                        drop_next: 1,
                        ..Faults::default()
                    },
                    &[Some(InjectedFault::Dropped), None],
                ),
                (
                    Faults {
                        drop_next: 1,
                        fail_next: 1,
                        ..Faults::default()
                    },
                    &[
                        Some(InjectedFault::Dropped),
                        Some(InjectedFault::Failed),
                        None,
                    ],
                ),
                (
                    Faults {
                        truncate_next: 1,
                        ..Faults::default()
                    },
                    &[Some(InjectedFault::Truncated), None],
                ),
            ];
            for (faults, attempts) in cases {
                fx.emulator.set_faults(faults.clone());
                let mark = fx.mark();
                let page = client
                    .list_user_certificate_order()
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{version:?} {faults:?}: {e}"));
                assert_eq!(page.total_count, Some(cpack));
                let log = fx.since(mark);
                let seen: Vec<_> = log.iter().map(|r| r.fault).collect();
                assert_eq!(seen, attempts, "{version:?} {faults:?}");
                for r in &log {
                    let (status, code) = match r.fault {
                        Some(InjectedFault::Dropped) => (0, None),
                        Some(InjectedFault::Failed) => (503, Some("ServiceUnavailable")),
                        _ => (200, None),
                    };
                    assert_eq!((r.status, r.code.as_deref()), (status, code), "{r:?}");
                    assert_eq!(r.signature_version, Some(version));
                }
                assert_distinct_nonces(&log);
            }

            // Without retries the same faults reach the caller, after one attempt.
            fx.emulator.set_faults(Faults {
                drop_next: 1,
                ..Faults::default()
            });
            let error = no_retries
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.kind(), error.code(), error.http_status()),
                (ErrorKind::Network, None, None)
            );
            assert!(error.is_retryable());
            fx.emulator.set_faults(Faults {
                fail_next: 1,
                ..Faults::default()
            });
            let error = no_retries
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.code(), error.http_status()),
                (Some("ServiceUnavailable"), Some(503))
            );
            assert!(error.is_retryable());

            // Three 503s exhaust the default three attempts.
            fx.emulator.set_faults(Faults {
                fail_next: 3,
                ..Faults::default()
            });
            let mark = fx.mark();
            let error = client
                .list_user_certificate_order()
                .send()
                .await
                .unwrap_err();
            assert_eq!(
                (error.code(), error.http_status()),
                (Some("ServiceUnavailable"), Some(503))
            );
            assert_eq!(fx.since(mark).len(), 3);
            assert_eq!(
                fx.emulator.requests().last().unwrap().fault,
                Some(InjectedFault::Failed)
            );
        }
        fx.emulator.shutdown().await;
    })
    .await;
}
