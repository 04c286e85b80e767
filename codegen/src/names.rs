//! Rust naming: every identifier the generator emits is decided here, once.
//!
//! snake_case names (fields, setters, client methods, waiters) become an [`Ident`], which
//! writes a Rust keyword raw (`r#type`) and, for the words that cannot be raw (`self`,
//! `Self`, `super`, `crate`, `_`), appends `_`; names the generated builders and clients
//! already use get a `_param` or `_operation` suffix. Type and variant names are
//! UpperCamelCase, where the one keyword that can arise, `Self`, is renamed.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers at all, not even raw ones.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Method names the generated builders already use; a field with one of these names gets
/// a `_param` suffix on its setter and field.
const RESERVED_MEMBERS: &[&str] = &[
    "send",
    "build",
    "builder",
    "into_paginator",
    "options",
    "new",
    "to_params",
    "pages",
    "items",
];

/// Method names of the generated `Client` itself.
const RESERVED_CLIENT_METHODS: &[&str] = &["new", "endpoint", "clone", "handle"];

/// A Rust identifier: its text and whether it must be written raw (`r#type`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ident {
    pub text: String,
    pub raw: bool,
}

impl Ident {
    fn new(text: String) -> Self {
        if NOT_RAW.contains(&text.as_str()) {
            return Ident {
                text: format!("{text}_"),
                raw: false,
            };
        }
        let raw = KEYWORDS.contains(&text.as_str());
        Ident { text, raw }
    }

    /// The identifier as a token.
    pub fn to_token(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.raw {
            proc_macro2::Ident::new_raw(&self.text, span)
        } else {
            proc_macro2::Ident::new(&self.text, span)
        }
    }
}

impl quote::ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        tokens.extend(std::iter::once(proc_macro2::TokenTree::Ident(
            self.to_token(),
        )));
    }
}

/// snake_case of a wire name. Nothing is escaped here: keywords are handled when the text
/// becomes an [`Ident`].
pub fn snake(wire: &str) -> String {
    wire.to_snake_case()
}

/// A field name (struct field, and setter for request parameters, whose builders reserve
/// a few method names).
pub fn field_ident(wire: &str, rust_name: Option<&str>, has_setter: bool) -> Ident {
    let mut text = rust_name.map(str::to_owned).unwrap_or_else(|| snake(wire));
    if has_setter && RESERVED_MEMBERS.contains(&text.as_str()) {
        text.push_str("_param");
    }
    Ident::new(text)
}

/// The client method (and module) name of an operation.
pub fn method_ident(action: &str, rust_name: Option<&str>) -> Ident {
    let mut text = rust_name
        .map(str::to_owned)
        .unwrap_or_else(|| snake(action));
    if RESERVED_CLIENT_METHODS.contains(&text.as_str()) {
        text.push_str("_operation");
    }
    Ident::new(text)
}

/// serde's `PascalCase` renaming of a snake_case field name (what `rename_all` makes of it).
pub fn serde_pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The client method of a waiter: `wait_until_<name>`.
pub fn waiter_ident(name: &str) -> Ident {
    Ident::new(format!("wait_until_{name}"))
}

/// A type name (struct or enum) from a wire name or snake name; `Self`, a keyword, becomes
/// `SelfType`.
pub fn type_name(name: &str) -> String {
    match name.to_upper_camel_case().as_str() {
        "Self" => "SelfType".to_owned(),
        other => other.to_owned(),
    }
}

/// An enum variant from a wire value: `WILLEXPIRED` → `Willexpired`,
/// `Pending Verification` → `PendingVerification`, `2048` → `V2048`; `Unknown` (the
/// fallback variant's name) and `Self` (a keyword) get a `Value` suffix.
pub fn variant_name(value: &str) -> Option<String> {
    let camel = value.to_upper_camel_case();
    let camel: String = camel
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let first = camel.chars().next()?;
    Some(match camel.as_str() {
        "Unknown" | "Self" => format!("{camel}Value"),
        _ if first.is_ascii_digit() => format!("V{camel}"),
        _ => camel,
    })
}

/// Whether `name` is a valid Rust type name we can emit as written.
pub fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Whether `name` is a valid snake_case identifier we can emit.
pub fn is_snake_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_raw_and_reserved_words_suffixed() {
        let raw_type = Ident {
            text: "type".into(),
            raw: true,
        };
        assert_eq!(field_ident("Type", None, true), raw_type);
        let self_ = Ident {
            text: "self_".into(),
            raw: false,
        };
        assert_eq!(field_ident("Self", None, true), self_);
        assert_eq!(field_ident("Send", None, true).text, "send_param");
        assert_eq!(field_ident("Items", None, false).text, "items");
        assert_eq!(
            field_ident("OIDCProviderArn", None, true).text,
            "oidc_provider_arn"
        );
        assert_eq!(field_ident("X", Some("custom"), true).text, "custom");
        assert_eq!(method_ident("New", None).text, "new_operation");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("WILLEXPIRED").unwrap(), "Willexpired");
        assert_eq!(variant_name("CHECKED_FAIL").unwrap(), "CheckedFail");
        assert_eq!(
            variant_name("Pending Verification").unwrap(),
            "PendingVerification"
        );
        assert_eq!(variant_name("checkedFail").unwrap(), "CheckedFail");
        assert_eq!(variant_name("2048").unwrap(), "V2048");
        assert_eq!(variant_name("Unknown").unwrap(), "UnknownValue");
        assert_eq!(variant_name("***"), None);
        assert_eq!(variant_name("self").unwrap(), "SelfValue");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("order_list"), "OrderList");
    }
}
