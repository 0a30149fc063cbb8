//! What TAXII 2.1 needs from the store: collections, pages of objects filtered by the
//! TAXII `match[...]` parameters and by what the reader may see, versions, deletion and
//! status resources.
//!
//! The default collection holds every stored object (whatever was ingested from files is
//! served too); other collections hold the objects posted to them. Pages are keyed by the
//! insertion sequence, so a page costs the same at any depth; visibility is applied while
//! filling a page, so `limit` counts only what the reader may see and nothing is revealed
//! by counts.
//!
//! Versions: the latest version of an object governs whether the object is visible at
//! all. A reader that may not read the latest version sees no version of the object
//! (objects, one object, `match[version]` first / all / timestamps, versions, manifest);
//! a reader that may read it sees each version it may read. So re-marking an object red
//! withdraws it whole, and `versions/` never lists an older version while hiding that a
//! newer one exists.

use crate::access::Principal;
use crate::{Store, StoreError, StoredObject};
use rusqlite::{params, params_from_iter, OptionalExtension};
use serde::Serialize;

/// The id of the collection every database has (created by migration 5).
pub const DEFAULT_COLLECTION: &str = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";

/// A collection.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Collection {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Members may write (every principal reads).
    pub members_write: bool,
    /// The hub (and admins) may write.
    pub hub_write: bool,
}

impl Collection {
    pub fn can_write(&self, p: &Principal) -> bool {
        match p {
            Principal::Member(_) => self.members_write,
            Principal::Hub | Principal::Admin => self.hub_write,
            Principal::Concord => false,
        }
    }
}

/// Which versions to return (`match[version]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Versions {
    Last,
    First,
    All,
    /// Exact `modified` values.
    These(Vec<String>),
}

/// A page request.
#[derive(Debug, Clone)]
pub struct PageQuery {
    pub collection: String,
    pub added_after: Option<String>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: Versions,
    pub spec_versions: Vec<String>,
    pub limit: usize,
    /// Continue after this sequence number (`next`).
    pub after_seq: Option<i64>,
}

/// A page of objects.
#[derive(Debug, Clone)]
pub struct Page {
    pub objects: Vec<StoredObject>,
    /// More objects match after this page.
    pub more: bool,
}

impl Store {
    /// Every collection, the default first.
    pub fn collections(&self) -> Result<Vec<Collection>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, title, description, members_write, hub_write FROM collections
             ORDER BY id != ?1, created, id",
        )?;
        let rows = st
            .query_map(params![DEFAULT_COLLECTION], |r| {
                Ok(Collection {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    description: r.get(2)?,
                    members_write: r.get::<_, i64>(3)? != 0,
                    hub_write: r.get::<_, i64>(4)? != 0,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// One collection.
    pub fn collection(&self, id: &str) -> Result<Option<Collection>, StoreError> {
        Ok(self.collections()?.into_iter().find(|c| c.id == id))
    }

    /// Create a collection; returns its id (a new UUID).
    pub fn create_collection(
        &mut self,
        title: &str,
        description: Option<&str>,
        members_write: bool,
        hub_write: bool,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = concord_stix::timestamp::now();
        let tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO collections (id, title, description, members_write, hub_write, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, title, description, members_write, hub_write, now],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, principal, action, detail) VALUES (?1, 'admin', 'collection-create', ?2)",
            params![now, serde_json::json!({"id": id, "title": title}).to_string()],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Put stored versions (id, modified) into a collection (the default holds everything).
    pub fn add_to_collection(
        &mut self,
        collection: &str,
        versions: &[(String, String)],
    ) -> Result<(), StoreError> {
        if collection == DEFAULT_COLLECTION {
            return Ok(());
        }
        let tx = self.begin_write()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO collection_objects (collection, seq)
                 SELECT ?1, seq FROM objects WHERE id = ?2 AND modified = ?3",
            )?;
            for (id, m) in versions {
                st.execute(params![collection, id, m])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// One page of a collection's objects that `viewer` may read.
    pub fn page(&self, q: &PageQuery, viewer: &Principal) -> Result<Page, StoreError> {
        let mut sql = format!("SELECT {} FROM objects o WHERE seq > ?", Self::COLS);
        let mut args: Vec<String> = vec![q.after_seq.unwrap_or(0).to_string()];
        if q.collection != DEFAULT_COLLECTION {
            sql.push_str(" AND seq IN (SELECT seq FROM collection_objects WHERE collection = ?)");
            args.push(q.collection.clone());
        }
        if let Some(a) = &q.added_after {
            sql.push_str(" AND date_added > ?");
            args.push(a.clone());
        }
        let list = |sql: &mut String, args: &mut Vec<String>, col: &str, vals: &[String]| {
            if !vals.is_empty() {
                sql.push_str(&format!(
                    " AND {col} IN ({})",
                    vec!["?"; vals.len()].join(", ")
                ));
                args.extend(vals.iter().cloned());
            }
        };
        list(&mut sql, &mut args, "id", &q.ids);
        list(&mut sql, &mut args, "type", &q.types);
        if !q.spec_versions.is_empty() {
            // every stored object is STIX 2.1
            if !q.spec_versions.iter().any(|v| v == "2.1") {
                return Ok(Page {
                    objects: Vec::new(),
                    more: false,
                });
            }
        }
        match &q.versions {
            Versions::Last => {
                sql.push_str(" AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id)")
            }
            Versions::First => {
                sql.push_str(" AND modified = (SELECT MIN(modified) FROM objects WHERE id = o.id)")
            }
            Versions::All => {}
            Versions::These(v) => list(&mut sql, &mut args, "modified", v),
        }
        sql.push_str(" ORDER BY seq LIMIT ?");
        let chunk = (q.limit + 1).max(64);
        let mut objects = Vec::new();
        let mut cursor = q.after_seq.unwrap_or(0);
        let mut st = self.conn.prepare(&sql)?;
        let mut latest = self.conn.prepare_cached(
            "SELECT tlp, submitter, recipients FROM objects WHERE id = ?1 ORDER BY modified DESC LIMIT 1",
        )?;
        let mut latest_ok: std::collections::HashMap<String, bool> = Default::default();
        loop {
            args[0] = cursor.to_string();
            let mut all = args.clone();
            all.push(chunk.to_string());
            let rows = st
                .query_map(params_from_iter(all.iter()), Self::row)?
                .collect::<Result<Vec<_>, _>>()?;
            let n = rows.len();
            for o in rows {
                cursor = o.seq;
                let governed = match q.versions {
                    Versions::Last => true,
                    _ => match latest_ok.get(&o.id) {
                        Some(b) => *b,
                        None => {
                            let (t, s, r): (Option<String>, String, Option<String>) = latest
                                .query_row(params![o.id], |r| {
                                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                                })?;
                            let b = viewer.may_read(t.as_deref(), &s, r.as_deref());
                            latest_ok.insert(o.id.clone(), b);
                            b
                        }
                    },
                };
                if governed && o.readable_by(viewer) {
                    if objects.len() == q.limit {
                        return Ok(Page {
                            objects,
                            more: true,
                        });
                    }
                    objects.push(o);
                }
            }
            if n < chunk {
                return Ok(Page {
                    objects,
                    more: false,
                });
            }
        }
    }

    /// The readable versions of one object in a collection, oldest first.
    pub fn readable_versions(
        &self,
        collection: &str,
        id: &str,
        viewer: &Principal,
    ) -> Result<Vec<StoredObject>, StoreError> {
        let page = self.page(
            &PageQuery {
                collection: collection.to_string(),
                added_after: None,
                ids: vec![id.to_string()],
                types: Vec::new(),
                versions: Versions::All,
                spec_versions: Vec::new(),
                limit: 10_000,
                after_seq: None,
            },
            viewer,
        )?;
        let mut v = page.objects;
        v.sort_by(|a, b| a.modified.cmp(&b.modified));
        Ok(v)
    }

    /// Delete versions of an object (all, or those `modified` values) that the principal
    /// submitted (the hub and admins: any). Returns how many were deleted.
    pub fn delete_versions(
        &mut self,
        id: &str,
        modified: &[String],
        by: &Principal,
    ) -> Result<usize, StoreError> {
        let now = concord_stix::timestamp::now();
        let tx = self.begin_write()?;
        let mut seqs: Vec<i64> = Vec::new();
        {
            let mut st =
                tx.prepare("SELECT seq, modified, submitter FROM objects WHERE id = ?1")?;
            let rows = st.query_map(params![id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (seq, m, sub) = row?;
                if (modified.is_empty() || modified.contains(&m))
                    && (by.is_hub() || sub == by.name())
                {
                    seqs.push(seq);
                }
            }
        }
        for s in &seqs {
            tx.execute("DELETE FROM collection_objects WHERE seq = ?1", params![s])?;
            tx.execute("DELETE FROM objects WHERE seq = ?1", params![s])?;
        }
        if !seqs.is_empty() {
            tx.execute(
                "INSERT INTO audit_log (at, principal, action, detail) VALUES (?1, ?2, 'delete', ?3)",
                params![now, by.name(), serde_json::json!({"id": id, "versions": seqs.len()}).to_string()],
            )?;
        }
        tx.commit()?;
        Ok(seqs.len())
    }

    /// Store a TAXII status resource (JSON) made for a principal.
    pub fn put_status(
        &mut self,
        id: &str,
        principal: &Principal,
        doc: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO taxii_status (id, principal, created, doc) VALUES (?1, ?2, ?3, ?4)",
            params![id, principal.name(), concord_stix::timestamp::now(), doc],
        )?;
        Ok(())
    }

    /// A status resource, if it exists and `viewer` made it (the hub and admins: any).
    pub fn status(&self, id: &str, viewer: &Principal) -> Result<Option<String>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT principal, doc FROM taxii_status WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row
            .filter(|(p, _)| viewer.is_hub() || p == viewer.name())
            .map(|(_, d)| d))
    }
}
