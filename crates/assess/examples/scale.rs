//! Correlation at scale: 100,000 incidents with 1,000,000 indicator values (10 each;
//! campaigns of 10 sharing two private values, the rest unique, 5 % public resolvers),
//! in memory. `cargo run --release -p concord-assess --example scale` (with
//! `/usr/bin/time -v` for peak memory). Measures the algorithm, not store reads.

use concord_assess::correlate::{correlate, IncidentArtefacts};
use std::time::Instant;

fn main() {
    let n = 100_000usize;
    let t = Instant::now();
    let incidents: Vec<IncidentArtefacts> = (0..n)
        .map(|i| {
            let campaign = i / 10;
            let mut artefacts = Vec::with_capacity(10);
            artefacts.push((
                format!("ipv4-addr:10.{}.{}.1", campaign / 256 % 256, campaign % 256),
                "x".to_string(),
            ));
            artefacts.push((format!("domain-name:c{campaign}.example"), "x".to_string()));
            for k in 0..7 {
                artefacts.push((format!("file:sha-256:{i:08x}{k:02x}"), "x".to_string()));
            }
            let public = if i % 20 == 0 {
                "ipv4-addr:8.8.8.8".to_string()
            } else {
                format!("url:https://i{i}.example/")
            };
            artefacts.push((public, "x".to_string()));
            IncidentArtefacts {
                id: format!("incident--{i:08}"),
                name: None,
                first_seen: format!("2026-01-01T00:00:{:02}Z", i % 60),
                artefacts,
                techniques: Vec::new(),
            }
        })
        .collect();
    let built = t.elapsed();
    let t = Instant::now();
    let (campaigns, ignored) = correlate(&incidents);
    println!(
        "{n} incidents, {} indicator values: built in {built:?}, correlated in {:?}: {} campaigns, {} public artefacts ignored",
        incidents.iter().map(|i| i.artefacts.len()).sum::<usize>(),
        t.elapsed(),
        campaigns.len(),
        ignored.public.len()
    );
}
