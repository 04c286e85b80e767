//! The state file: values out of range are refused at start, naming the file and the
//! field; writes of several emulators (in one process or in several) on one file all last,
//! with unique IDs; temporary files left by interrupted saves are cleaned up at start.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use alibabacloud_emulator::data::MAX_ID;
use alibabacloud_emulator::{DataSet, Emulator, RunningEmulator};
use common::*;

fn create_csr(emulator: &RunningEmulator, name: &str) -> Call {
    Call::new(emulator, "CreateCsr", CAS2020)
        .param("Algorithm", "ECC")
        .param("KeySize", "256")
        .param("CommonName", &format!("{name}.example.com"))
        .param("CountryCode", "CN")
        .param("Province", "Zhejiang")
        .param("Locality", "Hangzhou")
        .param("Name", name)
}

/// The CSR ids and names stored in a state file.
fn stored_csrs(path: &Path) -> Vec<(i64, String)> {
    DataSet::from_json_file(path)
        .unwrap()
        .csrs
        .into_iter()
        .map(|c| (c.csr_id, c.name))
        .collect()
}

#[tokio::test]
async fn an_id_out_of_range_in_the_state_file_is_refused_at_start_with_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut data = DataSet::seeded();
    data.certificates[0].certificate_id = i64::MAX;
    std::fs::write(&path, data.to_json()).unwrap();
    let error = Emulator::builder()
        .state_file(&path)
        .start()
        .await
        .expect_err("an ID of i64::MAX is refused");
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains("Certificates[0].CertificateId"),
        "{message}"
    );
    assert!(message.contains("9223372036854775807"), "{message}");

    // The same data given directly is refused too.
    let error = Emulator::builder()
        .data(data)
        .start()
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("Certificates[0].CertificateId"),
        "{error}"
    );

    // And the binary exits with a message instead of serving.
    let output = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
        .args(["--port", "0", "--state"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Certificates[0].CertificateId"), "{stderr}");
}

#[tokio::test]
async fn the_largest_id_in_use_refuses_a_new_one_and_every_other_request_still_answers() {
    let mut data = DataSet::seeded();
    data.csrs[0].csr_id = MAX_ID;
    data.certificates[0].certificate_id = MAX_ID;
    let emulator = Emulator::builder().data(data).start().await.unwrap();
    let reply = create_csr(&emulator, "full").send(&emulator).await;
    assert_eq!(reply.status, 400, "{:?}", reply.body);
    assert_eq!(reply.code(), "QuotaExceeded.Id");
    let reply = Call::new(&emulator, "ListUserCertificateOrder", CAS2020)
        .param("OrderType", "CERT")
        .send(&emulator)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulators_in_one_process_sharing_a_state_file_keep_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let before = {
        let first = Emulator::builder().state_file(&path).start().await.unwrap();
        first.shutdown().await;
        stored_csrs(&path).len()
    };
    const K: usize = 10;
    let mut emulators = Vec::new();
    for _ in 0..K {
        emulators.push(Emulator::builder().state_file(&path).start().await.unwrap());
    }
    // Every emulator started before any write: each holds the same data in memory.
    let calls = emulators
        .iter()
        .enumerate()
        .map(|(i, emulator)| async move {
            create_csr(emulator, &format!("writer-{i}"))
                .send(emulator)
                .await
        });
    let replies = futures::future::join_all(calls).await;
    let mut answered = BTreeSet::new();
    for reply in &replies {
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        answered.insert(reply.body["CsrId"].as_i64().unwrap());
    }
    assert_eq!(answered.len(), K, "each write got its own ID: {answered:?}");
    let stored = stored_csrs(&path);
    assert_eq!(stored.len(), before + K, "{stored:?}");
    for (i, _) in emulators.iter().enumerate() {
        assert!(stored.iter().any(|(_, n)| *n == format!("writer-{i}")));
    }
    let ids: BTreeSet<i64> = stored.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), stored.len(), "stored IDs are unique");
    // A reader sees what the others wrote.
    let reply = Call::new(&emulators[0], "ListCsr", CAS2020)
        .param("ShowSize", "100")
        .send(&emulators[0])
        .await;
    assert_eq!(reply.body["TotalCount"].as_i64(), Some((before + K) as i64));
    for emulator in emulators {
        emulator.shutdown().await;
    }
}

/// A running `alibabacloud-emulator` process, killed when dropped.
struct Process {
    child: Child,
    emulator_endpoint: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_on(path: &Path) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
        .args(["--port", "0", "--state"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let endpoint = first.rsplit(' ').next().unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{first}");
    // The rest of its output is not read: keep the pipe drained so it never blocks.
    std::thread::spawn(move || lines.for_each(drop));
    Process {
        child,
        emulator_endpoint: endpoint,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_processes_sharing_a_state_file_keep_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let processes = [spawn_on(&path), spawn_on(&path)];
    let before = stored_csrs(&path).len();
    // A local emulator signs the calls: same default key as the processes.
    let signer = Emulator::start().await.unwrap();
    const PER_PROCESS: usize = 6;
    let mut calls = Vec::new();
    for (p, process) in processes.iter().enumerate() {
        for i in 0..PER_PROCESS {
            let call = create_csr(&signer, &format!("p{p}-{i}"));
            let endpoint = process.emulator_endpoint.clone();
            calls.push(async move { call.send_to(&endpoint).await });
        }
    }
    let replies = futures::future::join_all(calls).await;
    let mut answered = BTreeSet::new();
    for reply in &replies {
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        answered.insert(reply.body["CsrId"].as_i64().unwrap());
    }
    assert_eq!(answered.len(), 2 * PER_PROCESS, "{answered:?}");
    let stored = stored_csrs(&path);
    assert_eq!(stored.len(), before + 2 * PER_PROCESS, "{stored:?}");
    let ids: BTreeSet<i64> = stored.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), stored.len());
    drop(processes);
    signer.shutdown().await;
}

#[tokio::test]
async fn temporary_files_of_interrupted_saves_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let first = Emulator::builder().state_file(&path).start().await.unwrap();
    first.shutdown().await;
    // What saves killed between writing and renaming leave, and files that are not ours.
    let stale = [".state.json.4242.0.tmp", ".state.json.4243.17.tmp"];
    let others = [
        ".state.json.notes.tmp",
        ".other.json.4242.0.tmp",
        "state.json.4242.0.tmp",
        "keep.tmp",
    ];
    for name in stale.iter().chain(&others) {
        std::fs::write(dir.path().join(name), "partial").unwrap();
    }
    let emulator = Emulator::builder().state_file(&path).start().await.unwrap();
    for name in stale {
        assert!(!dir.path().join(name).exists(), "{name} is left");
    }
    for name in others {
        assert!(dir.path().join(name).exists(), "{name} was removed");
    }
    // The state itself is intact and still served.
    let reply = create_csr(&emulator, "after-cleanup").send(&emulator).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    emulator.shutdown().await;
}
