//! Per-object checks: common properties, the type's property table, and the semantic
//! rules the JSON schemas cannot express.

use super::checks::*;
use super::{Options, Sink};
use crate::model::{self, Category, Prop, Ty};
use crate::pattern;
use crate::timestamp::Timestamp;
use serde_json::{Map, Value};

const X509_V3_KEYS: &[&str] = &[
    "basic_constraints",
    "name_constraints",
    "policy_constraints",
    "key_usage",
    "extended_key_usage",
    "subject_key_identifier",
    "authority_key_identifier",
    "subject_alternative_name",
    "issuer_alternative_name",
    "subject_directory_attributes",
    "crl_distribution_points",
    "inhibit_any_policy",
    "private_key_usage_period_not_before",
    "private_key_usage_period_not_after",
    "certificate_policies",
    "policy_mappings",
];

const RESERVED: &[&str] = &["severity", "action", "username", "phone_numbers"];

struct Obj<'a> {
    id: Option<&'a str>,
    ty: &'a str,
    path: &'a str,
    opts: &'a Options,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 80 {
        format!(
            "{}...",
            &s[..s.char_indices().nth(77).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}

/// The bundle envelope: type, id, no other properties in STIX 2.1.
pub(crate) fn check_bundle_envelope(env: &Map<String, Value>, opts: &Options, sink: &mut Sink) {
    let id = env.get("id").and_then(Value::as_str);
    match env.get("id") {
        None => sink.must("required", None, "$", "the bundle has no 'id' property"),
        Some(Value::String(s)) => {
            if !s.starts_with("bundle--") || parse_identifier(s).is_none() {
                sink.must(
                    "id-format",
                    id,
                    "$.id",
                    format_args!("'{s}' is not a bundle identifier (bundle--UUID)"),
                );
            }
        }
        Some(v) => sink.must(
            "json-type",
            None,
            "$.id",
            format_args!("{} is not of type 'string'", show(v)),
        ),
    }
    for (k, _) in env {
        if !matches!(k.as_str(), "type" | "id" | "objects" | "spec_version") {
            if opts.strict_properties {
                sink.must(
                    "custom-property",
                    id,
                    format_args!("$.{k}"),
                    format_args!(
                        "Property '{k}' is not one of those defined in the specification."
                    ),
                );
            }
            custom_property_should(
                &Obj {
                    id,
                    ty: "bundle",
                    path: "$",
                    opts,
                },
                k,
                sink,
            );
        }
    }
    let _ = opts;
}

fn custom_property_should(o: &Obj<'_>, k: &str, sink: &mut Sink) {
    let p = format_args!("{}.{k}", o.path);
    sink.should(
        "401",
        o.id,
        p,
        format_args!("Custom property '{k}' should be implemented using an extension with an 'extension_type' of 'property-extension' or 'toplevel-property-extension'."),
    );
    if !(k.starts_with("x_") && k[2..].contains('_')) {
        sink.should("101", o.id, p, format_args!("Custom property '{k}' should have a type that starts with 'x_' followed by a source unique identifier (like a domain name with dots replaced by underscores), an underscore and then the name."));
    }
    if !k.starts_with("x_") {
        sink.should("102", o.id, p, format_args!("Custom property '{k}' should have a type that starts with 'x_' in order to be compatible with future versions of the STIX 2 specification."));
    }
}

/// Extension types declared by an object's `extensions` (extension-definition entries).
fn declared_extension_types(obj: &Map<String, Value>) -> Vec<&str> {
    obj.get("extensions")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.starts_with("extension-definition--"))
                .filter_map(|(_, v)| v.get("extension_type").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// Check one STIX object.
///
/// `in_bundle`: the object sits in a bundle, so a missing `spec_version` is taken as 2.1
/// (as the reference validator does) with a warning instead of an error.
pub(crate) fn check_object(
    value: &Value,
    path: &str,
    opts: &Options,
    sink: &mut Sink,
    in_bundle: bool,
) {
    let Some(obj) = value.as_object() else {
        sink.must(
            "json-type",
            None,
            path,
            format_args!(
                "a STIX object must be a JSON object, not {}",
                json_kind(value)
            ),
        );
        return;
    };
    let id = obj.get("id").and_then(Value::as_str);
    let Some(ty_v) = obj.get("type") else {
        sink.must("required", id, path, "'type' is a required property");
        return;
    };
    let Some(ty) = ty_v.as_str() else {
        sink.must(
            "json-type",
            id,
            format_args!("{path}.type"),
            format_args!("{} is not of type 'string'", show(ty_v)),
        );
        return;
    };
    let o = Obj { id, ty, path, opts };
    if !valid_type_name(ty) {
        sink.must("type-format", id, format_args!("{path}.type"), format_args!("type: '{ty}' does not match the 'type' field format (lowercase ASCII a-z, 0-9, and hyphens only - and no two hyphens in a row)"));
    }
    match obj.get("id") {
        None => sink.must(
            "required",
            None,
            path,
            format_args!("'id' is a required property ({ty} object)"),
        ),
        Some(Value::String(s)) => match parse_identifier(s) {
            None => sink.must(
                "id-format",
                id,
                format_args!("{path}.id"),
                format_args!("id: '{s}' does not match the id format ([object-type]--[UUID])"),
            ),
            Some((prefix, version)) => {
                if prefix != ty {
                    sink.must(
                        "id-format",
                        id,
                        format_args!("{path}.id"),
                        format_args!("id: '{s}' does not start with '{ty}--'"),
                    );
                }
                let cat = model::category(ty);
                if ty == "process" && version != 4 {
                    sink.must(
                        "uuid-version",
                        id,
                        format_args!("{path}.id"),
                        "A process object must use UUIDv4 for its id",
                    );
                } else if cat == Category::Sco && version != 5 && version != 4 {
                    sink.should(
                        "103",
                        id,
                        format_args!("{path}.id"),
                        format_args!("Given ID value {s} is not a valid UUIDv5 ID."),
                    );
                } else if cat != Category::Sco
                    && version != 4
                    && !(ty == "marking-definition" && is_predefined_tlp(s))
                {
                    sink.should(
                        "103",
                        id,
                        format_args!("{path}.id"),
                        format_args!("Given ID value {s} is not a valid UUIDv4 ID."),
                    );
                }
            }
        },
        Some(v) => sink.must(
            "json-type",
            None,
            format_args!("{path}.id"),
            format_args!("{} is not of type 'string'", show(v)),
        ),
    }

    let mut cat = model::category(ty);
    let declared = declared_extension_types(obj);
    if cat == Category::Custom {
        if opts.strict_types {
            sink.must(
                "custom-type",
                id,
                format_args!("{path}.type"),
                format_args!(
                    "Object type '{ty}' is not one of those defined in the specification."
                ),
            );
        }
        if declared.contains(&"new-sco") {
            cat = Category::Sco;
        } else if !declared.iter().any(|t| matches!(*t, "new-sdo" | "new-sro")) {
            sink.should("401", id, format_args!("{path}.type"), format_args!("Custom object type '{ty}' should be implemented using an extension with an 'extension_type' of 'new-sdo', 'new-sco', or 'new-sro'."));
            if !(ty.starts_with("x-") && ty[2..].contains('-')) {
                sink.should("101", id, format_args!("{path}.type"), format_args!("Custom object type '{ty}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name."));
            }
            if !ty.starts_with("x-") {
                sink.should("102", id, format_args!("{path}.type"), format_args!("Custom object type '{ty}' should start with 'x-' in order to be compatible with future versions of the STIX 2 specification."));
            }
        }
    }
    if cat == Category::Bundle {
        sink.must(
            "nested-bundle",
            id,
            path,
            "a bundle cannot be an object of a bundle",
        );
        return;
    }

    let (common, specific): (&[Prop], &[Prop]) = match cat {
        Category::Sdo | Category::Sro => {
            (model::COMMON_SDO, model::specific_props(ty).unwrap_or(&[]))
        }
        Category::Sco => (model::COMMON_SCO, model::specific_props(ty).unwrap_or(&[])),
        Category::Meta => (model::meta_props(ty).unwrap_or(&[]), &[]),
        Category::Custom | Category::Bundle => (model::COMMON_SDO, &[]),
    };
    for prop in common.iter().chain(specific) {
        if prop.required && !obj.contains_key(prop.name) {
            if prop.name == "spec_version" && in_bundle {
                sink.notes.push(super::Finding {
                    code: "implied-spec-version".into(),
                    id: id.map(String::from),
                    path: path.into(),
                    message: "'spec_version' is missing; taken as 2.1 from the bundle (STIX 2.1 requires it on every SDO and SRO)".into(),
                });
                continue;
            }
            sink.must(
                "required",
                id,
                path,
                format_args!("'{}' is a required property", prop.name),
            );
        }
    }
    let toplevel_ext = declared.contains(&"toplevel-property-extension");
    let is_custom_type = model::category(ty) == Category::Custom;
    let mut p = String::with_capacity(path.len() + 32);
    for (k, v) in obj {
        p.clear();
        p.push_str(path);
        p.push('.');
        p.push_str(k);
        if let Some(prop) = common.iter().chain(specific).find(|pr| pr.name == k) {
            if k == "type" {
                continue;
            }
            let millis = matches!(k.as_str(), "created" | "modified")
                && matches!(cat, Category::Sdo | Category::Sro | Category::Custom)
                || (matches!(k.as_str(), "created" | "modified")
                    && matches!(ty, "language-content" | "extension-definition"));
            check_value(&o, prop.ty, k, v, &p, millis, sink);
            continue;
        }
        if RESERVED.contains(&k.as_str()) && cat != Category::Meta {
            sink.must("reserved-property", id, &p, format_args!("Contains a reserved property ('{k}'); 'severity', 'action', 'username' and 'phone_numbers' are reserved"));
            continue;
        }
        generic_custom_value(&o, k, v, &p, sink);
        if is_custom_type {
            continue;
        }
        if opts.strict_properties {
            let for_sco = if cat == Category::Sco {
                format!(" for {ty} objects")
            } else {
                String::new()
            };
            sink.must(
                "custom-property",
                id,
                &p,
                format_args!(
                    "Property '{k}' is not one of those defined in the specification{for_sco}."
                ),
            );
        }
        if toplevel_ext {
            continue;
        }
        if ty == "marking-definition" {
            continue;
        }
        custom_property_should(&o, k, sink);
    }
    semantics(&o, obj, cat, sink);
}

fn is_predefined_tlp(id: &str) -> bool {
    model::TLP1.iter().chain(model::TLP2).any(|(t, _)| *t == id)
}

/// Rules for a property the specification does not define.
fn generic_custom_value(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    if !valid_property_name(k) {
        sink.must("property-name", o.id, p, format_args!("'{k}' does not match any of the regexes: '^([a-z][a-z0-9_]{{2,249}})|id$', '^[a-z][a-z0-9_]{{0,245}}_bin$', '^[a-z][a-z0-9_]{{0,245}}_hex$'"));
        return;
    }
    if k.ends_with("_bin") && !v.as_str().is_some_and(is_base64) {
        sink.must(
            "binary",
            o.id,
            p,
            format_args!("{k}: {} must be a base64-encoded string", show(v)),
        );
    } else if k.ends_with("_hex") && !v.as_str().is_some_and(is_hex) {
        sink.must(
            "hex",
            o.id,
            p,
            format_args!("{k}: {} must be a hex-encoded string", show(v)),
        );
    } else {
        no_null_or_empty(o, v, p, sink);
    }
}

fn no_null_or_empty(o: &Obj<'_>, v: &Value, p: &str, sink: &mut Sink) {
    match v {
        Value::Null => sink.must(
            "null-value",
            o.id,
            p,
            "null is not a valid property value (omit the property instead)",
        ),
        Value::Array(a) if a.is_empty() => sink.must(
            "empty-list",
            o.id,
            p,
            "[] is too short: lists must have at least one item (omit the property instead)",
        ),
        _ => {}
    }
}

fn check_ref(o: &Obj<'_>, s: &str, targets: &[&str], p: &str, sink: &mut Sink) {
    // SCO schemas only check the type prefix of references; SDO/SRO schemas the full identifier.
    let parsed = if model::category(o.ty) == Category::Sco {
        s.split_once("--")
            .filter(|(t, u)| valid_type_name(t) && !u.is_empty())
            .map(|(t, _)| (t, 0))
    } else {
        parse_identifier(s)
    };
    match parsed {
        None => sink.must(
            "id-format",
            o.id,
            p,
            format_args!("'{s}' does not match the id format ([object-type]--[UUID])"),
        ),
        Some((t, _)) => {
            if !targets.is_empty() && !targets.contains(&t) {
                sink.must(
                    "ref-type",
                    o.id,
                    p,
                    format_args!(
                        "'{s}' must refer to an object of type {}",
                        targets.join(" or ")
                    ),
                );
            }
        }
    }
}

fn check_vocab(
    o: &Obj<'_>,
    vocab: &'static str,
    prop: &str,
    s: &str,
    p: impl std::fmt::Display + Copy,
    sink: &mut Sink,
) {
    if !vocab_format(s) {
        sink.should("111", o.id, p, format_args!("Open vocabulary value '{s}' should be all lowercase and use hyphens instead of spaces or underscores as word separators."));
    }
    if !model::vocabulary(vocab).contains(&s) {
        sink.should(model::vocabulary_code(vocab), o.id, p, format_args!("The value contained in {prop} is permitted, but is not in the {vocab}-ov vocabulary."));
    }
}

fn check_value(o: &Obj<'_>, ty: Ty, k: &str, v: &Value, p: &str, millis: bool, sink: &mut Sink) {
    let type_err = |sink: &mut Sink, want: &str| {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{k}: {} is not of type '{want}'", show(v)),
        )
    };
    let list = |sink: &mut Sink| -> Option<&Vec<Value>> {
        match v.as_array() {
            None => {
                sink.must(
                    "json-type",
                    o.id,
                    p,
                    format_args!("{k}: {} is not of type 'array'", show(v)),
                );
                None
            }
            Some(a) if a.is_empty() => {
                sink.must(
                    "empty-list",
                    o.id,
                    p,
                    format_args!("{k}: [] is too short: lists must have at least one item"),
                );
                None
            }
            Some(a) => Some(a),
        }
    };
    match ty {
        Ty::Str => {
            if !v.is_string() {
                type_err(sink, "string");
            }
        }
        Ty::OpenVocab(vocab) => match v.as_str() {
            Some(s) => check_vocab(o, vocab, k, s, p, sink),
            None => type_err(sink, "string"),
        },
        Ty::OpenVocabList(vocab) => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    match x.as_str() {
                        Some(s) => check_vocab(o, vocab, k, s, &format!("{p}[{i}]"), sink),
                        None => sink.must(
                            "json-type",
                            o.id,
                            format_args!("{p}[{i}]"),
                            format_args!("{k}[{i}]: {} is not of type 'string'", show(x)),
                        ),
                    }
                }
            }
        }
        Ty::Enum(words) => match v.as_str() {
            Some(s) if words.contains(&s) => {}
            Some(s) => sink.must(
                "enum",
                o.id,
                p,
                format_args!("{k}: '{s}' is not one of {words:?}"),
            ),
            None => type_err(sink, "string"),
        },
        Ty::StrList => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    if !x.is_string() {
                        sink.must(
                            "json-type",
                            o.id,
                            format_args!("{p}[{i}]"),
                            format_args!("{k}[{i}]: {} is not of type 'string'", show(x)),
                        );
                    }
                }
            }
        }
        Ty::Bool => {
            if !v.is_boolean() {
                type_err(sink, "boolean");
            }
        }
        Ty::Int => {
            if !(v.is_i64() || v.is_u64()) {
                type_err(sink, "integer");
            }
        }
        Ty::IntRange(lo, hi) => match v.as_i64() {
            Some(n) if n < lo => sink.must(
                "range",
                o.id,
                p,
                format_args!("{k}: {n} is less than the minimum of {lo}"),
            ),
            Some(n) if n > hi => sink.must(
                "range",
                o.id,
                p,
                format_args!("{k}: {n} is greater than the maximum of {hi}"),
            ),
            Some(_) => {}
            None if v.is_u64() => sink.must(
                "range",
                o.id,
                p,
                format_args!("{k}: {} is greater than the maximum of {hi}", show(v)),
            ),
            None => type_err(sink, "integer"),
        },
        Ty::Float => {
            if !v.is_number() {
                type_err(sink, "number");
            }
        }
        Ty::FloatRange(lo, hi) => match v.as_f64() {
            Some(n) if n < lo || n > hi => sink.must(
                "range",
                o.id,
                p,
                format_args!("{k}: {n} is out of range [{lo}, {hi}]"),
            ),
            Some(_) => {}
            None => type_err(sink, "number"),
        },
        Ty::Timestamp => match v.as_str() {
            Some(s) => {
                if let Some(msg) = timestamp_problem(s, millis) {
                    sink.must("timestamp", o.id, p, format_args!("{k}: {msg}"));
                }
            }
            None => type_err(sink, "string"),
        },
        Ty::Ref(targets) => match v.as_str() {
            Some(s) => check_ref(o, s, targets, p, sink),
            None => type_err(sink, "string"),
        },
        Ty::RefList(targets) => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    match x.as_str() {
                        Some(s) => check_ref(o, s, targets, &format!("{p}[{i}]"), sink),
                        None => sink.must(
                            "json-type",
                            o.id,
                            format_args!("{p}[{i}]"),
                            format_args!("{k}[{i}]: {} is not of type 'string'", show(x)),
                        ),
                    }
                }
            }
        }
        Ty::KillChainPhases => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    let pi = format!("{p}[{i}]");
                    for f in ["kill_chain_name", "phase_name"] {
                        match x.get(f) {
                            Some(Value::String(s)) => {
                                if !s.bytes().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'
                                }) {
                                    sink.should("121", o.id, format_args!("{pi}.{f}"), format_args!("{f} '{s}' should be all lowercase and use hyphens instead of spaces or underscores as word separators."));
                                }
                            }
                            Some(other) => sink.must(
                                "json-type",
                                o.id,
                                format_args!("{pi}.{f}"),
                                format_args!("{f}: {} is not of type 'string'", show(other)),
                            ),
                            None => sink.must(
                                "required",
                                o.id,
                                &pi,
                                format_args!("'{f}' is a required property of a kill chain phase"),
                            ),
                        }
                    }
                }
            }
        }
        Ty::ExternalReferences => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    external_reference(o, x, &format!("{p}[{i}]"), sink);
                }
            }
        }
        Ty::GranularMarkings => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    let pi = format!("{p}[{i}]");
                    let Some(m) = x.as_object() else {
                        sink.must(
                            "json-type",
                            o.id,
                            &pi,
                            "a granular marking must be an object",
                        );
                        continue;
                    };
                    match m.get("selectors").and_then(Value::as_array) {
                        Some(s) if !s.is_empty() && s.iter().all(Value::is_string) => {}
                        _ => sink.must("required", o.id, &pi, "'selectors' is a required property of a granular marking (a non-empty list of strings)"),
                    }
                    match (m.get("marking_ref"), m.get("lang")) {
                        (Some(Value::String(r)), None) => {
                            if !r.starts_with("marking-definition--")
                                || parse_identifier(r).is_none()
                            {
                                sink.must(
                                    "ref-type",
                                    o.id,
                                    format_args!("{pi}.marking_ref"),
                                    format_args!(
                                        "marking_ref: '{r}' does not match '^marking-definition--'"
                                    ),
                                );
                            }
                        }
                        (None, Some(Value::String(_))) => {}
                        _ => sink.must(
                            "granular-marking",
                            o.id,
                            &pi,
                            "a granular marking must have exactly one of 'marking_ref' and 'lang'",
                        ),
                    }
                }
            }
        }
        Ty::Hashes => hashes(o, k, v, p, sink),
        Ty::Dict => dict(o, k, v, p, sink),
        Ty::Extensions => extensions(o, v, p, sink),
        Ty::Uri => match v.as_str() {
            Some(s) if is_uri(s) => {}
            Some(s) => sink.must("uri", o.id, p, format_args!("{k}: '{s}' is not a 'uri'")),
            None => type_err(sink, "string"),
        },
        Ty::Binary => match v.as_str() {
            Some(s) if is_base64(s) => {}
            _ => sink.must(
                "binary",
                o.id,
                p,
                format_args!("{k}: {} must be a base64-encoded string", show(v)),
            ),
        },
        Ty::Hex => match v.as_str() {
            Some(s) if is_hex(s) => {}
            _ => sink.must(
                "hex",
                o.id,
                p,
                format_args!("{k}: {} must be a hex-encoded string", show(v)),
            ),
        },
        Ty::ObjList => {
            if let Some(a) = list(sink) {
                for (i, x) in a.iter().enumerate() {
                    if !x.is_object() {
                        sink.must(
                            "json-type",
                            o.id,
                            format_args!("{p}[{i}]"),
                            format_args!("{k}[{i}]: {} is not of type 'object'", show(x)),
                        );
                    }
                }
            }
        }
        Ty::Any => {}
    }
}

fn external_reference(o: &Obj<'_>, x: &Value, p: &str, sink: &mut Sink) {
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
    }
}

fn hashes(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = v.as_object() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{k}: {} is not of type 'object'", show(v)),
        );
        return;
    };
    if m.is_empty() {
        sink.must(
            "empty-dict",
            o.id,
            p,
            format_args!("{k}: {{}} does not have enough properties"),
        );
    }
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
        if !model::vocabulary("hash-algo").contains(&algo.as_str()) && !algo.starts_with("x_") {
            sink.should("241", o.id, &pa, format_args!("Object '{}' has a '{k}' dictionary with a hash of type '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
        }
    }
}

fn dict(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = v.as_object() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("{k}: {} is not of type 'object'", show(v)),
        );
        return;
    };
    if m.is_empty() {
        sink.must(
            "empty-dict",
            o.id,
            p,
            format_args!("{k}: {{}} does not have enough properties"),
        );
    }
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

fn ext_name_ok(k: &str) -> bool {
    k.strip_suffix("-ext").is_some_and(|b| {
        !b.is_empty()
            && valid_type_name(&format!("{b}xx"))
            && b.as_bytes()[0].is_ascii_lowercase()
            && !b.ends_with('-')
    })
}

fn extensions(o: &Obj<'_>, v: &Value, p: &str, sink: &mut Sink) {
    let Some(m) = v.as_object() else {
        sink.must(
            "json-type",
            o.id,
            p,
            format_args!("extensions: {} is not of type 'object'", show(v)),
        );
        return;
    };
    if m.is_empty() {
        sink.must(
            "empty-dict",
            o.id,
            p,
            "extensions: {} does not have enough properties",
        );
    }
    let is_sco = model::category(o.ty) == Category::Sco;
    for (name, ev) in m {
        let pe = format!("{p}.{name}");
        if let Some(uuid) = name.strip_prefix("extension-definition--") {
            if uuid_version(uuid).is_none() {
                sink.must(
                    "extension-name",
                    o.id,
                    &pe,
                    format_args!(
                        "extensions: '{name}' is not a valid extension-definition identifier"
                    ),
                );
            }
            match ev.get("extension_type") {
                None => sink.must("required", o.id, &pe, "'extension_type' is a required property"),
                Some(Value::String(t)) if ["new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"].contains(&t.as_str()) => {}
                Some(Value::String(t)) => sink.must("enum", o.id, format_args!("{pe}.extension_type"), format_args!("extension_type: '{t}' is not one of ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension']")),
                Some(t) => sink.must("json-type", o.id, format_args!("{pe}.extension_type"), format_args!("extension_type: {} is not of type 'string'", show(t))),
            }
            if is_sco
                && ev.get("extension_type").and_then(Value::as_str)
                    == Some("toplevel-property-extension")
            {
                sink.should("401", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should be implemented using an 'extension_type' of 'property-extension'."));
                sink.should("101", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name."));
                sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
            }
            if let Some(em) = ev.as_object() {
                for (ek, evv) in em {
                    if ek != "extension_type" {
                        generic_custom_value(o, ek, evv, &format!("{pe}.{ek}"), sink);
                    }
                }
            } else {
                sink.must("json-type", o.id, &pe, "an extension must be a JSON object");
            }
            continue;
        }
        if !ext_name_ok(name) || o.ty == "marking-definition" {
            sink.must("extension-name", o.id, &pe, format_args!("extensions: '{name}' does not match any of the regexes: '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-ext$', '^extension-definition--[0-9a-fA-F]{{8}}-[0-9a-fA-F]{{4}}-[1-5][0-9a-fA-F]{{3}}-[89abAB][0-9a-fA-F]{{3}}-[0-9a-fA-F]{{12}}$'"));
            if !name.starts_with("x-") {
                sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
            }
            continue;
        }
        let Some(em) = ev.as_object() else {
            sink.must("json-type", o.id, &pe, "an extension must be a JSON object");
            continue;
        };
        if em.is_empty() {
            sink.must(
                "empty-dict",
                o.id,
                &pe,
                format_args!("{name}: {{}} does not have enough properties"),
            );
        }
        match model::predefined_sco_extension(o.ty, name).filter(|_| is_sco) {
            Some(props) => {
                for pr in props {
                    if pr.required && !em.contains_key(pr.name) {
                        sink.must(
                            "required",
                            o.id,
                            &pe,
                            format_args!(
                                "'{}' is a required property of the {name} extension",
                                pr.name
                            ),
                        );
                    }
                }
                for (ek, evv) in em {
                    let pk = format!("{pe}.{ek}");
                    if let Some(pr) = props.iter().find(|pr| pr.name == ek) {
                        check_value(o, pr.ty, ek, evv, &pk, false, sink);
                        embedded(o, name, ek, evv, &pk, sink);
                    } else {
                        generic_custom_value(o, ek, evv, &pk, sink);
                        if o.opts.strict_properties {
                            sink.must("custom-property", o.id, &pk, format_args!("Property '{ek}' is not one of those defined in the specification for the {name} extension in {} objects.", o.ty));
                        }
                        sco_custom_prop_should(
                            o,
                            ek,
                            &format!("in the {name} extension"),
                            &pk,
                            sink,
                        );
                    }
                }
                extension_semantics(o, name, em, &pe, sink);
            }
            None => {
                sink.should("401", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should be implemented using an 'extension_type' of 'property-extension'."));
                if !(name.starts_with("x-") && name[2..].trim_end_matches("-ext").contains('-')) {
                    sink.should("101", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-' followed by a source unique identifier (like a domain name with dots replaced by hyphens), a hyphen and then the name."));
                }
                if !name.starts_with("x-") {
                    sink.should("102", o.id, &pe, format_args!("Custom Cyber Observable Object extension type '{name}' should start with 'x-'."));
                }
                for (ek, evv) in em {
                    generic_custom_value(o, ek, evv, &format!("{pe}.{ek}"), sink);
                }
            }
        }
    }
}

fn sco_custom_prop_should(o: &Obj<'_>, k: &str, where_: &str, p: &str, sink: &mut Sink) {
    sink.should("401", o.id, p, format_args!("Cyber Observable Object custom property '{k}' {where_} should be implemented using an extension with an 'extension_type' of 'property-extension' or 'toplevel-property-extension'."));
    if !(k.starts_with("x_") && k[2..].contains('_')) {
        sink.should("101", o.id, p, format_args!("Cyber Observable Object custom property '{k}' {where_} should start with 'x_' followed by a source unique identifier (like a domain name with dots replaced by hyphen), a hyphen and then the name."));
    }
    if !k.starts_with("x_") {
        sink.should(
            "102",
            o.id,
            p,
            format_args!(
                "Cyber Observable Object custom property '{k}' {where_} should start with 'x_'."
            ),
        );
    }
}

/// Embedded object lists inside predefined extensions (alternate data streams, sections...).
fn embedded(o: &Obj<'_>, ext: &str, k: &str, v: &Value, p: &str, sink: &mut Sink) {
    let Some(known) = model::embedded_props(k) else {
        return;
    };
    let items: Vec<(String, &Value)> = match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{p}[{i}]"), x))
            .collect(),
        Value::Object(_) => vec![(p.to_string(), v)],
        _ => return,
    };
    for (pi, item) in items {
        let Some(m) = item.as_object() else { continue };
        for (ik, iv) in m {
            let pk = format!("{pi}.{ik}");
            if ik == "hashes" {
                hashes(o, ik, iv, &pk, sink);
                if k == "sections" || k == "optional_header" {
                    if let Some(hm) = iv.as_object() {
                        for algo in hm.keys() {
                            if !model::vocabulary("hash-algo").contains(&algo.as_str())
                                && !algo.starts_with("x_")
                            {
                                let what = if k == "sections" {
                                    "a section that has a hash"
                                } else {
                                    "an optional header that has a hash"
                                };
                                sink.should("241", o.id, &pk, format_args!("Object '{}' has a Windows PE Binary File extension with {what} of '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
                            }
                        }
                    }
                }
                continue;
            }
            if !known.contains(&ik.as_str()) {
                let where_ = format!("in the {k} property of the {ext} extension");
                if o.opts.strict_properties {
                    sink.must("custom-property", o.id, &pk, format_args!("Property '{ik}' in the {k} property of the {ext} extension is not one of those defined in the specification."));
                }
                sco_custom_prop_should(o, ik, &where_, &pk, sink);
            }
        }
    }
}

fn extension_semantics(o: &Obj<'_>, name: &str, em: &Map<String, Value>, p: &str, sink: &mut Sink) {
    match name {
        "windows-pebinary-ext" => {
            if let Some(Value::Object(h)) = em.get("file_header_hashes") {
                for algo in h.keys() {
                    if !model::vocabulary("hash-algo").contains(&algo.as_str())
                        && !algo.starts_with("x_")
                    {
                        sink.should("241", o.id, format_args!("{p}.file_header_hashes"), format_args!("Object '{}' has a Windows PE Binary File extension with a file header hash of '{algo}', which is not a value in the hash-algorithm-ov vocabulary nor a custom value prepended with 'x_'.", o.id.unwrap_or("?")));
                    }
                }
            }
            if let Some(Value::String(t)) = em.get("pe_type") {
                if !model::vocabulary("windows-pebinary-type").contains(&t.as_str()) {
                    sink.should("243", o.id, format_args!("{p}.pe_type"), format_args!("Object '{}' has a Windows PE Binary File extension with a 'pe_type' of '{t}', which is not a value in the windows-pebinary-type-ov vocabulary.", o.id.unwrap_or("?")));
                }
            }
        }
        "pdf-ext" => {
            if let Some(Value::Object(d)) = em.get("document_info_dict") {
                for key in d.keys() {
                    if !PDF_DOC_INFO_KEYS.contains(&key.as_str()) {
                        sink.should("276", o.id, format_args!("{p}.document_info_dict"), format_args!("The 'document_info_dict' property of object '{}' contains a key ('{key}') that is not a valid PDF Document Information Dictionary key.", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        "windows-process-ext" => {
            if let Some(Value::String(pr)) = em.get("priority") {
                if !pr.ends_with("_CLASS") {
                    sink.should(
                        "149",
                        o.id,
                        format_args!("{p}.priority"),
                        format_args!(
                            "The 'priority' property of object '{}' should end in '_CLASS'.",
                            o.id.unwrap_or("?")
                        ),
                    );
                }
            }
        }
        "http-request-ext" => {
            if let Some(Value::Object(h)) = em.get("request_header") {
                for key in h.keys() {
                    if !key
                        .split('-')
                        .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
                    {
                        sink.should("274", o.id, format_args!("{p}.request_header"), format_args!("The 'request_header' property of object '{}' contains a header ('{key}') that is not a registered HTTP request header name.", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        "socket-ext" => {
            if let Some(Value::Object(h)) = em.get("options") {
                for key in h.keys() {
                    if !(key.starts_with("SO_")
                        || key.starts_with("ICMP_")
                        || key.starts_with("IP_")
                        || key.starts_with("MCAST_")
                        || key.starts_with("TCP_"))
                    {
                        sink.should("275", o.id, format_args!("{p}.options"), format_args!("The 'options' property of object '{}' contains a key ('{key}') that is not a valid socket option (SO_*, ICMP_*, IP_*, MCAST_*, TCP_*).", o.id.unwrap_or("?")));
                    }
                }
            }
        }
        _ => {}
    }
}

fn ts(obj: &Map<String, Value>, k: &str) -> Option<(Timestamp, String)> {
    let s = obj.get(k)?.as_str()?;
    Some((Timestamp::parse(s).ok()?, s.to_string()))
}

fn order(
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

fn semantics(o: &Obj<'_>, obj: &Map<String, Value>, cat: Category, sink: &mut Sink) {
    order(o, obj, "created", "modified", false, sink);
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
                if !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic())) {
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
                if !vocab_format(p) {
                    sink.should("143", id, at("product"), format_args!("The 'product' property '{p}' should be all lowercase with words separated by dash."));
                }
            }
            order(o, obj, "analysis_started", "analysis_ended", false, sink);
        }
        "marking-definition" => marking_definition(o, obj, sink),
        "language-content" => {
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
    }
}

fn relationship_should(o: &Obj<'_>, obj: &Map<String, Value>, rt: &str, sink: &mut Sink) {
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
    if model::category(src) == Category::Custom || model::category(tgt) == Category::Custom {
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

fn indicator_pattern(o: &Obj<'_>, pat: &str, sink: &mut Sink) {
    let p = format!("{}.pattern", o.path);
    match pattern::parse(pat) {
        Err(e) => sink.must(
            "pattern",
            o.id,
            &p,
            format_args!("Pattern failed to validate: {e}"),
        ),
        Ok(parsed) => {
            for op in parsed.paths() {
                let t = op.object_type.as_str();
                let known = model::SCO_TYPES.contains(&t);
                if !known {
                    if o.opts.strict_types {
                        sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: '{t}' is not a valid stix observable type."));
                    }
                    if !valid_type_name(t.trim_start_matches('-')) {
                        sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: '{t}' is not a valid observable type name."));
                    }
                }
                let prop = op.property.as_str();
                if known {
                    let defined = model::COMMON_SCO
                        .iter()
                        .chain(model::specific_props(t).unwrap_or(&[]))
                        .any(|pr| pr.name == prop);
                    if !defined && o.opts.strict_properties {
                        sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: '{prop}' is not a valid property for '{t}' objects."));
                    }
                }
                if !(prop.len() >= 3
                    && prop.len() <= 250
                    && prop
                        .bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'))
                {
                    sink.must("pattern", o.id, &p, format_args!("Pattern failed to validate: '{prop}' is not a valid observable property name."));
                }
            }
        }
    }
}

fn marking_definition(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let id = o.id.unwrap_or("");
    let dt = obj.get("definition_type").and_then(Value::as_str);
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

fn sco_semantics(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
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
            if obj.contains_key("url") && !obj.contains_key("hashes") {
                sink.must(
                    "required",
                    id,
                    path,
                    "'hashes' is required when 'url' is present",
                );
            }
            if let Some(m) = s("mime_type") {
                mime_should(o, m, "mime_type", sink);
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
                if !is_charset(e) {
                    sink.must("charset", id, at("name_enc"), format_args!("The 'name_enc' property of object '{}' ('{e}') must be an IANA registered character set.", id.unwrap_or("?")));
                }
            }
        }
        "directory" => {
            if let Some(e) = s("path_enc") {
                if !is_charset(e) {
                    sink.must("charset", id, at("path_enc"), format_args!("The 'path_enc' property of object '{}' ('{e}') must be an IANA registered character set.", id.unwrap_or("?")));
                }
            }
        }
        "ipv4-addr" => {
            if let Some(v) = s("value").filter(|v| !is_ipv4(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a valid IPv4 address or CIDR block"),
                );
            }
        }
        "ipv6-addr" => {
            if let Some(v) = s("value").filter(|v| !is_ipv6(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a valid IPv6 address or CIDR block"),
                );
            }
        }
        "mac-addr" => {
            if let Some(v) = s("value").filter(|v| !is_mac(v)) {
                sink.must(
                    "value-format",
                    id,
                    at("value"),
                    format_args!("value: '{v}' is not a lowercase colon-separated MAC address"),
                );
            }
        }
        "email-addr" => {
            if let Some(v) = s("value").filter(|v| !v.contains('@')) {
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
                    let camel = k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                        && k.chars().all(|c| c.is_ascii_alphanumeric());
                    if !camel {
                        sink.should("273", id, at("ipfix"), format_args!("The 'ipfix' property of object '{}' contains a key ('{k}') not in IANA IP Flow Information Export (IPFIX) Entities Registry.", id.unwrap_or("?")));
                    }
                }
            }
            if let Some(Value::Array(ps)) = obj.get("protocols") {
                for pr in ps.iter().filter_map(Value::as_str) {
                    if !pr.bytes().all(|c| {
                        c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || c == b'-'
                            || c == b'_'
                            || c == b'.'
                    }) {
                        sink.should("272", id, at("protocols"), format_args!("The 'protocols' property of object '{}' contains a protocol ('{pr}') not in lowercase IANA Service Name and Transport Protocol Port Number Registry form.", id.unwrap_or("?")));
                    }
                }
            }
        }
        "software" => {
            if let Some(Value::Array(ls)) = obj.get("languages") {
                for l in ls.iter().filter_map(Value::as_str) {
                    if !is_lang(l) {
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
                            sink.must("custom-property", id, &pk, format_args!("Property '{k}' is not one of those defined in the specification for the x509_v3_extensions property in x509-certificate objects."));
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
                                    sink.must("custom-property", id, &pk, format_args!("Property '{k}' in the values property is not one of those defined in the specification."));
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

fn mime_should(o: &Obj<'_>, m: &str, k: &str, sink: &mut Sink) {
    let ok = m.split_once('/').is_some_and(|(t, sub)| {
        MIME_TOP.contains(&t)
            && !sub.is_empty()
            && sub
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'_' | b'-'))
    });
    if !ok {
        sink.should("271", o.id, format_args!("{}.{k}", o.path), format_args!("The '{k}' property of object '{}' ('{m}') should be an IANA registered MIME Type of the form 'type/subtype'.", o.id.unwrap_or("?")));
    }
}
