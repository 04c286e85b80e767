//! Shared types: structs and enums of the same shape in two or more places of one crate
//! become one type in the crate's `types` module, so a crate of a hundred operations has
//! one `Tag`, one order row and one certificate status instead of one per operation.
//!
//! Two types have the same shape when their fields agree in wire name, Rust name, type
//! (nested types compared by shape too), required flag, location, style and `sensitive`,
//! or, for enums, in their variants and values. Doc text does not count: the shared type
//! keeps the docs of its first occurrence in operation order. Each operation's module
//! re-exports the shared types it uses under its own names, so its names never change.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{CrateModel, EnumModel, RustType, StructModel};

/// Moves every type that occurs more than once into `model.types`/`model.type_enums`.
pub fn share(model: &mut CrateModel) {
    // Shape of every local type, per operation.
    let mut shapes: Vec<BTreeMap<String, String>> = Vec::new();
    for op in &model.operations {
        let mut keys = BTreeMap::new();
        for e in &op.enums {
            keys.insert(e.name.clone(), enum_key(e));
        }
        let scope = Scope {
            structs: vec![&op.structs],
            enums: vec![&op.enums],
            aliases: None,
        };
        for s in &op.structs {
            struct_key(s, &scope, &mut keys);
        }
        shapes.push(keys);
    }
    // How often each shape occurs, and under which names.
    let mut occurrences: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (index, keys) in shapes.iter().enumerate() {
        for (name, key) in keys {
            occurrences
                .entry(key.as_str())
                .or_default()
                .push((index, name.as_str()));
        }
    }
    // A shared name for each shape that occurs twice or more, most common local name first.
    let mut taken = BTreeSet::new();
    let mut shared_name: BTreeMap<String, String> = BTreeMap::new();
    let mut groups: Vec<(&str, &Vec<(usize, &str)>)> = occurrences
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(key, places)| (*key, places))
        .collect();
    // Deterministic: most used first, then by first name. Hand-written names are claimed first.
    groups.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then_with(|| a.1[0].1.cmp(b.1[0].1))
    });
    for (key, places) in groups {
        // Names from hand-written specs first, then the most used.
        let mut counts: BTreeMap<&str, (bool, usize)> = BTreeMap::new();
        for (index, name) in places {
            let entry = counts.entry(name).or_default();
            entry.0 |= model.operations[*index].curated;
            entry.1 += 1;
        }
        let mut names: Vec<(&str, (bool, usize))> = counts.into_iter().collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let name = names
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .find(|n| !taken.contains(n))
            .unwrap_or_else(|| {
                (2..)
                    .map(|i| format!("{}{i}", names[0].0))
                    .find(|n| !taken.contains(n))
                    .unwrap_or_default()
            });
        taken.insert(name.clone());
        shared_name.insert(key.to_owned(), name);
    }
    if shared_name.is_empty() {
        return;
    }

    let mut types: BTreeMap<String, StructModel> = BTreeMap::new();
    let mut enums: BTreeMap<String, EnumModel> = BTreeMap::new();
    for (op, keys) in model.operations.iter_mut().zip(&shapes) {
        // Local name → shared name, for the types of this operation that move.
        let moved: BTreeMap<String, String> = keys
            .iter()
            .filter_map(|(local, key)| Some((local.clone(), shared_name.get(key)?.clone())))
            .collect();
        if moved.is_empty() {
            continue;
        }
        let (leaving, kept): (Vec<StructModel>, Vec<StructModel>) = std::mem::take(&mut op.structs)
            .into_iter()
            .partition(|s| moved.contains_key(&s.name));
        op.structs = kept;
        let (leaving_enums, kept_enums): (Vec<EnumModel>, Vec<EnumModel>) =
            std::mem::take(&mut op.enums)
                .into_iter()
                .partition(|e| moved.contains_key(&e.name));
        op.enums = kept_enums;
        // The first copy of each shape becomes the shared type, under its shared name and
        // naming the other shared types it holds by their shared names.
        for mut s in leaving {
            let name = moved[&s.name].clone();
            if types.contains_key(&name) {
                continue;
            }
            s.name = name.clone();
            for field in &mut s.fields {
                rename_type(&mut field.ty, &moved);
            }
            types.insert(name, s);
        }
        for e in leaving_enums {
            let name = moved[&e.name].clone();
            enums.entry(name.clone()).or_insert(EnumModel {
                docs: format!("{} Shared by several operations of this crate.", e.docs),
                name,
                ..e
            });
        }
        // Every moved type stays reachable through the operation's module, by its name.
        op.shared = moved;
    }
    model.types = types.into_values().collect();
    model.type_enums = enums.into_values().collect();
}

fn enum_key(e: &EnumModel) -> String {
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{}={}", v.name, v.value))
        .collect();
    format!("enum[{}]", variants.join(","))
}

/// The types a name can refer to.
struct Scope<'a> {
    structs: Vec<&'a [StructModel]>,
    enums: Vec<&'a [EnumModel]>,
    /// Local names of shared types.
    aliases: Option<&'a BTreeMap<String, String>>,
}

impl Scope<'_> {
    fn resolve<'n>(&'n self, name: &'n str) -> &'n str {
        self.aliases
            .and_then(|a| a.get(name))
            .map_or(name, String::as_str)
    }

    fn find_struct(&self, name: &str) -> Option<&StructModel> {
        let name = self.resolve(name);
        self.structs
            .iter()
            .flat_map(|l| l.iter())
            .find(|s| s.name == name)
    }

    fn find_enum(&self, name: &str) -> Option<&EnumModel> {
        let name = self.resolve(name);
        self.enums
            .iter()
            .flat_map(|l| l.iter())
            .find(|e| e.name == name)
    }
}

/// The shape of every generated struct and enum of a crate, with where it is defined
/// (`types` or an operation's module). After [`share`], no two are equal.
pub fn shapes(model: &CrateModel) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let shared = Scope {
        structs: vec![&model.types],
        enums: vec![&model.type_enums],
        aliases: None,
    };
    let mut keys = BTreeMap::new();
    for s in &model.types {
        out.push((
            format!("types::{}", s.name),
            struct_key(s, &shared, &mut keys),
        ));
    }
    for e in &model.type_enums {
        out.push((format!("types::{}", e.name), enum_key(e)));
    }
    for op in &model.operations {
        let scope = Scope {
            structs: vec![&op.structs, &model.types],
            enums: vec![&op.enums, &model.type_enums],
            aliases: Some(&op.shared),
        };
        let mut keys = BTreeMap::new();
        for s in &op.structs {
            out.push((
                format!("{}::{}", op.method.text, s.name),
                struct_key(s, &scope, &mut keys),
            ));
        }
        for e in &op.enums {
            out.push((format!("{}::{}", op.method.text, e.name), enum_key(e)));
        }
    }
    out
}

/// The shape of struct `s` (memoised in `keys`, which maps names to shapes).
fn struct_key(s: &StructModel, scope: &Scope<'_>, keys: &mut BTreeMap<String, String>) -> String {
    if let Some(key) = keys.get(&s.name) {
        return key.clone();
    }
    let fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}:{}:{}:{:?}:{:?}:{:?}",
                f.wire,
                f.ident.text,
                type_key(&f.ty, scope, keys),
                f.required,
                f.sensitive,
                f.location,
                f.style,
                f.ident.raw
            )
        })
        .collect();
    let key = format!("struct:{:?}:{}[{}]", s.side, s.serialize, fields.join(","));
    keys.insert(s.name.clone(), key.clone());
    key
}

fn type_key(ty: &RustType, scope: &Scope<'_>, keys: &mut BTreeMap<String, String>) -> String {
    match ty {
        RustType::List(inner) => format!("list({})", type_key(inner, scope, keys)),
        RustType::Map(inner) => format!("map({})", type_key(inner, scope, keys)),
        RustType::Struct(name) => match scope.find_struct(name) {
            Some(s) => format!("({})", struct_key(s, scope, keys)),
            None => format!("struct {name}"),
        },
        RustType::Enum(name) => match scope.find_enum(name) {
            Some(e) => enum_key(e),
            None => format!("enum {name}"),
        },
        other => format!("{other:?}"),
    }
}

fn rename_type(ty: &mut RustType, renames: &BTreeMap<String, String>) {
    match ty {
        RustType::List(inner) | RustType::Map(inner) => rename_type(inner, renames),
        RustType::Struct(name) | RustType::Enum(name) => {
            if let Some(new) = renames.get(name) {
                *name = new.clone();
            }
        }
        _ => {}
    }
}
