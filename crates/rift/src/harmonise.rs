//! Harmonisation proposals (placeholder until implemented below).
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Proposal;

pub fn propose(
    _a: &concord_policy::Alliance,
    _p: &concord_policy::PolicySet,
    _w: &crate::Weights,
    _k: usize,
) -> Vec<Proposal> {
    Vec::new()
}

pub fn print(_out: &mut impl std::io::Write, _p: &[Proposal]) -> std::io::Result<()> {
    Ok(())
}
