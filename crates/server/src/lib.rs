//! # concord-server
//!
//! concord over HTTP: TAXII 2.1 under `/taxii2/`, the JSON API under `/api/v1/` (with an
//! OpenAPI document), authentication by bearer token or HTTP Basic, and marking-based
//! access (DESIGN 8 to 10). Handlers are adapters: the use cases (writes, derived views,
//! correlation, the brief) are `concord_app`'s, shared with the CLI, so both compute the
//! same figures.
//!
//! Invariants:
//! - The only crate with HTTP types. `app(state)` builds the whole router, so tests call it
//!   without a socket.
//! - Every request runs as a principal; every read is filtered by what that principal may
//!   read (objects, pages, aggregates); an unreadable object is a 404, like a missing one.
//! - One error type ([`error::AppError`]): internals are logged, clients get a clean TAXII
//!   error object.
//! - Database work runs on blocking threads; the store sits behind a mutex.
//! - Untrusted input has budgets: body size (early 413), body idle time, request time,
//!   header read time ([`Limits`]), strict JSON, TAXII query size; web sessions end with
//!   their token, forms need a CSRF token and the same origin, every response carries the
//!   security headers ([`session`]). docs/security.md is the threat model.

pub mod api;
pub mod auth;
pub mod cursor;
pub mod error;
pub mod session;
pub mod taxii;
pub mod web;

// the application layer's modules, under their old paths for the handlers
pub use concord_app::{brief, demo, inputs, room, views};

use axum::Router;
use concord_app::positions::{Positions, PositionsError};
use concord_policy::{Alliance, PolicySet};
use concord_store::Store;
use std::sync::{Arc, Mutex, RwLock};

/// Why the server state could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Store(#[from] concord_store::StoreError),
    /// The policy set (the starting texts overlaid with the stored versions) does not check.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Policies(Vec<concord_policy::Diagnostic>),
}

/// Everything a request may need.
#[derive(Debug)]
pub struct AppState {
    pub store: Mutex<Store>,
    pub alliance: Alliance,
    /// The policy set in use: the starting texts overlaid with the versions members saved,
    /// kept in step with the database (another server's save is used by the next request).
    pub policies: RwLock<Positions>,
    /// `serve --demo`: requests without credentials act as the hub, and nothing is written.
    pub demo: bool,
    /// Largest request body accepted (bytes).
    pub max_body: usize,
    /// Served over TLS (discovery then gives https URLs).
    pub tls: bool,
    /// The URL clients reach this server at (`serve --public-url`): TAXII discovery names
    /// it; without it discovery gives paths, never what a client sent as `Host`.
    pub public_url: Option<String>,
    /// Key of the TAXII `next` cursors (random per process; `concord serve` uses the
    /// database's, so that servers sharing a database accept each other's cursors).
    pub cursor_key: [u8; 32],
    /// Extra read-only connections to the same database file (WAL lets them read while
    /// the main connection writes); empty for an in-memory store.
    pub readers: Vec<Mutex<Store>>,
    /// The rift page's figures, charts and harmonisation proposals for one policy set
    /// (keyed by the set's address; recomputed after a policy changes).
    pub rift_cache: Mutex<Option<(usize, serde_json::Value)>>,
    /// Harmonisation proposals per policy set (keyed like `rift_cache`), computed in the
    /// background: `None` while computing.
    pub proposals_cache: Mutex<Option<(usize, Option<Arc<web::Proposals>>)>>,
    /// The key of the policy set whose rift figures are being computed in the background
    /// (0: none), so the home page starts the computation once.
    pub rift_computing: std::sync::atomic::AtomicUsize,
    /// The second forum (the EU with its built-in positions), decided beside the first.
    pub eu: concord_policy::Forum,
    /// Time limits on connections and requests.
    pub limits: Limits,
}

/// Time limits on connections and requests (slow clients are cut off).
#[derive(Debug, Clone)]
pub struct Limits {
    /// The request line and headers must arrive within this.
    pub header_read: std::time::Duration,
    /// A request body may pause at most this long between two pieces.
    pub body_idle: std::time::Duration,
    /// A whole request (body read and handler) must finish within this.
    pub request: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: std::time::Duration::from_secs(10),
            body_idle: std::time::Duration::from_secs(15),
            request: std::time::Duration::from_secs(300),
        }
    }
}

/// The state shared by handlers.
pub type Shared = Arc<AppState>;

impl AppState {
    /// State over a store, with starting policy texts (file name, text); stored policy
    /// versions replace the starting ones of their member.
    pub fn new(
        store: Store,
        alliance: Alliance,
        texts: Vec<(String, String)>,
        demo: bool,
    ) -> Result<AppState, StateError> {
        let policies = Positions::load(texts, &store, &alliance).map_err(|e| match e {
            PositionsError::Store(e) => StateError::Store(e),
            PositionsError::Policies(d) => StateError::Policies(d),
        })?;
        Ok(AppState {
            store: Mutex::new(store),
            alliance,
            policies: RwLock::new(policies),
            demo,
            max_body: 16 * 1024 * 1024,
            tls: false,
            public_url: None,
            cursor_key: {
                use sha2::Digest;
                sha2::Sha256::digest(session::random_id().as_bytes()).into()
            },
            readers: Vec::new(),
            rift_cache: Mutex::new(None),
            proposals_cache: Mutex::new(None),
            rift_computing: std::sync::atomic::AtomicUsize::new(0),
            eu: concord_policy::Forum {
                id: "eu".into(),
                policies: PolicySet::builtin(&Alliance::eu()),
                alliance: Alliance::eu(),
            },
            limits: Limits::default(),
        })
    }

    /// The policies in use (as of the last [`AppState::refresh_policies`]).
    pub fn policies(&self) -> Positions {
        match self.policies.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The current policy set.
    pub fn policy_set(&self) -> Arc<PolicySet> {
        match self.policies.read() {
            Ok(g) => g.set.clone(),
            Err(p) => p.into_inner().set.clone(),
        }
    }

    /// The current policy set with its key for caches of what is computed from it (never
    /// 0, so 0 can mean "none").
    pub fn keyed_policy_set(&self) -> (usize, Arc<PolicySet>) {
        let key = |g: &Positions| (usize::try_from(g.version).unwrap_or(0) + 1, g.set.clone());
        match self.policies.read() {
            Ok(g) => key(&g),
            Err(p) => key(&p.into_inner()),
        }
    }

    /// The key of the current policy set (the latest saved version it includes).
    pub fn policy_version(&self) -> i64 {
        match self.policies.read() {
            Ok(g) => g.version,
            Err(p) => p.into_inner().version,
        }
    }

    /// Bring the policies in line with the database: when a member's policy was saved
    /// since they were loaded (through this server or another on the same database),
    /// reload them. One small query when nothing changed. A stored set that does not check
    /// here (a server started with another alliance) keeps the set in use, and says so.
    pub fn refresh_policies(&self, store: &Store) -> Result<(), concord_store::StoreError> {
        let current = self.policies();
        if !current.stale(store)? {
            return Ok(());
        }
        match current.reload(store, &self.alliance) {
            Ok(fresh) => {
                if let Ok(mut g) = self.policies.write() {
                    // another request may have loaded a newer one meanwhile
                    if fresh.version > g.version {
                        *g = fresh;
                    }
                }
            }
            Err(PositionsError::Store(e)) => return Err(e),
            Err(e) => {
                tracing::error!("the stored policies do not check; keeping the set in use: {e}");
                if let Ok(mut g) = self.policies.write() {
                    g.version = g.version.max(store.policy_version()?);
                }
            }
        }
        Ok(())
    }
}

/// Middleware of the routes that decide (JSON API, web UI): the policies are brought in
/// line with the database before the handler runs, so a position saved through any server
/// decides from the next request on.
async fn fresh_policies(
    axum::extract::State(st): axum::extract::State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Err(e) = with_reader(&st, |store, state| Ok(state.refresh_policies(store)?)).await {
        use axum::response::IntoResponse;
        return e.into_response();
    }
    next.run(req).await
}

/// Run database work on a blocking thread with the store locked.
pub async fn with_store<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&mut Store, &AppState) -> Result<T, error::AppError> + Send + 'static,
) -> Result<T, error::AppError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = state
            .store
            .lock()
            .map_err(|_| error::AppError::internal("the store lock was poisoned"))?;
        f(&mut guard, &state)
    })
    .await
    .map_err(|e| error::AppError::internal(format!("worker failed: {e}")))?
}

/// Run read-only database work on a blocking thread: on a free reader connection when
/// there is one, else on the main connection.
pub async fn with_reader<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&Store, &AppState) -> Result<T, error::AppError> + Send + 'static,
) -> Result<T, error::AppError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        for r in &state.readers {
            if let Ok(guard) = r.try_lock() {
                return f(&guard, &state);
            }
        }
        let guard = state
            .store
            .lock()
            .map_err(|_| error::AppError::internal("the store lock was poisoned"))?;
        f(&guard, &state)
    })
    .await
    .map_err(|e| error::AppError::internal(format!("worker failed: {e}")))?
}

/// The whole HTTP application: the routes, and around them (outermost first) the
/// security headers, the whole-request time limit, the body idle limit (a body that stops
/// arriving ends the request) and the body size limit (a claimed `Content-Length` over it
/// is refused with 413 before anything is read).
pub fn app(state: Shared) -> Router {
    use tower_http::limit::RequestBodyLimitLayer;
    use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
    let limits = state.limits.clone();
    let max_body = state.max_body;
    Router::new()
        .merge(taxii::routes())
        .merge(
            api::routes()
                .merge(web::routes())
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    fresh_policies,
                )),
        )
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(RequestBodyTimeoutLayer::new(limits.body_idle))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            limits.request,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::security_headers,
        ))
        .with_state(state)
}

/// A server over a bound listener, plain or TLS, with the connection limits of the state:
/// headers must arrive within `limits.header_read`.
fn configure<A>(server: &mut axum_server::Server<A>, limits: &Limits) {
    server
        .http_builder()
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_read);
    server
        .http_builder()
        .http2()
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive_interval(limits.header_read)
        .keep_alive_timeout(limits.header_read);
}

/// Stop on Ctrl-C (finishing requests in flight for up to 5 s).
fn stop_on_ctrl_c() -> axum_server::Handle {
    let handle = axum_server::Handle::new();
    let h2 = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        h2.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    handle
}

/// Serve plain HTTP on a bound listener until Ctrl-C.
pub async fn serve_on(state: Shared, listener: std::net::TcpListener) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    let mut server = axum_server::from_tcp(listener);
    configure(&mut server, &state.limits);
    server
        .handle(stop_on_ctrl_c())
        .serve(app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
}

/// Serve on an address until Ctrl-C.
pub async fn serve(state: Shared, addr: std::net::SocketAddr) -> std::io::Result<()> {
    serve_on(state, std::net::TcpListener::bind(addr)?).await
}

/// Serve over TLS (rustls) with a PEM certificate chain and private key, until Ctrl-C.
pub async fn serve_tls(
    state: Shared,
    addr: std::net::SocketAddr,
    cert: &std::path::Path,
    key: &std::path::Path,
) -> std::io::Result<()> {
    // the process-wide crypto provider; a second install is harmless
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await?;
    tracing::info!("listening on https://{addr}");
    let mut server = axum_server::bind_rustls(addr, config);
    configure(&mut server, &state.limits);
    server
        .handle(stop_on_ctrl_c())
        .serve(app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
}
