//! Unit tests of the attribution model (a module of `attribution`).
use super::*;
use serde_json::json;

fn kb() -> KnowledgeBase {
    let ap = |n: u32, t: &str| {
        json!({"type": "attack-pattern", "id": format!("attack-pattern--{n}"), "name": t,
        "external_references": [{"source_name": "mitre-attack", "external_id": t}]})
    };
    let set = |n: u32, name: &str| {
        json!({"type": "intrusion-set", "id": format!("intrusion-set--{n}"), "name": name,
        "external_references": [{"source_name": "mitre-attack", "external_id": format!("G{n:04}")}]})
    };
    let uses = |g: u32, t: u32| {
        json!({"type": "relationship", "id": format!("relationship--{g}-{t}"), "relationship_type": "uses",
        "source_ref": format!("intrusion-set--{g}"), "target_ref": format!("attack-pattern--{t}")})
    };
    let mut objs = vec![
        ap(1, "T1566.001"),
        ap(2, "T1059.001"),
        ap(3, "T1486"),
        ap(4, "T1059.003"),
        ap(5, "T1003"),
        ap(6, "T1071.001"),
        set(1, "Alpha"),
        set(2, "Beta"),
        set(3, "Gamma"),
    ];
    for t in [1, 2, 3] {
        objs.push(uses(1, t));
    }
    for t in [4, 5, 6] {
        objs.push(uses(2, t));
    }
    for t in [1, 5] {
        objs.push(uses(3, t));
    }
    KnowledgeBase::build(objs.iter())
}

#[test]
fn admiralty_table() {
    assert_eq!(claim_lr(Some('A'), Some(1)), 32.0);
    assert_eq!(claim_lr(Some('B'), Some(2)), 12.0);
    assert_eq!(claim_lr(Some('E'), Some(5)), 1.0);
    assert_eq!(claim_lr(None, None), claim_lr(Some('F'), Some(6)));
    assert!(b2_or_better(Some('A'), Some(2)));
    assert!(!b2_or_better(Some('C'), Some(1)));
    assert!(!b2_or_better(None, Some(1)));
}

#[test]
fn ranking_prefers_exact_then_parent_matches() {
    let kb = kb();
    let idx = TtpIndex::new(&kb, &Params::default());
    let r = idx.rank(&["T1566.001", "T1059.001", "T1486"]);
    assert_eq!(kb.groups[r[0].0].name, "Alpha");
    // T1059.002 is unknown, but Alpha and Beta use T1059 sub-techniques: back-off
    let alpha = kb.groups.iter().position(|g| g.name == "Alpha").unwrap();
    let gamma = kb.groups.iter().position(|g| g.name == "Gamma").unwrap();
    assert!(idx.llr(alpha, &["T1059.002"]) > idx.llr(gamma, &["T1059.002"]));
    // the baseline agrees on the easy case
    assert_eq!(
        kb.groups[rank_jaccard(&kb, &["T1566.001", "T1059.001", "T1486"])[0].0].name,
        "Alpha"
    );
}

#[test]
fn techniques_alone_stay_below_high() {
    let kb = kb();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    let obs = Observation {
        techniques: ["T1566.001", "T1059.001", "T1486"]
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    "2026-03-01T00:00:00Z".to_string(),
                    "r".to_string(),
                )
            })
            .collect(),
        ..Observation::default()
    };
    let r = attribute(&kb, &idx, &obs, None, &p);
    assert_eq!(r.groups[0].name, "Alpha");
    assert_eq!(r.level, "none", "no sponsor is known");
    assert_eq!(r.actor, "unknown");
    // as of before the techniques: nothing
    let early = attribute(&kb, &idx, &obs, Some("2026-02-01T00:00:00Z"), &p);
    assert!(early.evidence.is_empty());
}
