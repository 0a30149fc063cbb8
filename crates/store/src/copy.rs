//! Copying a whole store into another (`concord migrate`, e.g. SQLite to PostgreSQL) and
//! the digest that verifies a copy.
//!
//! - The target must be empty (no object, batch, token, policy, status or audit entry; the
//!   default collection every database has is allowed). Every table is copied row for row,
//!   insertion sequence numbers included (TAXII order, batches and collection membership
//!   stay as they were), in one transaction of the target: a failed copy leaves it empty.
//! - The digest of a store is, per object type, the number of stored versions and a
//!   SHA-256 over every version's id, `modified`, canonical hash and verbatim JSON in
//!   (id, modified) order: equal digests mean the same objects, byte for byte.

use crate::db::{marks, Kind, Sql, SqlExt, Val, P};
use crate::{Store, StoreError};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;

/// Tables in the order they are copied (referenced tables first), with their columns.
const TABLES: &[(&str, &str, &[&str])] = &[
    (
        "ingests",
        "seq",
        &["seq", "source", "submitter", "at", "objects"],
    ),
    (
        "objects",
        "seq",
        &[
            "seq",
            "id",
            "modified",
            "type",
            "created",
            "created_by_ref",
            "revoked",
            "markings",
            "tlp",
            "submitter",
            "date_added",
            "ingest",
            "hash",
            "raw",
            "source_ref",
            "target_ref",
            "relationship_type",
            "recipients",
            "member",
            "author",
        ],
    ),
    (
        "audit_log",
        "seq",
        &["seq", "at", "principal", "action", "detail"],
    ),
    (
        "tokens",
        "seq",
        &["seq", "principal", "hash", "created", "revoked"],
    ),
    (
        "collections",
        "id",
        &[
            "id",
            "title",
            "description",
            "members_write",
            "hub_write",
            "created",
        ],
    ),
    (
        "collection_objects",
        "pos",
        &["pos", "collection", "seq", "added"],
    ),
    ("taxii_status", "id", &["id", "principal", "created", "doc"]),
    (
        "policies",
        "seq",
        &["seq", "member", "text", "at", "principal"],
    ),
    ("server_keys", "name", &["name", "key"]),
];

/// Tables and the column a PostgreSQL sequence hands out (set past the copied rows).
const SERIAL: &[(&str, &str)] = &[
    ("ingests", "seq"),
    ("objects", "seq"),
    ("audit_log", "seq"),
    ("tokens", "seq"),
    ("policies", "seq"),
    ("collection_objects", "pos"),
];

/// Parameters per INSERT statement, at most (SQLite allows 32,766; PostgreSQL 65,535).
const MAX_PARAMS: usize = 4_000;

/// One object type in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDigest {
    /// Stored versions of this type.
    pub count: u64,
    /// SHA-256 (hex) over id, modified, canonical hash and raw JSON of every version.
    pub sha256: String,
}

/// Per object type, what a copy must reproduce.
pub type Digest = BTreeMap<String, TypeDigest>;

impl Store {
    /// The digest of every stored object version, per type.
    pub fn digest(&self) -> Result<Digest, StoreError> {
        let mut out: BTreeMap<String, (u64, Sha256)> = BTreeMap::new();
        self.read()?.each(
            "SELECT type, id, modified, hash, raw FROM objects ORDER BY type, id, modified",
            &[],
            &mut |r| {
                let e = out.entry(r.text(0)?).or_insert_with(|| (0, Sha256::new()));
                e.0 += 1;
                for part in [r.text(1)?.as_bytes(), r.text(2)?.as_bytes()] {
                    e.1.update((part.len() as u64).to_be_bytes());
                    e.1.update(part);
                }
                e.1.update(r.blob(3)?);
                let raw = r.text(4)?;
                e.1.update((raw.len() as u64).to_be_bytes());
                e.1.update(raw.as_bytes());
                Ok(())
            },
        )?;
        Ok(out
            .into_iter()
            .map(|(t, (count, h))| {
                let sha256 = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
                (t, TypeDigest { count, sha256 })
            })
            .collect())
    }

    /// Rows per table (every table a copy carries).
    pub fn table_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut db = self.read()?;
        let mut out = BTreeMap::new();
        for (t, _, _) in TABLES {
            let n = db.one(&format!("SELECT COUNT(*) FROM {t}"), &[], |r| r.int(0))?;
            out.insert((*t).to_string(), u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    /// Copy every table of this store into `target`, which must be empty, in one
    /// transaction of the target; `progress` hears (table, rows copied so far). Returns the
    /// rows copied per table.
    pub fn copy_to(
        &self,
        target: &mut Store,
        progress: &mut dyn FnMut(&str, u64),
    ) -> Result<BTreeMap<String, u64>, StoreError> {
        let held = target.table_counts()?;
        let busy: Vec<String> = held
            .iter()
            .filter(|(t, n)| **n > u64::from(t.as_str() == "collections"))
            .map(|(t, n)| format!("{t} ({n})"))
            .collect();
        if !busy.is_empty() {
            return Err(StoreError::Refused(format!(
                "the target {} is not empty: {}; copy into a new database",
                target.describe(),
                busy.join(", ")
            )));
        }
        let mut src = self.read()?;
        let mut tx = target.begin_write()?;
        let kind = tx.kind();
        let mut copied = BTreeMap::new();
        for (table, order, cols) in TABLES {
            let per = (MAX_PARAMS / cols.len()).max(1);
            let conflict = if *table == "collections" || *table == "server_keys" {
                " ON CONFLICT DO NOTHING"
            } else {
                ""
            };
            let mut rows: Vec<Vec<Val>> = Vec::with_capacity(per);
            let mut n = 0u64;
            let flush = |rows: &mut Vec<Vec<Val>>, tx: &mut dyn Sql| -> Result<(), StoreError> {
                if rows.is_empty() {
                    return Ok(());
                }
                let one = format!("({})", marks(cols.len()));
                let sql = format!(
                    "INSERT INTO {table} ({}) VALUES {}{conflict}",
                    cols.join(", "),
                    vec![one.as_str(); rows.len()].join(", ")
                );
                let params: Vec<P<'_>> = rows.iter().flatten().map(Val::as_p).collect();
                tx.execute(&sql, &params)?;
                rows.clear();
                Ok(())
            };
            src.each(
                &format!("SELECT {} FROM {table} ORDER BY {order}", cols.join(", ")),
                &[],
                &mut |r| {
                    let mut row = Vec::with_capacity(cols.len());
                    for i in 0..cols.len() {
                        row.push(r.value(i)?);
                    }
                    rows.push(row);
                    n += 1;
                    if rows.len() == per {
                        flush(&mut rows, &mut tx)?;
                        progress(table, n);
                    }
                    Ok(())
                },
            )?;
            flush(&mut rows, &mut tx)?;
            progress(table, n);
            copied.insert((*table).to_string(), n);
        }
        if kind == Kind::Postgres {
            for (t, c) in SERIAL {
                tx.batch(&format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', '{c}'), COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)"
                ))?;
            }
        }
        crate::audit(
            &mut tx,
            &concord_stix::timestamp::now(),
            "admin",
            "migrate",
            &serde_json::json!({"from": self.describe(), "objects": copied.get("objects")})
                .to_string(),
        )?;
        tx.commit()?;
        // fresh statistics, as after any bulk load: without them PostgreSQL may plan the
        // page queries as scans of whole tables until autovacuum gets round to the new rows
        if kind == Kind::Postgres {
            target.read()?.batch("ANALYZE")?;
        }
        Ok(copied)
    }
}
