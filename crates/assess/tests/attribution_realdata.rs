//! Floors of the real-data test set (issue 15): ATT&CK 18.1 plus the MISP galaxy; for every
//! group with a sponsor and something observable, synthetic incidents from a sample of its
//! techniques and software, with and without a B2 claim. Needs ../shared/data; skips when
//! it is absent. The figures themselves come from `bench/attribution.sh` (README).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_assess::attribution::{default_protected, Params, TtpIndex};
use concord_assess::eval::{cases, eligible, score, ClaimMode, Draw};
use concord_assess::KnowledgeBase;
use serde_json::Value;
use std::path::Path;

fn knowledge_base() -> Option<KnowledgeBase> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let attack = data.join("attack/enterprise-attack-18.1.json.gz");
    let galaxy = data.join("incidents/misp-galaxy/threat-actor.json");
    if !attack.is_file() || !galaxy.is_file() {
        return None;
    }
    let bytes = concord_stix::json::read_file(&attack, 1 << 30).unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let mut objects = doc["objects"].as_array().unwrap().clone();
    let g: Value = serde_json::from_slice(&std::fs::read(galaxy).unwrap()).unwrap();
    objects.extend(concord_assess::galaxy::to_stix(&g).unwrap().0);
    Some(KnowledgeBase::build(objects.iter()))
}

#[test]
fn leading_state_floors_and_never_an_ally_for_a_non_member() {
    let Some(kb) = knowledge_base() else {
        eprintln!("skipped: ../shared/data (ATT&CK 18.1 and the MISP galaxy) not present");
        return;
    };
    let p = Params::default();
    let ttp = TtpIndex::new(&kb, &p);
    let allies = default_protected();
    // the test set covers the sponsored groups ATT&CK profiles, whichever source names
    // the sponsor
    let groups = eligible(&kb);
    assert!(groups.len() >= 90, "{} groups", groups.len());
    for (claim, k, sw, floor) in [
        (ClaimMode::GroupAndState, 5, 1, 0.95),
        (ClaimMode::GroupAndState, 3, 0, 0.95),
        (ClaimMode::GroupOnly, 5, 1, 0.95),
        (ClaimMode::StateOnly, 5, 1, 0.95),
        (ClaimMode::None, 5, 1, 0.85),
        (ClaimMode::None, 3, 0, 0.60),
    ] {
        let set = cases(
            &kb,
            &Draw {
                techniques: k,
                software: sw,
                per_group: 1,
                seed: 7,
                claim,
            },
        );
        assert_eq!(set.len(), groups.len());
        let s = score(&kb, &ttp, &p, allies, &set);
        let right = s.share(s.state_right);
        eprintln!(
            "{claim:?} k={k} sw={sw}: state right {right:.3}, top-1 {:.3}, top-3 {:.3}, allies {}",
            s.share(s.top1),
            s.share(s.top3),
            s.ally_named_for_non_member
        );
        assert!(
            right >= floor,
            "{claim:?} k={k} sw={sw}: {right:.3} < {floor}"
        );
        assert_eq!(
            s.ally_named_for_non_member, 0,
            "{claim:?} k={k} sw={sw}: an alliance member named for a non-member's group"
        );
        if claim != ClaimMode::None {
            assert!(
                s.share(s.top1) >= 0.9,
                "{claim:?}: top-1 {}",
                s.share(s.top1)
            );
        }
    }
}
