//! A request made of the page's example values, for the generated doc examples and the tests.
//!
//! Pages give an example per field, and those examples need not agree with each other (the
//! BssOpenApi page's `PricingCycle` example only applies to product types its `ProductType`
//! example is not). The example request takes every example, then leaves out optional fields
//! whose presence breaks a stated rule, until the request keeps every rule it can.

use serde_json::{Map, Value};

use crate::diagnostics::Pointer;
use crate::spec::{Condition, Constraint, Field, FieldType, Spec};

/// The example request of an operation, as the JSON the request type reads (wire names; a JSON
/// body's fields at the top level), or `null` where the examples cannot make a valid request
/// (a required field without one: the metadata gives few examples). Lowering keeps it in the
/// model ([`crate::ir::OperationIr::example_request`]).
pub(crate) fn example_request(spec: &Spec) -> Value {
    let (fields, rules) = crate::ir::request_fields(spec, &Pointer::root().key("request"));
    let fields: Vec<&Field> = fields.into_iter().map(|(f, _, _)| f).collect();
    let map = object(&fields, &rules);
    if complete(&fields, &map) {
        Value::Object(map)
    } else {
        Value::Null
    }
}

/// Whether every required field is given, in the object and in every object given inside it.
fn complete(fields: &[&Field], map: &Map<String, Value>) -> bool {
    fields.iter().all(|f| {
        let Some(name) = &f.name else { return true };
        match map.get(name) {
            None => f.required != Some(true),
            Some(v) => given_complete(f, v),
        }
    })
}

fn given_complete(f: &Field, v: &Value) -> bool {
    match (f.ty, v) {
        (FieldType::Object, Value::Object(m)) => {
            let children: Vec<&Field> = f.fields.iter().flatten().collect();
            complete(&children, m)
        }
        (FieldType::Array, Value::Array(items)) => f
            .items
            .as_deref()
            .is_none_or(|item| items.iter().all(|x| given_complete(item, x))),
        _ => true,
    }
}

fn object(fields: &[&Field], constraints: &[&Constraint]) -> Map<String, Value> {
    let mut map = Map::new();
    for f in fields {
        if let (Some(name), Some(v)) = (&f.name, value(f)) {
            map.insert(name.clone(), v);
        }
    }
    // Leave out optional fields whose presence breaks a rule; each pass removes at least one
    // field, so this ends.
    while let Some(name) = culprit(fields, constraints, &map) {
        map.remove(&name);
    }
    map
}

fn value(f: &Field) -> Option<Value> {
    match f.ty {
        // An example of bytes describes them; it is not the bytes.
        FieldType::Binary => None,
        // A recursive object's example would repeat its ancestor's.
        FieldType::Object if f.type_ref.is_some() => None,
        FieldType::Object => {
            let fields: Vec<&Field> = f.fields.iter().flatten().collect();
            let constraints: Vec<&Constraint> = f.constraints.iter().collect();
            let map = object(&fields, &constraints);
            (!map.is_empty()).then_some(Value::Object(map))
        }
        FieldType::Array => match &f.example {
            Some(v @ Value::Array(_)) => Some(v.clone()),
            _ => f
                .items
                .as_deref()
                .and_then(value)
                .map(|item| Value::Array(vec![item])),
        },
        _ => f.example.clone(),
    }
}

fn holds(c: &Condition, map: &Map<String, Value>) -> bool {
    let v = map.get(&c.field);
    if let Some(want) = &c.equals {
        v == Some(want)
    } else if let Some(list) = &c.one_of {
        v.is_some_and(|v| list.contains(v))
    } else {
        v.is_some() == c.present.unwrap_or(true)
    }
}

fn optional(fields: &[&Field], name: &str) -> bool {
    fields
        .iter()
        .any(|f| f.name.as_deref() == Some(name) && f.required != Some(true))
}

/// An optional field to leave out because a rule it takes part in is broken.
fn culprit(
    fields: &[&Field],
    constraints: &[&Constraint],
    map: &Map<String, Value>,
) -> Option<String> {
    let present_optional =
        |name: &str| (map.contains_key(name) && optional(fields, name)).then(|| name.to_owned());
    constraints.iter().find_map(|c| match c {
        Constraint::Implies { premise, then } if holds(premise, map) && !holds(then, map) => {
            present_optional(&premise.field).or_else(|| present_optional(&then.field))
        }
        Constraint::RequiredIf { field, when } if holds(when, map) && !map.contains_key(field) => {
            present_optional(&when.field)
        }
        _ => None,
    })
}
