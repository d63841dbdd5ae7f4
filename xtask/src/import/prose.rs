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

/// A valid value's bullet: `X: meaning`, `X (default): meaning`, or (after a "Valid values"
/// line) a bare `X`. The value, its meaning, whether the page marks it the default.
fn value_bullet(bullet: &str, in_values: bool) -> Option<(String, String, bool)> {
    let token = |t: &str| {
        let t = t.trim().trim_matches(['`', '*']);
        (!t.is_empty() && !t.contains(' ') && t.len() <= 64).then(|| t.to_owned())
    };
    // The value ends at a colon followed by a space (or the end): `ALIYUN::ECS::INSTANCE`
    // and `https://...` hold colons of their own.
    let split = bullet
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| bullet[i + 1..].starts_with(' ') || i + 1 == bullet.len());
    let (head, meaning) = match split {
        Some(i) => (&bullet[..i], bullet[i + 1..].trim()),
        None => (bullet, ""),
    };
    if meaning.is_empty() && !in_values {
        return None;
    }
    let (head, default) = match head.trim().strip_suffix("(default)") {
        Some(h) => (h, true),
        None => (head, false),
    };
    Some((token(head)?, meaning.to_owned(), default))
}

/// Whether a line introduces a list of valid values.
fn introduces_values(unit: &str) -> bool {
    let u = unit.trim().trim_end_matches(':').to_ascii_lowercase();
    [
        "valid values",
        "enumeration value",
        "enumeration values",
        "values",
        "valid value",
    ]
    .iter()
    .any(|intro| u.ends_with(intro))
}

pub(crate) fn describe(units: &[String], enum_capable: bool) -> Described {
    // Runs of bullets: each is a list of valid values when every bullet of it reads as one
    // (bare values only after a "Valid values" line); otherwise it stays prose.
    let indent = |u: &str| u.len() - u.trim_start().len();
    let mut value_run = vec![false; units.len()];
    let mut run_level = vec![0usize; units.len()];
    let mut i = 0;
    while i < units.len() {
        if !units[i].trim().starts_with('•') {
            i += 1;
            continue;
        }
        let start = i;
        let level = indent(&units[start]);
        // The run: bullets at its level, with what is nested deeper under them.
        while i < units.len()
            && (units[i].trim().starts_with('•') || indent(&units[i]) > level)
            && indent(&units[i]) >= level
        {
            i += 1;
        }
        let in_values = start > 0 && introduces_values(&units[start - 1]);
        // "Configure the following parameters:": the keys of a JSON value, not values.
        let fields = start > 0 && {
            let intro = units[start - 1].to_ascii_lowercase();
            intro.contains("following parameters") || intro.contains("following fields")
        };
        let qualifies = enum_capable
            && !fields
            && units[start..i]
                .iter()
                .filter(|u| indent(u) == level)
                .all(|u| {
                    let b = u.trim().trim_start_matches('•').trim();
                    b.ends_with(" :")
                        || b.starts_with("Default value:")
                        || value_bullet(b, in_values).is_some()
                });
        for flag in &mut value_run[start..i] {
            *flag = qualifies;
        }
        for l in &mut run_level[start..i] {
            *l = level;
        }
    }
    let in_values_at = |k: usize| {
        let mut j = k;
        while j > 0 && units[j - 1].trim().starts_with('•') {
            j -= 1;
        }
        j > 0 && introduces_values(&units[j - 1])
    };
    let mut paragraphs: Vec<String> = Vec::new();
    let mut values: Vec<(String, String)> = Vec::new();
    let mut listed = Vec::new();
    let mut default = None;
    let mut in_listing = false;
    let mut pending_note = false;
    let mut iter = units.iter().enumerate().peekable();
    while let Some((k, unit)) = iter.next() {
        let u = unit.trim();
        // A bullet nested under a value: part of that value's meaning.
        if value_run[k] && indent(unit) > run_level[k] {
            if let Some((_, meaning)) = values.last_mut() {
                let item = u.trim_start_matches('•').trim();
                meaning.push_str(&format!("\n- {item}"));
            }
            continue;
        }
        if u == "Valid values:"
            && iter
                .peek()
                .is_some_and(|(_, n)| n.trim().starts_with('•') && n.trim().ends_with(" :"))
        {
            in_listing = true;
            continue;
        }
        if let Some(bullet) = u.strip_prefix('•') {
            let bullet = bullet.trim();
            if let Some(value) = bullet.strip_suffix(" :") {
                listed.push(value.trim().to_owned());
                // The value repeated on the next line.
                if iter.peek().is_some_and(|(_, n)| n.trim() == value.trim()) {
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
            match value_bullet(bullet, in_values_at(k)).filter(|_| value_run[k]) {
                Some((value, meaning, is_default)) => {
                    if is_default && default.is_none() {
                        default = Some(value.clone());
                    }
                    values.push((value, meaning));
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
            // `Default value: Available. You can specify ...`: the value is the first
            // sentence; the rest stays prose.
            let d = d.trim();
            let (value, rest) = match d.split_once(". ") {
                Some((v, r)) => (v, Some(r)),
                None => (d, None),
            };
            default = Some(value.trim().trim_end_matches('.').to_owned());
            if let Some(rest) = rest {
                paragraphs.push(rest.trim().to_owned());
            }
            continue;
        }
        // `... Valid values: 1 to 100. Default value: 20.` inside a sentence.
        if default.is_none()
            && let Some((_, after)) = u.split_once("Default value: ")
        {
            let value = after
                .split(['.', ',', ';', ' '])
                .next()
                .unwrap_or_default()
                .trim_matches(['*', '`']);
            if !value.is_empty() {
                default = Some(value.to_owned());
            }
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
    // A code fence's closing backticks run into the last cell on some copied pages (the
    // example that follows opens with one): without an opening fence they are no prose.
    let description = match description.trim_end().strip_suffix("```") {
        Some(before) if !before.contains("```") => {
            before.trim_end_matches('`').trim_end().to_owned()
        }
        _ => description,
    };
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
        FieldType::Boolean => match e.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(e),
        },
        _ => Value::String(e),
    }
}
