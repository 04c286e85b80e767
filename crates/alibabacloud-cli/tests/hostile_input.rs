//! Careless or hostile input never hangs or crashes `alicloud`: a deeply nested `--query`
//! and a `file://` value naming a FIFO, a directory or a device are refused with a usage
//! error (spawned processes, each bounded by a deadline so a regression fails instead of
//! hanging the suite).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `alicloud args` in an empty HOME; `None` if it did not finish within 20 s.
fn run_bounded(args: &[&str]) -> Option<(i32, String)> {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_alicloud"))
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfakefakefake")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "fake-secret")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            use std::io::Read as _;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return Some((status.code().unwrap_or(-1), stderr));
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_deeply_nested_query_is_a_usage_error_not_a_crash() {
    let deep = format!(
        "{}CertificateOrderList{}",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let (code, stderr) = run_bounded(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--query",
        &deep,
    ])
    .expect("alicloud finishes");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("deeper than"), "{stderr}");
}

#[test]
fn file_values_are_regular_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("key.pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut targets = vec![dir.path().to_path_buf(), "/dev/zero".into()];
    if made.is_ok_and(|status| status.success()) {
        targets.push(fifo);
    }
    for target in targets {
        let value = format!("file://{}", target.display());
        let outcome = run_bounded(&[
            "cas",
            "UploadUserCertificate",
            "--version",
            "2020-04-07",
            "--Name",
            "web",
            "--Cert",
            &value,
            "--Key",
            "x",
            "--dry-run",
        ]);
        let (code, stderr) = outcome.unwrap_or_else(|| panic!("{value}: alicloud hung"));
        assert_eq!(code, 2, "{value}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{value}: {stderr}");
    }
}
