//! Tokens of a Darabonba (`.tea`) source, each with the line and column it starts at.
//!
//! The lexer never fails: text it cannot read becomes an [`Tok::Error`] token that the parser
//! reports with its position, and lexing goes on after it.

/// A position in the source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub col: u32,
}

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name (`model`, `string`, `request`), including `$` and `_`.
    Ident(String),
    /// `@name`: a module variable (`@endpointMap`).
    At(String),
    /// A quoted string, its escapes resolved (`'a\'b'` is `a'b`).
    Str(String),
    /// A template string (`` `/clusters/${ClusterId}` ``): literal parts and the source text of
    /// each `${...}` part, in order.
    Template(Vec<TemplatePart>),
    /// A number as written.
    Number(String),
    /// A doc comment (`/** ... */`), its text without the delimiters.
    Doc(String),
    /// Punctuation: one of `{}()[],;:.?!=<>+-*/%&|`, or `==`, `!=`, `<=`, `>=`, `&&`, `||`,
    /// `=>`, `++`, `--`, `...`.
    Punct(&'static str),
    /// Text the lexer cannot read, with what is wrong.
    Error(String),
}

/// A part of a template string.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// The source text of a `${...}` part.
    Expr(String),
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Where it starts.
    pub pos: Pos,
}

const PUNCT3: &[&str] = &["..."];
const PUNCT2: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "=>", "++", "--"];
const PUNCT1: &[&str] = &[
    "{", "}", "(", ")", "[", "]", ",", ";", ":", ".", "?", "!", "=", "<", ">", "+", "-", "*", "/",
    "%", "&", "|",
];

/// The tokens of `text`, comments other than doc comments dropped.
pub fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut pos = Pos { line: 1, col: 1 };
    // Advances over `n` characters, keeping `pos`.
    let advance = |i: &mut usize, pos: &mut Pos, n: usize| {
        for _ in 0..n {
            if *i >= chars.len() {
                return;
            }
            if chars[*i] == '\n' {
                pos.line += 1;
                pos.col = 1;
            } else {
                pos.col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let start = pos;
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() || c == '\u{feff}' {
            advance(&mut i, &mut pos, 1);
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut pos, 1);
            }
        } else if c == '/' && next == Some('*') {
            let doc = chars.get(i + 2) == Some(&'*') && chars.get(i + 3) != Some(&'/');
            advance(&mut i, &mut pos, 2);
            let body_start = i;
            let mut closed = false;
            while i < chars.len() {
                if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    closed = true;
                    break;
                }
                advance(&mut i, &mut pos, 1);
            }
            let body: String = chars[body_start..i].iter().collect();
            advance(&mut i, &mut pos, 2);
            if !closed {
                out.push(Token {
                    tok: Tok::Error("a comment is not closed".to_owned()),
                    pos: start,
                });
            } else if doc {
                out.push(Token {
                    tok: Tok::Doc(body.strip_prefix('*').unwrap_or(&body).to_owned()),
                    pos: start,
                });
            }
        } else if c == '\'' || c == '"' {
            advance(&mut i, &mut pos, 1);
            let mut s = String::new();
            let mut closed = false;
            while i < chars.len() {
                let d = chars[i];
                if d == c {
                    closed = true;
                    advance(&mut i, &mut pos, 1);
                    break;
                }
                if d == '\\' {
                    match chars.get(i + 1) {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some(&e) => s.push(e),
                        None => {}
                    }
                    advance(&mut i, &mut pos, 2);
                    continue;
                }
                s.push(d);
                advance(&mut i, &mut pos, 1);
            }
            out.push(Token {
                tok: if closed {
                    Tok::Str(s)
                } else {
                    Tok::Error("a string is not closed".to_owned())
                },
                pos: start,
            });
        } else if c == '`' {
            advance(&mut i, &mut pos, 1);
            let mut parts = Vec::new();
            let mut text = String::new();
            let mut closed = false;
            while i < chars.len() {
                let d = chars[i];
                if d == '`' {
                    closed = true;
                    advance(&mut i, &mut pos, 1);
                    break;
                }
                if d == '\\' {
                    if let Some(&e) = chars.get(i + 1) {
                        text.push(e);
                    }
                    advance(&mut i, &mut pos, 2);
                    continue;
                }
                if d == '$' && chars.get(i + 1) == Some(&'{') {
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    advance(&mut i, &mut pos, 2);
                    let mut depth = 1usize;
                    let mut expr = String::new();
                    while i < chars.len() {
                        let e = chars[i];
                        if e == '{' {
                            depth += 1;
                        } else if e == '}' {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        expr.push(e);
                        advance(&mut i, &mut pos, 1);
                    }
                    advance(&mut i, &mut pos, 1);
                    parts.push(TemplatePart::Expr(expr));
                    continue;
                }
                text.push(d);
                advance(&mut i, &mut pos, 1);
            }
            if !text.is_empty() {
                parts.push(TemplatePart::Text(text));
            }
            out.push(Token {
                tok: if closed {
                    Tok::Template(parts)
                } else {
                    Tok::Error("a template string is not closed".to_owned())
                },
                pos: start,
            });
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                // `1.toString` is not a number's part: a dot must be followed by a digit.
                if chars[i] == '.' && !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    break;
                }
                s.push(chars[i]);
                advance(&mut i, &mut pos, 1);
            }
            out.push(Token {
                tok: Tok::Number(s),
                pos: start,
            });
        } else if c.is_alphabetic() || c == '_' || c == '$' || c == '@' {
            advance(&mut i, &mut pos, 1);
            let mut s = if c == '@' {
                String::new()
            } else {
                c.to_string()
            };
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                s.push(chars[i]);
                advance(&mut i, &mut pos, 1);
            }
            out.push(Token {
                tok: if c == '@' { Tok::At(s) } else { Tok::Ident(s) },
                pos: start,
            });
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let three: String = chars[i..chars.len().min(i + 3)].iter().collect();
            if let Some(p) = PUNCT3.iter().find(|p| **p == three) {
                advance(&mut i, &mut pos, 3);
                out.push(Token {
                    tok: Tok::Punct(p),
                    pos: start,
                });
            } else if let Some(p) = PUNCT2.iter().find(|p| **p == two) {
                advance(&mut i, &mut pos, 2);
                out.push(Token {
                    tok: Tok::Punct(p),
                    pos: start,
                });
            } else if let Some(p) = PUNCT1.iter().find(|p| p.starts_with(c)) {
                advance(&mut i, &mut pos, 1);
                out.push(Token {
                    tok: Tok::Punct(p),
                    pos: start,
                });
            } else {
                advance(&mut i, &mut pos, 1);
                out.push(Token {
                    tok: Tok::Error(format!("unexpected character {c:?}")),
                    pos: start,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn strings_templates_numbers_and_comments() {
        assert_eq!(
            toks("a?: string(name='It\\'s') // c\n/** doc */ `/x/${f(a)}/y` 1.5 @m"),
            vec![
                Tok::Ident("a".into()),
                Tok::Punct("?"),
                Tok::Punct(":"),
                Tok::Ident("string".into()),
                Tok::Punct("("),
                Tok::Ident("name".into()),
                Tok::Punct("="),
                Tok::Str("It's".into()),
                Tok::Punct(")"),
                Tok::Doc(" doc ".into()),
                Tok::Template(vec![
                    TemplatePart::Text("/x/".into()),
                    TemplatePart::Expr("f(a)".into()),
                    TemplatePart::Text("/y".into()),
                ]),
                Tok::Number("1.5".into()),
                Tok::At("m".into()),
            ]
        );
    }

    #[test]
    fn positions_and_unclosed_text() {
        let t = lex("a\n  'open");
        assert_eq!(t[1].pos, Pos { line: 2, col: 3 });
        assert!(matches!(t[1].tok, Tok::Error(_)));
        assert!(matches!(lex("/* never closed")[0].tok, Tok::Error(_)));
        assert!(matches!(lex("#")[0].tok, Tok::Error(_)));
    }
}
