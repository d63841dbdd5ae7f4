//! The hand-written part of the SDK that generated code builds on: validation plumbing, enum
//! support, and the records behind error-code tables and RAM authorization. Behaviour shared
//! by every operation lives here once, so generated code holds only what differs.

mod enums;
mod macros;
mod metadata;
mod validation;

pub use enums::{UnknownEnumValue, WireEnum};
#[allow(
    unused_imports,
    reason = "used by generated code, when some product feature is on"
)]
pub(crate) use macros::{error_code_impls, int_enum_impls, string_enum_impls};
pub use metadata::{ErrorCodeInfo, RamAuthorization, RamResourceType};
pub use validation::{Rule, Validate, ValidationErrors, Validator, Violation};
