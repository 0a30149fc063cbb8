//! A campaign's page, decision first (`/campaigns/{id}`), and its brief in four formats.

use super::*;
use crate::error::AppError;
use crate::{brief, inputs, room, views, with_reader, AppState, Shared};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The campaign page's query: the rung shown on the map, and what-if changes.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct CampaignQuery {
    rung: Option<String>,
    #[serde(flatten)]
    what_if: room::WhatIfQuery,
}

/// The what-if fields as a query string (to keep them when choosing another rung).
pub(super) fn what_if_query(q: &room::WhatIfQuery) -> String {
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

pub(super) fn words(v: &concord_policy::Vector) -> Value {
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

pub(super) async fn campaign(
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
pub(super) const ADVERSARY_BUDGET: usize = 1_000;

/// Everything the campaign page shows, decision first.
#[allow(clippy::too_many_arguments)]
pub(super) fn campaign_ctx(
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
pub(super) struct BriefQuery {
    format: Option<String>,
}

pub(super) async fn brief_page(
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
