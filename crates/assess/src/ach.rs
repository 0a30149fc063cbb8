//! Analysis of Competing Hypotheses (Heuer, DOMAIN 5) over the attribution's evidence: the
//! four leading states and "no state", each evidence item rated CC / C / N / I / II against
//! each, inconsistency scores, diagnostic items, and which single items decide the
//! leading state (docs/attribution.md, "ACH matrix").

use crate::attribution_model::{infer, Evidence, Space};
use serde::Serialize;
use std::collections::BTreeMap;

/// The ACH matrix (Heuer): evidence x hypotheses.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Ach {
    pub hypotheses: Vec<String>,
    /// One row per evidence item: id, summary, rating per hypothesis (CC C N I II),
    /// whether it is diagnostic.
    pub rows: Vec<AchRow>,
    /// Weighted inconsistency per hypothesis (I = 1, II = 2, times the item's weight).
    pub inconsistency: BTreeMap<String, f64>,
    /// The hypothesis with the least inconsistency.
    pub least_inconsistent: Option<String>,
    /// Items whose removal alone changes the leading state hypothesis.
    pub sensitive_to: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AchRow {
    pub evidence: String,
    pub summary: String,
    pub ratings: Vec<&'static str>,
    pub diagnostic: bool,
}

/// The matrix for the leading states (by pooled posterior) and "no state"; `lead` picks
/// the leading state from pooled state masses (the attribution's own rule).
pub(crate) fn ach(
    space: &Space<'_>,
    evidence: &[Evidence],
    states: &[f64],
    lead: &dyn Fn(&[f64]) -> Option<usize>,
) -> Ach {
    let mut ranked: Vec<usize> = (0..states.len()).filter(|&s| states[s] > 0.0).collect();
    ranked.sort_by(|a, b| states[*b].total_cmp(&states[*a]).then(a.cmp(b)));
    let mut hyps: Vec<Option<usize>> = ranked.iter().take(4).map(|s| Some(*s)).collect();
    hyps.push(None);
    let names: Vec<String> = hyps
        .iter()
        .map(|h| h.map_or_else(|| "no state".into(), |s| space.states[s].clone()))
        .collect();
    let mut out = Ach {
        hypotheses: names.clone(),
        ..Ach::default()
    };
    for n in &names {
        out.inconsistency.insert(n.clone(), 0.0);
    }
    for e in evidence {
        // the item's factor for a pooled hypothesis: the best of its members
        let f: Vec<f64> = hyps
            .iter()
            .map(|h| {
                (0..space.len())
                    .filter(|&x| space.top_state(x) == *h)
                    .map(|x| e.effective(space, x))
                    .fold(1.0_f64, f64::max)
            })
            .collect();
        let best = f.iter().copied().fold(1.0_f64, f64::max);
        let ratings: Vec<&'static str> = f
            .iter()
            .map(|&x| {
                let r = x / best;
                if r < 0.25 {
                    "II"
                } else if r < 1.0 / 1.5 {
                    "I"
                } else if x >= 4.0 && r >= 0.999 {
                    "CC"
                } else if x >= 1.5 {
                    "C"
                } else {
                    "N"
                }
            })
            .collect();
        for (n, r) in names.iter().zip(&ratings) {
            let w = match *r {
                "I" => 1.0,
                "II" => 2.0,
                _ => 0.0,
            } * e.weight;
            *out.inconsistency.entry(n.clone()).or_default() += w;
        }
        let diagnostic = ratings.iter().any(|r| *r != ratings[0]);
        out.rows.push(AchRow {
            evidence: e.id.clone(),
            summary: e.summary.clone(),
            ratings,
            diagnostic,
        });
    }
    out.least_inconsistent = out
        .inconsistency
        .iter()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(n, _)| n.clone());
    // sensitivity: drop one item at a time
    let now = lead(states);
    for (k, e) in evidence.iter().enumerate() {
        let rest: Vec<&Evidence> = evidence
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, x)| x)
            .collect();
        if lead(&infer(space, &rest).states) != now {
            out.sensitive_to.push(e.id.clone());
        }
    }
    out
}
