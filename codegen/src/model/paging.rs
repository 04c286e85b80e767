//! Paginators and waiters, and the response paths they follow.

use super::operation::OpContext;
use super::*;

pub(super) fn build_pagination(
    cx: &mut OpContext<'_>,
    spec: &PaginationSpec,
    request: &StructModel,
    response: &StructModel,
) -> Option<PaginationModel> {
    let (counter, cursor_wire, page_size_wire, total, items) = match spec {
        PaginationSpec::NextToken {
            token,
            page_size,
            next,
            items,
            ..
        } => {
            return build_token_pagination(
                cx,
                token,
                page_size.as_deref(),
                next,
                items,
                request,
                response,
            );
        }
        PaginationSpec::PageNumber {
            page,
            page_size,
            total,
            items,
            ..
        } => {
            let page_field = request_int(cx, request, page, "pagination.page")?;
            let size_field = request_int(cx, request, page_size, "pagination.page_size")?;
            let counter = Counter::PageNumber {
                page: page_field.ident.clone(),
                required: page_field.required,
                page_type: page_field.ty.clone(),
                size: size_field.ident.clone(),
                size_required: size_field.required,
                size_type: size_field.ty.clone(),
            };
            (counter, page, Some(page_size.clone()), total, items)
        }
        PaginationSpec::StartIndex {
            start,
            total,
            items,
            ..
        } => {
            let start_field = request_int(cx, request, start, "pagination.start")?;
            let counter = Counter::StartIndex {
                start: start_field.ident.clone(),
                start_type: start_field.ty.clone(),
                required: start_field.required,
            };
            (counter, start, None, total, items)
        }
    };
    let resolved = resolve_path(&cx.structs, response, total);
    let total_path = resolved
        .map_err(|message| cx.error("pagination.total", Some("total:"), message))
        .ok()?;
    if !matches!(
        total_path.last().map(|s| &s.ty),
        Some(RustType::I32 | RustType::I64)
    ) {
        cx.error(
            "pagination.total",
            Some("total:"),
            format!("{total} is not an integer field of the response"),
        );
        return None;
    }
    let (items_path, item_type) = build_items(cx, response, items)?;
    let echo = match &counter {
        Counter::PageNumber { .. } => page_echo(cx, response, total, cursor_wire),
        Counter::StartIndex { .. } => None,
    };
    Some(PaginationModel {
        paging: Paging::Counted {
            counter,
            total: ResponsePath {
                wire: total.clone(),
                steps: total_path,
            },
            echo,
        },
        cursor_wire: cursor_wire.clone(),
        page_size_wire,
        items_wire: items.clone(),
        items: items_path,
        item_type,
    })
}

/// The page number a response echoes back: an integer field beside the total named like
/// the page parameter (or `PageNumber`, `CurrentPage`, `PageNum`).
fn page_echo(
    cx: &OpContext<'_>,
    response: &StructModel,
    total: &str,
    page: &str,
) -> Option<ResponsePath> {
    let parent = total.rsplit_once('.').map(|(parent, _)| parent);
    [page, "PageNumber", "CurrentPage", "PageNum"]
        .into_iter()
        .find_map(|name| {
            let wire = match parent {
                Some(parent) => format!("{parent}.{name}"),
                None => name.to_owned(),
            };
            let steps = resolve_path(&cx.structs, response, &wire).ok()?;
            matches!(
                steps.last().map(|s| &s.ty),
                Some(RustType::I32 | RustType::I64)
            )
            .then_some(ResponsePath { wire, steps })
        })
}

/// The item list of a paginated response and its item type.
fn build_items(
    cx: &mut OpContext<'_>,
    response: &StructModel,
    items: &str,
) -> Option<(Vec<PathStep>, RustType)> {
    let items_path = resolve_path(&cx.structs, response, items)
        .map_err(|message| cx.error("pagination.items", Some("items:"), message))
        .ok()?;
    let Some(RustType::List(item_type)) = items_path.last().map(|s| s.ty.clone()) else {
        cx.error(
            "pagination.items",
            Some("items:"),
            format!("{items} is not a list field of the response"),
        );
        return None;
    };
    Some((items_path, *item_type))
}

fn build_token_pagination(
    cx: &mut OpContext<'_>,
    token: &str,
    page_size: Option<&str>,
    next: &str,
    items: &str,
    request: &StructModel,
    response: &StructModel,
) -> Option<PaginationModel> {
    let Some(token_field) = request.fields.iter().find(|f| f.wire == token) else {
        cx.error(
            "pagination.token",
            Some(&format!(": {token}")),
            format!("request parameter {token} does not exist"),
        );
        return None;
    };
    if token_field.ty != RustType::String {
        cx.error(
            "pagination.token",
            Some(&format!(": {token}")),
            format!("request parameter {token} is not a string"),
        );
        return None;
    }
    if let Some(size) = page_size {
        request_int(cx, request, size, "pagination.page_size")?;
    }
    let next_path = resolve_path(&cx.structs, response, next)
        .map_err(|message| cx.error("pagination.next", Some("next:"), message))
        .ok()?;
    if next_path.last().map(|s| &s.ty) != Some(&RustType::String) {
        cx.error(
            "pagination.next",
            Some("next:"),
            format!("{next} is not a string field of the response"),
        );
        return None;
    }
    let (items_path, item_type) = build_items(cx, response, items)?;
    Some(PaginationModel {
        paging: Paging::Token {
            token: token_field.ident.clone(),
            required: token_field.required,
            next: ResponsePath {
                wire: next.to_owned(),
                steps: next_path,
            },
        },
        cursor_wire: token.to_owned(),
        page_size_wire: page_size.map(str::to_owned),
        items_wire: items.to_owned(),
        items: items_path,
        item_type,
    })
}

pub(super) fn build_waiter(
    cx: &mut OpContext<'_>,
    spec: &WaiterSpec,
    response: &StructModel,
) -> Option<WaiterModel> {
    let field = format!("waiters.{}", spec.name);
    let needle = format!("name: {}", spec.name);
    if !names::is_snake_name(&spec.name) {
        cx.error(&field, Some(&needle), "a waiter name must be snake_case");
        return None;
    }
    if spec.success.is_empty() {
        cx.error(
            &field,
            Some(&needle),
            "a waiter needs at least one success value",
        );
        return None;
    }
    let path = resolve_path(&cx.structs, response, &spec.path)
        .map_err(|message| cx.error(&field, Some(&needle), message))
        .ok()?;
    let matchable = matches!(
        path.last().map(|s| &s.ty),
        Some(RustType::String | RustType::Enum(_) | RustType::I32 | RustType::I64)
    );
    if !matchable {
        cx.error(
            &field,
            Some(&needle),
            format!("{} is not a text, enum or integer field", spec.path),
        );
        return None;
    }
    if path[..path.len() - 1]
        .iter()
        .any(|s| !matches!(s.ty, RustType::Struct(_)))
    {
        cx.error(
            &field,
            Some(&needle),
            format!(
                "{} goes through a list or map; a waiter matches one value",
                spec.path
            ),
        );
        return None;
    }
    let min = spec.min_delay_seconds.unwrap_or(5);
    let max = spec.max_delay_seconds.unwrap_or(60);
    let limit = spec.max_wait_seconds.unwrap_or(900);
    if min == 0 || max < min || limit < min {
        cx.error(
            &field,
            Some(&needle),
            "delays must satisfy 0 < min_delay_seconds <= max_delay_seconds and min <= max_wait_seconds",
        );
        return None;
    }
    Some(WaiterModel {
        method: names::waiter_ident(&spec.name),
        rule: format!("{}_RULE", spec.name.to_uppercase()),
        name: spec.name.clone(),
        path,
        path_wire: spec.path.clone(),
        success: spec.success.clone(),
        failure: spec.failure.clone(),
        min_delay_seconds: min,
        max_delay_seconds: max,
        max_wait_seconds: limit,
    })
}

fn request_int<'a>(
    cx: &mut OpContext<'_>,
    request: &'a StructModel,
    wire: &str,
    path: &str,
) -> Option<&'a FieldModel> {
    match request.fields.iter().find(|f| f.wire == wire) {
        Some(field) if matches!(field.ty, RustType::I32 | RustType::I64) => Some(field),
        Some(_) => {
            cx.error(
                path,
                Some(&format!(": {wire}")),
                format!("request parameter {wire} is not an integer"),
            );
            None
        }
        None => {
            cx.error(
                path,
                Some(&format!(": {wire}")),
                format!("request parameter {wire} does not exist"),
            );
            None
        }
    }
}

/// Resolves a dotted wire path (`Data.TotalCount`) through the response structs.
fn resolve_path(
    structs: &[StructModel],
    response: &StructModel,
    dotted: &str,
) -> Result<Vec<PathStep>, String> {
    let mut steps = Vec::new();
    let mut fields = &response.fields;
    let segments: Vec<&str> = dotted.split('.').collect();
    for (index, segment) in segments.iter().enumerate() {
        let field = fields
            .iter()
            .find(|f| f.wire == *segment)
            .ok_or_else(|| format!("response field {dotted} does not exist (no {segment})"))?;
        steps.push(PathStep {
            ident: field.ident.clone(),
            required: field.required,
            ty: field.ty.clone(),
        });
        if index + 1 < segments.len() {
            let nested = match &field.ty {
                RustType::Struct(name) => structs.iter().find(|s| &s.name == name),
                _ => None,
            };
            fields = &nested
                .ok_or_else(|| format!("{segment} in {dotted} is not an object"))?
                .fields;
        }
    }
    Ok(steps)
}
