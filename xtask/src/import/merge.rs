//! Merging what a page states into a field of an existing spec (placed there by [`super::place`]):
//! the page's keys replaced, everything a page cannot state kept; and the error table.

use codegen::spec::{ErrorCode, Field, FieldType};
use serde_json::Value;

use super::Finding;

/// Merges the page's field into the existing one: type, required flag, description, example
/// and default as the page states them; enum meanings updated value by value (Rust names
/// kept, the spec's order kept for values both know); everything else kept.
pub(crate) fn merge_field(
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
            None => findings.push(Finding::new(
                line,
                format!("{at}: new value {} on the page", show(&pv.value)),
            )),
        }
        merged.push(pv);
    }
    for ev in existing_values.iter() {
        if !page_values.iter().any(|pv| pv.value == ev.value) {
            findings.push(Finding::new(
                line,
                format!(
                    "{at}: value {} is no longer on the page; removed",
                    show(&ev.value)
                ),
            ));
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
