//! Time-to-consensus replay: re-decide an incident or campaign at each instant its evidence
//! changed, and report when each rung of the ladder was first adopted and who held it back
//! until then.

use concord_policy::decide::{decide, Missing};
use concord_policy::{Alliance, PolicySet, Reasons, Rule, Vector};
use serde::Serialize;
use std::collections::BTreeMap;

/// The situation at one instant: what the assessment said then.
#[derive(Debug, Clone)]
pub struct Moment {
    pub at: String,
    /// What changed at this instant (evidence ids, incidents that joined).
    pub what: Vec<String>,
    pub vector: Vector,
}

/// One re-decision.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub at: String,
    pub what: Vec<String>,
    pub vector: Vector,
    pub highest_adopted: Option<String>,
    pub adopted: Vec<String>,
}

/// One rung over time.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RungHistory {
    pub id: String,
    pub option: String,
    /// The instant it was first adopted, if ever.
    pub first_adopted: Option<String>,
    /// Members that blocked it at the last instant before it was adopted (or at the last
    /// instant, when it never was), when their objection was what stopped it (consensus).
    pub held_back_by: Vec<String>,
    /// For each member that blocked it at some instant before adoption: from when to when.
    pub blocked: Vec<Blocking>,
    /// Their reasons at that instant.
    pub reasons: BTreeMap<String, Reasons>,
    /// What kept it from adoption at that instant (DESIGN 6 `missing`): a rung nobody
    /// blocks can still lack support, a victim's request, contributors or a prerequisite.
    pub missing: Vec<String>,
    /// The rule and the support it had at the last instant before adoption (or at the
    /// end).
    pub rule: Rule,
    pub support: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Blocking {
    pub member: String,
    pub from: String,
    pub until: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Replay {
    pub steps: Vec<Step>,
    pub rungs: Vec<RungHistory>,
}

/// Replay a sequence of moments (in time order).
pub fn replay(alliance: &Alliance, policies: &PolicySet, moments: &[Moment]) -> Replay {
    let decisions: Vec<_> = moments
        .iter()
        .map(|m| decide(alliance, policies, &m.vector))
        .collect();
    let steps = moments
        .iter()
        .zip(&decisions)
        .map(|(m, d)| Step {
            at: m.at.clone(),
            what: m.what.clone(),
            vector: d.vector.clone(),
            highest_adopted: d.highest_adopted.clone(),
            adopted: d
                .options
                .iter()
                .filter(|o| o.adopted)
                .map(|o| o.id.clone())
                .collect(),
        })
        .collect();
    let mut rungs = Vec::new();
    for (r, rung) in alliance.ladder.iter().enumerate() {
        let first = decisions.iter().position(|d| d.options[r].adopted);
        let until = first.unwrap_or(decisions.len());
        let last_before = if until > 0 { Some(until - 1) } else { None };
        let (held_back_by, reasons, missing) = match (first, last_before) {
            (Some(0), _) | (_, None) => (Vec::new(), BTreeMap::new(), Vec::new()),
            (_, Some(k)) => {
                let o = &decisions[k].options[r];
                // blockers held it back only where objections count (a consensus rung)
                let blocked = o.missing.iter().any(|m| m.what == Missing::Block);
                (
                    if blocked { o.block.clone() } else { Vec::new() },
                    o.reasons.clone(),
                    o.missing.iter().map(|m| m.text.clone()).collect(),
                )
            }
        };
        let support = last_before
            .or(first)
            .map_or(0, |k| decisions[k].options[r].support.len());
        // blocking spans before adoption
        let mut blocked: Vec<Blocking> = Vec::new();
        for (k, d) in decisions.iter().enumerate().take(until) {
            for m in &d.options[r].block {
                let end = moments
                    .get(k + 1)
                    .map_or_else(|| "now".to_string(), |x| x.at.clone());
                match blocked
                    .iter_mut()
                    .rev()
                    .find(|b| &b.member == m && b.until == moments[k].at)
                {
                    Some(b) => b.until = end,
                    None => blocked.push(Blocking {
                        member: m.clone(),
                        from: moments[k].at.clone(),
                        until: end,
                    }),
                }
            }
        }
        rungs.push(RungHistory {
            id: rung.id.clone(),
            option: rung.option.clone(),
            first_adopted: first.map(|k| moments[k].at.clone()),
            held_back_by,
            reasons,
            missing,
            blocked,
            rule: rung.rule,
            support,
        });
    }
    Replay { steps, rungs }
}
