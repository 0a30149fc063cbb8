//! Decision model v2 (DESIGN 4 to 6) on a tiny alliance, every figure checked by hand:
//! legal basis (step 1), reasons, victim request, contributors, prerequisites, `missing`
//! and the path to consensus recomputed with v2 adoption.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::{decide, Alliance, Vector};
use serde_json::{json, Value};

mod common;
use common::{tiny, ALLIANCE};

fn run(v: Value) -> Value {
    let (a, p) = tiny();
    serde_json::to_value(decide(&a, &p, &Vector::from_json(&v).unwrap())).unwrap()
}

fn opt<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()
}

fn path<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["option"] == id)
        .unwrap()
}

/// The exact fields of one option, as DESIGN 6 defines them.
fn shape(o: &Value) -> Value {
    json!({"adopted": o["adopted"], "support": o["support"], "block": o["block"],
           "abstain": o["abstain"], "reasons": o["reasons"], "contributors": o["contributors"],
           "missing": o["missing"]})
}

#[test]
fn espionage_legal_basis_blocks_on_consensus_and_abstains_elsewhere() {
    let d = run(
        json!({"severity": "high", "attribution": "moderate", "effects": "espionage",
        "actor": "state", "sectors": ["defence"], "victims": ["AAA"]}),
    );
    assert_eq!(
        d["legal"],
        json!({"AAA": "sovereignty_violation", "BBB": "below_threshold", "CCC": "below_threshold", "DDD": "below_threshold"})
    );
    assert_eq!(
        shape(opt(&d, "talk")),
        json!({"adopted": true, "support": ["AAA"], "block": [], "abstain": ["BBB", "CCC", "DDD"],
               "reasons": {}, "contributors": [], "missing": []})
    );
    assert_eq!(opt(&d, "solid")["support"], json!(["AAA", "BBB", "CCC"]));
    // act: coalition with a legal basis nobody reaches: everyone abstains (step 1, not consensus)
    assert_eq!(
        shape(opt(&d, "act")),
        json!({"adopted": false, "support": [], "block": [], "abstain": ["AAA", "BBB", "CCC", "DDD"],
               "reasons": {}, "contributors": [], "missing": ["support"]})
    );
    // cm: BBB holds sovereignty to be no rule, so step 1 does not apply to it; CCC lacks the basis
    assert_eq!(
        shape(opt(&d, "cm")),
        json!({"adopted": false, "support": ["AAA"], "block": ["BBB", "CCC"], "abstain": ["DDD"],
               "reasons": {"BBB": ["threshold", "risk"], "CCC": ["legal"]}, "contributors": ["AAA"],
               "missing": ["block", "contributors"]})
    );
    // war: every member with a policy lacks an armed attack; DDD has no policy: silent
    assert_eq!(
        shape(opt(&d, "war")),
        json!({"adopted": false, "support": [], "block": ["AAA", "BBB", "CCC"], "abstain": ["DDD"],
               "reasons": {"AAA": ["legal"], "BBB": ["legal"], "CCC": ["legal"]}, "contributors": [],
               "missing": ["support", "request", "block", "requires:cm"]})
    );
    assert_eq!(d["highest_adopted"], "solid");
    for id in ["act", "cm", "war"] {
        assert_eq!(path(&d, id)["attribution"], Value::Null, "{id}");
        assert_eq!(path(&d, id)["flips"], json!([]), "{id}");
    }
    assert_eq!(d["paths"].as_array().unwrap().len(), 3);
}

#[test]
fn path_recomputes_v2_adoption_with_contributors() {
    let d = run(
        json!({"severity": "high", "attribution": "moderate", "effects": "disruption",
        "actor": "state", "sectors": ["energy"], "victims": ["AAA", "BBB"]}),
    );
    assert_eq!(
        d["legal"],
        json!({"AAA": "sovereignty_violation", "BBB": "below_threshold", "CCC": "sovereignty_violation", "DDD": "below_threshold"})
    );
    assert_eq!(opt(&d, "talk")["support"], json!(["AAA", "BBB"]));
    assert_eq!(
        shape(opt(&d, "cm")),
        json!({"adopted": false, "support": ["AAA", "CCC"], "block": ["BBB"], "abstain": ["DDD"],
               "reasons": {"BBB": ["threshold"]}, "contributors": ["AAA"],
               "missing": ["block", "contributors"]})
    );
    // at high attribution BBB supports and has capacity: two contributors, no block
    assert_eq!(
        path(&d, "cm"),
        &json!({"option": "cm", "attribution": "high", "flips": ["BBB"]})
    );
    assert_eq!(path(&d, "war")["attribution"], Value::Null);
}

#[test]
fn request_needs_a_supporting_victim() {
    let d = run(
        json!({"severity": "medium", "attribution": "low", "effects": "disruption",
        "actor": "state", "victims": ["CCC"]}),
    );
    assert_eq!(
        shape(opt(&d, "talk")),
        json!({"adopted": false, "support": ["AAA"], "block": [], "abstain": ["BBB", "CCC", "DDD"],
               "reasons": {}, "contributors": [], "missing": ["request"]})
    );
    // CCC, the victim, supports solidarity: the request is there
    assert_eq!(opt(&d, "solid")["adopted"], true);
    // a criminal actor: CCC blocks solidarity, and cm then lacks its prerequisite too
    let d = run(
        json!({"severity": "medium", "attribution": "low", "effects": "disruption",
        "actor": "criminal", "victims": ["CCC"]}),
    );
    let solid = opt(&d, "solid");
    assert_eq!(solid["reasons"], json!({"CCC": ["policy"]}));
    assert_eq!(solid["missing"], json!(["request", "block"]));
    assert!(opt(&d, "cm")["missing"]
        .as_array()
        .unwrap()
        .contains(&json!("requires:solid")));
}

#[test]
fn armed_attack_and_prerequisite_chain() {
    let casualties = |victims: Value| {
        run(
            json!({"severity": "severe", "attribution": "high", "effects": "casualties",
            "actor": "state", "sectors": ["energy"], "victims": victims}),
        )
    };
    let d = casualties(json!(["AAA"]));
    assert!(d["legal"]
        .as_object()
        .unwrap()
        .values()
        .all(|l| l == "armed_attack"));
    assert_eq!(opt(&d, "act")["support"], json!(["AAA", "BBB", "CCC"]));
    assert_eq!(opt(&d, "act")["adopted"], true);
    assert_eq!(
        shape(opt(&d, "cm")),
        json!({"adopted": false, "support": ["AAA", "CCC"], "block": ["BBB"], "abstain": ["DDD"],
               "reasons": {"BBB": ["risk"]}, "contributors": ["AAA"],
               "missing": ["block", "contributors"]})
    );
    assert_eq!(
        shape(opt(&d, "war")),
        json!({"adopted": false, "support": ["AAA", "BBB"], "block": ["CCC"], "abstain": ["DDD"],
               "reasons": {"CCC": ["threshold"]}, "contributors": [],
               "missing": ["block", "requires:cm"]})
    );
    assert_eq!(d["highest_adopted"], "act");
    // BBB a victim too: cm adopted with two contributors; war held back by CCC alone
    let d = casualties(json!(["AAA", "BBB"]));
    assert_eq!(opt(&d, "cm")["contributors"], json!(["AAA", "BBB"]));
    assert_eq!(opt(&d, "cm")["adopted"], true);
    assert_eq!(opt(&d, "war")["missing"], json!(["block"]));
    assert_eq!(d["highest_adopted"], "cm");
    // emergency: CCC no longer blocks; war adopted
    let d = run(
        json!({"severity": "emergency", "attribution": "high", "effects": "casualties",
        "actor": "state", "sectors": ["energy"], "victims": ["AAA", "BBB"]}),
    );
    assert_eq!(opt(&d, "war")["adopted"], true);
    assert_eq!(d["highest_adopted"], "war");
}

#[test]
fn nearest_victims_by_great_circle_distance() {
    let a = Alliance::parse("tiny.toml", ALLIANCE).unwrap();
    // AAA at lon 0: BBB (1 degree) then CCC (5) then DDD (20)
    assert_eq!(a.nearest_victims(0, 1), vec![0]);
    assert_eq!(a.nearest_victims(0, 3), vec![0, 1, 2]);
    assert_eq!(a.nearest_victims(3, 2), vec![3, 2]);
    assert_eq!(a.nearest_victims(2, 10), vec![2, 1, 0, 3]);
    // one degree of longitude on the equator
    assert!((a.distance_km(0, 1) - 111.19).abs() < 0.01);
}

#[test]
fn nearest_victims_ties_break_by_code() {
    let text = ALLIANCE
        .replace("lon = 1.0", "lon = -5.0")
        .replace("lon = 20.0", "lon = 1.0");
    let a = Alliance::parse("tie.toml", &text).unwrap();
    // from AAA (0): BBB at -5 and CCC at +5 tie; BBB first by code; DDD at 1 is nearest
    assert_eq!(a.nearest_victims(0, 4), vec![0, 3, 1, 2]);
}
