//! What every generated enum shares.

use std::fmt;

/// A generated enum of documented wire values, with an `Unknown` variant that keeps any value
/// the reference page does not list.
#[doc(hidden)]
pub trait WireEnum: fmt::Display {
    /// The Rust type's name, for messages.
    const TYPE_NAME: &'static str;
    /// Every documented value, as it travels on the wire.
    const VALUES: &'static [&'static str];
    /// Whether this is a documented value (not `Unknown`).
    fn is_known(&self) -> bool;
}

/// A value that is not one of an enum's documented values (the error of its `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {type_name}; valid values: {}", valid.join(", "))]
pub struct UnknownEnumValue {
    /// The enum's Rust name.
    pub type_name: &'static str,
    /// The value given.
    pub value: String,
    /// The documented values.
    pub valid: &'static [&'static str],
}

impl UnknownEnumValue {
    /// The error for `value` not being one of `E`'s documented values.
    pub fn of<E: WireEnum>(value: &str) -> Self {
        Self {
            type_name: E::TYPE_NAME,
            value: value.to_owned(),
            valid: E::VALUES,
        }
    }
}

/// A string value the reference page does not list, as the service sent it: the payload of a
/// generated enum's `Unknown` variant (and of an `ErrorCode`'s). It is made only by reading a
/// value, never by hand, so a documented value always reads as its own variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value read from the wire (generated code only).
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An integer value the reference page does not list, as the service sent it: the payload of
/// an integer enum's `Unknown` variant. Like [`UnknownValue`], made only by reading a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownNumber(i64);

impl UnknownNumber {
    /// Wraps a value read from the wire (generated code only).
    #[doc(hidden)]
    pub fn new(value: i64) -> Self {
        Self(value)
    }

    /// The value as received.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for UnknownNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
