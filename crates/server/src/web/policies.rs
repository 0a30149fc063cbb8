//! The members' positions (`/policies`): read all, edit your own with inline errors,
//! preview an edit against the case library.

use super::*;
use crate::error::AppError;
use crate::{room, views, with_reader, Shared};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use concord_store::access::Principal;
use serde_json::{json, Value};

pub(super) fn policy_list(st: &Shared) -> Vec<Value> {
    st.policies()
        .texts
        .into_iter()
        .map(|(f, t)| json!({"member": f.trim_end_matches(".toml"), "text": t}))
        .collect()
}

pub(super) fn own_member(v: &Viewer) -> Option<String> {
    match (&v.principal, v.may_write) {
        (Principal::Member(m), true) => Some(m.clone()),
        _ => None,
    }
}

pub(super) async fn policies(State(st): State<Shared>, h: HeaderMap) -> Result<Response, AppError> {
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
pub(super) struct PolicyForm {
    text: String,
    csrf: Option<String>,
}

/// The start of a policy form's handling: a signed-in viewer (else the sign-in page), a
/// valid CSRF token, the viewer's own member; the text with browser line ends undone.
pub(super) async fn policy_form(
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

pub(super) async fn save_policy(
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
pub(super) async fn preview_policy(
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
        for (id, (a, _, d)) in views::decided_campaigns(&r, &state.alliance, &current)? {
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
