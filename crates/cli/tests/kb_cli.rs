//! `concord kb`: the knowledge base from stored ATT&CK, and the MISP galaxy importer.
//! Needs ../shared/data (ATT&CK subset and the galaxy); skips when it is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use assert_cmd::Command;
use common::concord;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.join("attack").is_dir().then_some(p)
}

fn json(c: &mut Command) -> Value {
    let out = c.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn kb_from_attack_and_galaxy() {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    concord(d.path())
        .arg("ingest")
        .arg(data.join("attack/enterprise-attack-18.1-subset-5-groups.json"))
        .assert()
        .success();
    let s = json(concord(d.path()).args(["kb", "show", "--json"]));
    assert_eq!(s["attack_groups"], 5);
    assert_eq!(
        s["groups_with_sponsor"], 5,
        "ATT&CK's descriptions name the sponsors of all five"
    );
    let apt28 = json(concord(d.path()).args(["kb", "show", "G0007", "--json"]));
    assert_eq!(apt28["name"], "APT28");
    assert!(apt28["techniques"].as_array().unwrap().len() > 50);
    // a sub-technique and its parent are both known techniques
    assert!(apt28["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t.as_str().unwrap().contains('.')));
    // "attributed to Russia's General Staff Main Intelligence Directorate (GRU)": A
    assert_eq!(apt28["kind"], "state");
    assert_eq!(apt28["sponsors"][0]["state"], "RUS");
    assert_eq!(apt28["sponsors"][0]["reliability"], "A");
    assert!(apt28["sponsors"][0]["note"]
        .as_str()
        .unwrap()
        .contains("GRU"));

    let galaxy = data.join("incidents/misp-galaxy/threat-actor.json");
    let r = json(
        concord(d.path())
            .args(["kb", "import-galaxy", "--json"])
            .arg(&galaxy),
    );
    assert!(r["report"]["actors"].as_u64().unwrap() > 1000);
    assert!(r["stored"].as_u64().unwrap() > 1000);
    // idempotent
    let again = json(
        concord(d.path())
            .args(["kb", "import-galaxy", "--json"])
            .arg(&galaxy),
    );
    assert_eq!(again["stored"], 0);
    // the galaxy's APT28 merges into G0007 and names Russia; aliases resolve
    let apt28 = json(concord(d.path()).args(["kb", "show", "Fancy Bear", "--json"]));
    assert_eq!(apt28["attack_id"], "G0007");
    assert_eq!(apt28["kind"], "state");
    assert_eq!(apt28["sponsors"][0]["state"], "RUS");
    // the galaxy's suspected sponsor is a second source, rated C
    assert!(apt28["sponsors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["origin"] == "MISP galaxy" && l["reliability"] == "C"));
    let sandworm = json(concord(d.path()).args(["kb", "show", "Sandworm Team", "--json"]));
    assert_eq!(sandworm["sponsors"][0]["state"], "RUS");
    let s = json(concord(d.path()).args(["kb", "show", "--json"]));
    assert_eq!(
        s["attack_groups"], 5,
        "galaxy actors merge, they do not duplicate"
    );
    // the galaxy's country is an origin, never a sponsor: FIN4 (RO) is criminal, no state
    let fin4 = json(concord(d.path()).args(["kb", "show", "FIN4", "--json"]));
    assert_eq!(fin4["kind"], "criminal");
    assert!(fin4["pooled"].as_array().unwrap().is_empty(), "{fin4}");
    assert!(fin4["sponsors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["relation"] == "origin"));
    // DDoS collectives linked to a state are state-aligned
    for name in ["Killnet", "NoName057(16)"] {
        let g = json(concord(d.path()).args(["kb", "show", name, "--json"]));
        assert_eq!(g["kind"], "state_aligned", "{name}: {g}");
        assert_eq!(g["pooled"][0][0], "RUS", "{name}");
    }
    // the text names each link's source and reliability
    let out = concord(d.path())
        .args(["kb", "show", "APT28"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("RUS sponsor reliability A  ATT&CK description (G0007)"),
        "{text}"
    );
    assert!(text.contains("reliability C  MISP galaxy"), "{text}");
}

#[test]
fn galaxy_errors_name_the_place() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("bad.json"), b"{\"values\": [1,}").unwrap();
    let out = concord(d.path())
        .args(["kb", "import-galaxy", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    std::fs::write(
        d.path().join("nope.json"),
        b"{\"values\": [{\"uuid\": \"u\"}]}",
    )
    .unwrap();
    let out = concord(d.path())
        .args(["kb", "import-galaxy", "nope.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.values[0].value"));
    // nothing stored
    let s = json(concord(d.path()).args(["kb", "show", "--json"]));
    assert_eq!(s["groups"], 0);
}
