//! The page's other tables and blocks: the RAM authorization row, the error codes, the change
//! history and the example response.

use codegen::spec::{AccessLevel, Change, ErrorCode, RamAction, ResourceType};
use serde_json::Value;

use super::page::{Line, pipe_cells};
use super::{Finding, Layout};

/// The RAM authorization row(s).
pub(crate) fn ram(layout: Layout, lines: &[Line<'_>]) -> Option<Vec<RamAction>> {
    let units: Vec<String> = match layout {
        Layout::PipeTable => pipe_cells(lines).into_iter().map(|(_, c)| c).collect(),
        _ => lines.iter().map(|l| l.text.trim().to_owned()).collect(),
    };
    // The row starts at the first `product:Action` cell (run together with the access level in
    // the machine-translated layout).
    let start = units.iter().position(|u| {
        let head = u.split_whitespace().next().unwrap_or_default();
        head.contains(':') && !head.ends_with(':') && !u.contains(' ')
    })?;
    let mut cells = units[start..].iter();
    let first = cells.next()?.clone();
    const LEVELS: [&str; 5] = ["create", "list", "get", "update", "delete"];
    let level_of = |text: &str| -> Option<AccessLevel> {
        serde_json::from_value(Value::String(text.trim().to_ascii_lowercase())).ok()
    };
    let (action, level) = match LEVELS
        .iter()
        .find(|l| first.ends_with(*l) && first.len() > l.len())
    {
        Some(l)
            if !first.contains(' ')
                && first[..first.len() - l.len()].contains(':')
                && !LEVELS.contains(&first.as_str()) =>
        {
            (first[..first.len() - l.len()].to_owned(), (*l).to_owned())
        }
        _ => (first.clone(), cells.next()?.clone()),
    };
    let level = level_of(&level)?;
    let resource = cells.next()?.clone();
    let (required, resource_name) = match resource.strip_prefix('*') {
        Some(r) => (true, r.trim().to_owned()),
        None => (false, resource.trim().to_owned()),
    };
    let mut arn = None;
    let mut condition_keys = Vec::new();
    let mut dependent = Vec::new();
    for cell in cells {
        let c = cell.trim();
        if c == "*" && arn.is_none() {
            arn = Some("*".to_owned());
        } else if let Some(key) = c.strip_prefix('•') {
            condition_keys.push(key.trim().to_owned());
        } else if c.eq_ignore_ascii_case("none") || c.eq_ignore_ascii_case("none none") {
            continue;
        } else if c.contains(':') && !c.contains(' ') {
            dependent.push(c.to_owned());
        } else {
            break;
        }
    }
    Some(vec![RamAction {
        action,
        access_level: level,
        resource_types: vec![ResourceType {
            name: resource_name,
            required,
            arn,
        }],
        condition_keys,
        dependent_actions: dependent,
    }])
}

/// The error-code table.
pub(crate) fn errors(
    layout: Layout,
    lines: &[Line<'_>],
    findings: &mut Vec<Finding>,
) -> Vec<ErrorCode> {
    let mut out = Vec::new();
    for line in lines {
        let t = line.text.trim();
        let row = match layout {
            Layout::PipeTable if t.starts_with("| ") && !t.starts_with("|---") => {
                let cells: Vec<&str> = t.trim_matches('|').split(" | ").map(str::trim).collect();
                match cells.as_slice() {
                    [status, code, message, description] => status.parse::<u16>().ok().map(|s| {
                        (
                            s,
                            (*code).to_owned(),
                            (*message).to_owned(),
                            Some((*description).to_owned()),
                        )
                    }),
                    _ => None,
                }
            }
            Layout::MachineTranslated => split_error_row(t),
            _ => None,
        };
        match row {
            Some((status, code, message, description)) => out.push(ErrorCode {
                http_status: status,
                code,
                rust_name: None,
                message,
                description: description.filter(|d| d != "-" && !d.is_empty()),
            }),
            None if t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && layout == Layout::MachineTranslated =>
            {
                findings.push(Finding {
                    line: line.no,
                    message: format!("an error row that could not be split: {t}"),
                });
            }
            None => {}
        }
    }
    out
}

/// `400InvalidOwnerThe specified owner doesn't belong to caller.Invalid user identity.`
fn split_error_row(t: &str) -> Option<(u16, String, String, Option<String>)> {
    let status: u16 = t.get(..3)?.parse().ok()?;
    let rest = &t[3..];
    // The message starts at the last capital that begins a plain word followed by a space,
    // among positions where the code part is non-empty.
    let bytes = rest.as_bytes();
    let mut split = None;
    for i in 1..bytes.len() {
        let c = bytes[i];
        if !c.is_ascii_uppercase() {
            continue;
        }
        let word_end = rest[i..]
            .find([' ', ',', '.'])
            .map_or(rest.len(), |e| i + e);
        let word = &rest[i..word_end];
        let plain = word
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_lowercase() || c == '\'');
        let code = &rest[..i];
        let code_ok = code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if plain && code_ok && word_end < rest.len() && rest.as_bytes()[word_end] == b' ' {
            split = Some(i);
            break;
        }
    }
    // A numeric code runs straight into the message (`400Failure to check`).
    let split = split.or_else(|| rest.find(|c: char| c.is_ascii_uppercase()))?;
    let (code, text) = rest.split_at(split);
    if let Some(message) = text.strip_suffix('-') {
        return Some((status, code.to_owned(), message.trim().to_owned(), None));
    }
    // The description follows the message's last sentence without a space.
    let mut cut = None;
    let tb = text.as_bytes();
    for i in 1..tb.len() {
        if tb[i - 1] == b'.' && tb[i].is_ascii_uppercase() {
            cut = Some(i);
        }
    }
    Some(match cut {
        Some(i) => (
            status,
            code.to_owned(),
            text[..i].to_owned(),
            Some(text[i..].to_owned()),
        ),
        None => (status, code.to_owned(), text.to_owned(), None),
    })
}

/// The change history rows (`2024-12-03The Error code has changed...View Change Details`).
pub(crate) fn change_history(lines: &[Line<'_>]) -> Vec<Change> {
    lines
        .iter()
        .filter_map(|l| {
            let t = l.text.trim();
            let date = t.get(..10)?;
            let ok = date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
            let summary = t[10..]
                .trim()
                .trim_end_matches("View Change Details")
                .trim();
            (ok && !summary.is_empty()).then(|| Change {
                date: date.to_owned(),
                summary: summary.to_owned(),
            })
        })
        .collect()
}

/// The example JSON response: the first line starting with `{` to its closing line.
pub(crate) fn example_response(lines: &[Line<'_>], findings: &mut Vec<Finding>) -> Option<Value> {
    let start = lines
        .iter()
        .position(|l| l.text.trim_start().starts_with('{'))?;
    let mut text = String::new();
    for line in &lines[start..] {
        text.push_str(line.text);
        text.push('\n');
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            return Some(value);
        }
    }
    findings.push(Finding {
        line: lines[start].no,
        message: "the example response is not complete JSON".to_owned(),
    });
    None
}
