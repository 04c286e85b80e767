//! `alicloud --emulator` runs that share one state file: concurrent runs keep every write
//! (with unique IDs), and what one run creates (a private CA) the next one lists.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::{Run, alicloud_in};

fn run(home: &Path, state: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--emulator", "--emulator-state", state.to_str().unwrap()];
    all.extend_from_slice(args);
    alicloud_in(home, &all, &[])
}

#[test]
fn concurrent_runs_on_one_state_file_keep_every_write() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("shared.json");
    const K: usize = 10;
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..K)
            .map(|i| {
                let (home, state) = (home.path(), state.as_path());
                scope.spawn(move || {
                    let name = format!("csr-{i}");
                    let cn = format!("host{i}.example.com");
                    run(
                        home,
                        state,
                        &[
                            "cas",
                            "CreateCsr",
                            "--Algorithm",
                            "ECC",
                            "--KeySize",
                            "256",
                            "--CommonName",
                            &cn,
                            "--CountryCode",
                            "CN",
                            "--Province",
                            "Zhejiang",
                            "--Locality",
                            "Hangzhou",
                            "--Name",
                            &name,
                        ],
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut ids = BTreeSet::new();
    for run in &runs {
        assert_eq!(run.code, 0, "{run:#?}");
        ids.insert(run.json()["CsrId"].as_i64().expect("a CsrId"));
    }
    assert_eq!(ids.len(), K, "every run got its own ID: {ids:?}");
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let names: BTreeSet<&str> = stored["Csrs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["Name"].as_str())
        .collect();
    for i in 0..K {
        assert!(
            names.contains(format!("csr-{i}").as_str()),
            "csr-{i} lost: {names:?}"
        );
    }
}

#[test]
fn a_private_ca_made_in_one_run_is_listed_by_the_next() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("pca.json");
    let root = run(
        home.path(),
        &state,
        &[
            "cas",
            "CreateRootCACertificate",
            "--Algorithm",
            "ECC_256",
            "--CommonName",
            "CLI Root CA",
            "--Organization",
            "Example",
            "--OrganizationUnit",
            "Security",
            "--Locality",
            "Hangzhou",
            "--State",
            "Zhejiang",
            "--Years",
            "10",
        ],
    );
    assert_eq!(root.code, 0, "{root:#?}");
    let root_id = root.json()["Identifier"].as_str().unwrap().to_owned();
    assert!(
        root.json()["Certificate"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let sub = run(
        home.path(),
        &state,
        &[
            "cas",
            "CreateSubCACertificate",
            "--ParentIdentifier",
            &root_id,
            "--Algorithm",
            "ECC_256",
            "--CommonName",
            "CLI Issuing CA",
            "--Organization",
            "Example",
            "--OrganizationUnit",
            "Security",
            "--Locality",
            "Hangzhou",
            "--State",
            "Zhejiang",
            "--Years",
            "5",
        ],
    );
    assert_eq!(sub.code, 0, "{sub:#?}");
    let sub_id = sub.json()["Identifier"].as_str().unwrap().to_owned();

    let listed = run(
        home.path(),
        &state,
        &["cas", "DescribeCACertificateList", "--ShowSize", "100"],
    );
    assert_eq!(listed.code, 0, "{listed:#?}");
    let ids: BTreeSet<String> = listed.json()["CertificateList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["Identifier"].as_str().map(str::to_owned))
        .collect();
    assert!(ids.contains(&root_id) && ids.contains(&sub_id), "{ids:?}");
    let described = run(
        home.path(),
        &state,
        &["cas", "DescribeCACertificate", "--Identifier", &sub_id],
    );
    assert_eq!(described.code, 0, "{described:#?}");
    assert_eq!(
        described.json()["Certificate"]["ParentIdentifier"].as_str(),
        Some(root_id.as_str())
    );
}
