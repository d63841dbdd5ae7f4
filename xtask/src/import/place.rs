//! Table rows placed on a field tree that says where each belongs: an existing spec, the
//! official metadata of the operation, or the tree of the page's own example response.
//!
//! A cell-per-line table does not show where a nested block ends, so a row is not placed by
//! its position alone: it is looked up by name, first among the fields of the row placed
//! before it (a block going deeper), then beside it, then beside each of its ancestors (a
//! block ending), then anywhere in the tree where the name is unique (the page's order
//! differs). A row found nowhere is reported with its line; a field of the tree no row
//! reached is reported too. What each row changes depends on who knows the tree best
//! ([`Authority`]).

use codegen::spec::{EnumValue, Field, FieldType};
use serde_json::Value;

use super::Finding;
use super::nest::{Step, at_path, row_field};
use super::prose::typed;
use super::table::Row;

/// Who decided the tree, and so what a row may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Authority {
    /// An existing spec: the page's type, required flag and prose replace the spec's (a page
    /// `integer` over a `long` excepted).
    Spec,
    /// The official metadata: names, types, required flags and nesting stay; the page gives
    /// prose, examples, defaults and the meanings of values. Disagreements are reported.
    Metadata,
    /// The page's example response: the nesting stays; the page's type is taken where it fits
    /// the example's values, and its prose.
    Example,
}

/// A named field of the tree.
struct Node {
    path: Vec<Step>,
    name: String,
    /// The field whose `fields` hold this one (`None`: the top-level list).
    scope: Option<Vec<Step>>,
    /// The path whose `fields` hold this field's children: its own, or its item's.
    children: Option<Vec<Step>>,
    /// Whether the field is an array (or map) with an item an item row can describe.
    has_item: bool,
    pointer: String,
}

fn collect(fields: &[Field], scope: Option<&[Step]>, pointer: &str, out: &mut Vec<Node>) {
    for (i, f) in fields.iter().enumerate() {
        let mut path: Vec<Step> = scope.map(<[Step]>::to_vec).unwrap_or_default();
        path.push(Step::Field(i));
        let here = format!("{pointer}/{i}");
        let (children, child_pointer) = match (&f.fields, &f.items) {
            (Some(_), _) => (Some(path.clone()), format!("{here}/fields")),
            (None, Some(item)) if item.fields.is_some() => {
                let mut p = path.clone();
                p.push(Step::Items);
                (Some(p), format!("{here}/items/fields"))
            }
            _ => (None, String::new()),
        };
        if let Some(name) = &f.name {
            out.push(Node {
                path: path.clone(),
                name: name.clone(),
                scope: scope.map(<[Step]>::to_vec),
                children: children.clone(),
                has_item: f.items.is_some(),
                pointer: here.clone(),
            });
        }
        if let Some(children_path) = &children {
            let list = if children_path.last() == Some(&Step::Items) {
                f.items.as_ref().and_then(|i| i.fields.as_deref())
            } else {
                f.fields.as_deref()
            };
            collect(
                list.unwrap_or_default(),
                Some(children_path),
                &child_pointer,
                out,
            );
        }
    }
}

/// Places `rows` on `fields` (the list at JSON pointer `list`). Returns the rows no field was
/// found for (already reported).
pub(crate) fn place<'r>(
    fields: &mut [Field],
    list: &str,
    rows: &'r [Row],
    request: bool,
    authority: Authority,
    findings: &mut Vec<Finding>,
) -> Vec<&'r Row> {
    let mut nodes = Vec::new();
    collect(fields, None, list, &mut nodes);
    let mut placed = vec![false; nodes.len()];
    let mut cursor: Option<usize> = None;
    let mut unplaced = Vec::new();
    // The node owning a scope (`None` for the top level).
    let owner = |nodes: &[Node], scope: &Option<Vec<Step>>| -> Option<usize> {
        let scope = scope.as_ref()?;
        let mut path = scope.clone();
        if path.last() == Some(&Step::Items) {
            path.pop();
        }
        nodes.iter().position(|n| n.path == path)
    };
    for row in rows {
        let Some(name) = row.name.as_deref() else {
            // An item row: the item of the nearest array at or above the cursor.
            let mut at = cursor;
            let mut done = false;
            while let Some(i) = at {
                if nodes[i].has_item {
                    let mut path = nodes[i].path.clone();
                    path.push(Step::Items);
                    if let Some(item) = at_path(fields, &path) {
                        describe_item(item, row, request);
                    }
                    done = true;
                    break;
                }
                at = owner(&nodes, &nodes[i].scope);
            }
            if !done {
                findings.push(Finding::left_out(
                    row.line,
                    format!(
                        "an item row ({}) with no list before it; it has no place",
                        row.ty
                    ),
                ));
                unplaced.push(row);
            }
            continue;
        };
        // Scopes to look in: the cursor's children, then its scope and each enclosing one.
        let mut scopes: Vec<Option<Vec<Step>>> = Vec::new();
        match cursor {
            Some(c) => {
                if let Some(children) = &nodes[c].children {
                    scopes.push(Some(children.clone()));
                }
                let mut at = Some(c);
                while let Some(i) = at {
                    scopes.push(nodes[i].scope.clone());
                    at = owner(&nodes, &nodes[i].scope);
                }
            }
            None => scopes.push(None),
        }
        let matches = |i: usize, n: &Node, exact: bool| {
            !placed[i]
                && if exact {
                    n.name == name
                } else {
                    n.name.eq_ignore_ascii_case(name)
                }
        };
        let mut found = None;
        'search: for exact in [true, false] {
            for scope in &scopes {
                if let Some(i) = nodes
                    .iter()
                    .enumerate()
                    .position(|(i, n)| n.scope == *scope && matches(i, n, exact))
                {
                    found = Some(i);
                    break 'search;
                }
            }
        }
        if found.is_none() {
            // Anywhere, where the name is unique among the fields not yet placed.
            let anywhere: Vec<usize> = nodes
                .iter()
                .enumerate()
                .filter(|(i, n)| matches(*i, n, true))
                .map(|(i, _)| i)
                .collect();
            if let [only] = anywhere.as_slice() {
                found = Some(*only);
            }
        }
        match found {
            Some(i) => {
                placed[i] = true;
                cursor = Some(i);
                let page = row_field(row, request);
                if let Some(target) = at_path(fields, &nodes[i].path) {
                    apply(target, page, row, authority, &nodes[i].pointer, findings);
                }
            }
            None => {
                // A named row right after a list, for the list's item object (`Role` under
                // `Roles`): the item row, named.
                // Or a named row of a single value after a list of single values.
                let object_row =
                    super::table::is_object_type(&row.ty) || row.ty.starts_with("array");
                let item_of = cursor
                    .filter(|&c| nodes[c].has_item && (object_row == nodes[c].children.is_some()));
                if let Some(c) = item_of {
                    let mut path = nodes[c].path.clone();
                    path.push(Step::Items);
                    if let Some(item) = at_path(fields, &path) {
                        describe_item(item, row, request);
                    }
                    continue;
                }
                findings.push(Finding::left_out(
                    row.line,
                    format!(
                        "row `{name}` ({}) is not a field of {}; it has no place",
                        row.ty,
                        match authority {
                            Authority::Spec => "the spec",
                            Authority::Metadata => "the official metadata",
                            Authority::Example => "the example response",
                        }
                    ),
                ));
                unplaced.push(row);
            }
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        if !placed[i] {
            let message = match authority {
                Authority::Spec => format!(
                    "{} (`{}`) is not on the page; kept as it was",
                    n.pointer, n.name
                ),
                Authority::Metadata => format!(
                    "{} (`{}`) is in the official metadata but not on the page; kept",
                    n.pointer, n.name
                ),
                Authority::Example => format!(
                    "{} (`{}`) is in the example response but not in the table; kept with the example's type",
                    n.pointer, n.name
                ),
            };
            findings.push(Finding {
                line: 0,
                message,
                left_out: false,
            });
        }
    }
    unplaced
}

/// An item row's description (and, for a list of single values, its type and example).
fn describe_item(item: &mut Field, row: &Row, request: bool) {
    let page = row_field(row, request);
    if page.description.is_some() {
        item.description = page.description;
    }
    if item.ty.is_scalar() && page.ty.is_scalar() {
        item.ty = page.ty;
        item.example = row.example.as_deref().map(|e| typed(e, item.ty));
        if page.enum_values.is_some() {
            item.enum_values = retype(page.enum_values, item.ty);
        }
    }
}

/// Whether a page type fits a type read from an example value.
fn fits_example(example_ty: FieldType, page_ty: FieldType) -> bool {
    use FieldType::*;
    match example_ty {
        Long | Double => matches!(page_ty, Integer | Long | Float | Double),
        other => other == page_ty || page_ty == Any,
    }
}

fn retype(values: Option<Vec<EnumValue>>, ty: FieldType) -> Option<Vec<EnumValue>> {
    values.map(|values| {
        values
            .into_iter()
            .map(|mut v| {
                let text = match &v.value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                v.value = typed(&text, ty);
                v
            })
            .collect()
    })
}

/// What a row changes on the field it was placed on.
fn apply(
    target: &mut Field,
    page: Field,
    row: &Row,
    authority: Authority,
    pointer: &str,
    findings: &mut Vec<Finding>,
) {
    match authority {
        Authority::Spec => {
            super::merge::merge_field(target, page, false, row.line, pointer, findings)
        }
        Authority::Metadata | Authority::Example => {
            let keep_type = match authority {
                Authority::Metadata => true,
                _ => !fits_example(target.ty, page.ty),
            };
            let kinds_differ = target.ty != page.ty
                && !matches!(
                    (target.ty, page.ty),
                    (FieldType::Long, FieldType::Integer) | (FieldType::Integer, FieldType::Long)
                );
            if keep_type && kinds_differ {
                findings.push(Finding::new(
                    row.line,
                    format!(
                        "{pointer}: the page says {}, {} says {}; {} kept",
                        row.ty,
                        if authority == Authority::Metadata {
                            "the official metadata"
                        } else {
                            "the example response"
                        },
                        target.ty.as_str(),
                        target.ty.as_str()
                    ),
                ));
            }
            if !keep_type {
                target.ty = page.ty;
            }
            if authority == Authority::Metadata
                && let (Some(ours), Some(theirs)) = (page.required, target.required)
                && ours != theirs
            {
                findings.push(Finding::new(row.line, format!(
                        "{pointer}: the page says {}required, the official metadata {}required; the metadata's flag kept",
                        if ours { "" } else { "not " },
                        if theirs { "" } else { "not " },
                    )));
            }
            if page.description.is_some() {
                target.description = page.description;
            }
            if target.ty.is_scalar() {
                if let Some(e) = row.example.as_deref() {
                    target.example = Some(typed(e, target.ty));
                }
                if page.default.is_some() {
                    target.default = page.default.map(|d| typed(&text_of(&d), target.ty));
                }
                if let Some(values) = retype(page.enum_values, target.ty) {
                    target.enum_values = Some(merge_values(target.enum_values.take(), values));
                }
            }
        }
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The page's values with their meanings, and the tree's values the page does not list.
fn merge_values(tree: Option<Vec<EnumValue>>, page: Vec<EnumValue>) -> Vec<EnumValue> {
    let mut out = page;
    for v in tree.into_iter().flatten() {
        if !out.iter().any(|p| p.value == v.value) {
            out.push(v);
        }
    }
    out
}

/// A field tree made of an example value: objects' keys as fields, a list's item from its
/// elements (their keys merged), single values typed by their JSON kind.
pub(crate) fn tree_of_example(example: &Value) -> Vec<Field> {
    match example {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let mut f = field_of_value(v);
                f.name = Some(k.clone());
                f
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn field_of_value(v: &Value) -> Field {
    match v {
        Value::Object(_) => {
            let mut f = Field::new(None, FieldType::Object);
            f.fields = Some(tree_of_example(v));
            f
        }
        Value::Array(items) => {
            let mut f = Field::new(None, FieldType::Array);
            let objects: Vec<&Value> = items.iter().filter(|x| x.is_object()).collect();
            let item = if objects.is_empty() {
                items
                    .first()
                    .map_or_else(|| Field::new(None, FieldType::String), field_of_value)
            } else {
                // Every element's keys, first seen first.
                let mut merged = serde_json::Map::new();
                for o in objects {
                    if let Value::Object(m) = o {
                        for (k, x) in m {
                            merged.entry(k.clone()).or_insert_with(|| x.clone());
                        }
                    }
                }
                field_of_value(&Value::Object(merged))
            };
            f.items = Some(Box::new(item));
            f
        }
        Value::String(_) => Field::new(None, FieldType::String),
        Value::Bool(_) => Field::new(None, FieldType::Boolean),
        Value::Number(n) if n.is_i64() || n.is_u64() => Field::new(None, FieldType::Long),
        Value::Number(_) => Field::new(None, FieldType::Double),
        Value::Null => Field::new(None, FieldType::Any),
    }
}

/// Makes a field tree from the page acceptable to the generator where the page's facts do
/// not fit each other, reporting each change: an example or default that is not of the
/// field's type or not among its values (an enum value of another case is respelled), enum
/// values not of the type, integer values without a Rust name (`V12`), list items without a
/// Rust type name (named after their list, unique in the operation).
pub(crate) fn settle(
    fields: &mut [Field],
    at: &str,
    types: &mut std::collections::BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    let request = at.starts_with("/request");
    distinct_rust_names(fields, request);
    for (i, f) in fields.iter_mut().enumerate() {
        let here = format!("{at}/{i}");
        settle_field(f, &here, "", request, types, findings);
    }
}

/// Siblings whose wire names give one Rust name (`Key` and `key`): the later is numbered.
fn distinct_rust_names(fields: &mut [Field], request: bool) {
    let reserved: &[&str] = if request { &["build"] } else { &[] };
    let mut taken = std::collections::BTreeSet::new();
    for f in fields.iter_mut() {
        let Some(own) = f.rust_name.clone().or_else(|| {
            f.name
                .as_deref()
                .and_then(|n| codegen::names::field_name(n).ok())
        }) else {
            continue;
        };
        let mut chosen = own.clone();
        let mut n = 2;
        while reserved.contains(&chosen.as_str()) || !taken.insert(chosen.clone()) {
            chosen = format!("{}_{n}", own.trim_start_matches("r#"));
            n += 1;
        }
        if chosen != own {
            f.rust_name = Some(chosen);
        }
    }
}

/// A Rust type name for a field's struct or enum, unique in the operation: its own name, else
/// prefixed with its parent's (`ImageStatus`), else numbered.
fn claim_type(
    explicit: Option<&str>,
    name: &str,
    parent: &str,
    types: &mut std::collections::BTreeSet<String>,
) -> (String, bool) {
    let own = explicit
        .map(str::to_owned)
        .or_else(|| codegen::names::type_name(name, "T").ok())
        .unwrap_or_else(|| "Value".to_owned());
    let free = |t: &str, types: &std::collections::BTreeSet<String>| {
        !types.contains(t) && !types.contains(&format!("{t}Builder"))
    };
    let mut chosen = own.clone();
    if !free(&chosen, types) {
        let prefixed = format!("{parent}{own}");
        chosen = if !parent.is_empty() && free(&prefixed, types) {
            prefixed
        } else {
            let mut n = 2;
            while !free(&format!("{own}{n}"), types) {
                n += 1;
            }
            format!("{own}{n}")
        };
    }
    types.insert(chosen.clone());
    types.insert(format!("{chosen}Builder"));
    let renamed = chosen != own || explicit.is_some();
    (chosen, renamed)
}

fn fits(v: &Value, ty: FieldType) -> bool {
    match ty {
        FieldType::String | FieldType::Binary => v.is_string(),
        FieldType::Integer => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        FieldType::Long => v.is_i64() || v.is_u64(),
        FieldType::Float | FieldType::Double => v.is_number(),
        FieldType::Boolean => v.is_boolean(),
        _ => true,
    }
}

fn settle_field(
    f: &mut Field,
    at: &str,
    parent: &str,
    request: bool,
    types: &mut std::collections::BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    let name = f.name.clone().unwrap_or_else(|| "item".to_owned());
    if !request && f.default.take().is_some() {
        findings.push(Finding::new(0, format!("{at}: the page gives `{name}` a default, which a response element cannot have; kept in its description only")));
    }
    if let Some(values) = f.enum_values.as_mut() {
        let before = values.len();
        values.retain(|v| fits(&v.value, f.ty));
        if values.len() < before {
            findings.push(Finding::new(0, format!("{at}: {} value(s) the page lists for `{name}` are not of its type {} (ranges, prose); left in the description only", before - values.len(), f.ty.as_str())));
        }
        for v in values.iter_mut() {
            if v.rust_name.is_none()
                && let Some(n) = v.value.as_i64()
            {
                v.rust_name = Some(if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    format!("V{n}")
                });
            }
        }
    }
    if f.enum_values.as_ref().is_some_and(Vec::is_empty) {
        f.enum_values = None;
    }
    // The enum's Rust type, unique in the operation.
    if f.enum_values.is_some() && f.ty != FieldType::Boolean && f.name.is_some() {
        let (chosen, renamed) = claim_type(f.enum_name.as_deref(), &name, parent, types);
        if renamed {
            f.enum_name = Some(chosen);
        }
    }
    for (key, slot) in [("example", 0), ("default", 1)] {
        let value = if slot == 0 {
            &mut f.example
        } else {
            &mut f.default
        };
        let Some(v) = value.clone() else { continue };
        let mut fixed = Some(v.clone()).filter(|v| fits(v, f.ty));
        if let (Some(values), Some(text)) = (&f.enum_values, v.as_str()) {
            // An example of another case than the value it names (`Exclusive` for `EXCLUSIVE`).
            fixed = fixed
                .filter(|x| values.iter().any(|e| &e.value == x))
                .or_else(|| {
                    values
                        .iter()
                        .find(|e| {
                            e.value
                                .as_str()
                                .is_some_and(|s| s.eq_ignore_ascii_case(text))
                        })
                        .map(|e| e.value.clone())
                });
        } else if let Some(values) = &f.enum_values {
            fixed = fixed.filter(|x| values.iter().any(|e| &e.value == x));
        }
        if fixed.as_ref() != Some(&v) {
            findings.push(Finding::new(
                0,
                match &fixed {
                    Some(x) => format!("{at}: the page's {key} {v} for `{name}` is written {x}, as its value list spells it"),
                    None => format!("{at}: the page's {key} {v} for `{name}` is not a {}{}; left out", f.ty.as_str(), if f.enum_values.is_some() { " of its listed values" } else { "" }),
                },
            ));
        }
        *value = fixed;
    }
    // A named object's Rust type, unique in the operation.
    let mut own_type = String::new();
    if f.ty == FieldType::Object && f.type_ref.is_none() && f.name.is_some() {
        let (chosen, renamed) = claim_type(f.type_name.as_deref(), &name, parent, types);
        own_type = chosen.clone();
        if renamed {
            f.type_name = Some(chosen);
        }
    }
    if let Some(children) = f.fields.as_mut() {
        distinct_rust_names(children, request);
        let context = f.type_name.clone().unwrap_or(own_type);
        for (i, child) in children.iter_mut().enumerate() {
            settle_field(
                child,
                &format!("{at}/fields/{i}"),
                &context,
                request,
                types,
                findings,
            );
        }
    }
    if let Some(item) = f.items.as_mut() {
        if item.ty == FieldType::Object && item.type_ref.is_none() {
            let explicit = item.type_name.clone();
            let (chosen, _) = claim_type(
                explicit.as_deref().or(Some(&format!(
                    "{}Item",
                    codegen::names::type_name(&name, "T").unwrap_or_default()
                ))),
                &name,
                parent,
                types,
            );
            item.type_name = Some(chosen.clone());
            if let Some(children) = item.fields.as_mut() {
                distinct_rust_names(children, request);
                for (i, child) in children.iter_mut().enumerate() {
                    settle_field(
                        child,
                        &format!("{at}/items/fields/{i}"),
                        &chosen,
                        request,
                        types,
                        findings,
                    );
                }
            }
        } else {
            settle_field(
                item,
                &format!("{at}/items"),
                parent,
                request,
                types,
                findings,
            );
        }
    }
}

/// Values of the example response that a response element's value list lacks: the server
/// sends them, so they join the list (without a meaning) and are reported.
pub(crate) fn admit_example_values(
    fields: &mut [Field],
    example: &Value,
    at: &str,
    findings: &mut Vec<Finding>,
) {
    let Value::Object(map) = example else { return };
    for (i, f) in fields.iter_mut().enumerate() {
        let Some(v) = f.name.as_ref().and_then(|n| map.get(n)) else {
            continue;
        };
        admit(f, v, &format!("{at}/{i}"), findings);
    }
}

fn admit(f: &mut Field, v: &Value, at: &str, findings: &mut Vec<Finding>) {
    match v {
        Value::Object(_) => {
            if let Some(children) = f.fields.as_mut() {
                admit_example_values(children, v, &format!("{at}/fields"), findings);
            }
        }
        Value::Array(items) => {
            if let Some(item) = f.items.as_deref_mut() {
                for x in items {
                    admit(item, x, &format!("{at}/items"), findings);
                }
            }
        }
        scalar => {
            if let Some(values) = f.enum_values.as_mut()
                && fits(scalar, f.ty)
                && !values.iter().any(|e| &e.value == scalar)
            {
                findings.push(Finding::new(
                    0,
                    format!(
                        "{at}: the example response holds {scalar}, which the page does not list among the values of `{}`; added",
                        f.name.as_deref().unwrap_or("(item)")
                    ),
                ));
                values.push(EnumValue {
                    value: scalar.clone(),
                    rust_name: None,
                    description: None,
                });
            }
        }
    }
}
