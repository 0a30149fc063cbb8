//! The rift engine. Stances depend on the victim only through `affected_self`, so each
//! member is evaluated on the 13,824 victim-free base cells twice (affected or not) and
//! every (base cell, victim) count is derived from those: N times fewer evaluations than
//! cell by cell. Base cells are processed in parallel; partial results are summed in base
//! order, so results do not depend on thread scheduling.

use crate::space::{Base, Weights, ACTOR_N, ATTRIBUTION_N, BASE_CELLS, MEMBERS_AFFECTED};
use concord_policy::doctrine::legal_class_rule;
use concord_policy::lang::{Cond, Facts};
use concord_policy::vocab::{ATTRIBUTION, SEVERITY};
use concord_policy::{Alliance, PolicySet, Rule};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

const STATE: u8 = 3;
const SF: u8 = 1; // supports when not affected
const ST: u8 = 2; // supports when affected
const BF: u8 = 4; // blocks when not affected
const BT: u8 = 8; // blocks when affected

/// Per option metrics.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionMetrics {
    pub id: String,
    pub rift_index: f64,
    pub adopted_share: f64,
    pub pivotal: BTreeMap<String, u64>,
}

/// The metrics of DESIGN 7.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    pub cells: u64,
    pub rift_index: f64,
    pub options: Vec<OptionMetrics>,
    /// rung id -> attribution level -> highest severity left unanswered (or null).
    pub ceiling: BTreeMap<String, BTreeMap<&'static str, Option<&'static str>>>,
    /// For charts: `[effects][severity][attribution]` -> weighted share of state-actor
    /// cells whose highest adopted rung is each rung (index 0 = none adopted).
    #[serde(skip)]
    pub heat: Vec<Vec<Vec<Vec<f64>>>>,
}

/// Compiled view of a policy set: per member, per rung, (support, block).
pub struct Engine<'a> {
    alliance: &'a Alliance,
    conds: Vec<Vec<(Option<&'a Cond>, Option<&'a Cond>)>>,
    /// `legal[m][effects][severity][sector]`
    legal: Vec<[[[u8; 12]; 6]; 4]>,
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({} members)", self.conds.len())
    }
}

#[derive(Clone)]
struct Partial {
    rift: Vec<f64>,
    adopted: Vec<f64>,
    overall: f64,
    pivotal: Vec<u32>,
    /// `[rung * 4 + attribution]` -> max severity + 1 (0 = none)
    ceiling: Vec<u8>,
    /// `[rung+1]` weighted counts of the highest adopted rung, state cells only
    heat: Vec<f64>,
}

impl<'a> Engine<'a> {
    pub fn new(alliance: &'a Alliance, policies: &'a PolicySet) -> Engine<'a> {
        let rungs = alliance.ladder.len();
        let conds = (0..alliance.members.len())
            .map(|m| {
                (0..rungs)
                    .map(|r| {
                        match policies
                            .by_member
                            .get(m)
                            .and_then(Option::as_ref)
                            .and_then(|p| p.stances.get(r))
                        {
                            Some(s) => (s.support.as_ref(), s.block.as_ref()),
                            None => (None, None),
                        }
                    })
                    .collect()
            })
            .collect();
        let legal = (0..alliance.members.len())
            .map(|m| {
                let d = policies.doctrine(m);
                let mut t = [[[0u8; 12]; 6]; 4];
                for (e, row) in t.iter_mut().enumerate() {
                    for (s, cells) in row.iter_mut().enumerate() {
                        for (sec, cell) in cells.iter_mut().enumerate() {
                            *cell = legal_class_rule(&d, e as u8, s as u8, 1 << sec).0;
                        }
                    }
                }
                t
            })
            .collect();
        Engine {
            alliance,
            conds,
            legal,
        }
    }

    /// Replace one member's condition on one rung (harmonisation trials).
    pub fn with_override(
        &self,
        member: usize,
        rung: usize,
        support: Option<&'a Cond>,
        block: Option<&'a Cond>,
    ) -> Engine<'a> {
        let mut conds = self.conds.clone();
        conds[member][rung] = (support, block);
        Engine {
            alliance: self.alliance,
            conds,
            legal: self.legal.clone(),
        }
    }

    /// Member `m`'s facts in base cell `b`, not affected.
    fn facts(&self, m: usize, b: Base) -> Facts {
        let (e, sev, sec) = (
            usize::from(b.effects),
            usize::from(b.severity),
            usize::from(b.sector),
        );
        Facts {
            severity: b.severity,
            attribution: b.attribution,
            effects: b.effects,
            legal: self.legal[m][e][sev][sec],
            actor: b.actor,
            sectors: 1 << b.sector,
            members_affected: MEMBERS_AFFECTED[usize::from(b.ma)],
            affected_self: false,
        }
    }

    /// Stance bits (SF, ST, BF, BT) of one member on one rung: block wins over support.
    fn stance_bits(support: Option<&Cond>, block: Option<&Cond>, mut f: Facts) -> u8 {
        let mut bits = 0u8;
        for (aff, (sbit, bbit)) in [(false, (SF, BF)), (true, (ST, BT))] {
            f.affected_self = aff;
            if block.is_some_and(|c| c.eval(&f)) {
                bits |= bbit;
            } else if support.is_some_and(|c| c.eval(&f)) {
                bits |= sbit;
            }
        }
        bits
    }

    /// Stance bits for every `[rung][member]` of a base cell.
    fn base_stances(&self, b: Base, out: &mut [u8]) {
        let n = self.conds.len();
        for (m, per_rung) in self.conds.iter().enumerate() {
            let f = self.facts(m, b);
            for (r, (sup, blk)) in per_rung.iter().enumerate() {
                out[r * n + m] = Self::stance_bits(*sup, *blk, f);
            }
        }
    }

    fn base_partial(&self, bi: usize, w: &Weights) -> Partial {
        let n = self.conds.len();
        let rungs = self.alliance.ladder.len();
        let b = Base::from_index(bi);
        let wb = b.weight(w);
        let mut bits = vec![0u8; rungs * n];
        self.base_stances(b, &mut bits);
        // per rung: counts and the first two blockers when not affected
        let mut sf = vec![0usize; rungs];
        let mut bf = vec![0usize; rungs];
        let mut first_blockers = vec![[usize::MAX; 2]; rungs];
        for r in 0..rungs {
            for m in 0..n {
                let x = bits[r * n + m];
                if x & SF != 0 {
                    sf[r] += 1;
                }
                if x & BF != 0 {
                    let fb = &mut first_blockers[r];
                    if fb[0] == usize::MAX {
                        fb[0] = m;
                    } else if fb[1] == usize::MAX {
                        fb[1] = m;
                    }
                    bf[r] += 1;
                }
            }
        }
        let mut p = Partial {
            rift: vec![0.0; rungs],
            adopted: vec![0.0; rungs],
            overall: 0.0,
            pivotal: vec![0; rungs * n],
            ceiling: vec![0; rungs * ATTRIBUTION_N],
            heat: vec![0.0; rungs + 1],
        };
        for v in 0..n {
            let wc = wb * w.victim[v];
            let mut any_rift = false;
            let mut highest: Option<usize> = None;
            for (r, rung) in self.alliance.ladder.iter().enumerate() {
                let x = bits[r * n + v];
                let s = sf[r] - usize::from(x & SF != 0) + usize::from(x & ST != 0);
                let others = bf[r] - usize::from(x & BF != 0);
                let bcount = others + usize::from(x & BT != 0);
                if rung.rule.adopted(s, bcount) {
                    p.adopted[r] += wc;
                    highest = Some(r);
                }
                if rung.rule == Rule::Consensus {
                    if 2 * s > n && bcount >= 1 {
                        p.rift[r] += wc;
                        any_rift = true;
                    }
                    if s >= 1 && bcount == 1 {
                        let blocker = if x & BT != 0 {
                            v
                        } else {
                            let fb = first_blockers[r];
                            if fb[0] != v {
                                fb[0]
                            } else {
                                fb[1]
                            }
                        };
                        if blocker < n {
                            p.pivotal[r * n + blocker] += 1;
                        }
                    }
                }
            }
            if any_rift {
                p.overall += wc;
            }
            if b.actor == STATE {
                let from = highest.map_or(0, |h| h + 1);
                for r in from..rungs {
                    let c = &mut p.ceiling[r * ATTRIBUTION_N + usize::from(b.attribution)];
                    *c = (*c).max(b.severity + 1);
                }
                p.heat[highest.map_or(0, |h| h + 1)] += wc;
            }
        }
        p
    }

    /// Compute the metrics over the whole space.
    pub fn metrics(&self, w: &Weights) -> Metrics {
        let n = self.conds.len();
        let rungs = self.alliance.ladder.len();
        let parts: Vec<Partial> = (0..BASE_CELLS)
            .into_par_iter()
            .map(|bi| self.base_partial(bi, w))
            .collect();
        let total_base: f64 = w.severity.iter().sum::<f64>()
            * w.attribution.iter().sum::<f64>()
            * w.actor.iter().sum::<f64>()
            * w.effects.iter().sum::<f64>()
            * w.sector.iter().sum::<f64>()
            * w.members_affected.iter().sum::<f64>();
        let total = total_base * w.victim.iter().sum::<f64>();
        let mut rift = vec![0.0; rungs];
        let mut adopted = vec![0.0; rungs];
        let mut overall = 0.0;
        let mut pivotal = vec![0u64; rungs * n];
        let mut ceiling = vec![0u8; rungs * ATTRIBUTION_N];
        // heat[effects][severity][attribution][rung+1]
        let mut heat = vec![vec![vec![vec![0.0; rungs + 1]; ATTRIBUTION_N]; SEVERITY.len()]; 4];
        for (bi, p) in parts.iter().enumerate() {
            for r in 0..rungs {
                rift[r] += p.rift[r];
                adopted[r] += p.adopted[r];
            }
            overall += p.overall;
            for (a, b) in pivotal.iter_mut().zip(&p.pivotal) {
                *a += u64::from(*b);
            }
            for (a, b) in ceiling.iter_mut().zip(&p.ceiling) {
                *a = (*a).max(*b);
            }
            let b = Base::from_index(bi);
            if b.actor == STATE {
                let h = &mut heat[usize::from(b.effects)][usize::from(b.severity)]
                    [usize::from(b.attribution)];
                for (x, y) in h.iter_mut().zip(&p.heat) {
                    *x += y;
                }
            }
        }
        for e in heat.iter_mut() {
            for s in e.iter_mut() {
                for a in s.iter_mut() {
                    let t: f64 = a.iter().sum();
                    if t > 0.0 {
                        a.iter_mut().for_each(|x| *x /= t);
                    }
                }
            }
        }
        let frac = |x: f64| if total > 0.0 { x / total } else { 0.0 };
        let options = self
            .alliance
            .ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| OptionMetrics {
                id: rung.id.clone(),
                rift_index: if rung.rule == Rule::Consensus {
                    frac(rift[r])
                } else {
                    0.0
                },
                adopted_share: frac(adopted[r]),
                pivotal: (0..n)
                    .filter(|m| pivotal[r * n + m] > 0)
                    .map(|m| (self.alliance.members[m].code.clone(), pivotal[r * n + m]))
                    .collect(),
            })
            .collect();
        let ceiling = self
            .alliance
            .ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| {
                let per: BTreeMap<&'static str, Option<&'static str>> = ATTRIBUTION
                    .iter()
                    .enumerate()
                    .map(|(a, name)| {
                        let c = ceiling[r * ATTRIBUTION_N + a];
                        (
                            *name,
                            if c == 0 {
                                None
                            } else {
                                Some(SEVERITY[usize::from(c - 1)])
                            },
                        )
                    })
                    .collect();
                (rung.id.clone(), per)
            })
            .collect();
        let _ = ACTOR_N;
        Metrics {
            cells: (BASE_CELLS * n) as u64,
            rift_index: frac(overall),
            options,
            ceiling,
            heat,
        }
    }
}

/// What harmonisation trials need of a full computation: stance bits per base cell and,
/// per (base cell, victim), how many options are a rift there.
pub(crate) struct State {
    /// `bits[base][rung * n + member]`
    bits: Vec<Vec<u8>>,
    /// `rifts[base * n + victim]`
    rifts: Vec<u8>,
    pub(crate) overall: f64,
    pub(crate) total: f64,
}

impl Engine<'_> {
    fn rift_at(&self, r: usize, bits: &[u8], n: usize, sf: usize, bf: usize, v: usize) -> bool {
        let x = bits[r * n + v];
        let s = sf - usize::from(x & SF != 0) + usize::from(x & ST != 0);
        let b = bf - usize::from(x & BF != 0) + usize::from(x & BT != 0);
        2 * s > n && b >= 1
    }

    pub(crate) fn state(&self, w: &Weights) -> State {
        let n = self.conds.len();
        let rungs = self.alliance.ladder.len();
        let per: Vec<(Vec<u8>, Vec<u8>, f64)> = (0..BASE_CELLS)
            .into_par_iter()
            .map(|bi| {
                let b = Base::from_index(bi);
                let mut bits = vec![0u8; rungs * n];
                self.base_stances(b, &mut bits);
                let mut rifts = vec![0u8; n];
                let mut overall = 0.0;
                for (r, rung) in self.alliance.ladder.iter().enumerate() {
                    if rung.rule != Rule::Consensus {
                        continue;
                    }
                    let row = &bits[r * n..(r + 1) * n];
                    let sf = row.iter().filter(|x| **x & SF != 0).count();
                    let bf = row.iter().filter(|x| **x & BF != 0).count();
                    for (v, c) in rifts.iter_mut().enumerate() {
                        if self.rift_at(r, &bits, n, sf, bf, v) {
                            *c += 1;
                        }
                    }
                }
                let wb = b.weight(w);
                for (v, c) in rifts.iter().enumerate() {
                    if *c > 0 {
                        overall += wb * w.victim[v];
                    }
                }
                (bits, rifts, overall)
            })
            .collect();
        let total = w.severity.iter().sum::<f64>()
            * w.attribution.iter().sum::<f64>()
            * w.actor.iter().sum::<f64>()
            * w.effects.iter().sum::<f64>()
            * w.sector.iter().sum::<f64>()
            * w.members_affected.iter().sum::<f64>()
            * w.victim.iter().sum::<f64>();
        let mut st = State {
            bits: Vec::with_capacity(BASE_CELLS),
            rifts: Vec::with_capacity(BASE_CELLS * n),
            overall: 0.0,
            total,
        };
        for (bits, rifts, o) in per {
            st.bits.push(bits);
            st.rifts.extend(rifts);
            st.overall += o;
        }
        st
    }

    /// The overall rift weight if member `m`'s conditions on consensus rung `r` were
    /// `(support, block)` instead.
    pub(crate) fn trial(
        &self,
        st: &State,
        w: &Weights,
        m: usize,
        r: usize,
        support: Option<&Cond>,
        block: Option<&Cond>,
    ) -> f64 {
        let n = self.conds.len();
        (0..BASE_CELLS)
            .into_par_iter()
            .map(|bi| {
                let b = Base::from_index(bi);
                let bits = &st.bits[bi];
                let nb = Self::stance_bits(support, block, self.facts(m, b));
                let old = bits[r * n + m];
                let row = &bits[r * n..(r + 1) * n];
                let sf = row.iter().filter(|x| **x & SF != 0).count();
                let bf = row.iter().filter(|x| **x & BF != 0).count();
                let sf2 = sf - usize::from(old & SF != 0) + usize::from(nb & SF != 0);
                let bf2 = bf - usize::from(old & BF != 0) + usize::from(nb & BF != 0);
                let mut changed = bits.clone();
                changed[r * n + m] = nb;
                let wb = b.weight(w);
                let mut acc = 0.0;
                for v in 0..n {
                    let before = self.rift_at(r, bits, n, sf, bf, v);
                    let after = self.rift_at(r, &changed, n, sf2, bf2, v);
                    let c = st.rifts[bi * n + v];
                    let now = i32::from(c) - i32::from(before) + i32::from(after);
                    if now > 0 {
                        acc += wb * w.victim[v];
                    }
                }
                acc
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum()
    }
}
