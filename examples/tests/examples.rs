//! Every example, run as a user runs it, against the emulator (`--emulator`), with its
//! output checked.

use std::process::Command;

fn run(bin: &str, args: &[&str]) -> String {
    let output = Command::new(bin)
        .args(args)
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{bin} {args:?}\n{stdout}\n{stderr}"
    );
    stdout
}

#[test]
fn certificate_inventory_lists_every_certificate_soonest_first() {
    let out = run(
        env!("CARGO_BIN_EXE_certificate_inventory"),
        &["--emulator", "--within", "30"],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].trim_start().starts_with("DAYS"), "{out}");
    let days: Vec<i64> = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(days.len() > 100, "{out}");
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "soonest first");
    assert!(days.iter().any(|d| *d < 0) && days.iter().any(|d| (0..=30).contains(d)));
    for line in &lines[1..lines.len() - 1] {
        let d: i64 = line.split_whitespace().next().unwrap().parse().unwrap();
        assert_eq!(line.ends_with("expired"), d < 0, "{line}");
        assert_eq!(
            line.ends_with("expiring soon"),
            (0..=30).contains(&d),
            "{line}"
        );
    }
    let summary = lines.last().unwrap();
    let expired = days.iter().filter(|d| **d < 0).count();
    assert!(
        summary.starts_with(&format!("{} certificates:", days.len())),
        "{summary}"
    );
    assert!(
        summary.ends_with(&format!("{expired} expired")),
        "{summary}"
    );
}

#[test]
fn bill_summary_sums_each_product_and_the_total() {
    let out = run(env!("CARGO_BIN_EXE_bill_summary"), &["--emulator"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Bill summary for "), "{out}");
    let cents = |line: &str| -> i64 {
        let amount = line.split_whitespace().last().unwrap();
        let (whole, frac) = amount.split_once('.').unwrap();
        whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
    };
    let products: Vec<&str> = lines[2..lines.len() - 1].to_vec();
    assert!(products.len() >= 5, "{out}");
    let amounts: Vec<i64> = products.iter().map(|l| cents(l)).collect();
    assert!(
        amounts.windows(2).all(|w| w[0] >= w[1]),
        "most expensive first"
    );
    let total = lines.last().unwrap();
    assert!(total.starts_with("TOTAL"), "{out}");
    assert_eq!(cents(total), amounts.iter().sum::<i64>());
}

#[test]
fn upload_and_deploy_deploys_to_the_resource_of_the_domain() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["www.example.com".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    let out = run(
        env!("CARGO_BIN_EXE_upload_and_deploy"),
        &[
            "--emulator",
            "--cert",
            cert_path.to_str().unwrap(),
            "--key",
            key_path.to_str().unwrap(),
            "--name",
            "web",
        ],
    );
    assert!(out.contains("uploaded web as certificate"), "{out}");
    assert!(out.contains("started for 1 resource(s)"), "{out}");
    assert!(out.contains("  CDN www.example.com: success"), "{out}");
    assert!(out.trim_end().ends_with(": success"), "{out}");
}

#[test]
fn apply_dv_waits_for_the_certificate_and_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        env!("CARGO_BIN_EXE_apply_dv"),
        &[
            "--emulator",
            "--domain",
            "www.example.com",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.contains("TXT _dnsauth.www.example.com "), "{out}");
    let cert = std::fs::read_to_string(dir.path().join("www.example.com.pem")).unwrap();
    assert_eq!(cert.matches("BEGIN CERTIFICATE").count(), 2, "leaf and CA");
    let key = std::fs::read_to_string(dir.path().join("www.example.com.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("www.example.com.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is the owner's only");
    }
}

#[test]
fn call_metrics_counts_attempts_and_failures_per_operation() {
    let out = run(
        env!("CARGO_BIN_EXE_call_metrics"),
        &["--emulator", "--rounds", "2"],
    );
    let line = |action: &str| {
        out.lines()
            .find(|l| l.starts_with(action))
            .unwrap_or_else(|| panic!("no {action} in\n{out}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("ListUserCertificateOrder")[1..3], ["2", "0"], "{out}");
    assert_eq!(line("ListCsr")[1..3], ["2", "0"], "{out}");
    // The failing call is counted, once per round (a client error is not retried).
    assert_eq!(line("GetUserCertificateDetail")[1..3], ["2", "2"], "{out}");
}
