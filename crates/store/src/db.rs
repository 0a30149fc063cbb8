//! The two backends behind one small SQL interface: SQLite (rusqlite, one connection) and
//! PostgreSQL (the `postgres` driver, pooled with r2d2). Every query of the store is written
//! once, with numbered `?N` (or bare `?`) placeholders, in the SQL both understand; the
//! PostgreSQL side rewrites the placeholders to `$N` and caches prepared statements per
//! connection. Nothing here leaves the crate.

use crate::StoreError;
use std::collections::HashMap;

/// Which database a store uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sqlite,
    Postgres,
}

/// A parameter of a query.
#[derive(Debug, Clone, Copy)]
pub(crate) enum P<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> From<&'a str> for P<'a> {
    fn from(s: &'a str) -> P<'a> {
        P::Text(s)
    }
}
impl<'a> From<&'a String> for P<'a> {
    fn from(s: &'a String) -> P<'a> {
        P::Text(s)
    }
}
impl<'a> From<Option<&'a str>> for P<'a> {
    fn from(s: Option<&'a str>) -> P<'a> {
        s.map_or(P::Null, P::Text)
    }
}
impl<'a> From<&'a Option<String>> for P<'a> {
    fn from(s: &'a Option<String>) -> P<'a> {
        s.as_deref().map_or(P::Null, P::Text)
    }
}
impl From<i64> for P<'_> {
    fn from(v: i64) -> Self {
        P::Int(v)
    }
}
impl From<bool> for P<'_> {
    fn from(v: bool) -> Self {
        P::Int(i64::from(v))
    }
}
impl<'a> From<&'a [u8]> for P<'a> {
    fn from(v: &'a [u8]) -> P<'a> {
        P::Blob(v)
    }
}

/// A value read generically (copying whole tables: `concord migrate`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl Val {
    pub(crate) fn as_p(&self) -> P<'_> {
        match self {
            Val::Null => P::Null,
            Val::Int(i) => P::Int(*i),
            Val::Text(s) => P::Text(s),
            Val::Blob(b) => P::Blob(b),
        }
    }
}

/// One result row.
pub(crate) trait Row {
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn blob(&self, i: usize) -> Result<Vec<u8>, StoreError>;
    fn value(&self, i: usize) -> Result<Val, StoreError>;
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.opt_text(i)?.unwrap_or_default())
    }
}

/// Something that runs SQL: a connection or a transaction of either backend.
pub(crate) trait Sql {
    fn kind(&self) -> Kind;
    /// Run a query and hand each row to `f` (rows stream; `f` may stop with an error).
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Run a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError>;
    /// Run several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
}

/// Typed helpers over [`Sql`].
pub(crate) trait SqlExt: Sql {
    fn rows<T>(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        mut f: impl FnMut(&dyn Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }
    fn opt<T>(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        mut f: impl FnMut(&dyn Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let mut out = None;
        self.each(sql, params, &mut |r| {
            if out.is_none() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }
    fn one<T>(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: impl FnMut(&dyn Row) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.opt(sql, params, f)?
            .ok_or_else(|| StoreError::Db(format!("no row returned by: {sql}")))
    }
}

impl<S: Sql + ?Sized> SqlExt for S {}

/// `?, ?, ?` for a list of `n` values.
pub(crate) fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

// ---------------------------------------------------------------- SQLite

impl rusqlite::ToSql for P<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            P::Null => ToSqlOutput::Owned(Value::Null),
            P::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            P::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy { waited_secs: 0 }
            }
            _ => StoreError::Db(format!("sqlite: {e}")),
        }
    }
}

struct LiteRow<'a, 'b>(&'a rusqlite::Row<'b>);

impl Row for LiteRow<'_, '_> {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.0.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.0.get(i)?)
    }
    fn blob(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        Ok(self.0.get(i)?)
    }
    fn value(&self, i: usize) -> Result<Val, StoreError> {
        use rusqlite::types::ValueRef;
        Ok(match self.0.get_ref(i)? {
            ValueRef::Null => Val::Null,
            ValueRef::Integer(v) => Val::Int(v),
            ValueRef::Real(f) => Val::Text(f.to_string()),
            ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Val::Blob(b.to_vec()),
        })
    }
}

/// An SQLite connection (or a transaction, through `Deref`).
pub(crate) struct Lite<'a>(pub(crate) &'a rusqlite::Connection);

impl Sql for Lite<'_> {
    fn kind(&self) -> Kind {
        Kind::Sqlite
    }
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            f(&LiteRow(r))?;
        }
        Ok(())
    }
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }
}

// ---------------------------------------------------------------- PostgreSQL

impl postgres::types::ToSql for P<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            P::Null => Ok(IsNull::Yes),
            P::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                _ => v.to_string().as_str().to_sql(ty, out),
            },
            P::Text(s) => s.to_sql(ty, out),
            P::Blob(b) => b.to_sql(ty, out),
        }
    }
    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }
    fn to_sql_checked(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.to_sql(ty, out)
    }
}

/// The SQLSTATE of a PostgreSQL error, if the server sent one.
pub(crate) fn pg_state(e: &postgres::Error) -> Option<&str> {
    e.code().map(postgres::error::SqlState::code)
}

/// A PostgreSQL error in words: the server's message and SQLSTATE when it sent one.
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("postgres: {} (SQLSTATE {})", d.message(), d.code().code()),
        None => match std::error::Error::source(e) {
            Some(s) => format!("postgres: {e}: {s}"),
            None => format!("postgres: {e}"),
        },
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        let msg = pg_message(&e);
        match pg_state(&e) {
            // lock_not_available (lock_timeout), serialization failure, deadlock
            Some("55P03" | "40001" | "40P01") => StoreError::Busy { waited_secs: 0 },
            // admin shutdown, crash shutdown, cannot connect now; connection exceptions
            Some(c) if c.starts_with("57P") || c.starts_with("08") => StoreError::Unavailable(msg),
            Some(_) => StoreError::Db(msg),
            // no SQLSTATE: the connection failed or closed (I/O, protocol)
            None if e.is_closed() || std::error::Error::source(&e).is_some() => {
                StoreError::Unavailable(msg)
            }
            None => StoreError::Db(msg),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> StoreError {
        StoreError::Unavailable(format!("postgres: {e}"))
    }
}

impl Row for postgres::Row {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        use postgres::types::Type;
        let ty = self
            .columns()
            .get(i)
            .map(|c| c.type_().clone())
            .ok_or_else(|| StoreError::Db(format!("no column {i}")))?;
        Ok(match ty {
            Type::INT4 => i64::from(self.try_get::<_, i32>(i)?),
            Type::INT2 => i64::from(self.try_get::<_, i16>(i)?),
            Type::BOOL => i64::from(self.try_get::<_, bool>(i)?),
            _ => self.try_get::<_, i64>(i)?,
        })
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn blob(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn value(&self, i: usize) -> Result<Val, StoreError> {
        use postgres::types::Type;
        let ty = self
            .columns()
            .get(i)
            .map(|c| c.type_().clone())
            .ok_or_else(|| StoreError::Db(format!("no column {i}")))?;
        Ok(match ty {
            Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL => match self.opt_int_raw(i)? {
                None => Val::Null,
                Some(v) => Val::Int(v),
            },
            Type::BYTEA => self
                .try_get::<_, Option<Vec<u8>>>(i)?
                .map_or(Val::Null, Val::Blob),
            _ => self
                .try_get::<_, Option<String>>(i)?
                .map_or(Val::Null, Val::Text),
        })
    }
}

trait OptIntRaw {
    fn opt_int_raw(&self, i: usize) -> Result<Option<i64>, StoreError>;
}

impl OptIntRaw for postgres::Row {
    fn opt_int_raw(&self, i: usize) -> Result<Option<i64>, StoreError> {
        use postgres::types::Type;
        let ty = self.columns()[i].type_().clone();
        Ok(match ty {
            Type::INT4 => self.try_get::<_, Option<i32>>(i)?.map(i64::from),
            Type::INT2 => self.try_get::<_, Option<i16>>(i)?.map(i64::from),
            Type::BOOL => self.try_get::<_, Option<bool>>(i)?.map(i64::from),
            _ => self.try_get::<_, Option<i64>>(i)?,
        })
    }
}

/// Rewrite `?N` and bare `?` placeholders to PostgreSQL's `$N` (outside quoted text).
pub(crate) fn to_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    // SQLite's rule: a bare `?` is one more than the largest number used so far
    let mut largest = 0usize;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                let k = if n.is_empty() {
                    largest + 1
                } else {
                    n.parse().unwrap_or(largest + 1)
                };
                largest = largest.max(k);
                out.push_str(&format!("${k}"));
            }
            _ => out.push(c),
        }
    }
    out
}

/// A PostgreSQL connection with its prepared statements.
pub(crate) struct PgConn {
    pub(crate) client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn")
            .field("statements", &self.statements.len())
            .finish()
    }
}

impl PgConn {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let st = self.client.prepare(&to_dollars(sql))?;
        // A statement with a list of values (`IN (?, ?, ...)`) is prepared afresh each time
        // (and closed after): kept, PostgreSQL would switch it to a generic plan after five
        // runs, which cannot see the values and scans the whole table for 500 ids.
        if sql.contains(" IN (?") {
            return Ok(st);
        }
        if self.statements.len() > 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn pg_params<'a>(params: &'a [P<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

impl Sql for PgConn {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let st = self.statement(sql)?;
        let mut rows = self.client.query_raw(&st, pg_params(params))?;
        while let Some(r) = rows.next()? {
            f(&r)?;
        }
        Ok(())
    }
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError> {
        let st = self.statement(sql)?;
        Ok(self.client.execute(&st, &pg_params(params))?)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client.batch_execute(sql)?)
    }
}

/// Opens PostgreSQL connections for the pool.
pub(crate) struct Manager {
    pub(crate) config: postgres::Config,
    /// TLS with the server's certificate verified (`sslmode=require` and up), or none.
    pub(crate) tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl Manager {
    /// One connection, over TLS when the URL asked for it.
    pub(crate) fn client(&self) -> Result<postgres::Client, postgres::Error> {
        match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(postgres::NoTls),
        }
    }
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager")
            .field("config", &self.config)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;
    fn connect(&self) -> Result<PgConn, postgres::Error> {
        let mut client = self.client()?;
        // The page and latest-version queries are estimated far above their real cost (a
        // correlated sub-select per row under a LIMIT), which would make PostgreSQL compile
        // them with JIT on every call: 5-12 ms spent on a query that runs in 1 ms.
        client.batch_execute("SET jit = off")?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
        })
    }
    fn is_valid(&self, c: &mut PgConn) -> Result<(), postgres::Error> {
        c.client.simple_query("").map(|_| ())
    }
    fn has_broken(&self, c: &mut PgConn) -> bool {
        c.client.is_closed()
    }
}

pub(crate) type Pooled = r2d2::PooledConnection<Manager>;

impl Sql for Pooled {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        (**self).each(sql, params, f)
    }
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError> {
        (**self).execute(sql, params)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        (**self).batch(sql)
    }
}

/// A PostgreSQL transaction on a pooled connection: rolled back when dropped uncommitted.
pub(crate) struct PgTx {
    pub(crate) conn: Pooled,
    done: bool,
}

impl PgTx {
    pub(crate) fn begin(mut conn: Pooled, preamble: &str) -> Result<PgTx, StoreError> {
        match conn.client.batch_execute(preamble) {
            Ok(()) => Ok(PgTx { conn, done: false }),
            Err(e) => {
                let _ = conn.client.batch_execute("ROLLBACK");
                Err(e.into())
            }
        }
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.client.batch_execute("ROLLBACK");
        }
    }
}

/// A write transaction of either backend.
pub(crate) enum Tx<'a> {
    Lite(rusqlite::Transaction<'a>),
    Pg(Box<PgTx>),
}

impl Tx<'_> {
    pub(crate) fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Lite(t) => Ok(t.commit()?),
            Tx::Pg(mut t) => {
                t.done = true;
                Ok(t.conn.client.batch_execute("COMMIT")?)
            }
        }
    }
    pub(crate) fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Lite(t) => Ok(t.rollback()?),
            Tx::Pg(mut t) => {
                t.done = true;
                Ok(t.conn.client.batch_execute("ROLLBACK")?)
            }
        }
    }
}

impl Sql for Tx<'_> {
    fn kind(&self) -> Kind {
        match self {
            Tx::Lite(_) => Kind::Sqlite,
            Tx::Pg(_) => Kind::Postgres,
        }
    }
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Tx::Lite(t) => Lite(t).each(sql, params, f),
            Tx::Pg(t) => t.conn.each(sql, params, f),
        }
    }
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError> {
        match self {
            Tx::Lite(t) => Lite(t).execute(sql, params),
            Tx::Pg(t) => t.conn.execute(sql, params),
        }
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Tx::Lite(t) => Lite(t).batch(sql),
            Tx::Pg(t) => t.conn.batch(sql),
        }
    }
}

/// A read connection of either backend.
pub(crate) enum Conn<'a> {
    Lite(Lite<'a>),
    Pg(Box<Pooled>),
}

impl Sql for Conn<'_> {
    fn kind(&self) -> Kind {
        match self {
            Conn::Lite(_) => Kind::Sqlite,
            Conn::Pg(_) => Kind::Postgres,
        }
    }
    fn each(
        &mut self,
        sql: &str,
        params: &[P<'_>],
        f: &mut dyn FnMut(&dyn Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Conn::Lite(c) => c.each(sql, params, f),
            Conn::Pg(c) => c.each(sql, params, f),
        }
    }
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, StoreError> {
        match self {
            Conn::Lite(c) => c.execute(sql, params),
            Conn::Pg(c) => c.execute(sql, params),
        }
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Lite(c) => c.batch(sql),
            Conn::Pg(c) => c.batch(sql),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            to_dollars("SELECT a FROM t WHERE x = ?1 AND y IN (?, ?) AND z = '?' AND w = ?12"),
            "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3) AND z = '?' AND w = $12"
        );
    }
}
