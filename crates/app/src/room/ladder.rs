//! The ladder strip: every rung adopted, blocked (with the reason category) or unsupported
//! (with what is missing).

use super::*;
use concord_policy::decide::Missing;
use concord_policy::explain;
use concord_policy::{Alliance, Decision, OptionOutcome, Reason};
use serde::Serialize;
use std::fmt::Write;

/// One rung of the ladder as the strip shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RungCell {
    /// 1-based position on the ladder.
    pub n: usize,
    pub id: String,
    pub option: String,
    /// `adopted`, `blocked` (consensus and someone objects) or `unsupported` (anything else
    /// missing: support, a victim's request, contributors, a lower rung).
    pub state: &'static str,
    /// ✓, ✕ or –.
    pub mark: &'static str,
    /// A short label: "adopted", "blocked: legal", "no request", "needs share".
    pub label: String,
    /// The blockers' reason words, most frequent first (blocked cells).
    pub reasons: Vec<&'static str>,
    /// "FRA (legal doubts)", one per blocker.
    pub blockers: Vec<String>,
    /// What keeps the rung from adoption, in words.
    pub missing: Vec<String>,
    pub support: usize,
    pub rule: String,
}

fn short_missing(alliance: &Alliance, o: &OptionOutcome) -> String {
    o.missing
        .iter()
        .find(|m| m.what != Missing::Block)
        .map(|m| match m.what {
            Missing::Support => format!("support {} of {}", o.support.len(), o.rule.needed()),
            Missing::Request => "no request".to_string(),
            Missing::Contributors => "too few contributors".to_string(),
            Missing::Requires(q) => format!(
                "needs {}",
                alliance.ladder.get(q).map_or("?", |r| r.id.as_str())
            ),
            Missing::Block => String::new(),
        })
        .unwrap_or_default()
}

/// The blockers' reasons, most frequent first (ties in reporting order).
fn reason_words(o: &OptionOutcome) -> Vec<&'static str> {
    let mut by: Vec<(Reason, usize)> = explain::blockers_by_reason(o)
        .into_iter()
        .map(|(r, ms)| (r, ms.len()))
        .collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by.into_iter().map(|(r, _)| r.word()).collect()
}

/// The ladder of a decision as a strip, lowest rung first.
pub fn ladder(alliance: &Alliance, d: &Decision) -> Vec<RungCell> {
    d.options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let blocked = o.missing.iter().any(|m| m.what == Missing::Block);
            let reasons = if blocked { reason_words(o) } else { Vec::new() };
            let (state, mark, label) = if o.adopted {
                ("adopted", "✓", "adopted".to_string())
            } else if blocked {
                ("blocked", "✕", format!("blocked: {}", reasons.join(", ")))
            } else {
                ("unsupported", "–", short_missing(alliance, o))
            };
            RungCell {
                n: i + 1,
                id: o.id.clone(),
                option: o.option.clone(),
                state,
                mark,
                label,
                reasons,
                blockers: if blocked {
                    explain::blockers_text(o)
                        .split(", ")
                        .map(String::from)
                        .collect()
                } else {
                    Vec::new()
                },
                missing: explain::missing_phrases(alliance, o),
                support: o.support.len(),
                rule: o.rule.text(),
            }
        })
        .collect()
}

/// The ladder strip as HTML: an ordered list, one cell per rung (state in words, a mark
/// and a pattern besides the colour). `link`: each cell links to `?rung=ID` with this
/// prefix (the campaign page, to show the rung on the map); `compact`: short labels only.
pub fn ladder_html(
    cells: &[RungCell],
    label: &str,
    link: Option<&str>,
    compact: bool,
    current: Option<&str>,
) -> String {
    let mut s = format!(
        "<ol class=\"ladder{}\" aria-label=\"{}\">",
        if compact { " compact" } else { "" },
        esc(label)
    );
    for c in cells {
        let title = if c.missing.is_empty() {
            format!("{}: adopted", c.option)
        } else {
            format!("{}: {}", c.option, c.missing.join("; "))
        };
        let body = if compact {
            format!(
                "<span class=\"mark\" aria-hidden=\"true\">{}</span><span class=\"rid\">{}</span><span class=\"lbl\">{}</span>",
                c.mark,
                esc(&c.id),
                esc(&c.label)
            )
        } else {
            format!(
                "<span class=\"mark\" aria-hidden=\"true\">{}</span><span class=\"rid\">{}. {}</span><span class=\"lbl\">{}</span><span class=\"opt\">{}</span>",
                c.mark,
                c.n,
                esc(&c.id),
                esc(&c.label),
                esc(&c.option)
            )
        };
        let here = current == Some(c.id.as_str());
        let inner = match link {
            Some(prefix) => format!(
                "<a href=\"{}rung={}#map\"{}>{body}</a>",
                esc(prefix),
                esc(&c.id),
                if here { " aria-current=\"true\"" } else { "" }
            ),
            None => body,
        };
        let _ = write!(
            s,
            "<li class=\"rung {}{}\" title=\"{}\">{inner}</li>",
            c.state,
            if here { " current" } else { "" },
            esc(&title)
        );
    }
    s.push_str("</ol>");
    s
}

/// The ladder strip in Markdown: one table row of cells.
pub fn ladder_markdown(cells: &[RungCell]) -> String {
    let mut s = String::from("|");
    for c in cells {
        let _ = write!(s, " {}. {} |", c.n, c.id);
    }
    s.push_str("\n|");
    for _ in cells {
        s.push_str("---|");
    }
    s.push_str("\n|");
    for c in cells {
        let _ = write!(s, " {} {} |", c.mark, c.label);
    }
    s.push('\n');
    s
}
