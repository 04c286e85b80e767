//! Stage 3: rendering the model to Rust with quote, formatted by prettyplease.
//!
//! Nothing here decides a name or a type; it only prints what the model says.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{
    CrateModel, Cursor, EnumModel, FieldModel, OperationModel, PaginationModel, PathStep, RustType,
    Side, StructModel,
};
use crate::spec::{Auth, Location, Method, ParamStyle, RequestBody, Signature};

/// Text that replaces a sensitive value in `Debug` output.
const REDACTED: &str = "** redacted **";

/// Formats a token stream as a Rust file with a header.
pub fn format_file(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!(
        "{header}\n{}",
        space_items(&layout_enum_macros(&prettyplease::unparse(&file)))
    ))
}

/// prettyplease wraps macro arguments like prose; lay each `wire_enum!` call out one
/// variant per line.
fn layout_enum_macros(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("wire_enum!(") {
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

/// `wire_enum!(Name { A = "a", B = "b" });` → the name and the `(variant, literal)` pairs.
fn parse_enum_call(call: &str) -> Option<(String, Vec<(String, String)>)> {
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
fn space_items(code: &str) -> String {
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

/// The header every generated file starts with.
pub fn header(source: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from {source}.\n\
         // Do not edit by hand: change the spec, then run `cargo xtask codegen`.\n\
         // Formatted by prettyplease; rustfmt is told to skip it.\n"
    )
}

fn ident(text: &str) -> proc_macro2::Ident {
    format_ident!("{}", text)
}

/// `#[doc = "..."]` attributes, one per line.
fn docs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `#![doc = "..."]` attributes, one per line.
fn inner_docs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

fn base_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::Bool => quote!(bool),
        RustType::F64 => quote!(f64),
        RustType::Any => quote!(JsonValue),
        RustType::EpochMillis => quote!(EpochMillis),
        RustType::EpochSeconds => quote!(EpochSeconds),
        RustType::List(inner) => {
            let inner = base_type(inner);
            quote!(Vec<#inner>)
        }
        RustType::Map(inner) => {
            let inner = base_type(inner);
            quote!(BTreeMap<String, #inner>)
        }
        RustType::Struct(name) | RustType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn is_collection(ty: &RustType) -> bool {
    matches!(ty, RustType::List(_) | RustType::Map(_))
}

/// Whether the struct field is held as `Option<T>`.
fn is_optional(field: &FieldModel, side: Side, nested: bool) -> bool {
    !is_collection(&field.ty) && (!field.required || (side == Side::Request && nested))
}

fn field_type(field: &FieldModel, side: Side, nested: bool) -> TokenStream {
    let ty = base_type(&field.ty);
    if is_optional(field, side, nested) {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// What a generated file needs imported.
#[derive(Default)]
struct Uses {
    btree_map: bool,
    epoch_millis: bool,
    epoch_seconds: bool,
    fmt: bool,
    wire_module: bool,
    wire_value: bool,
    wire_object: bool,
    json_value: bool,
    serialize: bool,
    wire_enum: bool,
}

impl Uses {
    fn note_type(&mut self, ty: &RustType) {
        match ty {
            RustType::Map(inner) => {
                self.btree_map = true;
                self.note_type(inner);
            }
            RustType::List(inner) => self.note_type(inner),
            RustType::EpochMillis => self.epoch_millis = true,
            RustType::EpochSeconds => self.epoch_seconds = true,
            RustType::Any => self.json_value = true,
            _ => {}
        }
    }
}

/// Renders the module of one operation.
pub fn operation_module(op: &OperationModel) -> TokenStream {
    let mut uses = Uses::default();
    let mut items = vec![
        operation_const(op),
        request_struct(op, &op.request, &mut uses),
        request_builder(op, &op.request, &mut uses),
        response_struct(&op.response, &mut uses),
    ];
    let serialized = json_structs(op);
    for nested in &op.structs {
        items.push(match nested.side {
            Side::Request => {
                nested_request_struct(nested, serialized.contains(&nested.name), &mut uses)
            }
            Side::Response => response_struct(nested, &mut uses),
        });
    }
    for model in &op.enums {
        items.push(enum_type(model, &mut uses));
    }
    items.push(fluent_builder(op));
    if let Some(pagination) = &op.pagination {
        items.push(paginator(op, pagination));
    }

    let mut module_doc = op.summary.clone();
    if let Some(description) = &op.description {
        module_doc.push_str("\n\n");
        module_doc.push_str(description);
    }
    module_doc.push('\n');
    module_doc.push_str(&format!("\n- Reference: <{}>", op.portal_url));
    for fact in &op.facts {
        module_doc.push_str("\n- ");
        module_doc.push_str(fact);
    }
    let module_doc = inner_docs(&module_doc);

    let mut std_uses = Vec::new();
    if uses.btree_map {
        std_uses.push(quote!(
            use std::collections::BTreeMap;
        ));
    }
    if uses.fmt {
        std_uses.push(quote!(
            use std::fmt;
        ));
    }
    let mut operation_items = vec![quote!(Auth), quote!(BodyFormat), quote!(HttpMethod)];
    if !op.request.fields.is_empty() {
        operation_items.push(quote!(Location));
    }
    operation_items.extend([quote!(Operation), quote!(Params), quote!(Style)]);
    if uses.wire_object {
        operation_items.push(quote!(WireObject));
    }
    if uses.wire_value {
        operation_items.push(quote!(WireValue));
    }
    let mut wire_items = Vec::new();
    if uses.wire_module {
        wire_items.push(quote!(self));
    }
    if uses.epoch_millis {
        wire_items.push(quote!(EpochMillis));
    }
    if uses.epoch_seconds {
        wire_items.push(quote!(EpochSeconds));
    }
    if uses.json_value {
        wire_items.push(quote!(JsonValue));
    }
    if !op.enums.is_empty() {
        wire_items.push(quote!(UnknownValue));
    }
    let wire_use = if wire_items.is_empty() {
        quote!()
    } else {
        quote!(use alibabacloud_core::wire::{#(#wire_items),*};)
    };

    let pagination_uses = op.pagination.as_ref().map(|p| match p.cursor {
        Cursor::NextToken { .. } => quote!(
            use alibabacloud_core::token_pagination::{self, TokenShape};
        ),
        _ => quote!(
            use alibabacloud_core::pagination::{self, PageShape};
        ),
    });
    let futures_use = op.pagination.as_ref().map(|_| {
        quote!(
            use futures::Stream;
        )
    });
    let serde_use = if uses.serialize {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    } else {
        quote!(
            use serde::Deserialize;
        )
    };
    let wire_enum_use = if uses.wire_enum {
        quote!(
            use alibabacloud_core::wire_enum;
        )
    } else {
        quote!()
    };
    quote! {
        #module_doc

        #(#std_uses)*

        use alibabacloud_core::operation::{#(#operation_items),*};
        #pagination_uses
        #wire_use
        use alibabacloud_core::{BuildError, CallOptions, Error, Handle};
        #wire_enum_use
        #futures_use
        #serde_use

        #(#items)*
    }
}

fn operation_const(op: &OperationModel) -> TokenStream {
    let literal = operation_literal(op, quote!(crate::API_VERSION));
    quote! {
        /// How the runtime sends this operation.
        const OPERATION: Operation = #literal;
    }
}

/// The `Operation { .. }` literal; `version` is the expression for the API version.
fn operation_literal(op: &OperationModel, version: TokenStream) -> TokenStream {
    let action = &op.action;
    let method = match op.http_method {
        Method::Get => quote!(HttpMethod::Get),
        Method::Post => quote!(HttpMethod::Post),
    };
    let path = &op.path;
    let body = match op.request_body {
        RequestBody::None => quote!(BodyFormat::None),
        RequestBody::Form => quote!(BodyFormat::Form),
        RequestBody::Json => quote!(BodyFormat::Json),
    };
    let auth = match op.auth {
        Auth::Ak => quote!(Auth::AccessKey),
        Auth::Anonymous => quote!(Auth::Anonymous),
    };
    let read_only = op.read_only;
    quote! {
        Operation {
            action: #action,
            version: #version,
            method: #method,
            style: Style::Rpc,
            path: #path,
            body: #body,
            read_only: #read_only,
            auth: #auth,
        }
    }
}

fn struct_fields(model: &StructModel, nested: bool, uses: &mut Uses) -> Vec<TokenStream> {
    model
        .fields
        .iter()
        .map(|field| {
            uses.note_type(&field.ty);
            let doc = docs(&field.docs);
            let name = field.ident.to_token();
            let ty = field_type(field, model.side, nested);
            quote! {
                #doc
                pub #name: #ty,
            }
        })
        .collect()
}

/// A `Debug` impl that prints `** redacted **` for sensitive fields.
fn redacting_debug(
    name: &str,
    fields: &[FieldModel],
    all_optional: bool,
    side: Side,
    nested: bool,
) -> TokenStream {
    let type_name = ident(name);
    let entries = fields.iter().map(|field| {
        let label = field.ident.text.as_str();
        let member = field.ident.to_token();
        let optional =
            all_optional && !is_collection(&field.ty) || is_optional(field, side, nested);
        if !field.sensitive {
            quote!(.field(#label, &self.#member))
        } else if optional {
            quote!(.field(#label, &self.#member.as_ref().map(|_| #REDACTED)))
        } else {
            quote!(.field(#label, &#REDACTED))
        }
    });
    quote! {
        impl fmt::Debug for #type_name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    .finish()
            }
        }
    }
}

/// How a type gets its `Debug`: derived (`derive` holds `Debug,`), or written out to
/// redact its sensitive fields (`manual` holds the impl).
struct DebugImpl {
    derive: TokenStream,
    manual: TokenStream,
}

/// The `Debug` of type `name` holding `model`'s fields; `all_optional` when every field is
/// held as an `Option` (builders), `nested` for objects inside a request.
fn debug_impl(
    name: &str,
    model: &StructModel,
    all_optional: bool,
    nested: bool,
    uses: &mut Uses,
) -> DebugImpl {
    if !model.has_sensitive() {
        return DebugImpl {
            derive: quote!(Debug,),
            manual: quote!(),
        };
    }
    uses.fmt = true;
    DebugImpl {
        derive: quote!(),
        manual: redacting_debug(name, &model.fields, all_optional, model.side, nested),
    }
}

fn location(field: &FieldModel) -> TokenStream {
    match field.location {
        Location::Query => quote!(Location::Query),
        Location::Body => quote!(Location::Body),
    }
}

/// The statement that writes one field into `params`; `name` is the wire-name expression.
fn push_field(field: &FieldModel, name: TokenStream, optional: bool) -> TokenStream {
    let member = field.ident.to_token();
    let loc = location(field);
    if field.style == ParamStyle::Json {
        return if is_collection(&field.ty) {
            quote! {
                if !self.#member.is_empty() {
                    params.push_json(#loc, #name, &self.#member);
                }
            }
        } else if optional {
            quote! {
                if let Some(value) = &self.#member {
                    params.push_json(#loc, #name, value);
                }
            }
        } else {
            quote!(params.push_json(#loc, #name, &self.#member);)
        };
    }
    match &field.ty {
        RustType::List(inner) if matches!(**inner, RustType::Struct(_)) => {
            quote!(params.push_object_list(#loc, #name, &self.#member);)
        }
        RustType::List(_) => quote!(params.push_list(#loc, #name, &self.#member);),
        RustType::Map(_) => quote!(params.push_map(#loc, #name, &self.#member);),
        RustType::Struct(_) if optional => quote! {
            if let Some(value) = &self.#member {
                params.push_object(#loc, #name, value);
            }
        },
        RustType::Struct(_) => quote!(params.push_object(#loc, #name, &self.#member);),
        _ if optional => quote!(params.push_opt(#loc, #name, self.#member.as_ref());),
        _ => quote!(params.push(#loc, #name, &self.#member);),
    }
}

fn request_struct(op: &OperationModel, model: &StructModel, uses: &mut Uses) -> TokenStream {
    let name = ident(&model.name);
    let builder = ident(&op.builder_name());
    let doc = docs(&format!(
        "{}\n\nBuild one with [`{}::builder`], or let [`Client::{}`](crate::Client::{}) do it.",
        model.docs, model.name, op.method.text, op.method.text
    ));
    let fields = struct_fields(model, false, uses);
    let pushes = model.fields.iter().map(|field| {
        let wire = &field.wire;
        push_field(
            field,
            quote!(#wire),
            is_optional(field, Side::Request, false),
        )
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, false, false, uses);
    let body = if model.fields.is_empty() {
        quote!(Params::new())
    } else {
        quote! {
            let mut params = Params::new();
            #(#pushes)*
            params
        }
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Starts a builder for this request.
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// The request as wire parameters: lists flattened (`Name.1`), absent values
            /// left out, empty strings kept.
            pub fn to_params(&self) -> Params {
                #body
            }
        }

        #debug
    }
}

/// The parameter list and conversion of a setter for `field`.
fn setter_signature(field: &FieldModel) -> (TokenStream, TokenStream) {
    match &field.ty {
        RustType::List(inner) => {
            let inner = base_type(inner);
            (
                quote!(values: impl IntoIterator<Item = impl Into<#inner>>),
                quote!(values.into_iter().map(Into::into).collect()),
            )
        }
        RustType::Map(inner) => {
            let inner = base_type(inner);
            (
                quote!(entries: impl IntoIterator<Item = (impl Into<String>, impl Into<#inner>)>),
                quote!(
                    entries
                        .into_iter()
                        .map(|(key, value)| (key.into(), value.into()))
                        .collect()
                ),
            )
        }
        other => {
            let ty = base_type(other);
            (quote!(value: impl Into<#ty>), quote!(Some(value.into())))
        }
    }
}

fn setter_argument(field: &FieldModel) -> TokenStream {
    match &field.ty {
        RustType::List(_) => quote!(values),
        RustType::Map(_) => quote!(entries),
        _ => quote!(value),
    }
}

fn request_builder(op: &OperationModel, model: &StructModel, uses: &mut Uses) -> TokenStream {
    let builder_name = op.builder_name();
    let builder = ident(&builder_name);
    let request = ident(&model.name);
    let action = &op.action;
    let doc = docs(&format!("Builder for [`{}`].", model.name));
    let fields = model.fields.iter().map(|field| {
        let name = field.ident.to_token();
        let ty = base_type(&field.ty);
        if is_collection(&field.ty) {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        }
    });
    let setters = model.fields.iter().map(|field| {
        let name = field.ident.to_token();
        let doc = docs(&format!(
            "Sets [`{}`]({}::{}).",
            field.ident.text, model.name, field.ident.text
        ));
        let (params, conversion) = setter_signature(field);
        quote! {
            #doc
            pub fn #name(mut self, #params) -> Self {
                self.#name = #conversion;
                self
            }
        }
    });
    let assignments = model.fields.iter().map(|field| {
        let name = field.ident.to_token();
        let wire = &field.wire;
        if field.required && !is_collection(&field.ty) {
            quote!(#name: self.#name.ok_or(BuildError::missing(#action, #wire))?,)
        } else {
            quote!(#name: self.#name,)
        }
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&builder_name, model, true, false, uses);
    quote! {
        #doc
        #[derive(Clone, #derive_debug Default)]
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            /// Builds the request, or names the first required parameter that is not set.
            pub fn build(self) -> Result<#request, BuildError> {
                Ok(#request {
                    #(#assignments)*
                })
            }
        }

        #debug
    }
}

/// Request structs that travel inside a JSON-style parameter, and so need `Serialize`.
fn json_structs(op: &OperationModel) -> std::collections::BTreeSet<String> {
    fn collect(ty: &RustType, op: &OperationModel, into: &mut std::collections::BTreeSet<String>) {
        match ty {
            RustType::List(inner) | RustType::Map(inner) => collect(inner, op, into),
            RustType::Struct(name) if into.insert(name.clone()) => {
                if let Some(model) = op.structs.iter().find(|s| &s.name == name) {
                    for field in &model.fields {
                        collect(&field.ty, op, into);
                    }
                }
            }
            _ => {}
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for field in op
        .request
        .fields
        .iter()
        .filter(|f| f.style == ParamStyle::Json)
    {
        collect(&field.ty, op, &mut names);
    }
    names
}

fn nested_request_struct(model: &StructModel, serialized: bool, uses: &mut Uses) -> TokenStream {
    uses.wire_object = true;
    let name = ident(&model.name);
    let doc = docs(&model.docs);
    let fields: Vec<TokenStream> = if serialized {
        uses.serialize = true;
        model
            .fields
            .iter()
            .map(|field| {
                uses.note_type(&field.ty);
                let doc = docs(&field.docs);
                let member = field.ident.to_token();
                let ty = field_type(field, model.side, true);
                let wire = &field.wire;
                let skip = if is_collection(&field.ty) {
                    quote!(skip_serializing_if = "is_empty_collection",)
                } else {
                    quote!(skip_serializing_if = "Option::is_none",)
                };
                let skip = match &field.ty {
                    RustType::List(_) => quote!(skip_serializing_if = "Vec::is_empty",),
                    RustType::Map(_) => quote!(skip_serializing_if = "BTreeMap::is_empty",),
                    _ => skip,
                };
                quote! {
                    #doc
                    #[serde(rename = #wire, #skip)]
                    pub #member: #ty,
                }
            })
            .collect()
    } else {
        struct_fields(model, true, uses)
    };
    let serialize = if serialized {
        quote!(Serialize,)
    } else {
        quote!()
    };
    let setters = model.fields.iter().map(|field| {
        let member = field.ident.to_token();
        let doc = docs(&format!(
            "Sets [`{}`](Self::{}).",
            field.ident.text, field.ident.text
        ));
        let (params, conversion) = setter_signature(field);
        quote! {
            #doc
            pub fn #member(mut self, #params) -> Self {
                self.#member = #conversion;
                self
            }
        }
    });
    let pushes = model.fields.iter().map(|field| {
        let format = format!("{{prefix}}.{}", field.wire);
        push_field(
            field,
            quote!(&format!(#format)),
            is_optional(field, Side::Request, true),
        )
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, false, true, uses);
    quote! {
        #doc
        #[derive(Clone, #derive_debug Default, PartialEq, #serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#setters)*
        }

        impl WireObject for #name {
            fn write_params(&self, prefix: &str, _location: Location, params: &mut Params) {
                #(#pushes)*
            }
        }

        #debug
    }
}

/// serde's `PascalCase` renaming of a snake_case field name.
fn serde_pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn response_struct(model: &StructModel, uses: &mut Uses) -> TokenStream {
    let name = ident(&model.name);
    let doc = docs(&model.docs);
    let fields = model
        .fields
        .iter()
        .map(|field| {
            uses.note_type(&field.ty);
            let doc = docs(&field.docs);
            let member = field.ident.to_token();
            let ty = field_type(field, Side::Response, false);
            let mut serde_args = Vec::new();
            if serde_pascal(&field.ident.text) != field.wire {
                let wire = &field.wire;
                serde_args.push(quote!(rename = #wire));
            }
            match &field.ty {
                RustType::List(_) => {
                    uses.wire_module = true;
                    serde_args.push(quote!(default, deserialize_with = "wire::list"));
                }
                RustType::Map(_) => serde_args.push(quote!(default)),
                ty if ty.is_lenient_scalar() && field.required => {
                    uses.wire_module = true;
                    serde_args.push(quote!(deserialize_with = "wire::lenient_required"));
                }
                ty if ty.is_lenient_scalar() => {
                    uses.wire_module = true;
                    serde_args.push(quote!(default, deserialize_with = "wire::lenient"));
                }
                _ => {}
            }
            let serde_attr = if serde_args.is_empty() {
                quote!()
            } else {
                quote!(#[serde(#(#serde_args),*)])
            };
            quote! {
                #doc
                #serde_attr
                pub #member: #ty,
            }
        })
        .collect::<Vec<_>>();
    let can_default = model.fields.iter().all(|field| {
        !field.required
            || matches!(
                field.ty,
                RustType::String
                    | RustType::I32
                    | RustType::I64
                    | RustType::Bool
                    | RustType::F64
                    | RustType::Any
                    | RustType::List(_)
                    | RustType::Map(_)
            )
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, false, false, uses);
    let derive_default = if can_default {
        quote!(Default,)
    } else {
        quote!()
    };
    let rename_all = if model.fields.is_empty() {
        quote!()
    } else {
        quote!(#[serde(rename_all = "PascalCase")])
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug #derive_default Deserialize, PartialEq)]
        #rename_all
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #debug
    }
}

fn enum_type(model: &EnumModel, uses: &mut Uses) -> TokenStream {
    uses.wire_enum = true;
    let name = ident(&model.name);
    let doc = docs(&format!(
        "{}\n\nA value this SDK does not know yet arrives as [`{}::Unknown`] instead of failing the response.",
        model.docs, model.name
    ));
    let variants = model.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let text = match &variant.docs {
            Some(d) => format!("`{}`: {d}", variant.value),
            None => format!("`{}`", variant.value),
        };
        let doc = docs(&text);
        quote! { #doc #variant_name, }
    });
    let mapping = model.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = Literal::string(&variant.value);
        quote!(#variant_name = #value)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know.
            Unknown(UnknownValue),
        }

        wire_enum!(#name { #(#mapping),* });
    }
}

fn fluent_builder(op: &OperationModel) -> TokenStream {
    let fluent = ident(&op.fluent_name());
    let builder = ident(&op.builder_name());
    let response = ident(&op.response.name);
    let doc = docs(&format!(
        "Sends [`{}`]; returned by [`Client::{}`](crate::Client::{}).",
        op.request.name, op.method.text, op.method.text
    ));
    let setters = op.request.fields.iter().map(|field| {
        let name = field.ident.to_token();
        let doc = docs(&format!(
            "Sets [`{}`]({}::{}).",
            field.ident.text, op.request.name, field.ident.text
        ));
        let (params, _) = setter_signature(field);
        let argument = setter_argument(field);
        quote! {
            #doc
            pub fn #name(mut self, #params) -> Self {
                self.inner = self.inner.#name(#argument);
                self
            }
        }
    });
    let paginator = op.pagination.as_ref().map(|_| {
        let paginator = ident(&op.paginator_name());
        quote! {
            /// Turns this call into a paginator over every page, starting at the page set here.
            pub fn into_paginator(self) -> #paginator {
                #paginator {
                    handle: self.handle,
                    request: self.inner.build(),
                    options: self.options,
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #fluent {
            handle: Handle,
            inner: #builder,
            options: CallOptions,
        }

        impl #fluent {
            pub(crate) fn new(handle: Handle) -> Self {
                Self { handle, inner: #builder::default(), options: CallOptions::default() }
            }

            #(#setters)*

            /// Overrides the client's timeout or retry policy for this call.
            pub fn options(mut self, options: CallOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and waits for the response.
            pub async fn send(self) -> Result<#response, Error> {
                let request = self.inner.build()?;
                self.handle.invoke(&OPERATION, request.to_params(), &self.options).await
            }

            #paginator
        }
    }
}

/// An integer request field as `i64`; `default` (an `i64` expression) when it is unset.
fn as_i64(field: TokenStream, ty: &RustType, required: bool, default: TokenStream) -> TokenStream {
    match (ty, required) {
        (RustType::I64, true) => field,
        (_, true) => quote!(i64::from(#field)),
        (RustType::I64, false) => quote!(#field.unwrap_or(#default)),
        (_, false) => quote!(#field.map_or(#default, i64::from)),
    }
}

/// `page.a.as_ref()?.b` style access through optional structs, ending with the last member.
fn path_access(steps: &[PathStep], owned: bool) -> TokenStream {
    let mut expr = quote!(page);
    for (index, step) in steps.iter().enumerate() {
        let member = step.ident.to_token();
        let last = index + 1 == steps.len();
        expr = if last || step.required {
            quote!(#expr.#member)
        } else if owned {
            quote!(#expr.#member?)
        } else {
            quote!(#expr.#member.as_ref()?)
        };
    }
    expr
}

fn paginator(op: &OperationModel, pagination: &PaginationModel) -> TokenStream {
    if let Cursor::NextToken {
        token,
        required,
        next,
    } = &pagination.cursor
    {
        return token_paginator(op, pagination, token, *required, next);
    }
    let paginator = ident(&op.paginator_name());
    let request = ident(&op.request.name);
    let response = ident(&op.response.name);
    let item = base_type(&pagination.item_type);
    let doc = docs(&format!(
        "Every page of [`Client::{}`](crate::Client::{}), fetched as the stream is polled; made by [`{}::into_paginator`].\n\nPaging stops at the reported total or at an empty page.",
        op.method.text,
        op.method.text,
        op.fluent_name()
    ));

    let items_access = path_access(&pagination.items, false);
    let items_owned = path_access(&pagination.items, true);
    let total_access = path_access(&pagination.total, false);
    let total_step = pagination.total.last();
    let total_optional = total_step.is_some_and(|s| !s.required);
    let total_i32 = total_step.is_some_and(|s| s.ty == RustType::I32);
    let total_expr = match (total_optional, total_i32) {
        (true, true) => quote!(Some(#total_access?.into())),
        (true, false) => quote!(#total_access),
        (false, true) => quote!(Some(#total_access.into())),
        (false, false) => quote!(Some(#total_access)),
    };

    let advance = match &pagination.cursor {
        Cursor::PageNumber {
            page,
            required: true,
            ..
        } => quote!(|request, _items| request.#page += 1),
        Cursor::PageNumber {
            page,
            required: false,
            ..
        } => {
            quote!(|request, _items| request.#page = Some(request.#page.unwrap_or(1) + 1))
        }
        Cursor::NextToken { .. } => unreachable!("token paging is rendered by token_paginator"),
        Cursor::StartIndex {
            start,
            start_type,
            required,
        } => {
            let ty = base_type(start_type);
            let step = quote!(#ty::try_from(items).unwrap_or(#ty::MAX));
            if *required {
                quote!(|request, items| request.#start += #step)
            } else {
                quote!(|request, items| request.#start = Some(request.#start.unwrap_or(0) + #step))
            }
        }
    };

    let offset = match &pagination.cursor {
        Cursor::PageNumber {
            page,
            required,
            page_type,
            size,
            size_required,
            size_type,
        } => {
            let page = as_i64(quote!(request.#page), page_type, *required, quote!(1));
            let size = as_i64(
                quote!(request.#size),
                size_type,
                *size_required,
                quote!(page_size),
            );
            quote!(|request, page_size| (#page - 1) * #size)
        }
        Cursor::NextToken { .. } => unreachable!("token paging is rendered by token_paginator"),
        Cursor::StartIndex {
            start,
            start_type,
            required,
        } => {
            let start = as_i64(quote!(request.#start), start_type, *required, quote!(0));
            quote!(|request, _page_size| #start)
        }
    };

    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #paginator {
            handle: Handle,
            request: Result<#request, BuildError>,
            options: CallOptions,
        }

        /// How pages of this operation are read and advanced.
        const PAGE_SHAPE: PageShape<#request, #response, #item> = PageShape {
            to_params: #request::to_params,
            offset: #offset,
            item_count: |page| Some(#items_access.len()),
            total: |page| #total_expr,
            into_items: |page| Some(#items_owned),
            advance: #advance,
        };

        impl #paginator {
            /// Every page, in order.
            pub fn pages(self) -> impl Stream<Item = Result<#response, Error>> + Send + 'static {
                let request = self.request.map_err(Error::from);
                pagination::pages(self.handle, &OPERATION, self.options, request, PAGE_SHAPE)
            }

            /// Every item of every page, in order.
            pub fn items(self) -> impl Stream<Item = Result<#item, Error>> + Send + 'static {
                let request = self.request.map_err(Error::from);
                pagination::items(self.handle, &OPERATION, self.options, request, PAGE_SHAPE)
            }
        }
    }
}

/// The paginator of a token-paged operation (`NextToken`/`MaxResults`).
fn token_paginator(
    op: &OperationModel,
    pagination: &PaginationModel,
    token: &crate::names::Ident,
    required: bool,
    next: &[PathStep],
) -> TokenStream {
    let paginator = ident(&op.paginator_name());
    let request = ident(&op.request.name);
    let response = ident(&op.response.name);
    let item = base_type(&pagination.item_type);
    let doc = docs(&format!(
        "Every page of [`Client::{}`](crate::Client::{}), fetched as the stream is polled; made by [`{}::into_paginator`].\n\nPaging follows `{}` until the service returns none; a token returned twice ends the stream with an error.",
        op.method.text,
        op.method.text,
        op.fluent_name(),
        pagination.total_wire,
    ));
    let items_owned = path_access(&pagination.items, true);
    let next_access = path_access(next, false);
    let next_optional = next.last().is_some_and(|s| !s.required);
    let next_expr = if next_optional {
        quote!(#next_access.as_deref())
    } else {
        quote!(Some(#next_access.as_str()))
    };
    let (token_expr, set_token) = if required {
        (
            quote!(|request| Some(request.#token.as_str())),
            quote!(|request, token| request.#token = token),
        )
    } else {
        (
            quote!(|request| request.#token.as_deref()),
            quote!(|request, token| request.#token = Some(token)),
        )
    };
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #paginator {
            handle: Handle,
            request: Result<#request, BuildError>,
            options: CallOptions,
        }

        /// How pages of this operation are read and advanced.
        const TOKEN_SHAPE: TokenShape<#request, #response, #item> = TokenShape {
            to_params: #request::to_params,
            next_token: |page| #next_expr,
            token: #token_expr,
            set_token: #set_token,
            into_items: |page| Some(#items_owned),
        };

        impl #paginator {
            /// Every page, in order.
            pub fn pages(self) -> impl Stream<Item = Result<#response, Error>> + Send + 'static {
                let request = self.request.map_err(Error::from);
                token_pagination::pages(self.handle, &OPERATION, self.options, request, TOKEN_SHAPE)
            }

            /// Every item of every page, in order.
            pub fn items(self) -> impl Stream<Item = Result<#item, Error>> + Send + 'static {
                let request = self.request.map_err(Error::from);
                token_pagination::items(self.handle, &OPERATION, self.options, request, TOKEN_SHAPE)
            }
        }
    }
}

/// The `ServiceInfo { .. }` literal of a product; `version` is the expression to use for
/// the API version.
fn service_info(model: &CrateModel, version: TokenStream) -> TokenStream {
    let service = &model.service;
    let product = &service.product;
    let signature = match service.signature {
        Signature::V1 => quote!(SignatureVersion::V1),
        Signature::V3 => quote!(SignatureVersion::V3),
    };
    let global = match &service.global_endpoint {
        Some(host) => quote!(Some(#host)),
        None => quote!(None),
    };
    let regional = service
        .regional_endpoints
        .iter()
        .map(|(region, host)| quote!((#region, #host)));
    let rule = match &service.endpoint_rule {
        Some(rule) => quote!(Some(#rule)),
        None => quote!(None),
    };
    quote! {
        ServiceInfo {
            product: #product,
            version: #version,
            signature: #signature,
            global_endpoint: #global,
            regional_endpoints: &[#(#regional),*],
            endpoint_rule: #rule,
        }
    }
}

/// Renders `client.rs`: the service description and the client with one method per
/// operation.
pub fn client_module(model: &CrateModel) -> TokenStream {
    let service = &model.service;
    let service_literal = service_info(model, quote!(crate::API_VERSION));
    let client_doc = docs(&format!(
        "Client for {} (`{}`), API version {}.\n\n\
         One client holds one connection pool; clones share it. Each method starts a \
         request builder; `.send().await` sends it.",
        service.title, service.product, service.version
    ));
    let methods = model.operations.iter().map(|op| {
        let method = op.method.to_token();
        let fluent = ident(&op.fluent_name());
        let module = op.method.to_token();
        let doc = docs(&format!(
            "{}\n\nSee [`{}`](crate::{}).",
            op.summary, op.method.text, op.method.text
        ));
        quote! {
            #doc
            pub fn #method(&self) -> #module::#fluent {
                #module::#fluent::new(self.handle.clone())
            }
        }
    });
    let modules = model.operations.iter().map(|op| op.method.to_token());
    quote! {
        //! The client and the service description it resolves endpoints from.

        use alibabacloud_core::{Config, Error, Handle, ServiceInfo, SignatureVersion};

        use crate::{#(#modules),*};

        /// Product, version, signature and endpoints of this API, from its `service.yaml`.
        pub(crate) static SERVICE: ServiceInfo = #service_literal;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: Handle,
        }

        impl Client {
            /// Builds a client: resolves the endpoint (explicit endpoint, else the region's,
            /// else the global one) and opens a connection pool.
            pub fn new(config: &Config) -> Result<Self, Error> {
                Ok(Self { handle: Handle::new(config, &SERVICE)? })
            }

            /// The endpoint this client sends to, as `scheme://host[:port]`.
            pub fn endpoint(&self) -> String {
                self.handle.endpoint()
            }

            #(#methods)*
        }
    }
}

/// Renders `lib.rs`.
pub fn lib_module(model: &CrateModel) -> TokenStream {
    let service = &model.service;
    let version = &service.version;
    let lib_name = model.package.replace('-', "_");
    let mut text = format!("# {} API {}\n\n", service.title, service.version);
    if let Some(description) = &service.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    let example_op = model
        .operations
        .iter()
        .find(|op| op.request.fields.iter().all(|f| !f.required))
        .or(model.operations.first());
    if let Some(op) = example_op {
        text.push_str(&format!(
            "```no_run\n\
             use {lib_name}::{{Client, Config, Credentials}};\n\n\
             # async fn example() -> Result<(), {lib_name}::Error> {{\n\
             let config = Config::builder()\n    \
                 .region(\"cn-hangzhou\")\n    \
                 .credentials(Credentials::new(\"<access key id>\", \"<access key secret>\"))\n    \
                 .build();\n\
             let client = Client::new(&config)?;\n\
             let response = client.{}().send().await?;\n\
             # let _ = response;\n\
             # Ok(())\n\
             # }}\n\
             ```\n\n",
            op.method.text
        ));
    }
    text.push_str("## Operations\n");
    for op in &model.operations {
        let first_line = op.summary.lines().next().unwrap_or_default();
        text.push_str(&format!("\n- [`Client::{}`]: {first_line}", op.method.text));
    }
    let crate_doc = inner_docs(&text);
    let modules = model.operations.iter().map(|op| {
        let module = op.method.to_token();
        quote! {
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[rustfmt::skip]
        mod client;
        #(#modules)*

        pub use alibabacloud_core::{CallOptions, Config, Credentials, Error, SignatureVersion};
        pub use client::Client;

        /// The API version every operation of this crate is sent with.
        pub const API_VERSION: &str = #version;
    }
}

fn param_kind(field: &FieldModel) -> TokenStream {
    if field.style == ParamStyle::Json {
        return quote!(ParamType::Json);
    }
    match &field.ty {
        RustType::String | RustType::Enum(_) => quote!(ParamType::String),
        RustType::I32 => quote!(ParamType::Int32),
        RustType::I64 | RustType::EpochMillis | RustType::EpochSeconds => quote!(ParamType::Int64),
        RustType::Bool => quote!(ParamType::Bool),
        RustType::F64 => quote!(ParamType::String),
        RustType::Any => quote!(ParamType::Json),
        RustType::List(_) => quote!(ParamType::List),
        RustType::Map(_) | RustType::Struct(_) => quote!(ParamType::Object),
    }
}

fn catalog_operation(op: &OperationModel) -> TokenStream {
    let operation = operation_literal(op, {
        let version = &op.version;
        quote!(#version)
    });
    let summary = &op.summary;
    let params = op.request.fields.iter().map(|field| {
        let name = &field.wire;
        let kind = param_kind(field);
        let required = field.required;
        let location = location(field);
        let values: Vec<&str> = match &field.ty {
            RustType::Enum(name) => op
                .enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.variants.iter().map(|v| v.value.as_str()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let description = &field.docs;
        let sensitive = field.sensitive;
        quote! {
            ParamInfo {
                name: #name,
                kind: #kind,
                required: #required,
                location: #location,
                values: &[#(#values),*],
                description: #description,
                sensitive: #sensitive,
            }
        }
    });
    let pagination = match &op.pagination {
        Some(p) => {
            let cursor = &p.cursor_wire;
            let offset = matches!(p.cursor, Cursor::StartIndex { .. });
            let token = matches!(p.cursor, Cursor::NextToken { .. });
            let page_size = match &p.page_size_wire {
                Some(size) => quote!(Some(#size)),
                None => quote!(None),
            };
            let total = &p.total_wire;
            let items = &p.items_wire;
            quote! {
                Some(PagingInfo {
                    cursor: #cursor,
                    offset: #offset,
                    token: #token,
                    page_size: #page_size,
                    total: #total,
                    items: #items,
                })
            }
        }
        None => quote!(None),
    };
    let rate_limit = match op.rate_limit_per_second {
        Some(calls) => quote!(Some(#calls)),
        None => quote!(None),
    };
    let errors = op
        .errors
        .iter()
        .map(|(code, status)| quote!((#code, #status)));
    quote! {
        OperationInfo {
            operation: #operation,
            summary: #summary,
            params: &[#(#params),*],
            pagination: #pagination,
            rate_limit_per_second: #rate_limit,
            errors: &[#(#errors),*],
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
        let operations = operations.into_iter().map(catalog_operation);
        quote! {
            ProductInfo {
                code: #code,
                title: #title,
                service: &#service,
                operations: &[#(#operations),*],
            }
        }
    });
    quote! {
        //! Every product and operation described by the specs, for tools that work on any
        //! operation by name: the `alicloud` CLI and the local emulator.

        #![forbid(unsafe_code)]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        use alibabacloud_core::catalog::{OperationInfo, PagingInfo, ParamInfo, ParamType, ProductInfo};
        use alibabacloud_core::operation::{Auth, BodyFormat, HttpMethod, Location, Operation, Style};
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
