//! Correlation of incidents into campaigns (issue 5): incidents sharing a private artefact
//! (indicator value, observable, infrastructure, malware) are linked; public services
//! (the warning list) and artefacts seen in very many incidents never link on their own.
//! Incidents that use similar ATT&CK techniques within a time window are linked as well
//! ([`Params`]). An index from artefact (or technique) to incidents feeds a union-find: no
//! pairwise rows are ever materialised.

use crate::warninglist;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One incident as correlation sees it.
#[derive(Debug, Clone)]
pub struct IncidentArtefacts {
    pub id: String,
    pub name: Option<String>,
    /// First seen (or created): orders incidents; the earliest names and identifies a campaign.
    pub first_seen: String,
    /// (artefact key such as `ipv4-addr:203.0.113.45`, the STIX object it came from).
    pub artefacts: Vec<(String, String)>,
    /// ATT&CK technique ids the incident `uses` (T1566.001).
    pub techniques: Vec<String>,
}

/// When technique similarity links two incidents: both first seen within `window_days` of
/// each other, sharing at least `min_shared` techniques, with a Jaccard similarity of their
/// technique sets of at least `min_jaccard`. A technique used by more incidents than the
/// cap ([`cap`]) within the window does not propose candidates (it still counts in the
/// similarity).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub window_days: f64,
    pub min_shared: usize,
    pub min_jaccard: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            window_days: 14.0,
            min_shared: 3,
            min_jaccard: 0.5,
        }
    }
}

/// A campaign found by correlation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub incidents: Vec<String>,
    pub reasons: Vec<String>,
}

/// What correlation decided about artefacts it did not use.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Ignored {
    /// Public services (warning list) with the reason.
    pub public: BTreeMap<String, String>,
    /// Artefacts seen in more incidents than the cap.
    pub too_common: BTreeMap<String, usize>,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Namespace of campaign ids (UUIDv5 of the earliest incident's id).
pub const CAMPAIGN_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x5b7e1c2a_9d4f_4c1e_8a36_2f0d6c9b7e42);

/// The largest number of incidents an artefact may link: beyond it the artefact is too
/// common to say the incidents belong together.
pub fn cap(incidents: usize) -> usize {
    20.max(incidents / 100)
}

/// Correlate incidents into campaigns with the default [`Params`].
pub fn correlate(incidents: &[IncidentArtefacts]) -> (Vec<Campaign>, Ignored) {
    correlate_with(incidents, &Params::default())
}

/// A technique-similarity link: (incident, incident, shared techniques, Jaccard, days apart).
type Similar<'a> = (usize, usize, Vec<&'a str>, f64, f64);

/// Pairs of incidents whose technique sets are similar within the time window. Candidates
/// come from a technique index sorted by time, so work is bounded by the cap per technique.
fn similar_pairs<'a>(
    incidents: &'a [IncidentArtefacts],
    p: &Params,
    limit: usize,
) -> Vec<Similar<'a>> {
    use std::collections::BTreeSet;
    let sets: Vec<BTreeSet<&str>> = incidents
        .iter()
        .map(|i| i.techniques.iter().map(String::as_str).collect())
        .collect();
    let times: Vec<Option<i64>> = incidents
        .iter()
        .map(|i| {
            concord_stix::timestamp::Timestamp::parse(&i.first_seen)
                .ok()
                .map(|t| t.unix_seconds())
        })
        .collect();
    let mut postings: HashMap<&str, Vec<(i64, usize)>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        let Some(t) = times[i] else { continue };
        if set.len() < p.min_shared {
            continue;
        }
        for tech in set {
            postings.entry(tech).or_default().push((t, i));
        }
    }
    for list in postings.values_mut() {
        list.sort_unstable();
    }
    let window = (p.window_days * 86_400.0) as i64;
    let mut out = Vec::new();
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        let Some(t) = times[i] else { continue };
        if set.len() < p.min_shared {
            continue;
        }
        counts.clear();
        for tech in set {
            let Some(list) = postings.get(tech) else {
                continue;
            };
            let start = list.partition_point(|(x, _)| *x < t - window);
            let end = list.partition_point(|(x, _)| *x <= t + window);
            if end - start > limit {
                // too common within the window to propose candidates
                continue;
            }
            for &(_, j) in &list[start..end] {
                if j > i {
                    *counts.entry(j).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<usize> = counts.keys().copied().collect();
        cands.sort_unstable();
        for j in cands {
            let shared: Vec<&str> = set.intersection(&sets[j]).copied().collect();
            let union = set.union(&sets[j]).count();
            let jac = shared.len() as f64 / union.max(1) as f64;
            if shared.len() >= p.min_shared && jac >= p.min_jaccard {
                let days = (times[j].unwrap_or(t) - t).abs() as f64 / 86_400.0;
                out.push((i, j, shared, jac, days));
            }
        }
    }
    out
}

/// Correlate incidents into campaigns (components of two or more incidents).
pub fn correlate_with(
    incidents: &[IncidentArtefacts],
    params: &Params,
) -> (Vec<Campaign>, Ignored) {
    // artefact -> (incidents, the object it was first seen in)
    let mut index: HashMap<&str, (Vec<usize>, &str)> = HashMap::with_capacity(incidents.len() * 4);
    for (i, inc) in incidents.iter().enumerate() {
        for (key, from) in &inc.artefacts {
            let (list, _) = index
                .entry(key.as_str())
                .or_insert_with(|| (Vec::new(), from.as_str()));
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let via: HashMap<&str, &str> = index
        .iter()
        .filter(|(_, (l, _))| l.len() >= 2)
        .map(|(k, (_, v))| (*k, *v))
        .collect();
    let limit = cap(incidents.len());
    let mut uf = UnionFind((0..incidents.len()).collect());
    let mut ignored = Ignored::default();
    let mut links: Vec<(&str, &[usize])> = Vec::new();
    // only artefacts shared by two or more incidents can link; sorted for a stable order
    let mut keys: Vec<&str> = index
        .iter()
        .filter(|(_, (l, _))| l.len() >= 2)
        .map(|(k, _)| *k)
        .collect();
    keys.sort_unstable();
    for key in keys {
        let list = &index[key].0;
        let value = key.split_once(':').map_or(key, |(_, v)| v);
        if let Some(why) = warninglist::public_service(value) {
            ignored.public.insert(key.to_string(), why);
            continue;
        }
        if list.len() > limit {
            ignored.too_common.insert(key.to_string(), list.len());
            continue;
        }
        for w in list.windows(2) {
            uf.union(w[0], w[1]);
        }
        links.push((key, list));
    }
    let similar = similar_pairs(incidents, params, limit);
    for (a, b, ..) in &similar {
        uf.union(*a, *b);
    }
    let mut similar_by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, (a, ..)) in similar.iter().enumerate() {
        let r = uf.find(*a);
        similar_by_root.entry(r).or_default().push(k);
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..incidents.len() {
        let r = uf.find(i);
        groups.entry(r).or_default().push(i);
    }
    // the links of each component, found once (not by scanning every link per component)
    let mut links_by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, (_, l)) in links.iter().enumerate() {
        let r = uf.find(l[0]);
        links_by_root.entry(r).or_default().push(k);
    }
    let mut campaigns = Vec::new();
    for (root, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let earliest = members.iter().min_by(|a, b| {
            (&incidents[**a].first_seen, &incidents[**a].id)
                .cmp(&(&incidents[**b].first_seen, &incidents[**b].id))
        });
        let Some(&first) = earliest else { continue };
        let mut ids: Vec<String> = members.iter().map(|i| incidents[*i].id.clone()).collect();
        ids.sort();
        let mut reasons: Vec<String> = links_by_root
            .get(&root)
            .into_iter()
            .flatten()
            .map(|i| &links[*i])
            .map(|(k, l)| {
                let mut inc: Vec<&str> = l.iter().map(|i| incidents[*i].id.as_str()).collect();
                inc.sort();
                format!(
                    "shared {k} (from {}): {}",
                    via.get(*k).copied().unwrap_or("?"),
                    inc.join(", ")
                )
            })
            .collect();
        reasons.extend(similar_by_root.get(&root).into_iter().flatten().map(|k| {
            let (a, b, shared, jac, days) = &similar[*k];
            let (x, y) = (&incidents[*a].id, &incidents[*b].id);
            let (x, y) = if x <= y { (x, y) } else { (y, x) };
            format!(
                "similar techniques ({} shared: {}; Jaccard {jac:.2}) within {days:.1} days: {x}, {y}",
                shared.len(),
                shared.join(", ")
            )
        }));
        let first_inc = &incidents[first];
        campaigns.push(Campaign {
            id: format!(
                "campaign--{}",
                uuid::Uuid::new_v5(&CAMPAIGN_NAMESPACE, first_inc.id.as_bytes())
            ),
            name: format!(
                "Campaign around {}",
                first_inc.name.as_deref().unwrap_or(&first_inc.id)
            ),
            incidents: ids,
            reasons,
        });
    }
    campaigns.sort_by(|a, b| a.incidents[0].cmp(&b.incidents[0]));
    (campaigns, ignored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inc(n: u32, day: u32, arts: &[&str]) -> IncidentArtefacts {
        IncidentArtefacts {
            id: format!("incident--{n}"),
            name: Some(format!("i{n}")),
            first_seen: format!("2026-03-{day:02}T00:00:00Z"),
            artefacts: arts
                .iter()
                .map(|a| ((*a).to_string(), format!("obj{n}")))
                .collect(),
            techniques: Vec::new(),
        }
    }

    fn with_techniques(n: u32, day: u32, techs: &[&str]) -> IncidentArtefacts {
        let mut i = inc(n, day, &[]);
        i.techniques = techs.iter().map(|t| (*t).to_string()).collect();
        i
    }

    #[test]
    fn similar_techniques_link_within_the_window_only() {
        let a = ["T1566.001", "T1059.001", "T1071.001", "T1486"];
        let b = ["T1566.001", "T1059.001", "T1071.001", "T1105"];
        let incs = vec![
            with_techniques(1, 1, &a),
            with_techniques(2, 10, &b),
            // same techniques, but 27 days after incident 2: outside the 14-day window
            with_techniques(3, 28, &a[..3]),
            // within the window but too few techniques in common
            with_techniques(4, 3, &["T1566.001", "T1059.001", "T1003"]),
        ];
        let (c, _) = correlate(&incs);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].incidents, ["incident--1", "incident--2"]);
        assert!(
            c[0].reasons[0].starts_with("similar techniques (3 shared"),
            "{:?}",
            c[0].reasons
        );
        assert!(c[0].reasons[0].contains("Jaccard 0.60"));
        // a wider window links the third as well
        let wide = Params {
            window_days: 30.0,
            ..Params::default()
        };
        let (c, _) = correlate_with(&incs, &wide);
        assert_eq!(c[0].incidents.len(), 3);
    }

    #[test]
    fn private_artefacts_link_public_ones_do_not() {
        let incs = vec![
            inc(1, 5, &["ipv4-addr:203.0.113.45", "ipv4-addr:8.8.8.8"]),
            inc(2, 2, &["ipv4-addr:203.0.113.45"]),
            inc(3, 9, &["domain-name:evil.example", "ipv4-addr:8.8.8.8"]),
            inc(4, 9, &["domain-name:evil.example"]),
            inc(5, 1, &["ipv4-addr:8.8.8.8", "domain-name:www.google.com"]),
            inc(6, 1, &["domain-name:www.google.com"]),
        ];
        let (c, ignored) = correlate(&incs);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].incidents, ["incident--1", "incident--2"]);
        assert_eq!(c[1].incidents, ["incident--3", "incident--4"]);
        assert!(ignored.public.contains_key("ipv4-addr:8.8.8.8"));
        assert!(ignored.public.contains_key("domain-name:www.google.com"));
        // the id derives from the earliest incident (incident 2) and stays when others join
        let id = c[0].id.clone();
        let mut more = incs.clone();
        more.push(inc(7, 20, &["ipv4-addr:203.0.113.45"]));
        let (c2, _) = correlate(&more);
        assert_eq!(c2[0].id, id);
        assert_eq!(c2[0].incidents.len(), 3);
    }

    #[test]
    fn very_common_artefacts_do_not_link() {
        let incs: Vec<_> = (0..30).map(|n| inc(n, 1, &["file:sha256:aaaa"])).collect();
        let (c, ignored) = correlate(&incs);
        assert!(c.is_empty());
        assert_eq!(ignored.too_common["file:sha256:aaaa"], 30);
    }
}

/// A member incident as the stored campaign needs it.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub created: String,
    pub first_seen: String,
    /// TLP level of the incident (`None` reads as green).
    pub tlp: Option<String>,
}

const TLP_ORDER: &[&str] = &["clear", "green", "amber", "amber+strict", "red"];

/// The most restrictive TLP level among the members (`None`: all unmarked, reads green).
pub fn most_restrictive(members: &[Member]) -> Option<&str> {
    members
        .iter()
        .filter_map(|m| m.tlp.as_deref())
        .max_by_key(|t| TLP_ORDER.iter().position(|x| x == t).unwrap_or(4))
}

/// The STIX objects of a campaign: the campaign (created by concord's identity, marked with
/// the most restrictive TLP 2.0 marking of its incidents) and one `related-to` relationship
/// per incident, with ids derived from the campaign and incident ids. `modified` is the
/// version time the caller chose (see `concord correlate`).
pub fn campaign_objects(
    c: &Campaign,
    members: &[Member],
    created: &str,
    modified: &str,
) -> Vec<serde_json::Value> {
    use concord_stix::{concord_ext, model};
    let first = members
        .iter()
        .map(|m| m.first_seen.as_str())
        .min()
        .unwrap_or(created);
    let last = members
        .iter()
        .map(|m| m.first_seen.as_str())
        .max()
        .unwrap_or(created);
    let marking = most_restrictive(members)
        .and_then(|t| model::TLP2.iter().find(|(_, w)| *w == t))
        .map(|(id, _)| *id);
    let mut camp = serde_json::json!({
        "type": "campaign", "spec_version": "2.1", "id": c.id, "created_by_ref": concord_ext::IDENTITY_ID,
        "created": created, "modified": modified, "name": c.name,
        "description": format!("Derived by concord's correlation from {} incidents; the reasons are in `concord correlate`.", c.incidents.len()),
        "first_seen": first, "last_seen": last,
    });
    if let Some(m) = marking {
        camp["object_marking_refs"] = serde_json::json!([m]);
    }
    let mut out = vec![camp];
    for inc in &c.incidents {
        let id = uuid::Uuid::new_v5(&CAMPAIGN_NAMESPACE, format!("{}|{inc}", c.id).as_bytes());
        let mut rel = serde_json::json!({
            "type": "relationship", "spec_version": "2.1", "id": format!("relationship--{id}"),
            "created_by_ref": concord_ext::IDENTITY_ID, "created": created, "modified": created,
            "relationship_type": "related-to", "source_ref": c.id, "target_ref": inc,
        });
        if let Some(m) = marking {
            rel["object_marking_refs"] = serde_json::json!([m]);
        }
        out.push(rel);
    }
    out
}

#[cfg(test)]
mod stored_tests {
    use super::*;

    #[test]
    fn campaign_objects_carry_the_most_restrictive_marking() {
        let c = Campaign {
            id: "campaign--b124a125-2399-5dfc-850f-a78b75aabbbc".into(),
            name: "c".into(),
            incidents: vec!["incident--1".into(), "incident--2".into()],
            reasons: vec![],
        };
        let m = |id: &str, tlp: Option<&str>| Member {
            id: id.into(),
            created: "2026-01-01T00:00:00.000Z".into(),
            first_seen: "2026-01-02T00:00:00.000Z".into(),
            tlp: tlp.map(String::from),
        };
        let objs = campaign_objects(
            &c,
            &[
                m("incident--1", Some("green")),
                m("incident--2", Some("red")),
            ],
            "2026-01-01T00:00:00.000Z",
            "2026-02-01T00:00:00.000Z",
        );
        assert_eq!(objs.len(), 3);
        assert_eq!(
            objs[0]["object_marking_refs"][0],
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        );
        assert_eq!(
            objs[0]["created_by_ref"],
            concord_stix::concord_ext::IDENTITY_ID
        );
        assert_eq!(objs[1]["relationship_type"], "related-to");
        let unmarked = campaign_objects(
            &c,
            &[m("incident--1", None)],
            "2026-01-01T00:00:00.000Z",
            "2026-01-01T00:00:00.000Z",
        );
        assert!(unmarked[0].get("object_marking_refs").is_none());
        // relationship ids are stable
        assert_eq!(objs[1]["id"], campaign_objects(&c, &[], "x", "y")[1]["id"]);
    }
}
