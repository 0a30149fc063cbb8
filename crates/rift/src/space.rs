//! The scenario space of DESIGN 7 and its prior weights.

use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SECTOR, SEVERITY};
use concord_policy::Alliance;
use toml_edit::ImDocument;

/// Why a prior file was refused: every problem, each with file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct PriorError {
    pub problems: Vec<String>,
}

/// The members_affected values of the default space.
pub const MEMBERS_AFFECTED: [u32; 3] = [1, 3, 10];

/// Per-level weights (1 unless a prior says otherwise).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub severity: Vec<f64>,
    pub attribution: Vec<f64>,
    pub actor: Vec<f64>,
    pub effects: Vec<f64>,
    pub sector: Vec<f64>,
    /// Indexed like the alliance's members (sorted by code).
    pub victim: Vec<f64>,
    pub members_affected: Vec<f64>,
}

impl Weights {
    pub fn uniform(members: usize) -> Weights {
        Weights {
            severity: vec![1.0; SEVERITY.len()],
            attribution: vec![1.0; ATTRIBUTION.len()],
            actor: vec![1.0; ACTOR.len()],
            effects: vec![1.0; EFFECTS.len()],
            sector: vec![1.0; SECTOR.len()],
            victim: vec![1.0; members],
            members_affected: vec![1.0; MEMBERS_AFFECTED.len()],
        }
    }

    /// The total weight of the space: the product of every dimension's weight sum.
    pub fn total(&self) -> f64 {
        self.severity.iter().sum::<f64>()
            * self.attribution.iter().sum::<f64>()
            * self.actor.iter().sum::<f64>()
            * self.effects.iter().sum::<f64>()
            * self.sector.iter().sum::<f64>()
            * self.members_affected.iter().sum::<f64>()
            * self.victim.iter().sum::<f64>()
    }

    /// Parse a prior file: `[weights.<dimension>]` tables mapping levels (member codes for
    /// `victim`, values for `members_affected`) to non-negative weights.
    pub fn parse_prior(file: &str, text: &str, alliance: &Alliance) -> Result<Weights, PriorError> {
        let mut w = Weights::uniform(alliance.members.len());
        let doc = ImDocument::parse(text).map_err(|e| PriorError {
            problems: vec![format!("{file}: not valid TOML: {}", e.message().trim())],
        })?;
        let pos = |span: Option<std::ops::Range<usize>>| {
            let off = span.map_or(0, |s| s.start);
            let line = 1 + text[..off.min(text.len())].matches('\n').count();
            format!("{file}:{line}")
        };
        let mut errors = Vec::new();
        for (k, item) in doc.as_table().iter() {
            if k != "weights" {
                errors.push(format!(
                    "{}: unknown key '{k}' (a prior holds [weights.<dimension>] tables)",
                    pos(item.span())
                ));
                continue;
            }
            let Some(t) = item.as_table_like() else {
                errors.push(format!("{}: 'weights' must be a table", pos(item.span())));
                continue;
            };
            for (dim, dv) in t.iter() {
                let codes: Vec<String> = alliance.members.iter().map(|m| m.code.clone()).collect();
                let ma: Vec<String> = MEMBERS_AFFECTED.iter().map(u32::to_string).collect();
                let (names, target): (Vec<String>, &mut Vec<f64>) = match dim {
                    "severity" => (
                        SEVERITY.iter().map(|s| s.to_string()).collect(),
                        &mut w.severity,
                    ),
                    "attribution" => (
                        ATTRIBUTION.iter().map(|s| s.to_string()).collect(),
                        &mut w.attribution,
                    ),
                    "actor" => (ACTOR.iter().map(|s| s.to_string()).collect(), &mut w.actor),
                    "effects" => (
                        EFFECTS.iter().map(|s| s.to_string()).collect(),
                        &mut w.effects,
                    ),
                    "sector" | "sectors" => (
                        SECTOR.iter().map(|s| s.to_string()).collect(),
                        &mut w.sector,
                    ),
                    "victim" | "victims" => (codes, &mut w.victim),
                    "members_affected" => (ma, &mut w.members_affected),
                    other => {
                        errors.push(format!(
                            "{}: unknown dimension '{other}' (valid: severity, attribution, actor, effects, sector, victim, members_affected)",
                            pos(dv.span())
                        ));
                        continue;
                    }
                };
                let Some(levels) = dv.as_table_like() else {
                    errors.push(format!(
                        "{}: [weights.{dim}] must be a table of level = weight",
                        pos(dv.span())
                    ));
                    continue;
                };
                for (level, lv) in levels.iter() {
                    let Some(i) = names.iter().position(|n| n == level) else {
                        errors.push(format!(
                            "{}: unknown {dim} level '{level}' (valid: {})",
                            pos(lv.span()),
                            names.join(", ")
                        ));
                        continue;
                    };
                    match lv.as_float().or_else(|| lv.as_integer().map(|n| n as f64)) {
                        Some(x) if x.is_finite() && x >= 0.0 => target[i] = x,
                        _ => errors.push(format!(
                            "{}: weights.{dim}.{level} must be a number >= 0",
                            pos(lv.span())
                        )),
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(w)
        } else {
            Err(PriorError { problems: errors })
        }
    }
}

/// Number of base cells (every dimension but the victim).
pub const BASE_CELLS: usize = SEVERITY_N * ATTRIBUTION_N * ACTOR_N * EFFECTS_N * SECTOR_N * MA_N;
pub const SEVERITY_N: usize = 6;
pub const ATTRIBUTION_N: usize = 4;
pub const ACTOR_N: usize = 4;
pub const EFFECTS_N: usize = 5;
pub const SECTOR_N: usize = 12;
pub const MA_N: usize = 3;

/// The coordinates of a base cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    pub severity: u8,
    pub attribution: u8,
    pub actor: u8,
    pub effects: u8,
    pub sector: u8,
    pub ma: u8,
}

impl Base {
    pub fn from_index(mut i: usize) -> Base {
        let ma = (i % MA_N) as u8;
        i /= MA_N;
        let sector = (i % SECTOR_N) as u8;
        i /= SECTOR_N;
        let effects = (i % EFFECTS_N) as u8;
        i /= EFFECTS_N;
        let actor = (i % ACTOR_N) as u8;
        i /= ACTOR_N;
        let attribution = (i % ATTRIBUTION_N) as u8;
        i /= ATTRIBUTION_N;
        Base {
            severity: i as u8,
            attribution,
            actor,
            effects,
            sector,
            ma,
        }
    }

    pub fn weight(&self, w: &Weights) -> f64 {
        w.severity[usize::from(self.severity)]
            * w.attribution[usize::from(self.attribution)]
            * w.actor[usize::from(self.actor)]
            * w.effects[usize::from(self.effects)]
            * w.sector[usize::from(self.sector)]
            * w.members_affected[usize::from(self.ma)]
    }
}
