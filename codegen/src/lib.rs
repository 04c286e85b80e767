//! The SDK generator: YAML operation specs in, formatted Rust crates out.
//!
//! Three stages, each in its own module:
//!
//! 1. [`load`] parses the spec files with serde ([`spec`] holds their shape);
//! 2. [`model`] validates them and decides every Rust name, type and doc ([`names`]);
//! 3. [`render`] prints the model with quote and formats it with prettyplease.
//!
//! [`generate`] runs all three over a spec directory and returns the files in memory;
//! [`write`] and [`check`] compare or write them, so nothing is written while any spec
//! is invalid.

pub mod error;
pub mod load;
pub mod model;
pub mod names;
pub mod render;
pub mod spec;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use error::{SpecError, SpecErrors};

/// The command that regenerates everything.
pub const REGENERATE: &str = "cargo xtask codegen";

/// One generated file, relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The spec it comes from (the operation's file, or the spec directory).
    pub source: String,
    /// Full contents.
    pub contents: String,
}

/// What one generated crate consists of.
#[derive(Debug)]
pub struct GeneratedCrate {
    /// Package name.
    pub package: String,
    /// Crate directory, relative to the workspace root.
    pub dir: PathBuf,
    /// Number of operations.
    pub operations: usize,
    /// Its files.
    pub files: Vec<GeneratedFile>,
}

/// Where specs are read and crates written, relative to the workspace root.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Directory of `<product>/<version>/` spec folders.
    pub specs: PathBuf,
    /// Directory the crates are written into (one folder per crate).
    pub crates: PathBuf,
    /// Path from a crate folder to the runtime crate, for its `Cargo.toml`.
    pub core_path: String,
}

impl Layout {
    /// The SDK's own layout: `specs/` into `crates/`.
    pub fn sdk() -> Self {
        Self {
            specs: PathBuf::from("specs"),
            crates: PathBuf::from("crates"),
            core_path: "../alibabacloud-core".to_owned(),
        }
    }

    /// The test fixtures: `tests/fixtures/specs/` into `tests/fixtures/crates/`.
    pub fn fixtures() -> Self {
        Self {
            specs: PathBuf::from("tests/fixtures/specs"),
            crates: PathBuf::from("tests/fixtures/crates"),
            core_path: "../../../../crates/alibabacloud-core".to_owned(),
        }
    }

    /// Every layout `cargo xtask codegen` maintains.
    pub fn all() -> [Self; 2] {
        [Self::sdk(), Self::fixtures()]
    }
}

/// Runs the three stages and returns every generated crate, in memory.
pub fn generate(root: &Path, layout: &Layout) -> Result<Vec<GeneratedCrate>, SpecErrors> {
    let services = load::load_dir(root, &root.join(&layout.specs)).map_err(SpecErrors)?;
    let crates = model::build(&services).map_err(SpecErrors)?;
    crates
        .iter()
        .map(|model| render_crate(model, layout))
        .collect::<Result<Vec<_>, _>>()
}

fn render_crate(model: &model::CrateModel, layout: &Layout) -> Result<GeneratedCrate, SpecErrors> {
    let dir = layout.crates.join(&model.package);
    let spec_dir_error =
        |message: String| SpecErrors(vec![SpecError::new(Path::new(&model.spec_dir), message)]);
    let mut files = Vec::new();
    let crate_source = format!("{}/", model.spec_dir);
    let lib = render::format_file(&render::header(&crate_source), render::lib_module(model))
        .map_err(spec_dir_error)?;
    files.push(GeneratedFile {
        path: dir.join("src/lib.rs"),
        source: crate_source.clone(),
        contents: lib,
    });
    let client = render::format_file(
        &render::header(&format!("{}/service.yaml", model.spec_dir)),
        render::client_module(model),
    )
    .map_err(spec_dir_error)?;
    files.push(GeneratedFile {
        path: dir.join("src/client.rs"),
        source: format!("{}/service.yaml", model.spec_dir),
        contents: client,
    });
    for op in &model.operations {
        let contents =
            render::format_file(&render::header(&op.spec_file), render::operation_module(op))
                .map_err(|message| {
                    SpecErrors(vec![
                        SpecError::new(Path::new(&op.spec_file), message).operation(&op.action),
                    ])
                })?;
        files.push(GeneratedFile {
            path: dir.join(format!("src/{}.rs", op.method.text)),
            source: op.spec_file.clone(),
            contents,
        });
    }
    files.push(GeneratedFile {
        path: dir.join("Cargo.toml"),
        source: crate_source.clone(),
        contents: cargo_toml(model, layout),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(GeneratedCrate {
        package: model.package.clone(),
        dir,
        operations: model.operations.len(),
        files,
    })
}

fn cargo_toml(model: &model::CrateModel, layout: &Layout) -> String {
    let service = &model.service;
    let paged = model.operations.iter().any(|op| op.pagination.is_some());
    let futures = if paged {
        "futures.workspace = true\n"
    } else {
        ""
    };
    format!(
        "# @generated by `{REGENERATE}` from {spec_dir}/. Do not edit by hand.\n\
         [package]\n\
         name = \"{package}\"\n\
         description = \"Typed async client for Alibaba Cloud {title} ({product}), API version {version}.\"\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n\
         [dependencies]\n\
         alibabacloud-core = {{ path = \"{core}\" }}\n\
         {futures}\
         serde.workspace = true\n",
        spec_dir = model.spec_dir,
        package = model.package,
        title = service.title,
        product = service.product,
        version = service.version,
        core = layout.core_path,
    )
}

/// A file whose committed contents differ from what the specs generate.
#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing or different.
    Stale(PathBuf),
    /// The file is generated no more (its spec was removed).
    Orphan(PathBuf),
}

/// Compares generated crates with the files on disk.
pub fn check(root: &Path, crates: &[GeneratedCrate]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for generated in crates {
        let expected: BTreeMap<&Path, &str> = generated
            .files
            .iter()
            .map(|f| (f.path.as_path(), f.contents.as_str()))
            .collect();
        for (path, contents) in &expected {
            if fs::read_to_string(root.join(path)).ok().as_deref() != Some(*contents) {
                drift.push(Drift::Stale(path.to_path_buf()));
            }
        }
        for path in generated_files_on_disk(root, &generated.dir) {
            if !expected.contains_key(path.as_path()) {
                drift.push(Drift::Orphan(path));
            }
        }
    }
    drift
}

/// Writes generated crates, removing generated files that are no longer produced.
/// Returns the number of files changed.
pub fn write(root: &Path, crates: &[GeneratedCrate]) -> std::io::Result<usize> {
    let mut changed = 0;
    for drift in check(root, crates) {
        match drift {
            Drift::Stale(_) => {}
            Drift::Orphan(path) => {
                fs::remove_file(root.join(&path))?;
                changed += 1;
            }
        }
    }
    for generated in crates {
        for file in &generated.files {
            let path = root.join(&file.path);
            if fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
                continue;
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &file.contents)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Files under `dir/src` (and `dir/Cargo.toml`) that carry the generated header.
fn generated_files_on_disk(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(root.join(dir).join("src")) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let generated =
            fs::read_to_string(&path).is_ok_and(|text| text.starts_with("// @generated"));
        if generated {
            if let Ok(relative) = path.strip_prefix(root) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found.sort();
    found
}
