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
use crate::{brief, inputs, room, session, views, with_reader, with_store, AppState, Shared};
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
        include_str!("../static/concord.js"),
    )
        .into_response()
}

/// The dashboard's stylesheet: the page layout and the decision room's graphics.
async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        [include_str!("../static/concord.css"), room::CSS].concat(),
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
    let (mut rows, hits) = with_reader(st, move |s, state| {
        let policies = state.policy_set();
        let r = s.reader(&p);
        let mut ids = Vec::new();
        r.for_each_latest::<AppError>(&["campaign"], |o| {
            ids.push(o.id);
            Ok(())
        })?;
        let kb = views::knowledge_base(&r)?;
        let mut rows = Vec::new();
        let mut hits: std::collections::BTreeMap<String, Vec<String>> = Default::default();
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
            let name = a.name.clone().unwrap_or_else(|| id.clone());
            for m in &a.victims {
                hits.entry(m.clone()).or_default().push(name.clone());
            }
            let highest = d.options.iter().rev().find(|o| o.adopted).map(|o| o.option.clone());
            let cells = room::ladder(&state.alliance, &d);
            let blocked: Vec<String> = cells
                .iter()
                .filter(|c| c.state == "blocked")
                .map(|c| format!("{} by {}", c.id, c.blockers.join(", ")))
                .collect();
            let ladder = room::ladder_html(
                &cells,
                &format!("the ladder for {name}, lowest rung first"),
                Some(&format!("/campaigns/{id}?")),
                true,
                None,
            );
            rows.push(json!({"id": id, "name": name,
                "incidents": a.incidents.len(), "victims": a.victims, "severity": a.severity.level,
                "score": a.severity.score, "attribution": a.attribution.level, "state": a.attribution.state,
                "attribution_statement": a.attribution.statement,
                "highest": highest, "blocked": blocked, "ladder": ladder}));
        }
        Ok((rows, hits))
    })
    .await?;
    // the most severe first
    rows.sort_by(|a, b| {
        b["score"]
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&a["score"].as_f64().unwrap_or(0.0))
    });
    let map = room::tiles_html(
        &room::campaign_map(&st.alliance, &hits),
        "members coloured by how many campaigns hit them, laid out like the map",
    );
    let hit = hits.len();
    let rift = rift_ready(st).map(|doc| headline(&doc));
    let policies = st.policy_set();
    Ok(render(
        "index.html",
        merge(
            base(st, Some(v)),
            json!({"page": "home", "campaigns": rows, "map": map, "hit": hit,
                   "members": st.alliance.members.len(), "alliance": st.alliance.name,
                   "rift": rift, "policies": policies.origin, "correlated": correlated}),
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
    let v = match form_viewer(&st, &h, f.csrf.as_deref()).await? {
        Ok(v) => v,
        Err(login) => return Ok(login),
    };
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

/// The rift in four figures, each with what it means.
fn headline(doc: &Value) -> Value {
    let m = &doc["m"];
    let opts = m["options"].as_array().cloned().unwrap_or_default();
    let by = |k: &str| {
        opts.iter()
            .max_by(|a, b| {
                a[k].as_f64()
                    .unwrap_or(0.0)
                    .total_cmp(&b[k].as_f64().unwrap_or(0.0))
            })
            .cloned()
            .unwrap_or(Value::Null)
    };
    json!({
        "cells": m["cells"],
        "rift_index": m["rift_index"],
        "veto_index": m["veto_index"],
        "widest": by("rift_index"),
        "unmet": by("victim_unmet"),
        "stamp": doc["stamp"],
    })
}

/// The campaign page's query: the rung shown on the map, and what-if changes.
#[derive(Debug, Default, serde::Deserialize)]
struct CampaignQuery {
    rung: Option<String>,
    #[serde(flatten)]
    what_if: room::WhatIfQuery,
}

/// The what-if fields as a query string (to keep them when choosing another rung).
fn what_if_query(q: &room::WhatIfQuery) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    [
        ("severity", &q.severity),
        ("attribution", &q.attribution),
        ("effects", &q.effects),
        ("actor", &q.actor),
        ("victims", &q.victims),
        ("pos_member", &q.pos_member),
        ("pos_rung", &q.pos_rung),
        ("pos_stance", &q.pos_stance),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|x| !x.trim().is_empty())
            .map(|x| format!("{k}={}", utf8_percent_encode(x, NON_ALPHANUMERIC)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

fn words(v: &concord_policy::Vector) -> Value {
    use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
    fn w(list: &'static [&'static str], i: u8) -> &'static str {
        list.get(usize::from(i)).copied().unwrap_or("?")
    }
    json!({
        "severity": w(SEVERITY, v.severity),
        "attribution": w(ATTRIBUTION, v.attribution),
        "effects": w(EFFECTS, v.effects),
        "actor": w(ACTOR, v.actor),
        "victims": v.victims.iter().cloned().collect::<Vec<_>>().join(", "),
    })
}

async fn campaign(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<CampaignQuery>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let p = v.principal.clone();
    let ctx = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        let r = s.reader(&p);
        let kb = views::knowledge_base(&r)?;
        let (a, attr, d0) = views::decision_with(
            &r,
            &kb,
            &id,
            &Default::default(),
            &state.alliance,
            &policies,
        )?;
        let replay = views::replay_with(&r, &kb, &id, &state.alliance, &policies)?;
        let inputs = inputs::inputs(&r, &id)?;
        Ok(campaign_ctx(
            state,
            &policies,
            &a,
            attr.as_ref(),
            d0,
            &replay,
            &inputs,
            &q,
        ))
    })
    .await?;
    Ok(render("campaign.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

/// States the campaign page's adversary search may evaluate. Typical answers take well
/// under a hundred (the demo's: 2 to 56); a rung no attacker move can avoid ends the search
/// at this budget, so it bounds the page's time. `concord adversary --budget` goes further.
const ADVERSARY_BUDGET: usize = 1_000;

/// Everything the campaign page shows, decision first.
#[allow(clippy::too_many_arguments)]
fn campaign_ctx(
    state: &AppState,
    policies: &concord_policy::PolicySet,
    a: &concord_assess::Assessment,
    attr: Option<&concord_assess::attribution::Attribution>,
    d0: concord_policy::Decision,
    replay: &concord_rift::replay::Replay,
    inputs: &inputs::Inputs,
    q: &CampaignQuery,
) -> Value {
    use concord_policy::{explain, whatif};
    let al = &state.alliance;
    let wi = (!q.what_if.is_empty()).then(|| room::what_if(al, policies, &d0.vector, &q.what_if));
    let set = wi
        .as_ref()
        .and_then(|w| w.policies.as_ref())
        .unwrap_or(policies);
    let d = match &wi {
        Some(w) => concord_policy::decide(al, set, &w.vector),
        None => d0.clone(),
    };
    let sum = explain::summary(al, &d);
    let flips = whatif::sensitivity(al, set, &d.vector);
    let bluf = room::bluf(al, &d, &sum, &flips);
    // the rung shown on the map: asked for, else the first blocked one, else the next step,
    // else the top
    let rung = q
        .rung
        .clone()
        .filter(|r| d.options.iter().any(|o| &o.id == r))
        .or_else(|| bluf.blocked.first().map(|h| h.id.clone()))
        .or_else(|| d.options.iter().find(|o| !o.adopted).map(|o| o.id.clone()))
        .or_else(|| d.options.last().map(|o| o.id.clone()))
        .unwrap_or_default();
    let qs = what_if_query(&q.what_if);
    let prefix = if qs.is_empty() {
        "?".to_string()
    } else {
        format!("?{qs}&")
    };
    let cells = room::ladder(al, &d);
    let ladder = room::ladder_html(
        &cells,
        "the ladder, lowest rung first; choose a rung to see the members on the map",
        Some(&prefix),
        false,
        Some(&rung),
    );
    let (map, stances) = match d.option(&rung) {
        Some(o) => (
            room::tiles_html(
                &room::stance_map(al, o),
                &format!("members' stances on {}, laid out like the map", o.option),
            ),
            json!({
                "id": o.id, "option": o.option,
                "support": o.support, "abstain": o.abstain,
                "block": o.block.iter().map(|m| json!({
                    "member": m,
                    "reasons": o.reasons.get(m).map(|r| r.words()).unwrap_or_default(),
                    "why": o.why.get(m)})).collect::<Vec<_>>(),
                "why": o.why,
            }),
        ),
        None => (String::new(), Value::Null),
    };
    let eu = concord_policy::decide(&state.eu.alliance, &state.eu.policies, &d.vector);
    let forum = |alliance: &concord_policy::Alliance,
                 d: &concord_policy::Decision,
                 origin: &concord_policy::Origin| {
        json!({
            "name": alliance.name,
            "sum": explain::summary(alliance, d),
            "policies": origin,
            "ladder": room::ladder_html(
                &room::ladder(alliance, d),
                &format!("the {} ladder, lowest rung first", alliance.name),
                None,
                true,
                None,
            ),
        })
    };
    let forums = json!([
        forum(al, &d, &set.origin),
        forum(&state.eu.alliance, &eu, &state.eu.policies.origin),
    ]);
    // the adversary's view: the cheapest way to keep the highest adopted rung from adoption
    // (a budget that keeps the page fast; `concord adversary --budget` searches further)
    let (adversary, adversary_error) = match d
        .highest_adopted
        .as_ref()
        .map(|top| whatif::cheapest_move(al, set, &d.vector, top, ADVERSARY_BUDGET))
    {
        Some(Ok(m)) => (Some(m), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, None),
    };
    let what_if = wi.as_ref().map(|w| {
        json!({"changes": w.changes, "errors": w.errors,
               "rungs": room::changed_rungs(&d0, &d)})
    });
    use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
    let form = json!({
        "severity": SEVERITY, "attribution": ATTRIBUTION, "effects": EFFECTS, "actor": ACTOR,
        "members": al.members.iter().map(|m| json!({"code": m.code, "name": m.name})).collect::<Vec<_>>(),
        "ladder": al.ladder.iter().map(|r| json!({"id": r.id, "option": r.option})).collect::<Vec<_>>(),
        "now": words(&d.vector),
        "assessed": words(&d0.vector),
        "q": q.what_if,
    });
    json!({
        "page": "campaign",
        "a": a, "attr": attr, "d": d, "sum": sum, "bluf": bluf,
        "ladder": ladder, "map": map, "stances": stances, "rung": rung,
        "forums": forums, "policies": set.origin,
        "what_if": what_if, "form": form, "qs": qs,
        "adversary": adversary, "adversary_error": adversary_error,
        "adversary_budget": ADVERSARY_BUDGET, "flips": flips,
        "replay": replay, "grid": room::replay_grid(replay),
        "tlp": inputs.tlp, "tlp_banner": inputs.banner(), "n_inputs": inputs.items.len(),
    })
}

#[derive(Debug, serde::Deserialize)]
struct BriefQuery {
    format: Option<String>,
}

async fn brief_page(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<BriefQuery>,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let format = q.format.unwrap_or_else(|| "html".into());
    if !["html", "md", "pdf", "docx"].contains(&format.as_str()) {
        return Err(AppError::bad_request(format!(
            "format: '{format}' is not one of html, md, pdf, docx"
        )));
    }
    let p = v.principal.clone();
    let demo = st.demo;
    let file = format!(
        "brief-{}",
        id.split("--")
            .nth(1)
            .unwrap_or("case")
            .get(..8)
            .unwrap_or("case")
    );
    let body = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        let now = concord_stix::timestamp::now();
        let doc = brief::from_store(
            &s.reader(&p),
            &id,
            &state.alliance,
            &policies,
            &[&state.eu],
            demo,
            &now,
        )?;
        let out: Vec<u8> = match format.as_str() {
            "md" => brief::markdown(&doc).into_bytes(),
            "docx" => brief::docx(&doc).map_err(AppError::internal)?,
            "pdf" => match brief::pdf(&brief::html(&doc)) {
                Ok(b) => b,
                Err(e @ brief::BriefError::NoChromium) => {
                    return Err(AppError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "No PDF printer",
                        e.to_string(),
                    ))
                }
                Err(e) => return Err(AppError::internal(e)),
            },
            _ => brief::html(&doc).into_bytes(),
        };
        Ok((format, out))
    })
    .await?;
    let (format, bytes) = body;
    let (ctype, disposition) = match format.as_str() {
        "md" => (
            "text/markdown; charset=utf-8",
            format!("inline; filename=\"{file}.md\""),
        ),
        "pdf" => (
            "application/pdf",
            format!("inline; filename=\"{file}.pdf\""),
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("attachment; filename=\"{file}.docx\""),
        ),
        _ => ("text/html; charset=utf-8", "inline".to_string()),
    };
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(d) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, d);
    }
    Ok(r)
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
    let files = concord_rift::svg::write_charts(dir.path(), alliance, &metrics, &stamp)
        .map_err(AppError::internal)?;
    let charts: Vec<Value> = files
        .iter()
        .filter_map(|c| {
            let svg = std::fs::read_to_string(&c.path).ok()?;
            let svg = svg
                .find("<svg")
                .map_or(svg.as_str(), |i| &svg[i..])
                .to_string();
            Some(
                json!({"name": c.path.file_stem()?.to_string_lossy(), "svg": svg,
                        "title": c.title, "caption": c.caption, "stamp": c.stamp}),
            )
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
    Ok(json!({"m": doc, "charts": charts, "stamp": stamp.line(),
              "harbours": concord_rift::harbours_json(alliance, &harbours)}))
}

/// The rift figures and charts of the current set: from the cache, else computed now (and
/// cached).
fn rift_now(st: &Shared) -> Result<Value, AppError> {
    let (key, policies) = st.keyed_policy_set();
    if let Some(v) = cached_rift(st, key) {
        return Ok(v);
    }
    let v = rift_doc(&st.alliance, &policies, &policies.origin.name)?;
    if let Ok(mut c) = st.rift_cache.lock() {
        *c = Some((key, v.clone()));
    }
    Ok(v)
}

fn cached_rift(st: &Shared, key: usize) -> Option<Value> {
    st.rift_cache
        .lock()
        .ok()
        .and_then(|c| c.clone())
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The rift figures of the current set if they are ready; otherwise start computing them in
/// the background (once per set) and return `None`.
fn rift_ready(st: &Shared) -> Option<Value> {
    let (key, _) = st.keyed_policy_set();
    if let Some(v) = cached_rift(st, key) {
        return Some(v);
    }
    warm(st);
    None
}

/// Compute the rift figures of the current set in the background, unless they are ready
/// or being computed (`serve` calls this at start, so the first page is fast).
pub fn warm(st: &Shared) {
    use std::sync::atomic::Ordering;
    let (key, _) = st.keyed_policy_set();
    if cached_rift(st, key).is_some() || st.rift_computing.swap(key, Ordering::SeqCst) == key {
        return;
    }
    let st2 = st.clone();
    std::thread::spawn(move || {
        if let Err(e) = rift_now(&st2) {
            tracing::error!("computing the rift failed: {e:?}");
        }
        let _ = st2
            .rift_computing
            .compare_exchange(key, 0, Ordering::SeqCst, Ordering::SeqCst);
    });
}

/// The proposals of the current set: ready, or started in the background (`None`).
fn proposals(st: &Shared) -> Option<Arc<Proposals>> {
    let (key, policies) = st.keyed_policy_set();
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
        let mut doc = rift_now(&st2)?;
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
        doc["page"] = json!("rift");
        doc["policies"] = json!(policies.origin);
        Ok(doc)
    })
    .await
    .map_err(AppError::internal)??;
    Ok(render("rift.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

fn policy_list(st: &Shared) -> Vec<Value> {
    st.policies()
        .texts
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
    let ctx = json!({"page": "policies", "policies": list, "editable": own, "own_text": own_text, "errors": [], "message": null});
    Ok(render("policies.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct PolicyForm {
    text: String,
    csrf: Option<String>,
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

/// The start of a policy form's handling: a signed-in viewer (else the sign-in page), a
/// valid CSRF token, the viewer's own member; the text with browser line ends undone.
async fn policy_form(
    st: &Shared,
    h: &HeaderMap,
    member: &str,
    f: &PolicyForm,
    verb: &str,
) -> Result<Result<(Viewer, String), Response>, AppError> {
    let v = match form_viewer(st, h, f.csrf.as_deref()).await? {
        Ok(v) => v,
        Err(login) => return Ok(Err(login)),
    };
    if own_member(&v).as_deref() != Some(member) {
        return Err(AppError::forbidden(format!(
            "only {member} may {verb} {member}'s policy"
        )));
    }
    Ok(Ok((v, f.text.replace("\r\n", "\n"))))
}

async fn save_policy(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(member): Path<String>,
    Form(f): Form<PolicyForm>,
) -> Result<Response, AppError> {
    let (v, text) = match policy_form(&st, &h, &member, &f, "change").await? {
        Ok(x) => x,
        Err(login) => return Ok(login),
    };
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
    let ctx = json!({"page": "policies", "policies": list, "editable": member, "own_text": text, "errors": errors, "message": message});
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

/// A liaison officer's edit tried before saving: the whole set is checked with the new text;
/// if it checks, the case library (`concord cases`) is decided with the positions in use
/// and with the edited ones, and the page lists the case outcomes the edit changes (and the
/// campaigns whose decision changes). Nothing is saved.
async fn preview_policy(
    State(st): State<Shared>,
    h: HeaderMap,
    Path(member): Path<String>,
    Form(f): Form<PolicyForm>,
) -> Result<Response, AppError> {
    let (v, text) = match policy_form(&st, &h, &member, &f, "try").await? {
        Ok(x) => x,
        Err(login) => return Ok(login),
    };
    if text.len() > crate::api::MAX_POLICY {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            format!("a policy text is at most {} bytes", crate::api::MAX_POLICY),
        ));
    }
    let file = format!("{member}.toml");
    let mut files = st.policies().texts;
    files.insert(file.clone(), text.clone());
    let files: Vec<(String, String)> = files.into_iter().collect();
    let list = policy_list(&st);
    let edited = match concord_policy::PolicySet::from_texts(&files, &st.alliance) {
        Ok(s) => s,
        Err(e) => {
            let errors: Vec<Value> = e
                .diagnostics
                .iter()
                .filter(|d| d.file == file)
                .map(|d| serde_json::to_value(d).unwrap_or_default())
                .collect();
            let ctx = json!({"page": "policies", "policies": list, "editable": member, "own_text": text, "errors": errors, "message": null});
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render("policies.html", merge(base(&st, Some(&v)), ctx))?,
            )
                .into_response());
        }
    };
    let p = v.principal.clone();
    let preview = with_reader(&st, move |s, state| {
        use concord_policy::cases;
        let current = state.policy_set();
        let library = cases::parse("built-in cases", cases::BUILTIN_CASES)
            .map_err(AppError::internal)?;
        let forums = |set: &concord_policy::PolicySet| {
            vec![
                concord_policy::Forum {
                    id: "nato".into(),
                    alliance: state.alliance.clone(),
                    policies: set.clone(),
                },
                state.eu.clone(),
            ]
        };
        let scored = cases::score("built-in cases", &library, &forums(&current)).and_then(|b| {
            cases::score("built-in cases", &library, &forums(&edited)).map(|a| (b, a))
        });
        let (cases_doc, error) = match scored {
            Ok((before, after)) => {
                let changes = room::case_changes(&before, &after);
                (
                    json!({"changes": changes.iter().map(|c| json!({"c": c, "effect": c.effect()})).collect::<Vec<_>>(),
                           "before": before.forums.get("nato"), "after": after.forums.get("nato"),
                           "cases": library.len()}),
                    None,
                )
            }
            // another alliance's ladder: the library's NATO outcomes do not apply
            Err(e) => (Value::Null, Some(e.to_string())),
        };
        // the campaigns the viewer may read, decided with both sets
        let mut campaigns = Vec::new();
        let r = s.reader(&p);
        let mut ids = Vec::new();
        r.for_each_latest::<AppError>(&["campaign"], |o| {
            ids.push(o.id);
            Ok(())
        })?;
        let kb = views::knowledge_base(&r)?;
        for id in ids {
            let Ok((a, _, d)) = views::decision_with(
                &r,
                &kb,
                &id,
                &Default::default(),
                &state.alliance,
                &current,
            ) else {
                continue;
            };
            let after = concord_policy::decide(&state.alliance, &edited, &d.vector);
            let changed = room::changed_rungs(&d, &after);
            if !changed.is_empty() {
                campaigns.push(json!({"id": id, "name": a.name.unwrap_or(id.clone()), "changed": changed}));
            }
        }
        Ok(json!({"cases": cases_doc, "error": error, "campaigns": campaigns}))
    })
    .await?;
    let ctx = json!({"page": "policies", "policies": list, "editable": member, "own_text": text,
                     "errors": [], "message": null, "preview": preview});
    Ok(render("policies.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

async fn ingest_form(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let ctx = json!({"page": "ingest", "report": null, "may_write": v.may_write});
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
    let v = match form_viewer(&st, &h, f.csrf.as_deref()).await? {
        Ok(v) => v,
        Err(login) => return Ok(login),
    };
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
    let ctx = json!({"page": "ingest", "report": report, "may_write": may_write});
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
    if !session::may_try(&st, &client).await? {
        return Ok(session::too_many());
    }
    let token = f.token.trim().to_string();
    let found = with_reader(&st, move |s, _| Ok(s.authenticate_with_id(&token)?)).await?;
    let Some((token_id, _)) = found else {
        session::failed(&st, &client).await?;
        let ctx = merge(
            base(&st, None),
            json!({"error": "That token is not valid (or was revoked)."}),
        );
        return Ok((StatusCode::UNAUTHORIZED, render("login.html", ctx)?).into_response());
    };
    let cookie = session::open(&st, token_id).await?;
    let mut r = Redirect::to("/").into_response();
    if let Ok(c) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(r)
}

async fn logout(State(st): State<Shared>, h: HeaderMap) -> Response {
    if let Err(e) = session::close(&st, &h).await {
        tracing::warn!("ending a web session failed: {e:?}");
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("concord_session=; Max-Age=0; Path=/"),
    );
    r
}
