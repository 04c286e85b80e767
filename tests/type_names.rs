//! No public type of a generated crate (the shipped ones and the fixtures) has a broken
//! singular for a name: a list's item type is named by dropping a plural ending, and a
//! rule that drops the `s` of `Status` gives `CertificateStatu`, a public name that could
//! not be fixed after a release.

use std::path::Path;

/// The public struct and enum names of every generated crate under `dir`.
fn public_types(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let src = path.join("src");
        let is_generated = path.join("Cargo.toml").is_file()
            && std::fs::read_to_string(src.join("lib.rs"))
                .is_ok_and(|lib| lib.starts_with("// @generated"));
        if !is_generated {
            continue;
        }
        for file in std::fs::read_dir(&src).unwrap() {
            let file = file.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines() {
                let line = line.trim_start();
                let rest = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "));
                if let Some(rest) = rest {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    found.push((name, file.display().to_string()));
                }
            }
        }
    }
}

/// The last word of an UpperCamelCase name.
fn last_word(name: &str) -> &str {
    let start = name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase() || c.is_ascii_digit())
        .map_or(0, |(index, _)| index);
    &name[start..]
}

/// Whether `word` is a singular-looking word with its final `s` cut off: `Statu`,
/// `Bu`, `Alia`, `Analysi`, `Canva`, `Addres`, `Acces`.
fn is_broken_singular(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "menu",
        "guru",
        "haiku",
        "media",
        "criteria",
        "via",
        "asia",
        "india",
        "multimedia",
        "taxi",
        "wifi",
        "api",
        "uri",
        "multi",
        "mini",
        "ai",
        "ui",
        "cpu",
        "gpu",
        "sku",
        "mtu",
        "npu",
        "ecu",
        "vpu",
        "tpu",
        "bu",
        "alipay",
    ];
    if WORDS.contains(&lower.as_str()) || lower.len() <= 2 {
        return false;
    }
    lower.ends_with('u')
        || lower.ends_with("ia")
        || lower.ends_with("va")
        || lower.ends_with("tla")
        || lower.ends_with("si")
        || lower.ends_with("xi")
        || (lower.ends_with('s')
            && !lower.ends_with("ss")
            && (lower.ends_with("es") && lower.ends_with("res")
                || lower.ends_with("ces") && !lower.ends_with("ices")))
}

#[test]
fn the_detector_knows_a_broken_singular() {
    for broken in [
        "Statu", "Viru", "Alia", "Analysi", "Canva", "Addres", "Acces", "Proces",
    ] {
        assert!(is_broken_singular(broken), "{broken}");
    }
    for fine in [
        "Status", "Bus", "Alias", "Analysis", "Address", "Item", "Data", "Info", "Order", "Menu",
        "Sku",
    ] {
        assert!(!is_broken_singular(fine), "{fine}");
    }
}

#[test]
fn no_public_type_name_is_a_broken_singular() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut types = Vec::new();
    public_types(&root.join("crates"), &mut types);
    public_types(&root.join("tests/fixtures/crates"), &mut types);
    assert!(
        types.len() > 1000,
        "found only {} public types",
        types.len()
    );
    let broken: Vec<String> = types
        .iter()
        .filter(|(name, _)| is_broken_singular(last_word(name)))
        .map(|(name, file)| format!("{name} ({file})"))
        .collect();
    assert!(
        broken.is_empty(),
        "broken singulars:\n{}",
        broken.join("\n")
    );
}
