//! The page stream behind paginators of token-paged operations (`NextToken`/`MaxResults`).
//!
//! Stop rule: the stream ends after a page whose next token is absent or empty. A next
//! token that was already sent ends the stream with an error instead of looping forever.

use std::collections::HashSet;
use std::future::Future;

use futures::stream::Stream;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::{Operation, Params};
use crate::pagination;

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
    Item: 'static,
{
    let fetch = pagination::invoker(handle, operation, options, shape.to_params);
    pages_with(operation.action, first, fetch, shape)
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
    Item: Send + 'static,
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
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    Item: 'static,
    F: FnMut(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Resp, Error>> + Send + 'static,
{
    let mut sent = HashSet::new();
    pagination::page_loop(first, fetch, move |mut request, page| {
        if let Some(token) = (shape.token)(&request).filter(|t| !t.is_empty()) {
            sent.insert(token.to_owned());
        }
        let token = (shape.next_token)(page).filter(|t| !t.is_empty())?;
        if sent.contains(token) {
            // The page itself is good: it is yielded, then this error.
            return Some(Err(Error::response_shape(
                action,
                format!(
                    "the service returned the page token {token:?} a second time; paging \
                     stopped instead of looping"
                ),
            )));
        }
        (shape.set_token)(&mut request, token.to_owned());
        Some(Ok(request))
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

    struct Page {
        items: Vec<u32>,
        next: Option<String>,
    }

    const SHAPE: TokenShape<Req, Page, u32> = TokenShape {
        to_params: |_| Params::new(),
        next_token: |page| page.next.as_deref(),
        token: |req| req.token.as_deref(),
        set_token: |req, token| req.token = Some(token),
        into_items: |page| Some(page.items),
    };

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
            let pages: Vec<Vec<u32>> = items_of(pages_with("Op", Ok(Req::default()), fetch, SHAPE))
                .try_collect()
                .await
                .unwrap();
            assert_eq!(pages, [vec![1, 2], vec![3], vec![4]]);
        }
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_stream_with_an_error() {
        let fetch = |_req: Req| async move {
            Ok(Page {
                items: vec![7],
                next: Some("same".into()),
            })
        };
        let got: Vec<_> = pages_with("DescribeInstanceBill", Ok(Req::default()), fetch, SHAPE)
            .collect()
            .await;
        assert_eq!(got.len(), 3, "two pages, then the error");
        assert!(got[0].is_ok() && got[1].is_ok());
        let error = got[2].as_ref().err().expect("an error");
        assert!(error.to_string().contains("a second time"), "{error}");
        assert_eq!(error.operation(), Some("DescribeInstanceBill"));
    }
}
