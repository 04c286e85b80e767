//! Faults aimed at one operation, from the builder, while running and from the binary:
//! what a user needs to test their own retry logic on one call of a flow.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use alibabacloud_cas_20200407 as cas2020;
use alibabacloud_core::retry::RetryPolicy;
use alibabacloud_emulator::{Emulator, Faults, InjectedFault, RunningEmulator};
use common::*;

fn list(emulator: &RunningEmulator) -> Call {
    Call::new(emulator, "ListUserCertificateOrder", CAS2020)
}

fn job_certs(emulator: &RunningEmulator) -> Call {
    Call::new(emulator, "ListDeploymentJobCert", CAS2020).param("JobId", "8888")
}

#[tokio::test]
async fn an_action_fault_fires_for_that_action_only() {
    let emulator = Emulator::builder()
        .action_faults(
            "ListDeploymentJobCert",
            Faults {
                fail_next: 2,
                ..Faults::default()
            },
        )
        .start()
        .await
        .unwrap();
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    for _ in 0..2 {
        let reply = job_certs(&emulator).send(&emulator).await;
        assert_eq!((reply.status, reply.code()), (503, "ServiceUnavailable"));
        assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    }
    assert_eq!(job_certs(&emulator).send(&emulator).await.status, 200);
    let log: Vec<_> = emulator
        .requests()
        .into_iter()
        .map(|r| (r.action.unwrap(), r.fault))
        .collect();
    let failed = Some(InjectedFault::Failed);
    assert_eq!(
        log,
        vec![
            ("ListUserCertificateOrder".to_owned(), None),
            ("ListDeploymentJobCert".to_owned(), failed),
            ("ListUserCertificateOrder".to_owned(), None),
            ("ListDeploymentJobCert".to_owned(), failed),
            ("ListUserCertificateOrder".to_owned(), None),
            ("ListDeploymentJobCert".to_owned(), None),
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn action_faults_come_before_faults_of_every_request() {
    let emulator = Emulator::builder()
        .faults(Faults {
            fail_next: 1,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    emulator.set_action_faults(
        "ListDeploymentJobCert",
        Faults {
            drop_next: 1,
            ..Faults::default()
        },
    );
    assert!(job_certs(&emulator).try_send(&emulator).await.is_err());
    assert_eq!(job_certs(&emulator).send(&emulator).await.status, 503);
    assert_eq!(job_certs(&emulator).send(&emulator).await.status, 200);
    let faults: Vec<_> = emulator.requests().iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        vec![
            Some(InjectedFault::Dropped),
            Some(InjectedFault::Failed),
            None
        ]
    );

    // Replaced and cleared while running; set_faults leaves action faults alone.
    emulator.set_action_faults(
        "ListUserCertificateOrder",
        Faults {
            truncate_next: 5,
            ..Faults::default()
        },
    );
    emulator.set_faults(Faults::default());
    assert!(list(&emulator).try_send(&emulator).await.is_err());
    emulator.set_action_faults("ListUserCertificateOrder", Faults::default());
    assert_eq!(list(&emulator).send(&emulator).await.status, 200);
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_sdk_retries_through_an_action_fault() {
    let emulator = Emulator::builder()
        .action_faults(
            "ListUserCertificateOrder",
            Faults {
                fail_next: 2,
                ..Faults::default()
            },
        )
        .start()
        .await
        .unwrap();
    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let client = cas2020::Client::new(&config(&emulator).retry_policy(policy).build()).unwrap();
    assert!(client.list_user_certificate_order().send().await.is_ok());
    let statuses: Vec<_> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 503, 200]);

    // Without retries the same fault reaches the caller.
    emulator.set_action_faults(
        "ListUserCertificateOrder",
        Faults {
            fail_next: 1,
            ..Faults::default()
        },
    );
    let once = cas2020::Client::new(&config(&emulator).build()).unwrap();
    let error = once.list_user_certificate_order().send().await.unwrap_err();
    assert_eq!(error.code(), Some("ServiceUnavailable"));
    assert_eq!(error.http_status(), Some(503));
    emulator.shutdown().await;
}

/// A spawned binary, killed when dropped (also when a test fails).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary on a free port with `args`; its endpoint.
fn spawn(args: &[&str]) -> (Running, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Running(child);
    let stdout = child.0.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let endpoint = first
        .rsplit_once(' ')
        .map(|(_, e)| e.to_owned())
        .unwrap_or_default();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");
    // Keep reading the banner in the background so that the pipe never fills.
    std::thread::spawn(move || lines.for_each(drop));
    (child, endpoint)
}

#[tokio::test]
async fn the_binary_takes_fault_and_throttle_flags() {
    let (child, endpoint) = spawn(&[
        "--fault",
        "ListDeploymentJobCert:fail=1",
        "--throttle",
        "0",
        "--request-log",
        "10",
        "--header-read-timeout",
        "5s",
    ]);
    let reqwest = reqwest::Client::builder().timeout(TIMEOUT).build().unwrap();
    let post = |action: &str| {
        reqwest
            .post(format!("{endpoint}/?Action={action}&Version={CAS2020}"))
            .send()
    };
    // Faults come before every check: the faulted action fails with 503 once, then
    // reaches flow control, which refuses every call (the unsigned call never gets
    // further than authentication: it is refused before being counted).
    let first = post("ListDeploymentJobCert").await.unwrap();
    assert_eq!(first.status().as_u16(), 503);
    let second = post("ListDeploymentJobCert").await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&second.bytes().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "IncompleteSignature", "{body}");

    // A signed call is throttled (0 per second).
    let config = alibabacloud_core::Config::builder()
        .endpoint(&endpoint)
        .credentials(alibabacloud_core::Credentials::new(
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID,
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET,
        ))
        .retry_policy(RetryPolicy::disabled())
        .build();
    let client = cas2020::Client::new(&config).unwrap();
    let error = client
        .list_user_certificate_order()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("Throttling.User"), "{error}");
    drop(child);
}

#[test]
fn the_binary_refuses_bad_flags() {
    for args in [
        vec!["--fault", "boom=1"],
        vec!["--fault", "Upload User:fail=1"],
        vec!["--throttle", "sometimes"],
        vec!["--header-read-timeout", "soon"],
        vec!["--replay-window", "0"],
        vec!["--request-log", "-1"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
            .args(["--port", "0"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
