//! Attribution (DESIGN 3.2): who is behind an incident or campaign, how sure, why.
//!
//! Hypotheses: every group of the knowledge base (one per actor, sources merged), "another
//! group of state S" for every state that a group pools into or a claim names, and "an
//! unknown actor". Evidence, each item with a timestamp so the result can be computed as
//! of any instant:
//! - the techniques observed (`uses` attack-patterns), scored against every group's
//!   profile ([`TtpIndex`]) and turned into a bounded likelihood ratio;
//! - Admiralty-rated `attributed-to` claims ([`claim_lr`]): a claim naming a group is
//!   evidence for that group and for its sponsor;
//! - malware, tools and infrastructure shared with known groups.
//!
//! The posterior pools into states through each group's sponsor links; the level follows
//! DESIGN 3.2, and every probability carries its ICD 203 words ([`crate::estimative`]).
//! An alliance member is named as the leading state only on a rated claim that names it
//! (or a group it sponsors); otherwise its share is reported apart as `withheld`. Every
//! parameter is in [`Params`] and documented in docs/attribution.md.
//!
//! Invariant: pure; the result names, for every figure, the evidence that moved it.

use crate::attribution_model::{before, build_space, claimed_states, evidence_items, infer, Space};
use crate::estimative::{self, floor4, Estimate};
use crate::kb::{ActorKind, KnowledgeBase};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

pub use crate::ach::{Ach, AchRow};
pub use crate::attribution_model::Evidence;
pub use crate::sensitivity::{decision_sensitivity, DecisionSensitivity};
pub use crate::ttp::{rank_jaccard, TtpIndex};

/// The model's parameters (docs/attribution.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Dirichlet smoothing of a group's technique profile towards the background.
    pub mu: f64,
    /// The presence model of techniques when above 0 (the chance that a group shows a
    /// technique outside its profile); 0 selects the multinomial query likelihood.
    pub presence_epsilon: f64,
    /// Presence model: weight of the profile-size term (per observed technique, the log of
    /// the mean profile size over the group's): a technique shown by a group known for
    /// few is more telling than one shown by a group known for many.
    pub size_weight: f64,
    /// Credit for a technique the group is known to use only at the parent level (or a
    /// sibling sub-technique), relative to an exact match.
    pub backoff: f64,
    /// Weight of a technique the group's software uses (the group's own: 1).
    pub software_weight: f64,
    /// Exponent applied to the technique log-likelihood ratio (techniques are not
    /// independent; naive Bayes would overcount them).
    pub ttp_temperature: f64,
    /// Bound on the technique evidence's likelihood ratio against the unknown actor.
    pub ttp_max_lr: f64,
    /// Technique evidence: the best-matching group is bounded against the unknown actor
    /// and the others keep their (tempered) distance below it (true), or each group is
    /// bounded on its own (false).
    pub ttp_relative: bool,
    /// Prior mass of "an unknown actor".
    pub prior_unknown: f64,
    /// Prior of "another group of S" (shared with S's groups that have no profile), in
    /// units of one profiled group's prior.
    pub other_group_mass: f64,
    /// 0: every group with a profile has the same prior, so a state's prior grows with its
    /// known groups; 1: every state has the same prior, split over its groups.
    pub state_balance: f64,
    /// The prior at which a claim's likelihood ratio is the Admiralty table's (a state
    /// among ten). A claim naming a less probable hypothesis is more specific, and counts
    /// more: ratio x (reference odds / the hypothesis's prior odds), never less than the
    /// table.
    pub claim_reference_prior: f64,
    /// The prior treats at least this many states as candidates (unnamed ones as "another
    /// state"), so that one state named in one claim does not start out as a near-certainty.
    pub min_states: usize,
    /// A claim naming a group counts for the other hypotheses of the group's (or the
    /// claimed) state with its likelihood ratio to this power (the source may confuse
    /// groups of one state, seldom the state).
    pub claim_state_exponent: f64,
    /// Likelihood ratio of malware or a tool used by exactly one known group.
    pub software_lr: f64,
    /// Likelihood ratio of infrastructure linked to exactly one known group.
    pub infrastructure_lr: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            mu: 1.0,
            presence_epsilon: 0.1,
            size_weight: 0.5,
            backoff: 0.3,
            software_weight: 0.3,
            ttp_temperature: 0.6,
            ttp_max_lr: 20.0,
            ttp_relative: true,
            prior_unknown: 0.1,
            other_group_mass: 1.0,
            state_balance: 0.5,
            claim_state_exponent: 0.5,
            claim_reference_prior: 0.1,
            min_states: 10,
            software_lr: 10.0,
            infrastructure_lr: 8.0,
        }
    }
}

/// Likelihood-ratio factor of a source reliability (Admiralty A-F).
pub fn reliability_factor(r: char) -> f64 {
    match r {
        'A' => 8.0,
        'B' => 4.0,
        'C' => 2.0,
        'D' => 1.25,
        'E' => 1.0,
        _ => 1.25, // F: cannot be judged
    }
}

/// Likelihood-ratio factor of an information credibility (1-6).
pub fn credibility_factor(c: u8) -> f64 {
    match c {
        1 => 4.0,
        2 => 3.0,
        3 => 1.5,
        4 | 5 => 1.0, // doubtful, improbable: no support
        _ => 1.25,    // 6: cannot be judged
    }
}

/// The likelihood ratio of a claim for the hypothesis it names: reliability x credibility
/// factors; an unrated claim counts as F6.
pub fn claim_lr(reliability: Option<char>, credibility: Option<u8>) -> f64 {
    reliability_factor(reliability.unwrap_or('F')) * credibility_factor(credibility.unwrap_or(6))
}

/// Whether a rating is B2 or better (DESIGN 3.2's "high" needs two such kinds).
pub fn b2_or_better(reliability: Option<char>, credibility: Option<u8>) -> bool {
    matches!(reliability, Some('A' | 'B')) && matches!(credibility, Some(1 | 2))
}

/// Whether a claim is rated well enough to name an alliance member: reliability A to C
/// and credibility 1 to 3.
pub fn rated(reliability: Option<char>, credibility: Option<u8>) -> bool {
    matches!(reliability, Some('A'..='C')) && matches!(credibility, Some(1..=3))
}

/// What a claim names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimTarget {
    /// A known group (index into the knowledge base).
    Group(usize),
    /// A state (alpha-3).
    State(String),
}

/// An `attributed-to` claim.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub id: String,
    /// The member (or principal) that made it.
    pub by: String,
    pub at: String,
    pub target: ClaimTarget,
    pub reliability: Option<char>,
    pub credibility: Option<u8>,
    pub evidence_kind: Option<String>,
    /// The state the claim names (the concord extension's `sponsor`), also when it names a
    /// group: "APT28, Russia".
    pub sponsor: Option<String>,
}

/// What was observed about an incident or campaign, each with its timestamp and the object
/// that says so.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    /// (T-id, when, relationship id)
    pub techniques: Vec<(String, String, String)>,
    /// (malware/tool STIX id, when)
    pub software: Vec<(String, String)>,
    /// (infrastructure / indicator / observable STIX id, when)
    pub infrastructure: Vec<(String, String)>,
    pub claims: Vec<Claim>,
    /// Claims concord could not map to a group or state: (relationship id, why).
    pub unresolved: Vec<(String, String)>,
}

/// A group in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    /// The ATT&CK id (G0007), or the STIX id of a group without one.
    pub group_id: String,
    pub name: String,
    /// Posterior probability of this group (rounded down to four decimals).
    pub score: f64,
    /// ICD 203 words of the score and their range.
    pub words: &'static str,
    pub range: &'static str,
    pub sponsor: Option<String>,
    pub kind: &'static str,
    /// The evidence that supports it: `techniques`, `malware`, `infrastructure`, `claim`.
    pub evidence: Vec<String>,
    /// The score as shown: "very likely (80-95 %): 79 %".
    pub statement: String,
}

/// A state in the ranking, with its ICD 203 words.
#[derive(Debug, Clone, Serialize)]
pub struct StateScore {
    pub state: String,
    pub name: String,
    pub p: f64,
    pub words: &'static str,
    pub range: &'static str,
    /// As shown: "very likely (80-95 %): 86 %".
    pub statement: String,
}

/// The result of attribution (`concord attribute ID --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    /// Groups with technique, software or infrastructure support first, then by posterior;
    /// the best ten.
    pub groups: Vec<GroupScore>,
    /// Posterior per sponsor state, groups pooled by sponsor (alliance members named by no
    /// rated claim are in `withheld` instead).
    pub states: BTreeMap<String, f64>,
    /// The states best first, with their words.
    pub ranked_states: Vec<StateScore>,
    /// Posterior of hypotheses with no state (unknown actor, unsponsored groups).
    pub no_state: f64,
    /// `no_state` as shown.
    pub no_state_statement: String,
    /// Alliance members' share that no rated claim supports: never a leading state.
    pub withheld: BTreeMap<String, f64>,
    pub level: &'static str,
    /// What the level means in ICD 203 words.
    pub level_words: &'static str,
    /// The leading state (null when no evidence made any state more likely).
    pub state: Option<String>,
    /// The leading state's probability (rounded down to four decimals).
    pub p: f64,
    /// `p` in ICD 203 words.
    pub estimate: Estimate,
    /// One line: level, state, words, figure, actor.
    pub statement: String,
    /// DESIGN 3.2 `actor`: the kind of the leading hypothesis.
    pub actor: &'static str,
    pub reasons: Vec<String>,
    pub ach: Ach,
    pub evidence: Vec<Evidence>,
    pub as_of: Option<String>,
    /// For the leading state and the level: the evidence whose removal or downgrade would
    /// change them, and the ladder rungs that would change with them (when a decision was
    /// at hand: `concord attribute`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<DecisionSensitivity>,
}

/// The alliance members of the built-in alliance (NATO-32): states named as sponsors only
/// on a rated claim.
pub fn default_protected() -> &'static BTreeSet<String> {
    static P: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
        concord_policy::Alliance::nato()
            .members
            .into_iter()
            .map(|m| m.code)
            .collect()
    });
    &P
}

/// Attribute an observation as of an instant (`None`: all evidence), the built-in
/// alliance's members protected.
pub fn attribute(
    kb: &KnowledgeBase,
    ttp: &TtpIndex,
    obs: &Observation,
    as_of: Option<&str>,
    p: &Params,
) -> Attribution {
    attribute_guarded(kb, ttp, obs, as_of, p, default_protected())
}

fn level_of(p: f64, kinds: usize) -> &'static str {
    if p >= 0.95 && kinds >= 2 {
        "high"
    } else if p >= 0.80 {
        "moderate"
    } else if p >= 0.55 {
        "low"
    } else {
        "none"
    }
}

/// [`attribute`] with the states that are named only on a rated claim (the alliance's
/// members).
pub fn attribute_guarded(
    kb: &KnowledgeBase,
    ttp: &TtpIndex,
    obs: &Observation,
    as_of: Option<&str>,
    p: &Params,
    protected: &BTreeSet<String>,
) -> Attribution {
    let claims: Vec<&Claim> = obs.claims.iter().filter(|c| before(&c.at, as_of)).collect();
    let space = build_space(kb, &claims, p);
    let evidence = evidence_items(&space, ttp, obs, as_of, p);
    let all: Vec<&Evidence> = evidence.iter().collect();
    let inferred = infer(&space, &all);
    let (post, mass, no_state) = (&inferred.hyp, &inferred.states, inferred.none);
    let prior_mass = infer(&space, &[]).states;
    // an alliance member may lead only on a rated claim naming it or a group it sponsors
    let allowed: Vec<bool> = space
        .states
        .iter()
        .map(|s| {
            !protected.contains(s)
                || claims.iter().any(|c| {
                    rated(c.reliability, c.credibility)
                        && claimed_states(kb, c)
                            .iter()
                            .any(|(x, w)| x == s && *w >= 0.5)
                })
        })
        .collect();
    let lead_of = |m: &[f64]| -> Option<usize> {
        (0..m.len())
            .filter(|&i| allowed[i] && m[i] > 0.0)
            .max_by(|a, b| m[*a].total_cmp(&m[*b]).then(b.cmp(a)))
    };
    let lead = lead_of(mass).filter(|&i| !evidence.is_empty() && mass[i] > prior_mass[i]);
    let pl = lead.map_or(0.0, |i| mass[i]);
    let state = lead.map(|i| space.states[i].clone());
    // the kinds rated B2 or better that support the leading state
    let support: BTreeSet<&str> = match lead {
        Some(s) => evidence
            .iter()
            .filter(|e| e.rated_b2)
            .filter(|e| {
                (0..space.len()).any(|h| space.weight(h, s) > 0.0 && e.effective(&space, h) > 1.0)
            })
            .map(|e| e.kind.as_str())
            .collect(),
        None => BTreeSet::new(),
    };
    let level = if lead.is_some() {
        level_of(pl, support.len())
    } else {
        "none"
    };
    // the kind of the leading hypothesis: within the leading state when one is attributed
    let top = (0..space.len())
        .filter(|_| !evidence.is_empty())
        .filter(|&h| level == "none" || lead.is_some_and(|s| space.weight(h, s) > 0.0))
        .max_by(|a, b| post[*a].total_cmp(&post[*b]).then(b.cmp(a)));
    let actor = match top.map(|h| space.kind(h)) {
        Some(ActorKind::State) => "state",
        Some(ActorKind::StateAligned) => "state_aligned",
        Some(ActorKind::Criminal) => "criminal",
        _ => "unknown",
    };
    let estimate = estimative::estimate(pl);
    let reasons = reasons(
        &space,
        &evidence,
        &claims,
        obs,
        (state.as_deref(), pl, no_state, level, &support),
        top,
        (mass, &allowed),
    );
    let groups = rank_groups(&space, &evidence, post);
    let lead_fn = |m: &[f64]| lead_of(m);
    let ach = crate::ach::ach(&space, &evidence, mass, &lead_fn);
    let mut states = BTreeMap::new();
    let mut withheld = BTreeMap::new();
    for (i, s) in space.states.iter().enumerate() {
        let x = floor4(mass[i]);
        if x > 0.0 {
            if allowed[i] {
                states.insert(s.clone(), x);
            } else {
                withheld.insert(s.clone(), x);
            }
        }
    }
    let mut ranked_states: Vec<StateScore> = states
        .iter()
        .map(|(s, x)| {
            let e = estimative::estimate(*x);
            StateScore {
                state: s.clone(),
                name: crate::country::name_of(s).unwrap_or(s).to_string(),
                p: *x,
                words: e.words,
                range: e.range,
                statement: estimative::statement(*x),
            }
        })
        .collect();
    ranked_states.sort_by(|a, b| b.p.total_cmp(&a.p).then(a.state.cmp(&b.state)));
    ranked_states.truncate(10);
    let statement = match &state {
        Some(s) => format!(
            "{level}: {} ({s}), {}; actor {actor}",
            crate::country::name_of(s).unwrap_or(s),
            estimative::statement(pl)
        ),
        None => format!("{level}: no state is indicated; actor {actor}"),
    };
    Attribution {
        groups,
        states,
        ranked_states,
        no_state: floor4(no_state),
        no_state_statement: estimative::statement(no_state),
        withheld,
        level,
        level_words: estimative::level_words(level),
        state,
        p: estimate.p,
        estimate,
        statement,
        actor,
        reasons,
        ach,
        evidence,
        as_of: as_of.map(String::from),
        sensitivity: None,
    }
}

/// Groups with technique, software or infrastructure support first, then by posterior.
fn rank_groups(space: &Space<'_>, evidence: &[Evidence], post: &[f64]) -> Vec<GroupScore> {
    let kb = space.kb;
    let observed = evidence.iter().any(|e| !e.claim);
    let support = |g: usize| -> Vec<String> {
        let mut v: Vec<String> = evidence
            .iter()
            .filter(|e| e.support[g])
            .map(|e| {
                if e.claim {
                    "claim".to_string()
                } else if e.kind == "ttp" {
                    "techniques".to_string()
                } else {
                    e.kind.clone()
                }
            })
            .collect();
        v.dedup();
        v
    };
    let mut order: Vec<(bool, f64, usize)> = (0..space.groups())
        .map(|g| {
            let observed_support = observed && evidence.iter().any(|e| !e.claim && e.support[g]);
            (observed_support, post[g], g)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    order
        .into_iter()
        .take(10)
        .map(|(_, p, g)| {
            let gr = &kb.groups[g];
            let e = estimative::estimate(p);
            GroupScore {
                group_id: gr.attack_id.clone().unwrap_or_else(|| gr.stix_id.clone()),
                name: gr.name.clone(),
                score: e.p,
                words: e.words,
                range: e.range,
                sponsor: gr.sponsor().map(String::from),
                kind: gr.kind.as_str(),
                evidence: support(g),
                statement: estimative::statement(p),
            }
        })
        .collect()
}

type Lead<'a> = (
    Option<&'a str>,
    f64,
    f64,
    &'static str,
    &'a BTreeSet<&'a str>,
);

fn reasons(
    space: &Space<'_>,
    evidence: &[Evidence],
    claims: &[&Claim],
    obs: &Observation,
    (state, pl, no_state, level, support): Lead<'_>,
    top: Option<usize>,
    (mass, allowed): (&[f64], &[bool]),
) -> Vec<String> {
    let kb = space.kb;
    let mut reasons = Vec::new();
    if evidence.is_empty() {
        reasons.push(
            "no evidence: no techniques, no claims, nothing shared with a known group".into(),
        );
    }
    match state {
        Some(s) => {
            reasons.push(format!(
                "leading state {s}: {} (groups pooled by their sponsors; no state: {})",
                estimative::statement(pl),
                estimative::statement(no_state)
            ));
            let kinds: Vec<&str> = support.iter().copied().collect();
            match level {
                "high" => reasons.push(format!(
                    "high: p >= 0.95 and {} independent evidence kinds rated B2 or better support it ({})",
                    kinds.len(),
                    kinds.join(", ")
                )),
                "moderate" if pl >= 0.95 => reasons.push(format!(
                    "moderate, not high: p >= 0.95 but only {} evidence kind(s) rated B2 or better support it ({}); high needs two",
                    kinds.len(),
                    if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") }
                )),
                "moderate" => reasons.push("moderate: 0.80 <= p < 0.95 (very likely)".into()),
                "low" => reasons.push("low: 0.55 <= p < 0.80 (likely)".into()),
                _ => reasons.push("none: p < 0.55 (no state is likely)".into()),
            }
        }
        None if !evidence.is_empty() => reasons.push(format!(
            "none: the evidence makes no state more likely than before (no state: {})",
            estimative::statement(no_state)
        )),
        None => {}
    }
    for (i, s) in space.states.iter().enumerate() {
        if !allowed[i] && mass[i] >= 0.05 {
            reasons.push(format!(
                "{s} is an alliance member: its share ({}) is withheld, since no rated claim (A-C, 1-3) names it or a group it sponsors",
                estimative::statement(mass[i])
            ));
        }
    }
    if let Some(h) = top {
        reasons.push(format!(
            "actor {}: the leading hypothesis is {}",
            space.kind(h).as_str(),
            space.label(h)
        ));
    }
    // contradictions: claims naming different states
    let named: BTreeSet<String> = claims
        .iter()
        .filter_map(|c| claimed_states(kb, c).first().map(|(s, _)| s.clone()))
        .collect();
    if named.len() > 1 {
        reasons.push(format!(
            "claims name different states ({}): the evidence contradicts itself",
            named.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    for (id, why) in &obs.unresolved {
        reasons.push(format!("claim {id} not used: {why}"));
    }
    for e in evidence {
        reasons.push(format!("{} [{}]: {}", e.id, e.kind, e.summary));
    }
    reasons
}

#[cfg(test)]
#[path = "attribution_tests.rs"]
mod tests;
