//! Append-only schema migrations. Never edit or reorder an entry: add a new one.
//! `PRAGMA user_version` holds the number of migrations applied. Most are SQL; a few
//! recompute columns in Rust (the rules live in Rust, not in SQL).

use crate::StoreError;
use rusqlite::{params, Connection};

enum Migration {
    Sql(&'static str),
    Rust(fn(&rusqlite::Transaction<'_>) -> Result<(), StoreError>),
}

const SQL: &[&str] = &[
    // 1: objects, ingest batches, audit log
    "CREATE TABLE ingests (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        submitter TEXT NOT NULL,
        at TEXT NOT NULL,
        objects INTEGER NOT NULL
    );
    CREATE TABLE objects (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        modified TEXT NOT NULL,
        type TEXT NOT NULL,
        created TEXT,
        created_by_ref TEXT,
        revoked INTEGER NOT NULL DEFAULT 0,
        markings TEXT,
        tlp TEXT,
        submitter TEXT NOT NULL,
        date_added TEXT NOT NULL,
        ingest INTEGER NOT NULL REFERENCES ingests(seq),
        hash BLOB NOT NULL,
        raw TEXT NOT NULL,
        UNIQUE (id, modified)
    );
    CREATE INDEX objects_type ON objects (type);
    CREATE INDEX objects_date_added ON objects (date_added);
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        principal TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );",
    // 2: relationship endpoints as indexed columns (backfilled from the raw JSON)
    "ALTER TABLE objects ADD COLUMN source_ref TEXT;
    ALTER TABLE objects ADD COLUMN target_ref TEXT;
    ALTER TABLE objects ADD COLUMN relationship_type TEXT;
    UPDATE objects SET source_ref = json_extract(raw, '$.source_ref'),
                       target_ref = json_extract(raw, '$.target_ref'),
                       relationship_type = json_extract(raw, '$.relationship_type')
     WHERE type = 'relationship';
    CREATE INDEX objects_source_ref ON objects (source_ref);
    CREATE INDEX objects_target_ref ON objects (target_ref);",
    // 3: recipients (concord extension) as a column; principals' tokens; TAXII collections
    // and status resources
    "ALTER TABLE objects ADD COLUMN recipients TEXT;
    UPDATE objects SET recipients = json_extract(raw, '$.extensions.\"extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41\".recipients')
     WHERE raw LIKE '%recipients%';
    CREATE TABLE tokens (
        seq INTEGER PRIMARY KEY,
        principal TEXT NOT NULL,
        hash BLOB NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE collections (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT,
        members_write INTEGER NOT NULL DEFAULT 1,
        hub_write INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL
    );
    CREATE TABLE collection_objects (
        collection TEXT NOT NULL REFERENCES collections(id),
        seq INTEGER NOT NULL REFERENCES objects(seq),
        PRIMARY KEY (collection, seq)
    );
    CREATE TABLE taxii_status (
        id TEXT PRIMARY KEY,
        principal TEXT NOT NULL,
        created TEXT NOT NULL,
        doc TEXT NOT NULL
    );",
    // 4: member policies edited through the server (versioned; the latest counts)
    "CREATE TABLE policies (
        seq INTEGER PRIMARY KEY,
        member TEXT NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL,
        principal TEXT NOT NULL
    );
    CREATE INDEX policies_member ON policies (member);",
    // 5: the default TAXII collection exists from the start (no write on every read)
    "INSERT OR IGNORE INTO collections (id, title, description, members_write, hub_write, created)
     VALUES ('365fed99-08fa-fdcd-a1b3-fb247eb41d01', 'Alliance incidents',
             'Every object shared with the alliance; members write, everyone reads what its markings allow.',
             1, 0, '2026-01-01T00:00:00.000Z');",
    // 6: who an identity stands for, and who an object's created_by_ref stood for when it
    // was stored (resolved at write time from now on); objects concord derived (created by
    // its identity) belong to concord itself, readable by their marking and recipients only
    "ALTER TABLE objects ADD COLUMN member TEXT;
    UPDATE objects SET member = json_extract(raw, '$.extensions.\"extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41\".member')
     WHERE type = 'identity';
    ALTER TABLE objects ADD COLUMN author TEXT;
    UPDATE objects SET author = (SELECT i.member FROM objects i WHERE i.id = objects.created_by_ref ORDER BY i.seq LIMIT 1)
     WHERE created_by_ref IS NOT NULL;
    UPDATE objects SET submitter = 'concord'
     WHERE created_by_ref = 'identity--8c1f4e0a-3b2d-4f6a-9e7c-5d1b2a3c4e5f';",
];

/// Every migration, in order.
fn migrations() -> Vec<Migration> {
    let mut out: Vec<Migration> = SQL.iter().map(|s| Migration::Sql(s)).collect();
    // 7: the governing TLP level counts granular markings and resolves custom marking
    // definitions (unknown ones read as red)
    out.push(Migration::Rust(remark));
    out
}

/// Recompute `tlp` and `markings` of every object that carries a granular marking or a
/// marking that is not a predefined TLP one.
fn remark(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    use crate::marking;
    let rows: Vec<(i64, String, String)> = {
        let mut st = tx.prepare(
            "SELECT seq, raw, submitter FROM objects
              WHERE raw LIKE '%granular_markings%' OR (markings IS NOT NULL AND EXISTS
                    (SELECT 1 FROM json_each(objects.markings) m WHERE m.value NOT IN (
                       'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
                       'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
                       'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
                       'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
                       'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1')))",
        )?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        rows
    };
    let mut def = tx.prepare(
        "SELECT raw, submitter FROM objects WHERE id = ?1 AND type = 'marking-definition' ORDER BY seq LIMIT 1",
    )?;
    let mut upd = tx.prepare("UPDATE objects SET tlp = ?1, markings = ?2 WHERE seq = ?3")?;
    for (seq, raw, submitter) in rows {
        // an unreadable stored object keeps the most restrictive level
        let (refs, level) = match serde_json::from_str::<serde_json::Value>(&raw) {
            Ok(v) => {
                let refs = marking::marking_refs(&v);
                let level = marking::level(&refs, |r| {
                    let (raw, by): (String, String) = def
                        .query_row(params![r], |x| Ok((x.get(0)?, x.get(1)?)))
                        .ok()?;
                    if by != submitter && !matches!(by.as_str(), "hub" | "admin") {
                        return None;
                    }
                    serde_json::from_str(&raw)
                        .ok()
                        .map(|v| marking::meaning(&v))
                });
                (refs, level)
            }
            Err(_) => (Vec::new(), Some(marking::MOST_RESTRICTIVE)),
        };
        let markings = (!refs.is_empty())
            .then(|| serde_json::to_string(&refs).ok())
            .flatten();
        upd.execute(params![level, markings, seq])?;
    }
    Ok(())
}

pub(crate) fn run(conn: &mut Connection) -> Result<(), StoreError> {
    let all = migrations();
    let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if done > all.len() as i64 {
        return Err(StoreError::TooNew {
            found: done,
            known: all.len(),
        });
    }
    for (i, m) in all
        .iter()
        .enumerate()
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // another process may have run it meanwhile
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        match m {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Rust(f) => f(&tx)?,
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
