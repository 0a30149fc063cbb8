//! The bottom line up front: what can be agreed now, what is blocked, by whom, why, and
//! what would unblock it.

use concord_policy::decide::Missing;
use concord_policy::explain::{self, Summary};
use concord_policy::whatif::Flip;
use concord_policy::{Alliance, Decision, OptionOutcome, Reason};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// An option that is not adopted, and what would change that.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Held {
    pub id: String,
    pub option: String,
    /// What keeps it from adoption, in words.
    pub missing: Vec<String>,
    /// Blocked: each blocker with its reasons and the condition that decided it.
    pub blockers: Vec<Blocker>,
    /// What would unblock it: more attribution, single changes of the situation that
    /// adopt it, and the positions that would have to change.
    pub unblock: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Blocker {
    pub member: String,
    pub reasons: String,
    pub why: String,
}

/// What a staff officer reads first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bluf {
    /// The package the alliance can agree now (full names), lowest first.
    pub agree_now: Vec<String>,
    /// The highest adopted rung (full name).
    pub highest: Option<String>,
    /// Not adopted because someone objects (consensus rungs).
    pub blocked: Vec<Held>,
    /// Not adopted for another reason (support, request, contributors, a lower rung).
    pub unsupported: Vec<Held>,
    /// The next step up the ladder (id), if any.
    pub next: Option<String>,
    /// One sentence: agree the package; the next step and what it lacks.
    pub recommendation: String,
}

fn unblock_lines(
    o: &OptionOutcome,
    d: &Decision,
    flips: &BTreeMap<String, Vec<Flip>>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((level, flips)) = d
        .paths
        .iter()
        .find(|p| p.option == o.id)
        .and_then(|p| p.attribution.map(|l| (l, &p.flips)))
    {
        out.push(match flips.len() {
            0 => format!("attribution {level}"),
            1..=5 => format!(
                "attribution {level} ({} would change {})",
                flips.join(", "),
                if flips.len() == 1 {
                    "its stance"
                } else {
                    "their stances"
                }
            ),
            n => format!("attribution {level} ({n} members would change their stances)"),
        });
    }
    for f in flips
        .get(&o.id)
        .into_iter()
        .flatten()
        .filter(|f| !f.before && f.after)
        .take(4)
    {
        let c = &f.change;
        out.push(format!(
            "if the {} were {} (now {})",
            c.dimension, c.to, c.from
        ));
    }
    if !o.block.is_empty() && o.block.len() <= 5 {
        out.push(format!(
            "or if {} changed {} position",
            o.block.join(" and "),
            if o.block.len() == 1 { "its" } else { "their" }
        ));
    }
    out
}

/// The bottom line of a decision. `flips`: the decision's sensitivity (single changes that
/// flip a rung), from [`concord_policy::whatif::sensitivity`].
pub fn bluf(
    alliance: &Alliance,
    d: &Decision,
    sum: &Summary,
    flips: &BTreeMap<String, Vec<Flip>>,
) -> Bluf {
    let mut blocked = Vec::new();
    let mut unsupported = Vec::new();
    for o in d.options.iter().filter(|o| !o.adopted) {
        let held = Held {
            id: o.id.clone(),
            option: o.option.clone(),
            missing: explain::missing_phrases(alliance, o),
            blockers: o
                .block
                .iter()
                .map(|m| Blocker {
                    member: m.clone(),
                    reasons: o
                        .reasons
                        .get(m)
                        .map(|r| r.iter().map(Reason::phrase).collect::<Vec<_>>().join("; "))
                        .unwrap_or_default(),
                    why: o.why.get(m).cloned().unwrap_or_default(),
                })
                .collect(),
            unblock: unblock_lines(o, d, flips),
        };
        if o.missing.iter().any(|m| m.what == Missing::Block) {
            blocked.push(held);
        } else {
            unsupported.push(held);
        }
    }
    Bluf {
        agree_now: sum.package.iter().map(|n| n.option.clone()).collect(),
        highest: d
            .highest_adopted
            .as_ref()
            .and_then(|h| d.option(h))
            .map(|o| o.option.clone()),
        blocked,
        unsupported,
        next: sum.next.as_ref().map(|n| n.id.clone()),
        recommendation: recommendation(sum),
    }
}

/// Agree what can be agreed now; the next step and what it lacks.
pub fn recommendation(sum: &Summary) -> String {
    let mut r = if sum.package.is_empty() {
        "The alliance cannot agree any option now; continue consultations and information sharing."
            .to_string()
    } else {
        format!(
            "Agree now the {} option(s) that can be adopted, up to {}.",
            sum.package.len(),
            sum.package.last().map_or("", |n| n.option.as_str())
        )
    };
    if let Some(next) = &sum.next {
        let _ = write!(
            r,
            " The next step, {}, is not agreed: {}.",
            next.option,
            next.missing.join("; ")
        );
        if let Some(p) = &next.path {
            let _ = write!(r, " With more attribution evidence: {p}.");
        }
    }
    r
}
