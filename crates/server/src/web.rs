//! The web dashboard: server-rendered pages (minijinja templates compiled into the binary,
//! a few lines of plain JavaScript, no build step). `/` campaigns with their highest adopted
//! rung; `/campaigns/{id}` assessment, attribution with the ACH matrix, stances with the
//! options' full names, a tile map of the members coloured by stance (colour-blind-safe,
//! and spelled out), path to consensus, evidence timeline and replay; `/rift`; `/policies`
//! (read all, edit your own with inline errors); `/ingest`; sign-in with a token (session
//! cookie). Under `serve --demo` visitors are the hub, read-only, and every page says the
//! scenario is fictional.

use crate::error::AppError;
use crate::{brief, session, views, with_reader, with_store, Shared};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use concord_store::access::Principal;
use minijinja::Environment;
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut e = Environment::new();
        for (name, src) in [
            ("base.html", include_str!("../templates/base.html")),
            ("index.html", include_str!("../templates/index.html")),
            ("campaign.html", include_str!("../templates/campaign.html")),
            ("rift.html", include_str!("../templates/rift.html")),
            ("policies.html", include_str!("../templates/policies.html")),
            ("ingest.html", include_str!("../templates/ingest.html")),
            ("login.html", include_str!("../templates/login.html")),
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
        .route("/ingest", get(ingest_form).post(ingest))
        .route("/login", get(login_form).post(login))
        .route("/logout", get(logout))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/static/concord.js", get(script))
}

/// The dashboard's only script (no inline script: the CSP allows none).
async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/concord.js"),
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

async fn index(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    index_page(&st, &v, Value::Null).await
}

/// The campaign list, with the outcome of a correlation when there was one.
async fn index_page(st: &Shared, v: &Viewer, correlated: Value) -> Result<Response, AppError> {
    let p = v.principal.clone();
    let rows = with_reader(st, move |s, state| {
        let policies = state.policy_set();
        let r = s.reader(&p);
        let mut ids = Vec::new();
        r.for_each_latest::<AppError>(&["campaign"], |o| {
            ids.push(o.id);
            Ok(())
        })?;
        let kb = views::knowledge_base(&r)?;
        let mut rows = Vec::new();
        for id in ids {
            // a campaign that cannot be assessed (no readable incidents) is not listed
            let Ok((a, _, d)) = views::decision_with(
                &r,
                &kb,
                &id,
                &Default::default(),
                &state.alliance,
                &policies,
            ) else {
                continue;
            };
            let highest = d.options.iter().rev().find(|o| o.adopted).map(|o| o.option.clone());
            rows.push(json!({"id": id, "name": a.name.unwrap_or_else(|| id.clone()),
                "incidents": a.incidents.len(), "victims": a.victims, "severity": a.severity.level,
                "score": a.severity.score, "attribution": a.attribution.level, "state": a.attribution.state,
                "attribution_statement": a.attribution.statement,
                "highest": highest}));
        }
        Ok(rows)
    })
    .await?;
    Ok(render(
        "index.html",
        merge(
            base(st, Some(v)),
            json!({"campaigns": rows, "correlated": correlated}),
        ),
    )?
    .into_response())
}

#[derive(Debug, serde::Deserialize)]
struct CorrelateForm {
    csrf: Option<String>,
}

/// The correlate action: incidents the viewer may read grouped into campaigns and stored
/// as concord's (a read-only viewer gets a preview that stores nothing); then the list.
async fn correlate(
    State(st): State<Shared>,
    h: HeaderMap,
    Form(f): Form<CorrelateForm>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    session::check_form(&st, &h, v.session.as_ref(), f.csrf.as_deref())?;
    let req = crate::api::CorrelateRequest {
        dry_run: !v.may_write,
        ..Default::default()
    };
    let c = crate::api::run_correlation(&st, &v.principal, v.may_write, &req).await?;
    let summary = match c.stored {
        Some((changed, same)) => format!(
            "{} incident(s) you may read, {} campaign(s); stored {changed} new or changed object(s), {same} unchanged.",
            c.incidents,
            c.campaigns.len()
        ),
        None => format!(
            "{} incident(s) you may read, {} campaign(s); read-only: nothing stored.",
            c.incidents,
            c.campaigns.len()
        ),
    };
    index_page(
        &st,
        &v,
        json!({"summary": summary, "campaigns": c.campaigns}),
    )
    .await
}

#[derive(Debug, serde::Deserialize)]
struct RungQuery {
    rung: Option<String>,
}

async fn campaign(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<RungQuery>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let p = v.principal.clone();
    let data = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        let r = s.reader(&p);
        let kb = views::knowledge_base(&r)?;
        let (a, attr, d) = views::decision_with(
            &r,
            &kb,
            &id,
            &Default::default(),
            &state.alliance,
            &policies,
        )?;
        let replay = views::replay_with(&r, &kb, &id, &state.alliance, &policies)?;
        Ok((
            a,
            attr,
            d,
            replay,
            state
                .alliance
                .members
                .iter()
                .map(|m| m.code.clone())
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let (a, attr, d, replay, members) = data;
    let highest = d
        .options
        .iter()
        .rev()
        .find(|o| o.adopted)
        .map(|o| o.option.clone());
    // the rung shown on the map: asked for, else the first one not adopted, else the top
    let rung = q
        .rung
        .filter(|r| d.options.iter().any(|o| &o.id == r))
        .or_else(|| d.options.iter().find(|o| !o.adopted).map(|o| o.id.clone()))
        .or_else(|| d.options.last().map(|o| o.id.clone()))
        .unwrap_or_default();
    let tiles: Vec<Value> = match d.options.iter().find(|o| o.id == rung) {
        Some(o) => members
            .iter()
            .map(|m| {
                let (s, word) = if o.support.contains(m) {
                    ("S", "supports")
                } else if o.block.contains(m) {
                    ("B", "blocks")
                } else {
                    ("A", "abstains")
                };
                json!({"code": m, "s": s, "word": word, "why": o.why.get(m).cloned().unwrap_or_default()})
            })
            .collect(),
        None => Vec::new(),
    };
    let sum = concord_policy::explain::summary(&st.alliance, &d);
    let eu = concord_policy::decide(&st.eu.alliance, &st.eu.policies, &d.vector);
    let eu_sum = concord_policy::explain::summary(&st.eu.alliance, &eu);
    let forums = json!([
        {"name": st.alliance.name, "sum": sum, "d": d},
        {"name": st.eu.alliance.name, "sum": eu_sum, "d": eu, "policies": st.eu.policies.origin},
    ]);
    let policies = st.policy_set();
    // the adversary's view: the cheapest way to keep the highest adopted rung from adoption,
    // and every single change that flips a rung
    let adversary = d.highest_adopted.as_ref().and_then(|top| {
        concord_policy::whatif::cheapest_move(&st.alliance, &policies, &d.vector, top, 50_000).ok()
    });
    let flips = concord_policy::whatif::sensitivity(&st.alliance, &policies, &d.vector);
    let ctx = json!({"a": a, "attr": attr, "d": d, "sum": sum, "forums": forums, "policies": policies.origin, "highest": highest, "rung": rung, "tiles": tiles, "replay": replay, "adversary": adversary, "flips": flips});
    Ok(render("campaign.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

async fn brief_page(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let p = v.principal.clone();
    let demo = st.demo;
    let page = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        let (a, attr, d) = views::decision(
            &s.reader(&p),
            &id,
            &Default::default(),
            &state.alliance,
            &policies,
        )?;
        let eu = concord_policy::decide(&state.eu.alliance, &state.eu.policies, &d.vector);
        Ok(brief::html(&brief::BriefInput {
            assessment: &a,
            attribution: attr.as_ref(),
            decision: &d,
            alliance: &state.alliance,
            policies: &policies.origin,
            also: vec![brief::ForumDecision {
                alliance: &state.eu.alliance,
                decision: &eu,
                policies: &state.eu.policies.origin,
            }],
            fictional: demo,
        }))
    })
    .await?;
    Ok(Html(page).into_response())
}

/// Ranked single edits of one policy set, each with the set it makes.
pub type Proposals = Vec<(
    concord_rift::harmonise::Proposal,
    concord_policy::Alliance,
    concord_policy::PolicySet,
)>;

#[derive(Debug, serde::Deserialize)]
struct RiftQuery {
    /// Show the figures with the n-th proposal applied (1-based), without saving.
    apply: Option<usize>,
    /// The rung of the safe-harbour map.
    rung: Option<String>,
}

/// The rift figures and charts of a set, as the page shows them.
fn rift_doc(
    alliance: &concord_policy::Alliance,
    policies: &concord_policy::PolicySet,
    stamp_name: &str,
) -> Result<Value, AppError> {
    let weights = concord_rift::Weights::uniform(alliance.members.len());
    let metrics = concord_rift::rift(alliance, policies, &weights);
    let dir = tempfile::tempdir().map_err(AppError::internal)?;
    let stamp = concord_rift::svg::Stamp {
        policy_set: stamp_name.to_string(),
        illustrative: policies.origin.illustrative,
        date: concord_stix::timestamp::now().chars().take(10).collect(),
    };
    let files = concord_rift::svg::write_all(dir.path(), alliance, &metrics, &stamp)
        .map_err(AppError::internal)?;
    let charts: Vec<Value> = files
        .iter()
        .filter_map(|f| {
            let svg = std::fs::read_to_string(f).ok()?;
            let svg = svg
                .find("<svg")
                .map_or(svg.as_str(), |i| &svg[i..])
                .to_string();
            Some(json!({"name": f.file_stem()?.to_string_lossy(), "svg": svg}))
        })
        .collect();
    let mut doc = concord_rift::to_json(&metrics);
    if let Some(opts) = doc["options"].as_array_mut() {
        for (o, rung) in opts.iter_mut().zip(&alliance.ladder) {
            o["option"] = json!(rung.option);
            let mut piv: Vec<(String, u64)> = o["pivotal"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default();
            piv.sort_by_key(|x| std::cmp::Reverse(x.1));
            o["pivotal"] = json!(piv
                .iter()
                .take(3)
                .map(|(k, n)| format!("{k} ({n})"))
                .collect::<Vec<_>>()
                .join(", "));
        }
    }
    let harbours = concord_rift::engine::Engine::new(alliance, policies).safe_harbours();
    Ok(json!({"m": doc, "charts": charts,
              "harbours": concord_rift::harbours_json(alliance, &harbours)}))
}

/// The proposals of the current set: ready, or started in the background (`None`).
fn proposals(st: &Shared) -> Option<Arc<Proposals>> {
    let policies = st.policy_set();
    let key = Arc::as_ptr(&policies) as usize;
    let mut cache = st.proposals_cache.lock().ok()?;
    match cache.as_ref() {
        Some((k, ready)) if *k == key => return ready.clone(),
        _ => {}
    }
    *cache = Some((key, None));
    let st2 = st.clone();
    std::thread::spawn(move || {
        let w = concord_rift::Weights::uniform(st2.alliance.members.len());
        let ranked = concord_rift::harmonise::ranked_proposals(&st2.alliance, &policies, &w, 5);
        if let Ok(mut c) = st2.proposals_cache.lock() {
            if c.as_ref().is_some_and(|(k, _)| *k == key) {
                *c = Some((key, Some(Arc::new(ranked))));
            }
        }
    });
    None
}

async fn rift(
    State(st): State<Shared>,
    h: HeaderMap,
    Query(q): Query<RiftQuery>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let st2 = st.clone();
    let ctx = tokio::task::spawn_blocking(move || -> Result<Value, AppError> {
        let policies = st2.policy_set();
        let key = Arc::as_ptr(&policies) as usize;
        let cached = st2
            .rift_cache
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v);
        let mut doc = match cached {
            Some(v) => v,
            None => {
                let v = rift_doc(&st2.alliance, &policies, &policies.origin.name)?;
                if let Ok(mut c) = st2.rift_cache.lock() {
                    *c = Some((key, v.clone()));
                }
                v
            }
        };
        let ranked = proposals(&st2);
        doc["computing"] = json!(ranked.is_none());
        if let Some(r) = &ranked {
            doc["proposals"] = json!(r.iter().map(|(p, _, _)| p).collect::<Vec<_>>());
            if let Some((p, a2, p2)) = q
                .apply
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| r.get(i))
            {
                let name = format!(
                    "{} with proposal {} applied (not saved)",
                    policies.origin.name,
                    q.apply.unwrap_or(0)
                );
                let mut what_if = rift_doc(a2, p2, &name)?;
                what_if["proposal"] = json!(p);
                what_if["n"] = json!(q.apply);
                doc["what_if"] = what_if;
            }
        }
        let rung = q
            .rung
            .filter(|r| st2.alliance.rung_index(r).is_some())
            .unwrap_or_else(|| "countermeasures".to_string());
        doc["rung"] = json!(rung);
        doc["ladder"] = json!(st2
            .alliance
            .ladder
            .iter()
            .map(|r| json!({"id": r.id, "option": r.option}))
            .collect::<Vec<_>>());
        doc["actors"] = json!(concord_policy::vocab::ACTOR
            .iter()
            .rev()
            .collect::<Vec<_>>());
        doc["effects"] = json!(concord_policy::vocab::EFFECTS);
        doc["levels"] = json!(concord_policy::vocab::ATTRIBUTION);
        Ok(doc)
    })
    .await
    .map_err(AppError::internal)??;
    Ok(render("rift.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

fn policy_list(st: &Shared) -> Vec<Value> {
    let texts = match st.policies.read() {
        Ok(g) => g.0.clone(),
        Err(p) => p.into_inner().0.clone(),
    };
    texts
        .into_iter()
        .map(|(f, t)| json!({"member": f.trim_end_matches(".toml"), "text": t}))
        .collect()
}

fn own_member(v: &Viewer) -> Option<String> {
    match (&v.principal, v.may_write) {
        (Principal::Member(m), true) => Some(m.clone()),
        _ => None,
    }
}

async fn policies(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let list = policy_list(&st);
    let own = own_member(&v);
    let own_text = own.as_ref().and_then(|m| {
        list.iter()
            .find(|p| p["member"] == m.as_str())
            .map(|p| p["text"].clone())
    });
    let ctx = json!({"policies": list, "editable": own, "own_text": own_text, "errors": [], "message": null});
    Ok(render("policies.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct PolicyForm {
    text: String,
    csrf: Option<String>,
}

async fn save_policy(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(member): Path<String>,
    Form(f): Form<PolicyForm>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    session::check_form(&st, &h, v.session.as_ref(), f.csrf.as_deref())?;
    if own_member(&v).as_deref() != Some(member.as_str()) {
        return Err(AppError::forbidden(format!(
            "only {member} may change {member}'s policy"
        )));
    }
    let text = f.text.replace("\r\n", "\n");
    let (errors, message) = match crate::api::save_policy(&st, &v.principal, &member, &text).await?
    {
        Ok(()) => (
            Vec::new(),
            Some(format!(
                "{member}'s policy was checked and saved; decisions use it from now on."
            )),
        ),
        Err(diags) => (diags, None),
    };
    let list = policy_list(&st);
    let ctx = json!({"policies": list, "editable": member, "own_text": text, "errors": errors, "message": message});
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        render("policies.html", merge(base(&st, Some(&v)), ctx))?,
    )
        .into_response())
}

async fn ingest_form(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let ctx = json!({"report": null, "may_write": v.may_write});
    Ok(render("ingest.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct IngestForm {
    bundle: String,
    csrf: Option<String>,
}

async fn ingest(
    State(st): State<Shared>,
    h: HeaderMap,
    Form(f): Form<IngestForm>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    session::check_form(&st, &h, v.session.as_ref(), f.csrf.as_deref())?;
    let p = v.principal.clone();
    let may_write = v.may_write;
    let report = with_store(&st, move |s, _| {
        use concord_app::submit::{check, submit, Atomicity, Input, Submission};
        let input = Input::Document { text: &f.bundle, name: "upload" };
        let opts = concord_stix::Options::default();
        // a read-only session validates and stores nothing
        let done = if may_write {
            submit(s, Submission { input, options: &opts, submitter: &p, source: "web upload", atomicity: Atomicity::Whole })
        } else {
            check(input, &opts)
        };
        let done = match done {
            Ok(d) => d,
            Err(concord_app::Error::Unusable(e)) => return Ok(json!({"valid": false, "summary": format!("not usable: {e}"), "errors": [], "warnings": []})),
            Err(e) => return Err(e.into()),
        };
        let warnings = &done.report.warnings;
        let n = done.objects;
        if !done.report.is_valid() {
            let errors = &done.report.errors;
            return Ok(json!({"valid": false, "summary": format!("{n} object(s); {} error(s): nothing stored", errors.len()), "errors": errors, "warnings": warnings}));
        }
        if !may_write {
            return Ok(json!({"valid": true, "summary": format!("{n} object(s), valid; read-only session: nothing stored"), "errors": [], "warnings": warnings}));
        }
        if done.is_stored() {
            Ok(json!({"valid": true, "summary": format!("{n} object(s), valid: {} stored, {} already stored", done.summary.stored, done.summary.duplicates), "errors": [], "warnings": warnings}))
        } else {
            Ok(json!({"valid": false, "summary": "refused by the store: nothing stored", "errors": done.errors(), "warnings": warnings}))
        }
    })
    .await?;
    let ctx = json!({"report": report, "may_write": may_write});
    Ok(render("ingest.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

async fn login_form(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let v = viewer(&st, &h).await;
    Ok(render(
        "login.html",
        merge(base(&st, v.as_ref()), json!({"error": null})),
    )?
    .into_response())
}

#[derive(Debug, serde::Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(
    State(st): State<Shared>,
    h: HeaderMap,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    session::check_form(&st, &h, None, None)?;
    let client = session::client_of(&ext);
    if !session::may_try(&st, &client) {
        return Ok(session::too_many());
    }
    let token = f.token.trim().to_string();
    let found = with_reader(&st, move |s, _| Ok(s.authenticate_with_id(&token)?)).await?;
    let Some((token_id, p)) = found else {
        session::failed(&st, &client);
        let ctx = merge(
            base(&st, None),
            json!({"error": "That token is not valid (or was revoked)."}),
        );
        return Ok((StatusCode::UNAUTHORIZED, render("login.html", ctx)?).into_response());
    };
    let cookie = session::open(&st, p, token_id);
    let mut r = Redirect::to("/").into_response();
    if let Ok(c) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(r)
}

async fn logout(State(st): State<Shared>, h: HeaderMap) -> Response {
    if let Some(sid) = session::session_id(&h) {
        if let Ok(mut s) = st.sessions.open.lock() {
            s.remove(&sid);
        }
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("concord_session=; Max-Age=0; Path=/"),
    );
    r
}
