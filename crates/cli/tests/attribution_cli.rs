//! `concord attribute`, attribution in `assess`, and `replay`: rated claims, contradictions,
//! evidence over time; with the ATT&CK subset (skipped when ../shared/data is absent),
//! technique ranking.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::Path;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const INC: &str = "incident--0000000a-95f3-4c04-a882-116832996da0";

fn concord(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("concord").unwrap();
    c.current_dir(dir).env_remove("RUST_LOG");
    c
}

fn ingest(dir: &Path, name: &str, objects: Vec<Value>) {
    let b = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objects});
    std::fs::write(dir.join(name), serde_json::to_vec(&b).unwrap()).unwrap();
    let out = concord(dir).args(["ingest", name]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_json(dir: &Path, args: &[&str]) -> Value {
    let out = concord(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn identity(n: u32, member: &str) -> Value {
    json!({"type": "identity", "spec_version": "2.1", "id": format!("identity--{n:08x}-f010-4473-83ec-1edf84858f4c"),
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": format!("{member} national CERT"),
        "identity_class": "organization",
        "extensions": {EXT: {"extension_type": "property-extension", "member": member}}})
}

fn incident() -> Value {
    json!({"type": "incident", "spec_version": "2.1", "id": INC, "created": "2026-03-01T00:00:00.000Z",
        "modified": "2026-03-01T00:00:00.000Z", "name": "grid operator intrusion",
        "extensions": {EXT: {"extension_type": "property-extension", "victims": ["EST"], "sectors": ["energy"],
            "effects": "disruption", "functional_impact": "partial_loss", "first_seen": "2026-03-01T00:00:00.000Z"}}})
}

fn state(code: &str, n: u32) -> Value {
    json!({"type": "threat-actor", "spec_version": "2.1", "id": format!("threat-actor--{n:08x}-1111-4111-8111-111111111111"),
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
        "name": format!("{code} state"), "threat_actor_types": ["nation-state"]})
}

/// A claim by identity `by` that the incident is the work of `sponsor`, created at `at`.
fn claim(
    n: u32,
    by: u32,
    sponsor: &str,
    target: u32,
    rating: (&str, u8),
    kind: &str,
    at: &str,
) -> Value {
    json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"),
        "created": at, "modified": at, "relationship_type": "attributed-to",
        "created_by_ref": format!("identity--{by:08x}-f010-4473-83ec-1edf84858f4c"),
        "source_ref": INC, "target_ref": format!("threat-actor--{target:08x}-1111-4111-8111-111111111111"),
        "extensions": {EXT: {"extension_type": "property-extension", "reliability": rating.0, "credibility": rating.1,
            "evidence_kind": kind, "sponsor": sponsor}}})
}

#[test]
fn no_evidence_gives_none() {
    let d = tempfile::tempdir().unwrap();
    ingest(d.path(), "a.json", vec![incident()]);
    let r = run_json(d.path(), &["attribute", "--json", INC]);
    assert_eq!(r["level"], "none");
    assert_eq!(r["actor"], "unknown");
    assert!(r["reasons"][0].as_str().unwrap().starts_with("no evidence"));
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["groups", "states", "level", "reasons", "ach"] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
}

#[test]
fn contradictory_a1_claims_give_none_or_low_and_say_why() {
    let d = tempfile::tempdir().unwrap();
    ingest(
        d.path(),
        "a.json",
        vec![
            identity(1, "EST"),
            identity(2, "FRA"),
            incident(),
            state("RUS", 1),
            state("CHN", 2),
            claim(
                1,
                1,
                "RUS",
                1,
                ("A", 1),
                "intelligence",
                "2026-03-02T00:00:00.000Z",
            ),
            claim(
                2,
                2,
                "CHN",
                2,
                ("A", 1),
                "intelligence",
                "2026-03-03T00:00:00.000Z",
            ),
        ],
    );
    let r = run_json(d.path(), &["attribute", "--json", INC]);
    let level = r["level"].as_str().unwrap();
    assert!(level == "none" || level == "low", "{level}");
    let reasons: Vec<&str> = r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|x| x.contains("claims name different states (CHN, RUS)")),
        "{reasons:?}"
    );
    assert!(
        (r["states"]["RUS"].as_f64().unwrap() - r["states"]["CHN"].as_f64().unwrap()).abs() < 1e-9
    );
    // the ACH matrix rates each claim against the hypotheses, and both are diagnostic
    assert_eq!(r["ach"]["rows"].as_array().unwrap().len(), 2);
    assert!(r["ach"]["rows"][0]["diagnostic"].as_bool().unwrap());
    // the two states tie: removing a claim settles it, so the result is sensitive
    assert!(!r["ach"]["sensitive_to"].as_array().unwrap().is_empty());
}

#[test]
fn two_rated_kinds_give_high_and_time_matters() {
    let d = tempfile::tempdir().unwrap();
    ingest(
        d.path(),
        "a.json",
        vec![
            identity(1, "EST"),
            identity(2, "LTU"),
            incident(),
            state("RUS", 1),
            claim(
                1,
                1,
                "RUS",
                1,
                ("A", 1),
                "intelligence",
                "2026-03-02T00:00:00.000Z",
            ),
            claim(
                2,
                2,
                "RUS",
                1,
                ("B", 2),
                "malware",
                "2026-03-10T00:00:00.000Z",
            ),
        ],
    );
    let r = run_json(d.path(), &["attribute", "--json", INC]);
    assert_eq!(r["level"], "high", "{r}");
    assert_eq!(r["state"], "RUS");
    assert_eq!(r["actor"], "state");
    assert!(r["p"].as_f64().unwrap() >= 0.95);
    // as of the first claim only: one kind, not high
    let early = run_json(
        d.path(),
        &["attribute", "--json", "--at", "2026-03-05T00:00:00Z", INC],
    );
    assert_ne!(early["level"], "high");
    assert!(early["p"].as_f64().unwrap() < r["p"].as_f64().unwrap());
    // before any claim: none
    let before = run_json(
        d.path(),
        &["attribute", "--json", "--at", "2026-03-01T12:00:00Z", INC],
    );
    assert_eq!(before["level"], "none");
    // assess carries the level and actor into the vector
    let a = run_json(d.path(), &["assess", "--json", INC]);
    assert_eq!(a["attribution"]["level"], "high");
    assert_eq!(a["vector"]["attribution"], "high");
    assert_eq!(a["vector"]["actor"], "state");
}

#[test]
fn bad_at_and_unknown_id_are_refused() {
    let d = tempfile::tempdir().unwrap();
    ingest(d.path(), "a.json", vec![incident()]);
    let out = concord(d.path())
        .args(["attribute", "--at", "yesterday", INC])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = concord(d.path())
        .args([
            "attribute",
            "incident--00000000-0000-4000-8000-000000000000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn techniques_rank_the_group_that_uses_them() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/attack");
    let subset = data.join("enterprise-attack-18.1-subset-5-groups.json");
    if !subset.exists() {
        eprintln!("skipped: ../shared/data not present");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    concord(d.path())
        .arg("ingest")
        .arg(&subset)
        .assert()
        .success();
    // ten of Sandworm Team's techniques, by their attack-pattern ids
    let doc: Value = serde_json::from_slice(&std::fs::read(&subset).unwrap()).unwrap();
    let objects = doc["objects"].as_array().unwrap();
    let sandworm = "intrusion-set--381fcf73-60f6-4ab2-9991-6af3cbc35192";
    let used: Vec<&str> = objects
        .iter()
        .filter(|o| {
            o["type"] == "relationship"
                && o["relationship_type"] == "uses"
                && o["source_ref"] == sandworm
        })
        .map(|o| o["target_ref"].as_str().unwrap())
        .filter(|t| t.starts_with("attack-pattern--"))
        .take(10)
        .collect();
    assert_eq!(used.len(), 10);
    let mut objs = vec![incident()];
    for (n, t) in used.iter().enumerate() {
        objs.push(json!({"type": "relationship", "spec_version": "2.1",
            "id": format!("relationship--{:08x}-0000-4000-8000-000000000001", n + 100),
            "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
            "relationship_type": "uses", "source_ref": INC, "target_ref": t}));
    }
    ingest(d.path(), "b.json", objs);
    let r = run_json(d.path(), &["attribute", "--json", INC]);
    assert_eq!(r["groups"][0]["group_id"], "G0034", "{}", r["groups"]);
    assert_eq!(r["groups"][0]["name"], "Sandworm Team");
    // no sponsor known without the galaxy: techniques alone name no state
    assert_eq!(r["level"], "none");
    assert_eq!(r["ach"]["rows"][0]["evidence"], "techniques");
}
