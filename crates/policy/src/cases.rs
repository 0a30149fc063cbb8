//! The case library (`concord cases`): real incidents with the vector at the time of the
//! response and the outcomes the public record settles, rung by rung and forum by forum;
//! each case is decided with each forum's positions and compared with history.
//!
//! The built-in library is the shared case file with the EU outcomes added (each with its
//! source); users bring their own with the same shape:
//! `{"cases": [{"id", "name", "vector": {...}, "nato": {"solidarity": true, ...},
//! "eu": {...}, "sources": [...]}]}`. Outcomes not listed are unknown and not scored.

use crate::decide::{decide, Decision};
use crate::explain;
use crate::forum::{Forum, FORUM_IDS};
use crate::reason::Reasons;
use crate::vector::Vector;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The built-in case library (the shared case file plus sourced EU outcomes).
pub const BUILTIN_CASES: &str = include_str!("../cases/cases.json");

/// Why a case file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// Not JSON at all (line and column of the error).
    #[error("{file}:{line}:{column}: not JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON of the wrong shape, located by a JSON path.
    #[error("{file}: {path}: {message}")]
    Shape {
        file: String,
        path: String,
        message: String,
    },
}

/// One case of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub name: String,
    pub decided: Option<String>,
    pub vector: Vector,
    /// Forum id -> (rung id, taken) in file order.
    pub outcomes: BTreeMap<String, Vec<(String, bool)>>,
    pub sources: Vec<String>,
}

/// Parse a case file; every case must have an id and a valid vector, and outcomes under a
/// forum key (`nato`, `eu`) must be booleans.
pub fn parse(file: &str, text: &str) -> Result<Vec<Case>, CaseError> {
    let root: Value = serde_json::from_str(text).map_err(|e| CaseError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let shape = |path: String, message: String| CaseError::Shape {
        file: file.to_string(),
        path,
        message,
    };
    let list = root
        .get("cases")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("$.cases".into(), "must be a list of cases".into()))?;
    let mut out: Vec<Case> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let at = format!("$.cases[{i}]");
        let obj = c
            .as_object()
            .ok_or_else(|| shape(at.clone(), "a case must be an object".into()))?;
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| shape(format!("{at}.id"), "must be a non-empty string".into()))?;
        if out.iter().any(|x| x.id == id) {
            return Err(shape(
                format!("{at}.id"),
                format!("case id '{id}' appears twice"),
            ));
        }
        let vector = obj
            .get("vector")
            .ok_or_else(|| shape(format!("{at}.vector"), "is missing".into()))
            .and_then(|v| Vector::from_json(v).map_err(|e| shape(format!("{at}.vector"), e.0)))?;
        let mut outcomes = BTreeMap::new();
        for forum in FORUM_IDS {
            let Some(o) = obj.get(forum) else { continue };
            let o = o.as_object().ok_or_else(|| {
                shape(
                    format!("{at}.{forum}"),
                    "must be an object of rung id = true or false".into(),
                )
            })?;
            let mut rungs = Vec::new();
            for (rung, taken) in o {
                let taken = taken.as_bool().ok_or_else(|| {
                    shape(
                        format!("{at}.{forum}.{rung}"),
                        format!("must be true or false, not {taken}"),
                    )
                })?;
                rungs.push((rung.clone(), taken));
            }
            outcomes.insert(forum.to_string(), rungs);
        }
        let strings = |k: &str| -> Vec<String> {
            obj.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        out.push(Case {
            id: id.to_string(),
            name: obj
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_string(),
            decided: obj
                .get("decided")
                .and_then(Value::as_str)
                .map(str::to_string),
            vector,
            outcomes,
            sources: strings("sources"),
        });
    }
    Ok(out)
}

/// One scored outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RungScore {
    pub rung: String,
    pub option: String,
    /// What the record says: taken or not.
    pub history: bool,
    /// What concord decides with the forum's positions.
    pub concord: bool,
    pub agree: bool,
    pub support: Vec<String>,
    pub block: Vec<String>,
    pub reasons: BTreeMap<String, Reasons>,
    /// What keeps the rung from adoption, in words (empty when adopted).
    pub missing: Vec<String>,
}

/// One case in one forum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ForumScore {
    pub highest_adopted: Option<String>,
    pub adopted: Vec<String>,
    pub rungs: Vec<RungScore>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseScore {
    pub id: String,
    pub name: String,
    pub decided: Option<String>,
    pub forums: BTreeMap<String, ForumScore>,
}

/// Known outcomes and how many concord reproduces.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Default)]
pub struct Tally {
    pub known: usize,
    pub reproduced: usize,
    /// reproduced / known (1 when nothing is known).
    pub share: f64,
}

impl Tally {
    fn add(&mut self, agree: bool) {
        self.known += 1;
        self.reproduced += usize::from(agree);
        self.share = self.reproduced as f64 / self.known as f64;
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub cases: Vec<CaseScore>,
    pub total: Tally,
    pub forums: BTreeMap<String, Tally>,
    /// Every outcome concord does not reproduce: (case id, forum, the scored rung).
    pub misses: Vec<Miss>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Miss {
    pub case: String,
    pub forum: String,
    #[serde(flatten)]
    pub rung: RungScore,
}

fn score_forum(
    file: &str,
    forum: &Forum,
    d: &Decision,
    outcomes: &[(String, bool)],
    case_path: &str,
) -> Result<ForumScore, CaseError> {
    let mut rungs = Vec::new();
    for (rung, history) in outcomes {
        let Some(o) = d.option(rung) else {
            let ids: Vec<&str> = forum
                .alliance
                .ladder
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            return Err(CaseError::Shape {
                file: file.to_string(),
                path: format!("{case_path}.{}.{rung}", forum.id),
                message: format!(
                    "'{rung}' is not a rung of {} (valid: {})",
                    forum.alliance.name,
                    ids.join(", ")
                ),
            });
        };
        rungs.push(RungScore {
            rung: rung.clone(),
            option: o.option.clone(),
            history: *history,
            concord: o.adopted,
            agree: o.adopted == *history,
            support: o.support.clone(),
            block: o.block.clone(),
            reasons: o.reasons.clone(),
            missing: explain::missing_phrases(&forum.alliance, o),
        });
    }
    // in ladder order, whatever the file's order
    rungs.sort_by_key(|r| forum.alliance.rung_index(&r.rung));
    Ok(ForumScore {
        highest_adopted: d.highest_adopted.clone(),
        adopted: d
            .options
            .iter()
            .filter(|o| o.adopted)
            .map(|o| o.id.clone())
            .collect(),
        rungs,
    })
}

/// Decide every case in every forum it has outcomes for (forums not given are skipped);
/// `file` names the case file in errors.
pub fn score(file: &str, cases: &[Case], forums: &[Forum]) -> Result<Report, CaseError> {
    let mut report = Report {
        cases: Vec::new(),
        total: Tally {
            share: 1.0,
            ..Tally::default()
        },
        forums: BTreeMap::new(),
        misses: Vec::new(),
    };
    for (i, c) in cases.iter().enumerate() {
        let mut per = BTreeMap::new();
        for forum in forums {
            let Some(outcomes) = c.outcomes.get(&forum.id) else {
                continue;
            };
            let d = decide(&forum.alliance, &forum.policies, &c.vector);
            let fs = score_forum(file, forum, &d, outcomes, &format!("$.cases[{i}]"))?;
            let tally = report.forums.entry(forum.id.clone()).or_insert(Tally {
                share: 1.0,
                ..Tally::default()
            });
            for r in &fs.rungs {
                tally.add(r.agree);
                report.total.add(r.agree);
                if !r.agree {
                    report.misses.push(Miss {
                        case: c.id.clone(),
                        forum: forum.id.clone(),
                        rung: r.clone(),
                    });
                }
            }
            per.insert(forum.id.clone(), fs);
        }
        report.cases.push(CaseScore {
            id: c.id.clone(),
            name: c.name.clone(),
            decided: c.decided.clone(),
            forums: per,
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_library_parses_with_both_forums() {
        let cases = parse("cases.json", BUILTIN_CASES).unwrap();
        assert_eq!(cases.len(), 9);
        let known: usize = cases.iter().map(|c| c.outcomes["nato"].len()).sum();
        assert_eq!(known, 36);
        assert!(cases.iter().all(|c| c.outcomes.contains_key("eu")));
    }

    #[test]
    fn bad_files_name_the_place() {
        let e = parse("x.json", "{\"cases\": [").unwrap_err();
        assert!(matches!(e, CaseError::Syntax { line: 1, .. }), "{e}");
        let e = parse(
            "x.json",
            r#"{"cases": [{"id": "a", "vector": {"severity": "hgh"}}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("$.cases[0].vector"), "{e}");
        let v =
            r#"{"severity":"low","attribution":"none","effects":"espionage","actor":"unknown"}"#;
        let e = parse(
            "x.json",
            &format!(r#"{{"cases": [{{"id": "a", "vector": {v}, "nato": {{"art5": "no"}}}}]}}"#),
        )
        .unwrap_err();
        assert!(e.to_string().contains("$.cases[0].nato.art5"), "{e}");
        let cases = parse(
            "x.json",
            &format!(r#"{{"cases": [{{"id": "a", "vector": {v}, "nato": {{"art6": false}}}}]}}"#),
        )
        .unwrap();
        let nato = Forum::builtin("nato").unwrap();
        let e = score("x.json", &cases, &[nato]).unwrap_err();
        assert!(e.to_string().contains("$.cases[0].nato.art6"), "{e}");
        assert!(e.to_string().contains("valid: share"), "{e}");
    }
}

#[cfg(test)]
mod builtin_positions {
    use super::*;

    /// The built-in positions reproduce every known outcome of the built-in library, in
    /// both forums.
    #[test]
    fn reproduce_the_record() {
        let cases = parse("cases.json", BUILTIN_CASES).unwrap();
        let forums: Vec<Forum> = FORUM_IDS.iter().filter_map(|f| Forum::builtin(f)).collect();
        let r = score("cases.json", &cases, &forums).unwrap();
        let misses: Vec<String> = r
            .misses
            .iter()
            .map(|m| {
                format!(
                    "{} {} {}: history {}, concord {} (support {:?}, block {:?}, missing {:?})",
                    m.case,
                    m.forum,
                    m.rung.rung,
                    m.rung.history,
                    m.rung.concord,
                    m.rung.support,
                    m.rung.block,
                    m.rung.missing
                )
            })
            .collect();
        assert!(misses.is_empty(), "{}", misses.join("\n"));
        assert_eq!(r.forums["nato"].known, 36);
        assert_eq!(r.forums["eu"].known, 22);
    }
}
