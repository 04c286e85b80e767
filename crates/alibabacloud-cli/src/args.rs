//! Operation parameters: one `--Name` flag per catalog parameter, its client-side check,
//! and the flags' values turned into wire pairs.
//!
//! A value may begin with `-` (`--Keyword -foo`, `--PageNumber -1`): see
//! [`join_hyphen_values`]. A value `file://path` is the text of that file (PEM
//! certificates and keys: `--Cert file://cert.pem`).

use std::ffi::{OsStr, OsString};

use alibabacloud_core::Params;
use alibabacloud_core::catalog::{InvalidValue, OperationInfo, ParamInfo, ParamType};
use alibabacloud_core::operation::Location;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Command};

/// Help heading of the parameters a call needs.
const REQUIRED_HEADING: &str = "Required parameters";
/// Help heading of the other parameters.
const OPTIONAL_HEADING: &str = "Parameters";

/// One wire parameter, before it is placed in [`Params`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WirePair {
    /// Query or body.
    pub location: Location,
    /// Wire name (`Tag.1.Key`).
    pub name: String,
    /// The text sent.
    pub value: String,
}

/// Builds [`Params`] from pairs.
pub fn to_params(pairs: &[WirePair]) -> Params {
    let mut params = Params::new();
    for pair in pairs {
        params.push(pair.location, &pair.name, &pair.value);
    }
    params
}

/// The clap id of a parameter's flag (kept apart from the global flags' ids).
fn arg_id(info: &ParamInfo) -> String {
    format!("param:{}", info.name)
}

/// The `--Name` flag of one parameter.
///
/// `strict` checks values client-side (types and documented values; off with `--force`);
/// `required` marks the flag required.
pub fn param_arg(info: &'static ParamInfo, strict: bool, required: bool) -> Arg {
    let (help, long_help) = help_texts(info);
    let arg = Arg::new(arg_id(info))
        .long(info.name)
        .value_name(value_name(info.kind))
        .help(help)
        .long_help(long_help)
        .required(required)
        .help_heading(if info.required {
            REQUIRED_HEADING
        } else {
            OPTIONAL_HEADING
        })
        .value_parser(ParamParser { info, strict })
        .allow_negative_numbers(matches!(info.kind, ParamType::Int32 | ParamType::Int64));
    match info.kind {
        ParamType::List | ParamType::Object => arg.action(ArgAction::Append),
        _ => arg.action(ArgAction::Set),
    }
}

fn value_name(kind: ParamType) -> &'static str {
    match kind {
        ParamType::String => "STRING",
        ParamType::Int32 => "INT32",
        ParamType::Int64 => "INT64",
        ParamType::Bool => "BOOL",
        ParamType::List => "VALUE[,VALUE...]",
        ParamType::Json => "JSON",
        ParamType::Object => "JSON_OBJECT",
    }
}

/// Short help (the description's first paragraph) and long help (all of it, with how
/// the type is written on the command line).
fn help_texts(info: &ParamInfo) -> (String, String) {
    let description = unbold(info.description);
    let description = description.trim();
    let first = description.split("\n\n").next().unwrap_or_default().trim();
    let short = if first.is_empty() {
        format!("{} parameter", value_name(info.kind))
    } else {
        first.to_owned()
    };
    let how = match info.kind {
        ParamType::List => Some(format!(
            "A list: repeat the flag or separate values with commas; sent as {0}.1, {0}.2, \
             ... A list of objects is given as JSON, all at once ('[{{\"Key\":\"k\"}}]') or \
             one object per flag ('{{\"Key\":\"k\"}}'), or item by item as the aliyun CLI \
             writes it (--{0}.1.Key k), and sent as {0}.1.Key=k.",
            info.name
        )),
        ParamType::Json => Some("Passed through as given (a JSON text).".to_owned()),
        ParamType::Object => Some(format!(
            "A JSON object, sent as {0}.Field=value pairs (nested: {0}.Field.Sub, lists: {0}.Field.1).",
            info.name
        )),
        _ => None,
    };
    let long = match how {
        Some(how) => format!("{description}\n\n{how}"),
        None => description.to_owned(),
    };
    (short, long)
}

/// Drops Markdown bold markers (`**0**` → `0`), leaving other asterisks (`rg-ae****4wia`).
fn unbold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("**") {
        let after = &rest[start + 2..];
        let inner_end = after.find("**");
        let bold = inner_end.filter(|&end| {
            let inner = &after[..end];
            !inner.is_empty()
                && !inner.contains('*')
                && !inner.starts_with(char::is_whitespace)
                && !inner.ends_with(char::is_whitespace)
        });
        match bold {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str(&after[..end]);
                rest = &after[end + 2..];
            }
            None => {
                // Not a bold span: keep this run of asterisks as it is.
                let run = rest[start..].len() - rest[start..].trim_start_matches('*').len();
                out.push_str(&rest[..start + run]);
                rest = &rest[start + run..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Joins `--Name -value` into `--Name=-value` for every parameter flag of `operation` from
/// `argv[from]` on, so that clap takes a value beginning with `-` as the value, as the
/// aliyun CLI does. The next token is left alone when it is a flag this command knows:
/// `--` , `-h`, `--help`, one of the operation's parameter flags, or a global flag
/// (`global(name)` says whether `--name` is one, and whether it takes a value). A typo'd
/// flag after a parameter flag is therefore sent as that parameter's value; clap then
/// refuses whatever follows it, or the parameter's check refuses the value.
pub fn join_hyphen_values(
    argv: &mut Vec<OsString>,
    from: usize,
    operation: &OperationInfo,
    global: impl Fn(&str) -> Option<bool>,
) {
    let known = |token: &str| -> bool {
        if matches!(token, "--" | "-h" | "--help") {
            return true;
        }
        let Some(flag) = token.strip_prefix("--") else {
            return false;
        };
        let name = flag.split_once('=').map_or(flag, |(name, _)| name);
        operation.param(name).is_some() || global(name).is_some()
    };
    let mut i = from;
    while i < argv.len() {
        let Some(token) = argv[i].to_str() else {
            i += 1;
            continue;
        };
        if token == "--" {
            break;
        }
        if let Some(name) = token.strip_prefix("--").filter(|name| !name.contains('=')) {
            if operation.param(name).is_some() {
                let next = argv.get(i + 1).and_then(|next| next.to_str());
                if let Some(value) = next.filter(|v| v.starts_with('-') && *v != "-" && !known(v)) {
                    argv[i] = format!("--{name}={value}").into();
                    argv.remove(i + 1);
                }
            } else if global(name) == Some(true) {
                // The global flag's value, whatever it looks like.
                i += 1;
            }
        }
        i += 1;
    }
}

/// Gathers the aliyun CLI's dotted flags of a list or object parameter
/// (`--Tag.1.Key team --Tag.1.Value web`, `--ResourceId.2 b`, `--Filter.Name=x`) into one
/// JSON value for that parameter (`--Tag=[{"Key":"team","Value":"web"}]`), placed where the
/// first of them was, so the parameter's own flag reads them. Numbered segments are list
/// positions (from 1), the others object keys; a flag that names an exact parameter is
/// left alone. A dotted flag without a value, or whose path contradicts another (`--A.1 x
/// --A.1.B y`), is left as given for clap to refuse.
pub fn gather_dotted_flags(argv: &mut Vec<OsString>, from: usize, operation: &OperationInfo) {
    let mut gathered: Vec<(&'static str, serde_json::Value, usize)> = Vec::new();
    let mut i = from;
    while i < argv.len() {
        let Some(token) = argv[i].to_str() else {
            i += 1;
            continue;
        };
        if token == "--" {
            break;
        }
        let Some(flag) = token.strip_prefix("--") else {
            i += 1;
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        let dotted = name.split_once('.').and_then(|(param, path)| {
            let info = operation.param(param)?;
            let nests = matches!(info.kind, ParamType::List | ParamType::Object);
            (nests && operation.param(name).is_none()).then_some((info.name, path.to_owned()))
        });
        let Some((param, path)) = dotted else {
            i += 1;
            continue;
        };
        let value = match inline {
            Some(value) => value,
            None => match argv.get(i + 1).and_then(|v| v.to_str()) {
                Some(value) => value.to_owned(),
                None => break,
            },
        };
        let at = gathered.iter().position(|(name, _, _)| *name == param);
        let mut slot = at.map_or(serde_json::Value::Null, |at| gathered[at].1.clone());
        let segments: Vec<&str> = path.split('.').collect();
        if !insert_at(&mut slot, &segments, value) {
            i += 1;
            continue;
        }
        let used = if token.contains('=') { 1 } else { 2 };
        match at {
            Some(at) => {
                gathered[at].1 = slot;
                argv.drain(i..i + used);
            }
            None => {
                gathered.push((param, slot, i));
                argv.drain(i + 1..i + used);
                i += 1;
            }
        }
    }
    for (param, value, at) in gathered {
        argv[at] = format!("--{param}={value}").into();
    }
}

/// Sets `value` at `path` inside `slot` (numbered segments index lists from 1); `false`
/// when the path contradicts what `slot` already holds.
fn insert_at(slot: &mut serde_json::Value, path: &[&str], value: String) -> bool {
    use serde_json::Value;
    let Some((segment, rest)) = path.split_first() else {
        if !slot.is_null() {
            return false;
        }
        *slot = Value::String(value);
        return true;
    };
    let numbered = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    match segment.parse::<usize>() {
        _ if segment.is_empty() => false,
        Ok(position) if (1..=MAX_DOTTED_POSITION).contains(&position) => {
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else {
                return false;
            };
            if items.len() < position {
                items.resize(position, Value::Null);
            }
            insert_at(&mut items[position - 1], rest, value)
        }
        _ if numbered => false,
        _ => {
            if slot.is_null() {
                *slot = Value::Object(serde_json::Map::new());
            }
            let Value::Object(members) = slot else {
                return false;
            };
            let member = members.entry(segment.to_string()).or_insert(Value::Null);
            insert_at(member, rest, value)
        }
    }
}

/// The largest list position a dotted flag may name (`--Tag.1000.Key`): far above any
/// documented list length, and a stop for `--Tag.99999999.Key`, which would otherwise
/// make a list of that many empty places.
const MAX_DOTTED_POSITION: usize = 1000;

/// The prefix of a value read from a file.
pub const FILE_PREFIX: &str = "file://";

/// The largest file a `file://` value may name: far above any certificate or key, and
/// a stop for `file:///dev/zero`.
const MAX_VALUE_FILE_BYTES: u64 = 8 << 20;

/// The text of `file://path`, or why it cannot be read (naming the path).
fn read_value_file(path: &str) -> Result<String, String> {
    use std::io::Read as _;
    if path.is_empty() {
        return Err("file:// needs a path after it, e.g. file://cert.pem".to_owned());
    }
    let describe = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => format!("the file '{path}' does not exist"),
        std::io::ErrorKind::InvalidData => format!("the file '{path}' is not UTF-8 text"),
        _ => format!("the file '{path}' cannot be read: {error}"),
    };
    // Only a regular file: opening a FIFO without a writer would wait forever, and a
    // device may never end.
    let metadata = std::fs::metadata(path).map_err(describe)?;
    if !metadata.is_file() {
        return Err(format!(
            "'{path}' is not a regular file (a directory, a pipe or a device); file:// reads \
             regular files only"
        ));
    }
    if metadata.len() > MAX_VALUE_FILE_BYTES {
        return Err(format!(
            "the file '{path}' is larger than {} MiB",
            MAX_VALUE_FILE_BYTES >> 20
        ));
    }
    let file = std::fs::File::open(path).map_err(describe)?;
    let mut text = String::new();
    file.take(MAX_VALUE_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(describe)?;
    if text.len() as u64 > MAX_VALUE_FILE_BYTES {
        return Err(format!(
            "the file '{path}' is larger than {} MiB",
            MAX_VALUE_FILE_BYTES >> 20
        ));
    }
    Ok(text)
}

/// Checks a flag's text against its parameter's type and documented values.
#[derive(Clone)]
struct ParamParser {
    info: &'static ParamInfo,
    strict: bool,
}

impl TypedValueParser for ParamParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let (info, strict) = (self.info, self.strict);
        // clap's closure parser renders "invalid value 'x' for '--Name <T>': reason".
        let check = move |text: &str| -> Result<String, String> {
            let text = match text.strip_prefix(FILE_PREFIX) {
                Some(path) => read_value_file(path)?,
                None => text.to_owned(),
            };
            if strict {
                check_value(info, &text)
            } else {
                Ok(text)
            }
        };
        check.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let values: &'static [&'static str] = match self.info.kind {
            ParamType::Bool => &["true", "false"],
            _ => self.info.values,
        };
        if values.is_empty() {
            None
        } else {
            Some(Box::new(values.iter().map(|v| PossibleValue::new(*v))))
        }
    }
}

/// The value to send for `text`, or why it is not a valid value of the parameter: core's
/// [`ParamInfo::check`] of the value (of each item of a list), and a JSON object for an
/// object parameter (which the CLI takes as one JSON text and flattens).
pub fn check_value(info: &ParamInfo, text: &str) -> Result<String, String> {
    let reason = |invalid: InvalidValue| match invalid {
        InvalidValue::Undocumented { .. } => {
            format!("{invalid}; pass --force to send it anyway")
        }
        _ => invalid.to_string(),
    };
    match info.kind {
        ParamType::List => {
            for item in list_items(text) {
                match item {
                    ListItem::Text(item) => {
                        info.check(item).map_err(reason)?;
                    }
                    ListItem::Json(serde_json::Value::String(item)) => {
                        info.check(&item).map_err(reason)?;
                    }
                    ListItem::Json(
                        scalar @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)),
                    ) => {
                        info.check(&scalar.to_string()).map_err(reason)?;
                    }
                    ListItem::Json(_) => {}
                }
            }
            Ok(text.to_owned())
        }
        ParamType::Object => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(_)) => Ok(text.to_owned()),
            _ => Err(r#"expected a JSON object, e.g. {"Key":"Value"}"#.to_owned()),
        },
        _ => info.check(text).map(String::from).map_err(reason),
    }
}

/// One item of a list flag.
enum ListItem<'a> {
    /// A value of a list of scalars (from a comma-separated flag).
    Text(&'a str),
    /// An element of a JSON array or a JSON object (a list of objects).
    Json(serde_json::Value),
}

/// The items of one list flag: a JSON array (`[{"Key":"k"}]`) gives its elements, a JSON
/// object (`{"Key":"k"}`) is one item, anything else is split on commas. Text that merely
/// starts like JSON but does not parse as it is split on commas, as before.
fn list_items(text: &str) -> Vec<ListItem<'_>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(items)) => {
                return items.into_iter().map(ListItem::Json).collect();
            }
            Ok(object @ serde_json::Value::Object(_)) => return vec![ListItem::Json(object)],
            _ => {}
        }
    }
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ListItem::Text)
        .collect()
}

/// The wire pairs of the flags given for `operation`, in the catalog's parameter order.
pub fn wire_pairs(operation: &OperationInfo, matches: &ArgMatches) -> Vec<WirePair> {
    let mut pairs = Vec::new();
    for info in operation.params {
        let Ok(Some(mut values)) = matches.try_get_many::<String>(&arg_id(info)) else {
            continue;
        };
        let pair = |name: String, value: String| WirePair {
            location: info.location,
            name,
            value,
        };
        match info.kind {
            ParamType::List => {
                let items = values.flat_map(|v| list_items(v));
                for (index, item) in items.enumerate() {
                    let name = format!("{}.{}", info.name, index + 1);
                    match item {
                        ListItem::Text(item) => pairs.push(pair(name, item.to_owned())),
                        ListItem::Json(value) => flatten(&name, &value, &mut |name, value| {
                            pairs.push(pair(name, value));
                        }),
                    }
                }
            }
            ParamType::Object => {
                for text in values {
                    match serde_json::from_str::<serde_json::Value>(text) {
                        Ok(value @ serde_json::Value::Object(_)) => {
                            flatten(info.name, &value, &mut |name, value| {
                                pairs.push(pair(name, value));
                            });
                        }
                        // Only reached with --force: sent as given.
                        _ => pairs.push(pair(info.name.to_owned(), text.clone())),
                    }
                }
            }
            _ => {
                if let Some(value) = values.next_back() {
                    pairs.push(pair(info.name.to_owned(), value.clone()));
                }
            }
        }
    }
    pairs
}

/// Flattens a JSON value into `prefix.Field`, `prefix.List.1` pairs.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut dyn FnMut(String, String)) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, value) in members {
                flatten(&format!("{prefix}.{key}"), value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", index + 1), value, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => out(prefix.to_owned(), s.clone()),
        other => out(prefix.to_owned(), other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn param(
        name: &'static str,
        kind: ParamType,
        values: &'static [&'static str],
    ) -> ParamInfo {
        ParamInfo {
            name,
            kind,
            required: false,
            location: Location::Query,
            values,
            description: "Some text.\n\nExample: `1`.",
            sensitive: false,
            example: "1",
        }
    }

    static PARAMS: [ParamInfo; 6] = [
        param("Size", ParamType::Int32, &[]),
        param("Flag", ParamType::Bool, &[]),
        param("Ids", ParamType::List, &[]),
        param("Doc", ParamType::Json, &[]),
        param("Tag", ParamType::Object, &[]),
        param("Mode", ParamType::String, &["On", "Off"]),
    ];

    /// An operation with one parameter of each kind.
    static TEST_OPERATION: OperationInfo = OperationInfo {
        operation: alibabacloud_core::Operation {
            action: "Test",
            version: "2024-01-01",
            method: alibabacloud_core::operation::HttpMethod::Post,
            style: alibabacloud_core::operation::Style::Rpc,
            path: "/",
            body: alibabacloud_core::operation::BodyFormat::None,
            read_only: true,
            client_token: None,
            sensitive: &[],
            auth: alibabacloud_core::operation::Auth::AccessKey,
        },
        summary: "Test.",
        reference_url: "https://example.com/Test",
        params: &PARAMS,
        pagination: None,
        rate_limit_per_second: None,
        errors: &[],
        response: &[],
        waiters: &[],
        deprecated: false,
    };

    fn parse(strict: bool, args: &[&str]) -> Result<Vec<WirePair>, clap::Error> {
        let cmd = Command::new("t").args(PARAMS.iter().map(|p| param_arg(p, strict, false)));
        let matches = cmd.try_get_matches_from(std::iter::once("t").chain(args.iter().copied()))?;
        Ok(wire_pairs(&TEST_OPERATION, &matches))
    }

    fn names_values(pairs: &[WirePair]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect()
    }

    #[test]
    fn lists_take_repeats_and_commas_objects_flatten_json_passes_through() {
        let pairs = parse(
            true,
            &[
                "--Ids",
                "a,b",
                "--Ids",
                "c",
                "--Size",
                "-5",
                "--Flag",
                "TRUE",
                "--Doc",
                r#"{"x":[1]}"#,
                "--Tag",
                r#"{"Key":"env","Sub":{"A":1},"L":["p"]}"#,
                "--Mode",
                "On",
            ],
        )
        .unwrap();
        let expected = [
            ("Size", "-5"),
            ("Flag", "true"),
            ("Ids.1", "a"),
            ("Ids.2", "b"),
            ("Ids.3", "c"),
            ("Doc", r#"{"x":[1]}"#),
            ("Tag.Key", "env"),
            ("Tag.L.1", "p"),
            ("Tag.Sub.A", "1"),
            ("Mode", "On"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(names_values(&pairs), expected);
    }

    #[test]
    fn a_list_of_objects_is_given_as_json() {
        let all_at_once = parse(
            true,
            &["--Ids", r#"[{"Key":"team","Value":"web"},{"Key":"env"}]"#],
        )
        .unwrap();
        let one_per_flag = parse(
            true,
            &[
                "--Ids",
                r#"{"Key":"team","Value":"web"}"#,
                "--Ids",
                r#"{"Key":"env"}"#,
            ],
        )
        .unwrap();
        let expected: Vec<(String, String)> = [
            ("Ids.1.Key", "team"),
            ("Ids.1.Value", "web"),
            ("Ids.2.Key", "env"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(names_values(&all_at_once), expected);
        assert_eq!(names_values(&one_per_flag), expected);
        // A JSON array of scalars is a list too; text that only looks like JSON is split.
        let pairs = parse(true, &["--Ids", r#"["a,b","c"]"#, "--Ids", "[x,y"]).unwrap();
        assert_eq!(
            names_values(&pairs),
            [
                ("Ids.1", "a,b"),
                ("Ids.2", "c"),
                ("Ids.3", "[x"),
                ("Ids.4", "y")
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn wrong_types_and_undocumented_values_are_refused_unless_forced() {
        let error = parse(true, &["--Size", "abc"]).unwrap_err().to_string();
        assert!(error.contains("invalid value 'abc' for '--Size"), "{error}");
        assert!(error.contains("expected a 32-bit integer"), "{error}");
        let error = parse(true, &["--Size", "3000000000"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("32-bit"), "{error}");
        let error = parse(true, &["--Flag", "yes"]).unwrap_err().to_string();
        assert!(error.contains("expected true or false"), "{error}");
        let error = parse(true, &["--Mode", "on"]).unwrap_err().to_string();
        assert!(
            error.contains("expected one of On, Off (did you mean 'On'?)"),
            "{error}"
        );
        let error = parse(true, &["--Tag", "[1]"]).unwrap_err().to_string();
        assert!(error.contains("expected a JSON object"), "{error}");
        let error = parse(true, &["--Doc", "{x"]).unwrap_err().to_string();
        assert!(error.contains("expected a JSON text"), "{error}");

        let pairs = parse(false, &["--Mode", "Maybe", "--Size", "abc"]).unwrap();
        assert_eq!(
            names_values(&pairs),
            [
                ("Size".to_owned(), "abc".to_owned()),
                ("Mode".to_owned(), "Maybe".to_owned())
            ]
        );
    }

    fn joined(args: &[&str]) -> Vec<String> {
        let mut argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        join_hyphen_values(&mut argv, 1, &TEST_OPERATION, |name| match name {
            "region" => Some(true),
            "pager" => Some(false),
            _ => None,
        });
        argv.into_iter().map(|a| a.into_string().unwrap()).collect()
    }

    fn gathered(args: &[&str]) -> Vec<String> {
        let mut argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        gather_dotted_flags(&mut argv, 1, &TEST_OPERATION);
        argv.into_iter().map(|a| a.into_string().unwrap()).collect()
    }

    #[test]
    fn the_aliyun_clis_dotted_flags_become_one_json_value() {
        assert_eq!(
            gathered(&[
                "Test",
                "--Ids.1.Key",
                "team",
                "--Size",
                "1",
                "--Ids.1.Value=web",
                "--Ids.2.Key",
                "-env",
                "--Tag.Sub.A",
                "x",
            ]),
            [
                "Test",
                r#"--Ids=[{"Key":"team","Value":"web"},{"Key":"-env"}]"#,
                "--Size",
                "1",
                r#"--Tag={"Sub":{"A":"x"}}"#,
            ]
        );
        // Scalars by position; a gap stays a gap (its number is kept on the wire).
        assert_eq!(
            gathered(&["Test", "--Ids.2", "b", "--Ids.1", "a", "--Ids.4", "d"]),
            ["Test", r#"--Ids=["a","b",null,"d"]"#]
        );
        // Not dotted flags of a nesting parameter, contradictions, a missing value and
        // absurd positions are left for clap and the checks to refuse.
        for args in [
            &["Test", "--Size.1", "2"][..],
            &["Test", "--Nope.1", "2"],
            &["Test", "--Ids.1", "a", "--Ids.1.Key", "b"],
            &["Test", "--Ids.1"],
            &["Test", "--Ids.5000.Key", "k"],
            &["Test", "--Ids..Key", "k"],
            &["Test", "--", "--Ids.1", "a"],
        ] {
            let out = gathered(args);
            assert!(
                out.iter().any(|a| a.starts_with("--Ids.")
                    || a.starts_with("--Size.")
                    || a.starts_with("--Nope.")),
                "{args:?} -> {out:?}"
            );
        }
        let argv = gathered(&["Test", "--Ids.1.Key", "team", "--Ids.2.Key", "env"]);
        let argv: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        let pairs = parse(true, &argv).unwrap();
        assert_eq!(
            names_values(&pairs),
            [("Ids.1.Key", "team"), ("Ids.2.Key", "env")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_value_after_a_parameter_flag_may_begin_with_a_hyphen() {
        assert_eq!(
            joined(&["Test", "--Mode", "-x", "--Size", "-1", "--Flag", "true"]),
            ["Test", "--Mode=-x", "--Size=-1", "--Flag", "true"]
        );
        // Known flags, help, a lone '-', inline values and a global's value stay apart.
        assert_eq!(
            joined(&["Test", "--Mode", "--Size", "1", "--Ids", "-h", "--Doc", "-"]),
            ["Test", "--Mode", "--Size", "1", "--Ids", "-h", "--Doc", "-"]
        );
        assert_eq!(
            joined(&[
                "Test",
                "--Mode",
                "--pager",
                "--Ids",
                "--region=x",
                "--Tag=-y"
            ]),
            [
                "Test",
                "--Mode",
                "--pager",
                "--Ids",
                "--region=x",
                "--Tag=-y"
            ]
        );
        assert_eq!(
            joined(&["Test", "--region", "-r", "--Mode", "--bogus"]),
            ["Test", "--region", "-r", "--Mode=--bogus"]
        );
        // Nothing after `--` is touched.
        assert_eq!(
            joined(&["Test", "--", "--Mode", "-x"]),
            ["Test", "--", "--Mode", "-x"]
        );
    }

    #[test]
    fn file_values_are_read_and_then_checked() {
        let dir = tempfile::tempdir().unwrap();
        let size = dir.path().join("size.txt");
        std::fs::write(&size, "42\n").unwrap();
        let mode = dir.path().join("mode.txt");
        std::fs::write(&mode, "On").unwrap();
        let size_arg = format!("file://{}", size.display());
        let mode_arg = format!("file://{}", mode.display());
        let pairs = parse(true, &["--Size", &size_arg, "--Mode", &mode_arg]).unwrap();
        assert_eq!(
            names_values(&pairs),
            [
                ("Size".to_owned(), "42".to_owned()),
                ("Mode".to_owned(), "On".to_owned())
            ]
        );
        std::fs::write(&mode, "Maybe").unwrap();
        let error = parse(true, &["--Mode", &mode_arg]).unwrap_err().to_string();
        assert!(error.contains("expected one of On, Off"), "{error}");
        std::fs::write(&size, [0xff, 0xfe]).unwrap();
        let error = parse(false, &["--Size", &size_arg])
            .unwrap_err()
            .to_string();
        assert!(error.contains("is not UTF-8 text"), "{error}");
    }

    #[test]
    fn bold_markers_go_and_masked_ids_stay() {
        assert_eq!(unbold("Set the value to **0**."), "Set the value to 0.");
        assert_eq!(
            unbold("`rg-ae******4wia` and **a b**"),
            "`rg-ae******4wia` and a b"
        );
        assert_eq!(unbold("`cas-cn-68n1mm16****`."), "`cas-cn-68n1mm16****`.");
    }

    #[test]
    fn pairs_keep_their_locations() {
        let pairs = vec![
            WirePair {
                location: Location::Query,
                name: "Size".into(),
                value: "1".into(),
            },
            WirePair {
                location: Location::Body,
                name: "Other".into(),
                value: "x".into(),
            },
        ];
        let params = to_params(&pairs);
        let got: Vec<_> = params.pairs().collect();
        assert_eq!(got, [("Size", "1"), ("Other", "x")]);
        assert_eq!(params.body().len(), 1);
    }
}
