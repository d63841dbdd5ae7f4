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
mod place;
mod prose;
mod table;

pub use page::layout;

use codegen::spec::{Location, Source, Spec};
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
    /// Whether the finding reports a table row left out of the spec (every such row has one).
    pub left_out: bool,
}

impl Finding {
    /// A finding about line `line` (0: the page as a whole).
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            left_out: false,
        }
    }

    /// A table row at `line` that is not in the spec, and why.
    pub fn left_out(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            left_out: true,
        }
    }
}

/// One table row the page holds (parameter, response element, error code, change-history or
/// RAM row): where it is and whether it reached the spec. A row that did not is in the
/// findings, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The page line the row starts on.
    pub line: usize,
    /// The table: `request`, `response`, `errors`, `change_history` or `authorization`.
    pub table: &'static str,
    /// Whether the row is in the spec.
    pub placed: bool,
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
    /// Every table row read, placed or reported.
    pub rows: Vec<TableRow>,
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
    /// Every table row read: its line and table.
    rows: Vec<(usize, &'static str)>,
    method: Option<codegen::spec::Method>,
    path: Option<String>,
    request: Option<Vec<table::Row>>,
    /// The response object's own description, when the table has a row for the object.
    response_description: Option<Option<String>>,
    response: Option<Vec<table::Row>>,
    example: Option<Value>,
    errors: Option<Vec<(usize, codegen::spec::ErrorCode)>>,
    change_history: Option<Vec<codegen::spec::Change>>,
}

/// A title line `<Product name>:<Operation>`.
fn title_of(line: &str) -> Option<(String, String)> {
    let (product, op) = line.trim().rsplit_once(':')?;
    let op_ok = op.starts_with(|c: char| c.is_ascii_uppercase())
        && op.chars().all(|c| c.is_ascii_alphanumeric());
    (op_ok && !product.is_empty() && !product.contains("Updated"))
        .then(|| (product.to_owned(), op.to_owned()))
}

/// The operation a page's title line names, if it has one before its first section.
pub fn title_operation(page: &str) -> Option<String> {
    let lines = page::lines(page);
    let all = sections(&lines);
    let preamble = section(&all, &[""])?;
    preamble
        .iter()
        .find_map(|l| title_of(l.text).map(|(_, op)| op))
}

/// Reads everything the page states.
fn read(page: &str, page_name: &str, findings: &mut Vec<Finding>) -> PageFacts {
    let layout = layout(page);
    let lines: Vec<Line<'_>> = page::lines(page);
    let all = sections(&lines);

    // Title, date, summary, description.
    let preamble = section(&all, &[""]).unwrap_or_default();
    let title = preamble
        .iter()
        .find_map(|l| title_of(l.text).map(|(p, o)| (p, o, l.no)));
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
        findings.push(Finding::new(0, "no summary found".to_owned()));
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

    let mut rows: Vec<(usize, &'static str)> = Vec::new();
    // RAM authorization.
    let authorization = section(&all, &["RAM authorization", "Authorization information"])
        .and_then(|s| parts::ram(layout, s))
        .map(|list| {
            rows.extend(list.iter().map(|(line, _)| (*line, "authorization")));
            list.into_iter().map(|(_, row)| row).collect::<Vec<_>>()
        });
    if authorization.is_none() {
        findings.push(Finding::new(0, "no RAM authorization row found".to_owned()));
    }

    // Request syntax: the method always, the path when the page prints one.
    let (mut method, mut path) = (None, None);
    if let Some(syntax) = section(&all, &["Request syntax"]).and_then(|s| s.first()) {
        let mut parts = syntax.text.split_whitespace();
        if let Some(m) = parts.next() {
            method = serde_json::from_value(json!(m)).ok();
            if method.is_none() {
                findings.push(Finding::new(
                    syntax.no,
                    format!("`{m}` is not an HTTP method the format knows"),
                ));
            }
        }
        path = parts
            .next()
            .filter(|p| p.starts_with('/'))
            .map(str::to_owned);
    }

    // Request rows: the parameter table, and ROA pages' sections by location.
    let mut request: Option<Vec<table::Row>> = None;
    for (names, location) in [
        (&["Request parameters"][..], None),
        (
            &["Path parameters", "Request path parameters"][..],
            Some(Location::Path),
        ),
        (&["Query parameters"][..], Some(Location::Query)),
        (
            &["Request headers", "Request header"][..],
            Some(Location::Header),
        ),
        (
            &["Request body", "Request body parameters"][..],
            Some(Location::Body),
        ),
    ] {
        let Some(lines) = section(&all, names) else {
            continue;
        };
        let mut rows = table::rows(layout, lines, true, findings);
        if location == Some(Location::Body)
            && !rows.iter().any(|r| r.name.as_deref() == Some("body"))
        {
            // A body section's rows are the fields of the JSON body.
            rows.insert(
                0,
                table::Row {
                    line: lines.first().map_or(0, |l| l.no),
                    name: Some("body".to_owned()),
                    ty: "object".to_owned(),
                    required: Some(false),
                    ..table::Row::default()
                },
            );
        }
        for row in &mut rows {
            row.location = location;
        }
        request.get_or_insert_with(Vec::new).extend(rows);
    }
    // Without a section saying so: a `{Name}` of the path is a path parameter, a `body`
    // object the JSON body.
    if let Some(rows) = request.as_mut() {
        for row in rows.iter_mut().filter(|r| r.location.is_none()) {
            let Some(name) = row.name.as_deref() else {
                continue;
            };
            if path
                .as_deref()
                .is_some_and(|p| p.contains(&format!("{{{name}}}")))
            {
                row.location = Some(Location::Path);
            } else if name == "body" && table::is_object_type(&row.ty) {
                row.location = Some(Location::Body);
            }
        }
    }
    if request.is_none() {
        findings.push(Finding::new(
            0,
            "no request parameter table found".to_owned(),
        ));
    }

    let (mut response_description, mut response) = (None, None);
    if let Some(section_lines) = section(
        &all,
        &[
            "Response elements",
            "Response parameters",
            "Response body",
            "Response body parameters",
        ],
    ) {
        let mut rows = table::rows(layout, section_lines, false, findings);
        // The first, unnamed `object` row describes the response itself.
        if rows.first().is_some_and(|r| r.name.is_none()) {
            let root = rows.remove(0);
            response_description = Some(prose::describe(&root.units, false).description);
        }
        response = Some(rows);
    }
    let example = section(&all, &["Examples"]).and_then(|s| parts::example_response(s, findings));
    let errors = section(&all, &["Error codes"]).map(|s| {
        let list = parts::errors(layout, s, findings);
        rows.extend(list.iter().map(|(line, _)| (*line, "errors")));
        list
    });
    let change_history = section(&all, &["Change history"]).map(|s| {
        let list = parts::change_history(s);
        rows.extend(list.iter().map(|(line, _)| (*line, "change_history")));
        list.into_iter().map(|(_, c)| c).collect::<Vec<_>>()
    });
    if let Some(list) = &request {
        rows.extend(
            list.iter()
                .filter(|r| r.line > 0)
                .map(|r| (r.line, "request")),
        );
    }
    if let Some(list) = &response {
        rows.extend(list.iter().map(|r: &table::Row| (r.line, "response")));
    }

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
        rows,
    }
}

/// Merges what the page states into `spec`, keeping what a page cannot state. `authority`
/// says who made the spec's tree: an earlier spec (the page's types win) or the official
/// metadata (its names, types, required flags and nesting win).
fn merge_into(
    spec: &mut Spec,
    facts: PageFacts,
    authority: place::Authority,
    findings: &mut Vec<Finding>,
) {
    if let Some(op) = &facts.operation
        && *op != spec.operation
    {
        findings.push(Finding::new(
            0,
            format!(
                "the page is about {op}, the spec about {:?}",
                spec.operation
            ),
        ));
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
    if let Some(method) = facts.method
        && authority == place::Authority::Spec
    {
        spec.http.method = method;
    }
    if let Some(path) = facts.path
        && authority == place::Authority::Spec
    {
        spec.http.path = path;
    }
    if let Some(rows) = &facts.request {
        let params = &mut spec.request.parameters;
        place::place(
            params,
            "/request/parameters",
            rows,
            true,
            authority,
            findings,
        );
    }
    if let Some(description) = facts.response_description {
        spec.response.description = description;
    }
    if let Some(rows) = &facts.response {
        if crate::meta::merge::undescribed(&spec.response) {
            // No source described the spec's response (the metadata alone, an open
            // response of `RequestId`): the page describes it.
            spec.response.fields = response_fields(rows, facts.example.as_ref(), findings);
            spec.response.open = false;
        } else {
            // A model (the Darabonba source) or an earlier page described it: its shape
            // stays, the page adds its prose and examples.
            let fields = &mut spec.response.fields;
            place::place(
                fields,
                "/response/fields",
                rows,
                false,
                place::Authority::Spec,
                findings,
            );
        }
    }
    if let Some(example) = facts.example {
        spec.response.example = Some(example);
    }
    if let Some(errors) = facts.errors {
        spec.errors = merge::merge_errors(&spec.errors, distinct_errors(errors, findings));
    }
    if let Some(history) = facts.change_history {
        spec.change_history = history;
    }
    let mut types = std::collections::BTreeSet::new();
    place::settle(
        &mut spec.request.parameters,
        "/request/parameters",
        &mut types,
        findings,
    );
    place::settle(
        &mut spec.response.fields,
        "/response/fields",
        &mut types,
        findings,
    );
    if let Some(example) = &spec.response.example {
        place::admit_example_values(
            &mut spec.response.fields,
            example,
            "/response/fields",
            findings,
        );
    }
}

/// The response's fields from its table rows: placed on the tree of the example response
/// where the page has one (the example shows the nesting the table cannot), else nested by
/// the table's structure.
fn response_fields(
    rows: &[table::Row],
    example: Option<&Value>,
    findings: &mut Vec<Finding>,
) -> Vec<codegen::spec::Field> {
    match example {
        Some(example) if example.as_object().is_some_and(|m| !m.is_empty()) => {
            let mut fields = place::tree_of_example(example);
            let authority = place::Authority::Example;
            place::place(
                &mut fields,
                "/response/fields",
                rows,
                false,
                authority,
                findings,
            );
            fields
        }
        _ => nest::nest(rows, false, findings),
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
    // A resource path in the request syntax makes a ROA operation; without one the page is
    // an RPC operation's, sent by POST to `/` as the official SDKs do.
    let roa = facts.path.as_deref().is_some_and(|p| p != "/");
    spec.insert("style".into(), json!(if roa { "ROA" } else { "RPC" }));
    let method = match (&facts.method, roa) {
        (Some(m), true) => to_json(m),
        _ => json!("POST"),
    };
    let path = if roa {
        facts.path.clone().unwrap_or_default()
    } else {
        "/".to_owned()
    };
    spec.insert("http".into(), json!({"method": method, "path": path}));
    let mut types = std::collections::BTreeSet::new();
    if let Some(rows) = &facts.request {
        let mut parameters = nest::nest(rows, true, findings);
        place::settle(&mut parameters, "/request/parameters", &mut types, findings);
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
        let mut fields = response_fields(rows, facts.example.as_ref(), findings);
        place::settle(&mut fields, "/response/fields", &mut types, findings);
        if let Some(example) = &facts.example {
            place::admit_example_values(&mut fields, example, "/response/fields", findings);
        }
        response.insert("fields".into(), to_json(&fields));
    }
    if let Some(example) = &facts.example {
        response.insert("example".into(), example.clone());
    }
    if !response.is_empty() {
        spec.insert("response".into(), Value::Object(response));
    }
    if let Some(errors) = facts.errors.clone() {
        spec.insert("errors".into(), to_json(&distinct_errors(errors, findings)));
    }
    if let Some(history) = &facts.change_history {
        spec.insert("change_history".into(), to_json(history));
    }
    findings.push(Finding::new(0, "a page does not state the product code and module, API version or endpoint: fill them in (or import with --meta, or with --spec into an existing spec)"));
    Value::Object(spec)
}

/// The error table with each code once (a spec's codes are distinct): a repeated code's row is
/// reported and left out.
fn distinct_errors(
    rows: Vec<(usize, codegen::spec::ErrorCode)>,
    findings: &mut Vec<Finding>,
) -> Vec<codegen::spec::ErrorCode> {
    let mut out: Vec<(usize, codegen::spec::ErrorCode)> = Vec::new();
    for (line, e) in rows {
        match out.iter().find(|(_, o)| o.code == e.code) {
            Some((first, o)) => findings.push(Finding::left_out(
                line,
                format!(
                    "error code `{}` ({}: {}) repeats the row at line {first} ({}: {}); only the first is kept",
                    e.code, e.http_status, e.message, o.http_status, o.message
                ),
            )),
            None => out.push((line, e)),
        }
    }
    // Codes that differ only in case (`pay.noCreditCard`, `Pay.NoCreditCard`) would share a
    // Rust variant: the later one is numbered.
    let mut variants = std::collections::BTreeSet::new();
    out.into_iter()
        .map(|(_, mut e)| {
            let own = e
                .rust_name
                .clone()
                .or_else(|| codegen::names::type_name(&e.code, "Code").ok());
            if let Some(own) = own {
                let mut chosen = own.clone();
                let mut n = 2;
                while chosen == "Unknown" || !variants.insert(chosen.clone()) {
                    chosen = format!("{own}{n}");
                    n += 1;
                }
                if chosen != own {
                    e.rust_name = Some(chosen);
                }
            }
            e
        })
        .collect()
}

/// A typed part as JSON (plain data with string keys: this cannot fail).
fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// The spec with the pagination block its names show, when it is complete enough to tell
/// (a spec that already has one keeps it); a block that cannot be completed is reported.
fn with_paging(spec: Value, findings: &mut Vec<Finding>) -> Value {
    let Ok(mut typed) = serde_json::from_value::<Spec>(spec.clone()) else {
        return spec;
    };
    match crate::paging::apply(&mut typed) {
        Some(why) => {
            findings.push(Finding::new(0, format!("no paginator: {why}")));
            spec
        }
        None if typed.pagination.is_some() => serde_json::to_value(&typed).unwrap_or(spec),
        None => spec,
    }
}

/// Imports `page` (named `page_name`, e.g. `ice-CreateIpcOrder.txt`): merged into `existing`
/// when given, else into `meta` (the operation's spec converted from the official metadata,
/// which decides names, locations, types, required flags and nesting), else as a partial spec.
/// With both, the metadata is laid over the existing spec first.
pub fn import(
    page: &str,
    page_name: &str,
    existing: Option<&Spec>,
    meta: Option<&Spec>,
) -> Imported {
    let mut findings = Vec::new();
    let facts = read(page, page_name, &mut findings);
    let table_rows = facts.rows.clone();
    let usable = facts.operation.is_some() || facts.request.as_ref().is_some_and(|r| !r.is_empty());
    let base = match (existing, meta) {
        (Some(existing), Some(meta)) => {
            let mut notes = Vec::new();
            let merged = crate::meta::merge::merge(existing, meta.clone(), &[], &mut notes);
            findings.extend(notes.into_iter().map(|message| Finding {
                line: 0,
                message,
                left_out: false,
            }));
            Some((merged, place::Authority::Metadata))
        }
        (Some(existing), None) => Some((existing.clone(), place::Authority::Spec)),
        (None, Some(meta)) => Some((meta.clone(), place::Authority::Metadata)),
        (None, None) => None,
    };
    let spec = match base {
        Some((mut spec, authority)) => {
            merge_into(&mut spec, facts, authority, &mut findings);
            serde_json::to_value(&spec).unwrap_or_default()
        }
        None => assemble(facts, &mut findings),
    };
    let spec = with_paging(spec, &mut findings);
    let left_out: std::collections::BTreeSet<usize> = findings
        .iter()
        .filter(|f| f.left_out)
        .map(|f| f.line)
        .collect();
    let rows = table_rows
        .into_iter()
        .map(|(line, table)| TableRow {
            line,
            table,
            placed: !left_out.contains(&line),
        })
        .collect();
    Imported {
        spec,
        findings,
        usable,
        rows,
    }
}
