//! The temporal hold-out (issue 15): the knowledge base as ATT&CK knew it at v15.1 (every
//! object and relationship created before 2 May 2024), and as the test what ATT&CK added
//! later:
//! - campaigns added later and attributed to a group that already existed: rank the groups
//!   by the campaign's techniques (and with its software as well, through the whole
//!   attribution model); is an attributed group in the top 1 / 3 / 10?
//! - techniques added later to groups that already existed (at least 5 new ones, not in
//!   the old profile): rank by 5 of them;
//! - groups added later whose 18.1 description names a sponsor: does attribution with the
//!   old knowledge base name that state for all their techniques and software?
//!
//! Each against the Jaccard baseline (ties counted against the true group).
//!
//! usage: cargo run --release -p concord-assess --example attribution_temporal -- [BUNDLE]

use concord_assess::attribution::{attribute_guarded, rank_jaccard, Observation, Params, TtpIndex};
use concord_assess::KnowledgeBase;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const CUTOFF: &str = "2024-05-02T00:00:00.000Z";

fn load(path: &str) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let bytes = concord_stix::json::read_file(std::path::Path::new(path), 1 << 30)?;
    let doc: Value = serde_json::from_slice(&bytes)?;
    Ok(doc["objects"].as_array().cloned().unwrap_or_default())
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Position of the first of `truth` in a ranking, ties counted against it.
fn position(ranking: &[(usize, f64)], truth: &BTreeSet<usize>) -> Option<usize> {
    let best = ranking
        .iter()
        .filter(|(g, _)| truth.contains(g))
        .map(|(_, x)| *x)
        .fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() {
        return None;
    }
    Some(
        ranking
            .iter()
            .filter(|(g, x)| !truth.contains(g) && *x >= best)
            .count(),
    )
}

#[derive(Default)]
struct Tally {
    n: u32,
    ours: [u32; 3],
    base: [u32; 3],
}

impl Tally {
    fn add(&mut self, ours: Option<usize>, base: Option<usize>) {
        self.n += 1;
        for (i, top) in [1usize, 3, 10].iter().enumerate() {
            self.ours[i] += u32::from(ours.is_some_and(|p| p < *top));
            self.base[i] += u32::from(base.is_some_and(|p| p < *top));
        }
    }
    fn line(&self, what: &str) -> String {
        format!(
            "{what:<44} | {:>3} | {:>2} / {:>2} / {:>2} | {:>2} / {:>2} / {:>2}",
            self.n,
            self.ours[0],
            self.ours[1],
            self.ours[2],
            self.base[0],
            self.base[1],
            self.base[2]
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/attack/enterprise-attack-18.1.json.gz".into());
    let all = load(&path)?;
    let old: Vec<&Value> = all
        .iter()
        .filter(|o| !s(o, "created").is_empty() && s(o, "created") < CUTOFF)
        .collect();
    let mut p = Params::default();
    if let Ok(x) = std::env::var("PARAMS") {
        for kv in x.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let v: f64 = v.parse()?;
            match k {
                "eps" => p.presence_epsilon = v,
                "size" => p.size_weight = v,
                "temp" => p.ttp_temperature = v,
                "mu" => p.mu = v,
                "sw" => p.software_weight = v,
                "backoff" => p.backoff = v,
                _ => return Err(format!("unknown parameter {k}").into()),
            }
        }
    }
    let new_kb = KnowledgeBase::build(all.iter());
    let kb = KnowledgeBase::build(old.iter().copied());
    let ttp = TtpIndex::new(&kb, &p);
    let by_id: BTreeMap<&str, &Value> = all.iter().map(|o| (s(o, "id"), o)).collect();
    let rels: Vec<&Value> = all
        .iter()
        .filter(|o| s(o, "type") == "relationship" && o.get("revoked") != Some(&Value::Bool(true)))
        .collect();
    println!(
        "knowledge base at v15.1 (created before {CUTOFF}): {} groups, {} techniques; 18.1: {} groups",
        kb.groups.len(),
        kb.techniques.len(),
        new_kb.groups.len()
    );
    println!(
        "{:<44} |   n | concord top-1/3/10 | Jaccard top-1/3/10",
        "hold-out"
    );
    let none = BTreeSet::new();
    // 1. campaigns added after v15.1, attributed to groups that existed then
    let mut camp_ttp = Tally::default();
    let mut camp_all = Tally::default();
    for c in all.iter().filter(|o| {
        s(o, "type") == "campaign"
            && s(o, "created") >= CUTOFF
            && o.get("revoked") != Some(&Value::Bool(true))
    }) {
        let cid = s(c, "id");
        let truth: BTreeSet<usize> = rels
            .iter()
            .filter(|r| s(r, "relationship_type") == "attributed-to" && s(r, "source_ref") == cid)
            .filter_map(|r| kb.group_index(s(r, "target_ref")))
            .collect();
        if truth.is_empty() {
            continue;
        }
        let mut obs = Observation::default();
        for r in rels
            .iter()
            .filter(|r| s(r, "relationship_type") == "uses" && s(r, "source_ref") == cid)
        {
            let t = s(r, "target_ref");
            if let Some(tid) = kb.technique_of(t).or_else(|| new_kb.technique_of(t)) {
                obs.techniques
                    .push((tid.to_string(), s(r, "created").into(), s(r, "id").into()));
            } else if by_id
                .get(t)
                .is_some_and(|o| matches!(s(o, "type"), "malware" | "tool"))
            {
                obs.software.push((t.to_string(), s(r, "created").into()));
            }
        }
        let techs: Vec<&str> = obs.techniques.iter().map(|t| t.0.as_str()).collect();
        let base = position(&rank_jaccard(&kb, &techs), &truth);
        camp_ttp.add(position(&ttp.rank(&techs), &truth), base);
        let a = attribute_guarded(&kb, &ttp, &obs, None, &p, &none);
        let ranking: Vec<(usize, f64)> = a
            .groups
            .iter()
            .enumerate()
            .filter_map(|(i, g)| kb.group_index_by_key(&g.group_id).map(|x| (x, -(i as f64))))
            .collect();
        camp_all.add(position(&ranking, &truth), base);
        println!(
            "    {} {}: {} techniques, {} software; attributed to {}; concord first: {}",
            concord_assess::kb::attack_id(c).unwrap_or(""),
            s(c, "name"),
            techs.len(),
            obs.software.len(),
            truth
                .iter()
                .map(|g| kb.groups[*g].name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            a.groups.first().map_or("-", |g| g.name.as_str())
        );
    }
    println!("{}", camp_ttp.line("new campaigns, techniques only"));
    println!(
        "{}",
        camp_all.line("new campaigns, techniques and software")
    );
    // 2. techniques added after v15.1 to groups that existed then
    let mut later = Tally::default();
    for (g, grp) in kb.groups.iter().enumerate() {
        let Some(ng) = new_kb.group_index(&grp.stix_id) else {
            continue;
        };
        let added: Vec<&str> = rels
            .iter()
            .filter(|r| {
                s(r, "relationship_type") == "uses"
                    && s(r, "source_ref") == grp.stix_id
                    && s(r, "created") >= CUTOFF
            })
            .filter_map(|r| new_kb.technique_of(s(r, "target_ref")))
            .filter(|t| !grp.techniques.contains(*t))
            .collect();
        let _ = ng;
        if added.len() < 5 {
            continue;
        }
        let obs: Vec<&str> = added[..5].to_vec();
        let truth: BTreeSet<usize> = [g].into();
        later.add(
            position(&ttp.rank(&obs), &truth),
            position(&rank_jaccard(&kb, &obs), &truth),
        );
    }
    println!(
        "{}",
        later.line("techniques added later to old groups, k = 5")
    );
    // 3. groups added after v15.1 with a sponsor in 18.1: is their state named?
    let (mut n, mut right, mut base_right, mut ally) = (0, 0, 0, 0);
    let allies = concord_assess::attribution::default_protected();
    for grp in new_kb
        .groups
        .iter()
        .filter(|g| kb.group_index(&g.stix_id).is_none())
    {
        let Some(truth) = grp.sponsor() else { continue };
        let mut obs = Observation::default();
        for t in &grp.techniques {
            obs.techniques
                .push((t.clone(), "2025-01-01T00:00:00Z".into(), "r".into()));
        }
        for sw in &grp.software {
            obs.software
                .push((sw.clone(), "2025-01-01T00:00:00Z".into()));
        }
        if obs.techniques.is_empty() {
            continue;
        }
        n += 1;
        let a = attribute_guarded(&kb, &ttp, &obs, None, &p, allies);
        if a.state.as_deref() == Some(truth) {
            right += 1;
        }
        if a.state
            .as_ref()
            .is_some_and(|s| allies.contains(s) && !allies.contains(truth))
        {
            ally += 1;
        }
        let techs: Vec<&str> = grp.techniques.iter().map(String::as_str).collect();
        if rank_jaccard(&kb, &techs)
            .first()
            .and_then(|(g, _)| kb.groups[*g].sponsor())
            == Some(truth)
        {
            base_right += 1;
        }
        println!(
            "    {} ({truth}): concord names {}",
            grp.name,
            a.state.as_deref().unwrap_or("no state")
        );
    }
    println!(
        "groups added later with a sponsor: {n}; leading state right: concord {right}, sponsor of Jaccard's top group {base_right}; alliance member named for a non-member: {ally}"
    );
    Ok(())
}
