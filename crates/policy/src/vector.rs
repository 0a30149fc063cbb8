//! The assessment vector (DESIGN 3) and its JSON form.

use crate::vocab::{self, ACTOR, ATTRIBUTION, EFFECTS, SECTOR, SEVERITY};
use serde_json::Value;
use std::collections::BTreeSet;

/// What the policies read about an incident or campaign. Ordinal and nominal values are
/// indices into the lists of [`vocab`]; `sectors` is a bit set over [`vocab::SECTOR`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vector {
    pub severity: u8,
    pub attribution: u8,
    pub effects: u8,
    pub actor: u8,
    pub sectors: u16,
    /// Victim member codes.
    pub victims: BTreeSet<String>,
    pub members_affected: u64,
}

/// Why a JSON vector was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("assessment vector: {0}")]
pub struct VectorError(pub String);

fn level(v: &serde_json::Map<String, Value>, key: &str, list: &[&str]) -> Result<u8, VectorError> {
    match v.get(key) {
        None | Some(Value::Null) => Err(VectorError(format!(
            "'{key}' is missing (one of: {})",
            list.join(", ")
        ))),
        Some(Value::String(s)) => vocab::index(list, s).ok_or_else(|| {
            let hint = vocab::suggest(s, list)
                .map(|h| format!("; did you mean '{h}'?"))
                .unwrap_or_default();
            VectorError(format!(
                "'{key}': unknown word '{s}' (valid: {}){hint}",
                list.join(", ")
            ))
        }),
        Some(other) => Err(VectorError(format!(
            "'{key}' must be a string, not {other}"
        ))),
    }
}

fn strings(v: &serde_json::Map<String, Value>, key: &str) -> Result<Vec<String>, VectorError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| VectorError(format!("'{key}[{i}]' must be a string, not {x}")))
            })
            .collect(),
        Some(other) => Err(VectorError(format!(
            "'{key}' must be a list of strings, not {other}"
        ))),
    }
}

impl serde::Serialize for Vector {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl Vector {
    /// Parse the JSON form: `{"severity","attribution","effects","actor","sectors","victims","members_affected"}`.
    /// Other keys are ignored, so `assess --json`'s `vector` can be passed as is.
    pub fn from_json(value: &Value) -> Result<Vector, VectorError> {
        let Some(v) = value.as_object() else {
            return Err(VectorError(format!("must be a JSON object, not {value}")));
        };
        let mut sectors = 0u16;
        for s in strings(v, "sectors")? {
            let i = vocab::index(SECTOR, &s).ok_or_else(|| {
                let hint = vocab::suggest(&s, SECTOR)
                    .map(|h| format!("; did you mean '{h}'?"))
                    .unwrap_or_default();
                VectorError(format!(
                    "'sectors': unknown sector '{s}' (valid: {}){hint}",
                    SECTOR.join(", ")
                ))
            })?;
            sectors |= 1 << i;
        }
        let victims: BTreeSet<String> = strings(v, "victims")?.into_iter().collect();
        let members_affected = match v.get("members_affected") {
            None | Some(Value::Null) => u64::try_from(victims.len()).unwrap_or(u64::MAX),
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().unwrap_or(0),
            Some(other) => {
                return Err(VectorError(format!(
                    "'members_affected' must be an integer >= 0, not {other}"
                )))
            }
        };
        Ok(Vector {
            severity: level(v, "severity", SEVERITY)?,
            attribution: level(v, "attribution", ATTRIBUTION)?,
            effects: level(v, "effects", EFFECTS)?,
            actor: level(v, "actor", ACTOR)?,
            sectors,
            victims,
            members_affected,
        })
    }

    pub fn severity_word(&self) -> &'static str {
        SEVERITY
            .get(usize::from(self.severity))
            .copied()
            .unwrap_or("?")
    }
    pub fn attribution_word(&self) -> &'static str {
        ATTRIBUTION
            .get(usize::from(self.attribution))
            .copied()
            .unwrap_or("?")
    }
    pub fn effects_word(&self) -> &'static str {
        EFFECTS
            .get(usize::from(self.effects))
            .copied()
            .unwrap_or("?")
    }
    pub fn actor_word(&self) -> &'static str {
        ACTOR.get(usize::from(self.actor)).copied().unwrap_or("?")
    }
    /// The sectors, in vocabulary order.
    pub fn sector_words(&self) -> Vec<&'static str> {
        SECTOR
            .iter()
            .enumerate()
            .filter(|(i, _)| self.sectors & (1 << i) != 0)
            .map(|(_, s)| *s)
            .collect()
    }

    /// One line for people: "severity high, attribution moderate, ...".
    pub fn summary(&self) -> String {
        format!(
            "severity {}, attribution {}, effects {}, actor {}, sectors [{}], victims [{}], members affected {}",
            self.severity_word(),
            self.attribution_word(),
            self.effects_word(),
            self.actor_word(),
            self.sector_words().join(", "),
            self.victims.iter().cloned().collect::<Vec<_>>().join(", "),
            self.members_affected
        )
    }

    /// The JSON form (sectors in vocabulary order).
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "severity": self.severity_word(),
            "attribution": self.attribution_word(),
            "effects": self.effects_word(),
            "actor": self.actor_word(),
            "sectors": self.sector_words(),
            "victims": self.victims,
            "members_affected": self.members_affected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_design_example() {
        let v = Vector::from_json(&json!({"severity":"high","attribution":"moderate","effects":"disruption","actor":"state",
            "sectors":["energy"],"victims":["EST","LVA"],"members_affected":2, "extra": 1}))
        .unwrap();
        assert_eq!(
            (
                v.severity,
                v.attribution,
                v.effects,
                v.actor,
                v.sectors,
                v.members_affected
            ),
            (3, 2, 1, 3, 1, 2)
        );
    }

    #[test]
    fn defaults_and_rejections() {
        let base = json!({"severity":"low","attribution":"none","effects":"espionage","actor":"unknown","victims":["EST","EST","LVA"]});
        assert_eq!(Vector::from_json(&base).unwrap().members_affected, 2);
        for (k, bad) in [
            ("severity", json!("hgh")),
            ("sectors", json!("energy")),
            ("sectors", json!(["power"])),
            ("victims", json!([1])),
            ("members_affected", json!(-1)),
            ("members_affected", json!(1.5)),
            ("members_affected", json!("2")),
        ] {
            let mut v = base.clone();
            v[k] = bad;
            assert!(Vector::from_json(&v).is_err(), "{k}");
        }
        let e = Vector::from_json(
            &json!({"severity":"hgh","attribution":"none","effects":"espionage","actor":"unknown"}),
        )
        .unwrap_err();
        assert!(e.0.contains("did you mean 'high'"), "{e}");
        // any integer >= 0 (DESIGN 3), however large, and a condition compares it exactly
        let mut big = base.clone();
        big["members_affected"] = json!(u64::MAX);
        let v = Vector::from_json(&big).unwrap();
        assert_eq!(v.members_affected, u64::MAX);
        let f = crate::lang::Facts {
            members_affected: v.members_affected,
            ..Default::default()
        };
        for (cond, holds) in [
            ("members_affected == 18446744073709551615", true),
            ("members_affected < 18446744073709551616", true),
            (
                "members_affected >= 99999999999999999999999999999999999999999999",
                false,
            ),
        ] {
            assert_eq!(
                crate::lang::compile(cond).unwrap().eval(&f),
                holds,
                "{cond}"
            );
        }
    }
}
