//! `concord adversary`, `decide --sensitivity` and `rift --safe-harbours`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{concord, run_json};

use serde_json::{json, Value};

fn write_vector(dir: &std::path::Path, v: Value) {
    std::fs::write(dir.join("v.json"), v.to_string()).unwrap();
}

#[test]
fn the_adversary_finds_a_move_that_works_and_says_why() {
    let d = tempfile::tempdir().unwrap();
    // the APT28 campaign of 2024: NATO stood in solidarity
    write_vector(
        d.path(),
        json!({"severity": "medium", "attribution": "high", "effects": "espionage", "actor": "state",
               "sectors": ["government", "defence"], "victims": ["DEU", "CZE", "LTU", "POL", "SVK", "SWE"]}),
    );
    let r = run_json(
        d.path(),
        &[
            "adversary",
            "--json",
            "--assessment",
            "v.json",
            "--target",
            "solidarity",
        ],
    );
    let m = &r["move"];
    assert_eq!(m["adopted_before"], true);
    assert!(m["cost"].as_u64().unwrap() >= 1);
    assert!(!m["changes"].as_array().unwrap().is_empty());
    let after = r["after"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "solidarity")
        .unwrap();
    assert_eq!(after["adopted"], false, "{r}");
    // severity and effects kept as high as possible
    assert_eq!(m["vector"]["severity"], "medium");
    // the move, decided by `decide`, indeed leaves the rung unadopted
    std::fs::write(d.path().join("after.json"), m["vector"].to_string()).unwrap();
    let again = run_json(
        d.path(),
        &["decide", "--json", "--assessment", "after.json"],
    );
    let o = again["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "solidarity")
        .unwrap();
    assert_eq!(o["adopted"], false);
    let out = concord(d.path())
        .args([
            "adversary",
            "--assessment",
            "v.json",
            "--target",
            "solidarity",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cheapest move keeping 'solidarity' from adoption"),
        "{text}"
    );
    let out = concord(d.path())
        .args(["adversary", "--assessment", "v.json", "--target", "nuke"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("valid: share"));
}

#[test]
fn sensitivity_and_safe_harbours() {
    let d = tempfile::tempdir().unwrap();
    write_vector(
        d.path(),
        json!({"severity": "high", "attribution": "moderate", "effects": "disruption", "actor": "state",
               "sectors": ["energy"], "victims": ["EST", "LVA", "LTU"]}),
    );
    let r = run_json(
        d.path(),
        &[
            "decide",
            "--json",
            "--sensitivity",
            "--assessment",
            "v.json",
        ],
    );
    // at high attribution Germany stops blocking countermeasures, but France still does:
    // inform flips (both objected for risk below high attribution)
    let inform = r["sensitivity"]["inform"].as_array().unwrap();
    assert!(inform
        .iter()
        .any(|f| f["change"]["dimension"] == "attribution"
            && f["change"]["to"] == "high"
            && f["after"] == true));
    let h = run_json(d.path(), &["rift", "--json", "--safe-harbours"]);
    let sol = &h["safe_harbours"]["solidarity"];
    // espionage against one ally never draws a solidarity statement: a harbour to emergency
    assert_eq!(sol["state"]["high"]["espionage"], "emergency");
    assert_eq!(
        h["safe_harbours"]["share"]["state"]["high"]["casualties"],
        Value::Null
    );
}
