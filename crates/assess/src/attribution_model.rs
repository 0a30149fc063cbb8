//! The attribution model's hypothesis space, prior, evidence items and posterior
//! (docs/attribution.md). Hypotheses are numbered: every group of the knowledge base
//! (`0..groups`), then "another group of state S" for every candidate state, then "an
//! unknown actor". Each evidence item carries one likelihood ratio per hypothesis.

use crate::attribution::{b2_or_better, claim_lr, Claim, ClaimTarget, Observation, Params};
use crate::kb::{ActorKind, KnowledgeBase};
use crate::ttp::TtpIndex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One evidence item as it entered the posterior.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: String,
    /// `ttp`, `malware`, `infrastructure`, or a claim's evidence kind.
    pub kind: String,
    pub at: String,
    pub summary: String,
    /// Rated B2 or better (claims only).
    pub rated_b2: bool,
    /// Weight of its inconsistencies in the ACH matrix.
    pub weight: f64,
    /// Whether it is a claim (named by a member) rather than an observation.
    pub claim: bool,
    /// Likelihood ratio per hypothesis, whatever its sponsor.
    #[serde(skip)]
    pub(crate) factors: Vec<f64>,
    /// Multipliers of the branch "the sponsor is state s" of every hypothesis (claims
    /// naming a state): (state index, multiplier).
    #[serde(skip)]
    pub(crate) branch: Vec<(usize, f64)>,
    /// A hypothesis the branch multipliers skip (the group a claim names, when the claim
    /// does not name its state).
    #[serde(skip)]
    pub(crate) exempt: Option<usize>,
    /// Per hypothesis: whether the item is about it (a technique in its profile, its
    /// software or infrastructure, a claim that names it or its state).
    #[serde(skip)]
    pub(crate) support: Vec<bool>,
}

impl Evidence {
    /// The item's likelihood ratio for hypothesis `h`, its sponsor summed out.
    pub(crate) fn effective(&self, space: &Space<'_>, h: usize) -> f64 {
        if self.branch.is_empty() || self.exempt == Some(h) {
            return self.factors[h];
        }
        let mut left = 1.0;
        let mut sum = 0.0;
        for (s, w) in &space.pooled[h] {
            let m = self
                .branch
                .iter()
                .find(|(b, _)| b == s)
                .map_or(1.0, |(_, m)| *m);
            sum += w * m;
            left -= w;
        }
        self.factors[h] * (sum + left.max(0.0))
    }
}

/// The hypotheses, their prior and the states they pool into.
#[derive(Debug)]
pub(crate) struct Space<'a> {
    pub(crate) kb: &'a KnowledgeBase,
    /// Candidate states (sorted); hypothesis `groups + i` is "another group of states[i]";
    /// then "a state not named", then "an unknown actor".
    pub(crate) states: Vec<String>,
    pub(crate) prior: Vec<f64>,
    /// Per hypothesis: (state index, P(state | hypothesis)).
    pub(crate) pooled: Vec<Vec<(usize, f64)>>,
}

impl Space<'_> {
    pub(crate) fn groups(&self) -> usize {
        self.kb.groups.len()
    }
    pub(crate) fn len(&self) -> usize {
        self.prior.len()
    }
    pub(crate) fn unknown(&self) -> usize {
        self.len() - 1
    }
    pub(crate) fn state_index(&self, s: &str) -> Option<usize> {
        self.states.binary_search_by(|x| x.as_str().cmp(s)).ok()
    }
    /// P(state | hypothesis h).
    pub(crate) fn weight(&self, h: usize, state: usize) -> f64 {
        self.pooled[h]
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0.0, |(_, w)| *w)
    }
    /// The state a hypothesis most belongs to.
    pub(crate) fn top_state(&self, h: usize) -> Option<usize> {
        self.pooled[h].first().map(|(s, _)| *s)
    }
    /// DESIGN 3.2 `actor` of a hypothesis: "another group of S" is a state's; "a state
    /// not named" and "an unknown actor" name no sponsor, so their kind is unknown.
    pub(crate) fn kind(&self, h: usize) -> ActorKind {
        if h < self.groups() {
            self.kb.groups[h].kind
        } else if h < self.groups() + self.states.len() {
            ActorKind::State
        } else {
            ActorKind::Unknown
        }
    }
    pub(crate) fn label(&self, h: usize) -> String {
        if h < self.groups() {
            self.kb.groups[h].name.clone()
        } else if h < self.groups() + self.states.len() {
            format!("another group of {}", self.states[h - self.groups()])
        } else if h < self.unknown() {
            "a state not named in the knowledge base or any claim".into()
        } else {
            "an unknown actor".into()
        }
    }
}

/// The states a claim names, with weights: its `sponsor`, a named state, or the pooled
/// states of the group it names.
pub(crate) fn claimed_states(kb: &KnowledgeBase, c: &Claim) -> Vec<(String, f64)> {
    match (&c.target, &c.sponsor) {
        (ClaimTarget::State(s), _) => vec![(s.clone(), 1.0)],
        (ClaimTarget::Group(_), Some(s)) => vec![(s.clone(), 1.0)],
        (ClaimTarget::Group(g), None) => kb
            .groups
            .get(*g)
            .map_or_else(Vec::new, |g| g.pooled.clone()),
    }
}

/// Hypotheses and prior (docs/attribution.md, "Hypotheses and prior").
pub(crate) fn build_space<'a>(kb: &'a KnowledgeBase, claims: &[&Claim], p: &Params) -> Space<'a> {
    let mut states: BTreeSet<String> = kb
        .groups
        .iter()
        .flat_map(|g| g.pooled.iter().map(|(s, _)| s.clone()))
        .collect();
    for c in claims {
        for (s, _) in claimed_states(kb, c) {
            states.insert(s);
        }
    }
    let states: Vec<String> = states.into_iter().collect();
    let idx = |s: &str| states.binary_search_by(|x| x.as_str().cmp(s)).ok();
    let g_n = kb.groups.len();
    let n = g_n + states.len() + 2;
    let mut pooled: Vec<Vec<(usize, f64)>> = Vec::with_capacity(n);
    for g in &kb.groups {
        pooled.push(
            g.pooled
                .iter()
                .filter_map(|(s, w)| idx(s).map(|i| (i, *w)))
                .collect(),
        );
    }
    for i in 0..states.len() {
        pooled.push(vec![(i, 1.0)]);
    }
    pooled.push(Vec::new()); // a state not named
    pooled.push(Vec::new()); // an unknown actor
                             // units of prior mass: a profiled group weighs 1 (scaled by state balance), each state's
                             // "other" share `other_group_mass`, split between "another group of S" and S's groups
                             // without a profile; groups without profile or state share one more such share
    let profiled: Vec<bool> = kb.groups.iter().map(|g| g.has_profile()).collect();
    let mut per_state: BTreeMap<Option<usize>, usize> = BTreeMap::new();
    for (i, &pr) in profiled.iter().enumerate() {
        if pr {
            *per_state.entry(pooled[i].first().map(|x| x.0)).or_default() += 1;
        }
    }
    let mut units = vec![0.0; n];
    let mut profiled_total = 0.0;
    for (i, &pr) in profiled.iter().enumerate() {
        if pr {
            let k = per_state
                .get(&pooled[i].first().map(|x| x.0))
                .copied()
                .unwrap_or(1) as f64;
            units[i] = k.powf(-p.state_balance);
            profiled_total += units[i];
        }
    }
    let n_profiled = profiled.iter().filter(|x| **x).count() as f64;
    if profiled_total > 0.0 {
        for (i, &pr) in profiled.iter().enumerate() {
            if pr {
                units[i] *= n_profiled / profiled_total;
            }
        }
    }
    let mut unprofiled: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for (i, &pr) in profiled.iter().enumerate() {
        if !pr {
            unprofiled
                .entry(pooled[i].first().map(|x| x.0))
                .or_default()
                .push(i);
        }
    }
    let share = p.other_group_mass;
    for s in 0..states.len() {
        let members = unprofiled.get(&Some(s)).map_or(&[][..], Vec::as_slice);
        let own = if members.is_empty() { 1.0 } else { 0.5 };
        units[g_n + s] = share * own;
        for &g in members {
            units[g] = share * (1.0 - own) / members.len() as f64;
        }
    }
    if let Some(members) = unprofiled.get(&None) {
        for &g in members {
            units[g] = share / members.len() as f64;
        }
    }
    units[n - 2] = share * p.min_states.saturating_sub(states.len()) as f64;
    let total: f64 = units.iter().sum();
    let m = if total > 0.0 {
        (1.0 - p.prior_unknown) / total
    } else {
        0.0
    };
    let mut prior: Vec<f64> = units.iter().map(|u| u * m).collect();
    prior[n - 1] = if total > 0.0 { p.prior_unknown } else { 1.0 };
    Space {
        kb,
        states,
        prior,
        pooled,
    }
}

pub(crate) fn before(at: &str, as_of: Option<&str>) -> bool {
    match as_of {
        None => true,
        Some(t) => matches!(
            concord_stix::timestamp::Timestamp::cmp_str(at, t),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal) | None
        ),
    }
}

/// The technique item's likelihood ratio per hypothesis (docs/attribution.md).
fn technique_factors(space: &Space<'_>, ttp: &TtpIndex, observed: &[&str], p: &Params) -> Vec<f64> {
    let cap = p.ttp_max_lr.ln();
    let bound = |x: f64| cap * (x / cap).tanh();
    let mut f = vec![1.0; space.len()];
    let scored: Vec<(usize, f64)> = (0..space.groups().min(ttp.len()))
        .filter(|&g| ttp.has_profile(g))
        .map(|g| (g, p.ttp_temperature * ttp.llr(g, observed)))
        .collect();
    let best = scored.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
    for (g, l) in scored {
        f[g] = if p.ttp_relative {
            // the best group bounded against the unknown actor, the others as far below it
            // as the (tempered) model puts them
            (bound(best) + (l - best)).exp()
        } else {
            bound(l).exp()
        };
    }
    f
}

/// The evidence items of an observation as of an instant.
pub(crate) fn evidence_items(
    space: &Space<'_>,
    ttp: &TtpIndex,
    obs: &Observation,
    as_of: Option<&str>,
    p: &Params,
) -> Vec<Evidence> {
    let kb = space.kb;
    let mut items = Vec::new();
    // techniques: one item, at the time of the latest technique that counts
    let techs: Vec<&(String, String, String)> = obs
        .techniques
        .iter()
        .filter(|(_, at, _)| before(at, as_of))
        .collect();
    let mut distinct: Vec<&str> = techs.iter().map(|(t, _, _)| t.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if !distinct.is_empty() {
        let at = techs
            .iter()
            .map(|(_, at, _)| at.as_str())
            .max()
            .unwrap_or("");
        let support = (0..space.len())
            .map(|h| h < space.groups() && h < ttp.len() && ttp.overlaps(h, &distinct))
            .collect();
        items.push(Evidence {
            id: "techniques".into(),
            kind: "ttp".into(),
            at: at.to_string(),
            summary: format!(
                "{} technique(s) observed: {}",
                distinct.len(),
                distinct.join(", ")
            ),
            rated_b2: false,
            weight: 1.0,
            claim: false,
            factors: technique_factors(space, ttp, &distinct, p),
            branch: Vec::new(),
            exempt: None,
            support,
        });
    }
    let shared = |ids: &[(String, String)], kind: &str, lr1: f64, items: &mut Vec<Evidence>| {
        let mut seen = BTreeSet::new();
        for (id, at) in ids {
            if !before(at, as_of) || !seen.insert(id.clone()) {
                continue;
            }
            let groups = if kind == "malware" {
                kb.groups_using_software(id)
            } else {
                kb.groups_linked_to(id)
            };
            if groups.is_empty() {
                continue;
            }
            let lr = 1.0 + (lr1 - 1.0) / groups.len() as f64;
            let mut names: Vec<&str> = groups.iter().map(|g| kb.groups[*g].name.as_str()).collect();
            let more = names.len().saturating_sub(8);
            names.truncate(8);
            let label = kb.software.get(id).map_or(id.as_str(), |s| s.name.as_str());
            let mut factors = vec![1.0; space.len()];
            let mut support = vec![false; space.len()];
            for g in groups {
                factors[g] = lr;
                support[g] = true;
            }
            items.push(Evidence {
                id: id.clone(),
                kind: kind.into(),
                at: at.clone(),
                summary: format!(
                    "{label} is known from {}{} (likelihood ratio {lr:.1})",
                    names.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
                rated_b2: false,
                weight: 1.0,
                claim: false,
                factors,
                branch: Vec::new(),
                exempt: None,
                support,
            });
        }
    };
    shared(&obs.software, "malware", p.software_lr, &mut items);
    shared(
        &obs.infrastructure,
        "infrastructure",
        p.infrastructure_lr,
        &mut items,
    );
    let state_prior = infer(space, &[]).states;
    for c in &obs.claims {
        if before(&c.at, as_of) {
            items.push(claim_item(space, c, p, &state_prior));
        }
    }
    items
}

/// A claim's likelihood ratio for a hypothesis of prior `prior`: the Admiralty table's at
/// the reference prior, more for a more specific (less probable) hypothesis.
pub(crate) fn specific_lr(table: f64, prior: f64, p: &Params) -> f64 {
    let odds = |x: f64| x / (1.0 - x).max(1e-12);
    if prior <= 0.0 || prior >= p.claim_reference_prior {
        return table;
    }
    table * odds(p.claim_reference_prior) / odds(prior)
}

/// A claim as an evidence item: its likelihood ratio for the group it names, and for the
/// other hypotheses of the states it names (to the power `claim_state_exponent` when it
/// names a group: the source may have confused groups of one state), weighted by how much
/// each belongs to that state.
fn claim_item(space: &Space<'_>, c: &Claim, p: &Params, state_prior: &[f64]) -> Evidence {
    let kb = space.kb;
    let table = claim_lr(c.reliability, c.credibility);
    let rating = format!(
        "{}{}",
        c.reliability.map_or("unrated".to_string(), String::from),
        c.credibility.map_or(String::new(), |x| x.to_string())
    );
    let named_states = claimed_states(kb, c);
    // the state part: the table's ratio made specific to each named state's prior
    let state_lr = |s: &str| {
        let prior = space.state_index(s).map_or(0.0, |i| state_prior[i]);
        specific_lr(table, prior, p)
    };
    let (named, group) = match &c.target {
        ClaimTarget::Group(g) => {
            let name = kb.groups.get(*g).map_or("?", |x| x.name.as_str());
            let with = match &c.sponsor {
                Some(s) => format!("{name} ({s})"),
                None => name.to_string(),
            };
            (with, Some(*g))
        }
        ClaimTarget::State(s) => (s.clone(), None),
    };
    let mut factors = vec![1.0; space.len()];
    let mut branch: Vec<(usize, f64)> = Vec::new();
    let mut exempt = None;
    let lr = match group {
        Some(g) => {
            let lr = specific_lr(table, space.prior.get(g).copied().unwrap_or(0.0), p);
            // the other hypotheses of the state: the source may have confused groups of one
            // state, seldom the state
            for (s, w) in &named_states {
                if let Some(i) = space.state_index(s) {
                    let m = 1.0 + (state_lr(s).powf(p.claim_state_exponent) - 1.0) * w;
                    branch.push((i, m));
                }
            }
            match (&c.sponsor, branch.first()) {
                // it names the state too: the group's branch of that state gets the full
                // ratio, its other branches less (the claim speaks to its sponsor as well)
                (Some(_), Some((_, m))) => factors[g] = lr / m,
                _ => {
                    factors[g] = lr;
                    exempt = Some(g);
                }
            }
            lr
        }
        None => {
            for (s, w) in &named_states {
                if let Some(i) = space.state_index(s) {
                    branch.push((i, 1.0 + (state_lr(s) - 1.0) * w));
                }
            }
            named_states.first().map_or(table, |(s, _)| state_lr(s))
        }
    };
    let support = (0..space.len())
        .map(|h| {
            Some(h) == group
                || branch
                    .iter()
                    .any(|(s, m)| *m > 1.0 && space.weight(h, *s) > 0.0)
        })
        .collect();
    let weight = match c.credibility {
        Some(1 | 2) => 1.0,
        Some(3 | 4) => 0.5,
        _ => 0.25,
    };
    Evidence {
        id: c.id.clone(),
        kind: c
            .evidence_kind
            .clone()
            .unwrap_or_else(|| "unspecified".into()),
        at: c.at.clone(),
        summary: format!(
            "{} says {named} ({rating}, {}; likelihood ratio {lr:.1}{})",
            c.by,
            c.evidence_kind.as_deref().unwrap_or("kind not stated"),
            if (lr - table).abs() > 1e-9 {
                format!(
                    ", the table's {table:.1} made specific to a hypothesis of prior {:.4}",
                    group
                        .and_then(|g| space.prior.get(g).copied())
                        .unwrap_or_else(|| {
                            named_states
                                .first()
                                .and_then(|(s, _)| space.state_index(s))
                                .map_or(0.0, |i| state_prior[i])
                        })
                )
            } else {
                String::new()
            }
        ),
        rated_b2: b2_or_better(c.reliability, c.credibility),
        weight,
        claim: true,
        factors,
        branch,
        exempt,
        support,
    }
}

/// The posterior: per hypothesis, per state (groups pooled by their sponsors, each group's
/// sponsor a latent variable that claims naming a state update), and of no state.
#[derive(Debug, Clone)]
pub(crate) struct Posterior {
    pub(crate) hyp: Vec<f64>,
    pub(crate) states: Vec<f64>,
    pub(crate) none: f64,
}

/// Posterior from prior and evidence.
pub(crate) fn infer(space: &Space<'_>, items: &[&Evidence]) -> Posterior {
    let n = space.len();
    let mut log: Vec<f64> = space
        .prior
        .iter()
        .map(|p| if *p > 0.0 { p.ln() } else { f64::NEG_INFINITY })
        .collect();
    for e in items {
        for (x, f) in log.iter_mut().zip(&e.factors) {
            *x += f.max(1e-300).ln();
        }
    }
    // per hypothesis: the weight of each of its sponsor branches after the claims
    let branched: Vec<&&Evidence> = items.iter().filter(|e| !e.branch.is_empty()).collect();
    let mut branches: Vec<Vec<(Option<usize>, f64)>> = Vec::with_capacity(n);
    for (h, lh) in log.iter_mut().enumerate() {
        let mut b: Vec<(Option<usize>, f64)> = Vec::with_capacity(space.pooled[h].len() + 1);
        let mut left = 1.0;
        for (s, w) in &space.pooled[h] {
            let mut m = *w;
            for e in &branched {
                if e.exempt != Some(h) {
                    if let Some((_, x)) = e.branch.iter().find(|(x, _)| x == s) {
                        m *= x;
                    }
                }
            }
            b.push((Some(*s), m));
            left -= w;
        }
        b.push((None, left.max(0.0)));
        let total: f64 = b.iter().map(|x| x.1).sum();
        *lh += total.max(1e-300).ln();
        for x in &mut b {
            x.1 /= total.max(1e-300);
        }
        branches.push(b);
    }
    let m = log.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return Posterior {
            hyp: vec![0.0; n],
            states: vec![0.0; space.states.len()],
            none: 0.0,
        };
    }
    let z: f64 = log.iter().map(|x| (x - m).exp()).sum();
    let hyp: Vec<f64> = log.iter().map(|x| (x - m).exp() / z).collect();
    let mut states = vec![0.0; space.states.len()];
    let mut none = 0.0;
    for (h, b) in branches.iter().enumerate() {
        for (s, w) in b {
            match s {
                Some(s) => states[*s] += hyp[h] * w,
                None => none += hyp[h] * w,
            }
        }
    }
    Posterior { hyp, states, none }
}
