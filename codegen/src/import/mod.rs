//! `cargo xtask import`: Alibaba Cloud's OpenMeta `api-docs.json` → operation specs.
//!
//! [`meta`] reads the metadata (facts only, never prose), [`convert`] turns one operation
//! into the spec it implies, [`infer`] adds what the metadata does not say outright
//! (read-only, summary, secrets, pagination), [`merge`] folds the result into the spec
//! on disk without losing a hand edit, and [`yaml`] writes it. How a spec records what was
//! imported and what was curated is described in `specs/README.md`.

pub mod convert;
pub mod infer;
pub mod merge;
pub mod meta;
pub mod yaml;

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use merge::Mode;
use meta::ApiDocs;

/// What one import did to one product version.
#[derive(Debug, Default)]
pub struct Summary {
    /// `cas/2020-04-07`
    pub product: String,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Hand-edited or curated specs the metadata disagrees with, unsure inferences, ...
    pub warnings: Vec<String>,
    /// Files written, relative to the specs directory.
    pub written: Vec<PathBuf>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<24} {:>3} added  {:>3} updated  {:>3} unchanged  {:>3} warnings",
            self.product,
            self.added,
            self.updated,
            self.unchanged,
            self.warnings.len()
        )
    }
}

/// Imports one `api-docs.json` into `specs_dir`. With `only`, just those actions.
pub fn import_file(
    docs_path: &Path,
    specs_dir: &Path,
    only: Option<&BTreeSet<String>>,
) -> Result<Summary, String> {
    let text = fs::read_to_string(docs_path)
        .map_err(|e| format!("{}: cannot read: {e}", docs_path.display()))?;
    let not_meta = |e: serde_json::Error| {
        format!(
            "{}: not an OpenMeta api-docs.json: {e}",
            docs_path.display()
        )
    };
    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(not_meta)?;
    meta::resolve_refs(&mut value);
    let docs: ApiDocs = serde_json::from_value(value).map_err(not_meta)?;
    import_docs(&docs, specs_dir, only)
}

/// Imports parsed metadata into `specs_dir`.
pub fn import_docs(
    docs: &ApiDocs,
    specs_dir: &Path,
    only: Option<&BTreeSet<String>>,
) -> Result<Summary, String> {
    if let Some(style) = &docs.info.style {
        if !style.eq_ignore_ascii_case("rpc") {
            return Err(format!(
                "{} {}: only RPC-style APIs are supported, not {style}",
                docs.info.product, docs.info.version
            ));
        }
    }
    let product = docs.info.product.to_lowercase();
    let relative = PathBuf::from(&product).join(&docs.info.version);
    let dir = specs_dir.join(&relative);
    if let Some(only) = only {
        let unknown: Vec<&String> = only
            .iter()
            .filter(|a| !docs.apis.contains_key(*a))
            .collect();
        if !unknown.is_empty() && only.iter().all(|a| !docs.apis.contains_key(a)) {
            return Err(format!(
                "{product} {}: no operation named {}",
                docs.info.version,
                unknown
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let mut summary = Summary {
        product: format!("{product}/{}", docs.info.version),
        ..Summary::default()
    };
    service(docs, &dir, &relative, &mut summary)?;

    for (action, api) in &docs.apis {
        if only.is_some_and(|only| !only.contains(action)) {
            continue;
        }
        let mut notes = convert::Notes::default();
        let fresh = convert::operation(action, api, &mut notes);
        summary.warnings.append(&mut notes.warnings);
        let path = dir.join(format!("{action}.yaml"));
        let (existing, header, old_text) = match fs::read_to_string(&path) {
            Ok(text) => {
                let value: Mapping = serde_yaml::from_str(&text)
                    .map_err(|e| format!("{}: not valid YAML: {e}", path.display()))?;
                (Some(value), comment_header(&text), Some(text))
            }
            Err(_) => (None, String::new(), None),
        };
        let before = existing.clone();
        let (merged, mode) = merge::merge(action, fresh, existing, &mut summary.warnings);
        if before.as_ref() == Some(&merged) {
            // Nothing changed in substance: leave the file's bytes (and formatting) alone.
            summary.unchanged += 1;
            continue;
        }
        let new_text = yaml::to_yaml(&Value::Mapping(merged), &header);
        if old_text.as_deref() == Some(new_text.as_str()) {
            summary.unchanged += 1;
            continue;
        }
        if mode == Mode::New {
            summary.added += 1;
        } else {
            summary.updated += 1;
        }
        fs::write(&path, new_text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        summary
            .written
            .push(relative.join(format!("{action}.yaml")));
    }
    Ok(summary)
}

/// The comment lines a hand-written file starts with, kept above the rewritten body.
fn comment_header(text: &str) -> String {
    let mut header = String::new();
    for line in text.lines() {
        if line.starts_with('#') {
            header.push_str(line);
            header.push('\n');
        } else {
            break;
        }
    }
    header
}

/// Writes `service.yaml` when the product is new; otherwise reports how its endpoints
/// differ from the metadata's and leaves the file alone (it is curated).
fn service(
    docs: &ApiDocs,
    dir: &Path,
    relative: &Path,
    summary: &mut Summary,
) -> Result<(), String> {
    let path = dir.join("service.yaml");
    let product = docs.info.product.to_lowercase();
    let host = |region: &str| format!("{product}.{region}.aliyuncs.com");
    let central = docs
        .endpoints
        .iter()
        .find(|e| e.region_id == "cn-hangzhou")
        .map(|e| e.endpoint.clone())
        .unwrap_or_else(|| format!("{product}.aliyuncs.com"));
    if let Ok(text) = fs::read_to_string(&path) {
        let existing: Value = serde_yaml::from_str(&text)
            .map_err(|e| format!("{}: not valid YAML: {e}", path.display()))?;
        let regional = existing.get("endpoints").and_then(|e| e.get("regional"));
        let rule = existing
            .get("endpoints")
            .and_then(|e| e.get("rule"))
            .and_then(Value::as_str);
        let mut missing = Vec::new();
        for entry in &docs.endpoints {
            let listed = regional
                .and_then(|r| r.get(&entry.region_id))
                .and_then(Value::as_str);
            let by_rule = rule.map(|r| r.replace("{region}", &entry.region_id));
            match listed {
                Some(endpoint) if endpoint == entry.endpoint => {}
                Some(endpoint) => summary.warnings.push(format!(
                    "service.yaml: {} is {} in the metadata but {endpoint} here; kept",
                    entry.region_id, entry.endpoint
                )),
                None if by_rule.as_deref() == Some(entry.endpoint.as_str()) => {}
                None => missing.push(entry.region_id.clone()),
            }
        }
        if !missing.is_empty() {
            summary.warnings.push(format!(
                "service.yaml: {} metadata regions are neither listed nor given by the rule \
                 (kept as curated): {}",
                missing.len(),
                missing.join(", ")
            ));
        }
        return Ok(());
    }
    let mut regional = Mapping::new();
    for entry in &docs.endpoints {
        regional.insert(
            entry.region_id.clone().into(),
            entry.endpoint.clone().into(),
        );
    }
    let mut endpoints = Mapping::new();
    endpoints.insert("global".into(), central.into());
    endpoints.insert("regional".into(), Value::Mapping(regional));
    if docs.endpoint_rule.as_deref() == Some("regional") {
        endpoints.insert("rule".into(), host("{region}").into());
    }
    let version = &docs.info.version;
    let spec = convert::mapping([
        ("product", product.clone().into()),
        ("title", docs.info.product.clone().into()),
        ("version", version.clone().into()),
        (
            "crate",
            format!("alibabacloud-{product}-{}", version.replace('-', "")).into(),
        ),
        ("signature", "v3".into()),
        ("portal_code", docs.info.product.clone().into()),
        ("endpoints", Value::Mapping(endpoints)),
    ]);
    fs::write(&path, yaml::to_yaml(&Value::Mapping(spec), ""))
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    summary.written.push(relative.join("service.yaml"));
    Ok(())
}
