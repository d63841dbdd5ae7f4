//! The generator of the Alibaba Cloud OpenAPI Rust SDK.
//!
//! Specs in, file contents out, nothing else: this crate never touches the file system, the
//! clock or the environment, so the same specs give the same bytes on every machine. `xtask`
//! does the reading and writing; tests call the same functions.
//!
//! The pipeline: [`Catalog::load`] parses spec files into the [`spec`] model and validates them
//! (reporting every problem at once as [`Diagnostics`]).

#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]

mod diagnostics;
mod load;
pub mod names;
pub mod spec;
mod validate;

pub use diagnostics::{Diagnostic, Diagnostics, Position};
pub use load::{Catalog, LoadedSpec, SpecFile};

/// The JSON Schema of the spec format (`specs/spec.schema.json`), derived from the [`spec`]
/// model so that it cannot drift from what the generator accepts.
pub fn spec_json_schema() -> String {
    let schema = schemars::schema_for!(spec::Spec);
    // Serializing a `serde_json::Value` tree cannot fail: all its keys are strings.
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}
