//! A row's prose: description paragraphs, valid values with their meanings, the default, and
//! the example typed by the field's type.

use codegen::spec::FieldType;
use serde_json::Value;

/// Removes Markdown escapes (`\*`, `\_`) copied from the page source.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| "*_`[]".contains(*n)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A row's description, valid values and default, read from its cells.
pub(crate) struct Described {
    pub(crate) description: Option<String>,
    pub(crate) values: Vec<(String, String)>,
    pub(crate) listed: Vec<String>,
    pub(crate) default: Option<String>,
}

pub(crate) fn describe(units: &[String], enum_capable: bool) -> Described {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut values = Vec::new();
    let mut listed = Vec::new();
    let mut default = None;
    let mut in_listing = false;
    let mut pending_note = false;
    let mut iter = units.iter().peekable();
    while let Some(unit) = iter.next() {
        let u = unit.trim();
        if u == "Valid values:"
            && iter
                .peek()
                .is_some_and(|n| n.trim().starts_with('•') && n.trim().ends_with(" :"))
        {
            in_listing = true;
            continue;
        }
        if let Some(bullet) = u.strip_prefix('•') {
            let bullet = bullet.trim();
            if let Some(value) = bullet.strip_suffix(" :") {
                listed.push(value.trim().to_owned());
                // The value repeated on the next line.
                if iter.peek().is_some_and(|n| n.trim() == value.trim()) {
                    iter.next();
                }
                continue;
            }
            in_listing = false;
            if let Some(d) = bullet.strip_prefix("Default value:") {
                // `Default value: PricingCycle=2` names the parameter before the value.
                let d = d.trim().trim_end_matches(['.', ';']);
                default = Some(d.rsplit_once('=').map_or(d, |(_, v)| v).trim().to_owned());
                continue;
            }
            match bullet.split_once(':') {
                Some((value, meaning))
                    if enum_capable && !value.trim().is_empty() && !value.contains(' ') =>
                {
                    values.push((value.trim().to_owned(), meaning.trim().to_owned()));
                }
                // Not a value: the bullet stays in the description as a list item.
                _ => match paragraphs.last_mut() {
                    Some(last) if last.starts_with("- ") => {
                        last.push('\n');
                        last.push_str(&format!("- {bullet}"));
                    }
                    _ => paragraphs.push(format!("- {bullet}")),
                },
            }
            continue;
        }
        if in_listing && listed.last().is_some_and(|l| l == u) {
            continue;
        }
        in_listing = false;
        if let Some(d) = u.strip_prefix("Default value:") {
            default = Some(d.trim().trim_end_matches('.').to_owned());
            continue;
        }
        let text = match u.strip_prefix("Note") {
            Some(rest) if !rest.starts_with(':') => {
                format!("Note: {}", rest.trim_start_matches([' ', '\n']))
            }
            _ => u.to_owned(),
        };
        // `... characters. Note` then the note on the next line.
        match text.strip_suffix(" Note") {
            Some(before) => {
                paragraphs.push(before.to_owned());
                pending_note = true;
            }
            None if pending_note => {
                paragraphs.push(format!("Note: {text}"));
                pending_note = false;
            }
            None => paragraphs.push(text),
        }
    }
    if let Some(first) = paragraphs.first_mut()
        && let Some(stripped) = first.strip_suffix(" Valid values:")
    {
        *first = stripped.to_owned();
    }
    let description = paragraphs
        .iter()
        .map(|p| {
            if p.starts_with("- ") {
                p.clone()
            } else {
                p.replace('\n', " ")
            }
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Described {
        description: (!description.is_empty()).then_some(description),
        values,
        listed,
        default,
    }
}

/// A page example typed by the field's type.
pub(crate) fn typed(example: &str, ty: FieldType) -> Value {
    let e = unescape(example.trim());
    match ty {
        FieldType::Integer | FieldType::Long => e
            .parse::<i64>()
            .map_or(Value::String(e.clone()), Value::from),
        FieldType::Double | FieldType::Float => e
            .parse::<f64>()
            .map_or(Value::String(e.clone()), Value::from),
        FieldType::Boolean => match e.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(e),
        },
        _ => Value::String(e),
    }
}
