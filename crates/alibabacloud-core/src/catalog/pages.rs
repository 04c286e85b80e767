//! Paging any catalog operation by name: the page streams of [`pagination`] and
//! [`token_pagination`], driven by the operation's [`PagingInfo`] instead of a generated
//! paginator's shape. The stop rules are theirs; this module only reads the page facts
//! (item count, total, next token) from a raw JSON body at the catalog's paths.

use futures::stream::{self, BoxStream, StreamExt};

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::Params;
use crate::pagination::{self, Guard, PageShape};
use crate::token_pagination::{self, TokenShape};
use crate::transport::RawResponse;

use super::{OperationInfo, PagingInfo, ParamInfo};

/// One page of [`pages`]: the response as received, and the facts paging read from it.
#[derive(Clone, Debug)]
pub struct Page {
    /// The success response, body untouched.
    pub response: RawResponse,
    items: Option<Vec<serde_json::Value>>,
    total: Option<i64>,
    echo: Option<i64>,
    next_token: Option<String>,
}

impl Page {
    /// How many items the page holds (`None` when its list is absent).
    pub fn item_count(&self) -> Option<usize> {
        self.items.as_ref().map(Vec::len)
    }

    /// The page's items (`None` when its list is absent).
    pub fn items(&self) -> Option<&[serde_json::Value]> {
        self.items.as_deref()
    }

    /// The total number of items the page reports, for page-number and offset paging.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The token of the next page, for token paging (`None` when absent or empty).
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
}

/// A request of the page stream: the caller's parameters and where the cursor stands.
#[derive(Clone)]
struct Cursor {
    params: Params,
    paging: &'static PagingInfo,
    cursor: &'static ParamInfo,
    /// The page number or offset (page-number and offset paging).
    position: i64,
    /// The page size the caller asked for, if any.
    page_size: Option<i64>,
    /// The token to send (token paging).
    token: Option<String>,
}

impl Cursor {
    fn page_params(&self) -> Params {
        let mut params = self.params.clone();
        params.set(self.cursor.location, self.cursor.name, &self.position);
        params
    }

    fn token_params(&self) -> Params {
        let mut params = self.params.clone();
        if let Some(token) = &self.token {
            params.set(self.cursor.location, self.cursor.name, token);
        }
        params
    }
}

const PAGE_SHAPE: PageShape<Cursor, Page, serde_json::Value> = PageShape {
    to_params: Cursor::page_params,
    offset: |request, page_size| {
        if request.paging.offset {
            request.position.max(0)
        } else {
            let size = request.page_size.unwrap_or(page_size);
            request
                .position
                .saturating_sub(1)
                .max(0)
                .saturating_mul(size)
        }
    },
    items: Page::items,
    total: Page::total,
    echo: |page| page.echo,
    into_items: |_| None,
    advance: |request, items| {
        let step = if request.paging.offset {
            i64::try_from(items).unwrap_or(i64::MAX)
        } else {
            1
        };
        request.position = request.position.saturating_add(step);
    },
};

const TOKEN_SHAPE: TokenShape<Cursor, Page, serde_json::Value> = TokenShape {
    to_params: Cursor::token_params,
    next_token: Page::next_token,
    token: |request| request.token.as_deref(),
    set_token: |request, token| request.token = Some(token),
    items: Page::items,
    into_items: |_| None,
};

/// Streams every page of `operation`, starting from `params` as the caller gives them.
///
/// The cursor starts where `params` put it (the page number or offset they carry, the
/// first page or offset 0 when they carry none or a value that is not a number; the token
/// they carry, for token paging), and each next page replaces it. The stream ends by the
/// rules of [`pagination`] (an empty page, or the reported total reached) or of
/// [`token_pagination`] (no next token; a token seen twice ends it with an error). An
/// operation that does not page, or whose cursor is not one of its parameters, has one
/// page.
///
/// Lists are read leniently: a list path that names an object holding a single array
/// (`"OrderList": {"Order": [...]}`) counts that array; a total may be a number or a
/// numeric string.
pub fn pages(
    handle: Handle,
    operation: &'static OperationInfo,
    params: Params,
    options: CallOptions,
) -> BoxStream<'static, Result<Page, Error>> {
    let paging = operation.pagination.as_ref();
    let cursor = paging.and_then(|paging| Some((paging, operation.param(paging.cursor)?)));
    let guard = Guard::new(operation.operation.action, &options);
    let fetch = move |request: Params, paging: Option<&'static PagingInfo>| {
        let handle = handle.clone();
        let options = options.clone();
        async move {
            let response = handle
                .invoke_raw(&operation.operation, &request, &options)
                .await?;
            read_page(operation, paging, response)
        }
    };
    let Some((paging, cursor)) = cursor else {
        return stream::once(fetch(params, None)).boxed();
    };
    let given = |name: &str| params.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let first = Cursor {
        position: given(paging.cursor).unwrap_or(if paging.offset { 0 } else { 1 }),
        page_size: paging.page_size.and_then(given),
        token: params.get(paging.cursor).map(str::to_owned),
        paging,
        cursor,
        params,
    };
    if paging.token {
        let fetch = move |request: Cursor| fetch(request.token_params(), Some(paging));
        let action = operation.operation.action;
        token_pagination::pages_with(action, Ok(first), fetch, TOKEN_SHAPE, guard).boxed()
    } else {
        let fetch = move |request: Cursor| fetch(request.page_params(), Some(paging));
        pagination::pages_with(Ok(first), fetch, PAGE_SHAPE, guard).boxed()
    }
}

/// Reads the paging facts of one response.
fn read_page(
    operation: &OperationInfo,
    paging: Option<&PagingInfo>,
    response: RawResponse,
) -> Result<Page, Error> {
    let mut page = Page {
        response,
        items: None,
        total: None,
        echo: None,
        next_token: None,
    };
    let Some(paging) = paging else {
        return Ok(page);
    };
    let document: serde_json::Value = serde_json::from_slice(&page.response.body)
        .map_err(|e| page.response.unreadable(&operation.operation, e))?;
    page.items = list_at(&document, paging.items).cloned();
    page.echo = paging
        .echo
        .and_then(|path| at(&document, path))
        .and_then(count);
    let at_total = at(&document, paging.total);
    if paging.token {
        page.next_token = at_total
            .and_then(serde_json::Value::as_str)
            .filter(|token| !token.is_empty())
            .map(str::to_owned);
    } else {
        page.total = at_total.and_then(count);
    }
    Ok(page)
}

/// The value at a dotted path (`Data.TotalCount`); an empty path is the value itself.
fn at<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.')
        .filter(|key| !key.is_empty())
        .try_fold(value, |value, key| value.get(key))
}

/// The list at a dotted path, read through a wrapper object that holds one array.
fn list_at<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a Vec<serde_json::Value>> {
    match at(value, path)? {
        serde_json::Value::Array(items) => Some(items),
        serde_json::Value::Object(members) if members.len() == 1 => members
            .values()
            .next()
            .and_then(serde_json::Value::as_array),
        _ => None,
    }
}

/// A non-negative count, from a number or a numeric string (services send both).
fn count(value: &serde_json::Value) -> Option<i64> {
    let count = match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    (count >= 0).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_are_read_at_the_catalog_paths() {
        let body = json!({
            "Data": {"TotalCount": "3", "OrderList": {"Order": [{"Id": 1}, {"Id": 2}]}},
            "NextToken": "",
        });
        assert_eq!(at(&body, "Data.TotalCount").and_then(count), Some(3));
        assert_eq!(list_at(&body, "Data.OrderList").map(Vec::len), Some(2));
        assert!(list_at(&body, "Data.Missing").is_none());
        assert_eq!(count(&json!(-1)), None);
        assert_eq!(count(&json!(12)), Some(12));
    }

    #[test]
    fn the_cursor_moves_by_pages_or_by_items() {
        const PAGING: PagingInfo = PagingInfo {
            cursor: "PageNumber",
            offset: false,
            token: false,
            page_size: Some("PageSize"),
            total: "TotalCount",
            items: "Items",
            echo: None,
        };
        const OFFSET: PagingInfo = PagingInfo {
            cursor: "StartIndex",
            offset: true,
            ..PAGING
        };
        static PARAM: ParamInfo = ParamInfo {
            name: "PageNumber",
            kind: super::super::ParamType::Int32,
            required: false,
            location: crate::operation::Location::Query,
            values: &[],
            description: "",
            sensitive: false,
            example: "",
        };
        let mut request = Cursor {
            params: Params::new(),
            paging: &PAGING,
            cursor: &PARAM,
            position: 3,
            page_size: None,
            token: None,
        };
        assert_eq!((PAGE_SHAPE.offset)(&request, 10), 20);
        (PAGE_SHAPE.advance)(&mut request, 10);
        assert_eq!(request.position, 4);
        assert_eq!(request.page_params().get("PageNumber"), Some("4"));
        request.paging = &OFFSET;
        assert_eq!((PAGE_SHAPE.offset)(&request, 10), 4);
        (PAGE_SHAPE.advance)(&mut request, 7);
        assert_eq!(request.position, 11);
        // No token yet: nothing is sent for it.
        assert_eq!(request.token_params().get("PageNumber"), None);
    }
}
