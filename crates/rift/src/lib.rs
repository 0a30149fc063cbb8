//! # concord-rift
//!
//! Rift analytics (DESIGN 7, model v2): the decision engine run over the whole scenario
//! space (severity x attribution x actor x effects x one sector x one named victim x
//! members_affected, the victims being the named member and its nearest neighbours), with
//! optional prior weights: rift and veto index overall and per option, adopted share,
//! victims' unmet requests, blockers' reasons, what is missing, pivotal members, ceilings;
//! charts; harmonisation proposals; time-to-consensus replay.
//!
//! Invariants:
//! - Uses `concord-policy` only through its public API (conditions, doctrines, rules).
//! - Results are deterministic: parallel partial sums are combined in cell order.
//! - The fast engine is checked against a cell-by-cell reference (`naive`) in tests.

pub mod engine;
pub mod harbours;
pub mod harmonise;
pub mod naive;
mod partial;
pub mod replay;
pub mod space;
pub mod svg;

pub use engine::{Engine, Metrics, OptionMetrics};
pub use space::Weights;

use concord_policy::{Alliance, PolicySet};

/// The metrics of DESIGN 7 for an alliance, its policies and weights.
pub fn rift(alliance: &Alliance, policies: &PolicySet, weights: &Weights) -> Metrics {
    Engine::new(alliance, policies).metrics(weights)
}

/// The safe-harbour map as JSON: rung -> actor -> attribution -> effects -> the highest
/// severity left unanswered (null when none).
pub fn harbours_json(alliance: &Alliance, h: &harbours::Harbours) -> serde_json::Value {
    use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
    let mut out = serde_json::Map::new();
    for (r, rung) in alliance.ladder.iter().enumerate() {
        let mut per_actor = serde_json::Map::new();
        for (a, actor) in ACTOR.iter().enumerate() {
            let mut per_att = serde_json::Map::new();
            for (t, att) in ATTRIBUTION.iter().enumerate() {
                let per_eff: serde_json::Map<String, serde_json::Value> = EFFECTS
                    .iter()
                    .enumerate()
                    .map(|(e, eff)| {
                        let s = h[r][a][t][e].map(|s| SEVERITY[usize::from(s)]);
                        ((*eff).to_string(), serde_json::json!(s))
                    })
                    .collect();
                per_att.insert((*att).to_string(), per_eff.into());
            }
            per_actor.insert((*actor).to_string(), per_att.into());
        }
        out.insert(rung.id.clone(), per_actor.into());
    }
    out.into()
}

/// The exact `concord rift --json` document.
pub fn to_json(m: &Metrics) -> serde_json::Value {
    serde_json::json!({
        "cells": m.cells,
        "rift_index": m.rift_index,
        "veto_index": m.veto_index,
        "options": m.options,
        "ceiling": m.ceiling,
    })
}
