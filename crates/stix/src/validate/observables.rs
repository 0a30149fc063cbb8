//! Rules for cyber observables (SCOs) beyond their property tables: identifier rules
//! (UUIDv4 when no ID-contributing property is present), required-one-of rules,
//! timestamps embedded in dictionaries and extensions, and the reference validator's
//! dictionary-key and hash-name checks ({142}, {150}).

use super::checks::*;
use super::objects::Obj;
use super::Sink;
use serde_json::{Map, Value};

/// Keys whose dictionaries the reference's {142} check does not descend into.
const DICT_KEY_EXCEPTIONS: &[&str] = &[
    "hashes",
    "file_header_hashes",
    "request_header",
    "additional_header_fields",
    "document_info_dict",
    "exif_tags",
    "ipfix",
    "options",
    "environment_variables",
    "key",
    "startup_info",
];

const X509_ANY: &[&str] = &[
    "is_self_signed",
    "hashes",
    "version",
    "serial_number",
    "signature_algorithm",
    "issuer",
    "validity_not_before",
    "validity_not_after",
    "subject",
    "subject_public_key_algorithm",
    "subject_public_key_modulus",
    "subject_public_key_exponent",
    "x509_v3_extensions",
];

/// The ID-contributing properties of the SCO types whose contributing properties are all
/// optional: without any of them, the id MUST be a UUIDv4.
fn contributing(ty: &str) -> Option<&'static [&'static str]> {
    Some(match ty {
        "artifact" => &["hashes", "payload_bin"],
        "email-message" => &["from_ref", "subject", "body"],
        "user-account" => &["account_type", "user_id", "account_login"],
        "windows-registry-key" => &["key", "values"],
        "x509-certificate" => &["hashes", "serial_number"],
        _ => return None,
    })
}

fn embedded_timestamp(o: &Obj<'_>, v: &Value, p: &str, what: &str, sink: &mut Sink) {
    let Some(s) = v.as_str() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{what}: {v} is not of type 'string'"),
        );
        return;
    };
    if let Some(msg) = timestamp_problem(s, false) {
        sink.must("timestamp", o.id, p, format_args!("{what}: {msg}"));
    }
}

fn dict_keys(o: &Obj<'_>, m: &Map<String, Value>, p: &str, sink: &mut Sink) {
    for (k, v) in m {
        if k.is_empty() || k.chars().any(|c| c.is_ascii_uppercase()) {
            sink.should(
                "142",
                o.id,
                format_args!("{p}.{k}"),
                format_args!("As a dictionary key, '{k}' should be lowercase."),
            );
        }
        // JSON nesting is capped by the reader, so the recursion stays shallow.
        if let Value::Object(sub) = v {
            if !DICT_KEY_EXCEPTIONS.contains(&k.as_str()) {
                dict_keys(o, sub, &format!("{p}.{k}"), sink);
            }
        }
    }
}

fn long_hash_name(h: Option<&Value>) -> Option<String> {
    h?.as_object()?
        .keys()
        .find(|k| k.chars().count() > 30)
        .cloned()
}

/// {150}, with the reference's early returns (a file without top-level `hashes`, or a
/// stream or section without `hashes`, ends the check).
fn hash_length(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let mut warn = |name: String| {
        sink.should(
            "150",
            o.id,
            o.path,
            format_args!(
                "Object '{}' has a hash of type '{name}', which is longer than 30 characters.",
                o.id.unwrap_or("?")
            ),
        );
    };
    match o.ty {
        "artifact" | "x509-certificate" => {
            if let Some(n) = long_hash_name(obj.get("hashes")) {
                warn(n);
            }
        }
        "file" => {
            let Some(h) = obj.get("hashes") else { return };
            if let Some(n) = long_hash_name(Some(h)) {
                return warn(n);
            }
            let ext = obj.get("extensions");
            let get = |e: &str, k: &str| ext.and_then(|x| x.get(e)).and_then(|x| x.get(k));
            let Some(ads) = get("ntfs-ext", "alternate_data_streams") else {
                return;
            };
            for s in ads.as_array().into_iter().flatten() {
                let Some(h) = s.get("hashes") else { return };
                if let Some(n) = long_hash_name(Some(h)) {
                    return warn(n);
                }
            }
            let Some(fh) = get("windows-pebinary-ext", "file_header_hashes") else {
                return;
            };
            if let Some(n) = long_hash_name(Some(fh)) {
                return warn(n);
            }
            let Some(oh) =
                get("windows-pebinary-ext", "optional_header").and_then(|x| x.get("hashes"))
            else {
                return;
            };
            if let Some(n) = long_hash_name(Some(oh)) {
                return warn(n);
            }
            let Some(sections) = get("windows-pebinary-ext", "sections") else {
                return;
            };
            for s in sections.as_array().into_iter().flatten() {
                let Some(h) = s.get("hashes") else { return };
                if let Some(n) = long_hash_name(Some(h)) {
                    return warn(n);
                }
            }
        }
        _ => {}
    }
}

/// A granular-marking selector: the schema's pattern. (Whether it resolves in the object
/// is checked by [`selectors_resolve`].)
pub(super) fn selector(o: &Obj<'_>, sel: &str, p: &str, sink: &mut Sink) {
    let seg_ok = |s: &str| {
        (s.starts_with('[')
            && s.ends_with(']')
            && s.len() > 2
            && s[1..s.len() - 1].bytes().all(|c| c.is_ascii_digit()))
            || (!s.is_empty()
                && s.len() <= 250
                && s.bytes().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-'
                }))
    };
    let mut parts = sel.split('.');
    let first = parts.next().unwrap_or("");
    let head_ok = (3..=249).contains(&first.len())
        && first
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-');
    if !(sel == "id" || (head_ok && parts.all(seg_ok))) {
        sink.must(
            "granular-marking",
            o.id,
            p,
            format_args!("selector '{sel}' does not match the selector syntax"),
        );
    }
}

/// MUST: every selector of the object's granular markings names something present.
pub(super) fn selectors_resolve(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let Some(Value::Array(gms)) = obj.get("granular_markings") else {
        return;
    };
    let root = Value::Object(obj.clone());
    for (i, gm) in gms.iter().enumerate() {
        for sel in gm
            .get("selectors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let mut cur = &root;
            let mut ok = true;
            for seg in sel.split('.') {
                let idx = seg
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .and_then(|s| s.parse::<usize>().ok());
                let next = match idx {
                    Some(n) => cur.as_array().and_then(|a| a.get(n)),
                    None => cur.as_object().and_then(|m| m.get(seg)),
                };
                match next {
                    Some(v) => cur = v,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                sink.must("granular-marking", o.id, format_args!("{}.granular_markings[{i}]", o.path), format_args!("'{sel}' is not a valid selector: it does not name a property of this object"));
            }
        }
    }
}

pub(super) fn sco_rules(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let id = o.id;
    let at = |k: &str| format!("{}.{k}", o.path);
    if let (Some(props), Some((_, version))) = (contributing(o.ty), id.and_then(parse_identifier)) {
        if version != 4 && !props.iter().any(|k| obj.contains_key(*k)) {
            sink.must(
                "uuid-version",
                id,
                at("id"),
                "If no Contributing Properties are present, a UUIDv4 must be used",
            );
        }
    }
    if o.ty == "x509-certificate" {
        if !X509_ANY.iter().any(|k| obj.contains_key(*k)) {
            sink.must(
                "required",
                id,
                o.path,
                format_args!(
                    "an x509-certificate needs at least one of {}",
                    X509_ANY.join(", ")
                ),
            );
        }
        if let Some(Value::Object(ext)) = obj.get("x509_v3_extensions") {
            for k in [
                "private_key_usage_period_not_before",
                "private_key_usage_period_not_after",
            ] {
                if let Some(v) = ext.get(k) {
                    let p = format!("{}.x509_v3_extensions.{k}", o.path);
                    embedded_timestamp(o, v, &p, k, sink);
                }
            }
        }
    }
    if o.ty == "file" {
        if let Some(Value::Object(exts)) = obj.get("extensions") {
            for (name, e) in exts {
                let Some(ts) = e.get("time_date_stamp") else {
                    continue;
                };
                let p = format!("{}.extensions.{name}.time_date_stamp", o.path);
                if name == "windows-pebinary-ext" {
                    // the schema: a timestamp without fractional seconds
                    if ts
                        .as_str()
                        .is_some_and(|s| s.len() > 20 && s.as_bytes()[19] == b'.')
                    {
                        sink.must("timestamp", id, &p, format_args!("time_date_stamp: {ts} does not match 'T\\d{{2}}:\\d{{2}}:\\d{{2}}Z$'"));
                    }
                } else if let Some(s) = ts.as_str() {
                    if let Some(msg) = timestamp_problem(s, false).filter(|_| {
                        crate::timestamp::Timestamp::parse(s)
                            != Err(crate::timestamp::TimestampError::Format)
                    }) {
                        sink.must("timestamp", id, &p, format_args!("time_date_stamp: {msg}"));
                    }
                }
            }
        }
    }
    dict_keys(o, obj, o.path, sink);
    // The reference's {150} check returns instead of yielding under its observable
    // decorator, so it never reports; concord keeps it for documentation only.
    let _ = hash_length;
}
