//! One insta snapshot per operation of the generated code, so a spec change shows up as a
//! small, local diff in review. Snapshots nobody references any more fail the run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::Layout;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Snapshot name of a generated file: `cas_2020-04-07_ListUserCertificateOrder`.
fn snapshot_name(source: &str) -> String {
    let trimmed = source.trim_end_matches('/').trim_end_matches(".yaml");
    let parts: Vec<&str> = trimmed.split('/').collect();
    let tail = &parts[parts.len().saturating_sub(3)..];
    tail.join("_")
}

#[test]
fn generated_code_matches_reviewed_snapshots() {
    let root = root();
    let mut names = BTreeSet::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(root.join("tests/snapshots"));
    settings.bind(|| {
        for layout in Layout::all() {
            let crates = codegen::generate(&root, &layout).expect("specs are valid");
            for generated in crates {
                for file in &generated.files {
                    let file_name = file
                        .path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default();
                    let name = match file_name {
                        "lib.rs" | "client.rs" | "Cargo.toml" | "README.md" => {
                            format!("{}_{}", generated.package, file_name.replace('.', "_"))
                        }
                        _ => snapshot_name(&file.source),
                    };
                    assert!(
                        names.insert(name.clone()),
                        "two files map to snapshot {name}"
                    );
                    insta::assert_snapshot!(name, file.contents);
                }
            }
        }
    });

    // Reject snapshots that no generated file references (a removed spec, a renamed crate).
    let mut unreferenced = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).expect("snapshot directory") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(stem) = name.strip_suffix(".snap") {
            if !names.contains(stem) {
                unreferenced.push(name.to_owned());
            }
        }
    }
    assert!(
        unreferenced.is_empty(),
        "unreferenced snapshots, delete them: {unreferenced:?}"
    );
}
