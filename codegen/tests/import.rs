//! `cargo xtask import` on a hand-made file shaped like the live metadata endpoint's
//! (titles, descriptions, `methods: [post, get]`, no `x-` keys): idempotent, facts only, no
//! prose copied, hand edits kept, disagreements reported.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::import::import_file;

const LIVE: &str = include_str!("fixtures/live-api-docs.json");

fn setup(docs: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("api-docs.json");
    fs::write(&file, docs).expect("metadata");
    (dir, file)
}

fn specs(dir: &Path) -> PathBuf {
    dir.join("specs")
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(specs(dir).join("demo/2024-01-01").join(name)).expect(name)
}

fn all_spec_text(dir: &Path) -> String {
    let mut text = String::new();
    let folder = specs(dir).join("demo/2024-01-01");
    let mut paths: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        text.push_str(&fs::read_to_string(path).unwrap());
    }
    text
}

#[test]
fn a_live_shaped_file_imports_facts_and_no_prose() {
    let (dir, file) = setup(LIVE);
    let summary = import_file(&file, &specs(dir.path()), None).expect("imports");
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (2, 0, 0)
    );
    assert_eq!(summary.product, "demo/2024-01-01");
    let text = all_spec_text(dir.path());
    assert!(!text.contains("PROSE"), "prose was copied:\n{text}");

    let list = read(dir.path(), "ListThings.yaml");
    assert!(list.contains("origin: imported"));
    assert!(
        list.contains("method: POST"),
        "POST is picked from [post, get]"
    );
    assert!(
        list.contains("read_only: true"),
        "systemTags list is a read"
    );
    assert!(list.contains("style: page_number"), "{list}");
    assert!(list.contains("style: json"));
    assert!(list.contains("sensitive: true"), "PrivateKey is a secret");
    let delete = read(dir.path(), "DeleteThing.yaml");
    assert!(delete.contains("read_only: false"), "a delete is a write");
    assert!(delete.contains("in: body") && delete.contains("request_body: form"));
    let service = read(dir.path(), "service.yaml");
    assert!(service.contains("portal_code: Demo") && service.contains("demo.aliyuncs.com"));
}

#[test]
fn a_second_import_of_the_same_input_changes_no_byte() {
    let (dir, file) = setup(LIVE);
    import_file(&file, &specs(dir.path()), None).unwrap();
    let first = all_spec_text(dir.path());
    let summary = import_file(&file, &specs(dir.path()), None).unwrap();
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (0, 0, 2)
    );
    assert!(summary.written.is_empty());
    assert_eq!(all_spec_text(dir.path()), first);
}

#[test]
fn a_changed_input_changes_only_imported_facts() {
    let (dir, file) = setup(LIVE);
    import_file(&file, &specs(dir.path()), None).unwrap();
    // Our words in an imported spec.
    let path = specs(dir.path()).join("demo/2024-01-01/ListThings.yaml");
    let ours = fs::read_to_string(&path)
        .unwrap()
        .replacen("summary: ", "summary: Our words, instead of ", 1)
        .replacen(
            "  - {name: PageSize",
            "  - {note: A note of ours., name: PageSize",
            1,
        );
    fs::write(&path, &ours).unwrap();
    let before = fs::read_to_string(&path).unwrap();

    let changed = LIVE.replace("\"example\": \"20\"", "\"example\": \"50\"");
    fs::write(&file, changed).unwrap();
    let summary = import_file(&file, &specs(dir.path()), None).unwrap();
    assert_eq!(summary.updated, 1, "{summary:?}");
    let after = fs::read_to_string(&path).unwrap();
    assert!(after.contains("Our words, instead of"), "{after}");
    assert!(after.contains("A note of ours."), "{after}");
    assert!(after.contains("example: '50'"), "{after}");
    // Only the example and the digest moved.
    let differing: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 2, "{differing:#?}");
    assert!(differing[0].0.starts_with("import_digest:"));
}

#[test]
fn a_hand_edited_fact_survives_a_reimport_and_the_disagreement_is_reported() {
    let (dir, file) = setup(LIVE);
    import_file(&file, &specs(dir.path()), None).unwrap();
    let path = specs(dir.path()).join("demo/2024-01-01/ListThings.yaml");
    let edited = fs::read_to_string(&path).unwrap().replacen(
        "{name: Id, type: int64",
        "{name: Id, type: string",
        1,
    );
    assert!(edited.contains("{name: Id, type: string"), "{edited}");
    fs::write(&path, &edited).unwrap();

    let changed = LIVE.replace("\"example\": \"20\"", "\"example\": \"50\"");
    fs::write(&file, changed).unwrap();
    let summary = import_file(&file, &specs(dir.path()), None).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        edited,
        "the edit is kept"
    );
    assert!(
        summary.warnings.iter().any(|w| w
            .contains("Things[].Id is int64 in the metadata but string in the hand-edited spec")),
        "{:?}",
        summary.warnings
    );
}

#[test]
fn a_curated_spec_keeps_its_words_and_gains_missing_fields_with_a_note() {
    let (dir, file) = setup(LIVE);
    let folder = specs(dir.path()).join("demo/2024-01-01");
    fs::create_dir_all(&folder).unwrap();
    let curated = "# Written by hand.\naction: DeleteThing\nsummary: Deletes one thing, for good.\nmethod: POST\npath: /\nrequest_body: none\nread_only: false\nrequest:\n  - {name: ThingId, type: int32, required: true, description: Ours.}\nresponse:\n  fields: []\n";
    fs::write(folder.join("DeleteThing.yaml"), curated).unwrap();
    let summary = import_file(
        &file,
        &specs(dir.path()),
        Some(&["DeleteThing".to_owned()].into()),
    )
    .unwrap();
    let after = read(dir.path(), "DeleteThing.yaml");
    assert!(after.starts_with("# Written by hand.\n"), "{after}");
    assert!(after.contains("Deletes one thing, for good."));
    assert!(after.contains("description: Ours."));
    assert!(after.contains("type: int32"), "the curated type is kept");
    assert!(after.contains("name: RequestId") && after.contains("not in the hand-written spec"));
    let warnings = summary.warnings.join("\n");
    assert!(
        warnings.contains("ThingId travels in body per the metadata but in query"),
        "{warnings}"
    );
    assert!(warnings.contains("request_body"), "{warnings}");
    assert!(
        !folder.join("ListThings.yaml").exists(),
        "--only limits the import"
    );
}

#[test]
fn bad_input_names_the_file() {
    let (dir, file) = setup("{\"not\": \"metadata\"}");
    let error = import_file(&file, &specs(dir.path()), None).unwrap_err();
    assert!(
        error.contains("api-docs.json") && error.contains("not an OpenMeta"),
        "{error}"
    );
    let (dir, file) = setup(LIVE);
    let error =
        import_file(&file, &specs(dir.path()), Some(&["Nope".to_owned()].into())).unwrap_err();
    assert!(error.contains("no operation named Nope"), "{error}");
}

#[test]
fn imported_specs_generate() {
    let (dir, file) = setup(LIVE);
    import_file(&file, &specs(dir.path()), None).unwrap();
    let layout = codegen::Layout {
        specs: "specs".into(),
        crates: "out".into(),
        publish: true,
        catalog: None,
        cases: None,
    };
    let crates = codegen::generate(dir.path(), &layout).expect("the imported specs are valid");
    assert_eq!(crates[0].operations, 2);
    let list = crates[0]
        .files
        .iter()
        .find(|f| f.path.ends_with("list_things.rs"))
        .unwrap();
    assert!(
        list.contents
            .contains("https://api.aliyun.com/api/Demo/2024-01-01/ListThings")
    );
}

/// The typed importer writes the SDK's own imported specs exactly as they are on disk (but
/// for the layout of hand-written waiters), and computes the fingerprint each one records:
/// no spec is mistaken for a hand-edited one. (A re-import of unchanged metadata writes
/// nothing at all: see `a_second_import_of_the_same_input_changes_no_byte`.)
#[test]
fn every_imported_spec_round_trips_byte_for_byte_with_its_digest() {
    use codegen::spec::{OperationSpec, Origin};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut checked = 0;
    let mut hand_edited = 0;
    for product in fs::read_dir(root.join("specs")).unwrap() {
        let product = product.unwrap().path();
        if !product.is_dir() {
            continue;
        }
        for version in fs::read_dir(&product).unwrap() {
            for file in fs::read_dir(version.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.file_name().is_some_and(|n| n == "service.yaml") {
                    continue;
                }
                let text = fs::read_to_string(&path).unwrap();
                let spec: OperationSpec = serde_yaml::from_str(&text).unwrap();
                if spec.origin != Origin::Imported {
                    continue;
                }
                let layout: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
                let written = codegen::import::yaml::spec_text(&spec, Some(&layout), "");
                // Waiters are written by hand, in the person's layout; the rest is the
                // importer's own.
                if spec.waiters.is_empty() {
                    assert_eq!(written, text, "{}", path.display());
                } else {
                    assert_eq!(
                        serde_yaml::from_str::<OperationSpec>(&written).unwrap(),
                        spec
                    );
                }
                // A fact edited by hand leaves the digest behind (the importer then reports
                // instead of refreshing); such an edit says why in a `note`.
                let digest = codegen::import::merge::digest(&spec);
                if spec.import_digest.as_deref() != Some(digest.as_str()) {
                    assert!(
                        text.contains("\n  note: ") || text.contains(" note: "),
                        "{}: its facts differ from its import_digest, but no note says why \
                         they were edited by hand",
                        path.display()
                    );
                    hand_edited += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 250, "{checked} imported specs");
    assert!(
        hand_edited < checked / 10,
        "{hand_edited} of {checked} imported specs edited by hand"
    );
}

const HOSTILE: &str = include_str!("../../tests/fixtures/hostile/api-docs.json");

/// The committed hostile fixture specs (`tests/fixtures/specs/hostile/`).
fn committed_hostile() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/specs/hostile/2024-01-01")
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Every name class, type, position, style and quirk of the hostile metadata: the import
/// writes exactly the committed fixture specs (which generate the committed fixture crate,
/// compiled and checked by the workspace), and refuses or skips the rest, each line naming
/// the file, the operation and the field.
#[test]
fn the_hostile_metadata_imports_to_the_committed_fixture_and_refuses_by_name() {
    let (dir, file) = setup(HOSTILE);
    let summary = import_file(&file, &specs(dir.path()), None).expect("imports");
    let imported = specs(dir.path()).join("hostile/2024-01-01");
    assert_eq!(
        files(&imported),
        files(&committed_hostile()),
        "run `cargo xtask import --specs tests/fixtures/specs tests/fixtures/hostile/api-docs.json`"
    );
    assert_eq!(
        summary.skipped,
        [
            "specs/hostile/2024-01-01/GetThing.yaml: operation GetThing: ROA-style operation on \
          path /things/{id}: only RPC operations (path /) are supported"
        ]
    );
    let refused = summary.refused.join("\n");
    for expected in [
        "BadName.yaml: operation BadName: field request.Tag.1.Key: the wire name",
        "BadStyle.yaml: operation BadStyle: field request.Filter: style \"deepObject\"",
        "JoinObjects.yaml: operation JoinObjects: field request.Tags: style simple joins scalars",
    ] {
        assert!(refused.contains(expected), "{expected} in\n{refused}");
    }
    assert_eq!(summary.refused.len(), 3, "{refused}");
    let warnings = summary.warnings.join("\n");
    for expected in [
        "Error: `$ref` cycle Node → Node: the recursive field is typed as any",
        "Match.Id: listed twice; merged into the first (the second differs",
        "Match.Trace: parameters `in: header` are not supported; left out",
        "Result.Int32: listed twice; merged into the first",
    ] {
        assert!(warnings.contains(expected), "{expected} in\n{warnings}");
    }
    // A second import changes nothing.
    let again = import_file(&file, &specs(dir.path()), None).unwrap();
    assert_eq!((again.added, again.updated), (0, 0));
    assert!(again.written.is_empty());
}

/// Every type an operation's module names, with where its fields point, by operation.
fn public_types(root: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let layout = codegen::Layout {
        specs: "specs".into(),
        crates: "out".into(),
        publish: false,
        catalog: None,
        cases: None,
    };
    let services = codegen::load::load_dir(root, &root.join(&layout.specs)).unwrap();
    let mut crates = codegen::model::build(&services).unwrap();
    let mut out = BTreeMap::new();
    for model in &mut crates {
        codegen::shared::share(model);
        for op in &model.operations {
            let mut names = BTreeMap::new();
            let mut structs: Vec<&codegen::model::StructModel> = vec![&op.request, &op.response];
            let mut seen = BTreeSet::new();
            while let Some(s) = structs.pop() {
                if !seen.insert(s.name.clone()) {
                    continue;
                }
                for field in &s.fields {
                    names.insert(
                        format!("{}.{}", s.name, field.wire),
                        format!("{:?}", field.ty),
                    );
                    let mut ty = &field.ty;
                    while let codegen::model::RustType::List(inner)
                    | codegen::model::RustType::Map(inner) = ty
                    {
                        ty = inner;
                    }
                    if let codegen::model::RustType::Struct(name) = ty {
                        structs.extend(model.struct_of(op, name));
                    }
                }
            }
            // Every type the module names, defined there or re-exported: where it is
            // defined may change, its name and what it is may not.
            let local = op.structs.iter().map(|s| &s.name);
            let local_enums = op.enums.iter().map(|e| &e.name);
            for name in local.chain(local_enums).chain(op.shared.keys()) {
                let kind = if model.enum_of(op, name).is_some() {
                    "enum"
                } else {
                    "struct"
                };
                names.insert(name.clone(), kind.into());
            }
            out.insert(op.method.text.clone(), names);
        }
    }
    out
}

/// A re-import with one operation changed renames no public type of any other operation,
/// and none of the changed operation's own either.
#[test]
fn a_changed_operation_renames_no_public_type_of_any_other() {
    let (dir, file) = setup(HOSTILE);
    import_file(&file, &specs(dir.path()), None).unwrap();
    let before = public_types(dir.path());
    // `Std` gains a field in its response's tags: its `ResponseTag` is no longer the one
    // `New` has (they were shared), and its `Status` takes another value.
    let mut docs: serde_json::Value = serde_json::from_str(HOSTILE).unwrap();
    let std_response = &mut docs["apis"]["Std"]["responses"]["200"]["schema"]["properties"];
    std_response["Tags"]["items"] = serde_json::json!({
        "type": "object",
        "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}, "Color": {"type": "string"}}
    });
    std_response["Status"]["enum"] = serde_json::json!(["Active", "Inactive", "Paused"]);
    fs::write(&file, serde_json::to_string(&docs).unwrap()).unwrap();
    let summary = import_file(&file, &specs(dir.path()), None).unwrap();
    assert_eq!(summary.updated, 1, "{summary:?}");
    let after = public_types(dir.path());
    for (op, names) in &before {
        if op == "std_operation" {
            continue;
        }
        assert_eq!(names, &after[op], "{op}'s public types moved");
    }
    // The changed operation keeps its type names; only what its fields hold changed.
    let old: BTreeSet<&str> = before["std_operation"]
        .keys()
        .map(|k| k.split('.').next().unwrap())
        .collect();
    let new: BTreeSet<&str> = after["std_operation"]
        .keys()
        .map(|k| k.split('.').next().unwrap())
        .collect();
    assert_eq!(old, new);
    assert_ne!(before["std_operation"], after["std_operation"]);
}
