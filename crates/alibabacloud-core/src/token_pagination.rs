//! The page stream behind paginators of token-paged operations (`NextToken`/`MaxResults`).
//!
//! Stop rule: the stream ends after a page whose next token is absent or empty. A next
//! token that was already sent ends the stream with an error instead of looping forever,
//! and so do the bounds every page stream keeps (see [`pagination`]).

use std::collections::HashSet;
use std::future::Future;

use futures::stream::Stream;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::{Operation, Params};
use crate::pagination::{self, Guard, Step};

/// How a generated paginator reads the token of a page and moves its request forward.
pub struct TokenShape<Req, Resp, Item> {
    /// The request as wire parameters.
    pub to_params: fn(&Req) -> Params,
    /// The token of the next page that a response carries, if any.
    pub next_token: fn(&Resp) -> Option<&str>,
    /// The token the request carries, if any.
    pub token: fn(&Req) -> Option<&str>,
    /// Sets the token of the request.
    pub set_token: fn(&mut Req, String),
    /// The items of a page (`None` when the list is absent).
    pub items: for<'a> fn(&'a Resp) -> Option<&'a [Item]>,
    /// Takes the items out of a page.
    pub into_items: fn(Resp) -> Option<Vec<Item>>,
}

impl<Req, Resp, Item> Clone for TokenShape<Req, Resp, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp, Item> Copy for TokenShape<Req, Resp, Item> {}

/// Streams the pages of a token-paged `operation`, starting with `first`.
pub fn pages<Req, Resp, Item>(
    handle: Handle,
    operation: &'static Operation,
    options: CallOptions,
    first: Result<Req, Error>,
    shape: TokenShape<Req, Resp, Item>,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq + Send + 'static,
{
    let guard = Guard::new(operation.action, &options);
    let fetch = pagination::invoker(handle, operation, options, shape.to_params);
    pages_with(operation.action, first, fetch, shape, guard)
}

/// Streams every item of every page of a token-paged `operation`.
pub fn items<Req, Resp, Item>(
    handle: Handle,
    operation: &'static Operation,
    options: CallOptions,
    first: Result<Req, Error>,
    shape: TokenShape<Req, Resp, Item>,
) -> impl Stream<Item = Result<Item, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Clone + PartialEq + Send + 'static,
{
    pagination::flatten(
        pages(handle, operation, options, first, shape),
        shape.into_items,
    )
}

/// The page loop, over any fetch function: the stop rule of this module.
pub(crate) fn pages_with<Req, Resp, Item, F, Fut>(
    action: &'static str,
    first: Result<Req, Error>,
    fetch: F,
    shape: TokenShape<Req, Resp, Item>,
    mut guard: Guard<Item>,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    Item: Clone + PartialEq + Send + 'static,
    F: FnMut(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Resp, Error>> + Send + 'static,
{
    let mut sent = HashSet::new();
    pagination::page_loop(first, fetch, move |mut request, page| {
        if let Err(error) = guard.admit((shape.items)(page), None) {
            return Step::Reject(error);
        }
        if let Some(token) = (shape.token)(&request).filter(|t| !t.is_empty()) {
            sent.insert(token.to_owned());
        }
        let Some(token) = (shape.next_token)(page).filter(|t| !t.is_empty()) else {
            return Step::End;
        };
        if sent.contains(token) {
            // The page itself is good: it is yielded, then this error.
            return Step::Fail(Error::response_shape(
                action,
                format!(
                    "the service returned the page token {token:?} a second time; paging \
                     stopped instead of looping"
                ),
            ));
        }
        if let Err(error) = guard.room_for_more() {
            return Step::Fail(error);
        }
        (shape.set_token)(&mut request, token.to_owned());
        Step::Next(request)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{StreamExt, TryStreamExt};

    #[derive(Clone, Debug, Default)]
    struct Req {
        token: Option<String>,
    }

    #[derive(Debug)]
    struct Page {
        items: Vec<u32>,
        next: Option<String>,
    }

    const SHAPE: TokenShape<Req, Page, u32> = TokenShape {
        to_params: |_| Params::new(),
        next_token: |page| page.next.as_deref(),
        token: |req| req.token.as_deref(),
        set_token: |req, token| req.token = Some(token),
        items: |page| Some(page.items.as_slice()),
        into_items: |page| Some(page.items),
    };

    fn guard() -> Guard<u32> {
        Guard::new("Op", &CallOptions::new())
    }

    fn items_of(
        stream: impl Stream<Item = Result<Page, Error>>,
    ) -> impl Stream<Item = Result<Vec<u32>, Error>> {
        stream.map_ok(|page| page.items)
    }

    #[tokio::test]
    async fn follows_tokens_until_one_is_empty_or_absent() {
        for last in [None, Some(String::new())] {
            let fetch = move |req: Req| {
                let last = last.clone();
                async move {
                    Ok(match req.token.as_deref() {
                        None => Page {
                            items: vec![1, 2],
                            next: Some("a".into()),
                        },
                        Some("a") => Page {
                            items: vec![3],
                            next: Some("b".into()),
                        },
                        _ => Page {
                            items: vec![4],
                            next: last,
                        },
                    })
                }
            };
            let pages: Vec<Vec<u32>> =
                items_of(pages_with("Op", Ok(Req::default()), fetch, SHAPE, guard()))
                    .try_collect()
                    .await
                    .unwrap();
            assert_eq!(pages, [vec![1, 2], vec![3], vec![4]]);
        }
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_stream_with_an_error() {
        let fetch = |req: Req| async move {
            Ok(Page {
                items: vec![if req.token.is_some() { 8 } else { 7 }],
                next: Some("same".into()),
            })
        };
        let got: Vec<_> = pages_with(
            "DescribeInstanceBill",
            Ok(Req::default()),
            fetch,
            SHAPE,
            guard(),
        )
        .collect()
        .await;
        assert_eq!(got.len(), 3, "two pages, then the error");
        assert!(got[0].is_ok() && got[1].is_ok());
        let error = got[2].as_ref().expect_err("an error");
        assert!(error.to_string().contains("a second time"), "{error}");
        assert_eq!(error.operation(), Some("DescribeInstanceBill"));
    }

    #[tokio::test]
    async fn fresh_tokens_forever_end_at_the_page_limit() {
        let fetch = |req: Req| async move {
            let n = req
                .token
                .as_deref()
                .map_or(0, |t| t.parse::<u32>().unwrap());
            Ok(Page {
                items: vec![n],
                next: Some((n + 1).to_string()),
            })
        };
        let options = CallOptions::new().max_pages(5);
        let got: Vec<_> = pages_with(
            "Op",
            Ok(Req::default()),
            fetch,
            SHAPE,
            Guard::new("Op", &options),
        )
        .collect()
        .await;
        assert_eq!(got.len(), 6, "five pages, then the error");
        assert!(
            got[5]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("max_pages")
        );
    }

    #[tokio::test]
    async fn the_same_items_under_a_new_token_end_the_stream() {
        let fetch = |req: Req| async move {
            let n = req
                .token
                .as_deref()
                .map_or(0, |t| t.parse::<u32>().unwrap());
            Ok(Page {
                items: vec![1, 2, 3],
                next: Some((n + 1).to_string()),
            })
        };
        let got: Vec<_> = pages_with("Op", Ok(Req::default()), fetch, SHAPE, guard())
            .collect()
            .await;
        assert_eq!(
            got.len(),
            2,
            "one page, then the error instead of the repeat"
        );
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("same items")
        );
    }
}
