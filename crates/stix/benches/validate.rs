//! Validation throughput. Uses the 5-group ATT&CK subset from ../shared/data when present,
//! else a synthetic bundle, so the benchmark runs on a fresh clone too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::{json, validate, Options};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn input() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/attack/enterprise-attack-18.1-subset-5-groups.json");
    std::fs::read_to_string(p).unwrap_or_else(|_| synthetic(2000))
}

fn synthetic(n: usize) -> String {
    let mut objs = Vec::new();
    for i in 0..n {
        objs.push(format!(
            r#"{{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--{i:08x}-0000-4000-8000-000000000000","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"technique {i}","description":"{}","kill_chain_phases":[{{"kill_chain_name":"mitre-attack","phase_name":"execution"}}],"external_references":[{{"source_name":"mitre-attack","external_id":"T{i}","url":"https://example.org/{i}"}}]}}"#,
            "lorem ipsum ".repeat(40)
        ));
    }
    format!(
        r#"{{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[{}]}}"#,
        objs.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let text = input();
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("split+parse+validate", |b| {
        b.iter(|| {
            let doc = json::split_document(&text, "bench").expect("parses");
            validate::validate_stream(&doc, &Options::default(), |_| ())
                .expect("valid json")
                .0
                .errors
                .len()
        })
    });
    g.finish();
    c.bench_function("pattern/parse", |b| {
        b.iter(|| concord_stix::pattern::parse("[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example'] REPEATS 5 TIMES WITHIN 1800 SECONDS").is_ok())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
