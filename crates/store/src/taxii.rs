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
use crate::db::{marks, Sql, SqlExt, P};
use crate::{Store, StoreError, StoredObject};
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
        self.read()?.rows(
            "SELECT id, title, description, members_write, hub_write FROM collections
             ORDER BY id <> ?1, created, id",
            &[P::Text(DEFAULT_COLLECTION)],
            |r| {
                Ok(Collection {
                    id: r.text(0)?,
                    title: r.text(1)?,
                    description: r.opt_text(2)?,
                    members_write: r.int(3)? != 0,
                    hub_write: r.int(4)? != 0,
                })
            },
        )
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
        let mut tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO collections (id, title, description, members_write, hub_write, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                P::Text(&id),
                P::Text(title),
                P::from(description),
                P::from(members_write),
                P::from(hub_write),
                P::Text(&now),
            ],
        )?;
        crate::audit(
            &mut tx,
            &now,
            "admin",
            "collection-create",
            &serde_json::json!({"id": id, "title": title}).to_string(),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Put stored versions (id, modified) into a collection (the default holds everything).
    /// Each version joins the collection at the end of its order, with the time of the call
    /// as its `date_added` there; a version already in it keeps its place.
    pub fn add_to_collection(
        &mut self,
        collection: &str,
        versions: &[(String, String)],
    ) -> Result<(), StoreError> {
        if collection == DEFAULT_COLLECTION {
            return Ok(());
        }
        let now = concord_stix::timestamp::now();
        let mut tx = self.begin_write()?;
        for (id, m) in versions {
            tx.execute(
                "INSERT INTO collection_objects (collection, seq, added)
                 SELECT CAST(?1 AS TEXT), seq, CAST(?4 AS TEXT) FROM objects WHERE id = ?2 AND modified = ?3
                 ON CONFLICT DO NOTHING",
                &[P::Text(collection), P::Text(id), P::Text(m), P::Text(&now)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// One page of a collection's objects that `viewer` may read.
    ///
    /// The default collection pages by insertion order (`seq`, the object's `date_added`).
    /// Any other pages by the order objects joined it: the returned objects' `seq` is their
    /// position in the collection and `date_added` the time they joined it, `added_after`
    /// and `after_seq` count in those terms, and `match[version]` first and last are the
    /// first and last version the collection holds.
    pub fn page(&self, q: &PageQuery, viewer: &Principal) -> Result<Page, StoreError> {
        let default = q.collection == DEFAULT_COLLECTION;
        let (pos, added) = if default {
            ("o.seq", "o.date_added")
        } else {
            ("c.pos", "c.added")
        };
        // unless each row is the latest stored version (default collection, `Last`), each row
        // carries the latest stored version's `modified`: a row that is that version governs
        // itself, and only older ones need the latest looked up
        let governs_itself = default && q.versions == Versions::Last;
        let latest = if governs_itself {
            ""
        } else {
            ", (SELECT MAX(o3.modified) FROM objects o3 WHERE o3.id = o.id)"
        };
        let mut sql = if default {
            format!("SELECT {}{latest} FROM objects o WHERE seq > ?", Self::COLS)
        } else {
            // the same columns, with the collection's position and time in place of the
            // object's (`row` reads them by index)
            let cols = Self::COLS
                .split(", ")
                .map(|c| match c {
                    "seq" => "c.pos".to_string(),
                    "date_added" => "c.added".to_string(),
                    other => format!("o.{other}"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "SELECT {cols}{latest} FROM collection_objects c JOIN objects o ON o.seq = c.seq
                  WHERE c.pos > ? AND c.collection = ?"
            )
        };
        let mut args: Vec<P<'_>> = vec![P::Int(q.after_seq.unwrap_or(0))];
        if !default {
            args.push(P::Text(&q.collection));
        }
        if let Some(a) = &q.added_after {
            sql.push_str(&format!(" AND {added} > ?"));
            args.push(P::Text(a));
        }
        fn list<'a>(sql: &mut String, args: &mut Vec<P<'a>>, col: &str, vals: &'a [String]) {
            if !vals.is_empty() {
                sql.push_str(&format!(" AND {col} IN ({})", marks(vals.len())));
                args.extend(vals.iter().map(|v| P::Text(v)));
            }
        }
        list(&mut sql, &mut args, "o.id", &q.ids);
        list(&mut sql, &mut args, "o.type", &q.types);
        if !q.spec_versions.is_empty() {
            // every stored object is STIX 2.1
            if !q.spec_versions.iter().any(|v| v == "2.1") {
                return Ok(Page {
                    objects: Vec::new(),
                    more: false,
                });
            }
        }
        // first and last are chosen among every stored version (default collection) or
        // among those the collection holds
        let among = if default {
            "FROM objects o2 WHERE o2.id = o.id"
        } else {
            // by the object's versions first (few), each looked up in the collection
            "FROM objects o2 WHERE o2.id = o.id AND EXISTS
              (SELECT 1 FROM collection_objects c2 WHERE c2.seq = o2.seq AND c2.collection = ?)"
        };
        let extreme = match &q.versions {
            Versions::Last => Some("MAX"),
            Versions::First => Some("MIN"),
            Versions::All => None,
            Versions::These(v) => {
                list(&mut sql, &mut args, "o.modified", v);
                None
            }
        };
        if let Some(f) = extreme {
            sql.push_str(&format!(
                " AND o.modified = (SELECT {f}(o2.modified) {among})"
            ));
            if !default {
                args.push(P::Text(&q.collection));
            }
        }
        sql.push_str(&format!(" ORDER BY {pos} LIMIT ?"));
        let chunk = (q.limit + 1).max(64);
        args.push(P::Int(i64::try_from(chunk).unwrap_or(i64::MAX)));
        let mut objects = Vec::new();
        let mut cursor = q.after_seq.unwrap_or(0);
        let mut db = self.read()?;
        let mut latest_ok: std::collections::HashMap<String, bool> = Default::default();
        loop {
            args[0] = P::Int(cursor);
            let rows = db.rows(&sql, &args, |r| {
                let latest = if governs_itself {
                    None
                } else {
                    r.opt_text(11)?
                };
                Ok((Self::row(r)?, latest))
            })?;
            let n = rows.len();
            for (o, latest) in rows {
                cursor = o.seq;
                // the latest stored version governs whether any version is shown
                let is_latest = governs_itself
                    || latest.as_deref() == Some(o.modified.as_deref().unwrap_or(""));
                let governed = is_latest
                    || match latest_ok.get(&o.id) {
                        Some(b) => *b,
                        None => {
                            let (t, s, r) = db.one(
                                "SELECT tlp, submitter, recipients FROM objects WHERE id = ?1 ORDER BY modified DESC LIMIT 1",
                                &[P::Text(&o.id)],
                                |r| Ok((r.opt_text(0)?, r.text(1)?, r.opt_text(2)?)),
                            )?;
                            let b = viewer.may_read(t.as_deref(), &s, r.as_deref());
                            latest_ok.insert(o.id.clone(), b);
                            b
                        }
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
        let mut tx = self.begin_write()?;
        let mut seqs: Vec<i64> = Vec::new();
        for (seq, m, sub) in tx.rows(
            "SELECT seq, modified, submitter FROM objects WHERE id = ?1",
            &[P::Text(id)],
            |r| Ok((r.int(0)?, r.text(1)?, r.text(2)?)),
        )? {
            if (modified.is_empty() || modified.contains(&m)) && (by.is_hub() || sub == by.name()) {
                seqs.push(seq);
            }
        }
        for s in &seqs {
            tx.execute(
                "DELETE FROM collection_objects WHERE seq = ?1",
                &[P::Int(*s)],
            )?;
            tx.execute("DELETE FROM objects WHERE seq = ?1", &[P::Int(*s)])?;
        }
        if !seqs.is_empty() {
            crate::audit(
                &mut tx,
                &now,
                by.name(),
                "delete",
                &serde_json::json!({"id": id, "versions": seqs.len()}).to_string(),
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
        let now = concord_stix::timestamp::now();
        self.read()?.execute(
            "INSERT INTO taxii_status (id, principal, created, doc) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET principal = excluded.principal, created = excluded.created, doc = excluded.doc",
            &[P::Text(id), P::Text(principal.name()), P::Text(&now), P::Text(doc)],
        )?;
        Ok(())
    }

    /// A status resource, if it exists and `viewer` made it (the hub and admins: any).
    pub fn status(&self, id: &str, viewer: &Principal) -> Result<Option<String>, StoreError> {
        let row = self.read()?.opt(
            "SELECT principal, doc FROM taxii_status WHERE id = ?1",
            &[P::Text(id)],
            |r| Ok((r.text(0)?, r.text(1)?)),
        )?;
        Ok(row
            .filter(|(p, _)| viewer.is_hub() || p == viewer.name())
            .map(|(_, d)| d))
    }
}
