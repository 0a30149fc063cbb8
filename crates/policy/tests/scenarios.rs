//! The built-in illustrative positions reproduce the rift of DOMAIN section 1
//! (issue 3's hand-checked scenarios), and decide's exact document shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::{decide, Alliance, PolicySet, Vector};
use serde_json::{json, Value};

fn run(v: Value) -> Value {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    assert_eq!(
        p.by_member.iter().flatten().count(),
        32,
        "every member has a built-in policy"
    );
    serde_json::to_value(decide(&a, &p, &Vector::from_json(&v).unwrap())).unwrap()
}

fn option<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()
}

fn has(list: &Value, code: &str) -> bool {
    list.as_array().unwrap().iter().any(|x| x == code)
}

fn baltic(attribution: &str, victims: &[&str]) -> Value {
    json!({"severity": "high", "attribution": attribution, "effects": "disruption", "actor": "state",
           "sectors": ["energy"], "victims": victims})
}

#[test]
fn moderate_attribution_consult_yes_countermeasures_blocked_by_fra_and_deu() {
    let d = run(baltic("moderate", &["EST", "LVA", "LTU"]));
    let consult = option(&d, "consult");
    assert_eq!(consult["adopted"], true);
    for m in ["EST", "LVA", "LTU", "POL"] {
        assert!(has(&consult["support"], m), "{m} supports consultations");
    }
    let cm = option(&d, "countermeasures");
    let front = ["EST", "LVA", "LTU", "POL"]
        .iter()
        .filter(|m| has(&cm["support"], m))
        .count();
    assert!(
        front >= 3,
        "at least three frontline states support countermeasures: {cm}"
    );
    assert!(has(&cm["block"], "FRA") && has(&cm["block"], "DEU"), "{cm}");
    assert_eq!(cm["adopted"], false);
}

#[test]
fn high_attribution_germany_stops_blocking_france_blocks_unless_victim() {
    let d = run(baltic("high", &["EST", "LVA", "LTU"]));
    let cm = option(&d, "countermeasures");
    assert!(!has(&cm["block"], "DEU"), "{cm}");
    assert!(has(&cm["block"], "FRA"), "{cm}");
    let d = run(baltic("high", &["EST", "LVA", "LTU", "FRA"]));
    let cm = option(&d, "countermeasures");
    assert!(!has(&cm["block"], "FRA"), "{cm}");
}

#[test]
fn espionage_on_government_uk_below_threshold_france_sovereignty() {
    let d = run(
        json!({"severity": "medium", "attribution": "moderate", "effects": "espionage", "actor": "state",
                       "sectors": ["government"], "victims": ["DEU"]}),
    );
    assert_eq!(d["legal"]["GBR"], "below_threshold");
    assert_eq!(d["legal"]["FRA"], "sovereignty_violation");
    assert_eq!(d["legal"].as_object().unwrap().len(), 32);
}

#[test]
fn document_shape_is_exact() {
    let d = run(baltic("moderate", &["EST", "LVA", "LTU"]));
    assert!(d["highest_adopted"].is_string() || d["highest_adopted"].is_null());
    let ids: Vec<&str> = d["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "share",
            "assist",
            "solidarity",
            "attribute",
            "diplomatic",
            "sanctions",
            "consult",
            "inform",
            "defend",
            "countermeasures",
            "art5"
        ]
    );
    for o in d["options"].as_array().unwrap() {
        let keys: Vec<&String> = o.as_object().unwrap().keys().collect();
        for k in [
            "id",
            "rule",
            "adopted",
            "support",
            "block",
            "abstain",
            "reasons",
            "contributors",
            "missing",
        ] {
            assert!(keys.iter().any(|x| *x == k), "{k} in {keys:?}");
        }
        assert_eq!(
            o["adopted"] == true,
            o["missing"].as_array().unwrap().is_empty()
        );
        let blockers: Vec<&String> = o["reasons"].as_object().unwrap().keys().collect();
        assert_eq!(blockers.len(), o["block"].as_array().unwrap().len());
        let n = ["support", "block", "abstain"]
            .iter()
            .map(|k| o[k].as_array().unwrap().len())
            .sum::<usize>();
        assert_eq!(n, 32);
        for k in ["support", "block", "abstain"] {
            let l: Vec<&str> = o[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            let mut s = l.clone();
            s.sort();
            assert_eq!(l, s, "sorted by code");
        }
    }
    for p in d["paths"].as_array().unwrap() {
        let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            3,
            "paths entries have exactly option, attribution, flips"
        );
        let o = option(&d, p["option"].as_str().unwrap());
        assert_eq!(o["adopted"], false);
    }
    let not_adopted = d["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["adopted"] == false)
        .count();
    assert_eq!(d["paths"].as_array().unwrap().len(), not_adopted);
    // countermeasures become adoptable only with France among the victims: no higher attribution suffices
    let cm = d["paths"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["option"] == "countermeasures")
        .unwrap();
    assert_eq!(cm["attribution"], Value::Null);
    assert_eq!(cm["flips"], json!([]));
}
