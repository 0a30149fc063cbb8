//! The staff officer's decision room: what the web pages and the brief show first, computed
//! once from a decision. The ladder as a strip of rungs (adopted, blocked with the reason
//! category, unsupported with what is missing), the members as a tile map laid out like
//! the map (coloured by stance for one rung, or by how many campaigns hit them), the
//! bottom line up front (what the alliance can agree now, what is blocked, by whom and why,
//! what would unblock it), the replay as a grid of moments, and what-if changes of the
//! vector or of one member's position that are decided without saving anything.
//!
//! Colour never carries meaning alone: every cell and tile says its state in words and with
//! a mark (✓ adopted or supports, ✕ blocked or blocks, – or · otherwise), and blocked cells
//! are hatched. The HTML fragments here are shared by the dashboard and the brief (which
//! inlines [`CSS`]), so both draw the same graphics.

/// The stylesheet of the graphics (ladder strip, tile map, replay grid, banners); the
/// dashboard serves it, the brief inlines it.
pub const CSS: &str = include_str!("room.css");

/// HTML-escape text (also for attribute values).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

mod bluf;
mod cases;
mod dtg;
mod ladder;
mod replay;
mod tiles;
mod whatif;

pub use bluf::*;
pub use cases::*;
pub use dtg::*;
pub use ladder::*;
pub use replay::*;
pub use tiles::*;
pub use whatif::*;

#[cfg(test)]
mod tests;
