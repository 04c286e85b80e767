//! Waiting, as a user runs it: `alicloud cas wait <waiter>` (the specs' waiters) and
//! `--waiter expr=… to=…` on any read action, against the emulator's certificate
//! applications (one lifecycle step every `--emulator-step` milliseconds): the final
//! response on stdout, progress on stderr, exit 5 with the last state on a failure state
//! or a timeout, and a usage error for a write.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{Run, alicloud_in};

/// Runs `alicloud --emulator --emulator-step <step> args` in `home`.
fn emulated(home: &Path, step: &str, args: &[&str]) -> Run {
    let mut all = vec!["--emulator", "--emulator-step", step];
    all.extend_from_slice(args);
    alicloud_in(home, &all, &[])
}

/// Applies for a DV certificate of `domain`; its order ID.
fn apply(home: &Path, step: &str, domain: &str) -> String {
    let run = emulated(
        home,
        step,
        &[
            "cas",
            "CreateCertificateRequest",
            "--Domain",
            domain,
            "--Email",
            "admin@example.org",
            "--Phone",
            "13800000000",
            "--Username",
            "Alex",
            "--ValidateType",
            "DNS",
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()["OrderId"].to_string()
}

#[test]
fn wait_certificate_issued_returns_once_the_emulator_issues_it() {
    let home = tempfile::tempdir().unwrap();
    let order = apply(home.path(), "200", "wait.example.org");
    let started = Instant::now();
    let run = emulated(
        home.path(),
        "200",
        &[
            "cas",
            "wait",
            "certificate-issued",
            "--OrderId",
            &order,
            "--interval",
            "0.1",
            "--timeout",
            "60",
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    // The final response on stdout: the issued certificate.
    let body = run.json();
    assert_eq!(body["Type"], "certificate", "{run:#?}");
    assert!(
        body["Certificate"]
            .as_str()
            .unwrap_or_default()
            .contains("BEGIN CERTIFICATE"),
        "{run:#?}"
    );
    // Progress on stderr: the states it went through, then the one it waited for.
    assert!(run.stderr.contains("Type = \"domain_verify\""), "{run:#?}");
    assert!(
        run.stderr
            .contains("Type = \"certificate\": certificate-issued reached"),
        "{run:#?}"
    );
    // Two steps of 200 ms, polled every 100 ms: well under the limit.
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_failure_state_ends_the_wait_with_exit_5_and_the_state() {
    let home = tempfile::tempdir().unwrap();
    // The emulator fails the validation of a domain under .invalid.
    let order = apply(home.path(), "50", "www.example.invalid");
    let run = emulated(
        home.path(),
        "50",
        &[
            "cas",
            "wait",
            "certificate-issued",
            "--OrderId",
            &order,
            "--interval",
            "0.1",
        ],
    );
    assert_eq!(run.code, 5, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(
        run.stderr
            .contains("certificate-issued failed: Type is \"verify_fail\", a failure state"),
        "{run:#?}"
    );
}

#[test]
fn a_timeout_ends_the_wait_with_exit_5_and_the_last_state() {
    let home = tempfile::tempdir().unwrap();
    // One step takes a minute: the application stays in domain_verify.
    let order = apply(home.path(), "60000", "slow.example.org");
    let started = Instant::now();
    let run = emulated(
        home.path(),
        "60000",
        &[
            "cas",
            "wait",
            "certificate-issued",
            "--OrderId",
            &order,
            "--timeout",
            "2",
            "--interval",
            "0.5",
        ],
    );
    assert_eq!(run.code, 5, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(
        run.stderr
            .contains("gave up waiting for certificate-issued"),
        "{run:#?}"
    );
    assert!(
        run.stderr.contains("last state Type = \"domain_verify\""),
        "{run:#?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20), "{run:#?}");
}

#[test]
fn the_waiter_flag_polls_any_read_action() {
    let home = tempfile::tempdir().unwrap();
    let order = apply(home.path(), "100", "flag.example.org");
    let run = emulated(
        home.path(),
        "100",
        &[
            "cas",
            "DescribeCertificateState",
            "--OrderId",
            &order,
            "--waiter",
            "expr=Type",
            "to=certificate",
            "timeout=60",
            "interval=0.1",
            "--query",
            "Domain",
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "\"flag.example.org\"\n", "{run:#?}");
    assert!(run.stderr.contains("Type == \"certificate\""), "{run:#?}");
    // The time runs out: exit 5, with the last value seen.
    let run = emulated(
        home.path(),
        "100",
        &[
            "cas",
            "DescribeCertificateState",
            "--OrderId",
            &order,
            "--waiter",
            "expr=Domain",
            "to=other.example.org",
            "timeout=1",
            "interval=0.3",
        ],
    );
    assert_eq!(run.code, 5, "{run:#?}");
    assert!(
        run.stderr
            .contains("last state Domain = \"flag.example.org\""),
        "{run:#?}"
    );
    // --quiet: no progress and no response, the exit code tells.
    let run = emulated(
        home.path(),
        "100",
        &[
            "cas",
            "DescribeCertificateState",
            "--OrderId",
            &order,
            "--waiter",
            "expr=Type",
            "to=certificate",
            "--quiet",
        ],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:#?}");
}

#[test]
fn writes_are_never_polled_and_bad_waits_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let usage = |args: &[&str], needle: &str| {
        let run = alicloud_in(home.path(), args, &[]);
        assert_eq!(run.code, 2, "{run:#?}");
        assert!(run.stderr.contains(needle), "{needle:?} in {run:#?}");
    };
    usage(
        &[
            "--emulator",
            "cas",
            "DeleteUserCertificate",
            "--CertId",
            "1",
            "--waiter",
            "expr=RequestId",
            "to=x",
        ],
        "only read actions are polled (a write never repeats)",
    );
    usage(
        &["cas", "wait", "certificate-isued", "--OrderId", "1"],
        "unknown waiter 'certificate-isued' for product cas; its waiters: certificate-issued, deployment-job-succeeded",
    );
    usage(&["cas", "wait", "certificate-issued"], "--OrderId");
    usage(
        &[
            "cas",
            "DescribeCertificateState",
            "--OrderId",
            "1",
            "--waiter",
            "expr=Type",
        ],
        "to=<value> is required",
    );
    usage(&["sts", "wait", "anything"], "product sts has no waiters");
    // The product's help lists its waiters; each waiter's help says what it waits for.
    let run = alicloud_in(home.path(), &["cas", "--help"], &[]);
    assert!(
        run.stdout
            .contains("Waiters (alicloud cas wait <WAITER> ...):"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("deployment-job-succeeded"), "{run:#?}");
    let run = alicloud_in(
        home.path(),
        &["cas", "wait", "certificate-issued", "--help"],
        &[],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout
            .contains("Polls DescribeCertificateState until Type is certificate"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("--timeout <SECONDS>"), "{run:#?}");
    assert!(run.stdout.contains("--interval <SECONDS>"), "{run:#?}");
}
