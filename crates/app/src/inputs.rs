//! The inputs behind a decision, as the viewer read them: the sources a brief lists and the
//! TLP marking its banner carries (the most restrictive marking among them).
//!
//! The inputs of an incident or campaign are: the object itself; for a campaign, its
//! readable `related-to` incidents; the readable relationships of each of these (links,
//! `uses`, `attributed-to` claims); the objects those relationships name (techniques,
//! software, infrastructure, groups, locations); and the `attributed-to` links of the named
//! groups (their sponsors). Only what the viewer may read is listed, so the banner never
//! reveals a marking the viewer could not see. An unmarked object reads as TLP:GREEN, as
//! the store reads it.

use crate::{views, Error};
use concord_store::{Reader, StoredObject};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The TLP 2.0 levels, least restrictive first.
pub const TLP_LEVELS: [&str; 5] = ["clear", "green", "amber", "amber+strict", "red"];

/// The level an object reads as: its marking, unmarked as green (`white` is `clear`).
pub fn level_of(tlp: Option<&str>) -> &'static str {
    match tlp.map(str::to_ascii_lowercase).as_deref() {
        None => "green",
        Some("white" | "clear") => "clear",
        Some(l) => TLP_LEVELS
            .iter()
            .find(|x| **x == l)
            .copied()
            // an unknown level reads as the most restrictive, as the store reads it
            .unwrap_or("red"),
    }
}

fn rank(level: &str) -> usize {
    TLP_LEVELS.iter().position(|x| *x == level).unwrap_or(4)
}

/// The more restrictive of two levels.
pub fn stricter(a: &'static str, b: &'static str) -> &'static str {
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// The banner text of a level: `TLP:AMBER+STRICT`.
pub fn banner(level: &str) -> String {
    format!("TLP:{}", level.to_ascii_uppercase())
}

/// One input.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Input {
    pub id: String,
    /// The STIX type.
    pub kind: String,
    /// Its name, or for a relationship "source_ref relationship_type target_ref" in words.
    pub name: String,
    /// The level it reads as (`clear` .. `red`).
    pub tlp: &'static str,
    /// The member it was stored for (its author), else its submitter.
    pub by: String,
    /// When it was created (or first seen).
    pub at: String,
}

/// Every input of a decision and the most restrictive marking among them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Inputs {
    pub items: Vec<Input>,
    /// The most restrictive level among the inputs.
    pub tlp: &'static str,
    /// How many inputs carry each level.
    pub by_level: BTreeMap<&'static str, usize>,
}

impl Inputs {
    /// The banner: `TLP:AMBER`.
    pub fn banner(&self) -> String {
        banner(self.tlp)
    }

    /// Inputs of some kinds.
    pub fn of_kind<'a>(&'a self, kinds: &'a [&str]) -> impl Iterator<Item = &'a Input> + 'a {
        self.items
            .iter()
            .filter(move |i| kinds.contains(&i.kind.as_str()))
    }
}

fn text(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn input(o: &StoredObject, names: &BTreeMap<String, String>) -> Result<Input, Error> {
    let v = o.value()?;
    let name = if o.object_type == "relationship" {
        let side = |k: &str| {
            let id = text(&v, k);
            names.get(&id).cloned().unwrap_or(id)
        };
        format!(
            "{} {} {}",
            side("source_ref"),
            text(&v, "relationship_type"),
            side("target_ref")
        )
    } else {
        v.get("name")
            .or_else(|| v.get("value"))
            .and_then(Value::as_str)
            .unwrap_or(&o.id)
            .to_string()
    };
    let at = v
        .get("extensions")
        .and_then(|e| e.get(concord_stix::concord_ext::EXTENSION_ID))
        .and_then(|e| e.get("first_seen"))
        .or_else(|| v.get("first_seen"))
        .or_else(|| v.get("created"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(Input {
        id: o.id.clone(),
        kind: o.object_type.clone(),
        name,
        tlp: level_of(o.tlp.as_deref()),
        by: o.author.clone().unwrap_or_else(|| o.submitter.clone()),
        at,
    })
}

/// The inputs of a stored incident or campaign as the reader's viewer may read them.
pub fn inputs(r: &Reader<'_>, id: &str) -> Result<Inputs, Error> {
    let Some(root) = r.get(id)? else {
        return Err(Error::NotFound(format!(
            "{id}: no such object in the database"
        )));
    };
    let mut objects: BTreeMap<String, StoredObject> = BTreeMap::new();
    let mut subjects = vec![id.to_string()];
    subjects.extend(
        views::incident_ids(r, id)?
            .unwrap_or_default()
            .into_iter()
            .filter(|x| x != id),
    );
    objects.insert(id.to_string(), root);
    let mut named: Vec<String> = Vec::new();
    for s in &subjects {
        if let Some(o) = r.get(s)? {
            objects.insert(s.clone(), o);
        }
        for rel in r.relationships_of(s)? {
            let v = rel.value()?;
            if v.get("revoked") == Some(&Value::Bool(true)) {
                continue;
            }
            for k in ["source_ref", "target_ref"] {
                let other = text(&v, k);
                if !other.is_empty() && !subjects.contains(&other) {
                    named.push(other);
                }
            }
            objects.insert(rel.id.clone(), rel);
        }
    }
    // the named objects, and the sponsor links of named groups
    let mut more = Vec::new();
    for n in &named {
        if objects.contains_key(n) {
            continue;
        }
        let Some(o) = r.get(n)? else {
            continue;
        };
        if matches!(o.object_type.as_str(), "intrusion-set" | "threat-actor") {
            for rel in r.relationships_of(n)? {
                let v = rel.value()?;
                if text(&v, "relationship_type") == "attributed-to"
                    && text(&v, "source_ref") == *n
                    && v.get("revoked") != Some(&Value::Bool(true))
                {
                    more.push(text(&v, "target_ref"));
                    objects.insert(rel.id.clone(), rel);
                }
            }
        }
        objects.insert(n.clone(), o);
    }
    for n in more {
        if let std::collections::btree_map::Entry::Vacant(e) = objects.entry(n) {
            if let Some(o) = r.get(e.key())? {
                e.insert(o);
            }
        }
    }
    let mut names = BTreeMap::new();
    for (k, o) in &objects {
        if o.object_type != "relationship" {
            if let Some(n) = o.value()?.get("name").and_then(Value::as_str) {
                names.insert(k.clone(), n.to_string());
            }
        }
    }
    let mut items: Vec<Input> = objects
        .values()
        .map(|o| input(o, &names))
        .collect::<Result<_, _>>()?;
    // the subject first, then incidents, claims and the rest, each by time
    let order = |i: &Input| match i.kind.as_str() {
        _ if i.id == id => 0,
        "incident" => 1,
        "relationship" if i.name.contains(" attributed-to ") => 2,
        "relationship" => 4,
        _ => 3,
    };
    items.sort_by(|a, b| {
        order(a)
            .cmp(&order(b))
            .then(a.at.cmp(&b.at))
            .then(a.id.cmp(&b.id))
    });
    let mut tlp = "clear";
    let mut by_level = BTreeMap::new();
    for x in &items {
        tlp = stricter(tlp, x.tlp);
        *by_level.entry(x.tlp).or_insert(0) += 1;
    }
    Ok(Inputs {
        items,
        tlp,
        by_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_and_read_like_the_store() {
        assert_eq!(level_of(None), "green");
        assert_eq!(level_of(Some("white")), "clear");
        assert_eq!(level_of(Some("AMBER+STRICT")), "amber+strict");
        assert_eq!(level_of(Some("purple")), "red");
        assert_eq!(stricter("green", "amber"), "amber");
        assert_eq!(stricter("red", "amber+strict"), "red");
        assert_eq!(stricter("clear", "clear"), "clear");
        assert_eq!(banner("amber+strict"), "TLP:AMBER+STRICT");
    }
}
