//! Rust naming: every identifier the generator emits is decided here, once, by one
//! mechanism: a name is derived from its wire name (or the spec's override), made a valid
//! identifier, and a name that generated code already uses gets a fixed suffix.
//!
//! - snake_case names (fields, setters, client methods, modules, waiters) become an
//!   [`Ident`], written raw when a keyword (`r#type`), with `_` appended for the words that
//!   cannot be raw (`self`, `Self`, `super`, `crate`, `_`); a field whose setter would be a
//!   method the builders already have gets `_param`, and an operation whose module or
//!   client method would be a name the crate already uses gets `_operation`.
//! - Type names (structs, enums) are UpperCamelCase; one that names something generated
//!   code uses unqualified beside it (the prelude, core's items, the std and serde items
//!   it imports, the keyword `Self`) gets `Type` appended: `Result` → `ResultType`,
//!   `Error` → `ErrorType`.
//! - Enum variants are UpperCamelCase; `Unknown` (the fallback) and `Self` get `Value`.
//!
//! Only ASCII letters, digits and underscores survive; a name that would start with a
//! digit is prefixed (`v`/`V`: `2048` → `V2048`).

use heck::{ToSnakeCase, ToUpperCamelCase};

mod singular;
pub use singular::singular;

/// Words that cannot be identifiers at all, not even raw ones.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Method names the generated builders and request objects already have; a field with one
/// of these names gets a `_param` suffix on its setter and field.
const RESERVED_MEMBERS: &[&str] = &[
    // request builders and fluent builders
    "send",
    "build",
    "sender",
    "options",
    "new",
    "into_paginator",
    // waiting builders
    "waiting",
    "max_wait",
    "poll_delays",
    // requests and request objects
    "builder",
    "to_params",
    "write_params",
    // paginators
    "pages",
    "items",
    // derived traits
    "clone",
    "default",
    "fmt",
    "eq",
];

/// Method names of the generated `Client` itself (its own and its derived traits').
const RESERVED_CLIENT_METHODS: &[&str] = &["new", "endpoint", "clone", "handle", "fmt"];

/// Module names a crate already has, or that would hide a crate its code names by path.
const RESERVED_MODULES: &[&str] = &[
    "client",
    "types",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "futures",
    "alibabacloud_core",
];

/// Type names generated code uses unqualified in the modules that hold spec types (the
/// operations' modules and `types`): the prelude (2024 edition), the std, futures and serde
/// items they import, the core items they import, and `Self`. (A crate's root and
/// `client.rs`, which name `Client`, `Config` and `Credentials`, hold no spec types.)
pub const RESERVED_TYPES: &[&str] = &[
    // the prelude
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // derives
    "Debug",
    "Hash",
    "Deserialize",
    "Serialize",
    // std and futures
    "BTreeMap",
    "Duration",
    "Stream",
    // core
    "Auth",
    "BodyFormat",
    "BuildError",
    "CallOptions",
    "Decimal",
    "EpochMillis",
    "EpochSeconds",
    "Error",
    "Handle",
    "HttpMethod",
    "JsonValue",
    "Location",
    "Operation",
    "PageShape",
    "ParamValue",
    "Params",
    "Sender",
    "Style",
    "TokenShape",
    "UnknownValue",
    "WaitRule",
    "Waiter",
    // the keyword
    "Self",
];

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

/// snake_case of a wire name, ASCII letters, digits and underscores only; a leading digit
/// gets a `v` (`2048-key` → `v2048_key`). Empty when the name has no letter or digit.
/// Nothing is escaped here: keywords are handled when the text becomes an [`Ident`].
pub fn snake(wire: &str) -> String {
    let snake: String = ascii_words(wire).to_snake_case();
    let snake = snake.trim_matches('_');
    match snake.chars().next() {
        Some(first) if first.is_ascii_digit() => format!("v{snake}"),
        _ => snake.to_owned(),
    }
}

/// `name` with every character other than an ASCII letter or digit made a word break.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
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
    if RESERVED_CLIENT_METHODS.contains(&text.as_str()) || RESERVED_MODULES.contains(&text.as_str())
    {
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

/// A type name (struct or enum) from a wire name or snake name: UpperCamelCase, ASCII
/// letters and digits only, `V` before a leading digit. Empty when the name has no letter
/// or digit. Not yet escaped: see [`type_ident`].
pub fn type_name(name: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    match camel.chars().next() {
        Some(first) if first.is_ascii_digit() => format!("V{camel}"),
        _ => camel,
    }
}

/// The Rust name of a type named `name` (the spec's or the derived one): `name` itself,
/// or with `Type` appended when generated code already uses it ([`RESERVED_TYPES`]).
pub fn type_ident(name: &str) -> String {
    if RESERVED_TYPES.contains(&name) {
        format!("{name}Type")
    } else {
        name.to_owned()
    }
}

/// An enum variant from a wire value: `WILLEXPIRED` → `Willexpired`,
/// `Pending Verification` → `PendingVerification`, `2048` → `V2048`; `Unknown` (the
/// fallback variant's name) and `Self` (a keyword) get a `Value` suffix.
pub fn variant_name(value: &str) -> Option<String> {
    let camel = type_name(value);
    camel.chars().next()?;
    Some(match camel.as_str() {
        "Unknown" | "Self" => format!("{camel}Value"),
        _ => camel,
    })
}

/// Whether `name` can be a wire name: ASCII letters, digits, `_` and `-`, not empty (it
/// is written into the generated code's format strings as `{name}.Wire`).
pub fn is_wire_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
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
        assert_eq!(type_ident(&type_name("self")), "SelfType");
        assert_eq!(type_name("order_list"), "OrderList");
    }

    #[test]
    fn names_generated_code_uses_get_one_suffix() {
        for (name, ident) in [
            ("Result", "ResultType"),
            ("Error", "ErrorType"),
            ("Option", "OptionType"),
            ("Params", "ParamsType"),
            ("Handle", "HandleType"),
            ("Credentials", "Credentials"),
            ("Tag", "Tag"),
        ] {
            assert_eq!(type_ident(name), ident);
        }
        assert_eq!(method_ident("Types", None).text, "types_operation");
        assert_eq!(method_ident("Client", None).text, "client_operation");
        assert_eq!(method_ident("Std", None).text, "std_operation");
        assert_eq!(field_ident("Sender", None, true).text, "sender_param");
        assert_eq!(field_ident("Sender", None, false).text, "sender");
    }

    #[test]
    fn any_wire_name_gives_a_valid_identifier_or_nothing() {
        assert_eq!(snake("2048-key"), "v2048_key");
        assert_eq!(snake("Key-Name"), "key_name");
        assert_eq!(snake("名字"), "");
        assert_eq!(snake("__x__"), "x");
        assert_eq!(type_name("2048-bit"), "V2048Bit");
        assert_eq!(type_name("é"), "");
        assert_eq!(type_name("Ünï"), "N");
        assert_eq!(snake("Ünï"), "n");
        assert!(is_type_name(&type_ident(&type_name("x.y z"))));
    }
}
