//! # concord-app
//!
//! The application layer between the libraries ({store, assess, policy, rift}) and the
//! adapters ({server, cli}): the derived views ([`views`]), the inputs behind a decision and
//! their TLP marking ([`inputs`]), the staff officer's decision room ([`room`]: ladder
//! strip, tile map, bottom line up front, what-if), the decision brief in md, html, pdf and
//! docx ([`brief`]) and the built-in demo scenario ([`demo`]).

pub mod brief;
pub mod demo;
pub mod inputs;
pub mod room;
pub mod views;
