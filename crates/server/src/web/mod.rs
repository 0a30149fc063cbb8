//! The web dashboard, organised around a council staff officer's question (what can the
//! alliance agree now, what is blocked, by whom and why, what would unblock it):
//! server-rendered pages (minijinja templates compiled into the binary, a few lines of plain
//! JavaScript, no build step). `/` the alliance at a glance (members coloured by how many
//! campaigns hit them, the rift in figures with their meaning, each campaign with a ladder
//! strip); `/campaigns/{id}` decision first (bottom line up front, the ladder, the members'
//! tile map for a rung, the forums side by side, what-if, the evidence timeline with
//! replay), then assessment, attribution and ACH; `/campaigns/{id}/brief` in html, md, pdf
//! and docx; `/rift`; `/policies` (read all, edit your own with inline errors, preview an
//! edit against the case library before saving); `/ingest`; sign-in with a token (session
//! cookie). Under `serve --demo` visitors are the hub, read-only, and every page says the
//! scenario is fictional. See docs/web.md.

use crate::error::AppError;
use crate::{room, session, Shared};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use concord_store::access::Principal;
use minijinja::Environment;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut e = Environment::new();
        for (name, src) in [
            ("base.html", include_str!("../../templates/base.html")),
            ("index.html", include_str!("../../templates/index.html")),
            (
                "campaign.html",
                include_str!("../../templates/campaign.html"),
            ),
            ("rift.html", include_str!("../../templates/rift.html")),
            (
                "policies.html",
                include_str!("../../templates/policies.html"),
            ),
            ("ingest.html", include_str!("../../templates/ingest.html")),
            ("login.html", include_str!("../../templates/login.html")),
        ] {
            if let Err(err) = e.add_template(name, src) {
                tracing::error!("template {name}: {err}");
            }
        }
        e
    })
}

fn render(name: &str, ctx: minijinja::Value) -> Result<Html<String>, AppError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(AppError::internal)
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(index))
        .route("/correlate", post(correlate))
        .route("/campaigns/{id}", get(campaign))
        .route("/campaigns/{id}/brief", get(brief_page))
        .route("/rift", get(rift))
        .route("/policies", get(policies))
        .route("/policies/{member}", post(save_policy))
        .route("/policies/{member}/preview", post(preview_policy))
        .route("/ingest", get(ingest_form).post(ingest))
        .route("/login", get(login_form).post(login))
        .route("/logout", get(logout))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/static/concord.js", get(script))
        .route("/static/concord.css", get(stylesheet))
}

/// The dashboard's only script (no inline script: the CSP allows none).
async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/concord.js"),
    )
        .into_response()
}

/// The dashboard's stylesheet: the page layout and the decision room's graphics.
async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        [include_str!("../../static/concord.css"), room::CSS].concat(),
    )
        .into_response()
}

/// A browser: signed in by a live session, or the read-only hub under `--demo`.
#[derive(Debug, Clone)]
struct Viewer {
    principal: Principal,
    may_write: bool,
    session: Option<session::Session>,
}

async fn viewer(st: &Shared, h: &HeaderMap) -> Option<Viewer> {
    if let Some(s) = session::live_session(st, h).await {
        return Some(Viewer {
            principal: s.principal.clone(),
            may_write: !st.demo,
            session: Some(s),
        });
    }
    st.demo.then_some(Viewer {
        principal: Principal::Hub,
        may_write: false,
        session: None,
    })
}

fn base(st: &Shared, v: Option<&Viewer>) -> Value {
    json!({
        "demo": st.demo,
        "who": v.map(|v| v.principal.name().to_string()),
        "read_only": v.is_some_and(|v| !v.may_write),
        "csrf": v.and_then(|v| v.session.as_ref()).map(|s| s.csrf.clone()),
    })
}

fn merge(mut a: Value, b: Value) -> minijinja::Value {
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        for (k, v) in b {
            a.insert(k.clone(), v.clone());
        }
    }
    minijinja::Value::from_serialize(&a)
}

fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// The start of every form's handling: a signed-in viewer (else the sign-in page, as
/// `Err`) and a valid CSRF token from the same origin.
async fn form_viewer(
    st: &Shared,
    h: &HeaderMap,
    csrf: Option<&str>,
) -> Result<Result<Viewer, Response>, AppError> {
    let Some(v) = viewer(st, h).await else {
        return Ok(Err(to_login()));
    };
    session::check_form(st, h, v.session.as_ref(), csrf)?;
    Ok(Ok(v))
}

mod campaign;
mod home;
mod ingest;
mod policies;
mod rift;
mod signin;

use campaign::*;
use home::*;
use ingest::*;
use policies::*;
use rift::*;
use signin::*;

pub use rift::{warm, Proposals};
