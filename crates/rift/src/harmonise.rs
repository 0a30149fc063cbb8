//! Harmonisation (DESIGN 7, v2): which policy edits would close the gap. Four kinds of
//! edit are searched, each a single change:
//! - `threshold`: a threshold comparison (`<`, `<=`, `>`, `>=` on an ordinal dimension) in a
//!   member's support or block condition moved by one level;
//! - `clause`: one operand of an `and` or `or` deleted from a member's support or block
//!   condition;
//! - `rule`: a consensus rung's rule changed to a qualified majority (`coalition:N/2+1`);
//! - `abstain`: a member's block on a rung turned into abstention when it is not among the
//!   victims (constructive abstention; in NATO, choosing not to break silence).
//!
//! Candidates are scored by the cut in overall rift index plus overall veto index plus the
//! mean over rungs of `victim_unmet`, and kept only when none of the three gets worse (a
//! rule change that ends vetoes by making adoption harder is no proposal); each is computed
//! incrementally (only base cells whose
//! stance codes change are re-evaluated, and in them only the edited rung and the rungs that
//! require it). `--harmonise K` applies the best K greedily; each applied edit is verified by
//! recomputing the whole space, and the figures before and after are those recomputations.

use crate::engine::{Baseline, Engine};
use crate::space::Weights;
use crate::Metrics;
use concord_policy::cases::{self, Case};
use concord_policy::lang::{CmpOp, Cond};
use concord_policy::{Alliance, Forum, PolicySet, Reason, Rule, Rung};
use rayon::prelude::*;
use serde::Serialize;

/// Which condition of a stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Support,
    Block(Reason),
}

/// One single edit of an alliance and its policy set.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Member `m`'s condition in `slot` on rung `r` replaced by `cond` (a threshold moved or
    /// a clause deleted).
    Condition {
        kind: &'static str,
        m: usize,
        r: usize,
        slot: Slot,
        cond: Cond,
    },
    /// Rung `r`'s rule changed.
    Rule { r: usize, rule: Rule },
    /// Member `m` abstains on rung `r` where it would block while not a victim.
    Abstain { m: usize, r: usize },
}

impl Edit {
    fn rung(&self) -> usize {
        match self {
            Edit::Condition { r, .. } | Edit::Rule { r, .. } | Edit::Abstain { r, .. } => *r,
        }
    }
    fn member(&self) -> Option<usize> {
        match self {
            Edit::Condition { m, .. } | Edit::Abstain { m, .. } => Some(*m),
            Edit::Rule { .. } => None,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Edit::Condition { kind, .. } => kind,
            Edit::Rule { .. } => "rule",
            Edit::Abstain { .. } => "abstain",
        }
    }

    /// Apply to a copy of the alliance and policy set.
    pub fn apply(&self, alliance: &Alliance, set: &PolicySet) -> (Alliance, PolicySet) {
        let mut a = alliance.clone();
        let mut p = set.clone();
        match self {
            Edit::Condition {
                m, r, slot, cond, ..
            } => {
                if let Some(Some(x)) = p.by_member.get_mut(*m) {
                    match slot {
                        Slot::Support => x.stances[*r].support = Some(cond.clone()),
                        Slot::Block(reason) => x.stances[*r].set_block(*reason, Some(cond.clone())),
                    }
                }
            }
            Edit::Rule { r, rule } => a.ladder[*r].rule = *rule,
            Edit::Abstain { m, r } => {
                if let Some(Some(x)) = p.by_member.get_mut(*m) {
                    // block' = affected_self and block; support' = support and
                    // (affected_self or not block), with affected_self fixed where it is
                    // known, so the edit reads as a person would write it
                    let s = &mut x.stances[*r];
                    let unaffected_block =
                        Cond::or(s.block.iter().map(|(_, c)| c.clone())).assume_affected(false);
                    let block: Vec<(Reason, Cond)> = s
                        .block
                        .iter()
                        .filter_map(|(reason, c)| {
                            let c = Cond::and([Cond::AffectedSelf, c.assume_affected(true)])
                                .simplified();
                            (c != Cond::False).then_some((*reason, c))
                        })
                        .collect();
                    s.block = block;
                    s.support = s.support.take().map(|sup| {
                        Cond::and([
                            sup,
                            Cond::or([Cond::AffectedSelf, Cond::Not(Box::new(unaffected_block))]),
                        ])
                        .simplified()
                    });
                }
            }
        }
        (a, p)
    }
}

/// The figures a proposal is judged by.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Figures {
    pub rift_index: f64,
    pub veto_index: f64,
    /// Mean over the rungs of `victim_unmet`.
    pub victim_unmet: f64,
    /// The edited rung's own figures.
    pub rung_rift_index: f64,
    pub rung_veto_index: f64,
    pub rung_victim_unmet: f64,
    pub rung_adopted_share: f64,
}

impl Figures {
    pub fn of(m: &Metrics, r: usize) -> Figures {
        let o = &m.options[r];
        let n = m.options.len().max(1) as f64;
        Figures {
            rift_index: m.rift_index,
            veto_index: m.veto_index,
            victim_unmet: m.options.iter().map(|o| o.victim_unmet).sum::<f64>() / n,
            rung_rift_index: o.rift_index,
            rung_veto_index: o.veto_index,
            rung_victim_unmet: o.victim_unmet,
            rung_adopted_share: o.adopted_share,
        }
    }
    /// What a proposal is ranked by (lower is better).
    pub fn objective(&self) -> f64 {
        self.rift_index + self.veto_index + self.victim_unmet
    }
}

/// A known case outcome a proposal would change.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseChange {
    pub case: String,
    pub rung: String,
    pub history: bool,
    pub before: bool,
    pub after: bool,
}

/// One proposal, with its effect.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// `threshold`, `clause`, `rule` or `abstain`.
    pub kind: &'static str,
    /// The member whose policy changes (none for a rule change).
    pub member: Option<String>,
    pub rung: String,
    /// The file that changes: the member's policy file, or the alliance file.
    pub file: String,
    /// The TOML key that changes.
    pub key: String,
    pub before: String,
    pub after: String,
    pub figures_before: Figures,
    pub figures_after: Figures,
    /// Known outcomes of the built-in case library (NATO) this edit would change; `None`
    /// when the ladder does not have the library's rungs.
    pub cases: Option<Vec<CaseChange>>,
}

/// Preorder count of threshold comparisons in a condition.
fn thresholds(c: &Cond) -> usize {
    match c {
        Cond::Ord { op, .. } => usize::from(!matches!(op, CmpOp::Eq | CmpOp::Ne)),
        Cond::Not(a) => thresholds(a),
        Cond::And(xs) | Cond::Or(xs) => xs.iter().map(thresholds).sum(),
        _ => 0,
    }
}

/// The condition with its `k`-th threshold moved by one level, if that level exists.
fn move_threshold(c: &Cond, k: &mut usize, up: bool) -> Option<Cond> {
    Some(match c {
        Cond::Ord { dim, op, level } if !matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            if *k == 0 {
                *k = usize::MAX;
                let max = dim.levels().len() as u8 - 1;
                let level = if up {
                    (*level < max).then_some(level + 1)?
                } else {
                    level.checked_sub(1)?
                };
                return Some(Cond::Ord {
                    dim: *dim,
                    op: *op,
                    level,
                });
            }
            *k = k.wrapping_sub(1);
            c.clone()
        }
        Cond::Not(a) => Cond::Not(Box::new(move_threshold(a, k, up)?)),
        Cond::And(xs) => Cond::and(
            xs.iter()
                .map(|x| move_threshold(x, k, up))
                .collect::<Option<Vec<_>>>()?,
        ),
        Cond::Or(xs) => Cond::or(
            xs.iter()
                .map(|x| move_threshold(x, k, up))
                .collect::<Option<Vec<_>>>()?,
        ),
        other => other.clone(),
    })
}

/// Every condition with one operand of one `and`/`or` deleted.
fn clause_deletions(c: &Cond) -> Vec<Cond> {
    match c {
        Cond::And(xs) | Cond::Or(xs) => {
            let and = matches!(c, Cond::And(_));
            let build = |v: Vec<Cond>| if and { Cond::and(v) } else { Cond::or(v) };
            let mut out = Vec::new();
            for i in 0..xs.len() {
                let mut v = xs.clone();
                v.remove(i);
                out.push(build(v));
            }
            for (i, x) in xs.iter().enumerate() {
                for d in clause_deletions(x) {
                    let mut v = xs.clone();
                    v[i] = d;
                    out.push(build(v));
                }
            }
            out
        }
        Cond::Not(a) => clause_deletions(a)
            .into_iter()
            .map(|d| Cond::Not(Box::new(d)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every single edit of the set.
pub fn candidates(alliance: &Alliance, set: &PolicySet) -> Vec<Edit> {
    let mut out = Vec::new();
    let n = alliance.members.len();
    for (r, rung) in alliance.ladder.iter().enumerate() {
        if rung.rule == Rule::Consensus {
            out.push(Edit::Rule {
                r,
                rule: Rule::Coalition(u32::try_from(n / 2 + 1).unwrap_or(u32::MAX)),
            });
        }
    }
    for (m, p) in set.by_member.iter().enumerate() {
        let Some(p) = p else { continue };
        for (r, rung) in alliance.ladder.iter().enumerate() {
            let Some(s) = p.stances.get(r) else { continue };
            let consensus = rung.rule == Rule::Consensus;
            let mut slots: Vec<(Slot, &Cond)> =
                s.support.iter().map(|c| (Slot::Support, c)).collect();
            if consensus {
                slots.extend(s.block.iter().map(|(x, c)| (Slot::Block(*x), c)));
                if !s.block.is_empty() {
                    out.push(Edit::Abstain { m, r });
                }
            }
            for (slot, c) in slots {
                let mut seen: Vec<Cond> = vec![c.clone()];
                for idx in 0..thresholds(c) {
                    for up in [false, true] {
                        let mut k = idx;
                        if let Some(cond) = move_threshold(c, &mut k, up) {
                            if !seen.contains(&cond) {
                                seen.push(cond.clone());
                                out.push(Edit::Condition {
                                    kind: "threshold",
                                    m,
                                    r,
                                    slot,
                                    cond,
                                });
                            }
                        }
                    }
                }
                for cond in clause_deletions(c) {
                    if !seen.contains(&cond) {
                        seen.push(cond.clone());
                        out.push(Edit::Condition {
                            kind: "clause",
                            m,
                            r,
                            slot,
                            cond,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The exact metrics of an edited set, computed incrementally from the baseline.
fn trial_metrics(
    engine: &Engine<'_>,
    base: &Baseline,
    w: &Weights,
    edit: &Edit,
    alliance: &Alliance,
    set: &PolicySet,
) -> Metrics {
    let (a2, p2) = edit.apply(alliance, set);
    let r = edit.rung();
    let rung = &a2.ladder[r];
    let columns: Vec<(usize, Vec<u16>)> = match edit.member() {
        Some(m) => vec![(m, engine.column(&p2, rung, m, r))],
        None => (0..alliance.members.len())
            .map(|m| (m, engine.column(&p2, rung, m, r)))
            .collect(),
    };
    engine.trial(base, w, r, rung, &columns)
}

/// Every candidate with its figures (incremental, exact for uniform weights), best first;
/// only those that improve the objective.
pub fn rank(alliance: &Alliance, set: &PolicySet, w: &Weights) -> Vec<(Edit, Metrics)> {
    let engine = Engine::new(alliance, set);
    let base = engine.baseline(engine.table(), w);
    let before = base.metrics.clone();
    let edits = candidates(alliance, set);
    let mut scored: Vec<(f64, Edit, Metrics)> = edits
        .into_iter()
        .map(|e| {
            let m = trial_metrics(&engine, &base, w, &e, alliance, set);
            let (x, y) = (Figures::of(&before, e.rung()), Figures::of(&m, e.rung()));
            // a proposal may not make any of the three figures worse
            let worse = y.rift_index > x.rift_index + 1e-12
                || y.veto_index > x.veto_index + 1e-12
                || y.victim_unmet > x.victim_unmet + 1e-12;
            let cut = if worse {
                0.0
            } else {
                x.objective() - y.objective()
            };
            (cut, e, m)
        })
        .filter(|(cut, _, _)| *cut > 1e-12)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, e, m)| (e, m)).collect()
}

/// The result of a harmonisation run.
#[derive(Debug, Clone)]
pub struct Harmonised {
    pub proposals: Vec<Proposal>,
    pub before: Metrics,
    pub after: Metrics,
    /// The edited alliance and set (the input when nothing helps).
    pub alliance: Alliance,
    pub policies: PolicySet,
}

fn describe(edit: &Edit, alliance: &Alliance, set: &PolicySet) -> (String, String, String, String) {
    let (a2, p2) = edit.apply(alliance, set);
    let r = edit.rung();
    let rid = &alliance.ladder[r].id;
    let stance_text = |p: &PolicySet, m: usize| -> String {
        let Some(x) = p.get(m) else {
            return String::new();
        };
        let s = &x.stances[r];
        let mut lines = Vec::new();
        if let Some(c) = &s.support {
            lines.push(format!("support = \"{}\"", c.to_text()));
        }
        for (reason, c) in &s.block {
            lines.push(format!("block.{} = \"{}\"", reason.word(), c.to_text()));
        }
        lines.join("\n")
    };
    match edit {
        Edit::Condition { m, slot, .. } => {
            let file = set.get(*m).map(|p| p.file.clone()).unwrap_or_default();
            let key = match slot {
                Slot::Support => format!("stance.{rid}.support"),
                Slot::Block(x) => format!("stance.{rid}.block.{}", x.word()),
            };
            let get = |p: &PolicySet| {
                p.get(*m)
                    .and_then(|x| match slot {
                        Slot::Support => x.stances[r].support.as_ref(),
                        Slot::Block(reason) => x.stances[r].block_for(*reason),
                    })
                    .map(Cond::to_text)
                    .unwrap_or_default()
            };
            (file, key, get(set), get(&p2))
        }
        Edit::Abstain { m, .. } => {
            let file = set.get(*m).map(|p| p.file.clone()).unwrap_or_default();
            (
                file,
                format!("stance.{rid}"),
                stance_text(set, *m),
                stance_text(&p2, *m),
            )
        }
        Edit::Rule { .. } => (
            "alliance".to_string(),
            format!("rung.{rid}.rule"),
            alliance.ladder[r].rule.text(),
            a2.ladder[r].rule.text(),
        ),
    }
}

/// Known outcomes of the built-in case library whose NATO decision differs between two sets.
fn case_changes(
    before: (&Alliance, &PolicySet),
    after: (&Alliance, &PolicySet),
    library: &[Case],
) -> Option<Vec<CaseChange>> {
    let forum = |a: &Alliance, p: &PolicySet| Forum {
        id: "nato".into(),
        alliance: a.clone(),
        policies: p.clone(),
    };
    let x = cases::score("cases", library, &[forum(before.0, before.1)]).ok()?;
    let y = cases::score("cases", library, &[forum(after.0, after.1)]).ok()?;
    let mut out = Vec::new();
    for (cx, cy) in x.cases.iter().zip(&y.cases) {
        let (Some(fx), Some(fy)) = (cx.forums.get("nato"), cy.forums.get("nato")) else {
            continue;
        };
        for (rx, ry) in fx.rungs.iter().zip(&fy.rungs) {
            if rx.concord != ry.concord {
                out.push(CaseChange {
                    case: cx.id.clone(),
                    rung: rx.rung.clone(),
                    history: rx.history,
                    before: rx.concord,
                    after: ry.concord,
                });
            }
        }
    }
    Some(out)
}

/// Up to `k` proposals, applied greedily, each verified by recomputing the whole space.
pub fn harmonise(alliance: &Alliance, policies: &PolicySet, w: &Weights, k: usize) -> Harmonised {
    let library = cases::parse("cases", cases::BUILTIN_CASES).unwrap_or_default();
    let mut a = alliance.clone();
    let mut p = policies.clone();
    let before = crate::rift(&a, &p, w);
    let mut current = before.clone();
    let mut proposals = Vec::new();
    for _ in 0..k {
        let ranked = rank(&a, &p, w);
        let Some((edit, _)) = ranked.into_iter().next() else {
            break;
        };
        let (a2, p2) = edit.apply(&a, &p);
        let verified = crate::rift(&a2, &p2, w);
        let r = edit.rung();
        let (file, key, before_text, after_text) = describe(&edit, &a, &p);
        proposals.push(Proposal {
            kind: edit.kind(),
            member: edit.member().map(|m| a.members[m].code.clone()),
            rung: a.ladder[r].id.clone(),
            file,
            key,
            before: before_text,
            after: after_text,
            figures_before: Figures::of(&current, r),
            figures_after: Figures::of(&verified, r),
            cases: case_changes((&a, &p), (&a2, &p2), &library),
        });
        a = a2;
        p = p2;
        current = verified;
    }
    Harmonised {
        proposals,
        before,
        after: current,
        alliance: a,
        policies: p,
    }
}

/// The first round's ranked single edits as proposals (figures exact for uniform weights,
/// not applied): what the web lets a planner try one at a time.
pub fn ranked_proposals(
    alliance: &Alliance,
    policies: &PolicySet,
    w: &Weights,
    top: usize,
) -> Vec<(Proposal, Alliance, PolicySet)> {
    let library = cases::parse("cases", cases::BUILTIN_CASES).unwrap_or_default();
    let before = crate::rift(alliance, policies, w);
    rank(alliance, policies, w)
        .into_iter()
        .take(top)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(edit, m)| {
            let (a2, p2) = edit.apply(alliance, policies);
            let r = edit.rung();
            let (file, key, b, af) = describe(&edit, alliance, policies);
            let prop = Proposal {
                kind: edit.kind(),
                member: edit.member().map(|x| alliance.members[x].code.clone()),
                rung: alliance.ladder[r].id.clone(),
                file,
                key,
                before: b,
                after: af,
                figures_before: Figures::of(&before, r),
                figures_after: Figures::of(&m, r),
                cases: case_changes((alliance, policies), (&a2, &p2), &library),
            };
            (prop, a2, p2)
        })
        .collect()
}

/// Print proposals as diffs of the policy (or alliance) text.
pub fn print(out: &mut impl std::io::Write, proposals: &[Proposal]) -> std::io::Result<()> {
    writeln!(
        out,
        "\nharmonisation: {} proposal(s), applied in turn, each verified by recomputing the whole space",
        proposals.len()
    )?;
    if proposals.is_empty() {
        writeln!(
            out,
            "no single edit (threshold, clause, rule, abstention) lowers the rift, veto index or victims' unmet requests"
        )?;
    }
    for (i, p) in proposals.iter().enumerate() {
        let (b, a) = (&p.figures_before, &p.figures_after);
        writeln!(
            out,
            "\n{}. {} {}{} ({}): rift index {:.6} -> {:.6}, veto index {:.6} -> {:.6}, {} victim_unmet {:.6} -> {:.6}",
            i + 1,
            p.kind,
            p.member.as_deref().map(|m| format!("{m} ")).unwrap_or_default(),
            p.rung,
            p.key,
            b.rift_index,
            a.rift_index,
            b.veto_index,
            a.veto_index,
            p.rung,
            b.rung_victim_unmet,
            a.rung_victim_unmet
        )?;
        writeln!(out, "--- a/{}\n+++ b/{}\n@@ {} @@", p.file, p.file, p.key)?;
        for l in p.before.lines() {
            writeln!(out, "-{l}")?;
        }
        for l in p.after.lines() {
            writeln!(out, "+{l}")?;
        }
        match &p.cases {
            Some(c) if c.is_empty() => writeln!(out, "known case outcomes: none changes")?,
            Some(c) => {
                for x in c {
                    writeln!(
                        out,
                        "known case outcome changes: {} {}: {} -> {} (history: {})",
                        x.case, x.rung, x.before, x.after, x.history
                    )?;
                }
            }
            None => {}
        }
    }
    Ok(())
}

/// The metrics of `edited` computed incrementally from `policies`'s baseline, when the two
/// differ only on rung `r` (`rung` the edited rung; a test hook for the incremental trials).
pub fn trial_metrics_for(
    alliance: &Alliance,
    policies: &PolicySet,
    edited: &PolicySet,
    rung: &Rung,
    w: &Weights,
    r: usize,
) -> Metrics {
    let engine = Engine::new(alliance, policies);
    let base = engine.baseline(engine.table(), w);
    let columns: Vec<(usize, Vec<u16>)> = (0..alliance.members.len())
        .map(|m| (m, engine.column(edited, rung, m, r)))
        .collect();
    engine.trial(&base, w, r, rung, &columns)
}
