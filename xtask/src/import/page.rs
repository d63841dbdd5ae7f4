//! The page as text: its layout, its non-empty lines, its sections by heading, and the cells
//! of a pipe table.

use super::Layout;

/// A non-empty page line and its 1-based number.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub(crate) no: usize,
    pub(crate) text: &'a str,
}

/// The page's non-empty lines, numbered from 1 as the page counts them.
pub(crate) fn lines(page: &str) -> Vec<Line<'_>> {
    page.lines()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, text)| Line {
            no: i + 1,
            text: text.trim_end(),
        })
        .collect()
}

/// Detects the layout.
pub fn layout(page: &str) -> Layout {
    let pipes = page
        .lines()
        .filter(|l| l.trim_end().ends_with(" |") || l.trim() == "|")
        .count();
    // A pipe table's header cells, however short the page.
    let header = page.lines().any(|l| {
        let cell = l.trim().trim_start_matches('|').trim();
        matches!(
            cell,
            "Parameter |" | "Element |" | "Type |" | "Parameter | Type |"
        ) || cell.starts_with("Parameter | Type")
    });
    if pipes >= 10 || (header && pipes >= 3) {
        Layout::PipeTable
    } else if page.lines().any(|l| {
        let l = l.trim();
        l.starts_with("ParameterTypeRequired") || l.starts_with("ParameterTypeDescription")
    }) {
        Layout::MachineTranslated
    } else {
        Layout::Bulleted
    }
}

const SECTION_HEADINGS: &[&str] = &[
    "Operation description",
    "Try it now",
    "Debugging",
    "RAM authorization",
    "Authorization information",
    "Request syntax",
    "Request parameters",
    "Path parameters",
    "Request path parameters",
    "Query parameters",
    "Request headers",
    "Request header",
    "Request body",
    "Request body parameters",
    "Response elements",
    "Response parameters",
    "Response headers",
    "Response body",
    "Response body parameters",
    "Examples",
    "Error codes",
    "Change history",
    "Release notes",
];

/// The heading a line is, whatever its case (`Path Parameters`, `**Response** parameters`).
fn heading(text: &str) -> Option<&'static str> {
    let t: String = text.trim().replace("**", "");
    SECTION_HEADINGS
        .iter()
        .copied()
        .find(|h| t.trim().eq_ignore_ascii_case(h))
}

/// The page split into sections by heading; the part before the first heading is `""`.
pub(crate) fn sections<'a>(lines: &[Line<'a>]) -> Vec<(&'static str, Vec<Line<'a>>)> {
    let mut out: Vec<(&'static str, Vec<Line<'a>>)> = vec![("", Vec::new())];
    for line in lines {
        match heading(line.text) {
            Some(h) => out.push((h, Vec::new())),
            None => {
                if let Some(last) = out.last_mut() {
                    last.1.push(line.clone());
                }
            }
        }
    }
    out
}

pub(crate) fn section<'s, 'a>(
    all: &'s [(&'static str, Vec<Line<'a>>)],
    names: &[&str],
) -> Option<&'s [Line<'a>]> {
    all.iter()
        .find(|(h, _)| names.contains(h))
        .map(|(_, lines)| lines.as_slice())
}

/// The cells of a pipe-table section: text up to each ` |`, joined across lines.
pub(crate) fn pipe_cells(lines: &[Line<'_>]) -> Vec<(usize, String)> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for line in lines {
        let mut text = line.text.trim();
        if text.starts_with("|---") {
            continue;
        }
        if text == "||" {
            // An empty cell between two pipes.
            if !current.trim().is_empty() {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
            }
            current.clear();
            cells.push((line.no, String::new()));
            continue;
        }
        if let Some(rest) = text.strip_prefix('|') {
            if !current.trim().is_empty() {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
            }
            current.clear();
            text = rest.trim_start();
        }
        if current.is_empty() {
            start = line.no;
        }
        for (i, piece) in text.split(" |").enumerate() {
            if i > 0 {
                cells.push((start, std::mem::take(&mut current).trim().to_owned()));
                start = line.no;
            }
            let piece = piece.trim_end_matches('|').trim();
            if !piece.is_empty() {
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(piece);
            }
        }
        if text.ends_with('|') && !current.is_empty() {
            cells.push((start, std::mem::take(&mut current).trim().to_owned()));
        }
    }
    if !current.trim().is_empty() {
        cells.push((start, current.trim().to_owned()));
    }
    cells
}

/// Month names as pages print them.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = text.trim();
    let (month, rest) = t.split_once(' ')?;
    let m = MONTHS.iter().position(|x| *x == month)? + 1;
    let (day, year) = rest.split_once(", ")?;
    let day: u32 = day.trim().parse().ok()?;
    let year: u32 = year.trim().parse().ok()?;
    Some(format!("{year:04}-{m:02}-{day:02}"))
}
