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
    let enum_values = (!d.values.is_empty() && ty.is_scalar()).then(|| {
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

/// Without an existing spec, the page's rows as a tree: an `object` or `array<object>` row
/// takes the rows after it as its fields up to the end of the table (the cell-per-line
/// layouts do not show where a nested block ends; the report says so).
pub(crate) fn nest(rows: &[Row], request: bool, findings: &mut Vec<Finding>) -> Vec<Field> {
    let mut top: Vec<Field> = Vec::new();
    // The open containers, as paths from `top`.
    let mut stack: Vec<Vec<Step>> = Vec::new();
    for row in rows {
        let mut field = row_field(row, request);
        let container = row.ty == "object" || row.ty.starts_with("array");
        if row.name.is_none() {
            // An array item: becomes the open array's `items`.
            let object_item = row.ty == "object" || row.ty == "array<object>";
            field.required = None;
            if object_item {
                field.ty = FieldType::Object;
                field.fields = Some(Vec::new());
            }
            let parent = stack.last().cloned();
            match parent.as_deref().and_then(|p| at_path(&mut top, p)) {
                Some(array) => {
                    array.items = Some(Box::new(field));
                    if let (true, Some(mut path)) = (object_item, parent) {
                        path.push(Step::Items);
                        stack.push(path);
                    }
                }
                None => findings.push(Finding {
                    line: row.line,
                    message: "an array item with no array before it".to_owned(),
                }),
            }
            continue;
        }
        if row.ty == "object" {
            field.fields = Some(Vec::new());
        }
        if request && stack.is_empty() {
            field.location = Some(Location::Query);
        }
        let name = row.name.clone().unwrap_or_default();
        let path = match stack.last().cloned() {
            Some(parent) => {
                let placed = at_path(&mut top, &parent).and_then(|p| p.fields.as_mut());
                match placed {
                    Some(fields) => {
                        fields.push(field);
                        let mut path = parent;
                        path.push(Step::Field(fields.len() - 1));
                        Some(path)
                    }
                    None => {
                        findings.push(Finding {
                            line: row.line,
                            message: format!(
                                "row `{name}` follows an array whose item the page does not name as an object; it has no place and is left out: add it by hand"
                            ),
                        });
                        None
                    }
                }
            }
            None => {
                top.push(field);
                Some(vec![Step::Field(top.len() - 1)])
            }
        };
        if let (true, Some(path)) = (container, path) {
            if !stack.is_empty() {
                findings.push(Finding {
                    line: row.line,
                    message: format!("`{name}` is nested under the object before it; the page does not show where nested blocks end: check the structure"),
                });
            }
            stack.push(path);
        }
    }
    top
}
