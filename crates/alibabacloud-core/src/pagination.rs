//! The page stream behind every generated paginator.
//!
//! A generated paginator supplies a [`PageShape`]: how to turn its request into wire
//! parameters, which items a page holds and what total it reports, and how to move the
//! request to the next page. This module owns the stop rule: stop at an empty page, or once
//! the items before this page plus those on it reach the reported total (a page without a
//! total ends the stream too, since nothing says more exist). A paginator started mid-way
//! therefore stops at the last page too, without asking for an empty one.
//!
//! Every page stream (this one, the token one and the catalog's) is also bounded against a
//! service that never says "last page": a page that repeats the previous one (the same
//! items, or the same page number echoed back) ends the stream with an error instead of
//! being yielded, and so does passing [`CallOptions::max_pages`] or
//! [`CallOptions::max_items`].

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
    /// The items of a page (`None` when the list is absent).
    pub items: for<'a> fn(&'a Resp) -> Option<&'a [Item]>,
    /// The total the service reports, if any.
    pub total: fn(&Resp) -> Option<i64>,
    /// The page number the service echoes back, if its response carries one.
    pub echo: fn(&Resp) -> Option<i64>,
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
    Item: Clone + PartialEq + Send + 'static,
{
    let guard = Guard::new(operation.action, &options);
    let fetch = invoker(handle, operation, options, shape.to_params);
    pages_with(first, fetch, shape, guard)
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
    Item: Clone + PartialEq + Send + 'static,
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
    mut guard: Guard<Item>,
) -> impl Stream<Item = Result<Resp, Error>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Resp: Send + 'static,
    Item: Clone + PartialEq + Send + 'static,
    F: FnMut(Req) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Resp, Error>> + Send + 'static,
{
    let mut largest_page = 0;
    page_loop(first, fetch, move |mut request, page| {
        let page_items = (shape.items)(page);
        if let Err(error) = guard.admit(page_items, (shape.echo)(page)) {
            return Step::Reject(error);
        }
        let count = page_items.map_or(0, <[Item]>::len);
        let items = i64::try_from(count).unwrap_or(i64::MAX);
        largest_page = largest_page.max(items);
        let before = (shape.offset)(&request, largest_page);
        let more = items > 0
            && (shape.total)(page).is_some_and(|total| before.saturating_add(items) < total);
        if !more {
            return Step::End;
        }
        if let Err(error) = guard.room_for_more() {
            return Step::Fail(error);
        }
        (shape.advance)(&mut request, count);
        Step::Next(request)
    })
}

/// The largest number of pages a page stream fetches unless
/// [`CallOptions::max_pages`] says otherwise.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// The limits every page stream keeps to, and what it has seen so far: the number of
/// pages and items, the last page's items and the page number it echoed.
pub(crate) struct Guard<Item> {
    action: &'static str,
    max_pages: u64,
    max_items: Option<u64>,
    pages: u64,
    items: u64,
    previous: Option<Vec<Item>>,
    echo: Option<i64>,
}

impl<Item: Clone + PartialEq> Guard<Item> {
    pub(crate) fn new(action: &'static str, options: &CallOptions) -> Self {
        Self {
            action,
            max_pages: options.max_pages_or(DEFAULT_MAX_PAGES),
            max_items: options.max_items_limit(),
            pages: 0,
            items: 0,
            previous: None,
            echo: None,
        }
    }

    /// Counts a page just fetched, or refuses it when it repeats the one before: the same
    /// items, or the same page number echoed back.
    pub(crate) fn admit(&mut self, items: Option<&[Item]>, echo: Option<i64>) -> Result<(), Error> {
        let items = items.unwrap_or_default();
        let page = self.pages + 1;
        if echo.is_some() && echo == self.echo {
            return Err(self.repeated(page, "echoed the same page number as the page before"));
        }
        if !items.is_empty() && self.previous.as_deref() == Some(items) {
            return Err(self.repeated(page, "held the same items as the page before"));
        }
        self.pages = page;
        self.items = self.items.saturating_add(items.len() as u64);
        self.echo = echo;
        self.previous = (!items.is_empty()).then(|| items.to_vec());
        Ok(())
    }

    /// Whether another page may be fetched within the limits.
    pub(crate) fn room_for_more(&self) -> Result<(), Error> {
        if self.pages >= self.max_pages {
            return Err(Error::response_shape(
                self.action,
                format!(
                    "paging stopped after {} pages, the limit (CallOptions::max_pages), and the \
                     service reports more; raise the limit to read further",
                    self.pages
                ),
            ));
        }
        if let Some(max_items) = self.max_items.filter(|max| self.items >= *max) {
            return Err(Error::response_shape(
                self.action,
                format!(
                    "paging stopped after {} items, over the limit of {max_items} \
                     (CallOptions::max_items), and the service reports more; raise the limit \
                     to read further",
                    self.items
                ),
            ));
        }
        Ok(())
    }

    fn repeated(&self, page: u64, what: &str) -> Error {
        Error::response_shape(
            self.action,
            format!(
                "page {page} {what}: the service is not moving forward, so paging stopped \
                 instead of looping"
            ),
        )
    }
}

/// What comes after a page, as the stop rules decide.
pub(crate) enum Step<Req> {
    /// Fetch this request next.
    Next(Req),
    /// The page was the last one.
    End,
    /// The page is yielded, then this error ends the stream.
    Fail(Error),
    /// This error is yielded instead of the page, and ends the stream.
    Reject(Error),
}

/// The loop every page stream shares: fetch the pending request, ask `next` what follows
/// its page, and yield accordingly. A failed fetch is yielded and ends the stream, as does
/// a first request that could not be built.
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
    N: FnMut(Req, &Resp) -> Step<Req> + Send + 'static,
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
                    let following = match next(request, &page) {
                        Step::Next(request) => Some(Ok(request)),
                        Step::End => None,
                        Step::Fail(error) => Some(Err(error)),
                        Step::Reject(error) => return Some((Err(error), (None, fetch, next))),
                    };
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
        items: |page| Some(page.as_slice()),
        total: |_| Some(5),
        echo: |_| None,
        into_items: |page| Some(page),
        advance: |req, _items| req.page += 1,
    };

    fn guard() -> Guard<u32> {
        Guard::new("Op", &CallOptions::new())
    }

    #[tokio::test]
    async fn stops_at_total() {
        let fetch = |req: Req| async move {
            let start = (req.page as u32 - 1) * 2;
            Ok((start..(start + 2).min(5)).collect::<Vec<u32>>())
        };
        let pages = pages_with(Ok(Req { page: 1 }), fetch, SHAPE, guard());
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
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), fetch, SHAPE, guard())
            .collect()
            .await;
        assert_eq!(got.len(), 2);

        let failing = |_req: Req| async move { Err::<Vec<u32>, _>(Error::timeout("slow")) };
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), failing, SHAPE, guard())
            .collect()
            .await;
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
    }

    #[tokio::test]
    async fn a_page_that_repeats_the_last_one_ends_the_stream_instead_of_looping() {
        // Always the same items, and a total that never comes.
        let fetch = |_req: Req| async move { Ok(vec![1, 2]) };
        let shape = PageShape {
            total: |_| Some(1_000_000_000_000),
            ..SHAPE
        };
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), fetch, shape, guard())
            .collect()
            .await;
        assert_eq!(got.len(), 2, "the first page, then the error");
        assert!(got[0].is_ok());
        let error = got[1].as_ref().unwrap_err();
        assert!(error.to_string().contains("same items"), "{error}");

        // Fresh items, but the page number echoed back never moves.
        let fetch = |req: Req| async move { Ok(vec![req.page as u32]) };
        let shape = PageShape {
            total: |_| Some(1_000_000_000_000),
            echo: |_| Some(1),
            ..SHAPE
        };
        let got: Vec<_> = pages_with(Ok(Req { page: 1 }), fetch, shape, guard())
            .collect()
            .await;
        assert_eq!(got.len(), 2);
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("page number")
        );
    }

    #[tokio::test]
    async fn the_page_and_item_limits_end_an_endless_stream() {
        let fetch = |req: Req| async move { Ok(vec![req.page as u32; 3]) };
        let shape = PageShape {
            total: |_| Some(i64::MAX),
            ..SHAPE
        };
        let options = CallOptions::new().max_pages(4);
        let got: Vec<_> = pages_with(
            Ok(Req { page: 1 }),
            fetch,
            shape,
            Guard::new("Op", &options),
        )
        .collect()
        .await;
        assert_eq!(got.len(), 5, "four pages, then the error");
        assert!(got[..4].iter().all(Result::is_ok));
        assert!(
            got[4]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("max_pages")
        );

        let options = CallOptions::new().max_items(7);
        let got: Vec<_> = pages_with(
            Ok(Req { page: 1 }),
            fetch,
            shape,
            Guard::new("Op", &options),
        )
        .collect()
        .await;
        assert_eq!(got.len(), 4, "three pages reach 9 items, then the error");
        assert!(
            got[3]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("max_items")
        );
    }
}
