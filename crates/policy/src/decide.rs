//! Stances, the consensus decision and the path to consensus (DESIGN 5 and 6, model v2).

use crate::alliance::{Alliance, Request, Rung};
use crate::doctrine;
use crate::lang::{Cond, Facts};
use crate::policy::{MemberPolicy, PolicySet};
use crate::reason::{Reason, Reasons};
use crate::vector::Vector;
use crate::vocab::{ATTRIBUTION, LEGAL};
use serde::Serialize;
use std::collections::BTreeMap;

/// A member's stance on an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Support,
    Block,
    Abstain,
}

impl Stance {
    pub fn word(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Block => "block",
            Stance::Abstain => "abstain",
        }
    }
}

const SOVEREIGNTY_VIOLATION: u8 = 1;

/// Whether step 1 of DESIGN 5 applies: the rung has a legal basis the member's own legal
/// class does not reach, and the member is not one that holds sovereignty to be no rule
/// facing a basis of `sovereignty_violation`.
pub fn lacks_legal_basis(policy: &MemberPolicy, rung: &Rung, legal: u8) -> bool {
    rung.legal_basis.is_some_and(|basis| {
        let exempt = basis == SOVEREIGNTY_VIOLATION && !policy.doctrine.sovereignty_rule;
        legal < basis && !exempt
    })
}

/// The stance of one member on rung `r` (DESIGN 5, first match wins) with its reasons
/// when it blocks. A member with no policy abstains on everything.
pub fn stance_of(
    policy: Option<&MemberPolicy>,
    rung: &Rung,
    r: usize,
    f: &Facts,
) -> (Stance, Reasons) {
    let Some(p) = policy else {
        return (Stance::Abstain, Reasons::NONE);
    };
    if lacks_legal_basis(p, rung, f.legal) {
        return if rung.rule == crate::Rule::Consensus {
            (Stance::Block, Reasons::only(Reason::Legal))
        } else {
            (Stance::Abstain, Reasons::NONE)
        };
    }
    let Some(s) = p.stances.get(r) else {
        return (Stance::Abstain, Reasons::NONE);
    };
    let reasons = s.block_reasons(f);
    if !reasons.is_empty() {
        (Stance::Block, reasons)
    } else if s.support.as_ref().is_some_and(|c| c.eval(f)) {
        (Stance::Support, Reasons::NONE)
    } else {
        (Stance::Abstain, Reasons::NONE)
    }
}

/// Per-member facts for a vector: each member's own legal class and affected_self.
pub fn member_facts(alliance: &Alliance, policies: &PolicySet, v: &Vector) -> Vec<Facts> {
    alliance
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Facts {
            severity: v.severity,
            attribution: v.attribution,
            effects: v.effects,
            legal: doctrine::legal_class(&policies.doctrine(i), v),
            actor: v.actor,
            sectors: v.sectors,
            members_affected: v.members_affected,
            affected_self: v.victims.contains(&m.code),
        })
        .collect()
}

/// The stance table: `[rung][member]` -> (stance, reasons).
pub fn stance_table(alliance: &Alliance, policies: &PolicySet, facts: &[Facts]) -> StanceTable {
    alliance
        .ladder
        .iter()
        .enumerate()
        .map(|(r, rung)| {
            facts
                .iter()
                .enumerate()
                .map(|(i, f)| stance_of(policies.get(i), rung, r, f))
                .collect()
        })
        .collect()
}

/// What keeps a rung from adoption (DESIGN 6 `missing`, v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    /// The rule fails for lack of support.
    Support,
    /// The rung needs a victim's request and no supporter is a victim.
    Request,
    /// Consensus and someone blocks.
    Block,
    /// Too few supporters with capacity.
    Contributors,
    /// A required lower rung (its index) is not adopted.
    Requires(usize),
}

impl Missing {
    /// The kind word (`requires` for any `requires:ID`), as in DESIGN 7 `missing_share`.
    pub fn kind(self) -> &'static str {
        match self {
            Missing::Support => "support",
            Missing::Request => "request",
            Missing::Block => "block",
            Missing::Contributors => "contributors",
            Missing::Requires(_) => "requires",
        }
    }
}

/// A missing entry with the ladder to name `requires:ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEntry {
    pub what: Missing,
    pub text: String,
}

impl Serialize for MissingEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// The counts a rung's adoption depends on, in one cell or for one vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RungCounts {
    pub support: usize,
    pub block: usize,
    /// At least one supporter is among the victims.
    pub victim_supports: bool,
    /// Supporters with capacity for the rung.
    pub capable: usize,
}

/// The kinds of missing entries as bits (for the rift engine): see [`missing_bits`].
pub mod missing_bit {
    pub const SUPPORT: u8 = 1;
    pub const REQUEST: u8 = 2;
    pub const BLOCK: u8 = 4;
    pub const CONTRIBUTORS: u8 = 8;
    pub const REQUIRES: u8 = 16;
}

/// DESIGN 6 adoption without the `requires` part: the bits of what is missing (0 = the
/// rung's own conditions hold). `requires` is checked by the caller in ladder order.
pub fn missing_bits(rung: &Rung, c: &RungCounts) -> u8 {
    use missing_bit::*;
    let mut m = 0;
    if !rung.rule.enough_support(c.support) {
        m |= SUPPORT;
    }
    if rung.request == Some(Request::Victim) && !c.victim_supports {
        m |= REQUEST;
    }
    if rung.rule == crate::Rule::Consensus && c.block >= 1 {
        m |= BLOCK;
    }
    if rung.contributors.is_some_and(|n| c.capable < n as usize) {
        m |= CONTRIBUTORS;
    }
    m
}

/// Adoption of every rung in ladder order from each rung's counts: `(adopted, missing)`.
pub fn adopt(alliance: &Alliance, counts: &[RungCounts]) -> Adoption {
    let mut out: Vec<(bool, Vec<Missing>)> = Vec::with_capacity(counts.len());
    for (rung, c) in alliance.ladder.iter().zip(counts) {
        let bits = missing_bits(rung, c);
        let mut missing = Vec::new();
        for (bit, m) in [
            (missing_bit::SUPPORT, Missing::Support),
            (missing_bit::REQUEST, Missing::Request),
            (missing_bit::BLOCK, Missing::Block),
            (missing_bit::CONTRIBUTORS, Missing::Contributors),
        ] {
            if bits & bit != 0 {
                missing.push(m);
            }
        }
        for &q in &rung.requires {
            if !out.get(q).is_some_and(|x| x.0) {
                missing.push(Missing::Requires(q));
            }
        }
        out.push((missing.is_empty(), missing));
    }
    out
}

/// The counts of every rung from a stance table.
pub fn counts(
    policies: &PolicySet,
    table: &[Vec<(Stance, Reasons)>],
    facts: &[Facts],
) -> Vec<RungCounts> {
    table
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut c = RungCounts::default();
            for (i, (s, _)) in row.iter().enumerate() {
                match s {
                    Stance::Support => {
                        c.support += 1;
                        c.victim_supports |= facts[i].affected_self;
                        c.capable += usize::from(policies.capable(i, r));
                    }
                    Stance::Block => c.block += 1,
                    Stance::Abstain => {}
                }
            }
            c
        })
        .collect()
}

/// One option's outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionOutcome {
    pub id: String,
    /// The option's full name.
    pub option: String,
    pub rule: crate::Rule,
    pub adopted: bool,
    pub support: Vec<String>,
    pub block: Vec<String>,
    pub abstain: Vec<String>,
    /// Each blocking member's reasons (DESIGN 5 order).
    pub reasons: BTreeMap<String, Reasons>,
    /// Supporters with capacity for the option (empty when the rung sets no contributors).
    pub contributors: Vec<String>,
    /// What keeps the option from adoption (empty when adopted).
    pub missing: Vec<MissingEntry>,
    /// For each member that supports or blocks: the condition (or legal rule) that decided it.
    pub why: BTreeMap<String, String>,
}

/// The lowest attribution level at which a non-adopted option would be adopted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Path {
    pub option: String,
    pub attribution: Option<&'static str>,
    pub flips: Vec<String>,
}

/// The decision of DESIGN 6.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Decision {
    pub highest_adopted: Option<String>,
    pub options: Vec<OptionOutcome>,
    pub legal: BTreeMap<String, &'static str>,
    pub paths: Vec<Path>,
    /// The vector decided on, with members_affected resolved.
    pub vector: Vector,
}

impl Decision {
    /// The outcome of the option with this id.
    pub fn option(&self, id: &str) -> Option<&OptionOutcome> {
        self.options.iter().find(|o| o.id == id)
    }
}

/// `[rung][member]` stances with reasons.
pub type StanceTable = Vec<Vec<(Stance, Reasons)>>;
/// Per rung: adopted, and what is missing.
pub type Adoption = Vec<(bool, Vec<Missing>)>;

/// Stances and adoption for one set of facts (no explanations).
fn core(alliance: &Alliance, policies: &PolicySet, facts: &[Facts]) -> (StanceTable, Adoption) {
    let table = stance_table(alliance, policies, facts);
    let c = counts(policies, &table, facts);
    let adoption = adopt(alliance, &c);
    (table, adoption)
}

fn why(
    p: Option<&MemberPolicy>,
    rung: &Rung,
    r: usize,
    st: Stance,
    reasons: Reasons,
    f: &Facts,
) -> Option<String> {
    let p = p?;
    match st {
        Stance::Abstain => None,
        Stance::Block if lacks_legal_basis(p, rung, f.legal) => Some(format!(
            "legal: no legal basis (its legal class {} is below the rung's basis {})",
            LEGAL[usize::from(f.legal)],
            rung.legal_basis.map_or("", |b| LEGAL[usize::from(b)])
        )),
        Stance::Block => {
            let s = p.stances.get(r)?;
            let parts: Vec<String> = reasons
                .iter()
                .filter_map(|x| {
                    s.block_for(x)
                        .map(|c| format!("{}: {}", x.word(), c.to_text()))
                })
                .collect();
            Some(format!("block ({})", parts.join("; ")))
        }
        Stance::Support => {
            let s = p.stances.get(r)?;
            Some(format!(
                "support: {}",
                s.support.as_ref().map(Cond::to_text).unwrap_or_default()
            ))
        }
    }
}

/// Decide on a vector.
pub fn decide(alliance: &Alliance, policies: &PolicySet, v: &Vector) -> Decision {
    let facts = member_facts(alliance, policies, v);
    let (table, adoption) = core(alliance, policies, &facts);
    let code = |i: usize| alliance.members[i].code.clone();
    let mut options = Vec::new();
    let mut highest = None;
    for (r, rung) in alliance.ladder.iter().enumerate() {
        let row = &table[r];
        let (adopted, missing) = &adoption[r];
        if *adopted {
            highest = Some(rung.id.clone());
        }
        let pick = |want: Stance| -> Vec<String> {
            row.iter()
                .enumerate()
                .filter(|(_, s)| s.0 == want)
                .map(|(i, _)| code(i))
                .collect()
        };
        let reasons = row
            .iter()
            .enumerate()
            .filter(|(_, s)| s.0 == Stance::Block)
            .map(|(i, s)| (code(i), s.1))
            .collect();
        let contributors = if rung.contributors.is_some() {
            row.iter()
                .enumerate()
                .filter(|(i, s)| s.0 == Stance::Support && policies.capable(*i, r))
                .map(|(i, _)| code(i))
                .collect()
        } else {
            Vec::new()
        };
        let why = row
            .iter()
            .enumerate()
            .filter_map(|(i, (st, rs))| {
                why(policies.get(i), rung, r, *st, *rs, &facts[i]).map(|w| (code(i), w))
            })
            .collect();
        options.push(OptionOutcome {
            id: rung.id.clone(),
            option: rung.option.clone(),
            rule: rung.rule,
            adopted: *adopted,
            support: pick(Stance::Support),
            block: pick(Stance::Block),
            abstain: pick(Stance::Abstain),
            reasons,
            contributors,
            missing: missing
                .iter()
                .map(|m| MissingEntry {
                    what: *m,
                    text: match m {
                        Missing::Requires(q) => format!("requires:{}", alliance.ladder[*q].id),
                        other => other.kind().to_string(),
                    },
                })
                .collect(),
            why,
        });
    }
    // Path to consensus: raise attribution only, the decision recomputed in full per level.
    let higher: Vec<_> = ((v.attribution + 1)..(ATTRIBUTION.len() as u8))
        .map(|a| {
            let f: Vec<Facts> = facts
                .iter()
                .map(|f| Facts {
                    attribution: a,
                    ..*f
                })
                .collect();
            (a, core(alliance, policies, &f))
        })
        .collect();
    let mut paths = Vec::new();
    for (r, rung) in alliance.ladder.iter().enumerate() {
        if adoption[r].0 {
            continue;
        }
        let mut path = Path {
            option: rung.id.clone(),
            attribution: None,
            flips: Vec::new(),
        };
        if let Some((a, (t, _))) = higher.iter().find(|(_, (_, ad))| ad[r].0) {
            path.attribution = Some(ATTRIBUTION[usize::from(*a)]);
            path.flips = t[r]
                .iter()
                .zip(&table[r])
                .enumerate()
                .filter(|(_, (x, y))| x.0 != y.0)
                .map(|(i, _)| code(i))
                .collect();
        }
        paths.push(path);
    }
    let legal = alliance
        .members
        .iter()
        .zip(&facts)
        .map(|(m, f)| (m.code.clone(), LEGAL[usize::from(f.legal)]))
        .collect();
    Decision {
        highest_adopted: highest,
        options,
        legal,
        paths,
        vector: v.clone(),
    }
}
