//! A minimal ini reader for `~/.alibabacloud/credentials`.

use std::collections::HashMap;

/// One section: keys to values.
pub(crate) type Section = HashMap<String, String>;

/// Parses `[section]` headers and `key = value` lines. Blank lines and lines starting with
/// `#` or `;` are skipped, a value is cut at the first `#`, keys and values are trimmed,
/// and lines outside any section or without `=` are ignored.
pub(crate) fn parse(text: &str) -> HashMap<String, Section> {
    let mut sections: HashMap<String, Section> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let (Some(section), Some((key, value))) = (&current, line.split_once('=')) else {
            continue;
        };
        let value = value.split('#').next().unwrap_or_default().trim();
        sections
            .entry(section.clone())
            .or_default()
            .insert(key.trim().to_owned(), value.to_owned());
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_comments_and_values_cut_at_hash() {
        let text = "\
top = ignored
# comment
; comment too
[default]
type = access_key   # the kind
access_key_id=id
access_key_secret = s = x
not a pair

[ other ]
role_arn = acs:ram::1:role/r#tail
";
        let sections = parse(text);
        let default = &sections["default"];
        assert_eq!(default["type"], "access_key");
        assert_eq!(default["access_key_id"], "id");
        assert_eq!(default["access_key_secret"], "s = x");
        assert_eq!(default.len(), 3);
        assert_eq!(sections["other"]["role_arn"], "acs:ram::1:role/r");
        assert_eq!(sections.len(), 2);
    }
}
