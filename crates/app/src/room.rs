//! The staff officer's decision room: what the web pages and the brief show first, computed
//! once from a decision. The ladder as a strip of rungs (adopted, blocked with the reason
//! category, unsupported with what is missing), the members as a tile map laid out like
//! the map (coloured by stance for one rung, or by how many campaigns hit them), the
//! bottom line up front (what the alliance can agree now, what is blocked, by whom and why,
//! what would unblock it), the replay as a grid of moments, and what-if changes of the
//! vector or of one member's position that are decided without saving anything.
//!
//! Colour never carries meaning alone: every cell and tile says its state in words and with
//! a mark (✓ adopted or supports, ✕ blocked or blocks, – or · otherwise), and blocked cells
//! are hatched. The HTML fragments here are shared by the dashboard and the brief (which
//! inlines [`CSS`]), so both draw the same graphics.

use concord_policy::decide::Missing;
use concord_policy::explain::{self, Summary};
use concord_policy::lang::Cond;
use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
use concord_policy::whatif::Flip;
use concord_policy::{Alliance, Decision, OptionOutcome, PolicySet, Reason, Vector};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The stylesheet of the graphics (ladder strip, tile map, replay grid, banners); the
/// dashboard serves it, the brief inlines it.
pub const CSS: &str = include_str!("room.css");

/// HTML-escape text (also for attribute values).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The ladder strip

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

// ---------------------------------------------------------------------------------------
// The tile map

/// Hand-laid tile positions (column, row) for the members of the built-in forums, so the
/// map reads like Europe and North America: every NATO and EU member has a place.
const LAYOUT: &[(&str, u8, u8)] = &[
    ("ISL", 1, 0),
    ("NOR", 4, 0),
    ("SWE", 5, 0),
    ("FIN", 6, 0),
    ("CAN", 0, 1),
    ("IRL", 2, 1),
    ("GBR", 3, 1),
    ("DNK", 4, 1),
    ("EST", 6, 1),
    ("USA", 0, 2),
    ("NLD", 3, 2),
    ("DEU", 4, 2),
    ("POL", 5, 2),
    ("LVA", 6, 2),
    ("BEL", 2, 3),
    ("LUX", 3, 3),
    ("CZE", 4, 3),
    ("SVK", 5, 3),
    ("LTU", 6, 3),
    ("FRA", 2, 4),
    ("AUT", 4, 4),
    ("HUN", 5, 4),
    ("ROU", 6, 4),
    ("PRT", 1, 5),
    ("ESP", 2, 5),
    ("ITA", 3, 5),
    ("SVN", 4, 5),
    ("HRV", 5, 5),
    ("BGR", 6, 5),
    ("MLT", 3, 6),
    ("MNE", 4, 6),
    ("MKD", 5, 6),
    ("TUR", 7, 6),
    ("ALB", 4, 7),
    ("GRC", 5, 7),
    ("CYP", 7, 7),
];

/// Tile positions (column, row) for every member, in member order. Members of the built-in
/// forums take their hand-laid place; when any member has none (another alliance), every
/// member is placed from its capital's coordinates instead (a grid of about 1.6 tiles per
/// member, collisions moved to the nearest free cell).
pub fn layout(alliance: &Alliance) -> Vec<(usize, usize)> {
    let fixed: Vec<Option<(usize, usize)>> = alliance
        .members
        .iter()
        .map(|m| {
            LAYOUT
                .iter()
                .find(|(c, _, _)| *c == m.code)
                .map(|(_, x, y)| (usize::from(*x), usize::from(*y)))
        })
        .collect();
    if fixed.iter().all(Option::is_some) {
        return fixed.into_iter().flatten().collect();
    }
    from_coordinates(alliance)
}

fn from_coordinates(alliance: &Alliance) -> Vec<(usize, usize)> {
    let n = alliance.members.len();
    if n == 0 {
        return Vec::new();
    }
    let side = ((n as f64 * 1.6).sqrt().ceil() as usize).max(1);
    let (mut lo_lon, mut hi_lon, mut lo_lat, mut hi_lat) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for m in &alliance.members {
        lo_lon = lo_lon.min(m.lon);
        hi_lon = hi_lon.max(m.lon);
        lo_lat = lo_lat.min(m.lat);
        hi_lat = hi_lat.max(m.lat);
    }
    let span = |lo: f64, hi: f64| if hi > lo { hi - lo } else { 1.0 };
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    // place members nearest their wanted cell, in member order; spiral out on collision
    for m in &alliance.members {
        let x = ((m.lon - lo_lon) / span(lo_lon, hi_lon) * (side - 1) as f64).round() as i64;
        let y = ((hi_lat - m.lat) / span(lo_lat, hi_lat) * (side - 1) as f64).round() as i64;
        let mut best = None;
        'search: for r in 0i64..(2 * side as i64 + n as i64) {
            for dy in -r..=r {
                for dx in -r..=r {
                    if dx.abs().max(dy.abs()) != r {
                        continue;
                    }
                    let (cx, cy) = (x + dx, y + dy);
                    if cx < 0 || cy < 0 {
                        continue;
                    }
                    let cell = (cx as usize, cy as usize);
                    if !taken.contains(&cell) {
                        best = Some(cell);
                        break 'search;
                    }
                }
            }
        }
        let cell = best.unwrap_or((out.len(), 0));
        taken.insert(cell);
        out.push(cell);
    }
    out
}

/// One member's tile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tile {
    pub code: String,
    pub name: String,
    /// 1-based grid column and row.
    pub col: usize,
    pub row: usize,
    /// CSS class: `S`, `B`, `A` (stances) or `h0`..`h3` (campaign counts).
    pub class: String,
    /// The meaning in words ("supports", "2 campaigns").
    pub word: String,
    /// ✓, ✕, · or a count.
    pub mark: String,
    /// Why (hover and text).
    pub why: String,
}

/// A tile map: its tiles and grid size.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TileMap {
    pub cols: usize,
    pub rows: usize,
    pub tiles: Vec<Tile>,
}

fn grid(
    alliance: &Alliance,
    mut make: impl FnMut(usize) -> (String, String, String, String),
) -> TileMap {
    let pos = layout(alliance);
    let tiles: Vec<Tile> = alliance
        .members
        .iter()
        .zip(&pos)
        .enumerate()
        .map(|(i, (m, (x, y)))| {
            let (class, word, mark, why) = make(i);
            Tile {
                code: m.code.clone(),
                name: m.name.clone(),
                col: x + 1,
                row: y + 1,
                class,
                word,
                mark,
                why,
            }
        })
        .collect();
    TileMap {
        cols: tiles.iter().map(|t| t.col).max().unwrap_or(1),
        rows: tiles.iter().map(|t| t.row).max().unwrap_or(1),
        tiles,
    }
}

/// Members coloured by their stance on one option, each with why.
pub fn stance_map(alliance: &Alliance, o: &OptionOutcome) -> TileMap {
    grid(alliance, |i| {
        let m = &alliance.members[i].code;
        let why = o.why.get(m).cloned().unwrap_or_default();
        if o.support.contains(m) {
            ("S".into(), "supports".into(), "✓".into(), why)
        } else if o.block.contains(m) {
            let rs: Vec<&str> = o
                .reasons
                .get(m)
                .map(|r| r.iter().map(Reason::word).collect())
                .unwrap_or_default();
            let word = if rs.is_empty() {
                "blocks".to_string()
            } else {
                format!("blocks: {}", rs.join(", "))
            };
            ("B".into(), word, "✕".into(), why)
        } else {
            (
                "A".into(),
                "abstains".into(),
                "·".into(),
                "no condition of its position holds".into(),
            )
        }
    })
}

/// Members coloured by how many of the campaigns hit them (`hits`: member -> campaign names).
pub fn campaign_map(alliance: &Alliance, hits: &BTreeMap<String, Vec<String>>) -> TileMap {
    grid(alliance, |i| {
        let m = &alliance.members[i].code;
        let names = hits.get(m).cloned().unwrap_or_default();
        let n = names.len();
        (
            format!("h{}", n.min(3)),
            match n {
                0 => "no campaign".to_string(),
                1 => "1 campaign".to_string(),
                n => format!("{n} campaigns"),
            },
            String::new(),
            if names.is_empty() {
                "not hit by any campaign you may read".to_string()
            } else {
                names.join("; ")
            },
        )
    })
}

/// The tile map as HTML (a CSS grid laid out like the map; each tile names the member, its
/// state in words and a mark; the reason on hover).
pub fn tiles_html(map: &TileMap, label: &str) -> String {
    let mut s = format!(
        "<div class=\"tilemap\" role=\"list\" aria-label=\"{}\" style=\"grid-template-columns:repeat({},3.9rem)\">",
        esc(label),
        map.cols
    );
    for t in &map.tiles {
        let _ = write!(
            s,
            "<div role=\"listitem\" class=\"tile {}\" style=\"grid-column:{};grid-row:{}\" title=\"{}: {}{}\"><b>{}</b><small>{}{}</small></div>",
            esc(&t.class),
            t.col,
            t.row,
            esc(&t.name),
            esc(&t.word),
            if t.why.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(&t.why))
            },
            esc(&t.code),
            if t.mark.is_empty() {
                String::new()
            } else {
                format!("<span aria-hidden=\"true\">{} </span>", esc(&t.mark))
            },
            esc(&t.word)
        );
    }
    s.push_str("</div>");
    s
}

/// The tile map as text (Markdown code block): the same grid, each tile its code and mark.
pub fn tiles_text(map: &TileMap) -> String {
    let mut rows = vec![vec!["      ".to_string(); map.cols]; map.rows];
    for t in &map.tiles {
        if let Some(cell) = rows
            .get_mut(t.row.saturating_sub(1))
            .and_then(|r| r.get_mut(t.col.saturating_sub(1)))
        {
            *cell = format!("{:<3}{:<2} ", t.code, t.mark);
        }
    }
    let mut s = String::from("```\n");
    for r in rows {
        let line: String = r.concat();
        let _ = writeln!(s, "{}", line.trim_end());
    }
    s.push_str("```\n");
    s
}

// ---------------------------------------------------------------------------------------
// Bottom line up front

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

// ---------------------------------------------------------------------------------------
// Replay as a grid

/// The replay as a grid: one row per rung, one column per moment; each cell adopted or not,
/// the first adoption marked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplayGrid {
    /// The moments (date and time, what changed).
    pub moments: Vec<(String, Vec<String>)>,
    /// Per rung: id, option, first adopted (moment) and per moment the cell state
    /// (`first`, `yes`, `no`).
    pub rows: Vec<ReplayRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplayRow {
    pub id: String,
    pub option: String,
    pub first_adopted: Option<String>,
    pub cells: Vec<&'static str>,
}

/// The grid of a replay.
pub fn replay_grid(r: &concord_rift::replay::Replay) -> ReplayGrid {
    let moments = r
        .steps
        .iter()
        .map(|s| (s.at.clone(), s.what.clone()))
        .collect();
    let rows = r
        .rungs
        .iter()
        .map(|h| {
            let mut seen = false;
            let cells = r
                .steps
                .iter()
                .map(|s| {
                    let on = s.adopted.contains(&h.id);
                    match (on, seen) {
                        (true, false) => {
                            seen = true;
                            "first"
                        }
                        (true, true) => "yes",
                        (false, _) => "no",
                    }
                })
                .collect();
            ReplayRow {
                id: h.id.clone(),
                option: h.option.clone(),
                first_adopted: h.first_adopted.clone(),
                cells,
            }
        })
        .collect();
    ReplayGrid { moments, rows }
}

// ---------------------------------------------------------------------------------------
// What-if

/// What-if changes from a form (query parameters): a field left empty keeps the assessed
/// value. `victims` is a list of member codes (commas or spaces); `pos_member`,
/// `pos_rung` and `pos_stance` (`support`, `abstain`, `block`) set one member's position on
/// one rung.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, PartialEq)]
pub struct WhatIfQuery {
    pub severity: Option<String>,
    pub attribution: Option<String>,
    pub effects: Option<String>,
    pub actor: Option<String>,
    pub victims: Option<String>,
    pub pos_member: Option<String>,
    pub pos_rung: Option<String>,
    pub pos_stance: Option<String>,
}

fn given(x: &Option<String>) -> Option<&str> {
    x.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl WhatIfQuery {
    /// Whether any change is asked for.
    pub fn is_empty(&self) -> bool {
        [
            &self.severity,
            &self.attribution,
            &self.effects,
            &self.actor,
            &self.victims,
            &self.pos_member,
        ]
        .iter()
        .all(|x| given(x).is_none())
    }
}

/// A what-if applied: the vector and the policy set to decide with, what changed, and
/// what could not be applied (each naming the field).
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub vector: Vector,
    /// The policy set with one member's position changed (`None`: unchanged).
    pub policies: Option<PolicySet>,
    /// What changed, in words ("severity: emergency → high").
    pub changes: Vec<String>,
    /// Fields that could not be applied ("victims: 'XXX' is not a member").
    pub errors: Vec<String>,
}

fn level(field: &str, list: &[&str], want: Option<&str>, now: u8, w: &mut WhatIf) -> u8 {
    let Some(want) = want else { return now };
    match list.iter().position(|x| *x == want) {
        Some(i) => {
            let i = u8::try_from(i).unwrap_or(now);
            if i != now {
                w.changes.push(format!(
                    "{field}: {} → {want}",
                    list.get(usize::from(now)).copied().unwrap_or("?")
                ));
            }
            i
        }
        None => {
            w.errors.push(format!(
                "{field}: '{want}' is not one of {}",
                list.join(", ")
            ));
            now
        }
    }
}

/// Apply a what-if to the assessed vector and the policy set in use. Nothing is saved.
pub fn what_if(
    alliance: &Alliance,
    policies: &PolicySet,
    base: &Vector,
    q: &WhatIfQuery,
) -> WhatIf {
    let mut w = WhatIf {
        vector: base.clone(),
        policies: None,
        changes: Vec::new(),
        errors: Vec::new(),
    };
    let mut v = base.clone();
    v.severity = level("severity", SEVERITY, given(&q.severity), v.severity, &mut w);
    v.attribution = level(
        "attribution",
        ATTRIBUTION,
        given(&q.attribution),
        v.attribution,
        &mut w,
    );
    v.effects = level("effects", EFFECTS, given(&q.effects), v.effects, &mut w);
    v.actor = level("actor", ACTOR, given(&q.actor), v.actor, &mut w);
    if let Some(list) = given(&q.victims) {
        let mut victims = std::collections::BTreeSet::new();
        let mut bad = Vec::new();
        for code in list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| !c.is_empty())
        {
            let code = code.to_ascii_uppercase();
            if alliance.member_index(&code).is_some() {
                victims.insert(code);
            } else {
                bad.push(code);
            }
        }
        if !bad.is_empty() {
            w.errors.push(format!(
                "victims: {} {} not a member of {}",
                bad.join(", "),
                if bad.len() == 1 { "is" } else { "are" },
                alliance.name
            ));
        } else if victims.is_empty() {
            w.errors
                .push("victims: name at least one member (codes such as EST, LVA)".into());
        } else if victims != v.victims {
            // members affected outside the alliance stay as assessed
            let outside = v
                .members_affected
                .saturating_sub(u64::try_from(v.victims.len()).unwrap_or(u64::MAX));
            w.changes.push(format!(
                "victims: {} → {}",
                v.victims.iter().cloned().collect::<Vec<_>>().join(", "),
                victims.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            v.members_affected =
                outside.saturating_add(u64::try_from(victims.len()).unwrap_or(u64::MAX));
            v.victims = victims;
        }
    }
    if let Some(member) = given(&q.pos_member) {
        let member = member.to_ascii_uppercase();
        let rung = given(&q.pos_rung).unwrap_or("");
        let stance = given(&q.pos_stance).unwrap_or("");
        match (
            alliance.member_index(&member),
            alliance.rung_index(rung),
            stance,
        ) {
            (None, _, _) => w.errors.push(format!(
                "position: {member} is not a member of {}",
                alliance.name
            )),
            (_, None, _) => w.errors.push(format!(
                "position: choose a rung ({})",
                alliance
                    .ladder
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            (Some(i), Some(r), s @ ("support" | "abstain" | "block")) => {
                let mut set = policies.clone();
                match set.by_member.get_mut(i).and_then(Option::as_mut) {
                    Some(p) => {
                        if p.stances.len() <= r {
                            p.stances.resize(r + 1, Default::default());
                        }
                        let st = &mut p.stances[r];
                        st.support = (s == "support").then_some(Cond::True);
                        st.block = if s == "block" {
                            vec![(Reason::Policy, Cond::True)]
                        } else {
                            Vec::new()
                        };
                        set.origin.name = format!(
                            "{}, with a what-if position of {member} on {rung} (not saved)",
                            set.origin.name
                        );
                        w.changes.push(format!(
                            "{member}'s position on {rung}: always {}{}",
                            match s {
                                "support" => "supports",
                                "block" => "blocks",
                                _ => "abstains",
                            },
                            if s == "support" {
                                " (a missing legal basis still blocks: it comes from its doctrine)"
                            } else {
                                ""
                            }
                        ));
                        w.policies = Some(set);
                    }
                    None => w
                        .errors
                        .push(format!("position: {member} has no policy to change")),
                }
            }
            (_, _, other) => w.errors.push(format!(
                "position: '{other}' is not a stance (support, abstain, block)"
            )),
        }
    }
    w.vector = v;
    w
}

/// The rungs whose adoption differs between two decisions of the same ladder:
/// "countermeasures: not adopted → adopted".
pub fn changed_rungs(before: &Decision, after: &Decision) -> Vec<String> {
    before
        .options
        .iter()
        .zip(&after.options)
        .filter(|(a, b)| a.adopted != b.adopted)
        .map(|(a, b)| {
            let w = |x: bool| if x { "adopted" } else { "not adopted" };
            format!("{}: {} → {}", a.option, w(a.adopted), w(b.adopted))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// A position edit against the case library

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

// ---------------------------------------------------------------------------------------
// Date-time group

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A date-time group (`301452Z NOV 26`) from an RFC 3339 UTC timestamp
/// (`2026-11-30T14:52:07Z`); `None` when it is not one.
pub fn dtg(ts: &str) -> Option<String> {
    let b = ts.as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| ts.get(r).and_then(|x| x.parse::<usize>().ok());
    let (year, month, day, hour, minute) = (
        num(2..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let mon = MONTHS.get(month.checked_sub(1)?)?;
    if day == 0 || day > 31 || hour > 23 || minute > 59 {
        return None;
    }
    Some(format!("{day:02}{hour:02}{minute:02}Z {mon} {year:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(json: &str) -> Vector {
        Vector::from_json(&serde_json::from_str(json).unwrap()).unwrap()
    }

    const BALTIC: &str = r#"{"severity":"emergency","attribution":"high","effects":"destruction","actor":"state","sectors":["energy","government"],"victims":["EST","LTU","LVA","POL"]}"#;

    #[test]
    fn every_member_of_both_forums_has_its_own_tile() {
        for a in [Alliance::nato(), Alliance::eu()] {
            let pos = layout(&a);
            assert_eq!(pos.len(), a.members.len());
            let mut seen = std::collections::HashSet::new();
            for (m, p) in a.members.iter().zip(&pos) {
                assert!(seen.insert(*p), "{} shares a tile", m.code);
                assert!(LAYOUT.iter().any(|(c, _, _)| *c == m.code), "{}", m.code);
            }
        }
    }

    #[test]
    fn other_alliances_are_laid_out_from_coordinates_without_collisions() {
        let mut a = Alliance::nato();
        for m in &mut a.members {
            m.code = format!("X{}", &m.code[1..]);
        }
        a.members.sort_by(|x, y| x.code.cmp(&y.code));
        let pos = layout(&a);
        let set: std::collections::HashSet<_> = pos.iter().collect();
        assert_eq!(set.len(), a.members.len());
        // west stays west: the Americas left of Europe
        let at = |name: &str| pos[a.members.iter().position(|m| m.name == name).unwrap()];
        assert!(at("Canada").0 < at("Poland").0);
        assert!(at("Norway").1 < at("Greece").1, "north above south");
    }

    #[test]
    fn the_ladder_strip_says_blocked_with_the_reason_and_unsupported_with_what_is_missing() {
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let d = concord_policy::decide(&a, &p, &vector(BALTIC));
        let cells = ladder(&a, &d);
        let cm = cells.iter().find(|c| c.id == "countermeasures").unwrap();
        assert_eq!(cm.state, "blocked");
        assert_eq!(cm.label, "blocked: legal");
        assert_eq!(cm.blockers, vec!["FRA (legal doubts)".to_string()]);
        assert!(cells
            .iter()
            .filter(|c| c.id != "countermeasures")
            .all(|c| c.state == "adopted"));
        // a low-severity espionage case: solidarity needs a victim's request
        let d = concord_policy::decide(
            &a,
            &p,
            &vector(
                r#"{"severity":"low","attribution":"low","effects":"espionage","actor":"unknown","victims":["BEL"]}"#,
            ),
        );
        let cells = ladder(&a, &d);
        let un: Vec<&RungCell> = cells.iter().filter(|c| c.state == "unsupported").collect();
        assert!(!un.is_empty());
        assert!(
            un.iter().all(|c| !c.label.is_empty() && c.mark == "–"),
            "{un:?}"
        );
        let html = ladder_html(&cells, "ladder", Some("?"), true, Some("share"));
        assert!(html.contains("rung unsupported"));
        assert!(html.contains("href=\"?rung=share#map\" aria-current=\"true\""));
        assert_eq!(html.matches(" current\"").count(), 1);
        let md = ladder_markdown(&cells);
        assert!(md.contains("| ✓ adopted |"), "{md}");
    }

    #[test]
    fn the_bottom_line_names_the_blocker_its_reason_and_what_would_unblock() {
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let v = vector(BALTIC);
        let d = concord_policy::decide(&a, &p, &v);
        let sum = explain::summary(&a, &d);
        let flips = concord_policy::whatif::sensitivity(&a, &p, &v);
        let b = bluf(&a, &d, &sum, &flips);
        assert_eq!(b.blocked.len(), 1);
        let cm = &b.blocked[0];
        assert_eq!(cm.id, "countermeasures");
        assert_eq!(cm.blockers[0].member, "FRA");
        assert_eq!(cm.blockers[0].reasons, "legal doubts");
        assert!(!cm.blockers[0].why.is_empty());
        // France blocks countermeasures it is not the victim of: adding it as a victim unblocks
        assert!(
            cm.unblock
                .iter()
                .any(|u| u.contains("victims") && u.contains("FRA")),
            "{:?}",
            cm.unblock
        );
        assert_eq!(b.agree_now.len(), 10);
        assert_eq!(b.highest.as_deref(), Some("Article 5 collective defence"));
        assert!(b.recommendation.starts_with("Agree now the 10 option(s)"));
    }

    #[test]
    fn stance_and_campaign_maps_say_it_in_words() {
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let d = concord_policy::decide(&a, &p, &vector(BALTIC));
        let map = stance_map(&a, d.option("countermeasures").unwrap());
        let fra = map.tiles.iter().find(|t| t.code == "FRA").unwrap();
        assert_eq!(
            (fra.class.as_str(), fra.word.as_str()),
            ("B", "blocks: legal")
        );
        assert!(fra.why.contains("legal"), "{}", fra.why);
        let html = tiles_html(&map, "stances");
        assert!(
            html.contains(
                "<b>FRA</b><small><span aria-hidden=\"true\">✕ </span>blocks: legal</small>"
            ),
            "{html}"
        );
        let text = tiles_text(&map);
        assert!(text.contains("FRA✕"), "{text}");
        let mut hits = BTreeMap::new();
        hits.insert("EST".to_string(), vec!["a".to_string(), "b".to_string()]);
        let m = campaign_map(&a, &hits);
        let est = m.tiles.iter().find(|t| t.code == "EST").unwrap();
        assert_eq!(
            (est.class.as_str(), est.word.as_str()),
            ("h2", "2 campaigns")
        );
        assert!(tiles_html(&m, "hits").contains("<b>EST</b><small>2 campaigns</small>"));
        let deu = m.tiles.iter().find(|t| t.code == "DEU").unwrap();
        assert_eq!(deu.class, "h0");
    }

    #[test]
    fn what_if_changes_the_vector_and_a_position_without_touching_the_set() {
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let v = vector(BALTIC);
        let q = WhatIfQuery {
            attribution: Some("low".into()),
            victims: Some("est, fra".into()),
            ..Default::default()
        };
        let w = what_if(&a, &p, &v, &q);
        assert!(w.errors.is_empty(), "{:?}", w.errors);
        assert_eq!(w.vector.attribution, 1);
        assert_eq!(w.vector.victims.len(), 2);
        assert_eq!(w.vector.members_affected, 2);
        assert_eq!(w.changes.len(), 2, "{:?}", w.changes);
        // France supports as a victim: countermeasures no longer blocked by it
        let q = WhatIfQuery {
            pos_member: Some("FRA".into()),
            pos_rung: Some("countermeasures".into()),
            pos_stance: Some("abstain".into()),
            ..Default::default()
        };
        let w = what_if(&a, &p, &v, &q);
        let set = w.policies.as_ref().unwrap();
        let before = concord_policy::decide(&a, &p, &v);
        let after = concord_policy::decide(&a, set, &w.vector);
        assert!(!before.option("countermeasures").unwrap().adopted);
        assert!(after.option("countermeasures").unwrap().adopted);
        assert_eq!(
            changed_rungs(&before, &after),
            vec!["proportionate cyber countermeasures (voluntary national effects): not adopted → adopted".to_string()]
        );
        assert!(set.origin.name.contains("not saved"));
        assert_ne!(set, &p);
        // bad fields are named, and change nothing
        let q = WhatIfQuery {
            severity: Some("huge".into()),
            victims: Some("EST XXX".into()),
            pos_member: Some("FRA".into()),
            pos_rung: Some("countermeasures".into()),
            pos_stance: Some("maybe".into()),
            ..Default::default()
        };
        let w = what_if(&a, &p, &v, &q);
        assert_eq!(w.errors.len(), 3, "{:?}", w.errors);
        assert!(w.errors[0].starts_with("severity:"));
        assert!(w.errors[1].contains("XXX"));
        assert_eq!(w.vector, v);
        assert!(w.policies.is_none());
        assert!(WhatIfQuery::default().is_empty());
    }

    #[test]
    fn case_changes_list_the_outcomes_an_edit_flips() {
        use concord_policy::cases;
        let a = Alliance::nato();
        let p = PolicySet::builtin(&a);
        let list = cases::parse("cases", cases::BUILTIN_CASES).unwrap();
        let forum = |p: PolicySet| concord_policy::Forum {
            id: "nato".into(),
            alliance: a.clone(),
            policies: p,
        };
        let before = cases::score("cases", &list, &[forum(p.clone())]).unwrap();
        assert!(case_changes(&before, &before).is_empty());
        // France always blocking solidarity: the record's statements of solidarity are lost
        let w = what_if(
            &a,
            &p,
            &vector(BALTIC),
            &WhatIfQuery {
                pos_member: Some("FRA".into()),
                pos_rung: Some("solidarity".into()),
                pos_stance: Some("block".into()),
                ..Default::default()
            },
        );
        let after = cases::score("cases", &list, &[forum(w.policies.unwrap())]).unwrap();
        let ch = case_changes(&before, &after);
        assert!(!ch.is_empty());
        assert!(ch
            .iter()
            .all(|c| c.rung == "solidarity" && c.before && !c.after));
        assert!(ch
            .iter()
            .all(|c| c.effect() == "no longer reproduces the record"));
        assert_eq!(
            after.forums["nato"].reproduced + ch.len(),
            before.forums["nato"].reproduced
        );
    }

    #[test]
    fn date_time_groups() {
        assert_eq!(
            dtg("2026-11-30T14:52:07.123Z").as_deref(),
            Some("301452Z NOV 26")
        );
        assert_eq!(
            dtg("2026-03-02T00:05:00Z").as_deref(),
            Some("020005Z MAR 26")
        );
        assert_eq!(dtg("2026-13-02T00:05:00Z"), None);
        assert_eq!(dtg("yesterday"), None);
    }
}
