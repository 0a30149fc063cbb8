//! Times the fast engine and the cell-by-cell reference on the full NATO-32 space:
//! `cargo run --release -p concord-rift --example compare`.

use concord_policy::{Alliance, PolicySet};
use concord_rift::{naive, rift, to_json, Weights};
use std::time::Instant;

fn main() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let w = Weights::uniform(a.members.len());
    let evaluations = 552_960.0 * 32.0 * 11.0;
    let t = Instant::now();
    let fast = rift(&a, &p, &w);
    let tf = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let reference = naive::rift(&a, &p, &w);
    let tr = t.elapsed().as_secs_f64();
    println!(
        "fast engine: {tf:.3} s, {:.0} million evaluations/s",
        evaluations / tf / 1e6
    );
    println!(
        "reference:   {tr:.3} s, {:.1} million evaluations/s",
        evaluations / tr / 1e6
    );
    println!(
        "speed-up {:.0}x; same document: {}",
        tr / tf,
        to_json(&fast) == to_json(&reference)
    );
}
