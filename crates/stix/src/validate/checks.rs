//! Small predicates shared by the object checks.

use crate::timestamp::{Timestamp, TimestampError};

/// `^([a-z][a-z0-9]*)+(-[a-z0-9]+)*-?$`, 3 to 250 characters.
pub fn valid_type_name(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() < 3 || b.len() > 250 || !b[0].is_ascii_lowercase() || t == "action" {
        return false;
    }
    let body = t.strip_suffix('-').unwrap_or(t);
    !body.contains("--")
        && !body.ends_with('-')
        && body
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// A UUID in the identifier pattern (versions 1-5, RFC 4122 variant). Returns the version.
pub fn uuid_version(u: &str) -> Option<u8> {
    let b = u.as_bytes();
    if b.len() != 36 {
        return None;
    }
    for (i, c) in b.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        };
        if !ok {
            return None;
        }
    }
    let version = b[14];
    if !(b'1'..=b'5').contains(&version)
        || !matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
    {
        return None;
    }
    Some(version - b'0')
}

/// `type--uuid` with a well-formed type. Returns (type, uuid version).
pub fn parse_identifier(id: &str) -> Option<(&str, u8)> {
    let (t, u) = id.split_once("--")?;
    let tb = t.as_bytes();
    if tb.len() < 3
        || !tb[0].is_ascii_lowercase()
        || !tb
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        || t.ends_with('-')
    {
        return None;
    }
    Some((t, uuid_version(u)?))
}

/// The property-name rule of the STIX schemas (`properties.json`): starts with a lowercase
/// letter followed by two of `[a-z0-9_]`, or ends in `id`.
pub fn valid_property_name(k: &str) -> bool {
    let b = k.as_bytes();
    let head = b.len() >= 3
        && b[0].is_ascii_lowercase()
        && b[1..3]
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_');
    // searched, not matched: a longer name still starts with the pattern
    head || k.ends_with("id")
}

/// Strict property name for custom content: `^[a-z][a-z0-9_]{2,249}$`.
pub fn strict_property_name(k: &str) -> bool {
    let b = k.as_bytes();
    b.len() >= 3
        && b.len() <= 250
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Dictionary keys: `^[a-zA-Z0-9_-]{0,250}$`.
pub fn valid_dict_key(k: &str) -> bool {
    k.len() <= 250
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Python's `v.islower() and '_' not in v and ' ' not in v`: at least one cased letter,
/// none upper case, no underscore or space (the reference's word-format checks).
pub fn py_lower_word(v: &str) -> bool {
    v.chars().any(|c| c.is_lowercase() || c.is_uppercase())
        && !v.chars().any(char::is_uppercase)
        && !v.contains('_')
        && !v.contains(' ')
}

/// A URI per RFC 3986 (the reference's `uri` format).
pub fn is_uri(v: &str) -> bool {
    super::formats::uri(v)
}

/// Base64 (standard alphabet, padded, at least one group): the schema's `binary`.
pub fn is_base64(v: &str) -> bool {
    let b = v.strip_suffix('\n').unwrap_or(v).as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// `^([a-fA-F0-9]{2})+$`
pub fn is_hex(v: &str) -> bool {
    let v = v.strip_suffix('\n').unwrap_or(v);
    !v.is_empty() && v.len().is_multiple_of(2) && v.bytes().all(|c| c.is_ascii_hexdigit())
}

/// A language tag the reference validator accepts (its list of RFC 5646 tags).
pub fn is_lang(v: &str) -> bool {
    crate::model::lists::LANG_CODES.contains(&v)
}

/// Character set names: the reference validator's own rule when it has no IANA registry
/// (`^[a-zA-Z0-9_\(\)-]+$`).
pub fn is_charset(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'(' | b')' | b'-'))
}

/// Result of checking a timestamp string.
pub fn timestamp_problem(v: &str, millis: bool) -> Option<String> {
    match Timestamp::parse(v) {
        Err(TimestampError::Format) => Some(format!(
            "'{v}' does not match the timestamp format YYYY-MM-DDTHH:mm:ss[.s+]Z"
        )),
        Err(TimestampError::Range(why)) => Some(format!("'{v}' is not a valid timestamp: {why}")),
        Ok(_) => {
            if millis {
                let frac = v.rsplit_once('.').map(|(_, f)| f.len().saturating_sub(1));
                if frac.is_none_or(|n| n < 3) {
                    return Some(format!(
                        "'{v}' must be precise to the millisecond (YYYY-MM-DDTHH:mm:ss.sssZ)"
                    ));
                }
            }
            None
        }
    }
}

/// Known hash algorithm value shapes.
pub fn hash_value_ok(algo: &str, v: &str) -> bool {
    let hexlen = |n: usize| v.len() == n && v.bytes().all(|c| c.is_ascii_hexdigit());
    match algo {
        "MD5" => hexlen(32),
        "SHA-1" => hexlen(40),
        "SHA-256" | "SHA3-256" => hexlen(64),
        "SHA-512" | "SHA3-512" => hexlen(128),
        "SSDEEP" => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+' | b':' | b'.'))
        }
        "TLSH" => v.len() == 70 && v.bytes().all(|c| c.is_ascii_alphanumeric()),
        _ => true,
    }
}

pub const PDF_DOC_INFO_KEYS: &[&str] = &[
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
    "Trapped",
];

pub const MIME_TOP: &[&str] = &[
    "application",
    "audio",
    "font",
    "image",
    "message",
    "model",
    "multipart",
    "text",
    "video",
];

/// A hash algorithm name from the hash-algorithm-ov vocabulary or a custom `x_` one.
pub fn registered_hash(algo: &str) -> bool {
    crate::model::vocabulary("hash-algo").contains(&algo) || algo.starts_with("x_")
}
