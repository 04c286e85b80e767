//! What scripts rely on, run as scripts run it: the newest API version by default (an
//! action of two CAS versions deleted on the emulator without `--version`), `--quiet`,
//! `--output table cols=… rows=…` (and the aliyun CLI's `--output cols=… rows=…`), the
//! region chain as `--dry-run` shows it, `--retry-count` (reads retried that often, a write
//! still sent once), `--connect-timeout`, and the runnable example of an action's help.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::{FAKE_KEYS, Run, alicloud, alicloud_in};

const CERT: &str = include_str!("../../../tests/fixtures/pem/web.cert.pem");
const KEY: &str = include_str!("../../../tests/fixtures/pem/web.key.pem");

fn ok(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()
}

#[test]
fn an_action_of_two_versions_runs_on_the_newest_against_the_emulator() {
    let home = tempfile::tempdir().unwrap();
    let emulated = |args: &[&str]| {
        let mut all = vec!["--emulator"];
        all.extend_from_slice(args);
        alicloud_in(home.path(), &all, &[])
    };
    let cert_id = ok(&emulated(&[
        "cas",
        "UploadUserCertificate",
        "--Name",
        "to-delete",
        "--Cert",
        CERT,
        "--Key",
        KEY,
    ]))["CertId"]
        .to_string();
    // DeleteUserCertificate is in 2018-07-13 and 2020-04-07: no --version needed.
    let run = emulated(&["cas", "DeleteUserCertificate", "--CertId", &cert_id]);
    assert!(ok(&run)["RequestId"].is_string(), "{run:#?}");
    // It is gone: deleting it again is the service's NotFound, not a usage error.
    let run = emulated(&["cas", "DeleteUserCertificate", "--CertId", &cert_id]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("NotFound"), "{run:#?}");
}

#[test]
fn quiet_prints_nothing_on_success_and_errors_still_show() {
    let run = alicloud(&[
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:#?}");
    // With --pager too (which otherwise prints page by page).
    let run = alicloud(&[
        "--emulator",
        "--quiet",
        "cas",
        "ListUserCertificateOrder",
        "--ShowSize",
        "2",
        "--pager",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    let run = alicloud(&[
        "--emulator",
        "cas",
        "DeleteUserCertificate",
        "--CertId",
        "1",
        "--quiet",
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(run.stderr.contains("InvalidCertId.NotFound"), "{run:#?}");
}

#[test]
fn output_table_takes_cols_and_rows_like_the_aliyun_cli() {
    let list = |output: &[&str]| {
        let mut args = vec![
            "--emulator",
            "cas",
            "ListUserCertificateOrder",
            "--OrderType",
            "CERT",
            "--ShowSize",
            "3",
        ];
        args.extend_from_slice(output);
        alicloud(&args)
    };
    let full = ok(&list(&[]));
    let names: Vec<String> = full["CertificateOrderList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["CommonName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 3);

    let run = list(&[
        "--output",
        "table",
        "cols=CommonName,CertificateId",
        "rows=CertificateOrderList",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{run:#?}");
    assert!(lines[0].starts_with("CommonName"), "{run:#?}");
    assert!(lines[0].trim_end().ends_with("CertificateId"), "{run:#?}");
    for (line, name) in lines[2..].iter().zip(&names) {
        assert!(
            line.starts_with(name.as_str()),
            "{line:?} vs {name}: {run:#?}"
        );
    }

    // The aliyun CLI's words, before the product, with a row number.
    let run = alicloud(&[
        "--output",
        "cols=CommonName",
        "rows=CertificateOrderList[]",
        "num=true",
        "--emulator",
        "cas",
        "ListUserCertificateOrder",
        "--OrderType",
        "CERT",
        "--ShowSize",
        "3",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let expected_first = format!("0    {}", names[0]);
    assert_eq!(
        run.stdout.lines().nth(2),
        Some(expected_first.trim_end()),
        "{run:#?}"
    );

    // Without rows=, cols= reads the response itself: one row.
    let run = list(&["--output", "table", "cols=TotalCount,ShowSize"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout.lines().count(), 3, "{run:#?}");

    // Mistakes are usage errors, before anything is sent.
    let run = list(&["--output", "table", "cols="]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("empty column"), "{run:#?}");
    let run = list(&["--output", "yaml"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("expected json, table"), "{run:#?}");
    let run = list(&["--output", "table", "rows=TotalCount"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("not a list"), "{run:#?}");
}

/// `alicloud configure set` of an AK profile.
fn configure(home: &Path, profile: &str, region: &str, key_id: &str) {
    let run = alicloud_in(
        home,
        &[
            "configure",
            "set",
            "--profile",
            profile,
            "--mode",
            "AK",
            "--region",
            region,
            "--access-key-id",
            key_id,
            "--access-key-secret",
            "profile-secret-value",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:#?}");
}

#[test]
fn the_region_comes_from_the_flag_the_environment_then_the_profile_and_dry_run_shows_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let dry = |extra: &[&str], vars: &[(&str, &str)]| {
        let mut args = vec!["bssopenapi", "QueryOrders", "--PageSize", "20", "--dry-run"];
        args.extend_from_slice(extra);
        let run = alicloud_in(home, &args, vars);
        assert_eq!(run.code, 0, "{run:#?}");
        run
    };
    // Nothing: the product's default endpoint (environment keys sign).
    let run = dry(&[], FAKE_KEYS);
    assert!(
        run.stderr
            .contains("endpoint https://business.aliyuncs.com (no region set"),
        "{run:#?}"
    );
    // Profiles written by `alicloud configure set`; the last one set is the current one.
    configure(home, "intl", "ap-southeast-1", "LTAIintlintlintl");
    configure(home, "work", "cn-shanghai", "LTAIworkworkwork");
    configure(home, "intl", "ap-southeast-1", "LTAIintlintlintl");
    let run = dry(&[], &[]);
    assert!(
        run.stderr.contains(
            "endpoint https://business.ap-southeast-1.aliyuncs.com for region ap-southeast-1 \
             (from the region_id of the current profile)"
        ),
        "{run:#?}"
    );
    // The current profile's key signed the request.
    assert!(
        run.stdout.contains("Credential=LTAIintlintlintl"),
        "{run:#?}"
    );
    assert!(!run.stdout.contains("profile-secret-value"), "{run:#?}");
    // --profile: that profile's region and key.
    let run = dry(&["--profile", "work"], &[]);
    assert!(
        run.stderr
            .contains("for region cn-shanghai (from the region_id of profile \"work\")"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("Credential=LTAIworkworkwork"),
        "{run:#?}"
    );
    // ALIBABA_CLOUD_REGION_ID wins over the profile, --region over both.
    let env = [("ALIBABA_CLOUD_REGION_ID", "ap-southeast-2")];
    let run = dry(&["--profile", "work"], &env);
    assert!(
        run.stderr
            .contains("for region ap-southeast-2 (from ALIBABA_CLOUD_REGION_ID)"),
        "{run:#?}"
    );
    let run = dry(&["--profile", "work", "--region", "ap-southeast-3"], &env);
    assert!(
        run.stderr
            .contains("for region ap-southeast-3 (from --region)"),
        "{run:#?}"
    );
    // --endpoint wins over every region.
    let run = dry(&["--endpoint", "http://127.0.0.1:9"], &env);
    assert!(
        run.stderr
            .contains("endpoint http://127.0.0.1:9 (from --endpoint)"),
        "{run:#?}"
    );
}

/// A stub on 127.0.0.1 that answers every request with HTTP 503 `ServiceUnavailable`;
/// its endpoint and the number of requests it got.
fn unavailable() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || answer_503(stream, &seen));
        }
    });
    (endpoint, count)
}

fn answer_503(mut stream: TcpStream, seen: &AtomicUsize) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buffer = [0u8; 16384];
    // One request per connection is enough: the answer closes it.
    if stream.read(&mut buffer).unwrap_or(0) == 0 {
        return;
    }
    seen.fetch_add(1, Ordering::SeqCst);
    let body = r#"{"Code":"ServiceUnavailable","Message":"down","RequestId":"R-503"}"#;
    let _ = write!(
        stream,
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
}

#[test]
fn retry_count_retries_reads_and_never_resends_a_write() {
    let home = tempfile::tempdir().unwrap();
    let run = |endpoint: &str, args: &[&str]| {
        let mut all = vec!["--endpoint", endpoint, "--read-timeout", "2"];
        all.extend_from_slice(args);
        alicloud_in(home.path(), &all, FAKE_KEYS)
    };
    for (retries, attempts) in [("0", 1), ("3", 4)] {
        let (endpoint, count) = unavailable();
        let result = run(
            &endpoint,
            &["cas", "ListUserCertificateOrder", "--retry-count", retries],
        );
        assert_eq!(result.code, 1, "{result:#?}");
        assert!(result.stderr.contains("ServiceUnavailable"), "{result:#?}");
        assert_eq!(
            count.load(Ordering::SeqCst),
            attempts,
            "--retry-count {retries}: {result:#?}"
        );
    }
    // A write without a ClientToken: sent once whatever the count, and said to may have run.
    let (endpoint, count) = unavailable();
    let result = run(
        &endpoint,
        &["cas", "DeleteCsr", "--CsrId", "1", "--retry-count", "5"],
    );
    assert_eq!(result.code, 4, "{result:#?}");
    assert!(result.stderr.contains("MAY HAVE RUN"), "{result:#?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "{result:#?}");
    // Out of range.
    let result = alicloud(&["cas", "ListUserCertificateOrder", "--retry-count", "-1"]);
    assert_eq!(result.code, 2, "{result:#?}");
}

#[test]
fn connect_timeout_is_taken_and_checked() {
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(
        home.path(),
        &[
            "cas",
            "ListUserCertificateOrder",
            "--connect-timeout",
            "2",
            "--endpoint",
            "http://127.0.0.1:1",
        ],
        FAKE_KEYS,
    );
    // Refused at once on loopback: the call fails as unreachable, not as a usage error.
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("unreachable"), "{run:#?}");
    for bad in ["0", "soon"] {
        let run = alicloud(&["cas", "ListUserCertificateOrder", "--connect-timeout", bad]);
        assert_eq!(run.code, 2, "{run:#?}");
        assert!(run.stderr.contains("--connect-timeout"), "{run:#?}");
    }
}

#[test]
fn action_help_shows_a_runnable_example() {
    let run = alicloud(&["cas", "DeleteUserCertificate", "--help"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains(
            "Example:\n  alicloud cas DeleteUserCertificate --CertId 7562353   # [write]\n"
        ),
        "{run:#?}"
    );
    let run = alicloud(&["cas", "ListDeploymentJobCert", "--help"]);
    let example = run
        .stdout
        .lines()
        .skip_while(|line| *line != "Example:")
        .nth(1)
        .unwrap_or_default()
        .trim()
        .to_owned();
    assert!(
        example.starts_with("alicloud cas ListDeploymentJobCert --JobId "),
        "{run:#?}"
    );
    assert!(!example.contains("[write]"), "a read: {example}");
    // It runs as it is (here shown, not sent).
    let mut words: Vec<&str> = example.split_whitespace().skip(1).collect();
    words.push("--dry-run");
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(home.path(), &words, FAKE_KEYS);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("ListDeploymentJobCert"), "{run:#?}");
    // An older version's help names that version in its example.
    let run = alicloud(&[
        "cas",
        "DeleteUserCertificate",
        "--version",
        "2018-07-13",
        "--help",
    ]);
    assert!(
        run.stdout
            .contains("alicloud cas DeleteUserCertificate --version 2018-07-13"),
        "{run:#?}"
    );
}
