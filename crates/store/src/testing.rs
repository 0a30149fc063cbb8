//! Test support for this crate and the crates above it: a throw-away PostgreSQL schema per
//! test, so tests parameterised over both backends run in parallel without colliding.
//!
//! The server is named by `CONCORD_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`).
//! When it cannot be reached, [`PgSchema::create`] prints `skipping: no PostgreSQL at URL`
//! and returns `None`; with `CONCORD_TEST_PG_REQUIRED=1` (CI) it panics instead, so a
//! missing server cannot pass silently.

use crate::{Store, StoreError};
use std::sync::OnceLock;

/// The default test server (trust authentication, database `test`).
pub const DEFAULT_TEST_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The URL of the test server.
pub fn test_pg_url() -> String {
    std::env::var("CONCORD_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_TEST_PG.to_string())
}

fn connect(url: &str) -> Result<postgres::Client, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    config.connect_timeout(std::time::Duration::from_secs(3));
    config.connect(postgres::NoTls)
}

/// Whether the test server answers (checked once per process).
pub fn pg_available() -> bool {
    static UP: OnceLock<bool> = OnceLock::new();
    *UP.get_or_init(|| connect(&test_pg_url()).is_ok())
}

/// A URL with `search_path` set to `schema` (libpq's `options` parameter).
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

/// A schema of its own on the test server, dropped (with everything in it) when this
/// value is dropped.
#[derive(Debug)]
pub struct PgSchema {
    /// The server URL without the schema.
    pub base: String,
    /// The schema's name (`t_` and 32 hex digits).
    pub schema: String,
    /// The URL that opens a store in this schema.
    pub url: String,
    used: bool,
}

impl PgSchema {
    /// A new empty schema, or `None` (after saying so on standard error) when there is no
    /// test server.
    ///
    /// # Panics
    /// When the server is unreachable and `CONCORD_TEST_PG_REQUIRED` is set, or when the
    /// schema cannot be created.
    #[allow(clippy::panic)]
    pub fn create() -> Option<PgSchema> {
        let base = test_pg_url();
        if !pg_available() {
            if std::env::var_os("CONCORD_TEST_PG_REQUIRED").is_some_and(|v| v != "0") {
                panic!("no PostgreSQL at {} (CONCORD_TEST_PG_REQUIRED is set)", crate::redact_url(&base));
            }
            eprintln!(
                "skipping: no PostgreSQL at {} (set CONCORD_TEST_PG)",
                crate::redact_url(&base)
            );
            return None;
        }
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        match connect(&base).and_then(|mut c| c.batch_execute(&format!("CREATE SCHEMA {schema}"))) {
            Ok(()) => {}
            Err(e) => panic!("cannot create schema {schema}: {e}"),
        }
        let url = url_with_schema(&base, &schema);
        Some(PgSchema {
            base,
            schema,
            url,
            used: false,
        })
    }

    /// Open a store in this schema (migrating it on first open).
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::connect(&self.url)
    }

    /// Run SQL in this schema directly (to simulate what a test needs).
    pub fn execute(&self, sql: &str) -> Result<(), StoreError> {
        let mut c = connect(&self.url)?;
        c.batch_execute(sql)?;
        Ok(())
    }

    /// A plain client on this schema (tests that hold locks or inspect rows).
    pub fn client(&self) -> Result<postgres::Client, StoreError> {
        Ok(connect(&self.url)?)
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = connect(&self.base) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

/// One backend of a parameterised test: makes fresh empty stores of its kind (SQLite in
/// memory, or PostgreSQL each in a schema of its own, dropped with this value).
#[derive(Debug)]
pub enum TestBackend {
    Sqlite,
    Postgres(std::sync::Mutex<Vec<PgSchema>>),
}

impl TestBackend {
    /// The PostgreSQL backend, or `None` (said on standard error) without a test server.
    pub fn postgres() -> Option<TestBackend> {
        let pg = PgSchema::create()?;
        Some(TestBackend::Postgres(std::sync::Mutex::new(vec![pg])))
    }

    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            TestBackend::Sqlite => "sqlite",
            TestBackend::Postgres(_) => "postgres",
        }
    }

    /// A fresh, empty, migrated store.
    ///
    /// # Panics
    /// When the store cannot be opened (a test failure).
    #[allow(clippy::panic)]
    pub fn store(&self) -> Store {
        let opened = match self {
            TestBackend::Sqlite => Store::open_in_memory(),
            TestBackend::Postgres(schemas) => {
                let mut guard = match schemas.lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                // the first store uses the schema made by `postgres()`, later ones new ones
                let fresh = guard.len() > 1 || guard.first().is_some_and(|s| s.used);
                if fresh {
                    if let Some(pg) = PgSchema::create() {
                        guard.push(pg);
                    }
                }
                match guard.last_mut() {
                    Some(pg) => {
                        pg.used = true;
                        pg.open()
                    }
                    None => panic!("no schema"),
                }
            }
        };
        match opened {
            Ok(s) => s,
            Err(e) => panic!("cannot open a {} test store: {e}", self.name()),
        }
    }
}

/// Run a test body against both backends as two tests, `NAME::sqlite` and
/// `NAME::postgres` (which skips, saying so, without a PostgreSQL server). The body is a
/// function `fn NAME(b: &TestBackend)` in scope; `b.store()` gives fresh stores.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&$crate::testing::TestBackend::Sqlite);
            }
            #[test]
            fn postgres() {
                if let Some(b) = $crate::testing::TestBackend::postgres() {
                    super::$name(&b);
                }
            }
        }
    )+};
}
