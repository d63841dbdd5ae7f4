//! Response types read from a table of wire names instead of serde's derive.
//!
//! serde's `Deserialize` derive writes, for every struct, a field-identifier enum with its
//! visitor, a sequence visitor and a map visitor: about fifteen lines of code to type-check per
//! field, which made up a fifth of what the compiler checks in a generated product. A response
//! type instead expands [`response_fields!`](crate::response_fields): one `match` arm per
//! field, behind one generic visitor ([`deserialize_fields`]) written here once. Elements no
//! field names are skipped, or kept in `unlisted` for an open response; `null` reads as an
//! unset field, as with the derive. With the SDK's `serde-full` feature the same table gives a
//! `Serialize` impl (a response written back as JSON).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// A response type whose fields are read by wire name (implemented by
/// [`response_fields!`](crate::response_fields)).
pub trait ResponseFields: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The wire names of its fields.
    const FIELDS: &'static [&'static str];
    /// Reads the value of the element `key` from `map` into its field; false when no field
    /// has that wire name (the value is then still unread).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
    /// Reads the value of an element no field names: skipped, or kept by an open response.
    fn read_unlisted<'de, A: MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let _ = key;
        map.next_value::<IgnoredAny>().map(|_| ())
    }
}

/// Deserializes a [`ResponseFields`] type from a map (a JSON object).
pub fn deserialize_fields<'de, T: ResponseFields, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct FieldsVisitor<T>(PhantomData<T>);

    impl<'de, T: ResponseFields> Visitor<'de> for FieldsVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object ({})", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            while let Some(key) = map.next_key::<String>()? {
                if !value.read_field(&key, &mut map)? {
                    value.read_unlisted(key, &mut map)?;
                }
            }
            Ok(value)
        }
    }

    deserializer.deserialize_struct(T::NAME, T::FIELDS, FieldsVisitor(PhantomData))
}

/// `Deserialize` (and, with the SDK's `serde-full` feature, `Serialize`) for a generated
/// response type from its fields' wire names: `response_fields!(Name { field = "Wire", ... })`,
/// or `response_fields!(Name open { ... })` for a type that keeps unlisted elements in its
/// `unlisted` map.
#[doc(hidden)]
#[macro_export]
macro_rules! response_fields {
    ($name:ident { $($field:ident = $wire:literal),* $(,)? }) => {
        $crate::response_fields!(@common $name { $($field = $wire),* } {});
        $crate::response_fields!(@serialize $name { $($field = $wire),* });
    };
    ($name:ident open { $($field:ident = $wire:literal),* $(,)? }) => {
        $crate::response_fields!(@common $name { $($field = $wire),* } {
            fn read_unlisted<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: ::std::string::String,
                map: &mut A,
            ) -> ::std::result::Result<(), A::Error> {
                let value = map.next_value()?;
                self.unlisted.insert(key, value);
                ::std::result::Result::Ok(())
            }
        });
        $crate::response_fields!(@serialize $name { $($field = $wire),* } open);
    };
    (@common $name:ident { $($field:ident = $wire:literal),* } { $($unlisted:tt)* }) => {
        impl $crate::ResponseFields for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                let _ = &map;
                match key {
                    $($wire => self.$field = map.next_value()?,)*
                    _ => return ::std::result::Result::Ok(false),
                }
                #[allow(unreachable_code)]
                ::std::result::Result::Ok(true)
            }
            $($unlisted)*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize_fields(deserializer)
            }
        }
    };
    (@serialize $name:ident { $($field:ident = $wire:literal),* } $($open:ident)?) => {
        #[cfg(feature = "serde-full")]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut out = serializer.serialize_map(::std::option::Option::None)?;
                $(
                    if let ::std::option::Option::Some(value) = &self.$field {
                        ::serde::ser::SerializeMap::serialize_entry(&mut out, $wire, value)?;
                    }
                )*
                $($crate::response_fields!(@unlisted $open self out);)?
                ::serde::ser::SerializeMap::end(out)
            }
        }
    };
    (@unlisted open $this:ident $out:ident) => {
        for (key, value) in &$this.unlisted {
            ::serde::ser::SerializeMap::serialize_entry(&mut $out, key, value)?;
        }
    };
}
