//! Table rows of parameters and response elements, in each layout: cells per line, cells run
//! together, or pipe cells.

use codegen::spec::FieldType;

use super::page::{Line, pipe_cells};
use super::{Finding, Layout};

/// The type words pages use (`array<...>` of anything is a type too), longest first so that a
/// run-together cell splits at the right one.
const TYPES: &[&str] = &[
    "array<object>",
    "array<string>",
    "array<integer>",
    "array<long>",
    "array<number>",
    "array<boolean>",
    "array",
    "object",
    "string",
    "integer",
    "number",
    "long",
    "boolean",
    "double",
    "float",
    "map",
    "any",
];

/// The spec type of a page type (`array<object>` is an array; a struct name from a link,
/// `maintenance_window`, an object).
pub(crate) fn spec_type(page: &str) -> FieldType {
    match page {
        t if t.starts_with("array") => FieldType::Array,
        "object" => FieldType::Object,
        "integer" => FieldType::Integer,
        "long" => FieldType::Long,
        "boolean" => FieldType::Boolean,
        "double" | "number" => FieldType::Double,
        "float" => FieldType::Float,
        "map" => FieldType::Map,
        "any" => FieldType::Any,
        "string" => FieldType::String,
        _ => FieldType::Object,
    }
}

/// Whether a row is an object's: `object`, `array<object>`, or a struct name.
pub(crate) fn is_object_type(page: &str) -> bool {
    page == "object" || page == "array<object>" || !is_type(page)
}

/// A table row of parameters or response elements.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// The page line the row starts on.
    pub(crate) line: usize,
    /// The name cell (`None` for an array's item row).
    pub(crate) name: Option<String>,
    /// The type cell as the page writes it (`array<object>`).
    pub(crate) ty: String,
    /// The required cell (parameter tables).
    pub(crate) required: Option<bool>,
    /// The description cell, one unit per line.
    pub(crate) units: Vec<String>,
    /// The example cell.
    pub(crate) example: Option<String>,
    /// Where a parameter travels, where its section says so (`Path Parameters`, `Request
    /// headers`, a request body section) or the request syntax's path names it.
    pub(crate) location: Option<codegen::spec::Location>,
}

pub(crate) fn is_type(s: &str) -> bool {
    let s = s.trim();
    TYPES.contains(&s) || (s.starts_with("array<") && s.ends_with('>'))
}

/// A struct type named by a link in the type cell (`tag`, `maintenance_window`): one
/// identifier, no type word.
fn is_struct_type(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.len() <= 64
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !is_type(s)
        && is_required(s).is_none()
}

/// A name cell with the page's `deprecated` tag run into it (`subnet_cidrdeprecated`): the
/// name and whether the tag was there.
fn untag(name: &str) -> (&str, bool) {
    match name.strip_suffix("deprecated") {
        Some(n) if !n.is_empty() && !n.ends_with(['_', '-']) => (n, true),
        _ => (name, false),
    }
}

/// A description sentence rather than a cell of one word.
fn is_sentence(s: &str) -> bool {
    let s = s.trim();
    s.contains(' ') || s.ends_with('.') || s.ends_with('。')
}

fn is_required(s: &str) -> Option<bool> {
    match s.trim() {
        "Yes" => Some(true),
        "No" => Some(false),
        _ => None,
    }
}

fn name_like(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(' ')
        && s.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
        && !is_type(s)
        && is_required(s).is_none()
}

/// A run-together head cell: `ProductCodestringYes`, `objectNo`, `Codestring`, `object`.
fn split_head(text: &str, with_required: bool) -> Option<(Option<String>, String, Option<bool>)> {
    let text = text.trim();
    let (rest, required) = if with_required {
        match (text.strip_suffix("Yes"), text.strip_suffix("No")) {
            (Some(r), _) => (r, Some(true)),
            (_, Some(r)) => (r, Some(false)),
            _ => return None,
        }
    } else {
        (text, None)
    };
    for ty in TYPES {
        if let Some(name) = rest.strip_suffix(ty) {
            if name.is_empty() {
                return Some((None, (*ty).to_owned(), required));
            }
            if name_like(name) {
                return Some((Some(name.to_owned()), (*ty).to_owned(), required));
            }
        }
    }
    None
}

/// Whether a last cell of a row is its example rather than more description.
fn looks_like_example(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && !s.starts_with('•')
        && !s.ends_with(':')
        && !(s.contains(' ') && (s.ends_with('.') || s.ends_with(';') || s.ends_with(')')))
        && !s.starts_with("Note")
}

/// Rows of a parameter (`with_required`) or response table.
pub(crate) fn rows(
    layout: Layout,
    lines: &[Line<'_>],
    with_required: bool,
    findings: &mut Vec<Finding>,
) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    match layout {
        Layout::PipeTable => {
            let cells = pipe_cells(lines);
            let width = if with_required { 5 } else { 4 };
            // Skip the header cells.
            let start = cells
                .iter()
                .position(|(_, c)| c == "Example")
                .map_or(0, |i| i + 1);
            let mut i = start;
            while i < cells.len() {
                let (line, first) = &cells[i];
                let (name, offset) = if is_type(first) {
                    (None, 0)
                } else {
                    (Some(first.clone()), 1)
                };
                let get = |k: usize| cells.get(i + offset + k).map(|(_, c)| c.clone());
                let ty = get(0).unwrap_or_default();
                if !is_type(&ty) {
                    findings.push(Finding::new(
                        *line,
                        format!("a table cell `{first}` does not start a row (no type after it)"),
                    ));
                    i += 1;
                    continue;
                }
                let (required, desc_at) = if with_required {
                    (get(1).as_deref().and_then(is_required), 2)
                } else {
                    (None, 1)
                };
                let used = width - if name.is_none() { 1 } else { 0 };
                let description = get(desc_at).unwrap_or_default();
                let example = get(desc_at + 1).filter(|e| !is_type(e) && !e.is_empty());
                rows.push(Row {
                    line: *line,
                    name,
                    ty,
                    required,
                    units: description.split('\n').map(str::to_owned).collect(),
                    example,
                    location: None,
                });
                i += used.max(1);
            }
        }
        Layout::Bulleted | Layout::MachineTranslated => {
            let units: Vec<&Line<'_>> = lines.iter().collect();
            let header_end = units
                .iter()
                .position(|l| {
                    l.text.trim() == "Example" || l.text.trim().ends_with("DescriptionExample")
                })
                .map_or(0, |i| i + 1);
            let mut i = header_end;
            while i < units.len() {
                let head = row_head(layout, &units, i, with_required);
                match head {
                    Some((name, ty, required, width)) => {
                        rows.push(Row {
                            line: units[i].no,
                            name,
                            ty,
                            required,
                            ..Row::default()
                        });
                        i += width;
                    }
                    None => {
                        if let Some(row) = rows.last_mut() {
                            // Indentation kept: it tells a nested bullet from its parent.
                            row.units.push(units[i].text.trim_end().to_owned());
                        } else {
                            findings.push(Finding::new(
                                units[i].no,
                                format!("text before the first row: {}", units[i].text.trim()),
                            ));
                        }
                        i += 1;
                    }
                }
            }
            for row in &mut rows {
                // Pages give no example for an object or a list itself.
                let container = row.ty == "object" || row.ty.starts_with("array");
                if !container && row.units.last().is_some_and(|u| looks_like_example(u)) {
                    row.example = row.units.pop();
                }
            }
        }
    }
    for row in &mut rows {
        if let Some(name) = row.name.as_deref() {
            let (bare, tagged) = untag(name);
            if tagged {
                row.name = Some(bare.to_owned());
                row.units.insert(0, "Deprecated.".to_owned());
            }
        }
    }
    rows
}

/// Whether a row starts at unit `i`: its name, type, required flag and how many units the
/// head spans.
fn row_head(
    layout: Layout,
    units: &[&Line<'_>],
    i: usize,
    with_required: bool,
) -> Option<(Option<String>, String, Option<bool>, usize)> {
    let text = |k: usize| units.get(i + k).map(|l| l.text.trim()).unwrap_or_default();
    match layout {
        Layout::MachineTranslated => {
            split_head(text(0), with_required).map(|(n, t, r)| (n, t, r, 1))
        }
        _ => {
            // A type cell: a type word, or a struct's name where a sentence follows it.
            let typed_at = |k: usize| {
                is_type(text(k))
                    || (is_struct_type(text(k))
                        && (is_required(text(k + 1)).is_some() || is_sentence(text(k + 1))))
            };
            let named = name_like(text(0)) && typed_at(1);
            let unnamed = is_type(text(0));
            if with_required {
                if name_like(text(0))
                    && !text(1).is_empty()
                    && !is_sentence(text(1))
                    && is_required(text(2)).is_some()
                {
                    return Some((
                        Some(text(0).to_owned()),
                        text(1).to_owned(),
                        is_required(text(2)),
                        3,
                    ));
                }
                if unnamed && is_required(text(1)).is_some() {
                    return Some((None, text(0).to_owned(), is_required(text(1)), 2));
                }
                None
            } else if named {
                Some((Some(text(0).to_owned()), text(1).to_owned(), None, 2))
            } else if unnamed {
                Some((None, text(0).to_owned(), None, 1))
            } else {
                None
            }
        }
    }
}
