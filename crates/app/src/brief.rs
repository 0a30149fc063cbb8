//! The decision brief for the council (`concord brief`, `/campaigns/{id}/brief`): situation,
//! assessment, options with support and blockers, path to consensus, a recommendation.
//! Markdown, or self-contained HTML (no external resources).

use concord_assess::attribution::Attribution;
use concord_assess::Assessment;
use concord_policy::explain::{self, Summary};
use concord_policy::{Alliance, Decision, Origin};
use std::fmt::Write;

/// What a brief is made from.
#[derive(Debug)]
pub struct BriefInput<'a> {
    pub assessment: &'a Assessment,
    pub attribution: Option<&'a Attribution>,
    pub decision: &'a Decision,
    pub alliance: &'a Alliance,
    /// The policy set the decision used.
    pub policies: &'a Origin,
    /// The same vector decided in other forums (the EU), shown beside the first.
    pub also: Vec<ForumDecision<'a>>,
    pub fictional: bool,
}

/// A decision in another forum.
#[derive(Debug)]
pub struct ForumDecision<'a> {
    pub alliance: &'a Alliance,
    pub decision: &'a Decision,
    pub policies: &'a Origin,
}

/// Bottom line: the package the alliance can agree now (adopted rungs only, never a rung
/// that is not adopted) and what it would take for the next one.
fn recommendation(sum: &Summary) -> String {
    let mut r = if sum.package.is_empty() {
        "The alliance cannot agree any option now; continue consultations and information sharing."
            .to_string()
    } else {
        let names: Vec<&str> = sum.package.iter().map(|o| o.option.as_str()).collect();
        format!(
            "The package the alliance can agree now ({} option(s)): {}.",
            names.len(),
            names.join("; ")
        )
    };
    if let Some(next) = &sum.next {
        let _ = write!(
            r,
            " The next step, **{}**, is not agreed: {}.",
            next.option,
            next.missing.join("; ")
        );
        if let Some(p) = &next.path {
            let _ = write!(r, " With more attribution evidence: {p}.");
        }
    }
    r
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The brief as Markdown.
pub fn markdown(b: &BriefInput<'_>) -> String {
    let a = b.assessment;
    let mut s = String::new();
    if b.fictional {
        s.push_str("> **FICTIONAL DEMO SCENARIO**: every actor, state, incident and claim is invented.\n\n");
    }
    if b.policies.illustrative {
        s.push_str("> **ILLUSTRATIVE POSITIONS**: the member positions are the built-in illustrative set, not official national positions.\n\n");
    }
    let _ = writeln!(
        s,
        "# Decision brief: {}\n",
        a.name.as_deref().unwrap_or(&a.id)
    );
    let _ = writeln!(s, "## Situation\n");
    let _ = writeln!(
        s,
        "A {} ({}) affecting {} member(s): {}. Sectors: {}. Effects: {}.",
        a.kind,
        a.id,
        a.members_affected,
        a.victims.join(", "),
        if a.sectors.is_empty() {
            "none stated".to_string()
        } else {
            a.sectors.join(", ")
        },
        a.effects
    );
    if !a.incidents.is_empty() {
        let _ = writeln!(s, "\n| incident | severity | victims |\n|---|---|---|");
        for i in &a.incidents {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                i["name"].as_str().unwrap_or(i["id"].as_str().unwrap_or("")),
                i["severity"]["level"].as_str().unwrap_or(""),
                i["victims"]
                    .as_array()
                    .map(|v| v
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(s, "\n## Assessment\n");
    let _ = writeln!(
        s,
        "- Severity: **{}** ({} of 100).",
        a.severity.level, a.severity.score
    );
    let _ = writeln!(
        s,
        "- Attribution: **{}** ({}).",
        a.attribution.level, a.attribution.statement
    );
    let mut by_class: std::collections::BTreeMap<&str, Vec<&str>> =
        std::collections::BTreeMap::new();
    for (m, l) in &a.legal {
        by_class.entry(l.class).or_default().push(m);
    }
    for (c, ms) in by_class {
        let _ = writeln!(s, "- Legal class {c}: {}.", ms.join(", "));
    }
    if let Some(at) = b.attribution {
        let _ = writeln!(s, "\nEvidence behind the attribution:\n");
        for e in &at.evidence {
            let _ = writeln!(s, "- {} ({}): {}", e.at, e.kind, e.summary);
        }
        if let Some(h) = &at.ach.least_inconsistent {
            let _ = writeln!(
                s,
                "\nAnalysis of competing hypotheses: the least inconsistent hypothesis is **{h}**."
            );
        }
    }
    let sum = explain::summary(b.alliance, b.decision);
    let _ = writeln!(
        s,
        "\n## Options\n\n| option | rule | outcome | support | blocked by | what is missing |\n|---|---|---|---|---|---|"
    );
    for (o, x) in b.decision.options.iter().zip(&sum.options) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            o.option,
            o.rule,
            if o.adopted { "adopted" } else { "not adopted" },
            o.support.len(),
            if o.block.is_empty() {
                "-".to_string()
            } else {
                explain::blockers_text(o)
            },
            if x.missing.is_empty() {
                "-".to_string()
            } else {
                x.missing.join("; ")
            }
        );
    }
    if !sum.blocked_by_reason.is_empty() {
        let _ = writeln!(s, "\n## Why options are blocked\n");
        for g in &sum.blocked_by_reason {
            let per: Vec<String> = g
                .options
                .iter()
                .map(|(id, ms)| format!("{id} ({})", ms.join(", ")))
                .collect();
            let _ = writeln!(s, "- {}: {}.", capitalise(g.phrase), per.join("; "));
        }
    }
    let _ = writeln!(s, "\n## Path to consensus\n");
    if b.decision.paths.is_empty() {
        let _ = writeln!(s, "Every option is adopted.");
    }
    for x in sum.options.iter().filter(|o| !o.adopted) {
        if let Some(p) = &x.path {
            let _ = writeln!(s, "- {}: {p}.", x.option);
        }
    }
    let _ = writeln!(s, "\n## Recommendation\n\n{}", recommendation(&sum));
    for f in &b.also {
        let other = explain::summary(f.alliance, f.decision);
        let _ = writeln!(
            s,
            "\n## In the {} (positions: {}{})\n",
            f.alliance.name,
            f.policies.name,
            if f.policies.illustrative {
                ", ILLUSTRATIVE"
            } else {
                ""
            }
        );
        let _ = writeln!(s, "{}\n", recommendation(&other));
        let _ = writeln!(
            s,
            "| option | rule | outcome | blocked by | what is missing |\n|---|---|---|---|---|"
        );
        for (o, x) in f.decision.options.iter().zip(&other.options) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                o.option,
                o.rule,
                if o.adopted { "adopted" } else { "not adopted" },
                if o.block.is_empty() {
                    "-".to_string()
                } else {
                    explain::blockers_text(o)
                },
                if x.missing.is_empty() {
                    "-".to_string()
                } else {
                    x.missing.join("; ")
                }
            );
        }
    }
    let _ = writeln!(
        s,
        "\n---\n\nPositions: {}.{}",
        b.policies.name,
        if b.policies.illustrative {
            " ILLUSTRATIVE POSITIONS: derived from public national statements, not official positions of any member."
        } else {
            ""
        }
    );
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline Markdown (bold) to HTML, escaped.
fn inline(s: &str) -> String {
    let e = esc(s);
    let mut out = String::new();
    for (i, part) in e.split("**").enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<strong>{part}</strong>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The brief as one self-contained HTML page (converted from the Markdown above).
pub fn html(b: &BriefInput<'_>) -> String {
    let md = markdown(b);
    let mut body = String::new();
    let mut in_list = false;
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush_table = |table: &mut Vec<Vec<String>>, body: &mut String| {
        if table.is_empty() {
            return;
        }
        body.push_str("<table>");
        for (i, row) in table.iter().enumerate() {
            body.push_str("<tr>");
            for c in row {
                if i == 0 {
                    let _ = write!(body, "<th>{}</th>", inline(c));
                } else {
                    let _ = write!(body, "<td>{}</td>", inline(c));
                }
            }
            body.push_str("</tr>");
        }
        body.push_str("</table>");
        table.clear();
    };
    for line in md.lines() {
        if line.starts_with('|') {
            if line.starts_with("|---") {
                continue;
            }
            table.push(
                line.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect(),
            );
            continue;
        }
        flush_table(&mut table, &mut body);
        if let Some(item) = line.strip_prefix("- ") {
            if !in_list {
                body.push_str("<ul>");
                in_list = true;
            }
            let _ = write!(body, "<li>{}</li>", inline(item));
            continue;
        }
        if in_list {
            body.push_str("</ul>");
            in_list = false;
        }
        if let Some(h) = line.strip_prefix("## ") {
            let _ = write!(body, "<h2>{}</h2>", inline(h));
        } else if let Some(h) = line.strip_prefix("# ") {
            let _ = write!(body, "<h1>{}</h1>", inline(h));
        } else if let Some(q) = line.strip_prefix("> ") {
            let _ = write!(body, "<p class=\"fictional\">{}</p>", inline(q));
        } else if !line.trim().is_empty() {
            let _ = write!(body, "<p>{}</p>", inline(line));
        }
    }
    flush_table(&mut table, &mut body);
    if in_list {
        body.push_str("</ul>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Decision brief</title><style>\
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1b1b1b}}\
table{{border-collapse:collapse}}th,td{{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}}th{{background:#eef2f6}}\
.fictional{{background:#E69F00;padding:.4rem;font-weight:700}}</style></head><body>{body}</body></html>"
    )
}
