//! Which TLP level governs an object (DESIGN 9), decided once, at write time.
//!
//! - Every marking an object carries counts: `object_marking_refs` and the `marking_ref` of
//!   every `granular_markings` entry. The object is read as if its most restrictive marking
//!   applied to all of it (a red `description` makes the whole object red): concord never
//!   serves part of an object, so it never has to redact.
//! - The predefined TLP 1.0 and TLP 2.0 marking definitions are known by id (TLP 1.0 white
//!   reads as clear).
//! - Any other marking id is resolved from its marking-definition object: one in the same
//!   bundle, or one already stored by the same submitter or by the hub or an admin (a
//!   definition stored by another member is not trusted: it could pre-empt the id). A
//!   definition says its level as TLP 1.0 (`definition_type` "tlp") or TLP 2.0 (the OASIS
//!   extension's `tlp_2_0`); a `statement` definition (copyright, terms of use) says nothing
//!   about who may read. Anything else, and any id that cannot be resolved, is read as red,
//!   the most restrictive level.

use concord_stix::model;
use serde_json::Value;

/// The OASIS TLP 2.0 extension.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The levels, least restrictive first.
pub const LEVELS: &[&str] = &["clear", "green", "amber", "amber+strict", "red"];

/// The most restrictive level (what an unknown marking reads as).
pub const MOST_RESTRICTIVE: &str = "red";

/// Rank of a level word (`white` is `clear`; an unknown word ranks as red).
pub fn rank(level: &str) -> usize {
    match level {
        "white" => 0,
        l => LEVELS
            .iter()
            .position(|x| *x == l)
            .unwrap_or(LEVELS.len() - 1),
    }
}

/// The more restrictive of two levels (`None` is unmarked, which reads as green but ranks
/// below every explicit level so that an explicit clear is kept).
pub fn stricter(a: Option<&'static str>, b: &'static str) -> Option<&'static str> {
    match a {
        Some(x) if rank(x) >= rank(b) => Some(x),
        _ => Some(b),
    }
}

fn level_word(w: &str) -> Option<&'static str> {
    match w.to_ascii_lowercase().as_str() {
        "white" | "clear" => Some("clear"),
        "green" => Some("green"),
        "amber" => Some("amber"),
        "amber+strict" => Some("amber+strict"),
        "red" => Some("red"),
        _ => None,
    }
}

/// What a marking-definition object says about who may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A TLP level.
    Tlp(&'static str),
    /// A statement (copyright, terms): no effect on reading.
    Statement,
    /// Anything else: read as the most restrictive level.
    Unknown,
}

/// The meaning of a marking-definition object's JSON.
pub fn meaning(def: &Value) -> Meaning {
    if let Some(l) = def
        .get("extensions")
        .and_then(|e| e.get(TLP2_EXTENSION))
        .and_then(|e| e.get("tlp_2_0"))
        .and_then(Value::as_str)
    {
        return level_word(l).map_or(Meaning::Unknown, Meaning::Tlp);
    }
    match def.get("definition_type").and_then(Value::as_str) {
        Some("tlp") => def
            .get("definition")
            .and_then(|d| d.get("tlp"))
            .and_then(Value::as_str)
            .and_then(level_word)
            .map_or(Meaning::Unknown, Meaning::Tlp),
        Some("statement") => Meaning::Statement,
        _ => Meaning::Unknown,
    }
}

/// The level of a predefined TLP marking id.
pub fn predefined(id: &str) -> Option<&'static str> {
    model::TLP1
        .iter()
        .chain(model::TLP2)
        .find(|(i, _)| *i == id)
        .map(|(_, w)| if *w == "white" { "clear" } else { *w })
}

/// Every marking id an object carries: its `object_marking_refs` and its granular
/// markings' `marking_ref`s, each once, in order.
pub fn marking_refs(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    };
    for r in v
        .get("object_marking_refs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        add(r);
    }
    for g in v
        .get("granular_markings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(r) = g.get("marking_ref").and_then(Value::as_str) {
            add(r);
        }
    }
    out
}

/// The governing level of a list of marking ids, resolving the non-predefined ones with
/// `resolve` (`None`: not resolvable, read as the most restrictive level).
pub fn level(
    refs: &[String],
    mut resolve: impl FnMut(&str) -> Option<Meaning>,
) -> Option<&'static str> {
    let mut best: Option<&'static str> = None;
    for r in refs {
        let m = match predefined(r) {
            Some(l) => Meaning::Tlp(l),
            None => resolve(r).unwrap_or(Meaning::Unknown),
        };
        match m {
            Meaning::Tlp(l) => best = stricter(best, l),
            Meaning::Statement => {}
            Meaning::Unknown => best = stricter(best, MOST_RESTRICTIVE),
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definitions_say_their_level() {
        let tlp1 = json!({"type": "marking-definition", "definition_type": "tlp", "definition": {"tlp": "red"}});
        assert_eq!(meaning(&tlp1), Meaning::Tlp("red"));
        let tlp2 = json!({"type": "marking-definition", "name": "TLP:AMBER+STRICT",
            "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}}});
        assert_eq!(meaning(&tlp2), Meaning::Tlp("amber+strict"));
        let st = json!({"type": "marking-definition", "definition_type": "statement", "definition": {"statement": "(c) EST"}});
        assert_eq!(meaning(&st), Meaning::Statement);
        let odd = json!({"type": "marking-definition", "definition_type": "x-classification", "definition": {"level": "secret"}});
        assert_eq!(meaning(&odd), Meaning::Unknown);
        let bad = json!({"type": "marking-definition", "definition_type": "tlp", "definition": {"tlp": "purple"}});
        assert_eq!(meaning(&bad), Meaning::Unknown);
    }

    #[test]
    fn the_most_restrictive_marking_anywhere_governs() {
        let v = json!({"object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
            "granular_markings": [{"selectors": ["description"], "marking_ref": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}]});
        let refs = marking_refs(&v);
        assert_eq!(refs.len(), 2);
        assert_eq!(level(&refs, |_| None), Some("red"));
        // an unknown id is red; a statement changes nothing
        let refs = vec!["marking-definition--00000000-0000-4000-8000-000000000000".to_string()];
        assert_eq!(level(&refs, |_| None), Some("red"));
        assert_eq!(level(&refs, |_| Some(Meaning::Statement)), None);
        assert_eq!(level(&refs, |_| Some(Meaning::Tlp("amber"))), Some("amber"));
        // white reads as clear and an explicit clear is kept
        let refs = vec!["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9".to_string()];
        assert_eq!(level(&refs, |_| None), Some("clear"));
    }
}
