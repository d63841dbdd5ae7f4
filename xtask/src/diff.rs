//! The API changes between two spec trees, as an SDK user sees them: each change classified as
//! breaking, additive or documentation-only, and the semver bump they imply for
//! `generated-sdk`. Pure: specs in, changes out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::ir::{ErrorIr, FieldIr, OperationIr, Side, StructIr, Ty};
use codegen::spec::{Constraint, EnumValue};
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

struct Diff<'a> {
    operation: &'a str,
    out: &'a mut Vec<ApiChange>,
    old: &'a OperationIr,
    new: &'a OperationIr,
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

/// The changes from `old` to `new` (lowered operations, as [`codegen::Catalog`] gives them),
/// ordered by impact, operation and place. Names, types and wire placements are compared as
/// the generator decides them, so a change that alters the generated code is seen whatever
/// spec edit caused it.
pub fn diff(old: &[OperationIr], new: &[OperationIr]) -> Vec<ApiChange> {
    let key = |s: &OperationIr| format!("{}::{}", s.product.module, s.operation);
    let old: BTreeMap<String, &OperationIr> = old.iter().map(|s| (key(s), s)).collect();
    let new: BTreeMap<String, &OperationIr> = new.iter().map(|s| (key(s), s)).collect();
    let mut out = Vec::new();
    for (name, o) in &old {
        match new.get(name) {
            Some(n) => operation(&mut Diff {
                operation: name,
                out: &mut out,
                old: o,
                new: n,
            }),
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

fn operation(d: &mut Diff<'_>) {
    let (o, n) = (d.old, d.new);
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
        o.method.as_str().to_owned(),
        n.method.as_str().to_owned(),
    );
    wire(d, "path", o.path.clone(), n.path.clone());
    wire(d, "endpoint", json(&o.endpoint), json(&n.endpoint));
    if o.read_only != n.read_only {
        let kind = |read_only| {
            if read_only {
                "read-only"
            } else {
                "state-changing"
            }
        };
        let (was, now) = (kind(o.read_only), kind(n.read_only));
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
        &o.example_response,
        &n.example_response,
    );
    structure(d, Side::Request, &o.request, &n.request, "request");
    structure(d, Side::Response, &o.response, &n.response, "response");
    errors(d);
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Two versions of one struct: its fields, and (request side) its rules.
fn structure(d: &mut Diff<'_>, side: Side, o: &StructIr, n: &StructIr, at: &str) {
    fields(d, side, &o.fields, &n.fields, at);
    if side == Side::Request {
        rules(d, &o.rules, &n.rules, at);
    }
}

fn fields(d: &mut Diff<'_>, side: Side, old: &[FieldIr], new: &[FieldIr], at: &str) {
    let old: BTreeMap<&str, &FieldIr> = old.iter().map(|f| (f.wire.as_str(), f)).collect();
    let new: BTreeMap<&str, &FieldIr> = new.iter().map(|f| (f.wire.as_str(), f)).collect();
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
            Side::Request if n.required => {
                d.push(Impact::Breaking, &here, "required parameter added")
            }
            Side::Request => d.push(Impact::Additive, &here, "optional parameter added"),
            Side::Response => d.push(Impact::Additive, &here, "response field added"),
        }
    }
}

fn field(d: &mut Diff<'_>, side: Side, o: &FieldIr, n: &FieldIr, at: &str) {
    if o.kind != n.kind {
        let what = format!(
            "type changed from {} to {}",
            o.kind.as_str(),
            n.kind.as_str()
        );
        d.push(Impact::Breaking, at, what);
    }
    if side == Side::Request && o.required != n.required {
        if n.required {
            d.push(Impact::Breaking, at, "now required");
        } else {
            d.push(Impact::Additive, at, "now optional");
        }
    }
    if let (Some(op), Some(np)) = (o.placement, n.placement) {
        let changes = [
            ("location", json(&op.location), json(&np.location)),
            ("encoding", json(&op.encoding), json(&np.encoding)),
        ];
        for (what, old, new) in changes {
            if old != new {
                d.push(
                    Impact::Breaking,
                    at,
                    format!("{what} changed from {old} to {new}"),
                );
            }
        }
    }
    if o.rust != n.rust {
        d.push(
            Impact::Breaking,
            at,
            format!("Rust field name changed from `{}` to `{}`", o.rust, n.rust),
        );
    }
    if o.idempotency_token != n.idempotency_token {
        d.push(Impact::Additive, at, "idempotency token marking changed");
    }
    d.docs(at, "description", &o.description, &n.description);
    d.docs(at, "example", &o.example, &n.example);
    d.docs(at, "default", &o.default, &n.default);
    if o.kind == n.kind {
        ty(d, side, &o.ty, &n.ty, &o.meanings, &n.meanings, at);
    }
}

/// Two versions of a field's Rust type (the declared type being the same).
fn ty(
    d: &mut Diff<'_>,
    side: Side,
    o: &Ty,
    n: &Ty,
    o_meanings: &[EnumValue],
    n_meanings: &[EnumValue],
    at: &str,
) {
    let (old_op, new_op) = (d.old, d.new);
    match (o, n) {
        (Ty::Struct(a), Ty::Struct(b)) => {
            if a != b {
                let what = format!("Rust type name changed from `{a}` to `{b}`");
                d.push(Impact::Breaking, at, what);
            }
            if let (Some(os), Some(ns)) = (old_op.struct_named(a), new_op.struct_named(b)) {
                structure(d, side, os, ns, at);
            }
        }
        (Ty::Vec(a), Ty::Vec(b)) => ty(d, side, a, b, &[], &[], &format!("{at}[]")),
        (Ty::Enum { name: a, .. }, Ty::Enum { name: b, .. }) => {
            if a != b {
                let what = format!("Rust enum name changed from `{a}` to `{b}`");
                d.push(Impact::Breaking, at, what);
            }
            let values = |e: Option<&codegen::ir::EnumIr>| -> Values {
                e.map(|e| {
                    e.variants
                        .iter()
                        .map(|v| (show(&v.wire), (v.description.clone(), v.rust.clone())))
                        .collect()
                })
                .unwrap_or_default()
            };
            let (old, new) = (values(old_op.enum_named(a)), values(new_op.enum_named(b)));
            enum_values(d, side, &old, &new, at);
        }
        (Ty::Enum { .. }, _) => {
            d.push(
                Impact::Breaking,
                at,
                "no longer an enum (its Rust type changes)",
            );
        }
        (_, Ty::Enum { .. }) => {
            // Plain values become an enum type: the field's Rust type changes.
            d.push(Impact::Breaking, at, "now an enum (its Rust type changes)");
        }
        (Ty::Bool, Ty::Bool) => {
            let values = |m: &[EnumValue]| -> Values {
                m.iter()
                    .map(|v| (show(&v.value), (v.description.clone(), String::new())))
                    .collect()
            };
            enum_values(d, side, &values(o_meanings), &values(n_meanings), at);
        }
        (a, b) if a != b => d.push(Impact::Breaking, at, "array item changed"),
        _ => {}
    }
}

/// Documented values by their wire text: meaning and Rust variant.
type Values = BTreeMap<String, (Option<String>, String)>;

fn enum_values(d: &mut Diff<'_>, side: Side, old: &Values, new: &Values, at: &str) {
    for (value, (description, rust)) in old {
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

fn rules(d: &mut Diff<'_>, old: &[Constraint], new: &[Constraint], at: &str) {
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

fn errors(d: &mut Diff<'_>) {
    let old: BTreeMap<&str, &ErrorIr> = d.old.errors.iter().map(|e| (e.code.as_str(), e)).collect();
    let new: BTreeMap<&str, &ErrorIr> = d.new.errors.iter().map(|e| (e.code.as_str(), e)).collect();
    for (code, e) in &old {
        let at = format!("errors.{code}");
        match new.get(code) {
            None => d.push(
                Impact::Breaking,
                &at,
                "error code removed (its ErrorCode variant goes)",
            ),
            Some(ne) => {
                if e.variant != ne.variant {
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
