//! Page prose turned into rustdoc that renders as the page meant and can do nothing else:
//! no HTML, no intra-doc links, no code blocks that rustdoc would compile as doctests.

/// Escapes one line of page prose for Markdown in rustdoc: `<`, `>` and `&` would be HTML,
/// `[` and `]` intra-doc links. Code spans (`` `...` `` closed on the same line) are kept as
/// they are, since Markdown shows their content literally; a backtick that closes nothing is
/// escaped.
fn escape_line(line: &str) -> String {
    // Leading white space would make an indented code block (a doctest).
    let chars: Vec<char> = line
        .trim_start()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            let close = (i + run..chars.len()).find(|&j| {
                chars[j..].iter().take_while(|c| **c == '`').count() == run
                    && (j == 0 || chars[j - 1] != '`')
            });
            match close {
                Some(j) if j > i + run => {
                    out.extend(&chars[i..j + run]);
                    i = j + run;
                }
                _ => {
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
            }
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            // A heading or a fence at the start of a line.
            '#' | '~' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Page prose as rustdoc lines (paragraphs kept, every line escaped). A line that follows a
/// list item without a blank line between is not the item's continuation (the sources write
/// the next paragraph that way): it gets a blank line, so it renders as its own paragraph.
pub(crate) fn prose(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(|l| escape_line(l.trim_end())) {
        let after_item = out.last().is_some_and(|prev| list_item(prev));
        if after_item && !line.is_empty() && !list_item(&line) {
            out.push(String::new());
        }
        out.push(line);
    }
    out
}

/// Whether an (escaped) line starts a Markdown list item: `- `, `* `, `+ `, or `1. `.
fn list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m))
        || (digits > 0 && line[digits..].starts_with(". "))
        || (digits > 0 && line[digits..].starts_with(") "))
}

/// A value as inline code, whatever backticks it holds (`(empty)` for the empty text).
pub(crate) fn code(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_after_a_list_is_its_own_paragraph() {
        assert_eq!(
            prose("Before:\n- one\n- two\nAfter.\n1. first\nNext"),
            [
                "Before:", "- one", "- two", "", "After.", "1. first", "", "Next"
            ]
        );
    }

    #[test]
    fn prose_is_inert() {
        assert_eq!(
            prose("Use <b>[x]</b> & a_b"),
            ["Use &lt;b&gt;\\[x\\]&lt;/b&gt; &amp; a_b"]
        );
        assert_eq!(
            prose("    fn main() {}\n```rust\n# hidden"),
            ["fn main() {}", "\\`\\`\\`rust", "\\# hidden"]
        );
        assert_eq!(
            prose("the `RequestId<T>` of `a"),
            ["the `RequestId<T>` of \\`a"]
        );
        assert_eq!(prose("``a`b`` [c]"), ["``a`b`` \\[c\\]"]);
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code(""), "(empty)");
    }
}
