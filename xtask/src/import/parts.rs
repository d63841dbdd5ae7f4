//! The page's other tables and blocks: the RAM authorization row, the error codes, the change
//! history and the example response.

use codegen::spec::{AccessLevel, Change, ErrorCode, RamAction, ResourceType};
use serde_json::Value;

use super::page::{Line, pipe_cells};
use super::{Finding, Layout};

/// The RAM authorization rows: each an action, its access level, its resource types (a `*`
/// before the name marks a required one; an ARN may follow each), the condition keys
/// (bulleted) and the dependent actions. `Some(empty)` where the page says no authorization
/// applies or none is disclosed; `None` where no row can be read.
pub(crate) fn ram(layout: Layout, lines: &[Line<'_>]) -> Option<Vec<(usize, RamAction)>> {
    let (numbers, units): (Vec<usize>, Vec<String>) = match layout {
        Layout::PipeTable => pipe_cells(lines).into_iter().unzip(),
        _ => lines
            .iter()
            .map(|l| (l.no, l.text.trim().to_owned()))
            .unzip(),
    };
    let says_none = units.iter().any(|u| {
        let u = u.to_ascii_lowercase();
        u.contains("no authorization for this operation")
            || u.contains("no authorization information disclosed")
            || u.contains("no authorization information is disclosed")
    });
    let level_of = |text: &str| -> Option<AccessLevel> {
        serde_json::from_value(Value::String(text.trim().to_ascii_lowercase())).ok()
    };
    let is_action = |u: &str| {
        let u = u.trim();
        !u.contains(' ')
            && !u.starts_with("acs:")
            && u.split_once(':')
                .is_some_and(|(svc, act)| !svc.is_empty() && !act.is_empty() && !act.contains(':'))
    };
    // A row head: an action and its level (run together in the machine-translated layout).
    let head = |i: usize| -> Option<(String, AccessLevel, usize)> {
        let u = units.get(i)?.trim();
        if is_action(u)
            && let Some(level) = units.get(i + 1).and_then(|l| level_of(l))
        {
            return Some((u.to_owned(), level, 2));
        }
        const LEVELS: [&str; 8] = [
            "create", "list", "get", "update", "delete", "read", "write", "none",
        ];
        let lower = u.to_ascii_lowercase();
        LEVELS.iter().find_map(|l| {
            let action = u.get(..u.len().checked_sub(l.len())?)?;
            if lower.ends_with(l) && is_action(action) {
                Some((action.to_owned(), level_of(l)?, 1))
            } else {
                None
            }
        })
    };
    let starts: Vec<usize> = (0..units.len()).filter(|&i| head(i).is_some()).collect();
    if starts.is_empty() {
        return says_none.then(Vec::new);
    }
    let mut rows = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let Some((action, access_level, width)) = head(start) else {
            continue;
        };
        let end = starts.get(k + 1).copied().unwrap_or(units.len());
        let cells: Vec<&str> = units[start + width..end].iter().map(|c| c.trim()).collect();
        let mut resource_types: Vec<ResourceType> = Vec::new();
        let mut condition_keys = Vec::new();
        let mut dependent_actions = Vec::new();
        // Columns in order: resource types (each with an optional ARN), condition keys,
        // dependent actions; `None` closes an empty column.
        let mut column = 0;
        for c in cells {
            // `None None`: two empty columns run together.
            let words: Vec<&str> = c.split_whitespace().collect();
            if words.len() > 1 && words.iter().all(|w| w.eq_ignore_ascii_case("none")) {
                column += words.len();
                continue;
            }
            let none = c.eq_ignore_ascii_case("none") || c == "-";
            let is_arn = c.starts_with("acs:") || c == "*";
            match column {
                0 if is_arn => match resource_types.last_mut() {
                    Some(r) if r.arn.is_none() => r.arn = Some(c.to_owned()),
                    _ => resource_types.push(ResourceType {
                        name: "All Resources".to_owned(),
                        required: true,
                        arn: Some(c.to_owned()),
                    }),
                },
                0 if c.starts_with('•') => {
                    column = 1;
                    condition_keys.push(c.trim_start_matches('•').trim().to_owned());
                }
                0 if none => column = 1,
                0 if !c.contains(':') && c.len() < 80 => {
                    let (required, name) = match c.strip_prefix('*') {
                        Some(r) => (true, r.trim()),
                        None => (false, c),
                    };
                    resource_types.push(ResourceType {
                        name: name.to_owned(),
                        required,
                        arn: None,
                    });
                }
                0 | 1 if c.starts_with('•') => {
                    column = 1;
                    let key = c.trim_start_matches('•').trim().to_owned();
                    if !condition_keys.contains(&key) {
                        condition_keys.push(key);
                    }
                }
                1 if none => column = 2,
                1 if is_action(c) => {
                    column = 2;
                    dependent_actions.push(c.to_owned());
                }
                2 if is_action(c) => dependent_actions.push(c.to_owned()),
                _ if none => column += 1,
                _ => break,
            }
        }
        if resource_types.is_empty() {
            resource_types.push(ResourceType {
                name: "All Resources".to_owned(),
                required: true,
                arn: None,
            });
        }
        rows.push((
            numbers.get(start).copied().unwrap_or_default(),
            RamAction {
                action,
                access_level,
                resource_types,
                condition_keys,
                dependent_actions,
            },
        ));
    }
    Some(rows)
}

/// The error-code table.
pub(crate) fn errors(
    layout: Layout,
    lines: &[Line<'_>],
    findings: &mut Vec<Finding>,
) -> Vec<(usize, ErrorCode)> {
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
            Layout::Bulleted => return cell_errors(lines, findings),
            Layout::PipeTable => None,
        };
        match row {
            Some((status, code, message, description)) => out.push((
                line.no,
                ErrorCode {
                    http_status: status,
                    code,
                    rust_name: None,
                    message,
                    description: description.filter(|d| d != "-" && !d.is_empty()),
                },
            )),
            None if t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && layout == Layout::MachineTranslated =>
            {
                findings.push(Finding::new(
                    line.no,
                    format!("an error row that could not be split: {t}"),
                ));
            }
            None => {}
        }
    }
    out
}

/// An error table of one cell per line: a row is an HTTP status, the code, the message and (in
/// a four-column table) a description, which a row may leave out.
fn cell_errors(lines: &[Line<'_>], findings: &mut Vec<Finding>) -> Vec<(usize, ErrorCode)> {
    let is_status =
        |t: &str| t.len() == 3 && t.parse::<u16>().is_ok_and(|s| (100..600).contains(&s));
    let header_end = lines
        .iter()
        .position(|l| matches!(l.text.trim(), "Description" | "Error message"))
        .map(|i| {
            // The header is over at the last header cell.
            let mut end = i + 1;
            while lines
                .get(end)
                .is_some_and(|l| l.text.trim() == "Description")
            {
                end += 1;
            }
            end
        })
        .unwrap_or(0);
    let body: Vec<&Line<'_>> = lines[header_end.min(lines.len())..]
        .iter()
        .take_while(|l| {
            let t = l.text.trim();
            let link = t.starts_with("See ") && t.contains("for a complete list");
            !(link || t.starts_with("For a list of error codes"))
        })
        .collect();
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| {
            is_status(body[i].text.trim())
                && body.get(i + 1).is_some_and(|n| !is_status(n.text.trim()))
        })
        .collect();
    let mut out = Vec::new();
    if let (Some(&first), false) = (starts.first(), starts.is_empty()) {
        for l in &body[..first] {
            findings.push(Finding::new(
                l.no,
                format!(
                    "text in the error table before its first row: {}",
                    l.text.trim()
                ),
            ));
        }
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let cells: Vec<&str> = body[start + 1..end].iter().map(|l| l.text.trim()).collect();
        let status: u16 = body[start].text.trim().parse().unwrap_or_default();
        match cells.as_slice() {
            [code, message, rest @ ..] => {
                let description = (!rest.is_empty()).then(|| rest.join("\n\n"));
                out.push((
                    body[start].no,
                    ErrorCode {
                        http_status: status,
                        code: (*code).to_owned(),
                        rust_name: None,
                        message: (*message).to_owned(),
                        description: description
                            .map(|d| d.trim_start_matches('\\').to_owned())
                            .filter(|d| d != "-" && !d.is_empty()),
                    },
                ));
            }
            _ => findings.push(Finding::left_out(
                body[start].no,
                "an error row without a code and a message; left out".to_owned(),
            )),
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

/// The change history rows: a date (`2024-12-03`) and its summary, in one line
/// (`2024-12-03The Error code has changed...View Change Details`) or one cell per line.
pub(crate) fn change_history(lines: &[Line<'_>]) -> Vec<(usize, Change)> {
    let date_of = |t: &str| -> Option<String> {
        let date = t.get(..10)?;
        let b = date.as_bytes();
        (b[4] == b'-' && b[7] == b'-' && date.chars().filter(char::is_ascii_digit).count() == 8)
            .then(|| date.to_owned())
    };
    let mut out: Vec<(usize, Change)> = Vec::new();
    let mut open = false;
    for l in lines {
        let t = l.text.trim();
        if let Some(date) = date_of(t) {
            let summary = t[10..]
                .trim()
                .trim_end_matches("View Change Details")
                .trim();
            out.push((
                l.no,
                Change {
                    date,
                    summary: summary.to_owned(),
                },
            ));
            // A row on one line ends with its link; one cell per line goes on.
            open = !t.ends_with("View Change Details");
        } else if t == "View Change Details" {
            open = false;
        } else if open && let Some((_, last)) = out.last_mut() {
            if last.summary.is_empty() {
                last.summary = t.to_owned();
            } else {
                last.summary.push(' ');
                last.summary.push_str(t);
            }
        }
    }
    out.retain(|(_, c)| !c.summary.is_empty());
    out
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
    findings.push(Finding::new(
        lines[start].no,
        "the example response is not complete JSON".to_owned(),
    ));
    None
}
