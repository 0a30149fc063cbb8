//! Derived views computed from the store, shared by the CLI and the HTTP API: the
//! knowledge base (built on demand), the observation and attribution of an incident or
//! campaign, its assessment, replay and decision.
//!
//! Every read goes through a [`Reader`] bound to a viewer: an object the viewer may not read
//! is absent, so nothing leaks through an aggregate (DESIGN 9).

use crate::{Error, Result};
use concord_assess::{
    assess_campaign, assess_incident, Assessment, IncidentFacts, KnowledgeBase, SeverityModel,
};
use concord_policy::{Alliance, PolicySet};
use concord_store::Reader;
use serde_json::Value;

/// The error of the views (the application layer's one error type).
pub type ViewError = Error;

/// The knowledge base from everything the viewer may read (one bulk read).
pub fn knowledge_base(r: &Reader<'_>) -> Result<KnowledgeBase> {
    use concord_assess::kb::{wants_relationship, KB_RELATIONSHIPS, KB_TYPES};
    // which relationships to parse, from the indexed columns alone
    let wanted: std::collections::HashSet<String> = r
        .edges(KB_RELATIONSHIPS)?
        .into_iter()
        .filter(|e| wants_relationship(&e.relationship_type, &e.source_ref, &e.target_ref))
        .map(|e| e.id)
        .collect();
    let mut objects = Vec::new();
    r.for_each_latest::<Error>(KB_TYPES, |o| {
        if o.object_type != "relationship" || wanted.contains(&o.id) {
            objects.push(o.value()?);
        }
        Ok(())
    })?;
    Ok(KnowledgeBase::build(objects.iter()))
}

/// The incident ids behind a stored incident or campaign (a campaign's `related-to`
/// incidents the viewer may read), or `None` when the id is neither (or not readable).
pub fn incident_ids(r: &Reader<'_>, id: &str) -> Result<Option<Vec<String>>> {
    let Some(obj) = r.get(id)? else {
        return Ok(None);
    };
    match obj.object_type.as_str() {
        "incident" => Ok(Some(vec![id.to_string()])),
        "campaign" => {
            let mut out = Vec::new();
            for rel in r.relationships_of(id)? {
                let v = rel.value()?;
                if v.get("relationship_type").and_then(Value::as_str) != Some("related-to")
                    || v.get("revoked") == Some(&Value::Bool(true))
                {
                    continue;
                }
                let other = [v.get("source_ref"), v.get("target_ref")]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .find(|x| *x != id && x.starts_with("incident--"));
                if let Some(o) = other {
                    if !out.iter().any(|x| x == o) && r.get(o)?.is_some() {
                        out.push(o.to_string());
                    }
                }
            }
            out.sort();
            Ok(Some(out))
        }
        _ => Ok(None),
    }
}

/// What is observed about an incident or campaign (and its incidents): techniques,
/// software and infrastructure through `uses` / `related-to`, and `attributed-to` claims.
pub fn observation(
    reader: &Reader<'_>,
    kb: &KnowledgeBase,
    ids: &[String],
) -> Result<concord_assess::attribution::Observation> {
    use concord_assess::attribution::{Claim, ClaimTarget, Observation};
    use concord_stix::concord_ext::EXTENSION_ID;
    let mut obs = Observation::default();
    for id in ids {
        for rel in reader.relationships_of(id)? {
            let r = rel.value()?;
            if r.get("revoked") == Some(&Value::Bool(true)) {
                continue;
            }
            let get = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
            if get("source_ref") != id {
                continue;
            }
            let (rid, other, at) = (get("id"), get("target_ref"), get("created"));
            match get("relationship_type") {
                "uses" => {
                    let tid = match kb.technique_of(other) {
                        Some(t) => Some(t.to_string()),
                        None => reader
                            .get(other)?
                            .and_then(|o| o.value().ok())
                            .and_then(|v| concord_assess::kb::attack_id(&v).map(String::from))
                            .filter(|t| t.starts_with('T')),
                    };
                    if let Some(t) = tid {
                        obs.techniques.push((t, at.to_string(), rid.to_string()));
                    } else if other.starts_with("malware--") || other.starts_with("tool--") {
                        obs.software.push((other.to_string(), at.to_string()));
                    } else {
                        obs.infrastructure.push((other.to_string(), at.to_string()));
                    }
                }
                "related-to"
                    if !other.starts_with("incident--") && !other.starts_with("campaign--") =>
                {
                    obs.infrastructure.push((other.to_string(), at.to_string()));
                }
                "attributed-to" => {
                    let ext = r.get("extensions").and_then(|e| e.get(EXTENSION_ID));
                    let ext_str = |k: &str| ext.and_then(|e| e.get(k)).and_then(Value::as_str);
                    let sponsor = ext_str("sponsor").and_then(concord_assess::country::alpha3);
                    let group = kb.group_index(other);
                    let location = if other.starts_with("location--") {
                        reader
                            .get(other)?
                            .and_then(|o| o.value().ok())
                            .and_then(|v| {
                                v.get("country")
                                    .and_then(Value::as_str)
                                    .and_then(concord_assess::country::alpha3_of_alpha2)
                            })
                    } else {
                        None
                    };
                    let target = match (group, sponsor.or(location)) {
                        (Some(g), _) => ClaimTarget::Group(g),
                        (None, Some(s)) => ClaimTarget::State(s.to_string()),
                        (None, None) => {
                            obs.unresolved.push((
                                rid.to_string(),
                                format!("it names {other}, which is no known group, and gives no sponsor state"),
                            ));
                            continue;
                        }
                    };
                    // the member the claim's creator stood for when it was stored (resolved
                    // then, never later), else the creator's id, else its submitter
                    let by = match (&rel.author, r.get("created_by_ref").and_then(Value::as_str)) {
                        (Some(m), _) => m.clone(),
                        (None, Some(i)) => i.to_string(),
                        (None, None) => rel.submitter.clone(),
                    };
                    obs.claims.push(Claim {
                        id: rid.to_string(),
                        by,
                        at: at.to_string(),
                        target,
                        reliability: ext_str("reliability").and_then(|x| x.chars().next()),
                        credibility: ext
                            .and_then(|e| e.get("credibility"))
                            .and_then(Value::as_u64)
                            .and_then(|c| u8::try_from(c).ok()),
                        evidence_kind: ext_str("evidence_kind").map(String::from),
                        sponsor: sponsor.or(location).map(String::from),
                    });
                }
                _ => {}
            }
        }
    }
    Ok(obs)
}

/// Attribute a stored incident or campaign as of an instant (`None`: all evidence).
/// `None` when the id is not a stored incident or campaign.
pub fn attribution_of(
    r: &Reader<'_>,
    kb: &KnowledgeBase,
    id: &str,
    as_of: Option<&str>,
) -> Result<Option<concord_assess::attribution::Attribution>> {
    use concord_assess::attribution::{attribute, Params, TtpIndex};
    let Some(mut ids) = incident_ids(r, id)? else {
        return Ok(None);
    };
    if !ids.iter().any(|x| x == id) {
        ids.insert(0, id.to_string());
    }
    let obs = observation(r, kb, &ids)?;
    let params = Params::default();
    let ttp = TtpIndex::new(kb, &params);
    Ok(Some(attribute(kb, &ttp, &obs, as_of, &params)))
}

/// Assess a stored incident or campaign as the viewer sees it (a campaign's incidents are
/// its readable `related-to` ones), with attribution.
pub fn assess(
    r: &Reader<'_>,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<Assessment> {
    let kb = knowledge_base(r)?;
    Ok(assess_with(r, &kb, id, model, alliance, policies)?.0)
}

/// [`assess`] with a knowledge base already built (pages that assess several things build
/// it once); also returns the attribution it used.
pub fn assess_with(
    r: &Reader<'_>,
    kb: &KnowledgeBase,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<(Assessment, Option<concord_assess::attribution::Attribution>)> {
    let Some(obj) = r.get(id)? else {
        return Err(Error::NotFound(format!(
            "{id}: no such object in the database"
        )));
    };
    let v = obj.value()?;
    let mut a = match obj.object_type.as_str() {
        "incident" => IncidentFacts::from_stix(&v)
            .map(|f| assess_incident(&f, model, alliance, policies))
            .map_err(|e| Error::Invalid(e.to_string()))?,
        "campaign" => {
            let mut facts = Vec::new();
            for inc in incident_ids(r, id)?.unwrap_or_default() {
                let Some(o) = r.get(&inc)? else {
                    continue;
                };
                facts.push(
                    IncidentFacts::from_stix(&o.value()?)
                        .map_err(|e| Error::Invalid(e.to_string()))?,
                );
            }
            if facts.is_empty() {
                return Err(Error::Invalid(format!(
                    "{id}: the campaign has no related-to incidents in the database"
                )));
            }
            facts.sort_by(|a, b| a.id.cmp(&b.id));
            let name = v.get("name").and_then(Value::as_str).map(String::from);
            assess_campaign(id, name, &facts, model, alliance, policies)
        }
        other => {
            return Err(Error::Invalid(format!(
                "{id} is a {other}, not an incident or a campaign"
            )))
        }
    };
    let attribution = attribution_of(r, kb, id, None)?;
    if let Some(r) = &attribution {
        a.set_attribution(r);
    }
    Ok((a, attribution))
}

/// When an incident was first seen: its concord extension's `first_seen`, else `created`.
pub(crate) fn first_seen(v: &Value) -> String {
    v.get("extensions")
        .and_then(|e| e.get(concord_stix::concord_ext::EXTENSION_ID))
        .and_then(|e| e.get("first_seen"))
        .or_else(|| v.get("created"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn instant(t: &str) -> i64 {
    concord_stix::timestamp::Timestamp::parse(t)
        .map(|t| t.unix_seconds())
        .unwrap_or(i64::MAX)
}

/// Time to consensus: the incident or campaign re-assessed and re-decided at every instant
/// something changed (an incident first seen, evidence recorded, a claim made).
pub fn replay(
    r: &Reader<'_>,
    id: &str,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<concord_rift::replay::Replay> {
    let kb = knowledge_base(r)?;
    replay_with(r, &kb, id, alliance, policies)
}

/// [`replay`] with a knowledge base already built.
pub fn replay_with(
    r: &Reader<'_>,
    kb: &KnowledgeBase,
    id: &str,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<concord_rift::replay::Replay> {
    use concord_rift::replay::Moment;
    use std::collections::BTreeMap;
    let Some(ids) = incident_ids(r, id)? else {
        return Err(Error::NotFound(format!(
            "{id}: no stored incident or campaign with this id"
        )));
    };
    let is_campaign = id.starts_with("campaign--");
    let mut incidents: Vec<(String, IncidentFacts)> = Vec::new();
    for i in &ids {
        let Some(o) = r.get(i)? else {
            continue;
        };
        let v = o.value()?;
        let f = IncidentFacts::from_stix(&v).map_err(|e| Error::Invalid(e.to_string()))?;
        incidents.push((first_seen(&v), f));
    }
    if incidents.is_empty() {
        return Err(Error::Invalid(format!("{id}: no incidents to replay")));
    }
    let mut all_ids = ids.clone();
    if !all_ids.iter().any(|x| x == id) {
        all_ids.insert(0, id.to_string());
    }
    let obs = observation(r, kb, &all_ids)?;
    let mut changes: BTreeMap<(i64, String), Vec<String>> = BTreeMap::new();
    let mut add = |at: &str, what: String| {
        changes
            .entry((instant(at), at.to_string()))
            .or_default()
            .push(what);
    };
    for (at, f) in &incidents {
        add(
            at,
            format!(
                "incident {} first seen ({})",
                f.id,
                f.name.as_deref().unwrap_or("")
            ),
        );
    }
    for (t, at, rel) in &obs.techniques {
        add(at, format!("technique {t} ({rel})"));
    }
    for (s, at) in obs.software.iter().chain(&obs.infrastructure) {
        add(at, format!("linked {s}"));
    }
    for c in &obs.claims {
        let rating = format!(
            "{}{}",
            c.reliability.map(String::from).unwrap_or_default(),
            c.credibility.map(|x| x.to_string()).unwrap_or_default()
        );
        add(&c.at, format!("claim by {} ({rating}): {}", c.by, c.id));
    }
    let model = SeverityModel::default();
    let params = concord_assess::attribution::Params::default();
    let ttp = concord_assess::attribution::TtpIndex::new(kb, &params);
    let mut moments = Vec::new();
    for ((k, at), what) in changes {
        let present: Vec<IncidentFacts> = incidents
            .iter()
            .filter(|(t, _)| instant(t) <= k)
            .map(|(_, f)| f.clone())
            .collect();
        if present.is_empty() {
            continue;
        }
        let mut a = if is_campaign {
            assess_campaign(id, None, &present, &model, alliance, policies)
        } else {
            assess_incident(&present[0], &model, alliance, policies)
        };
        let attr = concord_assess::attribution::attribute(kb, &ttp, &obs, Some(&at), &params);
        a.set_attribution(&attr);
        moments.push(Moment {
            at,
            what,
            vector: a.vector,
        });
    }
    Ok(concord_rift::replay::replay(alliance, policies, &moments))
}

/// What a decision page or brief shows: the assessment, its attribution and the decision.
pub type DecisionView = (
    Assessment,
    Option<concord_assess::attribution::Attribution>,
    concord_policy::Decision,
);

/// Assess, attribute and decide on a stored incident or campaign as the viewer sees it.
pub fn decision(
    r: &Reader<'_>,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<DecisionView> {
    let kb = knowledge_base(r)?;
    decision_with(r, &kb, id, model, alliance, policies)
}

/// [`decision`] with a knowledge base already built.
pub fn decision_with(
    r: &Reader<'_>,
    kb: &KnowledgeBase,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<DecisionView> {
    let (a, attr) = assess_with(r, kb, id, model, alliance, policies)?;
    let d = concord_policy::decide(alliance, policies, &a.vector);
    Ok((a, attr, d))
}

/// Every campaign the reader's viewer may read, in insertion order, with its decision (the
/// built-in severity model): the dashboard's list and the policy preview's campaigns. A
/// campaign that cannot be assessed (none of its incidents readable, facts that do not
/// give a vector) is left out; a failing store is an error.
pub fn decided_campaigns(
    r: &Reader<'_>,
    alliance: &Alliance,
    policies: &PolicySet,
) -> Result<Vec<(String, DecisionView)>> {
    let mut ids = Vec::new();
    r.for_each_latest::<Error>(&["campaign"], |o| {
        ids.push(o.id);
        Ok(())
    })?;
    let kb = knowledge_base(r)?;
    let model = SeverityModel::default();
    let mut out = Vec::new();
    for id in ids {
        match decision_with(r, &kb, &id, &model, alliance, policies) {
            Ok(d) => out.push((id, d)),
            Err(Error::NotFound(_) | Error::Invalid(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
