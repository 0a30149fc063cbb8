//! The decision brief for the council (`concord brief`, `/campaigns/{id}/brief`): situation,
//! assessment, options with support and blockers, path to consensus, a recommendation.
//! Markdown, or self-contained HTML (no external resources).

use concord_assess::attribution::Attribution;
use concord_assess::Assessment;
use concord_policy::Decision;
use std::fmt::Write;

/// What a brief is made from.
#[derive(Debug)]
pub struct BriefInput<'a> {
    pub assessment: &'a Assessment,
    pub attribution: Option<&'a Attribution>,
    pub decision: &'a Decision,
    pub fictional: bool,
}

fn recommendation(d: &Decision) -> String {
    let adopted: Vec<&str> = d
        .options
        .iter()
        .filter(|o| o.adopted)
        .map(|o| o.option.as_str())
        .collect();
    let mut r = match d.options.iter().rev().find(|o| o.adopted) {
        Some(top) => format!(
            "Agree the options the alliance can take now, up to **{}** ({} option(s) in all: {}).",
            top.option,
            adopted.len(),
            adopted.join("; ")
        ),
        None => "No option has the support its rule needs; continue consultations and information sharing.".to_string(),
    };
    if let Some(next) = d.options.iter().find(|o| !o.adopted) {
        let path = d.paths.iter().find(|p| p.option == next.id);
        let _ = write!(
            r,
            " The next step, **{}**, is not yet possible: {}",
            next.option,
            if next.block.is_empty() {
                format!(
                    "too little support ({} member(s) support it; rule {}).",
                    next.support.len(),
                    next.rule
                )
            } else {
                format!("blocked by {}.", next.block.join(", "))
            }
        );
        if let Some(p) = path {
            match p.attribution {
                Some(level) => {
                    let _ = write!(r, " It would be adopted at attribution level **{level}**");
                    if !p.flips.is_empty() {
                        let _ = write!(r, " (members who would change: {})", p.flips.join(", "));
                    }
                    r.push_str(": attribution evidence is what would unblock it.");
                }
                None => r.push_str(" More attribution evidence alone would not unblock it."),
            }
        }
    }
    r
}

/// The brief as Markdown.
pub fn markdown(b: &BriefInput<'_>) -> String {
    let a = b.assessment;
    let mut s = String::new();
    if b.fictional {
        s.push_str("> **FICTIONAL DEMO SCENARIO**: every actor, state, incident and claim is invented.\n\n");
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
    let _ = writeln!(
        s,
        "\n## Options\n\n| option | rule | outcome | support | blocked by |\n|---|---|---|---|---|"
    );
    for o in &b.decision.options {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            o.option,
            o.rule,
            if o.adopted { "adopted" } else { "not adopted" },
            o.support.len(),
            if o.block.is_empty() {
                "-".to_string()
            } else {
                o.block.join(", ")
            }
        );
    }
    let _ = writeln!(s, "\n## Path to consensus\n");
    if b.decision.paths.is_empty() {
        let _ = writeln!(s, "Every option is adopted.");
    }
    for p in &b.decision.paths {
        let name = b
            .decision
            .options
            .iter()
            .find(|o| o.id == p.option)
            .map_or(p.option.as_str(), |o| o.option.as_str());
        match p.attribution {
            Some(l) => {
                let _ = writeln!(
                    s,
                    "- {name}: adopted at attribution {l}{}.",
                    if p.flips.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} would change)", p.flips.join(", "))
                    }
                );
            }
            None => {
                let _ = writeln!(s, "- {name}: not reachable by more attribution alone.");
            }
        }
    }
    let _ = writeln!(s, "\n## Recommendation\n\n{}", recommendation(b.decision));
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
