//! Attribution (DESIGN 3.2, issue 6): who is behind an incident or campaign, how sure, why.
//!
//! Hypotheses: every known group of the knowledge base, "another group of state S" for
//! every state that sponsors a known group or is named in a claim, and "an unknown actor".
//! Evidence, each item with a timestamp so the result can be computed as of any instant:
//! - the techniques observed (`uses` attack-patterns), scored against every group's
//!   profile ([`TtpIndex`]) and turned into a bounded likelihood ratio;
//! - Admiralty-rated `attributed-to` claims by members ([`claim_lr`]);
//! - malware, tools and infrastructure shared with known groups.
//!
//! The posterior over hypotheses pools into states; the level follows DESIGN 3.2. Every
//! parameter is in [`Params`] and documented in docs/attribution.md.

use crate::kb::{ActorKind, KnowledgeBase};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The model's parameters (docs/attribution.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Dirichlet smoothing of a group's technique profile towards the background.
    pub mu: f64,
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
    /// Prior mass of "an unknown actor".
    pub prior_unknown: f64,
    /// States are given prior mass as if there were at least this many candidate sponsors.
    pub min_states: usize,
    /// Likelihood ratio of malware or a tool used by exactly one known group.
    pub software_lr: f64,
    /// Likelihood ratio of infrastructure linked to exactly one known group.
    pub infrastructure_lr: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            mu: 1.0,
            backoff: 0.3,
            software_weight: 0.3,
            ttp_temperature: 0.5,
            ttp_max_lr: 20.0,
            prior_unknown: 0.2,
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

/// Technique profiles prepared for ranking: each group's own techniques (weight 1) and
/// the techniques of the software it uses (weight `software_weight`).
#[derive(Debug, Clone)]
pub struct TtpIndex {
    /// Per group: technique -> weight, the profile's total weight, and the parents of
    /// everything in it.
    profiles: Vec<(HashMap<String, f64>, f64, BTreeSet<String>)>,
    /// Background probability of each technique, with add-one smoothing.
    background: HashMap<String, f64>,
    unseen: f64,
    mu: f64,
    backoff: f64,
}

fn parent(t: &str) -> &str {
    t.split_once('.').map_or(t, |(p, _)| p)
}

impl TtpIndex {
    pub fn new(kb: &KnowledgeBase, p: &Params) -> TtpIndex {
        let mut df: HashMap<String, f64> = HashMap::new();
        let profiles: Vec<(HashMap<String, f64>, f64, BTreeSet<String>)> = kb
            .groups
            .iter()
            .map(|g| {
                let mut w: HashMap<String, f64> = HashMap::new();
                if p.software_weight > 0.0 {
                    for s in &g.software {
                        for t in kb
                            .software
                            .get(s)
                            .map(|s| &s.techniques)
                            .into_iter()
                            .flatten()
                        {
                            w.insert(t.clone(), p.software_weight);
                        }
                    }
                }
                for t in &g.techniques {
                    w.insert(t.clone(), 1.0);
                }
                for (t, x) in &w {
                    *df.entry(t.clone()).or_default() += x;
                }
                let total = w.values().sum();
                let parents = w.keys().map(|t| parent(t).to_string()).collect();
                (w, total, parents)
            })
            .collect();
        let vocab = kb.techniques.len().max(df.len()) as f64 + 1.0;
        let total: f64 = df.values().sum::<f64>() + vocab;
        let background = df
            .into_iter()
            .map(|(t, n)| (t, (n + 1.0) / total))
            .collect();
        TtpIndex {
            profiles,
            background,
            unseen: 1.0 / total,
            mu: p.mu,
            backoff: p.backoff,
        }
    }

    fn bg(&self, t: &str) -> f64 {
        self.background.get(t).copied().unwrap_or(self.unseen)
    }

    /// Log-likelihood ratio of the observed techniques under group `g` against the
    /// background (an actor about whom nothing is known).
    pub fn llr(&self, g: usize, observed: &[&str]) -> f64 {
        let (w, size, parents) = &self.profiles[g];
        if w.is_empty() {
            return 0.0;
        }
        observed
            .iter()
            .map(|o| {
                let m = match w.get(*o) {
                    Some(x) => *x,
                    None if parents.contains(parent(o)) => self.backoff,
                    None => 0.0,
                };
                let bg = self.bg(o);
                ((m + self.mu * bg) / (size + self.mu)).ln() - bg.ln()
            })
            .sum()
    }

    /// Groups ranked by [`TtpIndex::llr`], best first (groups without a profile left out).
    pub fn rank(&self, observed: &[&str]) -> Vec<(usize, f64)> {
        let mut out: Vec<(usize, f64)> = (0..self.profiles.len())
            .filter(|&g| !self.profiles[g].0.is_empty())
            .map(|g| (g, self.llr(g, observed)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// The plain Jaccard baseline: |O ∩ profile| / |O ∪ profile|, best first.
pub fn rank_jaccard(kb: &KnowledgeBase, observed: &[&str]) -> Vec<(usize, f64)> {
    let o: BTreeSet<&str> = observed.iter().copied().collect();
    let mut out: Vec<(usize, f64)> = kb
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.techniques.is_empty())
        .map(|(i, g)| {
            let inter = g
                .techniques
                .iter()
                .filter(|t| o.contains(t.as_str()))
                .count();
            let union = g.techniques.len() + o.len() - inter;
            (i, inter as f64 / union.max(1) as f64)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A hypothesis.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Hyp {
    Group(usize),
    OtherOf(String),
    Unknown,
}

/// One evidence item as it entered the posterior.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: String,
    pub kind: String,
    pub at: String,
    pub summary: String,
    /// Rated B2 or better (claims only).
    pub rated_b2: bool,
    /// Weight of its inconsistencies in the ACH matrix.
    pub weight: f64,
    #[serde(skip)]
    factors: HashMap<Hyp, f64>,
}

/// A group in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    /// The ATT&CK id (G0007), or the STIX id of a group without one.
    pub group_id: String,
    pub name: String,
    /// Posterior probability of this group.
    pub score: f64,
    pub sponsor: Option<String>,
}

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

/// The result of attribution (`concord attribute ID --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    pub groups: Vec<GroupScore>,
    /// Posterior per sponsor state, groups pooled by sponsor.
    pub states: BTreeMap<String, f64>,
    /// Posterior of hypotheses with no state (unknown actor, unsponsored groups).
    pub no_state: f64,
    pub level: &'static str,
    /// The leading state and its probability.
    pub state: Option<String>,
    pub p: f64,
    /// DESIGN 3.2 `actor`: the kind of the leading hypothesis.
    pub actor: &'static str,
    pub reasons: Vec<String>,
    pub ach: Ach,
    pub evidence: Vec<Evidence>,
    pub as_of: Option<String>,
}

fn before(at: &str, as_of: Option<&str>) -> bool {
    match as_of {
        None => true,
        Some(t) => matches!(
            concord_stix::timestamp::Timestamp::cmp_str(at, t),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal) | None
        ),
    }
}

struct Space<'a> {
    kb: &'a KnowledgeBase,
    hyps: Vec<Hyp>,
    prior: Vec<f64>,
}

impl Space<'_> {
    fn sponsor(&self, h: &Hyp) -> Option<String> {
        match h {
            Hyp::Group(g) => self.kb.groups[*g].sponsor().map(String::from),
            Hyp::OtherOf(s) => Some(s.clone()),
            Hyp::Unknown => None,
        }
    }
    fn kind(&self, h: &Hyp) -> ActorKind {
        match h {
            Hyp::Group(g) => self.kb.groups[*g].kind,
            Hyp::OtherOf(_) => ActorKind::State,
            Hyp::Unknown => ActorKind::Unknown,
        }
    }
}

fn build_space<'a>(kb: &'a KnowledgeBase, claims: &[&Claim], p: &Params) -> Space<'a> {
    let mut states: BTreeSet<String> = kb
        .groups
        .iter()
        .filter_map(|g| g.sponsor().map(String::from))
        .collect();
    for c in claims {
        if let ClaimTarget::State(s) = &c.target {
            states.insert(s.clone());
        }
    }
    let mut groups_of: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut stateless = Vec::new();
    for (i, g) in kb.groups.iter().enumerate() {
        match g.sponsor() {
            Some(s) => groups_of.entry(s.to_string()).or_default().push(i),
            None => stateless.push(i),
        }
    }
    let state_mass = (1.0 - p.prior_unknown) / (states.len().max(p.min_states)) as f64;
    let mut hyps = Vec::new();
    let mut prior = Vec::new();
    for s in &states {
        let gs = groups_of.get(s).map_or(&[][..], Vec::as_slice);
        // a fifth of the state's mass to "another group of S", the rest split over its groups
        let other = if gs.is_empty() { 1.0 } else { 0.2 };
        hyps.push(Hyp::OtherOf(s.clone()));
        prior.push(state_mass * other);
        for &g in gs {
            hyps.push(Hyp::Group(g));
            prior.push(state_mass * (1.0 - other) / gs.len() as f64);
        }
    }
    // the rest: half to the unknown actor, half over groups with no sponsor
    let rest = 1.0 - prior.iter().sum::<f64>();
    let unknown_share = if stateless.is_empty() { 1.0 } else { 0.5 };
    hyps.push(Hyp::Unknown);
    prior.push(rest * unknown_share);
    for &g in &stateless {
        hyps.push(Hyp::Group(g));
        prior.push(rest * (1.0 - unknown_share) / stateless.len() as f64);
    }
    Space { kb, hyps, prior }
}

/// The evidence items of an observation as of an instant.
fn evidence_items(
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
        let cap = p.ttp_max_lr.ln();
        let mut factors = HashMap::new();
        for h in &space.hyps {
            if let Hyp::Group(g) = h {
                let llr = p.ttp_temperature * ttp.llr(*g, &distinct);
                // bounded smoothly: order kept, never beyond the cap either way
                factors.insert(h.clone(), (cap * (llr / cap).tanh()).exp());
            }
        }
        let at = techs
            .iter()
            .map(|(_, at, _)| at.as_str())
            .max()
            .unwrap_or("");
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
            factors,
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
            let names: Vec<&str> = groups.iter().map(|g| kb.groups[*g].name.as_str()).collect();
            let label = kb.software.get(id).map_or(id.as_str(), |s| s.name.as_str());
            items.push(Evidence {
                id: id.clone(),
                kind: kind.into(),
                at: at.clone(),
                summary: format!(
                    "{label} is known from {} (likelihood ratio {lr:.1})",
                    names.join(", ")
                ),
                rated_b2: false,
                weight: 1.0,
                factors: groups.into_iter().map(|g| (Hyp::Group(g), lr)).collect(),
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
    for c in &obs.claims {
        if !before(&c.at, as_of) {
            continue;
        }
        let lr = claim_lr(c.reliability, c.credibility);
        let rating = format!(
            "{}{}",
            c.reliability.map_or("unrated".to_string(), String::from),
            c.credibility.map_or(String::new(), |x| x.to_string())
        );
        let (named, factors): (String, HashMap<Hyp, f64>) = match &c.target {
            ClaimTarget::Group(g) => (
                kb.groups[*g].name.clone(),
                [(Hyp::Group(*g), lr)].into_iter().collect(),
            ),
            ClaimTarget::State(s) => (
                s.clone(),
                space
                    .hyps
                    .iter()
                    .filter(|h| space.sponsor(h).as_deref() == Some(s))
                    .map(|h| (h.clone(), lr))
                    .collect(),
            ),
        };
        let weight = match c.credibility {
            Some(1 | 2) => 1.0,
            Some(3 | 4) => 0.5,
            _ => 0.25,
        };
        items.push(Evidence {
            id: c.id.clone(),
            kind: c
                .evidence_kind
                .clone()
                .unwrap_or_else(|| "unspecified".into()),
            at: c.at.clone(),
            summary: format!(
                "{} says {named} ({rating}, {}; likelihood ratio {lr:.1})",
                c.by,
                c.evidence_kind.as_deref().unwrap_or("kind not stated")
            ),
            rated_b2: b2_or_better(c.reliability, c.credibility),
            weight,
            factors,
        });
    }
    items
}

/// Posterior over hypotheses from prior and evidence.
fn posterior(space: &Space<'_>, items: &[&Evidence]) -> Vec<f64> {
    let mut w: Vec<f64> = space
        .hyps
        .iter()
        .zip(&space.prior)
        .map(|(h, p)| {
            p.ln()
                + items
                    .iter()
                    .map(|e| e.factors.get(h).copied().unwrap_or(1.0).ln())
                    .sum::<f64>()
        })
        .collect();
    let m = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let z: f64 = w.iter().map(|x| (x - m).exp()).sum();
    for x in &mut w {
        *x = (*x - m).exp() / z;
    }
    w
}

fn pool(space: &Space<'_>, post: &[f64]) -> (BTreeMap<String, f64>, f64) {
    let mut states: BTreeMap<String, f64> = BTreeMap::new();
    let mut none = 0.0;
    for (h, p) in space.hyps.iter().zip(post) {
        match space.sponsor(h) {
            Some(s) => *states.entry(s).or_default() += p,
            None => none += p,
        }
    }
    (states, none)
}

fn leading(states: &BTreeMap<String, f64>) -> Option<(&String, f64)> {
    states
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, p)| (s, *p))
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Attribute an observation as of an instant (`None`: all evidence).
pub fn attribute(
    kb: &KnowledgeBase,
    ttp: &TtpIndex,
    obs: &Observation,
    as_of: Option<&str>,
    p: &Params,
) -> Attribution {
    let claims: Vec<&Claim> = obs.claims.iter().filter(|c| before(&c.at, as_of)).collect();
    let space = build_space(kb, &claims, p);
    let evidence = evidence_items(&space, ttp, obs, as_of, p);
    let all: Vec<&Evidence> = evidence.iter().collect();
    let post = posterior(&space, &all);
    let (states, no_state) = pool(&space, &post);
    let mut reasons = Vec::new();
    let lead = leading(&states);
    let (state, pl) = lead.map_or((None, 0.0), |(s, p)| (Some(s.clone()), p));
    // the kinds rated B2 or better that support the leading state
    let support: BTreeSet<&str> = evidence
        .iter()
        .filter(|e| e.rated_b2)
        .filter(|e| {
            e.factors
                .iter()
                .any(|(h, f)| *f > 1.0 && space.sponsor(h).as_deref() == state.as_deref())
        })
        .map(|e| e.kind.as_str())
        .collect();
    let level = if state.is_some() && pl >= 0.95 && support.len() >= 2 {
        "high"
    } else if state.is_some() && pl >= 0.80 {
        "moderate"
    } else if state.is_some() && pl >= 0.55 {
        "low"
    } else {
        "none"
    };
    if evidence.is_empty() {
        reasons.push(
            "no evidence: no techniques, no claims, nothing shared with a known group".into(),
        );
    }
    if let Some(s) = &state {
        reasons.push(format!(
            "leading state {s} with p = {:.3} (groups pooled by sponsor; no state: {:.3})",
            pl, no_state
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
            "moderate" => reasons.push("moderate: 0.80 <= p < 0.95".into()),
            "low" => reasons.push("low: 0.55 <= p < 0.80".into()),
            _ => reasons.push("none: p < 0.55".into()),
        }
    }
    // contradictions: claims naming different states
    let named: BTreeSet<String> = claims
        .iter()
        .filter_map(|c| match &c.target {
            ClaimTarget::State(s) => Some(s.clone()),
            ClaimTarget::Group(g) => kb.groups[*g].sponsor().map(String::from),
        })
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
    for e in &evidence {
        reasons.push(format!("{} [{}]: {}", e.id, e.kind, e.summary));
    }
    // the leading single hypothesis gives the actor kind
    let top = post
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| &space.hyps[i]);
    let actor = match top.map(|h| space.kind(h)) {
        Some(ActorKind::State) => "state",
        Some(ActorKind::StateAligned) => "state_aligned",
        Some(ActorKind::Criminal) => "criminal",
        _ => "unknown",
    };
    let mut groups: Vec<GroupScore> = space
        .hyps
        .iter()
        .zip(&post)
        .filter_map(|(h, p)| match h {
            Hyp::Group(g) => {
                let gr = &kb.groups[*g];
                Some(GroupScore {
                    group_id: gr.attack_id.clone().unwrap_or_else(|| gr.stix_id.clone()),
                    name: gr.name.clone(),
                    score: *p,
                    sponsor: gr.sponsor().map(String::from),
                })
            }
            _ => None,
        })
        .collect();
    groups.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.group_id.cmp(&b.group_id))
    });
    groups.truncate(10);
    for g in &mut groups {
        g.score = round(g.score);
    }
    let ach = ach(&space, &evidence, &states, state.as_deref());
    Attribution {
        groups,
        states: states
            .iter()
            .map(|(s, p)| (s.clone(), round(*p)))
            .filter(|(_, p)| *p > 0.0)
            .collect(),
        no_state: round(no_state),
        level,
        state: if level == "none" { None } else { state },
        p: round(pl),
        actor,
        reasons,
        ach,
        evidence,
        as_of: as_of.map(String::from),
    }
}

/// The ACH matrix over the four leading states and "no state".
fn ach(
    space: &Space<'_>,
    evidence: &[Evidence],
    states: &BTreeMap<String, f64>,
    lead: Option<&str>,
) -> Ach {
    let mut ranked: Vec<(&String, &f64)> = states.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut hyps: Vec<Option<String>> = ranked
        .iter()
        .take(4)
        .map(|(s, _)| Some((*s).clone()))
        .collect();
    hyps.push(None);
    let names: Vec<String> = hyps
        .iter()
        .map(|h| h.clone().unwrap_or_else(|| "no state".into()))
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
                space
                    .hyps
                    .iter()
                    .filter(|x| space.sponsor(x) == *h)
                    .map(|x| e.factors.get(x).copied().unwrap_or(1.0))
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
    for (k, e) in evidence.iter().enumerate() {
        let rest: Vec<&Evidence> = evidence
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, x)| x)
            .collect();
        let post = posterior(space, &rest);
        let (st, _) = pool(space, &post);
        let new_lead = leading(&st).map(|(s, _)| s.as_str());
        if new_lead != lead {
            out.sensitive_to.push(e.id.clone());
        }
    }
    out
}

#[cfg(test)]
#[path = "attribution_tests.rs"]
mod tests;
