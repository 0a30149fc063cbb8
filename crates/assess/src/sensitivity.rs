//! Sensitivity that matters for the decision (docs/attribution.md): for the leading state
//! and for the level, the single evidence item whose removal, or downgrade by one step of
//! the Admiralty scale (a claim rated B2 becomes C3), would change them, and the rungs of
//! the response ladder whose adoption would change with it. Every item is tried both
//! ways; the attribution is recomputed with the item removed or downgraded, and the
//! assessment vector with the new level and actor is decided again by the caller's
//! `decide` (the alliance's positions), so the flips reported are decisions, not
//! posteriors.

use crate::attribution::{attribute_guarded, Attribution, Observation, Params};
use crate::kb::KnowledgeBase;
use crate::ttp::TtpIndex;
use serde::Serialize;
use std::collections::BTreeSet;

/// A rung whose adoption changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RungChange {
    pub id: String,
    pub adopted_before: bool,
    pub adopted_after: bool,
}

/// One item removed or downgraded, and what follows.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub evidence: String,
    /// `removed`, or `downgraded from B2 to C3`.
    pub change: String,
    pub state: Option<String>,
    pub level: &'static str,
    pub actor: &'static str,
    /// The probability of the state that led before the change.
    pub p_before_state: f64,
    /// Rungs whose adoption changes (empty when level and actor stay).
    pub rungs: Vec<RungChange>,
}

/// What would change the leading state and the level, and the decision with them.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionSensitivity {
    /// The item whose removal or downgrade changes the leading state (a downgrade is
    /// preferred, being the smaller change; then the largest fall in the state's
    /// probability); null when no single item does.
    pub state: Option<Change>,
    /// The same for the level.
    pub level: Option<Change>,
    /// Every item tried, both ways.
    pub tried: Vec<Change>,
}

fn downgrade(r: Option<char>, c: Option<u8>) -> Option<(char, u8)> {
    let r = r.unwrap_or('F');
    let c = c.unwrap_or(6);
    if r >= 'F' && c >= 6 {
        return None;
    }
    let r2 = if r < 'F' {
        char::from_u32(u32::from(r) + 1).unwrap_or('F')
    } else {
        r
    };
    Some((r2, (c + 1).min(6)))
}

/// Each rung's adoption (id, adopted) for the assessment vector with a level and actor.
pub type Decide<'a> = &'a dyn Fn(&str, &str) -> Vec<(String, bool)>;

/// Try every evidence item of `base` removed and (claims) downgraded; `decide(level,
/// actor)` gives each rung's adoption for the assessment vector with that level and actor.
#[allow(clippy::too_many_arguments)]
pub fn decision_sensitivity(
    kb: &KnowledgeBase,
    ttp: &TtpIndex,
    obs: &Observation,
    as_of: Option<&str>,
    p: &Params,
    protected: &BTreeSet<String>,
    base: &Attribution,
    decide: Decide<'_>,
) -> DecisionSensitivity {
    let before = decide(base.level, base.actor);
    let mut tried = Vec::new();
    for e in &base.evidence {
        let mut variants: Vec<(String, Observation)> = Vec::new();
        let mut removed = obs.clone();
        if e.id == "techniques" {
            removed.techniques.clear();
        } else if e.claim {
            removed.claims.retain(|c| c.id != e.id);
        } else {
            removed.software.retain(|(id, _)| *id != e.id);
            removed.infrastructure.retain(|(id, _)| *id != e.id);
        }
        variants.push(("removed".into(), removed));
        if let Some(c) = obs.claims.iter().find(|c| e.claim && c.id == e.id) {
            if let Some((r, k)) = downgrade(c.reliability, c.credibility) {
                let mut o = obs.clone();
                for x in o.claims.iter_mut().filter(|x| x.id == c.id) {
                    x.reliability = Some(r);
                    x.credibility = Some(k);
                }
                let from = format!(
                    "{}{}",
                    c.reliability.map_or("unrated".into(), String::from),
                    c.credibility.map_or(String::new(), |x| x.to_string())
                );
                variants.push((format!("downgraded from {from} to {r}{k}"), o));
            }
        }
        for (change, o) in variants {
            let a = attribute_guarded(kb, ttp, &o, as_of, p, protected);
            let p_before_state = base.state.as_ref().map_or(0.0, |s| {
                a.states
                    .get(s)
                    .or_else(|| a.withheld.get(s))
                    .copied()
                    .unwrap_or(0.0)
            });
            let rungs = if a.level != base.level || a.actor != base.actor {
                let after = decide(a.level, a.actor);
                before
                    .iter()
                    .zip(&after)
                    .filter(|(b, x)| b.0 == x.0 && b.1 != x.1)
                    .map(|(b, x)| RungChange {
                        id: b.0.clone(),
                        adopted_before: b.1,
                        adopted_after: x.1,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            tried.push(Change {
                evidence: e.id.clone(),
                change,
                state: a.state.clone(),
                level: a.level,
                actor: a.actor,
                p_before_state,
                rungs,
            });
        }
    }
    let pick = |changed: &dyn Fn(&Change) -> bool| -> Option<Change> {
        tried
            .iter()
            .filter(|c| changed(c))
            .min_by(|a, b| {
                let removal = |c: &Change| c.change == "removed";
                removal(a)
                    .cmp(&removal(b))
                    .then(a.p_before_state.total_cmp(&b.p_before_state))
            })
            .cloned()
    };
    DecisionSensitivity {
        state: pick(&|c: &Change| c.state != base.state),
        level: pick(&|c: &Change| c.level != base.level),
        tried,
    }
}
