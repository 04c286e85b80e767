//! Calls against the emulator: `--emulator` starts one inside the `alicloud` process; the
//! `--profile` tests start one here and point `--endpoint` at it.

mod support;

use alibabacloud_emulator::Emulator;
use serde_json::Value;
use support::{Run, alicloud, alicloud_in};

fn ok(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()
}

fn count(value: &Value) -> u64 {
    match value {
        Value::Number(n) => n.as_u64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a count: {other}"),
    }
}

#[test]
fn emulator_lists_certificate_orders() {
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
    ]);
    let body = ok(&run);
    let list = body["CertificateOrderList"].as_array().expect("a list");
    assert!(!list.is_empty(), "{run:#?}");
    assert!(count(&body["TotalCount"]) >= list.len() as u64, "{run:#?}");
    assert!(body["RequestId"].is_string(), "{run:#?}");
    // Pretty-printed.
    assert!(run.stdout.starts_with("{\n  \""), "{run:#?}");
}

#[test]
fn pager_returns_every_item() {
    let first = ok(&alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--ShowSize",
        "1",
    ]));
    let total = count(&first["TotalCount"]);
    assert!(total >= 3, "too few seeded certificates to page: {total}");
    // About three pages.
    let show_size = total.div_ceil(3).to_string();
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--ShowSize",
        &show_size,
        "--pager",
    ]);
    let body = ok(&run);
    let items = body["CertificateOrderList"].as_array().unwrap();
    assert_eq!(items.len() as u64, count(&body["TotalCount"]), "{run:#?}");
    assert_eq!(items.len() as u64, total);
    let mut ids: Vec<_> = items.iter().map(|i| i["CertificateId"].clone()).collect();
    ids.sort_by_key(|id| id.to_string());
    ids.dedup();
    assert_eq!(ids.len() as u64, total, "every page once");
    // No progress when stderr is not a terminal.
    assert!(run.stderr.is_empty(), "{run:#?}");
}

#[test]
fn pager_follows_offsets_and_wrapped_lists() {
    // Offset paging (StartIndex), required cursor left to the pager, version picked.
    let body = ok(&alicloud(&[
        "--emulator",
        "cas",
        "DescribeOrderInstanceList",
        "--pager",
    ]));
    let items = body["OrderList"].as_array().unwrap();
    assert_eq!(items.len() as u64, count(&body["TotalCount"]));
    assert!(items.len() > 10, "more than one page: {}", items.len());
    // Page-number paging whose list is wrapped: {"OrderList": {"Order": [...]}}.
    let body = ok(&alicloud(&[
        "--emulator",
        "bssopenapi",
        "QueryOrders",
        "--PageSize",
        "2",
        "--pager",
    ]));
    let data = &body["Data"];
    let list = &data["OrderList"];
    let items = list
        .as_array()
        .or_else(|| list["Order"].as_array())
        .unwrap();
    assert_eq!(items.len() as u64, count(&data["TotalCount"]), "{body:#}");
}

/// The current UTC month, `YYYY-MM` (the emulator bills the current cycle).
fn this_month() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400;
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

#[test]
fn pager_follows_next_tokens_on_a_billing_operation() {
    let cycle = this_month();
    let one = ok(&alicloud(&[
        "--emulator",
        "bssopenapi",
        "DescribeInstanceBill",
        "--BillingCycle",
        &cycle,
        "--Granularity",
        "DAILY",
        "--MaxResults",
        "40",
    ]));
    let total = count(&one["Data"]["TotalCount"]);
    assert!(total > 40, "more than one page: {total}");
    assert!(
        one["Data"]["NextToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    let run = alicloud(&[
        "--emulator",
        "bssopenapi",
        "DescribeInstanceBill",
        "--BillingCycle",
        &cycle,
        "--Granularity",
        "DAILY",
        "--MaxResults",
        "40",
        "--pager",
    ]);
    let body = ok(&run);
    let items = body["Data"]["Items"].as_array().unwrap();
    assert_eq!(items.len() as u64, total, "every page once");
    // With --query on top: one number per product, summed over the pages.
    let run = alicloud(&[
        "--emulator",
        "bssopenapi",
        "DescribeInstanceBill",
        "--BillingCycle",
        &cycle,
        "--Granularity",
        "DAILY",
        "--MaxResults",
        "40",
        "--pager",
        "--query",
        "length(Data.Items[?ProductCode=='ecs'])",
    ]);
    let ecs = ok(&run);
    let expected = items.iter().filter(|i| i["ProductCode"] == "ecs").count();
    assert_eq!(ecs.as_u64(), Some(expected as u64), "{run:#?}");
}

#[test]
fn table_output_prints_a_header_and_rows() {
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--ShowSize",
        "5",
        "--output",
        "table",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 5, "{run:#?}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert!(header.contains(&"CertificateId"), "{run:#?}");
    assert!(header.contains(&"CommonName"), "{run:#?}");
    assert!(lines[1].chars().all(|c| c == '-' || c == ' '), "{run:#?}");
    // Columns line up: the second column starts at the same place on every line (a cell
    // may be empty: an issued DV certificate has no city).
    let second = lines[0].find(header[1]).unwrap();
    for line in &lines[2..] {
        assert_eq!(line.as_bytes()[second - 1], b' ', "{line}");
    }
    assert!(
        lines[2..]
            .iter()
            .any(|line| line.as_bytes()[second] != b' '),
        "{run:#?}"
    );
}

#[test]
fn signature_v1_works() {
    let body = ok(&alicloud(&[
        "--emulator",
        "--signature-version",
        "v1",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--ShowSize",
        "2",
    ]));
    assert_eq!(body["CertificateOrderList"].as_array().unwrap().len(), 2);
}

#[test]
fn the_version_flag_picks_the_api_version() {
    let body = ok(&alicloud(&[
        "--emulator",
        "--version",
        "2018-07-13",
        "cas",
        "DescribeOrderInstanceList",
        "--StartIndex",
        "0",
    ]));
    assert!(body["OrderList"].is_array(), "{body:#}");
}

fn assert_service_error(run: &Run, code: &str) {
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    for needle in [
        "the service returned an error".to_owned(),
        format!("Code:      {code}"),
        "Message:   ".to_owned(),
        "RequestId: ".to_owned(),
    ] {
        assert!(
            run.stderr.contains(&needle),
            "missing {needle:?} in {run:#?}"
        );
    }
    assert!(!run.stderr.contains("RequestId: (none)"), "{run:#?}");
}

#[test]
fn service_errors_show_code_message_and_request_id() {
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListDeploymentJobCert",
        "--JobId",
        "999999999",
    ]);
    assert_service_error(&run, "InvalidJobId.NotFound");
    // --force sends a value the client would refuse; the service refuses it.
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "BOGUS",
        "--force",
    ]);
    assert_service_error(&run, "InvalidParameter");
}

/// An aliyun CLI configuration with the emulator's key under `good` and a wrong secret
/// under `bad`.
fn write_profiles(home: &std::path::Path, emulator: &alibabacloud_emulator::RunningEmulator) {
    let credentials = emulator.credentials();
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    let config = serde_json::json!({
        "current": "bad",
        "profiles": [
            {"name": "good", "mode": "AK", "access_key_id": credentials.access_key_id(),
             "access_key_secret": credentials.access_key_secret()},
            {"name": "bad", "mode": "AK", "access_key_id": credentials.access_key_id(),
             "access_key_secret": "not-the-secret"},
        ]
    });
    std::fs::write(home.join(".aliyun/config.json"), config.to_string()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_credentials_sign_the_call() {
    let emulator = Emulator::start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    write_profiles(home.path(), &emulator);
    let endpoint = emulator.endpoint();
    let path = home.path().to_owned();
    let (good, bad) = tokio::task::spawn_blocking(move || {
        let args = |profile| {
            vec![
                "--endpoint",
                endpoint.as_str(),
                "--profile",
                profile,
                "cas",
                "ListUserCertificateOrder",
                "--ShowSize",
                "1",
            ]
        };
        (
            alicloud_in(&path, &args("good"), &[("ALIBABA_CLOUD_PROFILE", "bad")]),
            alicloud_in(&path, &args("bad"), &[]),
        )
    })
    .await
    .unwrap();
    emulator.shutdown().await;
    ok(&good);
    assert_service_error(&bad, "SignatureDoesNotMatch");
}

#[test]
fn a_deprecated_operation_warns_before_it_is_called() {
    let run = alicloud(&[
        "--emulator",
        "cas",
        "DescribeClientCertificateForSerialNumber",
        "--version",
        "2020-06-30",
        "--SerialNumber",
        "00",
    ]);
    assert!(
        run.stderr
            .contains("warning: cas DescribeClientCertificateForSerialNumber is deprecated"),
        "{run:#?}"
    );
    // An operation the service keeps says nothing of the kind.
    let run = alicloud(&["--emulator", "cas", "ListCsr"]);
    assert!(!run.stderr.contains("deprecated"), "{run:#?}");
}

/// Keys for `--dry-run`, which signs but sends nothing.
const KEYS: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-dry-run"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dry-run-secret"),
];

#[test]
fn the_region_picks_the_published_host() {
    // A Seoul billing user reaches the international site; CAS in Wuhan the central host.
    for (product, region, host) in [
        (
            "bssopenapi",
            "ap-northeast-2",
            "business.ap-southeast-1.aliyuncs.com",
        ),
        ("cas", "cn-wuhan", "cas.aliyuncs.com"),
    ] {
        let action = if product == "cas" {
            "ListCsr"
        } else {
            "QueryAccountBalance"
        };
        let run = alicloud_in(
            tempfile::tempdir().unwrap().path(),
            &["--dry-run", "--region", region, product, action],
            &KEYS,
        );
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(
            run.stdout.contains(host) || run.stderr.contains(host),
            "{run:#?}"
        );
    }
    let run = alicloud_in(
        tempfile::tempdir().unwrap().path(),
        &["--dry-run", "--region", "cn-hangzou", "cas", "ListCsr"],
        &KEYS,
    );
    assert_ne!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("known regions"), "{run:#?}");
}
