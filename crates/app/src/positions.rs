//! The member positions in force over a store: a starting set (the built-in illustrative
//! positions or a directory of policy files) with each member's latest position saved in
//! the store (DESIGN 9: a member edits its own, stored and versioned) in place of its
//! starting one. The server decides with them and keeps them in step with the database
//! (a position saved through another server counts from the next request on); the CLI's
//! commands that read a store decide with them too, so a brief written at the command line
//! and the dashboard agree.
//!
//! Invariants: the whole set is checked, all or nothing; a saved position replaces the
//! starting file of the same member (whatever that file is called), never sits beside it;
//! `version` is the store's latest saved version the set includes, so equal versions mean
//! the same set.

use concord_policy::{Alliance, Diagnostic, PolicySet};
use concord_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why the positions in force could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PositionsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The starting texts overlaid with the saved ones do not check.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Policies(Vec<Diagnostic>),
}

/// The policy texts and the checked set in force.
#[derive(Debug, Clone)]
pub struct Positions {
    /// The starting texts by file name.
    start: BTreeMap<String, String>,
    /// The texts in force by file name: the starting ones, each saved member's replaced.
    pub texts: BTreeMap<String, String>,
    /// The checked set built from `texts`.
    pub set: Arc<PolicySet>,
    /// The latest saved version (`Store::policy_version`) the set includes (0: none).
    pub version: i64,
}

/// The built-in illustrative texts for an alliance, by file name.
pub fn builtin_texts(alliance: &Alliance) -> Vec<(String, String)> {
    concord_policy::policy::builtin_texts(alliance)
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect()
}

impl Positions {
    /// The starting texts with the positions saved in `store` in place of their members'.
    pub fn load(
        start: impl IntoIterator<Item = (String, String)>,
        store: &Store,
        alliance: &Alliance,
    ) -> Result<Positions, PositionsError> {
        let start: BTreeMap<String, String> = start.into_iter().collect();
        // the version first: a save landing between the two reads is picked up next time
        let version = store.policy_version()?;
        let saved = store.stored_policies()?;
        let texts = if saved.is_empty() {
            start.clone()
        } else {
            overlay(&start, saved, alliance)
        };
        let files: Vec<(String, String)> = texts.clone().into_iter().collect();
        let set = PolicySet::from_texts(&files, alliance)
            .map_err(|e| PositionsError::Policies(e.diagnostics))?;
        Ok(Positions {
            start,
            texts,
            set: Arc::new(set),
            version,
        })
    }

    /// Whether a position was saved in `store` since these were loaded.
    pub fn stale(&self, store: &Store) -> Result<bool, StoreError> {
        Ok(store.policy_version()? != self.version)
    }

    /// The same starting texts with the positions saved in `store` now.
    pub fn reload(&self, store: &Store, alliance: &Alliance) -> Result<Positions, PositionsError> {
        Positions::load(self.start.clone(), store, alliance)
    }
}

/// The starting texts with each saved (member, text) in place of the starting file of that
/// member (by the `member` it declares), or as `MEMBER.toml` when it had none.
fn overlay(
    start: &BTreeMap<String, String>,
    saved: Vec<(String, String, String)>,
    alliance: &Alliance,
) -> BTreeMap<String, String> {
    let files: Vec<(String, String)> = start.clone().into_iter().collect();
    // a starting set that does not check is reported by the caller's own check
    let by_member: BTreeMap<String, String> = PolicySet::from_texts(&files, alliance)
        .map(|set| {
            (0..alliance.members.len())
                .filter_map(|i| set.get(i).map(|p| (p.member.clone(), p.file.clone())))
                .collect()
        })
        .unwrap_or_default();
    let mut texts = start.clone();
    for (member, text, _) in saved {
        let file = by_member
            .get(&member)
            .cloned()
            .unwrap_or_else(|| format!("{member}.toml"));
        texts.insert(file, text);
    }
    texts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use concord_store::access::Principal;

    #[test]
    fn a_saved_position_replaces_its_members_starting_file_whatever_its_name() {
        let alliance = Alliance::nato();
        let mut start = builtin_texts(&alliance);
        // a directory whose Estonian file has another name
        let i = start.iter().position(|(n, _)| n == "EST.toml").unwrap();
        start[i].0 = "estonia.toml".into();
        let mut store = Store::open_in_memory().unwrap();
        let p0 = Positions::load(start.clone(), &store, &alliance).unwrap();
        assert_eq!(p0.version, 0);
        assert!(p0.set.origin.illustrative);
        assert!(!p0.stale(&store).unwrap());

        let own =
            "member = \"EST\"\nsource = \"Estonia's own\"\n[stance.share]\nsupport = \"true\"\n";
        store
            .put_policy("EST", own, &Principal::Member("EST".into()))
            .unwrap();
        assert!(p0.stale(&store).unwrap());
        let p1 = p0.reload(&store, &alliance).unwrap();
        assert_eq!(p1.texts.get("estonia.toml").map(String::as_str), Some(own));
        assert!(!p1.texts.contains_key("EST.toml"));
        assert_eq!(p1.texts.len(), start.len());
        assert!(p1.version > 0);
        let est = alliance.member_index("EST").unwrap();
        assert_eq!(
            p1.set.get(est).unwrap().source.as_deref(),
            Some("Estonia's own")
        );
        assert!(
            p1.set.origin.name.contains("estonia"),
            "{}",
            p1.set.origin.name
        );
    }
}
