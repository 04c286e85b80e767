//! `--query`: a JMESPath expression applied to the response (after `--pager` merged every
//! page, before `--output` renders it), as the aliyun and aws CLIs offer.

use std::collections::HashMap;
use std::fmt;

use jmespath::ast::Ast;
use jmespath::{Expression, Variable};

use crate::error::CliError;
use crate::json::Value;

/// The deepest nesting of `(`, `[` and `{` a `--query` may have.
pub const MAX_NESTING: usize = 64;

/// The longest `--query`, in bytes.
pub const MAX_LENGTH: usize = 64 << 10;

/// The deepest nesting of brackets, braces and parentheses in a JMESPath expression,
/// outside its quoted identifiers (`"…"`), raw strings (`'…'`) and literals (`` `…` ``).
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A compiled `--query` expression.
pub struct Query {
    expression: Expression<'static>,
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query")
            .field(&self.expression.as_str())
            .finish()
    }
}

impl Query {
    /// Compiles `text`; a syntax error is a usage error that shows where it is. An
    /// expression nested deeper than [`MAX_NESTING`] or longer than [`MAX_LENGTH`] is
    /// refused before it is parsed (the parser recurses once per level).
    pub fn compile(text: &str) -> Result<Self, CliError> {
        if text.len() > MAX_LENGTH {
            return Err(CliError::Usage(format!(
                "--query is {} bytes long, over the limit of {MAX_LENGTH}",
                text.len()
            )));
        }
        if nesting(text) > MAX_NESTING {
            return Err(CliError::Usage(format!(
                "--query nests brackets, braces or parentheses deeper than {MAX_NESTING} levels"
            )));
        }
        jmespath::compile(text)
            .map(|expression| Query { expression })
            .map_err(|e| {
                CliError::Usage(format!("--query is not a valid JMESPath expression: {e}"))
            })
    }

    /// The expression as written.
    pub fn text(&self) -> &str {
        self.expression.as_str()
    }

    /// The expression's result on `document`. JMESPath itself keeps no key order, so the
    /// members of the result's objects are put back in order: the names of the
    /// expression's multi-select hashes (`{Id: CertificateId, Name: CommonName}`) as
    /// written, then the document's keys in the order they first appear in it, then any
    /// other key, sorted.
    pub fn apply(&self, document: &Value) -> Result<Value, CliError> {
        let result = self
            .expression
            .search(document)
            .map_err(|e| CliError::Usage(format!("--query failed on the response: {e}")))?;
        let mut ranks = HashMap::new();
        hash_key_ranks(self.expression.as_ast(), &mut ranks);
        document_key_ranks(document, &mut ranks);
        Ok(from_variable(&result, &ranks))
    }
}

/// Where a key goes in a result object: lower first.
type Rank = (u8, usize);

/// The names of every multi-select hash of `ast`, in the order they are written.
fn hash_key_ranks<'a>(ast: &'a Ast, ranks: &mut HashMap<&'a str, Rank>) {
    match ast {
        Ast::MultiHash { elements, .. } => {
            for pair in elements {
                let next = (0, ranks.len());
                ranks.entry(pair.key.as_str()).or_insert(next);
                hash_key_ranks(&pair.value, ranks);
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            hash_key_ranks(lhs, ranks);
            hash_key_ranks(rhs, ranks);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            hash_key_ranks(predicate, ranks);
            hash_key_ranks(then, ranks);
        }
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => hash_key_ranks(node, ranks),
        Ast::Function { args: nodes, .. }
        | Ast::MultiList {
            elements: nodes, ..
        } => {
            nodes.iter().for_each(|node| hash_key_ranks(node, ranks));
        }
        _ => {}
    }
}

/// Each key of `value`, depth first in document order, after those already ranked.
fn document_key_ranks<'a>(value: &'a Value, ranks: &mut HashMap<&'a str, Rank>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let next = (1, ranks.len());
                ranks.entry(key.as_str()).or_insert(next);
                document_key_ranks(member, ranks);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| document_key_ranks(item, ranks)),
        _ => {}
    }
}

fn from_variable(variable: &Variable, ranks: &HashMap<&str, Rank>) -> Value {
    match variable {
        Variable::Null => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(n) => Value::Number(n.into()),
        Variable::String(s) => Value::String(s.clone()),
        Variable::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| from_variable(item, ranks))
                .collect(),
        ),
        Variable::Object(members) => {
            let mut members: Vec<(String, Value)> = members
                .iter()
                .map(|(key, value)| (key.clone(), from_variable(value, ranks)))
                .collect();
            // Stable: unranked keys keep the map's sorted order, after the others.
            members.sort_by_key(|(key, _)| ranks.get(key.as_str()).copied().unwrap_or((2, 0)));
            Value::Object(members)
        }
        // An expression reference (`&field`) is only an argument of functions such as
        // `sort_by`; as a result it has no JSON form.
        Variable::Expref(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{}a{}", "(".repeat(20_000), ")".repeat(20_000));
        let error = Query::compile(&deep).unwrap_err();
        assert!(
            error.message().contains("deeper than 64"),
            "{}",
            error.message()
        );
        let brackets = format!("{}a{}", "[".repeat(65), "]".repeat(65));
        assert!(Query::compile(&brackets).is_err());
        // Quoted text does not count.
        let quoted = format!("a == '{}'", "(".repeat(100));
        assert!(Query::compile(&quoted).is_ok());
        assert!(Query::compile("a[?b == `[[1]]`].{c: d}").is_ok());
    }

    use super::*;

    fn run(expression: &str, document: &str) -> String {
        let document = Value::parse(document.as_bytes()).unwrap();
        let result = Query::compile(expression)
            .unwrap()
            .apply(&document)
            .unwrap();
        serde_json::to_string(&result).unwrap()
    }

    #[test]
    fn projections_filters_and_functions() {
        let document = r#"{"RequestId":"R","List":[{"Zeta":1,"Name":"a","On":true},{"Zeta":2,"Name":"b","On":false}]}"#;
        assert_eq!(run("List[].Name", document), r#"["a","b"]"#);
        assert_eq!(run("List[?On].Zeta", document), "[1]");
        assert_eq!(run("length(List)", document), "2");
        // Server order kept for the document's keys; new names sorted after them.
        assert_eq!(
            run("List[0]", document),
            r#"{"Zeta":1,"Name":"a","On":true}"#
        );
        assert_eq!(
            run("List[0].{Name: Name, Z: Zeta, A: On}", document),
            r#"{"Name":"a","Z":1,"A":true}"#
        );
        assert_eq!(
            run("{Count: length(List), Names: List[].{N: Name}}", document),
            r#"{"Count":2,"Names":[{"N":"a"},{"N":"b"}]}"#
        );
        assert_eq!(run("Missing", document), "null");
    }

    #[test]
    fn bad_expressions_are_usage_errors() {
        let error = Query::compile("List[").unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
        assert!(error.message().contains("not a valid JMESPath expression"));
        let document = Value::parse(br#"{"A":"text"}"#).unwrap();
        let error = Query::compile("abs(A)")
            .unwrap()
            .apply(&document)
            .unwrap_err();
        assert!(
            error.message().contains("--query failed"),
            "{}",
            error.message()
        );
    }
}
