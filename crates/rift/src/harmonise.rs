//! Harmonisation: the fewest single-level edits of threshold comparisons (`<`, `<=`, `>`,
//! `>=` on ordinal dimensions) in member policies that cut the overall rift index most.
//! Greedy: each round scores every candidate edit incrementally (only the edited member's
//! stances on one rung are re-evaluated), applies the best, and verifies it by
//! recomputing the metrics from scratch.

use crate::engine::Engine;
use crate::space::Weights;
use concord_policy::lang::{CmpOp, Cond};
use concord_policy::{Alliance, PolicySet, Rule};
use serde::Serialize;

/// One proposed edit, verified.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub member: String,
    pub file: String,
    /// `stance.<option>.<support|block>`
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
        Cond::And(a, b) | Cond::Or(a, b) => thresholds(a) + thresholds(b),
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
            *k -= 1;
            c.clone()
        }
        Cond::Not(a) => Cond::Not(Box::new(edit(a, k, up)?)),
        Cond::And(a, b) => Cond::And(Box::new(edit(a, k, up)?), Box::new(edit(b, k, up)?)),
        Cond::Or(a, b) => Cond::Or(Box::new(edit(a, k, up)?), Box::new(edit(b, k, up)?)),
        other => other.clone(),
    })
}

/// Up to `k` verified proposals, best first.
pub fn propose(alliance: &Alliance, policies: &PolicySet, w: &Weights, k: usize) -> Vec<Proposal> {
    let mut current = policies.clone();
    let mut out = Vec::new();
    for _ in 0..k {
        let engine = Engine::new(alliance, &current);
        let st = engine.state(w);
        if st.total <= 0.0 || st.overall <= 0.0 {
            break;
        }
        // (weight, member, rung, is_block, new condition)
        let mut best: Option<(f64, usize, usize, bool, Cond)> = None;
        for (m, p) in current.by_member.iter().enumerate() {
            let Some(p) = p else { continue };
            for (r, rung) in alliance.ladder.iter().enumerate() {
                if rung.rule != Rule::Consensus {
                    continue;
                }
                let s = &p.stances[r];
                for is_block in [true, false] {
                    let Some(c) = (if is_block {
                        s.block.as_ref()
                    } else {
                        s.support.as_ref()
                    }) else {
                        continue;
                    };
                    for idx in 0..thresholds(c) {
                        for up in [false, true] {
                            let mut kk = idx;
                            let Some(nc) = edit(c, &mut kk, up) else {
                                continue;
                            };
                            let (sup, blk) = if is_block {
                                (s.support.as_ref(), Some(&nc))
                            } else {
                                (Some(&nc), s.block.as_ref())
                            };
                            let weight = engine.trial(&st, w, m, r, sup, blk);
                            if weight < st.overall - 1e-12
                                && best.as_ref().is_none_or(|b| weight < b.0)
                            {
                                best = Some((weight, m, r, is_block, nc));
                            }
                        }
                    }
                }
            }
        }
        let Some((_, m, r, is_block, nc)) = best else {
            break;
        };
        let before_index = st.overall / st.total;
        let mut next = current.clone();
        let Some(p) = next.by_member[m].as_mut() else {
            break;
        };
        let slot = if is_block {
            &mut p.stances[r].block
        } else {
            &mut p.stances[r].support
        };
        let before_text = slot.as_ref().map(Cond::to_text).unwrap_or_default();
        *slot = Some(nc.clone());
        let file = p.file.clone();
        // verify by recomputing everything
        let after = crate::rift(alliance, &next, w).rift_index;
        out.push(Proposal {
            member: alliance.members[m].code.clone(),
            file,
            key: format!(
                "stance.{}.{}",
                alliance.ladder[r].id,
                if is_block { "block" } else { "support" }
            ),
            before: before_text,
            after: nc.to_text(),
            rift_before: before_index,
            rift_after: after,
        });
        current = next;
    }
    out
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
        let field = p.key.rsplit('.').next().unwrap_or("support");
        let table = p.key.rsplit_once('.').map_or("", |x| x.0);
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
