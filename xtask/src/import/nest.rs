//! From table rows to spec fields: each row's own field, and (without an existing spec to place
//! them in) the rows nested into a field tree.

use codegen::spec::{EnumValue, Field, FieldType, Location};

use super::Finding;
use super::prose::{describe, typed};
use super::table::{Row, spec_type};

/// The page's field for a row: type, required flag (parameters), description, example,
/// default and valid values with their meanings.
pub(crate) fn row_field(row: &Row, request: bool) -> Field {
    let ty = spec_type(&row.ty);
    let mut d = describe(&row.units, ty.is_scalar());
    if d.values.is_empty() {
        // Only the generated "Valid values" listing: each value is its own meaning.
        d.values = d.listed.iter().map(|v| (v.clone(), v.clone())).collect();
    }
    // A value listed twice (under two conditions) is one value, with its first meaning.
    let mut seen = std::collections::BTreeSet::new();
    d.values.retain(|(v, _)| seen.insert(v.clone()));
    // Bullets describing the keys of a JSON value (its example is JSON) are not values.
    let json_example = row
        .example
        .as_deref()
        .is_some_and(|e| e.trim_start().starts_with(['[', '{']));
    let enum_values = (!d.values.is_empty() && ty.is_scalar() && !json_example).then(|| {
        d.values
            .iter()
            .map(|(value, meaning)| EnumValue {
                value: typed(value, ty),
                rust_name: None,
                description: Some(meaning.clone()).filter(|m| !m.trim().is_empty()),
            })
            .collect()
    });
    Field {
        required: if request { row.required } else { None },
        description: d.description,
        example: row.example.as_deref().map(|e| typed(e, ty)),
        default: d.default.as_deref().map(|v| typed(v, ty)),
        enum_values,
        ..Field::new(row.name.as_deref(), ty)
    }
}

/// One step down a field tree: into a field of an object, or into an array's item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Field(usize),
    Items,
}

/// The field at `path` under `top`.
pub(crate) fn at_path<'a>(top: &'a mut [Field], path: &[Step]) -> Option<&'a mut Field> {
    let (Step::Field(first), rest) = path.split_first()? else {
        return None;
    };
    let mut here = top.get_mut(*first)?;
    for step in rest {
        here = match step {
            Step::Field(i) => here.fields.as_mut()?.get_mut(*i)?,
            Step::Items => here.items.as_deref_mut()?,
        };
    }
    Some(here)
}

/// Without a tree to place them on, the page's rows nested by the table's own structure: an
/// `object` or `array<object>` row takes the rows after it as its fields, an item row (an
/// unnamed row, or a named `object` row right after a list) describes the list's item, a list
/// of single values has no fields. Where a block of fields ends, a cell-per-line table does not
/// show: a block runs to the end of the table, and each block is reported with its lines so
/// that it can be checked (`--meta` decides it from the official metadata).
pub(crate) fn nest(rows: &[Row], request: bool, findings: &mut Vec<Finding>) -> Vec<Field> {
    let mut top: Vec<Field> = Vec::new();
    // The open containers, as paths from `top`, each with its block (the row that opened
    // it: name, line, rows taken) where it has one.
    let mut stack: Vec<(Vec<Step>, Option<usize>)> = Vec::new();
    let mut blocks: Vec<(String, usize, usize)> = Vec::new();
    for row in rows {
        let mut field = row_field(row, request);
        let object_row = super::table::is_object_type(&row.ty);
        let container = object_row || row.ty == "array";
        // The open list whose item is not known yet, if that is what is open.
        let open_list = stack.last().and_then(|(p, _)| {
            let f = at_path(&mut top, p)?;
            (f.ty == FieldType::Array && f.items.is_none()).then(|| p.clone())
        });
        if row.name.is_none() || (open_list.is_some() && object_row) {
            // An item row.
            field.required = None;
            let named = field.name.take();
            if object_row {
                field.ty = FieldType::Object;
                field.fields = Some(Vec::new());
                field.items = None;
                field.type_name = named
                    .as_deref()
                    .and_then(|n| codegen::names::type_name(n, "T").ok());
            }
            let parent = stack.last().map(|(p, _)| p.clone());
            match parent.as_deref().and_then(|p| at_path(&mut top, p)) {
                Some(array) if array.ty == FieldType::Array => {
                    array.items = Some(Box::new(field));
                    if let (true, Some(mut path)) = (object_row, parent) {
                        let block = stack.last().and_then(|(_, b)| *b);
                        path.push(Step::Items);
                        stack.push((path, block));
                    } else {
                        // A list of single values has no fields: its block ends here.
                        stack.pop();
                    }
                }
                _ => findings.push(Finding::left_out(
                    row.line,
                    format!(
                        "an item row ({}) with no list before it; it has no place",
                        row.ty
                    ),
                )),
            }
            continue;
        }
        if open_list.is_some() {
            // A list whose item the page never describes: its block is over.
            stack.pop();
        }
        if super::table::is_object_type(&row.ty) && !row.ty.starts_with("array") {
            field.fields = Some(Vec::new());
        }
        if request && stack.is_empty() {
            field.location = Some(row.location.unwrap_or(Location::Query));
            if field.location == Some(Location::Body) && field.ty == FieldType::Object {
                field.encoding = Some(codegen::spec::Encoding::JsonBody);
            }
        }
        let parent = stack.last().map(|(p, _)| p.clone());
        let path = match parent {
            Some(parent) => match at_path(&mut top, &parent).and_then(|p| p.fields.as_mut()) {
                Some(fields) => {
                    fields.push(field);
                    let mut counted: Vec<usize> = stack.iter().filter_map(|(_, b)| *b).collect();
                    counted.dedup();
                    for b in counted {
                        blocks[b].2 += 1;
                    }
                    let mut path = parent;
                    path.push(Step::Field(fields.len() - 1));
                    path
                }
                None => {
                    top.push(field);
                    vec![Step::Field(top.len() - 1)]
                }
            },
            None => {
                top.push(field);
                vec![Step::Field(top.len() - 1)]
            }
        };
        if container {
            blocks.push((row.name.clone().unwrap_or_default(), row.line, 0));
            stack.push((path, Some(blocks.len() - 1)));
        }
    }
    for (name, line, taken) in blocks {
        if taken > 0 {
            findings.push(Finding::new(
                line,
                format!(
                    "`{name}` takes the {taken} row(s) after it as its fields; the page does not show where its block ends: check the structure, or import with --meta"
                ),
            ));
        }
    }
    top
}
