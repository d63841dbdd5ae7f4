//! Problems found in specs, each tied to a file and a place in it.

use std::fmt;

/// Where in a spec file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    /// A JSON pointer (RFC 6901) into the file's JSON; `""` is the whole document.
    Pointer(String),
    /// A line and column (1-based), for text that is not valid JSON.
    LineColumn {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
    },
}

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the caller named it (e.g. `specs/ice/CreateIpcOrder.json`).
    pub file: String,
    /// Where in the file.
    pub position: Position,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a JSON pointer.
    pub fn at(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            position: Position::Pointer(pointer.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.position {
            Position::Pointer(p) if p.is_empty() => write!(f, "{}: {}", self.file, self.message),
            Position::Pointer(p) => write!(f, "{}: {}: {}", self.file, p, self.message),
            Position::LineColumn { line, column } => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
        }
    }
}

/// Every problem found in a set of specs: loading and validation report them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn render(list: &[Diagnostic]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Diagnostics {
    /// The problems, in report order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A JSON pointer under construction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub(crate) fn root() -> Self {
        Self(String::new())
    }

    /// This pointer extended by one reference token (escaped per RFC 6901).
    pub(crate) fn key(&self, token: &str) -> Self {
        let escaped = token.replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{escaped}", self.0))
    }

    /// This pointer extended by an array index.
    pub(crate) fn index(&self, i: usize) -> Self {
        Self(format!("{}/{i}", self.0))
    }

    /// The pointer one level up (the root stays the root).
    pub(crate) fn parent(&self) -> Self {
        match self.0.rfind('/') {
            Some(i) => Self(self.0[..i].to_owned()),
            None => Self::root(),
        }
    }

    /// A sibling of this pointer's last token.
    pub(crate) fn parent_key(&self, token: &str) -> Self {
        self.parent().key(token)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
