//! Browser sessions and what guards them (issue 12):
//!
//! - Sessions live in the database (`concord_store::sessions`), so every server on it
//!   shares them: a browser signed in through one server is signed in on all (no sticky
//!   sessions behind a load balancer), and signing out or revoking the token ends the
//!   session everywhere at once. A session remembers the token it was opened with; every
//!   request checks that the token is still active. Sessions expire after
//!   [`SESSION_LIFETIME`].
//! - Every state-changing form carries the session's CSRF token (random, compared in
//!   constant time), and a form POST whose `Origin` (or, without it, `Referer`) is another
//!   site is refused. The cookie is `HttpOnly`, `SameSite=Strict`, and `Secure` under TLS.
//! - Sign-in attempts are limited across every server on the database: after
//!   [`MAX_FAILURES`] failures from one client (or [`MAX_FAILURES_ALL`] from all clients)
//!   within [`FAILURE_WINDOW`], every attempt is answered 429 until the window has passed.
//! - Every response carries a Content Security Policy (no inline script, no framing),
//!   `X-Frame-Options`, `X-Content-Type-Options`, `Referrer-Policy`, and under TLS
//!   `Strict-Transport-Security`.

use crate::error::AppError;
use crate::{with_reader, with_store, Shared};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use concord_store::access::Principal;
use concord_store::sessions::SigninLimit;
use std::time::Duration;

/// How long a session lasts at most.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins allowed per client within the window.
pub const MAX_FAILURES: u32 = 5;
/// Failed sign-ins allowed from all clients together within the window.
pub const MAX_FAILURES_ALL: u32 = 100;
/// The window of the sign-in limit.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(600);

const LIMIT: SigninLimit = SigninLimit {
    per_client: MAX_FAILURES as i64,
    all_clients: MAX_FAILURES_ALL as i64,
    window_secs: FAILURE_WINDOW.as_secs() as i64,
};

/// The policy every page gets: scripts only from this server, no plugins, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One browser session.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    /// The id of the token it was opened with.
    pub token: i64,
    /// The CSRF token its forms carry.
    pub csrf: String,
}

/// Seconds since the Unix epoch, the clock sessions and the sign-in limit count by.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A random 256-bit value, as hex.
pub fn random_id() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The session id of a request's cookie.
pub fn session_id(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("concord_session=").map(String::from))
        .filter(|sid| !sid.is_empty())
}

/// The live session of a request: known to the database, not expired, and its token still
/// active. A database that cannot be read counts as no session (the pages then ask to sign
/// in, the forms refuse).
pub async fn live_session(st: &Shared, h: &HeaderMap) -> Option<Session> {
    let sid = session_id(h)?;
    let found = with_reader(st, move |store, _| Ok(store.web_session(&sid, now())?))
        .await
        .inspect_err(|e| tracing::warn!("reading a web session failed: {e:?}"))
        .ok()??;
    Some(Session {
        principal: found.principal,
        token: found.token,
        csrf: found.csrf,
    })
}

/// Open a session for a token's id; returns the cookie to set.
pub async fn open(st: &Shared, token: i64) -> Result<String, AppError> {
    let sid = random_id();
    let sid2 = sid.clone();
    with_store(st, move |store, _| {
        let t = now();
        let lifetime = i64::try_from(SESSION_LIFETIME.as_secs()).unwrap_or(i64::MAX);
        Ok(store.open_session(&sid2, token, &random_id(), t, t.saturating_add(lifetime))?)
    })
    .await?;
    Ok(format!(
        "concord_session={sid}; HttpOnly; SameSite=Strict; Path=/{}",
        if st.tls { "; Secure" } else { "" }
    ))
}

/// End the session of a request's cookie, on every server.
pub async fn close(st: &Shared, h: &HeaderMap) -> Result<(), AppError> {
    let Some(sid) = session_id(h) else {
        return Ok(());
    };
    with_store(st, move |store, _| Ok(store.close_session(&sid)?)).await
}

/// This server's own origin as a browser names it.
fn own_origin(st: &Shared, h: &HeaderMap) -> Option<String> {
    if let Some(u) = &st.public_url {
        let u = u.trim_end_matches('/');
        // scheme://host[:port] of the public URL
        let after = u.find("://").map_or(0, |i| i + 3);
        let end = u[after..].find('/').map_or(u.len(), |i| after + i);
        return Some(u[..end].to_ascii_lowercase());
    }
    let host = h.get(header::HOST)?.to_str().ok()?;
    Some(format!("{}://{host}", if st.tls { "https" } else { "http" }).to_ascii_lowercase())
}

/// A form POST must come from this server's own pages: its `Origin` (or `Referer`) names
/// this server when present, and when the browser has a session, the form carries that
/// session's CSRF token.
pub fn check_form(
    st: &Shared,
    h: &HeaderMap,
    session: Option<&Session>,
    csrf: Option<&str>,
) -> Result<(), AppError> {
    let refused = || AppError::forbidden("this form did not come from this server's own page");
    let origin = h
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            h.get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(|r| {
                    let after = r.find("://").map_or(0, |i| i + 3);
                    let end = r[after..].find('/').map_or(r.len(), |i| after + i);
                    r[..end].to_string()
                })
        });
    if let Some(o) = origin {
        if Some(o.to_ascii_lowercase()) != own_origin(st, h) {
            return Err(refused());
        }
    }
    if let Some(s) = session {
        let given = csrf.unwrap_or("");
        if !constant_time_eq(given.as_bytes(), s.csrf.as_bytes()) {
            return Err(refused());
        }
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client a sign-in attempt comes from (its address when the server knows it).
pub fn client_of(req_ext: &axum::http::Extensions) -> String {
    req_ext
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// Whether a client may try to sign in now (not over the limit, counted over every server).
pub async fn may_try(st: &Shared, client: &str) -> Result<bool, AppError> {
    let client = client.to_string();
    with_reader(st, move |store, _| {
        Ok(store.signin_allowed(&client, now(), LIMIT)?)
    })
    .await
}

/// Count a failed sign-in.
pub async fn failed(st: &Shared, client: &str) -> Result<(), AppError> {
    let client = client.to_string();
    with_store(st, move |store, _| {
        Ok(store.signin_failed(&client, now(), LIMIT)?)
    })
    .await
}

/// The 429 answer while a client is over the sign-in limit.
pub fn too_many() -> Response {
    use axum::response::IntoResponse;
    let mut r = AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many sign-in attempts",
        "too many failed sign-in attempts; wait and try again",
    )
    .into_response();
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(FAILURE_WINDOW.as_secs()),
    );
    r
}

/// Middleware: the security headers on every response.
pub async fn security_headers(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if st.tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    r
}
