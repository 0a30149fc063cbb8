//! Synthetic STIX bundles with known ground truth (`concord gen`): campaigns of incidents
//! across members linked by shared private infrastructure, noise incidents with their own
//! artefacts, and decoys that share only public services. Each campaign has a technique
//! profile (disjoint slices of a pool of real ATT&CK ids) and one incident that shares no
//! infrastructure, only techniques, so technique similarity must find it. Deterministic for
//! a seed.

use concord_stix::concord_ext::{EXTENSION_ID, SECTORS};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The mix of a generated scenario.
#[derive(Debug, Clone, Copy)]
pub struct Mix {
    pub campaigns: usize,
    pub incidents_per_campaign: usize,
    pub noise: usize,
    pub decoys: usize,
    /// Extra private indicators (STIX `indicator` objects with a pattern) per incident.
    pub indicators: usize,
    pub seed: u64,
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            campaigns: 8,
            incidents_per_campaign: 6,
            noise: 30,
            decoys: 20,
            indicators: 0,
            seed: 1,
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn uuid4(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let x = ((u128::from(a) << 64) | u128::from(b)) & !(0xF << 76) & !(0x3 << 62);
        let x = x | (0x4 << 76) | (0x2 << 62);
        let h = format!("{x:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

const MEMBERS: &[&str] = &[
    "EST", "LVA", "LTU", "POL", "FIN", "DEU", "FRA", "NLD", "NOR", "ROU",
];
const EFFECTS: &[&str] = &["espionage", "disruption", "data_destruction", "destruction"];
/// ATT&CK technique ids the generator draws from (real ids; the objects it writes are
/// its own attack-patterns carrying these external ids).
const TECHNIQUES: &[&str] = &[
    "T1566.001",
    "T1566.002",
    "T1059.001",
    "T1059.003",
    "T1071.001",
    "T1105",
    "T1486",
    "T1490",
    "T1498",
    "T1499",
    "T1190",
    "T1133",
    "T1078",
    "T1003.001",
    "T1021.001",
    "T1021.002",
    "T1047",
    "T1053.005",
    "T1027",
    "T1140",
    "T1036",
    "T1055",
    "T1070.004",
    "T1082",
    "T1083",
    "T1016",
    "T1018",
    "T1057",
    "T1112",
    "T1547.001",
    "T1543.003",
    "T1569.002",
    "T1005",
    "T1039",
    "T1114",
    "T1560",
    "T1041",
    "T1048",
    "T1567",
    "T1102",
    "T1090",
    "T1573",
    "T1572",
    "T1485",
    "T1561",
    "T1489",
    "T1491",
    "T1529",
];

const PUBLIC: &[(&str, &str)] = &[
    ("ipv4-addr", "8.8.8.8"),
    ("ipv4-addr", "1.1.1.1"),
    ("domain-name", "www.google.com"),
    ("domain-name", "update.microsoft.com"),
];

/// Generate a bundle and its ground truth (incident id -> campaign label; noise and decoy
/// incidents are labelled `noise-N` / `decoy-N`, one each).
pub fn generate(mix: Mix) -> (Value, BTreeMap<String, String>) {
    let mut rng = Rng(mix.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut objects: Vec<Value> = Vec::new();
    let mut truth = BTreeMap::new();
    // 2026-01-01 plus `day` days and (day mod 24) hours
    let ts = |day: usize| {
        let day = day as i64;
        concord_stix::timestamp::format_unix_millis(
            1_767_225_600_000 + day * 86_400_000 + (day % 24) * 3_600_000,
        )
    };
    let mut serial = 0u64;
    let observable = |objects: &mut Vec<Value>, rng: &mut Rng, ty: &str, value: String| -> String {
        let id = format!("{ty}--{}", rng.uuid4());
        objects.push(json!({"type": ty, "spec_version": "2.1", "id": id, "value": value}));
        id
    };
    let incident = |objects: &mut Vec<Value>, rng: &mut Rng, day: usize, label: &str| -> String {
        let id = format!("incident--{}", rng.uuid4());
        let victim = MEMBERS[rng.below(MEMBERS.len())];
        let sector = SECTORS[rng.below(SECTORS.len())];
        objects.push(json!({"type": "incident", "spec_version": "2.1", "id": id, "created": ts(day), "modified": ts(day),
            "name": format!("synthetic {label} incident on day {day}"),
            "extensions": {EXTENSION_ID: {"extension_type": "property-extension", "victims": [victim], "sectors": [sector],
                "effects": EFFECTS[rng.below(EFFECTS.len())], "first_seen": ts(day)}}}));
        id
    };
    let relate = |objects: &mut Vec<Value>, rng: &mut Rng, from: &str, to: &str, day: usize| {
        objects.push(json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{}", rng.uuid4()),
            "created": ts(day), "modified": ts(day), "relationship_type": "related-to", "source_ref": from, "target_ref": to}));
    };
    // private indicators of one incident (each value unique to it)
    let indicators = |objects: &mut Vec<Value>,
                      rng: &mut Rng,
                      serial: &mut u64,
                      inc: &str,
                      day: usize| {
        for _ in 0..mix.indicators {
            *serial += 1;
            let n = *serial;
            let pattern = if n.is_multiple_of(2) {
                format!(
                    "[ipv4-addr:value = '10.{}.{}.{}']",
                    n >> 16 & 255,
                    n >> 8 & 255,
                    n & 255
                )
            } else {
                format!("[domain-name:value = 'i{n}.example']")
            };
            let id = format!("indicator--{}", rng.uuid4());
            objects.push(json!({"type": "indicator", "spec_version": "2.1", "id": id,
                "created": ts(day), "modified": ts(day), "pattern": pattern, "pattern_type": "stix",
                "valid_from": ts(day), "indicator_types": ["malicious-activity"]}));
            objects.push(json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{}", rng.uuid4()),
                "created": ts(day), "modified": ts(day), "relationship_type": "related-to", "source_ref": inc, "target_ref": id}));
        }
    };
    let uses = |objects: &mut Vec<Value>, rng: &mut Rng, from: &str, to: &str, day: usize| {
        objects.push(json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{}", rng.uuid4()),
            "created": ts(day), "modified": ts(day), "relationship_type": "uses", "source_ref": from, "target_ref": to}));
    };
    let technique_ids: Vec<String> = TECHNIQUES
        .iter()
        .map(|t| {
            let id = format!("attack-pattern--{}", rng.uuid4());
            objects.push(
                json!({"type": "attack-pattern", "spec_version": "2.1", "id": id,
                "created": ts(0), "modified": ts(0), "name": format!("technique {t}"),
                "external_references": [{"source_name": "mitre-attack", "external_id": t}]}),
            );
            id
        })
        .collect();
    let public_ids: Vec<String> = PUBLIC
        .iter()
        .map(|(t, v)| observable(&mut objects, &mut rng, t, (*v).to_string()))
        .collect();
    let mut day = 0;
    for c in 0..mix.campaigns {
        let label = format!("campaign-{c}");
        // private infrastructure of the campaign: 3 addresses in documentation ranges and a domain
        let mut infra: Vec<String> = Vec::new();
        for k in 0..3 {
            infra.push(observable(&mut objects, &mut rng, "ipv4-addr", {
                // unique per campaign: 100.64.0.0/10 (shared address space)
                let n = c * 3 + k;
                format!("100.{}.{}.{}", 64 + (n >> 16) % 64, (n >> 8) & 255, n & 255)
            }));
        }
        let domain = format!("c{c}-{}.example", rng.below(1_000_000));
        infra.push(observable(&mut objects, &mut rng, "domain-name", domain));
        // the campaign's technique profile: a slice of six of the pool (disjoint for the
        // first eight campaigns), then six drawn at random
        let profile: Vec<&String> = if (c + 1) * 6 <= technique_ids.len() {
            (0..6).map(|k| &technique_ids[c * 6 + k]).collect()
        } else {
            let mut picked: Vec<usize> = Vec::new();
            while picked.len() < 6 {
                let k = rng.below(technique_ids.len());
                if !picked.contains(&k) {
                    picked.push(k);
                }
            }
            picked.iter().map(|&k| &technique_ids[k]).collect()
        };
        let mut prev: Option<usize> = None;
        for n in 0..mix.incidents_per_campaign {
            day += 1;
            let id = incident(&mut objects, &mut rng, day, &label);
            indicators(&mut objects, &mut rng, &mut serial, &id, day);
            // four or five of the profile's six techniques
            let skip = rng.below(6);
            for (k, t) in profile.iter().enumerate() {
                if k != skip && (n % 2 == 0 || k != (skip + 3) % 6) {
                    uses(&mut objects, &mut rng, &id, t, day);
                }
            }
            if n + 1 == mix.incidents_per_campaign && n > 0 {
                // the last one shares no infrastructure: only its techniques link it
                truth.insert(id, label.clone());
                continue;
            }
            // chain: share the previous incident's artefact, add one more of the campaign's
            let a = prev.unwrap_or_else(|| rng.below(infra.len()));
            let b = rng.below(infra.len());
            relate(&mut objects, &mut rng, &id, &infra[a], day);
            relate(&mut objects, &mut rng, &id, &infra[b], day);
            prev = Some(b);
            // public services appear in campaigns too
            if rng.below(3) == 0 {
                let p = public_ids[rng.below(public_ids.len())].clone();
                relate(&mut objects, &mut rng, &id, &p, day);
            }
            truth.insert(id, label.clone());
        }
    }
    for n in 0..mix.noise {
        day += 1;
        let id = incident(&mut objects, &mut rng, day, "noise");
        indicators(&mut objects, &mut rng, &mut serial, &id, day);
        let own = observable(
            &mut objects,
            &mut rng,
            "ipv4-addr",
            // unique per noise incident: 198.18.0.0/15 (benchmarking range)
            format!("198.{}.{}.{}", 18 + (n >> 16) % 2, (n >> 8) & 255, n & 255),
        );
        relate(&mut objects, &mut rng, &id, &own, day);
        for _ in 0..3 {
            let t = technique_ids[rng.below(technique_ids.len())].clone();
            uses(&mut objects, &mut rng, &id, &t, day);
        }
        truth.insert(id, format!("noise-{n}"));
    }
    for n in 0..mix.decoys {
        day += 1;
        let id = incident(&mut objects, &mut rng, day, "decoy");
        indicators(&mut objects, &mut rng, &mut serial, &id, day);
        for _ in 0..2 {
            let p = public_ids[rng.below(public_ids.len())].clone();
            relate(&mut objects, &mut rng, &id, &p, day);
        }
        truth.insert(id, format!("decoy-{n}"));
    }
    let bundle =
        json!({"type": "bundle", "id": format!("bundle--{}", rng.uuid4()), "objects": objects});
    (bundle, truth)
}

/// Adjusted Rand index of two labellings of the same items.
pub fn adjusted_rand_index(truth: &[&str], pred: &[&str]) -> f64 {
    let n = truth.len();
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut table: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut a: BTreeMap<&str, f64> = BTreeMap::new();
    let mut b: BTreeMap<&str, f64> = BTreeMap::new();
    for (t, p) in truth.iter().zip(pred) {
        *table.entry((t, p)).or_default() += 1.0;
        *a.entry(t).or_default() += 1.0;
        *b.entry(p).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|x| c2(*x)).sum();
    let sa: f64 = a.values().map(|x| c2(*x)).sum();
    let sb: f64 = b.values().map(|x| c2(*x)).sum();
    let expected = sa * sb / c2(n as f64).max(1.0);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ari_basics() {
        assert_eq!(
            adjusted_rand_index(&["a", "a", "b", "b"], &["x", "x", "y", "y"]),
            1.0
        );
        assert!(adjusted_rand_index(&["a", "a", "b", "b"], &["x", "y", "x", "y"]) < 0.01);
    }

    #[test]
    fn deterministic_and_valid_stix() {
        let (a, ta) = generate(Mix::default());
        let (b, _) = generate(Mix::default());
        assert_eq!(a, b);
        assert_eq!(ta.len(), 8 * 6 + 30 + 20);
        let doc = concord_stix::json::parse_document(&a.to_string(), "gen").map(|d| {
            concord_stix::validate::validate_document(&d, &concord_stix::Options::default())
                .is_valid()
        });
        assert_eq!(doc.ok(), Some(true));
    }
}
