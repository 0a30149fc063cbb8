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
        let (url, tls) = tls_settings(url).map_err(|e| StoreError::Db(format!("{name}: {e}")))?;
        let tls = tls
            .map(|t| t.connector())
            .transpose()
            .map_err(|e| StoreError::Db(format!("{name}: {e}")))?;
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Db(format!("{name} is not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_WAIT);
        }
        if config.get_application_name().is_none() {
            config.application_name("concord");
        }
        let manager = Manager { config, tls };
        // one connection first, for a clear error when the server is not there
        let first = manager.client().map_err(|e| {
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
            .build(manager)
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

/// What the URL asks of TLS: the libpq parameters `sslmode` and `sslrootcert`, which
/// concord reads itself (rust-postgres knows no `sslrootcert` and no `verify-*` modes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsWanted {
    /// A PEM file of the certificates to trust (`sslrootcert`); else the Mozilla roots.
    pub(crate) root_cert: Option<String>,
}

/// The URL for rust-postgres, and the TLS it must use (none below `sslmode=require`).
///
/// `sslmode` `disable`, `allow` and `prefer` (and no `sslmode`) connect without TLS, as
/// before; `require`, `verify-ca` and `verify-full` connect only over TLS and always verify
/// the server's certificate and host name (what libpq calls `verify-full`): concord does not
/// offer TLS that an attacker in the middle could terminate.
pub(crate) fn tls_settings(url: &str) -> Result<(String, Option<TlsWanted>), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), None));
    };
    let mut keep = Vec::new();
    let mut mode = None;
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => mode = Some(v.to_string()),
            "sslrootcert" => root_cert = Some(percent_decode(v)),
            _ => keep.push(pair),
        }
    }
    let tls = match mode.as_deref() {
        None | Some("disable" | "allow" | "prefer") => None,
        Some("require" | "verify-ca" | "verify-full") => Some(TlsWanted { root_cert }),
        Some(other) => {
            return Err(format!(
                "sslmode '{other}' is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ))
        }
    };
    if tls.is_some() {
        keep.push("sslmode=require");
    } else if mode.is_some() {
        keep.push("sslmode=disable");
    }
    Ok(if keep.is_empty() {
        (base.to_string(), tls)
    } else {
        (format!("{base}?{}", keep.join("&")), tls)
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl TlsWanted {
    /// The rustls connector: the trusted roots, no client certificate.
    pub(crate) fn connector(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
        use rustls_pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                let certs: Vec<_> = rustls_pki_types::CertificateDer::pem_file_iter(path)
                    .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                    .map_err(|e| format!("sslrootcert {path}: cannot read certificates: {e}"))?;
                if certs.is_empty() {
                    return Err(format!("sslrootcert {path}: no certificate in the file"));
                }
                for c in certs {
                    roots
                        .add(c)
                        .map_err(|e| format!("sslrootcert {path}: {e}"))?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tls_is_read_from_the_url() {
        let t = |u: &str| tls_settings(u).unwrap();
        assert_eq!(t("postgres://h/db"), ("postgres://h/db".into(), None));
        assert_eq!(
            t("postgres://h/db?sslmode=prefer&application_name=x"),
            (
                "postgres://h/db?application_name=x&sslmode=disable".into(),
                None
            )
        );
        assert_eq!(
            t("postgres://h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"),
            (
                "postgres://h/db?sslmode=require".into(),
                Some(TlsWanted {
                    root_cert: Some("/etc/ca.pem".into())
                })
            )
        );
        assert_eq!(
            t("postgres://h/db?sslmode=require").1,
            Some(TlsWanted { root_cert: None })
        );
        assert!(tls_settings("postgres://h/db?sslmode=sometimes")
            .unwrap_err()
            .contains("verify-full"));
        let e = TlsWanted {
            root_cert: Some("/nonexistent/ca.pem".into()),
        }
        .connector()
        .err()
        .unwrap();
        assert!(e.contains("/nonexistent/ca.pem"), "{e}");
        assert!(TlsWanted { root_cert: None }.connector().is_ok());
    }

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
