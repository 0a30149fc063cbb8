//! Append-only schema migrations. Never edit or reorder an entry: add a new one, to both
//! lists. SQLite: `PRAGMA user_version` holds the number of migrations applied;
//! PostgreSQL: the table `concord_schema`. Most are SQL (one text per backend, entry for
//! entry); a few recompute columns in Rust over either backend (the rules live in Rust,
//! not in SQL).

use crate::db::{Kind, Lite, Pooled, Sql, SqlExt, P};
use crate::pg::MIGRATE_LOCK;
use crate::StoreError;
use rusqlite::Connection;

enum Migration {
    Sql(&'static str),
    Rust(fn(&mut dyn Sql) -> Result<(), StoreError>),
}

/// The SQL migrations for SQLite.
const SQLITE: &[&str] = &[
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

/// The same migrations for PostgreSQL, entry for entry (text compared byte-wise with
/// `COLLATE "C"` as SQLite does; integers 64-bit; JSON read with `jsonb`).
const POSTGRES: &[&str] = &[
    // 1: objects, ingest batches, audit log
    r#"CREATE TABLE ingests (
        seq BIGSERIAL PRIMARY KEY,
        source TEXT NOT NULL,
        submitter TEXT NOT NULL,
        at TEXT COLLATE "C" NOT NULL,
        objects BIGINT NOT NULL
    );
    CREATE TABLE objects (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL,
        modified TEXT COLLATE "C" NOT NULL,
        type TEXT COLLATE "C" NOT NULL,
        created TEXT COLLATE "C",
        created_by_ref TEXT COLLATE "C",
        revoked BIGINT NOT NULL DEFAULT 0,
        markings TEXT,
        tlp TEXT,
        submitter TEXT COLLATE "C" NOT NULL,
        date_added TEXT COLLATE "C" NOT NULL,
        ingest BIGINT NOT NULL REFERENCES ingests(seq),
        hash BYTEA NOT NULL,
        raw TEXT NOT NULL,
        UNIQUE (id, modified)
    );
    CREATE INDEX objects_type ON objects (type);
    CREATE INDEX objects_date_added ON objects (date_added);
    CREATE TABLE audit_log (
        seq BIGSERIAL PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        principal TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );"#,
    // 2: relationship endpoints as indexed columns (backfilled from the raw JSON)
    r#"ALTER TABLE objects ADD COLUMN source_ref TEXT COLLATE "C";
    ALTER TABLE objects ADD COLUMN target_ref TEXT COLLATE "C";
    ALTER TABLE objects ADD COLUMN relationship_type TEXT COLLATE "C";
    UPDATE objects SET source_ref = raw::jsonb->>'source_ref',
                       target_ref = raw::jsonb->>'target_ref',
                       relationship_type = raw::jsonb->>'relationship_type'
     WHERE type = 'relationship';
    CREATE INDEX objects_source_ref ON objects (source_ref);
    CREATE INDEX objects_target_ref ON objects (target_ref);"#,
    // 3: recipients (concord extension) as a column; principals' tokens; TAXII collections
    // and status resources
    r#"ALTER TABLE objects ADD COLUMN recipients TEXT;
    UPDATE objects SET recipients = (raw::jsonb->'extensions'->'extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41'->'recipients')::text
     WHERE raw LIKE '%recipients%';
    CREATE TABLE tokens (
        seq BIGSERIAL PRIMARY KEY,
        principal TEXT NOT NULL,
        hash BYTEA NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE collections (
        id TEXT COLLATE "C" PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT,
        members_write BIGINT NOT NULL DEFAULT 1,
        hub_write BIGINT NOT NULL DEFAULT 0,
        created TEXT COLLATE "C" NOT NULL
    );
    CREATE TABLE collection_objects (
        collection TEXT COLLATE "C" NOT NULL REFERENCES collections(id),
        seq BIGINT NOT NULL REFERENCES objects(seq),
        PRIMARY KEY (collection, seq)
    );
    CREATE TABLE taxii_status (
        id TEXT COLLATE "C" PRIMARY KEY,
        principal TEXT NOT NULL,
        created TEXT NOT NULL,
        doc TEXT NOT NULL
    );"#,
    // 4: member policies edited through the server (versioned; the latest counts)
    r#"CREATE TABLE policies (
        seq BIGSERIAL PRIMARY KEY,
        member TEXT COLLATE "C" NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL,
        principal TEXT NOT NULL
    );
    CREATE INDEX policies_member ON policies (member);"#,
    // 5: the default TAXII collection exists from the start (no write on every read)
    r#"INSERT INTO collections (id, title, description, members_write, hub_write, created)
     VALUES ('365fed99-08fa-fdcd-a1b3-fb247eb41d01', 'Alliance incidents',
             'Every object shared with the alliance; members write, everyone reads what its markings allow.',
             1, 0, '2026-01-01T00:00:00.000Z')
     ON CONFLICT DO NOTHING;"#,
    // 6: who an identity stands for, and who an object's created_by_ref stood for when it
    // was stored; objects concord derived belong to concord itself
    r#"ALTER TABLE objects ADD COLUMN member TEXT;
    UPDATE objects SET member = raw::jsonb->'extensions'->'extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41'->>'member'
     WHERE type = 'identity';
    ALTER TABLE objects ADD COLUMN author TEXT;
    UPDATE objects SET author = (SELECT i.member FROM objects i WHERE i.id = objects.created_by_ref ORDER BY i.seq LIMIT 1)
     WHERE created_by_ref IS NOT NULL;
    UPDATE objects SET submitter = 'concord'
     WHERE created_by_ref = 'identity--8c1f4e0a-3b2d-4f6a-9e7c-5d1b2a3c4e5f';"#,
];

/// Every migration, in order.
fn migrations(kind: Kind) -> Vec<Migration> {
    let sql = match kind {
        Kind::Sqlite => SQLITE,
        Kind::Postgres => POSTGRES,
    };
    let mut out: Vec<Migration> = sql.iter().map(|s| Migration::Sql(s)).collect();
    // 7: the governing TLP level counts granular markings and resolves custom marking
    // definitions (unknown ones read as red)
    out.push(Migration::Rust(remark));
    // 8: keys every server on the database shares (TAXII cursors made by one server open
    // on another)
    out.push(Migration::Sql(match kind {
        Kind::Sqlite => "CREATE TABLE IF NOT EXISTS server_keys (name TEXT PRIMARY KEY, key BLOB NOT NULL);",
        Kind::Postgres => {
            r#"CREATE TABLE IF NOT EXISTS server_keys (name TEXT COLLATE "C" PRIMARY KEY, key BYTEA NOT NULL);"#
        }
    }));
    // 9: web sessions and the sign-in failure counts, shared by every server on the
    // database (a session opened on one server is valid on all; the limit counts every
    // server's failures); a session is keyed by the SHA-256 of its cookie value
    out.push(Migration::Sql(match kind {
        Kind::Sqlite => {
            "CREATE TABLE IF NOT EXISTS web_sessions (
                hash BLOB PRIMARY KEY,
                token INTEGER NOT NULL,
                csrf TEXT NOT NULL,
                expires INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions (expires);
            CREATE TABLE IF NOT EXISTS signin_failures (
                client TEXT PRIMARY KEY,
                start INTEGER NOT NULL,
                failures INTEGER NOT NULL
            );"
        }
        Kind::Postgres => {
            r#"CREATE TABLE IF NOT EXISTS web_sessions (
                hash BYTEA PRIMARY KEY,
                token BIGINT NOT NULL,
                csrf TEXT NOT NULL,
                expires BIGINT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions (expires);
            CREATE TABLE IF NOT EXISTS signin_failures (
                client TEXT COLLATE "C" PRIMARY KEY,
                start BIGINT NOT NULL,
                failures BIGINT NOT NULL
            );"#
        }
    }));
    // 10: a collection's own order and time of addition: each entry gets a position
    // (`pos`, handed out in commit order like `objects.seq`) and the time it was added, so a
    // TAXII page of a collection is keyed by when objects joined it (an object stored long
    // ago and posted to the collection later is neither skipped nor repeated by a reader
    // paging meanwhile) and `date_added` is the collection's. Existing entries keep their
    // order, with the object's own time of storage.
    out.push(Migration::Sql(match kind {
        Kind::Sqlite => {
            "CREATE TABLE collection_entries (
                pos INTEGER PRIMARY KEY AUTOINCREMENT,
                collection TEXT NOT NULL REFERENCES collections(id),
                seq INTEGER NOT NULL REFERENCES objects(seq),
                added TEXT NOT NULL,
                UNIQUE (collection, seq)
            );
            INSERT INTO collection_entries (collection, seq, added)
                SELECT c.collection, c.seq, o.date_added FROM collection_objects c
                  JOIN objects o ON o.seq = c.seq ORDER BY c.seq, c.collection;
            DROP TABLE collection_objects;
            ALTER TABLE collection_entries RENAME TO collection_objects;
            CREATE INDEX collection_objects_pos ON collection_objects (collection, pos);
            CREATE INDEX collection_objects_seq ON collection_objects (seq);"
        }
        Kind::Postgres => {
            r#"CREATE TABLE collection_entries (
                pos BIGSERIAL PRIMARY KEY,
                collection TEXT COLLATE "C" NOT NULL REFERENCES collections(id),
                seq BIGINT NOT NULL REFERENCES objects(seq),
                added TEXT COLLATE "C" NOT NULL,
                UNIQUE (collection, seq)
            );
            INSERT INTO collection_entries (collection, seq, added)
                SELECT c.collection, c.seq, o.date_added FROM collection_objects c
                  JOIN objects o ON o.seq = c.seq ORDER BY c.seq, c.collection;
            DROP TABLE collection_objects;
            ALTER TABLE collection_entries RENAME TO collection_objects;
            ALTER SEQUENCE collection_entries_pos_seq RENAME TO collection_objects_pos_seq;
            CREATE INDEX collection_objects_pos ON collection_objects (collection, pos);
            CREATE INDEX collection_objects_seq ON collection_objects (seq);"#
        }
    }));
    out
}

/// Recompute `tlp` and `markings` of every object that carries a granular marking or a
/// marking that is not a predefined TLP one.
fn remark(db: &mut dyn Sql) -> Result<(), StoreError> {
    use crate::marking;
    let rows: Vec<(i64, String, String)> = db
        .rows(
            "SELECT seq, raw, submitter, markings FROM objects
              WHERE raw LIKE '%granular_markings%' OR markings IS NOT NULL",
            &[],
            |r| Ok((r.int(0)?, r.text(1)?, r.text(2)?, r.opt_text(3)?)),
        )?
        .into_iter()
        .filter(|(_, raw, _, markings)| {
            raw.contains("granular_markings")
                || markings
                    .as_deref()
                    .and_then(|m| serde_json::from_str::<Vec<String>>(m).ok())
                    .is_some_and(|m| m.iter().any(|r| marking::predefined(r).is_none()))
        })
        .map(|(seq, raw, sub, _)| (seq, raw, sub))
        .collect();
    for (seq, raw, submitter) in rows {
        // an unreadable stored object keeps the most restrictive level
        let (refs, level) = match serde_json::from_str::<serde_json::Value>(&raw) {
            Ok(v) => {
                let refs = marking::marking_refs(&v);
                let mut failed = None;
                let level = marking::level(&refs, |r| {
                    let def = db.opt(
                        "SELECT raw, submitter FROM objects WHERE id = ?1 AND type = 'marking-definition' ORDER BY seq LIMIT 1",
                        &[P::Text(r)],
                        |x| Ok((x.text(0)?, x.text(1)?)),
                    );
                    let (raw, by) = match def {
                        Ok(d) => d?,
                        Err(e) => {
                            failed = Some(e);
                            return None;
                        }
                    };
                    if by != submitter && !matches!(by.as_str(), "hub" | "admin") {
                        return None;
                    }
                    serde_json::from_str(&raw)
                        .ok()
                        .map(|v| marking::meaning(&v))
                });
                if let Some(e) = failed {
                    return Err(e);
                }
                (refs, level)
            }
            Err(_) => (Vec::new(), Some(marking::MOST_RESTRICTIVE)),
        };
        let markings = (!refs.is_empty())
            .then(|| serde_json::to_string(&refs).ok())
            .flatten();
        db.execute(
            "UPDATE objects SET tlp = ?1, markings = ?2 WHERE seq = ?3",
            &[P::from(level), P::from(&markings), P::Int(seq)],
        )?;
    }
    Ok(())
}

fn apply(m: &Migration, db: &mut dyn Sql) -> Result<(), StoreError> {
    match m {
        Migration::Sql(sql) => db.batch(sql),
        Migration::Rust(f) => f(db),
    }
}

/// SQLite: `PRAGMA user_version` counts the migrations applied; each runs in an immediate
/// transaction, so two processes opening the same file migrate it once.
pub(crate) fn run_sqlite(conn: &mut Connection) -> Result<(), StoreError> {
    let all = migrations(Kind::Sqlite);
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
        apply(m, &mut Lite(&tx))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// PostgreSQL: the table `concord_schema` counts the migrations applied. The whole run
/// holds a session-level advisory lock, so when several servers start on one database one
/// migrates and the others wait, then find nothing left to do.
pub(crate) fn run_pg(conn: &mut Pooled) -> Result<(), StoreError> {
    conn.batch(&format!(
        "SELECT pg_advisory_lock({MIGRATE_LOCK}, hashtext(current_schema()))"
    ))?;
    let run = run_pg_locked(conn);
    let unlock = conn.batch(&format!(
        "SELECT pg_advisory_unlock({MIGRATE_LOCK}, hashtext(current_schema()))"
    ));
    run?;
    unlock
}

fn run_pg_locked(conn: &mut Pooled) -> Result<(), StoreError> {
    let all = migrations(Kind::Postgres);
    conn.batch("CREATE TABLE IF NOT EXISTS concord_schema (version BIGINT NOT NULL)")?;
    let done = match conn.opt("SELECT version FROM concord_schema", &[], |r| r.int(0))? {
        Some(v) => v,
        None => {
            conn.execute("INSERT INTO concord_schema (version) VALUES (0)", &[])?;
            0
        }
    };
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
        conn.batch("BEGIN")?;
        let step = apply(m, &mut **conn).and_then(|()| {
            conn.execute(
                "UPDATE concord_schema SET version = ?1",
                &[P::Int(i as i64 + 1)],
            )
            .map(|_| ())
        });
        match step {
            Ok(()) => conn.batch("COMMIT")?,
            Err(e) => {
                let _ = conn.batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(())
}
