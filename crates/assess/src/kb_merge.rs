//! Groups merged across sources: one actor is one group (one attribution hypothesis),
//! whether ATT&CK, the MISP galaxy or a member describes it.
//!
//! ATT&CK groups come first and never merge with each other (distinct G-ids). Any other
//! group object (a galaxy actor, a member's intrusion-set) merges into an existing group
//! when, in this order:
//! 1. it references an ATT&CK group (an `attack.mitre.org/groups/Gxxxx` page, or a G-id
//!    among its names, as galaxy synonyms do);
//! 2. its name is a name or alias of the group;
//! 3. its aliases name the group: the group most of its names point to (ties: the earlier,
//!    ATT&CK first).
//!
//! Names are compared ignoring case, spaces and punctuation; names shorter than three
//! letters or digits are not used. Otherwise the object stands as a group of its own, and
//! later objects can merge into it. Each merge is recorded with its reason.

use crate::kb::{attack_id, norm_name, s, strings, ActorKind, Group, KnowledgeBase};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// G-ids named by `attack.mitre.org/groups/Gxxxx` references or used as names.
fn referenced_group_ids(v: &Value, names: &[String]) -> Vec<String> {
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
            if is_gid(&g) {
                out.push(g);
            }
        }
    }
    for n in names {
        let t = n.trim();
        if is_gid(t) {
            out.push(t.to_string());
        }
    }
    out
}

fn is_gid(x: &str) -> bool {
    x.len() == 5 && x.starts_with('G') && x[1..].bytes().all(|b| b.is_ascii_digit())
}

fn usable(n: &str) -> bool {
    norm_name(n).chars().count() >= 3
}

/// Build the groups of `kb` from the group objects among `all`; returns, per group, the
/// objects merged into it (the first is the group's own).
pub(crate) fn merge_groups<'a>(
    kb: &mut KnowledgeBase,
    all: &HashMap<&'a str, &'a Value>,
) -> Vec<Vec<&'a Value>> {
    let mut candidates: Vec<(&str, &Value)> = Vec::new();
    for (id, v) in all {
        let ty = s(v, "type").unwrap_or("");
        if ty != "intrusion-set" && ty != "threat-actor" {
            continue;
        }
        if KnowledgeBase::is_group_object(v) {
            candidates.push((id, v));
        } else if KnowledgeBase::is_dead(v) {
            kb.skipped += 1;
        }
    }
    candidates.sort_by_key(|(id, v)| {
        let gid = attack_id(v).filter(|g| g.starts_with('G'));
        (gid.is_none(), gid.map(String::from), *id)
    });
    let mut sources: Vec<Vec<&Value>> = Vec::new();
    for (id, v) in candidates {
        let name = s(v, "name").unwrap_or(id).to_string();
        let mut aliases: Vec<String> = strings(v, "aliases");
        aliases.retain(|a| norm_name(a) != norm_name(&name) && !a.trim().is_empty());
        let gid = attack_id(v)
            .filter(|g| g.starts_with('G'))
            .map(String::from);
        let names: Vec<String> = std::iter::once(name.clone())
            .chain(aliases.iter().cloned())
            .collect();
        let target: Option<(usize, String)> = match &gid {
            Some(g) => kb
                .by_attack_id
                .get(g)
                .map(|&i| (i, format!("the same ATT&CK id {g}"))),
            None => find_target(kb, v, &name, &names),
        };
        let idx = match target {
            Some((i, why)) => {
                let g = &mut kb.groups[i];
                g.merged.push(format!("{id} ({name}): {why}"));
                for a in &names {
                    if is_gid(a.trim()) {
                        continue;
                    }
                    if norm_name(a) != norm_name(&g.name)
                        && !g.aliases.iter().any(|x| norm_name(x) == norm_name(a))
                    {
                        g.aliases.push(a.clone());
                    }
                }
                sources[i].push(v);
                i
            }
            None => {
                kb.groups.push(Group {
                    stix_id: id.to_string(),
                    attack_id: gid.clone(),
                    name: name.clone(),
                    aliases: aliases.iter().filter(|a| !is_gid(a)).cloned().collect(),
                    techniques: BTreeSet::new(),
                    software: BTreeSet::new(),
                    links: BTreeSet::new(),
                    sponsors: Vec::new(),
                    pooled: Vec::new(),
                    kind: ActorKind::Unknown,
                    kind_reason: String::new(),
                    merged: Vec::new(),
                    campaigns: Vec::new(),
                });
                sources.push(vec![v]);
                let i = kb.groups.len() - 1;
                if let Some(g) = &gid {
                    kb.by_attack_id.insert(g.clone(), i);
                }
                i
            }
        };
        kb.by_stix.insert(id.to_string(), idx);
        for n in &names {
            if usable(n) && !is_gid(n.trim()) {
                kb.by_name.entry(norm_name(n)).or_insert(idx);
            }
        }
    }
    sources
}

/// The group a non-ATT&CK object merges into, and why.
fn find_target(
    kb: &KnowledgeBase,
    v: &Value,
    name: &str,
    names: &[String],
) -> Option<(usize, String)> {
    if let Some((i, g)) = referenced_group_ids(v, names)
        .into_iter()
        .find_map(|g| kb.by_attack_id.get(&g).map(|&i| (i, g)))
    {
        return Some((i, format!("it references ATT&CK group {g}")));
    }
    if usable(name) {
        if let Some(&i) = kb.by_name.get(&norm_name(name)) {
            return Some((i, format!("its name \"{name}\" is a name of the group")));
        }
    }
    let mut votes: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for n in names.iter().filter(|n| usable(n)) {
        if let Some(&i) = kb.by_name.get(&norm_name(n)) {
            votes.entry(i).or_default().push(n);
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))
        .map(|(i, ns)| (i, format!("its aliases {} name the group", ns.join(", "))))
}
