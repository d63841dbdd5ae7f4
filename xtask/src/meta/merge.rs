//! A spec converted from the metadata, laid over an existing spec: what the metadata states
//! (names, locations, encodings, types, required flags, nesting, enum values, authentication,
//! style, method and path, a regional endpoint) replaces what the spec had; what it cannot
//! state (prose from pages, examples, meanings of values, rules from prose, notes, Rust names,
//! the response and errors a page described) is kept. Whatever is dropped is reported.

use codegen::spec::{Constraint, Endpoint, EnumValue, Field, Spec};

/// `fresh` laid over `existing`; the findings say what was dropped or left as it was.
pub fn merge(
    existing: &Spec,
    mut fresh: Spec,
    endpoints: &[(String, String)],
    findings: &mut Vec<String>,
) -> Spec {
    fresh.schema = existing.schema.clone().or(fresh.schema);
    fresh.product.module = existing.product.module.clone();
    fresh.product.name = existing.product.name.clone().or(fresh.product.name);
    if existing.source.layout != codegen::spec::PageLayout::Metadata {
        fresh.source = existing.source.clone();
    }
    fresh.summary = existing.summary.clone().or(fresh.summary);
    fresh.description = existing.description.clone().or(fresh.description);
    fresh.operation_type = fresh.operation_type.or(existing.operation_type);
    fresh.authorization = existing.authorization.clone();
    // A global endpoint's sites are a decision the metadata's list cannot make: they stay,
    // and the regions the list sends elsewhere become its per-region hosts.
    if let Endpoint::Global { hosts, .. } = &existing.endpoint {
        let default = hosts.first().map(|h| h.host.clone()).unwrap_or_default();
        let regions = endpoints
            .iter()
            .filter(|(_, host)| *host != default)
            .map(|(r, h)| (r.clone(), h.clone()))
            .collect();
        let vpc = match &fresh.endpoint {
            Endpoint::Regional { vpc, .. } | Endpoint::Global { vpc, .. } => vpc.clone(),
        };
        fresh.endpoint = Endpoint::Global {
            hosts: hosts.clone(),
            regions,
            vpc,
        };
    }

    let old = &existing.request.parameters;
    for p in &mut fresh.request.parameters {
        let Some((i, o)) = old.iter().enumerate().find(|(_, o)| o.name == p.name) else {
            continue;
        };
        // A parameter a note of the spec is about stays as the spec has it: the note explains
        // why it departs from the metadata (an official SDK that sends it otherwise).
        let pointer = format!("/request/parameters/{i}");
        if existing.notes.iter().any(|n| n.about == pointer) {
            findings.push(format!(
                "parameter `{}` is kept as the spec has it, as its note explains",
                o.name.as_deref().unwrap_or_default()
            ));
            *p = o.clone();
        } else {
            field(o, p);
        }
    }
    for o in old {
        if !fresh.request.parameters.iter().any(|p| p.name == o.name) {
            findings.push(format!(
                "parameter `{}` is not in the metadata; it is dropped",
                o.name.as_deref().unwrap_or_default()
            ));
        }
    }
    fresh.request.constraints = constraints(
        &existing.request.constraints,
        fresh.request.constraints,
        &fresh.request.parameters,
        "the request",
        findings,
    );
    // The metadata rarely describes responses: a described one is kept.
    if !existing.response.open || fresh.response.open {
        fresh.response = existing.response.clone();
    }
    fresh.errors = existing.errors.clone();
    fresh.change_history = existing.change_history.clone();
    let mut notes = existing.notes.clone();
    for n in fresh.notes {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    fresh.notes = notes;
    fresh
}

/// One field: the metadata's shape, the spec's prose, examples, meanings and names.
fn field(old: &Field, new: &mut Field) {
    new.rust_name = old.rust_name.clone().or(new.rust_name.take());
    new.description = old.description.clone().or(new.description.take());
    new.example = old.example.clone().or(new.example.take());
    new.default = old.default.clone().or(new.default.take());
    new.idempotency_token = old.idempotency_token;
    // An array's item has no required flag of its own in the metadata.
    new.required = new.required.or(old.required);
    // An explicit encoding the metadata's default equals (a JSON-text string) stays spelled.
    if old.location == new.location
        && old.ty == new.ty
        && super::lint::effective(old) == super::lint::effective(new)
    {
        new.encoding = old.encoding;
    }
    if old.ty == new.ty {
        new.type_name = old.type_name.clone().or(new.type_name.take());
        new.enum_name = old.enum_name.clone().or(new.enum_name.take());
        new.type_ref = old.type_ref.clone().or(new.type_ref.take());
    }
    new.enum_values = enum_values(old.enum_values.as_deref(), new.enum_values.take());
    if let (Some(old_fields), Some(new_fields)) = (&old.fields, &mut new.fields) {
        for f in new_fields.iter_mut() {
            if let Some(o) = old_fields.iter().find(|o| o.name == f.name) {
                field(o, f);
            }
        }
    }
    if let (Some(o), Some(n)) = (&old.items, &mut new.items) {
        field(o, n);
    }
    let fields = new.fields.clone().unwrap_or_default();
    let mut ignored = Vec::new();
    new.constraints = constraints(
        &old.constraints,
        std::mem::take(&mut new.constraints),
        &fields,
        "an object",
        &mut ignored,
    );
}

/// The metadata's values, with the spec's meanings and Rust names; values the spec lists and
/// the metadata does not are kept (pages list values the metadata omits).
fn enum_values(old: Option<&[EnumValue]>, new: Option<Vec<EnumValue>>) -> Option<Vec<EnumValue>> {
    let Some(old) = old else { return new };
    let mut out: Vec<EnumValue> = old.to_vec();
    for v in new.into_iter().flatten() {
        if !out.iter().any(|o| o.value == v.value) {
            out.push(v);
        }
    }
    Some(out)
}

/// The spec's rules (stated by pages), plus the metadata's where the spec has none of that
/// kind for that field; a spec rule about a field that no longer exists is dropped.
fn constraints(
    old: &[Constraint],
    new: Vec<Constraint>,
    fields: &[Field],
    holder: &str,
    findings: &mut Vec<String>,
) -> Vec<Constraint> {
    let exists = |name: &str| fields.iter().any(|f| f.name.as_deref() == Some(name));
    let mut out: Vec<Constraint> = Vec::new();
    for c in old {
        let names = c.fields();
        if names.iter().all(|n| exists(n)) {
            out.push(c.clone());
        } else {
            findings.push(format!(
                "a rule of {holder} names a field the metadata does not have ({}); it is dropped",
                names.join(", ")
            ));
        }
    }
    for c in new {
        let same = out.iter().any(|o| {
            std::mem::discriminant(o) == std::mem::discriminant(&c) && o.fields() == c.fields()
        });
        if !same {
            out.push(c);
        }
    }
    out
}
