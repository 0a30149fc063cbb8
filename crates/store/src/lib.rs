//! # concord-store
//!
//! Persistence for concord: versioned STIX objects, ingest batches and the audit log, in an
//! embedded SQLite file (default; WAL journal) or a PostgreSQL database (shared by several
//! servers), chosen by the location given to [`Store::open`] / [`Store::connect`]; which
//! one is hidden behind the same methods (decision 0012).
//!
//! Invariants:
//! - The only crate with SQL, written once for both backends (`db`). Callers see plain Rust
//!   types, never a driver's.
//! - Migrations are an append-only list (one SQL text per backend, entry for entry);
//!   `PRAGMA user_version` / the table `concord_schema` record how many ran.
//! - Objects are keyed by (id, modified), `modified` empty for unversioned objects. An
//!   object equal as canonical JSON to the stored one is a duplicate; a different one
//!   under the same key is rejected; a new version keeps `created` and `created_by_ref`;
//!   a revoked object stays revoked.
//! - Authority over objects and identities is decided in one place, [`Store::ingest`]
//!   (`ingest.rs`): only the first version's submitter versions an object; an identity
//!   belongs to the member it stands for and never changes member; `created_by_ref` is
//!   resolved at write time (kept as `author`); anything sent under the id of an object the
//!   submitter may not read gets one fixed refusal.
//! - The TLP level that governs reading is decided at write time ([`marking`]): the most
//!   restrictive of every object and granular marking; unknown markings read as red.
//! - A bundle is stored whole or not at all: one transaction, rolled back on any rejection.
//!   Writes begin `BEGIN IMMEDIATE` (PostgreSQL: a transaction-level advisory lock) and
//!   wait for another writer's lock (queue, not fail), so insertion sequence numbers follow
//!   commit order.
//! - The raw JSON is kept verbatim next to the indexed columns.
//!
//! It knows nothing of validation rules (callers validate first) or of HTTP.

pub mod access;
mod copy;
mod db;
mod ingest;
pub mod marking;
mod migrations;
mod pg;
mod reader;
pub mod sessions;
pub mod taxii;
pub mod testing;

pub use copy::{Digest, TypeDigest};
pub use pg::{is_postgres_url, redact_url};

pub use reader::Reader;

use concord_stix::{canonical, concord_ext};
use db::{Sql, SqlExt, P};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(String),
    /// Another writer held the database longer than this store waits (see
    /// [`Store::set_lock_wait`]); nothing was written. Try again later.
    #[error("the database is busy: another writer held it for more than {waited_secs} s; nothing was written, try again")]
    Busy { waited_secs: u64 },
    /// The database cannot be reached (PostgreSQL down, connection lost); nothing was
    /// written. Try again when it is back.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("the database was written by a newer concord (schema version {found}; this build knows {known})")]
    TooNew { found: i64, known: usize },
    #[error("stored object {id} is not valid JSON: {message}")]
    Corrupt { id: String, message: String },
    #[error("{0}")]
    Refused(String),
}

/// How long a writer waits for another writer's lock by default (SQLite retries with
/// growing pauses meanwhile): ten minutes, enough for the largest bundle another process
/// may be storing.
pub const DEFAULT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

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
    pub meta: Result<ObjectMeta, MetaError>,
}

/// Why the indexed columns of an object could not be read (it lacks a string `id` or
/// `type`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("object has no string '{0}'")]
pub struct MetaError(pub &'static str);

/// The indexed columns of an object and its canonical-JSON hash.
#[derive(Debug, Clone)]
pub struct ObjectMeta {
    id: String,
    ty: String,
    modified: String,
    created: Option<String>,
    created_by_ref: Option<String>,
    revoked: bool,
    /// Every marking id the object carries (object and granular markings).
    marking_refs: Vec<String>,
    /// For marking definitions: what they say about reading.
    defines: Option<marking::Meaning>,
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

    /// The object's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The object's `modified` (empty for an unversioned object).
    pub fn modified(&self) -> &str {
        &self.modified
    }

    /// Extract the indexed columns; an error names what is missing.
    pub fn of(v: &Value) -> Result<ObjectMeta, MetaError> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let id = s("id").ok_or(MetaError("id"))?;
        let ty = s("type").ok_or(MetaError("type"))?;
        Ok(ObjectMeta {
            marking_refs: marking::marking_refs(v),
            defines: (ty == "marking-definition").then(|| marking::meaning(v)),
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
    pub submitter: String,
    pub recipients: Option<String>,
}

impl Edge {
    /// Whether a principal may read this relationship.
    pub fn readable_by(&self, p: &access::Principal) -> bool {
        p.may_read(
            self.tlp.as_deref(),
            &self.submitter,
            self.recipients.as_deref(),
        )
    }
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
    /// The member its `created_by_ref` identity stood for when it was stored.
    pub author: Option<String>,
}

impl StoredObject {
    /// Whether a principal may read this version (DESIGN 9).
    pub fn readable_by(&self, p: &access::Principal) -> bool {
        p.may_read(
            self.tlp.as_deref(),
            &self.submitter,
            self.recipients.as_deref(),
        )
    }

    /// The parsed JSON of the stored text.
    pub fn value(&self) -> Result<Value, StoreError> {
        serde_json::from_str(&self.raw).map_err(|e| StoreError::Corrupt {
            id: self.id.clone(),
            message: e.to_string(),
        })
    }
}

/// The store: an SQLite file (or memory), or a PostgreSQL database; which one is hidden
/// behind the same methods.
pub struct Store {
    backend: Backend,
    /// How long a write waits for another writer's lock.
    lock_wait: std::time::Duration,
}

enum Backend {
    Sqlite {
        conn: Connection,
        /// The file (none in memory): [`Store::share`] opens another connection to it.
        path: Option<std::path::PathBuf>,
    },
    Postgres(pg::Pg),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.describe())
            .field("lock_wait", &self.lock_wait)
            .finish()
    }
}

/// The member an identity object stands for (concord extension `member`).
fn identity_member(v: &Value) -> Option<&str> {
    v.get("extensions")?
        .get(concord_ext::EXTENSION_ID)?
        .get("member")?
        .as_str()
}

impl Store {
    /// Open (creating if needed) a database and run pending migrations. The location is an
    /// SQLite file path (`sqlite:PATH` too), or a PostgreSQL URL (`postgres://...` or
    /// `postgresql://...`, see [`Store::connect`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(url) = path.to_str().filter(|s| is_postgres_url(s)) {
            return Store::connect(url);
        }
        let path = match path.to_str().and_then(|s| s.strip_prefix("sqlite:")) {
            Some(rest) => Path::new(rest.strip_prefix("//").unwrap_or(rest)),
            None => path,
        };
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// Open a PostgreSQL database by URL (`postgres://user@host:5432/db`; libpq's
    /// parameters, e.g. `?options=-csearch_path%3Dmyschema` for a schema) and run pending
    /// migrations (one server migrates; others wait for it). Connections are pooled and
    /// shared with [`Store::share`]. A database that cannot be reached is
    /// [`StoreError::Unavailable`].
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        let pg = pg::Pg::connect(url)?;
        let mut conn = pg.get()?;
        migrations::run_pg(&mut conn)?;
        drop(conn);
        Ok(Store {
            backend: Backend::Postgres(pg),
            lock_wait: DEFAULT_LOCK_WAIT,
        })
    }

    /// An in-memory store (tests, `concord demo`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?, None)
    }

    fn init(conn: Connection, path: Option<std::path::PathBuf>) -> Result<Store, StoreError> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(DEFAULT_LOCK_WAIT)?;
        let mut conn = conn;
        migrations::run_sqlite(&mut conn)?;
        Ok(Store {
            backend: Backend::Sqlite { conn, path },
            lock_wait: DEFAULT_LOCK_WAIT,
        })
    }

    /// Another handle on the same database for a concurrent reader or writer: a new
    /// connection to the same SQLite file, or the same PostgreSQL pool. `None` for an
    /// in-memory store.
    pub fn share(&self) -> Result<Option<Store>, StoreError> {
        let mut s = match &self.backend {
            Backend::Sqlite { path: None, .. } => return Ok(None),
            Backend::Sqlite {
                path: Some(path), ..
            } => Store::open(path)?,
            Backend::Postgres(pg) => Store {
                backend: Backend::Postgres(pg.clone()),
                lock_wait: self.lock_wait,
            },
        };
        s.set_lock_wait(self.lock_wait)?;
        Ok(Some(s))
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Where the data is, for messages (a URL without its password).
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Sqlite { path: None, .. } => "sqlite (in memory)".into(),
            Backend::Sqlite { path: Some(p), .. } => format!("sqlite:{}", p.display()),
            Backend::Postgres(pg) => pg.name.clone(),
        }
    }

    /// Whether the database answers now (a trivial query).
    pub fn ping(&self) -> Result<(), StoreError> {
        self.read()?.one("SELECT 1", &[], |r| r.int(0)).map(|_| ())
    }

    /// How long a write waits for the lock another writer (another process) holds before
    /// it gives up with [`StoreError::Busy`]. SQLite retries meanwhile with growing pauses,
    /// PostgreSQL queues on an advisory lock, so writers queue. Default
    /// [`DEFAULT_LOCK_WAIT`]; the server uses less and answers 503 with `Retry-After`.
    pub fn set_lock_wait(&mut self, wait: std::time::Duration) -> Result<(), StoreError> {
        if let Backend::Sqlite { conn, .. } = &self.backend {
            conn.busy_timeout(wait)?;
        }
        self.lock_wait = wait;
        Ok(())
    }

    /// A connection for reading.
    pub(crate) fn read(&self) -> Result<db::Conn<'_>, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite { conn, .. } => db::Conn::Lite(db::Lite(conn)),
            Backend::Postgres(pg) => db::Conn::Pg(Box::new(pg.get()?)),
        })
    }

    /// Begin a write transaction. SQLite: `BEGIN IMMEDIATE`, so the write lock is taken
    /// (or waited for) at the start and a transaction never fails half-way for want of it.
    /// PostgreSQL: the database's write lock (a transaction-level advisory lock), so
    /// writers from every server queue one after another as they do on SQLite: the rules
    /// read what the previous writer committed, and insertion sequence numbers are handed
    /// out in commit order (TAXII pages never skip a row committed later).
    pub(crate) fn begin_write(&mut self) -> Result<db::Tx<'_>, StoreError> {
        let waited_secs = self.lock_wait.as_secs();
        let busy = |e: StoreError| match e {
            StoreError::Busy { .. } => StoreError::Busy { waited_secs },
            other => other,
        };
        match &mut self.backend {
            Backend::Sqlite { conn, .. } => Ok(db::Tx::Lite(
                conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(|e| busy(e.into()))?,
            )),
            Backend::Postgres(pg) => {
                let conn = pg.get()?;
                let ms = self.lock_wait.as_millis().max(1);
                let preamble = format!(
                    "BEGIN; SET LOCAL lock_timeout = {ms}; SELECT pg_advisory_xact_lock({}, hashtext(current_schema()))",
                    pg::WRITE_LOCK
                );
                Ok(db::Tx::Pg(Box::new(
                    db::PgTx::begin(conn, &preamble).map_err(busy)?,
                )))
            }
        }
    }

    /// Begin a write transaction on rows no rule reads in order (web sessions, sign-in
    /// counts): SQLite as [`Store::begin_write`] (one writer per file); PostgreSQL without
    /// the database's write lock, so signing in does not queue behind a large bundle.
    pub(crate) fn begin_session_write(&mut self) -> Result<db::Tx<'_>, StoreError> {
        match &self.backend {
            Backend::Sqlite { .. } => self.begin_write(),
            Backend::Postgres(pg) => {
                let conn = pg.get()?;
                Ok(db::Tx::Pg(Box::new(db::PgTx::begin(conn, "BEGIN")?)))
            }
        }
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

    pub(crate) fn row(r: &dyn db::Row) -> Result<StoredObject, StoreError> {
        let modified = r.text(2)?;
        Ok(StoredObject {
            id: r.text(0)?,
            object_type: r.text(1)?,
            modified: if modified.is_empty() {
                None
            } else {
                Some(modified)
            },
            created_by_ref: r.opt_text(3)?,
            tlp: r.opt_text(4)?,
            submitter: r.text(5)?,
            date_added: r.text(6)?,
            raw: r.text(7)?,
            seq: r.int(8)?,
            recipients: r.opt_text(9)?,
            author: r.opt_text(10)?,
        })
    }

    pub(crate) const COLS: &'static str =
        "id, type, modified, created_by_ref, tlp, submitter, date_added, raw, seq, recipients, author";

    /// The latest version of an object.
    pub(crate) fn get(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects WHERE id = ?1 ORDER BY modified DESC LIMIT 1",
            Self::COLS
        );
        self.read()?.opt(&sql, &[P::Text(id)], Self::row)
    }

    /// Every stored version of an object, oldest first.
    pub(crate) fn versions(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects WHERE id = ?1 ORDER BY modified",
            Self::COLS
        );
        self.read()?.rows(&sql, &[P::Text(id)], Self::row)
    }

    /// The latest version of every object of a type, in insertion order.
    pub(crate) fn latest_of_type(&self, ty: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects o WHERE type = ?1 AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS
        );
        self.read()?.rows(&sql, &[P::Text(ty)], Self::row)
    }

    /// The latest version of every relationship with `id` as its source or target.
    pub(crate) fn relationships_of(&self, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let sql = format!(
            "SELECT {} FROM objects o WHERE type = 'relationship' AND (source_ref = ?1 OR target_ref = ?1)
               AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS
        );
        self.read()?.rows(&sql, &[P::Text(id)], Self::row)
    }

    /// Visit the latest version of every object whose type is in `types`, in insertion
    /// order, one row at a time (bulk reads for correlation and the knowledge base).
    pub(crate) fn for_each_latest<E: From<StoreError>>(
        &self,
        types: &[&str],
        mut f: impl FnMut(StoredObject) -> Result<(), E>,
    ) -> Result<(), E> {
        if types.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT {} FROM objects o WHERE type IN ({})
               AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            Self::COLS,
            db::marks(types.len())
        );
        let params: Vec<P<'_>> = types.iter().map(|t| P::Text(t)).collect();
        let mut stopped: Option<E> = None;
        let run = self.read().and_then(|mut c| {
            c.each(&sql, &params, &mut |r| {
                let o = Self::row(r)?;
                f(o).map_err(|e| {
                    stopped = Some(e);
                    StoreError::Refused(String::new())
                })
            })
        });
        match (stopped, run) {
            (Some(e), _) => Err(e),
            (None, Err(e)) => Err(e.into()),
            (None, Ok(())) => Ok(()),
        }
    }

    /// The latest, unrevoked version of every relationship whose `relationship_type` is in
    /// `types`, read from the indexed columns without parsing the JSON.
    pub(crate) fn edges(&self, types: &[&str]) -> Result<Vec<Edge>, StoreError> {
        if types.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, relationship_type, source_ref, target_ref, tlp, submitter, recipients FROM objects o
              WHERE type = 'relationship' AND relationship_type IN ({}) AND revoked = 0
                AND modified = (SELECT MAX(modified) FROM objects WHERE id = o.id) ORDER BY seq",
            db::marks(types.len())
        );
        let params: Vec<P<'_>> = types.iter().map(|t| P::Text(t)).collect();
        self.read()?.rows(&sql, &params, |r| {
            Ok(Edge {
                id: r.text(0)?,
                relationship_type: r.text(1)?,
                source_ref: r.text(2)?,
                target_ref: r.text(3)?,
                tlp: r.opt_text(4)?,
                submitter: r.text(5)?,
                recipients: r.opt_text(6)?,
            })
        })
    }

    /// A random 32-byte key kept in the database under `name`, made on first use: every
    /// server on the same database gets the same one (TAXII cursors made by one server
    /// open on another).
    pub fn shared_key(&self, name: &str) -> Result<[u8; 32], StoreError> {
        let mut fresh = [0u8; 32];
        fresh[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        fresh[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        let mut db = self.read()?;
        db.execute(
            "INSERT INTO server_keys (name, key) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[P::Text(name), P::Blob(&fresh)],
        )?;
        let key = db.one(
            "SELECT key FROM server_keys WHERE name = ?1",
            &[P::Text(name)],
            |r| r.blob(0),
        )?;
        <[u8; 32]>::try_from(key.as_slice())
            .map_err(|_| StoreError::Db(format!("server key {name} is not 32 bytes")))
    }

    /// Number of audit log entries (every write leaves one).
    pub fn audit_len(&self) -> Result<u64, StoreError> {
        let n = self
            .read()?
            .one("SELECT COUNT(*) FROM audit_log", &[], |r| r.int(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Append an entry to the audit log (inside the write it records).
pub(crate) fn audit(
    db: &mut dyn Sql,
    at: &str,
    principal: &str,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO audit_log (at, principal, action, detail) VALUES (?1, ?2, ?3, ?4)",
        &[
            P::Text(at),
            P::Text(principal),
            P::Text(action),
            P::Text(detail),
        ],
    )
    .map(|_| ())
}
