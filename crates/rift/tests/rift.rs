//! Exact metrics on small alliances computed by hand, the fast engine equal to the
//! cell-by-cell reference on random policies, and the built-in positions' rift.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::lang::{CmpOp, Cond, NomTest};
use concord_policy::policy::{MemberPolicy, OptionStance};
use concord_policy::vocab::{Nominal, Ordinal};
use concord_policy::{Alliance, Doctrine, PolicySet};
use concord_rift::{naive, rift, to_json, Weights};
use proptest::prelude::*;
use serde_json::json;

const TINY: &str = r#"name = "Tiny"
[[member]]
code = "AAA"
[[member]]
code = "BBB"
[[member]]
code = "CCC"
[[rung]]
id = "talk"
option = "Talk"
rule = "any"
[[rung]]
id = "act"
option = "Act"
rule = "consensus"
"#;

fn tiny() -> (Alliance, PolicySet) {
    let a = Alliance::parse("tiny.toml", TINY).unwrap();
    let files = vec![
        ("a.toml".to_string(), "member = \"AAA\"\n[stance.act]\nsupport = \"true\"\n".to_string()),
        ("b.toml".to_string(), "member = \"BBB\"\n[stance.act]\nsupport = \"true\"\n".to_string()),
        ("c.toml".to_string(), "member = \"CCC\"\n[stance.talk]\nsupport = \"true\"\n[stance.act]\nblock = \"severity >= high\"\n".to_string()),
    ];
    let p = PolicySet::from_texts(&files, &a).unwrap();
    (a, p)
}

#[test]
fn hand_computed_tiny_alliance() {
    let (a, p) = tiny();
    let m = rift(&a, &p, &Weights::uniform(3));
    let j = to_json(&m);
    assert_eq!(j["cells"], 13_824 * 3);
    // act: AAA and BBB support (2 of 3 is a majority); CCC blocks at high, severe, emergency
    assert_eq!(j["rift_index"], 0.5);
    assert_eq!(
        j["options"][0],
        json!({"id": "talk", "rift_index": 0.0, "adopted_share": 1.0, "pivotal": {}})
    );
    assert_eq!(
        j["options"][1],
        json!({"id": "act", "rift_index": 0.5, "adopted_share": 0.5, "pivotal": {"CCC": 20_736}})
    );
    assert_eq!(
        j["ceiling"]["talk"],
        json!({"none": null, "low": null, "moderate": null, "high": null})
    );
    assert_eq!(
        j["ceiling"]["act"],
        json!({"none": "emergency", "low": "emergency", "moderate": "emergency", "high": "emergency"})
    );
}

#[test]
fn prior_weights_multiply() {
    let (a, p) = tiny();
    let w = Weights::parse_prior(
        "p.toml",
        "[weights.severity]\nemergency = 0\nbaseline = 2\n[weights.victim]\nAAA = 3\n",
        &a,
    )
    .unwrap();
    let j = to_json(&rift(&a, &p, &w));
    // severity weights 2,1,1,1,1,0: rift cells (high, severe) weigh 2 of 6
    assert_eq!(j["rift_index"], 2.0 / 6.0);
    assert_eq!(j["options"][1]["adopted_share"], 4.0 / 6.0);
    // pivotal counts cells, unweighted (emergency cells count though they weigh 0)
    assert_eq!(j["options"][1]["pivotal"]["CCC"], 20_736);
    assert_eq!(
        to_json(&naive::rift(&a, &p, &w)),
        to_json(&rift(&a, &p, &w))
    );
    for bad in [
        "[weights.colour]\nred = 1\n",
        "[weights.severity]\nhuge = 1\n",
        "[weights.severity]\nhigh = -1\n",
        "[weights.victim]\nXXX = 1\n",
        "sever = 1\n",
    ] {
        assert!(Weights::parse_prior("p.toml", bad, &a).is_err(), "{bad}");
    }
}

fn cond_strategy() -> impl Strategy<Value = Option<Cond>> {
    let leaf = prop_oneof![
        Just(Cond::True),
        Just(Cond::AffectedSelf),
        (
            0..4usize,
            0..6u8,
            prop_oneof![Just(CmpOp::Ge), Just(CmpOp::Lt), Just(CmpOp::Eq)]
        )
            .prop_map(|(d, l, op)| {
                let dim = Ordinal::ALL[d];
                Cond::Ord {
                    dim,
                    op,
                    level: l % dim.levels().len() as u8,
                }
            }),
        (0..4u8).prop_map(|v| Cond::Nom {
            dim: Nominal::Actor,
            test: NomTest::Eq(v)
        }),
        (0..12u8).prop_map(|v| Cond::Nom {
            dim: Nominal::Sector,
            test: NomTest::Ne(v)
        }),
        (0..12u64).prop_map(|n| Cond::MembersAffected { op: CmpOp::Ge, n }),
    ];
    let tree = leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
            inner.prop_map(|a| Cond::Not(Box::new(a))),
        ]
    });
    prop::option::weighted(0.8, tree)
}

/// Per member: has a policy, doctrine flags, (support, block) per rung.
type RawPolicy = (bool, [bool; 3], Vec<(Option<Cond>, Option<Cond>)>);

fn policy_strategy(members: usize, rungs: usize) -> impl Strategy<Value = Vec<RawPolicy>> {
    prop::collection::vec(
        (
            prop::bool::weighted(0.85),
            prop::array::uniform3(prop::bool::ANY),
            prop::collection::vec((cond_strategy(), cond_strategy()), rungs),
        ),
        members,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn fast_engine_equals_reference(raw in policy_strategy(4, 3)) {
        let text = r#"name = "Four"
[[member]]
code = "AAA"
[[member]]
code = "BBB"
[[member]]
code = "CCC"
[[member]]
code = "DDD"
[[rung]]
id = "one"
rule = "any"
[[rung]]
id = "two"
rule = "coalition:2"
[[rung]]
id = "three"
rule = "consensus"
"#;
        let a = Alliance::parse("four.toml", text).unwrap();
        let by_member = raw.into_iter().enumerate().map(|(i, (has, d, stances))| has.then(|| MemberPolicy {
            member: a.members[i].code.clone(),
            source: None,
            doctrine: Doctrine {
                sovereignty_rule: d[0],
                sovereignty_threshold: if d[1] { concord_policy::doctrine::SovereigntyThreshold::AnyIntrusion } else { concord_policy::doctrine::SovereigntyThreshold::LossOfFunctionality },
                nonphysical_force: d[2],
            },
            stances: stances.into_iter().map(|(support, block)| OptionStance { support, block }).collect(),
            file: String::new(),
        })).collect();
        let p = PolicySet { by_member };
        let w = Weights::parse_prior("p", "[weights.attribution]\nhigh = 2.5\n[weights.victim]\nCCC = 0.5\n", &a).unwrap();
        prop_assert_eq!(to_json(&rift(&a, &p, &w)), to_json(&naive::rift(&a, &p, &w)));
    }
}

#[test]
fn builtin_positions_have_a_real_rift_with_france_pivotal() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let m = rift(&a, &p, &Weights::uniform(32));
    assert_eq!(m.cells, 442_368);
    assert!(m.rift_index > 0.0 && m.rift_index < 1.0, "{}", m.rift_index);
    let cm = m
        .options
        .iter()
        .find(|o| o.id == "countermeasures")
        .unwrap();
    assert!(
        cm.pivotal.get("FRA").is_some_and(|n| *n > 0),
        "{:?}",
        cm.pivotal
    );
    let j = to_json(&m);
    assert_eq!(j["ceiling"].as_object().unwrap().len(), 10);
    for (_, per) in j["ceiling"].as_object().unwrap() {
        assert_eq!(per.as_object().unwrap().len(), 4);
    }
}

#[test]
fn harmonisation_edits_really_lower_the_index() {
    let (a, p) = tiny();
    let w = Weights::uniform(3);
    let props = concord_rift::harmonise::propose(&a, &p, &w, 3);
    assert!(!props.is_empty());
    let first = &props[0];
    assert_eq!(first.member, "CCC");
    assert_eq!(first.key, "stance.act.block");
    assert_eq!(first.before, "severity >= high");
    assert_eq!(first.after, "severity >= severe");
    assert_eq!(first.rift_before, 0.5);
    assert!(
        (first.rift_after - 2.0 / 6.0).abs() < 1e-12,
        "{}",
        first.rift_after
    );
    for pair in props.windows(2) {
        assert!(pair[1].rift_after < pair[0].rift_after);
        assert_eq!(pair[1].rift_before, pair[0].rift_after);
    }
    // each claim checked independently: apply the edits and recompute with the reference
    let mut edited = p.clone();
    for pr in &props {
        let m = a.member_index(&pr.member).unwrap();
        let parts: Vec<&str> = pr.key.split('.').collect();
        let r = a.rung_index(parts[1]).unwrap();
        let c = concord_policy::lang::compile(&pr.after).unwrap();
        let s = &mut edited.by_member[m].as_mut().unwrap().stances[r];
        if parts[2] == "block" {
            s.block = Some(c)
        } else {
            s.support = Some(c)
        }
        assert!((naive::rift(&a, &edited, &w).rift_index - pr.rift_after).abs() < 1e-12);
    }
}
