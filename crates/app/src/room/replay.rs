//! The replay as a grid of moments: when each rung became adoptable.

use serde::Serialize;

/// The replay as a grid: one row per rung, one column per moment; each cell adopted or not,
/// the first adoption marked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplayGrid {
    /// The moments (date and time, what changed).
    pub moments: Vec<(String, Vec<String>)>,
    /// Per rung: id, option, first adopted (moment) and per moment the cell state
    /// (`first`, `yes`, `no`).
    pub rows: Vec<ReplayRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplayRow {
    pub id: String,
    pub option: String,
    pub first_adopted: Option<String>,
    pub cells: Vec<&'static str>,
}

/// The grid of a replay.
pub fn replay_grid(r: &concord_rift::replay::Replay) -> ReplayGrid {
    let moments = r
        .steps
        .iter()
        .map(|s| (s.at.clone(), s.what.clone()))
        .collect();
    let rows = r
        .rungs
        .iter()
        .map(|h| {
            let mut seen = false;
            let cells = r
                .steps
                .iter()
                .map(|s| {
                    let on = s.adopted.contains(&h.id);
                    match (on, seen) {
                        (true, false) => {
                            seen = true;
                            "first"
                        }
                        (true, true) => "yes",
                        (false, _) => "no",
                    }
                })
                .collect();
            ReplayRow {
                id: h.id.clone(),
                option: h.option.clone(),
                first_adopted: h.first_adopted.clone(),
                cells,
            }
        })
        .collect();
    ReplayGrid { moments, rows }
}
