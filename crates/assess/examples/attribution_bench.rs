//! Attribution ranking quality on real ATT&CK (issues 6 and 15): for each group with at
//! least 20 techniques, hide a random half of its techniques from its profile, observe k of
//! the hidden ones ("hidden") or of the kept ones ("known"), and rank all groups. Reports
//! top-1/3/10 accuracy of concord's technique model and of a plain Jaccard baseline, and
//! the time to rank one observation.
//!
//! usage: cargo run --release -p concord-assess --example attribution_bench -- [BUNDLE] [SEEDS]
//! (default ../shared/data/attack/enterprise-attack-18.1.json.gz, 5 seeds)

use concord_assess::attribution::{rank_jaccard, Params, TtpIndex};
use concord_assess::eval::Rng;
use concord_assess::KnowledgeBase;
use std::time::Instant;

fn load(path: &str) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
    let bytes = concord_stix::json::read_file(std::path::Path::new(path), 1 << 30)?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes)?;
    Ok(doc["objects"].as_array().cloned().unwrap_or_default())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/data/attack/enterprise-attack-18.1.json.gz".into());
    let seeds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let objects = load(&path)?;
    let kb = KnowledgeBase::build(objects.iter());
    // PARAMS="mu=1,eps=0,..." overrides the defaults (for tuning)
    let mut params = Params::default();
    if let Ok(x) = std::env::var("PARAMS") {
        for kv in x.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let v: f64 = v.parse()?;
            match k {
                "mu" => params.mu = v,
                "backoff" => params.backoff = v,
                "sw" => params.software_weight = v,
                "eps" => params.presence_epsilon = v,
                "size" => params.size_weight = v,
                _ => return Err(format!("unknown parameter {k}").into()),
            }
        }
    }
    println!(
        "technique model: {} (epsilon {}, size weight {}), mu {} backoff {} software weight {}",
        if params.presence_epsilon > 0.0 {
            "presence"
        } else {
            "multinomial"
        },
        params.presence_epsilon,
        params.size_weight,
        params.mu,
        params.backoff,
        params.software_weight
    );
    let eligible: Vec<usize> = (0..kb.groups.len())
        .filter(|&g| kb.groups[g].techniques.len() >= 20)
        .collect();
    println!(
        "{} groups, {} with at least 20 techniques; {seeds} seed(s)",
        kb.groups.len(),
        eligible.len()
    );
    println!("protocol  k | trials | concord top-1 top-3 top-10 | jaccard top-1 top-3 top-10");
    let mut rank_time = std::time::Duration::ZERO;
    let mut ranks = 0u32;
    // protocol "hidden": observe techniques hidden from the profile (the test);
    // protocol "known": observe techniques still in the profile (a sanity check)
    for (protocol, k) in [
        ("hidden", 5usize),
        ("hidden", 10),
        ("hidden", 20),
        ("known", 5),
        ("known", 10),
    ] {
        let (mut n, mut c, mut j) = (0u32, [0u32; 3], [0u32; 3]);
        for seed in 0..seeds {
            let mut rng = Rng::new(seed);
            for &g in &eligible {
                let mut techs: Vec<String> = kb.groups[g].techniques.iter().cloned().collect();
                rng.shuffle(&mut techs);
                let half = techs.len() / 2;
                let (hidden, kept) = techs.split_at(half);
                let mut trial = kb.clone();
                trial.groups[g].techniques = kept.iter().cloned().collect();
                let source = if protocol == "hidden" { hidden } else { kept };
                if source.len() < k {
                    continue;
                }
                let obs: Vec<&str> = source[..k].iter().map(String::as_str).collect();
                let idx = TtpIndex::new(&trial, &params);
                let t = Instant::now();
                let ours = idx.rank(&obs);
                rank_time += t.elapsed();
                ranks += 1;
                let base = rank_jaccard(&trial, &obs);
                // pessimistic on ties: every other group scoring at least as well ranks above
                let pos = |r: &[(usize, f64)]| {
                    let mine = r.iter().find(|(x, _)| *x == g).map(|(_, s)| *s);
                    mine.map(|m| r.iter().filter(|(x, s)| *x != g && *s >= m).count())
                };
                n += 1;
                for (slot, top) in [1usize, 3, 10].iter().enumerate() {
                    if pos(&ours).is_some_and(|p| p < *top) {
                        c[slot] += 1;
                    }
                    if pos(&base).is_some_and(|p| p < *top) {
                        j[slot] += 1;
                    }
                }
            }
        }
        let f = |x: u32| f64::from(x) / f64::from(n.max(1));
        println!(
            "{protocol:<7} {k:>3} | {n:>6} | {:>13.3} {:>5.3} {:>6.3} | {:>13.3} {:>5.3} {:>6.3}",
            f(c[0]),
            f(c[1]),
            f(c[2]),
            f(j[0]),
            f(j[1]),
            f(j[2])
        );
    }
    println!(
        "ranking one observation against {} groups: {:.1} µs on average ({ranks} rankings)",
        kb.groups
            .iter()
            .filter(|g| !g.techniques.is_empty())
            .count(),
        rank_time.as_secs_f64() * 1e6 / f64::from(ranks.max(1))
    );
    Ok(())
}
