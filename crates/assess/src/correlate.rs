//! Correlation of incidents into campaigns (issue 5): incidents sharing a private artefact
//! (indicator value, observable, infrastructure, malware) are linked; public services
//! (the warning list) and artefacts seen in very many incidents never link on their own.
//! An index from artefact to incidents feeds a union-find: no pairwise rows are ever
//! materialised.

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

/// Correlate incidents into campaigns (components of two or more incidents).
pub fn correlate(incidents: &[IncidentArtefacts]) -> (Vec<Campaign>, Ignored) {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut via: HashMap<&str, &str> = HashMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        for (key, from) in &inc.artefacts {
            let list = index.entry(key.as_str()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
            via.entry(key.as_str()).or_insert(from.as_str());
        }
    }
    let limit = cap(incidents.len());
    let mut uf = UnionFind((0..incidents.len()).collect());
    let mut ignored = Ignored::default();
    let mut links: Vec<(&str, &[usize])> = Vec::new();
    let mut keys: Vec<&str> = index.keys().copied().collect();
    keys.sort();
    for key in keys {
        let list = &index[key];
        if list.len() < 2 {
            continue;
        }
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
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..incidents.len() {
        let r = uf.find(i);
        groups.entry(r).or_default().push(i);
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
        let reasons = links
            .iter()
            .filter(|(_, l)| uf.find(l[0]) == root)
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
        }
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
