//! The emulator's modules form no import circle: no module reaches, through the modules it
//! names, a module that names it back.
//!
//! Each file under `src/` is one module (`data/mod.rs` is `data`, `data/seed.rs` is
//! `data::seed`; `main.rs`, the binary, is left out, and so is `lib.rs`, which only declares
//! modules and re-exports). A module names another when its code (not its comments, not its
//! `#[cfg(test)]` module) holds a path into it: `use crate::a::b`, `crate::a::f()`, `super::x`,
//! `self::x`, or a child module declared with `mod x;` used as `x::...`. A path names the
//! longest module that is a prefix of it; `crate::Name` re-exported by `lib.rs` names the
//! module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the crate by path (`data::seed`), with its code.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).expect("under src");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let name = parts.join("::");
            let code = std::fs::read_to_string(&path).expect("a readable source file");
            out.insert(name, code);
        }
    }
    out
}

/// The code of a file without comments and without its `#[cfg(test)]` part.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        // A trailing comment.
        let line = match line.find("// ") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

/// Every path the code names: those of `use` trees and those written inline.
fn paths(code: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 4..];
        if before.is_some_and(is_ident) {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        out.extend(expand(&rest[..end]));
        rest = &rest[end..];
    }
    let roots: Vec<String> = ["crate", "super", "self"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain(children.iter().cloned())
        .collect();
    for root in &roots {
        let needle = format!("{root}::");
        let mut at = 0;
        while let Some(i) = code[at..].find(&needle) {
            let start = at + i;
            at = start + needle.len();
            let before = code[..start].chars().last();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let end = code[start..]
                .find(|c: char| !(is_ident(c) || c == ':'))
                .map_or(code.len(), |e| start + e);
            out.push(code[start..end].trim_end_matches(':').to_owned());
        }
    }
    out
}

/// The module a path names from `module`, if it is another module of the crate.
fn target(
    module: &str,
    path: &str,
    known: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
    children: &BTreeSet<String>,
) -> Option<String> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (&first, rest) = segments.split_first()?;
    let mut base: Vec<String> = match first {
        "crate" => Vec::new(),
        "self" => module.split("::").map(str::to_owned).collect(),
        "super" => {
            let mut parent: Vec<String> = module.split("::").map(str::to_owned).collect();
            parent.pop();
            parent
        }
        child if children.contains(child) => {
            let mut own: Vec<String> = module.split("::").map(str::to_owned).collect();
            own.push(child.to_owned());
            return resolve(own, rest, known).filter(|m| m != module);
        }
        _ => return None,
    };
    if first == "crate" {
        if let Some(source) = rest.first().and_then(|name| reexports.get(*name)) {
            return Some(source.clone()).filter(|m| m != module);
        }
    }
    base.retain(|s| !s.is_empty());
    resolve(base, rest, known).filter(|m| m != module)
}

fn resolve(base: Vec<String>, rest: &[&str], known: &BTreeSet<String>) -> Option<String> {
    let mut best = None;
    let mut current = base;
    if !current.is_empty() && known.contains(&current.join("::")) {
        best = Some(current.join("::"));
    }
    for segment in rest {
        current.push((*segment).to_owned());
        let name = current.join("::");
        if known.contains(&name) {
            best = Some(name);
        }
    }
    best
}

/// `pub use module::{A, B}` of `lib.rs`: each name and the module it comes from.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for path in paths(&code_only(lib), &BTreeSet::new()) {
        if let Some((module, name)) = path.rsplit_once("::") {
            out.insert(name.to_owned(), module.to_owned());
        }
    }
    out
}

fn declared_children(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("mod ")
                .or_else(|| line.strip_prefix("pub mod "))
                .or_else(|| line.strip_prefix("pub(crate) mod "))?;
            Some(rest.strip_suffix(';')?.to_owned())
        })
        .collect()
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let mut all = modules();
    let lib = all.remove("lib").expect("lib.rs");
    all.remove("main");
    let reexports = reexports(&lib);
    let known: BTreeSet<String> = all.keys().cloned().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &all {
        let code = code_only(text);
        let children = declared_children(&code);
        let edges = graph.entry(module.clone()).or_default();
        for path in paths(&code, &children) {
            if let Some(to) = target(module, &path, &known, &reexports, &children) {
                edges.insert(to);
            }
        }
    }
    assert!(
        graph.get("gateway").is_some_and(|e| e.contains("handlers")),
        "the scan finds imports: {graph:#?}"
    );

    // Depth-first search for a back edge; the first circle found is reported.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut circle = stack[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, stack, done) {
                return Some(circle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        let mut stack = Vec::new();
        if let Some(circle) = visit(node, &graph, &mut stack, &mut done) {
            panic!("an import circle: {}", circle.join(" -> "));
        }
    }
}
