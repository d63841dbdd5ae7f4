//! Rust names derived from wire names: the one place the generator decides identifiers, so
//! that validation (which refuses clashes) and emission (which uses the names) always agree.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Whether `word` is a Rust keyword (strict or reserved). `syn` knows every keyword but `gen`,
/// reserved since the 2024 edition, the generated crate's.
pub fn is_keyword(word: &str) -> bool {
    word == "gen" || (syn::parse_str::<syn::Ident>(word).is_err() && is_identifier_shaped(word))
}

/// Whether a keyword also has no raw form (`self`, `Self`, `super`, `crate`): such names get a
/// trailing `_` instead of `r#`.
fn has_no_raw_form(word: &str) -> bool {
    syn::parse_str::<syn::Ident>(&format!("r#{word}")).is_err()
}

/// ASCII letters, digits and `_`, not starting with a digit: what an identifier looks like,
/// so that a parse failure means a keyword, not a stray character.
fn is_identifier_shaped(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why no Rust name could be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing usable is left once the name is reduced to ASCII letters and digits.
    #[error("{} no ASCII letter or digit to build a Rust name from; set a Rust name explicitly", quoted_or_empty(.0))]
    Empty(String),
    /// An explicit Rust name is not an identifier of the required case.
    #[error("`{name}` is not a valid {case} Rust identifier")]
    Invalid {
        /// The name given.
        name: String,
        /// The case it must have.
        case: &'static str,
    },
}

fn quoted_or_empty(name: &str) -> String {
    if name.is_empty() {
        "the empty string has".to_owned()
    } else {
        format!("`{name}` holds")
    }
}

/// The module of one API version of a product that has several: `2014-05-26` → `v2014_05_26`,
/// `2.0` → `v2_0`, `v5` → `v5` (lower case, ASCII letters, digits and `_`, starting with `v`).
/// Validation accepts only versions of ASCII letters, digits, `-`, `.` and `_`.
pub fn version_module(version: &str) -> String {
    let body = lower_ascii_or_underscore(version);
    if body.starts_with('v') {
        body
    } else {
        format!("v{body}")
    }
}

/// `text` in lower case with every character but ASCII letters and digits turned into `_`.
pub fn lower_ascii_or_underscore(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Orders API versions as their authors mean them: runs of digits compare as numbers
/// (`2.10` after `2.9`), everything else as text. Dated versions order by date.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(v: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = v.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &v[start..i]));
                start = i;
            }
        }
        out
    }
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let ord = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

/// Replaces every character other than an ASCII letter or digit by `_`, so that heck splits
/// words there and non-ASCII text never reaches an identifier.
fn ascii_words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Makes a name usable as an identifier: keyword escaping (raw where allowed, trailing `_`
/// where not) and a prefix where the name starts with a digit.
fn finish(name: String, digit_prefix: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if !is_keyword(&name) {
        name
    } else if has_no_raw_form(&name) {
        format!("{name}_")
    } else {
        format!("r#{name}")
    }
}

/// The snake_case field (or module) name for a wire name: `RegionId` -> `region_id`,
/// `type` -> `r#type`, `self` -> `self_`, `1st` -> `field_1st`.
pub fn field_name(wire: &str) -> Result<String, NameError> {
    let snake = ascii_words(wire).to_snake_case();
    if snake.is_empty() {
        return Err(NameError::Empty(wire.to_owned()));
    }
    Ok(finish(snake, "field_"))
}

/// The UpperCamelCase type name for a wire name: `InstanceProperties` -> `InstanceProperties`,
/// `understand-reid` -> `UnderstandReid`. `digit_prefix` starts a name that would start with a
/// digit (`Code` for error codes: `400` -> `Code400`).
pub fn type_name(wire: &str, digit_prefix: &str) -> Result<String, NameError> {
    let camel = ascii_words(wire).to_upper_camel_case();
    if camel.is_empty() {
        return Err(NameError::Empty(wire.to_owned()));
    }
    Ok(finish(camel, digit_prefix))
}

/// Checks a Rust name given explicitly in a spec: an ASCII identifier, snake_case or
/// UpperCamelCase as asked, and not a keyword.
pub fn check_explicit(name: &str, upper_camel: bool) -> Result<(), NameError> {
    let case = if upper_camel {
        "UpperCamelCase"
    } else {
        "snake_case"
    };
    let invalid = || NameError::Invalid {
        name: name.to_owned(),
        case,
    };
    let mut chars = name.chars();
    let first = chars.next().ok_or_else(invalid)?;
    let first_ok = if upper_camel {
        first.is_ascii_uppercase()
    } else {
        first.is_ascii_lowercase()
    };
    let rest_ok = name.chars().all(|c| {
        if upper_camel {
            c.is_ascii_alphanumeric()
        } else {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
        }
    });
    if !first_ok || !rest_ok || is_keyword(name) {
        return Err(invalid());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_escaped() {
        assert_eq!(field_name("RegionId").unwrap(), "region_id");
        assert_eq!(field_name("Region_Id").unwrap(), "region_id");
        assert_eq!(field_name("type").unwrap(), "r#type");
        assert_eq!(field_name("Self").unwrap(), "self_");
        assert_eq!(field_name("crate").unwrap(), "crate_");
        assert_eq!(field_name("1st").unwrap(), "field_1st");
        assert_eq!(
            field_name("Name.With-Dots and spaces").unwrap(),
            "name_with_dots_and_spaces"
        );
        assert_eq!(field_name("名前Id").unwrap(), "id");
        assert!(matches!(field_name("名前"), Err(NameError::Empty(_))));
        // Reserved keywords too, `gen` (Rust 2024) among them.
        assert_eq!(field_name("gen").unwrap(), "r#gen");
        assert_eq!(field_name("abstract").unwrap(), "r#abstract");
        assert_eq!(field_name("super").unwrap(), "super_");
        assert_eq!(field_name("union").unwrap(), "union");
    }

    #[test]
    fn types_are_upper_camel_case_and_escaped() {
        assert_eq!(
            type_name("understand-reid-search", "Value").unwrap(),
            "UnderstandReidSearch"
        );
        assert_eq!(
            type_name("ORDER.ACCOUNT_STATUS_ILLEGAL", "Code").unwrap(),
            "OrderAccountStatusIllegal"
        );
        assert_eq!(type_name("400", "Code").unwrap(), "Code400");
        assert_eq!(type_name("self", "Type").unwrap(), "Self_");
        assert!(type_name("--", "Value").is_err());
    }

    #[test]
    fn explicit_names_are_checked() {
        assert!(check_explicit("ModuleParameter", true).is_ok());
        assert!(check_explicit("moduleParameter", true).is_err());
        assert!(check_explicit("Self", true).is_err());
        assert!(check_explicit("region_id", false).is_ok());
        assert!(check_explicit("type", false).is_err());
        assert!(check_explicit("", false).is_err());
    }
}
