//! `cargo xtask import`: an API reference page, as copied from the documentation site, read
//! into a spec. Three layouts are understood: `bulleted` (one table cell per line, blank lines
//! between), `machine_translated` (cells run together: `ProductCodestringYes`) and
//! `pipe_table` (cells ending in ` |`). Pure: page text (and an existing spec) in, a spec and a
//! report out.
//!
//! What a page states is taken from the page: title, summary, description, RAM authorization,
//! request syntax, parameters (types, required flags, descriptions, examples, valid values with
//! their meanings, defaults), response elements, the example response, the error codes, the
//! change history. What a page cannot state (API version, endpoint, locations and encodings,
//! structured rules, Rust names, notes, and the nesting of fields, which the cell-per-line
//! layouts do not show) is kept from the existing spec given with `--spec`. Whatever cannot be
//! placed is reported with its page line, never dropped silently.

use serde_json::{Map, Value, json};

/// One thing the importer could not read or place, with the page line it came from (1-based;
/// 0 when it concerns the page as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The page line.
    pub line: usize,
    /// What happened.
    pub message: String,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The spec, as JSON (a partial one when the page is incomplete).
    pub spec: Value,
    /// What could not be read or placed.
    pub findings: Vec<Finding>,
    /// Whether anything usable was found (an operation title or a parameter table).
    pub usable: bool,
}

/// The page layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One cell per line, blank lines between (`Try it now`, `RAM authorization`).
    Bulleted,
    /// Machine-translated: a row's first cells run together (`ProductCodestringYes`).
    MachineTranslated,
    /// Cells ending in ` |`.
    PipeTable,
}

impl Layout {
    fn name(self) -> &'static str {
        match self {
            Self::Bulleted => "bulleted",
            Self::MachineTranslated => "machine_translated",
            Self::PipeTable => "pipe_table",
        }
    }
}

/// A non-empty page line and its 1-based number.
#[derive(Debug, Clone)]
struct Line<'a> {
    no: usize,
    text: &'a str,
}

const TYPES: &[&str] = &[
    "array<object>",
    "array<string>",
    "array<integer>",
    "array<long>",
    "array",
    "object",
    "string",
    "integer",
    "long",
    "boolean",
    "double",
    "float",
];

/// The spec type of a page type (`array<object>` is an array).
fn spec_type(page: &str) -> &'static str {
    match page {
        t if t.starts_with("array") => "array",
        "object" => "object",
        "integer" => "integer",
        "long" => "long",
        "boolean" => "boolean",
        "double" => "double",
        "float" => "float",
        _ => "string",
    }
}

/// Detects the layout.
pub fn layout(page: &str) -> Layout {
    let pipes = page
        .lines()
        .filter(|l| l.trim_end().ends_with(" |") || l.trim() == "|")
        .count();
    if pipes >= 10 {
        Layout::PipeTable
    } else if page.lines().any(|l| {
        let l = l.trim();
        l.starts_with("ParameterTypeRequired") || l.starts_with("ParameterTypeDescription")
    }) {
        Layout::MachineTranslated
    } else {
        Layout::Bulleted
    }
}

/// A table row of parameters or response elements.
#[derive(Debug, Clone, Default)]
struct Row {
    line: usize,
    name: Option<String>,
    ty: String,
    required: Option<bool>,
    units: Vec<String>,
    example: Option<String>,
}

const SECTION_HEADINGS: &[&str] = &[
    "Operation description",
    "Try it now",
    "Debugging",
    "RAM authorization",
    "Authorization information",
    "Request syntax",
    "Request parameters",
    "Response elements",
    "Response parameters",
    "Examples",
    "Error codes",
    "Change history",
    "Release notes",
];

fn heading(text: &str) -> Option<&'static str> {
    let t = text.trim();
    SECTION_HEADINGS.iter().copied().find(|h| t == *h)
}

/// The page split into sections by heading; the part before the first heading is `""`.
fn sections<'a>(lines: &[Line<'a>]) -> Vec<(&'static str, Vec<Line<'a>>)> {
    let mut out: Vec<(&'static str, Vec<Line<'a>>)> = vec![("", Vec::new())];
    for line in lines {
        match heading(line.text) {
            Some(h) => out.push((h, Vec::new())),
            None => {
                if let Some(last) = out.last_mut() {
                    last.1.push(line.clone());
                }
            }
        }
    }
    out
}

fn section<'s, 'a>(
    all: &'s [(&'static str, Vec<Line<'a>>)],
    names: &[&str],
) -> Option<&'s [Line<'a>]> {
    all.iter()
        .find(|(h, _)| names.contains(h))
        .map(|(_, lines)| lines.as_slice())
}

/// The cells of a pipe-table section: text up to each ` |`, joined across lines.
fn pipe_cells(lines: &[Line<'_>]) -> Vec<(usize, String)> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for line in lines {
        let mut text = line.text.trim();
        if text.starts_with("|---") {
            continue;
        }
        if text == "||" {
            // An empty cell between two pipes.
            if !current.trim().is_empty() {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
            }
            current.clear();
            cells.push((line.no, String::new()));
            continue;
        }
        if let Some(rest) = text.strip_prefix('|') {
            if !current.trim().is_empty() {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
            }
            current.clear();
            text = rest.trim_start();
        }
        if current.is_empty() {
            start = line.no;
        }
        for (i, piece) in text.split(" |").enumerate() {
            if i > 0 {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
                start = line.no;
            }
            let piece = piece.trim_end_matches('|').trim();
            if !piece.is_empty() {
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(piece);
            }
        }
        if text.ends_with('|') && !current.is_empty() {
            cells.push((start, std::mem::take(&mut current).trim().to_owned()));
        }
    }
    if !current.trim().is_empty() {
        cells.push((start, current.trim().to_owned()));
    }
    cells
}

fn is_type(s: &str) -> bool {
    TYPES.contains(&s.trim())
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
fn rows(
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
                    findings.push(Finding {
                        line: *line,
                        message: format!(
                            "a table cell `{first}` does not start a row (no type after it)"
                        ),
                    });
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
                            row.units.push(units[i].text.trim().to_owned());
                        } else {
                            findings.push(Finding {
                                line: units[i].no,
                                message: format!(
                                    "text before the first row: {}",
                                    units[i].text.trim()
                                ),
                            });
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
            let named = name_like(text(0)) && is_type(text(1));
            let unnamed = is_type(text(0));
            if with_required {
                if named && is_required(text(2)).is_some() {
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

/// Removes Markdown escapes (`\*`, `\_`) copied from the page source.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| "*_`[]".contains(*n)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A row's description, valid values and default, read from its cells.
struct Described {
    description: Option<String>,
    values: Vec<(String, String)>,
    listed: Vec<String>,
    default: Option<String>,
}

fn describe(units: &[String], enum_capable: bool) -> Described {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut values = Vec::new();
    let mut listed = Vec::new();
    let mut default = None;
    let mut in_listing = false;
    let mut pending_note = false;
    let mut iter = units.iter().peekable();
    while let Some(unit) = iter.next() {
        let u = unit.trim();
        if u == "Valid values:"
            && iter
                .peek()
                .is_some_and(|n| n.trim().starts_with('•') && n.trim().ends_with(" :"))
        {
            in_listing = true;
            continue;
        }
        if let Some(bullet) = u.strip_prefix('•') {
            let bullet = bullet.trim();
            if let Some(value) = bullet.strip_suffix(" :") {
                listed.push(value.trim().to_owned());
                // The value repeated on the next line.
                if iter.peek().is_some_and(|n| n.trim() == value.trim()) {
                    iter.next();
                }
                continue;
            }
            in_listing = false;
            if let Some(d) = bullet.strip_prefix("Default value:") {
                // `Default value: PricingCycle=2` names the parameter before the value.
                let d = d.trim().trim_end_matches(['.', ';']);
                default = Some(d.rsplit_once('=').map_or(d, |(_, v)| v).trim().to_owned());
                continue;
            }
            match bullet.split_once(':') {
                Some((value, meaning))
                    if enum_capable && !value.trim().is_empty() && !value.contains(' ') =>
                {
                    values.push((value.trim().to_owned(), meaning.trim().to_owned()));
                }
                // Not a value: the bullet stays in the description as a list item.
                _ => match paragraphs.last_mut() {
                    Some(last) if last.starts_with("- ") => {
                        last.push('\n');
                        last.push_str(&format!("- {bullet}"));
                    }
                    _ => paragraphs.push(format!("- {bullet}")),
                },
            }
            continue;
        }
        if in_listing && listed.last().is_some_and(|l| l == u) {
            continue;
        }
        in_listing = false;
        if let Some(d) = u.strip_prefix("Default value:") {
            default = Some(d.trim().trim_end_matches('.').to_owned());
            continue;
        }
        let text = match u.strip_prefix("Note") {
            Some(rest) if !rest.starts_with(':') => {
                format!("Note: {}", rest.trim_start_matches([' ', '\n']))
            }
            _ => u.to_owned(),
        };
        // `... characters. Note` then the note on the next line.
        match text.strip_suffix(" Note") {
            Some(before) => {
                paragraphs.push(before.to_owned());
                pending_note = true;
            }
            None if pending_note => {
                paragraphs.push(format!("Note: {text}"));
                pending_note = false;
            }
            None => paragraphs.push(text),
        }
    }
    if let Some(first) = paragraphs.first_mut()
        && let Some(stripped) = first.strip_suffix(" Valid values:")
    {
        *first = stripped.to_owned();
    }
    let description = paragraphs
        .iter()
        .map(|p| {
            if p.starts_with("- ") {
                p.clone()
            } else {
                p.replace('\n', " ")
            }
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Described {
        description: (!description.is_empty()).then_some(description),
        values,
        listed,
        default,
    }
}

/// A page example typed by the field's type.
fn typed(example: &str, ty: &str) -> Value {
    let e = unescape(example.trim());
    match ty {
        "integer" | "long" => e
            .parse::<i64>()
            .map_or(Value::String(e.clone()), Value::from),
        "double" | "float" => e
            .parse::<f64>()
            .map_or(Value::String(e.clone()), Value::from),
        "boolean" => match e.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(e),
        },
        _ => Value::String(e),
    }
}

/// The page's field for a row.
fn row_field(row: &Row, request: bool) -> Value {
    let mut f = Map::new();
    if let Some(name) = &row.name {
        f.insert("name".into(), json!(name));
    }
    let ty = spec_type(&row.ty);
    f.insert("type".into(), json!(ty));
    if let (true, Some(r)) = (request, row.required) {
        f.insert("required".into(), json!(r));
    }
    let mut d = describe(&row.units, ty != "array" && ty != "object");
    if d.values.is_empty() {
        // Only the generated "Valid values" listing: each value is its own meaning.
        d.values = d.listed.iter().map(|v| (v.clone(), v.clone())).collect();
    }
    if let Some(desc) = d.description {
        f.insert("description".into(), json!(desc));
    }
    if let Some(e) = &row.example {
        f.insert("example".into(), typed(e, ty));
    }
    if let Some(def) = d.default {
        f.insert("default".into(), typed(&def, ty));
    }
    if !d.values.is_empty() && ty != "array" && ty != "object" {
        let values: Vec<Value> = d
            .values
            .iter()
            .map(|(v, m)| json!({"value": typed(v, ty), "description": m}))
            .collect();
        f.insert("enum".into(), Value::Array(values));
    }
    Value::Object(f)
}

/// Keys the page states about a field; everything else is kept from the existing spec.
const PAGE_KEYS: &[&str] = &["type", "required", "description", "example", "default"];

/// Merges the page's field into the existing one: page-stated keys replaced, enum meanings
/// updated value by value (Rust names kept), curated keys kept.
fn merge_field(
    existing: &mut Value,
    page: &Value,
    line: usize,
    at: &str,
    findings: &mut Vec<Finding>,
) {
    let (Some(e), Some(p)) = (existing.as_object_mut(), page.as_object()) else {
        return;
    };
    for key in PAGE_KEYS {
        match p.get(*key) {
            Some(v) => {
                e.insert((*key).to_owned(), v.clone());
            }
            None if *key == "example" || *key == "default" || *key == "description" => {
                e.remove(*key);
            }
            None => {}
        }
    }
    match (
        e.get_mut("enum").and_then(Value::as_array_mut),
        p.get("enum").and_then(Value::as_array),
    ) {
        (Some(existing_values), Some(page_values)) => {
            // The page's values, in the page's order; each keeps the Rust name the spec gave it.
            let mut merged = Vec::new();
            for pv in page_values {
                let mut v = pv.clone();
                match existing_values.iter().find(|ev| ev["value"] == pv["value"]) {
                    Some(ev) => {
                        if let Some(rust) = ev.get("rust_name") {
                            v["rust_name"] = rust.clone();
                        }
                    }
                    None => findings.push(Finding {
                        line,
                        message: format!("{at}: new value {} on the page", pv["value"]),
                    }),
                }
                merged.push(v);
            }
            for ev in existing_values.iter() {
                if !page_values.iter().any(|pv| pv["value"] == ev["value"]) {
                    findings.push(Finding {
                        line,
                        message: format!(
                            "{at}: value {} is no longer on the page; removed",
                            ev["value"]
                        ),
                    });
                }
            }
            // Keep the spec's order for values both know, so a reordering on the page is
            // not a change.
            merged.sort_by_key(|v| {
                existing_values
                    .iter()
                    .position(|ev| ev["value"] == v["value"])
                    .unwrap_or(usize::MAX)
            });
            *existing_values = merged;
        }
        (None, Some(page_values)) => {
            e.insert("enum".into(), Value::Array(page_values.clone()));
        }
        _ => {}
    }
}

/// A field tree flattened in page order: each entry is a JSON pointer into the spec and the
/// field's wire name (`None` for an array item).
fn walk(value: &Value, pointer: String, out: &mut Vec<(String, Option<String>)>) {
    out.push((
        pointer.clone(),
        value.get("name").and_then(Value::as_str).map(str::to_owned),
    ));
    if let Some(fields) = value.get("fields").and_then(Value::as_array) {
        for (i, f) in fields.iter().enumerate() {
            walk(f, format!("{pointer}/fields/{i}"), out);
        }
    }
    if let Some(item) = value.get("items") {
        walk(item, format!("{pointer}/items"), out);
    }
}

/// Places page rows onto the existing field tree by name, in order; reports what is left.
fn merge_rows(
    spec: &mut Value,
    list: &str,
    rows: &[Row],
    request: bool,
    findings: &mut Vec<Finding>,
) {
    let mut targets = Vec::new();
    if let Some(fields) = spec.pointer(list).and_then(Value::as_array) {
        for (i, f) in fields.iter().enumerate() {
            walk(f, format!("{list}/{i}"), &mut targets);
        }
    }
    let mut next = 0;
    let mut placed = vec![false; targets.len()];
    for row in rows {
        let found = (next..targets.len()).find(|&t| targets[t].1 == row.name);
        match found {
            Some(t) => {
                next = t + 1;
                placed[t] = true;
                let page = row_field(row, request);
                let at = targets[t].0.clone();
                if let Some(existing) = spec.pointer_mut(&at) {
                    let mut page = page;
                    if row.name.is_none() {
                        // An array item: the page's type cell says `array<object>` for the
                        // item itself; the item's own type stays as the spec has it.
                        if let Some(p) = page.as_object_mut() {
                            p.remove("type");
                            p.remove("example");
                        }
                    }
                    merge_field(existing, &page, row.line, &at, findings);
                }
            }
            None => findings.push(Finding {
                line: row.line,
                message: format!(
                    "row `{}` ({}) has no place in the spec; add it by hand where it belongs",
                    row.name.as_deref().unwrap_or("(item)"),
                    row.ty
                ),
            }),
        }
    }
    for (t, ok) in placed.iter().enumerate() {
        if !ok {
            findings.push(Finding {
                line: 0,
                message: format!(
                    "{} (`{}`) is not on the page; kept as it was",
                    targets[t].0,
                    targets[t].1.as_deref().unwrap_or("(item)")
                ),
            });
        }
    }
}

/// Month names as pages print them.
fn iso_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = text.trim();
    let (month, rest) = t.split_once(' ')?;
    let m = MONTHS.iter().position(|x| *x == month)? + 1;
    let (day, year) = rest.split_once(", ")?;
    let day: u32 = day.trim().parse().ok()?;
    let year: u32 = year.trim().parse().ok()?;
    Some(format!("{year:04}-{m:02}-{day:02}"))
}

/// The RAM authorization row(s).
fn ram(layout: Layout, lines: &[Line<'_>]) -> Option<Value> {
    let units: Vec<String> = match layout {
        Layout::PipeTable => pipe_cells(lines).into_iter().map(|(_, c)| c).collect(),
        _ => lines.iter().map(|l| l.text.trim().to_owned()).collect(),
    };
    // The row starts at the first `product:Action` cell (run together with the access level in
    // the machine-translated layout).
    let start = units.iter().position(|u| {
        let head = u.split_whitespace().next().unwrap_or_default();
        head.contains(':') && !head.ends_with(':') && !u.contains(' ')
    })?;
    let mut cells = units[start..].iter();
    let first = cells.next()?.clone();
    const LEVELS: [&str; 5] = ["create", "list", "get", "update", "delete"];
    let (action, level) = match LEVELS
        .iter()
        .find(|l| first.ends_with(*l) && first.len() > l.len())
    {
        Some(l)
            if !first.contains(' ')
                && first[..first.len() - l.len()].contains(':')
                && !LEVELS.contains(&first.as_str()) =>
        {
            (first[..first.len() - l.len()].to_owned(), (*l).to_owned())
        }
        _ => (first.clone(), cells.next()?.clone()),
    };
    let resource = cells.next()?.clone();
    let (required, resource_name) = match resource.strip_prefix('*') {
        Some(r) => (true, r.trim().to_owned()),
        None => (false, resource.trim().to_owned()),
    };
    let mut arn = None;
    let mut condition_keys = Vec::new();
    let mut dependent = Vec::new();
    for cell in cells {
        let c = cell.trim();
        if c == "*" && arn.is_none() {
            arn = Some("*".to_owned());
        } else if let Some(key) = c.strip_prefix('•') {
            condition_keys.push(key.trim().to_owned());
        } else if c.eq_ignore_ascii_case("none") || c.eq_ignore_ascii_case("none none") {
            continue;
        } else if c.contains(':') && !c.contains(' ') {
            dependent.push(c.to_owned());
        } else {
            break;
        }
    }
    let mut resource_type = json!({"name": resource_name, "required": required});
    if let Some(arn) = arn {
        resource_type["arn"] = json!(arn);
    }
    Some(json!([{
        "action": action, "access_level": level, "resource_types": [resource_type],
        "condition_keys": condition_keys, "dependent_actions": dependent
    }]))
}

/// The error-code table.
fn errors(layout: Layout, lines: &[Line<'_>], findings: &mut Vec<Finding>) -> Vec<Value> {
    let mut out = Vec::new();
    for line in lines {
        let t = line.text.trim();
        let row = match layout {
            Layout::PipeTable if t.starts_with("| ") && !t.starts_with("|---") => {
                let cells: Vec<&str> = t.trim_matches('|').split(" | ").map(str::trim).collect();
                match cells.as_slice() {
                    [status, code, message, description] => status.parse::<u16>().ok().map(|s| {
                        (
                            s,
                            (*code).to_owned(),
                            (*message).to_owned(),
                            Some((*description).to_owned()),
                        )
                    }),
                    _ => None,
                }
            }
            Layout::MachineTranslated => split_error_row(t),
            _ => None,
        };
        match row {
            Some((status, code, message, description)) => {
                let mut e = json!({"http_status": status, "code": code, "message": message});
                if let Some(d) = description.filter(|d| d != "-" && !d.is_empty()) {
                    e["description"] = json!(d);
                }
                out.push(e);
            }
            None if t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && layout == Layout::MachineTranslated =>
            {
                findings.push(Finding {
                    line: line.no,
                    message: format!("an error row that could not be split: {t}"),
                });
            }
            None => {}
        }
    }
    out
}

/// `400InvalidOwnerThe specified owner doesn't belong to caller.Invalid user identity.`
fn split_error_row(t: &str) -> Option<(u16, String, String, Option<String>)> {
    let status: u16 = t.get(..3)?.parse().ok()?;
    let rest = &t[3..];
    // The message starts at the last capital that begins a plain word followed by a space,
    // among positions where the code part is non-empty.
    let bytes = rest.as_bytes();
    let mut split = None;
    for i in 1..bytes.len() {
        let c = bytes[i];
        if !c.is_ascii_uppercase() {
            continue;
        }
        let word_end = rest[i..]
            .find([' ', ',', '.'])
            .map_or(rest.len(), |e| i + e);
        let word = &rest[i..word_end];
        let plain = word
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_lowercase() || c == '\'');
        let code = &rest[..i];
        let code_ok = code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if plain && code_ok && word_end < rest.len() && rest.as_bytes()[word_end] == b' ' {
            split = Some(i);
            break;
        }
    }
    // A numeric code runs straight into the message (`400Failure to check`).
    let split = split.or_else(|| rest.find(|c: char| c.is_ascii_uppercase()))?;
    let (code, text) = rest.split_at(split);
    if let Some(message) = text.strip_suffix('-') {
        return Some((status, code.to_owned(), message.trim().to_owned(), None));
    }
    // The description follows the message's last sentence without a space.
    let mut cut = None;
    let tb = text.as_bytes();
    for i in 1..tb.len() {
        if tb[i - 1] == b'.' && tb[i].is_ascii_uppercase() {
            cut = Some(i);
        }
    }
    Some(match cut {
        Some(i) => (
            status,
            code.to_owned(),
            text[..i].to_owned(),
            Some(text[i..].to_owned()),
        ),
        None => (status, code.to_owned(), text.to_owned(), None),
    })
}

/// The change history rows (`2024-12-03The Error code has changed...View Change Details`).
fn change_history(lines: &[Line<'_>]) -> Vec<Value> {
    lines
        .iter()
        .filter_map(|l| {
            let t = l.text.trim();
            let date = t.get(..10)?;
            let ok = date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
            let summary = t[10..]
                .trim()
                .trim_end_matches("View Change Details")
                .trim();
            (ok && !summary.is_empty()).then(|| json!({"date": date, "summary": summary}))
        })
        .collect()
}

/// The example JSON response: the first line starting with `{` to its closing line.
fn example_response(lines: &[Line<'_>], findings: &mut Vec<Finding>) -> Option<Value> {
    let start = lines
        .iter()
        .position(|l| l.text.trim_start().starts_with('{'))?;
    let mut text = String::new();
    for line in &lines[start..] {
        text.push_str(line.text);
        text.push('\n');
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            return Some(value);
        }
    }
    findings.push(Finding {
        line: lines[start].no,
        message: "the example response is not complete JSON".to_owned(),
    });
    None
}

/// Imports `page` (named `page_name`, e.g. `ice-CreateIpcOrder.txt`), updating `existing` when
/// given.
pub fn import(page: &str, page_name: &str, existing: Option<&Value>) -> Imported {
    let mut findings = Vec::new();
    let layout = layout(page);
    let lines: Vec<Line<'_>> = page
        .lines()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, text)| Line {
            no: i + 1,
            text: text.trim_end(),
        })
        .collect();
    let all = sections(&lines);
    let mut spec = existing.cloned().unwrap_or_else(|| json!({}));

    // Title, date, summary, description.
    let preamble = section(&all, &[""]).unwrap_or_default();
    let title = preamble.iter().find_map(|l| {
        let (product, op) = l.text.trim().rsplit_once(':')?;
        let op_ok = op.starts_with(|c: char| c.is_ascii_uppercase())
            && op.chars().all(|c| c.is_ascii_alphanumeric());
        (op_ok && !product.is_empty() && !product.contains("Updated"))
            .then(|| (product.to_owned(), op.to_owned(), l.no))
    });
    let updated = preamble.iter().find_map(|l| {
        let (label, date) = l.text.split_once(':')?;
        (label.contains("Updated") || label.contains("更新"))
            .then(|| iso_date(date))
            .flatten()
    });
    let summary = preamble
        .iter()
        .filter(|l| {
            let t = l.text.trim();
            !["All Products", "Search", "Document Center"].contains(&t)
                && title.as_ref().is_none_or(|(_, _, no)| *no != l.no)
                && !t.contains("Updated:")
                && !t.contains("更新")
                && !t.starts_with("This topic is generated by a machine translation")
        })
        .map(|l| l.text.trim())
        .next();
    let mut source = json!({"page": page_name});
    if let Some((product, op, _)) = &title {
        source["title"] = json!(format!("{product}:{op}"));
        if spec.get("operation").is_none() {
            spec["operation"] = json!(op);
        } else if spec["operation"] != json!(op) {
            findings.push(Finding {
                line: 0,
                message: format!(
                    "the page is about {op}, the spec about {}",
                    spec["operation"]
                ),
            });
        }
    }
    if let Some(d) = updated {
        source["last_updated"] = json!(d);
    }
    source["layout"] = json!(layout.name());
    spec["source"] = source;
    match summary {
        Some(s) => spec["summary"] = json!(s),
        None => findings.push(Finding {
            line: 0,
            message: "no summary found".to_owned(),
        }),
    }
    if let Some(desc) = section(&all, &["Operation description"]) {
        let text: Vec<&str> = desc.iter().map(|l| l.text.trim()).collect();
        if !text.is_empty() {
            spec["description"] = json!(text.join("\n\n"));
        }
    } else if layout == Layout::MachineTranslated {
        // Machine-translated pages put the description right after the summary.
        let after: Vec<&str> = preamble
            .iter()
            .map(|l| l.text.trim())
            .skip_while(|t| Some(*t) != summary)
            .skip(1)
            .collect();
        if !after.is_empty() {
            spec["description"] = json!(after.join("\n\n"));
        }
    }

    // RAM authorization.
    match section(&all, &["RAM authorization", "Authorization information"])
        .and_then(|s| ram(layout, s))
    {
        Some(rows) => spec["authorization"] = rows,
        None => findings.push(Finding {
            line: 0,
            message: "no RAM authorization row found".to_owned(),
        }),
    }

    // Request syntax: the method always, the path when the page prints one.
    if let Some(syntax) = section(&all, &["Request syntax"]).and_then(|s| s.first()) {
        let mut parts = syntax.text.split_whitespace();
        if let Some(method) = parts.next() {
            spec["http"]["method"] = json!(method);
        }
        if let Some(path) = parts.next().filter(|p| p.starts_with('/')) {
            spec["http"]["path"] = json!(path);
        }
    }

    // Parameters.
    let request_rows =
        section(&all, &["Request parameters"]).map(|s| rows(layout, s, true, &mut findings));
    let parameters_found = request_rows.as_ref().is_some_and(|r| !r.is_empty());
    if let Some(rows) = &request_rows {
        if existing.is_some() {
            merge_rows(&mut spec, "/request/parameters", rows, true, &mut findings);
        } else {
            let fields = nest(rows, true, &mut findings);
            spec["request"] = json!({"parameters": fields, "constraints": []});
        }
    } else {
        findings.push(Finding {
            line: 0,
            message: "no request parameter table found".to_owned(),
        });
    }

    // Response.
    if let Some(section_lines) = section(&all, &["Response elements", "Response parameters"]) {
        let mut rows = rows(layout, section_lines, false, &mut findings);
        // The first, unnamed `object` row describes the response itself.
        if rows.first().is_some_and(|r| r.name.is_none()) {
            let root = rows.remove(0);
            let d = describe(&root.units, false);
            match d.description {
                Some(desc) => spec["response"]["description"] = json!(desc),
                None => {
                    if let Some(r) = spec.get_mut("response").and_then(Value::as_object_mut) {
                        r.remove("description");
                    }
                }
            }
        }
        if existing.is_some() {
            merge_rows(&mut spec, "/response/fields", &rows, false, &mut findings);
        } else {
            spec["response"]["fields"] = Value::Array(nest(&rows, false, &mut findings));
        }
    }
    if let Some(example) =
        section(&all, &["Examples"]).and_then(|s| example_response(s, &mut findings))
    {
        spec["response"]["example"] = example;
    }

    // Errors, keeping the Rust names of codes that stay.
    if let Some(section_lines) = section(&all, &["Error codes"]) {
        let mut page_errors = errors(layout, section_lines, &mut findings);
        if let Some(old) = existing
            .and_then(|e| e.get("errors"))
            .and_then(Value::as_array)
        {
            for e in &mut page_errors {
                if let Some(rust) = old
                    .iter()
                    .find(|o| o["code"] == e["code"])
                    .and_then(|o| o.get("rust_name"))
                {
                    e["rust_name"] = rust.clone();
                }
            }
        }
        spec["errors"] = Value::Array(page_errors);
    }
    if let Some(history) = section(&all, &["Change history"]) {
        spec["change_history"] = Value::Array(change_history(history));
    }

    if existing.is_none() {
        findings.push(Finding {
            line: 0,
            message: "a page does not state the product code and module, API version, style, endpoint, parameter locations or Rust names: fill them in (or import with --spec into an existing spec)".to_owned(),
        });
    }
    let usable = title.is_some() || parameters_found;
    Imported {
        spec,
        findings,
        usable,
    }
}

/// Without an existing spec, the page's rows as a tree: an `object` or `array<object>` row
/// takes the rows after it as its fields up to the end of the table (the cell-per-line
/// layouts do not show where a nested block ends; the report says so).
fn nest(rows: &[Row], request: bool, findings: &mut Vec<Finding>) -> Vec<Value> {
    let mut top: Vec<Value> = Vec::new();
    // The open containers, as pointers relative to `top`.
    let mut stack: Vec<String> = Vec::new();
    for row in rows {
        let mut field = row_field(row, request);
        let container = row.ty == "object" || row.ty.starts_with("array");
        if row.name.is_none() {
            // An array item: becomes the open array's `items`.
            if let Some(parent) = stack.last().cloned() {
                let mut root = Value::Array(std::mem::take(&mut top));
                let object_item = row.ty == "object" || row.ty == "array<object>";
                if let Some(p) = root.pointer_mut(&parent) {
                    if let Some(f) = field.as_object_mut() {
                        f.remove("required");
                        f.remove("name");
                        if object_item {
                            f.insert("type".into(), json!("object"));
                            f.insert("fields".into(), json!([]));
                        }
                    }
                    p["items"] = field;
                }
                top = match root {
                    Value::Array(a) => a,
                    _ => Vec::new(),
                };
                if object_item {
                    stack.push(format!("{parent}/items"));
                }
            } else {
                findings.push(Finding {
                    line: row.line,
                    message: "an array item with no array before it".to_owned(),
                });
            }
            continue;
        }
        if container && row.ty == "object" {
            field["fields"] = json!([]);
        }
        if request && stack.is_empty() {
            field["location"] = json!("query");
        }
        let pointer = match stack.last().cloned() {
            Some(parent) => {
                let mut root = Value::Array(std::mem::take(&mut top));
                let index = root
                    .pointer_mut(&format!("{parent}/fields"))
                    .and_then(Value::as_array_mut)
                    .map(|fields| {
                        fields.push(field);
                        fields.len() - 1
                    });
                top = match root {
                    Value::Array(a) => a,
                    _ => Vec::new(),
                };
                index.map(|i| format!("{parent}/fields/{i}"))
            }
            None => {
                top.push(field);
                Some(format!("/{}", top.len() - 1))
            }
        };
        if let (true, Some(p)) = (container, pointer) {
            if !stack.is_empty() {
                findings.push(Finding {
                    line: row.line,
                    message: format!("`{}` is nested under the object before it; the page does not show where nested blocks end: check the structure", row.name.as_deref().unwrap_or_default()),
                });
            }
            stack.push(p);
        }
    }
    top
}
