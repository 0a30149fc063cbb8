//! Correlation as a use case: gather what a viewer may read, group incidents into
//! campaigns ([`concord_assess::correlate`]), and store the campaigns as STIX objects of
//! concord's own, each marked with the scope of its inputs. The CLI (`concord correlate`)
//! and the server (`POST /api/v1/correlate`, the dashboard's correlate action) both call
//! [`correlate`].
//!
//! Invariant: nothing the viewer may not read is gathered, so nothing of it reaches a
//! campaign, its reasons, or its id; a stored campaign is read only by those who may read
//! every one of its inputs ([`Scope`]).

use crate::{Error, Result};
use concord_assess::correlate::{Campaign, Ignored, IncidentArtefacts, Params};
use concord_stix::concord_ext::EXTENSION_ID;
use concord_store::access::{Principal, Scope};
use concord_store::{Reader, Store};
use serde::Serialize;
use serde_json::Value;

/// What a correlation found (and stored).
#[derive(Debug, Clone, Serialize)]
pub struct Correlation {
    /// Incidents the viewer may read (all of them were considered).
    pub incidents: usize,
    pub campaigns: Vec<Campaign>,
    pub ignored: Ignored,
    /// (new or changed, unchanged) objects written; `None` for a dry run.
    pub stored: Option<(usize, usize)>,
}

/// Correlate what the reader's viewer may read, storing nothing (a dry run).
pub fn preview(r: &Reader<'_>, params: &Params) -> Result<Correlation> {
    Ok(find(r, params)?.0)
}

/// Correlate what `viewer` may read and store the campaigns (and their `related-to`
/// relationships) as concord's, each scoped to the members that may read all of its
/// inputs.
pub fn correlate(store: &mut Store, viewer: &Principal, params: &Params) -> Result<Correlation> {
    let (mut found, scopes) = find(&store.reader(viewer), params)?;
    found.stored = Some(store_campaigns(store, viewer, &found.campaigns, &scopes)?);
    Ok(found)
}

fn find(r: &Reader<'_>, params: &Params) -> Result<(Correlation, Vec<Scope>)> {
    let gathered = gather(r)?;
    let (mut campaigns, ignored) =
        concord_assess::correlate::correlate_with(&gathered.incidents, params);
    let scopes = scope_campaigns(&mut campaigns, &gathered);
    Ok((
        Correlation {
            incidents: gathered.incidents.len(),
            campaigns,
            ignored,
            stored: None,
        },
        scopes,
    ))
}

/// Store each campaign (and its `related-to` relationships) unless an equal one is stored.
/// A changed campaign gets a new version (`modified` = now); `created` stays; the link to
/// an incident that left the campaign is revoked. Counts are of objects (campaigns and
/// their relationships). Each campaign is stored by concord itself, marked with the most
/// restrictive marking of its inputs and, as recipients, the members that may read every
/// input ([`Scope`]), so nobody reads it who may not read all it was made from.
fn store_campaigns(
    store: &mut Store,
    viewer: &Principal,
    campaigns: &[Campaign],
    scopes: &[Scope],
) -> Result<(usize, usize)> {
    use concord_assess::correlate::{campaign_objects, Member};
    let mut all = Vec::new();
    {
        // the incidents as the viewer read them; concord's own earlier links as concord
        let incidents = store.reader(viewer);
        let ours = store.reader(&Principal::Concord);
        for (c, scope) in campaigns.iter().zip(scopes) {
            let mut members = Vec::new();
            for id in &c.incidents {
                let Some(inc) = incidents.get(id)? else {
                    continue;
                };
                let v = inc.value()?;
                let created = v
                    .get("created")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let first_seen = crate::views::first_seen(&v);
                members.push(Member {
                    id: id.clone(),
                    created,
                    first_seen,
                    tlp: scope.tlp.map(String::from),
                });
            }
            let earliest = members
                .iter()
                .map(|m| m.created.clone())
                .min()
                .unwrap_or_default();
            let now = concord_stix::timestamp::now();
            // concord creates the campaign now; an earlier incident dates it earlier
            let created = match concord_stix::timestamp::Timestamp::cmp_str(&earliest, &now) {
                Some(std::cmp::Ordering::Less) => earliest,
                _ => now.clone(),
            };
            let mut objects = campaign_objects(c, &members, &created, &now);
            if let Some(r) = &scope.recipients {
                for o in &mut objects {
                    o["extensions"] = serde_json::json!({EXTENSION_ID: {
                    "extension_type": "property-extension", "recipients": r}});
                }
            }
            all.extend(objects);
            // an incident that left the campaign: its old link is revoked, not left behind
            for rel in ours.relationships_of(&c.id)? {
                let mut r = rel.value()?;
                let target = r.get("target_ref").and_then(Value::as_str).unwrap_or("");
                let ours = rel.submitter == concord_store::access::CONCORD
                    && r.get("created_by_ref").and_then(Value::as_str)
                        == Some(concord_stix::concord_ext::IDENTITY_ID);
                if ours
                    && r.get("relationship_type").and_then(Value::as_str) == Some("related-to")
                    && r.get("source_ref").and_then(Value::as_str) == Some(c.id.as_str())
                    && target.starts_with("incident--")
                    && !c.incidents.iter().any(|i| i == target)
                    && r.get("revoked") != Some(&Value::Bool(true))
                {
                    r["revoked"] = Value::Bool(true);
                    all.push(r);
                }
            }
        }
    }
    crate::submit::upsert_derived(store, all, "concord correlate")
}

/// The artefact keys an object contributes.
fn keys_of(v: &Value) -> Vec<String> {
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    let id = v.get("id").and_then(Value::as_str).unwrap_or("");
    match ty {
        "ipv4-addr" | "ipv6-addr" | "domain-name" | "url" | "email-addr" | "mac-addr" => v
            .get("value")
            .and_then(Value::as_str)
            .map(|x| vec![format!("{ty}:{}", x.to_ascii_lowercase())])
            .unwrap_or_default(),
        "file" | "artifact" | "x509-certificate" => v
            .get("hashes")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, x)| {
                        x.as_str().map(|x| {
                            format!("file:{}:{}", k.to_ascii_lowercase(), x.to_ascii_lowercase())
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        "indicator" => {
            let mut out = vec![format!("indicator:{id}")];
            if v.get("pattern_type").and_then(Value::as_str) == Some("stix") {
                if let Some(p) = v
                    .get("pattern")
                    .and_then(Value::as_str)
                    .and_then(|p| concord_stix::pattern::parse(p).ok())
                {
                    for (t, prop, val) in p.equalities() {
                        if prop == "value" {
                            out.push(format!("{t}:{}", val.to_ascii_lowercase()));
                        } else if let Some(algo) = prop.strip_prefix("hashes.") {
                            out.push(format!(
                                "file:{}:{}",
                                algo.trim_matches('\'').to_ascii_lowercase(),
                                val.to_ascii_lowercase()
                            ));
                        }
                    }
                }
            }
            out
        }
        "infrastructure" | "malware" | "tool" => vec![format!("{ty}:{id}")],
        _ => Vec::new(),
    }
}

/// Object types that can be artefacts or techniques of an incident.
const LINKED_TYPES: &[&str] = &[
    "ipv4-addr",
    "ipv6-addr",
    "domain-name",
    "url",
    "email-addr",
    "mac-addr",
    "file",
    "artifact",
    "x509-certificate",
    "indicator",
    "infrastructure",
    "malware",
    "tool",
    "attack-pattern",
];

/// What correlation may use: the incidents a viewer may read with their artefacts and
/// techniques, and for each incident the scope of what went into it (the incident, and the
/// relationships and objects that gave it artefacts or techniques).
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub incidents: Vec<IncidentArtefacts>,
    pub scopes: Vec<Scope>,
}

/// Every stored incident the viewer may read with its artefacts and techniques (through
/// readable `uses` and `related-to` relationships to readable objects), in three bulk
/// reads: incidents, relationship edges from the indexed columns, and the linked objects.
/// Nothing the viewer may not read is used, so nothing of it reaches a campaign.
pub fn gather(r: &Reader<'_>) -> Result<Gathered> {
    use std::collections::HashMap;
    let mut out = Vec::new();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    r.for_each_latest::<Error>(&["incident"], |inc| {
        let v = inc.value()?;
        let first_seen = crate::views::first_seen(&v);
        index.insert(inc.id.clone(), out.len());
        let mut scope = Scope::default();
        scope.add(
            inc.tlp.as_deref(),
            &inc.submitter,
            inc.recipients.as_deref(),
        );
        scopes.push(scope);
        out.push(IncidentArtefacts {
            id: inc.id.clone(),
            name: v.get("name").and_then(Value::as_str).map(String::from),
            first_seen,
            artefacts: Vec::new(),
            techniques: Vec::new(),
        });
        Ok(())
    })?;
    // object id -> (incident, the scope of the relationship that links them)
    let mut linked: HashMap<String, Vec<(usize, Scope)>> = HashMap::new();
    for e in r.edges(&["uses", "related-to"])? {
        let mut scope = Scope::default();
        scope.add(e.tlp.as_deref(), &e.submitter, e.recipients.as_deref());
        let (inc, other) = match (index.get(&e.source_ref), index.get(&e.target_ref)) {
            (Some(i), None) => (*i, e.target_ref),
            (None, Some(i)) => (*i, e.source_ref),
            _ => continue,
        };
        linked.entry(other).or_default().push((inc, scope));
    }
    r.for_each_latest::<Error>(LINKED_TYPES, |obj| {
        let Some(incs) = linked.get(&obj.id) else {
            return Ok(());
        };
        let v = obj.value()?;
        let used = if obj.object_type == "attack-pattern" {
            match concord_assess::kb::attack_id(&v) {
                Some(t) => {
                    for (i, _) in incs {
                        out[*i].techniques.push(t.to_string());
                    }
                    true
                }
                None => false,
            }
        } else {
            let keys = keys_of(&v);
            for k in &keys {
                for (i, _) in incs {
                    out[*i].artefacts.push((k.clone(), obj.id.clone()));
                }
            }
            !keys.is_empty()
        };
        if used {
            for (i, rel) in incs {
                scopes[*i].add(
                    obj.tlp.as_deref(),
                    &obj.submitter,
                    obj.recipients.as_deref(),
                );
                scopes[*i].merge(rel);
            }
        }
        Ok(())
    })?;
    Ok(Gathered {
        incidents: out,
        scopes,
    })
}

/// A campaign's scope: the scopes of its incidents combined, and its id made particular to
/// that scope (a campaign only some members may read never shares an id, and so never
/// versions, with one others read).
fn scope_campaigns(campaigns: &mut [Campaign], g: &Gathered) -> Vec<Scope> {
    use std::collections::HashMap;
    let pos: HashMap<&str, usize> = g
        .incidents
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(campaigns.len());
    for c in campaigns.iter_mut() {
        let mut scope = Scope::default();
        for id in &c.incidents {
            if let Some(s) = pos.get(id.as_str()).map(|i| &g.scopes[*i]) {
                scope.merge(s);
            }
        }
        let key = scope.key();
        if !key.is_empty() {
            c.id = format!(
                "campaign--{}",
                uuid::Uuid::new_v5(
                    &concord_assess::correlate::CAMPAIGN_NAMESPACE,
                    format!("{}|{key}", c.id).as_bytes()
                )
            );
        }
        out.push(scope);
    }
    out
}
