//! Rift engine throughput: the default NATO space with the built-in policies, and the
//! fast engine against the cell-by-cell reference on a small alliance, reported as
//! evaluations (cells x members x options) per second.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::{Alliance, PolicySet};
use concord_rift::{naive, rift, Weights};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TINY: &str = "name = \"Tiny\"\n[[member]]\ncode = \"AAA\"\nname = \"AAA\"\nlat = 0.0\nlon = 0.0\n[[member]]\ncode = \"BBB\"\nname = \"BBB\"\nlat = 0.0\nlon = 0.0\n[[member]]\ncode = \"CCC\"\nname = \"CCC\"\nlat = 0.0\nlon = 0.0\n[[rung]]\nid = \"talk\"\noption = \"talk\"\nrule = \"any\"\n[[rung]]\nid = \"act\"\noption = \"act\"\nrule = \"consensus\"\n";

fn bench(c: &mut Criterion) {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let w = Weights::uniform(a.members.len());
    let mut g = c.benchmark_group("rift");
    g.sample_size(10);
    g.throughput(Throughput::Elements(552_960 * 32 * 11));
    g.bench_function("fast, NATO 32 x 11 (evaluations)", |b| {
        b.iter(|| rift(&a, &p, &w).rift_index)
    });
    let t = Alliance::parse("tiny.toml", TINY).unwrap();
    let files = vec![
        ("a.toml".to_string(), "member = \"AAA\"\n[stance.act]\nsupport = \"severity >= medium and attribution >= low\"\n".to_string()),
        ("b.toml".to_string(), "member = \"BBB\"\n[stance.act]\nsupport = \"affected_self or actor == state\"\n".to_string()),
        ("c.toml".to_string(), "member = \"CCC\"\n[stance.act]\nblock = \"severity >= high and not affected_self\"\n".to_string()),
    ];
    let tp = PolicySet::from_texts(&files, &t).unwrap();
    let tw = Weights::uniform(3);
    g.throughput(Throughput::Elements(17_280 * 3 * 3 * 2));
    g.bench_function("fast, tiny 3 x 2 (evaluations)", |b| {
        b.iter(|| rift(&t, &tp, &tw).rift_index)
    });
    g.bench_function("reference, tiny 3 x 2 (evaluations)", |b| {
        b.iter(|| naive::rift(&t, &tp, &tw).rift_index)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
