//! Bytes a request carries as its body: a file, an image.

use std::fmt;
use std::io::Read;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Bytes sent as a request's body (`application/octet-stream`), for operations that take a
/// file or an image. The whole body is held in memory: its SHA-256 is part of the signature,
/// and every retry sends the same bytes.
///
/// `Debug` shows the length only. In JSON (a request read from or written to JSON) the bytes
/// are a base64 string.
///
/// ```
/// use sdk_runtime::Binary;
///
/// let image = Binary::from(vec![0x89, b'P', b'N', b'G']);
/// assert_eq!(image.len(), 4);
/// assert_eq!(format!("{image:?}"), "Binary(4 bytes)");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary(Vec<u8>);

impl Binary {
    /// Reads a whole file.
    pub fn read_file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        std::fs::read(path).map(Self)
    }

    /// Reads everything `reader` gives.
    pub fn read_from(mut reader: impl Read) -> std::io::Result<Self> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// How many bytes there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bytes, taken out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The bytes of a base64 string (how JSON carries them).
    pub(crate) fn from_base64(text: &str) -> Option<Self> {
        STANDARD.decode(text).ok().map(Self)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Binary {
    fn from(bytes: &[u8; N]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self(text.into_bytes())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_base64(&text)
            .ok_or_else(|| serde::de::Error::custom("the bytes are not a base64 string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_travel_through_json_as_base64() {
        let bytes = Binary::from(&[0u8, 255, 10]);
        let json = serde_json::to_value(&bytes).unwrap();
        assert_eq!(json, serde_json::json!("AP8K"));
        let back: Binary = serde_json::from_value(json).unwrap();
        assert_eq!(back, bytes);
        assert!(serde_json::from_value::<Binary>(serde_json::json!("not base64!")).is_err());
    }
}
