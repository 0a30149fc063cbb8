//! The JSON API under `/api/v1/`: incidents, campaigns, assessments, attribution,
//! decisions, rift, policies (read all; a member replaces only its own, checked before it
//! is saved), the audit log (hub and admins), and the OpenAPI document describing it.
//! Every derived figure is computed from what the caller may read.

use crate::auth::Caller;
use crate::error::AppError;
use crate::{views, with_reader, with_store, Shared};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use concord_store::access::Principal;
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/whoami", get(whoami))
        .route("/api/v1/incidents", get(incidents))
        .route("/api/v1/campaigns", get(campaigns))
        .route("/api/v1/assessments/{id}", get(assessment))
        .route("/api/v1/attribution/{id}", get(attribution))
        .route("/api/v1/decisions/{id}", get(decision))
        .route("/api/v1/correlate", post(correlate))
        .route("/api/v1/rift", get(rift))
        .route("/api/v1/policies", get(policies))
        .route("/api/v1/policies/{member}", get(policy).put(put_policy))
        .route("/api/v1/audit", get(audit))
}

async fn whoami(caller: Caller) -> Json<Value> {
    Json(
        json!({"principal": caller.principal, "name": caller.principal.name(), "may_write": caller.may_write}),
    )
}

/// Readable objects of a type, summarised.
async fn list(st: &Shared, p: Principal, ty: &'static str) -> Result<Vec<Value>, AppError> {
    with_reader(st, move |s, _| {
        let mut out = Vec::new();
        s.reader(&p).for_each_latest::<AppError>(&[ty], |o| {
            let v = o.value()?;
            let ext = v
                .get("extensions")
                .and_then(|e| e.get(concord_stix::concord_ext::EXTENSION_ID));
            out.push(json!({"id": o.id, "name": v.get("name"), "modified": o.modified,
                "tlp": o.tlp.clone().unwrap_or_else(|| "green".into()), "submitter": o.submitter,
                "victims": ext.and_then(|e| e.get("victims")), "first_seen": v.get("first_seen").or_else(|| ext.and_then(|e| e.get("first_seen")))}));
            Ok(())
        })?;
        Ok(out)
    })
    .await
}

async fn incidents(State(st): State<Shared>, caller: Caller) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({"incidents": list(&st, caller.principal, "incident").await?}),
    ))
}

async fn campaigns(State(st): State<Shared>, caller: Caller) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({"campaigns": list(&st, caller.principal, "campaign").await?}),
    ))
}

async fn assessment(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let p = caller.principal;
    let a = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        Ok(views::assess(
            &s.reader(&p),
            &id,
            &concord_assess::SeverityModel::default(),
            &state.alliance,
            &policies,
        )?)
    })
    .await?;
    Ok(Json(serde_json::to_value(a).map_err(AppError::internal)?))
}

async fn attribution(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let p = caller.principal;
    let r = with_reader(&st, move |s, _| {
        let r = s.reader(&p);
        let kb = views::knowledge_base(&r)?;
        views::attribution_of(&r, &kb, &id, None)?.ok_or_else(|| {
            AppError::not_found(format!("{id}: no incident or campaign with this id"))
        })
    })
    .await?;
    Ok(Json(serde_json::to_value(r).map_err(AppError::internal)?))
}

async fn decision(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let p = caller.principal;
    let d = with_reader(&st, move |s, state| {
        let policies = state.policy_set();
        let a = views::assess(
            &s.reader(&p),
            &id,
            &concord_assess::SeverityModel::default(),
            &state.alliance,
            &policies,
        )?;
        Ok(concord_policy::decide(
            &state.alliance,
            &policies,
            &a.vector,
        ))
    })
    .await?;
    Ok(Json(serde_json::to_value(d).map_err(AppError::internal)?))
}

/// What `POST /api/v1/correlate` takes (every field optional; the defaults are the CLI's).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelateRequest {
    /// Only report: store nothing.
    #[serde(default)]
    pub dry_run: bool,
    pub window_days: Option<f64>,
    pub min_shared: Option<usize>,
    pub min_jaccard: Option<f64>,
}

impl CorrelateRequest {
    /// The correlation parameters, checked.
    pub fn params(&self) -> Result<concord_assess::correlate::Params, AppError> {
        let d = concord_assess::correlate::Params::default();
        let p = concord_assess::correlate::Params {
            window_days: self.window_days.unwrap_or(d.window_days),
            min_shared: self.min_shared.unwrap_or(d.min_shared),
            min_jaccard: self.min_jaccard.unwrap_or(d.min_jaccard),
        };
        if !(p.window_days.is_finite() && p.window_days >= 0.0) {
            return Err(AppError::bad_request("window_days must be a number >= 0"));
        }
        if !(0.0..=1.0).contains(&p.min_jaccard) {
            return Err(AppError::bad_request("min_jaccard must be from 0 to 1"));
        }
        Ok(p)
    }
}

/// Correlate, as the caller, what the caller may read: incidents grouped into campaigns,
/// stored (unless a dry run) as concord's own objects scoped to the members that may read
/// every input. Storing needs a principal that may write; a read-only one (the `--demo`
/// visitor) may ask for a dry run.
pub async fn run_correlation(
    st: &Shared,
    who: &Principal,
    may_write: bool,
    req: &CorrelateRequest,
) -> Result<concord_app::correlate::Correlation, AppError> {
    let params = req.params()?;
    if !req.dry_run && !may_write {
        return Err(AppError::forbidden(
            "this principal may not write: ask for a dry run ({\"dry_run\": true})",
        ));
    }
    let p = who.clone();
    if req.dry_run {
        // a dry run only reads
        return with_reader(st, move |s, _| {
            Ok(concord_app::correlate::preview(&s.reader(&p), &params)?)
        })
        .await;
    }
    with_store(st, move |s, _| {
        Ok(concord_app::correlate::correlate(s, &p, &params)?)
    })
    .await
}

async fn correlate(
    State(st): State<Shared>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<Value>, AppError> {
    let req: CorrelateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CorrelateRequest::default()
    } else {
        serde_json::from_value(crate::error::strict_json(&body)?)
            .map_err(|e| AppError::bad_request(format!("the body: {e}")))?
    };
    let c = run_correlation(&st, &caller.principal, caller.may_write, &req).await?;
    Ok(Json(serde_json::to_value(c).map_err(AppError::internal)?))
}

async fn rift(State(st): State<Shared>, _: Caller) -> Result<Json<Value>, AppError> {
    let st2 = st.clone();
    let doc = tokio::task::spawn_blocking(move || {
        let policies = st2.policy_set();
        let m = concord_rift::rift(
            &st2.alliance,
            &policies,
            &concord_rift::Weights::uniform(st2.alliance.members.len()),
        );
        concord_rift::to_json(&m)
    })
    .await
    .map_err(AppError::internal)?;
    Ok(Json(doc))
}

fn texts(st: &Shared) -> std::collections::BTreeMap<String, String> {
    st.policies().texts
}

async fn policies(State(st): State<Shared>, _: Caller) -> Json<Value> {
    let list: Vec<Value> = texts(&st)
        .into_iter()
        .map(|(f, t)| json!({"member": f.trim_end_matches(".toml"), "file": f, "text": t}))
        .collect();
    Json(json!({"policies": list}))
}

async fn policy(
    State(st): State<Shared>,
    _: Caller,
    Path(member): Path<String>,
) -> Result<Json<Value>, AppError> {
    let file = format!("{member}.toml");
    texts(&st)
        .get(&file)
        .map(|t| Json(json!({"member": member, "file": file, "text": t})))
        .ok_or_else(|| AppError::not_found(format!("no policy for {member}")))
}

/// The longest policy text accepted (bytes); a member's policy is a few KiB.
pub const MAX_POLICY: usize = 256 * 1024;

/// Check a member's new policy text with the whole set and save it: `Ok(Err(diagnostics))`
/// when it does not check (nothing saved). The caller has checked the permission.
pub async fn save_policy(
    st: &Shared,
    by: &Principal,
    member: &str,
    text: &str,
) -> Result<Result<(), Vec<Value>>, AppError> {
    if text.len() > MAX_POLICY {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            format!("a policy text is at most {MAX_POLICY} bytes"),
        ));
    }
    if st.alliance.member_index(member).is_none() {
        return Err(AppError::not_found(format!("{member} is not a member")));
    }
    let file = format!("{member}.toml");
    let mut map = texts(st);
    map.insert(file.clone(), text.to_string());
    let files: Vec<(String, String)> = map.into_iter().collect();
    if let Err(e) = concord_policy::PolicySet::from_texts(&files, &st.alliance) {
        return Ok(Err(e
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .map(|d| serde_json::to_value(d).unwrap_or_default())
            .collect()));
    }
    let (p, m2, t2) = (by.clone(), member.to_string(), text.to_string());
    // saved, then read back with every other member's latest text (another server may
    // have saved one meanwhile)
    with_store(st, move |s, state| {
        s.put_policy(&m2, &t2, &p)?;
        Ok(state.refresh_policies(s)?)
    })
    .await?;
    Ok(Ok(()))
}

/// Replace a member's policy: only that member (or an admin) may; the whole set is checked
/// with the new text before anything is saved; errors come back with line and column.
async fn put_policy(
    State(st): State<Shared>,
    caller: Caller,
    Path(member): Path<String>,
    body: String,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let allowed = caller.may_write
        && match &caller.principal {
            Principal::Member(m) => *m == member,
            Principal::Admin => true,
            Principal::Hub | Principal::Concord => false,
        };
    if !allowed {
        return Err(AppError::forbidden(format!(
            "only {member} may change {member}'s policy"
        )));
    }
    match save_policy(&st, &caller.principal, &member, &body).await? {
        Ok(()) => Ok((StatusCode::OK, Json(json!({"ok": true, "member": member})))),
        Err(diags) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"ok": false, "diagnostics": diags})),
        )),
    }
}

async fn audit(State(st): State<Shared>, caller: Caller) -> Result<Json<Value>, AppError> {
    if !caller.principal.is_hub() {
        return Err(AppError::forbidden(
            "the audit log is for the hub and admins",
        ));
    }
    let rows = with_reader(&st, |s, _| Ok(s.audit(1000)?)).await?;
    let list: Vec<Value> = rows
        .into_iter()
        .map(|(at, p, a, d)| json!({"at": at, "principal": p, "action": a, "detail": d}))
        .collect();
    Ok(Json(json!({"audit": list})))
}

async fn openapi() -> Json<Value> {
    let get_id = |summary: &str| {
        json!({"get": {"summary": summary, "security": [{"bearer": []}, {"basic": []}],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {}}},
                          "404": {"description": "no such object, or one the caller may not read"}}}})
    };
    let get_plain = |summary: &str| {
        json!({"get": {"summary": summary, "security": [{"bearer": []}, {"basic": []}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {}}}}}})
    };
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "concord API", "version": "1",
                 "description": "Decision support for an alliance facing state-sponsored cyber campaigns. Every figure is computed from what the caller may read. TAXII 2.1 is served under /taxii2/."},
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "basic": {"type": "http", "scheme": "basic", "description": "user: the principal name (member code, hub, admin); password: the token"}}},
        "paths": {
            "/api/v1/whoami": get_plain("The calling principal"),
            "/api/v1/incidents": get_plain("Incidents the caller may read"),
            "/api/v1/campaigns": get_plain("Campaigns the caller may read"),
            "/api/v1/assessments/{id}": get_id("Assessment of an incident or campaign: severity, effects, victims, legal class per member, attribution, the vector, and the reasons"),
            "/api/v1/attribution/{id}": get_id("Attribution: groups, states, level, reasons, ACH matrix"),
            "/api/v1/decisions/{id}": get_id("The decision (DESIGN 6) on an incident or campaign: each rung's outcome, blockers, path to consensus"),
            "/api/v1/correlate": {
                "post": {"summary": "Correlate the incidents the caller may read into campaigns; unless dry_run, store them as concord's, each readable only by those who may read all of its inputs",
                         "security": [{"bearer": []}, {"basic": []}],
                         "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {
                             "dry_run": {"type": "boolean", "default": false},
                             "window_days": {"type": "number", "default": 14},
                             "min_shared": {"type": "integer", "default": 3},
                             "min_jaccard": {"type": "number", "default": 0.5}}}}}},
                         "responses": {"200": {"description": "{incidents, campaigns: [{id, name, incidents, reasons}], ignored, stored: [new or changed, unchanged] | null}"},
                                       "400": {"description": "bad body or parameters"},
                                       "403": {"description": "storing needs a principal that may write"}}}},
            "/api/v1/rift": get_plain("Rift analytics over the whole scenario space (DESIGN 7)"),
            "/api/v1/policies": get_plain("Every member's policy text"),
            "/api/v1/policies/{member}": {
                "get": {"summary": "One member's policy text", "parameters": [{"name": "member", "in": "path", "required": true, "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "OK"}, "404": {"description": "no policy"}}},
                "put": {"summary": "Replace the caller's own policy (TOML text); checked before it is saved",
                        "parameters": [{"name": "member", "in": "path", "required": true, "schema": {"type": "string"}}],
                        "requestBody": {"content": {"text/plain": {}}},
                        "responses": {"200": {"description": "saved"}, "403": {"description": "not the caller's policy"},
                                      "422": {"description": "invalid: diagnostics with line and column"}}}},
            "/api/v1/audit": get_plain("The audit log (hub and admins)"),
        }
    }))
}
