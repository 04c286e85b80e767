//! `alicloud --emulator` keeps its state between commands, as a user runs them: an upload
//! in one command is listed by the next, and `--emulator-reset` starts afresh.

mod support;

use std::path::Path;

use support::alicloud_in;

const CERT: &str = include_str!("../../../tests/fixtures/pem/web.cert.pem");
const KEY: &str = include_str!("../../../tests/fixtures/pem/web.key.pem");

fn uploaded_names(home: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "UPLOAD",
        "--Keyword",
        "fixture-works",
    ];
    args.extend_from_slice(extra);
    let run = alicloud_in(home, &args, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()["CertificateOrderList"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| row["Name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn an_upload_lasts_until_the_state_is_reset() {
    let home = tempfile::tempdir().unwrap();
    let upload = alicloud_in(
        home.path(),
        &[
            "--emulator",
            "cas",
            "UploadUserCertificate",
            "--Name",
            "web",
            "--Cert",
            CERT,
            "--Key",
            KEY,
        ],
        &[],
    );
    assert_eq!(upload.code, 0, "{upload:#?}");
    assert!(upload.json()["CertId"].as_i64().is_some(), "{upload:#?}");

    // The default state file is under the user's data directory.
    let state = home
        .path()
        .join(".local/share/alicloud/emulator-state.json");
    assert!(state.exists(), "no state file at {}", state.display());
    assert_eq!(uploaded_names(home.path(), &[]), ["web"]);

    // A second upload under the same name is refused: the first one is still there.
    let again = alicloud_in(
        home.path(),
        &[
            "--emulator",
            "cas",
            "UploadUserCertificate",
            "--Name",
            "web",
            "--Cert",
            CERT,
            "--Key",
            KEY,
        ],
        &[],
    );
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("NameRepeat"), "{again:#?}");

    assert!(uploaded_names(home.path(), &["--emulator-reset"]).is_empty());
    assert!(uploaded_names(home.path(), &[]).is_empty());
}

#[test]
fn an_explicit_state_file_is_used_and_xdg_data_home_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("mine.json");
    let file_arg = file.to_str().unwrap();
    let upload = alicloud_in(
        home.path(),
        &[
            "--emulator",
            "--emulator-state",
            file_arg,
            "cas",
            "UploadUserCertificate",
            "--Name",
            "explicit",
            &format!("--Cert={CERT}"),
            &format!("--Key={KEY}"),
        ],
        &[],
    );
    assert_eq!(upload.code, 0, "{upload:#?}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("\"explicit\"")
    );
    assert_eq!(
        uploaded_names(home.path(), &["--emulator-state", file_arg]),
        ["explicit"]
    );
    // The default file never saw it.
    assert!(uploaded_names(home.path(), &[]).is_empty());

    let data_home = home.path().join("xdg");
    let run = alicloud_in(
        home.path(),
        &["--emulator", "cas", "ListUserCertificateOrder"],
        &[("XDG_DATA_HOME", data_home.to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(data_home.join("alicloud/emulator-state.json").exists());
}

/// Runs `alicloud --emulator --emulator-step 20 args` in `home`; the JSON answer.
fn step(home: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--emulator", "--emulator-step", "20"];
    all.extend_from_slice(args);
    let run = alicloud_in(home, &all, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()
}

/// Polls `args` until `field` of its answer is `wanted` (at most 200 tries, 20 ms apart:
/// the lifecycle moves on the emulator's clock between separate commands); a `failed`
/// state ends it at once.
fn until(home: &Path, args: &[&str], field: &str, wanted: &str, failed: &str) -> serde_json::Value {
    let mut seen = Vec::new();
    for _ in 0..200 {
        let body = step(home, args);
        let state = body[field].as_str().unwrap_or_default().to_owned();
        if state == wanted {
            return body;
        }
        assert_ne!(state, failed, "{body:#}");
        if seen.last() != Some(&state) {
            seen.push(state);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{field} never became {wanted}: {seen:?}");
}

#[test]
fn a_csr_application_is_issued_across_commands() {
    let home = tempfile::tempdir().unwrap();
    let csr = step(
        home.path(),
        &[
            "cas",
            "CreateCsr",
            "--Algorithm",
            "ECC",
            "--KeySize",
            "256",
            "--CommonName",
            "cli.example.org",
            "--CountryCode",
            "CN",
            "--Province",
            "Zhejiang",
            "--Locality",
            "Hangzhou",
        ],
    );
    let csr_pem = csr["Csr"].as_str().unwrap().to_owned();
    let order = step(
        home.path(),
        &[
            "cas",
            "CreateCertificateWithCsrRequest",
            "--Csr",
            &csr_pem,
            "--Username",
            "Alex",
            "--Phone",
            "13800000000",
            "--Email",
            "alex@example.org",
            "--ValidateType",
            "DNS",
        ],
    )["OrderId"]
        .to_string();
    let issued = until(
        home.path(),
        &["cas", "DescribeCertificateState", "--OrderId", &order],
        "Type",
        "certificate",
        "verify_fail",
    );
    assert!(
        issued["Certificate"]
            .as_str()
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    assert_eq!(issued["Domain"], "cli.example.org");
}

#[test]
fn a_deployment_job_succeeds_across_commands() {
    let home = tempfile::tempdir().unwrap();
    // A stored certificate and a resource it covers.
    let resources = step(
        home.path(),
        &["cas", "ListCloudResources", "--ShowSize", "1"],
    );
    let resource = &resources["Data"][0];
    let resource_id = resource["Id"].to_string();
    let cert_id = resource["CertId"].to_string();
    let job = step(
        home.path(),
        &[
            "cas",
            "CreateDeploymentJob",
            "--Name",
            "cli-rollout",
            "--JobType",
            "user",
            "--CertIds",
            &cert_id,
            "--ResourceIds",
            &resource_id,
            "--ContactIds",
            "1",
        ],
    )["JobId"]
        .to_string();
    step(
        home.path(),
        &[
            "cas",
            "UpdateDeploymentJobStatus",
            "--JobId",
            &job,
            "--Status",
            "pending",
        ],
    );
    let done = until(
        home.path(),
        &["cas", "DescribeDeploymentJob", "--JobId", &job],
        "Status",
        "success",
        "error",
    );
    assert_eq!(done["Name"], "cli-rollout");

    // A worker of the finished job is rolled back once; the job's state, kept between
    // commands, refuses a second rollback.
    let workers = step(home.path(), &["cas", "ListWorkerResource", "--JobId", &job]);
    let worker = workers["Data"][0]["Id"].to_string();
    let rollback = [
        "cas",
        "CreateRollbackTask",
        "--JobId",
        &job,
        "--WorkerId",
        &worker,
    ];
    step(home.path(), &rollback);
    let mut again = vec!["--emulator"];
    again.extend_from_slice(&rollback);
    let again = alicloud_in(home.path(), &again, &[]);
    assert_ne!(again.code, 0, "{again:#?}");
    assert!(
        again.stderr.contains("OperationDenied.JobStatus"),
        "{again:#?}"
    );
}
