//! Request validation: generated code states each operation's rules as calls on a
//! [`Validator`], which collects every violation (never just the first) under the wire path of
//! the field it concerns (`Parameter.3.Code`).

use std::collections::BTreeMap;
use std::fmt;

use super::enums::WireEnum;

/// A rule a request value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing.
    Required,
    /// A field is missing although a condition on other fields makes it required.
    RequiredIf {
        /// The condition, in words (`RenewalStatus is AutoRenewal`).
        condition: &'static str,
    },
    /// A value is not one of the enum's documented values.
    NotInEnum {
        /// The value given.
        value: String,
        /// The enum's Rust name.
        type_name: &'static str,
        /// The documented values.
        allowed: &'static [&'static str],
    },
    /// A number is not a whole multiple of `factor`.
    MultipleOf {
        /// The value given.
        value: i64,
        /// The required factor.
        factor: i64,
    },
    /// A number lies outside its allowed range.
    Range {
        /// The value given.
        value: f64,
        /// The smallest allowed value.
        min: Option<f64>,
        /// The largest allowed value.
        max: Option<f64>,
    },
    /// A text's length in characters lies outside its allowed range.
    Length {
        /// The length given.
        length: usize,
        /// The shortest allowed length.
        min: Option<usize>,
        /// The longest allowed length.
        max: Option<usize>,
    },
    /// A list holds too few or too many items.
    ItemCount {
        /// How many items it holds.
        count: usize,
        /// The fewest allowed.
        min: Option<usize>,
        /// The most allowed.
        max: Option<usize>,
    },
    /// A value is not one of the few the service accepts.
    AllowedValues {
        /// The value given.
        value: String,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// A text holds a character that is not ASCII.
    Ascii {
        /// The first such character.
        found: char,
    },
    /// A text does not match the pattern its field states.
    Pattern {
        /// The pattern.
        pattern: &'static str,
    },
    /// A condition on other fields demands something of this one.
    Implies {
        /// What the condition demands of this field (`must be DataWorks_share`).
        demand: &'static str,
        /// The condition, in words (`PricingCycle is Month`).
        condition: &'static str,
    },
}

fn bounds<T: fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".to_owned(),
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("is required"),
            Self::RequiredIf { condition } => write!(f, "is required when {condition}"),
            Self::NotInEnum {
                value,
                type_name,
                allowed,
            } => {
                write!(
                    f,
                    "{value:?} is not a valid {type_name}; valid values: {}",
                    allowed.join(", ")
                )
            }
            Self::MultipleOf { value, factor } => {
                write!(f, "must be a multiple of {factor}, got {value}")
            }
            Self::Range { value, min, max } => {
                write!(f, "must be {}, got {value}", bounds(min, max))
            }
            Self::Length { length, min, max } => {
                write!(
                    f,
                    "must be {} characters long, got {length}",
                    bounds(min, max)
                )
            }
            Self::ItemCount { count, min, max } => {
                write!(f, "must hold {} items, got {count}", bounds(min, max))
            }
            Self::AllowedValues { value, allowed } => {
                write!(f, "must be {}, got {value}", allowed.join(" or "))
            }
            Self::Ascii { found } => write!(f, "may hold ASCII characters only, found {found:?}"),
            Self::Pattern { pattern } => write!(f, "must match the pattern `{pattern}`"),
            Self::Implies { demand, condition } => write!(f, "{demand} when {condition}"),
        }
    }
}

/// One violated rule, with the wire path of the field it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The field's wire path: `Period`, `Parameter.3.Code`, `Products.1.PricingCycle`.
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// Every rule a request broke.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid request: {}", .violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// The violations, in the order of the operation's fields and rules.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether some violation concerns the field at `path` (`Parameter.3.Code`).
    pub fn concerns(&self, path: &str) -> bool {
        self.violations.iter().any(|v| v.field == path)
    }
}

/// A request-side type whose rules can be checked.
#[doc(hidden)]
pub trait Validate {
    /// States this value's rules on `v`; paths are relative to where `v` stands.
    fn validate_into(&self, v: &mut Validator);
}

/// Collects violations while generated code states an operation's rules.
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct Validator {
    prefix: String,
    violations: Vec<Violation>,
}

impl Validator {
    /// Checks `value` and returns every violation found.
    pub fn check<T: Validate>(value: &T) -> Result<(), ValidationErrors> {
        let mut v = Self::default();
        value.validate_into(&mut v);
        if v.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                violations: v.violations,
            })
        }
    }

    fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    /// Records a violation of `rule` by the field `name`.
    pub fn violation(&mut self, name: &str, rule: Rule) {
        let field = self.path(name);
        self.violations.push(Violation { field, rule });
    }

    /// The field must be given.
    pub fn required<T>(&mut self, name: &str, value: &Option<T>) {
        if value.is_none() {
            self.violation(name, Rule::Required);
        }
    }

    /// An enum value must be one of the documented ones.
    pub fn known<E: WireEnum>(&mut self, name: &str, value: Option<&E>) {
        if let Some(value) = value.filter(|v| !v.is_known()) {
            let rule = Rule::NotInEnum {
                value: value.to_string(),
                type_name: E::TYPE_NAME,
                allowed: E::VALUES,
            };
            self.violation(name, rule);
        }
    }

    /// Every enum value of a list must be one of the documented ones.
    pub fn known_each<E: WireEnum>(&mut self, name: &str, values: Option<&[E]>) {
        for (i, value) in values.unwrap_or_default().iter().enumerate() {
            self.known(&format!("{name}.{}", i + 1), Some(value));
        }
    }

    /// A whole number must be a multiple of `factor`.
    pub fn multiple_of(&mut self, name: &str, value: Option<i64>, factor: i64) {
        if let Some(value) = value.filter(|v| factor != 0 && v % factor != 0) {
            self.violation(name, Rule::MultipleOf { value, factor });
        }
    }

    /// A number must lie within the bounds.
    pub fn range(&mut self, name: &str, value: Option<f64>, min: Option<f64>, max: Option<f64>) {
        if let Some(value) =
            value.filter(|v| min.is_some_and(|m| *v < m) || max.is_some_and(|m| *v > m))
        {
            self.violation(name, Rule::Range { value, min, max });
        }
    }

    /// A text's length in characters must lie within the bounds.
    pub fn length(
        &mut self,
        name: &str,
        value: Option<&str>,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        let length = value.map(|v| v.chars().count());
        if let Some(length) =
            length.filter(|n| min.is_some_and(|m| *n < m) || max.is_some_and(|m| *n > m))
        {
            self.violation(name, Rule::Length { length, min, max });
        }
    }

    /// A list, when given, must hold a number of items within the bounds.
    pub fn item_count<T>(
        &mut self,
        name: &str,
        value: Option<&[T]>,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        let count = value.map(<[T]>::len);
        if let Some(count) =
            count.filter(|n| min.is_some_and(|m| *n < m) || max.is_some_and(|m| *n > m))
        {
            self.violation(name, Rule::ItemCount { count, min, max });
        }
    }

    /// A value must be one of the few the service accepts (`allowed` holds their wire text).
    pub fn allowed_values<T: fmt::Display>(
        &mut self,
        name: &str,
        value: Option<&T>,
        allowed: &'static [&'static str],
    ) {
        if let Some(value) = value
            .map(ToString::to_string)
            .filter(|v| !allowed.contains(&v.as_str()))
        {
            self.violation(name, Rule::AllowedValues { value, allowed });
        }
    }

    /// A text may hold ASCII characters only.
    pub fn ascii(&mut self, name: &str, value: Option<&str>) {
        if let Some(found) = value.and_then(|v| v.chars().find(|c| !c.is_ascii())) {
            self.violation(name, Rule::Ascii { found });
        }
    }

    /// A text must match `pattern` (found anywhere in it, so an unanchored pattern is not
    /// stricter than the service). A pattern that does not compile checks nothing: the
    /// generator only emits patterns that do.
    pub fn pattern(&mut self, name: &str, value: Option<&str>, pattern: &'static str) {
        if let Some(value) = value
            && compiled(pattern).is_some_and(|re| !re.is_match(value))
        {
            self.violation(name, Rule::Pattern { pattern });
        }
    }

    /// The field must be given when `condition_holds`.
    pub fn required_if(
        &mut self,
        name: &str,
        present: bool,
        condition_holds: bool,
        condition: &'static str,
    ) {
        if condition_holds && !present {
            self.violation(name, Rule::RequiredIf { condition });
        }
    }

    /// When `premise_holds`, the field `name` must meet its demand (`demand_met`).
    pub fn implies(
        &mut self,
        name: &str,
        premise_holds: bool,
        demand_met: bool,
        demand: &'static str,
        condition: &'static str,
    ) {
        if premise_holds && !demand_met {
            self.violation(name, Rule::Implies { demand, condition });
        }
    }

    /// Checks a nested object under `name`.
    pub fn nested<T: Validate>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.within(name, "", |v| value.validate_into(v));
        }
    }

    /// Runs `check` with `name.suffix` appended to the path. The path is one buffer that
    /// grows and shrinks as the walk goes: a valid request costs no allocation per object.
    fn within(&mut self, name: &str, suffix: impl fmt::Display, check: impl FnOnce(&mut Self)) {
        use std::fmt::Write;
        let len = self.prefix.len();
        // Room for the separator and a suffix such as `.12`, so one allocation serves.
        self.prefix.reserve(name.len() + 24);
        if len > 0 {
            self.prefix.push('.');
        }
        self.prefix.push_str(name);
        // Writing to a `String` cannot fail.
        let _ = write!(self.prefix, "{suffix}");
        check(self);
        self.prefix.truncate(len);
    }

    /// Checks each object of a list under `name.N` (1-based, as the wire numbers them).
    pub fn each<T: Validate>(&mut self, name: &str, values: Option<&[T]>) {
        for (i, value) in values.unwrap_or_default().iter().enumerate() {
            self.within(name, format_args!(".{}", i + 1), |v| value.validate_into(v));
        }
    }

    /// Checks each object value of a map under `name.key`.
    pub fn each_value<T: Validate>(&mut self, name: &str, values: Option<&BTreeMap<String, T>>) {
        for (key, value) in values.into_iter().flatten() {
            self.within(name, format_args!(".{key}"), |v| value.validate_into(v));
        }
    }

    /// Every enum value of a map must be one of the documented ones.
    pub fn known_values<E: WireEnum>(&mut self, name: &str, values: Option<&BTreeMap<String, E>>) {
        for (key, value) in values.into_iter().flatten() {
            self.known(&format!("{name}.{key}"), Some(value));
        }
    }

    /// A map, when given, must hold a number of entries within the bounds.
    pub fn entry_count<T>(
        &mut self,
        name: &str,
        value: Option<&BTreeMap<String, T>>,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        let count = value.map(BTreeMap::len);
        if let Some(count) =
            count.filter(|n| min.is_some_and(|m| *n < m) || max.is_some_and(|m| *n > m))
        {
            self.violation(name, Rule::ItemCount { count, min, max });
        }
    }
}

/// Each pattern compiled once, for the life of the process (the patterns are the generated
/// code's own constants, so the cache holds a fixed, small set).
fn compiled(pattern: &'static str) -> Option<&'static regex_lite::Regex> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<&'static str, Option<&'static regex_lite::Regex>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *map.entry(pattern).or_insert_with(|| {
        regex_lite::Regex::new(pattern)
            .ok()
            .map(|re| &*Box::leak(Box::new(re)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        code: Option<String>,
    }

    impl Validate for Item {
        fn validate_into(&self, v: &mut Validator) {
            v.required("Code", &self.code);
            v.ascii("Code", self.code.as_deref());
        }
    }

    struct Outer {
        items: Option<Vec<Item>>,
        period: Option<i64>,
    }

    impl Validate for Outer {
        fn validate_into(&self, v: &mut Validator) {
            v.multiple_of("Period", self.period, 12);
            v.item_count("Item", self.items.as_deref(), Some(1), Some(2));
            v.each("Item", self.items.as_deref());
        }
    }

    struct Id(Option<String>);

    impl Validate for Id {
        fn validate_into(&self, v: &mut Validator) {
            v.pattern("Id", self.0.as_deref(), r"^\d+$");
            // A pattern the regex engine cannot read checks nothing.
            v.pattern("Id", self.0.as_deref(), r"(?<=x)y");
        }
    }

    #[test]
    fn a_pattern_is_matched_and_named_in_the_violation() {
        assert!(Validator::check(&Id(Some("2024".into()))).is_ok());
        assert!(Validator::check(&Id(None)).is_ok());
        let err = Validator::check(&Id(Some("20x4".into()))).unwrap_err();
        let lines: Vec<String> = err.violations().iter().map(ToString::to_string).collect();
        assert_eq!(lines, ["Id: must match the pattern `^\\d+$`"]);
    }

    #[test]
    fn every_violation_is_reported_under_its_wire_path() {
        let outer = Outer {
            items: Some(vec![
                Item {
                    code: Some("ok".into()),
                },
                Item { code: None },
                Item {
                    code: Some("é".into()),
                },
            ]),
            period: Some(13),
        };
        let err = Validator::check(&outer).unwrap_err();
        let lines: Vec<String> = err.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "Period: must be a multiple of 12, got 13",
                "Item: must hold from 1 to 2 items, got 3",
                "Item.2.Code: is required",
                "Item.3.Code: may hold ASCII characters only, found 'é'",
            ]
        );
        assert!(err.concerns("Item.2.Code"));
    }

    /// Objects within objects, lists and maps, with a field checked after each walk: every
    /// path is whole, and a walk leaves no part of its path behind.
    struct Root {
        inner: Option<Outer>,
        by_key: Option<BTreeMap<String, Outer>>,
        name: Option<String>,
    }

    impl Validate for Root {
        fn validate_into(&self, v: &mut Validator) {
            v.nested("Inner", self.inner.as_ref());
            v.required("Name", &self.name);
            v.each_value("ByKey", self.by_key.as_ref());
            v.required("Last", &None::<()>);
        }
    }

    #[test]
    fn nested_paths_grow_and_shrink_with_the_walk() {
        let outer = |period| Outer {
            items: Some(vec![Item { code: None }]),
            period: Some(period),
        };
        let root = Root {
            inner: Some(outer(12)),
            by_key: Some(BTreeMap::from([
                ("a b".to_owned(), outer(5)),
                ("z".to_owned(), outer(24)),
            ])),
            name: None,
        };
        let err = Validator::check(&root).unwrap_err();
        let lines: Vec<String> = err.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "Inner.Item.1.Code: is required",
                "Name: is required",
                "ByKey.a b.Period: must be a multiple of 12, got 5",
                "ByKey.a b.Item.1.Code: is required",
                "ByKey.z.Item.1.Code: is required",
                "Last: is required",
            ]
        );
    }

    #[test]
    fn a_valid_value_passes() {
        let outer = Outer {
            items: Some(vec![Item {
                code: Some("a".into()),
            }]),
            period: Some(24),
        };
        assert_eq!(Validator::check(&outer), Ok(()));
    }
}
