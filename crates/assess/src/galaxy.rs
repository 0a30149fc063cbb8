//! The MISP threat-actor galaxy as STIX: each galaxy actor becomes an `intrusion-set`
//! (names, aliases, description, references); an actor with a named sponsor state gets an
//! `attributed-to` relationship to a `threat-actor` standing for that state, carrying the
//! concord extension's `sponsor` (alpha-3) and the rating C3 (a suspected sponsor, possibly
//! true); an actor's `country` becomes an `originates-from` relationship to a `location`.
//! Every object is created by concord's identity and has an id derived from the galaxy
//! entry's uuid, so re-importing is idempotent.
//!
//! Rules, stated in every relationship's description:
//! - sponsor: `cfr-suspected-state-sponsor` when it names a state. `country` is where the
//!   group operates or is reported from: an origin, never a sponsor (FIN4's "RO" does not
//!   make Romania its sponsor).
//! - crime: `motive` Cybercrime, or only financial `cfr-type-of-incident` values
//!   (Financial Theft, Extortion, Business Email Compromise): `primary_motivation`
//!   `personal-gain`.
//! - activism: `motive` Hacktivists-Nationalists, or, with no named sponsor, only
//!   `cfr-type-of-incident` values of protest (Denial of service, Defacement): the DDoS
//!   collectives; `primary_motivation` `ideology`.
//!
//! What descriptions say (state-sponsored, pro-Russian, ...) is read when the knowledge
//! base is built ([`crate::sponsor_text`]), like ATT&CK's.

use crate::country;
use concord_stix::concord_ext::{EXTENSION_ID, IDENTITY_ID};
use serde::Serialize;
use serde_json::{json, Value};

/// Namespace of ids derived from galaxy uuids.
pub const GALAXY_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x5b7e1c2a_9d4f_4c1e_8a36_2f0d6c9b7e43);

/// Timestamp of every imported object's `created`.
const CREATED: &str = "2026-01-01T00:00:00.000Z";

/// Why a galaxy file is unusable, with the JSON path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GalaxyError {
    pub path: String,
    pub message: String,
}

/// What the import found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GalaxyReport {
    pub actors: usize,
    pub with_sponsor: usize,
    /// Actors with a `country` (kept as their origin, not a sponsor).
    pub with_origin: usize,
    pub criminal: usize,
    pub hacktivist: usize,
    /// (JSON path, message) of values that were skipped or not understood.
    pub warnings: Vec<(String, String)>,
}

fn derived(kind: &str, key: &str) -> String {
    format!(
        "{kind}--{}",
        uuid::Uuid::new_v5(&GALAXY_NAMESPACE, key.as_bytes())
    )
}

fn strs(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// The STIX id of the threat-actor standing for a state.
pub fn state_actor_id(alpha3: &str) -> String {
    derived("threat-actor", &format!("state:{alpha3}"))
}

/// The STIX id of the location standing for a country (alpha-2).
pub fn location_id(alpha2: &str) -> String {
    derived("location", &format!("country:{alpha2}"))
}

fn state_actor(alpha3: &str) -> Value {
    let name = country::name_of(alpha3).unwrap_or(alpha3);
    json!({
        "type": "threat-actor", "spec_version": "2.1", "id": state_actor_id(alpha3),
        "created": CREATED, "modified": CREATED, "created_by_ref": IDENTITY_ID,
        "name": format!("{name} (state)"),
        "threat_actor_types": ["nation-state"],
        "description": format!("The state {name} ({alpha3}) as a sponsor of cyber operations."),
    })
}

/// Convert a galaxy (the `threat-actor.json` format) to STIX objects.
pub fn to_stix(galaxy: &Value) -> Result<(Vec<Value>, GalaxyReport), GalaxyError> {
    let values = galaxy
        .get("values")
        .and_then(Value::as_array)
        .ok_or_else(|| GalaxyError {
            path: "$.values".into(),
            message: "missing or not a list: not a MISP galaxy".into(),
        })?;
    let mut report = GalaxyReport::default();
    let mut objects = Vec::new();
    let mut states = std::collections::BTreeSet::new();
    let mut countries = std::collections::BTreeSet::new();
    for (i, v) in values.iter().enumerate() {
        let path = format!("$.values[{i}]");
        let Some(name) = v
            .get("value")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            return Err(GalaxyError {
                path: format!("{path}.value"),
                message: "missing actor name".into(),
            });
        };
        let Some(uuid) = v.get("uuid").and_then(Value::as_str) else {
            return Err(GalaxyError {
                path: format!("{path}.uuid"),
                message: format!("actor '{name}' has no uuid"),
            });
        };
        let meta = v.get("meta").cloned().unwrap_or_else(|| json!({}));
        let motive = strs(meta.get("motive")).join(" ").to_ascii_lowercase();
        let types = strs(meta.get("cfr-type-of-incident"));
        let financial = ["Financial Theft", "Extortion", "Business Email Compromise"];
        let protest = ["Denial of service", "Defacement"];
        let named_sponsor = strs(meta.get("cfr-suspected-state-sponsor"))
            .into_iter()
            .find(|x| x != "Unknown" && !x.trim().is_empty());
        let criminal = motive.contains("cybercrime")
            || (!types.is_empty() && types.iter().all(|t| financial.contains(&t.as_str())));
        let hacktivist = motive.contains("hacktivist")
            || (named_sponsor.is_none()
                && !types.is_empty()
                && types.iter().all(|t| protest.contains(&t.as_str())));
        let mut sponsor = None;
        let mut basis = String::new();
        if let Some(n) = &named_sponsor {
            match country::alpha3_of_name(n) {
                Some(a3) => {
                    sponsor = Some(a3);
                    basis = format!("cfr-suspected-state-sponsor \"{n}\"");
                }
                None => report.warnings.push((
                    format!("{path}.meta.cfr-suspected-state-sponsor"),
                    format!("'{n}' is not a country name concord knows; no sponsor taken"),
                )),
            }
        }
        let mut origin = None;
        if let Some(c) = strs(meta.get("country"))
            .iter()
            .find(|c| !c.trim().is_empty())
        {
            match country::alpha3_of_alpha2(c) {
                Some(a3) => origin = Some((c.to_ascii_uppercase(), a3)),
                None => report.warnings.push((
                    format!("{path}.meta.country"),
                    format!("'{c}' is not an ISO 3166 alpha-2 code; no origin taken"),
                )),
            }
        }
        let set_id = derived("intrusion-set", uuid);
        let mut aliases: Vec<String> = strs(meta.get("synonyms"));
        aliases.retain(|a| a != name && !a.trim().is_empty());
        aliases.dedup();
        let mut refs = vec![json!({"source_name": "misp-galaxy", "external_id": uuid})];
        for r in strs(meta.get("refs")) {
            let url = uri_escape(&r);
            if r.contains("attack.mitre.org/groups/") {
                refs.push(json!({"source_name": "mitre-attack-page", "url": url}));
            } else if r.starts_with("http://") || r.starts_with("https://") {
                refs.push(json!({"source_name": "reference", "url": url}));
            }
        }
        let mut set = json!({
            "type": "intrusion-set", "spec_version": "2.1", "id": set_id,
            "created": CREATED, "modified": CREATED, "created_by_ref": IDENTITY_ID,
            "name": name,
            "external_references": refs,
        });
        if !aliases.is_empty() {
            set["aliases"] = json!(aliases);
        }
        if let Some(d) = v
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
        {
            set["description"] = json!(d);
        }
        if criminal {
            set["primary_motivation"] = json!("personal-gain");
            report.criminal += 1;
        } else if hacktivist {
            set["primary_motivation"] = json!("ideology");
            report.hacktivist += 1;
        }
        objects.push(set);
        report.actors += 1;
        if let Some(a3) = sponsor {
            report.with_sponsor += 1;
            states.insert(a3);
            objects.push(json!({
                "type": "relationship", "spec_version": "2.1",
                "id": derived("relationship", &format!("{uuid}:sponsor")),
                "created": CREATED, "modified": CREATED, "created_by_ref": IDENTITY_ID,
                "relationship_type": "attributed-to",
                "source_ref": set_id, "target_ref": state_actor_id(a3),
                "description": format!("MISP threat-actor galaxy: {basis}"),
                "extensions": {EXTENSION_ID: {
                    "extension_type": "property-extension",
                    "sponsor": a3, "evidence_kind": "context",
                    "reliability": "C", "credibility": 3,
                }},
            }));
        }
        if let Some((a2, a3)) = origin {
            report.with_origin += 1;
            countries.insert((a2.clone(), a3));
            objects.push(json!({
                "type": "relationship", "spec_version": "2.1",
                "id": derived("relationship", &format!("{uuid}:origin")),
                "created": CREATED, "modified": CREATED, "created_by_ref": IDENTITY_ID,
                "relationship_type": "originates-from",
                "source_ref": set_id, "target_ref": location_id(&a2),
                "description": format!("MISP threat-actor galaxy: country \"{a2}\" (where the actor operates or is reported from; not a sponsor)"),
            }));
        }
    }
    for a3 in states {
        objects.push(state_actor(a3));
    }
    for (a2, a3) in countries {
        objects.push(json!({
            "type": "location", "spec_version": "2.1", "id": location_id(&a2),
            "created": CREATED, "modified": CREATED, "created_by_ref": IDENTITY_ID,
            "name": country::name_of(a3).unwrap_or(a3), "country": a2,
        }));
    }
    Ok((objects, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sponsor_rules() {
        let g = json!({"values": [
            {"value": "APT28", "uuid": "5b4ee3ea-eee3-4c8e-8323-85ae32658754",
             "meta": {"country": "RU", "cfr-suspected-state-sponsor": "Russian Federation",
                      "synonyms": ["Fancy Bear", "APT28"],
                      "refs": ["https://attack.mitre.org/groups/G0007/"]}},
            {"value": "Gang", "uuid": "00000000-0000-4000-8000-000000000001",
             "meta": {"country": "RU", "motive": "Cybercrime"}},
            {"value": "Nowhere", "uuid": "00000000-0000-4000-8000-000000000002",
             "meta": {"country": "XX"}},
            {"value": "WOLF SPIDER", "uuid": "00000000-0000-4000-8000-000000000003",
             "meta": {"country": "RO", "synonyms": ["FIN4", "G0085"]}},
            {"value": "Killnet", "uuid": "00000000-0000-4000-8000-000000000004",
             "meta": {"cfr-type-of-incident": "Denial of service",
                      "refs": ["https://example.org/pro-russian-hackers-target-czech-websites"]}},
        ]});
        let (objs, rep) = to_stix(&g).unwrap();
        assert_eq!(rep.actors, 5);
        assert_eq!(rep.with_sponsor, 1, "only a named sponsor is a sponsor");
        assert_eq!(rep.with_origin, 3);
        assert_eq!(rep.criminal, 1);
        assert_eq!(rep.hacktivist, 1, "a DDoS collective is an activist group");
        assert_eq!(rep.warnings.len(), 1);
        assert_eq!(rep.warnings[0].0, "$.values[2].meta.country");
        let rels: Vec<&Value> = objs
            .iter()
            .filter(|o| o["type"] == "relationship")
            .collect();
        let sponsor: Vec<&&Value> = rels
            .iter()
            .filter(|r| r["relationship_type"] == "attributed-to")
            .collect();
        assert_eq!(sponsor.len(), 1);
        assert_eq!(sponsor[0]["extensions"][EXTENSION_ID]["sponsor"], "RUS");
        assert_eq!(sponsor[0]["extensions"][EXTENSION_ID]["reliability"], "C");
        // FIN4's country is its origin, never its sponsor
        let romania = rels
            .iter()
            .find(|r| r["target_ref"] == location_id("RO"))
            .unwrap();
        assert_eq!(romania["relationship_type"], "originates-from");
        assert!(objs
            .iter()
            .any(|o| o["type"] == "location" && o["country"] == "RO"));
        assert_eq!(objs[0]["aliases"], json!(["Fancy Bear"]));
        let killnet = objs.iter().find(|o| o["name"] == "Killnet").unwrap();
        assert_eq!(killnet["primary_motivation"], "ideology");
        // every object is valid STIX
        for o in &objs {
            let r =
                concord_stix::validate::validate_object(o, "$", &concord_stix::Options::default());
            assert!(r.is_valid(), "{o}: {:?}", r.errors);
        }
        // ids are stable
        let (again, _) = to_stix(&g).unwrap();
        assert_eq!(objs, again);
    }

    #[test]
    fn not_a_galaxy() {
        let e = to_stix(&json!({"type": "bundle"})).unwrap_err();
        assert_eq!(e.path, "$.values");
        let e = to_stix(&json!({"values": [{"uuid": "x"}]})).unwrap_err();
        assert_eq!(e.path, "$.values[0].value");
    }
}

/// A galaxy reference as a valid RFC 3986 URI: characters a URI may not hold (spaces, `|`,
/// `"`, non-ASCII, a second `#`, brackets past the host) percent-encoded; `%` kept.
fn uri_escape(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut seen_hash = false;
    let mut slashes = 0;
    for c in url.chars() {
        let allowed = c.is_ascii_alphanumeric()
            || "-._~:/?@!$&'()*+,;=%".contains(c)
            || (c == '#' && !seen_hash)
            || ((c == '[' || c == ']') && slashes < 3);
        if c == '#' {
            seen_hash = true;
        }
        if c == '/' {
            slashes += 1;
        }
        if allowed {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod uri_tests {
    #[test]
    fn galaxy_references_become_valid_uris() {
        assert_eq!(
            super::uri_escape("https://x.com/report/lucid/overview#paragraph-1055|388"),
            "https://x.com/report/lucid/overview#paragraph-1055%7C388"
        );
        assert_eq!(
            super::uri_escape("https://x.com/a b#c#d"),
            "https://x.com/a%20b#c%23d"
        );
        assert_eq!(super::uri_escape("https://x.com/é"), "https://x.com/%C3%A9");
    }
}
