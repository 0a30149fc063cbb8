//! The decision room's tests.

use super::*;
use concord_policy::{explain, Alliance, PolicySet, Vector};
use std::collections::BTreeMap;

fn vector(json: &str) -> Vector {
    Vector::from_json(&serde_json::from_str(json).unwrap()).unwrap()
}

const BALTIC: &str = r#"{"severity":"emergency","attribution":"high","effects":"destruction","actor":"state","sectors":["energy","government"],"victims":["EST","LTU","LVA","POL"]}"#;

#[test]
fn every_member_of_both_forums_has_its_own_tile() {
    for a in [Alliance::nato(), Alliance::eu()] {
        let pos = layout(&a);
        assert_eq!(pos.len(), a.members.len());
        let mut seen = std::collections::HashSet::new();
        for (m, p) in a.members.iter().zip(&pos) {
            assert!(seen.insert(*p), "{} shares a tile", m.code);
            assert!(LAYOUT.iter().any(|(c, _, _)| *c == m.code), "{}", m.code);
        }
    }
}

#[test]
fn other_alliances_are_laid_out_from_coordinates_without_collisions() {
    let mut a = Alliance::nato();
    for m in &mut a.members {
        m.code = format!("X{}", &m.code[1..]);
    }
    a.members.sort_by(|x, y| x.code.cmp(&y.code));
    let pos = layout(&a);
    let set: std::collections::HashSet<_> = pos.iter().collect();
    assert_eq!(set.len(), a.members.len());
    // west stays west: the Americas left of Europe
    let at = |name: &str| pos[a.members.iter().position(|m| m.name == name).unwrap()];
    assert!(at("Canada").0 < at("Poland").0);
    assert!(at("Norway").1 < at("Greece").1, "north above south");
}

#[test]
fn the_ladder_strip_says_blocked_with_the_reason_and_unsupported_with_what_is_missing() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let d = concord_policy::decide(&a, &p, &vector(BALTIC));
    let cells = ladder(&a, &d);
    let cm = cells.iter().find(|c| c.id == "countermeasures").unwrap();
    assert_eq!(cm.state, "blocked");
    assert_eq!(cm.label, "blocked: legal");
    assert_eq!(cm.blockers, vec!["FRA (legal doubts)".to_string()]);
    assert!(cells
        .iter()
        .filter(|c| c.id != "countermeasures")
        .all(|c| c.state == "adopted"));
    // a low-severity espionage case: solidarity needs a victim's request
    let d = concord_policy::decide(
        &a,
        &p,
        &vector(
            r#"{"severity":"low","attribution":"low","effects":"espionage","actor":"unknown","victims":["BEL"]}"#,
        ),
    );
    let cells = ladder(&a, &d);
    let un: Vec<&RungCell> = cells.iter().filter(|c| c.state == "unsupported").collect();
    assert!(!un.is_empty());
    assert!(
        un.iter().all(|c| !c.label.is_empty() && c.mark == "–"),
        "{un:?}"
    );
    let html = ladder_html(&cells, "ladder", Some("?"), true, Some("share"));
    assert!(html.contains("rung unsupported"));
    assert!(html.contains("href=\"?rung=share#map\" aria-current=\"true\""));
    assert_eq!(html.matches(" current\"").count(), 1);
    let md = ladder_markdown(&cells);
    assert!(md.contains("| ✓ adopted |"), "{md}");
}

#[test]
fn the_bottom_line_names_the_blocker_its_reason_and_what_would_unblock() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let v = vector(BALTIC);
    let d = concord_policy::decide(&a, &p, &v);
    let sum = explain::summary(&a, &d);
    let flips = concord_policy::whatif::sensitivity(&a, &p, &v);
    let b = bluf(&a, &d, &sum, &flips);
    assert_eq!(b.blocked.len(), 1);
    let cm = &b.blocked[0];
    assert_eq!(cm.id, "countermeasures");
    assert_eq!(cm.blockers[0].member, "FRA");
    assert_eq!(cm.blockers[0].reasons, "legal doubts");
    assert!(!cm.blockers[0].why.is_empty());
    // France blocks countermeasures it is not the victim of: adding it as a victim unblocks
    assert!(
        cm.unblock
            .iter()
            .any(|u| u.contains("victims") && u.contains("FRA")),
        "{:?}",
        cm.unblock
    );
    assert_eq!(b.agree_now.len(), 10);
    assert_eq!(b.highest.as_deref(), Some("Article 5 collective defence"));
    assert!(b.recommendation.starts_with("Agree now the 10 option(s)"));
}

#[test]
fn stance_and_campaign_maps_say_it_in_words() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let d = concord_policy::decide(&a, &p, &vector(BALTIC));
    let map = stance_map(&a, d.option("countermeasures").unwrap());
    let fra = map.tiles.iter().find(|t| t.code == "FRA").unwrap();
    assert_eq!(
        (fra.class.as_str(), fra.word.as_str()),
        ("B", "blocks: legal")
    );
    assert!(fra.why.contains("legal"), "{}", fra.why);
    let html = tiles_html(&map, "stances");
    assert!(
        html.contains("<b>FRA</b><small><span aria-hidden=\"true\">✕ </span>blocks: legal</small>"),
        "{html}"
    );
    let text = tiles_text(&map);
    assert!(text.contains("FRA✕"), "{text}");
    let mut hits = BTreeMap::new();
    hits.insert("EST".to_string(), vec!["a".to_string(), "b".to_string()]);
    let m = campaign_map(&a, &hits);
    let est = m.tiles.iter().find(|t| t.code == "EST").unwrap();
    assert_eq!(
        (est.class.as_str(), est.word.as_str()),
        ("h2", "2 campaigns")
    );
    assert!(tiles_html(&m, "hits").contains("<b>EST</b><small>2 campaigns</small>"));
    let deu = m.tiles.iter().find(|t| t.code == "DEU").unwrap();
    assert_eq!(deu.class, "h0");
}

#[test]
fn what_if_changes_the_vector_and_a_position_without_touching_the_set() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let v = vector(BALTIC);
    let q = WhatIfQuery {
        attribution: Some("low".into()),
        victims: Some("est, fra".into()),
        ..Default::default()
    };
    let w = what_if(&a, &p, &v, &q);
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert_eq!(w.vector.attribution, 1);
    assert_eq!(w.vector.victims.len(), 2);
    assert_eq!(w.vector.members_affected, 2);
    assert_eq!(w.changes.len(), 2, "{:?}", w.changes);
    // France supports as a victim: countermeasures no longer blocked by it
    let q = WhatIfQuery {
        pos_member: Some("FRA".into()),
        pos_rung: Some("countermeasures".into()),
        pos_stance: Some("abstain".into()),
        ..Default::default()
    };
    let w = what_if(&a, &p, &v, &q);
    let set = w.policies.as_ref().unwrap();
    let before = concord_policy::decide(&a, &p, &v);
    let after = concord_policy::decide(&a, set, &w.vector);
    assert!(!before.option("countermeasures").unwrap().adopted);
    assert!(after.option("countermeasures").unwrap().adopted);
    assert_eq!(
        changed_rungs(&before, &after),
        vec!["proportionate cyber countermeasures (voluntary national effects): not adopted → adopted".to_string()]
    );
    assert!(set.origin.name.contains("not saved"));
    assert_ne!(set, &p);
    // bad fields are named, and change nothing
    let q = WhatIfQuery {
        severity: Some("huge".into()),
        victims: Some("EST XXX".into()),
        pos_member: Some("FRA".into()),
        pos_rung: Some("countermeasures".into()),
        pos_stance: Some("maybe".into()),
        ..Default::default()
    };
    let w = what_if(&a, &p, &v, &q);
    assert_eq!(w.errors.len(), 3, "{:?}", w.errors);
    assert!(w.errors[0].starts_with("severity:"));
    assert!(w.errors[1].contains("XXX"));
    assert_eq!(w.vector, v);
    assert!(w.policies.is_none());
    assert!(WhatIfQuery::default().is_empty());
}

#[test]
fn case_changes_list_the_outcomes_an_edit_flips() {
    use concord_policy::cases;
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let list = cases::parse("cases", cases::BUILTIN_CASES).unwrap();
    let forum = |p: PolicySet| concord_policy::Forum {
        id: "nato".into(),
        alliance: a.clone(),
        policies: p,
    };
    let before = cases::score("cases", &list, &[forum(p.clone())]).unwrap();
    assert!(case_changes(&before, &before).is_empty());
    // France always blocking solidarity: the record's statements of solidarity are lost
    let w = what_if(
        &a,
        &p,
        &vector(BALTIC),
        &WhatIfQuery {
            pos_member: Some("FRA".into()),
            pos_rung: Some("solidarity".into()),
            pos_stance: Some("block".into()),
            ..Default::default()
        },
    );
    let after = cases::score("cases", &list, &[forum(w.policies.unwrap())]).unwrap();
    let ch = case_changes(&before, &after);
    assert!(!ch.is_empty());
    assert!(ch
        .iter()
        .all(|c| c.rung == "solidarity" && c.before && !c.after));
    assert!(ch
        .iter()
        .all(|c| c.effect() == "no longer reproduces the record"));
    assert_eq!(
        after.forums["nato"].reproduced + ch.len(),
        before.forums["nato"].reproduced
    );
}

#[test]
fn date_time_groups() {
    assert_eq!(
        dtg("2026-11-30T14:52:07.123Z").as_deref(),
        Some("301452Z NOV 26")
    );
    assert_eq!(
        dtg("2026-03-02T00:05:00Z").as_deref(),
        Some("020005Z MAR 26")
    );
    assert_eq!(dtg("2026-13-02T00:05:00Z"), None);
    assert_eq!(dtg("yesterday"), None);
}
