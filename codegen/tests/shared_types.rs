//! Shared types are named by name, not by shape: the SDK's own specs, through the real
//! loader, model and sharing stage, define each name-and-shape once per crate, share only
//! what agrees in name and shape, and re-export without renaming.

use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn a_name_and_shape_is_defined_once_and_re_exported_under_its_own_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = codegen::load::load_dir(root, &root.join("specs")).expect("specs load");
    let mut crates = codegen::model::build(&services).expect("specs are valid");
    let mut shared = 0;
    for model in &mut crates {
        codegen::shared::share(model);
        let (defined, reexported) = codegen::shared::placements(model);
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (place, key) in &defined {
            if let Some(first) = seen.insert(key, place) {
                panic!(
                    "{}: {first} and {place} have the same name and shape",
                    model.package
                );
            }
            let name = place.rsplit("::").next().unwrap();
            assert!(
                !name.ends_with(|c: char| c.is_ascii_digit()) && !name.contains("ItemItem"),
                "{}: {place} is numbered or repeats a word",
                model.package
            );
        }
        // A re-export names a type defined under that very name where it points.
        for (place, from) in &reexported {
            let name = place.rsplit("::").next().unwrap();
            let source = format!("{from}::{name}");
            assert!(
                defined.iter().any(|(p, _)| *p == source),
                "{}: {place} re-exports {source}, which is not defined",
                model.package
            );
        }
        shared += model.types.len() + model.type_enums.len();
    }
    assert!(shared > 20, "repeated types are shared ({shared} in types)");
    let sts = crates.iter().find(|c| c.package.contains("sts")).unwrap();
    assert!(
        sts.types.iter().any(|t| t.name == "Credentials"),
        "STS has one Credentials type"
    );
}
