//! The eight operations the emulator answers from its seeded data set (it answers the rest of
//! the catalog from response shapes: `e2e_catalog.rs`), one call each through the generated
//! clients under V1 and V3: every answer checked field by field against the data, and the
//! request log checked for versions, signatures, keys and nonces.

mod e2e;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alibabacloud_bssopenapi_20171214 as bss;
use alibabacloud_cas_20180713 as cas2018;
use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::{Config, Credentials, SignatureVersion};
use alibabacloud_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCOUNT_ID};
use alibabacloud_sts_20150401 as sts;
use e2e::{
    BSS, CALL_TIMEOUT, CAS2018, CAS2020, DAY, Fixture, HOUR, STS, TEST_LIMIT, VERSIONS,
    assert_distinct_nonces, assert_order_row, billing_data_row, billing_row, bounded, iso, jwt,
    oidc_provider_arn, role_arn, text,
};
use serde_json::json;

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
async fn every_data_backed_operation_answers_the_seeded_data_under_v1_and_v3() {
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
