//! `concord cases` (the case library) and `concord decide --forum` (NATO and the EU).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{concord, run_json};

use serde_json::{json, Value};
use std::path::Path;

fn shared_cases() -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cases/cases.json");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data/cases/cases.json is absent (a fresh clone)");
        None
    }
}

/// The built-in positions reproduce every known outcome of the shared case file.
#[test]
fn the_shared_case_file_is_reproduced() {
    let Some(file) = shared_cases() else { return };
    let d = tempfile::tempdir().unwrap();
    let r = run_json(d.path(), &["cases", "--json", file.to_str().unwrap()]);
    assert_eq!(r["total"]["known"], 36, "{r}");
    assert_eq!(r["total"]["reproduced"], 36, "misses: {}", r["misses"]);
    assert_eq!(r["misses"], json!([]));
    // no Article 4 or Article 5 on any historical case
    for c in r["cases"].as_array().unwrap() {
        let adopted = &c["forums"]["nato"]["adopted"];
        assert!(
            !adopted.as_array().unwrap().contains(&json!("consult")),
            "{c}"
        );
        assert!(!adopted.as_array().unwrap().contains(&json!("art5")), "{c}");
    }
}

/// The built-in library scores both forums; the readable form names misses and why.
#[test]
fn builtin_library_scores_both_forums_and_explains_misses() {
    let d = tempfile::tempdir().unwrap();
    let r = run_json(d.path(), &["cases", "--json"]);
    assert_eq!(r["forums"]["nato"]["known"], 36);
    assert_eq!(r["forums"]["eu"]["known"], 22);
    assert_eq!(r["total"]["share"], 1.0);
    let notpetya = r["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "notpetya-2017")
        .unwrap();
    assert!(notpetya["forums"]["eu"]["adopted"]
        .as_array()
        .unwrap()
        .contains(&json!("sanctions")));
    // a position edited into France's policy shows as misses with reasons
    let pol = d.path().join("pol");
    std::fs::create_dir_all(&pol).unwrap();
    std::fs::write(
        pol.join("FRA.toml"),
        "member = \"FRA\"\n[stance.consult]\nsupport = \"true\"\n[stance.diplomatic.block]\nrisk = \"true\"\n",
    )
    .unwrap();
    let out = concord(d.path())
        .args(["cases", "--policies"])
        .arg(&pol)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("policies in"), "{text}");
    assert!(
        text.contains("notpetya-2017 nato consult: history not, concord taken"),
        "{text}"
    );
    assert!(text.contains("supported by FRA"), "{text}");
    let r: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["cases", "--json", "--policies"])
            .arg(&pol)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(r["forums"]["nato"]["reproduced"].as_u64().unwrap() < 36);
    assert_eq!(
        r["forums"]["eu"]["reproduced"], 22,
        "the EU forum keeps its built-ins"
    );
}

#[test]
fn bad_case_files_are_refused_with_their_place() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("broken.json"), "{\"cases\": [").unwrap();
    let out = concord(d.path())
        .args(["cases", "broken.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json:1:"));
    std::fs::write(
        d.path().join("bad.json"),
        r#"{"cases": [{"id": "x", "vector": {"severity": "low", "attribution": "none", "effects": "espionage", "actor": "unknown"}, "nato": {"article5": false}}]}"#,
    )
    .unwrap();
    let out = concord(d.path())
        .args(["cases", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("$.cases[0].nato.article5") && err.contains("art5"),
        "{err}"
    );
    let out = concord(d.path())
        .args(["cases", "--forum", "un"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn decide_in_both_forums_side_by_side() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("v.json");
    std::fs::write(
        &f,
        json!({"severity": "high", "attribution": "high", "effects": "espionage", "actor": "state",
               "sectors": ["government"], "victims": ["DEU"]})
        .to_string(),
    )
    .unwrap();
    let eu = run_json(
        d.path(),
        &[
            "decide",
            "--json",
            "--forum",
            "eu",
            "--assessment",
            "v.json",
        ],
    );
    assert_eq!(eu["legal"].as_object().unwrap().len(), 27);
    let ids: Vec<&str> = eu["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"declaration") && ids.contains(&"sanctions"),
        "{ids:?}"
    );
    let both = run_json(
        d.path(),
        &[
            "decide",
            "--json",
            "--forum",
            "nato,eu",
            "--assessment",
            "v.json",
        ],
    );
    assert_eq!(both["forums"]["eu"], eu);
    let nato = run_json(d.path(), &["decide", "--json", "--assessment", "v.json"]);
    assert_eq!(both["forums"]["nato"], nato);
    // the same member has the same legal class in both forums (one doctrine)
    assert_eq!(
        both["forums"]["nato"]["legal"]["DEU"],
        both["forums"]["eu"]["legal"]["DEU"]
    );
    let out = concord(d.path())
        .args(["decide", "--forum", "nato,eu", "--assessment", "v.json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("== NATO") && text.contains("== EU"), "{text}");
    // --policies replaces one forum only
    let out = concord(d.path())
        .args([
            "decide",
            "--forum",
            "nato,eu",
            "--policies",
            ".",
            "--assessment",
            "v.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
