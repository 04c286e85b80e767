//! The committed generated crates are exactly what the specs produce, and producing them is
//! deterministic (rust-analyzer's `codegen --check` pattern, as a plain `cargo test`).

use std::path::{Path, PathBuf};

use codegen::Layout;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

#[test]
fn committed_generated_code_is_fresh() {
    let root = root();
    for layout in Layout::all() {
        let crates = codegen::generate(&root, &layout).expect("specs are valid");
        let drift = codegen::check(&root, &crates);
        assert!(
            drift.is_empty(),
            "generated code is stale: {drift:?}\nrun `{}` and commit the result",
            codegen::REGENERATE
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let root = root();
    for layout in Layout::all() {
        let first = codegen::generate(&root, &layout).expect("specs are valid");
        let second = codegen::generate(&root, &layout).expect("specs are valid");
        let files = |crates: &[codegen::GeneratedCrate]| {
            crates
                .iter()
                .flat_map(|c| c.files.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(files(&first), files(&second));
    }
}

#[test]
fn every_generated_file_says_where_it_comes_from() {
    let root = root();
    for layout in Layout::all() {
        for generated in codegen::generate(&root, &layout).expect("specs are valid") {
            for file in &generated.files {
                let first_line = file.contents.lines().next().unwrap_or_default();
                assert!(
                    first_line.contains("@generated") && first_line.contains(&file.source),
                    "{}: header is {first_line:?}",
                    file.path.display()
                );
                assert!(
                    file.contents.contains(codegen::REGENERATE),
                    "{}",
                    file.path.display()
                );
            }
        }
    }
}
