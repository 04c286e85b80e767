//! Finding and parsing the spec files (stage 1).

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::SpecError;
use crate::spec::{OperationSpec, ServiceSpec};

/// A parsed spec file with what is needed to report errors against it.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Path shown in errors and generated headers (relative to the workspace root).
    pub display_path: PathBuf,
    /// The file's text, to locate lines.
    pub text: String,
    /// The parsed spec.
    pub spec: T,
}

/// One product and version directory.
#[derive(Debug)]
pub struct LoadedService {
    pub service: Loaded<ServiceSpec>,
    pub operations: Vec<Loaded<OperationSpec>>,
}

/// Reads every `<product>/<version>/` directory under `specs_dir`. Directories are visited
/// in sorted order so the output never depends on the file system.
pub fn load_dir(root: &Path, specs_dir: &Path) -> Result<Vec<LoadedService>, Vec<SpecError>> {
    let mut errors = Vec::new();
    let mut services = Vec::new();
    for product in sorted_entries(specs_dir, &mut errors) {
        if !product.is_dir() {
            continue;
        }
        for version in sorted_entries(&product, &mut errors) {
            if !version.is_dir() {
                continue;
            }
            match load_service(root, &version) {
                Ok(service) => services.push(service),
                Err(mut more) => errors.append(&mut more),
            }
        }
    }
    if errors.is_empty() {
        Ok(services)
    } else {
        Err(errors)
    }
}

fn sorted_entries(dir: &Path, errors: &mut Vec<SpecError>) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(e) => {
            errors.push(SpecError::new(dir, format!("cannot read directory: {e}")));
            Vec::new()
        }
    }
}

fn load_service(root: &Path, dir: &Path) -> Result<LoadedService, Vec<SpecError>> {
    let mut errors = Vec::new();
    let service_path = dir.join("service.yaml");
    let service = match parse_file::<ServiceSpec>(root, &service_path) {
        Ok(service) => Some(service),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut operations = Vec::new();
    for path in sorted_entries(dir, &mut errors) {
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml || path.file_name().is_some_and(|n| n == "service.yaml") {
            continue;
        }
        match parse_file::<OperationSpec>(root, &path) {
            Ok(operation) => operations.push(operation),
            Err(e) => errors.push(e),
        }
    }
    match service {
        Some(service) if errors.is_empty() => Ok(LoadedService {
            service,
            operations,
        }),
        _ => Err(errors),
    }
}

/// Parses one file, reporting the field path and line of the first problem.
pub fn parse_file<T: DeserializeOwned>(root: &Path, path: &Path) -> Result<Loaded<T>, SpecError> {
    let display_path = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let text = fs::read_to_string(path)
        .map_err(|e| SpecError::new(&display_path, format!("cannot read file: {e}")))?;
    let spec = parse_text(&display_path, &text)?;
    Ok(Loaded {
        display_path,
        text,
        spec,
    })
}

/// Parses spec text; errors carry the field path (`request[2].type`) and the line.
pub fn parse_text<T: DeserializeOwned>(display_path: &Path, text: &str) -> Result<T, SpecError> {
    let operation = display_path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| *s != "service")
        .map(str::to_owned);
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let line = inner.location().map(|l| l.line());
        // serde_yaml appends " at line N column M"; the line is shown separately.
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        // serde_yaml also prefixes the path, which is reported as the field.
        let message = match message.split_once(": ") {
            Some((prefix, rest)) if !prefix.contains(' ') => rest.to_owned(),
            _ => message.to_owned(),
        };
        // A top-level key that was retired gets its own explanation.
        let retired = crate::spec::RETIRED_KEYS
            .iter()
            .find(|(key, _)| path == *key && message.starts_with("unknown field"))
            .map(|(_, why)| format!("unknown field `{path}`: {why}"));
        let message = retired.unwrap_or(message);
        let mut spec_error = SpecError::new(display_path, message).line(line);
        if path != "." {
            spec_error = spec_error.field(path);
        }
        if let Some(operation) = &operation {
            spec_error = spec_error.operation(operation);
        }
        spec_error
    })
}

/// The 1-based line of the first line of `text` containing `needle`, if any.
pub fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|i| i + 1)
}
