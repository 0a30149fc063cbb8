//! The real-data test set (issue 15): ATT&CK plus the MISP galaxy, synthetic incidents per
//! sponsored group, with and without a B2 claim; the share of cases whose leading state is
//! right, top-1/top-3 groups, alliance members named for non-members, and the time to
//! attribute one incident against the merged knowledge base.
//!
//! usage: cargo run --release -p concord-assess --example attribution_realdata -- \
//!          [ATTACK_BUNDLE] [GALAXY] [SEEDS]

use concord_assess::attribution::{attribute, default_protected, Params, TtpIndex};
use concord_assess::eval::{cases, score, ClaimMode, Draw};
use concord_assess::KnowledgeBase;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let attack = a
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/data/attack/enterprise-attack-18.1.json.gz".into());
    let galaxy = a
        .get(2)
        .cloned()
        .unwrap_or_else(|| "../shared/data/incidents/misp-galaxy/threat-actor.json".into());
    let seeds: u64 = a.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let bytes = concord_stix::json::read_file(std::path::Path::new(&attack), 1 << 30)?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes)?;
    let mut objs = doc["objects"].as_array().cloned().unwrap_or_default();
    let g: serde_json::Value = serde_json::from_slice(&std::fs::read(&galaxy)?)?;
    objs.extend(concord_assess::galaxy::to_stix(&g)?.0);
    let t = Instant::now();
    let kb = KnowledgeBase::build(objs.iter());
    let built = t.elapsed();
    let mut p = Params::default();
    if let Ok(x) = std::env::var("PARAMS") {
        for kv in x.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let v: f64 = v.parse()?;
            match k {
                "prior_unknown" => p.prior_unknown = v,
                "size" => p.size_weight = v,
                "ref" => p.claim_reference_prior = v,
                "mu" => p.mu = v,
                "eps" => p.presence_epsilon = v,
                "other" => p.other_group_mass = v,
                "balance" => p.state_balance = v,
                "relative" => p.ttp_relative = v > 0.0,
                "temp" => p.ttp_temperature = v,
                "cap" => p.ttp_max_lr = v,
                "swlr" => p.software_lr = v,
                "claimexp" => p.claim_state_exponent = v,
                _ => return Err(format!("unknown parameter {k}").into()),
            }
        }
    }
    let t = Instant::now();
    let ttp = TtpIndex::new(&kb, &p);
    let indexed = t.elapsed();
    let allies = default_protected();
    println!(
        "knowledge base: {} groups ({} with a profile), built in {:.0} ms, technique index {:.0} ms; {:?}",
        kb.groups.len(),
        kb.groups.iter().filter(|g| g.has_profile()).count(),
        built.as_secs_f64() * 1e3,
        indexed.as_secs_f64() * 1e3,
        p
    );
    println!("claim           k  sw | cases | state right | top-1 top-3 | ally for non-member | levels of right (none/low/mod/high)");
    let mut timed = 0u32;
    let mut time = std::time::Duration::ZERO;
    for (claim, k, sw) in [
        (ClaimMode::None, 5, 1),
        (ClaimMode::None, 10, 2),
        (ClaimMode::None, 3, 0),
        (ClaimMode::GroupAndState, 5, 1),
        (ClaimMode::GroupOnly, 5, 1),
        (ClaimMode::GroupAndState, 3, 0),
        (ClaimMode::StateOnly, 5, 1),
    ] {
        let mut all = Vec::new();
        for seed in 0..seeds {
            all.extend(cases(
                &kb,
                &Draw {
                    techniques: k,
                    software: sw,
                    per_group: 1,
                    seed,
                    claim,
                },
            ));
        }
        let t = Instant::now();
        let s = score(&kb, &ttp, &p, allies, &all);
        time += t.elapsed();
        timed += all.len() as u32;
        println!(
            "{:<15} {k:>2} {sw:>3} | {:>5} | {:>11.3} | {:.3} {:.3} | {:>19} | {:?}",
            format!("{claim:?}"),
            s.cases,
            s.share(s.state_right),
            s.share(s.top1),
            s.share(s.top3),
            s.ally_named_for_non_member,
            s.levels
        );
        if std::env::var("WRONG").is_ok() {
            let mut w: Vec<String> = s
                .wrong
                .iter()
                .map(|(g, t, l)| {
                    format!(
                        "{} ({t}) -> {}",
                        kb.groups[*g].name,
                        l.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            w.sort();
            w.dedup();
            println!("    wrong: {}", w.join("; "));
        }
    }
    println!(
        "attributing one incident against {} groups: {:.2} ms on average ({timed} incidents)",
        kb.groups.len(),
        time.as_secs_f64() * 1e3 / f64::from(timed.max(1))
    );
    let _ = attribute;
    Ok(())
}
