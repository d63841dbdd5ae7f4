//! A spec converted from the metadata, laid over an existing spec: what the metadata states
//! (names, locations, encodings, types, required flags, nesting, enum values, authentication,
//! style, method and path, a regional endpoint) replaces what the spec had; what it cannot
//! state (prose from pages, examples, meanings of values, rules from prose, notes, Rust names,
//! the response and errors a page described) is kept. Whatever is dropped is reported.

use codegen::spec::{Constraint, Endpoint, EnumValue, Field, FieldType, Note, Spec};
use serde_json::Value;

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
    // The response: where no source describes it (an open response of a `RequestId` alone),
    // the spec's is kept; a model (the Darabonba source) decides its shape, keeping the
    // spec's prose, examples, meanings and Rust names where the same element is there, and
    // every element the spec describes that the model lacks, or types differently, is
    // reported.
    if undescribed(&fresh.response) {
        fresh.response = existing.response.clone();
    } else if !undescribed(&existing.response) {
        response_fields(
            &existing.response.fields,
            &mut fresh.response.fields,
            "",
            findings,
        );
        fresh.response.description = existing
            .response
            .description
            .clone()
            .or(fresh.response.description.take());
        fresh.response.example = existing.response.example.clone();
    } else {
        fresh.response.example = existing.response.example.clone();
    }
    fresh.errors = existing.errors.clone();
    fresh.change_history = existing.change_history.clone();
    // Notes about the response follow their elements to where the model puts them; a note
    // about an element the model does not have goes with it.
    let (old_value, new_value) = (
        serde_json::to_value(existing).unwrap_or_default(),
        serde_json::to_value(&fresh).unwrap_or_default(),
    );
    let mut notes = Vec::new();
    for n in &existing.notes {
        if !n.about.starts_with("/response/") {
            notes.push(n.clone());
            continue;
        }
        match repoint(&old_value, &new_value, &n.about) {
            Some(about) => notes.push(Note {
                about,
                text: n.text.clone(),
            }),
            None => findings.push(format!(
                "the note about `{}` points at a response element the Darabonba model does not have; it is dropped: {}",
                n.about, n.text
            )),
        }
    }
    for n in fresh.notes {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    fresh.notes = notes;
    fresh
}

/// Whether a response is the converter's placeholder where no source describes one: open,
/// with `RequestId` alone.
pub fn undescribed(r: &codegen::spec::Response) -> bool {
    r.open && r.fields.len() == 1 && r.fields[0].name.as_deref() == Some("RequestId")
}

/// Response elements: the model's (`new`), each with what the spec (`old`) says of the same
/// element; what the spec has and the model lacks or types differently is reported. `at` is
/// the dotted path of wire names so far.
fn response_fields(old: &[Field], new: &mut [Field], at: &str, findings: &mut Vec<String>) {
    // The spec's order first (a reviewed order, and a smaller diff), then the model's new
    // elements in the model's order.
    new.sort_by_key(|n| {
        old.iter()
            .position(|o| o.name == n.name)
            .unwrap_or(usize::MAX)
    });
    for o in old {
        let name = o.name.as_deref().unwrap_or_default();
        let path = if at.is_empty() {
            name.to_owned()
        } else {
            format!("{at}.{name}")
        };
        match new.iter_mut().find(|n| n.name == o.name) {
            None => findings.push(format!(
                "response element `{path}` is described by the spec but not by the Darabonba model; the model's response is kept without it"
            )),
            Some(n) if n.ty != o.ty => {
                findings.push(format!(
                    "response element `{path}` is typed {} in the spec and {} in the Darabonba model; the model's type is kept",
                    o.ty.as_str(),
                    n.ty.as_str()
                ));
                element(o, n);
            }
            Some(n) => {
                element(o, n);
                if let (Some(of), Some(nf)) = (&o.fields, &mut n.fields) {
                    response_fields(of, nf, &path, findings);
                }
                if let (Some(oi), Some(ni)) = (&o.items, &mut n.items) {
                    element(oi, ni);
                    if let (Some(of), Some(nf)) = (&oi.fields, &mut ni.fields) {
                        response_fields(of, nf, &format!("{path}[]"), findings);
                    }
                }
            }
        }
    }
}

/// What the spec says of one response element that still holds under the model's type: its
/// prose and Rust name always; its example, meanings and type names where the types agree (an
/// example also where an integer widened to a long). Its children are matched by the caller.
fn element(old: &Field, new: &mut Field) {
    new.rust_name = old.rust_name.clone().or(new.rust_name.take());
    new.description = old.description.clone().or(new.description.take());
    let widened = old.ty == FieldType::Integer && new.ty == FieldType::Long;
    if old.ty == new.ty || widened {
        new.example = old.example.clone().or(new.example.take());
    }
    if old.ty == new.ty {
        new.type_name = old.type_name.clone().or(new.type_name.take());
        new.enum_name = old.enum_name.clone().or(new.enum_name.take());
        new.enum_values = enum_values(old.enum_values.as_deref(), new.enum_values.take());
    }
}

/// The pointer into `new` of what `pointer` points at in `old`, following wire names:
/// `/response/fields/3/...` becomes the index of the element of the same name. `None` when
/// the element is gone.
pub fn repoint(old: &Value, new: &Value, pointer: &str) -> Option<String> {
    let mut out = String::new();
    let (mut o, mut n) = (old, new);
    for part in pointer.split('/').skip(1) {
        let (next_o, next_n, written) = match (o, n) {
            (Value::Array(ol), Value::Array(nl)) => {
                let i: usize = part.parse().ok()?;
                let item = ol.get(i)?;
                let j = match item.get("name") {
                    Some(name) => nl.iter().position(|x| x.get("name") == Some(name))?,
                    None => i,
                };
                (item, nl.get(j)?, j.to_string())
            }
            (Value::Object(om), Value::Object(nm)) => {
                let key = part.replace("~1", "/").replace("~0", "~");
                (om.get(&key)?, nm.get(&key)?, part.to_owned())
            }
            _ => return None,
        };
        out.push('/');
        out.push_str(&written);
        o = next_o;
        n = next_n;
    }
    Some(out)
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
