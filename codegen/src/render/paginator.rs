//! Paginators: page-number and offset paging over `PageShape`, token paging over
//! `TokenShape`.

use super::*;

/// An integer request field as `i64`; `default` (an `i64` expression) when it is unset.
pub(super) fn as_i64(
    field: TokenStream,
    ty: &RustType,
    required: bool,
    default: TokenStream,
) -> TokenStream {
    match (ty, required) {
        (RustType::I64, true) => field,
        (_, true) => quote!(i64::from(#field)),
        (RustType::I64, false) => quote!(#field.unwrap_or(#default)),
        (_, false) => quote!(#field.map_or(#default, i64::from)),
    }
}

/// `page.a.as_ref()?.b` style access through optional structs, ending with the last member.
pub(super) fn path_access(steps: &[PathStep], owned: bool) -> TokenStream {
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

pub(super) fn paginator(op: &OperationModel, pagination: &PaginationModel) -> TokenStream {
    match &pagination.paging {
        Paging::Counted {
            counter,
            total,
            echo,
        } => counted_paginator(op, pagination, counter, total, echo.as_ref()),
        Paging::Token {
            token,
            required,
            next,
        } => token_paginator(op, pagination, token, *required, next),
    }
}

/// An optional integer at the end of `path` as `Option<i64>`.
fn optional_i64(path: &ResponsePath) -> TokenStream {
    let access = path_access(&path.steps, false);
    let step = path.steps.last();
    let optional = step.is_some_and(|s| !s.required);
    let is_i32 = step.is_some_and(|s| s.ty == RustType::I32);
    match (optional, is_i32) {
        (true, true) => quote!(Some(#access?.into())),
        (true, false) => quote!(#access),
        (false, true) => quote!(Some(#access.into())),
        (false, false) => quote!(Some(#access)),
    }
}

/// The paginator of an operation paged by page numbers or offsets up to a total.
fn counted_paginator(
    op: &OperationModel,
    pagination: &PaginationModel,
    counter: &Counter,
    total: &ResponsePath,
    echo: Option<&ResponsePath>,
) -> TokenStream {
    let paginator = ident(&op.paginator_name());
    let request = ident(&op.request.name);
    let response = ident(&op.response.name);
    let item = base_type(&pagination.item_type);
    let doc = docs(&format!(
        "Every page of [`Client::{}`](crate::Client::{}), fetched as the stream is polled; made by [`{}::into_paginator`].\n\nPaging stops at the reported total or at an empty page; a page that repeats the one before ends the stream with an error.",
        op.method.text,
        op.method.text,
        op.fluent_name()
    ));

    let items_access = path_access(&pagination.items, false);
    let items_owned = path_access(&pagination.items, true);
    let total_expr = optional_i64(total);
    let echo_expr = match echo {
        Some(echo) => {
            let expr = optional_i64(echo);
            quote!(|page| #expr)
        }
        None => quote!(|_| None),
    };

    let advance = match counter {
        Counter::PageNumber {
            page,
            required: true,
            ..
        } => quote!(|request, _items| request.#page += 1),
        Counter::PageNumber {
            page,
            required: false,
            ..
        } => {
            quote!(|request, _items| request.#page = Some(request.#page.unwrap_or(1) + 1))
        }
        Counter::StartIndex {
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

    let offset = match counter {
        Counter::PageNumber {
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
            // A required page size is always set: the default page size goes unused.
            let page_size = if *size_required {
                quote!(_page_size)
            } else {
                quote!(page_size)
            };
            quote!(|request, #page_size| (#page - 1) * #size)
        }
        Counter::StartIndex {
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
            items: |page| Some(#items_access.as_slice()),
            total: |page| #total_expr,
            echo: #echo_expr,
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
pub(super) fn token_paginator(
    op: &OperationModel,
    pagination: &PaginationModel,
    token: &crate::names::Ident,
    required: bool,
    next: &ResponsePath,
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
        next.wire,
    ));
    let items_access = path_access(&pagination.items, false);
    let items_owned = path_access(&pagination.items, true);
    let next_access = path_access(&next.steps, false);
    let next_optional = next.steps.last().is_some_and(|s| !s.required);
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
            items: |page| Some(#items_access.as_slice()),
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
