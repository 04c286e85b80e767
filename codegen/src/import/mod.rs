//! `cargo xtask import`: Alibaba Cloud's OpenMeta `api-docs.json` → operation specs.
//!
//! [`meta`] reads the metadata (facts only, never prose; `$ref`s resolved), [`convert`]
//! turns one operation into the typed spec it implies (or refuses it, naming the field),
//! [`infer`] adds what the metadata does not say outright (read-only, summary, secrets,
//! pagination), [`merge`] folds the result into the spec on disk without losing a hand
//! edit, [`naming`] settles the names of new types, and [`yaml`] writes it. Before anything
//! is written, every spec of the product version goes through the generator's own model
//! ([`crate::model`]): an operation it would refuse is refused here instead, and its file
//! is left as it was. How a spec records what was imported and what was curated is
//! described in `specs/README.md`.

pub mod convert;
pub mod infer;
pub mod merge;
pub mod meta;
pub mod naming;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use merge::Mode;
use meta::ApiDocs;

use crate::load::{Loaded, LoadedService};
use crate::spec::{EndpointsSpec, OperationSpec, ServiceSpec, Signature};

/// What one import did to one product version.
#[derive(Debug, Default)]
pub struct Summary {
    /// `cas/2020-04-07`
    pub product: String,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Operations left out on purpose (not RPC), one line each.
    pub skipped: Vec<String>,
    /// Operations the SDK cannot carry, one line each naming the file, the operation and
    /// the field; their files are not written.
    pub refused: Vec<String>,
    /// Hand-edited or curated specs the metadata disagrees with, unsure inferences, ...
    pub warnings: Vec<String>,
    /// Files written, relative to the specs directory.
    pub written: Vec<PathBuf>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<24} {:>3} added  {:>3} updated  {:>3} unchanged  {:>3} skipped  {:>3} refused  \
             {:>3} warnings",
            self.product,
            self.added,
            self.updated,
            self.unchanged,
            self.skipped.len(),
            self.refused.len(),
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
    let problems = meta::resolve_refs(&mut value);
    let docs: ApiDocs = serde_json::from_value(value).map_err(not_meta)?;
    let mut summary = import_docs(&docs, specs_dir, only)?;
    summary.warnings.splice(0..0, problems);
    Ok(summary)
}

/// One spec the import would write.
struct Pending {
    action: String,
    path: PathBuf,
    display: PathBuf,
    text: String,
    spec: OperationSpec,
    mode: Mode,
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
    // Paths in messages: from the specs directory's own name (`specs/cas/2020-04-07/…`).
    let shown = specs_dir
        .file_name()
        .map_or_else(PathBuf::new, PathBuf::from)
        .join(&relative);
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
    let service = service(docs, &dir, &relative, &shown, &mut summary)?;

    let mut pending = Vec::new();
    for (action, api) in &docs.apis {
        if only.is_some_and(|only| !only.contains(action)) {
            continue;
        }
        let file = format!("{action}.yaml");
        let path = dir.join(&file);
        let display = shown.join(&file);
        let refuse = |summary: &mut Summary, refusal: convert::Refusal| {
            let field = refusal
                .field
                .map(|f| format!(" field {f}:"))
                .unwrap_or_default();
            let line = format!(
                "{}: operation {action}:{field} {}",
                display.display(),
                refusal.reason
            );
            if refusal.skipped {
                summary.skipped.push(line);
            } else {
                summary.refused.push(line);
            }
        };
        let mut notes = convert::Notes::default();
        let fresh = convert::operation(action, api, &mut notes);
        summary.warnings.append(&mut notes.warnings);
        let fresh = match fresh {
            Ok(fresh) => fresh,
            Err(refusal) => {
                refuse(&mut summary, refusal);
                continue;
            }
        };
        let (existing, layout, header, old_text) = match fs::read_to_string(&path) {
            Ok(text) => {
                let layout: serde_yaml::Value = serde_yaml::from_str(&text)
                    .map_err(|e| format!("{}: not valid YAML: {e}", path.display()))?;
                let existing: OperationSpec = crate::load::parse_text(&display, &text)
                    .map_err(|e| format!("{e}; fix or delete the file, then import again"))?;
                (
                    Some(existing),
                    Some(layout),
                    comment_header(&text),
                    Some(text),
                )
            }
            Err(_) => (None, None, String::new(), None),
        };
        let before = existing.clone();
        let (mut merged, mode) = merge::merge(action, fresh, existing, &mut summary.warnings);
        if let Err(refusal) = naming::settle(&mut merged, before.as_ref()) {
            refuse(&mut summary, refusal);
            continue;
        }
        if before.as_ref() == Some(&merged) {
            // Nothing changed in substance: leave the file's bytes (and formatting) alone.
            summary.unchanged += 1;
            continue;
        }
        let text = yaml::spec_text(&merged, layout.as_ref(), &header);
        if old_text.as_deref() == Some(text.as_str()) {
            summary.unchanged += 1;
            continue;
        }
        pending.push(Pending {
            action: action.clone(),
            path,
            display,
            text,
            spec: merged,
            mode,
        });
    }

    // What the generator would refuse is refused now: check the product version as it
    // would be, and leave out (one at a time, as errors can hide others) every new or
    // changed spec the model finds fault with.
    loop {
        let errors = check(&service, &dir, &shown, &pending);
        let mut faulty: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
        for error in &errors {
            faulty
                .entry(error.file.clone())
                .or_default()
                .push(error.to_string());
        }
        let before = pending.len();
        pending.retain(|p| match faulty.get(&p.display) {
            Some(lines) => {
                summary.refused.extend(lines.iter().cloned());
                false
            }
            None => true,
        });
        if pending.len() == before {
            // What is left is in files this import does not write.
            for lines in faulty.into_values() {
                summary.warnings.extend(
                    lines
                        .into_iter()
                        .map(|l| format!("{l} (a spec this import did not write)")),
                );
            }
            break;
        }
    }

    for spec in pending {
        match spec.mode {
            Mode::New => summary.added += 1,
            Mode::Refreshed | Mode::Kept => summary.updated += 1,
        }
        fs::write(&spec.path, &spec.text)
            .map_err(|e| format!("{}: cannot write: {e}", spec.path.display()))?;
        summary
            .written
            .push(relative.join(format!("{}.yaml", spec.action)));
    }
    Ok(summary)
}

/// Every problem the generator's model finds in the product version as it would be after
/// the import: the service, the specs on disk, and `pending` in place of theirs.
fn check(
    service: &Loaded<ServiceSpec>,
    dir: &Path,
    shown: &Path,
    pending: &[Pending],
) -> Vec<crate::SpecError> {
    let mut operations = Vec::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    for spec in pending {
        if !paths.contains(&spec.path) {
            paths.push(spec.path.clone());
        }
    }
    paths.sort();
    let mut errors = Vec::new();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".yaml") || name == "service.yaml" {
            continue;
        }
        if let Some(spec) = pending.iter().find(|p| p.path == path) {
            operations.push(Loaded {
                display_path: spec.display.clone(),
                text: spec.text.clone(),
                spec: spec.spec.clone(),
            });
            continue;
        }
        let display = shown.join(name);
        match fs::read_to_string(&path) {
            Ok(text) => match crate::load::parse_text(&display, &text) {
                Ok(spec) => operations.push(Loaded {
                    display_path: display,
                    text,
                    spec,
                }),
                Err(error) => errors.push(error),
            },
            Err(e) => errors.push(crate::SpecError::new(
                &display,
                format!("cannot read file: {e}"),
            )),
        }
    }
    let loaded = LoadedService {
        service: Loaded {
            display_path: service.display_path.clone(),
            text: service.text.clone(),
            spec: service.spec.clone(),
        },
        operations,
    };
    if let Err(mut more) = crate::model::build(std::slice::from_ref(&loaded)) {
        errors.append(&mut more);
    }
    errors
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

/// The product's `service.yaml`: written when the product is new; otherwise read, with its
/// regional map brought to the metadata's (every other key is curated and kept).
fn service(
    docs: &ApiDocs,
    dir: &Path,
    relative: &Path,
    shown: &Path,
    summary: &mut Summary,
) -> Result<Loaded<ServiceSpec>, String> {
    let path = dir.join("service.yaml");
    let display = shown.join("service.yaml");
    let product = docs.info.product.to_lowercase();
    if let Ok(text) = fs::read_to_string(&path) {
        let mut existing: ServiceSpec = crate::load::parse_text(&display, &text)
            .map_err(|e| format!("{e}; fix the file, then import again"))?;
        // The regional map is a fact: it follows the metadata's map exactly. Hand
        // overrides (`endpoints.overrides`, each with its note) and every other key stay.
        let published: BTreeMap<String, String> = docs
            .endpoints
            .iter()
            .map(|e| (e.region_id.clone(), e.endpoint.clone()))
            .collect();
        if published.is_empty() || published == existing.endpoints.regional {
            return Ok(Loaded {
                display_path: display,
                text,
                spec: existing,
            });
        }
        let changed = published
            .iter()
            .filter(|(region, host)| existing.endpoints.regional.get(*region) != Some(*host))
            .count()
            + existing
                .endpoints
                .regional
                .keys()
                .filter(|region| !published.contains_key(*region))
                .count();
        summary.warnings.push(format!(
            "service.yaml: {changed} regional endpoints updated from the metadata's map"
        ));
        existing.endpoints.regional = published;
        let layout: Option<serde_yaml::Value> = serde_yaml::from_str(&text).ok();
        let text = yaml::spec_text(&existing, layout.as_ref(), &comment_header(&text));
        // Quoted, as `specs/README.md` asks: a YAML 1.1 reader would take it for a date.
        let version = &existing.version;
        let text = text.replacen(
            &format!("\nversion: {version}\n"),
            &format!("\nversion: \"{version}\"\n"),
            1,
        );
        fs::write(&path, &text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        summary.written.push(relative.join("service.yaml"));
        return Ok(Loaded {
            display_path: display,
            text,
            spec: existing,
        });
    }
    let central = docs
        .endpoints
        .iter()
        .find(|e| e.region_id == "cn-hangzhou")
        .map(|e| e.endpoint.clone())
        .unwrap_or_else(|| format!("{product}.aliyuncs.com"));
    let version = &docs.info.version;
    let spec = ServiceSpec {
        product: product.clone(),
        title: docs.info.product.clone(),
        version: version.clone(),
        crate_name: format!("alibabacloud-{product}-{}", version.replace('-', "")),
        signature: Signature::V3,
        description: None,
        portal_code: Some(docs.info.product.clone()),
        endpoints: EndpointsSpec {
            global: Some(central),
            regional: docs
                .endpoints
                .iter()
                .map(|e| (e.region_id.clone(), e.endpoint.clone()))
                .collect(),
            rule: (docs.endpoint_rule.as_deref() == Some("regional"))
                .then(|| format!("{product}.{{region}}.aliyuncs.com")),
            vpc_rule: None,
            overrides: BTreeMap::new(),
            note: None,
        },
    };
    let text = yaml::spec_text(&spec, None, "");
    fs::write(&path, &text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    summary.written.push(relative.join("service.yaml"));
    Ok(Loaded {
        display_path: display,
        text,
        spec,
    })
}
