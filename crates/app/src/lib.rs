//! # concord-app
//!
//! The application layer between the libraries ({store, assess, policy, rift}) and the
//! adapters ({server, cli}): the derived views ([`views`]), the decision brief ([`brief`])
//! and the built-in demo scenario ([`demo`]).

pub mod brief;
pub mod demo;
pub mod views;
