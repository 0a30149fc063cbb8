//! The tile map: the members laid out like the map, coloured by stance or by campaigns,
//! always saying it in words.

use super::*;
use concord_policy::{Alliance, OptionOutcome, Reason};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Hand-laid tile positions (column, row) for the members of the built-in forums, so the
/// map reads like Europe and North America: every NATO and EU member has a place.
pub(super) const LAYOUT: &[(&str, u8, u8)] = &[
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
