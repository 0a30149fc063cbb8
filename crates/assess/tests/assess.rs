//! Incident facts, severity and assessments.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_assess::{assess_campaign, assess_incident, IncidentFacts, SeverityModel};
use concord_policy::{Alliance, PolicySet};
use serde_json::{json, Value};

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";

fn incident(n: u32, facts: Value) -> Value {
    json!({"type": "incident", "spec_version": "2.1", "id": format!("incident--{n:08x}-95f3-4c04-a882-116832996da0"),
           "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": format!("inc {n}"),
           "extensions": {EXT: facts}})
}

#[test]
fn missing_and_bad_facts() {
    let e = IncidentFacts::from_stix(&incident(
        1,
        json!({"extension_type": "property-extension"}),
    ))
    .unwrap_err();
    assert!(e.message.contains("'victims' is missing"), "{e}");
    let e = IncidentFacts::from_stix(&incident(
        1,
        json!({"extension_type": "property-extension", "victims": ["EST"], "sectors": ["power"]}),
    ))
    .unwrap_err();
    assert!(e.message.contains("unknown sector 'power'"));
    let e =
        IncidentFacts::from_stix(&json!({"type": "incident", "id": "incident--1"})).unwrap_err();
    assert!(e.message.contains("no concord facts"));
    let f = IncidentFacts::from_stix(&incident(
        1,
        json!({"extension_type": "property-extension", "victims": ["LVA", "EST", "EST"]}),
    ))
    .unwrap();
    assert_eq!(f.victims, ["EST", "LVA"]);
    assert_eq!(
        f.defaulted.len(),
        6,
        "every impact fact defaulted and said so: {:?}",
        f.defaulted
    );
}

#[test]
fn severity_is_monotone_and_explained() {
    let m = SeverityModel::default();
    let low = IncidentFacts::from_stix(&incident(
        1,
        json!({"extension_type": "property-extension", "victims": ["EST"], "effects": "espionage"}),
    ))
    .unwrap();
    let high = IncidentFacts::from_stix(&incident(2, json!({"extension_type": "property-extension", "victims": ["EST"], "effects": "casualties",
        "functional_impact": "complete_loss", "information_impact": "destruction", "recoverability": "not_recoverable",
        "observed_activity": "effect", "location": "safety_systems", "sectors": ["energy", "water", "health"]}))).unwrap();
    let (a, b) = (m.score(&low), m.score(&high));
    assert!(a.score < b.score);
    assert_eq!(b.score, 100.0);
    assert_eq!(b.level, "emergency");
    let sum: f64 = a.factors.iter().map(|f| f.points).sum();
    assert!(
        (sum - a.score).abs() < 0.1,
        "the factors add up to the score"
    );
    assert!(a.factors.iter().any(|f| f.defaulted));
    let custom = SeverityModel::parse(
        "s.toml",
        "[cutoffs]\nemergency = 101\n[weights]\nlocation = 0\n",
    )
    .unwrap();
    assert_eq!(custom.score(&high).level, "severe");
    for bad in [
        "[weights]\nluck = 1\n",
        "[levels.location]\nmoon = 0.5\n",
        "[cutoffs]\nlow = 50\nmedium = 10\n",
        "[colour]\nx = 1\n",
    ] {
        assert!(SeverityModel::parse("s.toml", bad).is_err(), "{bad}");
    }
}

#[test]
fn campaign_takes_the_worst_and_the_union() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let m = SeverityModel::default();
    let f1 = IncidentFacts::from_stix(&incident(1, json!({"extension_type": "property-extension", "victims": ["EST"], "sectors": ["energy"], "effects": "disruption", "functional_impact": "partial_loss"}))).unwrap();
    let f2 = IncidentFacts::from_stix(&incident(2, json!({"extension_type": "property-extension", "victims": ["LVA", "XXX"], "sectors": ["government"], "effects": "espionage"}))).unwrap();
    let c = assess_campaign(
        "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        None,
        &[f1.clone(), f2.clone()],
        &m,
        &a,
        &p,
    );
    assert_eq!(c.victims, ["EST", "LVA", "XXX"]);
    assert_eq!(c.sectors, ["energy", "government"]);
    assert_eq!(c.effects, "disruption");
    assert_eq!(c.severity.score, m.score(&f1).score.max(m.score(&f2).score));
    assert!(c.reasons.iter().any(|r| r.contains("XXX is not a member")));
    assert_eq!(c.legal.len(), 32);
    // v2 rule 6: disruption of government is an intervention only from severity high;
    // this campaign is below that, so the UK (no sovereignty rule) sees no wrongful act
    assert_eq!(c.severity.level, "low");
    assert_eq!(c.legal["GBR"].class, "below_threshold");
    assert_eq!(c.legal["EST"].class, "sovereignty_violation");
    let v = &c.vector;
    assert_eq!(v.members_affected, 3);
    let i = assess_incident(&f2, &m, &a, &p);
    assert_eq!(i.attribution.level, "none");
    assert!(!i.attribution.reasons.is_empty());
    assert_eq!(i.vector.actor_word(), "unknown");
}
