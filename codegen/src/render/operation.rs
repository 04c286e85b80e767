//! An operation's module: its `Operation` constant, request struct, and the request builder
//! that also sends.

use super::*;

/// Renders the module of one operation.
pub fn operation_module(op: &OperationModel) -> TokenStream {
    let mut uses = Uses::default();
    let mut items = vec![
        operation_const(op),
        request_struct(op, &op.request, &mut uses),
        request_builder(op, &op.request, &mut uses),
        response_struct(&op.response, &mut uses),
    ];
    for nested in &op.structs {
        items.push(match nested.side {
            Side::Request => nested_request_struct(nested, &mut uses),
            Side::Response => response_struct(nested, &mut uses),
        });
    }
    for model in &op.enums {
        items.push(enum_type(model, &mut uses));
    }
    if let Some(pagination) = &op.pagination {
        items.push(paginator(op, pagination));
    }
    if !op.waiters.is_empty() {
        items.push(waiters(op));
    }
    if !op.errors.is_empty() {
        items.push(error_code_module(op));
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
    if !op.waiters.is_empty() {
        std_uses.push(quote!(
            use std::time::Duration;
        ));
    }
    let mut operation_items = vec![quote!(Auth), quote!(BodyFormat), quote!(HttpMethod)];
    if !op.request.fields.is_empty() {
        operation_items.push(quote!(Location));
    }
    operation_items.push(quote!(Operation));
    if uses.param_value {
        operation_items.push(quote!(ParamValue));
    }
    operation_items.extend([quote!(Params), quote!(Style)]);
    let mut wire_items = Vec::new();
    if uses.decimal {
        wire_items.push(quote!(Decimal));
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

    let pagination_uses = op.pagination.as_ref().map(|p| match p.paging {
        Paging::Token { .. } => quote!(
            use alibabacloud_core::token_pagination::{self, TokenShape};
        ),
        Paging::Counted { .. } => quote!(
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
            use serde::Serialize;
        )
    } else {
        quote!()
    };
    let waiter_use = if op.waiters.is_empty() {
        quote!()
    } else {
        quote!(
            use alibabacloud_core::waiter::{WaitRule, Waiter};
        )
    };
    // Every type the operation uses is reachable through its module, by its name: the
    // shared ones defined elsewhere are re-exported, from `types` first.
    let mut homes: BTreeMap<&Home, Vec<&str>> = BTreeMap::new();
    for (name, home) in &op.shared {
        homes.entry(home).or_default().push(name);
    }
    let shared_use = homes.iter().map(|(home, names)| {
        let module = match home {
            Home::Types => quote!(types),
            Home::Operation(method) => ident(method).into_token_stream(),
        };
        let names = names.iter().map(|name| ident(name));
        if names.len() == 1 {
            quote!(pub use crate::#module::#(#names)*;)
        } else {
            quote!(pub use crate::#module::{#(#names),*};)
        }
    });
    let macros = macro_names(&uses);
    quote! {
        #module_doc

        #(#std_uses)*

        use alibabacloud_core::operation::{#(#operation_items),*};
        #pagination_uses
        #waiter_use
        #wire_use
        use alibabacloud_core::{BuildError, CallOptions, Error, Handle, Sender, #(#macros),*};
        #futures_use
        #serde_use

        #(#shared_use)*

        #(#items)*
    }
}

/// `pub mod error_code`: one constant per documented error code, so that a caller matches
/// `error.code() == Some(error_code::NOT_FOUND_ORDER)` rather than a string.
fn error_code_module(op: &OperationModel) -> TokenStream {
    let constants = op.errors.iter().map(|error| {
        let name = ident(&error.const_name);
        let code = &error.code;
        let doc = docs(&match &error.description {
            Some(meaning) => format!("{meaning} (HTTP {})", error.http_status),
            None => format!("`{code}` (HTTP {})", error.http_status),
        });
        quote! {
            #doc
            pub const #name: &str = #code;
        }
    });
    let doc = docs(&format!(
        "The error codes the documentation lists for {}, as \
         [`Error::code`](alibabacloud_core::Error::code) returns them; the gateway's own codes \
         are in [`alibabacloud_core::error::codes`].",
        op.action
    ));
    quote! {
        #doc
        pub mod error_code {
            #(#constants)*
        }
    }
}

pub(super) fn operation_const(op: &OperationModel) -> TokenStream {
    let literal = operation_literal(op, quote!(crate::API_VERSION));
    quote! {
        /// How the runtime sends this operation.
        const OPERATION: Operation = #literal;
    }
}

/// The `Operation { .. }` literal; `version` is the expression for the API version.
pub(super) fn operation_literal(op: &OperationModel, version: TokenStream) -> TokenStream {
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
    let client_token = match op.client_token {
        Some(Location::Query) => quote!(Some(Location::Query)),
        Some(Location::Body) => quote!(Some(Location::Body)),
        None => quote!(None),
    };
    let sensitive = op
        .request
        .fields
        .iter()
        .filter(|f| f.sensitive)
        .map(|f| f.wire.as_str());
    quote! {
        Operation {
            action: #action,
            version: #version,
            method: #method,
            style: Style::Rpc,
            path: #path,
            body: #body,
            read_only: #read_only,
            client_token: #client_token,
            sensitive: &[#(#sensitive),*],
            auth: #auth,
        }
    }
}

pub(super) fn location(field: &FieldModel) -> TokenStream {
    match field.location {
        Location::Query => quote!(Location::Query),
        Location::Body => quote!(Location::Body),
    }
}

/// The statement that writes one field into `params`: `name` is the wire-name expression
/// and `location` the location expression (the field's own at the top of a request, the
/// enclosing parameter's inside a request object).
pub(super) fn push_field(
    field: &FieldModel,
    name: TokenStream,
    location: TokenStream,
) -> TokenStream {
    let member = field.ident.to_token();
    let separator = match field.style {
        ParamStyle::Json => {
            return if is_collection(&field.ty) {
                quote! {
                    if !self.#member.is_empty() {
                        params.push_json(#location, #name, &self.#member);
                    }
                }
            } else if field.optional {
                quote! {
                    if let Some(value) = &self.#member {
                        params.push_json(#location, #name, value);
                    }
                }
            } else {
                quote!(params.push_json(#location, #name, &self.#member);)
            };
        }
        ParamStyle::Simple => ",",
        ParamStyle::SpaceDelimited => " ",
        ParamStyle::PipeDelimited => "|",
        ParamStyle::RepeatList | ParamStyle::Flat => "",
    };
    if !separator.is_empty() && matches!(field.ty, RustType::List(_)) {
        return quote!(params.push_joined(#location, #name, &self.#member, #separator););
    }
    quote!(params.write(#location, #name, &self.#member);)
}

pub(super) fn request_struct(
    op: &OperationModel,
    model: &StructModel,
    uses: &mut Uses,
) -> TokenStream {
    let name = ident(&model.name);
    let builder = ident(&op.builder_name());
    let doc = docs(&format!(
        "{}\n\nBuild one with [`{}::builder`], or let [`Client::{}`](crate::Client::{}) do it.",
        model.docs, model.name, op.method.text, op.method.text
    ));
    let fields = struct_fields(model, uses);
    let pushes = model.fields.iter().map(|field| {
        let wire = &field.wire;
        push_field(field, quote!(#wire), location(field))
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, uses);
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
pub(super) fn setter_signature(field: &FieldModel) -> (TokenStream, TokenStream) {
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

pub(super) fn request_builder(
    op: &OperationModel,
    model: &StructModel,
    uses: &mut Uses,
) -> TokenStream {
    let builder_name = op.builder_name();
    let builder = ident(&builder_name);
    let fluent = ident(&op.fluent_name());
    let request = ident(&model.name);
    let response = ident(&op.response.name);
    let action = &op.action;
    let doc = docs(&format!(
        "Builder for [`{}`]. Made by [`{}::builder`], it builds the request; made by [`Client::{}`](crate::Client::{}) (as [`{}`]), it also sends it.",
        model.name,
        model.name,
        op.method.text,
        op.method.text,
        op.fluent_name()
    ));
    let fluent_doc = docs(&format!(
        "Sends [`{}`]; returned by [`Client::{}`](crate::Client::{}).",
        model.name, op.method.text, op.method.text
    ));
    let fields = model.fields.iter().map(|field| {
        let name = field.ident.to_token();
        let ty = base_type(&field.ty);
        if is_collection(&field.ty) {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        }
    });
    let empty_fields = unset_fields(model);
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
    let debug = if model.has_sensitive() {
        uses.fmt = true;
        let entries = model.fields.iter().map(|field| {
            let label = field.ident.text.as_str();
            let member = field.ident.to_token();
            if !field.sensitive {
                quote!(.field(#label, &self.#member))
            } else if is_collection(&field.ty) {
                quote!(.field(#label, &#REDACTED))
            } else {
                quote!(.field(#label, &self.#member.as_ref().map(|_| #REDACTED)))
            }
        });
        quote! {
            impl<S> fmt::Debug for #builder<S> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.debug_struct(#builder_name)
                        #(#entries)*
                        .finish()
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = if model.has_sensitive() {
        quote!()
    } else {
        quote!(Debug,)
    };
    let paginator = op.pagination.as_ref().map(|_| {
        let paginator = ident(&op.paginator_name());
        quote! {
            /// Turns this call into a paginator over every page, starting at the page set here.
            pub fn into_paginator(self) -> #paginator {
                let (handle, options) = self.sender.clone().into_parts();
                #paginator {
                    handle,
                    request: self.build(),
                    options,
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, #derive_debug Default)]
        pub struct #builder<S = ()> {
            sender: S,
            #(#fields)*
        }

        #fluent_doc
        pub type #fluent = #builder<Sender>;

        impl<S> #builder<S> {
            #(#setters)*

            /// Builds the request, or names the first required parameter that is not set.
            pub fn build(self) -> Result<#request, BuildError> {
                Ok(#request {
                    #(#assignments)*
                })
            }
        }

        impl #fluent {
            pub(crate) fn new(handle: Handle) -> Self {
                Self {
                    sender: Sender::new(handle),
                    #(#empty_fields)*
                }
            }

            /// Replaces this call's options (timeouts, retries, endpoint, headers, ...).
            pub fn options(mut self, options: CallOptions) -> Self {
                self.sender.set_options(options);
                self
            }

            /// Changes this call's options: `.customize(|o| o.read_timeout(d).header(k, v))`.
            pub fn customize(mut self, change: impl FnOnce(CallOptions) -> CallOptions) -> Self {
                self.sender.customize(change);
                self
            }

            /// Sends the request and waits for the response.
            pub async fn send(self) -> Result<#response, Error> {
                let sender = self.sender.clone();
                let request = self.build()?;
                sender.invoke(&OPERATION, request.to_params()).await
            }

            #paginator
        }

        #debug
    }
}

/// The waiting builder of an operation with `waiters`: the request builder carrying a
/// core `Waiter`, one `WaitRule` per waiter, and `send()` that polls.
fn waiters(op: &OperationModel) -> TokenStream {
    let builder = ident(&op.builder_name());
    let waiter = ident(&op.waiter_name());
    let response = ident(&op.response.name);
    let empty_fields = unset_fields(&op.request);
    let doc = docs(&format!(
        "Waits for [`Client::{}`](crate::Client::{}) to report a state; returned by the client's `wait_until_…` methods. Set the request's parameters, then `send()` polls until a success state (the last response), a failure state or the wait limit (an error that carries the last state seen).",
        op.method.text, op.method.text
    ));
    let rules = op.waiters.iter().map(|w| {
        let rule = ident(&w.rule);
        let rule_doc = docs(&format!(
            "Waits until `{}` is {}{}.",
            w.path_wire,
            one_of(&w.success),
            if w.failure.is_empty() {
                String::new()
            } else {
                format!("; fails on {}", one_of(&w.failure))
            }
        ));
        let literal = wait_rule_literal(w);
        quote! {
            #rule_doc
            pub(crate) static #rule: WaitRule = #literal;
        }
    });
    // Every waiter of one operation matches the same kind of field; the state closure
    // of each rule is chosen by its path.
    let arms = op.waiters.iter().map(|w| {
        let name = &w.name;
        let access = path_access(&w.path, false);
        let last_optional = w.path.last().is_some_and(|s| !s.required);
        let state = if last_optional {
            quote!(#access.as_ref().map(ToString::to_string))
        } else {
            quote!(Some(#access.to_string()))
        };
        quote!(#name => |page: &#response| -> Option<String> { #state },)
    });
    quote! {
        #(#rules)*

        #doc
        pub type #waiter = #builder<Waiter>;

        impl #waiter {
            pub(crate) fn waiting(handle: Handle, rule: &'static WaitRule) -> Self {
                Self {
                    sender: Waiter::new(handle, rule),
                    #(#empty_fields)*
                }
            }

            /// Sets the overall wait limit (the waiter's default otherwise).
            pub fn max_wait(mut self, limit: Duration) -> Self {
                self.sender.set_max_wait(limit);
                self
            }

            /// Sets the smallest and the largest delay between two polls.
            pub fn poll_delays(mut self, min: Duration, max: Duration) -> Self {
                self.sender.set_delays(min, max);
                self
            }

            /// Overrides the client's timeout or retry policy for each poll.
            pub fn options(mut self, options: CallOptions) -> Self {
                self.sender.set_options(options);
                self
            }

            /// Polls until a success state and returns that response, or fails on a
            /// failure state or when the wait limit passes.
            pub async fn send(self) -> Result<#response, Error> {
                let waiter = self.sender.clone();
                let state: fn(&#response) -> Option<String> = match waiter.rule().name {
                    #(#arms)*
                    _ => |_| None,
                };
                let request = self.build()?;
                waiter.wait(&OPERATION, request.to_params(), state).await
            }
        }
    }
}

/// `` `a` `` or `` `a`, `b` or `c` `` for docs.
/// A `WaitRule { .. }` literal: what one waiter matches and how it paces its polls (the
/// generated crate's rule and the catalog's carry the same literal).
pub(super) fn wait_rule_literal(w: &WaiterModel) -> TokenStream {
    let name = &w.name;
    let path = &w.path_wire;
    let success = &w.success;
    let failure = &w.failure;
    let (min, max, limit) = (w.min_delay_seconds, w.max_delay_seconds, w.max_wait_seconds);
    quote! {
        WaitRule {
            name: #name,
            path: #path,
            success: &[#(#success),*],
            failure: &[#(#failure),*],
            min_delay: Duration::from_secs(#min),
            max_delay: Duration::from_secs(#max),
            max_wait: Duration::from_secs(#limit),
        }
    }
}

pub(super) fn one_of(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The field initialisers of a request builder with nothing set.
fn unset_fields(model: &StructModel) -> Vec<TokenStream> {
    model
        .fields
        .iter()
        .map(|field| {
            let name = field.ident.to_token();
            if is_collection(&field.ty) {
                quote!(#name: Default::default(),)
            } else {
                quote!(#name: None,)
            }
        })
        .collect()
}
