//! The API changes between two spec trees, as an SDK user sees them: each change classified as
//! breaking, additive or documentation-only, and the semver bump they imply for
//! `generated-sdk`. Pure: specs in, changes out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::spec::{Field, Spec};
use serde_json::Value;

/// How a change affects code written against the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Code that compiled may not compile, or a call that worked may now fail or mean
    /// something else.
    Breaking,
    /// New things; existing code keeps compiling and working.
    Additive,
    /// Only the docs change.
    Documentation,
}

impl Impact {
    fn label(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Additive => "additive",
            Self::Documentation => "documentation",
        }
    }
}

/// One API change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiChange {
    /// Its impact.
    pub impact: Impact,
    /// `<module>::<Operation>`.
    pub operation: String,
    /// Where in the operation (`request.Parameter[].Code`, `errors.InvalidOwner`).
    pub at: String,
    /// What changed.
    pub what: String,
}

/// Which side of the wire a field is on: the same change can be breaking on one side and
/// additive on the other (a new enum value is additive in a response, a new required
/// parameter breaking in a request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

struct Diff<'a> {
    operation: &'a str,
    out: &'a mut Vec<ApiChange>,
}

impl Diff<'_> {
    fn push(&mut self, impact: Impact, at: &str, what: impl Into<String>) {
        self.out.push(ApiChange {
            impact,
            operation: self.operation.to_owned(),
            at: at.to_owned(),
            what: what.into(),
        });
    }

    fn docs<T: PartialEq + std::fmt::Debug>(&mut self, at: &str, name: &str, old: &T, new: &T) {
        if old != new {
            self.push(Impact::Documentation, at, format!("{name} changed"));
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// The changes from `old` to `new`, ordered by impact, operation and place.
pub fn diff(old: &[Spec], new: &[Spec]) -> Vec<ApiChange> {
    let key = |s: &Spec| format!("{}::{}", s.product.module, s.operation);
    let old: BTreeMap<String, &Spec> = old.iter().map(|s| (key(s), s)).collect();
    let new: BTreeMap<String, &Spec> = new.iter().map(|s| (key(s), s)).collect();
    let mut out = Vec::new();
    for (name, o) in &old {
        match new.get(name) {
            Some(n) => spec(
                &mut Diff {
                    operation: name,
                    out: &mut out,
                },
                o,
                n,
            ),
            None => out.push(ApiChange {
                impact: Impact::Breaking,
                operation: name.clone(),
                at: String::new(),
                what: "operation removed".to_owned(),
            }),
        }
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        out.push(ApiChange {
            impact: Impact::Additive,
            operation: name.clone(),
            at: String::new(),
            what: "operation added".to_owned(),
        });
    }
    out.sort();
    out
}

fn spec(d: &mut Diff<'_>, o: &Spec, n: &Spec) {
    let wire = |d: &mut Diff<'_>, what: &str, old: String, new: String| {
        if old != new {
            d.push(
                Impact::Breaking,
                "",
                format!("{what} changed from {old} to {new}"),
            );
        }
    };
    wire(
        d,
        "API version",
        o.api_version.clone(),
        n.api_version.clone(),
    );
    wire(
        d,
        "style",
        format!("{:?}", o.style),
        format!("{:?}", n.style),
    );
    wire(
        d,
        "HTTP method",
        o.http.method.as_str().to_owned(),
        n.http.method.as_str().to_owned(),
    );
    wire(d, "path", o.http.path.clone(), n.http.path.clone());
    wire(d, "endpoint", json(&o.endpoint), json(&n.endpoint));
    if o.is_read_only() != n.is_read_only() {
        let kind = |read_only| {
            if read_only {
                "read-only"
            } else {
                "state-changing"
            }
        };
        let (was, now) = (kind(o.is_read_only()), kind(n.is_read_only()));
        d.push(
            Impact::Additive,
            "",
            format!("operation type: {now}, was {was} (sets when the client retries)"),
        );
    }
    d.docs("", "summary", &o.summary, &n.summary);
    d.docs("", "description", &o.description, &n.description);
    d.docs("", "product name", &o.product.name, &n.product.name);
    d.docs(
        "authorization",
        "RAM authorization",
        &json(&o.authorization),
        &json(&n.authorization),
    );
    d.docs(
        "response",
        "response description",
        &o.response.description,
        &n.response.description,
    );
    d.docs(
        "response",
        "example response",
        &o.response.example,
        &n.response.example,
    );

    fields(
        d,
        Side::Request,
        &request_fields(o),
        &request_fields(n),
        "request",
    );
    constraints(d, &o.request.constraints, &n.request.constraints, "request");
    for (body_o, body_n) in body(o).zip(body(n)) {
        constraints(d, &body_o.constraints, &body_n.constraints, "request");
    }
    fields(
        d,
        Side::Response,
        &refs(&o.response.fields),
        &refs(&n.response.fields),
        "response",
    );
    errors(d, o, n);
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn refs(fields: &[Field]) -> Vec<&Field> {
    fields.iter().collect()
}

/// A JSON body's object parameter, if the operation has one.
fn body(s: &Spec) -> impl Iterator<Item = &Field> {
    s.request
        .parameters
        .iter()
        .filter(|p| p.encoding == Some(codegen::spec::Encoding::JsonBody))
}

/// The request's fields as the SDK user sees them: a JSON body's fields in its place.
fn request_fields(s: &Spec) -> Vec<&Field> {
    let mut out = Vec::new();
    for p in &s.request.parameters {
        if p.encoding == Some(codegen::spec::Encoding::JsonBody) {
            out.extend(p.fields.iter().flatten());
        } else {
            out.push(p);
        }
    }
    out
}

fn fields(d: &mut Diff<'_>, side: Side, old: &[&Field], new: &[&Field], at: &str) {
    let name = |f: &&Field| f.name.clone().unwrap_or_default();
    let old: BTreeMap<String, &Field> = old.iter().map(|f| (name(f), *f)).collect();
    let new: BTreeMap<String, &Field> = new.iter().map(|f| (name(f), *f)).collect();
    for (wire, o) in &old {
        let here = format!("{at}.{wire}");
        match new.get(wire) {
            Some(n) => field(d, side, o, n, &here),
            None => {
                let what = match side {
                    Side::Request => "parameter removed",
                    Side::Response => "response field removed",
                };
                d.push(Impact::Breaking, &here, what);
            }
        }
    }
    for (wire, n) in new.iter().filter(|(w, _)| !old.contains_key(*w)) {
        let here = format!("{at}.{wire}");
        match side {
            Side::Request if n.required == Some(true) => {
                d.push(Impact::Breaking, &here, "required parameter added")
            }
            Side::Request => d.push(Impact::Additive, &here, "optional parameter added"),
            Side::Response => d.push(Impact::Additive, &here, "response field added"),
        }
    }
}

fn field(d: &mut Diff<'_>, side: Side, o: &Field, n: &Field, at: &str) {
    if o.ty != n.ty {
        let what = format!("type changed from {} to {}", o.ty.as_str(), n.ty.as_str());
        d.push(Impact::Breaking, at, what);
    }
    if side == Side::Request && o.required != n.required {
        match n.required {
            Some(true) => d.push(Impact::Breaking, at, "now required"),
            _ => d.push(Impact::Additive, at, "now optional"),
        }
    }
    if o.location != n.location {
        let what = format!(
            "location changed from {} to {}",
            json(&o.location),
            json(&n.location)
        );
        d.push(Impact::Breaking, at, what);
    }
    if o.encoding != n.encoding {
        let what = format!(
            "encoding changed from {} to {}",
            json(&o.encoding),
            json(&n.encoding)
        );
        d.push(Impact::Breaking, at, what);
    }
    for (what, old, new) in [
        ("Rust field name", &o.rust_name, &n.rust_name),
        ("Rust type name", &o.type_name, &n.type_name),
        ("Rust enum name", &o.enum_name, &n.enum_name),
    ] {
        if old != new {
            d.push(
                Impact::Breaking,
                at,
                format!("{what} changed from {old:?} to {new:?}"),
            );
        }
    }
    if o.idempotency_token != n.idempotency_token {
        d.push(Impact::Additive, at, "idempotency token marking changed");
    }
    d.docs(at, "description", &o.description, &n.description);
    d.docs(at, "example", &o.example, &n.example);
    d.docs(at, "default", &o.default, &n.default);
    enums(d, side, o, n, at);
    if side == Side::Request {
        constraints(d, &o.constraints, &n.constraints, at);
    }
    match (&o.items, &n.items) {
        (Some(oi), Some(ni)) => field(d, side, oi, ni, &format!("{at}[]")),
        (None, None) => {}
        _ => d.push(Impact::Breaking, at, "array item changed"),
    }
    if o.fields.is_some() || n.fields.is_some() {
        let of: Vec<&Field> = o.fields.iter().flatten().collect();
        let nf: Vec<&Field> = n.fields.iter().flatten().collect();
        fields(d, side, &of, &nf, at);
    }
}

fn enums(d: &mut Diff<'_>, side: Side, o: &Field, n: &Field, at: &str) {
    let values = |f: &Field| -> BTreeMap<String, (String, Option<String>)> {
        f.enum_values
            .iter()
            .flatten()
            .map(|v| (show(&v.value), (v.description.clone(), v.rust_name.clone())))
            .collect()
    };
    let (old, new) = (values(o), values(n));
    match (old.is_empty(), new.is_empty()) {
        (true, false) => {
            // Plain values become an enum type: the field's Rust type changes.
            d.push(Impact::Breaking, at, "now an enum (its Rust type changes)");
            return;
        }
        (false, true) => {
            d.push(
                Impact::Breaking,
                at,
                "no longer an enum (its Rust type changes)",
            );
            return;
        }
        _ => {}
    }
    for (value, (description, rust)) in &old {
        match new.get(value) {
            // A variant disappears either way: code naming it stops compiling.
            None => d.push(Impact::Breaking, at, format!("enum value {value} removed")),
            Some((new_description, new_rust)) => {
                if rust != new_rust {
                    d.push(
                        Impact::Breaking,
                        at,
                        format!("enum value {value}: Rust variant name changed"),
                    );
                }
                if description != new_description {
                    d.push(
                        Impact::Documentation,
                        at,
                        format!("enum value {value}: meaning changed"),
                    );
                }
            }
        }
    }
    for value in new.keys().filter(|v| !old.contains_key(*v)) {
        // Enums are `#[non_exhaustive]` with an `Unknown` variant: a new value is additive on
        // both sides (in a response it used to arrive as `Unknown`).
        let where_ = match side {
            Side::Request => "accepted",
            Side::Response => "documented",
        };
        d.push(
            Impact::Additive,
            at,
            format!("enum value {value} added ({where_})"),
        );
    }
}

fn constraints(
    d: &mut Diff<'_>,
    old: &[codegen::spec::Constraint],
    new: &[codegen::spec::Constraint],
    at: &str,
) {
    let old: Vec<String> = old.iter().map(json).collect();
    let new: Vec<String> = new.iter().map(json).collect();
    for c in old.iter().filter(|c| !new.contains(c)) {
        d.push(Impact::Additive, at, format!("rule removed: {c}"));
    }
    for c in new.iter().filter(|c| !old.contains(c)) {
        // Requests that passed may now be refused before they are sent.
        d.push(Impact::Breaking, at, format!("rule added: {c}"));
    }
}

fn errors(d: &mut Diff<'_>, o: &Spec, n: &Spec) {
    let old: BTreeMap<&str, &codegen::spec::ErrorCode> =
        o.errors.iter().map(|e| (e.code.as_str(), e)).collect();
    let new: BTreeMap<&str, &codegen::spec::ErrorCode> =
        n.errors.iter().map(|e| (e.code.as_str(), e)).collect();
    for (code, e) in &old {
        let at = format!("errors.{code}");
        match new.get(code) {
            None => d.push(
                Impact::Breaking,
                &at,
                "error code removed (its ErrorCode variant goes)",
            ),
            Some(ne) => {
                if e.rust_name != ne.rust_name {
                    d.push(Impact::Breaking, &at, "ErrorCode variant name changed");
                }
                if e.http_status != ne.http_status {
                    let what = format!(
                        "HTTP status changed from {} to {}",
                        e.http_status, ne.http_status
                    );
                    d.push(Impact::Documentation, &at, what);
                }
                d.docs(&at, "message", &e.message, &ne.message);
                d.docs(&at, "description", &e.description, &ne.description);
            }
        }
    }
    for code in new.keys().filter(|c| !old.contains_key(*c)) {
        d.push(
            Impact::Additive,
            &format!("errors.{code}"),
            "error code added",
        );
    }
}

/// The version `generated-sdk` moves to from `current` for `changes`: semver, where before
/// 1.0 a breaking change bumps the minor version and anything else the patch version.
pub fn next_version(current: &str, changes: &[ApiChange]) -> Option<String> {
    let mut parts = current.split('.').map(|p| p.parse::<u64>());
    let (Some(Ok(major)), Some(Ok(minor)), Some(Ok(patch))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let worst = changes.iter().map(|c| c.impact).min();
    Some(match (worst, major) {
        (None, _) => current.to_owned(),
        (Some(Impact::Breaking), 0) => format!("0.{}.0", minor + 1),
        (Some(Impact::Breaking), _) => format!("{}.0.0", major + 1),
        (Some(Impact::Additive), 0) | (Some(Impact::Documentation), _) => {
            format!("{major}.{minor}.{}", patch + 1)
        }
        (Some(Impact::Additive), _) => format!("{major}.{}.0", minor + 1),
    })
}

/// The changes as text: one line per change, then the verdict.
pub fn render_text(changes: &[ApiChange], current: &str) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("no API changes\n");
        return out;
    }
    for c in changes {
        let at = if c.at.is_empty() {
            String::new()
        } else {
            format!(" {}", c.at)
        };
        let _ = writeln!(
            out,
            "{:<13} {}{at}: {}",
            c.impact.label(),
            c.operation,
            c.what
        );
    }
    out.push_str(&verdict(changes, current));
    out.push('\n');
    out
}

/// The changes as Markdown, for a pull request.
pub fn render_markdown(changes: &[ApiChange], current: &str) -> String {
    let mut out = String::from("## API changes\n\n");
    if changes.is_empty() {
        out.push_str("No API changes.\n");
        return out;
    }
    for impact in [Impact::Breaking, Impact::Additive, Impact::Documentation] {
        let list: Vec<&ApiChange> = changes.iter().filter(|c| c.impact == impact).collect();
        if list.is_empty() {
            continue;
        }
        let title = match impact {
            Impact::Breaking => "Breaking",
            Impact::Additive => "Additive",
            Impact::Documentation => "Documentation only",
        };
        let _ = writeln!(out, "### {title} ({})\n", list.len());
        for c in list {
            let at = if c.at.is_empty() {
                String::new()
            } else {
                format!(" `{}`", c.at)
            };
            let _ = writeln!(
                out,
                "- `{}`{at}: {}",
                c.operation,
                c.what.replace('|', "\\|")
            );
        }
        out.push('\n');
    }
    out.push_str(&format!("**{}**\n", verdict(changes, current)));
    out
}

fn verdict(changes: &[ApiChange], current: &str) -> String {
    let count = |i: Impact| changes.iter().filter(|c| c.impact == i).count();
    let next = next_version(current, changes).unwrap_or_else(|| "?".to_owned());
    format!(
        "{} breaking, {} additive, {} documentation-only; generated-sdk {current} -> {next}",
        count(Impact::Breaking),
        count(Impact::Additive),
        count(Impact::Documentation)
    )
}
