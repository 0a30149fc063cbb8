//! The viewer-bound reader: the only way to read stored objects from outside this crate.
//!
//! [`Store::reader`] binds a [`Principal`]; every method of [`Reader`] returns only what
//! that principal may read (DESIGN 9), so "every read is filtered" holds by construction
//! rather than because each caller remembers to filter. The unfiltered methods of
//! [`Store`] it is built on are `pub(crate)`.
//!
//! The rule, the same as TAXII's ([`crate::taxii`]): an object is visible when the viewer
//! may read its latest version; an object whose latest version it may not read is absent,
//! with all its versions, exactly like a missing one.

use crate::access::Principal;
use crate::{Edge, Store, StoreError, StoredObject};
use std::collections::BTreeMap;

/// Reads of the store as one principal sees them. Cheap to make; borrow the store.
#[derive(Debug, Clone)]
pub struct Reader<'s> {
    store: &'s Store,
    viewer: Principal,
}

impl Store {
    /// A reader bound to `viewer`: every object it returns is one `viewer` may read.
    pub fn reader(&self, viewer: &Principal) -> Reader<'_> {
        Reader {
            store: self,
            viewer: viewer.clone(),
        }
    }
}

impl<'s> Reader<'s> {
    /// Who this reader reads as.
    pub fn viewer(&self) -> &Principal {
        &self.viewer
    }

    /// The store this reader reads (for writes and for what is not object data: tokens,
    /// policies, collections, the audit log; its object reads are crate-private).
    pub fn store(&self) -> &'s Store {
        self.store
    }

    fn readable(&self, o: &StoredObject) -> bool {
        o.readable_by(&self.viewer)
    }

    /// The latest version of an object, if the viewer may read it (else `None`, as for a
    /// missing object).
    pub fn get(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        Ok(self.store.get(id)?.filter(|o| self.readable(o)))
    }

    /// The versions of an object the viewer may read, oldest first; none when it may not
    /// read the latest version.
    pub fn versions(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        if self.get(id)?.is_none() {
            return Ok(Vec::new());
        }
        let mut all = self.store.versions(id)?;
        all.retain(|o| self.readable(o));
        Ok(all)
    }

    /// The latest version of every readable object of a type, in insertion order.
    pub fn latest_of_type(&self, ty: &str) -> Result<Vec<StoredObject>, StoreError> {
        let mut all = self.store.latest_of_type(ty)?;
        all.retain(|o| self.readable(o));
        Ok(all)
    }

    /// The latest version of every readable relationship with `id` as source or target.
    pub fn relationships_of(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let mut all = self.store.relationships_of(id)?;
        all.retain(|o| self.readable(o));
        Ok(all)
    }

    /// Visit the latest version of every readable object whose type is in `types`, in
    /// insertion order, one row at a time.
    pub fn for_each_latest<E: From<StoreError>>(
        &self,
        types: &[&str],
        mut f: impl FnMut(StoredObject) -> Result<(), E>,
    ) -> Result<(), E> {
        self.store
            .for_each_latest(types, |o| if self.readable(&o) { f(o) } else { Ok(()) })
    }

    /// The latest, unrevoked, readable relationships whose `relationship_type` is in
    /// `types`, from the indexed columns.
    pub fn edges(&self, types: &[&str]) -> Result<Vec<Edge>, StoreError> {
        let mut all = self.store.edges(types)?;
        all.retain(|e| e.readable_by(&self.viewer));
        Ok(all)
    }

    /// Number of readable stored object versions by type (a version counts when the viewer
    /// may read it and the object's latest version).
    pub fn count_by_type(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for (ty, latest, version, n) in self.store.count_by_type_and_marking()? {
            let ok = |m: &(Option<String>, String, Option<String>)| {
                self.viewer.may_read(m.0.as_deref(), &m.1, m.2.as_deref())
            };
            if ok(&latest) && ok(&version) {
                *out.entry(ty).or_insert(0) += n;
            }
        }
        Ok(out)
    }
}

/// (tlp, submitter, recipients) of a version.
type Marking = (Option<String>, String, Option<String>);

impl Store {
    /// Stored versions counted by (type, marking of the object's latest version, marking
    /// of the version): what [`Reader::count_by_type`] filters.
    fn count_by_type_and_marking(
        &self,
    ) -> Result<Vec<(String, Marking, Marking, u64)>, StoreError> {
        use crate::db::SqlExt;
        self.read()?.rows(
            "SELECT o.type, l.tlp, l.submitter, l.recipients, o.tlp, o.submitter, o.recipients, COUNT(*)
               FROM objects o JOIN objects l ON l.id = o.id
                AND l.modified = (SELECT MAX(modified) FROM objects WHERE id = o.id)
              GROUP BY o.type, l.tlp, l.submitter, l.recipients, o.tlp, o.submitter, o.recipients",
            &[],
            |r| {
                Ok((
                    r.text(0)?,
                    (r.opt_text(1)?, r.text(2)?, r.opt_text(3)?),
                    (r.opt_text(4)?, r.text(5)?, r.opt_text(6)?),
                    u64::try_from(r.int(7)?).unwrap_or(0),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn tlp_id(word: &str) -> &'static str {
        concord_stix::model::TLP2
            .iter()
            .find(|(_, w)| *w == word)
            .map(|(i, _)| *i)
            .unwrap()
    }

    fn indicator(n: u32, tlp: Option<&str>, modified: &str) -> serde_json::Value {
        let mut v = json!({"type": "indicator", "spec_version": "2.1",
            "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
            "created": "2026-01-01T00:00:00.000Z", "modified": modified,
            "pattern": "[ipv4-addr:value = '198.51.100.1']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z"});
        if let Some(t) = tlp {
            v["object_marking_refs"] = json!([tlp_id(t)]);
        }
        v
    }

    #[test]
    fn every_read_is_filtered_by_the_viewer() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = "2026-01-01T00:00:00.000Z";
        let t1 = "2026-01-02T00:00:00.000Z";
        let green = indicator(1, None, t0);
        let red = indicator(2, Some("red"), t0);
        // an object re-marked red in its second version: hidden whole from others
        let v1 = indicator(3, None, t0);
        let v2 = indicator(3, Some("red"), t1);
        let r = s
            .ingest_values(&[green, red, v1, v2], "EST", "test")
            .unwrap();
        assert!(r.rejections.is_empty(), "{:?}", r.rejections);
        let est = Principal::Member("EST".into());
        let lva = Principal::Member("LVA".into());
        let id = |n: u32| format!("indicator--{n:08x}-2222-4333-8444-555555555555");

        let as_est = s.reader(&est);
        assert!(as_est.get(&id(2)).unwrap().is_some());
        assert_eq!(as_est.versions(&id(3)).unwrap().len(), 2);
        assert_eq!(as_est.latest_of_type("indicator").unwrap().len(), 3);
        assert_eq!(as_est.count_by_type().unwrap()["indicator"], 4);

        let as_lva = s.reader(&lva);
        assert!(as_lva.get(&id(1)).unwrap().is_some());
        assert!(as_lva.get(&id(2)).unwrap().is_none());
        assert!(as_lva.get(&id(3)).unwrap().is_none());
        // the green first version of a now-red object is not readable either
        assert!(as_lva.versions(&id(3)).unwrap().is_empty());
        let ids: Vec<String> = as_lva
            .latest_of_type("indicator")
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(ids, vec![id(1)]);
        let mut seen = Vec::new();
        as_lva
            .for_each_latest::<StoreError>(&["indicator"], |o| {
                seen.push(o.id);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, vec![id(1)]);
        // counts are aggregates: they reveal nothing hidden either
        assert_eq!(as_lva.count_by_type().unwrap()["indicator"], 1);
        // the hub reads no red it did not submit
        assert_eq!(
            s.reader(&Principal::Hub).count_by_type().unwrap()["indicator"],
            1
        );
    }

    #[test]
    fn relationships_and_edges_are_filtered() {
        let mut s = Store::open_in_memory().unwrap();
        let rel = |n: u32, tlp: Option<&str>| {
            let mut v = json!({"type": "relationship", "spec_version": "2.1",
                "id": format!("relationship--{n:08x}-2222-4333-8444-555555555555"),
                "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
                "relationship_type": "uses",
                "source_ref": "incident--00000000-2222-4333-8444-555555555555",
                "target_ref": format!("attack-pattern--{n:08x}-2222-4333-8444-555555555555")});
            if let Some(t) = tlp {
                v["object_marking_refs"] = json!([tlp_id(t)]);
            }
            v
        };
        let r = s
            .ingest_values(&[rel(1, None), rel(2, Some("amber"))], "EST", "test")
            .unwrap();
        assert!(r.rejections.is_empty(), "{:?}", r.rejections);
        let inc = "incident--00000000-2222-4333-8444-555555555555";
        let lva = s.reader(&Principal::Member("LVA".into()));
        assert_eq!(lva.relationships_of(inc).unwrap().len(), 1);
        assert_eq!(lva.edges(&["uses"]).unwrap().len(), 1);
        let hub = s.reader(&Principal::Hub);
        assert_eq!(hub.relationships_of(inc).unwrap().len(), 2);
        assert_eq!(hub.edges(&["uses"]).unwrap().len(), 2);
    }
}
