//! Decisions in words: what keeps a rung from adoption, who blocks and why, grouped by
//! reason. One wording for the CLI table, the web pages, the brief and replay.

use crate::alliance::Alliance;
use crate::decide::{Decision, Missing, OptionOutcome};
use crate::reason::Reason;
use std::collections::BTreeMap;

/// One sentence per `missing` entry of an option, in `missing` order.
pub fn missing_phrases(alliance: &Alliance, o: &OptionOutcome) -> Vec<String> {
    let rung = alliance.ladder.iter().find(|r| r.id == o.id);
    o.missing
        .iter()
        .map(|m| match m.what {
            Missing::Support => format!(
                "not enough support: {} of the {} needed",
                o.support.len(),
                o.rule.needed()
            ),
            Missing::Request => {
                "no affected ally asks for it (it comes at a victim's request)".to_string()
            }
            Missing::Block => format!("blocked by {}", blockers_text(o)),
            Missing::Contributors => format!(
                "too few contributors: {} of the {} supporters with capacity needed{}",
                o.contributors.len(),
                rung.and_then(|r| r.contributors).unwrap_or(0),
                if o.contributors.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", o.contributors.join(", "))
                }
            ),
            Missing::Requires(q) => format!(
                "needs '{}' to be adopted first",
                alliance.ladder.get(q).map_or("?", |r| r.id.as_str())
            ),
        })
        .collect()
}

/// "FRA (escalation risk), DEU (below its threshold; legal doubts)"; past five blockers,
/// counts per reason: "32 members (legal doubts: 32)".
pub fn blockers_text(o: &OptionOutcome) -> String {
    if o.block.len() > 5 {
        let counts: Vec<String> = blockers_by_reason(o)
            .iter()
            .map(|(r, ms)| format!("{}: {}", r.phrase(), ms.len()))
            .collect();
        return format!("{} members ({})", o.block.len(), counts.join("; "));
    }
    o.block
        .iter()
        .map(|m| {
            let rs: Vec<&str> = o
                .reasons
                .get(m)
                .map(|r| r.iter().map(Reason::phrase).collect())
                .unwrap_or_default();
            if rs.is_empty() {
                m.clone()
            } else {
                format!("{m} ({})", rs.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The blockers of an option grouped by reason (a member with several reasons appears
/// under each), in reason order.
pub fn blockers_by_reason(o: &OptionOutcome) -> Vec<(Reason, Vec<String>)> {
    let mut by: BTreeMap<Reason, Vec<String>> = BTreeMap::new();
    for (m, rs) in &o.reasons {
        for r in rs.iter() {
            by.entry(r).or_default().push(m.clone());
        }
    }
    by.into_iter().collect()
}

/// The adopted options: the package the alliance can agree now.
pub fn package(d: &Decision) -> Vec<&OptionOutcome> {
    d.options.iter().filter(|o| o.adopted).collect()
}

/// The lowest option above the highest adopted one that is not adopted: the next step.
pub fn next_step(d: &Decision) -> Option<&OptionOutcome> {
    let from = d
        .highest_adopted
        .as_ref()
        .and_then(|h| d.options.iter().position(|o| &o.id == h))
        .map_or(0, |i| i + 1);
    d.options.iter().skip(from).find(|o| !o.adopted)
}

/// A decision explained for people: the package, the next step, and per option what is
/// missing and who blocks for which reason. Serialisable for templates.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Summary {
    /// The adopted options (id, full name), lowest first.
    pub package: Vec<Named>,
    /// The lowest option above the highest adopted one that is not adopted.
    pub next: Option<OptionSummary>,
    pub options: Vec<OptionSummary>,
    /// Across options not adopted: each reason with the (option, members) it blocks.
    pub blocked_by_reason: Vec<ReasonGroup>,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Named {
    pub id: String,
    pub option: String,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct OptionSummary {
    pub id: String,
    pub option: String,
    pub adopted: bool,
    /// One sentence per `missing` entry.
    pub missing: Vec<String>,
    /// Blockers grouped by reason.
    pub blockers: Vec<ReasonMembers>,
    /// What more attribution would do: "adopted at attribution high (FRA would change)"
    /// or "more attribution alone would not unblock it".
    pub path: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct ReasonMembers {
    pub reason: Reason,
    pub phrase: &'static str,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct ReasonGroup {
    pub reason: Reason,
    pub phrase: &'static str,
    /// (option id, blocking members)
    pub options: Vec<(String, Vec<String>)>,
}

/// Explain a decision.
pub fn summary(alliance: &Alliance, d: &Decision) -> Summary {
    let options: Vec<OptionSummary> = d
        .options
        .iter()
        .map(|o| OptionSummary {
            id: o.id.clone(),
            option: o.option.clone(),
            adopted: o.adopted,
            missing: missing_phrases(alliance, o),
            blockers: blockers_by_reason(o)
                .into_iter()
                .map(|(reason, members)| ReasonMembers {
                    reason,
                    phrase: reason.phrase(),
                    members,
                })
                .collect(),
            path: d
                .paths
                .iter()
                .find(|p| p.option == o.id)
                .map(|p| match p.attribution {
                    Some(level) if p.flips.is_empty() => format!("adopted at attribution {level}"),
                    Some(level) => format!(
                        "adopted at attribution {level} ({} would change)",
                        p.flips.join(", ")
                    ),
                    None => "more attribution alone would not unblock it".to_string(),
                }),
        })
        .collect();
    let next = next_step(d).and_then(|n| options.iter().find(|o| o.id == n.id).cloned());
    let mut groups: Vec<ReasonGroup> = Vec::new();
    for r in Reason::ALL {
        let per: Vec<(String, Vec<String>)> = options
            .iter()
            .filter(|o| !o.adopted)
            .filter_map(|o| {
                o.blockers
                    .iter()
                    .find(|b| b.reason == r)
                    .map(|b| (o.id.clone(), b.members.clone()))
            })
            .collect();
        if !per.is_empty() {
            groups.push(ReasonGroup {
                reason: r,
                phrase: r.phrase(),
                options: per,
            });
        }
    }
    Summary {
        package: package(d)
            .into_iter()
            .map(|o| Named {
                id: o.id.clone(),
                option: o.option.clone(),
            })
            .collect(),
        next,
        options,
        blocked_by_reason: groups,
    }
}
