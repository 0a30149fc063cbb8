//! Who is asking: a bearer token, or HTTP Basic with the principal name (`EST`, `hub`,
//! `admin`) as user and the token as password (TAXII 2.1 requires Basic). Tokens are looked
//! up by their hash. Under `serve --demo`, a request without credentials is the hub,
//! read-only.

use crate::error::AppError;
use crate::Shared;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use concord_store::access::Principal;

/// The authenticated principal of a request, and whether it may write.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// False for anonymous demo visitors.
    pub may_write: bool,
}

fn credentials(parts: &Parts) -> Option<(Option<String>, String)> {
    let h = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, rest) = h.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some((None, rest.trim().to_string()));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (user, pass) = text.split_once(':')?;
        return Some((Some(user.to_string()), pass.to_string()));
    }
    None
}

/// Authenticate a request against the store.
pub async fn authenticate(state: &Shared, parts: &Parts) -> Result<Caller, AppError> {
    let Some((user, token)) = credentials(parts) else {
        if state.demo
            && parts
                .headers
                .get(axum::http::header::AUTHORIZATION)
                .is_none()
        {
            return Ok(Caller {
                principal: Principal::Hub,
                may_write: false,
            });
        }
        return Err(AppError::unauthorized());
    };
    let principal = crate::with_reader(state, move |s, _| Ok(s.authenticate(&token)?)).await?;
    match principal {
        Some(p) if user.as_deref().is_none_or(|u| u == p.name()) => Ok(Caller {
            principal: p,
            may_write: !state.demo,
        }),
        _ => Err(AppError::unauthorized()),
    }
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Caller, AppError> {
        authenticate(state, parts).await
    }
}
