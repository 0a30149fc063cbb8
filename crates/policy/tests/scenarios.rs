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
fn moderate_attribution_frontline_asks_france_and_germany_hold_back() {
    let d = run(baltic("moderate", &["EST", "LVA", "LTU"]));
    // Article 4 is for the gravest cases only (never invoked for a cyber incident)
    assert_eq!(option(&d, "consult")["adopted"], false);
    assert_eq!(option(&d, "solidarity")["adopted"], true);
    assert_eq!(option(&d, "attribute")["adopted"], false);
    let cm = option(&d, "countermeasures");
    for m in ["EST", "LVA", "LTU", "POL"] {
        assert!(
            has(&cm["support"], m),
            "frontline {m} supports countermeasures: {cm}"
        );
    }
    assert!(has(&cm["block"], "FRA") && has(&cm["block"], "DEU"), "{cm}");
    assert_eq!(cm["reasons"]["FRA"], json!(["legal", "threshold"]));
    assert_eq!(cm["reasons"]["DEU"], json!(["threshold"]));
    assert_eq!(cm["adopted"], false);
}

#[test]
fn high_attribution_germany_stops_blocking_france_blocks_unless_victim() {
    let d = run(baltic("high", &["EST", "LVA", "LTU"]));
    let cm = option(&d, "countermeasures");
    assert!(!has(&cm["block"], "DEU"), "{cm}");
    assert!(has(&cm["block"], "FRA"), "{cm}");
    assert_eq!(
        cm["reasons"]["FRA"],
        json!(["legal"]),
        "collective countermeasures"
    );
    let d = run(baltic("high", &["EST", "LVA", "LTU", "FRA"]));
    let cm = option(&d, "countermeasures");
    assert!(!has(&cm["block"], "FRA"), "{cm}");
}

#[test]
fn no_legal_basis_for_article_5_below_an_armed_attack() {
    // a severe wiper: a use of force for members that admit non-physical force, never an
    // armed attack; every member with a position objects for want of a legal basis
    let d = run(
        json!({"severity": "severe", "attribution": "high", "effects": "data_destruction",
        "actor": "state", "sectors": ["finance"], "victims": ["DNK", "DEU"]}),
    );
    assert_eq!(d["legal"]["DNK"], "use_of_force");
    assert_eq!(d["legal"]["GBR"], "below_threshold");
    let art5 = option(&d, "art5");
    assert_eq!(art5["adopted"], false);
    assert_eq!(art5["block"].as_array().unwrap().len(), 32);
    assert!(art5["reasons"]
        .as_object()
        .unwrap()
        .values()
        .all(|r| r == &json!(["legal"])));
    assert_eq!(option(&d, "consult")["adopted"], false);
}

/// A member's doctrine is the same in every forum it belongs to.
#[test]
fn doctrines_agree_across_forums() {
    let nato = concord_policy::Forum::builtin("nato").unwrap();
    let eu = concord_policy::Forum::builtin("eu").unwrap();
    assert_eq!(eu.alliance.members.len(), 27);
    assert_eq!(eu.policies.by_member.iter().flatten().count(), 27);
    let mut shared = 0;
    for (i, m) in eu.alliance.members.iter().enumerate() {
        if let Some(j) = nato.alliance.member_index(&m.code) {
            assert_eq!(
                eu.policies.doctrine(i),
                nato.policies.doctrine(j),
                "{}",
                m.code
            );
            shared += 1;
        }
    }
    assert_eq!(shared, 23);
    let ids: Vec<&str> = eu.alliance.ladder.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.contains(&"declaration") && ids.contains(&"sanctions"),
        "{ids:?}"
    );
}

/// Every block says why: no built-in position uses a bare block string, and every member
/// that has a position cites a source.
#[test]
fn every_block_has_a_reason_and_every_position_a_source() {
    for (name, text) in concord_policy::policy::BUILTIN
        .iter()
        .chain(concord_policy::policy::BUILTIN_EU)
    {
        assert!(
            !text.contains("\nblock = "),
            "{name} has a block without reasons"
        );
        assert!(text.contains("\nsource = \"Illustrative."), "{name}");
    }
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    assert!(p.origin.illustrative);
    let scepva: Vec<&str> = a
        .members
        .iter()
        .enumerate()
        .filter(|(i, _)| p.capable(*i, a.rung_index("countermeasures").unwrap()))
        .map(|(_, m)| m.code.as_str())
        .collect();
    assert_eq!(scepva, ["DNK", "EST", "GBR", "NLD", "USA"]);
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
