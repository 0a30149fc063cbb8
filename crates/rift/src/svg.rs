//! SVG charts of the rift metrics, drawn with plotters (SVG backend, no font files needed):
//! a heatmap of the highest adopted rung over severity x attribution for state actors (one
//! per effects level), rift and veto index, adopted share, victims' unmet requests,
//! blockers' reasons and what is missing per option, pivotal members, and the ceilings.
//! Every chart has a title and a caption saying what it shows, the date and the policy
//! set's name, stamped ILLUSTRATIVE when the built-in positions are used.

use crate::engine::Metrics;
use concord_policy::vocab::{ATTRIBUTION, EFFECTS, SEVERITY};
use concord_policy::Alliance;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Colour-blind-safe sequential palette (viridis, 11 steps), low to high.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

fn palette(x: f64) -> RGBColor {
    let i = ((x.clamp(0.0, 1.0)) * (VIRIDIS.len() - 1) as f64).round() as usize;
    let (r, g, b) = VIRIDIS[i.min(VIRIDIS.len() - 1)];
    RGBColor(r, g, b)
}

/// What every chart says about its inputs.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// The policy set's name (e.g. "built-in NATO positions" or a directory).
    pub policy_set: String,
    /// The built-in illustrative positions are in use.
    pub illustrative: bool,
    /// The date the figures were computed (YYYY-MM-DD).
    pub date: String,
}

impl Stamp {
    /// The stamp in one line: "ILLUSTRATIVE · built-in positions · computed 2026-03-20".
    pub fn line(&self) -> String {
        format!(
            "{}{} · computed {}",
            if self.illustrative {
                "ILLUSTRATIVE · "
            } else {
                ""
            },
            self.policy_set,
            self.date
        )
    }
}

/// Draw a caption (what the chart shows) and the stamp at the bottom of `area`.
fn caption(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    caption: &str,
    stamp: &Stamp,
) -> std::io::Result<()> {
    let (_, h) = area.dim_in_pixel();
    let h = h as i32;
    area.draw_text(
        caption,
        &("sans-serif", 12).into_font().color(&BLACK),
        (10, h - 38),
    )
    .map_err(io)?;
    area.draw_text(
        &stamp.line(),
        &("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90)),
        (10, h - 20),
    )
    .map_err(io)
}

fn io<E: std::fmt::Debug>(e: E) -> std::io::Error {
    std::io::Error::other(format!("{e:?}"))
}

/// Weighted median of a distribution over `0..=rungs` (0 = no rung adopted).
fn median(dist: &[f64]) -> usize {
    let mut acc = 0.0;
    for (i, p) in dist.iter().enumerate() {
        acc += p;
        if acc >= 0.5 {
            return i;
        }
    }
    0
}

const HEATMAP_CAPTION: &str =
    "Median highest rung the alliance adopts over victims, sectors and numbers affected, state actor";

const CEILING_TITLE: &str = "Ceiling: most severe state attack left without the rung";
const CEILING_CAPTION: &str =
    "Per rung and attribution level: the highest severity of a state attack the rung does not answer";

fn heatmap_title(effects: usize) -> String {
    format!(
        "Highest adopted rung (median), state actor, effects = {}",
        EFFECTS.get(effects).copied().unwrap_or("?")
    )
}

fn heatmap(
    path: &Path,
    alliance: &Alliance,
    m: &Metrics,
    effects: usize,
    stamp: &Stamp,
) -> std::io::Result<()> {
    let rungs = alliance.ladder.len();
    let root = SVGBackend::new(path, (760, 620)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    caption(&root, HEATMAP_CAPTION, stamp)?;
    let (root, _) = root.split_vertically(560);
    let title = heatmap_title(effects);
    let root = root.titled(&title, ("sans-serif", 20)).map_err(io)?;
    let (grid, legend) = root.split_horizontally(560);
    let cells = grid
        .margin(30, 40, 110, 10)
        .split_evenly((SEVERITY.len(), ATTRIBUTION.len()));
    for (k, area) in cells.iter().enumerate() {
        let sev = SEVERITY.len() - 1 - k / ATTRIBUTION.len();
        let att = k % ATTRIBUTION.len();
        let dist = m
            .heat
            .get(effects)
            .and_then(|e| e.get(sev))
            .and_then(|s| s.get(att));
        let h = dist.map_or(0, |d| median(d));
        let colour = palette(h as f64 / rungs as f64);
        area.fill(&colour).map_err(io)?;
        let label = if h == 0 {
            "none".to_string()
        } else {
            alliance.ladder[h - 1].id.clone()
        };
        let text_colour = if h as f64 / rungs as f64 > 0.6 {
            BLACK
        } else {
            WHITE
        };
        area.draw_text(
            &label,
            &("sans-serif", 14).into_font().color(&text_colour),
            (8, 8),
        )
        .map_err(io)?;
        if att == 0 {
            area.draw_text(
                SEVERITY[sev],
                &("sans-serif", 13).into_font().color(&BLACK),
                (-100, 8),
            )
            .map_err(io)?;
        }
    }
    for (a, name) in ATTRIBUTION.iter().enumerate() {
        grid.draw_text(
            &format!("attribution {name}"),
            &("sans-serif", 12).into_font().color(&BLACK),
            (110 + a as i32 * 104, 520),
        )
        .map_err(io)?;
    }
    for r in 0..=rungs {
        let y = 30 + r as i32 * 40;
        let label = if r == 0 {
            "none".to_string()
        } else {
            format!("{} {}", r, alliance.ladder[r - 1].id)
        };
        legend
            .draw(&Rectangle::new(
                [(10, y), (34, y + 24)],
                palette(r as f64 / rungs as f64).filled(),
            ))
            .map_err(io)?;
        legend
            .draw_text(
                &label,
                &("sans-serif", 13).into_font().color(&BLACK),
                (40, y + 5),
            )
            .map_err(io)?;
    }
    root.present().map_err(io)
}

/// One bar chart: a title, what it shows, labelled values.
struct Bars<'a> {
    title: String,
    caption: &'a str,
    labels: Vec<String>,
    values: Vec<f64>,
    fmt: fn(f64) -> String,
}

fn bars(path: &Path, b: &Bars<'_>, stamp: &Stamp) -> std::io::Result<()> {
    let (title, labels, values, fmt) = (&b.title, &b.labels, &b.values, b.fmt);
    let height = 60 + 34 * labels.len() as u32;
    let root = SVGBackend::new(path, (760, height + 50)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    caption(&root, b.caption, stamp)?;
    let (root, _) = root.split_vertically(height);
    let root = root.titled(title, ("sans-serif", 20)).map_err(io)?;
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1e-12);
    for (i, (l, v)) in labels.iter().zip(values).enumerate() {
        let y = 10 + i as i32 * 34;
        root.draw_text(
            l,
            &("sans-serif", 14).into_font().color(&BLACK),
            (10, y + 6),
        )
        .map_err(io)?;
        let w = (v / max * 430.0).round() as i32;
        root.draw(&Rectangle::new(
            [(200, y), (200 + w.max(1), y + 24)],
            palette(0.35).filled(),
        ))
        .map_err(io)?;
        root.draw_text(
            &fmt(*v),
            &("sans-serif", 13).into_font().color(&BLACK),
            (210 + w.max(1), y + 6),
        )
        .map_err(io)?;
    }
    root.present().map_err(io)
}

fn ceiling_table(
    path: &Path,
    alliance: &Alliance,
    m: &Metrics,
    stamp: &Stamp,
) -> std::io::Result<()> {
    let height = 90 + 32 * alliance.ladder.len() as u32;
    let root = SVGBackend::new(path, (760, height + 50)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    caption(&root, CEILING_CAPTION, stamp)?;
    let (root, _) = root.split_vertically(height);
    let root = root.titled(CEILING_TITLE, ("sans-serif", 20)).map_err(io)?;
    for (a, name) in ATTRIBUTION.iter().enumerate() {
        root.draw_text(
            &format!("attribution {name}"),
            &("sans-serif", 13).into_font().color(&BLACK),
            (200 + a as i32 * 135, 8),
        )
        .map_err(io)?;
    }
    for (r, rung) in alliance.ladder.iter().enumerate() {
        let y = 34 + r as i32 * 32;
        root.draw_text(
            &rung.id,
            &("sans-serif", 14).into_font().color(&BLACK),
            (10, y + 6),
        )
        .map_err(io)?;
        for (a, name) in ATTRIBUTION.iter().enumerate() {
            let c = m
                .ceiling
                .get(&rung.id)
                .and_then(|x| x.get(name))
                .copied()
                .flatten();
            let level = c
                .and_then(|s| SEVERITY.iter().position(|x| *x == s))
                .map_or(0.0, |i| (i + 1) as f64 / SEVERITY.len() as f64);
            let x = 200 + a as i32 * 135;
            root.draw(&Rectangle::new(
                [(x, y), (x + 125, y + 26)],
                palette(level).filled(),
            ))
            .map_err(io)?;
            let tc = if level > 0.6 { BLACK } else { WHITE };
            root.draw_text(
                c.unwrap_or("answered"),
                &("sans-serif", 13).into_font().color(&tc),
                (x + 8, y + 7),
            )
            .map_err(io)?;
        }
    }
    root.present().map_err(io)
}

/// One chart written: its file, title and caption (what it shows), and the stamp's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub path: PathBuf,
    pub title: String,
    pub caption: String,
    /// The stamp as the chart shows it: ILLUSTRATIVE, the policy set, the date.
    pub stamp: String,
}

/// Write every chart into `dir`; returns the files written.
pub fn write_all(
    dir: &Path,
    alliance: &Alliance,
    m: &Metrics,
    stamp: &Stamp,
) -> std::io::Result<Vec<PathBuf>> {
    Ok(write_charts(dir, alliance, m, stamp)?
        .into_iter()
        .map(|c| c.path)
        .collect())
}

/// Write every chart into `dir`; returns each chart with its title and caption (for
/// pages that show the charts with a text caption).
pub fn write_charts(
    dir: &Path,
    alliance: &Alliance,
    m: &Metrics,
    stamp: &Stamp,
) -> std::io::Result<Vec<Chart>> {
    let mut files = Vec::new();
    let chart = |path: PathBuf, title: String, caption: &str| Chart {
        path,
        title,
        caption: caption.to_string(),
        stamp: stamp.line(),
    };
    for (e, name) in EFFECTS.iter().enumerate() {
        let p = dir.join(format!("heatmap-{name}.svg"));
        heatmap(&p, alliance, m, e, stamp)?;
        files.push(chart(p, heatmap_title(e), HEATMAP_CAPTION));
    }
    let labels: Vec<String> = m.options.iter().map(|o| o.id.clone()).collect();
    let per_option = |f: fn(&crate::OptionMetrics) -> f64| m.options.iter().map(f).collect();
    let four = |v: f64| format!("{v:.4}");
    let charts = [
        ("rift-index.svg", Bars {
            title: format!("Rift index per option (overall {:.4})", m.rift_index),
            caption: "Share of scenarios where a majority supports a consensus option and at least one member blocks it",
            labels: labels.clone(),
            values: per_option(|o| o.rift_index),
            fmt: four,
        }),
        ("veto-index.svg", Bars {
            title: format!("Veto index per option (overall {:.4})", m.veto_index),
            caption: "Share of scenarios where everything else is in place and only objections stop a consensus option",
            labels: labels.clone(),
            values: per_option(|o| o.veto_index),
            fmt: four,
        }),
        ("victim-unmet.svg", Bars {
            title: "Victims' unmet requests per option".into(),
            caption: "Share of scenarios where an affected ally supports the option and the alliance does not adopt it",
            labels: labels.clone(),
            values: per_option(|o| o.victim_unmet),
            fmt: four,
        }),
        ("adopted-share.svg", Bars {
            title: "Share of scenarios where the option is adopted".into(),
            caption: "Weighted share of all scenarios in which the alliance adopts the option",
            labels: labels.clone(),
            values: per_option(|o| o.adopted_share),
            fmt: four,
        }),
    ];
    for (name, b) in &charts {
        let p = dir.join(name);
        bars(&p, b, stamp)?;
        files.push(chart(p, b.title.clone(), b.caption));
    }
    let pairs = |f: fn(&crate::OptionMetrics) -> &std::collections::BTreeMap<&'static str, f64>| {
        let mut labels = Vec::new();
        let mut values = Vec::new();
        for o in &m.options {
            for (k, v) in f(o) {
                labels.push(format!("{} · {k}", o.id));
                values.push(*v);
            }
        }
        if labels.is_empty() {
            labels.push("none".into());
            values.push(0.0);
        }
        (labels, values)
    };
    let (bl, bv) = pairs(|o| &o.blocked_by);
    let (ml, mv) = pairs(|o| &o.missing_share);
    for (name, b) in [
        ("blocked-by.svg", Bars {
            title: "Why options are vetoed: blockers' reasons".into(),
            caption: "Share of scenarios that are veto cells of the option with at least one blocker giving the reason",
            labels: bl,
            values: bv,
            fmt: four,
        }),
        ("missing-share.svg", Bars {
            title: "What keeps options from adoption".into(),
            caption: "Share of scenarios whose missing list for the option has the kind (support, request, block, contributors, requires)",
            labels: ml,
            values: mv,
            fmt: four,
        }),
    ] {
        let p = dir.join(name);
        bars(&p, &b, stamp)?;
        files.push(chart(p, b.title.clone(), b.caption));
    }
    let mut piv_labels = Vec::new();
    let mut piv_values = Vec::new();
    for o in &m.options {
        let mut v: Vec<(&String, &u64)> = o.pivotal.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, n) in v.into_iter().take(5) {
            piv_labels.push(format!("{} {code}", o.id));
            piv_values.push(*n as f64);
        }
    }
    if piv_labels.is_empty() {
        piv_labels.push("no pivotal member".into());
        piv_values.push(0.0);
    }
    let p = dir.join("pivotal.svg");
    let piv = Bars {
        title: "Pivotal members: scenarios where one member alone blocks".into(),
        caption: "Veto cells (everything else in place) where this member is the only blocker, counted unweighted",
        labels: piv_labels,
        values: piv_values,
        fmt: |v| format!("{v:.0}"),
    };
    bars(&p, &piv, stamp)?;
    files.push(chart(p, piv.title.clone(), piv.caption));
    let p = dir.join("ceiling.svg");
    ceiling_table(&p, alliance, m, stamp)?;
    files.push(chart(p, CEILING_TITLE.to_string(), CEILING_CAPTION));
    Ok(files)
}
