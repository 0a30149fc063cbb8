//! Compound property values: external references, hashes dictionaries, dictionaries.

use super::checks::*;
use super::objects::*;
use super::Sink;
use serde_json::{Map, Value};

pub(super) fn external_reference(o: &Obj<'_>, x: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = x.as_object() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{} is not of type 'object'", show(x)),
        );
        return;
    };
    let src = match m.get("source_name") {
        Some(Value::String(s)) => s.as_str(),
        Some(v) => {
            sink.must(
                "json-type",
                o.id,
                format_args!("{p}.source_name"),
                format_args!("source_name: {} is not of type 'string'", show(v)),
            );
            ""
        }
        None => {
            sink.must(
                "required",
                o.id,
                p,
                "'source_name' is a required property of an external reference",
            );
            ""
        }
    };
    let ext_id = m.get("external_id").and_then(Value::as_str);
    let bad = match src {
        "cve" => !ext_id.is_some_and(|e| {
            e.strip_prefix("CVE-")
                .and_then(|r| r.split_once('-'))
                .is_some_and(|(y, n)| {
                    y.len() == 4
                        && y.bytes().all(|c| c.is_ascii_digit())
                        && n.len() >= 4
                        && n.bytes().all(|c| c.is_ascii_digit())
                        && !(n.starts_with('0') && n.len() > 4)
                })
        }),
        "capec" => !ext_id.is_some_and(|e| {
            e.strip_prefix("CAPEC-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
        }),
        _ => {
            !(m.contains_key("description")
                || m.contains_key("url")
                || m.contains_key("external_id"))
                || ext_id.is_some_and(|e| e.starts_with("CVE-") || e.starts_with("CAPEC-"))
        }
    };
    if bad {
        sink.must("external-reference", o.id, p, "If the external reference is a CVE, 'source_name' must be 'cve' and 'external_id' must be in the CVE format (CVE-YYYY-NNNN+). If the external reference is a CAPEC, 'source_name' must be 'capec' and 'external_id' must be in the CAPEC format (CAPEC-N+). Otherwise at least one of 'description', 'url' and 'external_id' must be present.");
    }
    for f in ["description", "external_id"] {
        if let Some(v) = m.get(f).filter(|v| !v.is_string()) {
            sink.must(
                "json-type",
                o.id,
                format_args!("{p}.{f}"),
                format_args!("{f}: {} is not of type 'string'", show(v)),
            );
        }
    }
    if let Some(u) = m.get("url") {
        if !u.as_str().is_some_and(is_uri) {
            sink.must(
                "uri",
                o.id,
                format_args!("{p}.url"),
                format_args!("url: {} is not a 'uri'", show(u)),
            );
        }
        if !m.contains_key("hashes") {
            sink.should(
                "302",
                o.id,
                p,
                "External references with a 'url' should also have 'hashes'.",
            );
        }
    }
    if let Some(h) = m.get("hashes") {
        hashes(o, "hashes", h, &format!("{p}.hashes"), sink);
        // `^MD5|SHA-1|SHA-256|SHA-512|SHA3-256|SHA3-512|SSDEEP|TLSH$`, searched
        for k in h.as_object().into_iter().flat_map(|m| m.keys()) {
            let ok = k.starts_with("MD5")
                || k.ends_with("TLSH")
                || [
                    "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP",
                ]
                .iter()
                .any(|a| k.contains(a));
            if !ok {
                sink.must("hash-key", o.id, format_args!("{p}.hashes.{k}"), format_args!("external reference hash name '{k}' is not one of MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512, SSDEEP, TLSH"));
            }
        }
    }
}

/// A value that must be a non-empty JSON object (dictionaries, hashes, extensions);
/// reports what it is not and returns the map when it is an object.
pub(super) fn object_value<'v>(
    o: &Obj<'_>,
    k: &str,
    v: &'v Value,
    p: &str,
    sink: &mut Sink,
) -> Option<&'v Map<String, Value>> {
    let Some(m) = v.as_object() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{k}: {} is not of type 'object'", show(v)),
        );
        return None;
    };
    if m.is_empty() {
        sink.must(
            "empty-dict",
            o.id,
            p,
            format_args!("{k}: {{}} does not have enough properties"),
        );
    }
    Some(m)
}

pub(super) fn hashes(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = object_value(o, k, v, p, sink) else {
        return;
    };
    for (algo, hv) in m {
        let pa = format!("{p}.{algo}");
        let ok_key = algo.len() >= 3 && algo.len() <= 250 && valid_dict_key(algo);
        if !ok_key {
            sink.must(
                "hash-key",
                o.id,
                &pa,
                format_args!(
                    "hash algorithm name '{algo}' does not match '^[a-zA-Z0-9_-]{{3,250}}$'"
                ),
            );
        }
        match hv.as_str() {
            None => sink.must(
                "json-type",
                o.id,
                &pa,
                format_args!("{algo}: {} is not of type 'string'", show(hv)),
            ),
            Some(s) if !hash_value_ok(algo, s) => sink.must(
                "hash-value",
                o.id,
                &pa,
                format_args!("{algo}: '{s}' is not a valid {algo} hash"),
            ),
            Some(_) => {}
        }
        if !registered_hash(algo) {
            sink.should("241", o.id, &pa, format_args!("Object '{}' has a '{k}' dictionary with a hash of type '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
        }
    }
}

pub(super) fn dict(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = object_value(o, k, v, p, sink) else {
        return;
    };
    for (dk, dv) in m {
        let pk = format!("{p}.{dk}");
        if !valid_dict_key(dk) {
            sink.must(
                "dict-key",
                o.id,
                &pk,
                format_args!(
                    "{k}: '{dk}' does not match any of the regexes: '^[a-zA-Z0-9_-]{{0,250}}$'"
                ),
            );
        }
        no_null_or_empty(o, dv, &pk, sink);
    }
}
