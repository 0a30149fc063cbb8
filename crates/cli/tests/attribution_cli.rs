//! `concord attribute`, attribution in `assess`, and `replay`: rated claims, contradictions,
//! evidence over time; with the ATT&CK subset (skipped when ../shared/data is absent),
//! technique ranking.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{concord, ingest, run_json};

use serde_json::{json, Value};
use std::path::Path;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const INC: &str = "incident--0000000a-95f3-4c04-a882-116832996da0";

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
    // ATT&CK's description attributes Sandworm Team to Russia's GRU: techniques alone
    // point to Russia, but never beyond "low" (bounded technique evidence, no claim)
    assert_eq!(r["state"], "RUS", "{r}");
    let level = r["level"].as_str().unwrap();
    assert!(level == "none" || level == "low", "{level}");
    assert_eq!(r["ach"]["rows"][0]["evidence"], "techniques");
}

#[test]
fn replay_reports_when_each_rung_was_adopted_and_who_held_it_back() {
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
    let r = run_json(d.path(), &["replay", "--json", INC]);
    let steps = r["steps"].as_array().unwrap();
    let at: Vec<&str> = steps.iter().map(|s| s["at"].as_str().unwrap()).collect();
    assert_eq!(
        at,
        [
            "2026-03-01T00:00:00.000Z",
            "2026-03-02T00:00:00.000Z",
            "2026-03-10T00:00:00.000Z"
        ]
    );
    let levels: Vec<&str> = steps
        .iter()
        .map(|s| s["vector"]["attribution"].as_str().unwrap())
        .collect();
    assert_eq!(levels[0], "none");
    assert_eq!(levels[2], "high");
    // each rung: first adoption is one of the instants, and a rung adopted later than the
    // first instant names who blocked it just before
    let rungs = r["rungs"].as_array().unwrap();
    assert_eq!(rungs.len(), 11);
    let mut later = 0;
    for g in rungs {
        if let Some(t) = g["first_adopted"].as_str() {
            let k = at.iter().position(|x| *x == t).unwrap();
            assert!(steps[k]["adopted"].as_array().unwrap().contains(&g["id"]));
            if k > 0 {
                later += 1;
                assert!(!steps[k - 1]["adopted"]
                    .as_array()
                    .unwrap()
                    .contains(&g["id"]));
            }
        }
    }
    assert_eq!(
        later, 0,
        "this incident's severity adopts nothing later: {r}"
    );
    // evidence ends blocking: FRA and DEU block a joint public attribution until the first
    // claim, and restrictive measures until the second
    let rung = |id: &str| rungs.iter().find(|g| g["id"] == id).unwrap();
    let spans = |id: &str| -> Vec<(String, String)> {
        rung(id)["blocked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["member"].as_str().unwrap().to_string(),
                    b["until"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // the claims end Germany's and France's objections to an overt campaign (escalation risk
    // below high attribution) and Germany's to countermeasures; France keeps objecting to
    // collective countermeasures it is not the victim of
    for m in ["DEU", "FRA"] {
        assert!(
            spans("inform").contains(&(m.into(), at[2].into())),
            "{:?}",
            spans("inform")
        );
    }
    assert!(spans("countermeasures").contains(&("DEU".into(), at[2].into())));
    assert!(spans("countermeasures").contains(&("FRA".into(), "now".into())));
    // not adopted, and a coalition rung: objections do not count, the support is short
    assert_eq!(rung("sanctions")["first_adopted"], Value::Null);
    assert!(rung("sanctions")["held_back_by"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(rung("sanctions")["rule"], "coalition:3");
    assert_eq!(rung("sanctions")["missing"], json!(["support"]));
    // the text output explains it
    let out = concord(d.path()).args(["replay", INC]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("never adopted; missing at the end: support"),
        "{text}"
    );
}

#[test]
fn replay_of_a_campaign_shows_time_to_consensus() {
    // two incidents (the second, on 6 March, severe) and two rated claims (3 and 9 March)
    let d = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/replay-campaign.json");
    concord(d.path())
        .arg("ingest")
        .arg(&fixture)
        .assert()
        .success();
    let camp = "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    let r = run_json(d.path(), &["replay", "--json", camp]);
    let highest: Vec<&str> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["highest_adopted"].as_str().unwrap_or("none"))
        .collect();
    // v2: defensive operations need three contributors and high attribution, Article 5 a
    // legal basis a severe disruption never gives, and Article 4 (never invoked for a cyber
    // incident) an emergency
    assert_eq!(highest, ["assist", "assist", "assist", "defend"]);
    let rung = |id: &str| {
        r["rungs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        rung("sanctions")["first_adopted"],
        "2026-03-09T00:00:00.000Z"
    );
    // a coalition rung: nobody's objection holds it back
    assert_eq!(rung("sanctions")["held_back_by"], json!([]));
    assert_eq!(rung("defend")["first_adopted"], "2026-03-09T00:00:00.000Z");
    assert_eq!(rung("share")["first_adopted"], "2026-03-01T00:00:00.000Z");
    assert_eq!(rung("countermeasures")["first_adopted"], Value::Null);
    assert_eq!(rung("countermeasures")["held_back_by"], json!(["FRA"]));
    assert_eq!(rung("countermeasures")["missing"], json!(["block"]));
    assert_eq!(rung("consult")["first_adopted"], Value::Null);
    let art5 = rung("art5");
    assert_eq!(art5["first_adopted"], Value::Null);
    assert_eq!(art5["reasons"]["FRA"], json!(["legal"]));
}

#[test]
fn brief_in_markdown_html_pdf_and_docx() {
    let d = tempfile::tempdir().unwrap();
    let baltic = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";
    let out = concord(d.path())
        .args(["brief", "--demo", baltic])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    for w in [
        "**TLP:AMBER**",
        "**DTG**",
        "# Decision brief",
        "## Bottom line up front",
        "**Recommendation:**",
        "## The NATO ladder",
        "## Situation",
        "## Assessment",
        "## Options",
        "## Path to consensus",
        "## Sources",
        "FICTIONAL",
        "ILLUSTRATIVE POSITIONS",
        "**Blocked: proportionate cyber countermeasures (voluntary national effects)**, by FRA",
    ] {
        assert!(md.contains(w), "markdown lacks {w}:\n{md}");
    }
    let at = |w: &str| md.find(w).unwrap();
    assert!(
        at("## Bottom line up front") < at("## Situation"),
        "bottom line first"
    );
    let out = concord(d.path())
        .args(["brief", "--demo", "--format", "html", baltic])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.contains("<h2>Bottom line up front</h2>"));
    assert!(html.contains("<div class=\"tlp top amber\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );
    let chromium = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let out = concord(d.path())
        .args([
            "brief",
            "--demo",
            "--format",
            "pdf",
            "--out",
            "brief.pdf",
            baltic,
        ])
        .output()
        .unwrap();
    if chromium {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pdf = std::fs::read(d.path().join("brief.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    } else {
        eprintln!("no chromium: the PDF must be refused with a clear message");
        assert_eq!(out.status.code(), Some(3));
        assert!(String::from_utf8_lossy(&out.stderr).contains("Chromium"));
    }
    let out = concord(d.path())
        .args([
            "brief",
            "--demo",
            "--format",
            "docx",
            "--out",
            "brief.docx",
            baltic,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docx = std::fs::read(d.path().join("brief.docx")).unwrap();
    assert!(docx.starts_with(b"PK"), "a docx is a zip archive");
    // docx and pdf need a file
    let out = concord(d.path())
        .args(["brief", "--demo", "--format", "docx", baltic])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --out FILE"));
    // an unknown id is refused
    let out = concord(d.path())
        .args([
            "brief",
            "--demo",
            "campaign--00000000-0000-4000-8000-000000000000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
