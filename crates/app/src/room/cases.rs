//! The case outcomes a position edit changes.

use serde::Serialize;

/// One case outcome an edit changes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseChange {
    pub case: String,
    pub forum: String,
    pub rung: String,
    pub option: String,
    /// What the public record says (taken or not).
    pub history: bool,
    /// concord's outcome before and after the edit.
    pub before: bool,
    pub after: bool,
}

impl CaseChange {
    /// Whether the edit makes concord agree with history where it did not (or the reverse).
    pub fn effect(&self) -> &'static str {
        match (self.before == self.history, self.after == self.history) {
            (false, true) => "now reproduces the record",
            (true, false) => "no longer reproduces the record",
            _ => "changes",
        }
    }
}

/// The case outcomes that differ between two reports of the same library (before and after
/// an edit), in case order.
pub fn case_changes(
    before: &concord_policy::cases::Report,
    after: &concord_policy::cases::Report,
) -> Vec<CaseChange> {
    let mut out = Vec::new();
    for (cb, ca) in before.cases.iter().zip(&after.cases) {
        for (forum, fb) in &cb.forums {
            let Some(fa) = ca.forums.get(forum) else {
                continue;
            };
            for (rb, ra) in fb.rungs.iter().zip(&fa.rungs) {
                if rb.concord != ra.concord {
                    out.push(CaseChange {
                        case: cb.name.clone(),
                        forum: forum.clone(),
                        rung: rb.rung.clone(),
                        option: rb.option.clone(),
                        history: rb.history,
                        before: rb.concord,
                        after: ra.concord,
                    });
                }
            }
        }
    }
    out
}
