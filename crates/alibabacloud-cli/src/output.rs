//! Printing a response: pretty JSON, or a table of its item list.

use std::io::{self, Write};

use crate::cli::OutputFormat;
use crate::json::Value;

/// The text printed for a response (ending in a newline unless empty).
///
/// `items_path` is the operation's item list (`PagingInfo::items`), if it pages.
pub fn render(value: &Value, format: OutputFormat, items_path: Option<&str>) -> String {
    match format {
        OutputFormat::Json => format!("{}\n", value.to_pretty()),
        OutputFormat::Table => table(value, items_path),
    }
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
            render(&response, OutputFormat::Table, Some("List")),
            "Id  Name   Status\n--  -----  ------\n1   alpha\n22         OK\n"
        );
    }

    #[test]
    fn without_a_list_the_top_level_scalars_are_shown() {
        let response = value(r#"{"RequestId":"R-1","Data":{"A":1},"Ok":true}"#);
        assert_eq!(
            render(&response, OutputFormat::Table, None),
            "RequestId  Ok\n---------  ----\nR-1        true\n"
        );
    }

    #[test]
    fn json_keeps_the_server_order() {
        let response = value(r#"{"b":1,"a":2}"#);
        assert_eq!(
            render(&response, OutputFormat::Json, None),
            "{\n  \"b\": 1,\n  \"a\": 2\n}\n"
        );
    }
}
