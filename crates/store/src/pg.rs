//! The PostgreSQL backend: a pool of connections (r2d2) to one database.
//!
//! - Writers from every process queue on one transaction-level advisory lock per schema
//!   ([`WRITE_LOCK`]); migrations on a session-level one ([`MIGRATE_LOCK`]), so one server
//!   migrates and the others wait.
//! - Connections are checked before use; a lost server makes calls fail with
//!   [`StoreError::Unavailable`] until it is back, then the pool reconnects.

use crate::db::{Manager, Pooled};
use crate::StoreError;
use std::time::Duration;

/// Advisory lock class (first key) of writes; the second key is the schema's hash.
pub(crate) const WRITE_LOCK: i32 = 0x434f_4e57; // "CONW"
/// Advisory lock class of migrations.
pub(crate) const MIGRATE_LOCK: i32 = 0x434f_4e4d; // "CONM"

/// How long a caller waits for a pooled connection (or for a connection to be made)
/// before the database counts as unavailable.
const CONNECT_WAIT: Duration = Duration::from_secs(3);

/// Connections per pool: enough for the server's writer and readers.
const POOL_SIZE: u32 = 16;

/// Whether a `--db` value names a PostgreSQL database.
pub fn is_postgres_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// A URL with its password (if any) replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // the authority ends at the first '/' or '?' after the last '@' before them
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let mut out = match rest[..end].rfind('@') {
        Some(i) => {
            let (auth, host) = (&rest[..i], &rest[i..]);
            let user = match auth.split_once(':') {
                Some((u, _)) => format!("{u}:***"),
                None => auth.to_string(),
            };
            format!("{scheme}://{user}{host}")
        }
        None => url.to_string(),
    };
    // a password may also come as a query parameter
    if let Some(q) = out.find("password=") {
        let end = out[q..].find('&').map_or(out.len(), |e| q + e);
        out.replace_range(q..end, "password=***");
    }
    out
}

/// A pool of connections to one database.
#[derive(Clone)]
pub(crate) struct Pg {
    pool: r2d2::Pool<Manager>,
    /// The URL without its password.
    pub(crate) name: String,
}

impl Pg {
    /// Make the pool; fails with [`StoreError::Unavailable`] when the server cannot be
    /// reached within a few seconds.
    pub(crate) fn connect(url: &str) -> Result<Pg, StoreError> {
        let name = redact_url(url);
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Db(format!("{name} is not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_WAIT);
        }
        if config.get_application_name().is_none() {
            config.application_name("concord");
        }
        // one connection first, for a clear error when the server is not there
        let first = config.connect(postgres::NoTls).map_err(|e| {
            let why = match StoreError::from(e) {
                StoreError::Unavailable(m) | StoreError::Db(m) => m,
                other => other.to_string(),
            };
            StoreError::Unavailable(format!("cannot connect to PostgreSQL at {name}: {why}"))
        })?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .connection_timeout(CONNECT_WAIT)
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build(Manager { config })
            .map_err(|e| {
                StoreError::Unavailable(format!("cannot connect to PostgreSQL at {name}: {e}"))
            })?;
        Ok(Pg { pool, name })
    }

    /// A connection from the pool.
    pub(crate) fn get(&self) -> Result<Pooled, StoreError> {
        self.pool.get().map_err(|e| {
            StoreError::Unavailable(format!("no connection to PostgreSQL at {}: {e}", self.name))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact_url("postgres://alice:s3cret@db.example:5432/concord"),
            "postgres://alice:***@db.example:5432/concord"
        );
        assert_eq!(
            redact_url("postgres://alice@h/db?password=x&sslmode=disable"),
            "postgres://alice@h/db?password=***&sslmode=disable"
        );
        assert_eq!(
            redact_url("postgres://127.0.0.1/test"),
            "postgres://127.0.0.1/test"
        );
        assert!(is_postgres_url("postgresql://x/y"));
        assert!(!is_postgres_url("concord.db"));
    }
}
