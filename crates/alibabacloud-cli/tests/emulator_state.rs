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
