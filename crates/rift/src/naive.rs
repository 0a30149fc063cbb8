//! A deliberately plain reference: every cell of the space built as a full vector (its
//! victims the named member and its nearest neighbours) and decided with
//! `concord_policy`'s stance table and adoption, metrics summed cell by cell. Slow; for
//! tests on small alliances and the comparison example.

use crate::engine::{Metrics, OptionMetrics, MISSING_KINDS};
use crate::space::{Weights, MEMBERS_AFFECTED};
use concord_policy::decide::{adopt, counts, member_facts, stance_table, Missing, Stance};
use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, REASONS, SECTOR, SEVERITY};
use concord_policy::{Alliance, PolicySet, Rule, Vector};
use std::collections::BTreeMap;

#[derive(Default, Clone)]
struct Acc {
    rift: f64,
    veto: f64,
    adopted: f64,
    unmet: f64,
    blocked_by: BTreeMap<&'static str, f64>,
    missing: BTreeMap<&'static str, f64>,
    pivotal: BTreeMap<String, u64>,
}

pub fn rift(alliance: &Alliance, policies: &PolicySet, w: &Weights) -> Metrics {
    let n = alliance.members.len();
    let rungs = alliance.ladder.len();
    let (mut total, mut overall_rift, mut overall_veto) = (0.0, 0.0, 0.0);
    let mut acc = vec![Acc::default(); rungs];
    let mut ceiling = vec![0u8; rungs * ATTRIBUTION.len()];
    let mut cells = 0u64;
    for sev in 0..SEVERITY.len() {
        for att in 0..ATTRIBUTION.len() {
            for act in 0..ACTOR.len() {
                for eff in 0..EFFECTS.len() {
                    for sec in 0..SECTOR.len() {
                        for v in 0..n {
                            for (mi, ma) in MEMBERS_AFFECTED.iter().enumerate() {
                                cells += 1;
                                let weight = w.severity[sev]
                                    * w.attribution[att]
                                    * w.actor[act]
                                    * w.effects[eff]
                                    * w.sector[sec]
                                    * w.victim[v]
                                    * w.members_affected[mi];
                                total += weight;
                                let victims = alliance
                                    .nearest_victims(v, *ma as usize)
                                    .into_iter()
                                    .map(|m| alliance.members[m].code.clone())
                                    .collect();
                                let vector = Vector {
                                    severity: sev as u8,
                                    attribution: att as u8,
                                    effects: eff as u8,
                                    actor: act as u8,
                                    sectors: 1 << sec,
                                    victims,
                                    members_affected: u64::from(*ma),
                                };
                                let facts = member_facts(alliance, policies, &vector);
                                let table = stance_table(alliance, policies, &facts);
                                let adoption = adopt(alliance, &counts(policies, &table, &facts));
                                let (mut any_rift, mut any_veto) = (false, false);
                                for (r, rung) in alliance.ladder.iter().enumerate() {
                                    let a = &mut acc[r];
                                    let row = &table[r];
                                    let (adopted, missing) = &adoption[r];
                                    let s = row.iter().filter(|x| x.0 == Stance::Support).count();
                                    let blockers: Vec<usize> =
                                        (0..n).filter(|m| row[*m].0 == Stance::Block).collect();
                                    let victim_supports = (0..n).any(|m| {
                                        facts[m].affected_self && row[m].0 == Stance::Support
                                    });
                                    if *adopted {
                                        a.adopted += weight;
                                    } else {
                                        if victim_supports {
                                            a.unmet += weight;
                                        }
                                        if act == 3 {
                                            let c = &mut ceiling[r * ATTRIBUTION.len() + att];
                                            *c = (*c).max(sev as u8 + 1);
                                        }
                                    }
                                    for (kind, _) in MISSING_KINDS {
                                        if missing.iter().any(|m| m.kind() == kind) {
                                            *a.missing.entry(kind).or_default() += weight;
                                        }
                                    }
                                    if rung.rule != Rule::Consensus {
                                        continue;
                                    }
                                    if 2 * s > n && !blockers.is_empty() {
                                        a.rift += weight;
                                        any_rift = true;
                                    }
                                    if missing.as_slice() == [Missing::Block] {
                                        a.veto += weight;
                                        any_veto = true;
                                        for word in REASONS {
                                            if blockers
                                                .iter()
                                                .any(|m| row[*m].1.words().contains(word))
                                            {
                                                *a.blocked_by.entry(word).or_default() += weight;
                                            }
                                        }
                                        if let [m] = blockers.as_slice() {
                                            *a.pivotal
                                                .entry(alliance.members[*m].code.clone())
                                                .or_default() += 1;
                                        }
                                    }
                                }
                                if any_rift {
                                    overall_rift += weight;
                                }
                                if any_veto {
                                    overall_veto += weight;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let frac = |x: f64| if total > 0.0 { x / total } else { 0.0 };
    let share = |m: &BTreeMap<&'static str, f64>| -> BTreeMap<&'static str, f64> {
        m.iter()
            .filter(|(_, x)| **x > 0.0)
            .map(|(k, x)| (*k, frac(*x)))
            .collect()
    };
    Metrics {
        cells,
        rift_index: frac(overall_rift),
        veto_index: frac(overall_veto),
        options: alliance
            .ladder
            .iter()
            .zip(&acc)
            .map(|(rung, a)| OptionMetrics {
                id: rung.id.clone(),
                rift_index: frac(a.rift),
                veto_index: frac(a.veto),
                adopted_share: frac(a.adopted),
                victim_unmet: frac(a.unmet),
                blocked_by: share(&a.blocked_by),
                missing_share: share(&a.missing),
                pivotal: a.pivotal.clone(),
            })
            .collect(),
        ceiling: crate::engine::ceiling_map(alliance, &ceiling),
        heat: Vec::new(),
    }
}
