//! Spec errors: each names the file, the operation and the field path, and the line when
//! the parser or a search of the file can give one.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one spec file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file, relative to the workspace root where possible.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The operation (action) the file describes, when known.
    pub operation: Option<String>,
    /// Dotted path of the offending field (`request.JobId.type`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    pub(crate) fn new(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line: None,
            operation: None,
            field: None,
            message: message.into(),
        }
    }

    pub(crate) fn operation(mut self, operation: &str) -> Self {
        self.operation = Some(operation.to_owned());
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        if !field.is_empty() {
            self.field = Some(field);
        }
        self
    }

    pub(crate) fn line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(":")?;
        if let Some(operation) = &self.operation {
            write!(f, " operation {operation}:")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field {field}:")?;
        }
        write!(f, " {}", self.message)
    }
}

/// Every problem found in a spec set; nothing is written while there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} spec error(s); nothing was written:", self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}
