//! The alliance at a glance (`/`) and the correlate action.

use super::*;
use crate::error::AppError;
use crate::{room, views, with_reader, Shared};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde_json::{json, Value};

pub(super) async fn index(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    index_page(&st, &v, Value::Null).await
}

/// The campaign list, with the outcome of a correlation when there was one.
pub(super) async fn index_page(
    st: &Shared,
    v: &Viewer,
    correlated: Value,
) -> Result<Response, AppError> {
    let p = v.principal.clone();
    let (mut rows, hits) = with_reader(st, move |s, state| {
        let policies = state.policy_set();
        let r = s.reader(&p);
        let mut rows = Vec::new();
        let mut hits: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (id, (a, _, d)) in views::decided_campaigns(&r, &state.alliance, &policies)? {
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
pub(super) struct CorrelateForm {
    csrf: Option<String>,
}

/// The correlate action: incidents the viewer may read grouped into campaigns and stored
/// as concord's (a read-only viewer gets a preview that stores nothing); then the list.
pub(super) async fn correlate(
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
pub(super) fn headline(doc: &Value) -> Value {
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
