//! Harmonisation: the fewest single-level edits of threshold comparisons (`<`, `<=`, `>`,
//! `>=` on ordinal dimensions) in member policies that cut the overall rift index most.
//! Greedy: each round scores every candidate edit incrementally (only the edited member's
//! stances on one rung, and the rungs that require it, are re-evaluated), applies the
//! best, and verifies it by recomputing the metrics from scratch.

use crate::engine::Engine;
use crate::space::Weights;
use concord_policy::lang::{CmpOp, Cond};
use concord_policy::{Alliance, PolicySet, Reason, Rule};
use serde::Serialize;

/// One proposed edit, verified.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub member: String,
    pub file: String,
    /// `stance.<option>.<support|block>` (`stance.<option>.block.<reason>` for a reason).
    pub key: String,
    pub before: String,
    pub after: String,
    /// Overall rift index before and after this edit (after: recomputed from scratch).
    pub rift_before: f64,
    pub rift_after: f64,
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
fn edit(c: &Cond, k: &mut usize, up: bool) -> Option<Cond> {
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
        Cond::Not(a) => Cond::Not(Box::new(edit(a, k, up)?)),
        Cond::And(xs) => Cond::and(
            xs.iter()
                .map(|x| edit(x, k, up))
                .collect::<Option<Vec<_>>>()?,
        ),
        Cond::Or(xs) => Cond::or(
            xs.iter()
                .map(|x| edit(x, k, up))
                .collect::<Option<Vec<_>>>()?,
        ),
        other => other.clone(),
    })
}

/// Which condition of a stance: the support, or the block of one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Support,
    Block(Reason),
}

fn slot_key(rung: &str, slot: Slot, single_block: bool) -> String {
    match slot {
        Slot::Support => format!("stance.{rung}.support"),
        Slot::Block(_) if single_block => format!("stance.{rung}.block"),
        Slot::Block(r) => format!("stance.{rung}.block.{}", r.word()),
    }
}

/// Up to `k` verified proposals, best first.
pub fn propose(alliance: &Alliance, policies: &PolicySet, w: &Weights, k: usize) -> Vec<Proposal> {
    let mut current = policies.clone();
    let mut out = Vec::new();
    for _ in 0..k {
        let engine = Engine::new(alliance, &current);
        let base = engine.baseline(engine.table(), w);
        let before = base.metrics.rift_index;
        if before <= 0.0 {
            break;
        }
        // (rift index, member, rung, slot, new condition)
        let mut best: Option<(f64, usize, usize, Slot, Cond)> = None;
        for (m, p) in current.by_member.iter().enumerate() {
            let Some(p) = p else { continue };
            for (r, rung) in alliance.ladder.iter().enumerate() {
                if rung.rule != Rule::Consensus {
                    continue;
                }
                let s = &p.stances[r];
                let slots: Vec<(Slot, &Cond)> = s
                    .support
                    .iter()
                    .map(|c| (Slot::Support, c))
                    .chain(s.block.iter().map(|(x, c)| (Slot::Block(*x), c)))
                    .collect();
                for (slot, c) in slots {
                    for idx in 0..thresholds(c) {
                        for up in [false, true] {
                            let mut kk = idx;
                            let Some(nc) = edit(c, &mut kk, up) else {
                                continue;
                            };
                            let mut trial = current.clone();
                            apply(&mut trial, m, r, slot, nc.clone());
                            let engine2 = &engine;
                            let column = |b, codes: &mut [u16]| {
                                codes[m] = engine2.code(&trial, m, r, b);
                            };
                            let after = engine.trial(&base, w, r, rung, &column).rift_index;
                            if after < before - 1e-12 && best.as_ref().is_none_or(|b| after < b.0) {
                                best = Some((after, m, r, slot, nc));
                            }
                        }
                    }
                }
            }
        }
        let Some((_, m, r, slot, nc)) = best else {
            break;
        };
        let mut next = current.clone();
        let Some(p) = next.get(m) else { break };
        let old = p.stances[r].clone();
        let file = p.file.clone();
        let before_text = match slot {
            Slot::Support => old.support.as_ref().map(Cond::to_text),
            Slot::Block(x) => old.block_for(x).map(Cond::to_text),
        }
        .unwrap_or_default();
        let single_block = old.block.len() == 1 && old.block[0].0 == Reason::Policy;
        apply(&mut next, m, r, slot, nc.clone());
        // verify by recomputing everything
        let after = crate::rift(alliance, &next, w).rift_index;
        out.push(Proposal {
            member: alliance.members[m].code.clone(),
            file,
            key: slot_key(&alliance.ladder[r].id, slot, single_block),
            before: before_text,
            after: nc.to_text(),
            rift_before: before,
            rift_after: after,
        });
        current = next;
    }
    out
}

fn apply(set: &mut PolicySet, m: usize, r: usize, slot: Slot, c: Cond) {
    if let Some(Some(p)) = set.by_member.get_mut(m) {
        match slot {
            Slot::Support => p.stances[r].support = Some(c),
            Slot::Block(x) => p.stances[r].set_block(x, Some(c)),
        }
    }
}

/// Print proposals as diffs of the policy text.
pub fn print(out: &mut impl std::io::Write, proposals: &[Proposal]) -> std::io::Result<()> {
    writeln!(
        out,
        "\nharmonisation: {} proposal(s), each verified by recomputing the whole space",
        proposals.len()
    )?;
    if proposals.is_empty() {
        writeln!(out, "no single-level threshold edit lowers the rift index")?;
    }
    for (i, p) in proposals.iter().enumerate() {
        let (table, field) = p.key.rsplit_once('.').unwrap_or(("", "support"));
        writeln!(
            out,
            "\n{}. {} ({}): rift index {:.6} -> {:.6}",
            i + 1,
            p.member,
            p.key,
            p.rift_before,
            p.rift_after
        )?;
        writeln!(out, "--- a/{}\n+++ b/{}\n@@ [{}] @@", p.file, p.file, table)?;
        writeln!(
            out,
            "-{field} = \"{}\"\n+{field} = \"{}\"",
            p.before, p.after
        )?;
    }
    Ok(())
}

/// The metrics of `edited` computed incrementally from `policies`'s baseline, when the two
/// differ only on rung `r` (a test hook for the incremental trials; exact).
pub fn trial_metrics(
    alliance: &Alliance,
    policies: &PolicySet,
    edited: &PolicySet,
    w: &Weights,
    r: usize,
) -> crate::Metrics {
    let engine = Engine::new(alliance, policies);
    let base = engine.baseline(engine.table(), w);
    let edited_engine = Engine::new(alliance, edited);
    let column = |b, codes: &mut [u16]| {
        for (m, c) in codes.iter_mut().enumerate() {
            *c = edited_engine.code(edited, m, r, b);
        }
    };
    engine.trial(&base, w, r, &alliance.ladder[r], &column)
}
