//! # concord-policy
//!
//! The alliance and its response ladder, member legal doctrines and the legal class of an
//! act, the policy language (parse, check, print, compile), member positions as policy
//! files, stances, the consensus decision and the path to consensus (DESIGN 3 to 6,
//! decision model v2: per-rung legal basis, prerequisites, contributors and victim
//! request; member capacity; reasons for blocking).
//!
//! Invariants:
//! - Knows nothing of STIX or storage: it works on assessment vectors.
//! - A policy set is accepted whole or rejected whole; every problem is reported at once
//!   with file, key, line and column.
//! - Evaluation is pure and deterministic; member lists are sorted by code.

pub mod alliance;
pub mod cases;
pub mod decide;
pub mod diag;
pub mod doctrine;
pub mod explain;
pub mod forum;
pub mod lang;
pub mod policy;
pub mod reason;
pub mod vector;
pub mod vocab;
pub mod whatif;
pub mod write;

pub use alliance::{Alliance, Request, Rule, Rung};
pub use decide::{decide, Decision, Missing, OptionOutcome, Stance};
pub use diag::Diagnostic;
pub use doctrine::Doctrine;
pub use forum::{Forum, FORUM_IDS};
pub use policy::{MemberPolicy, OptionStance, Origin, PolicyErrors, PolicySet};
pub use reason::{Reason, Reasons};
pub use vector::Vector;
