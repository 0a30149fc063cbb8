//! Uploading a bundle (`/ingest`): validated, stored if the viewer may write.

use super::*;
use crate::error::AppError;
use crate::{with_store, Shared};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde_json::json;

pub(super) async fn ingest_form(
    State(st): State<Shared>,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let Some(v) = viewer(&st, &h).await else {
        return Ok(to_login());
    };
    let ctx = json!({"page": "ingest", "report": null, "may_write": v.may_write});
    Ok(render("ingest.html", merge(base(&st, Some(&v)), ctx))?.into_response())
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct IngestForm {
    bundle: String,
    csrf: Option<String>,
}

pub(super) async fn ingest(
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
