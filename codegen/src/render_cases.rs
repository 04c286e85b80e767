//! The test table of every generated operation (`tests/generated/operations.rs`): for each
//! one, a function that parses a response body into its generated type, and one that
//! builds its request with every parameter set. The tests compare both against the API
//! metadata, so the table lists operations without anyone writing the list by hand.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{CrateModel, OperationModel, RustType};

/// Renders the table over `crates`.
pub fn cases_module(crates: &[CrateModel]) -> TokenStream {
    let cases = crates.iter().flat_map(|model| {
        let krate = format_ident!("{}", model.package.replace('-', "_"));
        model
            .operations
            .iter()
            .map(move |op| case(model, &krate, op))
    });
    quote! {
        //! Every generated operation as a test case: parse a response body into the
        //! generated type, and build the request with every parameter set.

        // The table calls the operations the service deprecated too.
        #![allow(deprecated)]

        use std::future::Future;
        use std::pin::Pin;

        use alibabacloud_core::{Config, Error, Params};

        /// One operation.
        pub struct Case {
            /// Product code (`cas`).
            pub product: &'static str,
            /// API version.
            pub version: &'static str,
            /// Wire action.
            pub action: &'static str,
            /// Parses a response body; `Debug` of the value on success.
            pub parse: fn(&[u8]) -> Result<String, serde_json::Error>,
            /// The request with every parameter set: its wire parameters and its `Debug`.
            /// Text values are `v-<WireName>` (`n-<WireName>` inside objects).
            pub full_request: fn() -> (Params, String),
            /// The request with its required parameters, each scalar read from
            /// `value(wire name, Some(spec example))`, and each optional scalar that
            /// `value(wire name, None)` gives: its wire parameters.
            pub required_request: fn(&Value) -> Params,
            /// Sends that request through the generated client; `Debug` of the parsed
            /// response.
            pub send_required: fn(&Config, &Value) -> Sent,
        }

        /// The value of a parameter: `(wire name, Some(spec example))` for a required one,
        /// `(wire name, None)` for an optional one, which stays unset on `None`.
        pub type Value<'a> = dyn Fn(&str, Option<&str>) -> Option<String> + 'a;

        /// A typed call in flight.
        pub type Sent = Pin<Box<dyn Future<Output = Result<String, Error>> + Send>>;

        /// Every operation of every generated crate.
        pub const CASES: &[Case] = &[#(#cases),*];
    }
}

/// What a sample value needs to name types.
struct Cx<'a> {
    op: &'a OperationModel,
    krate: &'a proc_macro2::Ident,
    model: &'a CrateModel,
}

fn case(model: &CrateModel, krate: &proc_macro2::Ident, op: &OperationModel) -> TokenStream {
    let cx = Cx { op, krate, model };
    let product = &model.service.product;
    let version = &model.service.version;
    let action = &op.action;
    let module = op.method.to_token();
    let response = format_ident!("{}", op.response.name);
    let request = format_ident!("{}", op.request.name);
    let setters = op.request.fields.iter().map(|field| {
        let setter = field.ident.to_token();
        let value = sample(&field.ty, &field.wire, &cx, false);
        quote!(.#setter(#value))
    });
    let required: Vec<TokenStream> = op
        .request
        .fields
        .iter()
        .filter(|field| field.required)
        .map(|field| {
            let setter = field.ident.to_token();
            let value = required_value(&field.ty, &field.wire, &field.example, &cx);
            quote!(.#setter(#value))
        })
        .collect();
    // Optional scalars are set when the test has a value for them (a stored resource).
    let optional: Vec<TokenStream> = op
        .request
        .fields
        .iter()
        .filter(|field| !field.required)
        .filter_map(|field| {
            let setter = field.ident.to_token();
            let wire = &field.wire;
            let convert = scalar_from_text(&field.ty, quote!(text))?;
            Some(quote! {
                if let Some(text) = value(#wire, None) {
                    request = request.#setter(#convert);
                }
            })
        })
        .collect();
    let method = op.method.to_token();
    let value = if required.is_empty() && optional.is_empty() {
        quote!(_)
    } else {
        quote!(value)
    };
    let fluent = if optional.is_empty() {
        quote!(client.#method() #(#required)*)
    } else {
        quote!({
            let mut request = client.#method() #(#required)*;
            #(#optional)*
            request
        })
    };
    let start = if optional.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    // The request a client method starts, with the values the test has set on it.
    quote! {
        Case {
            product: #product,
            version: #version,
            action: #action,
            parse: |body| {
                serde_json::from_slice::<#krate::#module::#response>(body)
                    .map(|response| format!("{response:?}"))
            },
            full_request: || {
                let request = #krate::#module::#request::builder()
                    #(#setters)*
                    .build()
                    .expect("every parameter is set");
                (request.to_params(), format!("{request:?}"))
            },
            required_request: |#value| {
                #start = #krate::#module::#request::builder() #(#required)*;
                #(#optional)*
                request.build().expect("every required parameter is set").to_params()
            },
            send_required: |config, #value| {
                let call = #krate::Client::new(config).map(|client| #fluent);
                Box::pin(async move { call?.send().await.map(|response| format!("{response:?}")) })
            },
        }
    }
}

/// A required parameter's value from the test's `value(wire, Some(example))`: scalars and
/// lists of scalars convert the text; objects, maps and JSON values take the full sample.
fn required_value(ty: &RustType, wire: &str, example: &str, cx: &Cx<'_>) -> TokenStream {
    let text = quote!(value(#wire, Some(#example)).unwrap_or_default());
    match ty {
        RustType::List(inner) => match scalar_from_text(inner, text) {
            Some(one) => quote!([#one]),
            None => sample(ty, wire, cx, false),
        },
        ty => scalar_from_text(ty, text).unwrap_or_else(|| sample(ty, wire, cx, false)),
    }
}

/// Converts the `String` expression `text` into a setter value of scalar type `ty`
/// (`None` for lists, maps, structs and JSON values).
fn scalar_from_text(ty: &RustType, text: TokenStream) -> Option<TokenStream> {
    Some(match ty {
        RustType::String => quote!(#text),
        RustType::Enum(_) => quote!(#text.as_str()),
        RustType::I32 => quote!(#text.parse::<i32>().unwrap_or(1)),
        RustType::I64 => quote!(#text.parse::<i64>().unwrap_or(1)),
        RustType::Bool => quote!(#text.parse::<bool>().unwrap_or(true)),
        RustType::F64 => quote!(#text.parse::<f64>().unwrap_or(1.0)),
        RustType::Decimal => {
            quote!(#text.parse::<alibabacloud_core::wire::Decimal>().unwrap_or_default())
        }
        RustType::EpochMillis => {
            quote!(alibabacloud_core::wire::EpochMillis(#text.parse().unwrap_or(0)))
        }
        RustType::EpochSeconds => {
            quote!(alibabacloud_core::wire::EpochSeconds(#text.parse().unwrap_or(0)))
        }
        _ => return None,
    })
}

/// A value for a setter of type `ty`: text is `v-<wire>`, lists of scalars hold two
/// values, lists of objects one. `exact` when the value must have the type itself (a
/// list inside a list or a map), not just convert into it.
fn sample(ty: &RustType, wire: &str, cx: &Cx<'_>, exact: bool) -> TokenStream {
    sample_at(ty, wire, cx, exact, "v")
}

/// [`sample`] with the text prefix: `v` for the request's own parameters, `n` inside
/// objects, so a nested `Key` never reads like the parameter `Key`.
fn sample_at(ty: &RustType, wire: &str, cx: &Cx<'_>, exact: bool, prefix: &str) -> TokenStream {
    let krate = cx.krate;
    match ty {
        RustType::String => {
            let text = format!("{prefix}-{wire}");
            if exact {
                quote!(String::from(#text))
            } else {
                quote!(#text)
            }
        }
        RustType::Enum(name) => {
            let text = format!("{prefix}-{wire}");
            let ty = format_ident!("{name}");
            // The operation's module defines or re-exports every type it uses.
            let module = cx.op.method.to_token();
            if exact {
                quote!(#krate::#module::#ty::from(#text))
            } else {
                quote!(#text)
            }
        }
        RustType::I32 | RustType::I64 => quote!(7),
        RustType::Bool => quote!(true),
        RustType::F64 => quote!(1.5),
        RustType::Decimal => quote!(alibabacloud_core::wire::Decimal::new(1234, 2)),
        RustType::Any => quote!(serde_json::json!({ "k": "v" })),
        RustType::EpochMillis => quote!(alibabacloud_core::wire::EpochMillis(1)),
        RustType::EpochSeconds => quote!(alibabacloud_core::wire::EpochSeconds(1)),
        RustType::List(inner) => {
            let nested = matches!(**inner, RustType::List(_) | RustType::Map(_));
            let one = sample_at(inner, wire, cx, nested || exact, prefix);
            let items = if matches!(**inner, RustType::Struct(_)) {
                quote!(#one)
            } else {
                let two = sample_at(inner, wire, cx, nested || exact, prefix);
                quote!(#one, #two)
            };
            if exact {
                quote!(vec![#items])
            } else {
                quote!([#items])
            }
        }
        RustType::Map(inner) => {
            let nested = matches!(**inner, RustType::List(_) | RustType::Map(_));
            let value = sample_at(inner, wire, cx, nested || exact, prefix);
            if exact {
                quote!(std::collections::BTreeMap::from([(String::from("k"), #value)]))
            } else {
                quote!([("k", #value)])
            }
        }
        RustType::Struct(name) => {
            let ty = format_ident!("{name}");
            // The operation's module defines or re-exports every type it uses.
            let module = cx.op.method.to_token();
            let model = cx.model.struct_of(cx.op, name);
            let setters = model.into_iter().flat_map(|m| &m.fields).map(|field| {
                let setter = field.ident.to_token();
                let value = sample_at(&field.ty, &field.wire, cx, false, "n");
                quote!(.#setter(#value))
            });
            quote!(#krate::#module::#ty::default() #(#setters)*)
        }
    }
}
