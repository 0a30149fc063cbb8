//! The knowledge base: who the known actors are, what they use, and which state stands
//! behind them, built from stored STIX on demand (no separate build step).
//!
//! - Techniques: ATT&CK `attack-pattern`s by T-id, sub-technique to parent (from the T-id
//!   and `subtechnique-of`), tactics from the kill chain phases. A revoked technique maps to
//!   the one that revoked it (`revoked-by`), so old reports still count; a deprecated one
//!   is dropped.
//! - Software: `malware` and `tool`, with their ATT&CK S-ids.
//! - Groups: `intrusion-set`s (and `threat-actor`s that are not states) with names, aliases,
//!   ATT&CK G-ids and their `uses` profile (techniques and software), plus the profile of
//!   the ATT&CK campaigns attributed to them. Revoked and deprecated groups are skipped.
//!   Groups merge across sources by name and alias ([`crate::kb_merge`]): one actor is one
//!   group, whatever the number of sources that describe it.
//! - Sponsors ([`crate::kb_links`]): statements that link a group to a state, each with its
//!   source and a reliability (A to D): `attributed-to` relationships (the MISP galaxy's
//!   `cfr-suspected-state-sponsor`, members' own), and the descriptions of groups and of the
//!   campaigns attributed to them, read by [`crate::sponsor_text`]. Where a group operates
//!   from (`originates-from`, the galaxy's `country`) is kept as its origin and is never a
//!   sponsor. The actor kind (DESIGN 3.2) follows from the same statements.
//!
//! Invariant: pure over parsed STIX values; every sponsor link names the object and the
//! words it came from.

use crate::country;
pub use crate::kb_links::link_weight;
use crate::sponsor_text::Relation;
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

/// A statement linking a group to a state, and where it comes from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SponsorLink {
    /// ISO 3166 alpha-3.
    pub state: String,
    /// `sponsor`, `aligned` (activists acting in the state's interest) or `origin` (where the
    /// group operates from: shown, never pooled into the state).
    pub relation: Relation,
    /// A (a named state organ, or a source rated A) to D (a national espionage actor, or an
    /// association); docs/knowledge-base.md has the scale.
    pub reliability: char,
    /// The object the statement was read from (a relationship, intrusion-set or campaign).
    pub source: String,
    /// What that object is: "ATT&CK description", "MISP galaxy", "attributed-to relationship"...
    pub origin: String,
    /// The statement: the sentence, or the field and its value.
    pub note: String,
}

/// A known actor.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub stix_id: String,
    pub attack_id: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
    /// T-ids the group uses (as stated, and through its ATT&CK campaigns; revoked ones
    /// mapped to their replacement).
    pub techniques: BTreeSet<String>,
    /// STIX ids of malware and tools the group uses.
    pub software: BTreeSet<String>,
    /// STIX ids of infrastructure, indicators and observables linked to the group
    /// (`uses`, `related-to`, `indicates`).
    pub links: BTreeSet<String>,
    /// Every statement linking the group to a state, strongest first.
    pub sponsors: Vec<SponsorLink>,
    /// The states the group's probability pools into (P(state | group)), strongest first;
    /// what is left is "no state".
    pub pooled: Vec<(String, f64)>,
    pub kind: ActorKind,
    /// Why the group has its kind (the source and words that decided it).
    pub kind_reason: String,
    /// Objects merged into this group (same actor under another name), with the reason.
    pub merged: Vec<String>,
    /// ATT&CK campaigns attributed to the group (their techniques and software count as its).
    pub campaigns: Vec<String>,
}

impl Group {
    /// The state behind the group: the strongest pooled state, if any.
    pub fn sponsor(&self) -> Option<&str> {
        self.pooled.first().map(|(s, _)| s.as_str())
    }

    /// P(state | group) for one state.
    pub fn weight_of(&self, state: &str) -> f64 {
        self.pooled
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0.0, |(_, w)| *w)
    }

    /// Whether anything observable is known of the group (techniques, software,
    /// infrastructure): a group without it can be named by a claim but not recognised.
    pub fn has_profile(&self) -> bool {
        !self.techniques.is_empty() || !self.software.is_empty() || !self.links.is_empty()
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
    pub(crate) tech_by_stix: HashMap<String, String>,
    #[serde(skip)]
    pub(crate) by_stix: HashMap<String, usize>,
    #[serde(skip)]
    pub(crate) by_name: HashMap<String, usize>,
    #[serde(skip)]
    pub(crate) by_attack_id: HashMap<String, usize>,
    #[serde(skip)]
    by_software: HashMap<String, Vec<usize>>,
    #[serde(skip)]
    by_link: HashMap<String, Vec<usize>>,
}

/// The types the knowledge base reads (for a bulk read from the store).
pub const KB_TYPES: &[&str] = &[
    "attack-pattern",
    "intrusion-set",
    "threat-actor",
    "campaign",
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
    "originates-from",
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
                || source.starts_with("campaign--")
        }
        "attributed-to" | "related-to" | "originates-from" => group(source) || group(target),
        "indicates" => group(target),
        _ => false,
    }
}

pub(crate) fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn dead(v: &Value) -> bool {
    v.get("revoked") == Some(&Value::Bool(true))
        || v.get("x_mitre_deprecated") == Some(&Value::Bool(true))
}

/// The ATT&CK external id (`T1059.001`, `G0007`, `S0154`, `C0024`) of an object.
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

pub(crate) fn strings(v: &Value, k: &str) -> Vec<String> {
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

fn is_state_actor(v: &Value) -> bool {
    s(v, "type") == Some("threat-actor")
        && strings(v, "threat_actor_types")
            .iter()
            .any(|t| t == "nation-state")
}

/// The state an `attributed-to` relationship from a group names: the concord extension's
/// `sponsor`, a `location` target's country, or a nation-state threat-actor's name.
fn named_state(r: &Value, target: Option<&&Value>) -> Option<String> {
    let ext = r
        .get("extensions")
        .and_then(|e| e.get(EXTENSION_ID))
        .and_then(|e| s(e, "sponsor"))
        .and_then(|c| country::alpha3(c).or_else(|| country::alpha3_of_name(c)))
        .map(String::from);
    ext.or_else(|| {
        let t = target?;
        match s(t, "type") {
            Some("location") => s(t, "country").and_then(country::alpha3_of_alpha2),
            Some("threat-actor") if is_state_actor(t) => s(t, "name")
                .map(|n| n.trim_end_matches("(state)").trim())
                .and_then(country::alpha3_of_name),
            _ => None,
        }
        .map(String::from)
    })
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
        kb.read_techniques(&all, &rels);
        kb.read_software(&all);
        // groups, merged across sources by name and alias
        let sources = crate::kb_merge::merge_groups(&mut kb, &all);
        // ATT&CK campaigns: (names, object, techniques, software)
        let mut campaigns: HashMap<&str, crate::kb_links::Campaign> = HashMap::new();
        for (id, v) in &all {
            if s(v, "type") == Some("campaign")
                && !dead(v)
                && attack_id(v).is_some_and(|c| c.starts_with('C'))
            {
                campaigns.insert(id, crate::kb_links::Campaign::new(v));
            }
        }
        let mut statements = crate::kb_links::Statements::default();
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
                    let target_is_state = all.get(other).is_some_and(|t| is_state_actor(t));
                    if !kb.tech_by_stix.contains_key(other)
                        && !kb.software.contains_key(other)
                        && !target_is_state
                        && !other.starts_with("attack-pattern--")
                        && !other.starts_with("campaign--")
                        && !other.starts_with("incident--")
                        && !other.starts_with("location--")
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
                if let Some(c) = campaigns.get_mut(src) {
                    if let Some(tid) = kb.tech_by_stix.get(dst) {
                        c.techniques.insert(tid.clone());
                    } else if kb.software.contains_key(dst) {
                        c.software.insert(dst.to_string());
                    }
                    continue;
                }
            }
            if rt == "attributed-to" {
                if let (Some(c), Some(&g)) = (campaigns.get_mut(src), kb.by_stix.get(dst)) {
                    c.groups.push(g);
                    continue;
                }
            }
            let Some(&gi) = kb.by_stix.get(src) else {
                continue;
            };
            match rt {
                "uses" => {
                    if let Some(tid) = kb.tech_by_stix.get(dst) {
                        kb.groups[gi].techniques.insert(tid.clone());
                    } else if kb.software.contains_key(dst) {
                        kb.groups[gi].software.insert(dst.to_string());
                    }
                }
                "attributed-to" => {
                    if let Some(state) = named_state(r, all.get(dst)) {
                        statements.relationship(gi, &state, r, all.get(dst));
                    }
                }
                "originates-from" => {
                    if let Some(c) = all
                        .get(dst)
                        .filter(|t| s(t, "type") == Some("location"))
                        .and_then(|t| s(t, "country"))
                        .and_then(country::alpha3_of_alpha2)
                    {
                        statements.origin(gi, c, r);
                    }
                }
                _ => {}
            }
        }
        // the campaigns' profiles count as their groups'
        let mut campaign_list: Vec<(&str, crate::kb_links::Campaign)> =
            campaigns.into_iter().collect();
        campaign_list.sort_by(|a, b| a.0.cmp(b.0));
        for (_, c) in &campaign_list {
            for &g in &c.groups {
                let gr = &mut kb.groups[g];
                gr.techniques.extend(c.techniques.iter().cloned());
                gr.software.extend(c.software.iter().cloned());
                gr.campaigns.push(c.label());
            }
        }
        crate::kb_links::resolve(&mut kb, &sources, &campaign_list, statements);
        for (i, g) in kb.groups.iter().enumerate() {
            for sw in &g.software {
                kb.by_software.entry(sw.clone()).or_default().push(i);
            }
            for l in &g.links {
                kb.by_link.entry(l.clone()).or_default().push(i);
            }
        }
        kb
    }

    fn read_techniques(&mut self, all: &HashMap<&str, &Value>, rels: &[&Value]) {
        // revoked-by: old -> new (followed transitively below)
        let mut replaced: HashMap<&str, &str> = HashMap::new();
        for r in rels {
            if s(r, "relationship_type") == Some("revoked-by") {
                if let (Some(a), Some(b)) = (s(r, "source_ref"), s(r, "target_ref")) {
                    replaced.insert(a, b);
                }
            }
        }
        for (id, v) in all {
            if s(v, "type") != Some("attack-pattern") {
                continue;
            }
            let Some(tid) = attack_id(v) else { continue };
            if dead(v) {
                self.skipped += 1;
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
            self.techniques.insert(
                tid.to_string(),
                Technique {
                    stix_id: (*id).to_string(),
                    attack_id: tid.to_string(),
                    name: s(v, "name").unwrap_or(tid).to_string(),
                    parent: tid.split_once('.').map(|(p, _)| p.to_string()),
                    tactics,
                },
            );
            self.tech_by_stix.insert((*id).to_string(), tid.to_string());
        }
        // revoked techniques resolve to their replacement's T-id
        for old in replaced.keys() {
            let mut cur = *old;
            for _ in 0..16 {
                match replaced.get(cur) {
                    Some(next) => cur = next,
                    None => break,
                }
            }
            if let Some(tid) = self.tech_by_stix.get(cur).cloned() {
                self.tech_by_stix.insert((*old).to_string(), tid);
            }
        }
    }

    fn read_software(&mut self, all: &HashMap<&str, &Value>) {
        for (id, v) in all {
            let ty = s(v, "type").unwrap_or("");
            if ty != "malware" && ty != "tool" {
                continue;
            }
            if dead(v) {
                self.skipped += 1;
                continue;
            }
            self.software.insert(
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
    }

    /// Whether an object (as found in the store) would be read as a group.
    pub(crate) fn is_group_object(v: &Value) -> bool {
        (s(v, "type") == Some("intrusion-set")
            || (s(v, "type") == Some("threat-actor") && !is_state_actor(v)))
            && !dead(v)
    }

    pub(crate) fn is_dead(v: &Value) -> bool {
        dead(v)
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

    /// Index of the group an id, G-id, name or alias names.
    pub fn group_index_by_key(&self, key: &str) -> Option<usize> {
        self.by_stix
            .get(key)
            .or_else(|| self.by_attack_id.get(key))
            .or_else(|| self.by_name.get(&norm_name(key)))
            .copied()
    }

    /// The T-id of an attack-pattern (revoked ones resolved to their replacement).
    pub fn technique_of(&self, stix_id: &str) -> Option<&str> {
        self.tech_by_stix.get(stix_id).map(String::as_str)
    }

    /// Groups whose profile includes a software object.
    pub fn groups_using_software(&self, stix_id: &str) -> Vec<usize> {
        self.by_software.get(stix_id).cloned().unwrap_or_default()
    }

    /// Groups linked to an infrastructure, indicator or observable object.
    pub fn groups_linked_to(&self, stix_id: &str) -> Vec<usize> {
        self.by_link.get(stix_id).cloned().unwrap_or_default()
    }

    /// Counts for a summary.
    pub fn summary(&self) -> Value {
        let sponsored = self.groups.iter().filter(|g| g.sponsor().is_some()).count();
        let attack = self.groups.iter().filter(|g| g.attack_id.is_some()).count();
        let mut by_state: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_reliability: BTreeMap<String, usize> = BTreeMap::new();
        for g in &self.groups {
            if let Some(st) = g.sponsor() {
                *by_state.entry(st).or_default() += 1;
            }
            *by_kind.entry(g.kind.as_str()).or_default() += 1;
            if let Some(best) = g
                .sponsors
                .iter()
                .filter(|l| l.relation != Relation::Origin)
                .map(|l| l.reliability)
                .min()
            {
                *by_reliability.entry(best.to_string()).or_default() += 1;
            }
        }
        serde_json::json!({
            "groups": self.groups.len(),
            "attack_groups": attack,
            "groups_with_profile": self.groups.iter().filter(|g| g.has_profile()).count(),
            "groups_with_sponsor": sponsored,
            "groups_by_sponsor": by_state,
            "groups_by_kind": by_kind,
            "groups_by_best_sponsor_reliability": by_reliability,
            "techniques": self.techniques.len(),
            "sub_techniques": self.techniques.values().filter(|t| t.parent.is_some()).count(),
            "software": self.software.len(),
            "uses": self.groups.iter().map(|g| g.techniques.len() + g.software.len()).sum::<usize>(),
            "skipped_revoked_or_deprecated": self.skipped,
        })
    }
}

#[cfg(test)]
#[path = "kb_tests.rs"]
mod tests;
