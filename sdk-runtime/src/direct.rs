//! A request serialized straight into its wire parts, without a `serde_json::Value` of the
//! whole request in between.
//!
//! The top-level serializer takes each field of the request struct and looks up its
//! [`ParamSpec`](crate::ParamSpec): a scalar in the query, a form or a header becomes its text
//! in place, and a flattened list or object (`Parameter.1.Code`) is walked with one key
//! buffer that grows and shrinks as the walk goes; a parameter sent as JSON text is written
//! as text straight from the value. Every other shape (a parameter in the body, the path or
//! the host, comma-joined lists, floats other than `f64`, maps keyed by anything but text or
//! integers) is serialized as a JSON value alone and placed by
//! [`place`](crate::wire::place), the same code [`encode_fields`](crate::encode_fields)
//! runs. When anything fails, [`encode`] answers `None` and the caller encodes through a
//! value of the whole request, which reports the error: the two paths give the same parts.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct, Serializer};
use serde_json::Value;

use crate::operation::{Encoding, OperationSpec};
use crate::wire::{WireParts, place, text_list};

/// The parts of `request`, or `None` when a shape or an error needs the value path.
pub(crate) fn encode<R: Serialize + ?Sized>(
    spec: &'static OperationSpec,
    request: &R,
) -> Option<WireParts> {
    let mut parts = WireParts::empty(spec);
    request
        .serialize(Top {
            spec,
            parts: &mut parts,
            next: 0,
        })
        .ok()?;
    Some(parts)
}

/// Why the direct path stopped; the value path takes over and says what went wrong, if
/// anything did.
#[derive(Debug)]
pub(crate) struct Fallback;

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not encoded directly")
    }
}

impl std::error::Error for Fallback {}

impl ser::Error for Fallback {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self
    }
}

/// The value of one field through a `serde_json::Value`, placed as [`encode_fields`] would.
fn via_value<T: Serialize + ?Sized>(
    parts: &mut WireParts,
    spec: &OperationSpec,
    name: &str,
    value: &T,
) -> Result<(), Fallback> {
    match serde_json::to_value(value).map_err(|_| Fallback)? {
        Value::Null => Ok(()),
        value => place(parts, spec, name.to_owned(), value).map_err(|_| Fallback),
    }
}

/// The compact JSON text of `value`, written straight from it: the text
/// `serde_json::to_value(value)` would print, as the value path sends it. `serde_json`'s
/// value holds an `f32` as the `f64` it converts to, so this writes one the same way.
fn json_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    struct AsValuePrints;
    impl serde_json::ser::Formatter for AsValuePrints {
        fn write_f32<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            value: f32,
        ) -> std::io::Result<()> {
            self.write_f64(writer, f64::from(value))
        }
        // A value refuses integers beyond 64 bits; so does this, and the value path says why.
        fn write_i128<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            value: i128,
        ) -> std::io::Result<()> {
            match i64::try_from(value) {
                Ok(small) => self.write_i64(writer, small),
                Err(_) => Err(std::io::Error::other("beyond 64 bits")),
            }
        }
        fn write_u128<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            value: u128,
        ) -> std::io::Result<()> {
            match u64::try_from(value) {
                Ok(small) => self.write_u64(writer, small),
                Err(_) => Err(std::io::Error::other("beyond 64 bits")),
            }
        }
    }
    let mut text = Vec::with_capacity(128);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut text,
            AsValuePrints,
        ))
        .ok()?;
    String::from_utf8(text).ok()
}

/// The request itself: a struct whose fields are its parameters.
struct Top<'a> {
    spec: &'static OperationSpec,
    parts: &'a mut WireParts,
    /// Where to look for the next field's parameter first: generated requests declare their
    /// fields in the order of their operation's parameters.
    next: usize,
}

impl SerializeStruct for Top<'_> {
    type Ok = ();
    type Error = Fallback;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Fallback> {
        let spec = self.spec;
        let (before, from_next) = spec.params.split_at(self.next.min(spec.params.len()));
        let at = from_next
            .iter()
            .position(|p| p.name == name)
            .map(|i| i + before.len())
            .or_else(|| before.iter().position(|p| p.name == name))
            .ok_or(Fallback)?;
        self.next = at + 1;
        let param = spec.params.get(at).ok_or(Fallback)?;
        let location = param.location;
        let encoding = param.encoding;
        match text_list(self.parts, location) {
            Some(out) if encoding == Encoding::Flat => {
                let mut key = String::with_capacity(64);
                key.push_str(name);
                value.serialize(Flat { key: &mut key, out })
            }
            Some(out) if encoding == Encoding::Plain => match value.serialize(Scalar::VALUE) {
                Ok(Some(text)) => {
                    out.push((name.to_owned(), text));
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(Fallback) => via_value(self.parts, spec, name, value),
            },
            Some(out) if encoding == Encoding::Json => match json_text(value) {
                Some(text) if text == "null" => Ok(()),
                Some(text) => {
                    out.push((name.to_owned(), text));
                    Ok(())
                }
                None => via_value(self.parts, spec, name, value),
            },
            _ => via_value(self.parts, spec, name, value),
        }
    }

    fn end(self) -> Result<(), Fallback> {
        Ok(())
    }
}

/// `serialize_*` methods, named by what they take (`bool`, `seq`, `struct_variant`, ...), that
/// give up: the value path takes such a shape instead.
macro_rules! fallback {
    ($($kind:ident),* $(,)?) => { $(fallback!(@ $kind);)* };
    (@bool) => { fn serialize_bool(self, _: bool) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@i8) => { fn serialize_i8(self, _: i8) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@i16) => { fn serialize_i16(self, _: i16) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@i32) => { fn serialize_i32(self, _: i32) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@i64) => { fn serialize_i64(self, _: i64) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@u8) => { fn serialize_u8(self, _: u8) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@u16) => { fn serialize_u16(self, _: u16) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@u32) => { fn serialize_u32(self, _: u32) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@u64) => { fn serialize_u64(self, _: u64) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@f32) => { fn serialize_f32(self, _: f32) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@f64) => { fn serialize_f64(self, _: f64) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@char) => { fn serialize_char(self, _: char) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@str) => { fn serialize_str(self, _: &str) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@bytes) => {
        fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Fallback> { Err(Fallback) }
    };
    (@none) => { fn serialize_none(self) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@some) => {
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Fallback> {
            Err(Fallback)
        }
    };
    (@unit) => { fn serialize_unit(self) -> Result<Self::Ok, Fallback> { Err(Fallback) } };
    (@unit_struct) => {
        fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Fallback> {
            Err(Fallback)
        }
    };
    (@unit_variant) => {
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<Self::Ok, Fallback> {
            Err(Fallback)
        }
    };
    (@newtype_struct) => {
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Fallback> {
            Err(Fallback)
        }
    };
    (@newtype_variant) => {
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Fallback> {
            Err(Fallback)
        }
    };
    (@seq) => {
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Fallback> {
            Err(Fallback)
        }
    };
    (@tuple) => {
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Fallback> {
            Err(Fallback)
        }
    };
    (@tuple_struct) => {
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Fallback> {
            Err(Fallback)
        }
    };
    (@tuple_variant) => {
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Fallback> {
            Err(Fallback)
        }
    };
    (@map) => {
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Fallback> {
            Err(Fallback)
        }
    };
    (@struct) => {
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Fallback> {
            Err(Fallback)
        }
    };
    (@struct_variant) => {
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Fallback> {
            Err(Fallback)
        }
    };
}

/// The eight integer `serialize_*` methods, each `|self, v| body`.
macro_rules! integers {
    (|$this:ident, $v:ident| $body:expr) => {
        integers!(@ $this $v $body; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64);
    };
    (@ $this:ident $v:ident $body:expr; $($method:ident $ty:ty),*) => {$(
        fn $method($this, $v: $ty) -> Result<Self::Ok, Fallback> {
            $body
        }
    )*};
}

impl<'a> Serializer for Top<'a> {
    type Ok = ();
    type Error = Fallback;
    type SerializeSeq = Impossible<(), Fallback>;
    type SerializeTuple = Impossible<(), Fallback>;
    type SerializeTupleStruct = Impossible<(), Fallback>;
    type SerializeTupleVariant = Impossible<(), Fallback>;
    type SerializeMap = Impossible<(), Fallback>;
    type SerializeStruct = Top<'a>;
    type SerializeStructVariant = Impossible<(), Fallback>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Top<'a>, Fallback> {
        Ok(self)
    }

    fallback!(
        bool,
        i8,
        i16,
        i32,
        i64,
        u8,
        u16,
        u32,
        u64,
        f32,
        f64,
        char,
        str,
        bytes,
        none,
        some,
        unit,
        unit_struct,
        unit_variant,
        newtype_struct,
        newtype_variant,
        seq,
        tuple,
        tuple_struct,
        tuple_variant,
        map,
        struct_variant,
    );
}

/// The wire text of a scalar, `None` for a null (an unset value, a unit, a non-finite float,
/// which a JSON value holds as `null`); a list or an object falls back. As a map `key`, only
/// text and integers are taken (the keys `serde_json` writes as they are).
struct Scalar {
    key: bool,
}

impl Scalar {
    const VALUE: Self = Self { key: false };
    const KEY: Self = Self { key: true };

    fn integer(n: impl itoa::Integer) -> Result<Option<String>, Fallback> {
        Ok(Some(itoa::Buffer::new().format(n).to_owned()))
    }

    /// What a value gives and a key does not.
    fn value_only(self, text: Option<String>) -> Result<Option<String>, Fallback> {
        if self.key { Err(Fallback) } else { Ok(text) }
    }
}

impl Serializer for Scalar {
    type Ok = Option<String>;
    type Error = Fallback;
    type SerializeSeq = Impossible<Option<String>, Fallback>;
    type SerializeTuple = Impossible<Option<String>, Fallback>;
    type SerializeTupleStruct = Impossible<Option<String>, Fallback>;
    type SerializeTupleVariant = Impossible<Option<String>, Fallback>;
    type SerializeMap = Impossible<Option<String>, Fallback>;
    type SerializeStruct = Impossible<Option<String>, Fallback>;
    type SerializeStructVariant = Impossible<Option<String>, Fallback>;

    fn serialize_bool(self, v: bool) -> Result<Option<String>, Fallback> {
        self.value_only(Some(if v { "true" } else { "false" }.to_owned()))
    }
    integers!(|self, v| Self::integer(v));
    fn serialize_f64(self, v: f64) -> Result<Option<String>, Fallback> {
        // As a JSON value holds it: a finite number in serde_json's notation, else null.
        self.value_only(serde_json::Number::from_f64(v).map(|n| n.to_string()))
    }
    fn serialize_char(self, v: char) -> Result<Option<String>, Fallback> {
        Ok(Some(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Option<String>, Fallback> {
        Ok(Some(v.to_owned()))
    }
    fn serialize_none(self) -> Result<Option<String>, Fallback> {
        self.value_only(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Option<String>, Fallback> {
        if self.key {
            return Err(Fallback);
        }
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, Fallback> {
        self.value_only(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, Fallback> {
        self.value_only(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, Fallback> {
        Ok(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Option<String>, Fallback> {
        v.serialize(self)
    }

    // serde_json widens an f32 in its own way: its path gives the text.
    fallback!(
        f32,
        bytes,
        newtype_variant,
        seq,
        tuple,
        tuple_struct,
        tuple_variant,
        map,
        struct,
        struct_variant,
    );
}

/// A value flattened under the key in `key`: a scalar is one pair, a list's items go under
/// `key.1`, `key.2`, ..., an object's fields under `key.Name`; nulls and empty lists give
/// nothing. `key` is restored when the value is done.
struct Flat<'a> {
    key: &'a mut String,
    out: &'a mut Vec<(String, String)>,
}

impl Flat<'_> {
    fn scalar(self, text: Result<Option<String>, Fallback>) -> Result<(), Fallback> {
        if let Some(text) = text? {
            self.out.push((self.key.clone(), text));
        }
        Ok(())
    }
}

/// A list or an object being flattened: where the key stood before it, and the next index.
struct FlatCompound<'a> {
    key: &'a mut String,
    out: &'a mut Vec<(String, String)>,
    base: usize,
    index: usize,
}

impl FlatCompound<'_> {
    /// Flattens `value` under the compound's key followed by `.segment`.
    fn nested<T: Serialize + ?Sized>(&mut self, segment: &str, value: &T) -> Result<(), Fallback> {
        self.key.truncate(self.base);
        self.key.push('.');
        self.key.push_str(segment);
        let result = value.serialize(Flat {
            key: self.key,
            out: self.out,
        });
        self.key.truncate(self.base);
        result
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        self.index += 1;
        let mut digits = itoa::Buffer::new();
        let segment = digits.format(self.index);
        self.nested(segment, value)
    }
}

impl<'a> Serializer for Flat<'a> {
    type Ok = ();
    type Error = Fallback;
    type SerializeSeq = FlatCompound<'a>;
    type SerializeTuple = FlatCompound<'a>;
    type SerializeTupleStruct = FlatCompound<'a>;
    type SerializeTupleVariant = Impossible<(), Fallback>;
    type SerializeMap = FlatMap<'a>;
    type SerializeStruct = FlatCompound<'a>;
    type SerializeStructVariant = Impossible<(), Fallback>;

    fn serialize_bool(self, v: bool) -> Result<(), Fallback> {
        self.scalar(Scalar::VALUE.serialize_bool(v))
    }
    integers!(|self, v| self.scalar(Scalar::integer(v)));
    fn serialize_f32(self, v: f32) -> Result<(), Fallback> {
        self.scalar(Scalar::VALUE.serialize_f32(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Fallback> {
        self.scalar(Scalar::VALUE.serialize_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Fallback> {
        self.scalar(Scalar::VALUE.serialize_char(v))
    }
    fn serialize_str(self, v: &str) -> Result<(), Fallback> {
        self.scalar(Scalar::VALUE.serialize_str(v))
    }
    fn serialize_none(self) -> Result<(), Fallback> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Fallback> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Fallback> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Fallback> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Fallback> {
        self.scalar(Ok(Some(variant.to_owned())))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Fallback> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<FlatCompound<'a>, Fallback> {
        let base = self.key.len();
        Ok(FlatCompound {
            key: self.key,
            out: self.out,
            base,
            index: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<FlatCompound<'a>, Fallback> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<FlatCompound<'a>, Fallback> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<FlatMap<'a>, Fallback> {
        let base = self.key.len();
        Ok(FlatMap {
            inner: FlatCompound {
                key: self.key,
                out: self.out,
                base,
                index: 0,
            },
            pending: None,
            seen: std::collections::HashSet::new(),
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<FlatCompound<'a>, Fallback> {
        self.serialize_seq(Some(len))
    }

    fallback!(bytes, newtype_variant, tuple_variant, struct_variant);
}

/// The list-like `Serialize*` traits (a list, a tuple, a tuple struct), whose items are
/// numbered from 1 under the compound's key.
macro_rules! flat_items {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$trait for FlatCompound<'_> {
            type Ok = ();
            type Error = Fallback;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
                self.element(value)
            }
            fn end(self) -> Result<(), Fallback> {
                Ok(())
            }
        }
    )*};
}

flat_items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
);

impl SerializeStruct for FlatCompound<'_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Fallback> {
        self.nested(name, value)
    }
    fn end(self) -> Result<(), Fallback> {
        Ok(())
    }
}

/// An object with keys of its own (a map), flattened like a struct. A JSON value keeps one
/// entry per key, so a map whose keys repeat takes the value path.
struct FlatMap<'a> {
    inner: FlatCompound<'a>,
    pending: Option<String>,
    seen: std::collections::HashSet<String>,
}

impl SerializeMap for FlatMap<'_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Fallback> {
        // Keys as a JSON object holds them: text, or integers written in decimal.
        let text = key.serialize(Scalar::KEY)?.ok_or(Fallback)?;
        if self.seen.contains(&text) {
            return Err(Fallback);
        }
        self.seen.insert(text.clone());
        self.pending = Some(text);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        let key = self.pending.take().ok_or(Fallback)?;
        self.inner.nested(&key, value)
    }
    fn end(self) -> Result<(), Fallback> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::operation::{EndpointRule, Location, ParamSpec, Style};
    use crate::wire::encode_via_value;

    /// One parameter of every place and encoding a request can use.
    const SPEC: OperationSpec = OperationSpec {
        product: "Test",
        action: "Everything",
        version: "2024-01-01",
        style: Style::Roa,
        method: "POST",
        path: "/items/{Id}",
        endpoint: EndpointRule::Regional {
            host: "test.{region}.aliyuncs.com",
            regions: &[],
            vpc: &[],
        },
        params: &[
            ParamSpec::new("Id", Location::Path, Encoding::Plain),
            ParamSpec::new("Zone", Location::Host, Encoding::Plain),
            ParamSpec::new("Name", Location::Query, Encoding::Plain),
            ParamSpec::new("Filter", Location::Query, Encoding::Flat),
            ParamSpec::new("Tags", Location::Query, Encoding::Simple),
            ParamSpec::new("Spec", Location::Query, Encoding::Json),
            ParamSpec::new("x-acs-trace", Location::Header, Encoding::Plain),
            ParamSpec::new("x-acs-list", Location::Header, Encoding::Flat),
            ParamSpec::new("Size", Location::Form, Encoding::Plain),
            ParamSpec::new("Rules", Location::Form, Encoding::Flat),
        ],
        idempotency_token: None,
        read_only: false,
        anonymous: false,
        success_field: None,
        errors: &[],
        example_response: None,
        response_body: crate::ResponseBody::Object,
        #[cfg(feature = "mock")]
        check: |_| Ok(()),
    };

    /// A request whose parameters hold any JSON.
    #[derive(Debug, Default, serde::Serialize)]
    struct AnyRequest {
        #[serde(rename = "Id", skip_serializing_if = "Option::is_none")]
        id: Option<Value>,
        #[serde(rename = "Zone", skip_serializing_if = "Option::is_none")]
        zone: Option<Value>,
        #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
        name: Option<Value>,
        #[serde(rename = "Filter", skip_serializing_if = "Option::is_none")]
        filter: Option<Value>,
        #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
        tags: Option<Value>,
        #[serde(rename = "Spec", skip_serializing_if = "Option::is_none")]
        spec: Option<Value>,
        #[serde(rename = "x-acs-trace", skip_serializing_if = "Option::is_none")]
        trace: Option<Value>,
        #[serde(rename = "x-acs-list", skip_serializing_if = "Option::is_none")]
        list: Option<Value>,
        #[serde(rename = "Size", skip_serializing_if = "Option::is_none")]
        size: Option<Value>,
        #[serde(rename = "Rules", skip_serializing_if = "Option::is_none")]
        rules: Option<Value>,
    }

    /// The direct path gives what the value path gives; with `direct`, it must not fall back
    /// where the value path succeeds.
    fn same_as_the_value_path<R: Serialize>(
        request: &R,
        direct: bool,
    ) -> Result<(), TestCaseError> {
        let reference = encode_via_value(&SPEC, request);
        match (encode(&SPEC, request), reference) {
            (Some(direct), Ok(reference)) => prop_assert_eq!(direct, reference),
            (Some(direct), Err(e)) => {
                prop_assert!(
                    false,
                    "direct gave {direct:?} where the value path fails: {e}"
                )
            }
            (None, Ok(_)) if direct => prop_assert!(false, "fell back"),
            // Otherwise falling back is allowed: the value path then answers.
            (None, _) => {}
        }
        Ok(())
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|x| json!(x)),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[A-Za-z.]{0,4}", inner), 0..5)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    fn maybe() -> impl Strategy<Value = Option<Value>> {
        prop::option::of(json_value())
    }

    proptest! {
        #[test]
        fn any_json_in_any_place_encodes_as_through_a_value(
            id in maybe(), zone in maybe(), name in maybe(), filter in maybe(),
            tags in maybe(), spec in maybe(), trace in maybe(), list in maybe(),
            size in maybe(), rules in maybe(),
        ) {
            let request = AnyRequest { id, zone, name, filter, tags, spec, trace, list, size, rules };
            // JSON values hold only shapes the direct path takes.
            same_as_the_value_path(&request, true)?;
        }
    }

    #[derive(Debug, serde::Serialize)]
    enum Kind {
        Small,
        #[serde(rename = "big-one")]
        Big,
    }

    #[derive(Debug, serde::Serialize)]
    struct Item {
        #[serde(rename = "Key")]
        key: Option<String>,
        #[serde(rename = "Kind", skip_serializing_if = "Option::is_none")]
        kind: Option<Kind>,
        #[serde(rename = "Weight")]
        weight: Option<f32>,
        #[serde(rename = "Ratio")]
        ratio: f64,
        #[serde(rename = "Pair")]
        pair: (u8, char),
        #[serde(rename = "Unit")]
        unit: (),
    }

    #[derive(Debug, serde::Serialize)]
    struct Wrapper(i128);

    #[derive(Debug, serde::Serialize)]
    enum Shape {
        Circle(u32),
    }

    /// The typed shapes generated code and user types serialize through.
    #[derive(Debug, serde::Serialize)]
    struct TypedRequest {
        #[serde(rename = "Id")]
        id: String,
        #[serde(rename = "Name")]
        name: Kind,
        #[serde(rename = "Filter")]
        filter: Vec<Option<Item>>,
        #[serde(rename = "x-acs-list")]
        list: BTreeMap<i32, Vec<String>>,
        #[serde(rename = "Rules")]
        rules: HashMap<String, Wrapper>,
        #[serde(rename = "Size", skip_serializing_if = "Option::is_none")]
        size: Option<Shape>,
        #[serde(rename = "Spec", skip_serializing_if = "Option::is_none")]
        spec: Option<(Item, BTreeMap<i32, f32>, Wrapper)>,
    }

    fn item(key: &str, ratio: f64) -> Item {
        Item {
            key: Some(key.to_owned()),
            kind: Some(Kind::Big),
            weight: None,
            ratio,
            pair: (7, 'é'),
            unit: (),
        }
    }

    fn typed() -> TypedRequest {
        TypedRequest {
            id: "a b/c".to_owned(),
            name: Kind::Small,
            filter: vec![Some(item("k", 1.5)), None, Some(item("", f64::NAN))],
            list: BTreeMap::from([(3, vec!["x".to_owned()]), (-1, Vec::new())]),
            rules: HashMap::new(),
            size: None,
            // JSON text written straight from typed values: an f32 and an f64 that is not a
            // number, integer map keys, a newtype of an i128.
            spec: Some((
                Item {
                    weight: Some(0.1),
                    ..item("s", f64::INFINITY)
                },
                BTreeMap::from([(-2, 1.1), (7, f32::NAN)]),
                Wrapper(-5),
            )),
        }
    }

    #[test]
    fn typed_requests_encode_as_through_a_value() {
        same_as_the_value_path(&typed(), true).unwrap();
        // An f32 or an i128 in a flattened list sends the whole request down the value path; a
        // newtype variant in a plain parameter sends that parameter alone.
        let mut weighed = item("w", 2.0);
        weighed.weight = Some(0.1);
        for other in [
            TypedRequest {
                filter: vec![Some(weighed)],
                ..typed()
            },
            TypedRequest {
                rules: HashMap::from([("r".to_owned(), Wrapper(5))]),
                ..typed()
            },
            TypedRequest {
                size: Some(Shape::Circle(2)),
                ..typed()
            },
            TypedRequest {
                spec: Some((item("big", 0.0), BTreeMap::new(), Wrapper(i128::MAX))),
                ..typed()
            },
        ] {
            same_as_the_value_path(&other, false).unwrap();
        }
        let variant = TypedRequest {
            size: Some(Shape::Circle(2)),
            ..typed()
        };
        let parts = encode(&SPEC, &variant).expect("one parameter through a value");
        assert_eq!(parts.param("Size").as_deref(), Some(r#"{"Circle":2}"#));
    }

    #[test]
    fn plain_scalars_and_flattened_lists_take_the_direct_path() {
        let request = AnyRequest {
            name: Some(json!("n")),
            filter: Some(json!([{"Code": "a", "Skip": null}, [], 2.5])),
            trace: Some(json!(true)),
            size: Some(json!(-3)),
            rules: Some(json!({"x": [1, 2]})),
            ..AnyRequest::default()
        };
        let parts = encode(&SPEC, &request).expect("no fallback");
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            parts.query,
            pairs(&[("Name", "n"), ("Filter.1.Code", "a"), ("Filter.3", "2.5")])
        );
        assert_eq!(parts.headers, pairs(&[("x-acs-trace", "true")]));
        assert_eq!(
            parts.body,
            crate::Body::Form(pairs(&[
                ("Size", "-3"),
                ("Rules.x.1", "1"),
                ("Rules.x.2", "2")
            ]))
        );
    }

    #[test]
    fn what_the_value_path_refuses_falls_back() {
        #[derive(serde::Serialize)]
        struct Unknown {
            #[serde(rename = "Other")]
            other: u8,
        }
        assert!(encode(&SPEC, &Unknown { other: 1 }).is_none());
        assert!(encode_via_value(&SPEC, &Unknown { other: 1 }).is_err());
        assert!(
            encode(&SPEC, &json!({"Name": "n"})).is_none(),
            "not a struct"
        );
    }
}
