//! Safe harbours: how far an adversary can go, per actor presentation, while a rung stays
//! unadopted.

use crate::engine::Engine;
use crate::space::{Base, Weights, ACTOR_N, ATTRIBUTION_N, BASE_CELLS, EFFECTS_N};

/// The safe harbours (DESIGN 7, adversary's view): per rung, actor presentation,
/// attribution level and effects level, the highest severity at which some cell (some
/// sector, victim and number of victims) leaves the rung unadopted; `None` when every cell
/// adopts it. `[rung][actor][attribution][effects]`.
pub type Harbours = Vec<Vec<Vec<Vec<Option<u8>>>>>;

impl Engine<'_> {
    /// Safe harbours over the whole space (weights do not matter: a harbour is a cell).
    pub fn safe_harbours(&self) -> Harbours {
        let (n, rungs) = (self.n(), self.rungs());
        let base = self.baseline(self.table(), &Weights::uniform(n));
        let mut h: Harbours =
            vec![vec![vec![vec![None; EFFECTS_N]; ATTRIBUTION_N]; ACTOR_N]; rungs];
        for bi in 0..BASE_CELLS {
            let b = Base::from_index(bi);
            let masks = &base.masks[bi * n..(bi + 1) * n];
            let adopted_everywhere = masks.iter().fold(u64::MAX, |acc, m| acc & m.adopted);
            for (r, per_actor) in h.iter_mut().enumerate() {
                if adopted_everywhere & (1 << r) == 0 {
                    let cell = &mut per_actor[usize::from(b.actor)][usize::from(b.attribution)]
                        [usize::from(b.effects)];
                    *cell = Some(cell.map_or(b.severity, |s| s.max(b.severity)));
                }
            }
        }
        h
    }
}
