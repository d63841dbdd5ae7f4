//! The generator of the Alibaba Cloud OpenAPI Rust SDK.
//!
//! Specs in, file contents out, nothing else: this crate never touches the file system, the
//! clock or the environment, so the same specs give the same bytes on every machine. `xtask`
//! does the reading and writing; tests call the same functions.
//!
//! The pipeline: [`Catalog::load`] parses spec files into the [`spec`] model and validates them
//! (reporting every problem at once as [`Diagnostics`]); [`generate`] lowers each spec to a
//! Rust-oriented model (names decided once, in [`names`]), emits tokens with `quote` and formats
//! them with `prettyplease`.

#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]

mod diagnostics;
mod docs;
mod emit;
mod example;
mod ir;
mod load;
pub mod names;
pub mod spec;
mod validate;
mod wire;

pub use diagnostics::{Diagnostic, Diagnostics, Position};
pub use example::example_request;
pub use load::{Catalog, LoadedSpec, SpecFile};

use std::collections::BTreeMap;

/// The generator produced tokens that do not parse: a bug in the generator, never in a spec
/// (specs that could cause it are refused by validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal generator error in {file}: {message}")]
pub struct GenerateError {
    /// The file being generated.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// Generates the product modules of `generated-sdk` from a validated catalog: file contents
/// by path relative to `generated-sdk/src` (`bssopenapi/mod.rs`,
/// `bssopenapi/create_instance.rs`). Byte-for-byte deterministic.
pub fn generate(catalog: &Catalog) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut files = BTreeMap::new();
    let mut products: BTreeMap<&str, Vec<ir::OperationIr<'_>>> = BTreeMap::new();
    for loaded in catalog.specs() {
        let op = ir::lower(&loaded.path, &loaded.spec);
        products
            .entry(loaded.spec.product.module.as_str())
            .or_default()
            .push(op);
    }
    for (module, ops) in &products {
        for op in ops {
            // `pub mod r#type;` lives in `type.rs`.
            let file = op.module.trim_start_matches("r#");
            let path = format!("{module}/{file}.rs");
            let text =
                emit::format(emit::operation_file(op), &[op.path]).map_err(|e| GenerateError {
                    file: path.clone(),
                    message: e.to_string(),
                })?;
            files.insert(path, text);
        }
        let path = format!("{module}/mod.rs");
        let sources: Vec<&str> = ops.iter().map(|op| op.path).collect();
        let text = emit::format(emit::product_file(ops), &sources).map_err(|e| GenerateError {
            file: path.clone(),
            message: e.to_string(),
        })?;
        files.insert(path, text);
    }
    let all: Vec<&ir::OperationIr<'_>> = products.values().flatten().collect();
    let sources: Vec<&str> = all.iter().map(|op| op.path).collect();
    let path = "catalog.rs".to_owned();
    let text = emit::format(wire::catalog_file(&all), &sources).map_err(|e| GenerateError {
        file: path.clone(),
        message: e.to_string(),
    })?;
    files.insert(path, text);
    Ok(files)
}

/// The JSON Schema of the spec format (`specs/spec.schema.json`), derived from the [`spec`]
/// model so that it cannot drift from what the generator accepts.
pub fn spec_json_schema() -> String {
    let schema = schemars::schema_for!(spec::Spec);
    // Serializing a `serde_json::Value` tree cannot fail: all its keys are strings.
    let mut text = serde_json::to_string_pretty(&schema).expect("a JSON value always serializes");
    text.push('\n');
    text
}
