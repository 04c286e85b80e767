//! `cargo xtask codegen` regenerates the SDK crates from `specs/`;
//! `cargo xtask codegen --check` fails on any drift and names the command that fixes it;
//! `cargo xtask import <api-docs.json>... [--only Action,...]` writes specs from Alibaba
//! Cloud's API metadata.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::{Drift, Layout, REGENERATE};

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask import <api-docs.json>... [--only Action,...] [--verbose]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", rest @ ..] if !rest.is_empty() => import(rest),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn codegen(check: bool) -> ExitCode {
    let root = workspace_root();
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

fn import(args: &[&str]) -> ExitCode {
    let mut files = Vec::new();
    let mut only = None;
    let mut verbose = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--only" => match args.next() {
                Some(list) => {
                    only = Some(
                        list.split(',')
                            .map(|a| a.trim().to_owned())
                            .filter(|a| !a.is_empty())
                            .collect(),
                    )
                }
                None => {
                    eprintln!("--only needs a comma-separated list of actions\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--verbose" => verbose = true,
            file => files.push(PathBuf::from(file)),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let root = workspace_root();
    let specs = root.join("specs");
    for file in files {
        // Paths are taken as given, relative to where the command runs.
        match codegen::import::import_file(&file, &specs, only.as_ref()) {
            Ok(summary) => {
                println!("{summary}");
                if verbose {
                    for warning in &summary.warnings {
                        println!("  warning: {warning}");
                    }
                }
            }
            Err(error) => {
                eprintln!("import failed: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("next: `{REGENERATE}` to regenerate the crates");
    ExitCode::SUCCESS
}
