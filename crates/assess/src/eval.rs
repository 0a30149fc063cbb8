//! The real-data test set (docs/attribution.md, "Quality on real data"): for every group of
//! a knowledge base that has a sponsor and something observable, synthetic incidents made
//! of a random sample of its techniques and software, with and without a rated claim, and
//! how often attribution gets the leading state and the group right, and how often it
//! names an alliance member as the sponsor of a group whose sponsor is not one.
//!
//! Used by `bench/attribution.sh` (figures in the README) and by the floors test
//! (`crates/assess/tests/attribution_realdata.rs`).

use crate::attribution::{attribute_guarded, Claim, ClaimTarget, Observation, Params, TtpIndex};
use crate::kb::KnowledgeBase;
use serde::Serialize;
use std::collections::BTreeSet;

/// The claim each synthetic incident carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimMode {
    /// No claim: techniques and software only.
    None,
    /// A B2 `intelligence` claim naming the group and its sponsor (the example).
    GroupAndState,
    /// A B2 `intelligence` claim naming the group only.
    GroupOnly,
    /// A B2 `intelligence` claim naming the sponsor state only.
    StateOnly,
}

/// How the incidents are drawn.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Draw {
    /// Techniques sampled from the group's profile (all of them when it has fewer).
    pub techniques: usize,
    /// Software sampled from the group's profile (all when fewer).
    pub software: usize,
    /// Incidents per group.
    pub per_group: usize,
    pub seed: u64,
    pub claim: ClaimMode,
}

/// A synthetic incident and the truth behind it.
#[derive(Debug, Clone)]
pub struct Case {
    pub group: usize,
    /// The group's sponsor (its strongest pooled state).
    pub truth: String,
    pub observation: Observation,
}

/// What one set of cases scored.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub cases: usize,
    /// The leading state is the group's sponsor.
    pub state_right: usize,
    /// The true group ranks first / in the top three.
    pub top1: usize,
    pub top3: usize,
    /// An alliance member is the leading state while the group's sponsor is not one.
    pub ally_named_for_non_member: usize,
    /// Levels of the cases whose leading state is right: none, low, moderate, high.
    pub levels: [usize; 4],
    /// No leading state at all.
    pub no_state: usize,
    /// The cases whose leading state is wrong: (group, truth, leading state).
    #[serde(skip)]
    pub wrong: Vec<(usize, String, Option<String>)>,
}

impl Score {
    pub fn share(&self, x: usize) -> f64 {
        x as f64 / self.cases.max(1) as f64
    }
}

/// A small deterministic generator (xorshift) so the set is the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(0x9E37_79B9_7F4A_7C15 ^ (seed + 1).wrapping_mul(0x2545_F491_4F6C_DD1D))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Groups in the test set: a sponsor and at least one technique or software.
pub fn eligible(kb: &KnowledgeBase) -> Vec<usize> {
    (0..kb.groups.len())
        .filter(|&g| {
            let gr = &kb.groups[g];
            gr.sponsor().is_some() && (!gr.techniques.is_empty() || !gr.software.is_empty())
        })
        .collect()
}

/// The synthetic incidents.
pub fn cases(kb: &KnowledgeBase, d: &Draw) -> Vec<Case> {
    let mut rng = Rng::new(d.seed);
    let at = "2026-03-01T00:00:00.000Z".to_string();
    let mut out = Vec::new();
    for g in eligible(kb) {
        let gr = &kb.groups[g];
        let Some(truth) = gr.sponsor().map(String::from) else {
            continue;
        };
        for n in 0..d.per_group {
            let mut techs: Vec<&String> = gr.techniques.iter().collect();
            rng.shuffle(&mut techs);
            techs.truncate(d.techniques);
            let mut sw: Vec<&String> = gr.software.iter().collect();
            rng.shuffle(&mut sw);
            sw.truncate(d.software);
            let mut obs = Observation {
                techniques: techs
                    .iter()
                    .map(|t| ((*t).clone(), at.clone(), format!("relationship--uses-{t}")))
                    .collect(),
                software: sw.iter().map(|s| ((*s).clone(), at.clone())).collect(),
                ..Observation::default()
            };
            if d.claim != ClaimMode::None {
                obs.claims.push(Claim {
                    id: format!("relationship--claim-{g}-{n}"),
                    by: "EST".into(),
                    at: at.clone(),
                    target: if d.claim == ClaimMode::StateOnly {
                        ClaimTarget::State(truth.clone())
                    } else {
                        ClaimTarget::Group(g)
                    },
                    reliability: Some('B'),
                    credibility: Some(2),
                    evidence_kind: Some("intelligence".into()),
                    sponsor: (d.claim != ClaimMode::GroupOnly).then(|| truth.clone()),
                });
            }
            out.push(Case {
                group: g,
                truth: truth.clone(),
                observation: obs,
            });
        }
    }
    out
}

/// Attribute every case and score it; `allies` are the alliance's members.
pub fn score(
    kb: &KnowledgeBase,
    ttp: &TtpIndex,
    p: &Params,
    allies: &BTreeSet<String>,
    cases: &[Case],
) -> Score {
    let mut s = Score::default();
    for c in cases {
        let a = attribute_guarded(kb, ttp, &c.observation, None, p, allies);
        s.cases += 1;
        let gid = {
            let g = &kb.groups[c.group];
            g.attack_id.clone().unwrap_or_else(|| g.stix_id.clone())
        };
        match a.groups.iter().position(|x| x.group_id == gid) {
            Some(0) => {
                s.top1 += 1;
                s.top3 += 1;
            }
            Some(1 | 2) => s.top3 += 1,
            _ => {}
        }
        match &a.state {
            Some(st) if *st == c.truth => {
                s.state_right += 1;
                let l = ["none", "low", "moderate", "high"]
                    .iter()
                    .position(|x| *x == a.level)
                    .unwrap_or(0);
                s.levels[l] += 1;
            }
            Some(st) => {
                if allies.contains(st) && !allies.contains(&c.truth) {
                    s.ally_named_for_non_member += 1;
                }
                s.wrong.push((c.group, c.truth.clone(), Some(st.clone())));
            }
            None => {
                s.no_state += 1;
                s.wrong.push((c.group, c.truth.clone(), None));
            }
        }
    }
    s
}
