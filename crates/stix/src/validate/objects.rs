//! Per-object checks: common properties, the type's property table, and the semantic
//! rules the JSON schemas cannot express.

use super::checks::*;
use super::extensions::extensions;
use super::semantics::semantics;
use super::values::{dict, external_reference, hashes};
use super::{Options, Sink};
use crate::model::{self, Category, Prop, Ty};
use serde_json::{Map, Value};

pub(super) const X509_V3_KEYS: &[&str] = &[
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

pub(super) const RESERVED: &[&str] = &["severity", "action", "username", "phone_numbers"];

/// Types whose kill chain phase names the reference checks ({121}).
const KILL_CHAIN_NAME_TYPES: &[&str] = &[
    "attack-pattern",
    "indicator",
    "infrastructure",
    "malware",
    "tool",
];

/// Open-vocabulary properties whose format the reference checks ({111}).
pub(super) fn vocab_format_checked(ty: &str, prop: &str) -> bool {
    let props: &[&str] = match ty {
        "identity" => &["identity_class", "sectors"],
        "indicator" => &["indicator_types"],
        "infrastructure" => &["infrastructure_types"],
        "intrusion-set" => &[
            "resource_level",
            "primary_motivation",
            "secondary_motivations",
        ],
        "location" => &["region"],
        "malware" => &[
            "malware_types",
            "architecture_execution_envs",
            "implementation_languages",
            "capabilities",
        ],
        "malware-analysis" => &["result"],
        "report" => &["report_types"],
        "threat-actor" => &[
            "threat_actor_types",
            "roles",
            "sophistication",
            "resource_level",
            "primary_motivation",
            "secondary_motivations",
            "personal_motivations",
        ],
        "tool" => &["tool_types"],
        "marking-definition" => &["definition_type"],
        _ => &[],
    };
    props.contains(&prop)
}

pub(super) struct Obj<'a> {
    pub(super) id: Option<&'a str>,
    pub(super) ty: &'a str,
    pub(super) path: &'a str,
    pub(super) opts: &'a Options,
}

pub(super) fn json_kind(v: &Value) -> &'static str {
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

pub(super) fn show(v: &Value) -> String {
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
        // a STIX 2.1 bundle has no spec_version (the reference's 2.1 checks call it a
        // custom property); a 2.0 bundle has one
        let v20 = opts.version.as_deref() == Some("2.0");
        if !(matches!(k.as_str(), "type" | "id" | "objects") || v20 && k == "spec_version") {
            if opts.strict_properties {
                sink.soft(
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
                true,
                sink,
            );
        }
    }
    // {103}: bundles use UUIDv4 too.
    if let Some((_, v)) = id.and_then(parse_identifier) {
        if v != 4 {
            sink.should(
                "103",
                id,
                "$.id",
                format_args!(
                    "Given ID value {} is not a valid UUIDv4 ID.",
                    id.unwrap_or("")
                ),
            );
        }
    }
}

pub(super) fn custom_property_should(o: &Obj<'_>, k: &str, ext_check: bool, sink: &mut Sink) {
    let p = format_args!("{}.{k}", o.path);
    if ext_check {
        sink.should(
            "401",
            o.id,
            p,
            format_args!("Custom property '{k}' should be implemented using an extension with an 'extension_type' of 'property-extension' or 'toplevel-property-extension'."),
        );
    }
    if !super::semantics::custom_prefix_strict(k, "x_", '_') {
        sink.should("101", o.id, p, format_args!("Custom property '{k}' should have a type that starts with 'x_' followed by a source unique identifier (like a domain name with dots replaced by underscores), an underscore and then the name."));
    }
    if !k.starts_with("x_") {
        sink.should("102", o.id, p, format_args!("Custom property '{k}' should have a type that starts with 'x_' in order to be compatible with future versions of the STIX 2 specification."));
    }
}

/// Extension types declared by an object's `extensions` (extension-definition entries).
pub(super) fn declared_extension_types(obj: &Map<String, Value>) -> Vec<&str> {
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
/// (as the reference validator does) with a warning instead of an error. `interop`: apply
/// the interoperability profile (`--interop`, unless the object is STIX 2.0 to the reference).
pub(crate) fn check_object(
    value: &Value,
    path: &str,
    opts: &Options,
    sink: &mut Sink,
    in_bundle: bool,
    interop: bool,
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
                } else if ty != "process" && cat == Category::Sco && version != 5 {
                    sink.should(
                        "103",
                        id,
                        format_args!("{path}.id"),
                        format_args!("Cyber Observable ID value {s} is not a valid UUIDv5 ID."),
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
            sink.soft(
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
        }
        if !declared
            .iter()
            .any(|t| matches!(*t, "new-sdo" | "new-sro" | "new-sco"))
        {
            sink.should("401", id, format_args!("{path}.type"), format_args!("Custom object type '{ty}' should be implemented using an extension with an 'extension_type' of 'new-sdo', 'new-sco', or 'new-sro'."));
        }
        {
            if !super::semantics::custom_prefix_strict(ty, "x-", '-') {
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
            sink.soft(
                "custom-property",
                id,
                &p,
                format_args!(
                    "Property '{k}' is not one of those defined in the specification{for_sco}."
                ),
            );
        }
        custom_property_should(&o, k, !toplevel_ext, sink);
    }
    semantics(&o, obj, cat, sink);
    if interop && super::interop::applies(obj, in_bundle) {
        super::interop::object_rules(&o, obj, cat, &[common, specific], sink);
    }
}

pub(super) fn is_predefined_tlp(id: &str) -> bool {
    model::TLP1.iter().chain(model::TLP2).any(|(t, _)| *t == id)
}

/// Rules for a property the specification does not define.
pub(super) fn generic_custom_value(o: &Obj<'_>, k: &str, v: &Value, p: &str, sink: &mut Sink) {
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

pub(super) fn no_null_or_empty(o: &Obj<'_>, v: &Value, p: &str, sink: &mut Sink) {
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

pub(super) fn check_ref(o: &Obj<'_>, s: &str, targets: &[&str], p: &str, sink: &mut Sink) {
    // SCO schemas type their reference properties as plain strings.
    if model::category(o.ty) == Category::Sco {
        return;
    }
    let parsed = parse_identifier(s);
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

pub(super) fn check_vocab(
    o: &Obj<'_>,
    vocab: &'static str,
    prop: &str,
    s: &str,
    p: impl std::fmt::Display + Copy,
    sink: &mut Sink,
) {
    if vocab_format_checked(o.ty, prop) && !py_lower_word(s) {
        sink.should("111", o.id, p, format_args!("Open vocabulary value '{s}' should be all lowercase and use hyphens instead of spaces or underscores as word separators."));
    }
    if !model::vocabulary(vocab).contains(&s) {
        sink.should(model::vocabulary_code(vocab), o.id, p, format_args!("The value contained in {prop} is permitted, but is not in the {vocab}-ov vocabulary."));
    }
}

pub(super) fn check_value(
    o: &Obj<'_>,
    ty: Ty,
    k: &str,
    v: &Value,
    p: &str,
    millis: bool,
    sink: &mut Sink,
) {
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
                    let names_checked = KILL_CHAIN_NAME_TYPES.contains(&o.ty);
                    for f in ["kill_chain_name", "phase_name"] {
                        match x.get(f) {
                            Some(Value::String(s)) => {
                                if names_checked && !py_lower_word(s) {
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
                        Some(s) if !s.is_empty() && s.iter().all(Value::is_string) => {
                            for sel in s.iter().filter_map(Value::as_str) {
                                super::observables::selector(o, sel, &pi, sink);
                            }
                        }
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
                        _ => sink.must(
                            "granular-marking",
                            o.id,
                            &pi,
                            "a granular marking must have a 'marking_ref' (and not 'lang')",
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
