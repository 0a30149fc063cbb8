//! The decision brief for the council (`concord brief`, `/campaigns/{id}/brief`) in a
//! staff-ready layout: TLP banner (the most restrictive marking
//! among the inputs the viewer read), date-time group, FICTIONAL and ILLUSTRATIVE POSITIONS
//! stamps, bottom line up front, the ladder graphic and the member tile map, situation,
//! assessment, options, path to consensus, the other forums, and the sources.
//!
//! The brief is built once as a list of blocks and rendered to Markdown, self-contained
//! HTML (no external resources; printed to PDF by headless Chromium) and docx (docx-rs,
//! for editing by staff; see docs/decisions/0012-docx-brief.md), so every format says the
//! same thing.

use crate::inputs::Inputs;
use crate::room::{self, esc, RungCell, TileMap};
use concord_assess::attribution::Attribution;
use concord_assess::Assessment;
use concord_policy::explain;
use concord_policy::whatif::Flip;
use concord_policy::{Alliance, Decision, Origin};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A decision in another forum, shown beside the first.
#[derive(Debug)]
pub struct ForumDecision<'a> {
    pub alliance: &'a Alliance,
    pub decision: &'a Decision,
    pub policies: &'a Origin,
}

/// What a brief is made from.
#[derive(Debug)]
pub struct BriefInput<'a> {
    pub assessment: &'a Assessment,
    pub attribution: Option<&'a Attribution>,
    pub decision: &'a Decision,
    pub alliance: &'a Alliance,
    /// The policy set the decision used.
    pub policies: &'a Origin,
    /// The same vector decided in other forums (the EU).
    pub also: Vec<ForumDecision<'a>>,
    pub fictional: bool,
    /// The inputs the viewer read (sources and the TLP banner).
    pub inputs: &'a Inputs,
    /// Single changes that flip a rung (what would unblock it).
    pub flips: &'a BTreeMap<String, Vec<Flip>>,
    /// When the brief is made (RFC 3339, UTC): the date-time group.
    pub now: &'a str,
}

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

fn t(s: impl Into<String>) -> Span {
    Span {
        text: s.into(),
        bold: false,
    }
}

fn b(s: impl Into<String>) -> Span {
    Span {
        text: s.into(),
        bold: true,
    }
}

/// One block of the brief.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The TLP banner (level word) with a line on what it rests on.
    Tlp(&'static str, String),
    /// A stamp: FICTIONAL DEMO SCENARIO, ILLUSTRATIVE POSITIONS.
    Stamp(String, String),
    Title(String),
    Heading(String),
    Para(Vec<Span>),
    Bullets(Vec<Vec<Span>>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Ladder(Vec<RungCell>),
    Tiles(TileMap),
}

/// The brief as blocks, and what renderers need besides.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub title: String,
    pub dtg: String,
    pub tlp: &'static str,
    pub blocks: Vec<Block>,
}

fn join(v: &[String], sep: &str, empty: &str) -> String {
    if v.is_empty() {
        empty.to_string()
    } else {
        v.join(sep)
    }
}

/// The rung the brief maps: the first blocked one, else the next step, else the highest
/// adopted, else the first.
fn focus(d: &Decision) -> Option<&concord_policy::OptionOutcome> {
    d.options
        .iter()
        .find(|o| !o.adopted && !o.block.is_empty())
        .or_else(|| explain::next_step(d))
        .or_else(|| d.highest_adopted.as_ref().and_then(|h| d.option(h)))
        .or_else(|| d.options.first())
}

/// Build the brief.
pub fn build(x: &BriefInput<'_>) -> Brief {
    let a = x.assessment;
    let d = x.decision;
    let title = format!("Decision brief: {}", a.name.as_deref().unwrap_or(&a.id));
    let dtg = room::dtg(x.now).unwrap_or_else(|| x.now.to_string());
    let mut out = Vec::new();
    let n_inputs = x.inputs.items.len();
    out.push(Block::Tlp(
        x.inputs.tlp,
        format!(
            "the most restrictive marking among the {n_inputs} input(s) this brief draws on (unmarked inputs read as TLP:GREEN)"
        ),
    ));
    if x.fictional {
        out.push(Block::Stamp(
            "FICTIONAL DEMO SCENARIO".into(),
            "every actor, state, incident and claim is invented".into(),
        ));
    }
    if x.policies.illustrative {
        out.push(Block::Stamp(
            "ILLUSTRATIVE POSITIONS".into(),
            "the member positions are the built-in illustrative set, derived from public statements, not official positions of any member".into(),
        ));
    }
    out.push(Block::Title(title.clone()));
    let latest = x
        .inputs
        .items
        .iter()
        .map(|i| i.at.as_str())
        .max()
        .unwrap_or("");
    out.push(Block::Para(vec![
        b("DTG "),
        t(format!("{dtg} · ")),
        b("For: "),
        t(format!("the {} council · ", x.alliance.name)),
        b("Positions: "),
        t(format!(
            "{}{} · ",
            x.policies.name,
            if x.policies.illustrative {
                " (ILLUSTRATIVE)"
            } else {
                ""
            }
        )),
        b("Evidence up to: "),
        t(if latest.is_empty() { "-" } else { latest }),
    ]));

    // bottom line up front
    let sum = explain::summary(x.alliance, d);
    let bl = room::bluf(x.alliance, d, &sum, x.flips);
    out.push(Block::Heading("Bottom line up front".into()));
    let mut bullets = Vec::new();
    bullets.push(vec![
        b(format!(
            "Agree now ({} of {} options{}): ",
            bl.agree_now.len(),
            d.options.len(),
            bl.highest
                .as_ref()
                .map(|h| format!(", up to {h}"))
                .unwrap_or_default()
        )),
        t(format!("{}.", join(&bl.agree_now, "; ", "nothing"))),
    ]);
    for h in &bl.blocked {
        let who: Vec<String> = h
            .blockers
            .iter()
            .map(|k| {
                if k.why.is_empty() {
                    format!("{} ({})", k.member, k.reasons)
                } else {
                    format!("{} ({}: {})", k.member, k.reasons, k.why)
                }
            })
            .collect();
        let mut line = vec![
            b(format!("Blocked: {}", h.option)),
            t(format!(", by {}.", who.join("; "))),
        ];
        if !h.unblock.is_empty() {
            line.push(b(" Would unblock it: "));
            line.push(t(format!("{}.", h.unblock.join("; "))));
        }
        bullets.push(line);
    }
    for h in &bl.unsupported {
        let mut line = vec![
            b(format!("Not supported: {}", h.option)),
            t(format!(": {}.", h.missing.join("; "))),
        ];
        if !h.unblock.is_empty() {
            line.push(b(" Would change it: "));
            line.push(t(format!("{}.", h.unblock.join("; "))));
        }
        bullets.push(line);
    }
    for f in &x.also {
        let other = explain::summary(f.alliance, f.decision);
        let names: Vec<String> = other.package.iter().map(|o| o.option.clone()).collect();
        let mut line = vec![
            b(format!("In the {}: ", f.alliance.name)),
            t(format!("can agree {}.", join(&names, "; ", "nothing"))),
        ];
        if let Some(n) = &other.next {
            line.push(t(format!(" Next, {}: {}.", n.option, n.missing.join("; "))));
        }
        bullets.push(line);
    }
    bullets.push(vec![b("Recommendation: "), t(bl.recommendation.clone())]);
    out.push(Block::Bullets(bullets));

    // graphics
    out.push(Block::Heading(format!("The {} ladder", x.alliance.name)));
    out.push(Block::Para(vec![t(
        "Lowest rung first. ✓ adopted · ✕ blocked, with the blockers' reason · – not supported, with what is missing.",
    )]));
    out.push(Block::Ladder(room::ladder(x.alliance, d)));
    if let Some(o) = focus(d) {
        out.push(Block::Heading(format!("Members on: {}", o.option)));
        out.push(Block::Para(vec![t(format!(
            "{} support · {} block · {} abstain. ✓ supports · ✕ blocks (reason) · · abstains.",
            o.support.len(),
            o.block.len(),
            o.abstain.len()
        ))]));
        out.push(Block::Tiles(room::stance_map(x.alliance, o)));
        if !o.block.is_empty() {
            out.push(Block::Bullets(
                o.block
                    .iter()
                    .map(|m| {
                        vec![
                            b(format!("{m} blocks")),
                            t(format!(": {}.", o.why.get(m).cloned().unwrap_or_default())),
                        ]
                    })
                    .collect(),
            ));
        }
    }

    // situation and assessment
    out.push(Block::Heading("Situation".into()));
    out.push(Block::Para(vec![t(format!(
        "A {} ({}) affecting {} member(s): {}. Sectors: {}. Effects: {}.",
        a.kind,
        a.id,
        a.members_affected,
        a.victims.join(", "),
        join(&a.sectors, ", ", "none stated"),
        a.effects
    ))]));
    if !a.incidents.is_empty() {
        let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        out.push(Block::Table {
            head: vec!["incident".into(), "severity".into(), "victims".into()],
            rows: a
                .incidents
                .iter()
                .map(|i| {
                    vec![
                        i["name"].as_str().map_or_else(|| s(&i["id"]), String::from),
                        s(&i["severity"]["level"]),
                        i["victims"]
                            .as_array()
                            .map(|v| {
                                v.iter()
                                    .filter_map(|x| x.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            })
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        });
    }
    out.push(Block::Heading("Assessment".into()));
    let mut lines = vec![
        vec![
            b("Severity: "),
            t(format!(
                "{} ({} of 100).",
                a.severity.level, a.severity.score
            )),
        ],
        vec![
            b("Attribution: "),
            t(format!(
                "{} ({}).",
                a.attribution.level, a.attribution.statement
            )),
        ],
    ];
    let mut by_class: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (m, l) in &a.legal {
        by_class.entry(l.class).or_default().push(m);
    }
    for (c, ms) in by_class {
        lines.push(vec![
            b(format!("Legal class {c}: ")),
            t(format!("{}.", ms.join(", "))),
        ]);
    }
    if let Some(h) = x
        .attribution
        .and_then(|at| at.ach.least_inconsistent.clone())
    {
        lines.push(vec![
            b("Analysis of competing hypotheses: "),
            t(format!("the least inconsistent hypothesis is {h}.")),
        ]);
    }
    out.push(Block::Bullets(lines));
    if let Some(at) = x.attribution {
        if !at.evidence.is_empty() {
            out.push(Block::Table {
                head: vec!["when".into(), "kind".into(), "evidence".into()],
                rows: at
                    .evidence
                    .iter()
                    .map(|e| vec![e.at.clone(), e.kind.clone(), e.summary.clone()])
                    .collect(),
            });
        }
    }

    // options and path
    out.push(Block::Heading("Options".into()));
    out.push(Block::Table {
        head: vec![
            "option".into(),
            "rule".into(),
            "outcome".into(),
            "support".into(),
            "blocked by".into(),
            "what is missing".into(),
        ],
        rows: d
            .options
            .iter()
            .zip(&sum.options)
            .map(|(o, s)| {
                vec![
                    o.option.clone(),
                    o.rule.text(),
                    if o.adopted { "adopted" } else { "not adopted" }.into(),
                    o.support.len().to_string(),
                    if o.block.is_empty() {
                        "-".into()
                    } else {
                        explain::blockers_text(o)
                    },
                    join(&s.missing, "; ", "-"),
                ]
            })
            .collect(),
    });
    out.push(Block::Heading("Path to consensus".into()));
    let paths: Vec<Vec<Span>> = sum
        .options
        .iter()
        .filter(|o| !o.adopted)
        .filter_map(|o| {
            o.path
                .as_ref()
                .map(|p| vec![b(format!("{}: ", o.option)), t(format!("{p}."))])
        })
        .collect();
    if paths.is_empty() {
        out.push(Block::Para(vec![t(
            if d.options.iter().all(|o| o.adopted) {
                "Every option is adopted."
            } else {
                "More attribution alone changes nothing."
            },
        )]));
    } else {
        out.push(Block::Bullets(paths));
    }
    for f in &x.also {
        let other = explain::summary(f.alliance, f.decision);
        out.push(Block::Heading(format!(
            "In the {} (positions: {}{})",
            f.alliance.name,
            f.policies.name,
            if f.policies.illustrative {
                ", ILLUSTRATIVE"
            } else {
                ""
            }
        )));
        out.push(Block::Para(vec![t(room::recommendation(&other))]));
        out.push(Block::Ladder(room::ladder(f.alliance, f.decision)));
    }

    // sources
    out.push(Block::Heading("Sources".into()));
    let mut src = vec![
        vec![
            b("Positions: "),
            t(format!(
                "{}{}.",
                x.policies.name,
                if x.policies.illustrative {
                    ": ILLUSTRATIVE POSITIONS, derived from public national statements, not official positions of any member"
                } else {
                    ""
                }
            )),
        ],
        vec![
            b("Marking: "),
            t(format!(
                "{} ({}).",
                x.inputs.banner(),
                x.inputs
                    .by_level
                    .iter()
                    .map(|(l, n)| format!("{n} input(s) at {}", crate::inputs::banner(l)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ],
    ];
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &x.inputs.items {
        *kinds.entry(i.kind.as_str()).or_insert(0) += 1;
    }
    src.push(vec![
        b("Inputs read: "),
        t(format!(
            "{}.",
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    ]);
    out.push(Block::Bullets(src));
    out.push(Block::Table {
        head: vec![
            "input".into(),
            "type".into(),
            "by".into(),
            "date".into(),
            "TLP".into(),
            "id".into(),
        ],
        rows: x
            .inputs
            .items
            .iter()
            .filter(|i| {
                // the evidence itself; techniques and plain links are counted above
                let technique = i.kind == "attack-pattern";
                let link = i.kind == "relationship" && i.name.contains(" related-to ");
                !(technique || link)
            })
            .map(|i| {
                vec![
                    i.name.clone(),
                    i.kind.clone(),
                    i.by.clone(),
                    i.at.chars().take(10).collect(),
                    crate::inputs::banner(i.tlp),
                    i.id.clone(),
                ]
            })
            .collect(),
    });
    out.push(Block::Tlp(x.inputs.tlp, String::new()));
    Brief {
        title,
        dtg,
        tlp: x.inputs.tlp,
        blocks: out,
    }
}

// ---------------------------------------------------------------------------------------
// Markdown

fn md_spans(s: &[Span]) -> String {
    s.iter()
        .map(|x| {
            if x.bold && !x.text.trim().is_empty() {
                let lead = &x.text[..x.text.len() - x.text.trim_start().len()];
                let trail = &x.text[x.text.trim_end().len()..];
                format!("{lead}**{}**{trail}", x.text.trim())
            } else {
                x.text.clone()
            }
        })
        .collect()
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The brief as Markdown.
pub fn markdown(brief: &Brief) -> String {
    let mut s = String::new();
    for blk in &brief.blocks {
        match blk {
            Block::Tlp(l, why) => {
                if why.is_empty() {
                    let _ = writeln!(s, "\n---\n\n**{}**", crate::inputs::banner(l));
                } else {
                    let _ = writeln!(s, "**{}**: {why}.\n", crate::inputs::banner(l));
                }
            }
            Block::Stamp(st, why) => {
                let _ = writeln!(s, "> **{st}**: {why}.\n");
            }
            Block::Title(x) => {
                let _ = writeln!(s, "# {x}\n");
            }
            Block::Heading(x) => {
                let _ = writeln!(s, "## {x}\n");
            }
            Block::Para(x) => {
                let _ = writeln!(s, "{}\n", md_spans(x));
            }
            Block::Bullets(items) => {
                for i in items {
                    let _ = writeln!(s, "- {}", md_spans(i));
                }
                s.push('\n');
            }
            Block::Table { head, rows } => {
                let _ = writeln!(
                    s,
                    "| {} |\n|{}",
                    head.iter()
                        .map(|h| md_cell(h))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    "---|".repeat(head.len())
                );
                for r in rows {
                    let _ = writeln!(
                        s,
                        "| {} |",
                        r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                s.push('\n');
            }
            Block::Ladder(cells) => {
                let _ = writeln!(s, "{}", room::ladder_markdown(cells));
            }
            Block::Tiles(map) => {
                let _ = writeln!(s, "{}", room::tiles_text(map));
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// HTML

fn html_spans(s: &[Span]) -> String {
    s.iter()
        .map(|x| {
            if x.bold {
                format!("<strong>{}</strong>", esc(&x.text))
            } else {
                esc(&x.text)
            }
        })
        .collect()
}

const BRIEF_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:0 1.5rem;color:#1b1b1b;background:#fff}\
main{padding:.5rem 0 1rem}h1{font-size:1.6rem;margin:.6rem 0 .3rem}h2{font-size:1.15rem;border-bottom:2px solid #12263a;padding-bottom:.1rem;margin-top:1.2rem}\
table{border-collapse:collapse;margin:.4rem 0 .8rem}th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top;font-size:.88rem}th{background:#eef2f6}\
.stamps{margin:.4rem 0}.stamp{margin-right:.5rem}.stampwhy{font-size:.85rem;color:#333}.bluf{font-size:1rem}.dtg{font-family:ui-monospace,monospace}\
@page{margin:16mm 12mm}@media print{body{max-width:none;padding:0}.tlp.top{position:fixed;top:0;left:0;right:0}.tlp.bottom{position:fixed;bottom:0;left:0;right:0}main{padding-top:1.6rem}h2{break-after:avoid}.ladder,.tilemap,tr{break-inside:avoid}}";

/// The brief as one self-contained HTML page (inline CSS, no script, no external resource).
pub fn html(brief: &Brief) -> String {
    let mut body = String::new();
    let mut stamps = String::new();
    let mut first_tlp = true;
    let mut in_main = false;
    for blk in &brief.blocks {
        match blk {
            Block::Tlp(l, why) => {
                if first_tlp {
                    let _ = write!(
                        body,
                        "<header><div class=\"tlp top {l}\" role=\"note\" aria-label=\"Traffic Light Protocol marking\">{} <span class=\"sr\">({})</span></div>",
                        esc(&crate::inputs::banner(l)),
                        esc(why)
                    );
                    first_tlp = false;
                } else {
                    if in_main {
                        body.push_str("</main>");
                        in_main = false;
                    }
                    let _ = write!(
                        body,
                        "<footer><div class=\"tlp bottom {l}\">{}</div></footer>",
                        esc(&crate::inputs::banner(l))
                    );
                }
            }
            Block::Stamp(st, why) => {
                let _ = write!(
                    stamps,
                    "<p><span class=\"stamp\">{}</span> <span class=\"stampwhy\">{}.</span></p>",
                    esc(st),
                    esc(why)
                );
            }
            Block::Title(x) => {
                let _ = write!(
                    body,
                    "<div class=\"stamps\">{stamps}</div></header><main><h1>{}</h1>",
                    esc(x)
                );
                in_main = true;
            }
            Block::Heading(x) => {
                let _ = write!(body, "<h2>{}</h2>", esc(x));
            }
            Block::Para(x) => {
                let _ = write!(body, "<p>{}</p>", html_spans(x));
            }
            Block::Bullets(items) => {
                body.push_str("<ul>");
                for i in items {
                    let _ = write!(body, "<li>{}</li>", html_spans(i));
                }
                body.push_str("</ul>");
            }
            Block::Table { head, rows } => {
                body.push_str("<table><thead><tr>");
                for h in head {
                    let _ = write!(body, "<th scope=\"col\">{}</th>", esc(h));
                }
                body.push_str("</tr></thead><tbody>");
                for r in rows {
                    body.push_str("<tr>");
                    for c in r {
                        let _ = write!(body, "<td>{}</td>", esc(c));
                    }
                    body.push_str("</tr>");
                }
                body.push_str("</tbody></table>");
            }
            Block::Ladder(cells) => {
                body.push_str(&room::ladder_html(
                    cells,
                    "the ladder, lowest rung first",
                    None,
                    false,
                    None,
                ));
            }
            Block::Tiles(map) => {
                body.push_str(&room::tiles_html(
                    map,
                    "members' stances, laid out like the map",
                ));
            }
        }
    }
    if in_main {
        body.push_str("</main>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{} ({})</title><style>{}{}.sr{{position:absolute;left:-9999px}}</style></head><body>{body}</body></html>",
        esc(&brief.title),
        esc(&crate::inputs::banner(brief.tlp)),
        room::CSS,
        BRIEF_CSS
    )
}

// ---------------------------------------------------------------------------------------
// docx

/// Why a brief could not be made in a format.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    #[error("writing the docx failed: {0}")]
    Docx(String),
    #[error("PDF needs headless Chromium (Debian: apt-get install chromium); use the HTML brief instead")]
    NoChromium,
    #[error("{0} could not print the brief: {1}")]
    Print(String, String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn hex(class: &str) -> &'static str {
    match class {
        "adopted" | "S" => "009E73",
        "blocked" | "B" => "D55E00",
        "A" => "DDDDDD",
        "h1" => "C6DBEF",
        "h2" => "6BAED6",
        "h3" => "08519C",
        _ => "FFFFFF",
    }
}

fn tlp_colour(level: &str) -> &'static str {
    match level {
        "red" => "FF2B2B",
        "amber" | "amber+strict" => "FFC000",
        "green" => "33FF00",
        _ => "FFFFFF",
    }
}

/// The brief as a Word document (docx) for staff to edit: the TLP banner in every page's
/// header and footer, the ladder and the tile map as shaded tables (each cell also says its
/// state in words).
pub fn docx(brief: &Brief) -> Result<Vec<u8>, BriefError> {
    use docx_rs::*;
    let banner_par = |l: &str| {
        Paragraph::new().align(AlignmentType::Center).add_run(
            Run::new()
                .add_text(format!(" {} ", crate::inputs::banner(l)))
                .bold()
                .size(22)
                .color(tlp_colour(l))
                .shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .fill("000000")
                        .color("auto"),
                ),
        )
    };
    let runs = |spans: &[Span]| {
        spans.iter().fold(Paragraph::new(), |p, s| {
            let r = Run::new().add_text(s.text.clone());
            p.add_run(if s.bold { r.bold() } else { r })
        })
    };
    let cell = |text: &str, fill: Option<&str>, bold: bool, size: usize| {
        let r = Run::new().add_text(text).size(size);
        let mut c = TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            r.bold()
        } else {
            r
        }));
        if let Some(f) = fill {
            c = c.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .fill(f)
                    .color("auto"),
            );
        }
        c
    };
    let mut doc = Docx::new()
        .header(Header::new().add_paragraph(banner_par(brief.tlp)))
        .footer(Footer::new().add_paragraph(banner_par(brief.tlp)))
        .default_size(20);
    for blk in &brief.blocks {
        doc = match blk {
            Block::Tlp(_, why) if why.is_empty() => doc,
            Block::Tlp(l, why) => doc.add_paragraph(banner_par(l)).add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(format!("({why})")).size(16).italic()),
            ),
            Block::Stamp(st, why) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(st.clone())
                            .bold()
                            .color("A33D00")
                            .size(24),
                    )
                    .add_run(Run::new().add_text(format!(": {why}.")).size(18)),
            ),
            Block::Title(x) => doc.add_paragraph(
                Paragraph::new()
                    .outline_lvl(0)
                    .add_run(Run::new().add_text(x.clone()).bold().size(34)),
            ),
            Block::Heading(x) => doc.add_paragraph(
                Paragraph::new().outline_lvl(1).keep_next(true).add_run(
                    Run::new()
                        .add_text(x.clone())
                        .bold()
                        .size(26)
                        .color("12263A"),
                ),
            ),
            Block::Para(x) => doc.add_paragraph(runs(x)),
            Block::Bullets(items) => items.iter().fold(doc, |doc, i| {
                let mut spans = vec![t("• ")];
                spans.extend(i.iter().cloned());
                doc.add_paragraph(runs(&spans).indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ))
            }),
            Block::Table { head, rows } => {
                let mut trs = vec![TableRow::new(
                    head.iter()
                        .map(|h| cell(h, Some("EEF2F6"), true, 18))
                        .collect(),
                )];
                for r in rows {
                    trs.push(TableRow::new(
                        r.iter().map(|c| cell(c, None, false, 18)).collect(),
                    ));
                }
                doc.add_table(Table::new(trs))
            }
            Block::Ladder(cells) => {
                let row = TableRow::new(
                    cells
                        .iter()
                        .map(|c| {
                            let text = format!("{} {}. {}: {}", c.mark, c.n, c.id, c.label);
                            cell(&text, Some(hex(c.state)), c.state != "unsupported", 16)
                        })
                        .collect(),
                );
                doc.add_table(Table::new(vec![row]))
            }
            Block::Tiles(map) => {
                let mut rows = Vec::new();
                for r in 1..=map.rows {
                    let cells = (1..=map.cols)
                        .map(
                            |c| match map.tiles.iter().find(|t| t.row == r && t.col == c) {
                                Some(t) => {
                                    let text = format!("{} {} {}", t.code, t.mark, t.word);
                                    let mut x = cell(&text, Some(hex(&t.class)), true, 14);
                                    if t.class == "h3" {
                                        x = TableCell::new()
                                            .add_paragraph(
                                                Paragraph::new().add_run(
                                                    Run::new()
                                                        .add_text(text)
                                                        .size(14)
                                                        .bold()
                                                        .color("FFFFFF"),
                                                ),
                                            )
                                            .shading(
                                                Shading::new()
                                                    .shd_type(ShdType::Clear)
                                                    .fill(hex("h3"))
                                                    .color("auto"),
                                            );
                                    }
                                    x
                                }
                                None => TableCell::new().add_paragraph(Paragraph::new()),
                            },
                        )
                        .collect();
                    rows.push(TableRow::new(cells));
                }
                doc.add_table(Table::new(rows))
            }
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| BriefError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

// ---------------------------------------------------------------------------------------
// PDF

/// The first headless-capable Chromium on the PATH.
pub fn chromium() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "headless_shell",
    ]
    .into_iter()
    .find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Print an HTML brief to PDF with headless Chromium (no network: the page is
/// self-contained).
pub fn pdf(html: &str) -> Result<Vec<u8>, BriefError> {
    let browser = chromium().ok_or(BriefError::NoChromium)?;
    let dir = tempfile::tempdir()?;
    let page = dir.path().join("brief.html");
    let out = dir.path().join("brief.pdf");
    std::fs::write(&page, html)?;
    let st = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-dev-shm-usage",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    match std::fs::read(&out) {
        Ok(bytes) if st.status.success() && bytes.starts_with(b"%PDF") => Ok(bytes),
        _ => Err(BriefError::Print(
            browser.to_string(),
            String::from_utf8_lossy(&st.stderr).into_owned(),
        )),
    }
}

// ---------------------------------------------------------------------------------------
// From the store

/// Assess, attribute and decide on a stored incident or campaign as the reader's viewer
/// sees it, and build its brief: `alliance` and `policies` decide; each of `others` (the EU) decides
/// the same vector beside it.
pub fn from_store(
    r: &concord_store::Reader<'_>,
    id: &str,
    alliance: &Alliance,
    policies: &concord_policy::PolicySet,
    others: &[&concord_policy::Forum],
    fictional: bool,
    now: &str,
) -> crate::Result<Brief> {
    let (a, attr, d) = crate::views::decision(r, id, &Default::default(), alliance, policies)?;
    let inputs = crate::inputs::inputs(r, id)?;
    let flips = concord_policy::whatif::sensitivity(alliance, policies, &d.vector);
    let decisions: Vec<Decision> = others
        .iter()
        .map(|f| concord_policy::decide(&f.alliance, &f.policies, &d.vector))
        .collect();
    let also = others
        .iter()
        .zip(&decisions)
        .map(|(f, d)| ForumDecision {
            alliance: &f.alliance,
            decision: d,
            policies: &f.policies.origin,
        })
        .collect();
    Ok(build(&BriefInput {
        assessment: &a,
        attribution: attr.as_ref(),
        decision: &d,
        alliance,
        policies: &policies.origin,
        also,
        fictional,
        inputs: &inputs,
        flips: &flips,
        now,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use concord_policy::{Forum, PolicySet};
    use concord_store::access::Principal;
    use std::io::Read;

    const BALTIC: &str = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";
    const NOW: &str = "2026-03-21T09:30:00Z";

    fn demo_brief(viewer: &Principal) -> Brief {
        let store = crate::demo::store().unwrap();
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let eu = Forum::builtin("eu").unwrap();
        from_store(&store.reader(viewer), BALTIC, &a, &p, &[&eu], true, NOW).unwrap()
    }

    #[test]
    fn the_brief_puts_the_bottom_line_first_under_the_most_restrictive_marking() {
        let brief = demo_brief(&Principal::Hub);
        // the wiper incident is TLP:AMBER; everything else green or unmarked
        assert_eq!(brief.tlp, "amber");
        assert_eq!(brief.dtg, "210930Z MAR 26");
        let md = markdown(&brief);
        assert!(md.starts_with("**TLP:AMBER**"), "{md}");
        assert!(md.trim_end().ends_with("**TLP:AMBER**"), "bottom banner");
        assert!(md.contains("> **ILLUSTRATIVE POSITIONS**"));
        assert!(md.contains("> **FICTIONAL DEMO SCENARIO**"));
        assert!(md.contains("**DTG** 210930Z MAR 26"), "{md}");
        let at = |s: &str| md.find(s).expect(s);
        assert!(at("## Bottom line up front") < at("## The NATO ladder"));
        assert!(at("## The NATO ladder") < at("## Situation"));
        assert!(at("## Situation") < at("## Sources"));
        assert!(md.contains("**Blocked: proportionate cyber countermeasures (voluntary national effects)**, by FRA (legal doubts"), "{md}");
        assert!(md.contains("| ✕ blocked: legal |"), "ladder strip");
        assert!(
            md.contains("## Members on: proportionate cyber countermeasures"),
            "map of the blocked rung"
        );
        assert!(md.contains("FRA✕"));
        assert!(md.contains("**In the EU:** can agree"), "{md}");
        // the sources name the amber incident with its marking
        assert!(
            md.contains("| incident | EST | 2026-03-19 | TLP:AMBER |"),
            "{md}"
        );
    }

    #[test]
    fn a_member_outside_the_amber_recipients_gets_a_green_brief_without_the_amber_incident() {
        // DEU may not read the wiper incident (AMBER, recipients EST LVA LTU POL)
        let brief = demo_brief(&Principal::Member("DEU".into()));
        assert_eq!(brief.tlp, "green");
        let md = markdown(&brief);
        assert!(!md.contains("TLP:AMBER"), "{md}");
        assert!(!md.contains("Wiper attack"), "{md}");
    }

    #[test]
    fn html_is_self_contained_and_carries_banner_stamps_and_graphics() {
        let brief = demo_brief(&Principal::Hub);
        let h = html(&brief);
        assert!(h.contains("<div class=\"tlp top amber\""));
        assert!(h.contains("<div class=\"tlp bottom amber\">TLP:AMBER</div>"));
        assert!(h.contains("<span class=\"stamp\">ILLUSTRATIVE POSITIONS</span>"));
        assert!(h.contains("<ol class=\"ladder\""));
        assert!(h.contains("<div class=\"tilemap\""));
        assert!(h.contains("<main>") && h.contains("</main>"));
        for external in ["http://", "https://", "src=", "<script", "@import"] {
            assert!(!h.contains(external), "external resource: {external}");
        }
        let bluf = h.find("Bottom line up front").unwrap();
        assert!(bluf < h.find("<h2>Situation</h2>").unwrap());
    }

    #[test]
    fn docx_is_a_word_document_with_the_same_content() {
        let brief = demo_brief(&Principal::Hub);
        let bytes = docx(&brief).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip archive");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut doc = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut doc)
            .unwrap();
        for want in [
            "Bottom line up front",
            "ILLUSTRATIVE POSITIONS",
            "210930Z MAR 26",
            "FRA ✕ blocks: legal",
            "✕ 10. countermeasures: blocked: legal",
            "w:fill=\"D55E00\"",
        ] {
            assert!(doc.contains(want), "document.xml lacks {want}");
        }
        let headers: Vec<String> = zip
            .file_names()
            .filter(|n| n.starts_with("word/header"))
            .map(String::from)
            .collect();
        assert!(!headers.is_empty());
        let mut header = String::new();
        zip.by_name(&headers[0])
            .unwrap()
            .read_to_string(&mut header)
            .unwrap();
        assert!(header.contains("TLP:AMBER"), "{header}");
    }
}
