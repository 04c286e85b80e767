//! `cargo xtask codegen` regenerates the SDK crates from `specs/`;
//! `cargo xtask codegen --check` fails on any drift and names the command that fixes it;
//! `cargo xtask import <api-docs.json>... [--only Action,...] [--specs <dir>]` writes specs
//! from Alibaba Cloud's API metadata (into `specs/`, or the test fixtures' specs with
//! `--specs tests/fixtures/specs`); `cargo xtask scratch --out <dir> <api-docs.json>...` imports and
//! generates into a workspace of its own (for checking that any product's metadata gives
//! crates that compile, without touching the SDK).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::{Drift, Layout, REGENERATE};

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask import <api-docs.json>... [--only Action,...] [--verbose] [--specs <dir>]\n       cargo xtask scratch --out <dir> <api-docs.json>... [--verbose]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", rest @ ..] if !rest.is_empty() => import(rest),
        ["scratch", "--out", out, rest @ ..] if !rest.is_empty() => scratch(Path::new(out), rest),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The SDK workspace this run works on, found at run time: `cargo xtask` (a `cargo run`)
/// names the xtask package it runs in `CARGO_MANIFEST_DIR`, whose parent is the root;
/// run directly, the binary looks up from the current directory. Never the path it was
/// compiled in: two checkouts sharing a target directory share one xtask binary.
fn workspace_root() -> Result<PathBuf, ExitCode> {
    let from_cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|manifest| manifest.parent().map(Path::to_path_buf))
        .filter(|root| is_sdk_root(root));
    let start = std::env::current_dir().map_err(|error| {
        eprintln!("cannot read the current directory: {error}");
        ExitCode::FAILURE
    })?;
    from_cargo
        .or_else(|| {
            start
                .ancestors()
                .find(|dir| is_sdk_root(dir))
                .map(Path::to_path_buf)
        })
        .ok_or_else(|| {
            eprintln!(
                "{}: not inside the SDK workspace (no directory above it has a Cargo.toml \
                 with [workspace], specs/ and xtask/); run `cargo xtask` from the checkout",
                start.display()
            );
            ExitCode::FAILURE
        })
}

/// Whether `dir` is the root of this SDK's workspace.
fn is_sdk_root(dir: &Path) -> bool {
    dir.join("specs").is_dir()
        && dir.join("xtask").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
}

fn codegen(check: bool) -> ExitCode {
    let root = match workspace_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut crates = Vec::new();
    for layout in Layout::all() {
        match codegen::generate(&root, &layout) {
            Ok(mut generated) => crates.append(&mut generated),
            Err(errors) => {
                eprint!("{errors}");
                return ExitCode::FAILURE;
            }
        }
    }
    if check {
        let drift = codegen::check(&root, &crates);
        if drift.is_empty() {
            println!("generated code is up to date ({} crates)", crates.len());
            return ExitCode::SUCCESS;
        }
        eprintln!("generated code is stale:");
        for item in &drift {
            match item {
                Drift::Stale(path) => eprintln!("  changed: {}", path.display()),
                Drift::Orphan(path) => eprintln!("  no longer generated: {}", path.display()),
            }
        }
        eprintln!("run `{REGENERATE}` and commit the result");
        return ExitCode::FAILURE;
    }
    let changed = match codegen::write(&root, &crates) {
        Ok(changed) => changed,
        Err(error) => {
            eprintln!("cannot write generated files: {error}");
            return ExitCode::FAILURE;
        }
    };
    for generated in &crates {
        let lines: usize = generated
            .files
            .iter()
            .map(|f| f.contents.lines().count())
            .sum();
        println!(
            "{:<36} {:>2} operations  {:>2} files  {:>5} lines  -> {}",
            generated.package,
            generated.operations,
            generated.files.len(),
            lines,
            generated.dir.display()
        );
    }
    println!("{} files changed in {:.0?}", changed, started.elapsed());
    ExitCode::SUCCESS
}

/// The arguments of `import` and `scratch`: files, `--only`, `--verbose`.
struct ImportArgs {
    files: Vec<PathBuf>,
    only: Option<std::collections::BTreeSet<String>>,
    verbose: bool,
    /// `--specs <dir>`: where the specs go, relative to the workspace (default `specs`).
    specs: Option<PathBuf>,
}

fn import_args(args: &[&str]) -> Result<ImportArgs, ExitCode> {
    let mut parsed = ImportArgs {
        files: Vec::new(),
        only: None,
        verbose: false,
        specs: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--only" => match args.next() {
                Some(list) => {
                    parsed.only = Some(
                        list.split(',')
                            .map(|a| a.trim().to_owned())
                            .filter(|a| !a.is_empty())
                            .collect(),
                    )
                }
                None => {
                    eprintln!("--only needs a comma-separated list of actions\n{USAGE}");
                    return Err(ExitCode::from(2));
                }
            },
            "--verbose" => parsed.verbose = true,
            "--specs" => match args.next() {
                Some(dir) => parsed.specs = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("--specs needs a directory\n{USAGE}");
                    return Err(ExitCode::from(2));
                }
            },
            // Paths are taken as given, relative to where the command runs.
            file => parsed.files.push(PathBuf::from(file)),
        }
    }
    if parsed.files.is_empty() {
        eprintln!("{USAGE}");
        return Err(ExitCode::from(2));
    }
    Ok(parsed)
}

/// Imports every file into `specs`, printing one line per product and every operation it
/// skipped or refused (the warnings too with `verbose`).
fn import_into(specs: &Path, args: &ImportArgs) -> Result<(), ExitCode> {
    for file in &args.files {
        match codegen::import::import_file(file, specs, args.only.as_ref()) {
            Ok(summary) => {
                println!("{summary}");
                for line in &summary.skipped {
                    println!("  skipped: {line}");
                }
                for line in &summary.refused {
                    println!("  refused: {line}");
                }
                if args.verbose {
                    for warning in &summary.warnings {
                        println!("  warning: {warning}");
                    }
                }
            }
            Err(error) => {
                eprintln!("import failed: {error}");
                return Err(ExitCode::FAILURE);
            }
        }
    }
    Ok(())
}

fn import(args: &[&str]) -> ExitCode {
    let args = match import_args(args) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let root = match workspace_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    let specs = root.join(args.specs.as_deref().unwrap_or(Path::new("specs")));
    if let Err(code) = import_into(&specs, &args) {
        return code;
    }
    println!("next: `{REGENERATE}` to regenerate the crates");
    ExitCode::SUCCESS
}

/// Imports the metadata into `<out>/specs`, generates `<out>/crates` (the client crates and
/// a catalog) and writes `<out>/Cargo.toml`, a workspace of its own whose crates use this
/// SDK's runtime by path, with this workspace's profiles and `Cargo.lock`, so that
/// `cargo check` there builds what an import of that metadata would give.
fn scratch(out: &Path, args: &[&str]) -> ExitCode {
    let args = match import_args(args) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let root = match workspace_root() {
        Ok(root) => root,
        Err(code) => return code,
    };
    if let Err(error) = std::fs::create_dir_all(out) {
        eprintln!("{}: cannot create: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let started = Instant::now();
    if let Err(code) = import_into(&out.join("specs"), &args) {
        return code;
    }
    let imported = started.elapsed();
    let layout = Layout {
        specs: PathBuf::from("specs"),
        crates: PathBuf::from("crates"),
        publish: false,
        catalog: Some("alibabacloud-catalog".to_owned()),
        cases: None,
    };
    let crates = match codegen::generate(out, &layout) {
        Ok(crates) => crates,
        Err(errors) => {
            eprint!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = codegen::write(out, &crates) {
        eprintln!("cannot write generated files: {error}");
        return ExitCode::FAILURE;
    }
    let manifest = match scratch_manifest(&root) {
        Ok(manifest) => manifest,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let written = std::fs::write(out.join("Cargo.toml"), manifest)
        .and_then(|()| std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map(drop));
    if let Err(error) = written {
        eprintln!("{}: cannot write the workspace: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let operations: usize = crates
        .iter()
        .filter(|c| c.package != "alibabacloud-catalog")
        .map(|c| c.operations)
        .sum();
    println!(
        "{} crates, {operations} operations in {} (import {} ms, import and codegen {} ms)",
        crates.len(),
        out.display(),
        imported.as_millis(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}

/// The scratch workspace's `Cargo.toml`: the SDK's package keys, the dependencies the
/// generated crates name (the runtime by path), and the SDK's own profiles.
fn scratch_manifest(root: &Path) -> Result<String, String> {
    let sdk = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("{}: {e}", root.join("Cargo.toml").display()))?;
    let section = |name: &str| -> String {
        let start = sdk.find(&format!("\n[{name}]\n")).map(|i| i + 1);
        start.map_or_else(String::new, |start| {
            let body = &sdk[start..];
            let end = body[1..].find("\n[").map_or(body.len(), |i| i + 2);
            body[..end].to_owned()
        })
    };
    let profiles = scratch_profiles(root, &sdk);
    let core = root.join("crates/alibabacloud-core");
    Ok(format!(
        "# Written by `cargo xtask scratch`: a workspace of generated crates, outside the SDK.\n\
         [workspace]\n\
         resolver = \"3\"\n\
         members = [\"crates/*\"]\n\n\
         {package}\n\
         [workspace.dependencies]\n\
         alibabacloud-core = {{ path = {core:?}, default-features = false }}\n\
         futures = \"0.3\"\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\n\
         {profiles}",
        package = section("workspace.package"),
        core = core.display().to_string(),
    ))
}

/// The SDK's `[profile…]` sections, but for packages the generated crates do not use (so
/// cargo has nothing to warn about): those outside the dependencies of the runtime, futures
/// and serde, read from the SDK's `Cargo.lock`.
fn scratch_profiles(root: &Path, sdk: &str) -> String {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let mut dependencies: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for package in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in package.lines() {
            let line = line.trim();
            if let Some(value) = line.strip_prefix("name = ") {
                name = Some(value.trim_matches('"'));
            } else if line.starts_with("dependencies = [") {
                in_deps = true;
            } else if in_deps && line == "]" {
                in_deps = false;
            } else if in_deps {
                let dep = line.trim_matches(|c| c == '"' || c == ',');
                deps.push(dep.split(' ').next().unwrap_or(dep));
            }
        }
        if let Some(name) = name {
            dependencies.entry(name).or_default().extend(deps);
        }
    }
    let mut used = std::collections::BTreeSet::new();
    let mut todo = vec!["alibabacloud-core", "futures", "serde"];
    while let Some(name) = todo.pop() {
        if used.insert(name) {
            todo.extend(dependencies.get(name).into_iter().flatten().copied());
        }
    }
    let Some(start) = sdk.find("\n[profile.") else {
        return String::new();
    };
    let mut out = String::new();
    for section in sdk[start + 1..]
        .split("\n[")
        .map(|s| s.trim_start_matches('['))
    {
        let header = section.lines().next().unwrap_or_default();
        let package = header
            .strip_prefix("profile.dev.package.")
            .or_else(|| header.strip_prefix("profile.release.package."))
            .map(|p| p.trim_end_matches(']').trim_matches('"'));
        if package.is_none_or(|p| p == "*" || used.contains(p)) {
            out.push('[');
            for line in section.trim_end().lines().filter(|l| !l.starts_with('#')) {
                out.push_str(line);
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out
}
