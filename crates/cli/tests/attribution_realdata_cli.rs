//! Issue 15 end to end, as a CTI analyst works: enterprise ATT&CK 18.1 ingested, the MISP
//! threat-actor galaxy imported (`kb import-galaxy`), then incidents attributed with
//! `concord attribute`. Needs ../shared/data; skips when it is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{concord, ingest, run_json};

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const EST: &str = "identity--00000001-f010-4473-83ec-1edf84858f4c";
const APT28: &str = "intrusion-set--bef4c620-0787-42a8-a96d-b7eb6e85917c";
const NATO: &[&str] = &[
    "ALB", "BEL", "BGR", "CAN", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GBR", "GRC",
    "HRV", "HUN", "ISL", "ITA", "LTU", "LUX", "LVA", "MKD", "MNE", "NLD", "NOR", "POL", "PRT",
    "ROU", "SVK", "SVN", "SWE", "TUR", "USA",
];

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    (p.join("attack/enterprise-attack-18.1.json.gz").is_file()
        && p.join("incidents/misp-galaxy/threat-actor.json").is_file())
    .then_some(p)
}

/// T-id -> attack-pattern id in the bundle.
fn attack_patterns(data: &Path) -> BTreeMap<String, String> {
    let bytes = concord_stix::json::read_file(
        &data.join("attack/enterprise-attack-18.1.json.gz"),
        concord_stix::json::DEFAULT_MAX_BYTES,
    )
    .unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let mut out = BTreeMap::new();
    for o in doc["objects"].as_array().unwrap() {
        if o["type"] == "attack-pattern" && o["revoked"] != true {
            if let Some(t) = concord_assess::kb::attack_id(o) {
                out.insert(t.to_string(), o["id"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

fn incident(n: u32, name: &str) -> (String, Value) {
    let id = format!("incident--{n:08x}-95f3-4c04-a882-116832996da0");
    let v = json!({"type": "incident", "spec_version": "2.1", "id": id,
        "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": name,
        "extensions": {EXT: {"extension_type": "property-extension", "victims": ["EST"],
            "sectors": ["government"], "effects": "espionage", "information_impact": "exfiltration",
            "first_seen": "2026-03-01T00:00:00.000Z"}}});
    (id, v)
}

fn uses(n: u32, k: usize, from: &str, to: &str) -> Value {
    json!({"type": "relationship", "spec_version": "2.1",
        "id": format!("relationship--{n:08x}-{k:04x}-4000-8000-000000000001"),
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
        "relationship_type": "uses", "source_ref": from, "target_ref": to})
}

fn claim(n: u32, from: &str, to: &str, sponsor: &str) -> (String, Value) {
    let id = format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad");
    let v = json!({"type": "relationship", "spec_version": "2.1", "id": id,
        "created": "2026-03-03T00:00:00.000Z", "modified": "2026-03-03T00:00:00.000Z",
        "relationship_type": "attributed-to", "created_by_ref": EST,
        "source_ref": from, "target_ref": to,
        "extensions": {EXT: {"extension_type": "property-extension", "reliability": "B",
            "credibility": 2, "evidence_kind": "intelligence", "sponsor": sponsor}}});
    (id, v)
}

fn text(dir: &Path, args: &[&str]) -> String {
    let out = concord(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn attack_and_galaxy_attribution_as_an_analyst_runs_it() {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data (ATT&CK 18.1 and the MISP galaxy) not present");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    concord(d.path())
        .arg("ingest")
        .arg(data.join("attack/enterprise-attack-18.1.json.gz"))
        .assert()
        .success();
    concord(d.path())
        .args(["kb", "import-galaxy"])
        .arg(data.join("incidents/misp-galaxy/threat-actor.json"))
        .assert()
        .success();
    let ap = attack_patterns(&data);
    let identity = json!({"type": "identity", "spec_version": "2.1", "id": EST,
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
        "name": "EST national CERT", "identity_class": "organization",
        "extensions": {EXT: {"extension_type": "property-extension", "member": "EST"}}});
    // an APT28-style phishing incident against a foreign ministry, with a B2 intelligence
    // claim naming APT28 and Russia; the same incident without the claim; an incident with
    // FIN4's tradecraft (FIN4's galaxy country is Romania); a DDoS named as Killnet's
    let phishing = [
        "T1566.001",
        "T1566.002",
        "T1204.002",
        "T1598.003",
        "T1221",
        "T1071.001",
    ];
    let (inc, i1) = incident(1, "spearphishing against the foreign ministry");
    let (plain, i2) = incident(2, "the same, no claim");
    let (fin, i3) = incident(3, "payment data theft");
    let (ddos, i4) = incident(4, "DDoS on government portals");
    let (claim_id, c1) = claim(1, &inc, APT28, "RUS");
    let killnet = run_json(d.path(), &["kb", "show", "Killnet", "--json"]);
    let (_, c4) = claim(4, &ddos, killnet["stix_id"].as_str().unwrap(), "RUS");
    let mut objs = vec![identity, i1, i2, i3, i4, c1, c4];
    for (k, t) in phishing.iter().enumerate() {
        objs.push(uses(1, k, &inc, &ap[*t]));
        objs.push(uses(2, k, &plain, &ap[*t]));
    }
    let fin4 = run_json(d.path(), &["kb", "show", "FIN4", "--json"]);
    for (k, t) in fin4["techniques"].as_array().unwrap().iter().enumerate() {
        objs.push(uses(3, k, &fin, &ap[t.as_str().unwrap()]));
    }
    ingest(d.path(), "incidents.json", objs);

    // the example: Russia, moderate or high, APT28 first
    let r = run_json(d.path(), &["attribute", "--json", &inc]);
    assert_eq!(r["state"], "RUS", "{}", r["reasons"]);
    let level = r["level"].as_str().unwrap();
    assert!(
        level == "moderate" || level == "high",
        "{level}: {}",
        r["reasons"]
    );
    assert_eq!(r["groups"][0]["group_id"], "G0007", "{}", r["groups"]);
    assert_eq!(r["groups"][0]["name"], "APT28");
    assert_eq!(r["actor"], "state");
    // every probability comes with its ICD 203 words, consistent with the level
    let p = r["p"].as_f64().unwrap();
    assert!(p >= 0.80, "{p}");
    let words = r["estimate"]["words"].as_str().unwrap();
    assert!(
        words == "very likely" || words == "almost certain",
        "{words}"
    );
    assert!(r["ranked_states"][0]["words"].is_string());
    assert!(r["groups"][0]["range"].as_str().unwrap().ends_with('%'));
    assert!(r["statement"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{level}: Russian Federation (RUS), {words}")));
    // the evidence that holds the level up, and what the ladder would do without it
    let s = &r["sensitivity"];
    assert_eq!(s["level"]["evidence"], claim_id, "{s}");
    assert_ne!(s["level"]["level"], level);
    assert!(s["level"]["rungs"].is_array());
    assert!(
        s["tried"].as_array().unwrap().len() >= 3,
        "removed and downgraded: {s}"
    );
    let out = text(d.path(), &["attribute", &inc]);
    assert!(!out.contains("1.000"), "{out}");
    assert!(
        out.contains(&format!("{level}: Russian Federation (RUS), {words} (")),
        "{out}"
    );
    assert!(out.contains("sensitivity:"), "{out}");
    // the assessment carries the level and actor into the vector
    let a = run_json(d.path(), &["assess", "--json", &inc]);
    assert_eq!(a["vector"]["attribution"], level);
    assert_eq!(a["vector"]["actor"], "state");

    // without the claim: techniques alone stay below moderate and never name an ally
    let r = run_json(d.path(), &["attribute", "--json", &plain]);
    let level = r["level"].as_str().unwrap();
    assert!(level == "none" || level == "low", "{level}");
    if let Some(st) = r["state"].as_str() {
        assert!(!NATO.contains(&st), "{st}");
    }
    let top3: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|g| g["group_id"].as_str().unwrap())
        .collect();
    assert!(top3.contains(&"G0007"), "{top3:?}");

    // FIN4's tradecraft: a criminal group, and never Romania
    let r = run_json(d.path(), &["attribute", "--json", &fin]);
    assert_ne!(r["state"], "ROU", "{r}");
    assert!(r["states"].get("ROU").is_none() && r["withheld"].get("ROU").is_none());
    assert_eq!(r["groups"][0]["group_id"], "G0085", "{}", r["groups"]);
    assert_eq!(r["groups"][0]["kind"], "criminal");

    // a DDoS claimed as Killnet's: a state-aligned actor, Russia
    let r = run_json(d.path(), &["attribute", "--json", &ddos]);
    assert_eq!(r["state"], "RUS", "{}", r["reasons"]);
    assert_eq!(r["actor"], "state_aligned", "{}", r["reasons"]);
}
