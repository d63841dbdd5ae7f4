//! Reading a request the way the service does (for the mock server): query pairs such as
//! `Parameter.1.Code=disk`, header and path parameters, and the JSON body become the request
//! type again, scalars parsed from their text as the field's type asks.

use std::collections::BTreeMap;

use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{self, Error as _, IntoDeserializer, Visitor};
use serde_json::Value;

use super::operation::{Encoding, Location, Operation, OperationSpec};
use super::validation::Validator;
use super::wire::{Body, encode};

/// A request as a server receives it.
#[derive(Debug, Clone, Default)]
pub struct Received<'a> {
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Header parameters by wire name (only those the operation declares).
    pub headers: Vec<(String, String)>,
    /// Path parameters read from the path, by wire name, decoded.
    pub path_params: Vec<(String, String)>,
    /// The body, as received: read as JSON fields, a whole JSON value, text, bytes or form
    /// fields, as the operation's parameters say it is.
    pub body: &'a [u8],
}

/// A tree of received values: text leaves from the query, JSON values from the body.
#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Tree(BTreeMap<String, Node>),
    Json(Value),
}

impl Node {
    fn insert(&mut self, path: &[&str], text: String) -> Result<(), String> {
        let Node::Tree(map) = self else {
            return Err("a parameter is given both as a value and as a list or object".to_owned());
        };
        match path {
            [] => Err("empty parameter name".to_owned()),
            [last] => match map.insert((*last).to_owned(), Node::Text(text)) {
                None => Ok(()),
                Some(_) => Err(format!("{last} is given twice")),
            },
            [first, rest @ ..] => map
                .entry((*first).to_owned())
                .or_insert_with(|| Node::Tree(BTreeMap::new()))
                .insert(rest, text),
        }
    }
}

/// The declared parameter a received key belongs to (the longest name that is the key or
/// starts it before a `.`: a parameter may be named `PrivatePoolOptions.Id`), and the rest of
/// the key split at dots.
fn resolve<'k>(spec: &OperationSpec, key: &'k str) -> (&'k str, Vec<&'k str>) {
    let owner = spec
        .params
        .iter()
        .map(|p| p.name)
        .filter(|name| {
            key == *name
                || key
                    .strip_prefix(*name)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|name| name.len());
    match owner {
        Some(name) => {
            let (top, rest) = key.split_at(name.len());
            let rest = rest
                .strip_prefix('.')
                .map_or_else(Vec::new, |r| r.split('.').collect());
            (top, rest)
        }
        None => {
            let mut parts = key.split('.');
            let top = parts.next().unwrap_or_default();
            (top, parts.collect())
        }
    }
}

/// Decodes `received` into `R`, checks it as `validate()` does, and encodes it again to make
/// sure every received parameter was understood.
pub fn check<R: Operation + serde::de::DeserializeOwned>(
    received: &Received<'_>,
) -> Result<(), Vec<String>> {
    let spec = R::SPEC;
    let mut root = BTreeMap::new();
    let mut problems = Vec::new();
    let place = |root: &mut BTreeMap<String, Node>, key: &str, node: Node| {
        root.insert(key.to_owned(), node);
    };

    // The body, read as the operation's parameters say it is.
    let whole = spec
        .params
        .iter()
        .find(|p| p.location == Location::Body && p.encoding != Encoding::JsonBody);
    let fields = spec.params.iter().any(|p| p.encoding == Encoding::JsonBody);
    let form = spec.params.iter().any(|p| p.location == Location::Form);
    let mut form_pairs = Vec::new();
    if !received.body.is_empty() {
        let text = || String::from_utf8_lossy(received.body).into_owned();
        match (whole, fields, form) {
            (Some(p), _, _) if p.encoding == Encoding::Binary => {
                let bytes = super::binary::Binary::from(received.body);
                let base64 = serde_json::to_value(&bytes).unwrap_or_default();
                place(&mut root, p.name, Node::Json(base64));
            }
            (Some(p), _, _) if p.encoding == Encoding::Json => {
                match serde_json::from_slice::<Value>(received.body) {
                    Ok(value) => place(&mut root, p.name, Node::Json(value)),
                    Err(e) => problems.push(format!("the body is not JSON: {e}")),
                }
            }
            (Some(p), _, _) => place(&mut root, p.name, Node::Text(text())),
            (None, true, _) => match serde_json::from_slice::<Value>(received.body) {
                Ok(Value::Object(body)) => {
                    for (k, v) in body {
                        place(&mut root, &k, Node::Json(v));
                    }
                }
                Ok(other) => problems.push(format!("the body is not a JSON object: {other}")),
                Err(e) => problems.push(format!("the body is not JSON: {e}")),
            },
            (None, false, true) => form_pairs = super::wire::decode_query(&text()),
            (None, false, false) => {
                problems.push(format!("{} takes no body, and one was sent", spec.action))
            }
        }
    }

    let mut root = Node::Tree(root);
    for (key, value) in received
        .query
        .iter()
        .chain(&form_pairs)
        .chain(&received.headers)
        .chain(&received.path_params)
    {
        let (top, rest) = resolve(spec, key);
        match spec.param(top).map(|p| p.encoding) {
            Some(Encoding::Json) => match serde_json::from_str::<Value>(value) {
                Ok(json) => {
                    if let Node::Tree(map) = &mut root {
                        map.insert(key.clone(), Node::Json(json));
                    }
                }
                Err(e) => problems.push(format!("{key}: not JSON text: {e}")),
            },
            Some(Encoding::Simple) => {
                for (i, item) in value.split(',').enumerate() {
                    let index = (i + 1).to_string();
                    if let Err(e) = root.insert(&[top, &index], item.to_owned()) {
                        problems.push(format!("{key}: {e}"));
                    }
                }
            }
            _ => {
                let mut path = vec![top];
                path.extend(rest);
                if let Err(e) = root.insert(&path, value.clone()) {
                    problems.push(format!("{key}: {e}"));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let request: R = serde_path_to_error::deserialize(root)
        .map_err(|e| vec![format!("{}: {}", e.path(), e.inner())])?;
    if let Err(errors) = Validator::check(&request) {
        return Err(errors
            .violations()
            .iter()
            .map(ToString::to_string)
            .collect());
    }

    // Encoded again, the request must give back every pair that was sent.
    let again = encode(&request).map_err(|e| vec![e.to_string()])?;
    let mut sent: Vec<(String, String)> = received.query.clone();
    sent.extend(form_pairs);
    let mut understood = again.query;
    if let Body::Form(pairs) = &again.body {
        understood.extend(pairs.iter().cloned());
    }
    for (name, value) in &received.headers {
        if spec.param(name).map(|p| p.location) == Some(Location::Header) {
            sent.push((name.clone(), value.clone()));
        }
    }
    understood.extend(again.headers);
    sent.sort();
    understood.sort();
    for (k, v) in &sent {
        if !understood.iter().any(|(k2, v2)| k2 == k && v2 == v) {
            match understood.iter().find(|(k2, _)| k2 == k) {
                Some((_, v2)) => problems.push(format!("{k}: {v:?} reads back as {v2:?}")),
                None => problems.push(format!("{k}: not a parameter of {}", spec.action)),
            }
        }
    }
    if let (true, Body::Fields(again)) = (fields, &again.body)
        && let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(received.body)
    {
        for key in body.keys() {
            if !again.contains_key(key) {
                problems.push(format!("{key}: not a body field of {}", spec.action));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

impl<'de> IntoDeserializer<'de, DeError> for Node {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, DeError>
where
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse()
        .map_err(|e| DeError::custom(format!("{text:?} is not {what}: {e}")))
}

/// The items of a list given as `Name.1`, `Name.2`, ...: ordered by index, which must run
/// from 1 without gaps.
fn list_items(map: BTreeMap<String, Node>) -> Result<Vec<Node>, DeError> {
    let mut items: Vec<(usize, Node)> = Vec::with_capacity(map.len());
    for (k, v) in map {
        let index: usize = k
            .parse()
            .map_err(|_| DeError::custom(format!("expected a list index, found {k:?}")))?;
        items.push((index, v));
    }
    items.sort_by_key(|(i, _)| *i);
    for (expected, (index, _)) in (1..).zip(&items) {
        if *index != expected {
            return Err(DeError::custom(format!(
                "list indexes run from 1 without gaps; found {index} where {expected} belongs"
            )));
        }
    }
    Ok(items.into_iter().map(|(_, v)| v).collect())
}

macro_rules! scalar {
    ($($method:ident => $ty:ty, $visit:ident, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self {
                Node::Text(text) => visitor.$visit(parse::<$ty>(&text, $what)?),
                Node::Json(value) => value.$method(visitor).map_err(DeError::custom),
                Node::Tree(_) => Err(DeError::custom(concat!("expected ", $what, ", found a list or object"))),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            Node::Text(text) => visitor.visit_string(text),
            Node::Json(value) => value.deserialize_any(visitor).map_err(DeError::custom),
            Node::Tree(map) => visitor.visit_map(MapDeserializer::new(map.into_iter())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            Node::Json(Value::Null) => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            Node::Tree(map) => {
                visitor.visit_seq(SeqDeserializer::new(list_items(map)?.into_iter()))
            }
            Node::Json(value) => value.deserialize_seq(visitor).map_err(DeError::custom),
            Node::Text(text) => Err(DeError::custom(format!(
                "expected a list (Name.1, Name.2, ...), found the value {text:?}"
            ))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self {
            Node::Tree(map) => visitor.visit_map(MapDeserializer::new(map.into_iter())),
            Node::Json(value) => value
                .deserialize_struct(name, fields, visitor)
                .map_err(DeError::custom),
            Node::Text(text) => Err(DeError::custom(format!(
                "expected an object (Name.Field), found the value {text:?}"
            ))),
        }
    }

    scalar! {
        deserialize_bool => bool, visit_bool, "a boolean";
        deserialize_i8 => i8, visit_i8, "an integer";
        deserialize_i16 => i16, visit_i16, "an integer";
        deserialize_i32 => i32, visit_i32, "an integer";
        deserialize_i64 => i64, visit_i64, "an integer";
        deserialize_u8 => u8, visit_u8, "an integer";
        deserialize_u16 => u16, visit_u16, "an integer";
        deserialize_u32 => u32, visit_u32, "an integer";
        deserialize_u64 => u64, visit_u64, "an integer";
        deserialize_f32 => f32, visit_f32, "a number";
        deserialize_f64 => f64, visit_f64, "a number";
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct newtype_struct tuple tuple_struct map
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(rename = "Code")]
        code: Option<String>,
        #[serde(rename = "N")]
        n: Option<i32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Top {
        #[serde(rename = "Items")]
        items: Option<Vec<Item>>,
        #[serde(rename = "Flag")]
        flag: Option<bool>,
        #[serde(rename = "Tags")]
        tags: Option<Vec<String>>,
    }

    fn tree(pairs: &[(&str, &str)]) -> Node {
        let mut root = Node::Tree(BTreeMap::new());
        for (k, v) in pairs {
            let path: Vec<&str> = k.split('.').collect();
            root.insert(&path, (*v).to_owned()).unwrap();
        }
        root
    }

    #[test]
    fn flat_pairs_read_back_into_nested_types() {
        let err = serde_path_to_error::deserialize::<_, Top>(tree(&[
            ("Items.2.Code", "b"),
            ("Items.10.Code", "j"),
            ("Items.1.Code", "a"),
            ("Items.1.N", "7"),
            ("Flag", "true"),
            ("Tags.1", "x"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(err.contains("found 10 where 3 belongs"), "{err}");

        let top: Top = serde_path_to_error::deserialize(tree(&[
            ("Items.2.Code", "b"),
            ("Items.1.Code", "a"),
            ("Items.1.N", "7"),
            ("Flag", "true"),
            ("Tags.1", "x"),
        ]))
        .unwrap();
        assert_eq!(
            top,
            Top {
                items: Some(vec![
                    Item {
                        code: Some("a".into()),
                        n: Some(7)
                    },
                    Item {
                        code: Some("b".into()),
                        n: None
                    },
                ]),
                flag: Some(true),
                tags: Some(vec!["x".into()]),
            }
        );
    }

    #[test]
    fn bad_scalars_name_their_path() {
        let err = serde_path_to_error::deserialize::<_, Top>(tree(&[("Items.1.N", "seven")]))
            .unwrap_err();
        assert_eq!(err.path().to_string(), "Items[0].N");
        assert!(
            err.inner()
                .to_string()
                .contains("\"seven\" is not an integer")
        );
    }
}
