//! The knowledge base: who the known actors are, what they use, and which state stands
//! behind them, built from stored STIX on demand (no separate build step).
//!
//! - Techniques: ATT&CK `attack-pattern`s by T-id, sub-technique to parent (from the T-id
//!   and `subtechnique-of`), tactics from the kill chain phases. A revoked technique maps to
//!   the one that revoked it (`revoked-by`), so old reports still count; a deprecated one
//!   is dropped.
//! - Software: `malware` and `tool`, with their ATT&CK S-ids.
//! - Groups: `intrusion-set`s (and `threat-actor`s that are not states) with names, aliases,
//!   ATT&CK G-ids and their `uses` profile (techniques and software). Revoked and deprecated
//!   groups are skipped. A group without an ATT&CK id (for example one imported from the MISP
//!   galaxy) that names an ATT&CK group (the same G-id in a reference, or a shared name or
//!   alias) is merged into it; otherwise it stands as a group of its own.
//! - Sponsors: `attributed-to` relationships from a group to a state (the concord
//!   extension's `sponsor`, or a `location`'s country), each kept with its source.
//!
//! Invariant: pure over parsed STIX values; every sponsor link keeps the object it came from.

use crate::country;
use concord_stix::concord_ext::EXTENSION_ID;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What kind of actor a group is (DESIGN 3.2 `actor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Unknown,
    Criminal,
    StateAligned,
    State,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Unknown => "unknown",
            ActorKind::Criminal => "criminal",
            ActorKind::StateAligned => "state_aligned",
            ActorKind::State => "state",
        }
    }
}

/// An ATT&CK technique.
#[derive(Debug, Clone, Serialize)]
pub struct Technique {
    pub stix_id: String,
    pub attack_id: String,
    pub name: String,
    /// The parent technique's T-id for a sub-technique.
    pub parent: Option<String>,
    pub tactics: Vec<String>,
}

/// A malware or tool.
#[derive(Debug, Clone, Serialize)]
pub struct Software {
    pub stix_id: String,
    pub attack_id: Option<String>,
    pub name: String,
    pub kind: String,
    /// T-ids the software is known to use (its own `uses` profile).
    pub techniques: BTreeSet<String>,
}

/// A state named as a group's sponsor, and the object that says so.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SponsorLink {
    pub state: String,
    pub source: String,
    pub note: String,
}

/// A known actor.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub stix_id: String,
    pub attack_id: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
    /// T-ids the group uses (as stated; revoked ones mapped to their replacement).
    pub techniques: BTreeSet<String>,
    /// STIX ids of malware and tools the group uses.
    pub software: BTreeSet<String>,
    /// STIX ids of infrastructure, indicators and observables linked to the group
    /// (`uses`, `related-to`, `indicates`).
    pub links: BTreeSet<String>,
    /// Sponsor links, most specific source first.
    pub sponsors: Vec<SponsorLink>,
    pub kind: ActorKind,
    /// Objects merged into this group (same actor under another name).
    pub merged: Vec<String>,
}

impl Group {
    /// The state behind the group, if any source names one (the first link).
    pub fn sponsor(&self) -> Option<&str> {
        self.sponsors.first().map(|s| s.state.as_str())
    }
}

/// Everything the assessment knows about actors and techniques.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KnowledgeBase {
    pub groups: Vec<Group>,
    pub techniques: BTreeMap<String, Technique>,
    pub software: BTreeMap<String, Software>,
    /// Objects skipped as revoked or deprecated.
    pub skipped: usize,
    #[serde(skip)]
    tech_by_stix: HashMap<String, String>,
    #[serde(skip)]
    by_stix: HashMap<String, usize>,
    #[serde(skip)]
    by_name: HashMap<String, usize>,
    #[serde(skip)]
    by_attack_id: HashMap<String, usize>,
}

/// The types the knowledge base reads (for a bulk read from the store).
pub const KB_TYPES: &[&str] = &[
    "attack-pattern",
    "intrusion-set",
    "threat-actor",
    "malware",
    "tool",
    "location",
    "relationship",
];

/// Relationship types the knowledge base reads.
pub const KB_RELATIONSHIPS: &[&str] = &[
    "uses",
    "revoked-by",
    "subtechnique-of",
    "attributed-to",
    "related-to",
    "indicates",
];

/// Whether the knowledge base needs a relationship, from its type and endpoints alone (so a
/// store can skip the rest without parsing them).
pub fn wants_relationship(relationship_type: &str, source: &str, target: &str) -> bool {
    let group = |x: &str| x.starts_with("intrusion-set--") || x.starts_with("threat-actor--");
    match relationship_type {
        "revoked-by" | "subtechnique-of" => true,
        "uses" => {
            group(source)
                || group(target)
                || source.starts_with("malware--")
                || source.starts_with("tool--")
        }
        "attributed-to" | "related-to" => group(source) || group(target),
        "indicates" => group(target),
        _ => false,
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn dead(v: &Value) -> bool {
    v.get("revoked") == Some(&Value::Bool(true))
        || v.get("x_mitre_deprecated") == Some(&Value::Bool(true))
}

/// The ATT&CK external id (`T1059.001`, `G0007`, `S0154`) of an object.
pub fn attack_id(v: &Value) -> Option<&str> {
    v.get("external_references")?
        .as_array()?
        .iter()
        .find(|r| {
            matches!(
                s(r, "source_name"),
                Some("mitre-attack" | "mitre-ics-attack" | "mitre-mobile-attack")
            )
        })
        .and_then(|r| s(r, "external_id"))
}

/// Normalised name for matching aliases: lower case, letters and digits only.
pub fn norm_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// G-ids named by `attack.mitre.org/groups/Gxxxx` references.
fn referenced_group_ids(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for r in v
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(rest) = s(r, "url").and_then(|u| u.split("attack.mitre.org/groups/").nth(1)) {
            let g: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if g.starts_with('G') && g.len() == 5 {
                out.push(g);
            }
        }
    }
    out
}

fn is_state_actor(v: &Value) -> bool {
    s(v, "type") == Some("threat-actor")
        && strings(v, "threat_actor_types")
            .iter()
            .any(|t| t == "nation-state")
}

fn kind_from_object(v: &Value) -> Option<ActorKind> {
    let motivation = s(v, "primary_motivation");
    let types = strings(v, "threat_actor_types");
    if motivation == Some("personal-gain")
        || types
            .iter()
            .any(|t| t == "crime-syndicate" || t == "criminal")
    {
        Some(ActorKind::Criminal)
    } else if motivation == Some("ideology")
        || types.iter().any(|t| t == "activist" || t == "hacktivist")
    {
        Some(ActorKind::StateAligned)
    } else {
        None
    }
}

impl KnowledgeBase {
    /// Build from STIX objects (any order; other types are ignored).
    pub fn build<'a>(objects: impl IntoIterator<Item = &'a Value>) -> KnowledgeBase {
        let mut kb = KnowledgeBase::default();
        let mut all: HashMap<&str, &Value> = HashMap::new();
        let mut rels: Vec<&Value> = Vec::new();
        for v in objects {
            let (Some(ty), Some(id)) = (s(v, "type"), s(v, "id")) else {
                continue;
            };
            if ty == "relationship" {
                if v.get("revoked") != Some(&Value::Bool(true)) {
                    rels.push(v);
                }
            } else {
                all.insert(id, v);
            }
        }
        // revoked-by: old -> new (followed transitively below)
        let mut replaced: HashMap<&str, &str> = HashMap::new();
        for r in &rels {
            if s(r, "relationship_type") == Some("revoked-by") {
                if let (Some(a), Some(b)) = (s(r, "source_ref"), s(r, "target_ref")) {
                    replaced.insert(a, b);
                }
            }
        }
        // techniques
        for (id, v) in &all {
            if s(v, "type") != Some("attack-pattern") {
                continue;
            }
            let Some(tid) = attack_id(v) else { continue };
            if dead(v) {
                kb.skipped += 1;
                continue;
            }
            let tactics = v
                .get("kill_chain_phases")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|p| s(p, "phase_name").map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            kb.techniques.insert(
                tid.to_string(),
                Technique {
                    stix_id: (*id).to_string(),
                    attack_id: tid.to_string(),
                    name: s(v, "name").unwrap_or(tid).to_string(),
                    parent: tid.split_once('.').map(|(p, _)| p.to_string()),
                    tactics,
                },
            );
            kb.tech_by_stix.insert((*id).to_string(), tid.to_string());
        }
        // revoked techniques resolve to their replacement's T-id
        for (old, _) in replaced.iter() {
            let mut cur = *old;
            for _ in 0..16 {
                match replaced.get(cur) {
                    Some(next) => cur = next,
                    None => break,
                }
            }
            if let Some(tid) = kb.tech_by_stix.get(cur).cloned() {
                kb.tech_by_stix.insert((*old).to_string(), tid);
            }
        }
        // software
        for (id, v) in &all {
            let ty = s(v, "type").unwrap_or("");
            if ty != "malware" && ty != "tool" {
                continue;
            }
            if dead(v) {
                kb.skipped += 1;
                continue;
            }
            kb.software.insert(
                (*id).to_string(),
                Software {
                    stix_id: (*id).to_string(),
                    attack_id: attack_id(v).map(String::from),
                    name: s(v, "name").unwrap_or(id).to_string(),
                    kind: ty.to_string(),
                    techniques: BTreeSet::new(),
                },
            );
        }
        // groups: ATT&CK groups first, so others can merge into them
        let mut candidates: Vec<(&str, &Value)> = all
            .iter()
            .filter(|(_, v)| {
                s(v, "type") == Some("intrusion-set")
                    || (s(v, "type") == Some("threat-actor") && !is_state_actor(v))
            })
            .map(|(id, v)| (*id, *v))
            .collect();
        candidates.sort_by_key(|(id, v)| (attack_id(v).is_none(), *id));
        for (id, v) in candidates {
            if dead(v) {
                kb.skipped += 1;
                continue;
            }
            let name = s(v, "name").unwrap_or(id).to_string();
            let mut aliases: Vec<String> = strings(v, "aliases");
            aliases.retain(|a| a != &name);
            let gid = attack_id(v).map(String::from);
            let target = if gid.is_none() {
                referenced_group_ids(v)
                    .iter()
                    .find_map(|g| kb.by_attack_id.get(g).copied())
                    .or_else(|| {
                        std::iter::once(&name)
                            .chain(aliases.iter())
                            .find_map(|n| kb.by_name.get(&norm_name(n)).copied())
                    })
            } else {
                None
            };
            let idx = match target {
                Some(i) => {
                    let g = &mut kb.groups[i];
                    g.merged.push(id.to_string());
                    for a in std::iter::once(&name).chain(aliases.iter()) {
                        if norm_name(a) != norm_name(&g.name)
                            && !g.aliases.iter().any(|x| norm_name(x) == norm_name(a))
                        {
                            g.aliases.push(a.clone());
                        }
                    }
                    i
                }
                None => {
                    kb.groups.push(Group {
                        stix_id: id.to_string(),
                        attack_id: gid.clone(),
                        name: name.clone(),
                        aliases: aliases.clone(),
                        techniques: BTreeSet::new(),
                        software: BTreeSet::new(),
                        links: BTreeSet::new(),
                        sponsors: Vec::new(),
                        kind: ActorKind::Unknown,
                        merged: Vec::new(),
                    });
                    let i = kb.groups.len() - 1;
                    if let Some(g) = &gid {
                        kb.by_attack_id.insert(g.clone(), i);
                    }
                    i
                }
            };
            if let Some(k) = kind_from_object(v) {
                kb.groups[idx].kind = kb.groups[idx].kind.max(k);
            }
            kb.by_stix.insert(id.to_string(), idx);
            for n in std::iter::once(&name).chain(aliases.iter()) {
                kb.by_name.entry(norm_name(n)).or_insert(idx);
            }
        }
        // uses and attributed-to
        for r in &rels {
            let (Some(src), Some(dst)) = (s(r, "source_ref"), s(r, "target_ref")) else {
                continue;
            };
            let rt = s(r, "relationship_type").unwrap_or("");
            // infrastructure, indicators and observables linked to a group, either way round
            if matches!(rt, "uses" | "related-to" | "indicates") {
                let (g, other) = match (kb.by_stix.get(src), kb.by_stix.get(dst)) {
                    (Some(&g), None) => (Some(g), dst),
                    (None, Some(&g)) => (Some(g), src),
                    _ => (None, dst),
                };
                if let Some(g) = g {
                    if !kb.tech_by_stix.contains_key(other)
                        && !kb.software.contains_key(other)
                        && !other.starts_with("attack-pattern--")
                        && !other.starts_with("campaign--")
                        && !other.starts_with("incident--")
                    {
                        kb.groups[g].links.insert(other.to_string());
                    }
                }
            }
            if rt == "uses" {
                if let (Some(tid), Some(sw)) =
                    (kb.tech_by_stix.get(dst).cloned(), kb.software.get_mut(src))
                {
                    sw.techniques.insert(tid);
                    continue;
                }
            }
            let Some(&gi) = kb.by_stix.get(src) else {
                continue;
            };
            match s(r, "relationship_type") {
                Some("uses") => {
                    if let Some(tid) = kb.tech_by_stix.get(dst) {
                        kb.groups[gi].techniques.insert(tid.clone());
                    } else if kb.software.contains_key(dst) {
                        kb.groups[gi].software.insert(dst.to_string());
                    }
                }
                Some("attributed-to") => {
                    let ext_sponsor = r
                        .get("extensions")
                        .and_then(|e| e.get(EXTENSION_ID))
                        .and_then(|e| s(e, "sponsor"))
                        .and_then(country::alpha3);
                    let target = all.get(dst);
                    let location = target
                        .filter(|t| s(t, "type") == Some("location"))
                        .and_then(|t| s(t, "country"))
                        .and_then(country::alpha3_of_alpha2);
                    let Some(state) = ext_sponsor.or(location) else {
                        continue;
                    };
                    let note = r
                        .get("description")
                        .and_then(Value::as_str)
                        .map(String::from)
                        .unwrap_or_else(|| {
                            format!(
                                "attributed-to {}",
                                target.and_then(|t| s(t, "name")).unwrap_or(dst)
                            )
                        });
                    let g = &mut kb.groups[gi];
                    if !g.sponsors.iter().any(|x| x.state == state) {
                        g.sponsors.push(SponsorLink {
                            state: state.to_string(),
                            source: s(r, "id").unwrap_or("").to_string(),
                            note,
                        });
                    }
                }
                _ => {}
            }
        }
        for g in &mut kb.groups {
            if g.kind == ActorKind::Unknown && !g.sponsors.is_empty() {
                g.kind = ActorKind::State;
            }
        }
        kb
    }

    /// The group an id, G-id, name or alias names.
    pub fn group(&self, key: &str) -> Option<&Group> {
        self.by_stix
            .get(key)
            .or_else(|| self.by_attack_id.get(key))
            .or_else(|| self.by_name.get(&norm_name(key)))
            .map(|&i| &self.groups[i])
    }

    /// Index of the group a STIX id (or a merged object's id) stands for.
    pub fn group_index(&self, stix_id: &str) -> Option<usize> {
        self.by_stix.get(stix_id).copied()
    }

    /// The T-id of an attack-pattern (revoked ones resolved to their replacement).
    pub fn technique_of(&self, stix_id: &str) -> Option<&str> {
        self.tech_by_stix.get(stix_id).map(String::as_str)
    }

    /// Groups whose profile includes a software object.
    pub fn groups_using_software(&self, stix_id: &str) -> Vec<usize> {
        (0..self.groups.len())
            .filter(|&i| self.groups[i].software.contains(stix_id))
            .collect()
    }

    /// Groups linked to an infrastructure, indicator or observable object.
    pub fn groups_linked_to(&self, stix_id: &str) -> Vec<usize> {
        (0..self.groups.len())
            .filter(|&i| self.groups[i].links.contains(stix_id))
            .collect()
    }

    /// Counts for a summary.
    pub fn summary(&self) -> Value {
        let sponsored = self
            .groups
            .iter()
            .filter(|g| !g.sponsors.is_empty())
            .count();
        let attack = self.groups.iter().filter(|g| g.attack_id.is_some()).count();
        let mut by_state: BTreeMap<&str, usize> = BTreeMap::new();
        for g in &self.groups {
            if let Some(st) = g.sponsor() {
                *by_state.entry(st).or_default() += 1;
            }
        }
        serde_json::json!({
            "groups": self.groups.len(),
            "attack_groups": attack,
            "groups_with_sponsor": sponsored,
            "groups_by_sponsor": by_state,
            "techniques": self.techniques.len(),
            "sub_techniques": self.techniques.values().filter(|t| t.parent.is_some()).count(),
            "software": self.software.len(),
            "uses": self.groups.iter().map(|g| g.techniques.len() + g.software.len()).sum::<usize>(),
            "skipped_revoked_or_deprecated": self.skipped,
        })
    }
}
