//! Incident facts from concord's STIX extension (DESIGN 3.4).

use concord_stix::concord_ext::{
    self, EFFECTS, FUNCTIONAL_IMPACT, INFORMATION_IMPACT, LOCATION, OBSERVED_ACTIVITY,
    RECOVERABILITY, SECTORS,
};
use serde::Serialize;
use serde_json::Value;

/// Why an incident's facts are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id}: {message}")]
pub struct FactError {
    pub id: String,
    pub message: String,
}

/// The facts of one incident; each `*_default` flag says the value was not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentFacts {
    pub id: String,
    pub name: Option<String>,
    pub victims: Vec<String>,
    pub sectors: Vec<String>,
    /// Index into [`EFFECTS`].
    pub effects: u8,
    pub functional_impact: u8,
    pub information_impact: u8,
    pub recoverability: u8,
    pub observed_activity: u8,
    pub location: u8,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Facts that were absent and took their stated default (the lowest level).
    pub defaulted: Vec<&'static str>,
}

fn word(
    ext: &serde_json::Map<String, Value>,
    key: &'static str,
    words: &[&str],
    id: &str,
    defaulted: &mut Vec<&'static str>,
) -> Result<u8, FactError> {
    match ext.get(key) {
        None => {
            defaulted.push(key);
            Ok(0)
        }
        Some(Value::String(s)) => words
            .iter()
            .position(|w| w == s)
            .map(|i| i as u8)
            .ok_or_else(|| FactError {
                id: id.to_string(),
                message: format!("{key}: unknown word '{s}' (valid: {})", words.join(", ")),
            }),
        Some(other) => Err(FactError {
            id: id.to_string(),
            message: format!("{key}: {other} is not a string"),
        }),
    }
}

impl IncidentFacts {
    /// Read the facts of a STIX incident.
    pub fn from_stix(v: &Value) -> Result<IncidentFacts, FactError> {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("(no id)")
            .to_string();
        let err = |m: String| FactError {
            id: id.clone(),
            message: m,
        };
        if v.get("type").and_then(Value::as_str) != Some("incident") {
            return Err(err("not an incident".into()));
        }
        let ext = v
            .get("extensions")
            .and_then(|e| e.get(concord_ext::EXTENSION_ID))
            .and_then(Value::as_object)
            .ok_or_else(|| {
                err(format!(
                    "has no concord facts: add the extension {} with at least 'victims'",
                    concord_ext::EXTENSION_ID
                ))
            })?;
        let list = |k: &str| -> Result<Vec<String>, FactError> {
            match ext.get(k) {
                None => Ok(Vec::new()),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(String::from)
                            .ok_or_else(|| err(format!("{k}: {x} is not a string")))
                    })
                    .collect(),
                Some(other) => Err(err(format!("{k}: {other} is not a list"))),
            }
        };
        if !ext.contains_key("victims") {
            return Err(err(
                "'victims' is missing: list the member codes of the victims (may be empty)".into(),
            ));
        }
        let mut victims = list("victims")?;
        victims.sort();
        victims.dedup();
        let mut sectors = list("sectors")?;
        for s in &sectors {
            if !SECTORS.contains(&s.as_str()) {
                return Err(err(format!(
                    "sectors: unknown sector '{s}' (valid: {})",
                    SECTORS.join(", ")
                )));
            }
        }
        sectors.sort_by_key(|s| SECTORS.iter().position(|x| x == s));
        sectors.dedup();
        let mut defaulted = Vec::new();
        let effects = word(ext, "effects", EFFECTS, &id, &mut defaulted)?;
        let functional_impact = word(
            ext,
            "functional_impact",
            FUNCTIONAL_IMPACT,
            &id,
            &mut defaulted,
        )?;
        let information_impact = word(
            ext,
            "information_impact",
            INFORMATION_IMPACT,
            &id,
            &mut defaulted,
        )?;
        let recoverability = word(ext, "recoverability", RECOVERABILITY, &id, &mut defaulted)?;
        let observed_activity = word(
            ext,
            "observed_activity",
            OBSERVED_ACTIVITY,
            &id,
            &mut defaulted,
        )?;
        let location = word(ext, "location", LOCATION, &id, &mut defaulted)?;
        Ok(IncidentFacts {
            name: v.get("name").and_then(Value::as_str).map(String::from),
            victims,
            sectors,
            effects,
            functional_impact,
            information_impact,
            recoverability,
            observed_activity,
            location,
            first_seen: ext
                .get("first_seen")
                .and_then(Value::as_str)
                .map(String::from),
            last_seen: ext
                .get("last_seen")
                .and_then(Value::as_str)
                .map(String::from),
            defaulted,
            id,
        })
    }
}
