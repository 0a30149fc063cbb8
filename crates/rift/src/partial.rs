//! Partial sums of the rift metrics over base cells, added and subtracted in trials.

use crate::engine::MISSING_KINDS;
use crate::space::{ATTRIBUTION_N, SEVERITY_N};

/// Reasons for blocking (legal, threshold, capacity, risk, policy).
pub(crate) const REASON_N: usize = 5;

/// Partial sums over base cells (one, or many added together). Counts are signed so
/// that a trial can subtract a base cell's old part and add its new one.
#[derive(Clone)]
pub(crate) struct Partial {
    pub(crate) rift: Vec<f64>,
    pub(crate) veto: Vec<f64>,
    pub(crate) adopted: Vec<f64>,
    pub(crate) unmet: Vec<f64>,
    /// `[rung * 5 + reason]`
    pub(crate) blocked_by: Vec<f64>,
    /// `[rung * 5 + kind]` (support, request, block, contributors, requires)
    pub(crate) missing: Vec<f64>,
    pub(crate) overall_rift: f64,
    pub(crate) overall_veto: f64,
    /// `[rung * n + member]`
    pub(crate) pivotal: Vec<i64>,
    /// `[(rung * 4 + attribution) * 6 + severity]`: state cells where the rung is not
    /// adopted (the ceiling is the highest severity with a count above zero)
    pub(crate) ceiling: Vec<i64>,
    /// `[rung + 1]`: weight of state cells by highest adopted rung (0 = none)
    pub(crate) heat: Vec<f64>,
    /// The weight of every cell, summed in the same order as the counts above, so that a
    /// count over some cells never exceeds it (floating-point addition is monotonic) and
    /// a count over every cell equals it: shares stay within [0, 1], and are exactly 1
    /// where a figure holds everywhere.
    pub(crate) all: f64,
}

impl Partial {
    pub(crate) fn new(rungs: usize, n: usize) -> Partial {
        Partial {
            rift: vec![0.0; rungs],
            veto: vec![0.0; rungs],
            adopted: vec![0.0; rungs],
            unmet: vec![0.0; rungs],
            blocked_by: vec![0.0; rungs * REASON_N],
            missing: vec![0.0; rungs * MISSING_KINDS.len()],
            overall_rift: 0.0,
            overall_veto: 0.0,
            pivotal: vec![0; rungs * n],
            ceiling: vec![0; rungs * ATTRIBUTION_N * SEVERITY_N],
            heat: vec![0.0; rungs + 1],
            all: 0.0,
        }
    }

    /// Zero the parts of the rungs in `eval` (bits), overall and heat.
    pub(crate) fn clear(&mut self, eval: u64, n: usize) {
        let rungs = self.rift.len();
        for r in (0..rungs).filter(|r| eval & (1 << r) != 0) {
            self.rift[r] = 0.0;
            self.veto[r] = 0.0;
            self.adopted[r] = 0.0;
            self.unmet[r] = 0.0;
            self.blocked_by[r * REASON_N..(r + 1) * REASON_N].fill(0.0);
            let k = MISSING_KINDS.len();
            self.missing[r * k..(r + 1) * k].fill(0.0);
            self.pivotal[r * n..(r + 1) * n].fill(0);
            let c = ATTRIBUTION_N * SEVERITY_N;
            self.ceiling[r * c..(r + 1) * c].fill(0);
        }
        self.overall_rift = 0.0;
        self.overall_veto = 0.0;
        self.heat.fill(0.0);
    }

    /// `self += sign * other` on the rungs in `eval` (bits), overall and heat only.
    pub(crate) fn add_rungs(&mut self, other: &Partial, sign: i8, eval: u64, n: usize) {
        let (fs, is) = (f64::from(sign), i64::from(sign));
        let rungs = self.rift.len();
        for r in (0..rungs).filter(|r| eval & (1 << r) != 0) {
            self.rift[r] += fs * other.rift[r];
            self.veto[r] += fs * other.veto[r];
            self.adopted[r] += fs * other.adopted[r];
            self.unmet[r] += fs * other.unmet[r];
            for k in r * REASON_N..(r + 1) * REASON_N {
                self.blocked_by[k] += fs * other.blocked_by[k];
            }
            let km = MISSING_KINDS.len();
            for k in r * km..(r + 1) * km {
                self.missing[k] += fs * other.missing[k];
            }
            for k in r * n..(r + 1) * n {
                self.pivotal[k] += is * other.pivotal[k];
            }
            let c = ATTRIBUTION_N * SEVERITY_N;
            for k in r * c..(r + 1) * c {
                self.ceiling[k] += is * other.ceiling[k];
            }
        }
        self.overall_rift += fs * other.overall_rift;
        self.overall_veto += fs * other.overall_veto;
        for (x, y) in self.heat.iter_mut().zip(&other.heat) {
            *x += fs * y;
        }
    }

    /// `self += sign * other` (sign is 1 or -1).
    pub(crate) fn add(&mut self, other: &Partial, sign: i8) {
        let fs = f64::from(sign);
        let f =
            |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += fs * y);
        f(&mut self.rift, &other.rift);
        f(&mut self.veto, &other.veto);
        f(&mut self.adopted, &other.adopted);
        f(&mut self.unmet, &other.unmet);
        f(&mut self.blocked_by, &other.blocked_by);
        f(&mut self.missing, &other.missing);
        f(&mut self.heat, &other.heat);
        self.overall_rift += fs * other.overall_rift;
        self.overall_veto += fs * other.overall_veto;
        self.all += fs * other.all;
        let is = i64::from(sign);
        let g =
            |a: &mut Vec<i64>, b: &Vec<i64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += is * y);
        g(&mut self.pivotal, &other.pivotal);
        g(&mut self.ceiling, &other.ceiling);
    }
}
