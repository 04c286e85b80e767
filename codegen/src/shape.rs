//! The wire shape of a response, as data: what a tool needs to answer an operation with a
//! well-typed body (the emulator) or to check one (the catalog-driven tests).
//!
//! It keeps the spec's own view of each field (a date is a date, a list keeps its wrapper
//! key), which the Rust model folds into Rust types.

use crate::spec::{FieldSpec, Scalar, TypeName};

/// One field of a response object, or (with an empty `wire`) a list item or map value.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeField {
    pub wire: String,
    pub required: bool,
    /// The spec's example, as text (empty when none).
    pub example: String,
    pub kind: ShapeKind,
}

/// The wire type of a field.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeKind {
    Text,
    Date,
    Datetime,
    Decimal,
    /// Text limited to these values.
    Enum(Vec<String>),
    Int32,
    Int64,
    EpochMillis,
    EpochSeconds,
    Number,
    Bool,
    Any,
    Object(Vec<ShapeField>),
    /// An array, or with `wrapper` an object holding the array under that key.
    List {
        wrapper: Option<String>,
        item: Box<ShapeField>,
    },
    Map(Box<ShapeField>),
}

/// The text of an example scalar.
pub fn example_text(example: Option<&Scalar>) -> String {
    match example {
        Some(Scalar::String(s)) => s.clone(),
        Some(Scalar::Integer(i)) => i.to_string(),
        Some(Scalar::Float(f)) => f.to_string(),
        Some(Scalar::Bool(b)) => b.to_string(),
        None => String::new(),
    }
}

/// The shapes of a list of response fields (already validated by the model).
pub fn fields(specs: &[FieldSpec]) -> Vec<ShapeField> {
    specs.iter().map(field).collect()
}

fn field(spec: &FieldSpec) -> ShapeField {
    ShapeField {
        wire: spec.name.clone().unwrap_or_default(),
        required: spec.required,
        example: example_text(spec.example.as_ref()),
        kind: kind(spec),
    }
}

fn kind(spec: &FieldSpec) -> ShapeKind {
    match spec.ty {
        TypeName::String => match &spec.enum_values {
            Some(values) => ShapeKind::Enum(values.iter().map(|v| v.value.clone()).collect()),
            None => ShapeKind::Text,
        },
        TypeName::Date => ShapeKind::Date,
        TypeName::Datetime => ShapeKind::Datetime,
        TypeName::Decimal => ShapeKind::Decimal,
        TypeName::Int32 => ShapeKind::Int32,
        TypeName::Int64 => ShapeKind::Int64,
        TypeName::EpochMillis => ShapeKind::EpochMillis,
        TypeName::EpochSeconds => ShapeKind::EpochSeconds,
        TypeName::Number => ShapeKind::Number,
        TypeName::Bool => ShapeKind::Bool,
        TypeName::Any => ShapeKind::Any,
        TypeName::Object => ShapeKind::Object(fields(spec.fields.as_deref().unwrap_or_default())),
        TypeName::List => ShapeKind::List {
            wrapper: spec.wrapper.clone(),
            item: Box::new(spec.items.as_deref().map(field).unwrap_or_else(any_item)),
        },
        TypeName::Map => ShapeKind::Map(Box::new(
            spec.values.as_deref().map(field).unwrap_or_else(any_item),
        )),
    }
}

fn any_item() -> ShapeField {
    ShapeField {
        wire: String::new(),
        required: false,
        example: String::new(),
        kind: ShapeKind::Any,
    }
}
