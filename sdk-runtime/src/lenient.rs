//! Reading responses the way the official SDKs do: a documented string that arrives as a
//! number or boolean (`"Code": 200`) is read as its text, and a documented number or boolean
//! that arrives as text (`"Duration": "1"`) is parsed. Everything else is as strict as serde:
//! the error names the JSON path (through `serde_path_to_error`).

use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{self, Error as _, IntoDeserializer, Unexpected, Visitor};
use serde_json::Value;

/// A JSON value read leniently, recursively.
#[derive(Debug, Clone)]
pub(crate) struct Lenient(pub Value);

impl<'de> IntoDeserializer<'de, DeError> for Lenient {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("a number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

macro_rules! number {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.0 {
                Value::String(text) => match text.trim().parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(DeError::invalid_type(Unexpected::Str(&text), &visitor)),
                },
                other => other.$method(visitor).map_err(DeError::custom),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Lenient {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Array(items) => {
                visitor.visit_seq(SeqDeserializer::new(items.into_iter().map(Lenient)))
            }
            Value::Object(map) => visitor.visit_map(MapDeserializer::new(
                map.into_iter().map(|(k, v)| (k, Lenient(v))),
            )),
            other => other.deserialize_any(visitor).map_err(DeError::custom),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Lenient(other)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => Err(DeError::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => visitor.visit_bool(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => visitor.visit_bool(false),
            other => Err(DeError::invalid_type(unexpected(&other), &visitor)),
        }
    }

    number! {
        deserialize_i8 => i8, visit_i8;
        deserialize_i16 => i16, visit_i16;
        deserialize_i32 => i32, visit_i32;
        deserialize_i64 => i64, visit_i64;
        deserialize_u8 => u8, visit_u8;
        deserialize_u16 => u16, visit_u16;
        deserialize_u32 => u32, visit_u32;
        deserialize_u64 => u64, visit_u64;
        deserialize_f32 => f32, visit_f32;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            // A typed list holds no `null`: a null element is no element (an untyped value,
            // read through `deserialize_any`, keeps it).
            Value::Array(items) => visitor.visit_seq(SeqDeserializer::new(
                items.into_iter().filter(|v| !v.is_null()).map(Lenient),
            )),
            other => Err(DeError::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(MapDeserializer::new(
                map.into_iter().map(|(k, v)| (k, Lenient(v))),
            )),
            other => Err(DeError::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            // The official SDKs read a `null` where an object is described as an empty one.
            Value::Null => {
                visitor.visit_map(MapDeserializer::new(std::iter::empty::<(String, Lenient)>()))
            }
            other => Lenient(other).deserialize_map(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct newtype_struct tuple tuple_struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Reply {
        #[serde(rename = "Code")]
        code: Option<String>,
        #[serde(rename = "Duration")]
        duration: Option<i32>,
        #[serde(rename = "Success")]
        success: Option<bool>,
        #[serde(rename = "Items")]
        items: Option<Vec<Item>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(rename = "Price")]
        price: Option<f64>,
    }

    fn read(value: Value) -> Result<Reply, String> {
        serde_path_to_error::deserialize(Lenient(value))
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    #[test]
    fn scalars_arrive_in_either_form() {
        let reply = read(json!({
            "Code": 200, "Duration": "1", "Success": "true",
            "Items": [{"Price": "1.5"}, {"Price": 2}], "Extra": {"ignored": [1]}
        }))
        .unwrap();
        assert_eq!(
            reply,
            Reply {
                code: Some("200".into()),
                duration: Some(1),
                success: Some(true),
                items: Some(vec![Item { price: Some(1.5) }, Item { price: Some(2.0) }]),
            }
        );
    }

    #[test]
    fn nulls_in_typed_lists_are_no_elements_and_a_null_object_is_empty() {
        let reply = read(json!({"Items": [null, {"Price": 1}, null]})).unwrap();
        assert_eq!(reply.items, Some(vec![Item { price: Some(1.0) }]));
        let map: std::collections::BTreeMap<String, Item> =
            serde_path_to_error::deserialize(Lenient(json!({"a": null}))).unwrap();
        assert_eq!(map["a"], Item { price: None });
        // An untyped value keeps its nulls.
        let any: Vec<Value> = Vec::deserialize(Lenient(json!([null, 1]))).unwrap_or_default();
        assert_eq!(any.len(), 1, "a typed list of values skips nulls too");
        let raw: Value = Value::deserialize(Lenient(json!([null, 1]))).unwrap();
        assert_eq!(raw, json!([null, 1]));
    }

    #[test]
    fn what_cannot_be_read_is_named_by_path() {
        assert_eq!(
            read(json!({"Items": [{"Price": 1}, {"Price": "cheap"}]})).unwrap_err(),
            "Items[1].Price: invalid type: string \"cheap\", expected f64"
        );
        assert_eq!(
            read(json!({"Code": {"nested": 1}})).unwrap_err(),
            "Code: invalid type: map, expected a string"
        );
        assert!(read(json!([1, 2])).is_err());
    }
}
