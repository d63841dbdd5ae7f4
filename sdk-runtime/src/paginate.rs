//! Paged list operations: what generated code says about an operation's paging ([`Paged`],
//! [`PagedItems`]), the rules that decide whether another page follows ([`next_page`]), and,
//! with the client, the listing as an async stream of pages ([`Pages`]) or of items ([`Items`]).
//!
//! Alibaba Cloud pages lists in two ways. Token paging (`NextToken`/`MaxResults`,
//! `Marker`/`MaxItems`): each reply carries the token of the next page; the last carries none,
//! an empty one, or says `IsTruncated: false`. Numbered paging (`PageNumber`/`PageSize`,
//! `TotalCount`): the caller counts pages from 1; the listing ends with an empty page, with
//! the page that reaches the total count, or with a page shorter than the page size the
//! service reports. A service that repeats the token it was given, or answers another page
//! than the one asked for, would make a listing run forever: that ends the stream with
//! [`PaginationError`] after the page that showed it.

use std::fmt;

use super::operation::Operation;

/// How an operation's pages are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// By the token the previous page handed out.
    Token,
    /// By page number, from 1.
    Number,
}

/// What one page says about the pages after it, read from a response by generated code.
/// Each field is `None` where the operation has no such element or the reply left it out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageFacts<'a> {
    /// The token of the next page.
    pub next_token: Option<&'a str>,
    /// Whether more pages follow (`IsTruncated`).
    pub more: Option<bool>,
    /// How many items the page holds.
    pub items: Option<usize>,
    /// How many items all pages hold together.
    pub total_count: Option<i64>,
    /// The number of the page the service returned.
    pub page_number: Option<i64>,
    /// The page size the service applied.
    pub page_size: Option<i64>,
}

/// A list operation that returns its results page by page. Generated for operations whose
/// spec has a `pagination` block; the methods of the other style do nothing.
pub trait Paged: Operation {
    /// How the operation's pages are asked for.
    const PAGING: Paging;
    /// The token this request sends (token paging).
    fn token(&self) -> Option<&str>;
    /// Makes this request ask for the page of `token` (token paging).
    fn set_token(&mut self, token: String);
    /// The page number this request sends (numbered paging).
    fn page_number(&self) -> Option<i64>;
    /// Makes this request ask for page `number` (numbered paging); false when the
    /// parameter's type cannot hold it.
    fn set_page_number(&mut self, number: i64) -> bool;
    /// What `page` says about the pages after it.
    fn facts(page: &Self::Response) -> PageFacts<'_>;
}

/// A paged operation whose spec says where a page's items are.
pub trait PagedItems: Paged {
    /// One item of a page.
    type Item;
    /// The items of `page`, in the order the service gave them.
    fn into_items(page: Self::Response) -> Vec<Self::Item>;
}

/// Why a listing stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The service handed back the token it was sent: asking again would return the same
    /// page for ever.
    #[error("{action} returned the page token it was sent ({token:?}); the listing stops there")]
    RepeatedToken {
        /// The operation.
        action: &'static str,
        /// The token.
        token: String,
    },
    /// The service returned another page than the one asked for.
    #[error("{action} was asked for page {asked} and returned page {returned}")]
    WrongPage {
        /// The operation.
        action: &'static str,
        /// The page number sent.
        asked: i64,
        /// The page number the reply names.
        returned: i64,
    },
    /// The next page's number does not fit the request parameter's type.
    #[error("{action} cannot ask for page {page}: the page number is out of range")]
    PageOutOfRange {
        /// The operation.
        action: &'static str,
        /// The page number.
        page: i64,
    },
}

/// What follows a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// The page of this token.
    Token(String),
    /// The page of this number.
    Number(i64),
    /// Nothing: the listing is complete.
    End,
}

impl fmt::Display for NextPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(t) => write!(f, "the page of token {t:?}"),
            Self::Number(n) => write!(f, "page {n}"),
            Self::End => f.write_str("the end"),
        }
    }
}

/// What follows `page`, the reply to `request`. `first_page` is the number the listing
/// started at and `items_so_far` how many items its pages held before this one (numbered
/// paging counts them against the total when the service reports no page size).
pub fn next_page<O: Paged>(
    request: &O,
    page: &O::Response,
    first_page: i64,
    items_so_far: u64,
) -> Result<NextPage, PaginationError> {
    let facts = O::facts(page);
    let action = O::SPEC.action;
    match O::PAGING {
        Paging::Token => {
            if facts.more == Some(false) {
                return Ok(NextPage::End);
            }
            match facts.next_token.filter(|t| !t.is_empty()) {
                None => Ok(NextPage::End),
                Some(token) if Some(token) == request.token() => {
                    Err(PaginationError::RepeatedToken {
                        action,
                        token: token.to_owned(),
                    })
                }
                Some(token) => Ok(NextPage::Token(token.to_owned())),
            }
        }
        Paging::Number => {
            let asked = request.page_number().unwrap_or(1);
            if let Some(returned) = facts.page_number
                && returned != asked
            {
                return Err(PaginationError::WrongPage {
                    action,
                    asked,
                    returned,
                });
            }
            let count = facts.items.unwrap_or(0);
            if count == 0 {
                return Ok(NextPage::End);
            }
            let count = i64::try_from(count).unwrap_or(i64::MAX);
            if let Some(total) = facts.total_count {
                // Items up to the end of this page: by the page size where the service says
                // it, else by counting from the listing's first page.
                let reached = match facts.page_size {
                    Some(size) if size > 0 => {
                        (asked - 1).saturating_mul(size).saturating_add(count)
                    }
                    _ if first_page == 1 => i64::try_from(items_so_far)
                        .unwrap_or(i64::MAX)
                        .saturating_add(count),
                    _ => 0,
                };
                if reached >= total {
                    return Ok(NextPage::End);
                }
            }
            if let Some(size) = facts.page_size
                && count < size
            {
                return Ok(NextPage::End);
            }
            match asked.checked_add(1) {
                Some(next) => Ok(NextPage::Number(next)),
                None => Err(PaginationError::PageOutOfRange {
                    action,
                    page: asked,
                }),
            }
        }
    }
}

#[cfg(feature = "client")]
pub use stream::{Items, Pages};

#[cfg(feature = "client")]
mod stream {
    use std::collections::VecDeque;
    use std::fmt;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    use futures_core::Stream;

    use super::{NextPage, Paged, PagedItems, PaginationError, next_page};
    use crate::client::Caller;
    use crate::error::Error;

    type Call<O> =
        Pin<Box<dyn Future<Output = (O, Result<<O as crate::Operation>::Response, Error>)> + Send>>;

    /// The pages of a listing, one call each, as an async [`Stream`] (also readable without
    /// one through [`next`](Self::next)). A page is asked for only when the previous one has
    /// been taken; a failed call ends the stream after its error (the client has already
    /// retried what could be retried).
    #[must_use = "a stream does nothing until polled"]
    pub struct Pages<O: Paged> {
        caller: Caller,
        next: Option<O>,
        call: Option<Call<O>>,
        /// The error that ends the stream after the page that showed it.
        pending: Option<Error>,
        first_page: i64,
        items_so_far: u64,
    }

    impl<O: Paged> fmt::Debug for Pages<O> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Pages")
                .field("operation", &O::SPEC.action)
                .field("next", &self.next)
                .field("in_flight", &self.call.is_some())
                .finish_non_exhaustive()
        }
    }

    impl<O: Paged> Pages<O> {
        /// The pages of `request`'s listing, from the page it asks for.
        pub fn new(caller: Caller, request: O) -> Self {
            let first_page = request.page_number().unwrap_or(1);
            Self {
                caller,
                next: Some(request),
                call: None,
                pending: None,
                first_page,
                items_so_far: 0,
            }
        }

        /// The next page, or `None` once the listing is complete.
        pub async fn next(&mut self) -> Option<Result<O::Response, Error>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// Every page, or the first error.
        pub async fn try_collect(mut self) -> Result<Vec<O::Response>, Error> {
            let mut pages = Vec::new();
            while let Some(page) = self.next().await {
                pages.push(page?);
            }
            Ok(pages)
        }

        /// The items of the pages, one by one.
        pub fn items(self) -> Items<O>
        where
            O: PagedItems,
        {
            Items {
                pages: self,
                buffered: VecDeque::new(),
            }
        }

        fn after(&mut self, mut request: O, page: &O::Response) {
            let count = O::facts(page).items.unwrap_or(0);
            match next_page(&request, page, self.first_page, self.items_so_far) {
                Ok(NextPage::End) => {}
                Ok(NextPage::Token(token)) => {
                    request.set_token(token);
                    self.next = Some(request);
                }
                Ok(NextPage::Number(number)) => {
                    if request.set_page_number(number) {
                        self.next = Some(request);
                    } else {
                        self.pending = Some(Error::Pagination(PaginationError::PageOutOfRange {
                            action: O::SPEC.action,
                            page: number,
                        }));
                    }
                }
                Err(e) => self.pending = Some(Error::Pagination(e)),
            }
            self.items_so_far = self
                .items_so_far
                .saturating_add(u64::try_from(count).unwrap_or(u64::MAX));
        }
    }

    // The request is only moved, never pinned.
    impl<O: Paged> Unpin for Pages<O> {}

    impl<O: Paged> Stream for Pages<O> {
        type Item = Result<O::Response, Error>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = &mut *self;
            if let Some(e) = this.pending.take() {
                return Poll::Ready(Some(Err(e)));
            }
            if this.call.is_none() {
                let Some(request) = this.next.take() else {
                    return Poll::Ready(None);
                };
                let caller = this.caller.clone();
                this.call = Some(Box::pin(async move {
                    let reply = caller.call(request.clone()).await;
                    (request, reply)
                }));
            }
            let Some(call) = this.call.as_mut() else {
                return Poll::Ready(None);
            };
            let (request, reply) = ready!(call.as_mut().poll(cx));
            this.call = None;
            Poll::Ready(Some(reply.inspect(|page| this.after(request, page))))
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            let more = self.next.is_some() || self.call.is_some() || self.pending.is_some();
            (usize::from(more), None)
        }
    }

    /// The items of a listing's pages, one by one, as an async [`Stream`] (or through
    /// [`next`](Self::next)). An error ends the stream after it.
    #[must_use = "a stream does nothing until polled"]
    pub struct Items<O: PagedItems> {
        pages: Pages<O>,
        buffered: VecDeque<O::Item>,
    }

    impl<O: PagedItems> fmt::Debug for Items<O> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Items")
                .field("pages", &self.pages)
                .field("buffered", &self.buffered.len())
                .finish()
        }
    }

    impl<O: PagedItems> Items<O> {
        /// The next item, or `None` once the listing is complete.
        pub async fn next(&mut self) -> Option<Result<O::Item, Error>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// Every item, or the first error.
        pub async fn try_collect(mut self) -> Result<Vec<O::Item>, Error> {
            let mut items = Vec::new();
            while let Some(item) = self.next().await {
                items.push(item?);
            }
            Ok(items)
        }
    }

    // Items are only moved, never pinned.
    impl<O: PagedItems> Unpin for Items<O> {}

    impl<O: PagedItems> Stream for Items<O> {
        type Item = Result<O::Item, Error>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = &mut *self;
            loop {
                if let Some(item) = this.buffered.pop_front() {
                    return Poll::Ready(Some(Ok(item)));
                }
                match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                    Some(Ok(page)) => this.buffered.extend(O::into_items(page)),
                    Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                    None => return Poll::Ready(None),
                }
            }
        }
    }
}
