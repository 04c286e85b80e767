//! Runs the `alicloud` binary in a clean environment: a temporary HOME, no
//! `ALIBABA_CLOUD_*` variables but the ones a test sets, and the metadata service off, so
//! no test sees the real credentials of whoever runs it.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }
}

/// Runs `alicloud args` with an empty temporary HOME.
pub fn alicloud(args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    alicloud_in(home.path(), args, &[])
}

/// Runs `alicloud args` with this HOME and these extra variables.
pub fn alicloud_in(home: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_alicloud"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .envs(vars.iter().copied())
        .output()
        .expect("alicloud runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Fake access-key variables, for runs that must get past the credentials chain.
pub const FAKE_KEYS: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfakefakefake"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "fake-secret"),
];

/// Runs `alicloud --endpoint endpoint --read-timeout 1 args` with [`FAKE_KEYS`], against a
/// loopback stub.
pub fn run_stub(endpoint: &str, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut full = vec!["--endpoint", endpoint, "--read-timeout", "1"];
    full.extend(args);
    alicloud_in(home.path(), &full, FAKE_KEYS)
}
