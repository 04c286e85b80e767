//! The crate's `client.rs` (service description and `Client`) and `lib.rs`.

use super::*;

/// The `ServiceInfo { .. }` literal of a product; `version` is the expression to use for
/// the API version.
pub(super) fn service_info(model: &CrateModel, version: TokenStream) -> TokenStream {
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
    let rule = |rule: &Option<String>| match rule {
        Some(rule) => quote!(Some(#rule)),
        None => quote!(None),
    };
    let (rule, vpc_rule) = (
        rule(&service.endpoint_rule),
        rule(&service.vpc_endpoint_rule),
    );
    quote! {
        ServiceInfo {
            product: #product,
            version: #version,
            signature: #signature,
            global_endpoint: #global,
            regional_endpoints: &[#(#regional),*],
            endpoint_rule: #rule,
            vpc_endpoint_rule: #vpc_rule,
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
        let deprecated = op.deprecated.then(|| {
            quote!(#[deprecated(note = "deprecated by Alibaba Cloud; the service documents no successor")])
        });
        quote! {
            #doc
            #deprecated
            pub fn #method(&self) -> #module::#fluent {
                #module::#fluent::new(self.handle.clone())
            }
        }
    });
    let waiters = model.operations.iter().flat_map(|op| {
        op.waiters.iter().map(move |w| {
            let method = w.method.to_token();
            let module = op.method.to_token();
            let waiter = ident(&op.waiter_name());
            let rule = ident(&w.rule);
            let doc = docs(&format!(
                "Waits until [`{}`](crate::{}) reports `{}` as {}{}: polls every {} s at first, backing off to {} s, for at most {} s (`max_wait` changes it).",
                op.method.text,
                op.method.text,
                w.path_wire,
                one_of(&w.success),
                if w.failure.is_empty() {
                    String::new()
                } else {
                    format!(", and fails on {}", one_of(&w.failure))
                },
                w.min_delay_seconds,
                w.max_delay_seconds,
                w.max_wait_seconds
            ));
            quote! {
                #doc
                pub fn #method(&self) -> #module::#waiter {
                    #module::#waiter::waiting(self.handle.clone(), &#module::#rule)
                }
            }
        })
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

            #(#waiters)*
        }
    }
}

/// Renders `lib.rs`.
/// The operation the crate's examples call: the first that needs no parameter, else the
/// first.
pub(super) fn example_operation(model: &CrateModel) -> Option<&OperationModel> {
    model
        .operations
        .iter()
        .find(|op| op.request.fields.iter().all(|f| !f.required))
        .or(model.operations.first())
}

pub fn lib_module(model: &CrateModel) -> TokenStream {
    let service = &model.service;
    let version = &service.version;
    let lib_name = model.package.replace('-', "_");
    let mut text = format!("# {} API {}\n\n", service.title, service.version);
    if let Some(description) = &service.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    if let Some(op) = example_operation(model) {
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
        text.push_str(&format!(
            "\n- [`Client::{}`]: {first_line} ([reference]({}))",
            op.method.text, op.portal_url
        ));
    }
    let crate_doc = inner_docs(&text);
    let modules = model.operations.iter().map(|op| {
        let module = op.method.to_token();
        quote! {
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let types = if model.types.is_empty() && model.type_enums.is_empty() {
        quote!()
    } else {
        // Private: each operation's module re-exports the shared types it uses, under
        // their names, so an operation's types never move when another operation changes.
        quote! {
            #[rustfmt::skip]
            mod types;
        }
    };
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[rustfmt::skip]
        mod client;
        #(#modules)*
        #types

        pub use alibabacloud_core::{CallOptions, Config, Credentials, Error, SignatureVersion};
        pub use client::Client;

        /// The API version every operation of this crate is sent with.
        pub const API_VERSION: &str = #version;
    }
}
