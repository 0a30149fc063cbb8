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
        s["groups_with_sponsor"], 0,
        "ATT&CK alone names no sponsors"
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
    assert_eq!(apt28["kind"], "unknown");

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
    let sandworm = json(concord(d.path()).args(["kb", "show", "Sandworm Team", "--json"]));
    assert_eq!(sandworm["sponsors"][0]["state"], "RUS");
    let s = json(concord(d.path()).args(["kb", "show", "--json"]));
    assert_eq!(
        s["attack_groups"], 5,
        "galaxy actors merge, they do not duplicate"
    );
    assert!(s["groups_by_sponsor"]["CHN"].as_u64().unwrap() > 100);
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
