//! `concord rift`: the exact JSON document on stdout (also with --svg), priors, errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::concord;

use serde_json::Value;

#[test]
fn rift_json_is_the_only_stdout_also_with_svg() {
    let d = tempfile::tempdir().unwrap();
    let out = concord(d.path())
        .args(["rift", "--json", "--svg"])
        .arg(d.path().join("charts"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["ceiling", "cells", "options", "rift_index", "veto_index"]
    );
    assert_eq!(doc["cells"], 552_960);
    let ids: Vec<&str> = doc["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 11);
    assert_eq!(ids[0], "share");
    for o in doc["options"].as_array().unwrap() {
        let k: Vec<&String> = o.as_object().unwrap().keys().collect();
        assert_eq!(
            k,
            [
                "adopted_share",
                "blocked_by",
                "id",
                "missing_share",
                "pivotal",
                "rift_index",
                "veto_index",
                "victim_unmet"
            ]
        );
    }
    let diplomatic = &doc["options"][4];
    assert_eq!(diplomatic["id"], "diplomatic");
    assert_eq!(
        diplomatic["rift_index"], 0.0,
        "coalition rungs have no rift"
    );
    assert_eq!(diplomatic["veto_index"], 0.0);
    assert_eq!(diplomatic["pivotal"], serde_json::json!({}));
    assert_eq!(diplomatic["blocked_by"], serde_json::json!({}));
    let charts: Vec<String> = std::fs::read_dir(d.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for f in [
        "heatmap-espionage.svg",
        "heatmap-casualties.svg",
        "rift-index.svg",
        "pivotal.svg",
        "ceiling.svg",
    ] {
        assert!(charts.contains(&f.to_string()), "{f} in {charts:?}");
    }
    let svg = std::fs::read_to_string(d.path().join("charts/pivotal.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("FRA"));
}

#[test]
fn prior_changes_weights_and_bad_priors_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["rift", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::fs::write(
        d.path().join("p.toml"),
        "[weights.actor]\nstate = 10\n[weights.victim]\nEST = 5\n",
    )
    .unwrap();
    let out = concord(d.path())
        .args(["rift", "--json", "--prior", "p.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let weighted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(weighted["rift_index"], base["rift_index"]);
    assert_eq!(
        weighted["options"][9]["pivotal"], base["options"][9]["pivotal"],
        "pivotal counts are unweighted"
    );
    std::fs::write(d.path().join("bad.toml"), "[weights.actor]\nnation = 2\n").unwrap();
    let out = concord(d.path())
        .args(["rift", "--json", "--prior", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown actor level 'nation'"));
    assert!(out.stdout.is_empty());
}

#[test]
fn readable_summary_and_harmonise() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.toml"), "name = \"T\"\n[[member]]\ncode = \"AAA\"\nname = \"AAA\"\nlat = 0.0\nlon = 0.0\n[[member]]\ncode = \"BBB\"\nname = \"BBB\"\nlat = 0.0\nlon = 0.0\n[[member]]\ncode = \"CCC\"\nname = \"CCC\"\nlat = 0.0\nlon = 0.0\n[[rung]]\nid = \"act\"\noption = \"act\"\nrule = \"consensus\"\n").unwrap();
    let pol = d.path().join("pol");
    std::fs::create_dir_all(&pol).unwrap();
    std::fs::write(
        pol.join("a.toml"),
        "member = \"AAA\"\n[stance.act]\nsupport = \"true\"\n",
    )
    .unwrap();
    std::fs::write(
        pol.join("b.toml"),
        "member = \"BBB\"\n[stance.act]\nsupport = \"true\"\n",
    )
    .unwrap();
    std::fs::write(
        pol.join("c.toml"),
        "member = \"CCC\"\n[stance.act]\nblock = \"severity >= high\"\n",
    )
    .unwrap();
    let out = concord(d.path())
        .args([
            "rift",
            "--harmonise",
            "2",
            "--alliance",
            "a.toml",
            "--policies",
            "pol",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rift index 0.5000"), "{text}");
    assert!(
        text.contains("rule act (rung.act.rule)")
            && text.contains("-consensus")
            && text.contains("+coalition:2"),
        "{text}"
    );
    let out = concord(d.path())
        .args([
            "rift",
            "--harmonise",
            "2",
            "--json",
            "--alliance",
            "a.toml",
            "--policies",
            "pol",
            "--out",
            "edited",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["proposals"][0]["kind"], "rule");
    assert_eq!(doc["before"]["rift_index"], 0.5);
    // the written set, run through rift, gives exactly the claimed figures
    let again: Value = serde_json::from_slice(
        &concord(d.path())
            .args([
                "rift",
                "--json",
                "--alliance",
                "edited/alliance.toml",
                "--policies",
                "edited/policies",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(again, doc["after"]);
    let last = doc["proposals"].as_array().unwrap().last().unwrap();
    assert_eq!(again["rift_index"], last["figures_after"]["rift_index"]);
}
