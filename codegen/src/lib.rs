//! The SDK generator: YAML operation specs in, formatted Rust crates out.
//!
//! Four stages, each in its own module, run in this order by [`generate`]:
//!
//! 1. [`load`] parses the spec files with serde ([`spec`] holds their shape);
//! 2. [`model`] validates them and decides every Rust name, type and field doc
//!    ([`names`] holds the naming rule);
//! 3. [`shared`] defines once each struct and enum that several operations of a crate
//!    define with the same name and shape, and has the others re-export it;
//! 4. [`render`] prints the model with quote and formats it with prettyplease (and
//!    [`render_cases`] the test tables).
//!
//! [`generate`] returns the files in memory; [`write()`] and [`check()`] compare or write
//! them, so nothing is written while any spec is invalid. [`import`] is the other way in:
//! Alibaba Cloud's API metadata to specs, checked by the same [`model`] before it writes.

pub mod error;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod render;
pub mod render_cases;
pub mod shape;
pub mod shared;
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

/// A symbolic link a generated crate holds: its `LICENSE`, pointing at the workspace's, so
/// that `cargo package` puts the license text into the crate (a package can only include
/// files inside its folder, and cargo follows the link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedLink {
    /// Path of the link, relative to the workspace root.
    pub path: PathBuf,
    /// What it points at, relative to the link's folder.
    pub target: PathBuf,
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
    /// Its links (the license of a published crate).
    pub links: Vec<GeneratedLink>,
}

/// Where specs are read and crates written, relative to the workspace root.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Directory of `<product>/<version>/` spec folders.
    pub specs: PathBuf,
    /// Directory the crates are written into (one folder per crate).
    pub crates: PathBuf,
    /// Whether the crates are published (false writes `publish = false` into each
    /// `Cargo.toml`). Their dependency on the runtime is the workspace's
    /// `alibabacloud-core`, path and version.
    pub publish: bool,
    /// Package name of the catalog crate written beside the others, if any.
    pub catalog: Option<String>,
    /// The test table of every operation (`render_cases`), if any.
    pub cases: Option<PathBuf>,
}

impl Layout {
    /// The SDK's own layout: `specs/` into `crates/`.
    pub fn sdk() -> Self {
        Self {
            specs: PathBuf::from("specs"),
            crates: PathBuf::from("crates"),
            publish: true,
            catalog: Some("alibabacloud-catalog".to_owned()),
            cases: Some(PathBuf::from("tests/generated/operations.rs")),
        }
    }

    /// The test fixtures: `tests/fixtures/specs/` into `tests/fixtures/crates/`, with their
    /// own test table.
    pub fn fixtures() -> Self {
        Self {
            specs: PathBuf::from("tests/fixtures/specs"),
            crates: PathBuf::from("tests/fixtures/crates"),
            publish: false,
            catalog: None,
            cases: Some(PathBuf::from("tests/generated/fixture_operations.rs")),
        }
    }

    /// Every layout `cargo xtask codegen` maintains.
    pub fn all() -> [Self; 2] {
        [Self::sdk(), Self::fixtures()]
    }
}

/// Runs the four stages over a spec directory and returns every generated crate, in memory.
pub fn generate(root: &Path, layout: &Layout) -> Result<Vec<GeneratedCrate>, SpecErrors> {
    let services = load::load_dir(root, &root.join(&layout.specs)).map_err(SpecErrors)?;
    let mut crates = model::build(&services).map_err(SpecErrors)?;
    for model in &mut crates {
        shared::share(model);
    }
    // The catalog and the test table are one file each: they render on threads of their
    // own while the crates' operations render on every core.
    let (generated, catalog, cases) = std::thread::scope(|scope| {
        let catalog = layout
            .catalog
            .as_ref()
            .map(|package| scope.spawn(|| render_catalog(&crates, package, layout)));
        let cases = layout
            .cases
            .as_ref()
            .map(|path| scope.spawn(|| render_cases_file(&crates, path, layout)));
        let generated = crates
            .iter()
            .map(|model| render_crate(model, layout))
            .collect::<Result<Vec<_>, _>>();
        let join = |handle: std::thread::ScopedJoinHandle<'_, _>| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (generated, catalog.map(join), cases.map(join))
    });
    let mut generated = generated?;
    if let Some(catalog) = catalog {
        generated.push(catalog?);
    }
    if let Some(cases) = cases {
        generated.push(cases?);
    }
    Ok(generated)
}

/// The test table of every operation (`render_cases`), as a generated "crate" of one file.
fn render_cases_file(
    crates: &[model::CrateModel],
    path: &Path,
    layout: &Layout,
) -> Result<GeneratedCrate, SpecErrors> {
    let source = format!("{}/", layout.specs.display());
    let contents =
        render::format_file(&render::header(&source), render_cases::cases_module(crates))
            .map_err(|message| SpecErrors(vec![SpecError::new(&layout.specs, message)]))?;
    Ok(GeneratedCrate {
        package: "sdk-tests operation table".to_owned(),
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        operations: crates.iter().map(|c| c.operations.len()).sum(),
        files: vec![GeneratedFile {
            path: path.to_path_buf(),
            source,
            contents,
        }],
        links: Vec::new(),
    })
}

fn render_catalog(
    crates: &[model::CrateModel],
    package: &str,
    layout: &Layout,
) -> Result<GeneratedCrate, SpecErrors> {
    let dir = layout.crates.join(package);
    let source = format!("{}/", layout.specs.display());
    let lib = render::format_file(&render::header(&source), render::catalog_module(crates))
        .map_err(|message| SpecErrors(vec![SpecError::new(&layout.specs, message)]))?;
    let manifest = render::catalog_manifest(package, &source, layout.publish);
    let readme = render::catalog_readme(crates, package, &source);
    let operations = crates.iter().map(|c| c.operations.len()).sum();
    Ok(GeneratedCrate {
        package: package.to_owned(),
        files: vec![
            GeneratedFile {
                path: dir.join("Cargo.toml"),
                source: source.clone(),
                contents: manifest,
            },
            GeneratedFile {
                path: dir.join("README.md"),
                source: source.clone(),
                contents: readme,
            },
            GeneratedFile {
                path: dir.join("src/lib.rs"),
                source,
                contents: lib,
            },
        ],
        links: license_link(&dir, layout),
        dir,
        operations,
    })
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
    let rendered = parallel_map(&model.operations, |op| {
        render::format_file(&render::header(&op.spec_file), render::operation_module(op)).map_err(
            |message| SpecError::new(Path::new(&op.spec_file), message).operation(&op.action),
        )
    });
    for (op, contents) in model.operations.iter().zip(rendered) {
        files.push(GeneratedFile {
            path: dir.join(format!("src/{}.rs", op.method.text)),
            source: op.spec_file.clone(),
            contents: contents.map_err(|error| SpecErrors(vec![error]))?,
        });
    }
    if !model.types.is_empty() || !model.type_enums.is_empty() {
        let types =
            render::format_file(&render::header(&crate_source), render::types_module(model))
                .map_err(spec_dir_error)?;
        files.push(GeneratedFile {
            path: dir.join("src/types.rs"),
            source: crate_source.clone(),
            contents: types,
        });
    }
    files.push(GeneratedFile {
        path: dir.join("Cargo.toml"),
        source: crate_source.clone(),
        contents: render::crate_manifest(model, layout.publish),
    });
    files.push(GeneratedFile {
        path: dir.join("README.md"),
        source: crate_source.clone(),
        contents: render::crate_readme(model),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(GeneratedCrate {
        package: model.package.clone(),
        links: license_link(&dir, layout),
        dir,
        operations: model.operations.len(),
        files,
    })
}

/// The workspace's license file, which every published crate links to as its `LICENSE`.
const LICENSE: &str = "LICENSE";

/// `dir/LICENSE` → the workspace's `LICENSE`, for a published crate.
fn license_link(dir: &Path, layout: &Layout) -> Vec<GeneratedLink> {
    if !layout.publish {
        return Vec::new();
    }
    let mut target = PathBuf::new();
    for _ in dir.components() {
        target.push("..");
    }
    target.push(LICENSE);
    vec![GeneratedLink {
        path: dir.join(LICENSE),
        target,
    }]
}

/// Whether the link on disk points where it should (elsewhere than Unix, where links are
/// written as copies, whether the copy holds the same text).
fn link_matches(root: &Path, link: &GeneratedLink) -> bool {
    let path = root.join(&link.path);
    if cfg!(unix) {
        fs::read_link(&path).is_ok_and(|target| target == link.target)
    } else {
        let source = path.parent().map(|dir| dir.join(&link.target));
        source.is_some_and(|source| fs::read(source).ok() == fs::read(&path).ok())
    }
}

fn make_link(root: &Path, link: &GeneratedLink) -> std::io::Result<()> {
    let path = root.join(&link.path);
    if fs::symlink_metadata(&path).is_ok() {
        fs::remove_file(&path)?;
    }
    link_file(&link.target, &path)
}

#[cfg(unix)]
fn link_file(target: &Path, path: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, path)
}

#[cfg(not(unix))]
fn link_file(target: &Path, path: &Path) -> std::io::Result<()> {
    let source = path
        .parent()
        .map_or_else(|| target.to_path_buf(), |dir| dir.join(target));
    fs::copy(source, path).map(|_| ())
}

/// Maps `f` over `items` on every core, keeping the order (formatting dominates the
/// generator's time and each operation renders independently).
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
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
        for link in &generated.links {
            if !link_matches(root, link) {
                drift.push(Drift::Stale(link.path.clone()));
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
        for link in &generated.links {
            if !link_matches(root, link) {
                make_link(root, link)?;
                changed += 1;
            }
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
