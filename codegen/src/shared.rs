//! Stage 3, shared types: a struct or enum that two or more operations of a crate define
//! with the same name and the same shape is generated once, and every one of those
//! operations' modules names it: types share only when name and shape agree, so sharing
//! never renames anything, and every type an operation uses is reachable through its
//! module under the name its spec gives it, whatever other operations do.
//!
//! Two types have the same shape when their fields agree in wire name, Rust name, type
//! (nested types by name and shape), required flag, location, style and `sensitive`, or,
//! for enums, in their variants and values. Doc text does not count: a shared type keeps
//! the docs of its first occurrence in operation order.
//!
//! Where a shared type is defined: in the crate's private `types` module when it is the most
//! used shape of its name (a tie goes to the shape of the first operation, by module name)
//! and every type it holds is there too; otherwise in the module of the first operation
//! that has it. The other operations' modules re-export it (`pub use crate::types::Tag;`,
//! `pub use crate::create_client_certificate::Algorithm;`).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{CrateModel, EnumModel, OperationModel, RustType, StructModel};

/// Where a type an operation re-exports is defined.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Home {
    /// The crate's `types` module.
    Types,
    /// The module of another operation (its method name).
    Operation(String),
}

/// Defines every type that two or more operations define alike once: in `types`
/// (`model.types`, `model.type_enums`) or in the first operation's module, recording in
/// each other operation's `shared` where to re-export it from.
pub fn share(model: &mut CrateModel) {
    // The key (name and shape) of every type of every operation.
    let keys: Vec<BTreeMap<String, String>> = model.operations.iter().map(op_keys).collect();
    // Which operations define each key, in operation order.
    let mut users: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, op_keys) in keys.iter().enumerate() {
        for key in op_keys.values() {
            users.entry(key.clone()).or_default().push(index);
        }
    }
    users.retain(|_, ops| ops.len() > 1);
    // Per name, the most used shape: the candidate for `types`.
    let mut best: BTreeMap<&str, (&str, usize, usize)> = BTreeMap::new();
    for (key, ops) in &users {
        let name = key_name(key);
        let better = match best.get(name) {
            None => true,
            Some(&(_, count, first)) => {
                (ops.len(), std::cmp::Reverse(ops[0])) > (count, std::cmp::Reverse(first))
            }
        };
        if better {
            best.insert(name, (key.as_str(), ops.len(), ops[0]));
        }
    }
    let mut in_types: BTreeSet<String> = best.values().map(|(key, ..)| (*key).to_owned()).collect();
    // A struct in `types` holds only types that are there too.
    loop {
        let before = in_types.len();
        for (op, op_keys) in model.operations.iter().zip(&keys) {
            for s in &op.structs {
                let key = &op_keys[&s.name];
                let holds_other = nested_names(s)
                    .iter()
                    .any(|name| !in_types.contains(&op_keys[name]));
                if in_types.contains(key) && holds_other {
                    in_types.remove(key);
                }
            }
        }
        if in_types.len() == before {
            break;
        }
    }

    let methods: Vec<String> = model
        .operations
        .iter()
        .map(|op| op.method.text.clone())
        .collect();
    let mut types: BTreeMap<String, StructModel> = BTreeMap::new();
    let mut enums: BTreeMap<String, EnumModel> = BTreeMap::new();
    for (index, (op, op_keys)) in model.operations.iter_mut().zip(&keys).enumerate() {
        // Where each of this operation's shared types lives, unless here.
        let home = |name: &String| -> Option<Home> {
            let key = &op_keys[name];
            let first = *users.get(key)?.first()?;
            if in_types.contains(key) {
                Some(Home::Types)
            } else if first != index {
                Some(Home::Operation(methods[first].clone()))
            } else {
                None
            }
        };
        let mut kept = Vec::new();
        for mut s in std::mem::take(&mut op.structs) {
            match home(&s.name) {
                Some(Home::Types) => {
                    op.shared.insert(s.name.clone(), Home::Types);
                    types.entry(s.name.clone()).or_insert(s);
                }
                Some(elsewhere) => {
                    op.shared.insert(s.name.clone(), elsewhere);
                }
                None => {
                    if users.contains_key(&op_keys[&s.name]) {
                        s.docs = shared_docs(&s.docs);
                    }
                    kept.push(s);
                }
            }
        }
        op.structs = kept;
        let mut kept = Vec::new();
        for mut e in std::mem::take(&mut op.enums) {
            match home(&e.name) {
                Some(Home::Types) => {
                    op.shared.insert(e.name.clone(), Home::Types);
                    enums.entry(e.name.clone()).or_insert_with(|| EnumModel {
                        docs: shared_docs(&e.docs),
                        ..e
                    });
                }
                Some(elsewhere) => {
                    op.shared.insert(e.name.clone(), elsewhere);
                }
                None => {
                    if users.contains_key(&op_keys[&e.name]) {
                        e.docs = shared_docs(&e.docs);
                    }
                    kept.push(e);
                }
            }
        }
        op.enums = kept;
    }
    model.types = types.into_values().collect();
    model.type_enums = enums.into_values().collect();
}

fn shared_docs(docs: &str) -> String {
    format!("{docs} Shared by several operations of this crate.")
}

/// The name part of a key.
fn key_name(key: &str) -> &str {
    key.split_once('=').map_or(key, |(name, _)| name)
}

/// The names of the structs and enums a struct's fields hold.
fn nested_names(s: &StructModel) -> Vec<String> {
    fn walk(ty: &RustType, out: &mut Vec<String>) {
        match ty {
            RustType::List(inner) | RustType::Map(inner) => walk(inner, out),
            RustType::Struct(name) | RustType::Enum(name) => out.push(name.clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for field in &s.fields {
        walk(&field.ty, &mut out);
    }
    out
}

/// The key (`Name=shape`) of every struct and enum an operation defines.
fn op_keys(op: &OperationModel) -> BTreeMap<String, String> {
    let scope = Scope {
        structs: vec![&op.structs],
        enums: vec![&op.enums],
    };
    let mut keys = BTreeMap::new();
    for e in &op.enums {
        keys.insert(e.name.clone(), enum_key(e));
    }
    for s in &op.structs {
        struct_key(s, &scope, &mut keys);
    }
    keys
}

fn enum_key(e: &EnumModel) -> String {
    let variants: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!("{}={}", v.name, v.value))
        .collect();
    format!("{}=enum[{}]", e.name, variants.join(","))
}

/// The types a name can refer to.
struct Scope<'a> {
    structs: Vec<&'a [StructModel]>,
    enums: Vec<&'a [EnumModel]>,
}

impl Scope<'_> {
    fn find_struct(&self, name: &str) -> Option<&StructModel> {
        self.structs
            .iter()
            .flat_map(|l| l.iter())
            .find(|s| s.name == name)
    }

    fn find_enum(&self, name: &str) -> Option<&EnumModel> {
        self.enums
            .iter()
            .flat_map(|l| l.iter())
            .find(|e| e.name == name)
    }
}

/// A place (`module::Name`) and what is there: a key, or the module a re-export is from.
pub type Placed = (String, String);

/// Where each generated struct and enum of a crate is defined (`types::Name` or
/// `module::Name`) with its key (name and shape), and each re-export (`module::Name` and
/// the module it comes from).
pub fn placements(model: &CrateModel) -> (Vec<Placed>, Vec<Placed>) {
    let mut defined = Vec::new();
    let shared = Scope {
        structs: vec![&model.types],
        enums: vec![&model.type_enums],
    };
    let mut keys = BTreeMap::new();
    for s in &model.types {
        defined.push((
            format!("types::{}", s.name),
            struct_key(s, &shared, &mut keys),
        ));
    }
    for e in &model.type_enums {
        defined.push((format!("types::{}", e.name), enum_key(e)));
    }
    let mut reexported = Vec::new();
    for op in &model.operations {
        let scope = Scope {
            structs: vec![&op.structs, &model.types],
            enums: vec![&op.enums, &model.type_enums],
        };
        let mut keys = BTreeMap::new();
        for s in &op.structs {
            defined.push((
                format!("{}::{}", op.method.text, s.name),
                struct_key(s, &scope, &mut keys),
            ));
        }
        for e in &op.enums {
            defined.push((format!("{}::{}", op.method.text, e.name), enum_key(e)));
        }
        for (name, home) in &op.shared {
            let from = match home {
                Home::Types => "types".to_owned(),
                Home::Operation(method) => method.clone(),
            };
            reexported.push((format!("{}::{name}", op.method.text), from));
        }
    }
    (defined, reexported)
}

/// The key of struct `s` (memoised in `keys`, which maps names to keys).
fn struct_key(s: &StructModel, scope: &Scope<'_>, keys: &mut BTreeMap<String, String>) -> String {
    if let Some(key) = keys.get(&s.name) {
        return key.clone();
    }
    let fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}:{}:{}:{:?}:{:?}:{:?}:{}",
                f.wire,
                f.ident.text,
                type_key(&f.ty, scope, keys),
                f.required,
                f.sensitive,
                f.location,
                f.style,
                f.ident.raw,
                f.optional
            )
        })
        .collect();
    let key = format!(
        "{}=struct:{:?}:{}[{}]",
        s.name,
        s.side,
        s.serialize,
        fields.join(",")
    );
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
