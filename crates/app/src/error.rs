//! The one error type of the application layer.

use concord_store::StoreError;

/// Why a use case could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such object, or one the viewer may not read (the same to the caller).
    #[error("{0}")]
    NotFound(String),
    /// The stored data cannot give this view (bad facts, wrong type).
    #[error("{0}")]
    Invalid(String),
    /// The input cannot be read as STIX JSON at all (not JSON, not UTF-8, too large...):
    /// nothing was stored.
    #[error(transparent)]
    Unusable(#[from] concord_stix::InputError),
    /// A defect of concord itself (a built-in input refused, a derived object invalid).
    #[error("{0}")]
    Internal(String),
}

/// Results of the application layer.
pub type Result<T> = std::result::Result<T, Error>;
