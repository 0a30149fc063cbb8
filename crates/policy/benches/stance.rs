//! The full stance table plus adoption for one vector (32 members x 11 options), and a whole decision
//! with the path to consensus, with the built-in policies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::decide::{adopt, counts, member_facts, stance_table};
use concord_policy::{decide, Alliance, PolicySet, Vector};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let alliance = Alliance::nato();
    let policies = PolicySet::builtin(&alliance);
    let v = Vector::from_json(
        &serde_json::json!({"severity": "high", "attribution": "moderate", "effects": "disruption",
        "actor": "state", "sectors": ["energy"], "victims": ["EST", "LVA", "LTU"]}),
    )
    .expect("vector");
    c.bench_function("stance table 32x11 plus adoption", |b| {
        b.iter(|| {
            let facts = member_facts(&alliance, &policies, black_box(&v));
            let table = stance_table(&alliance, &policies, &facts);
            adopt(&alliance, &counts(&policies, &table, &facts))
        })
    });
    c.bench_function("decide (table, outcomes, paths, explanations)", |b| {
        b.iter(|| decide(&alliance, &policies, black_box(&v)))
    });
    c.bench_function("compile one condition", |b| {
        b.iter(|| concord_policy::lang::compile(black_box("affected_self or (severity >= high and attribution >= moderate and actor in [state, state_aligned])")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
