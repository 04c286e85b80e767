//! Data types: response structs, request objects, enums, their `Debug`, and the crate's
//! shared `types` module.

use super::*;

/// Renders the crate's `types` module: the structs and enums several operations share.
pub fn types_module(model: &CrateModel) -> TokenStream {
    let mut uses = Uses::default();
    let mut items = Vec::new();
    for shared in &model.types {
        items.push(match shared.side {
            Side::Request => nested_request_struct(shared, &mut uses),
            Side::Response => response_struct(shared, &mut uses),
        });
    }
    for shared in &model.type_enums {
        items.push(enum_type(shared, &mut uses));
    }
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
    let mut operation_items = Vec::new();
    if uses.param_value {
        operation_items.extend([quote!(Location), quote!(ParamValue), quote!(Params)]);
    }
    let operation_use = if operation_items.is_empty() {
        quote!()
    } else {
        quote!(use alibabacloud_core::operation::{#(#operation_items),*};)
    };
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
    if !model.type_enums.is_empty() {
        wire_items.push(quote!(UnknownValue));
    }
    let wire_use = if wire_items.is_empty() {
        quote!()
    } else {
        quote!(use alibabacloud_core::wire::{#(#wire_items),*};)
    };
    let wire_enum_use = macro_uses(&uses);
    let serde_items = if uses.serialize {
        quote!(
            use serde::Serialize;
        )
    } else {
        quote!()
    };
    quote! {
        //! Types that several operations of this crate define with the same name and shape,
        //! defined once; each of those operations' modules re-exports them.

        #(#std_uses)*

        #operation_use
        #wire_use
        #wire_enum_use
        #serde_items

        #(#items)*
    }
}

pub(super) fn struct_fields(model: &StructModel, uses: &mut Uses) -> Vec<TokenStream> {
    model
        .fields
        .iter()
        .map(|field| {
            uses.note_type(&field.ty);
            let doc = docs(&field.docs);
            let name = field.ident.to_token();
            let ty = field_type(field);
            quote! {
                #doc
                pub #name: #ty,
            }
        })
        .collect()
}

/// A `Debug` impl that prints `** redacted **` for sensitive fields.
pub(super) fn redacting_debug(name: &str, fields: &[FieldModel]) -> TokenStream {
    let type_name = ident(name);
    let entries = fields.iter().map(|field| {
        let label = field.ident.text.as_str();
        let member = field.ident.to_token();
        if !field.sensitive {
            quote!(.field(#label, &self.#member))
        } else if field.optional {
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
pub(super) struct DebugImpl {
    pub(super) derive: TokenStream,
    pub(super) manual: TokenStream,
}

/// The `Debug` of type `name` holding `model`'s fields.
pub(super) fn debug_impl(name: &str, model: &StructModel, uses: &mut Uses) -> DebugImpl {
    if !model.has_sensitive() {
        return DebugImpl {
            derive: quote!(Debug,),
            manual: quote!(),
        };
    }
    uses.fmt = true;
    DebugImpl {
        derive: quote!(),
        manual: redacting_debug(name, &model.fields),
    }
}

pub(super) fn nested_request_struct(model: &StructModel, uses: &mut Uses) -> TokenStream {
    let serialized = model.serialize;
    uses.param_value = true;
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
                let ty = field_type(field);
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
        struct_fields(model, uses)
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
        let format = format!("{{name}}.{}", field.wire);
        push_field(field, quote!(&format!(#format)), quote!(location))
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, uses);
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

        impl ParamValue for #name {
            fn write_params(&self, name: &str, location: Location, params: &mut Params) {
                #(#pushes)*
            }
        }

        #debug
    }
}

pub(super) fn response_struct(model: &StructModel, uses: &mut Uses) -> TokenStream {
    uses.wire_struct = true;
    let name = ident(&model.name);
    let doc = docs(&model.docs);
    let fields = struct_fields(model, uses);
    // How each field is read: its wire name and its reader (core's `wire_struct::read`).
    let reads = model.fields.iter().map(|field| {
        let member = field.ident.to_token();
        let wire = &field.wire;
        let (reader, required) = match field.reader {
            Reader::Plain => ("plain", !field.optional),
            Reader::Map => ("map", false),
            Reader::Object => ("object", false),
            Reader::Enum => ("enum_field", false),
            Reader::List => ("list", false),
            Reader::ObjectList => ("object_list", false),
            Reader::Text => ("text", false),
            Reader::TextRequired => ("text_required", true),
            Reader::Lenient => ("lenient", false),
            Reader::LenientRequired => ("lenient_required", true),
            Reader::Decimal => ("decimal", false),
            Reader::DecimalRequired => ("decimal_required", true),
        };
        let reader = format_ident!("{reader}");
        if required {
            quote!(#member: #wire => #reader required)
        } else {
            quote!(#member: #wire => #reader)
        }
    });
    let DebugImpl {
        derive: derive_debug,
        manual: debug,
    } = debug_impl(&model.name, model, uses);
    let derive_default = if model.derive_default {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug #derive_default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        wire_struct!(#name { #(#reads),* });

        #debug
    }
}

pub(super) fn enum_type(model: &EnumModel, uses: &mut Uses) -> TokenStream {
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
