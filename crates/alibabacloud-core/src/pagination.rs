//! The page stream behind every generated paginator.
//!
//! A generated paginator supplies a [`PageShape`]: how to turn its request into wire
//! parameters, how many items a page holds and what total it reports, and how to move the
//! request to the next page. This module owns the stop rule: stop at an empty page, or once
//! the items before this page plus those on it reach the reported total (a page without a
//! total ends the stream too, since nothing says more exist). A paginator started mid-way
//! therefore stops at the last page too, without asking for an empty one.

use std::future::Future;

use futures::future::BoxFuture;
use futures::stream::{self, Stream, TryStreamExt};

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::handle::{CallOptions, Handle};
use crate::operation::{Operation, Params};

/// How a generated paginator reads its pages and moves its request forward.
pub struct PageShape<Req, Resp, Item> {
    /// The request as wire parameters.
    pub to_params: fn(&Req) -> Params,
    /// How many items precede the page a request asks for, given the page size (the
    /// largest page seen so far, for requests that leave the size to the server).
    pub offset: fn(&Req, i64) -> i64,
    /// Items on a page (`None` when the list is absent).
    pub item_count: fn(&Resp) -> Option<usize>,
    /// The total the service reports, if any.
    pub total: fn(&Resp) -> Option<i64>,
    /// Takes the items out of a page.
    pub into_items: fn(Resp) -> Option<Vec<Item>>,
    /// Moves the request to the next page, given the items on the current one.
    pub advance: fn(&mut Req, usize),
}

impl<Req, Resp, Item> Clone for PageShape<Req, Resp, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp, Item> Copy for PageShape<Req, Resp, Item> {}

/// Streams the pages of `operation`, starting with `first` (a request that could not be
/// built is reported as the stream's only item).
pub fn pages<Req, Resp, Item>(
    handle: Handle,
    operation: &'static Operation,
    options: CallOptions,
    first: Result<Req, Error>,
    shape: PageShape<Req, Resp, Item>,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: 'static,
{
    let fetch = invoker(handle, operation, options, shape.to_params);
    pages_with(first, fetch, shape)
}

/// Streams every item of every page of `operation`.
pub fn items<Req, Resp, Item>(
    handle: Handle,
    operation: &'static Operation,
    options: CallOptions,
    first: Result<Req, Error>,
    shape: PageShape<Req, Resp, Item>,
) -> impl Stream<Item = Result<Item, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: DeserializeOwned + Send + 'static,
    Item: Send + 'static,
{
    flatten(
        pages(handle, operation, options, first, shape),
        shape.into_items,
    )
}

/// The fetch function of a page stream (this one and the token one): each request, as
/// wire parameters, sent with [`Handle::invoke`].
pub(crate) fn invoker<Req, Resp>(
    handle: Handle,
    operation: &'static Operation,
    options: CallOptions,
    to_params: fn(&Req) -> Params,
) -> impl FnMut(Req) -> BoxFuture<'static, Result<Resp, Error>> + Send + 'static
where
    Req: 'static,
    Resp: DeserializeOwned + Send + 'static,
{
    move |request| {
        let handle = handle.clone();
        let options = options.clone();
        let params = to_params(&request);
        Box::pin(async move { handle.invoke(operation, params, &options).await })
    }
}

/// The page loop, over any fetch function: the stop rule of this module.
pub(crate) fn pages_with<Req, Resp, Item, F, Fut>(
    first: Result<Req, Error>,
    fetch: F,
    shape: PageShape<Req, Resp, Item>,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    Item: 'static,
    F: FnMut(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Resp, Error>> + Send + 'static,
{
    let mut largest_page = 0;
    page_loop(first, fetch, move |mut request, page| {
        let count = (shape.item_count)(page).unwrap_or(0);
        let items = i64::try_from(count).unwrap_or(i64::MAX);
        largest_page = largest_page.max(items);
        let before = (shape.offset)(&request, largest_page);
        let more = items > 0
            && (shape.total)(page).is_some_and(|total| before.saturating_add(items) < total);
        more.then(|| {
            (shape.advance)(&mut request, count);
            Ok(request)
        })
    })
}

/// The loop both page streams share: fetch the pending request and yield its page, then
/// ask `next` for the request after it (`None` ends the stream; an error is yielded after
/// the page, and ends it). A failed fetch is yielded and ends the stream, as does a first
/// request that could not be built.
pub(crate) fn page_loop<Req, Resp, F, Fut, N>(
    first: Result<Req, Error>,
    fetch: F,
    next: N,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    F: FnMut(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Resp, Error>> + Send + 'static,
    N: FnMut(Req, &Resp) -> Option<Result<Req, Error>> + Send + 'static,
{
    stream::unfold(
        (Some(first), fetch, next),
        |(pending, mut fetch, mut next)| async move {
            let request = match pending? {
                Ok(request) => request,
                Err(error) => return Some((Err(error), (None, fetch, next))),
            };
            match fetch(request.clone()).await {
                Ok(page) => {
                    let following = next(request, &page);
                    Some((Ok(page), (following, fetch, next)))
                }
                Err(error) => Some((Err(error), (None, fetch, next))),
            }
        },
    )
}

/// Every item of every page, in order (this stream's and the token one's).
pub(crate) fn flatten<Resp, Item>(
    pages: impl Stream<Item = Result<Resp, Error>> + Send + 'static,
    into_items: fn(Resp) -> Option<Vec<Item>>,
) -> impl Stream<Item = Result<Item, Error>> + Send + 'static
where
    Resp: Send + 'static,
    Item: Send + 'static,
{
    pages
        .map_ok(move |page| {
            let items = into_items(page).unwrap_or_default();
            stream::iter(items.into_iter().map(Ok))
        })
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[derive(Clone, Debug)]
    struct Req {
        page: i64,
    }

    const SHAPE: PageShape<Req, Vec<u32>, u32> = PageShape {
        to_params: |_| Params::new(),
        offset: |req, page_size| (req.page - 1) * page_size,
        item_count: |page| Some(page.len()),
        total: |_| Some(5),
        into_items: |page| Some(page),
        advance: |req, _items| req.page += 1,
    };

    #[tokio::test]
    async fn stops_at_total() {
        let fetch = |req: Req| async move {
            let start = (req.page as u32 - 1) * 2;
            Ok((start..(start + 2).min(5)).collect::<Vec<u32>>())
        };
        let pages = pages_with(Ok(Req { page: 1 }), fetch, SHAPE);
        let all: Vec<u32> = flatten(pages, SHAPE.into_items)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, [0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn stops_at_an_empty_page_and_after_an_error() {
        let fetch = |req: Req| async move {
            if req.page == 1 {
                Ok(vec![1])
            } else {
                Ok(vec![])
            }
        };
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), fetch, SHAPE)
            .collect()
            .await;
        assert_eq!(got.len(), 2);

        let failing = |_req: Req| async move { Err::<Vec<u32>, _>(Error::timeout("slow")) };
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), failing, SHAPE)
            .collect()
            .await;
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }
}
