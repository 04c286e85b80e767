//! The runnable example at the end of an action's help: the command with every required
//! parameter filled in from the spec's examples, and a shell comment marking a write.

use alibabacloud_core::catalog::{OperationInfo, ParamInfo, ParamType, ProductInfo};

use crate::args;

/// The comment after an example that changes something (a shell comment, so the line
/// still runs when copied whole).
pub const WRITE_COMMENT: &str = "# [write]";

/// `alicloud <product> <Action> [--version V] --Required value ...`, followed by
/// [`WRITE_COMMENT`] for a write. `--version` is there when `product` is not the newest of
/// `in_versions`, the versions that have the action.
pub fn command_line(
    product: &ProductInfo,
    operation: &OperationInfo,
    in_versions: &[&str],
) -> String {
    let mut words = vec![
        "alicloud".to_owned(),
        product.code.to_owned(),
        operation.operation.action.to_owned(),
    ];
    if in_versions
        .last()
        .is_some_and(|v| *v != product.service.version)
    {
        words.push("--version".to_owned());
        words.push(product.service.version.to_owned());
    }
    for param in operation.params.iter().filter(|p| p.required) {
        words.push(format!("--{}", param.name));
        words.push(shell_quote(&value(param)));
    }
    let mut line = words.join(" ");
    if !operation.operation.read_only {
        line.push_str("   ");
        line.push_str(WRITE_COMMENT);
    }
    line
}

/// The value shown for a parameter: its documented example when the client-side check
/// takes it, a `file://` path for PEM text, else its first documented value, else a
/// placeholder of its type.
fn value(param: &ParamInfo) -> String {
    let example = param.example.trim();
    if example.contains("-----BEGIN") {
        return format!("file://{}.pem", param.name.to_ascii_lowercase());
    }
    if !example.is_empty()
        && !example.contains('\n')
        && !example.starts_with(args::FILE_PREFIX)
        && args::check_value(param, example).is_ok()
    {
        return example.to_owned();
    }
    if let Some(first) = param.values.first() {
        return (*first).to_owned();
    }
    match param.kind {
        ParamType::Int32 | ParamType::Int64 => "1",
        ParamType::Bool => "true",
        ParamType::List => "VALUE1,VALUE2",
        ParamType::Json => "{}",
        ParamType::Object => r#"{"Key":"Value"}"#,
        ParamType::String => "VALUE",
    }
    .to_owned()
}

/// `text` as one shell word: as it is when it holds only safe characters, else in single
/// quotes.
pub fn shell_quote(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:@,=+%".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a line the way a POSIX shell splits what `command_line` writes (words,
    /// single quotes, a trailing comment).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    for q in chars.by_ref() {
                        if q == '\'' {
                            break;
                        }
                        w.push(q);
                    }
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        word.get_or_insert_with(String::new).push(next);
                    }
                }
                '#' if word.is_none() => break,
                c if c.is_whitespace() => words.extend(word.take()),
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        words
    }

    #[test]
    fn quoting_round_trips() {
        for text in ["plain", "a b", "it's", "{\"Key\":\"V\"}", "", "-x"] {
            let line = format!("cmd {}", shell_quote(text));
            assert_eq!(shell_words(&line), ["cmd", text], "{line}");
        }
    }

    /// Every action's example parses as a call: flags known, required ones there, every
    /// value accepted by the client-side checks; writes carry the marker.
    #[test]
    fn every_example_is_a_runnable_command() {
        for product in alibabacloud_catalog::PRODUCTS {
            for operation in product.operations {
                let in_versions =
                    crate::cli::versions_with(product.code, operation.operation.action);
                let line = command_line(product, operation, &in_versions);
                assert_eq!(
                    line.contains(WRITE_COMMENT),
                    !operation.operation.read_only,
                    "{line}"
                );
                // file:// values name files the reader would have; the parse reads them,
                // so stand a value in for each.
                let argv: Vec<std::ffi::OsString> = shell_words(&line)
                    .into_iter()
                    .map(|w| match w.strip_prefix(args::FILE_PREFIX) {
                        Some(_) => "-----BEGIN CERTIFICATE-----".into(),
                        None => w.into(),
                    })
                    .collect();
                match crate::cli::parse(argv) {
                    Ok(crate::cli::Parsed::Call(invocation)) => {
                        assert_eq!(
                            invocation.operation.operation.version, product.service.version,
                            "{line}"
                        );
                        assert_eq!(
                            invocation.operation.operation.action,
                            operation.operation.action
                        );
                    }
                    Ok(other) => panic!("{line}: {other:?}"),
                    Err(error) => panic!("{line}: {}", error.message()),
                }
            }
        }
    }
}
