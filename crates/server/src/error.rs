//! One error type for every handler: internals are logged, clients get a TAXII 2.1 error
//! object (`title`, `description`, `http_status`) with the TAXII media type.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The TAXII 2.1 media type.
pub const TAXII: &str = "application/taxii+json;version=2.1";

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub title: String,
    pub description: String,
}

impl AppError {
    pub fn new(status: StatusCode, title: &str, description: impl Into<String>) -> AppError {
        AppError {
            status,
            title: title.to_string(),
            description: description.into(),
        }
    }
    pub fn not_found(what: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "Not found", what)
    }
    pub fn bad_request(what: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "Bad request", what)
    }
    pub fn forbidden(what: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "Forbidden", what)
    }
    pub fn unauthorized() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "give a token: Authorization: Bearer TOKEN, or HTTP Basic with the principal name and the token",
        )
    }
    /// Another writer holds the database longer than the server waits: 503, try again
    /// (with `Retry-After`).
    pub fn busy() -> AppError {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Busy",
            "another writer holds the database; nothing was written, try again shortly",
        )
    }
    /// The database cannot be reached (PostgreSQL down or the connection lost): 503, try
    /// again (with `Retry-After`); nothing was written.
    pub fn unavailable() -> AppError {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Database unavailable",
            "the database cannot be reached; nothing was written, try again shortly",
        )
    }
    /// Something went wrong inside: logged in full, reported without detail.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        tracing::error!("internal error: {detail}");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "the server failed; the details are in its log",
        )
    }
}

/// A request body as strict JSON, as the CLI reads files: a duplicate key is an error
/// (last-wins would let a second `object_marking_refs` clear a red marking); nesting is
/// capped by serde_json's recursion limit (128) and the size by the body limit.
pub fn strict_json(body: &[u8]) -> Result<serde_json::Value, AppError> {
    let concord_stix::json::Strict(v) = serde_json::from_slice(body).map_err(|e| {
        AppError::bad_request(format!(
            "the body is not valid JSON: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    Ok(v)
}

impl From<concord_store::StoreError> for AppError {
    fn from(e: concord_store::StoreError) -> AppError {
        match e {
            concord_store::StoreError::Busy { .. } => AppError::busy(),
            concord_store::StoreError::Unavailable(m) => {
                tracing::warn!("database unavailable: {m}");
                AppError::unavailable()
            }
            e => AppError::internal(e),
        }
    }
}

impl From<concord_app::Error> for AppError {
    fn from(e: concord_app::Error) -> AppError {
        use concord_app::Error as E;
        match e {
            E::NotFound(m) => AppError::not_found(m),
            E::Invalid(m) => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "Cannot assess", m),
            E::Store(e) => AppError::from(e),
            E::Unusable(e) => AppError::bad_request(e.to_string()),
            E::Internal(m) => AppError::internal(m),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "title": self.title,
            "description": self.description,
            "http_status": self.status.as_u16().to_string(),
        });
        let mut r = (self.status, body.to_string()).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(TAXII));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"concord\", Bearer"),
            );
        }
        r
    }
}
