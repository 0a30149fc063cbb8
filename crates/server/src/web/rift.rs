//! The rift page (`/rift`): the figures, charts and harmonisation proposals, cached per
//! policy version and computed in the background.

use super::*;
use crate::error::AppError;
use crate::Shared;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

/// Ranked single edits of one policy set, each with the set it makes.
pub type Proposals = Vec<(
    concord_rift::harmonise::Proposal,
    concord_policy::Alliance,
    concord_policy::PolicySet,
)>;

#[derive(Debug, serde::Deserialize)]
pub(super) struct RiftQuery {
    /// Show the figures with the n-th proposal applied (1-based), without saving.
    apply: Option<usize>,
    /// The rung of the safe-harbour map.
    rung: Option<String>,
}

/// The rift figures and charts of a set, as the page shows them.
pub(super) fn rift_doc(
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
pub(super) fn rift_now(st: &Shared) -> Result<Value, AppError> {
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

pub(super) fn cached_rift(st: &Shared, key: usize) -> Option<Value> {
    st.rift_cache
        .lock()
        .ok()
        .and_then(|c| c.clone())
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The rift figures of the current set if they are ready; otherwise start computing them in
/// the background (once per set) and return `None`.
pub(super) fn rift_ready(st: &Shared) -> Option<Value> {
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
pub(super) fn proposals(st: &Shared) -> Option<Arc<Proposals>> {
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

pub(super) async fn rift(
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
