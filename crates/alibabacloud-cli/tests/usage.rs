//! Help, usage errors, credentials and network failures: runs that need no emulator.

mod support;

use support::{FAKE_KEYS, Run, alicloud, alicloud_in};

fn assert_usage_error(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
}

#[test]
fn help_lists_products_global_flags_and_exit_codes() {
    let run = alicloud(&["--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    for needle in [
        "bssopenapi",
        "Billing Management",
        "cas",
        "Certificate Management Service",
        "--region",
        "--endpoint",
        "--profile",
        "--signature-version",
        "--pager",
        "--output",
        "--emulator",
        "--read-timeout",
        "Exit codes:",
        "2  usage error",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
}

#[test]
fn product_help_lists_the_actions_of_every_version() {
    let run = alicloud(&["cas", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    for needle in [
        "API versions: 2018-07-13, 2018-08-13, 2020-04-07, 2020-06-30",
        "DescribeDVOrderResult",
        "DescribeOrderInstanceList",
        "ListDeploymentJobCert",
        "ListUserCertificateOrder",
        "Queries the certificates or certificate orders of users.",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
}

#[test]
fn action_help_lists_parameters_types_and_values() {
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    for needle in [
        "Queries the certificates or certificate orders of users.",
        "API version 2020-04-07",
        "--OrderType <STRING>",
        "[possible values: CPACK, BUY, UPLOAD, CERT]",
        "--ShowSize <INT64>",
        "The number of entries to return on each page.",
        "rg-ae******4wia",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
    let run = alicloud(&["cas", "ListDeploymentJobCert", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("Required parameters:"), "{run:#?}");
    assert!(run.stdout.contains("--JobId <INT64>"), "{run:#?}");
}

#[test]
fn product_codes_are_case_insensitive() {
    let run = alicloud(&["CAS", "ListUserCertificateOrder", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("--OrderType"), "{run:#?}");
}

#[test]
fn an_unknown_product_gets_a_suggestion() {
    let run = alicloud(&["cass", "ListUserCertificateOrder"]);
    assert_usage_error(
        &run,
        &[
            "unknown product 'cass'",
            "did you mean 'cas'?",
            "Products: bssopenapi, cas, sts",
        ],
    );
}

#[test]
fn an_unknown_action_gets_a_suggestion() {
    let run = alicloud(&["cas", "ListUserCertificateOrders"]);
    assert_usage_error(
        &run,
        &[
            "unknown action 'ListUserCertificateOrders' for product cas",
            "did you mean one of: 'ListUserCertificateOrder'",
        ],
    );
}

#[test]
fn a_missing_required_flag_is_named() {
    let run = alicloud(&["cas", "ListDeploymentJobCert"]);
    assert_usage_error(&run, &["required arguments were not provided", "--JobId"]);
}

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--ShowSize", "abc"]);
    assert_usage_error(
        &run,
        &[
            "invalid value 'abc' for '--ShowSize",
            "expected a 64-bit integer",
        ],
    );
}

#[test]
fn an_undocumented_enum_value_is_refused_with_the_documented_ones() {
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--OrderType", "cert"]);
    assert_usage_error(
        &run,
        &[
            "expected one of CPACK, BUY, UPLOAD, CERT",
            "did you mean 'CERT'?",
            "--force",
        ],
    );
}

#[test]
fn the_api_version_must_hold_the_action() {
    let run = alicloud(&[
        "--version",
        "2020-04-07",
        "cas",
        "DescribeOrderInstanceList",
        "--StartIndex",
        "0",
    ]);
    assert_usage_error(
        &run,
        &["not in API version 2020-04-07; it is in: 2018-07-13"],
    );
    let run = alicloud(&[
        "cas",
        "DescribeOrderInstanceList",
        "--version",
        "2001-01-01",
    ]);
    assert_usage_error(
        &run,
        &[
            "no API version '2001-01-01'",
            "2018-07-13, 2018-08-13, 2020-04-07, 2020-06-30",
        ],
    );
}

#[test]
fn pager_needs_an_operation_that_pages() {
    let run = alicloud(&["cas", "ListDeploymentJobCert", "--JobId", "1", "--pager"]);
    assert_usage_error(&run, &["does not page"]);
}

#[test]
fn without_credentials_every_source_tried_is_listed() {
    let run = alicloud(&["cas", "ListUserCertificateOrder"]);
    assert_eq!(run.code, 3, "{run:#?}");
    for needle in [
        "no credentials found",
        "environment (ALIBABA_CLOUD_ACCESS_KEY_ID not set)",
        "CLI profile",
        "profile file",
        "ECS RAM role",
        "credentials URI",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
}

#[test]
fn an_unreachable_endpoint_is_named() {
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(
        home.path(),
        &[
            "cas",
            "ListUserCertificateOrder",
            "--endpoint",
            "http://127.0.0.1:1",
        ],
        FAKE_KEYS,
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(
        run.stderr
            .contains("the endpoint at http://127.0.0.1:1 is unreachable"),
        "{run:#?}"
    );
}

#[test]
fn profile_picks_the_cli_profile_over_the_environment() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current":"broken","profiles":[
            {"name":"broken","mode":"AK","access_key_id":"LTAIbroken"},
            {"name":"work","mode":"AK","access_key_id":"LTAIwork","access_key_secret":"s"}
        ]}"#,
    )
    .unwrap();
    let args = [
        "cas",
        "ListUserCertificateOrder",
        "--endpoint",
        "http://127.0.0.1:1",
    ];
    // The file's current profile has no secret: no credentials.
    let run = alicloud_in(home.path(), &args, &[]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(run.stderr.contains("profile \"broken\""), "{run:#?}");
    // --profile wins over ALIBABA_CLOUD_PROFILE: credentials are found, the call is made.
    let mut with_profile = args.to_vec();
    with_profile.extend(["--profile", "work"]);
    let run = alicloud_in(
        home.path(),
        &with_profile,
        &[("ALIBABA_CLOUD_PROFILE", "broken")],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("unreachable"), "{run:#?}");
    // A profile that does not exist is named.
    let mut missing = args.to_vec();
    missing.extend(["--profile", "nope"]);
    let run = alicloud_in(home.path(), &missing, &[]);
    assert_eq!(run.code, 3, "{run:#?}");
    assert!(run.stderr.contains("no profile named \"nope\""), "{run:#?}");
}

#[test]
fn product_help_lists_every_action_of_every_version_from_the_catalog() {
    let run = alicloud(&["cas", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let mut actions = std::collections::BTreeMap::new();
    for product in alibabacloud_catalog::products("cas") {
        for operation in product.operations {
            actions.insert(operation.operation.action, operation.operation.read_only);
        }
    }
    // An action in several versions is listed once.
    assert_eq!(
        run.stdout
            .matches("\n  DeleteUserCertificate  [write]\n")
            .count(),
        1,
        "DeleteUserCertificate is in several versions, listed once"
    );
    for (action, read_only) in &actions {
        let marker = if *read_only { "" } else { "  [write]" };
        assert!(
            run.stdout.contains(&format!("\n  {action}{marker}\n")),
            "{action} missing from `alicloud cas --help`"
        );
    }
}

#[test]
fn an_action_in_several_versions_runs_on_the_newest_and_version_picks_another() {
    let in_versions: Vec<&str> = {
        let mut v: Vec<&str> = alibabacloud_catalog::products("cas")
            .filter(|p| p.operation("DeleteUserCertificate").is_some())
            .map(|p| p.service.version)
            .collect();
        v.sort_unstable();
        v
    };
    assert!(in_versions.len() > 1, "{in_versions:?}");
    let newest = *in_versions.last().unwrap();
    // Without --version: the newest version's request (shown, not sent).
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(
        home.path(),
        &["cas", "DeleteUserCertificate", "--CertId", "1", "--dry-run"],
        FAKE_KEYS,
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains(&format!("x-acs-version: {newest}")),
        "{run:#?}"
    );
    // --version picks another; help says which one runs.
    for version in &in_versions {
        let run = alicloud_in(
            home.path(),
            &[
                "cas",
                "DeleteUserCertificate",
                "--CertId",
                "1",
                "--version",
                version,
                "--signature-version",
                "v3",
                "--dry-run",
            ],
            FAKE_KEYS,
        );
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(
            run.stdout.contains(&format!("x-acs-version: {version}")),
            "{version}: {run:#?}"
        );
        let run = alicloud(&[
            "cas",
            "DeleteUserCertificate",
            "--version",
            version,
            "--help",
        ]);
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(run.stdout.contains("--CertId"), "{run:#?}");
        let said = if *version == newest {
            format!(
                "API version {newest}, the newest with DeleteUserCertificate: it runs unless --version picks another"
            )
        } else {
            format!("API version {version}, picked with --version (without it, {newest} runs")
        };
        assert!(
            run.stdout.replace('\n', " ").contains(&said),
            "{said:?} in {run:#?}"
        );
    }
    // The product's listing says it too, and so do the completion scripts.
    let run = alicloud(&["cas", "--help"]);
    assert!(
        run.stdout
            .contains(&format!("(runs on API version {newest}; also in ")),
        "{run:#?}"
    );
    let run = alicloud(&["completion", "zsh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("'DeleteUserCertificate:"))
        .unwrap_or_default();
    assert!(
        line.contains(&format!("(runs on API {newest})")),
        "completion line: {line:?}"
    );
}
