//! 32-bit floats on the wire as the decimal a person wrote.
//!
//! serde_json holds an `f32` as the `f64` it widens to, so `0.1_f32` would go out as
//! `0.10000000149011612`. Every official SDK sends `0.1`: the shortest decimal that reads back
//! as the same `f32`. Generated request fields of type `float` (alone, optional, or inside
//! lists and maps) serialize through [`decimal`], which hands serde the `f64` of that decimal.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// The `f64` whose shortest decimal is the shortest decimal of `v` (`0.1_f32` gives `0.1`).
/// Infinities and NaN widen as they are.
pub fn widen(v: f32) -> f64 {
    if !v.is_finite() {
        return f64::from(v);
    }
    // Rust prints the shortest text that reads back as the same f32.
    v.to_string().parse().unwrap_or_else(|_| f64::from(v))
}

/// A value holding 32-bit floats, serialized with each float [`widen`]ed.
pub trait DecimalFloats {
    /// Serializes `self` with every `f32` as its decimal.
    fn serialize_decimal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl DecimalFloats for f32 {
    fn serialize_decimal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(widen(*self))
    }
}

impl<T: DecimalFloats> DecimalFloats for Option<T> {
    fn serialize_decimal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => v.serialize_decimal(serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// One element, serialized through [`DecimalFloats`].
struct Decimal<'a, T>(&'a T);

impl<T: DecimalFloats> serde::Serialize for Decimal<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_decimal(serializer)
    }
}

impl<T: DecimalFloats> DecimalFloats for Vec<T> {
    fn serialize_decimal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&Decimal(v))?;
        }
        seq.end()
    }
}

impl<T: DecimalFloats> DecimalFloats for BTreeMap<String, T> {
    fn serialize_decimal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, &Decimal(v))?;
        }
        map.end()
    }
}

/// `serialize_with` for generated fields that hold `f32`s.
pub fn decimal<T: DecimalFloats, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_decimal(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_widen_to_their_shortest_decimal() {
        assert_eq!(widen(0.1), 0.1);
        assert_eq!(widen(1.1), 1.1);
        assert_eq!(widen(16_777_217.0), 16_777_216.0);
        assert_eq!(widen(f32::MAX), 3.4028235e38);
        assert!(widen(f32::NAN).is_nan());
        assert_eq!(widen(f32::INFINITY), f64::INFINITY);
        // Every f32 read back from its widened value is itself.
        for bits in (0..u32::MAX).step_by(65_537) {
            let v = f32::from_bits(bits);
            if v.is_finite() {
                assert_eq!(widen(v) as f32, v, "{v}");
            }
        }
    }

    #[test]
    fn nested_floats_serialize_as_decimals() {
        #[derive(serde::Serialize)]
        struct Fields {
            #[serde(serialize_with = "decimal")]
            one: Option<f32>,
            #[serde(serialize_with = "decimal")]
            list: Vec<f32>,
            #[serde(serialize_with = "decimal")]
            map: Option<BTreeMap<String, Vec<f32>>>,
        }
        let v = Fields {
            one: Some(0.1),
            list: vec![0.25, 0.3],
            map: Some(BTreeMap::from([("a".to_owned(), vec![0.7])])),
        };
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"one":0.1,"list":[0.25,0.3],"map":{"a":[0.7]}}"#
        );
    }
}
