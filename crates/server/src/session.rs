//! Browser sessions and what guards them (issue 12):
//!
//! - A session remembers the token it was opened with; every request checks that the token
//!   is still active, so revoking a token ends its sessions at once. Sessions also expire
//!   after [`SESSION_LIFETIME`].
//! - Every state-changing form carries the session's CSRF token (random, compared in
//!   constant time), and a form POST whose `Origin` (or, without it, `Referer`) is another
//!   site is refused. The cookie is `HttpOnly`, `SameSite=Strict`, and `Secure` under TLS.
//! - Sign-in attempts are limited: after [`MAX_FAILURES`] failures from one client (or
//!   [`MAX_FAILURES_ALL`] from all clients) within [`FAILURE_WINDOW`], every attempt is
//!   answered 429 until the window has passed.
//! - Every response carries a Content Security Policy (no inline script, no framing),
//!   `X-Frame-Options`, `X-Content-Type-Options`, `Referrer-Policy`, and under TLS
//!   `Strict-Transport-Security`.

use crate::error::AppError;
use crate::Shared;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use concord_store::access::Principal;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a session lasts at most.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins allowed per client within the window.
pub const MAX_FAILURES: u32 = 5;
/// Failed sign-ins allowed from all clients together within the window.
pub const MAX_FAILURES_ALL: u32 = 100;
/// The window of the sign-in limit.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(600);

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
    pub opened: Instant,
}

/// Sessions (in memory: a restart signs everyone out) and the sign-in failure counts.
#[derive(Debug, Default)]
pub struct Sessions {
    pub open: std::sync::Mutex<HashMap<String, Session>>,
    /// client -> (window start, failures)
    failures: std::sync::Mutex<HashMap<String, (Instant, u32)>>,
}

/// A random 256-bit value, as hex.
pub fn random_id() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn cookie_session(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("concord_session=").map(String::from))
}

/// The session id of a request's cookie.
pub fn session_id(h: &HeaderMap) -> Option<String> {
    cookie_session(h)
}

/// The live session of a request: known, not expired, and its token still active (a
/// revoked or expired one is dropped).
pub async fn live_session(st: &Shared, h: &HeaderMap) -> Option<Session> {
    let sid = cookie_session(h)?;
    let s = st.sessions.open.lock().ok()?.get(&sid).cloned()?;
    let token = s.token;
    let active = s.opened.elapsed() < SESSION_LIFETIME
        && crate::with_reader(st, move |store, _| Ok(store.token_active(token)?))
            .await
            .unwrap_or(false);
    if active {
        Some(s)
    } else {
        if let Ok(mut open) = st.sessions.open.lock() {
            open.remove(&sid);
        }
        None
    }
}

/// Open a session for a principal and its token id; returns the cookie value.
pub fn open(st: &Shared, principal: Principal, token: i64) -> String {
    let sid = random_id();
    if let Ok(mut s) = st.sessions.open.lock() {
        let now = Instant::now();
        s.retain(|_, x| now.duration_since(x.opened) < SESSION_LIFETIME);
        s.insert(
            sid.clone(),
            Session {
                principal,
                token,
                csrf: random_id(),
                opened: now,
            },
        );
    }
    format!(
        "concord_session={sid}; HttpOnly; SameSite=Strict; Path=/{}",
        if st.tls { "; Secure" } else { "" }
    )
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

/// Whether a client may try to sign in now (not over the limit).
pub fn may_try(st: &Shared, client: &str) -> bool {
    let Ok(mut f) = st.sessions.failures.lock() else {
        return false;
    };
    let now = Instant::now();
    f.retain(|_, (start, _)| now.duration_since(*start) < FAILURE_WINDOW);
    let all: u32 = f.values().map(|(_, n)| *n).sum();
    f.get(client).is_none_or(|(_, n)| *n < MAX_FAILURES) && all < MAX_FAILURES_ALL
}

/// Count a failed sign-in.
pub fn failed(st: &Shared, client: &str) {
    if let Ok(mut f) = st.sessions.failures.lock() {
        let e = f.entry(client.to_string()).or_insert((Instant::now(), 0));
        e.1 += 1;
    }
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
