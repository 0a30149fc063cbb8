//! The assessment of an incident or a campaign: severity, effects, actor, sectors,
//! victims, attribution, legal class per member, the vector, and the reasons for each.

use crate::facts::IncidentFacts;
use crate::severity::{Severity, SeverityModel};
use concord_policy::doctrine::{legal_class_rule, RULE_TEXT};
use concord_policy::vocab::{self, ACTOR, ATTRIBUTION, LEGAL, SECTOR, SEVERITY};
use concord_policy::{Alliance, PolicySet, Vector};
use concord_stix::concord_ext::EFFECTS;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// Attribution as far as concord can say today.
#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    pub level: &'static str,
    pub state: Option<String>,
    pub p: Option<f64>,
    /// Level, state and p in ICD 203 words ("moderate: Russian Federation (RUS), very
    /// likely (80-95 %): 86 %; actor state").
    pub statement: String,
    pub reasons: Vec<String>,
}

/// A member's legal class and the rule of DESIGN 3.1 that gave it.
#[derive(Debug, Clone, Serialize)]
pub struct Legal {
    pub class: &'static str,
    pub rule: u8,
    pub because: &'static str,
}

/// The assessment (`concord assess ID --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub severity: Severity,
    pub effects: &'static str,
    pub actor: &'static str,
    pub sectors: Vec<String>,
    pub victims: Vec<String>,
    pub members_affected: usize,
    pub attribution: Attribution,
    pub legal: BTreeMap<String, Legal>,
    /// The DESIGN 3 vector (its JSON form is ready for `decide --assessment`).
    pub vector: Vector,
    /// For campaigns: each incident's own severity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<serde_json::Value>,
    pub reasons: Vec<String>,
}

impl Assessment {
    /// Take attribution from the attribution engine: level, state, p, reasons, and the
    /// actor kind, in the assessment and in its vector.
    pub fn set_attribution(&mut self, r: &crate::attribution::Attribution) {
        self.attribution = Attribution {
            level: r.level,
            state: r.state.clone(),
            p: Some(r.p),
            statement: r.statement.clone(),
            reasons: r.reasons.clone(),
        };
        self.actor = r.actor;
        // the engine's words are vocabulary words (tested below); an unknown one would keep
        // the previous value rather than invent another
        self.vector.attribution =
            vocab::index(ATTRIBUTION, r.level).unwrap_or(self.vector.attribution);
        self.vector.actor = vocab::index(ACTOR, r.actor).unwrap_or(self.vector.actor);
    }
}

fn no_attribution() -> Attribution {
    Attribution {
        level: "none",
        state: None,
        p: None,
        statement: "none: no attribution was made".into(),
        reasons: vec!["the attribution engine is not built yet (issue 6): attribution is none and the actor unknown until it is".into()],
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    id: &str,
    kind: &'static str,
    name: Option<String>,
    severity: Severity,
    effects: u8,
    sectors: Vec<String>,
    victims: Vec<String>,
    mut reasons: Vec<String>,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Assessment {
    let sector_bits = sectors
        .iter()
        .filter_map(|s| SECTOR.iter().position(|x| x == s))
        .fold(0u16, |a, i| a | 1 << i);
    let sev_index = SEVERITY
        .iter()
        .position(|x| *x == severity.level)
        .unwrap_or(0) as u8;
    let legal = alliance
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (class, rule) =
                legal_class_rule(&policies.doctrine(i), effects, sev_index, sector_bits);
            (
                m.code.clone(),
                Legal {
                    class: LEGAL[usize::from(class)],
                    rule,
                    because: RULE_TEXT[usize::from(rule) - 1],
                },
            )
        })
        .collect();
    for v in &victims {
        if alliance.member_index(v).is_none() {
            reasons.push(format!(
                "victim {v} is not a member of {}: it counts in members_affected only",
                alliance.name
            ));
        }
    }
    let vector = Vector {
        severity: sev_index,
        attribution: vocab::index(ATTRIBUTION, "none").unwrap_or(0),
        effects: vocab::index(vocab::EFFECTS, EFFECTS[usize::from(effects)]).unwrap_or(effects),
        actor: vocab::index(ACTOR, "unknown").unwrap_or(0),
        sectors: sector_bits,
        victims: victims.iter().cloned().collect(),
        members_affected: u64::try_from(victims.len()).unwrap_or(u64::MAX),
    };
    Assessment {
        id: id.to_string(),
        kind,
        name,
        effects: EFFECTS[usize::from(effects)],
        actor: "unknown",
        members_affected: victims.len(),
        attribution: no_attribution(),
        legal,
        vector,
        incidents: Vec::new(),
        severity,
        sectors,
        victims,
        reasons,
    }
}

/// Assess one incident.
pub fn assess_incident(
    f: &IncidentFacts,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Assessment {
    let severity = model.score(f);
    let mut reasons = vec![format!(
        "severity {} ({} of 100) from the incident's impact facts, weights in docs/severity.md",
        severity.level, severity.score
    )];
    for d in &f.defaulted {
        reasons.push(format!("{d} not given: taken as its lowest level"));
    }
    build(
        &f.id,
        "incident",
        f.name.clone(),
        severity,
        f.effects,
        f.sectors.clone(),
        f.victims.clone(),
        reasons,
        alliance,
        policies,
    )
}

/// Assess a campaign: the most severe of its incidents, the union of victims and sectors,
/// the gravest effects.
pub fn assess_campaign(
    id: &str,
    name: Option<String>,
    incidents: &[IncidentFacts],
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Assessment {
    let scored: Vec<(&IncidentFacts, Severity)> =
        incidents.iter().map(|f| (f, model.score(f))).collect();
    let worst = scored.iter().max_by(|a, b| a.1.score.total_cmp(&b.1.score));
    let severity = worst.map_or_else(|| model.score(&empty(id)), |w| w.1.clone());
    let effects = incidents.iter().map(|f| f.effects).max().unwrap_or(0);
    let mut victims: Vec<String> = incidents.iter().flat_map(|f| f.victims.clone()).collect();
    victims.sort();
    victims.dedup();
    let mut sectors: Vec<String> = incidents.iter().flat_map(|f| f.sectors.clone()).collect();
    sectors.sort_by_key(|s| SECTOR.iter().position(|x| x == s));
    sectors.dedup();
    let mut reasons = vec![format!("a campaign of {} incident(s): severity of the most severe, union of victims and sectors, gravest effects", incidents.len())];
    if let Some((f, s)) = worst {
        reasons.push(format!("most severe: {} ({} {})", f.id, s.level, s.score));
    }
    let mut a = build(
        id, "campaign", name, severity, effects, sectors, victims, reasons, alliance, policies,
    );
    a.incidents = scored.iter().map(|(f, s)| json!({"id": f.id, "name": f.name, "severity": {"level": s.level, "score": s.score}, "victims": f.victims})).collect();
    a
}

fn empty(id: &str) -> IncidentFacts {
    IncidentFacts {
        id: id.to_string(),
        name: None,
        victims: Vec::new(),
        sectors: Vec::new(),
        effects: 0,
        functional_impact: 0,
        information_impact: 0,
        recoverability: 0,
        observed_activity: 0,
        location: 0,
        first_seen: None,
        last_seen: None,
        defaulted: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_words_are_vector_words() {
        // the attribution engine's levels and actor kinds, and the extension's effects, are
        // the vector's vocabulary (set_attribution and build index into it)
        for w in ["none", "low", "moderate", "high"] {
            assert!(vocab::index(ATTRIBUTION, w).is_some(), "{w}");
        }
        for w in ["unknown", "criminal", "state_aligned", "state"] {
            assert!(vocab::index(ACTOR, w).is_some(), "{w}");
        }
        assert_eq!(EFFECTS, vocab::EFFECTS);
        assert_eq!(concord_stix::concord_ext::SECTORS, SECTOR);
    }
}
