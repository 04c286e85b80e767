//! The newer lifecycles of the emulator through the CLI, one command per step, with the state
//! kept between commands as a user runs them: tags set on an uploaded certificate filter the
//! next command's listing and are removed by a third; an uploaded certificate is shared; a
//! budget and a tree of cost centres are created, found and deleted across commands
//! (BssOpenApi 2023-09-30, the newest version, chosen without `--version`). The private CA
//! across commands is in `emulator_shared_state.rs`, deployment rollbacks in
//! `emulator_state.rs`.

mod support;

use std::path::Path;

use support::alicloud_in;

const CERT: &str = include_str!("../../../tests/fixtures/pem/web.cert.pem");
const KEY: &str = include_str!("../../../tests/fixtures/pem/web.key.pem");

/// Runs `alicloud --emulator args` in `home` (its default state file); the JSON answer.
fn step(home: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--emulator"];
    all.extend_from_slice(args);
    let run = alicloud_in(home, &all, &[]);
    assert_eq!(run.code, 0, "{args:?}: {run:#?}");
    run.json()
}

/// The resource IDs that `ListTagResources` finds for one tag.
fn tagged(home: &Path, tag: &str) -> Vec<String> {
    let listed = step(
        home,
        &[
            "cas",
            "ListTagResources",
            "--RegionId",
            "cn-hangzhou",
            "--ResourceType",
            "cert",
            "--Tag",
            tag,
        ],
    );
    let mut ids: Vec<String> = listed["Data"]["TagResources"]
        .as_array()
        .unwrap_or_else(|| panic!("no TagResources list: {listed:#}"))
        .iter()
        .map(|row| match &row["ResourceId"] {
            serde_json::Value::String(id) => id.clone(),
            other => other.to_string(),
        })
        .collect();
    ids.dedup();
    ids
}

#[test]
fn tags_set_by_one_command_filter_the_next_and_are_removed_by_a_third() {
    let home = tempfile::tempdir().unwrap();
    let upload = step(
        home.path(),
        &[
            "cas",
            "UploadUserCertificate",
            "--Name",
            "tagged-web",
            "--Cert",
            CERT,
            "--Key",
            KEY,
        ],
    );
    let cert_id = upload["CertId"].as_i64().expect("a CertId").to_string();

    // A list of objects, given as JSON, goes on the wire as Tag.1.Key, Tag.1.Value, ...
    step(
        home.path(),
        &[
            "cas",
            "TagResources",
            "--RegionId",
            "cn-hangzhou",
            "--ResourceType",
            "cert",
            "--ResourceId",
            &cert_id,
            "--Tag",
            r#"[{"Key":"team","Value":"web"},{"Key":"env","Value":"prod"}]"#,
        ],
    );
    assert_eq!(
        tagged(home.path(), r#"{"Key":"team","Value":"web"}"#),
        std::slice::from_ref(&cert_id)
    );
    assert!(tagged(home.path(), r#"{"Key":"team","Value":"ops"}"#).is_empty());

    step(
        home.path(),
        &[
            "cas",
            "UntagResources",
            "--RegionId",
            "cn-hangzhou",
            "--ResourceType",
            "cert",
            "--ResourceId",
            &cert_id,
            // The aliyun CLI's way of writing a list, item by item.
            "--TagKey.1",
            "team",
        ],
    );
    assert!(tagged(home.path(), r#"{"Key":"team","Value":"web"}"#).is_empty());
    assert_eq!(
        tagged(home.path(), r#"{"Key":"env","Value":"prod"}"#),
        [cert_id]
    );
}

#[test]
fn a_budget_lives_from_its_creation_to_its_deletion_across_commands() {
    let home = tempfile::tempdir().unwrap();
    let names = |home: &Path| -> Vec<String> {
        let listed = step(home, &["bssopenapi", "DescribeBudgets"]);
        listed["Data"]
            .as_array()
            .unwrap_or_else(|| panic!("no Data list: {listed:#}"))
            .iter()
            .filter_map(|row| row["BudgetName"].as_str().map(str::to_owned))
            .collect()
    };
    let made = step(
        home.path(),
        &[
            "bssopenapi",
            "CreateBudget",
            "--BudgetName",
            "cli-dev",
            "--BudgetType",
            "CONSUME",
            "--CycleType",
            "MONTHLY",
            "--CycleStartPeriod",
            "2026-01",
            "--CycleEndPeriod",
            "2026-12",
            "--Metric",
            "REQUIRE_AMOUNT",
            "--QuotaType",
            "FIXED",
            "--Quota",
            "1000",
            "--CycleQuota",
            r#"[{"CyclePeriod":"2026-01","Quota":"1000"}]"#,
        ],
    );
    assert_eq!(made["BudgetName"], "cli-dev", "{made:#}");
    let listed = names(home.path());
    assert!(listed.contains(&"cli-dev".to_owned()), "{listed:?}");
    let described = step(
        home.path(),
        &["bssopenapi", "DescribeBudget", "--BudgetName", "cli-dev"],
    );
    assert_eq!(described["Quota"], "1000", "{described:#}");

    step(
        home.path(),
        &["bssopenapi", "DeleteBudget", "--BudgetName", "cli-dev"],
    );
    let listed = names(home.path());
    assert!(!listed.contains(&"cli-dev".to_owned()), "{listed:?}");
    assert!(!listed.is_empty(), "the seeded budgets stay");
}

/// Runs `alicloud --emulator args` in `home`, expecting a service error: its stderr.
fn refused(home: &Path, args: &[&str]) -> String {
    let mut all = vec!["--emulator"];
    all.extend_from_slice(args);
    let run = alicloud_in(home, &all, &[]);
    assert_ne!(run.code, 0, "{args:?} should fail: {run:#?}");
    run.stderr
}

#[test]
fn a_certificate_uploaded_by_one_command_is_shared_by_the_next() {
    let home = tempfile::tempdir().unwrap();
    let upload = step(
        home.path(),
        &[
            "cas",
            "UploadUserCertificate",
            "--Name",
            "to-share",
            "--Cert",
            CERT,
            "--Key",
            KEY,
        ],
    );
    let cert_id = upload["CertId"].as_i64().expect("a CertId").to_string();
    let shared = step(
        home.path(),
        &[
            "cas",
            "ShareCertificate",
            "--CertificateId",
            &cert_id,
            "--TargetUserId",
            "1111222233334444",
        ],
    );
    assert!(shared["RequestId"].is_string(), "{shared:#}");
    let unknown = refused(
        home.path(),
        &[
            "cas",
            "ShareCertificate",
            "--CertificateId",
            "1",
            "--TargetUserId",
            "1111222233334444",
        ],
    );
    assert!(unknown.contains("InvalidCertId.NotFound"), "{unknown}");
}

#[test]
fn a_cost_centre_tree_lives_across_commands() {
    const OWNER: &str = "1234567890123456";
    let home = tempfile::tempdir().unwrap();
    let made = step(
        home.path(),
        &[
            "bssopenapi",
            "CreateCostCenter",
            "--CostCenterEntityList",
            &format!(
                r#"[{{"CostCenterName":"cli-company","OwnerAccountId":{OWNER},"ParentCostCenterId":-1}}]"#
            ),
        ],
    );
    let top = made["CostCenterDtoList"][0]["CostCenterId"].to_string();
    step(
        home.path(),
        &[
            "bssopenapi",
            "CreateCostCenter",
            "--CostCenterEntityList",
            &format!(
                r#"[{{"CostCenterName":"cli-engineering","OwnerAccountId":{OWNER},"ParentCostCenterId":{top}}}]"#
            ),
        ],
    );
    // The children of the top centre: (id, name) of each.
    let children = |home: &Path| -> Vec<(String, String)> {
        let listed = step(
            home,
            &[
                "bssopenapi",
                "QueryCostCenter",
                "--OwnerAccountId",
                OWNER,
                "--ParentCostCenterId",
                &top,
                "--CurrentPage",
                "1",
                "--PageSize",
                "20",
            ],
        );
        listed["CostCenterDtoList"]
            .as_array()
            .unwrap_or_else(|| panic!("no CostCenterDtoList: {listed:#}"))
            .iter()
            .map(|row| {
                let name = row["CostCenterName"].as_str().unwrap_or_default();
                (row["CostCenterId"].to_string(), name.to_owned())
            })
            .collect()
    };
    let listed = children(home.path());
    let names: Vec<&str> = listed.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["cli-engineering"]);
    let child = &listed[0].0;
    step(
        home.path(),
        &[
            "bssopenapi",
            "DeleteCostCenter",
            "--CostCenterId",
            child,
            "--OwnerAccountId",
            OWNER,
        ],
    );
    assert!(children(home.path()).is_empty());
}
