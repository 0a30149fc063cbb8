//! `concord policy check` and `concord decide`: exit codes, exact JSON, custom alliances.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::concord;

use serde_json::{json, Value};
use std::path::Path;

fn decide_json(dir: &Path, vector: Value, extra: &[&str]) -> (i32, Value, String) {
    let f = dir.join("v.json");
    std::fs::write(&f, vector.to_string()).unwrap();
    let out = concord(dir)
        .args(["decide", "--json", "--assessment"])
        .arg(&f)
        .args(extra)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap(),
        doc,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A three-member alliance with hand-computed outcomes.
fn tiny(dir: &Path) -> (String, String) {
    let a = dir.join("tiny.toml");
    std::fs::write(
        &a,
        r#"name = "Tiny"
[[member]]
code = "AAA"
name = "A"
lat = 0
lon = 0
[[member]]
code = "BBB"
name = "B"
lat = 1
lon = 1
[[member]]
code = "CCC"
name = "C"
lat = 2
lon = 2
[[rung]]
id = "talk"
option = "Talk"
rule = "any"
[[rung]]
id = "act"
option = "Act together"
rule = "consensus"
[[rung]]
id = "few"
option = "Coalition of two"
rule = "coalition:2"
"#,
    )
    .unwrap();
    let p = dir.join("pol");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("a.toml"), "member = \"AAA\"\n[stance.talk]\nsupport = \"true\"\n[stance.act]\nsupport = \"severity >= high\"\n[stance.few]\nsupport = \"attribution >= moderate\"\n").unwrap();
    std::fs::write(p.join("b.toml"), "member = \"BBB\"\n[doctrine]\nsovereignty_rule = true\nsovereignty_threshold = \"any_intrusion\"\n[stance.act]\nsupport = \"affected_self\"\nblock = \"attribution < high\"\n[stance.few]\nsupport = \"attribution >= high\"\n").unwrap();
    // CCC has no policy file: abstains everywhere, default doctrine
    (a.display().to_string(), p.display().to_string())
}

#[test]
fn decide_on_a_hand_checked_tiny_alliance() {
    let d = tempfile::tempdir().unwrap();
    let (a, p) = tiny(d.path());
    let args = ["--alliance", a.as_str(), "--policies", p.as_str()];
    let v = json!({"severity": "high", "attribution": "moderate", "effects": "espionage", "actor": "state", "victims": ["BBB"]});
    let (code, doc, err) = decide_json(d.path(), v, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["highest_adopted"], "talk");
    assert_eq!(
        doc["options"][0],
        json!({"id": "talk", "option": "Talk", "rule": "any", "adopted": true,
        "support": ["AAA"], "block": [], "abstain": ["BBB", "CCC"], "reasons": {},
        "contributors": [], "missing": [], "why": {"AAA": "support: true"}})
    );
    assert_eq!(doc["options"][1]["support"], json!(["AAA"]));
    assert_eq!(doc["options"][1]["block"], json!(["BBB"]));
    assert_eq!(doc["options"][1]["abstain"], json!(["CCC"]));
    // a block written as one string is the reason `policy`
    assert_eq!(doc["options"][1]["reasons"], json!({"BBB": ["policy"]}));
    assert_eq!(doc["options"][1]["missing"], json!(["block"]));
    assert_eq!(doc["options"][2]["missing"], json!(["support"]));
    assert_eq!(doc["options"][2]["rule"], "coalition:2");
    assert_eq!(doc["options"][2]["adopted"], false);
    assert_eq!(
        doc["legal"],
        json!({"AAA": "below_threshold", "BBB": "sovereignty_violation", "CCC": "below_threshold"})
    );
    assert_eq!(
        doc["paths"],
        json!([
            {"option": "act", "attribution": "high", "flips": ["BBB"]},
            {"option": "few", "attribution": "high", "flips": ["BBB"]},
        ])
    );
}

#[test]
fn ties_empty_victims_and_no_higher_level() {
    let d = tempfile::tempdir().unwrap();
    let (a, p) = tiny(d.path());
    let args = ["--alliance", a.as_str(), "--policies", p.as_str()];
    // no sectors, no victims: members_affected 0, nobody affected
    let v = json!({"severity": "low", "attribution": "high", "effects": "espionage", "actor": "unknown"});
    let (code, doc, _) = decide_json(d.path(), v, &args);
    assert_eq!(code, 0);
    assert_eq!(doc["vector"]["members_affected"], 0);
    // act: AAA does not support at low severity, BBB not affected: no support; already at high
    assert_eq!(
        doc["paths"][0],
        json!({"option": "act", "attribution": null, "flips": []})
    );
    // few: AAA and BBB both support at high attribution: a 2-2 tie with the coalition size adopts
    assert_eq!(doc["options"][2]["adopted"], true);
    assert_eq!(doc["highest_adopted"], "few");
}

#[test]
fn builtin_nato_decision_and_bad_vectors() {
    let d = tempfile::tempdir().unwrap();
    let v = json!({"severity": "high", "attribution": "moderate", "effects": "disruption", "actor": "state", "sectors": ["energy"], "victims": ["EST", "LVA", "LTU"]});
    let (code, doc, _) = decide_json(d.path(), v.clone(), &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["legal"].as_object().unwrap().len(), 32);
    assert_eq!(doc["options"].as_array().unwrap().len(), 11);
    let mut bad = v.clone();
    bad["severity"] = json!("extreme");
    let (code, _, err) = decide_json(d.path(), bad, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown word 'extreme'"), "{err}");
    let f = d.path().join("broken.json");
    std::fs::write(&f, "{\"severity\": ").unwrap();
    let out = concord(d.path())
        .args(["decide", "--assessment"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // the readable table names blockers and the path
    let f = d.path().join("v.json");
    std::fs::write(&f, v.to_string()).unwrap();
    let out = concord(d.path())
        .args(["decide", "--assessment"])
        .arg(&f)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Article 4 consultations"));
    assert!(
        text.contains(
            "blocked by DEU (below its threshold), FRA (legal doubts; below its threshold)"
        ),
        "{text}"
    );
    assert!(
        text.contains("the alliance can agree now: share, assist, solidarity")
            && text.contains("blocked by 32 members (legal doubts: 32)"),
        "{text}"
    );
}

#[test]
fn policy_check_reports_every_problem_with_position() {
    let d = tempfile::tempdir().unwrap();
    let out = concord(d.path())
        .args(["policy", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("32 member policies OK"));
    let p = d.path().join("pol");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(
        p.join("est.toml"),
        "member = \"EST\"\n[stance.consult]\nsupport = \"severity >= hihg\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("fra.toml"),
        "member = \"FRA\"\n[stance.vote]\nsupport = \"true\"\n",
    )
    .unwrap();
    let out = concord(d.path())
        .args(["policy", "check", "--json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0]["key"], "stance.consult.support");
    assert_eq!(
        (diags[0]["line"].as_u64(), diags[0]["column"].as_u64()),
        (Some(3), Some(24))
    );
    assert_eq!(diags[0]["suggestion"], "high");
    assert!(diags[0]["valid"]
        .as_array()
        .unwrap()
        .contains(&json!("emergency")));
    assert_eq!(diags[1]["key"], "stance.vote");
    // the readable form shows the source line
    let out = concord(d.path())
        .args(["policy", "check"])
        .arg(&p)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("severity >= hihg") && err.contains("did you mean 'high'"),
        "{err}"
    );
    // decide refuses to run on a broken set
    let v = d.path().join("v.json");
    std::fs::write(
        &v,
        r#"{"severity":"low","attribution":"none","effects":"espionage","actor":"unknown"}"#,
    )
    .unwrap();
    let out = concord(d.path())
        .args(["decide", "--policies"])
        .arg(&p)
        .arg("--assessment")
        .arg(&v)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
