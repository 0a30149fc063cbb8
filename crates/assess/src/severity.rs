//! NCISS-style severity (DESIGN 3.3): a score 0-100, the weighted mean of category scores,
//! and a level by published cut-offs. Every weight, level score and cut-off is concord's
//! own (the official NCISS ones are not public) and can be replaced with a TOML file; see
//! docs/severity.md.

use crate::facts::IncidentFacts;
use concord_policy::vocab::SEVERITY;
use concord_stix::concord_ext::{
    EFFECTS, FUNCTIONAL_IMPACT, INFORMATION_IMPACT, LOCATION, OBSERVED_ACTIVITY, RECOVERABILITY,
};
use serde::Serialize;
use std::collections::BTreeMap;
use toml_edit::ImDocument;

/// Why a severity model file was refused: every problem, each naming the file and key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct SeverityModelError {
    pub problems: Vec<String>,
}

/// Sectors whose disruption cascades into others (NCISS "cross-sector dependency").
pub const CRITICAL_SECTORS: &[&str] = &[
    "energy",
    "water",
    "health",
    "finance",
    "transport",
    "telecom",
    "government",
    "elections",
    "defence",
    "space",
];

/// One category: its weight and the score of each of its levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    pub weight: f64,
    pub levels: Vec<(&'static str, f64)>,
}

/// The severity model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityModel {
    pub categories: BTreeMap<&'static str, Category>,
    /// Score at or above which each level starts: low, medium, high, severe, emergency.
    pub cutoffs: [f64; 5],
}

fn cat(weight: f64, words: &[&'static str], scores: &[f64]) -> Category {
    Category {
        weight,
        levels: words.iter().copied().zip(scores.iter().copied()).collect(),
    }
}

impl Default for SeverityModel {
    fn default() -> Self {
        let mut c = BTreeMap::new();
        c.insert(
            "functional_impact",
            cat(0.25, FUNCTIONAL_IMPACT, &[0.0, 0.35, 0.7, 1.0]),
        );
        c.insert(
            "information_impact",
            cat(0.15, INFORMATION_IMPACT, &[0.0, 0.25, 0.6, 0.8, 1.0]),
        );
        c.insert(
            "recoverability",
            cat(0.15, RECOVERABILITY, &[0.0, 0.35, 0.7, 1.0]),
        );
        c.insert(
            "observed_activity",
            cat(0.10, OBSERVED_ACTIVITY, &[0.1, 0.35, 0.6, 1.0]),
        );
        c.insert("location", cat(0.15, LOCATION, &[0.0, 0.35, 0.75, 1.0]));
        c.insert(
            "potential_impact",
            cat(0.15, EFFECTS, &[0.2, 0.55, 0.7, 0.85, 1.0]),
        );
        c.insert(
            "cross_sector_dependency",
            cat(
                0.05,
                &["none", "one", "two", "three_or_more"],
                &[0.0, 0.34, 0.67, 1.0],
            ),
        );
        SeverityModel {
            categories: c,
            cutoffs: [15.0, 30.0, 45.0, 60.0, 75.0],
        }
    }
}

/// One category's part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    pub category: &'static str,
    pub value: &'static str,
    pub score: f64,
    pub weight: f64,
    /// Points this category adds to the 0-100 score.
    pub points: f64,
    /// The fact was absent and took its stated default.
    pub defaulted: bool,
}

/// A severity with the factors behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Severity {
    pub level: &'static str,
    pub score: f64,
    pub factors: Vec<Factor>,
}

impl SeverityModel {
    /// Read a model file: `[weights]` category = weight, `[levels.<category>]` level = score,
    /// `[cutoffs]` low/medium/high/severe/emergency = score. Unlisted entries keep defaults.
    pub fn parse(file: &str, text: &str) -> Result<SeverityModel, SeverityModelError> {
        let mut m = SeverityModel::default();
        let doc = ImDocument::parse(text).map_err(|e| SeverityModelError {
            problems: vec![format!("{file}: not valid TOML: {}", e.message().trim())],
        })?;
        let mut errors = Vec::new();
        let num = |v: &toml_edit::Item| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
        for (k, item) in doc.as_table().iter() {
            let Some(t) = item.as_table_like() else {
                errors.push(format!("{file}: '{k}' must be a table"));
                continue;
            };
            match k {
                "weights" => {
                    for (c, v) in t.iter() {
                        match (m.categories.get_mut(c), num(v)) {
                            (Some(cat), Some(x)) if x >= 0.0 => cat.weight = x,
                            (None, _) => errors.push(format!(
                                "{file}: weights.{c}: unknown category (valid: {})",
                                m.categories.keys().copied().collect::<Vec<_>>().join(", ")
                            )),
                            _ => errors.push(format!("{file}: weights.{c}: must be a number >= 0")),
                        }
                    }
                }
                "levels" => {
                    for (c, lv) in t.iter() {
                        let Some(cat) = m.categories.get_mut(c) else {
                            errors.push(format!("{file}: levels.{c}: unknown category"));
                            continue;
                        };
                        let Some(lt) = lv.as_table_like() else {
                            errors.push(format!("{file}: levels.{c} must be a table"));
                            continue;
                        };
                        for (l, v) in lt.iter() {
                            let words: Vec<&str> = cat.levels.iter().map(|x| x.0).collect();
                            match (cat.levels.iter_mut().find(|x| x.0 == l), num(v)) {
                                (Some(slot), Some(x)) if (0.0..=1.0).contains(&x) => slot.1 = x,
                                (None, _) => errors.push(format!(
                                    "{file}: levels.{c}.{l}: unknown level (valid: {})",
                                    words.join(", ")
                                )),
                                _ => errors.push(format!(
                                    "{file}: levels.{c}.{l}: must be a number from 0 to 1"
                                )),
                            }
                        }
                    }
                }
                "cutoffs" => {
                    for (l, v) in t.iter() {
                        match (SEVERITY[1..].iter().position(|x| *x == l), num(v)) {
                            (Some(i), Some(x)) => m.cutoffs[i] = x,
                            (None, _) => errors.push(format!("{file}: cutoffs.{l}: unknown level (valid: low, medium, high, severe, emergency)")),
                            _ => errors.push(format!("{file}: cutoffs.{l}: must be a number")),
                        }
                    }
                }
                other => errors.push(format!(
                    "{file}: unknown table '{other}' (valid: weights, levels, cutoffs)"
                )),
            }
        }
        if m.cutoffs.windows(2).any(|w| w[0] > w[1]) {
            errors.push(format!(
                "{file}: cutoffs must not decrease from low to emergency"
            ));
        }
        if errors.is_empty() {
            Ok(m)
        } else {
            Err(SeverityModelError { problems: errors })
        }
    }

    /// The level for a score.
    pub fn level(&self, score: f64) -> &'static str {
        let above = self.cutoffs.iter().filter(|c| score >= **c).count();
        SEVERITY[above]
    }

    /// Score one incident.
    pub fn score(&self, f: &IncidentFacts) -> Severity {
        let critical = f
            .sectors
            .iter()
            .filter(|s| CRITICAL_SECTORS.contains(&s.as_str()))
            .count()
            .min(3);
        // (category, level index, whether the fact took its default); potential impact reads `effects`
        let fact = |category: &'static str, name: &str, level: u8| {
            (category, usize::from(level), f.defaulted.contains(&name))
        };
        let inputs: [(&'static str, usize, bool); 7] = [
            fact(
                "functional_impact",
                "functional_impact",
                f.functional_impact,
            ),
            fact(
                "information_impact",
                "information_impact",
                f.information_impact,
            ),
            fact("recoverability", "recoverability", f.recoverability),
            fact(
                "observed_activity",
                "observed_activity",
                f.observed_activity,
            ),
            fact("location", "location", f.location),
            fact("potential_impact", "effects", f.effects),
            ("cross_sector_dependency", critical, false),
        ];
        let total_weight: f64 = inputs
            .iter()
            .filter_map(|(c, _, _)| self.categories.get(c))
            .map(|c| c.weight)
            .sum();
        let mut factors = Vec::new();
        for (c, i, defaulted) in inputs {
            let Some(cat) = self.categories.get(c) else {
                continue;
            };
            let (value, score) = cat.levels.get(i).copied().unwrap_or(("?", 0.0));
            let points = if total_weight > 0.0 {
                100.0 * cat.weight * score / total_weight
            } else {
                0.0
            };
            factors.push(Factor {
                category: c,
                value,
                score,
                weight: cat.weight,
                points,
                defaulted,
            });
        }
        let score = (factors.iter().map(|f| f.points).sum::<f64>() * 10.0).round() / 10.0;
        Severity {
            level: self.level(score),
            score,
            factors,
        }
    }
}
