//! The decision brief for the council (`concord brief`, `/campaigns/{id}/brief`) in a
//! staff-ready layout: TLP banner (the most restrictive marking
//! among the inputs the viewer read), date-time group, FICTIONAL and ILLUSTRATIVE POSITIONS
//! stamps, bottom line up front, the ladder graphic and the member tile map, situation,
//! assessment, options, path to consensus, the other forums, and the sources.
//!
//! The brief is built once as a list of blocks and rendered to Markdown, self-contained
//! HTML (no external resources; printed to PDF by headless Chromium) and docx (docx-rs,
//! for editing by staff; see docs/decisions/0013-docx-brief.md), so every format says the
//! same thing.

use crate::inputs::Inputs;
use crate::room::{self, RungCell, TileMap};
use concord_assess::attribution::Attribution;
use concord_assess::Assessment;
use concord_policy::explain;
use concord_policy::whatif::Flip;
use concord_policy::{Alliance, Decision, Origin};
use std::collections::BTreeMap;

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

mod docx;
mod html;
mod markdown;
mod pdf;

pub use docx::*;
pub use html::*;
pub use markdown::*;
pub use pdf::*;

#[cfg(test)]
mod tests;
