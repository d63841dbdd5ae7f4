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

impl From<&str> for Pointer {
    fn from(pointer: &str) -> Self {
        Self(pointer.to_owned())
    }
}

/// Orders JSON pointers as their places appear in the document: token by token, array
/// indices by number (`/a/2` before `/a/10`), a pointer before those inside it.
pub(crate) fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let tokens = |p: &str| -> Vec<(Option<u64>, String)> {
        p.split('/')
            .skip(1)
            .map(|t| (t.parse::<u64>().ok(), t.to_owned()))
            .collect()
    };
    tokens(a).cmp(&tokens(b))
}

/// Where `pointer` stands in the document `raw`: per reference token, the position of that key
/// in its object (as the file lists them) or the array index. A token the document does not
/// hold sorts after its siblings.
pub(crate) fn document_position(raw: &serde_json::Value, pointer: &str) -> Vec<usize> {
    let mut here = Some(raw);
    let mut out = Vec::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let (position, next) = match here {
            Some(serde_json::Value::Object(map)) => match map.keys().position(|k| *k == token) {
                Some(i) => (i, map.get(&token)),
                None => (usize::MAX, None),
            },
            Some(serde_json::Value::Array(items)) => match token.parse::<usize>() {
                Ok(i) => (i, items.get(i)),
                Err(_) => (usize::MAX, None),
            },
            _ => (usize::MAX, None),
        };
        out.push(position);
        here = next;
    }
    out
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
