//! The Darabonba sources of Alibaba's official SDKs as a third source of specs.
//!
//! Every official SDK (Python, Java, Go, TypeScript, ...) is generated from one `main.tea` per
//! product version. It states what neither metadata copy does: each operation's response,
//! typed and nested, with descriptions and examples; summaries and descriptions of the
//! operations; and, in each `<op>WithOptions` function, the wire the SDKs send (where each field
//! goes, which fields are shrunk to JSON text, the method, path and body types).
//!
//! [`parse`] reads a file into [`ast`]; [`Source::read`] turns that into the facts the
//! importer uses ([`Operation`]); `response.rs` makes spec fields of the response models.
//! Precedence (README, ARCHITECTURE): pages decide prose, meanings, errors and RAM; ApiDocs
//! decides the request wire and required flags; the Darabonba source decides the response.

pub mod ast;
pub mod lex;
pub mod parse;
pub mod response;
pub mod wire;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use parse::{ParseError, parse};
pub use wire::{Operation, Params, Placement, Slot};

use crate::XtaskError;

/// One product version's source, read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The folder it came from (`ecs-20140526`): product and version digits.
    pub dir: String,
    /// The path problems are reported against (`tea/ecs-20140526/main.tea`).
    pub file: String,
    /// The API version its operations send (`2014-05-26`), where any operation states one.
    pub version: Option<String>,
    /// `@endpointRule` of `init`, where set and not empty (`regional`, `central`).
    pub endpoint_rule: Option<String>,
    /// `@endpointMap` of `init`: region and host, in the file's order.
    pub endpoint_map: Vec<(String, String)>,
    /// The parsed file.
    pub module: ast::Module,
    /// The operations, by action.
    pub operations: BTreeMap<String, Operation>,
    /// What could not be read: position and message.
    pub problems: Vec<ParseError>,
}

impl Source {
    /// Reads one file's text; `dir` is its folder's name, `file` the path to report.
    pub fn read(dir: &str, file: &str, text: &str) -> Self {
        let (module, mut problems) = parse(text);
        if text.trim().is_empty() {
            problems.push(ParseError {
                pos: lex::Pos { line: 1, col: 1 },
                message: "the file is empty: no operation of this product version can be read"
                    .to_owned(),
            });
        }
        let (endpoint_rule, endpoint_map) = wire::endpoints(&module);
        let mut operations = BTreeMap::new();
        for f in &module.functions {
            let Some(op) = f.name.strip_suffix("WithOptions") else {
                continue;
            };
            // An operation named `XWithOptions`: this is its plain wrapper.
            if module.function(&format!("{}WithOptions", f.name)).is_some() {
                continue;
            }
            match wire::operation(f) {
                Ok(mut operation) => {
                    // The documented function (`describeInstances`) carries the doc comment.
                    let doc = module
                        .function(op)
                        .and_then(|g| g.doc.as_deref())
                        .or(f.doc.as_deref());
                    if let Some(doc) = doc {
                        wire::apply_doc(&mut operation, doc);
                    }
                    operations.insert(operation.params.action.clone(), operation);
                }
                Err(message) => problems.push(ParseError {
                    pos: f.pos,
                    message,
                }),
            }
        }
        let version = operations
            .values()
            .map(|o| o.params.version.clone())
            .find(|v| !v.is_empty());
        Self {
            dir: dir.to_owned(),
            file: file.to_owned(),
            version,
            endpoint_rule,
            endpoint_map,
            module,
            operations,
            problems,
        }
    }

    /// The problems as `file:line:column: message` lines.
    pub fn problem_lines(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| format!("{}:{}:{}: {}", self.file, p.pos.line, p.pos.col, p.message))
            .collect()
    }

    /// Whether this source is product `code` at `version`: the folder is named after the
    /// product code (lower case) and the version's digits.
    pub fn is(&self, code: &str, version: &str) -> bool {
        let digits: String = version
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let want = format!(
            "{}-{}",
            code.to_ascii_lowercase(),
            digits.to_ascii_lowercase()
        );
        self.dir.eq_ignore_ascii_case(&want) && self.version.as_deref().is_none_or(|v| v == version)
    }
}

/// The sources under `dir`: `dir/<product>-<version>/main.tea` (the unpacked archive's `tea/`
/// folder, or the folder holding it), read on every core. Files are read in name order.
pub fn load(dir: &Path) -> Result<Vec<Source>, XtaskError> {
    let root = if dir.join("tea").is_dir() {
        dir.join("tea")
    } else {
        dir.to_owned()
    };
    let mut paths: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .map_err(|e| XtaskError::io("reading folder", &root, e))?
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path().join("main.tea"),
            )
        })
        .filter(|(_, p)| p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(XtaskError::Command(format!(
            "{}: no <product>-<version>/main.tea under it (give the unpacked Darabonba sources)",
            dir.display()
        )));
    }
    let read = |(name, path): &(String, PathBuf)| -> Result<Source, XtaskError> {
        let bytes = std::fs::read(path).map_err(|e| XtaskError::io("reading", path, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let file = format!("tea/{name}/main.tea");
        let mut source = Source::read(name, &file, &text);
        if std::str::from_utf8(&bytes).is_err() {
            source.problems.insert(
                0,
                ParseError {
                    pos: lex::Pos { line: 1, col: 1 },
                    message: "the file is not UTF-8; invalid bytes were read as U+FFFD".to_owned(),
                },
            );
        }
        Ok(source)
    };
    codegen::parallel_map(&paths, read).into_iter().collect()
}

/// The source of product `code` at `version`, if any.
pub fn find<'a>(sources: &'a [Source], code: &str, version: &str) -> Option<&'a Source> {
    sources.iter().find(|s| s.is(code, version))
}
