//! Which failed attempts are repeated, and the budget that bounds retries across calls.
//!
//! A failure is repeated only when repeating is safe and may help:
//! - throttling (HTTP 429 or a `Throttling*` code) and a connection that failed before the
//!   request was written: the service did not act, so every operation is repeated;
//! - a 500, 502, 503 or 504 reply, a timeout, or a connection that broke after the request was
//!   written: the service may have acted, so only operations that cannot act twice (read-only,
//!   or carrying an idempotency token) are repeated;
//! - never: TLS failures, redirects, oversized replies, other statuses, and anything found
//!   before sending (validation, configuration, encoding, signing).

use std::sync::Mutex;

use super::config::{RETRY_COST, TIMEOUT_RETRY_COST};
use super::error::{Error, TransportErrorKind};
use super::operation::OperationSpec;

/// Why an attempt may be repeated; it sets what the retry costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// The service refused to act: throttling, or the request never left.
    NotProcessed,
    /// A transient server or network failure after the request may have been processed.
    Transient,
    /// The attempt ran out of time.
    Timeout,
}

impl RetryReason {
    pub(crate) fn cost(self) -> u32 {
        match self {
            Self::Timeout => TIMEOUT_RETRY_COST,
            Self::NotProcessed | Self::Transient => RETRY_COST,
        }
    }
}

/// Whether `error`, from an attempt at `spec`'s operation, may be repeated, and why.
pub(crate) fn retry_reason(spec: &OperationSpec, error: &Error) -> Option<RetryReason> {
    let idempotent = spec.is_idempotent();
    match error {
        Error::Service(e) if e.is_throttling() => Some(RetryReason::NotProcessed),
        Error::Service(e) if matches!(e.status, 500 | 502 | 503 | 504) && idempotent => {
            Some(RetryReason::Transient)
        }
        Error::Transport(e) => match e.kind {
            TransportErrorKind::Connect => Some(RetryReason::NotProcessed),
            TransportErrorKind::Io if idempotent => Some(RetryReason::Transient),
            TransportErrorKind::Timeout if idempotent => Some(RetryReason::Timeout),
            _ => None,
        },
        _ => None,
    }
}

/// A token bucket shared by every call made with one configuration: each retry withdraws its
/// cost, and a failing service drains it, so that retries stop until calls succeed again.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    capacity: u32,
    tokens: Mutex<u32>,
}

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        Self {
            capacity,
            tokens: Mutex::new(capacity),
        }
    }

    fn with_tokens<T>(&self, f: impl FnOnce(&mut u32) -> T) -> T {
        // A plain counter: a panic elsewhere cannot leave it half-updated.
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut tokens)
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn withdraw(&self, cost: u32) -> bool {
        self.with_tokens(|tokens| match tokens.checked_sub(cost) {
            Some(left) => {
                *tokens = left;
                true
            }
            None => false,
        })
    }

    /// Gives back `amount` tokens, up to the capacity.
    pub(crate) fn deposit(&self, amount: u32) {
        let capacity = self.capacity;
        self.with_tokens(|tokens| *tokens = tokens.saturating_add(amount).min(capacity));
    }

    /// The tokens left.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> u32 {
        self.with_tokens(|tokens| *tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_pays_until_empty_and_refills_to_capacity() {
        let budget = RetryBudget::new(12);
        assert!(budget.withdraw(5));
        assert!(budget.withdraw(5));
        assert!(!budget.withdraw(5), "2 tokens left");
        assert_eq!(budget.tokens(), 2);
        budget.deposit(10);
        assert_eq!(budget.tokens(), 12);
        budget.deposit(1);
        assert_eq!(budget.tokens(), 12, "never above capacity");
        assert!(!RetryBudget::new(0).withdraw(1));
    }
}
