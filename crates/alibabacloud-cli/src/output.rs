//! Printing a response: pretty JSON, or a table of its item list (or of the rows and
//! columns `--output table cols=… rows=…` select).

use std::io::{self, Write};
use std::rc::Rc;

use crate::cli::{FIELD_SEPARATOR, OutputFormat};
use crate::error::CliError;
use crate::json::Value;
use crate::query::Query;

/// The `key=value` fields `--output` takes after `table` (or alone, as the aliyun CLI
/// writes them).
pub const FIELDS: &[&str] = &["cols", "rows", "num"];

/// What `--output table` shows.
#[derive(Clone, Debug, Default)]
pub struct TableSpec {
    /// `cols=A,B`: the heading and the JMESPath expression of each column, applied to each
    /// row.
    pub cols: Option<Vec<(String, Rc<Query>)>>,
    /// `rows=EXPR`: the JMESPath expression that selects the list of rows.
    pub rows: Option<Rc<Query>>,
    /// `num=true`: a first column numbering the rows from 0.
    pub num: bool,
}

/// Reads the value of `--output`: `json`, `table`, `table cols=A,B rows=EXPR num=true`, or
/// the fields alone (a table), as the aliyun CLI takes them.
pub fn parse_format(value: &str) -> Result<OutputFormat, CliError> {
    let usage = |message: String| CliError::Usage(format!("--output: {message}"));
    let mut words: Vec<&str> = value.split(FIELD_SEPARATOR).collect();
    let kind = match words.first().copied() {
        Some("json") => Some(false),
        Some("table") => Some(true),
        _ => None,
    };
    if kind.is_some() {
        words.remove(0);
    }
    if kind == Some(false) {
        return match words.is_empty() {
            true => Ok(OutputFormat::Json),
            false => Err(usage(format!(
                "json takes no fields ({}); cols=, rows= and num= are for a table",
                words.join(" ")
            ))),
        };
    }
    let mut spec = TableSpec::default();
    for word in words {
        let Some((key, text)) = word.split_once('=') else {
            return Err(usage(format!(
                "expected json, table, or table cols=A,B rows=JMESPATH; got '{word}'"
            )));
        };
        let text = unquote(text);
        match key {
            "cols" => {
                let mut cols = Vec::new();
                for col in text.split(',').map(str::trim) {
                    if col.is_empty() {
                        return Err(usage(format!("cols={text} has an empty column")));
                    }
                    let query = Query::compile(col).map_err(|e| {
                        usage(format!(
                            "column '{col}' is not a JMESPath expression: {}",
                            e.message()
                        ))
                    })?;
                    cols.push((col.to_owned(), Rc::new(query)));
                }
                spec.cols = Some(cols);
            }
            "rows" => {
                let query = Query::compile(text).map_err(|e| {
                    usage(format!(
                        "rows={text} is not a JMESPath expression: {}",
                        e.message()
                    ))
                })?;
                spec.rows = Some(Rc::new(query));
            }
            "num" => {
                spec.num = match text {
                    "true" => true,
                    "false" => false,
                    other => return Err(usage(format!("num={other}: expected true or false"))),
                }
            }
            other => {
                return Err(usage(format!(
                    "unknown field '{other}=' (the fields are cols=, rows= and num=)"
                )));
            }
        }
    }
    Ok(OutputFormat::Table(spec))
}

/// A value without the double quotes a script may have kept around it.
fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

/// The text printed for a response (ending in a newline unless empty).
///
/// `items_path` is the operation's item list (`PagingInfo::items`), if it pages.
pub fn render(
    value: &Value,
    format: &OutputFormat,
    items_path: Option<&str>,
) -> Result<String, CliError> {
    match format {
        OutputFormat::Json => Ok(format!("{}\n", value.to_pretty())),
        OutputFormat::Table(spec) if spec.cols.is_none() && spec.rows.is_none() && !spec.num => {
            Ok(table(value, items_path))
        }
        OutputFormat::Table(spec) => selected_table(value, spec, items_path),
    }
}

/// The table of `cols=` / `rows=`: the rows are what `rows=` selects (without it, the
/// response itself is the one row when `cols=` is given, as in the aliyun CLI; else the
/// item list), each column the value of its expression on a row.
fn selected_table(
    value: &Value,
    spec: &TableSpec,
    items_path: Option<&str>,
) -> Result<String, CliError> {
    let rows: Vec<Value> = match (&spec.rows, &spec.cols) {
        (Some(rows), _) => match rows.apply(value)? {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => {
                return Err(CliError::Usage(format!(
                    "--output rows={} selected {}, not a list",
                    rows.text(),
                    other.kind()
                )));
            }
        },
        (None, Some(_)) => vec![value.clone()],
        (None, None) => items_path
            .and_then(|path| value.list_at(path))
            .or_else(|| value.first_array())
            .cloned()
            .unwrap_or_default(),
    };
    let (mut columns, mut cells) = match &spec.cols {
        Some(cols) => {
            let mut cells = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut line = Vec::with_capacity(cols.len());
                for (_, query) in cols {
                    line.push(query.apply(row)?.cell());
                }
                cells.push(line);
            }
            (cols.iter().map(|(name, _)| name.clone()).collect(), cells)
        }
        None => item_rows(&rows),
    };
    if spec.num {
        columns.insert(0, "Num".to_owned());
        for (index, line) in cells.iter_mut().enumerate() {
            line.insert(0, index.to_string());
        }
    }
    if columns.is_empty() {
        return Ok(String::new());
    }
    Ok(align(&columns, &cells))
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The item list (the operation's, else the first array in the response) as aligned
/// columns of its scalar fields; with no list, the top-level scalar fields.
fn table(value: &Value, items_path: Option<&str>) -> String {
    let items = items_path
        .and_then(|path| value.list_at(path))
        .or_else(|| value.first_array());
    let (columns, rows) = match items {
        Some(items) => item_rows(items),
        None => top_level_row(value),
    };
    if columns.is_empty() {
        return String::new();
    }
    align(&columns, &rows)
}

fn item_rows(items: &[Value]) -> (Vec<String>, Vec<Vec<String>>) {
    if items.iter().all(Value::is_scalar) {
        let rows = items.iter().map(|item| vec![item.cell()]).collect();
        let columns = if items.is_empty() {
            Vec::new()
        } else {
            vec!["Value".to_owned()]
        };
        return (columns, rows);
    }
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        if let Value::Object(members) = item {
            for (key, value) in members {
                if value.is_scalar() && !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|column| item.get(column).map(Value::cell).unwrap_or_default())
                .collect()
        })
        .collect();
    (columns, rows)
}

fn top_level_row(value: &Value) -> (Vec<String>, Vec<Vec<String>>) {
    let Value::Object(members) = value else {
        return (vec!["Value".to_owned()], vec![vec![value.cell()]]);
    };
    let scalars: Vec<&(String, Value)> = members.iter().filter(|(_, v)| v.is_scalar()).collect();
    let columns = scalars.iter().map(|(k, _)| k.clone()).collect();
    let row = scalars.iter().map(|(_, v)| v.cell()).collect();
    (columns, vec![row])
}

fn align(columns: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            rows.iter()
                .map(|row| width(&row[i]))
                .chain([width(column)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', widths[i] - width(cell)));
        }
        let mut line = line.trim_end().to_owned();
        line.push('\n');
        line
    };
    let mut out = line(columns);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// Prints a document whose item list arrives page by page: the document around the list
/// first, then each item as it comes, then the rest; the text equals the pretty JSON of the
/// document with every item in its list.
pub struct ItemPrinter {
    /// The text after the list, up to the end of the document.
    suffix: String,
    /// The indentation of the list's own line.
    indent: String,
    items: usize,
}

/// What stands in for the item list while the document around it is laid out.
const ITEMS_MARKER: &str = "@@alicloud-pager-items@@";

impl ItemPrinter {
    /// Prints the first page's `document` up to its list at `items_path` (its items are
    /// not printed: pass each to [`ItemPrinter::item`]).
    pub fn start(document: &Value, items_path: &str) -> Self {
        let mut skeleton = document.clone();
        let text = match skeleton.array_at_mut(items_path) {
            Some(list) => {
                *list = Value::String(ITEMS_MARKER.to_owned());
                skeleton.to_pretty()
            }
            // No list on the first page: the document is all there is.
            None => {
                let _ = print(&format!("{}\n", document.to_pretty()));
                return Self {
                    suffix: String::new(),
                    indent: String::new(),
                    items: usize::MAX,
                };
            }
        };
        let quoted = format!("\"{ITEMS_MARKER}\"");
        let at = text.find(&quoted).unwrap_or(text.len());
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let _ = print(&format!("{}[", &text[..at]));
        Self {
            suffix: text[(at + quoted.len()).min(text.len())..].to_owned(),
            indent,
            items: 0,
        }
    }

    /// Prints one item of the list.
    pub fn item(&mut self, item: &Value) {
        if self.items == usize::MAX {
            return;
        }
        let separator = if self.items == 0 { "\n" } else { ",\n" };
        let inner = format!("{}  ", self.indent);
        let text = item.to_pretty().replace('\n', &format!("\n{inner}"));
        let _ = print(&format!("{separator}{inner}{text}"));
        self.items += 1;
    }

    /// Prints the end of the list and the rest of the document.
    pub fn finish(self) {
        if self.items == usize::MAX {
            return;
        }
        let close = if self.items == 0 {
            "]".to_owned()
        } else {
            format!("\n{}]", self.indent)
        };
        let _ = print(&format!("{close}{}\n", self.suffix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        Value::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn items_become_aligned_columns_of_scalars() {
        let response = value(
            r#"{"RequestId":"R","TotalCount":2,"List":[{"Id":1,"Name":"alpha","Tags":[]},{"Id":22,"Status":"OK"}]}"#,
        );
        assert_eq!(
            render(
                &response,
                &OutputFormat::Table(TableSpec::default()),
                Some("List")
            )
            .unwrap(),
            "Id  Name   Status\n--  -----  ------\n1   alpha\n22         OK\n"
        );
    }

    #[test]
    fn without_a_list_the_top_level_scalars_are_shown() {
        let response = value(r#"{"RequestId":"R-1","Data":{"A":1},"Ok":true}"#);
        assert_eq!(
            render(&response, &OutputFormat::Table(TableSpec::default()), None).unwrap(),
            "RequestId  Ok\n---------  ----\nR-1        true\n"
        );
    }

    #[test]
    fn json_keeps_the_server_order() {
        let response = value(r#"{"b":1,"a":2}"#);
        assert_eq!(
            render(&response, &OutputFormat::Json, None).unwrap(),
            "{\n  \"b\": 1,\n  \"a\": 2\n}\n"
        );
    }

    fn table_of(spec: &str, response: &str) -> Result<String, CliError> {
        let format = parse_format(&spec.replace(' ', FIELD_SEPARATOR))?;
        render(&value(response), &format, None)
    }

    #[test]
    fn cols_and_rows_select_like_the_aliyun_cli() {
        let response = r#"{"RequestId":"R","Total":2,"Data":{"List":[{"Id":1,"Name":"a","Tag":{"K":"x"}},{"Id":2,"Name":"b"}]}}"#;
        assert_eq!(
            table_of("table cols=Id,Tag.K rows=Data.List", response).unwrap(),
            "Id  Tag.K\n--  -----\n1   x\n2\n"
        );
        // The aliyun CLI's form, without `table`; num=true numbers the rows.
        assert_eq!(
            table_of("cols=Name rows=Data.List[] num=true", response).unwrap(),
            "Num  Name\n---  ----\n0    a\n1    b\n"
        );
        // cols= alone: the response is the one row.
        assert_eq!(
            table_of("cols=RequestId,Total", response).unwrap(),
            "RequestId  Total\n---------  -----\nR          2\n"
        );
        // rows= alone: every scalar field of each row.
        assert_eq!(
            table_of("table rows=Data.List", response).unwrap(),
            "Id  Name\n--  ----\n1   a\n2   b\n"
        );
    }

    #[test]
    fn bad_output_fields_are_usage_errors() {
        for (spec, needle) in [
            ("json cols=A", "json takes no fields"),
            ("table cols=", "empty column"),
            ("table rows=List[", "not a JMESPath expression"),
            ("table num=yes", "expected true or false"),
            ("table colz=A", "unknown field 'colz='"),
            ("csv", "expected json, table"),
        ] {
            let error = table_of(spec, "{}").unwrap_err();
            assert_eq!(error.exit_code(), crate::error::EXIT_USAGE, "{spec}");
            assert!(
                error.message().contains(needle),
                "{spec}: {}",
                error.message()
            );
        }
        let error = table_of("table rows=RequestId", r#"{"RequestId":"R"}"#).unwrap_err();
        assert!(
            error.message().contains("selected a string, not a list"),
            "{}",
            error.message()
        );
    }
}
