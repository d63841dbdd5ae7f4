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
//!
//! The parts: [`page`] (layout, lines, sections, pipe cells), [`table`] (rows of parameter and
//! response tables), [`prose`] (a row's description, valid values, default, typed example),
//! [`parts`] (RAM authorization, error codes, change history, example response), [`nest`] (rows
//! to `codegen::spec::Field`s, and a tree of them without a spec), [`merge`] (rows placed onto
//! an existing spec). Everything read is a typed `codegen::spec` value; only a spec printed
//! without `--spec`, which a page alone cannot complete, is assembled as JSON.

mod merge;
mod nest;
mod page;
mod parts;
mod prose;
mod table;

pub use page::layout;

use codegen::spec::{Source, Spec};
use serde_json::{Map, Value, json};

use page::{Line, section, sections};

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
    fn spec(self) -> codegen::spec::PageLayout {
        match self {
            Self::Bulleted => codegen::spec::PageLayout::Bulleted,
            Self::MachineTranslated => codegen::spec::PageLayout::MachineTranslated,
            Self::PipeTable => codegen::spec::PageLayout::PipeTable,
        }
    }
}

/// What a page states, read into typed parts; `None` where the page says nothing of it.
struct PageFacts {
    /// The operation named by the title line.
    operation: Option<String>,
    source: Source,
    summary: Option<String>,
    description: Option<String>,
    authorization: Option<Vec<codegen::spec::RamAction>>,
    method: Option<codegen::spec::Method>,
    path: Option<String>,
    request: Option<Vec<table::Row>>,
    /// The response object's own description, when the table has a row for the object.
    response_description: Option<Option<String>>,
    response: Option<Vec<table::Row>>,
    example: Option<Value>,
    errors: Option<Vec<codegen::spec::ErrorCode>>,
    change_history: Option<Vec<codegen::spec::Change>>,
}

/// Reads everything the page states.
fn read(page: &str, page_name: &str, findings: &mut Vec<Finding>) -> PageFacts {
    let layout = layout(page);
    let lines: Vec<Line<'_>> = page::lines(page);
    let all = sections(&lines);

    // Title, date, summary, description.
    let preamble = section(&all, &[""]).unwrap_or_default();
    let title = preamble.iter().find_map(|l| {
        let (product, op) = l.text.trim().rsplit_once(':')?;
        let op_ok = op.starts_with(|c: char| c.is_ascii_uppercase())
            && op.chars().all(|c| c.is_ascii_alphanumeric());
        (op_ok && !product.is_empty() && !product.contains("Updated"))
            .then(|| (product.to_owned(), op.to_owned(), l.no))
    });
    let last_updated = preamble.iter().find_map(|l| {
        let (label, date) = l.text.split_once(':')?;
        (label.contains("Updated") || label.contains("更新"))
            .then(|| page::iso_date(date))
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
    if summary.is_none() {
        findings.push(Finding {
            line: 0,
            message: "no summary found".to_owned(),
        });
    }
    let mut description = None;
    if let Some(desc) = section(&all, &["Operation description"]) {
        let text: Vec<&str> = desc.iter().map(|l| l.text.trim()).collect();
        if !text.is_empty() {
            description = Some(text.join("\n\n"));
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
            description = Some(after.join("\n\n"));
        }
    }

    // RAM authorization.
    let authorization = section(&all, &["RAM authorization", "Authorization information"])
        .and_then(|s| parts::ram(layout, s));
    if authorization.is_none() {
        findings.push(Finding {
            line: 0,
            message: "no RAM authorization row found".to_owned(),
        });
    }

    // Request syntax: the method always, the path when the page prints one.
    let (mut method, mut path) = (None, None);
    if let Some(syntax) = section(&all, &["Request syntax"]).and_then(|s| s.first()) {
        let mut parts = syntax.text.split_whitespace();
        if let Some(m) = parts.next() {
            method = serde_json::from_value(json!(m)).ok();
            if method.is_none() {
                findings.push(Finding {
                    line: syntax.no,
                    message: format!("`{m}` is not an HTTP method the format knows"),
                });
            }
        }
        path = parts
            .next()
            .filter(|p| p.starts_with('/'))
            .map(str::to_owned);
    }

    let request =
        section(&all, &["Request parameters"]).map(|s| table::rows(layout, s, true, findings));
    if request.is_none() {
        findings.push(Finding {
            line: 0,
            message: "no request parameter table found".to_owned(),
        });
    }

    let (mut response_description, mut response) = (None, None);
    if let Some(section_lines) = section(&all, &["Response elements", "Response parameters"]) {
        let mut rows = table::rows(layout, section_lines, false, findings);
        // The first, unnamed `object` row describes the response itself.
        if rows.first().is_some_and(|r| r.name.is_none()) {
            let root = rows.remove(0);
            response_description = Some(prose::describe(&root.units, false).description);
        }
        response = Some(rows);
    }
    let example = section(&all, &["Examples"]).and_then(|s| parts::example_response(s, findings));
    let errors = section(&all, &["Error codes"]).map(|s| parts::errors(layout, s, findings));
    let change_history = section(&all, &["Change history"]).map(parts::change_history);

    PageFacts {
        operation: title.as_ref().map(|(_, op, _)| op.clone()),
        source: Source {
            page: page_name.to_owned(),
            title: title.map(|(product, op, _)| format!("{product}:{op}")),
            last_updated,
            layout: layout.spec(),
        },
        summary: summary.map(str::to_owned),
        description,
        authorization,
        method,
        path,
        request,
        response_description,
        response,
        example,
        errors,
        change_history,
    }
}

/// Merges what the page states into `spec`, keeping what a page cannot state.
fn merge_into(spec: &mut Spec, facts: PageFacts, findings: &mut Vec<Finding>) {
    if let Some(op) = &facts.operation
        && *op != spec.operation
    {
        findings.push(Finding {
            line: 0,
            message: format!(
                "the page is about {op}, the spec about {:?}",
                spec.operation
            ),
        });
    }
    spec.source = facts.source;
    if facts.summary.is_some() {
        spec.summary = facts.summary;
    }
    if facts.description.is_some() {
        spec.description = facts.description;
    }
    if let Some(rows) = facts.authorization {
        spec.authorization = rows;
    }
    if let Some(method) = facts.method {
        spec.http.method = method;
    }
    if let Some(path) = facts.path {
        spec.http.path = path;
    }
    if let Some(rows) = &facts.request {
        let params = &mut spec.request.parameters;
        merge::merge_rows(params, "/request/parameters", rows, true, findings);
    }
    if let Some(description) = facts.response_description {
        spec.response.description = description;
    }
    if let Some(rows) = &facts.response {
        if spec.response.open {
            // The spec's response was open (from the metadata, which describes none): the
            // page's table is the description.
            spec.response.fields = nest::nest(rows, false, findings);
            spec.response.open = false;
        } else {
            let fields = &mut spec.response.fields;
            merge::merge_rows(fields, "/response/fields", rows, false, findings);
        }
    }
    if let Some(example) = facts.example {
        spec.response.example = Some(example);
    }
    if let Some(errors) = facts.errors {
        spec.errors = merge::merge_errors(&spec.errors, errors);
    }
    if let Some(history) = facts.change_history {
        spec.change_history = history;
    }
}

/// Without a spec: the page's facts as a partial spec (JSON, as a page cannot complete it).
fn assemble(facts: PageFacts, findings: &mut Vec<Finding>) -> Value {
    let mut spec = Map::new();
    if let Some(op) = &facts.operation {
        spec.insert("operation".into(), json!(op));
    }
    spec.insert("source".into(), to_json(&facts.source));
    if let Some(summary) = &facts.summary {
        spec.insert("summary".into(), json!(summary));
    }
    if let Some(description) = &facts.description {
        spec.insert("description".into(), json!(description));
    }
    if let Some(rows) = &facts.authorization {
        spec.insert("authorization".into(), to_json(rows));
    }
    let mut http = Map::new();
    if let Some(method) = &facts.method {
        http.insert("method".into(), to_json(method));
    }
    if let Some(path) = &facts.path {
        http.insert("path".into(), json!(path));
    }
    if !http.is_empty() {
        spec.insert("http".into(), Value::Object(http));
    }
    if let Some(rows) = &facts.request {
        let parameters = nest::nest(rows, true, findings);
        spec.insert(
            "request".into(),
            json!({"parameters": to_json(&parameters), "constraints": []}),
        );
    }
    let mut response = Map::new();
    if let Some(Some(description)) = &facts.response_description {
        response.insert("description".into(), json!(description));
    }
    if let Some(rows) = &facts.response {
        response.insert("fields".into(), to_json(&nest::nest(rows, false, findings)));
    }
    if let Some(example) = &facts.example {
        response.insert("example".into(), example.clone());
    }
    if !response.is_empty() {
        spec.insert("response".into(), Value::Object(response));
    }
    if let Some(errors) = &facts.errors {
        spec.insert("errors".into(), to_json(errors));
    }
    if let Some(history) = &facts.change_history {
        spec.insert("change_history".into(), to_json(history));
    }
    findings.push(Finding {
        line: 0,
        message: "a page does not state the product code and module, API version, style, endpoint, parameter locations or Rust names: fill them in (or import with --spec into an existing spec)".to_owned(),
    });
    Value::Object(spec)
}

/// A typed part as JSON (plain data with string keys: this cannot fail).
fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Imports `page` (named `page_name`, e.g. `ice-CreateIpcOrder.txt`): merged into `existing`
/// when given, else as a partial spec.
pub fn import(page: &str, page_name: &str, existing: Option<&Spec>) -> Imported {
    let mut findings = Vec::new();
    let facts = read(page, page_name, &mut findings);
    let usable = facts.operation.is_some() || facts.request.as_ref().is_some_and(|r| !r.is_empty());
    let spec = match existing {
        Some(existing) => {
            let mut spec = existing.clone();
            merge_into(&mut spec, facts, &mut findings);
            serde_json::to_value(&spec).unwrap_or_default()
        }
        None => assemble(facts, &mut findings),
    };
    Imported {
        spec,
        findings,
        usable,
    }
}
