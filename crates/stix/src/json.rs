//! Reading STIX documents: size-limited input (plain or gzip), UTF-8, and strict JSON
//! (duplicate keys rejected, nesting limited) with absolute line and column positions.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;
use std::io::Read;
use std::path::Path;

/// Default input limit: 512 MiB of (decompressed) JSON.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Why a document could not be read as STIX JSON at all ("unusable input").
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: input is larger than the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { path: String, limit: u64 },
    #[error("{path}: corrupt or truncated gzip data: {message}")]
    Gzip { path: String, message: String },
    #[error("{path}:{line}:{column}: invalid UTF-8 (byte offset {offset})")]
    Utf8 {
        path: String,
        line: usize,
        column: usize,
        offset: usize,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Shape { path: String, message: String },
}

impl InputError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Io { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Gzip { path, .. }
            | InputError::Utf8 { path, .. }
            | InputError::Json { path, .. }
            | InputError::Shape { path, .. } => path,
        }
    }
}

/// Read a file (gzip when it starts with the gzip magic), refusing more than `max_bytes`
/// of content after decompression.
pub fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| InputError::Io {
        path: name.clone(),
        source,
    })?;
    let len = file.metadata().map_or(0, |m| m.len());
    if len > max_bytes {
        return Err(InputError::TooLarge {
            path: name,
            limit: max_bytes,
        });
    }
    read_sized(file, &name, max_bytes, len)
}

/// Read from any reader with the same rules as [`read_file`].
pub fn read_limited<R: Read>(reader: R, name: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    read_sized(reader, name, max_bytes, 0)
}

fn read_sized<R: Read>(
    reader: R,
    name: &str,
    max_bytes: u64,
    size_hint: u64,
) -> Result<Vec<u8>, InputError> {
    let cap = |n: u64| usize::try_from(n.min(max_bytes.saturating_add(1))).unwrap_or(0);
    let mut raw = Vec::with_capacity(cap(size_hint + 1));
    let mut head = reader.take(max_bytes.saturating_add(1));
    head.read_to_end(&mut raw)
        .map_err(|source| InputError::Io {
            path: name.to_string(),
            source,
        })?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        // gzip'd JSON typically inflates 5 to 7 times
        let mut out = Vec::with_capacity(cap(raw.len() as u64 * 6));
        let mut dec = flate2::read::MultiGzDecoder::new(&raw[..]).take(max_bytes.saturating_add(1));
        dec.read_to_end(&mut out).map_err(|e| InputError::Gzip {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        if out.len() as u64 > max_bytes {
            return Err(InputError::TooLarge {
                path: name.to_string(),
                limit: max_bytes,
            });
        }
        return Ok(out);
    }
    if raw.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            path: name.to_string(),
            limit: max_bytes,
        });
    }
    Ok(raw)
}

/// 1-based line and column of a byte offset (column counts characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, col)
}

/// Decode UTF-8, reporting the position of the first bad byte.
pub fn utf8<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        // the valid prefix is UTF-8 by construction
        let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = line_col(prefix, offset);
        InputError::Utf8 {
            path: name.to_string(),
            line,
            column,
            offset,
        }
    })
}

/// A JSON value parsed strictly: duplicate object keys are an error.
#[derive(Debug)]
pub struct Strict(pub Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key \"{key}\"")));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// One object of a document: its verbatim text, where it starts, and its parsed value.
#[derive(Debug, Clone)]
pub struct RawObject<'a> {
    pub raw: &'a str,
    pub offset: usize,
    pub value: Value,
    /// JSON path of the object in its document (`$` or `$.objects[3]`).
    pub path: String,
}

/// One object of a document before its value is parsed.
#[derive(Debug, Clone)]
pub struct RawPart<'a> {
    pub raw: &'a str,
    pub offset: usize,
    pub path: String,
}

/// A document split into objects whose values are not parsed yet (syntax already checked).
#[derive(Debug)]
pub struct RawDocument<'a> {
    pub text: &'a str,
    pub name: String,
    /// The bundle envelope without `objects`, when the document is a bundle.
    pub bundle: Option<Map<String, Value>>,
    pub parts: Vec<RawPart<'a>>,
}

impl<'a> RawDocument<'a> {
    /// Parse one part strictly (duplicate keys rejected), with positions in the document.
    pub fn parse_part(&self, part: &RawPart<'a>) -> Result<Value, InputError> {
        parse_strict(part.raw, &self.name, self.text, part.offset)
    }
}

/// A parsed document: a bundle (with its envelope properties) or a single object.
#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    /// The bundle envelope without `objects`, when the document is a bundle.
    pub bundle: Option<Map<String, Value>>,
    pub objects: Vec<RawObject<'a>>,
}

fn json_error(name: &str, text: &str, base: usize, e: &serde_json::Error) -> InputError {
    // serde_json reports 1-based line/column relative to the parsed slice
    let (line, column) = if base == 0 {
        (e.line().max(1), e.column().max(1))
    } else {
        let (bl, bc) = line_col(text, base);
        if e.line() <= 1 {
            (bl, bc + e.column().saturating_sub(1))
        } else {
            (bl + e.line() - 1, e.column())
        }
    };
    let mut message = e.to_string();
    if let Some(idx) = message.find(" at line ") {
        message.truncate(idx);
    }
    InputError::Json {
        path: name.to_string(),
        line,
        column,
        message,
    }
}

fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Split a document into its objects, checking JSON syntax and top-level duplicate keys.
pub fn split_document<'a>(text: &'a str, name: &str) -> Result<RawDocument<'a>, InputError> {
    let top: Vec<(String, TopValue<'a>)> = {
        let mut de = serde_json::Deserializer::from_str(text);
        let v = TopLevel::deserialize(&mut de).map_err(|e| json_error(name, text, 0, &e))?;
        de.end().map_err(|e| json_error(name, text, 0, &e))?;
        v.0
    };
    let type_raw = top
        .iter()
        .find(|(k, _)| k == "type")
        .and_then(|(_, v)| match v {
            TopValue::Raw(r) => Some(r.get()),
            _ => None,
        });
    if type_raw != Some("\"bundle\"") {
        return Ok(RawDocument {
            text,
            name: name.to_string(),
            bundle: None,
            parts: vec![RawPart {
                raw: text,
                offset: 0,
                path: "$".into(),
            }],
        });
    }
    let mut envelope = Map::new();
    let mut parts = Vec::new();
    for (k, v) in top {
        match v {
            TopValue::Objects(None) => {
                return Err(InputError::Shape {
                    path: name.to_string(),
                    message: "the bundle's 'objects' must be a JSON array".into(),
                });
            }
            TopValue::Objects(Some(items)) => {
                parts = items
                    .iter()
                    .enumerate()
                    .map(|(i, r)| RawPart {
                        raw: r.get(),
                        offset: offset_in(text, r.get()),
                        path: format!("$.objects[{i}]"),
                    })
                    .collect();
            }
            TopValue::Raw(r) => {
                let off = offset_in(text, r.get());
                envelope.insert(k, parse_strict(r.get(), name, text, off)?);
            }
        }
    }
    Ok(RawDocument {
        text,
        name: name.to_string(),
        bundle: Some(envelope),
        parts,
    })
}

/// Parse a document strictly. A bundle's objects are parsed in parallel.
pub fn parse_document<'a>(text: &'a str, name: &str) -> Result<Document<'a>, InputError> {
    use rayon::prelude::*;
    let raw = split_document(text, name)?;
    let objects = raw
        .parts
        .par_iter()
        .map(|p| {
            Ok(RawObject {
                raw: p.raw,
                offset: p.offset,
                value: raw.parse_part(p)?,
                path: p.path.clone(),
            })
        })
        .collect::<Result<Vec<_>, InputError>>()?;
    Ok(Document {
        text,
        bundle: raw.bundle,
        objects,
    })
}

fn parse_strict(part: &str, name: &str, text: &str, base: usize) -> Result<Value, InputError> {
    let mut de = serde_json::Deserializer::from_str(part);
    let Strict(v) = Strict::deserialize(&mut de).map_err(|e| json_error(name, text, base, &e))?;
    Ok(v)
}

/// The top level of a document: its keys with raw values; a bundle's `objects` array is
/// split into raw objects in the same pass.
struct TopLevel<'a>(Vec<(String, TopValue<'a>)>);

enum TopValue<'a> {
    Raw(&'a RawValue),
    Objects(Option<Vec<&'a RawValue>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for TopLevel<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = TopLevel<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object (a STIX bundle or a STIX object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel<'a>, A::Error> {
                let mut out: Vec<(String, TopValue<'a>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    let v = if key == "objects" {
                        TopValue::Objects(map.next_value::<ObjectsList<'a>>()?.0)
                    } else {
                        TopValue::Raw(map.next_value()?)
                    };
                    out.push((key, v));
                }
                Ok(TopLevel(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A bundle's `objects`: an array of raw values. Anything else is kept as `None` (an
/// object that is not a bundle may have an `objects` property of any shape, such as the
/// dictionary of a STIX 2.0 observed-data).
struct ObjectsList<'a>(Option<Vec<&'a RawValue>>);

impl<'de: 'a, 'a> Deserialize<'de> for ObjectsList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ObjectsList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ObjectsList<'a>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(r) = seq.next_element::<&'a RawValue>()? {
                    out.push(r);
                }
                Ok(ObjectsList(Some(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ObjectsList<'a>, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(ObjectsList(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
            fn visit_unit<E>(self) -> Result<ObjectsList<'a>, E> {
                Ok(ObjectsList(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}
