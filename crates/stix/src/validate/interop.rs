//! The reference validator's interoperability mode (`--interop`, stix2-validator's
//! `interop` option): the STIX 2.1 Interoperability profile as the reference applies it.
//!
//! The reference validates every object a second time against the profile's schemas
//! (`interop/<type>.json` of cti-stix2-json-schemas, or `interop/core.json` for an object
//! validated with the common core, i.e. any object but an SCO-like one without
//! `created`/`modified`), and adds the MUST check `interop_created_by_ref` on bundles.
//! What that adds to the default checks:
//! - per type, the properties the profile requires (always `created_by_ref`), with the
//!   schemas' names as written: `malware.json` spells `architecture_exectuion_envs` and
//!   `capabiliites`, `vulnerability.json` `external_references:`, so the reference
//!   rejects every malware and vulnerability object in this mode, and concord does too;
//! - `object_marking_refs` with more than one TLP 1.0 marking (the schema's `maxContains`);
//! - the common core on objects whose default schema does not include it (marking
//!   definitions, observables with `created` or `modified`): `modified` is required,
//!   `created`/`modified` are millisecond timestamps, the core properties are typed and
//!   the reserved property names are refused;
//! - in a bundle: every object but an identity has `created_by_ref`, naming an identity of
//!   the bundle that has a `created_by_ref` itself (a producer).
//!
//! The table of required properties comes from the OASIS schemas
//! (https://github.com/oasis-open/cti-stix2-json-schemas, `interop/*.json`, identical in
//! 3bf9e69 and in the copy stix2-validator 3.2.1 ships): BSD-3-Clause, Copyright (c)
//! [2016], OASIS Open; the full licence notice is in `crates/stix/src/model/lists.rs`.

use super::checks::timestamp_problem;
use super::objects::{check_value, Obj, RESERVED};
use super::Sink;
use crate::model::{self, Category, Prop};
use serde_json::{Map, Value};

/// Properties each `interop/<type>.json` schema requires, spelled as in the schemas.
const REQUIRED: &[(&str, &[&str])] = &[
    (
        "attack-pattern",
        &["external_references", "kill_chain_phases", "created_by_ref"],
    ),
    ("campaign", &["created_by_ref"]),
    ("course-of-action", &["created_by_ref"]),
    ("grouping", &["created_by_ref"]),
    ("indicator", &["name", "indicator_types", "created_by_ref"]),
    (
        "infrastructure",
        &["infrastructure_types", "created_by_ref"],
    ),
    (
        "intrusion-set",
        &["resource_level", "primary_motivation", "created_by_ref"],
    ),
    ("location", &["region", "created_by_ref"]),
    (
        "malware-analysis",
        &[
            "version",
            "submitted",
            "analysis_started",
            "analysis_ended",
            "result",
            "created_by_ref",
        ],
    ),
    (
        "malware",
        &[
            "name",
            "malware_types",
            "first_seen",
            "last_seen",
            "architecture_exectuion_envs",
            "implementation_languages",
            "capabiliites",
            "created_by_ref",
        ],
    ),
    ("note", &["created_by_ref"]),
    ("observed-data", &["object_refs", "created_by_ref"]),
    ("opinion", &["created_by_ref"]),
    ("relationship", &["created_by_ref"]),
    ("report", &["report_types", "created_by_ref"]),
    (
        "sighting",
        &["first_seen", "last_seen", "count", "created_by_ref"],
    ),
    (
        "threat-actor",
        &[
            "threat_actor_types",
            "roles",
            "sophistication",
            "resource_level",
            "primary_motivation",
            "created_by_ref",
        ],
    ),
    ("tool", &["tool_types", "created_by_ref"]),
    ("vulnerability", &["external_references:", "created_by_ref"]),
];

/// Names the schemas misspell (so no object can have them).
const MISSPELT: &[(&str, &str)] = &[
    ("architecture_exectuion_envs", "architecture_execution_envs"),
    ("capabiliites", "capabilities"),
    ("external_references:", "external_references"),
];

/// The common core's required properties.
const CORE_REQUIRED: &[&str] = &["type", "spec_version", "id", "created", "modified"];

/// Whether the reference judges this object as STIX 2.1 (its `find_version`): in a bundle,
/// an object without `spec_version` but with `created` is taken as STIX 2.0 and the
/// profile is not applied to it.
pub(super) fn applies(obj: &Map<String, Value>, in_bundle: bool) -> bool {
    !(in_bundle && !obj.contains_key("spec_version") && obj.contains_key("created"))
}

/// The profile's rules for one object. `own` is the object's property table (common and
/// type-specific), `cat` its category as the default checks used it.
pub(super) fn object_rules(
    o: &Obj<'_>,
    obj: &Map<String, Value>,
    cat: Category,
    own: &[&[Prop]],
    sink: &mut Sink,
) {
    let required = REQUIRED.iter().find(|(t, _)| *t == o.ty).map(|(_, r)| *r);
    for name in required.unwrap_or(&[]) {
        if !obj.contains_key(*name) {
            let note = MISSPELT
                .iter()
                .find(|(m, _)| m == name)
                .map(|(_, right)| {
                    format!(" (the reference's interop schema spells it so; the specification's property is '{right}')")
                })
                .unwrap_or_default();
            sink.must(
                "interop-required",
                o.id,
                o.path,
                format_args!(
                    "'{name}' is a required property (STIX 2.1 interoperability profile){note}"
                ),
            );
        }
    }
    // The reference falls back to interop/core.json unless the object looks like an SCO.
    let sco_like = obj.contains_key("type")
        && obj.contains_key("id")
        && !obj.contains_key("created")
        && !obj.contains_key("modified")
        && o.ty != "marking-definition";
    if required.is_none() && sco_like {
        return;
    }
    tlp_markings(o, obj, sink);
    let core_in_default = matches!(cat, Category::Sdo | Category::Sro | Category::Custom)
        || matches!(o.ty, "language-content" | "extension-definition");
    if !core_in_default {
        common_core(o, obj, cat, own, sink);
    }
}

/// interop/core.json: at most one TLP 1.0 marking in `object_marking_refs`
/// (`contains` with `maxContains: 1`; as in JSON Schema, a non-string item satisfies the
/// `pattern` and counts).
fn tlp_markings(o: &Obj<'_>, obj: &Map<String, Value>, sink: &mut Sink) {
    let Some(Value::Array(refs)) = obj.get("object_marking_refs") else {
        return;
    };
    let tlp = refs
        .iter()
        .filter(|r| {
            r.as_str()
                .is_none_or(|s| model::TLP1.iter().any(|(id, _)| *id == s))
        })
        .count();
    if tlp > 1 {
        sink.must(
            "interop-marking",
            o.id,
            format_args!("{}.object_marking_refs", o.path),
            format_args!("object_marking_refs: More than one tlp marking found in marking-definitions ({tlp}). Only one tlp marking is allowed (STIX 2.1 interoperability profile)."),
        );
    }
}

/// The common core (schemas/common/core.json) on an object whose default schema does not
/// include it: required properties, millisecond `created`/`modified`, the core
/// properties' types and the reserved names.
fn common_core(
    o: &Obj<'_>,
    obj: &Map<String, Value>,
    cat: Category,
    own: &[&[Prop]],
    sink: &mut Sink,
) {
    let own_prop = |k: &str| own.iter().flat_map(|t| t.iter()).find(|p| p.name == k);
    for name in CORE_REQUIRED {
        if !obj.contains_key(*name) && !own_prop(name).is_some_and(|p| p.required) {
            sink.must(
                "interop-required",
                o.id,
                o.path,
                format_args!("'{name}' is a required property (STIX 2.1 interoperability profile: the common core applies to {} objects)", o.ty),
            );
        }
    }
    let mut p = String::new();
    for prop in model::COMMON_SDO {
        let Some(v) = obj.get(prop.name) else {
            continue;
        };
        p.clear();
        p.push_str(o.path);
        p.push('.');
        p.push_str(prop.name);
        let millis = matches!(prop.name, "created" | "modified");
        if own_prop(prop.name).is_none() {
            check_value(o, prop.ty, prop.name, v, &p, millis, sink);
        } else if millis {
            // typed by the default checks, but not to the millisecond
            if let Some(s) = v.as_str() {
                if timestamp_problem(s, false).is_none() {
                    if let Some(why) = timestamp_problem(s, true) {
                        sink.must(
                            "timestamp",
                            o.id,
                            &p,
                            format_args!(
                                "{}: {why} (STIX 2.1 interoperability profile)",
                                prop.name
                            ),
                        );
                    }
                }
            }
        }
    }
    if cat == Category::Meta {
        for k in RESERVED {
            if obj.contains_key(*k) {
                sink.must(
                    "reserved-property",
                    o.id,
                    format_args!("{}.{k}", o.path),
                    format_args!("Contains a reserved property ('{k}'); 'severity', 'action', 'username' and 'phone_numbers' are reserved (STIX 2.1 interoperability profile)"),
                );
            }
        }
    }
}

/// What the bundle rule needs of each object (collected only in interop mode).
#[derive(Debug, Clone)]
pub(super) struct Producer {
    pub ty: String,
    /// `None`: no `created_by_ref`; `Some(None)`: not a string.
    pub created_by_ref: Option<Option<String>>,
}

impl Producer {
    pub fn of(value: &Value) -> Option<Producer> {
        let obj = value.as_object()?;
        Some(Producer {
            ty: obj.get("type").and_then(Value::as_str)?.to_string(),
            created_by_ref: obj
                .get("created_by_ref")
                .map(|v| v.as_str().map(String::from)),
        })
    }
}

/// The reference's `interop_created_by_ref` on a bundle: every object but an identity
/// names its producer, an identity of the bundle that has a `created_by_ref` itself.
/// `objects`: (object id, JSON path, what the rule needs).
pub(super) fn producers(objects: &[(Option<&str>, &str, &Producer)], sink: &mut Sink) {
    use std::collections::HashSet;
    let mut good: HashSet<&str> = HashSet::new();
    let mut bad: HashSet<&str> = HashSet::new();
    for (id, _, p) in objects {
        if p.ty == "identity" {
            if let Some(id) = id {
                if p.created_by_ref.is_some() {
                    good.insert(id);
                } else {
                    bad.insert(id);
                }
            }
        }
    }
    for (id, path, p) in objects {
        if p.ty == "identity" {
            continue;
        }
        let at = format!("{path}.created_by_ref");
        match &p.created_by_ref {
            None => sink.must(
                "interop-producer",
                *id,
                path,
                "created_by_ref is not present in Object (STIX 2.1 interoperability profile: every object but an identity names its producer)",
            ),
            Some(None) => sink.must(
                "interop-producer",
                *id,
                at,
                "created_by_ref is not a string, so it names no producer identity of the bundle",
            ),
            Some(Some(r)) if bad.contains(r.as_str()) => sink.must(
                "interop-producer",
                *id,
                at,
                format_args!("references {r} as a producer but the identity is missing the property created_by_ref"),
            ),
            Some(Some(r)) if !good.contains(r.as_str()) => sink.must(
                "interop-producer",
                *id,
                at,
                format_args!("created_by_ref has value {r} which is not found in bundle"),
            ),
            Some(Some(_)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::json::parse_document;
    use crate::validate::{validate_document, Options, Report};
    use serde_json::{json, Value};

    const T: &str = "2016-04-06T20:03:48.000Z";
    const ROOT: &str = "identity--11111111-17d4-4cbf-938f-98ee46b3cd3f";
    const AUTHOR: &str = "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    fn sdo(ty: &str, id: &str, extra: Value) -> Value {
        let mut o =
            json!({"type": ty, "spec_version": "2.1", "id": id, "created": T, "modified": T});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    }

    fn run(doc: &Value, interop: bool) -> Report {
        let text = doc.to_string();
        let d = parse_document(&text, "t").unwrap();
        validate_document(
            &d,
            &Options {
                interop,
                ..Options::default()
            },
        )
    }

    fn codes(r: &Report) -> Vec<(String, String)> {
        r.errors
            .iter()
            .map(|f| (f.code.clone(), f.path.clone()))
            .collect()
    }

    fn campaign(extra: Value) -> Value {
        sdo(
            "campaign",
            "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
            json!({"name": "c"}),
        )
        .as_object()
        .unwrap()
        .clone()
        .into_iter()
        .chain(extra.as_object().unwrap().clone())
        .collect::<serde_json::Map<_, _>>()
        .into()
    }

    #[test]
    fn a_campaign_needs_a_producer_only_in_interop_mode() {
        let c = campaign(json!({}));
        assert!(run(&c, false).is_valid());
        let r = run(&c, true);
        assert_eq!(codes(&r), [("interop-required".into(), "$".into())]);
        assert!(r.errors[0].message.contains("'created_by_ref'"));
        assert!(run(&campaign(json!({"created_by_ref": AUTHOR})), true).is_valid());
    }

    #[test]
    fn one_tlp_marking_at_most() {
        let white = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
        let red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
        let other = "marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
        let ok = campaign(json!({"created_by_ref": AUTHOR, "object_marking_refs": [white, other]}));
        assert!(run(&ok, true).is_valid());
        for refs in [json!([white, red]), json!([red, red])] {
            let c = campaign(json!({"created_by_ref": AUTHOR, "object_marking_refs": refs}));
            assert!(run(&c, false).is_valid());
            assert_eq!(
                codes(&run(&c, true)),
                [("interop-marking".into(), "$.object_marking_refs".into())]
            );
        }
    }

    #[test]
    fn the_schemas_misspelt_names_are_required_as_written() {
        let m = sdo(
            "malware",
            "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            json!({"name": "m", "is_family": true, "malware_types": ["ransomware"], "created_by_ref": AUTHOR,
                   "first_seen": T, "last_seen": T, "architecture_execution_envs": ["x86"],
                   "implementation_languages": ["c"], "capabilities": ["exfiltrates-data"]}),
        );
        let r = run(&m, true);
        let msgs: Vec<&str> = r.errors.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].contains("'architecture_exectuion_envs'")
                && msgs[0].contains("architecture_execution_envs")
        );
        assert!(msgs[1].contains("'capabiliites'"));
    }

    #[test]
    fn marking_definitions_get_the_common_core() {
        let md = json!({"type": "marking-definition", "spec_version": "2.1",
            "id": "marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2016-04-06T20:03:48Z",
            "definition_type": "statement", "definition": {"statement": "c"}, "confidence": 200});
        assert!(run(&md, false).is_valid());
        let got = codes(&run(&md, true));
        for want in [
            ("interop-required", "$"),
            ("timestamp", "$.created"),
            ("range", "$.confidence"),
        ] {
            assert!(
                got.contains(&(want.0.into(), want.1.into())),
                "{want:?} in {got:?}"
            );
        }
    }

    #[test]
    fn every_bundled_object_names_a_producer_identity() {
        let root = sdo(
            "identity",
            ROOT,
            json!({"name": "r", "identity_class": "organization"}),
        );
        let author = sdo(
            "identity",
            AUTHOR,
            json!({"name": "a", "identity_class": "organization", "created_by_ref": ROOT}),
        );
        let file = json!({"type": "file", "spec_version": "2.1", "id": "file--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4", "name": "x"});
        let bundle = |objs: Vec<Value>| json!({"type": "bundle", "id": "bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "objects": objs});
        let ok = bundle(vec![
            root.clone(),
            author.clone(),
            campaign(json!({"created_by_ref": AUTHOR})),
        ]);
        assert!(run(&ok, true).is_valid(), "{:?}", run(&ok, true).errors);
        // the named identity has no producer of its own
        let r = run(
            &bundle(vec![
                root.clone(),
                campaign(json!({"created_by_ref": ROOT})),
            ]),
            true,
        );
        assert_eq!(
            codes(&r),
            [(
                "interop-producer".into(),
                "$.objects[1].created_by_ref".into()
            )]
        );
        assert!(r.errors[0]
            .message
            .contains("missing the property created_by_ref"));
        // not in the bundle
        let r = run(
            &bundle(vec![campaign(json!({"created_by_ref": AUTHOR}))]),
            true,
        );
        assert!(r.errors[0].message.contains("not found in bundle"));
        // an observable without a producer
        let b = bundle(vec![author, file]);
        assert!(run(&b, false).is_valid());
        assert_eq!(
            codes(&run(&b, true)),
            [("interop-producer".into(), "$.objects[1]".into())]
        );
        // a STIX 2.0 bundle is not checked
        let mut old = bundle(vec![campaign(json!({}))]);
        old["spec_version"] = json!("2.0");
        assert!(run(&old, true).is_valid());
    }
}
