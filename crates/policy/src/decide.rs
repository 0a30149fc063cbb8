//! Stances, the consensus decision and the path to consensus (DESIGN 6).

use crate::alliance::Alliance;
use crate::doctrine;
use crate::lang::{Cond, Facts};
use crate::policy::PolicySet;
use crate::vector::Vector;
use crate::vocab::{ATTRIBUTION, LEGAL};
use serde::Serialize;
use std::collections::BTreeMap;

/// A member's stance on an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Support,
    Block,
    Abstain,
}

/// Block if the block condition holds, else support if the support condition holds, else
/// abstain; a missing condition never holds.
pub fn stance(support: Option<&Cond>, block: Option<&Cond>, f: &Facts) -> Stance {
    if block.is_some_and(|c| c.eval(f)) {
        Stance::Block
    } else if support.is_some_and(|c| c.eval(f)) {
        Stance::Support
    } else {
        Stance::Abstain
    }
}

/// Per-member facts for a vector: each member's own legal class and affected_self.
pub fn member_facts(alliance: &Alliance, policies: &PolicySet, v: &Vector) -> Vec<Facts> {
    alliance
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Facts {
            severity: v.severity,
            attribution: v.attribution,
            effects: v.effects,
            legal: doctrine::legal_class(&policies.doctrine(i), v),
            actor: v.actor,
            sectors: v.sectors,
            members_affected: v.members_affected,
            affected_self: v.victims.contains(&m.code),
        })
        .collect()
}

/// The stance table: `[rung][member]`.
pub fn stance_table(policies: &PolicySet, rungs: usize, facts: &[Facts]) -> Vec<Vec<Stance>> {
    (0..rungs)
        .map(|r| {
            facts
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    match policies
                        .by_member
                        .get(i)
                        .and_then(Option::as_ref)
                        .and_then(|p| p.stances.get(r))
                    {
                        Some(s) => stance(s.support.as_ref(), s.block.as_ref(), f),
                        None => Stance::Abstain,
                    }
                })
                .collect()
        })
        .collect()
}

/// One option's outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionOutcome {
    pub id: String,
    /// The option's full name.
    pub option: String,
    pub rule: String,
    pub adopted: bool,
    pub support: Vec<String>,
    pub block: Vec<String>,
    pub abstain: Vec<String>,
    /// For each member that supports or blocks: the condition that decided it.
    pub why: BTreeMap<String, String>,
}

/// The lowest attribution level at which a non-adopted option would be adopted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Path {
    pub option: String,
    pub attribution: Option<&'static str>,
    pub flips: Vec<String>,
}

/// The decision of DESIGN 6.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Decision {
    pub highest_adopted: Option<String>,
    pub options: Vec<OptionOutcome>,
    pub legal: BTreeMap<String, &'static str>,
    pub paths: Vec<Path>,
    /// The vector decided on, with members_affected resolved.
    pub vector: serde_json::Value,
}

fn counts(row: &[Stance]) -> (usize, usize) {
    (
        row.iter().filter(|s| **s == Stance::Support).count(),
        row.iter().filter(|s| **s == Stance::Block).count(),
    )
}

/// Decide on a vector.
pub fn decide(alliance: &Alliance, policies: &PolicySet, v: &Vector) -> Decision {
    let facts = member_facts(alliance, policies, v);
    let table = stance_table(policies, alliance.ladder.len(), &facts);
    let code = |i: usize| alliance.members[i].code.clone();
    let mut options = Vec::new();
    let mut highest = None;
    for (r, rung) in alliance.ladder.iter().enumerate() {
        let row = &table[r];
        let (s, b) = counts(row);
        let adopted = rung.rule.adopted(s, b);
        if adopted {
            highest = Some(rung.id.clone());
        }
        let pick = |want: Stance| -> Vec<String> {
            row.iter()
                .enumerate()
                .filter(|(_, s)| **s == want)
                .map(|(i, _)| code(i))
                .collect()
        };
        let mut why = BTreeMap::new();
        for (i, st) in row.iter().enumerate() {
            let p = policies
                .by_member
                .get(i)
                .and_then(Option::as_ref)
                .and_then(|p| p.stances.get(r));
            match (st, p) {
                (Stance::Block, Some(p)) => {
                    why.insert(
                        code(i),
                        format!(
                            "block: {}",
                            p.block.as_ref().map(Cond::to_text).unwrap_or_default()
                        ),
                    );
                }
                (Stance::Support, Some(p)) => {
                    why.insert(
                        code(i),
                        format!(
                            "support: {}",
                            p.support.as_ref().map(Cond::to_text).unwrap_or_default()
                        ),
                    );
                }
                _ => {}
            }
        }
        options.push(OptionOutcome {
            id: rung.id.clone(),
            option: rung.option.clone(),
            rule: rung.rule.text(),
            adopted,
            support: pick(Stance::Support),
            block: pick(Stance::Block),
            abstain: pick(Stance::Abstain),
            why,
        });
    }
    // Path to consensus: raise attribution only.
    let mut paths = Vec::new();
    let higher: Vec<Vec<Vec<Stance>>> = ((v.attribution + 1)..(ATTRIBUTION.len() as u8))
        .map(|a| {
            let f: Vec<Facts> = facts
                .iter()
                .map(|f| Facts {
                    attribution: a,
                    ..*f
                })
                .collect();
            stance_table(policies, alliance.ladder.len(), &f)
        })
        .collect();
    for (r, rung) in alliance.ladder.iter().enumerate() {
        if options[r].adopted {
            continue;
        }
        let mut path = Path {
            option: rung.id.clone(),
            attribution: None,
            flips: Vec::new(),
        };
        for (k, t) in higher.iter().enumerate() {
            let (s, b) = counts(&t[r]);
            if rung.rule.adopted(s, b) {
                path.attribution = Some(ATTRIBUTION[usize::from(v.attribution) + 1 + k]);
                path.flips = t[r]
                    .iter()
                    .zip(&table[r])
                    .enumerate()
                    .filter(|(_, (x, y))| x != y)
                    .map(|(i, _)| code(i))
                    .collect();
                break;
            }
        }
        paths.push(path);
    }
    let legal = alliance
        .members
        .iter()
        .zip(&facts)
        .map(|(m, f)| (m.code.clone(), LEGAL[usize::from(f.legal)]))
        .collect();
    Decision {
        highest_adopted: highest,
        options,
        legal,
        paths,
        vector: v.to_json(),
    }
}
