//! Ingest throughput into a fresh SQLite file and, when a PostgreSQL server answers at
//! `CONCORD_TEST_PG`, into a fresh PostgreSQL schema: the 5-group ATT&CK subset from
//! ../shared/data when present, else a synthetic bundle.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::{json, validate, Options};
use concord_store::{NewObject, ObjectMeta, Store};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn input() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/attack/enterprise-attack-18.1-subset-5-groups.json");
    std::fs::read_to_string(p).unwrap_or_else(|_| {
        let objs: Vec<String> = (0..2000)
            .map(|i| format!(r#"{{"type":"identity","spec_version":"2.1","id":"identity--{i:08x}-0000-4000-8000-000000000000","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"org {i}"}}"#))
            .collect();
        format!(r#"{{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[{}]}}"#, objs.join(","))
    })
}

fn bench(c: &mut Criterion) {
    let text = input();
    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    let store_it = |store: &mut Store| {
        let doc = json::split_document(&text, "bench").expect("parses");
        let (_, metas) =
            validate::validate_stream(&doc, &Options::default(), ObjectMeta::of).expect("json");
        let objs: Vec<NewObject<'_>> = doc
            .parts
            .iter()
            .zip(metas)
            .map(|(p, meta)| NewObject {
                raw: p.raw,
                path: &p.path,
                meta,
            })
            .collect();
        store.ingest(&objs, "hub", "bench").expect("stored").stored
    };
    if concord_store::testing::pg_available() {
        g.bench_function("validate+store (fresh postgres schema)", |b| {
            b.iter(|| {
                let pg = concord_store::testing::PgSchema::create().expect("schema");
                let mut store = pg.open().expect("open");
                store_it(&mut store)
            })
        });
    } else {
        eprintln!(
            "skipping the PostgreSQL bench: no PostgreSQL at {}",
            concord_store::redact_url(&concord_store::testing::test_pg_url())
        );
    }
    g.bench_function("validate+store (fresh sqlite file)", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut store = Store::open(&dir.path().join("b.db")).expect("open");
            store_it(&mut store)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
