//! Web sessions and the sign-in failure counts, kept in the database so that every server
//! on it shares them (issue 20): a browser signed in through one server is signed in on
//! all of them, signing out or revoking the token ends the session everywhere, and the
//! sign-in limit counts the failures of every server.
//!
//! - A session is stored under the SHA-256 of its cookie value, never the value itself: a
//!   copy of the database does not hand out sessions.
//! - A session is live while it has not expired and the token it was opened with is still
//!   active (one query joins both); the principal is the token's.
//! - Times are seconds since the Unix epoch, given by the caller (the server's clock), so
//!   tests can move time.
//! - These rows are not copied by `concord migrate` (they are short-lived: users sign in
//!   again after a move).

use crate::access::{hash as key, Principal};
use crate::db::{Sql, SqlExt, P};
use crate::{Store, StoreError};

/// A live web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// The principal of the token it was opened with.
    pub principal: Principal,
    /// The id of that token.
    pub token: i64,
    /// The CSRF token its forms carry.
    pub csrf: String,
}

/// The sign-in limit: failures per client and from all clients within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigninLimit {
    pub per_client: i64,
    pub all_clients: i64,
    pub window_secs: i64,
}

impl Store {
    /// Open a session under `session_id` (the cookie value) for a token, valid until
    /// `expires`; sessions that expired before `now` are removed on the way.
    pub fn open_session(
        &mut self,
        session_id: &str,
        token: i64,
        csrf: &str,
        now: i64,
        expires: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_session_write()?;
        tx.execute(
            "DELETE FROM web_sessions WHERE expires <= ?1",
            &[P::Int(now)],
        )?;
        tx.execute(
            "INSERT INTO web_sessions (hash, token, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
            &[
                P::Blob(&key(session_id)),
                P::Int(token),
                P::Text(csrf),
                P::Int(expires),
            ],
        )?;
        tx.commit()
    }

    /// The live session under `session_id` at `now`: not expired and its token active.
    pub fn web_session(
        &self,
        session_id: &str,
        now: i64,
    ) -> Result<Option<WebSession>, StoreError> {
        let row = self.read()?.opt(
            "SELECT s.token, t.principal, s.csrf FROM web_sessions s
               JOIN tokens t ON t.seq = s.token
              WHERE s.hash = ?1 AND s.expires > ?2 AND t.revoked = 0",
            &[P::Blob(&key(session_id)), P::Int(now)],
            |r| Ok((r.int(0)?, r.text(1)?, r.text(2)?)),
        )?;
        Ok(row.map(|(token, p, csrf)| WebSession {
            principal: Principal::from_name(&p),
            token,
            csrf,
        }))
    }

    /// End a session (signing out); nothing happens for an unknown one.
    pub fn close_session(&mut self, session_id: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_session_write()?;
        tx.execute(
            "DELETE FROM web_sessions WHERE hash = ?1",
            &[P::Blob(&key(session_id))],
        )?;
        tx.commit()
    }

    /// Whether `client` may try to sign in at `now`: fewer than the limit's failures from it,
    /// and from all clients together, within the window.
    pub fn signin_allowed(
        &self,
        client: &str,
        now: i64,
        limit: SigninLimit,
    ) -> Result<bool, StoreError> {
        let since = now - limit.window_secs;
        let (own, all) = self.read()?.one(
            "SELECT CAST(COALESCE(SUM(CASE WHEN client = ?1 THEN failures ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(failures), 0) AS BIGINT)
               FROM signin_failures WHERE start > ?2",
            &[P::Text(client), P::Int(since)],
            |r| Ok((r.int(0)?, r.int(1)?)),
        )?;
        Ok(own < limit.per_client && all < limit.all_clients)
    }

    /// Count a failed sign-in of `client` at `now`: its window starts at its first failure
    /// and a failure after the window starts a new one; windows that have passed are removed.
    pub fn signin_failed(
        &mut self,
        client: &str,
        now: i64,
        limit: SigninLimit,
    ) -> Result<(), StoreError> {
        let since = now - limit.window_secs;
        let mut tx = self.begin_session_write()?;
        tx.execute(
            "DELETE FROM signin_failures WHERE start <= ?1",
            &[P::Int(since)],
        )?;
        tx.execute(
            "INSERT INTO signin_failures (client, start, failures) VALUES (?1, ?2, 1)
             ON CONFLICT (client) DO UPDATE SET failures = signin_failures.failures + 1",
            &[P::Text(client), P::Int(now)],
        )?;
        tx.commit()
    }
}
