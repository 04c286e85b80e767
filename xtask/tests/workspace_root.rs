//! `cargo xtask` works on the checkout it is run in, never on the one it was compiled in:
//! two checkouts that share a target directory share one xtask binary.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        // As when the binary runs directly, not under `cargo run` (which names the
        // package it runs).
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("xtask runs")
}

#[test]
fn reads_the_specs_of_the_checkout_it_runs_in() {
    // A second "checkout" whose only spec is broken: the binary built from this checkout
    // (whose specs are valid) must report that file, so it read the second one.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    std::fs::create_dir(other.path().join("xtask")).unwrap();
    let dir = other.path().join("specs/cas/2020-04-07");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service.yaml"), "product: [\n").unwrap();
    // From a subdirectory too: the root is looked up from the current directory.
    for cwd in [other.path().to_path_buf(), dir.clone()] {
        let out = xtask(&cwd, &["codegen", "--check"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(
            stderr.contains("specs/cas/2020-04-07/service.yaml:1: field product"),
            "{stderr}"
        );
    }
}

#[test]
fn outside_a_workspace_it_says_so() {
    let outside = tempfile::tempdir().unwrap();
    let out = xtask(outside.path(), &["codegen", "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not inside the SDK workspace"), "{stderr}");
    assert!(
        stderr.contains("run `cargo xtask` from the checkout"),
        "{stderr}"
    );
}
