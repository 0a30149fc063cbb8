//! Exact metrics on small alliances computed by hand, the fast engine equal to the
//! cell-by-cell reference on random policies, and the built-in positions' rift.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::alliance::Member;
use concord_policy::doctrine::SovereigntyThreshold;
use concord_policy::lang::{CmpOp, Cond, NomTest};
use concord_policy::policy::{MemberPolicy, OptionStance};
use concord_policy::vocab::{Nominal, Ordinal};
use concord_policy::{Alliance, Doctrine, PolicySet, Reason, Request, Rule, Rung};
use concord_rift::{naive, rift, to_json, Weights};
use proptest::prelude::*;
use serde_json::json;

const TINY: &str = r#"name = "Tiny"
[[member]]
code = "AAA"
name = "AAA"
lat = 0.0
lon = 0.0
[[member]]
code = "BBB"
name = "BBB"
lat = 0.0
lon = 0.0
[[member]]
code = "CCC"
name = "CCC"
lat = 0.0
lon = 0.0
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
    assert_eq!(j["cells"], 17_280 * 3);
    // act: AAA and BBB support (2 of 3 is a majority); CCC blocks at high, severe, emergency
    assert_eq!(j["rift_index"], 0.5);
    assert_eq!(j["veto_index"], 0.5);
    assert_eq!(
        j["options"][0],
        json!({"id": "talk", "rift_index": 0.0, "veto_index": 0.0, "adopted_share": 1.0,
               "victim_unmet": 0.0, "blocked_by": {}, "missing_share": {}, "pivotal": {}})
    );
    // victims (every capital at 0,0: ties by code): {v} when 1 is affected, all three
    // otherwise; a victim supports unless the only victim is CCC: (1/3 * 2/3 + 2/3) / 2
    assert_eq!(
        j["options"][1],
        json!({"id": "act", "rift_index": 0.5, "veto_index": 0.5, "adopted_share": 0.5,
               "victim_unmet": 4.0 / 9.0, "blocked_by": {"policy": 0.5},
               "missing_share": {"block": 0.5}, "pivotal": {"CCC": 25_920}})
    );
    assert_eq!(
        j["ceiling"]["talk"],
        json!({"none": null, "low": null, "moderate": null, "high": null})
    );
    assert_eq!(
        j["ceiling"]["act"],
        json!({"none": "emergency", "low": "emergency", "moderate": "emergency", "high": "emergency"})
    );
    assert_eq!(j, to_json(&naive::rift(&a, &p, &Weights::uniform(3))));
}

/// Shares are weights over the total weight, summed alike: with weights that are not
/// exact in binary (0.3, 0.1) a figure that holds in every cell is exactly 1 and none
/// exceeds 1 (an earlier engine printed 1.0000000000000007).
#[test]
fn shares_stay_within_zero_and_one_under_inexact_weights() {
    let (a, p) = tiny();
    let w = Weights::parse_prior(
        "p.toml",
        "[weights.severity]\nlow = 0.3\nhigh = 0.1\n[weights.sector]\nwater = 0.3\n[weights.victim]\nBBB = 0.7\n",
        &a,
    )
    .unwrap();
    let j = to_json(&rift(&a, &p, &w));
    // everyone supports talk (rule any): adopted in every cell
    assert_eq!(j["options"][0]["id"], "talk");
    assert_eq!(j["options"][0]["adopted_share"], 1.0);
    let mut fractions = vec![
        j["rift_index"].as_f64().unwrap(),
        j["veto_index"].as_f64().unwrap(),
    ];
    for o in j["options"].as_array().unwrap() {
        for k in ["rift_index", "veto_index", "adopted_share", "victim_unmet"] {
            fractions.push(o[k].as_f64().unwrap());
        }
        for m in ["blocked_by", "missing_share"] {
            fractions.extend(
                o[m].as_object()
                    .unwrap()
                    .values()
                    .map(|v| v.as_f64().unwrap()),
            );
        }
    }
    assert!(
        fractions.iter().all(|f| (0.0..=1.0).contains(f)),
        "{fractions:?}"
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
    assert_eq!(j["options"][1]["pivotal"]["CCC"], 25_920);
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
            0..Ordinal::ALL.len(),
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
        (0..12u128).prop_map(|n| Cond::MembersAffected { op: CmpOp::Ge, n }),
    ];
    let tree = leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Cond::and),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Cond::or),
            inner.prop_map(|a| Cond::Not(Box::new(a))),
        ]
    });
    prop::option::weighted(0.8, tree)
}

/// A block: none, one string (policy), or a few reasons.
fn block_strategy() -> impl Strategy<Value = Vec<(Reason, Cond)>> {
    prop::collection::vec((0..5usize, cond_strategy()), 0..3).prop_map(|v| {
        let mut out: Vec<(Reason, Cond)> = Vec::new();
        for (r, c) in v {
            let r = Reason::ALL[r];
            if let Some(c) = c {
                if !out.iter().any(|(x, _)| *x == r) {
                    out.push((r, c));
                }
            }
        }
        out.sort_by_key(|(r, _)| *r);
        out
    })
}

/// Per member: has a policy, doctrine flags, (support, block, capacity) per rung.
type RawPolicy = (
    bool,
    [bool; 3],
    Vec<(Option<Cond>, Vec<(Reason, Cond)>, bool)>,
);

fn policy_strategy(members: usize, rungs: usize) -> impl Strategy<Value = Vec<RawPolicy>> {
    prop::collection::vec(
        (
            prop::bool::weighted(0.85),
            prop::array::uniform3(prop::bool::ANY),
            prop::collection::vec(
                (cond_strategy(), block_strategy(), prop::bool::weighted(0.5)),
                rungs,
            ),
        ),
        members,
    )
}

/// A rung: rule, legal basis, requires (bits over earlier rungs), contributors, request.
type RawRung = (u8, Option<u8>, u8, Option<u32>, bool);

fn rung_strategy() -> impl Strategy<Value = RawRung> {
    (
        0..4u8,
        prop::option::weighted(0.5, 0..5u8),
        0..8u8,
        prop::option::weighted(0.4, 1..4u32),
        prop::bool::weighted(0.4),
    )
}

fn build(coords: Vec<(i8, i8)>, rungs: Vec<RawRung>, raw: Vec<RawPolicy>) -> (Alliance, PolicySet) {
    let members = coords
        .iter()
        .enumerate()
        .map(|(i, (lat, lon))| Member {
            code: ["AAA", "BBB", "CCC", "DDD", "EEE"][i].into(),
            name: String::new(),
            lat: f64::from(*lat),
            lon: f64::from(*lon),
        })
        .collect();
    let ladder = rungs
        .into_iter()
        .enumerate()
        .map(|(r, (rule, basis, req, contributors, request))| {
            let mut x = Rung::new(
                &format!("r{r}"),
                "",
                match rule {
                    0 => Rule::Any,
                    1 => Rule::Coalition(2),
                    _ => Rule::Consensus,
                },
            );
            x.legal_basis = basis;
            x.requires = (0..r).filter(|q| req & (1 << q) != 0).collect();
            x.contributors = contributors;
            x.request = request.then_some(Request::Victim);
            x
        })
        .collect();
    let a = Alliance {
        name: "Random".into(),
        members,
        ladder,
    };
    let by_member = raw
        .into_iter()
        .enumerate()
        .map(|(i, (has, d, stances))| {
            has.then(|| MemberPolicy {
                member: a.members[i].code.clone(),
                source: None,
                doctrine: Doctrine {
                    sovereignty_rule: d[0],
                    sovereignty_threshold: if d[1] {
                        SovereigntyThreshold::AnyIntrusion
                    } else {
                        SovereigntyThreshold::LossOfFunctionality
                    },
                    nonphysical_force: d[2],
                },
                capacity: stances.iter().map(|s| s.2).collect(),
                stances: stances
                    .into_iter()
                    .map(|(support, block, _)| OptionStance { support, block })
                    .collect(),
                file: String::new(),
            })
        })
        .collect();
    (
        a,
        PolicySet {
            by_member,
            origin: Default::default(),
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Every v2 feature at random (legal basis, prerequisites, contributors, request,
    /// reasons, capacity, coordinates with ties): the fast engine gives exactly the
    /// reference's document.
    #[test]
    fn fast_engine_equals_reference(
        coords in prop::collection::vec((-3i8..3, -3i8..3), 5),
        rungs in prop::collection::vec(rung_strategy(), 4),
        raw in policy_strategy(5, 4),
    ) {
        let (a, p) = build(coords, rungs, raw);
        let w = Weights::parse_prior("p", "[weights.attribution]\nhigh = 2.5\n[weights.victim]\nCCC = 0.5\n[weights.members_affected]\n3 = 2\n", &a).unwrap();
        prop_assert_eq!(to_json(&rift(&a, &p, &w)), to_json(&naive::rift(&a, &p, &w)));
    }

    /// Incremental trials (harmonisation) equal a full recomputation, for a member's edited
    /// condition and for a rung's changed rule.
    #[test]
    fn trials_equal_full_recomputation(
        coords in prop::collection::vec((-3i8..3, -3i8..3), 5),
        rungs in prop::collection::vec(rung_strategy(), 4),
        raw in policy_strategy(5, 4),
        edit in (0..5usize, 0..4usize, cond_strategy(), prop::bool::ANY),
    ) {
        let (a, p) = build(coords, rungs, raw);
        let w = Weights::uniform(5);
        let (m, r, c, rule_change) = edit;
        let mut edited = p.clone();
        let mut a2 = a.clone();
        if rule_change {
            a2.ladder[r].rule = if a.ladder[r].rule == Rule::Consensus { Rule::Coalition(2) } else { Rule::Consensus };
        } else if let Some(Some(x)) = edited.by_member.get_mut(m) {
            x.stances[r].support = c;
        }
        let via_trial = concord_rift::harmonise::trial_metrics_for(&a, &p, &edited, &a2.ladder[r], &w, r);
        prop_assert_eq!(to_json(&via_trial), to_json(&rift(&a2, &edited, &w)));
    }
}

#[test]
fn builtin_positions_have_a_real_rift_with_france_pivotal() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let m = rift(&a, &p, &Weights::uniform(32));
    assert_eq!(m.cells, 552_960);
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
    // the rift the seed describes: frontline victims ask for countermeasures the alliance
    // cannot agree, and a majority wants them where France objects
    assert!(cm.rift_index > 0.0, "{cm:?}");
    assert!(cm.victim_unmet > 0.0, "{cm:?}");
    assert!(
        cm.veto_index > 0.0 && cm.blocked_by.contains_key("legal"),
        "{cm:?}"
    );
    // Article 5 and Article 4 only at an armed attack (or, for Article 4, an emergency)
    let art5 = m.options.iter().find(|o| o.id == "art5").unwrap();
    assert!(art5.adopted_share < 0.05, "{art5:?}");
    let j = to_json(&m);
    assert_eq!(j["ceiling"].as_object().unwrap().len(), 11);
    for (_, per) in j["ceiling"].as_object().unwrap() {
        assert_eq!(per.as_object().unwrap().len(), 4);
    }
}

#[test]
fn harmonisation_edits_really_lower_the_index() {
    let (a, p) = tiny();
    let w = Weights::uniform(3);
    let h = concord_rift::harmonise::harmonise(&a, &p, &w, 3);
    assert!(!h.proposals.is_empty());
    // best: a qualified majority instead of consensus on `act` ends the rift, the veto and
    // the unmet requests at once
    let first = &h.proposals[0];
    assert_eq!((first.kind, first.rung.as_str()), ("rule", "act"));
    assert_eq!(
        (first.before.as_str(), first.after.as_str()),
        ("consensus", "coalition:2")
    );
    assert_eq!(first.figures_before.rift_index, 0.5);
    assert_eq!(first.figures_after.rift_index, 0.0);
    assert_eq!(first.figures_after.rung_victim_unmet, 0.0);
    // the claim checked independently: the edited alliance through the reference
    let mut a2 = a.clone();
    a2.ladder[1].rule = concord_policy::Rule::Coalition(2);
    assert_eq!(naive::rift(&a2, &p, &w).rift_index, 0.0);
    assert_eq!(h.after.rift_index, first.figures_after.rift_index);
    assert_eq!(
        to_json(&h.after),
        to_json(&naive::rift(&h.alliance, &h.policies, &w))
    );
    // every kind of edit is searched
    let kinds: std::collections::BTreeSet<&str> = concord_rift::harmonise::candidates(&a, &p)
        .iter()
        .map(|e| e.kind())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["abstain", "rule", "threshold"]
    );
    // the ranked single edits: CCC's constructive abstention is among them, exact figures
    let ranked = concord_rift::harmonise::ranked_proposals(&a, &p, &w, 10);
    let abstain = ranked.iter().find(|(x, _, _)| x.kind == "abstain").unwrap();
    assert_eq!(abstain.0.member.as_deref(), Some("CCC"));
    assert_eq!(
        abstain.0.figures_after.rift_index,
        naive::rift(&abstain.1, &abstain.2, &w).rift_index
    );
    assert!(abstain.0.figures_after.rift_index < 0.5);
}

/// Safe harbours equal a cell-by-cell search with the policy crate's own adoption.
#[test]
fn safe_harbours_match_a_plain_search() {
    use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SECTOR, SEVERITY};
    let (a, p) = tiny();
    let h = concord_rift::engine::Engine::new(&a, &p).safe_harbours();
    let mut want = vec![
        vec![vec![vec![None::<u8>; EFFECTS.len()]; ATTRIBUTION.len()]; ACTOR.len()];
        a.ladder.len()
    ];
    for sev in 0..SEVERITY.len() as u8 {
        for att in 0..ATTRIBUTION.len() as u8 {
            for act in 0..ACTOR.len() as u8 {
                for eff in 0..EFFECTS.len() as u8 {
                    for sec in 0..SECTOR.len() {
                        for v in 0..a.members.len() {
                            for k in [1usize, 3, 10] {
                                let vector = concord_policy::Vector {
                                    severity: sev,
                                    attribution: att,
                                    effects: eff,
                                    actor: act,
                                    sectors: 1 << sec,
                                    victims: a
                                        .nearest_victims(v, k)
                                        .into_iter()
                                        .map(|m| a.members[m].code.clone())
                                        .collect(),
                                    members_affected: k as u64,
                                };
                                let adopted = concord_policy::whatif::adopted(&a, &p, &vector);
                                for (r, ok) in adopted.iter().enumerate() {
                                    if !ok {
                                        let c = &mut want[r][usize::from(act)][usize::from(att)]
                                            [usize::from(eff)];
                                        *c = Some(c.map_or(sev, |s: u8| s.max(sev)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(h, want);
    // act (CCC blocks from high severity) stays open up to emergency for every actor
    assert_eq!(h[1][3][3][4], Some(5));
    assert!(
        h[0].iter().flatten().flatten().all(Option::is_none),
        "talk is always adopted"
    );
}
