//! The shell users' habits: `--query`, completion scripts, values that begin with `-`,
//! `file://` values, `--dry-run`, the reference link in an action's help and the read /
//! write listing of a product's actions. Every test runs the `alicloud` binary.

mod support;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::Path;

use serde_json::Value;
use support::{Run, alicloud, alicloud_in};

fn ok(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{run:#?}");
    run.json()
}

fn assert_usage_error(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(!run.stderr.contains("panicked"), "{run:#?}");
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in {run:#?}"
        );
    }
}

const LIST: &[&str] = &[
    "--emulator",
    "cas",
    "ListUserCertificateOrder",
    "--OrderType",
    "CERT",
];

fn list_with(extra: &[&str]) -> Run {
    let mut args = LIST.to_vec();
    args.extend(extra);
    alicloud(&args)
}

// --query

#[test]
fn query_selects_from_the_response() {
    let full = ok(&list_with(&["--ShowSize", "3"]));
    let names: Vec<Value> = full["CertificateOrderList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["CommonName"].clone())
        .collect();
    assert_eq!(names.len(), 3);
    let run = list_with(&[
        "--ShowSize",
        "3",
        "--query",
        "CertificateOrderList[].CommonName",
    ]);
    assert_eq!(ok(&run), Value::Array(names), "{run:#?}");
    // A scalar result is printed as JSON too.
    let run = list_with(&["--ShowSize", "3", "--query", "length(CertificateOrderList)"]);
    assert_eq!(run.stdout, "3\n", "{run:#?}");
}

#[test]
fn query_applies_to_the_merged_pages() {
    let run = list_with(&[
        "--ShowSize",
        "2",
        "--pager",
        "--query",
        "{Items: length(CertificateOrderList), Total: TotalCount}",
    ]);
    let body = ok(&run);
    let total = match &body["Total"] {
        Value::Number(n) => n.as_u64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("no total: {other}"),
    };
    assert!(total > 2, "more than one page: {run:#?}");
    assert_eq!(body["Items"].as_u64(), Some(total), "{run:#?}");
    // The multi-select hash keeps the order it was written in.
    assert!(run.stdout.find("Items").unwrap() < run.stdout.find("Total").unwrap());
}

#[test]
fn query_result_renders_as_a_table() {
    let run = list_with(&[
        "--ShowSize",
        "4",
        "--query",
        "CertificateOrderList[].{Id: CertificateId, Name: CommonName}",
        "--output",
        "table",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 4, "{run:#?}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["Id", "Name"], "{run:#?}");
}

#[test]
fn a_bad_query_is_a_usage_error() {
    let run = list_with(&["--query", "CertificateOrderList[?"]);
    assert_usage_error(&run, &["--query is not a valid JMESPath expression"]);
    let run = list_with(&["--query", "abs(CertificateOrderList)"]);
    assert_usage_error(&run, &["--query failed on the response"]);
}

// completion

#[test]
fn completion_scripts_name_products_actions_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = alicloud(&["completion", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for needle in [
            "alicloud",
            "bssopenapi",
            "ListUserCertificateOrder",
            "QueryOrders",
            "OrderType",
            "dry-run",
        ] {
            assert!(run.stdout.contains(needle), "{shell}: no {needle}");
        }
    }
    let run = alicloud(&["completion", "tcsh"]);
    assert_usage_error(&run, &["invalid value 'tcsh'"]);
    let run = alicloud(&["completion"]);
    assert_usage_error(&run, &["<SHELL>"]);
}

/// The bash script, loaded into bash, completes a product's action and an action's flag.
#[test]
fn the_bash_script_completes_in_bash() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no bash here: skipped");
        return;
    }
    let run = alicloud(&["completion", "bash"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("alicloud.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    let complete = |words: &[&str]| -> Vec<String> {
        let current = words.len() - 1;
        let program = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={current}; _alicloud alicloud {} {}; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.join(" "),
            words[current],
            words[current - 1],
        );
        let output = std::process::Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        complete(&["alicloud", "cas", "ListUserCert"]),
        ["ListUserCertificateOrder"]
    );
    assert_eq!(
        complete(&["alicloud", "cas", "ListUserCertificateOrder", "--Order"]),
        ["--OrderType"]
    );
    assert_eq!(complete(&["alicloud", "bss"]), ["bssopenapi"]);
}

// Values that begin with '-'

#[test]
fn values_may_begin_with_a_hyphen() {
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(
        home.path(),
        &[
            "--dry-run",
            "--endpoint",
            "http://127.0.0.1:1",
            "cas",
            "ListUserCertificateOrder",
            "--Keyword",
            "-foo",
            "--ShowSize",
            "-1",
            "--OrderType",
            "CERT",
        ],
        support::FAKE_KEYS,
    );
    assert_eq!(run.code, 0, "{run:#?}");
    let url = run.stdout.lines().next().unwrap();
    for pair in ["Keyword=-foo", "ShowSize=-1", "OrderType=CERT"] {
        assert!(url.contains(pair), "no {pair} in {url}");
    }
    // The value reaches the parameter's check.
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--ShowSize", "-abc"]);
    assert_usage_error(
        &run,
        &[
            "invalid value '-abc' for '--ShowSize",
            "expected a 64-bit integer",
        ],
    );
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--OrderType", "-CERT"]);
    assert_usage_error(&run, &["invalid value '-CERT'", "expected one of"]);
    // A known flag is not taken as a value.
    let run = alicloud(&[
        "cas",
        "ListUserCertificateOrder",
        "--Keyword",
        "--OrderType",
        "CERT",
    ]);
    assert_usage_error(&run, &["a value is required for '--Keyword"]);
    // Nor is -h; `--Keyword=-h` sends it.
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--Keyword", "-h"]);
    assert_usage_error(&run, &["a value is required for '--Keyword"]);
}

#[test]
fn a_hyphen_value_is_sent() {
    // The emulator answers a keyword that matches nothing with an empty list.
    let body = ok(&list_with(&["--Keyword", "-no-such-name"]));
    assert_eq!(
        body["CertificateOrderList"].as_array().map(Vec::len),
        Some(0),
        "{body:#}"
    );
}

// file:// values

const CERT_PEM: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBcertificatebodyAAAA\n-----END CERTIFICATE-----\n";
const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw+secret/key=\n-----END PRIVATE KEY-----\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    format!("file://{}", path.display())
}

#[test]
fn file_values_are_read_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // The first seeded certificate's common name, given through a file.
    let first = ok(&list_with(&["--ShowSize", "1"]));
    let name = first["CertificateOrderList"][0]["CommonName"]
        .as_str()
        .unwrap()
        .to_owned();
    let keyword = write(dir.path(), "keyword.txt", &name);
    let body = ok(&list_with(&["--Keyword", &keyword]));
    let items = body["CertificateOrderList"].as_array().unwrap();
    assert!(!items.is_empty(), "{body:#}");
    assert!(
        items
            .iter()
            .all(|i| i["CommonName"].as_str().unwrap().contains(&name)),
        "{body:#}"
    );
    // Typed parameters are checked after reading.
    let size = write(dir.path(), "size.txt", "two");
    let run = list_with(&["--ShowSize", &size]);
    assert_usage_error(&run, &["--ShowSize", "expected a 64-bit integer"]);
}

#[test]
fn a_missing_file_names_the_parameter_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.pem");
    let run = alicloud(&[
        "cas",
        "UploadUserCertificate",
        "--Name",
        "web",
        "--Cert",
        &format!("file://{}", missing.display()),
    ]);
    assert_usage_error(
        &run,
        &[
            "--Cert",
            &format!("the file '{}' does not exist", missing.display()),
        ],
    );
    let run = alicloud(&["cas", "UploadUserCertificate", "--Cert", "file://"]);
    assert_usage_error(&run, &["--Cert", "file:// needs a path"]);
    // A directory is not a file.
    let run = alicloud(&[
        "cas",
        "UploadUserCertificate",
        "--Key",
        &format!("file://{}", dir.path().display()),
    ]);
    assert_usage_error(&run, &["--Key", "is not a regular file"]);
}

// --dry-run

const SECRET: &str = "dry-run-access-key-secret-0123";
const TOKEN: &str = "CAIS+dry/run=security-token-4567";

/// Runs `alicloud args --endpoint <a listener>` with an access key and an STS token, and
/// checks that nothing connected to the listener.
fn dry_run(args: &[&str]) -> Run {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let mut all = args.to_vec();
    all.extend(["--endpoint", &endpoint]);
    let home = tempfile::tempdir().unwrap();
    let run = alicloud_in(
        home.path(),
        &all,
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIdryrunkeyid"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
        ],
    );
    match listener.accept() {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {}
        other => panic!("a dry run connected to the endpoint: {other:?}\n{run:#?}"),
    }
    assert!(
        run.stdout.starts_with(&format!("POST {endpoint}/?")),
        "{run:#?}"
    );
    run
}

/// Every form a secret could take in the output: as is, percent-encoded (once, twice),
/// form-encoded, JSON-escaped, and each line of a multi-line value.
fn forms(secret: &str) -> Vec<String> {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let mut forms = vec![
        secret.to_owned(),
        encode(secret),
        encode(&encode(secret)),
        encode(secret).replace("%20", "+"),
        serde_json::to_string(secret)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
    ];
    forms.extend(
        secret
            .lines()
            .filter(|line| line.len() > 12 && !line.starts_with("-----"))
            .flat_map(|line| [line.to_owned(), encode(line)]),
    );
    forms
}

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    let all = format!("{}{}", run.stdout, run.stderr);
    for secret in secrets {
        for form in forms(secret) {
            assert!(!all.contains(&form), "{form:?} shown:\n{all}");
        }
    }
}

#[test]
fn dry_run_prints_the_request_without_secrets_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cert = write(dir.path(), "cert.pem", CERT_PEM);
    let key = write(dir.path(), "key.pem", KEY_PEM);
    let upload = [
        "cas",
        "UploadUserCertificate",
        "--Name",
        "web-cert",
        "--Cert",
        cert.as_str(),
        "--Key",
        key.as_str(),
        "--dry-run",
    ];
    // V3: the token and the signature travel in headers.
    let run = dry_run(&upload);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_no_secret(&run, &[SECRET, TOKEN, KEY_PEM]);
    for needle in [
        "Name=web-cert",
        "Cert=-----BEGIN%20CERTIFICATE-----%0AMIIBcertificatebodyAAAA",
        "Key=<redacted>",
        "\nx-acs-action: UploadUserCertificate\n",
        "\nx-acs-version: 2020-04-07\n",
        "\nx-acs-accesskey-id: LTAIdryrunkeyid\n",
        "\nx-acs-security-token: <redacted>\n",
        "\nauthorization: ACS3-HMAC-SHA256 Credential=LTAIdryrunkeyid,SignedHeaders=",
        ",Signature=<redacted>\n",
    ] {
        assert!(run.stdout.contains(needle), "no {needle:?} in {run:#?}");
    }
    assert!(run.stderr.contains("not sent"), "{run:#?}");

    // V1: the token and the signature travel in the query.
    let mut v1 = upload.to_vec();
    v1.extend(["--signature-version", "v1"]);
    let run = dry_run(&v1);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_no_secret(&run, &[SECRET, TOKEN, KEY_PEM]);
    for needle in [
        "Action=UploadUserCertificate",
        "AccessKeyId=LTAIdryrunkeyid",
        "SecurityToken=<redacted>",
        "Signature=<redacted>",
        "Key=<redacted>",
    ] {
        assert!(run.stdout.contains(needle), "no {needle:?} in {run:#?}");
    }
}

#[test]
fn every_sensitive_parameter_is_redacted_in_a_dry_run() {
    // Every operation of the catalog with a sensitive parameter, given a recognisable value.
    let mut checked = 0;
    for product in alibabacloud_catalog::PRODUCTS {
        for operation in product.operations {
            let sensitive: Vec<_> = operation.params.iter().filter(|p| p.sensitive).collect();
            // The runtime redacts the names the operation descriptor lists: the same set.
            let names: Vec<&str> = sensitive.iter().map(|p| p.name).collect();
            assert_eq!(operation.operation.sensitive, names.as_slice());
            if sensitive.is_empty() {
                continue;
            }
            let values: Vec<String> = sensitive
                .iter()
                .map(|p| format!("sensitive-value-of-{}", p.name))
                .collect();
            let mut args: Vec<String> = [
                "--force",
                "--version",
                product.service.version,
                product.code,
                operation.operation.action,
                "--dry-run",
            ]
            .map(str::to_owned)
            .to_vec();
            for (param, value) in sensitive.iter().zip(&values) {
                args.push(format!("--{}", param.name));
                args.push(value.clone());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = dry_run(&args);
            assert_eq!(run.code, 0, "{run:#?}");
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            assert_no_secret(&run, &values);
            assert_no_secret(&run, &[SECRET, TOKEN]);
            checked += 1;
        }
    }
    assert!(
        checked >= 5,
        "only {checked} operations have sensitive parameters"
    );
}

#[test]
fn dry_run_refuses_pager_and_query() {
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--dry-run", "--pager"]);
    assert_usage_error(&run, &["--dry-run", "--pager"]);
    let run = alicloud(&[
        "cas",
        "ListUserCertificateOrder",
        "--dry-run",
        "--query",
        "TotalCount",
    ]);
    assert_usage_error(&run, &["--query", "--dry-run"]);
}

// Help: reference links and the read / write listing

#[test]
fn action_help_links_the_reference() {
    for (args, link) in [
        (
            vec!["cas", "ListUserCertificateOrder", "--help"],
            "https://api.aliyun.com/api/cas/2020-04-07/ListUserCertificateOrder",
        ),
        (
            vec!["cas", "DescribeOrderInstanceList", "-h"],
            "https://api.aliyun.com/api/cas/2018-07-13/DescribeOrderInstanceList",
        ),
        (
            vec!["bssopenapi", "QueryOrders", "--help"],
            "https://api.aliyun.com/api/BssOpenApi/2017-12-14/QueryOrders",
        ),
    ] {
        let run = alicloud(&args);
        assert_eq!(run.code, 0, "{run:#?}");
        assert!(
            run.stdout.contains(&format!("Reference: {link}\n")),
            "{run:#?}"
        );
    }
    let run = alicloud(&["cas", "DeleteUserCertificate", "--help"]);
    assert!(run.stdout.contains("Kind: write"), "{run:#?}");
    let run = alicloud(&["cas", "ListUserCertificateOrder", "--help"]);
    assert!(run.stdout.contains("Kind: read"), "{run:#?}");
}

#[test]
fn a_product_lists_its_actions_read_then_write() {
    for args in [vec!["cas"], vec!["cas", "--help"], vec!["cas", "-h"]] {
        let run = alicloud(&args);
        assert_eq!(run.code, 0, "{run:#?}");
        let text = &run.stdout;
        let reads = text.find("\nRead actions").expect("a read heading");
        let writes = text.find("\nWrite actions").expect("a write heading");
        assert!(reads < writes, "{text}");
        assert!(text.contains("Usage: alicloud cas <ACTION>"), "{text}");
        let mut seen = 0;
        for product in alibabacloud_catalog::products("cas") {
            for operation in product.operations {
                let action = operation.operation.action;
                let (line, inside) = if operation.operation.read_only {
                    (format!("\n  {action}\n"), reads..writes)
                } else {
                    (format!("\n  {action}  [write]\n"), writes..text.len())
                };
                let at = text
                    .find(&line)
                    .unwrap_or_else(|| panic!("{line:?} missing from {args:?}"));
                assert!(inside.contains(&at), "{action} in the wrong group");
                seen += 1;
            }
        }
        assert!(seen > 80);
    }
}
