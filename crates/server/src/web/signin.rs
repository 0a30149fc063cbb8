//! Sign-in and sign-out (`/login`, `/logout`).

use super::*;
use crate::error::AppError;
use crate::{session, with_reader, Shared};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde_json::json;

pub(super) async fn login_form(
    State(st): State<Shared>,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let v = viewer(&st, &h).await;
    Ok(render(
        "login.html",
        merge(base(&st, v.as_ref()), json!({"error": null})),
    )?
    .into_response())
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct LoginForm {
    token: String,
}

pub(super) async fn login(
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

pub(super) async fn logout(State(st): State<Shared>, h: HeaderMap) -> Response {
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
