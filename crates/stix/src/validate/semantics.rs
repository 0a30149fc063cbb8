//! Semantic rules the JSON schemas cannot express: timestamp order, co-occurrence rules,
//! relationship suggestions, indicator patterns, marking definitions, SCO specifics.

use super::checks::*;
use super::extensions::sco_custom_prop_should;
use super::formats;
use super::objects::*;
use super::Sink;
use crate::model::{self, Category};
use crate::pattern;
use crate::timestamp::Timestamp;
use serde_json::{Map, Value};

pub(super) fn ts(obj: &Map<String, Value>, k: &str) -> Option<(Timestamp, String)> {
    let s = obj.get(k)?.as_str()?;
    Some((Timestamp::parse(s).ok()?, s.to_string()))
}

pub(super) fn order(
    o: &Obj<'_>,
    obj: &Map<String, Value>,
    early: &str,
    late: &str,
    strict: bool,
    sink: &mut Sink,
) {
    if let (Some((a, sa)), Some((b, sb))) = (ts(obj, early), ts(obj, late)) {
        if b < a || (strict && b == a) {
            let rel = if strict {
                "later than"
            } else {
                "later than or equal to"
            };
            sink.must(
                "timestamp-order",
                o.id,
                format_args!("{}.{late}", o.path),
                format_args!("'{late}' ({sb}) must be {rel} '{early}' ({sa})"),
            );
        }
    }
}

pub(super) fn semantics(o: &Obj<'_>, obj: &Map<String, Value>, cat: Category, sink: &mut Sink) {
    order(o, obj, "created", "modified", false, sink);
    super::observables::selectors_resolve(o, obj, sink);
    if let Some(lang) = obj.get("lang").and_then(Value::as_str) {
        if !is_lang(lang) {
            sink.must(
                "lang",
                o.id,
                format_args!("{}.lang", o.path),
                format_args!("'{lang}' is not a valid RFC 5646 language code."),
            );
        }
    }
    let id = o.id;
    let path = o.path;
    let at = |k: &str| format!("{path}.{k}");
    if matches!(
        o.ty,
        "campaign" | "intrusion-set" | "infrastructure" | "malware" | "threat-actor" | "sighting"
    ) {
        order(o, obj, "first_seen", "last_seen", false, sink);
    }
    match o.ty {
        "indicator" => {
            order(o, obj, "valid_from", "valid_until", true, sink);
            if !obj.contains_key("name") || !obj.contains_key("description") {
                sink.should(
                    "303",
                    id,
                    path,
                    "Both the name and description properties SHOULD be present.",
                );
            }
            if obj.get("pattern_type").and_then(Value::as_str) == Some("stix") {
                if let Some(pat) = obj.get("pattern").and_then(Value::as_str) {
                    indicator_pattern(o, pat, sink);
                }
            }
        }
        "relationship" => {
            order(o, obj, "start_time", "stop_time", true, sink);
            if let Some(rt) = obj.get("relationship_type").and_then(Value::as_str) {
                if !rt
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                    || rt.is_empty()
                {
                    sink.must(
                        "relationship-type",
                        id,
                        at("relationship_type"),
                        format_args!("relationship_type: '{rt}' contains invalid characters"),
                    );
                }
                relationship_should(o, obj, rt, sink);
            }
            for f in ["source_ref", "target_ref"] {
                if let Some(r) = obj.get(f).and_then(Value::as_str) {
                    let t = r.split("--").next().unwrap_or("");
                    if matches!(
                        t,
                        "bundle"
                            | "marking-definition"
                            | "sighting"
                            | "relationship"
                            | "language-content"
                            | "extension-definition"
                    ) {
                        sink.must("ref-type", id, at(f), format_args!("{f}: Relationships cannot link bundles, marking definitions, sightings, or other relationships. This field must contain the id of an SDO."));
                    }
                }
            }
        }
        "sighting" => {
            if let Some(r) = obj.get("sighting_of_ref").and_then(Value::as_str) {
                let t = r.split("--").next().unwrap_or("");
                let c = model::category(t);
                if !matches!(c, Category::Sdo | Category::Custom) {
                    sink.must("ref-type", id, at("sighting_of_ref"), "sighting_of_ref: 'sighting_of_ref' must refer to a STIX Domain Object or Custom Object");
                }
            }
        }
        "observed-data" => {
            order(o, obj, "first_observed", "last_observed", false, sink);
            match (obj.contains_key("objects"), obj.contains_key("object_refs")) {
                (true, true) => sink.must("exclusive", id, path, "'objects' and 'object_refs' cannot both be present"),
                (false, false) => sink.must("required", id, path, "one of 'objects' and 'object_refs' is required"),
                (true, false) => sink.should("304", id, at("objects"), "The 'objects' property of observed-data is deprecated in STIX 2.1; use 'object_refs'."),
                _ => {}
            }
            if let Some(Value::Object(objs)) = obj.get("objects") {
                for (k, v) in objs {
                    if k.is_empty() || !k.bytes().all(|c| c.is_ascii_digit()) {
                        sink.should("141", id, format_args!("{path}.objects.{k}"), format_args!("'{k}' is not a good key value. Observable Objects should use non-negative integers for their keys."));
                    }
                    for req in ["type", "id"] {
                        if v.get(req).is_none() {
                            sink.must(
                                "required",
                                id,
                                format_args!("{path}.objects.{k}"),
                                format_args!("Observable object must contain a '{req}' property."),
                            );
                        }
                    }
                }
            }
            if let Some(refs) = obj.get("object_refs").and_then(Value::as_array) {
                for (i, r) in refs.iter().enumerate() {
                    if let Some(r) = r.as_str() {
                        let t = r.split("--").next().unwrap_or("");
                        if !matches!(
                            model::category(t),
                            Category::Sco | Category::Sro | Category::Custom
                        ) || t == "sighting"
                        {
                            sink.must(
                                "ref-type",
                                id,
                                format_args!("{path}.object_refs[{i}]"),
                                format_args!(
                                    "object_refs[{i}]: '{r}' must refer to an SCO or an SRO"
                                ),
                            );
                        }
                    }
                }
            }
        }
        "location" => {
            let has = |k: &str| obj.contains_key(k);
            if has("latitude") != has("longitude") {
                sink.must(
                    "location",
                    id,
                    path,
                    "'latitude' and 'longitude' must both be present or both absent",
                );
            }
            if has("precision") && !has("latitude") {
                sink.must(
                    "location",
                    id,
                    path,
                    "'precision' requires 'latitude' and 'longitude'",
                );
            }
            if !(has("region") || has("country") || (has("latitude") && has("longitude"))) {
                sink.must(
                    "location",
                    id,
                    path,
                    "a location must have 'region', 'country', or 'latitude' and 'longitude'",
                );
            }
            if let Some(c) = obj.get("country").and_then(Value::as_str) {
                if !model::lists::COUNTRY_CODES.contains(&c.to_uppercase().as_str()) {
                    sink.should("277", id, at("country"), format_args!("Location `country` should be a valid ISO 3166-1 ALPHA-2 Code, not '{c}'."));
                }
            }
        }
        "malware"
            if obj.get("is_family") == Some(&Value::Bool(true)) && !obj.contains_key("name") =>
        {
            sink.must(
                "required",
                id,
                path,
                "'name' is required when 'is_family' is true",
            );
        }
        "malware-analysis" => {
            if !obj.contains_key("result") && !obj.contains_key("analysis_sco_refs") {
                sink.must(
                    "required",
                    id,
                    path,
                    "one of 'result' and 'analysis_sco_refs' is required",
                );
            }
            if let Some(p) = obj.get("product").and_then(Value::as_str) {
                if p.is_empty()
                    || !p
                        .bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                {
                    sink.should("143", id, at("product"), format_args!("The 'product' property '{p}' should be all lowercase with words separated by dash."));
                }
            }
            order(o, obj, "analysis_started", "analysis_ended", false, sink);
        }
        "marking-definition" => marking_definition(o, obj, sink),
        "language-content" => {
            if let Some(r) = obj.get("object_ref").and_then(Value::as_str) {
                if r.starts_with("bundle--") || r.starts_with("language-content--") {
                    sink.must(
                        "ref-type",
                        id,
                        at("object_ref"),
                        "object_ref must not refer to a bundle or a language-content object",
                    );
                }
            }
            if let Some(Value::Object(c)) = obj.get("contents") {
                for (lang, sub) in c {
                    if !is_lang(lang) {
                        sink.must("lang", id, format_args!("{path}.contents.{lang}"), format_args!("Invalid key '{lang}' in 'contents' property must be an RFC 5646 code"));
                    }
                    if let Some(sm) = sub.as_object() {
                        for sk in sm.keys() {
                            if !strict_property_name(sk) {
                                sink.must("property-name", id, format_args!("{path}.contents.{lang}.{sk}"), format_args!("'{sk}' in '{lang}' of the 'contents' property is invalid and must match a valid property name"));
                            }
                        }
                    }
                }
            }
        }
        "extension-definition" => {
            match obj.get("extension_types") {
                Some(Value::Array(a)) if !a.is_empty() => {
                    for (i, t) in a.iter().enumerate() {
                        if !t.as_str().is_some_and(|t| {
                            [
                                "new-sdo",
                                "new-sco",
                                "new-sro",
                                "property-extension",
                                "toplevel-property-extension",
                            ]
                            .contains(&t)
                        }) {
                            sink.must(
                                "enum",
                                id,
                                format_args!("{path}.extension_types[{i}]"),
                                format_args!("{} is not one of the extension types", show(t)),
                            );
                        }
                    }
                    let toplevel = a
                        .iter()
                        .any(|t| t.as_str() == Some("toplevel-property-extension"));
                    if obj.contains_key("extension_properties") && !toplevel {
                        sink.must("extension-properties", id, at("extension_properties"), "'extension_properties' is only allowed when extension_types includes 'toplevel-property-extension'");
                    }
                    if toplevel && !obj.contains_key("extension_properties") {
                        sink.should("306", id, path, "For extensions of the 'toplevel-property-extension' type, the 'extension_properties' property SHOULD include one or more property names.");
                    }
                }
                Some(_) => sink.must(
                    "extension-types",
                    id,
                    at("extension_types"),
                    "'extension_types' must be a non-empty list",
                ),
                None => {}
            }
            if !obj.contains_key("description") {
                sink.should(
                    "305",
                    id,
                    path,
                    "Extension definitions should have a 'description'.",
                );
            }
        }
        _ => {}
    }
    if cat == Category::Sco {
        sco_semantics(o, obj, sink);
        super::observables::sco_rules(o, obj, sink);
    }
}

pub(super) fn relationship_should(
    o: &Obj<'_>,
    obj: &Map<String, Value>,
    rt: &str,
    sink: &mut Sink,
) {
    if model::COMMON_RELATIONSHIPS.contains(&rt) {
        return;
    }
    let src = obj
        .get("source_ref")
        .and_then(Value::as_str)
        .and_then(|s| s.split_once("--"))
        .map(|x| x.0);
    let tgt = obj
        .get("target_ref")
        .and_then(Value::as_str)
        .and_then(|s| s.split_once("--"))
        .map(|x| x.0);
    let (Some(src), Some(tgt)) = (src, tgt) else {
        return;
    };
    const NON_SDOS: &[&str] = &[
        "bundle",
        "language-content",
        "marking-definition",
        "sighting",
        "relationship",
        "extension-definition",
    ];
    if NON_SDOS.contains(&src) || NON_SDOS.contains(&tgt) {
        return;
    }
    if !model::SUGGESTED_RELATIONSHIPS
        .iter()
        .any(|(s, _, _)| *s == src)
    {
        sink.should("202", o.id, format_args!("{}.relationship_type", o.path), format_args!("'{src}' is permitted, but not a suggested relationship source object for the '{rt}' relationship."));
        return;
    }
    let p = format!("{}.relationship_type", o.path);
    let for_src: Vec<_> = model::SUGGESTED_RELATIONSHIPS
        .iter()
        .filter(|(s, r, _)| *s == src && *r == rt)
        .collect();
    if for_src.is_empty() {
        sink.should(
            "202",
            o.id,
            &p,
            format_args!(
                "'{rt}' is permitted, but not a suggested relationship type for '{src}' objects."
            ),
        );
    } else if !for_src.iter().any(|(_, _, ts)| ts.contains(&tgt)) {
        sink.should("202", o.id, &p, format_args!("'{tgt}' is permitted, but not a suggested relationship target object for '{src}' objects with the '{rt}' relationship."));
    }
}

/// `^\-?[a-z0-9]+(-[a-z0-9]+)*\-?$` with 3 to 250 characters (the reference's check of
/// object types named in a pattern).
fn pattern_type_name_ok(t: &str) -> bool {
    let body = t.strip_prefix('-').unwrap_or(t);
    let body = body.strip_suffix('-').unwrap_or(body);
    (3..=250).contains(&t.len())
        && !body.is_empty()
        && body.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `^[a-z0-9_]{3,250}$`
fn pattern_property_name_ok(p: &str) -> bool {
    (3..=250).contains(&p.len())
        && p.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

pub(super) fn indicator_pattern(o: &Obj<'_>, pat: &str, sink: &mut Sink) {
    let p = format!("{}.pattern", o.path);
    let parsed = match pattern::validate(pat) {
        Ok(parsed) => parsed,
        Err(errs) => {
            for e in errs {
                let code = if e.kind == pattern::ErrorKind::Limit {
                    "pattern-limit"
                } else {
                    "pattern"
                };
                sink.must(
                    code,
                    o.id,
                    &p,
                    format_args!("Pattern failed to validate: {e}"),
                );
            }
            return;
        }
    };
    // As the reference's pattern inspector: comparisons (not EXISTS tests), grouped by
    // object type in order of first appearance.
    let mut by_type: Vec<(&str, Vec<&str>)> = Vec::new();
    for l in parsed.leaves() {
        if let pattern::Comparison::Test { path, .. } = l {
            let t = path.object_type.as_str();
            match by_type.iter_mut().find(|(x, _)| *x == t) {
                Some((_, props)) => props.push(path.property.as_str()),
                None => by_type.push((t, vec![path.property.as_str()])),
            }
        }
    }
    let opts = o.opts;
    // The reference checks custom prefixes in patterns (as MUST errors) only when the
    // extensions check is disabled and the prefix checks are not.
    let prefixes = opts.disabled_has("extensions-use")
        && !opts.disabled_has("all")
        && !opts.disabled_has("format-checks");
    let strict_prefix = prefixes && !opts.disabled_has("custom-prefix");
    let lax_prefix = prefixes && !opts.disabled_has("custom-prefix-lax");
    for (t, props) in &by_type {
        let known = model::SCO_TYPES.contains(t);
        if !known {
            if !pattern_type_name_ok(t) {
                sink.must(
                    "pattern",
                    o.id,
                    &p,
                    format_args!(
                        "Pattern failed to validate: '{t}' is not a valid observable type name"
                    ),
                );
            } else if strict_prefix && !custom_prefix_strict(t, "x-", '-') {
                sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: Custom Observable Object type '{t}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name"));
            } else if lax_prefix && !(t.starts_with("x-") && t.len() > 2) {
                sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: Custom Observable Object type '{t}' should start with 'x-'"));
            }
            if opts.strict_types {
                sink.soft(
                    "custom-type",
                    o.id,
                    &p,
                    format_args!(
                        "Pattern failed to validate: '{t}' is not a valid stix observable type"
                    ),
                );
            }
        }
        for prop in props {
            let defined = known && model::sco_property_defined(t, prop);
            if defined {
                continue;
            }
            if !pattern_property_name_ok(prop) {
                sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: '{prop}' is not a valid observable property name"));
            } else if !known {
                continue;
            } else if strict_prefix && !custom_prefix_strict(prop, "x_", '_') {
                sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: Cyber Observable Object custom property '{prop}' should start with 'x_' followed by a source unique identifier (like a domain name with dots replaced by underscores), an underscore and then the name"));
            } else if lax_prefix && !(prop.starts_with("x_") && prop.len() > 2) {
                sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: Cyber Observable Object custom property '{prop}' should start with 'x_'"));
            }
            if known && opts.strict_properties {
                sink.soft("custom-property", o.id, &p, format_args!("Pattern failed to validate: '{prop}' is not a valid property for '{t}' objects"));
            }
        }
    }
}

/// `^x-.+-.+$` (`prefix` "x-", `sep` '-') or `^x_.+_.+$` (`prefix` "x_", `sep` '_').
pub(super) fn custom_prefix_strict(k: &str, prefix: &str, sep: char) -> bool {
    k.strip_prefix(prefix).is_some_and(|r| {
        r.char_indices()
            .any(|(i, c)| c == sep && i > 0 && i + 1 < r.len())
    })
}

pub(super) fn marking_definition(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let id = o.id.unwrap_or("");
    let dt = obj.get("definition_type").and_then(Value::as_str);
    if let Some(d) = dt.filter(|d| !py_lower_word(d)) {
        sink.should("111", o.id, format_args!("{}.definition_type", o.path), format_args!("Open vocabulary value '{d}' should be all lowercase and use hyphens instead of spaces or underscores as word separators."));
    }
    let tlp1 = model::TLP1.iter().find(|(t, _)| *t == id);
    if let (Some((_, word)), Some("tlp")) = (tlp1, dt) {
        let want_name = format!("TLP:{}", word.to_uppercase());
        let ok = dt == Some("tlp")
            && obj.get("created").and_then(Value::as_str) == Some("2017-01-20T00:00:00.000Z")
            && obj.get("name").and_then(Value::as_str) == Some(want_name.as_str())
            && obj
                .get("definition")
                .and_then(|d| d.get("tlp"))
                .and_then(Value::as_str)
                == Some(word)
            && obj
                .get("definition")
                .and_then(Value::as_object)
                .is_some_and(|d| d.len() == 1)
            && obj.keys().all(|k| {
                [
                    "type",
                    "id",
                    "spec_version",
                    "created",
                    "name",
                    "definition",
                    "definition_type",
                ]
                .contains(&k.as_str())
            });
        if !ok {
            sink.must("tlp", o.id, o.path, "TLP marking definitions must match one of those defined in the STIX specification.");
        }
    } else if dt == Some("tlp") {
        sink.must(
            "tlp",
            o.id,
            o.path,
            "TLP marking definitions must match one of those defined in the STIX specification.",
        );
    }
    let has_ext = obj.contains_key("extensions");
    match (dt, obj.get("definition")) {
        (Some("statement"), Some(d)) => {
            if !d.get("statement").is_some_and(Value::is_string) {
                sink.must(
                    "marking",
                    o.id,
                    format_args!("{}.definition", o.path),
                    "a statement marking's definition must have a 'statement' string",
                );
            }
        }
        (Some("tlp"), Some(_)) => {}
        (Some(other), Some(_)) => {
            sink.should("201", o.id, format_args!("{}.definition_type", o.path), format_args!("Marking definition `definition_type` should be one of: statement, tlp (not '{other}')."));
            sink.should(
                "401",
                o.id,
                o.path,
                "Custom marking definitions should be specified using the 'extensions' property.",
            );
        }
        (None, None) if has_ext => {}
        _ => {
            sink.must("marking", o.id, o.path, "marking definitions must use the 'definition_type' and 'definition' properties with a valid marking definition, or use an extension and the properties it requires");
            if dt.is_some_and(|d| d != "tlp" && d != "statement") || dt.is_none() {
                sink.should("401", o.id, o.path, "Custom marking definitions should be specified using the 'extensions' property.");
            }
        }
    }
    for (k, label) in [
        ("object_marking_refs", "`object_marking_refs`"),
        ("granular_markings", "`granular_markings`"),
    ] {
        let refs: Vec<&str> = match obj.get(k) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| {
                    if k == "granular_markings" {
                        x.get("marking_ref").and_then(Value::as_str)
                    } else {
                        x.as_str()
                    }
                })
                .collect(),
            _ => vec![],
        };
        if refs.contains(&id) {
            sink.must("circular-ref", o.id, format_args!("{}.{k}", o.path), format_args!("{label} cannot contain any references to this marking definition object (no circular references)."));
        }
    }
}

pub(super) fn sco_semantics(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let id = o.id;
    let path = o.path;
    let at = |k: &str| format!("{path}.{k}");
    let s = |k: &str| obj.get(k).and_then(Value::as_str);
    match o.ty {
        "artifact" => {
            if obj.contains_key("payload_bin") == obj.contains_key("url") {
                sink.must(
                    "exclusive",
                    id,
                    path,
                    "'artifact' object must contain either 'payload_bin' or 'url' but not both",
                );
            }
            if obj.contains_key("decryption_key") && !obj.contains_key("encryption_algorithm") {
                sink.must(
                    "required",
                    id,
                    path,
                    "'decryption_key' requires 'encryption_algorithm'",
                );
            }
            if obj.contains_key("url") && !obj.contains_key("hashes") {
                sink.must(
                    "required",
                    id,
                    path,
                    "'hashes' is required when 'url' is present",
                );
            }
            if let Some(m) = s("mime_type").filter(|m| !formats::mime_type(m)) {
                sink.must("value-format", id, at("mime_type"), format_args!("The 'mime_type' property of object '{}' ('{m}') must be an IANA registered MIME Type of the form 'type/subtype'.", id.unwrap_or("?")));
            }
        }
        "file" => {
            if !obj.contains_key("hashes") && !obj.contains_key("name") {
                sink.must("required", id, path, "a file must have 'hashes' or 'name'");
            }
            if let Some(m) = s("mime_type") {
                mime_should(o, m, "mime_type", sink);
            }
            if let Some(e) = s("name_enc") {
                encoding_format(o, e, "name_enc", sink);
                if !is_charset(e) {
                    sink.must("charset", id, at("name_enc"), format_args!("The 'name_enc' property of object '{}' ('{e}') must be an IANA registered character set.", id.unwrap_or("?")));
                }
            }
        }
        "directory" => {
            if let Some(e) = s("path_enc") {
                encoding_format(o, e, "path_enc", sink);
                if !is_charset(e) {
                    sink.must("charset", id, at("path_enc"), format_args!("The 'path_enc' property of object '{}' ('{e}') must be an IANA registered character set.", id.unwrap_or("?")));
                }
            }
        }
        "ipv4-addr" => {
            if let Some(v) = s("value").filter(|v| !formats::ipv4(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a valid IPv4 address or CIDR block"),
                );
            }
        }
        "ipv6-addr" => {
            if let Some(v) = s("value").filter(|v| !formats::ipv6(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a valid IPv6 address or CIDR block"),
                );
            }
        }
        "mac-addr" => {
            if let Some(v) = s("value").filter(|v| !formats::mac(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a lowercase colon-separated MAC address"),
                );
            }
        }
        "email-addr" => {
            if let Some(v) = s("value").filter(|v| !formats::email(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not an email address"),
                );
            }
        }
        "email-message" => match obj.get("is_multipart") {
            Some(Value::Bool(true)) if obj.contains_key("body") => sink.must(
                "exclusive",
                id,
                path,
                "'body' must not be present when 'is_multipart' is true",
            ),
            Some(Value::Bool(false)) if obj.contains_key("body_multipart") => sink.must(
                "exclusive",
                id,
                path,
                "'body_multipart' must not be present when 'is_multipart' is false",
            ),
            _ => {}
        },
        "network-traffic" => {
            if !obj.contains_key("src_ref") && !obj.contains_key("dst_ref") {
                sink.must(
                    "required",
                    id,
                    path,
                    "'network-traffic' objects must contain at least one of 'src_ref' or 'dst_ref'",
                );
            }
            if obj.get("is_active") == Some(&Value::Bool(true)) && obj.contains_key("end") {
                sink.must("exclusive", id, path, "If the 'is_active' property is true, then the 'end' property must not be included.");
            }
            order(o, obj, "start", "end", false, sink);
            if !(obj.contains_key("src_port") && obj.contains_key("dst_port")) {
                sink.should("301", id, path, format_args!("The Network Traffic object '{}' should contain both the 'src_port' and 'dst_port' properties.", id.unwrap_or("?")));
            }
            if let Some(Value::Object(ip)) = obj.get("ipfix") {
                for k in ip.keys() {
                    let b = k.as_bytes();
                    let camel =
                        b.len() >= 2 && b[0].is_ascii_lowercase() && b[1].is_ascii_alphanumeric();
                    if !camel {
                        sink.should("273", id, at("ipfix"), format_args!("The 'ipfix' property of object '{}' contains a key ('{k}') not in IANA IP Flow Information Export (IPFIX) Entities Registry.", id.unwrap_or("?")));
                    }
                }
            }
            if let Some(Value::Array(ps)) = obj.get("protocols") {
                for pr in ps.iter().filter_map(Value::as_str) {
                    if !((1..=15).contains(&pr.len())
                        && pr.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
                    {
                        sink.should("272", id, at("protocols"), format_args!("The 'protocols' property of object '{}' contains a protocol ('{pr}') not in lowercase IANA Service Name and Transport Protocol Port Number Registry form.", id.unwrap_or("?")));
                    }
                }
            }
        }
        "domain-name" => {
            if let Some(v) = s("value").filter(|v| !formats::idn_hostname(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a 'idn-hostname'"),
                );
            }
        }
        "windows-registry-key" if s("key").is_some_and(formats::registry_key_abbreviated) => {
            sink.must("value-format", id, at("key"), format_args!("key: '{}' uses an abbreviated hive name (HKLM, HKCU, ...); use the full name (HKEY_LOCAL_MACHINE, ...)", s("key").unwrap_or("")));
        }
        "software" => {
            if let Some(c) = s("cpe").filter(|c| !formats::cpe(c)) {
                sink.must(
                    "value-format",
                    id,
                    at("cpe"),
                    format_args!("Provided CPE value '{c}' is not CPE v2.3 compliant."),
                );
            }
            if let Some(Value::Array(ls)) = obj.get("languages") {
                for l in ls.iter().filter_map(Value::as_str) {
                    if !formats::software_language(l) {
                        sink.must("lang", id, at("languages"), format_args!("languages: '{l}' does not match the language tag pattern of the schema"));
                    }
                    if !(model::lists::LANG_CODES.contains(&l)
                        || model::lists::SOFTWARE_LANG_CODES.contains(&l))
                    {
                        sink.must("lang", id, at("languages"), format_args!("The 'languages' property of object '{}' contains an invalid language code ('{l}'). Expected RFC 5646 language code.", id.unwrap_or("?")));
                    }
                }
            }
        }
        "user-account" => {
            if let Some(t) = s("account_type") {
                if !model::vocabulary("account-type").contains(&t) {
                    sink.should("244", id, at("account_type"), format_args!("Object '{}' is a User Account Object with an 'account_type' of '{t}', which is not a value in the account-type-ov vocabulary.", id.unwrap_or("?")));
                }
            }
        }
        "x509-certificate" => {
            if let Some(Value::Object(ext)) = obj.get("x509_v3_extensions") {
                for k in ext.keys() {
                    if !X509_V3_KEYS.contains(&k.as_str()) {
                        let pk = format!("{path}.x509_v3_extensions.{k}");
                        if o.opts.strict_properties {
                            sink.soft("custom-property", id, &pk, format_args!("Property '{k}' is not one of those defined in the specification for the x509_v3_extensions property in x509-certificate objects."));
                        }
                        sco_custom_prop_should(
                            o,
                            k,
                            "in the x509_v3_extensions property of x509-certificate object",
                            &pk,
                            sink,
                        );
                    }
                }
            }
        }
        "windows-registry-key" => {
            if let Some(Value::Array(vals)) = obj.get("values") {
                for (i, v) in vals.iter().enumerate() {
                    if let Some(m) = v.as_object() {
                        for k in m.keys() {
                            if !["name", "data", "data_type"].contains(&k.as_str()) {
                                let pk = format!("{path}.values[{i}].{k}");
                                if o.opts.strict_properties {
                                    sink.soft("custom-property", id, &pk, format_args!("Property '{k}' in the values property is not one of those defined in the specification."));
                                }
                                sco_custom_prop_should(o, k, "in the values property", &pk, sink);
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// `path_enc` / `name_enc`: the schema's pattern.
fn encoding_format(o: &Obj<'_>, e: &str, k: &str, sink: &mut Sink) {
    if !formats::encoding_name(e) {
        sink.must(
            "charset",
            o.id,
            format_args!("{}.{k}", o.path),
            format_args!("{k}: '{e}' does not match '^[a-zA-Z0-9/\\.+_:-]{{2,250}}$'"),
        );
    }
}

pub(super) fn mime_should(o: &Obj<'_>, m: &str, k: &str, sink: &mut Sink) {
    if !formats::mime_type(m) {
        sink.should("271", o.id, format_args!("{}.{k}", o.path), format_args!("The '{k}' property of object '{}' ('{m}') should be an IANA registered MIME Type of the form 'type/subtype'.", o.id.unwrap_or("?")));
    }
}
