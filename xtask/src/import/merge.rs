//! Merging what a page states into an existing spec: each row placed on the spec's field tree
//! by name, in page order; the page's keys replaced, everything a page cannot state kept.

use codegen::spec::{ErrorCode, Field, FieldType};
use serde_json::Value;

use super::Finding;
use super::nest::{Step, at_path, row_field};
use super::table::Row;

/// A field of the spec's tree: where it is (JSON pointer), its wire name (`None` for an
/// array's item), and how to reach it.
struct Target {
    pointer: String,
    name: Option<String>,
    path: Vec<Step>,
}

/// The field tree flattened in page order.
fn walk(field: &Field, pointer: String, path: Vec<Step>, out: &mut Vec<Target>) {
    out.push(Target {
        pointer: pointer.clone(),
        name: field.name.clone(),
        path: path.clone(),
    });
    for (i, child) in field.fields.iter().flatten().enumerate() {
        let mut child_path = path.clone();
        child_path.push(Step::Field(i));
        walk(child, format!("{pointer}/fields/{i}"), child_path, out);
    }
    if let Some(item) = &field.items {
        let mut item_path = path;
        item_path.push(Step::Items);
        walk(item, format!("{pointer}/items"), item_path, out);
    }
}

/// Places page rows onto `fields` (the spec's list at `list`, a JSON pointer) by name, in
/// order; reports rows with no place and fields the page no longer has.
pub(crate) fn merge_rows(
    fields: &mut [Field],
    list: &str,
    rows: &[Row],
    request: bool,
    findings: &mut Vec<Finding>,
) {
    let mut targets = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        walk(f, format!("{list}/{i}"), vec![Step::Field(i)], &mut targets);
    }
    let mut next = 0;
    let mut placed = vec![false; targets.len()];
    for row in rows {
        match (next..targets.len()).find(|&t| targets[t].name == row.name) {
            Some(t) => {
                next = t + 1;
                placed[t] = true;
                let page = row_field(row, request);
                let target = &targets[t];
                if let Some(existing) = at_path(fields, &target.path) {
                    // An array item: the page's type cell says `array<object>` for the item
                    // itself; the item's own type and example stay as the spec has them.
                    let item = row.name.is_none();
                    merge_field(existing, page, item, row.line, &target.pointer, findings);
                }
            }
            None => findings.push(Finding {
                line: row.line,
                message: format!(
                    "row `{}` ({}) has no place in the spec; add it by hand where it belongs",
                    row.name.as_deref().unwrap_or("(item)"),
                    row.ty
                ),
            }),
        }
    }
    for (t, ok) in placed.iter().enumerate() {
        if !ok {
            findings.push(Finding {
                line: 0,
                message: format!(
                    "{} (`{}`) is not on the page; kept as it was",
                    targets[t].pointer,
                    targets[t].name.as_deref().unwrap_or("(item)")
                ),
            });
        }
    }
}

/// Merges the page's field into the existing one: type, required flag, description, example
/// and default as the page states them; enum meanings updated value by value (Rust names
/// kept, the spec's order kept for values both know); everything else kept.
fn merge_field(
    existing: &mut Field,
    page: Field,
    item: bool,
    line: usize,
    at: &str,
    findings: &mut Vec<Finding>,
) {
    if !item {
        // A page's `integer` is the 64-bit `long` the metadata states: pages do not tell the
        // two apart, so the wider stays.
        let narrower = existing.ty == FieldType::Long && page.ty == FieldType::Integer;
        if !narrower {
            existing.ty = page.ty;
        }
        existing.example = page.example;
    }
    if page.required.is_some() {
        existing.required = page.required;
    }
    existing.description = page.description;
    existing.default = page.default;
    let Some(page_values) = page.enum_values else {
        return;
    };
    let Some(existing_values) = existing.enum_values.as_mut() else {
        existing.enum_values = Some(page_values);
        return;
    };
    let show = |v: &Value| v.to_string();
    let mut merged = Vec::new();
    for mut pv in page_values.iter().cloned() {
        match existing_values.iter().find(|ev| ev.value == pv.value) {
            Some(ev) => pv.rust_name.clone_from(&ev.rust_name),
            None => findings.push(Finding {
                line,
                message: format!("{at}: new value {} on the page", show(&pv.value)),
            }),
        }
        merged.push(pv);
    }
    for ev in existing_values.iter() {
        if !page_values.iter().any(|pv| pv.value == ev.value) {
            findings.push(Finding {
                line,
                message: format!(
                    "{at}: value {} is no longer on the page; removed",
                    show(&ev.value)
                ),
            });
        }
    }
    // The spec's order for values both know, so a reordering on the page is not a change.
    merged.sort_by_key(|v| {
        existing_values
            .iter()
            .position(|ev| ev.value == v.value)
            .unwrap_or(usize::MAX)
    });
    *existing_values = merged;
}

/// The page's error table, each code keeping the Rust name the spec gave it.
pub(crate) fn merge_errors(existing: &[ErrorCode], page: Vec<ErrorCode>) -> Vec<ErrorCode> {
    page.into_iter()
        .map(|mut e| {
            if let Some(old) = existing.iter().find(|o| o.code == e.code) {
                e.rust_name.clone_from(&old.rust_name);
            }
            e
        })
        .collect()
}
