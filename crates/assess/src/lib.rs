//! # concord-assess
//!
//! From stored STIX to the facts the alliance decides on: incident facts from concord's
//! extension (DESIGN 3.4), an NCISS-style severity score with published, configurable
//! weights (DESIGN 3.3), the knowledge base of actors and their sponsors (every sponsor link
//! with its source and reliability), correlation into campaigns, attribution (DESIGN 3.2,
//! probabilities in ICD 203 words), and the assessment of an incident or a campaign with
//! the assessment vector (DESIGN 3) and the evidence behind every figure.
//!
//! Invariants: pure functions over parsed STIX values and policy types; no SQL, no HTTP.
//! Missing facts take a stated default (reported in the output), never a silent guess;
//! missing victims are an error. An alliance member is never named as a sponsor on
//! technique similarity alone.

mod ach;
pub mod assess;
pub mod attribution;
mod attribution_model;
pub mod correlate;
pub mod country;
pub mod estimative;
pub mod eval;
pub mod facts;
pub mod galaxy;
pub mod gen;
pub mod kb;
mod kb_links;
mod kb_merge;
pub mod sensitivity;
pub mod severity;
pub mod sponsor_text;
mod ttp;
pub mod warninglist;

pub use assess::{assess_campaign, assess_incident, Assessment};
pub use facts::{FactError, IncidentFacts};
pub use kb::{ActorKind, KnowledgeBase};
pub use severity::SeverityModel;
