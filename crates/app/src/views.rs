//! Derived views computed from the store, shared by the CLI and the HTTP API: the
//! knowledge base (built on demand), the observation and attribution of an incident or
//! campaign, its assessment, and derived objects stored idempotently.
//!
//! Every read goes through a viewer ([`Principal`]): an object the viewer may not read is
//! treated as absent, so nothing leaks through an aggregate (DESIGN 9).

use concord_assess::{
    assess_campaign, assess_incident, Assessment, IncidentFacts, KnowledgeBase, SeverityModel,
};
use concord_policy::{Alliance, PolicySet};
use concord_store::access::Principal;
use concord_store::{Store, StoreError, StoredObject};
use serde_json::Value;

/// Why a view could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such object, or one the viewer may not read.
    #[error("{0}")]
    NotFound(String),
    /// The stored data cannot give this view (bad facts, wrong type).
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Internal(String),
}

type Result<T> = std::result::Result<T, ViewError>;

fn readable(o: &StoredObject, viewer: &Principal) -> bool {
    viewer.may_read(o.tlp.as_deref(), &o.submitter, o.recipients.as_deref())
}

/// The latest version of an object if the viewer may read it.
pub fn get(store: &Store, id: &str, viewer: &Principal) -> Result<Option<StoredObject>> {
    Ok(store.get(id)?.filter(|o| readable(o, viewer)))
}

/// The knowledge base from everything the viewer may read (one bulk read).
pub fn knowledge_base(store: &Store, viewer: &Principal) -> Result<KnowledgeBase> {
    use concord_assess::kb::{wants_relationship, KB_RELATIONSHIPS, KB_TYPES};
    // which relationships to parse, from the indexed columns alone
    let wanted: std::collections::HashSet<String> = store
        .edges(KB_RELATIONSHIPS)?
        .into_iter()
        .filter(|e| wants_relationship(&e.relationship_type, &e.source_ref, &e.target_ref))
        .map(|e| e.id)
        .collect();
    let mut objects = Vec::new();
    store.for_each_latest::<ViewError>(KB_TYPES, |o| {
        if (o.object_type != "relationship" || wanted.contains(&o.id)) && readable(&o, viewer) {
            objects.push(o.value()?);
        }
        Ok(())
    })?;
    Ok(KnowledgeBase::build(objects.iter()))
}

/// Store objects concord derived (created by its identity) in one transaction, with concord
/// itself as submitter (so they are read by their marking and recipients alone, and only
/// concord versions them). An object equal to its stored version, apart from `modified`,
/// is left alone; a changed one becomes a new version (`modified` = now, `created` kept).
/// Returns (new or changed, unchanged).
pub fn upsert_derived(
    store: &mut Store,
    mut objects: Vec<Value>,
    source: &str,
) -> Result<(usize, usize)> {
    let submitter = concord_store::access::CONCORD;
    use concord_stix::canonical::canonical;
    let now = concord_stix::timestamp::now();
    let (mut changed, mut unchanged) = (0, 0);
    let mut write = Vec::with_capacity(objects.len());
    for o in objects.iter_mut() {
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let previous = store.get(&id)?.map(|p| p.value()).transpose()?;
        match previous {
            Some(prev) if o.get("modified").is_some() => {
                let mut same = o.clone();
                same["modified"] = prev["modified"].clone();
                same["created"] = prev["created"].clone();
                if canonical(&same) == canonical(&prev) {
                    unchanged += 1;
                    continue;
                }
                same["modified"] = Value::String(now.clone());
                *o = same;
                changed += 1;
            }
            Some(_) => {
                unchanged += 1;
                continue;
            }
            None => changed += 1,
        }
        let report =
            concord_stix::validate::validate_object(o, "$", &concord_stix::Options::default());
        if !report.is_valid() {
            return Err(ViewError::Internal(format!(
                "derived object {id} is invalid: {:?}",
                report.errors
            )));
        }
        write.push(o.clone());
    }
    let s = store.ingest_values(&write, submitter, source)?;
    if !s.rejections.is_empty() {
        return Err(ViewError::Internal(format!(
            "storing derived objects was refused: {:?}",
            s.rejections
        )));
    }
    Ok((changed, unchanged))
}

/// The incident ids behind a stored incident or campaign (a campaign's `related-to`
/// incidents the viewer may read), or `None` when the id is neither (or not readable).
pub fn incident_ids(store: &Store, id: &str, viewer: &Principal) -> Result<Option<Vec<String>>> {
    let Some(obj) = get(store, id, viewer)? else {
        return Ok(None);
    };
    match obj.object_type.as_str() {
        "incident" => Ok(Some(vec![id.to_string()])),
        "campaign" => {
            let mut out = Vec::new();
            for rel in store.relationships_of(id)? {
                if !readable(&rel, viewer) {
                    continue;
                }
                let r = rel.value()?;
                if r.get("relationship_type").and_then(Value::as_str) != Some("related-to")
                    || r.get("revoked") == Some(&Value::Bool(true))
                {
                    continue;
                }
                let other = [r.get("source_ref"), r.get("target_ref")]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .find(|x| *x != id && x.starts_with("incident--"));
                if let Some(o) = other {
                    if !out.iter().any(|x| x == o) && get(store, o, viewer)?.is_some() {
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
    store: &Store,
    kb: &KnowledgeBase,
    ids: &[String],
    viewer: &Principal,
) -> Result<concord_assess::attribution::Observation> {
    use concord_assess::attribution::{Claim, ClaimTarget, Observation};
    use concord_stix::concord_ext::EXTENSION_ID;
    let mut obs = Observation::default();
    for id in ids {
        for rel in store.relationships_of(id)? {
            if !readable(&rel, viewer) {
                continue;
            }
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
                        None => self::get(store, other, viewer)?
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
                        self::get(store, other, viewer)?
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
    store: &Store,
    kb: &KnowledgeBase,
    id: &str,
    as_of: Option<&str>,
    viewer: &Principal,
) -> Result<Option<concord_assess::attribution::Attribution>> {
    use concord_assess::attribution::{attribute, Params, TtpIndex};
    let Some(mut ids) = incident_ids(store, id, viewer)? else {
        return Ok(None);
    };
    if !ids.iter().any(|x| x == id) {
        ids.insert(0, id.to_string());
    }
    let obs = observation(store, kb, &ids, viewer)?;
    let params = Params::default();
    let ttp = TtpIndex::new(kb, &params);
    Ok(Some(attribute(kb, &ttp, &obs, as_of, &params)))
}

/// Assess a stored incident or campaign as the viewer sees it (a campaign's incidents are
/// its readable `related-to` ones), with attribution.
pub fn assess(
    store: &Store,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<Assessment> {
    let kb = knowledge_base(store, viewer)?;
    Ok(assess_with(store, &kb, id, model, alliance, policies, viewer)?.0)
}

/// [`assess`] with a knowledge base already built (pages that assess several things build
/// it once); also returns the attribution it used.
pub fn assess_with(
    store: &Store,
    kb: &KnowledgeBase,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<(Assessment, Option<concord_assess::attribution::Attribution>)> {
    let Some(obj) = get(store, id, viewer)? else {
        return Err(ViewError::NotFound(format!(
            "{id}: no such object in the database"
        )));
    };
    let v = obj.value()?;
    let mut a = match obj.object_type.as_str() {
        "incident" => IncidentFacts::from_stix(&v)
            .map(|f| assess_incident(&f, model, alliance, policies))
            .map_err(|e| ViewError::Invalid(e.to_string()))?,
        "campaign" => {
            let mut facts = Vec::new();
            for inc in incident_ids(store, id, viewer)?.unwrap_or_default() {
                let Some(o) = get(store, &inc, viewer)? else {
                    continue;
                };
                facts.push(
                    IncidentFacts::from_stix(&o.value()?)
                        .map_err(|e| ViewError::Invalid(e.to_string()))?,
                );
            }
            if facts.is_empty() {
                return Err(ViewError::Invalid(format!(
                    "{id}: the campaign has no related-to incidents in the database"
                )));
            }
            facts.sort_by(|a, b| a.id.cmp(&b.id));
            let name = v.get("name").and_then(Value::as_str).map(String::from);
            assess_campaign(id, name, &facts, model, alliance, policies)
        }
        other => {
            return Err(ViewError::Invalid(format!(
                "{id} is a {other}, not an incident or a campaign"
            )))
        }
    };
    let attribution = attribution_of(store, kb, id, None, viewer)?;
    if let Some(r) = &attribution {
        a.set_attribution(r);
    }
    Ok((a, attribution))
}

fn first_seen(v: &Value) -> String {
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
    store: &Store,
    id: &str,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<concord_rift::replay::Replay> {
    let kb = knowledge_base(store, viewer)?;
    replay_with(store, &kb, id, alliance, policies, viewer)
}

/// [`replay`] with a knowledge base already built.
pub fn replay_with(
    store: &Store,
    kb: &KnowledgeBase,
    id: &str,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<concord_rift::replay::Replay> {
    use concord_rift::replay::Moment;
    use std::collections::BTreeMap;
    let Some(ids) = incident_ids(store, id, viewer)? else {
        return Err(ViewError::NotFound(format!(
            "{id}: no stored incident or campaign with this id"
        )));
    };
    let is_campaign = id.starts_with("campaign--");
    let mut incidents: Vec<(String, IncidentFacts)> = Vec::new();
    for i in &ids {
        let Some(o) = get(store, i, viewer)? else {
            continue;
        };
        let v = o.value()?;
        let f = IncidentFacts::from_stix(&v).map_err(|e| ViewError::Invalid(e.to_string()))?;
        incidents.push((first_seen(&v), f));
    }
    if incidents.is_empty() {
        return Err(ViewError::Invalid(format!("{id}: no incidents to replay")));
    }
    let mut all_ids = ids.clone();
    if !all_ids.iter().any(|x| x == id) {
        all_ids.insert(0, id.to_string());
    }
    let obs = observation(store, kb, &all_ids, viewer)?;
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
        let r = concord_assess::attribution::attribute(kb, &ttp, &obs, Some(&at), &params);
        a.set_attribution(&r);
        let vector = a
            .to_vector()
            .ok_or_else(|| ViewError::Internal(format!("vector did not parse: {}", a.vector)))?;
        moments.push(Moment { at, what, vector });
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
    store: &Store,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<DecisionView> {
    let kb = knowledge_base(store, viewer)?;
    decision_with(store, &kb, id, model, alliance, policies, viewer)
}

/// [`decision`] with a knowledge base already built.
pub fn decision_with(
    store: &Store,
    kb: &KnowledgeBase,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &Principal,
) -> Result<DecisionView> {
    let (a, attr) = assess_with(store, kb, id, model, alliance, policies, viewer)?;
    let vector = a
        .to_vector()
        .ok_or_else(|| ViewError::Internal(format!("vector did not parse: {}", a.vector)))?;
    let d = concord_policy::decide(alliance, policies, &vector);
    Ok((a, attr, d))
}
