//! The rift engine (DESIGN 7, model v2). A member's stance depends on the victims only
//! through `affected_self`, so every member is evaluated on the 17,280 victim-free base
//! cells twice (affected or not), once, into a [`StanceTable`]; each (base cell, named
//! victim) cell then derives its counts from the base counts by correcting for its few
//! victims (the named one and its nearest neighbours). Base cells are aggregated in
//! parallel and the partial sums combined in base order, so results do not depend on
//! thread scheduling.

pub(crate) use crate::partial::Partial;
use crate::partial::REASON_N;
use crate::space::{
    Base, Weights, ACTOR_N, ATTRIBUTION_N, BASE_CELLS, EFFECTS_N, MA_N, MEMBERS_AFFECTED, SECTOR_N,
    SEVERITY_N,
};
use concord_policy::decide::{missing_bit, missing_bits, stance_of, RungCounts};
use concord_policy::doctrine::legal_class_rule;
use concord_policy::lang::{Cond, Facts};
use concord_policy::vocab::{ATTRIBUTION, REASONS, SECTOR, SEVERITY};
use concord_policy::{Alliance, PolicySet, Reasons, Rule, Stance};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

const STATE: u8 = 3;

/// The stance code of one member on one rung in one base cell: bits 0-1 the stance when
/// not among the victims, bits 2-3 when among them (0 abstain, 1 support, 2 block), bits
/// 4-8 and 9-13 the block reasons in each case.
type Code = u16;
const SUP: u16 = 1;
const BLK: u16 = 2;

fn code_of(not_affected: (Stance, Reasons), affected: (Stance, Reasons)) -> Code {
    let st = |s: Stance| match s {
        Stance::Abstain => 0,
        Stance::Support => SUP,
        Stance::Block => BLK,
    };
    st(not_affected.0)
        | st(affected.0) << 2
        | u16::from(not_affected.1 .0) << 4
        | u16::from(affected.1 .0) << 9
}

#[inline]
fn stance_bits(c: Code, affected: bool) -> u16 {
    if affected {
        (c >> 2) & 3
    } else {
        c & 3
    }
}

#[inline]
fn reasons_bits(c: Code, affected: bool) -> u16 {
    if affected {
        (c >> 9) & 31
    } else {
        (c >> 4) & 31
    }
}

/// Per option metrics (DESIGN 7; exactly the keys of the JSON document).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionMetrics {
    pub id: String,
    pub rift_index: f64,
    pub veto_index: f64,
    pub adopted_share: f64,
    pub victim_unmet: f64,
    /// Reason word -> weighted share of veto cells where a blocker gives that reason.
    pub blocked_by: BTreeMap<&'static str, f64>,
    /// Missing kind -> weighted share of cells whose `missing` has that kind.
    pub missing_share: BTreeMap<&'static str, f64>,
    /// Member -> veto cells where it is the only blocker (unweighted).
    pub pivotal: BTreeMap<String, u64>,
}

/// The metrics of DESIGN 7.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    pub cells: u64,
    pub rift_index: f64,
    pub veto_index: f64,
    pub options: Vec<OptionMetrics>,
    /// rung id -> attribution level -> highest severity left unanswered (or null).
    pub ceiling: BTreeMap<String, BTreeMap<&'static str, Option<&'static str>>>,
    /// For charts: `[effects][severity][attribution]` -> weighted share of state-actor
    /// cells whose highest adopted rung is each rung (index 0 = none adopted).
    #[serde(skip)]
    pub heat: Vec<Vec<Vec<Vec<f64>>>>,
}

/// Every member's stance code on every rung in every base cell:
/// `codes[(base * rungs + rung) * members + member]`.
#[derive(Clone)]
pub struct StanceTable {
    pub(crate) codes: Vec<Code>,
}

impl std::fmt::Debug for StanceTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StanceTable({} codes)", self.codes.len())
    }
}

/// The compiled view of an alliance and a policy set over the scenario space.
pub struct Engine<'a> {
    pub(crate) alliance: &'a Alliance,
    pub(crate) policies: &'a PolicySet,
    /// `legal[member][effects][severity][sector]`
    legal: Vec<[[[u8; 12]; 6]; EFFECTS_N]>,
    /// `victims[ma][named victim]`: the victims of such a cell, the named one first.
    victims: Vec<Vec<Vec<usize>>>,
    /// `capable[rung * n + member]`
    capable: Vec<bool>,
}

impl std::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({} members)", self.alliance.members.len())
    }
}

/// Which rungs (bits by ladder index) are adopted, rift cells and veto cells in one cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CellMasks {
    pub(crate) adopted: u64,
    rift: u64,
    veto: u64,
}

/// A full computation kept for incremental trials.
pub(crate) struct Baseline {
    pub(crate) table: StanceTable,
    pub(crate) masks: Vec<CellMasks>,
    sum: Partial,
    pub(crate) metrics: Metrics,
}

/// Every rung.
const ALL: u64 = u64::MAX;

/// The missing kinds in DESIGN 7 order, with their bits.
pub const MISSING_KINDS: [(&str, u8); 5] = [
    ("support", missing_bit::SUPPORT),
    ("request", missing_bit::REQUEST),
    ("block", missing_bit::BLOCK),
    ("contributors", missing_bit::CONTRIBUTORS),
    ("requires", missing_bit::REQUIRES),
];

impl<'a> Engine<'a> {
    pub fn new(alliance: &'a Alliance, policies: &'a PolicySet) -> Engine<'a> {
        let n = alliance.members.len();
        let legal = (0..n)
            .map(|m| {
                let d = policies.doctrine(m);
                let mut t = [[[0u8; 12]; 6]; EFFECTS_N];
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
        let victims = MEMBERS_AFFECTED
            .iter()
            .map(|k| {
                (0..n)
                    .map(|v| alliance.nearest_victims(v, *k as usize))
                    .collect()
            })
            .collect();
        let capable = (0..alliance.ladder.len())
            .flat_map(|r| (0..n).map(move |m| (r, m)))
            .map(|(r, m)| policies.capable(m, r))
            .collect();
        Engine {
            alliance,
            policies,
            legal,
            victims,
            capable,
        }
    }

    pub(crate) fn n(&self) -> usize {
        self.alliance.members.len()
    }

    pub(crate) fn rungs(&self) -> usize {
        self.alliance.ladder.len()
    }

    /// Member `m`'s facts in base cell `b`, not affected.
    pub(crate) fn facts(&self, m: usize, b: Base) -> Facts {
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
            members_affected: u64::from(MEMBERS_AFFECTED[usize::from(b.ma)]),
            affected_self: false,
        }
    }

    /// The stance code of member `m` on rung `r` (as `rung`) in base cell `b`.
    pub(crate) fn code_with(
        &self,
        policies: &PolicySet,
        rung: &concord_policy::Rung,
        m: usize,
        r: usize,
        b: Base,
    ) -> Code {
        let p = policies.get(m);
        let mut f = self.facts(m, b);
        let out = stance_of(p, rung, r, &f);
        f.affected_self = true;
        code_of(out, stance_of(p, rung, r, &f))
    }

    /// Member `m`'s stance codes on rung `r` (as `rung`) in every base cell, in base order.
    /// The stance reads only some facts (its conditions' dimensions, and the legal class's
    /// when the member's conditions or the rung's legal basis need it), so it is evaluated
    /// once per combination of those and broadcast to the base cells that share it.
    pub(crate) fn column(
        &self,
        policies: &PolicySet,
        rung: &concord_policy::Rung,
        m: usize,
        r: usize,
    ) -> Vec<Code> {
        use concord_policy::lang::uses::*;
        let Some(p) = policies.get(m) else {
            return vec![0; BASE_CELLS];
        };
        let mut used = p.stances.get(r).map_or(0, |s| {
            s.support.as_ref().map_or(0, Cond::uses)
                | s.block.iter().fold(0, |a, (_, c)| a | c.uses())
        });
        if rung.legal_basis.is_some() {
            used |= LEGAL;
        }
        if used & LEGAL != 0 {
            used |= SEVERITY | EFFECTS | SECTOR;
        }
        // the base dimensions, in `Base::from_index` order (most significant first)
        let dims = [
            (SEVERITY, SEVERITY_N),
            (ATTRIBUTION, ATTRIBUTION_N),
            (ACTOR, ACTOR_N),
            (EFFECTS, EFFECTS_N),
            (SECTOR, SECTOR_N),
            (MEMBERS_AFFECTED, MA_N),
        ];
        let mut strides = [0usize; 6];
        let mut size = 1;
        for (k, (bit, len)) in dims.iter().enumerate() {
            if used & bit != 0 {
                strides[k] = size;
                size *= len;
            }
        }
        let coords = |b: &Base| {
            [
                usize::from(b.severity),
                usize::from(b.attribution),
                usize::from(b.actor),
                usize::from(b.effects),
                usize::from(b.sector),
                usize::from(b.ma),
            ]
        };
        let proj: Vec<Code> = (0..size)
            .map(|i| {
                let mut c = [0u8; 6];
                for (k, (bit, len)) in dims.iter().enumerate() {
                    if used & bit != 0 {
                        c[k] = u8::try_from((i / strides[k]) % len).unwrap_or(0);
                    }
                }
                let b = Base {
                    severity: c[0],
                    attribution: c[1],
                    actor: c[2],
                    effects: c[3],
                    sector: c[4],
                    ma: c[5],
                };
                self.code_with(policies, rung, m, r, b)
            })
            .collect();
        (0..BASE_CELLS)
            .map(|bi| {
                let c = coords(&Base::from_index(bi));
                proj[(0..6).map(|k| c[k] * strides[k]).sum::<usize>()]
            })
            .collect()
    }

    /// Evaluate every member on every rung in every base cell.
    pub fn table(&self) -> StanceTable {
        let (n, rungs) = (self.n(), self.rungs());
        let columns: Vec<Vec<Code>> = (0..rungs * n)
            .into_par_iter()
            .map(|i| {
                let (r, m) = (i / n, i % n);
                self.column(self.policies, &self.alliance.ladder[r], m, r)
            })
            .collect();
        let mut codes = vec![0; BASE_CELLS * rungs * n];
        codes
            .par_chunks_mut(rungs * n)
            .enumerate()
            .for_each(|(bi, out)| {
                for (i, col) in columns.iter().enumerate() {
                    out[i] = col[bi];
                }
            });
        StanceTable { codes }
    }

    /// Compute the metrics over the whole space.
    pub fn metrics(&self, w: &Weights) -> Metrics {
        self.metrics_of(&self.table(), w)
    }

    /// The metrics from a stance table (one computed by [`Engine::table`], possibly edited).
    pub fn metrics_of(&self, table: &StanceTable, w: &Weights) -> Metrics {
        let (sum, heat) = self.accumulate(table, w, None);
        self.finish(&sum, heat)
    }

    /// Sum every base cell's partial in fixed chunks of base cells: chunks run in parallel,
    /// each in base order, and are combined in chunk order, so the result does not depend on
    /// thread scheduling. With `masks`, each cell's masks are recorded
    /// (`masks[base * n + victim]`).
    fn accumulate(
        &self,
        table: &StanceTable,
        w: &Weights,
        masks: Option<&mut [CellMasks]>,
    ) -> (Partial, Vec<Vec<Vec<Vec<f64>>>>) {
        const CHUNK: usize = 256;
        let (n, rungs) = (self.n(), self.rungs());
        let heat_len = EFFECTS_N * SEVERITY_N * ATTRIBUTION_N * (rungs + 1);
        let work = |chunk: usize, mut rec: Option<&mut [CellMasks]>| {
            let mut acc = Partial::new(rungs, n);
            let mut heat = vec![0.0; heat_len];
            let mut scratch = Partial::new(rungs, n);
            let start = chunk * CHUNK;
            for bi in start..(start + CHUNK).min(BASE_CELLS) {
                let codes = &table.codes[bi * rungs * n..(bi + 1) * rungs * n];
                let r = rec
                    .as_deref_mut()
                    .map(|m| &mut m[(bi - start) * n..(bi - start + 1) * n]);
                let ladder = &self.alliance.ladder;
                self.base_partial_into(&mut scratch, bi, codes, ladder, w, ALL, None, r);
                acc.add(&scratch, 1);
                let b = Base::from_index(bi);
                if b.actor == STATE {
                    let at = ((usize::from(b.effects) * SEVERITY_N + usize::from(b.severity))
                        * ATTRIBUTION_N
                        + usize::from(b.attribution))
                        * (rungs + 1);
                    for (x, y) in heat[at..at + rungs + 1].iter_mut().zip(&scratch.heat) {
                        *x += y;
                    }
                }
            }
            (acc, heat)
        };
        let chunks = BASE_CELLS.div_ceil(CHUNK);
        let parts: Vec<(Partial, Vec<f64>)> = match masks {
            Some(m) => m
                .par_chunks_mut(CHUNK * n)
                .enumerate()
                .map(|(c, rec)| work(c, Some(rec)))
                .collect(),
            None => (0..chunks).into_par_iter().map(|c| work(c, None)).collect(),
        };
        let mut sum = Partial::new(rungs, n);
        let mut flat = vec![0.0; heat_len];
        for (p, h) in &parts {
            sum.add(p, 1);
            for (x, y) in flat.iter_mut().zip(h) {
                *x += y;
            }
        }
        // heat[effects][severity][attribution][rung+1], normalised per cell
        let mut heat = vec![vec![vec![vec![0.0; rungs + 1]; ATTRIBUTION_N]; SEVERITY_N]; EFFECTS_N];
        for (e, per_e) in heat.iter_mut().enumerate() {
            for (s, per_s) in per_e.iter_mut().enumerate() {
                for (a, cell) in per_s.iter_mut().enumerate() {
                    let at = ((e * SEVERITY_N + s) * ATTRIBUTION_N + a) * (rungs + 1);
                    let src = &flat[at..at + rungs + 1];
                    let t: f64 = src.iter().sum();
                    if t > 0.0 {
                        cell.iter_mut().zip(src).for_each(|(x, y)| *x = y / t);
                    }
                }
            }
        }
        (sum, heat)
    }

    /// The metrics and, per cell, which rungs are adopted, rift and veto cells: what
    /// incremental trials ([`crate::harmonise`]) start from.
    pub(crate) fn baseline(&self, table: StanceTable, w: &Weights) -> Baseline {
        let n = self.n();
        let mut masks = vec![CellMasks::default(); BASE_CELLS * n];
        let (sum, heat) = self.accumulate(&table, w, Some(&mut masks));
        let metrics = self.finish(&sum, heat);
        Baseline {
            table,
            masks,
            sum,
            metrics,
        }
    }

    /// The metrics if rung `r` were `rung` and the members in `columns` had these stance
    /// codes on it (member, codes in base order; the others keep theirs). Only base cells
    /// whose codes change are re-evaluated, and in them only rung `r` and the rungs that
    /// require it (directly or not): the baseline's sums minus their old part plus their
    /// new one. Exact whenever the weights' sums are (uniform weights, or weights that are
    /// multiples of a power of two); charts' heat is not computed.
    pub(crate) fn trial(
        &self,
        base: &Baseline,
        w: &Weights,
        r: usize,
        rung: &concord_policy::Rung,
        columns: &[(usize, Vec<Code>)],
    ) -> Metrics {
        let (n, rungs) = (self.n(), self.rungs());
        let mut ladder = self.alliance.ladder.clone();
        ladder[r] = rung.clone();
        let same_rung = *rung == self.alliance.ladder[r];
        let mut eval = 1u64 << r;
        for (q, x) in ladder.iter().enumerate().skip(r + 1) {
            if x.requires.iter().any(|p| eval & (1 << p) != 0) {
                eval |= 1 << q;
            }
        }
        let scratch = || {
            (
                Partial::new(rungs, n),
                Partial::new(rungs, n),
                Partial::new(rungs, n),
                Vec::<Code>::new(),
            )
        };
        let delta = (0..BASE_CELLS)
            .into_par_iter()
            .fold(
                scratch,
                |(mut acc, mut before, mut after, mut codes), bi| {
                    let old = &base.table.codes[bi * rungs * n..(bi + 1) * rungs * n];
                    let changed =
                        !same_rung || columns.iter().any(|(m, col)| col[bi] != old[r * n + m]);
                    if changed {
                        codes.clear();
                        codes.extend_from_slice(old);
                        for (m, col) in columns {
                            codes[r * n + m] = col[bi];
                        }
                        let known = &base.masks[bi * n..(bi + 1) * n];
                        let orig = &self.alliance.ladder;
                        self.base_partial_into(
                            &mut before,
                            bi,
                            old,
                            orig,
                            w,
                            eval,
                            Some(known),
                            None,
                        );
                        self.base_partial_into(
                            &mut after,
                            bi,
                            &codes,
                            &ladder,
                            w,
                            eval,
                            Some(known),
                            None,
                        );
                        acc.add_rungs(&before, -1, eval, n);
                        acc.add_rungs(&after, 1, eval, n);
                    }
                    (acc, before, after, codes)
                },
            )
            .map(|(acc, ..)| acc)
            .reduce(
                || Partial::new(rungs, n),
                |mut a, b| {
                    a.add_rungs(&b, 1, eval, n);
                    a
                },
            );
        let mut sum = base.sum.clone();
        sum.add_rungs(&delta, 1, eval, n);
        let mut m = self.finish_with(&sum, Vec::new(), &ladder);
        for (q, o) in m.options.iter_mut().enumerate() {
            if eval & (1 << q) == 0 {
                o.clone_from(&base.metrics.options[q]);
            }
        }
        m
    }

    /// The partial sums of one base cell over its named victims, into `p`, for the rungs
    /// in `eval` (a bit set); the other rungs' adoption, rift and veto come from `known`.
    /// `record` receives each victim's masks. The parts of the rungs in `eval` (and overall
    /// and heat) are overwritten; the other rungs' parts are left as they are.
    #[allow(clippy::too_many_arguments)]
    fn base_partial_into(
        &self,
        p: &mut Partial,
        bi: usize,
        codes: &[Code],
        ladder: &[concord_policy::Rung],
        w: &Weights,
        eval: u64,
        known: Option<&[CellMasks]>,
        mut record: Option<&mut [CellMasks]>,
    ) {
        let (n, rungs) = (self.n(), self.rungs());
        p.clear(eval, n);
        p.all = 0.0;
        let b = Base::from_index(bi);
        let wb = b.weight(w);
        let evaluated = |r: usize| eval & (1 << r) != 0;
        // base counts, every member not affected
        let mut base = vec![RungCounts::default(); rungs];
        let mut reason_counts = vec![[0i32; REASON_N]; rungs];
        for r in (0..rungs).filter(|r| evaluated(*r)) {
            let c = &mut base[r];
            for m in 0..n {
                let x = codes[r * n + m];
                match stance_bits(x, false) {
                    SUP => {
                        c.support += 1;
                        c.capable += usize::from(self.capable[r * n + m]);
                    }
                    BLK => {
                        c.block += 1;
                        let rs = reasons_bits(x, false);
                        for (k, rc) in reason_counts[r].iter_mut().enumerate() {
                            *rc += i32::from(rs >> k & 1);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut adopted = vec![false; rungs];
        for v in 0..n {
            let victims = &self.victims[usize::from(b.ma)][v];
            let wc = wb * w.victim[v];
            p.all += wc;
            let mut masks = known.map_or_else(CellMasks::default, |k| k[v]);
            masks.rift &= !eval;
            masks.veto &= !eval;
            let mut highest: Option<usize> = None;
            for (r, rung) in ladder.iter().enumerate() {
                if !evaluated(r) {
                    adopted[r] = masks.adopted & (1 << r) != 0;
                    if adopted[r] {
                        highest = Some(r);
                    }
                    continue;
                }
                let mut c = base[r];
                let mut rc = reason_counts[r];
                for &m in victims {
                    let x = codes[r * n + m];
                    let (before, after) = (stance_bits(x, false), stance_bits(x, true));
                    let cap = usize::from(self.capable[r * n + m]);
                    match before {
                        SUP => {
                            c.support -= 1;
                            c.capable -= cap;
                        }
                        BLK => {
                            c.block -= 1;
                            let rs = reasons_bits(x, false);
                            for (k, x) in rc.iter_mut().enumerate() {
                                *x -= i32::from(rs >> k & 1);
                            }
                        }
                        _ => {}
                    }
                    match after {
                        SUP => {
                            c.support += 1;
                            c.capable += cap;
                            c.victim_supports = true;
                        }
                        BLK => {
                            c.block += 1;
                            let rs = reasons_bits(x, true);
                            for (k, x) in rc.iter_mut().enumerate() {
                                *x += i32::from(rs >> k & 1);
                            }
                        }
                        _ => {}
                    }
                }
                let mut missing = missing_bits(rung, &c);
                if rung.requires.iter().any(|q| !adopted[*q]) {
                    missing |= missing_bit::REQUIRES;
                }
                let ok = missing == 0;
                adopted[r] = ok;
                masks.adopted = (masks.adopted & !(1 << r)) | (u64::from(ok) << r);
                if ok {
                    p.adopted[r] += wc;
                    highest = Some(r);
                } else {
                    if c.victim_supports {
                        p.unmet[r] += wc;
                    }
                    if b.actor == STATE {
                        let a = r * ATTRIBUTION_N + usize::from(b.attribution);
                        p.ceiling[a * SEVERITY_N + usize::from(b.severity)] += 1;
                    }
                }
                for (k, (_, bit)) in MISSING_KINDS.iter().enumerate() {
                    if missing & bit != 0 {
                        p.missing[r * MISSING_KINDS.len() + k] += wc;
                    }
                }
                if rung.rule != Rule::Consensus {
                    continue;
                }
                if 2 * c.support > n && c.block >= 1 {
                    p.rift[r] += wc;
                    masks.rift |= 1 << r;
                }
                if missing == missing_bit::BLOCK {
                    p.veto[r] += wc;
                    masks.veto |= 1 << r;
                    for (k, x) in rc.iter().enumerate() {
                        if *x > 0 {
                            p.blocked_by[r * REASON_N + k] += wc;
                        }
                    }
                    if c.block == 1 {
                        if let Some(m) = self.only_blocker(codes, r, victims) {
                            p.pivotal[r * n + m] += 1;
                        }
                    }
                }
            }
            if masks.rift != 0 {
                p.overall_rift += wc;
            }
            if masks.veto != 0 {
                p.overall_veto += wc;
            }
            if b.actor == STATE {
                p.heat[highest.map_or(0, |h| h + 1)] += wc;
            }
            if let Some(rec) = record.as_deref_mut() {
                rec[v] = masks;
            }
        }
    }

    /// The one blocker of rung `r` in a cell with these victims (when there is one).
    fn only_blocker(&self, codes: &[Code], r: usize, victims: &[usize]) -> Option<usize> {
        let n = self.n();
        victims
            .iter()
            .copied()
            .find(|m| stance_bits(codes[r * n + m], true) == BLK)
            .or_else(|| {
                (0..n).find(|m| !victims.contains(m) && stance_bits(codes[r * n + m], false) == BLK)
            })
    }

    fn finish(&self, sum: &Partial, heat: Vec<Vec<Vec<Vec<f64>>>>) -> Metrics {
        self.finish_with(sum, heat, &self.alliance.ladder)
    }

    /// The metrics document from the sums over the whole space.
    fn finish_with(
        &self,
        sum: &Partial,
        heat: Vec<Vec<Vec<Vec<f64>>>>,
        ladder: &[concord_policy::Rung],
    ) -> Metrics {
        let n = self.n();
        // the weight of every cell as the counts were summed (see `Partial::all`)
        let total = sum.all;
        let frac = |x: f64| if total > 0.0 { x / total } else { 0.0 };
        let options = ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| {
                let consensus = rung.rule == Rule::Consensus;
                OptionMetrics {
                    id: rung.id.clone(),
                    rift_index: if consensus { frac(sum.rift[r]) } else { 0.0 },
                    veto_index: if consensus { frac(sum.veto[r]) } else { 0.0 },
                    adopted_share: frac(sum.adopted[r]),
                    victim_unmet: frac(sum.unmet[r]),
                    blocked_by: REASONS
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| consensus && sum.blocked_by[r * REASON_N + k] > 0.0)
                        .map(|(k, word)| (*word, frac(sum.blocked_by[r * REASON_N + k])))
                        .collect(),
                    missing_share: MISSING_KINDS
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| sum.missing[r * MISSING_KINDS.len() + k] > 0.0)
                        .map(|(k, (word, _))| {
                            (*word, frac(sum.missing[r * MISSING_KINDS.len() + k]))
                        })
                        .collect(),
                    pivotal: (0..n)
                        .filter(|m| consensus && sum.pivotal[r * n + m] > 0)
                        .map(|m| {
                            (
                                self.alliance.members[m].code.clone(),
                                sum.pivotal[r * n + m].unsigned_abs(),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        let ceiling = ladder
            .iter()
            .enumerate()
            .map(|(r, rung)| {
                let per = ATTRIBUTION
                    .iter()
                    .enumerate()
                    .map(|(a, name)| {
                        let counts =
                            &sum.ceiling[(r * ATTRIBUTION_N + a) * SEVERITY_N..][..SEVERITY_N];
                        let top = counts.iter().rposition(|c| *c > 0).map(|s| SEVERITY[s]);
                        (*name, top)
                    })
                    .collect();
                (rung.id.clone(), per)
            })
            .collect();
        Metrics {
            cells: (BASE_CELLS * n) as u64,
            rift_index: frac(sum.overall_rift),
            veto_index: frac(sum.overall_veto),
            options,
            ceiling,
            heat,
        }
    }
}

/// The ceiling document from `[rung * 4 + attribution]` -> max severity + 1.
pub(crate) fn ceiling_map(
    alliance: &Alliance,
    ceiling: &[u8],
) -> BTreeMap<String, BTreeMap<&'static str, Option<&'static str>>> {
    alliance
        .ladder
        .iter()
        .enumerate()
        .map(|(r, rung)| {
            let per = ATTRIBUTION
                .iter()
                .enumerate()
                .map(|(a, name)| {
                    let c = ceiling[r * ATTRIBUTION_N + a];
                    (*name, (c > 0).then(|| SEVERITY[usize::from(c - 1)]))
                })
                .collect();
            (rung.id.clone(), per)
        })
        .collect()
}

const _: () = assert!(SECTOR.len() == 12);
