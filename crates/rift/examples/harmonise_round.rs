//! Times one harmonisation round (every single edit of the built-in set scored) and
//! `adversary`-free figures: `cargo run --release -p concord-rift --example harmonise_round`.

use concord_policy::{Alliance, PolicySet};
use concord_rift::{harmonise, Weights};
use std::time::Instant;

fn main() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let w = Weights::uniform(a.members.len());
    let c = harmonise::candidates(&a, &p);
    let kinds = |k: &str| c.iter().filter(|e| e.kind() == k).count();
    println!(
        "{} candidates: {} threshold, {} clause, {} rule, {} abstain",
        c.len(),
        kinds("threshold"),
        kinds("clause"),
        kinds("rule"),
        kinds("abstain")
    );
    let t = Instant::now();
    let ranked = harmonise::rank(&a, &p, &w);
    let s = t.elapsed().as_secs_f64();
    println!(
        "one round: {s:.2} s ({:.2} ms per candidate), {} improve",
        1000.0 * s / c.len() as f64,
        ranked.len()
    );
}
