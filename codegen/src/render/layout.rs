//! Text passes over prettyplease's output: blank lines between items, one enum value per
//! line in `wire_enum!` calls.

/// prettyplease wraps macro arguments like prose; lay each `wire_enum!` call out one
/// variant per line, and each `wire_struct!` call one field per line.
pub(super) fn layout_enum_macros(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        let is_struct = line.starts_with("wire_struct!(");
        if !line.starts_with("wire_enum!(") && !is_struct {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut call = line.to_owned();
        while !call.trim_end().ends_with(");") {
            let Some(next) = lines.next() else { break };
            call.push(' ');
            call.push_str(next.trim());
        }
        if is_struct {
            out.push_str(&layout_struct_call(&call));
            continue;
        }
        match parse_enum_call(&call) {
            Some((name, pairs)) => {
                out.push_str(&format!("wire_enum!({name} {{\n"));
                for (variant, value) in pairs {
                    out.push_str(&format!("    {variant} = {value},\n"));
                }
                out.push_str("});\n");
            }
            None => {
                out.push_str(&call);
                out.push('\n');
            }
        }
    }
    out
}

/// `wire_struct!(Name { a: "A" => text, b: "B" => plain required });`, one field per line
/// (wire names hold no commas, braces or quotes to confuse the split).
fn layout_struct_call(call: &str) -> String {
    let call = call.trim();
    let parts = call
        .strip_prefix("wire_struct!(")
        .and_then(|rest| rest.strip_suffix(");"))
        .and_then(|inner| inner.split_once('{'))
        .and_then(|(name, rest)| Some((name.trim(), rest.trim_end().strip_suffix('}')?)));
    let Some((name, body)) = parts else {
        return format!("{call}\n");
    };
    let fields: Vec<&str> = body
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    if fields.is_empty() {
        return format!("wire_struct!({name} {{}});\n");
    }
    let mut out = format!("wire_struct!({name} {{\n");
    for field in fields {
        // prettyplease spaces the `:` of macro tokens.
        let field = field.replacen(" : ", ": ", 1);
        out.push_str(&format!("    {field},\n"));
    }
    out.push_str("});\n");
    out
}

/// `wire_enum!(Name { A = "a", B = "b" });` → the name and the `(variant, literal)` pairs.
pub(super) fn parse_enum_call(call: &str) -> Option<(String, Vec<(String, String)>)> {
    let inner = call
        .trim()
        .strip_prefix("wire_enum!(")?
        .strip_suffix(");")?;
    let (name, rest) = inner.split_once('{')?;
    let body = rest.trim_end().strip_suffix('}')?;
    let mut pairs = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let variant: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_'))
                .collect();
        while chars.next_if(|c| c.is_whitespace() || *c == '=').is_some() {}
        if variant.is_empty() || chars.next() != Some('"') {
            return None;
        }
        let mut literal = String::from('"');
        let mut escaped = false;
        for c in chars.by_ref() {
            literal.push(c);
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => break,
                _ => escaped = false,
            }
        }
        pairs.push((variant, literal));
    }
    Some((name.trim().to_owned(), pairs))
}

/// prettyplease packs items together; put one blank line between items, after the
/// module docs and after the imports, as a person would.
pub(super) fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    let mut previous = "";
    let mut in_uses = false;
    let mut use_group = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let prev_trimmed = previous.trim_start();
        let prev_indent = previous.len() - prev_trimmed.len();
        let starts_item = [
            "///",
            "#[",
            "pub ",
            "pub(crate) ",
            "fn ",
            "impl",
            "const ",
            "static ",
            "mod ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
        let starts_use = indent == 0 && trimmed.starts_with("use ");
        let statement_ended = prev_indent == 0 && prev_trimmed.ends_with(';');
        let after_docs = (prev_trimmed.starts_with("//!") && !trimmed.starts_with("//!"))
            || (prev_trimmed.starts_with("#![") && !trimmed.starts_with("#!["));
        let blank = (if starts_use {
            // Imports come in groups: std, external crates, this crate.
            let group = if trimmed.starts_with("use std::") {
                0
            } else if trimmed.starts_with("use crate::") {
                2
            } else {
                1
            };
            let blank = statement_ended && use_group.is_some_and(|g| g != group);
            use_group = Some(group);
            in_uses = true;
            blank
        } else if in_uses && indent == 0 && statement_ended {
            in_uses = false;
            true
        } else {
            let after_item = prev_indent == indent && (prev_trimmed == "}" || prev_trimmed == "};");
            starts_item && (after_item || (indent == 0 && statement_ended))
        }) || after_docs;
        if blank {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
