//! # concord-store
//!
//! Persistence for concord: the embedded SQLite store (default; WAL journal) holding
//! versioned STIX objects, ingest batches and the audit log.
//!
//! Invariants:
//! - The only crate with SQL. Callers see plain Rust types, never `rusqlite` ones, so a
//!   PostgreSQL backend can sit behind the same interface.
//! - Migrations are an append-only list; `PRAGMA user_version` records how many ran.
//! - Objects are keyed by (id, modified), `modified` empty for unversioned objects. An
//!   object equal as canonical JSON to the stored one is a duplicate; a different one
//!   under the same key is rejected; a new version keeps `created` and `created_by_ref`;
//!   a revoked object stays revoked.
//! - A bundle is stored whole or not at all: one transaction, rolled back on any rejection.
//! - The raw JSON is kept verbatim next to the indexed columns.
//!
//! It knows nothing of validation rules (callers validate first) or of HTTP.

pub mod access;
mod migrations;
pub mod taxii;

use concord_stix::{canonical, concord_ext, model, timestamp};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("the database was written by a newer concord (schema version {found}; this build knows {known})")]
    TooNew { found: i64, known: usize },
    #[error("stored object {id} is not valid JSON: {message}")]
    Corrupt { id: String, message: String },
    #[error("{0}")]
    Refused(String),
}

/// Why one object made its bundle be rejected.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    pub id: String,
    /// JSON path of the object in its document.
    pub path: String,
    pub reason: String,
}

/// An object to store: its verbatim text, where it came from, and what the store indexes
/// of it (computed from the parsed value by [`ObjectMeta::of`], in parallel by callers).
#[derive(Debug, Clone)]
pub struct NewObject<'a> {
    pub raw: &'a str,
    pub path: &'a str,
    pub meta: Result<ObjectMeta, String>,
}

/// The indexed columns of an object and its canonical-JSON hash.
#[derive(Debug, Clone)]
pub struct ObjectMeta {
    id: String,
    ty: String,
    modified: String,
    created: Option<String>,
    created_by_ref: Option<String>,
    revoked: bool,
    markings: Option<String>,
    tlp: Option<&'static str>,
    /// For identities: the member they stand for.
    member: Option<String>,
    /// For relationships: (source_ref, target_ref, relationship_type).
    rel: Option<(String, String, String)>,
    /// Member codes named in the concord extension's `recipients`, as a JSON list.
    recipients: Option<String>,
    hash: [u8; 32],
}

impl ObjectMeta {
    /// The object's `type`.
    pub fn object_type(&self) -> &str {
        &self.ty
    }

    /// Extract the indexed columns; an error names what is missing.
    pub fn of(v: &Value) -> Result<ObjectMeta, String> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let id = s("id").ok_or("object has no string 'id'")?;
        let ty = s("type").ok_or("object has no string 'type'")?;
        let refs: Vec<&str> = v
            .get("object_marking_refs")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        Ok(ObjectMeta {
            markings: if refs.is_empty() {
                None
            } else {
                serde_json::to_string(&refs).ok()
            },
            tlp: model::tlp_level(refs.iter().copied()),
            modified: s("modified").unwrap_or_default(),
            created: s("created"),
            created_by_ref: s("created_by_ref"),
            revoked: v.get("revoked") == Some(&Value::Bool(true)),
            member: if ty == "identity" {
                identity_member(v).map(str::to_owned)
            } else {
                None
            },
            rel: (ty == "relationship").then(|| {
                (
                    s("source_ref").unwrap_or_default(),
                    s("target_ref").unwrap_or_default(),
                    s("relationship_type").unwrap_or_default(),
                )
            }),
            hash: Sha256::digest(canonical::canonical(v).as_bytes()).into(),
            recipients: v
                .get("extensions")
                .and_then(|e| e.get(concord_ext::EXTENSION_ID))
                .and_then(|e| e.get("recipients"))
                .filter(|r| r.is_array())
                .map(Value::to_string),
            id,
            ty,
        })
    }
}

/// Counts for one object type.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct TypeCounts {
    pub new: usize,
    pub duplicate: usize,
    pub rejected: usize,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct IngestSummary {
    pub stored: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub by_type: BTreeMap<String, TypeCounts>,
    /// When not empty, the bundle was rejected whole and nothing of it was stored.
    pub rejections: Vec<Rejection>,
}

impl IngestSummary {
    /// Add another summary's counts.
    pub fn merge(&mut self, other: IngestSummary) {
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
        for (t, c) in other.by_type {
            let e = self.by_type.entry(t).or_default();
            e.new += c.new;
            e.duplicate += c.duplicate;
            e.rejected += c.rejected;
        }
        self.rejections.extend(other.rejections);
    }
}

/// A relationship as its indexed columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub id: String,
    pub relationship_type: String,
    pub source_ref: String,
    pub target_ref: String,
    pub tlp: Option<String>,
}

/// A stored object version.
#[derive(Debug, Clone, Serialize)]
pub struct StoredObject {
    pub id: String,
    pub object_type: String,
    pub modified: Option<String>,
    pub created_by_ref: Option<String>,
    /// `clear`, `green`, `amber`, `amber+strict`, `red`; `None` reads as green.
    pub tlp: Option<String>,
    pub submitter: String,
    pub date_added: String,
    pub raw: String,
    /// Insertion order (TAXII pagination cursor).
    pub seq: i64,
    /// Member codes allowed to read it under TLP amber or red (JSON list).
    pub recipients: Option<String>,
}

impl StoredObject {
    /// The parsed JSON of the stored text.
    pub fn value(&self) -> Result<Value, StoreError> {
        serde_json::from_str(&self.raw).map_err(|e| StoreError::Corrupt {
            id: self.id.clone(),
            message: e.to_string(),
        })
    }
}

/// The store.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
}

/// (modified, created, created_by_ref, revoked) of a version seen in the current bundle.
type VersionFacts<'a> = (&'a str, Option<&'a str>, Option<&'a str>, bool);

/// The member an identity object stands for (concord extension `member`).
fn identity_member(v: &Value) -> Option<&str> {
    v.get("extensions")?
        .get(concord_ext::EXTENSION_ID)?
        .get("member")?
        .as_str()
}

impl Store {
    /// Open (creating if needed) an SQLite database file and run pending migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Store::init(conn)
    }

    /// An in-memory store (tests, `concord demo`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations::run(&conn)?;
        Ok(Store { conn })
    }

    /// Store one bundle's objects atomically as `submitter` (`hub`, `admin` or a member
    /// code). Returns the summary; when `rejections` is not empty nothing was stored.
    pub fn ingest(
        &mut self,
        objects: &[NewObject<'_>],
        submitter: &str,
        source: &str,
    ) -> Result<IngestSummary, StoreError> {
        let mut summary = IngestSummary::default();
        let mut rejections = Vec::new();
        let mut prepared: Vec<(&NewObject<'_>, &ObjectMeta)> = Vec::with_capacity(objects.len());
        for o in objects {
            match &o.meta {
                Ok(m) => prepared.push((o, m)),
                Err(r) => rejections.push(Rejection {
                    id: String::new(),
                    path: o.path.to_string(),
                    reason: r.clone(),
                }),
            }
        }
        let is_member = submitter.len() == 3 && submitter.bytes().all(|c| c.is_ascii_uppercase());
        let now = timestamp::now();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut new_rows: Vec<(&NewObject<'_>, &ObjectMeta)> = Vec::new();
        {
            let mut by_key =
                tx.prepare_cached("SELECT hash FROM objects WHERE id = ?1 AND modified = ?2")?;
            let mut versions = tx.prepare_cached(
                "SELECT modified, created, created_by_ref, revoked FROM objects WHERE id = ?1",
            )?;
            let mut identity_raw = tx.prepare_cached(
                "SELECT raw FROM objects WHERE id = ?1 ORDER BY modified DESC LIMIT 1",
            )?;
            // versions seen in this bundle: id -> (modified, created, created_by_ref, revoked)
            let mut in_bundle: HashMap<&str, Vec<VersionFacts<'_>>> = HashMap::new();
            let mut keys: HashMap<(&str, &str), &[u8]> = HashMap::new();
            let bundle_members: HashMap<&str, &str> = prepared
                .iter()
                .filter_map(|(_, p)| p.member.as_deref().map(|m| (p.id.as_str(), m)))
                .collect();
            for &(obj, p) in &prepared {
                let entry = summary.by_type.entry(p.ty.clone()).or_default();
                let reject = |reason: String| Rejection {
                    id: p.id.clone(),
                    path: obj.path.to_string(),
                    reason,
                };
                // duplicates within the bundle
                if let Some(h) = keys.get(&(p.id.as_str(), p.modified.as_str())) {
                    if *h == &p.hash[..] {
                        entry.duplicate += 1;
                        summary.duplicates += 1;
                    } else {
                        rejections.push(reject(format!(
                            "the bundle holds two different objects with id {} and modified {:?}",
                            p.id, p.modified
                        )));
                    }
                    continue;
                }
                keys.insert((p.id.as_str(), p.modified.as_str()), &p.hash[..]);
                let stored: Option<Vec<u8>> = by_key
                    .query_row(params![p.id, p.modified], |r| r.get(0))
                    .optional()?;
                if let Some(h) = stored {
                    if h == p.hash[..] {
                        entry.duplicate += 1;
                        summary.duplicates += 1;
                    } else {
                        let what = if p.modified.is_empty() {
                            "it has no 'modified', so it cannot be a new version".to_string()
                        } else {
                            format!("same 'modified' ({})", p.modified)
                        };
                        rejections.push(reject(format!("{} is already stored with different content under the same key ({what}); a change needs a new 'modified'", p.id)));
                    }
                    continue;
                }
                // member speaking for another member
                if is_member {
                    if let Some(m) = p.member.as_deref().filter(|m| *m != submitter) {
                        rejections.push(reject(format!(
                            "{submitter} may not submit identity {} standing for member {m}",
                            p.id
                        )));
                        continue;
                    }
                    if let Some(cbr) = &p.created_by_ref {
                        let member = match bundle_members.get(cbr.as_str()) {
                            Some(m) => Some((*m).to_string()),
                            None => identity_raw
                                .query_row(params![cbr], |r| r.get::<_, String>(0))
                                .optional()?
                                .and_then(|raw| serde_json::from_str::<Value>(&raw).ok())
                                .and_then(|v| identity_member(&v).map(str::to_owned)),
                        };
                        if let Some(m) = member.filter(|m| m != submitter) {
                            rejections.push(reject(format!("created_by_ref {cbr} stands for member {m}; {submitter} may not speak for another member")));
                            continue;
                        }
                    }
                }
                // version rules against stored and in-bundle versions
                let mut others: Vec<(String, Option<String>, Option<String>, bool)> = versions
                    .query_map(params![p.id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, bool>(3)?))
                    })?
                    .collect::<Result<_, _>>()?;
                if let Some(b) = in_bundle.get(p.id.as_str()) {
                    others.extend(b.iter().map(|(m, c, cb, rv)| {
                        (
                            (*m).to_string(),
                            c.map(str::to_owned),
                            cb.map(str::to_owned),
                            *rv,
                        )
                    }));
                }
                let mut problem = None;
                for (m, c, cb, revoked) in &others {
                    if *c != p.created {
                        problem = Some(format!(
                            "a new version must keep 'created' ({} was {:?}, now {:?})",
                            p.id, c, p.created
                        ));
                    } else if *cb != p.created_by_ref {
                        problem = Some(format!(
                            "a new version must keep 'created_by_ref' ({} was {:?}, now {:?})",
                            p.id, cb, p.created_by_ref
                        ));
                    } else if *revoked
                        && !p.revoked
                        && timestamp::Timestamp::cmp_str(&p.modified, m).is_some_and(|o| o.is_gt())
                    {
                        problem = Some(format!(
                            "{} was revoked (version {m}); a revoked object stays revoked",
                            p.id
                        ));
                    }
                    if problem.is_some() {
                        break;
                    }
                }
                if let Some(why) = problem {
                    rejections.push(reject(why));
                    continue;
                }
                in_bundle.entry(p.id.as_str()).or_default().push((
                    p.modified.as_str(),
                    p.created.as_deref(),
                    p.created_by_ref.as_deref(),
                    p.revoked,
                ));
                new_rows.push((obj, p));
            }
        }
        if !rejections.is_empty() {
            tx.rollback()?;
            let mut s = IngestSummary {
                rejected: objects.len(),
                rejections,
                ..IngestSummary::default()
            };
            for (_, p) in &prepared {
                s.by_type.entry(p.ty.clone()).or_default().rejected += 1;
            }
            return Ok(s);
        }
        let batch: i64 = {
            tx.execute(
                "INSERT INTO ingests (source, submitter, at, objects) VALUES (?1, ?2, ?3, ?4)",
                params![source, submitter, now, objects.len() as i64],
            )?;
            tx.last_insert_rowid()
        };
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO objects (id, modified, type, created, created_by_ref, revoked, markings, tlp, submitter, date_added, ingest, hash, raw,
                                      source_ref, target_ref, relationship_type, recipients)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?;
            for (obj, p) in &new_rows {
                ins.execute(params![
                    p.id,
                    p.modified,
                    p.ty,
                    p.created,
                    p.created_by_ref,
                    p.revoked,
                    p.markings,
                    p.tlp,
                    submitter,
                    now,
                    batch,
                    &p.hash[..],
                    obj.raw,
                    p.rel.as_ref().map(|r| r.0.as_str()),
                    p.rel.as_ref().map(|r| r.1.as_str()),
                    p.rel.as_ref().map(|r| r.2.as_str()),
                    p.recipients,
                ])?;
                summary.by_type.entry(p.ty.clone()).or_default().new += 1;
                summary.stored += 1;
            }
        }
        tx.execute(
            "INSERT INTO audit_log (at, principal, action, detail) VALUES (?1, ?2, 'ingest', ?3)",
            params![now, submitter, serde_json::json!({"source": source, "stored": summary.stored, "duplicates": summary.duplicates}).to_string()],
        )?;
        tx.commit()?;
        Ok(summary)
    }

    /// Store objects built in memory (derived objects, tests): their raw text is their
    /// compact JSON serialisation. Same rules as [`Store::ingest`].
    pub fn ingest_values(
        &mut self,
        values: &[Value],
        submitter: &str,
        source: &str,
    ) -> Result<IngestSummary, StoreError> {
        let raws: Vec<String> = values.iter().map(Value::to_string).collect();
        let paths: Vec<String> = (0..values.len())
            .map(|i| format!("$.objects[{i}]"))
            .collect();
        let objects: Vec<NewObject<'_>> = values
            .iter()
            .zip(&raws)
            .zip(&paths)
            .map(|((v, raw), path)| NewObject {
                raw,
                path,
                meta: ObjectMeta::of(v),
            })
            .collect();
        self.ingest(&objects, submitter, source)
    }

    pub(crate) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredObject> {
        let modified: String = r.get(2)?;
        Ok(StoredObject {
            id: r.get(0)?,
            object_type: r.get(1)?,
            modified: if modified.is_empty() {
                None
            } else {
                Some(modified)
            },
            created_by_ref: r.get(3)?,
            tlp: r.get(4)?,
            submitter: r.get(5)?,
            date_added: r.get(6)?,
            raw: r.get(7)?,
            seq: r.get(8)?,
            recipients: r.get(9)?,
        })
    }

    pub(crate) const COLS: &'static str =
        "id, type, modified, created_by_ref, tlp, submitter, date_added, raw, seq, recipients";

    /// The latest version of an object.
    pub fn get(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects WHERE id = ?1 ORDER BY modified DESC LIMIT 1",
            Self::COLS
        );
        Ok(self
            .conn
            .query_row(&sql, params![id], Self::row)
            .optional()?)
    }

    /// Every stored version of an object, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects WHERE id = ?1 ORDER BY modified",
            Self::COLS
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params![id], Self::row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The latest version of every object of a type, in insertion order.
    pub fn latest_of_type(&self, ty: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects o WHERE type = ?1 AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params![ty], Self::row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The latest version of every relationship with `id` as its source or target.
    pub fn relationships_of(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects o WHERE type = 'relationship' AND (source_ref = ?1 OR target_ref = ?1)
               AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(params![id], Self::row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Visit the latest version of every object whose type is in `types`, in insertion
    /// order, one row at a time (bulk reads for correlation and the knowledge base).
    pub fn for_each_latest<E: From<StoreError>>(
        &self,
        types: &[&str],
        mut f: impl FnMut(StoredObject) -> Result<(), E>,
    ) -> Result<(), E> {
        if types.is_empty() {
            return Ok(());
        }
        let marks = vec!["?"; types.len()].join(", ");
        let sql = format!(
            "SELECT {} FROM objects o WHERE type IN ({marks})
               AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS
        );
        let mut st = self.conn.prepare(&sql).map_err(StoreError::from)?;
        let mut rows = st
            .query(rusqlite::params_from_iter(types.iter()))
            .map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            f(Self::row(r).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// The latest, unrevoked version of every relationship whose `relationship_type` is in
    /// `types`, read from the indexed columns without parsing the JSON.
    pub fn edges(&self, types: &[&str]) -> Result<Vec<Edge>, StoreError> {
        if types.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; types.len()].join(", ");
        let sql = format!(
            "SELECT id, relationship_type, source_ref, target_ref, tlp FROM objects o
              WHERE type = 'relationship' AND relationship_type IN ({marks}) AND revoked = 0
                AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(types.iter()), |r| {
                Ok(Edge {
                    id: r.get(0)?,
                    relationship_type: r.get(1)?,
                    source_ref: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    target_ref: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    tlp: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Number of stored object versions by type.
    pub fn count_by_type(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT type, COUNT(*) FROM objects GROUP BY type")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (t, n) = row?;
            out.insert(t, u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    /// Number of audit log entries (every write leaves one).
    pub fn audit_len(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
