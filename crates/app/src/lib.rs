//! # concord-app
//!
//! The application layer between the libraries ({store, assess, policy, rift}) and the
//! adapters ({server, cli}). Each use case is written once here, and the server's handlers
//! and the CLI's commands only translate between it and HTTP or the command line:
//!
//! - [`submit`]: every write of STIX objects (files, uploads, TAXII POST, sync, demos,
//!   derived objects): validated, then stored, whole or object by object.
//! - [`views`]: the derived views (knowledge base, observation, attribution, assessment,
//!   replay, decision) as one viewer sees them.
//! - [`correlate`]: incidents into campaigns, stored as concord's own scoped objects.
//! - [`room`]: the staff officer's decision room (ladder strip, tile map, bottom line up
//!   front, replay grid, what-if), shared by the dashboard and the brief; [`inputs`]: the
//!   inputs behind a decision and their most restrictive TLP marking.
//! - [`positions`]: the member positions in force over a store (the starting set with the
//!   positions members saved), for the server and the CLI alike.
//! - [`brief`]: the decision brief (md, html, pdf, docx); [`demo`]: the built-in fictional
//!   scenario.
//!
//! Invariants:
//! - Reads go through [`concord_store::Reader`], bound to a viewer: nothing here (or in
//!   the adapters) can read an object its viewer may not read, aggregates included.
//! - Nothing is stored without passing the validator ([`submit::submit`]).
//! - Values cross seams typed: the assessment vector is a [`concord_policy::Vector`],
//!   principals are [`concord_store::access::Principal`]s, errors are [`Error`].
//!
//! It knows no HTTP, no command line, no SQL and no output format other than the brief.

pub mod brief;
pub mod correlate;
pub mod demo;
mod error;
pub mod inputs;
pub mod positions;
pub mod room;
pub mod submit;
pub mod views;

pub use error::{Error, Result};
