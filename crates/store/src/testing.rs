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
                panic!(
                    "no PostgreSQL at {} (CONCORD_TEST_PG_REQUIRED is set)",
                    crate::redact_url(&base)
                );
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

impl PgSchema {
    /// A client on this schema inside a transaction that holds the database's write lock
    /// (as a writer in another process would) until it is dropped or committed.
    pub fn hold_write_lock(&self) -> Result<postgres::Client, StoreError> {
        let mut c = self.client()?;
        c.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({}, hashtext(current_schema()))",
            crate::pg::WRITE_LOCK
        ))?;
        Ok(c)
    }

    /// This schema's URL through a proxy (see [`Proxy`]).
    pub fn url_via(&self, proxy: &Proxy) -> String {
        let port = proxy.port;
        let via = self
            .url
            .replacen("127.0.0.1:5432", &format!("127.0.0.1:{port}"), 1)
            .replacen("localhost:5432", &format!("127.0.0.1:{port}"), 1);
        via
    }
}

/// A TCP proxy on 127.0.0.1 in front of the test server that a test can cut (every
/// connection closed, new ones refused at once) and restore: "the database is lost" and
/// "it is back" without stopping a server other tests use.
#[derive(Debug)]
pub struct Proxy {
    /// The port it listens on.
    pub port: u16,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Proxy {
    /// Start a proxy to `target` (`host:port`).
    pub fn start(target: &str) -> std::io::Result<Proxy> {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let cut = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>> = Default::default();
        let (c2, o2, target) = (cut.clone(), open.clone(), target.to_string());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if c2.load(Ordering::SeqCst) {
                    let _ = client.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(&target) else {
                    continue;
                };
                let (Ok(c_r), Ok(s_r)) = (client.try_clone(), server.try_clone()) else {
                    continue;
                };
                if let Ok(mut o) = o2.lock() {
                    o.extend([c_r.try_clone(), s_r.try_clone()].into_iter().flatten());
                }
                let pipe = |mut from: std::net::TcpStream, mut to: std::net::TcpStream| {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                };
                pipe(client, server);
                pipe(s_r, c_r);
            }
        });
        Ok(Proxy { port, cut, open })
    }

    /// Lose the database: close every connection and refuse new ones.
    pub fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut o) = self.open.lock() {
            for s in o.drain(..) {
                let _ = s.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    /// The database is back.
    pub fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
