//! Reading spec files (already in memory: the caller does the I/O) into a checked [`Catalog`].

use crate::diagnostics::{Diagnostic, Diagnostics, Position, document_position};
use crate::ir::{self, OperationIr};
use crate::spec::Spec;
use crate::validate;
use serde_json::Value;

/// One spec file's name and bytes, as the caller read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// The name problems are reported under, relative to the workspace
    /// (`specs/bssopenapi/CreateInstance.json`); it must end in `<module>/<Operation>.json`.
    pub path: String,
    /// The file's bytes.
    pub contents: Vec<u8>,
}

impl SpecFile {
    /// A spec file from its name and contents.
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// A spec that loaded and validated, and the operation module it lowers to.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSpec {
    /// The file it came from.
    pub path: String,
    /// The spec.
    pub spec: Spec,
    /// The lowered model: what is generated, and what `xtask diff` compares.
    pub model: OperationIr,
}

/// Every spec of a specs folder, loaded and validated, ordered by product module and operation
/// (whatever order the files came in).
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    specs: Vec<LoadedSpec>,
}

impl Catalog {
    /// Parses and validates `files`. `root` names the folder they came from, for the one
    /// problem that has no file: an empty folder.
    ///
    /// Returns every problem of every file at once, each file's in document order. Within one
    /// file, a JSON syntax error or a shape error (unknown field, wrong type) stops that file's
    /// checks, because nothing after it can be trusted; every other file is still checked.
    /// Each spec is checked, lowered ([`crate::ir`]) and its lowered names checked for clashes.
    pub fn load(root: &str, files: &[SpecFile]) -> Result<Self, Diagnostics> {
        let mut problems = Vec::new();
        if files.is_empty() {
            problems.push(Diagnostic::at(
                root,
                "",
                "no spec files found (expected <module>/<Operation>.json files)",
            ));
            return Err(Diagnostics(problems));
        }
        let mut ordered: Vec<&SpecFile> = files.iter().collect();
        ordered.sort_by(|a, b| a.path.cmp(&b.path));

        let mut specs = Vec::new();
        for file in ordered {
            let Some((spec, raw)) = parse(file, &mut problems) else {
                continue;
            };
            let mut found = Vec::new();
            validate::spec(&file.path, &spec, &raw, &mut found);
            let model = match ir::lower(&file.path, &spec) {
                Ok(model) => {
                    validate::names(&model, &mut found);
                    Some(model)
                }
                Err(names) => {
                    found.extend(names);
                    None
                }
            };
            // Problems in the order their places appear in the file.
            found.sort_by_cached_key(|d| match &d.position {
                Position::Pointer(p) => document_position(&raw, p),
                Position::LineColumn { .. } => Vec::new(),
            });
            problems.extend(found);
            if let Some(model) = model {
                specs.push(LoadedSpec {
                    path: file.path.clone(),
                    spec,
                    model,
                });
            }
        }
        validate::catalog(&specs, &mut problems);
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        specs.sort_by(|a, b| {
            (&a.spec.product.module, &a.spec.operation)
                .cmp(&(&b.spec.product.module, &b.spec.operation))
        });
        Ok(Self { specs })
    }

    /// The specs, ordered by product module and operation.
    pub fn specs(&self) -> &[LoadedSpec] {
        &self.specs
    }
}

/// Parses one file into its spec and raw JSON, or records why it cannot be.
fn parse(file: &SpecFile, problems: &mut Vec<Diagnostic>) -> Option<(Spec, Value)> {
    let text = match std::str::from_utf8(&file.contents) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Diagnostic::at(
                &file.path,
                "",
                format!(
                    "the file is not valid UTF-8 (first bad byte at offset {})",
                    e.valid_up_to()
                ),
            ));
            return None;
        }
    };
    if text.trim().is_empty() {
        problems.push(Diagnostic::at(
            &file.path,
            "",
            "the file is empty; a spec is one JSON object",
        ));
        return None;
    }
    let raw: Value = match serde_json::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(Diagnostic {
                file: file.path.clone(),
                position: Position::LineColumn {
                    line: e.line(),
                    column: e.column(),
                },
                message: format!("invalid JSON: {}", strip_position(&e)),
            });
            return None;
        }
    };
    if raw
        .as_object()
        .is_some_and(|o| o.keys().all(|k| k == "$schema"))
    {
        problems.push(Diagnostic::at(
            &file.path,
            "",
            "the spec is empty: it describes no operation",
        ));
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Spec>(&mut de) {
        Ok(spec) => Some((spec, raw)),
        Err(e) => {
            let pointer = pointer_of(e.path());
            let inner = e.inner();
            problems.push(Diagnostic::at(
                &file.path,
                pointer,
                format!(
                    "{} (line {}, column {})",
                    strip_position(inner),
                    inner.line(),
                    inner.column()
                ),
            ));
            None
        }
    }
}

/// serde_json's message without its trailing " at line L column C".
fn strip_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix)
        .map(str::to_owned)
        .unwrap_or(full)
}

/// The JSON pointer of a serde path.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = crate::diagnostics::Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.index(*index),
            Segment::Map { key } => pointer.key(key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        };
    }
    pointer.as_str().to_owned()
}
