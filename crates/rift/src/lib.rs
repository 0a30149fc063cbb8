//! # concord-rift
//!
//! Rift analytics (DESIGN 7): the decision engine run over the whole scenario space
//! (severity x attribution x actor x effects x one sector x one victim x members_affected),
//! with optional prior weights: rift index overall and per option, adopted share, pivotal
//! members, ceilings; charts; harmonisation proposals.
//!
//! Invariants:
//! - Uses `concord-policy` only through its public API (conditions, doctrines, rules).
//! - Results are deterministic: parallel partial sums are combined in cell order.
//! - The fast engine is checked against a cell-by-cell reference (`naive`) in tests.

pub mod engine;
pub mod harmonise;
pub mod naive;
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

/// The exact `concord rift --json` document.
pub fn to_json(m: &Metrics) -> serde_json::Value {
    serde_json::json!({
        "cells": m.cells,
        "rift_index": m.rift_index,
        "options": m.options,
        "ceiling": m.ceiling,
    })
}
