//! What every generated enum shares.

use std::fmt;

/// A generated enum of documented wire values, with an `Unknown` variant that keeps any value
/// the reference page does not list.
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
