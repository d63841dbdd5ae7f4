//! Trait impls every generated enum and error-code type shares, written once here and invoked
//! by one line of generated code each.

/// For an enum of documented string values (`Variant = "wire"`) plus `Unknown(UnknownValue)`:
/// `as_str()`, the private `from_wire(&str)`, `WireEnum`, `FromStr` (strict: only documented
/// values), `Display`, and serde as the wire string.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum_impls {
    ($name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        impl $name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Unknown(value) => value.as_str(),
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)+
                    other => Self::Unknown($crate::UnknownValue::new(other)),
                }
            }
        }

        impl $crate::WireEnum for $name {
            const TYPE_NAME: &'static str = ::std::stringify!($name);
            const VALUES: &'static [&'static str] = &[$($value),+];
            fn is_known(&self) -> bool {
                !::std::matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownEnumValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match Self::from_wire(s) {
                    Self::Unknown(_) => {
                        ::std::result::Result::Err($crate::UnknownEnumValue::of::<Self>(s))
                    }
                    known => ::std::result::Result::Ok(known),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_wire(&value))
            }
        }
    };
}

/// The same for an enum of documented integers (`Variant = 1`) plus `Unknown(UnknownNumber)`: `value()`
/// and `from_wire(i64)`, serde as a number.
#[doc(hidden)]
#[macro_export]
macro_rules! int_enum_impls {
    ($name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        impl $name {
            /// The value as it travels on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Unknown(value) => value.get(),
                }
            }

            fn from_wire(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)+
                    other => Self::Unknown($crate::UnknownNumber::new(other)),
                }
            }
        }

        impl $crate::WireEnum for $name {
            const TYPE_NAME: &'static str = ::std::stringify!($name);
            const VALUES: &'static [&'static str] = &[$(::std::concat!($value)),+];
            fn is_known(&self) -> bool {
                !::std::matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownEnumValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s.trim().parse::<i64>().map(Self::from_wire) {
                    ::std::result::Result::Ok(Self::Unknown(_)) | ::std::result::Result::Err(_) => {
                        ::std::result::Result::Err($crate::UnknownEnumValue::of::<Self>(s))
                    }
                    ::std::result::Result::Ok(known) => ::std::result::Result::Ok(known),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from_wire)
            }
        }
    };
}

/// An operation's `ErrorCode` (documented codes as `Variant = "Code"`, plus `Unknown`):
/// `from_code()`, `code()`, `info()` (the row of the operation's table), accessors, `Display`
/// and `KnownErrorCode`.
#[doc(hidden)]
#[macro_export]
macro_rules! error_code_impls {
    ($name:ident, $operation:ident {}) => {
        impl $name {
            /// The error code for a `Code` received from the service.
            pub fn from_code(code: &str) -> Self {
                Self::Unknown($crate::UnknownValue::new(code))
            }

            /// The code as the service sends it.
            pub fn code(&self) -> &str {
                let Self::Unknown(code) = self;
                code.as_str()
            }
        }

        $crate::error_code_impls!(@common $name, $operation);
    };
    ($name:ident, $operation:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        impl $name {
            /// The error code for a `Code` received from the service.
            pub fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$variant,)+
                    other => Self::Unknown($crate::UnknownValue::new(other)),
                }
            }

            /// The code as the service sends it.
            pub fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)+
                    Self::Unknown(code) => code.as_str(),
                }
            }
        }

        $crate::error_code_impls!(@common $name, $operation);
    };
    (@common $name:ident, $operation:ident) => {
        impl $name {
            /// The page's table row for this code, if the page documents it.
            pub fn info(&self) -> ::std::option::Option<&'static $crate::ErrorCodeInfo> {
                $operation.error(self.code())
            }
        }

        impl $crate::KnownErrorCode for $name {
            const SPEC: &'static $crate::OperationSpec = &$operation;
            fn from_code(code: &str) -> Self {
                $name::from_code(code)
            }
            fn code(&self) -> &str {
                $name::code(self)
            }
            fn info(&self) -> ::std::option::Option<&'static $crate::ErrorCodeInfo> {
                $name::info(self)
            }
        }

        impl $name {
            /// This operation's error code, when `error` is a service error of this operation
            /// that carries a code.
            pub fn from_error(error: &$crate::Error) -> ::std::option::Option<Self> {
                error.error_code::<Self>()
            }

            /// The HTTP status the page documents for this code.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                self.info().map(|info| info.http_status)
            }

            /// The error message the page documents for this code.
            pub fn message(&self) -> ::std::option::Option<&'static str> {
                self.info().map(|info| info.message)
            }

            /// The page's description of this code.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                self.info().and_then(|info| info.description)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// A product module's `Client` type and its constructor; the generated module adds one method
/// per operation.
#[doc(hidden)]
#[macro_export]
// `crate::OPERATIONS` is meant: the list of the SDK crate that invokes the macro.
#[allow(clippy::crate_in_macro_def)]
macro_rules! product_client {
    ($product:literal) => {
        #[doc = ::std::concat!(
            " Calls the `", $product, "` operations: one method per operation. Clones are cheap",
            " and share the configuration's connection pool."
        )]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: $crate::Caller,
        }

        impl Client {
            /// A client for `config`.
            pub fn new(config: $crate::Config) -> Self {
                let sdk = ::std::concat!(
                    ::std::env!("CARGO_PKG_NAME"),
                    "/",
                    ::std::env!("CARGO_PKG_VERSION")
                );
                Self {
                    inner: $crate::Caller::new(config.with_sdk(sdk, crate::OPERATIONS)),
                }
            }

            /// The caller behind this client, for any operation: its `call_full` gives the
            /// reply's status, headers and request ID with the typed response.
            pub fn caller(&self) -> &$crate::Caller {
                &self.inner
            }
        }
    };
}
