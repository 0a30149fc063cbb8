//! concord's STIX property extension (DESIGN 3.4): incident facts, attribution evidence,
//! member identities and recipients. This module ships the extension-definition object,
//! its JSON schema, concord's identity, and checks every use of the extension.

use crate::timestamp::Timestamp;
use crate::validate::Finding;
use serde_json::{json, Map, Value};

/// The extension-definition id.
pub const EXTENSION_ID: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
/// concord's own identity, creator of the extension and of every derived object.
pub const IDENTITY_ID: &str = "identity--8c1f4e0a-3b2d-4f6a-9e7c-5d1b2a3c4e5f";
/// Creation time of the identity and the extension definition.
pub const CREATED: &str = "2026-01-01T00:00:00.000Z";
/// The JSON schema of the extension's properties.
pub const SCHEMA: &str = include_str!("../schema/concord-extension.schema.json");

pub const SECTORS: &[&str] = &[
    "energy",
    "water",
    "health",
    "finance",
    "transport",
    "telecom",
    "government",
    "elections",
    "defence",
    "space",
    "industry",
    "other",
];
/// Effects, ascending (DESIGN 3 v2: `data_destruction` = data or systems wiped or encrypted
/// beyond recovery with no physical damage, between disruption and destruction).
pub const EFFECTS: &[&str] = &[
    "espionage",
    "disruption",
    "data_destruction",
    "destruction",
    "casualties",
];
pub const FUNCTIONAL_IMPACT: &[&str] = &["none", "degraded", "partial_loss", "complete_loss"];
pub const INFORMATION_IMPACT: &[&str] = &[
    "none",
    "suspected",
    "exfiltration",
    "alteration",
    "destruction",
];
pub const RECOVERABILITY: &[&str] = &["regular", "supplemented", "extended", "not_recoverable"];
pub const OBSERVED_ACTIVITY: &[&str] = &["prepare", "engage", "presence", "effect"];
pub const LOCATION: &[&str] = &[
    "unsuccessful",
    "business",
    "critical_systems",
    "safety_systems",
];
pub const EVIDENCE_KINDS: &[&str] = &[
    "infrastructure",
    "malware",
    "ttp",
    "intelligence",
    "context",
];

/// concord's identity object.
pub fn identity() -> Value {
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": IDENTITY_ID,
        "created": CREATED,
        "modified": CREATED,
        "name": "concord",
        "identity_class": "system"
    })
}

/// The extension-definition object concord ships.
pub fn extension_definition() -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": IDENTITY_ID,
        "created": CREATED,
        "modified": CREATED,
        "name": "concord incident facts and evidence",
        "description": "Incident impact facts (victims, sectors, effects, NCISS-style impact), Admiralty-rated attribution evidence, member identities and TLP recipients, as used by concord.",
        "schema": "concord-extension-1.0.0.schema.json (shipped with concord: `concord schema`)",
        "version": "1.0.0",
        "extension_types": ["property-extension"]
    })
}

fn is_member_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase())
}

struct Ctx<'a> {
    id: Option<&'a str>,
    path: String,
    out: &'a mut Vec<Finding>,
}

impl Ctx<'_> {
    fn err(&mut self, key: &str, message: String) {
        self.out.push(Finding {
            code: "concord-ext".into(),
            id: self.id.map(str::to_owned),
            path: format!("{}.{key}", self.path),
            message,
        });
    }
    fn word(&mut self, ext: &Map<String, Value>, key: &str, words: &[&str]) {
        match ext.get(key) {
            None => {}
            Some(Value::String(s)) if words.contains(&s.as_str()) => {}
            Some(v) => self.err(
                key,
                format!("{key}: {v} is not one of {}", words.join(", ")),
            ),
        }
    }
    fn list(&mut self, ext: &Map<String, Value>, key: &str, ok: impl Fn(&str) -> bool, what: &str) {
        match ext.get(key) {
            None => {}
            Some(Value::Array(a)) => {
                for (i, x) in a.iter().enumerate() {
                    if !x.as_str().is_some_and(&ok) {
                        self.err(
                            &format!("{key}[{i}]"),
                            format!("{key}[{i}]: {x} is not {what}"),
                        );
                    }
                }
            }
            Some(v) => self.err(key, format!("{key}: {v} is not a list of {what}s")),
        }
    }
}

/// Check the concord extension on one object; findings are errors.
pub fn check_object(obj: &Value, path: &str, out: &mut Vec<Finding>) {
    let Some(ext) = obj.get("extensions").and_then(|e| e.get(EXTENSION_ID)) else {
        return;
    };
    let id = obj.get("id").and_then(Value::as_str);
    let ty = obj.get("type").and_then(Value::as_str).unwrap_or("");
    let mut c = Ctx {
        id,
        path: format!("{path}.extensions['{EXTENSION_ID}']"),
        out,
    };
    let Some(ext) = ext.as_object() else {
        c.err("", "the concord extension must be a JSON object".into());
        return;
    };
    if ext.get("extension_type").and_then(Value::as_str) != Some("property-extension") {
        c.err(
            "extension_type",
            "extension_type must be \"property-extension\"".into(),
        );
    }
    let rel_type = obj.get("relationship_type").and_then(Value::as_str);
    let allowed: &[&str] = match (ty, rel_type) {
        ("incident", _) => &[
            "victims",
            "sectors",
            "effects",
            "functional_impact",
            "information_impact",
            "recoverability",
            "observed_activity",
            "location",
            "first_seen",
            "last_seen",
        ],
        ("relationship", Some("attributed-to")) => {
            &["reliability", "credibility", "evidence_kind", "sponsor"]
        }
        ("identity", _) => &["member"],
        _ => &[],
    };
    for k in ext.keys() {
        if k != "extension_type" && k != "recipients" && !allowed.contains(&k.as_str()) {
            let on = if ty == "relationship" {
                format!("{} relationship", rel_type.unwrap_or("?"))
            } else {
                ty.to_string()
            };
            c.err(
                k,
                format!(
                    "'{k}' is not a concord extension property on {on} objects (allowed: {})",
                    [allowed, &["recipients"]].concat().join(", ")
                ),
            );
        }
    }
    c.list(
        ext,
        "recipients",
        is_member_code,
        "a member code (ISO 3166 alpha-3, uppercase)",
    );
    match ty {
        "incident" => {
            if !ext.contains_key("victims") {
                c.err(
                    "victims",
                    "'victims' is required on incidents (a list of member codes; may be empty)"
                        .into(),
                );
            }
            c.list(
                ext,
                "victims",
                is_member_code,
                "a member code (ISO 3166 alpha-3, uppercase)",
            );
            c.list(
                ext,
                "sectors",
                |s| SECTORS.contains(&s),
                &format!("a sector word ({})", SECTORS.join(", ")),
            );
            c.word(ext, "effects", EFFECTS);
            c.word(ext, "functional_impact", FUNCTIONAL_IMPACT);
            c.word(ext, "information_impact", INFORMATION_IMPACT);
            c.word(ext, "recoverability", RECOVERABILITY);
            c.word(ext, "observed_activity", OBSERVED_ACTIVITY);
            c.word(ext, "location", LOCATION);
            for k in ["first_seen", "last_seen"] {
                if let Some(v) = ext.get(k) {
                    if v.as_str().is_none_or(|s| Timestamp::parse(s).is_err()) {
                        c.err(k, format!("{k}: {v} is not a STIX timestamp"));
                    }
                }
            }
            if let (Some(a), Some(b)) = (
                ext.get("first_seen")
                    .and_then(Value::as_str)
                    .and_then(|s| Timestamp::parse(s).ok()),
                ext.get("last_seen")
                    .and_then(Value::as_str)
                    .and_then(|s| Timestamp::parse(s).ok()),
            ) {
                if b < a {
                    c.err("last_seen", "last_seen is earlier than first_seen".into());
                }
            }
        }
        "relationship" => {
            c.word(ext, "reliability", &["A", "B", "C", "D", "E", "F"]);
            match ext.get("credibility") {
                None => {}
                Some(v) if v.as_i64().is_some_and(|n| (1..=6).contains(&n)) => {}
                Some(v) => c.err(
                    "credibility",
                    format!("credibility: {v} is not an integer from 1 to 6"),
                ),
            }
            c.word(ext, "evidence_kind", EVIDENCE_KINDS);
            if let Some(v) = ext.get("sponsor") {
                if !v.as_str().is_some_and(is_member_code) {
                    c.err(
                        "sponsor",
                        format!("sponsor: {v} is not an ISO 3166 alpha-3 code"),
                    );
                }
            }
        }
        "identity" => {
            if let Some(v) = ext.get("member") {
                if !v.as_str().is_some_and(is_member_code) {
                    c.err(
                        "member",
                        format!("member: {v} is not a member code (ISO 3166 alpha-3, uppercase)"),
                    );
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{validate_object, Options};

    #[test]
    fn shipped_objects_are_valid_stix() {
        for v in [identity(), extension_definition()] {
            let r = validate_object(
                &v,
                "$",
                &Options {
                    strict: true,
                    ..Options::default()
                },
            );
            assert!(r.is_valid(), "{:?}", r.errors);
        }
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(
            schema["properties"]["sectors"]["items"]["enum"]
                .as_array()
                .unwrap()
                .len(),
            SECTORS.len()
        );
    }

    #[test]
    fn bad_extension_values_are_reported() {
        let inc = json!({"type": "incident", "id": "incident--6b0e3956-95f3-4c04-a882-116832996da0",
            "extensions": {EXTENSION_ID: {"extension_type": "property-extension", "victims": ["est"], "sectors": ["power"], "effects": "boom", "wat": 1}}});
        let mut out = Vec::new();
        check_object(&inc, "$", &mut out);
        assert_eq!(out.len(), 4, "{out:?}");
        let inc = json!({"type": "incident", "id": "incident--6b0e3956-95f3-4c04-a882-116832996da0",
            "extensions": {EXTENSION_ID: {"extension_type": "property-extension"}}});
        let mut out = Vec::new();
        check_object(&inc, "$", &mut out);
        assert!(out[0].message.contains("victims"));
    }
}
