//! # concord-stix
//!
//! The STIX 2.1 layer of concord: the object model as data ([`model`]), strict reading of
//! documents ([`json`]: size limits, gzip, UTF-8, duplicate keys, nesting, positions),
//! timestamps, the STIX Patterning grammar ([`pattern`]), the validator ([`validate`]) and
//! concord's own property extension ([`concord_ext`]).
//!
//! Invariants:
//! - Parsing never panics and never recurses without bound: JSON nesting is capped by
//!   serde_json (128 levels) and its size by the caller's byte limit; a pattern by
//!   [`pattern::MAX_PATTERN_BYTES`], [`pattern::MAX_TERMS`] and [`pattern::MAX_DEPTH`],
//!   and its AST keeps operator chains flat, so no walk over it recurses deeper than
//!   its nesting.
//! - Every object keeps its verbatim JSON text next to its parsed value.
//! - Every finding names a stable check code, the object id (when known) and a JSON path.
//!
//! This crate knows nothing of SQL, HTTP or alliance policy.

pub mod canonical;
pub mod concord_ext;
pub mod json;
pub mod model;
pub mod pattern;
pub mod timestamp;
pub mod validate;

pub use json::{Document, InputError, RawDocument, RawObject};
pub use validate::{Finding, Options, Report};

/// Read, parse and validate a file in one step (what `concord validate` does per file).
pub fn validate_file(
    path: &std::path::Path,
    max_bytes: u64,
    opts: &Options,
) -> Result<Report, InputError> {
    let bytes = json::read_file(path, max_bytes)?;
    let name = path.display().to_string();
    let text = json::utf8(&bytes, &name)?;
    let doc = json::split_document(text, &name)?;
    let (report, _) = validate::validate_stream(&doc, opts, |_| ())?;
    Ok(report)
}
