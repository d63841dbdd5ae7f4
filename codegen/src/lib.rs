//! The generator of the Alibaba Cloud OpenAPI Rust SDK.
//!
//! Specs in, file contents out, nothing else: this crate never touches the file system, the
//! clock or the environment, so the same specs give the same bytes on every machine. `xtask`
//! does the reading and writing; tests call the same functions.
//!
//! The pipeline: [`Catalog::load`] parses spec files into the [`spec`] model and validates them
//! (reporting every problem at once as [`Diagnostics`]) and lowers each to the Rust-oriented
//! model of its module ([`ir`]: every name and shape decided once, there); [`generate`] emits
//! tokens from the models with `quote` and formats them with `prettyplease`.

#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]

mod diagnostics;
mod docs;
mod emit;
mod example;
pub mod ir;
mod load;
pub mod names;
mod paging;
pub mod spec;
mod validate;
mod wire;

pub use diagnostics::{Diagnostic, Diagnostics, Position};
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
///
/// A product with specs of several API versions gets a module per version
/// (`ecs/v2014_05_26/describe_instances.rs`), and its module re-exports the newest.
///
/// Files are emitted and formatted on all available cores (formatting dominates the cost);
/// each file depends only on its own specs, so the result does not depend on the scheduling.
pub fn generate(catalog: &Catalog) -> Result<BTreeMap<String, String>, GenerateError> {
    let mut products: BTreeMap<&str, BTreeMap<&str, Vec<&ir::OperationIr>>> = BTreeMap::new();
    for loaded in catalog.specs() {
        let op = &loaded.model;
        products
            .entry(op.product.module.as_str())
            .or_default()
            .entry(op.api_version.as_str())
            .or_default()
            .push(op);
    }
    let mut jobs = Vec::new();
    let mut all: Vec<(&ir::OperationIr, String)> = Vec::new();
    for (module, versions) in &products {
        let several = versions.len() > 1;
        let mut version_modules = Vec::new();
        for (version, ops) in versions {
            // The Rust path and the folder of this version's operations.
            let (path, folder) = if several {
                let v = names::version_module(version);
                version_modules.push((v.clone(), *version));
                (format!("{module}::{v}"), format!("{module}/{v}"))
            } else {
                ((*module).to_owned(), (*module).to_owned())
            };
            for op in ops {
                // `pub mod r#type;` lives in `type.rs`.
                let file = op.module.trim_start_matches("r#");
                jobs.push((
                    format!("{folder}/{file}.rs"),
                    Job::Operation(op, path.clone()),
                ));
                all.push((op, path.clone()));
            }
            jobs.push((format!("{folder}/mod.rs"), Job::Product(ops, several)));
        }
        if several {
            version_modules.sort_by(|a, b| names::compare_versions(a.1, b.1));
            let sources = versions.values().flatten().copied().collect();
            jobs.push((
                format!("{module}/mod.rs"),
                Job::Versions(sources, version_modules),
            ));
        }
    }
    jobs.push(("catalog.rs".to_owned(), Job::Catalog(all)));

    // Files differ in size by a hundredfold (`catalog.rs` against a small operation), so
    // each worker takes the next job not yet taken rather than a fixed share.
    let results = parallel_map(&jobs, |(path, job)| {
        job.run(path).map(|text| (path.clone(), text))
    });
    let mut files = BTreeMap::new();
    let mut first_error: Option<GenerateError> = None;
    for result in results {
        match result {
            Ok((path, text)) => {
                files.insert(path, text);
            }
            // Report the error of the first file in path order, whatever thread found it.
            Err(e) if first_error.as_ref().is_none_or(|f| e.file < f.file) => first_error = Some(e),
            Err(_) => {}
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(files),
    }
}

/// `f` of every item, in order, computed on as many threads as the machine has cores, each
/// thread taking the next item not yet taken. The output does not depend on the scheduling.
/// (`xtask` spreads whole products over the cores with it too.)
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let (next, f) = (&next, &f);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                // A panic is a bug of `f`; let it surface as the panic it is.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// One generated file's worth of work.
enum Job<'a> {
    /// An operation, with the Rust path of the module holding it (`ecs::v2014_05_26`).
    Operation(&'a ir::OperationIr, String),
    /// A product's module, or one version's module where the product has several.
    Product(&'a [&'a ir::OperationIr], bool),
    /// The module of a product with several versions: its version modules (name, version),
    /// oldest first.
    Versions(Vec<&'a ir::OperationIr>, Vec<(String, &'a str)>),
    /// The list of every operation, with the Rust path of its module.
    Catalog(Vec<(&'a ir::OperationIr, String)>),
}

impl Job<'_> {
    fn run(&self, path: &str) -> Result<String, GenerateError> {
        let (tokens, sources): (_, Vec<&str>) = match self {
            Job::Operation(op, rust_path) => {
                (emit::operation_file(op, rust_path), vec![op.file.as_str()])
            }
            Job::Product(ops, versioned) => (
                emit::product_file(ops, *versioned),
                ops.iter().map(|op| op.file.as_str()).collect(),
            ),
            Job::Versions(ops, versions) => (
                emit::versions_file(ops, versions),
                ops.iter().map(|op| op.file.as_str()).collect(),
            ),
            Job::Catalog(all) => (
                wire::catalog_file(all),
                all.iter().map(|(op, _)| op.file.as_str()).collect(),
            ),
        };
        emit::format(tokens, &sources).map_err(|e| GenerateError {
            file: path.to_owned(),
            message: e.to_string(),
        })
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn parallel_map_keeps_the_order_of_its_items() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish out of order.
        let out = super::parallel_map(&items, |&n| (0..n % 97).sum::<u64>() + n);
        let expected: Vec<u64> = items
            .iter()
            .map(|&n| (0..n % 97).sum::<u64>() + n)
            .collect();
        assert_eq!(out, expected);
        assert!(super::parallel_map(&[] as &[u8], |&b| b).is_empty());
    }
}
