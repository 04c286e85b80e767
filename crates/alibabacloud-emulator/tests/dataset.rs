//! The data set: deterministic seeding, JSON round trip, user fixtures, and the binary's
//! `--dump-data` / start-up output.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_emulator::{DataSet, Emulator};
use common::*;

#[test]
fn seeding_is_deterministic_and_covers_every_status() {
    let now = SystemTime::now();
    let a = DataSet::seeded_at(now);
    assert_eq!(a, DataSet::seeded_at(now));
    assert_eq!(a.to_json(), DataSet::seeded_at(now).to_json());
    assert!(a.certificate_orders.len() + a.certificates.len() >= 300);
    for source in ["cpack", "buy"] {
        for status in [
            "PAYED",
            "CHECKING",
            "CHECKED_FAIL",
            "ISSUED",
            "WILLEXPIRED",
            "EXPIRED",
            "NOTACTIVATED",
            "REVOKED",
        ] {
            assert!(
                a.certificate_orders
                    .iter()
                    .any(|o| o.source_type == source && o.status == status),
                "{source} {status}"
            );
        }
    }
    assert!(a.certificates.iter().any(|c| c.upload));
    assert!(a.certificates.iter().any(|c| !c.upload));
    let dv: Vec<_> = a
        .order_instances
        .iter()
        .filter_map(|i| i.dv.as_ref())
        .collect();
    assert!(dv.iter().any(|d| d.order_status == "checking"));
    assert!(
        dv.iter()
            .any(|d| d.order_status == "issued" && d.certificate.is_some())
    );
    assert!(a.deployment_jobs.iter().any(|j| j.job_id == 8888));
    assert!(a.billing_orders.len() >= 300);
}

#[test]
fn json_round_trips_and_fixture_errors_name_the_file() {
    let data = DataSet::seeded();
    assert_eq!(DataSet::from_json(&data.to_json()).unwrap(), data);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"Certificats": []}"#).unwrap();
    let error = DataSet::from_json_file(&path).unwrap_err().to_string();
    assert!(
        error.contains("bad.json") && error.contains("Certificats"),
        "{error}"
    );
    let error = DataSet::from_json_file(dir.path().join("missing.json")).unwrap_err();
    assert!(error.to_string().contains("missing.json"));
}

#[tokio::test]
async fn a_user_fixture_replaces_the_seeded_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.json");
    std::fs::write(
        &path,
        r#"{
          "DeploymentJobs": [{
            "JobId": 7,
            "Name": "mine",
            "Certs": [{
              "CertId": 1, "CertInstanceId": "cas-upload-mine", "CertName": "mine",
              "CommonName": "example.com", "Sans": ["example.com"], "Algorithm": "RSA",
              "NotBeforeTime": 1683625266108, "NotAfterTime": 1715161266108, "Month": 12,
              "StatusCode": "upload", "CertType": "DV", "CertOrderType": "upload",
              "IsTrustee": false
            }]
          }]
        }"#,
    )
    .unwrap();
    let data = DataSet::from_json_file(&path).unwrap();
    let emulator = Emulator::builder().data(data).start().await.unwrap();
    let client = cas2020::Client::new(&config(&emulator).build()).unwrap();
    let job = client
        .list_deployment_job_cert()
        .job_id(7)
        .send()
        .await
        .unwrap();
    assert_eq!(
        job.data[0].cert_instance_id.as_deref(),
        Some("cas-upload-mine")
    );
    let orders = client.list_user_certificate_order().send().await.unwrap();
    assert_eq!(orders.total_count, Some(0));
    emulator.shutdown().await;
}

#[test]
fn the_binary_dumps_the_data_set() {
    let output = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
        .arg("--dump-data")
        .output()
        .unwrap();
    assert!(output.status.success());
    let data = DataSet::from_json(&String::from_utf8(output.stdout).unwrap()).unwrap();
    assert!(!data.certificate_orders.is_empty());
}

#[tokio::test]
async fn the_binary_serves_a_fixture_with_the_given_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.json");
    std::fs::write(&path, DataSet::seeded().to_json()).unwrap();
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
            .args([
                "--port",
                "0",
                "--access-key-id",
                "LTAI-cli",
                "--access-key-secret",
                "cli-secret",
            ])
            .arg("--data")
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let endpoint = first.rsplit(' ').next().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");
    let second = lines.next().unwrap().unwrap();
    assert!(second.contains("LTAI-cli"), "{second}");

    let client = cas2020::Client::new(
        &alibabacloud_core::Config::builder()
            .endpoint(endpoint)
            .credentials(alibabacloud_core::Credentials::new(
                "LTAI-cli",
                "cli-secret",
            ))
            .read_timeout(Duration::from_secs(10))
            .build(),
    )
    .unwrap();
    let result = client.list_user_certificate_order().send().await;
    drop(child);
    assert!(result.unwrap().total_count.unwrap() > 0);
}

/// Stops the emulator process this test started, however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
