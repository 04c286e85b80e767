//! No two generated types of one crate have the same shape: the SDK's own specs, through
//! the real loader and model, share every repeated struct and enum in `types`.

use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn no_crate_defines_the_same_shape_twice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let services = codegen::load::load_dir(root, &root.join("specs")).expect("specs load");
    let crates = codegen::model::build(&services).expect("specs are valid");
    let mut shared = 0;
    for model in &crates {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (place, shape) in codegen::shared::shapes(model) {
            if let Some(first) = seen.insert(shape, place.clone()) {
                panic!("{}: {first} and {place} have the same shape", model.package);
            }
        }
        shared += model.types.len() + model.type_enums.len();
    }
    assert!(
        shared > 20,
        "repeated shapes are shared ({shared} shared types)"
    );
    let sts = crates.iter().find(|c| c.package.contains("sts")).unwrap();
    assert!(
        sts.types.iter().any(|t| t.name == "Credentials"),
        "STS has one Credentials type"
    );
}
