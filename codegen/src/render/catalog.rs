//! The catalog crate: every product, operation and parameter as static data.

use super::*;
use crate::shape::{ShapeField, ShapeKind};

pub(super) fn param_kind(field: &FieldModel) -> TokenStream {
    match field.style {
        ParamStyle::Json => return quote!(ParamType::Json),
        // One text parameter: the items joined.
        ParamStyle::Simple | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited
            if matches!(field.ty, RustType::List(_)) =>
        {
            return quote!(ParamType::String);
        }
        _ => {}
    }
    match &field.ty {
        RustType::String | RustType::Enum(_) => quote!(ParamType::String),
        RustType::I32 => quote!(ParamType::Int32),
        RustType::I64 | RustType::EpochMillis | RustType::EpochSeconds => quote!(ParamType::Int64),
        RustType::Bool => quote!(ParamType::Bool),
        RustType::F64 | RustType::Decimal => quote!(ParamType::String),
        // Flattened by its JSON shape, like an object.
        RustType::Any => quote!(ParamType::Object),
        RustType::List(_) => quote!(ParamType::List),
        RustType::Map(_) | RustType::Struct(_) => quote!(ParamType::Object),
    }
}

pub(super) fn catalog_operation(model: &CrateModel, op: &OperationModel) -> TokenStream {
    let operation = operation_literal(op, {
        let version = &op.version;
        quote!(#version)
    });
    let summary = &op.summary;
    let reference_url = &op.portal_url;
    let params = op.request.fields.iter().map(|field| {
        let name = &field.wire;
        let kind = param_kind(field);
        let required = field.required;
        let location = location(field);
        let values: Vec<&str> = match &field.ty {
            RustType::Enum(name) => model
                .enum_of(op, name)
                .map(|e| e.variants.iter().map(|v| v.value.as_str()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let description = &field.docs;
        let sensitive = field.sensitive;
        let example = &field.example;
        quote! {
            ParamInfo {
                name: #name,
                kind: #kind,
                required: #required,
                location: #location,
                values: &[#(#values),*],
                description: #description,
                sensitive: #sensitive,
                example: #example,
            }
        }
    });
    let pagination = match &op.pagination {
        Some(p) => {
            let cursor = &p.cursor_wire;
            let (offset, token, total, echo) = match &p.paging {
                Paging::Counted {
                    counter,
                    total,
                    echo,
                } => (
                    matches!(counter, Counter::StartIndex { .. }),
                    false,
                    &total.wire,
                    echo.as_ref(),
                ),
                Paging::Token { next, .. } => (false, true, &next.wire, None),
            };
            let page_size = match &p.page_size_wire {
                Some(size) => quote!(Some(#size)),
                None => quote!(None),
            };
            let echo = match echo {
                Some(echo) => {
                    let wire = &echo.wire;
                    quote!(Some(#wire))
                }
                None => quote!(None),
            };
            let items = &p.items_wire;
            quote! {
                Some(PagingInfo {
                    cursor: #cursor,
                    offset: #offset,
                    token: #token,
                    page_size: #page_size,
                    total: #total,
                    items: #items,
                    echo: #echo,
                })
            }
        }
        None => quote!(None),
    };
    let rate_limit = match op.rate_limit_per_second {
        Some(calls) => quote!(Some(#calls)),
        None => quote!(None),
    };
    let errors = op.errors.iter().map(|error| {
        let (code, status) = (&error.code, error.http_status);
        quote!((#code, #status))
    });
    let response = op.response_shape.iter().map(field_shape);
    let waiters = op.waiters.iter().map(wait_rule_literal);
    let deprecated = op.deprecated;
    quote! {
        OperationInfo {
            operation: #operation,
            summary: #summary,
            reference_url: #reference_url,
            params: &[#(#params),*],
            pagination: #pagination,
            rate_limit_per_second: #rate_limit,
            errors: &[#(#errors),*],
            response: &[#(#response),*],
            waiters: &[#(#waiters),*],
            deprecated: #deprecated,
        }
    }
}

fn field_shape(field: &ShapeField) -> TokenStream {
    let name = &field.wire;
    let required = field.required;
    let example = &field.example;
    let kind = shape_kind(&field.kind);
    quote! {
        FieldShape::new(#name, #required, #example, #kind)
    }
}

fn shape_kind(kind: &ShapeKind) -> TokenStream {
    match kind {
        ShapeKind::Text => quote!(ShapeKind::Text),
        ShapeKind::Date => quote!(ShapeKind::Date),
        ShapeKind::Datetime => quote!(ShapeKind::Datetime),
        ShapeKind::Decimal => quote!(ShapeKind::Decimal),
        ShapeKind::Enum(values) => quote!(ShapeKind::Enum(&[#(#values),*])),
        ShapeKind::Int32 => quote!(ShapeKind::Int32),
        ShapeKind::Int64 => quote!(ShapeKind::Int64),
        ShapeKind::EpochMillis => quote!(ShapeKind::EpochMillis),
        ShapeKind::EpochSeconds => quote!(ShapeKind::EpochSeconds),
        ShapeKind::Number => quote!(ShapeKind::Number),
        ShapeKind::Bool => quote!(ShapeKind::Bool),
        ShapeKind::Any => quote!(ShapeKind::Any),
        ShapeKind::Object(fields) => {
            let fields = fields.iter().map(field_shape);
            quote!(ShapeKind::Object(&[#(#fields),*]))
        }
        ShapeKind::List { wrapper, item } => {
            let wrapper = match wrapper {
                Some(key) => quote!(Some(#key)),
                None => quote!(None),
            };
            let item = field_shape(item);
            quote!(ShapeKind::List { wrapper: #wrapper, item: &#item })
        }
        ShapeKind::Map(value) => {
            let value = field_shape(value);
            quote!(ShapeKind::Map(&#value))
        }
    }
}

/// Renders the catalog crate's `lib.rs`: every product and operation of a spec set.
pub fn catalog_module(crates: &[CrateModel]) -> TokenStream {
    let products = crates.iter().map(|model| {
        let service = service_info(model, {
            let version = &model.service.version;
            quote!(#version)
        });
        let code = &model.service.product;
        let title = &model.service.title;
        let mut operations: Vec<&OperationModel> = model.operations.iter().collect();
        operations.sort_by(|a, b| a.action.cmp(&b.action));
        let operations = operations
            .into_iter()
            .map(|op| catalog_operation(model, op));
        quote! {
            ProductInfo {
                code: #code,
                title: #title,
                service: &#service,
                operations: &[#(#operations),*],
            }
        }
    });
    let has_waiters = crates
        .iter()
        .any(|model| model.operations.iter().any(|op| !op.waiters.is_empty()));
    let waiter_uses = if has_waiters {
        quote! {
            use std::time::Duration;
            use alibabacloud_core::waiter::WaitRule;
        }
    } else {
        quote!()
    };
    quote! {
        //! Every product and operation described by the specs, for tools that work on any
        //! operation by name: the `alicloud` CLI and the local emulator.

        #![forbid(unsafe_code)]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        use alibabacloud_core::catalog::{FieldShape, OperationInfo, PagingInfo, ParamInfo, ParamType, ProductInfo, ShapeKind};
        use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Location, Operation, Style};
        #waiter_uses
        use alibabacloud_core::{ServiceInfo, SignatureVersion};

        /// Every product and API version, in spec order.
        pub static PRODUCTS: &[ProductInfo] = &[#(#products),*];

        /// The products with this code (several when it has several API versions).
        pub fn products(code: &str) -> impl Iterator<Item = &'static ProductInfo> {
            let code = code.to_ascii_lowercase();
            PRODUCTS.iter().filter(move |product| product.code == code)
        }
    }
}
