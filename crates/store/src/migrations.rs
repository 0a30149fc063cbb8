//! Append-only schema migrations. Never edit or reorder an entry: add a new one.
//! `PRAGMA user_version` holds the number of migrations applied.

use crate::StoreError;
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
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
];

pub(crate) fn run(conn: &Connection) -> Result<(), StoreError> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if done > MIGRATIONS.len() as i64 {
        return Err(StoreError::TooNew {
            found: done,
            known: MIGRATIONS.len(),
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
