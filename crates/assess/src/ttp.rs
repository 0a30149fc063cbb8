//! The technique model (docs/attribution.md): each group's profile (its own techniques,
//! and with a lower weight those of its software) scored against an observation as a
//! smoothed query likelihood against the background of all profiles, with sub-technique
//! back-off; and the plain Jaccard baseline the benchmarks compare it with.

use crate::attribution::Params;
use crate::kb::KnowledgeBase;
use std::collections::{BTreeSet, HashMap};

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
    /// Share of groups whose profile has each technique (weighted, add-one smoothed).
    share: HashMap<String, f64>,
    share_unseen: f64,
    mu: f64,
    backoff: f64,
    /// `Some(epsilon)`: the presence model; `None`: the multinomial one.
    presence: Option<f64>,
    /// Presence model: weight of the profile-size term.
    size_weight: f64,
    /// Mean size of the non-empty profiles.
    mean_size: f64,
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
        let n_profiles = profiles.iter().filter(|p| !p.0.is_empty()).count() as f64;
        let mean_size = profiles.iter().map(|p| p.1).sum::<f64>() / n_profiles.max(1.0);
        let share = df
            .iter()
            .map(|(t, n)| (t.clone(), (n + 1.0) / (n_profiles + 2.0)))
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
            share,
            share_unseen: 1.0 / (n_profiles + 2.0),
            mu: p.mu,
            backoff: p.backoff,
            presence: (p.presence_epsilon > 0.0).then_some(p.presence_epsilon),
            size_weight: p.size_weight,
            mean_size,
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
                match self.presence {
                    // presence: does the group use it, against the share of groups that do
                    Some(eps) => {
                        let q = self.share.get(*o).copied().unwrap_or(self.share_unseen);
                        ((m * (1.0 - eps) + eps * q) / q).ln()
                            + self.size_weight * (self.mean_size / size.max(1.0)).ln()
                    }
                    None => {
                        let bg = self.bg(o);
                        ((m + self.mu * bg) / (size + self.mu)).ln() - bg.ln()
                    }
                }
            })
            .sum()
    }

    /// Whether group `g`'s profile has one of the observed techniques (or its parent).
    pub fn overlaps(&self, g: usize, observed: &[&str]) -> bool {
        self.profiles.get(g).is_some_and(|(w, _, parents)| {
            observed
                .iter()
                .any(|o| w.contains_key(*o) || parents.contains(parent(o)))
        })
    }

    /// Whether group `g` has a technique profile.
    pub fn has_profile(&self, g: usize) -> bool {
        self.profiles.get(g).is_some_and(|p| !p.0.is_empty())
    }

    /// Number of groups indexed (the knowledge base's, when it was built).
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether no group is indexed.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
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
