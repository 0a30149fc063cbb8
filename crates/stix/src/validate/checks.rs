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
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && b.len() <= 250;
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

/// Open-vocabulary value format: lowercase words separated by hyphens.
pub fn vocab_format(v: &str) -> bool {
    !v.is_empty()
        && v.bytes().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || c == b'-'
                || c == b'+'
                || c == b'#'
                || c == b'.'
        })
}

/// A URI per RFC 3986 (scheme ":" rest, no spaces).
pub fn is_uri(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let sb = scheme.as_bytes();
    !sb.is_empty()
        && sb[0].is_ascii_alphabetic()
        && sb
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

/// Base64 (standard alphabet, padded).
pub fn is_base64(v: &str) -> bool {
    let b = v.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

pub fn is_hex(v: &str) -> bool {
    v.len().is_multiple_of(2) && v.bytes().all(|c| c.is_ascii_hexdigit())
}

/// IPv4 address with optional CIDR suffix, as the STIX schema's pattern.
pub fn is_ipv4(v: &str) -> bool {
    let (addr, cidr) = match v.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (v, None),
    };
    if let Some(c) = cidr {
        let ok = !c.is_empty()
            && c.len() <= 2
            && c.bytes().all(|d| d.is_ascii_digit())
            && !(c.len() == 2 && c.starts_with('0'));
        if !ok || c.parse::<u8>().map_or(true, |n| n > 32) {
            return false;
        }
    }
    let parts: Vec<&str> = addr.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|d| d.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// IPv6 address with optional CIDR suffix.
pub fn is_ipv6(v: &str) -> bool {
    let (addr, cidr) = match v.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (v, None),
    };
    if let Some(c) = cidr {
        if c.is_empty()
            || c.len() > 3
            || !c.bytes().all(|d| d.is_ascii_digit())
            || c.parse::<u16>().map_or(true, |n| n > 128)
        {
            return false;
        }
    }
    addr.parse::<std::net::Ipv6Addr>().is_ok()
}

pub fn is_mac(v: &str) -> bool {
    let parts: Vec<&str> = v.split(':').collect();
    parts.len() == 6
        && parts.iter().all(|p| {
            p.len() == 2
                && p.bytes()
                    .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        })
}

/// An RFC 5646 language tag whose primary subtag is an ISO 639-1 code (or a
/// registered three-letter code from a short list).
pub fn is_lang(v: &str) -> bool {
    let mut parts = v.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    let ok_primary = (primary.len() == 2
        && primary.bytes().all(|c| c.is_ascii_lowercase())
        && ISO_639_1.contains(&primary))
        || ISO_639_2_COMMON.contains(&primary);
    ok_primary
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

const ISO_639_2_COMMON: &[&str] = &[
    "eng", "fra", "fre", "deu", "ger", "spa", "rus", "zho", "chi", "ara", "jpn", "por", "ita",
    "nld", "dut", "pol", "ukr", "est", "lav", "lit", "fin", "swe", "nor", "dan", "tur", "kor",
    "heb", "ces", "cze", "slk", "slo", "ron", "rum", "hun", "bul", "hrv", "srp", "slv", "ell",
    "gre", "isl", "ice", "sqi", "alb", "mkd", "mac", "cnr",
];

/// Character set names (IANA registry style).
pub fn is_charset(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'(' | b')' | b'-' | b':'))
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
