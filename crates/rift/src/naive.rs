//! A deliberately plain reference: every cell of the space built as a full vector and
//! decided with `concord_policy::decide`'s stance table, metrics summed cell by cell.
//! Slow; for tests on small alliances.

use crate::engine::{Metrics, OptionMetrics};
use crate::space::{Weights, MEMBERS_AFFECTED};
use concord_policy::decide::{member_facts, stance_table, Stance};
use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SECTOR, SEVERITY};
use concord_policy::{Alliance, PolicySet, Rule, Vector};
use std::collections::BTreeMap;

pub fn rift(alliance: &Alliance, policies: &PolicySet, w: &Weights) -> Metrics {
    let n = alliance.members.len();
    let rungs = alliance.ladder.len();
    let (mut total, mut overall) = (0.0, 0.0);
    let mut rift = vec![0.0; rungs];
    let mut adopted = vec![0.0; rungs];
    let mut pivotal = vec![BTreeMap::<String, u64>::new(); rungs];
    let mut ceiling: Vec<Vec<Option<usize>>> = vec![vec![None; ATTRIBUTION.len()]; rungs];
    let mut cells = 0u64;
    for sev in 0..SEVERITY.len() {
        for att in 0..ATTRIBUTION.len() {
            for act in 0..ACTOR.len() {
                for eff in 0..EFFECTS.len() {
                    for sec in 0..SECTOR.len() {
                        for (v, victim) in alliance.members.iter().enumerate() {
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
                                let vector = Vector {
                                    severity: sev as u8,
                                    attribution: att as u8,
                                    effects: eff as u8,
                                    actor: act as u8,
                                    sectors: 1 << sec,
                                    victims: [victim.code.clone()].into(),
                                    members_affected: *ma,
                                };
                                let facts = member_facts(alliance, policies, &vector);
                                let table = stance_table(policies, rungs, &facts);
                                let mut any = false;
                                let mut highest = None;
                                for (r, rung) in alliance.ladder.iter().enumerate() {
                                    let s =
                                        table[r].iter().filter(|x| **x == Stance::Support).count();
                                    let blockers: Vec<usize> =
                                        (0..n).filter(|m| table[r][*m] == Stance::Block).collect();
                                    if rung.rule.adopted(s, blockers.len()) {
                                        adopted[r] += weight;
                                        highest = Some(r);
                                    }
                                    if rung.rule == Rule::Consensus {
                                        if s * 2 > n && !blockers.is_empty() {
                                            rift[r] += weight;
                                            any = true;
                                        }
                                        if s >= 1 && blockers.len() == 1 {
                                            *pivotal[r]
                                                .entry(alliance.members[blockers[0]].code.clone())
                                                .or_default() += 1;
                                        }
                                    }
                                }
                                if any {
                                    overall += weight;
                                }
                                if act == 3 {
                                    for (r, row) in ceiling.iter_mut().enumerate() {
                                        if highest.is_none_or(|h| h < r) {
                                            row[att] = Some(row[att].map_or(sev, |c| c.max(sev)));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let frac = |x: f64| if total > 0.0 { x / total } else { 0.0 };
    Metrics {
        cells,
        rift_index: frac(overall),
        options: alliance
            .ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| OptionMetrics {
                id: rung.id.clone(),
                rift_index: if rung.rule == Rule::Consensus {
                    frac(rift[r])
                } else {
                    0.0
                },
                adopted_share: frac(adopted[r]),
                pivotal: pivotal[r].clone(),
            })
            .collect(),
        ceiling: alliance
            .ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| {
                (
                    rung.id.clone(),
                    ATTRIBUTION
                        .iter()
                        .enumerate()
                        .map(|(a, name)| (*name, ceiling[r][a].map(|s| SEVERITY[s])))
                        .collect(),
                )
            })
            .collect(),
        heat: Vec::new(),
    }
}
