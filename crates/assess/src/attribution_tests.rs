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

const EXT: &str = concord_stix::concord_ext::EXTENSION_ID;

/// Alpha (sponsor RUS), Beta (sponsor USA, an alliance member), Gamma (no profile, sponsor
/// XRS: a small state), and techniques.
fn kb2() -> KnowledgeBase {
    let ap = |n: u32, t: &str| {
        json!({"type": "attack-pattern", "id": format!("attack-pattern--{n}"), "name": t,
        "external_references": [{"source_name": "mitre-attack", "external_id": t}]})
    };
    let set = |n: u32, name: &str| json!({"type": "intrusion-set", "id": format!("intrusion-set--{n}"), "name": name});
    let uses = |g: u32, t: u32| {
        json!({"type": "relationship", "id": format!("relationship--{g}-{t}"), "relationship_type": "uses",
        "source_ref": format!("intrusion-set--{g}"), "target_ref": format!("attack-pattern--{t}")})
    };
    let sponsor = |g: u32, s: &str| {
        json!({"type": "relationship", "id": format!("relationship--s{g}"), "relationship_type": "attributed-to",
        "source_ref": format!("intrusion-set--{g}"), "target_ref": "threat-actor--x",
        "extensions": {EXT: {"extension_type": "property-extension", "sponsor": s, "reliability": "B"}}})
    };
    let mut objs = vec![set(1, "Alpha"), set(2, "Beta"), set(3, "Gamma")];
    for n in 1..=8 {
        objs.push(ap(n, &format!("T10{n:02}")));
    }
    for t in [1, 2, 3] {
        objs.push(uses(1, t));
    }
    for t in [4, 5, 6] {
        objs.push(uses(2, t));
    }
    objs.push(sponsor(1, "RUS"));
    objs.push(sponsor(2, "USA"));
    objs.push(sponsor(3, "XRS"));
    KnowledgeBase::build(objs.iter())
}

fn observe(techniques: &[&str]) -> Observation {
    Observation {
        techniques: techniques
            .iter()
            .map(|t| (t.to_string(), "2026-03-01T00:00:00Z".into(), "r".into()))
            .collect(),
        ..Observation::default()
    }
}

fn claim(kb: &KnowledgeBase, group: &str, r: char, c: u8, kind: &str) -> Claim {
    Claim {
        id: format!("relationship--claim-{group}-{kind}"),
        by: "EST".into(),
        at: "2026-03-02T00:00:00Z".into(),
        target: ClaimTarget::Group(kb.group_index_by_key(group).unwrap()),
        reliability: Some(r),
        credibility: Some(c),
        evidence_kind: Some(kind.into()),
        sponsor: None,
    }
}

#[test]
fn an_alliance_member_leads_only_on_a_rated_claim() {
    let kb = kb2();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    let mut obs = observe(&["T1004", "T1005", "T1006"]);
    let r = attribute(&kb, &idx, &obs, None, &p);
    assert_eq!(r.groups[0].name, "Beta");
    assert_ne!(r.state.as_deref(), Some("USA"));
    assert!(!r.states.contains_key("USA"));
    assert!(r.withheld["USA"] > 0.1, "{:?}", r.withheld);
    assert!(r
        .reasons
        .iter()
        .any(|x| x.starts_with("USA is an alliance member")));
    // an unrated or poorly rated claim is not enough; a rated one is
    obs.claims.push(claim(&kb, "Beta", 'E', 5, "intelligence"));
    let r = attribute(&kb, &idx, &obs, None, &p);
    assert_ne!(r.state.as_deref(), Some("USA"));
    obs.claims[0] = claim(&kb, "Beta", 'B', 2, "intelligence");
    let r = attribute(&kb, &idx, &obs, None, &p);
    assert_eq!(r.state.as_deref(), Some("USA"));
    assert!(r.withheld.is_empty());
    // another alliance: nobody protected
    let none = BTreeSet::new();
    let r = attribute_guarded(&kb, &idx, &observe(&["T1004", "T1005"]), None, &p, &none);
    assert_eq!(r.state.as_deref(), Some("USA"));
}

#[test]
fn a_group_without_evidence_cannot_outrank_one_with_it() {
    let kb = kb2();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    // one technique of Alpha's and two nobody uses: Alpha's support is weak
    let mut obs = observe(&["T1001", "T1007", "T1008"]);
    obs.claims.push(Claim {
        sponsor: Some("XRS".into()),
        ..claim(&kb, "Gamma", 'C', 3, "context")
    });
    let r = attribute(&kb, &idx, &obs, None, &p);
    let names: Vec<&str> = r.groups.iter().map(|g| g.name.as_str()).collect();
    let alpha = names.iter().position(|n| *n == "Alpha").unwrap();
    let gamma = names.iter().position(|n| *n == "Gamma").unwrap();
    assert!(alpha < gamma, "{names:?}");
    assert!(r.groups[alpha].evidence.contains(&"techniques".to_string()));
    assert_eq!(r.groups[gamma].evidence, ["claim"]);
}

#[test]
fn a_claim_naming_a_group_is_evidence_for_its_sponsor_and_specific() {
    let kb = kb2();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    let mut obs = observe(&["T1001", "T1002"]);
    let before = attribute(&kb, &idx, &obs, None, &p);
    obs.claims.push(claim(&kb, "Alpha", 'B', 2, "intelligence"));
    let after = attribute(&kb, &idx, &obs, None, &p);
    assert_eq!(after.state.as_deref(), Some("RUS"));
    assert!(after.p > before.p);
    assert!(after.states["RUS"] > before.states["RUS"]);
    // naming a group is more specific than naming a state: a larger ratio than the table's
    let e = after.evidence.iter().find(|e| e.claim).unwrap();
    assert!(e.summary.contains("made specific"), "{}", e.summary);
    assert_eq!(after.actor, "state");
}

#[test]
fn every_probability_has_its_words_and_agrees_with_the_level() {
    let kb = kb2();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    let mut obs = observe(&["T1001", "T1002", "T1003"]);
    let mut seen = BTreeSet::new();
    for (r, c, kind) in [
        ('C', 3, "ttp"),
        ('B', 2, "intelligence"),
        ('A', 1, "malware"),
    ] {
        obs.claims.push(Claim {
            sponsor: Some("RUS".into()),
            ..claim(&kb, "Alpha", r, c, kind)
        });
        let a = attribute(&kb, &idx, &obs, None, &p);
        seen.insert(a.level);
        let floor = match a.level {
            "high" => 0.95,
            "moderate" => 0.80,
            "low" => 0.55,
            _ => 0.0,
        };
        assert!(a.p >= floor, "{} {}", a.level, a.p);
        if a.level == "low" {
            assert!(a.p < 0.80);
            assert_eq!(a.estimate.words, "likely");
        }
        assert_eq!(a.estimate.words, crate::estimative::estimate(a.p).words);
        assert!(a.statement.contains(a.estimate.range));
        assert!(!a.statement.contains("1.000"));
        for s in &a.ranked_states {
            assert!(s.statement.starts_with(s.words));
        }
        for g in &a.groups {
            assert!(g.statement.starts_with(g.words));
        }
    }
    assert!(seen.contains("high"), "{seen:?}");
}

#[test]
fn decision_sensitivity_names_the_item_and_the_rungs() {
    let kb = kb2();
    let p = Params::default();
    let idx = TtpIndex::new(&kb, &p);
    let mut obs = observe(&["T1001", "T1002"]);
    for (r, c, kind) in [('A', 1, "intelligence"), ('B', 2, "malware")] {
        obs.claims.push(Claim {
            sponsor: Some("RUS".into()),
            ..claim(&kb, "Alpha", r, c, kind)
        });
    }
    let none = BTreeSet::new();
    let base = attribute_guarded(&kb, &idx, &obs, None, &p, &none);
    assert_eq!(base.level, "high");
    // a ladder of one rung adopted at high only
    let decide = |level: &str, _actor: &str| vec![("art5".to_string(), level == "high")];
    let s = decision_sensitivity(&kb, &idx, &obs, None, &p, &none, &base, &decide);
    let level = s.level.unwrap();
    assert!(
        level.evidence.starts_with("relationship--claim-Alpha"),
        "{}",
        level.evidence
    );
    assert_ne!(level.level, "high");
    assert_eq!(
        level.rungs,
        [crate::sensitivity::RungChange {
            id: "art5".into(),
            adopted_before: true,
            adopted_after: false
        }]
    );
    // a downgrade is tried before a removal
    assert!(
        level.change.starts_with("downgraded from"),
        "{}",
        level.change
    );
    assert!(s.tried.len() >= 5, "{}", s.tried.len());
}
