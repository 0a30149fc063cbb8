//! Unit tests of the knowledge base: merging across sources, sponsor links with their
//! provenance, actor kinds, campaigns (a module of `kb`).
use super::*;
use crate::galaxy;
use serde_json::json;

fn ap(n: u32, t: &str) -> Value {
    json!({"type": "attack-pattern", "id": format!("attack-pattern--{n}"), "name": t,
        "external_references": [{"source_name": "mitre-attack", "external_id": t}]})
}

fn set(n: u32, gid: &str, name: &str, aliases: &[&str], description: &str) -> Value {
    json!({"type": "intrusion-set", "id": format!("intrusion-set--{n}"), "name": name,
        "aliases": aliases, "description": description,
        "external_references": [{"source_name": "mitre-attack", "external_id": gid}]})
}

fn rel(n: u32, ty: &str, src: &str, dst: &str) -> Value {
    json!({"type": "relationship", "id": format!("relationship--{n}"), "relationship_type": ty,
        "source_ref": src, "target_ref": dst})
}

fn galaxy_objects() -> Vec<Value> {
    let g = json!({"values": [
        {"value": "Sofacy", "uuid": "5b4ee3ea-eee3-4c8e-8323-85ae32658754",
         "meta": {"country": "RU", "cfr-suspected-state-sponsor": "Russian Federation",
                  "synonyms": ["Fancy Bear", "G0007"]}},
        {"value": "WOLF SPIDER", "uuid": "00000000-0000-4000-8000-000000000003",
         "meta": {"country": "RO", "synonyms": ["FIN4"]}},
        {"value": "WIZARD SPIDER", "uuid": "00000000-0000-4000-8000-000000000005",
         "meta": {"country": "RU", "cfr-suspected-state-sponsor": "Russian Federation"}},
        {"value": "Killnet", "uuid": "00000000-0000-4000-8000-000000000004",
         "meta": {"cfr-type-of-incident": "Denial of service",
                  "refs": ["https://example.org/pro-russian-hackers-target-czech-websites"]}},
        {"value": "NoName057(16)", "uuid": "00000000-0000-4000-8000-000000000006",
         "meta": {"cfr-type-of-incident": ["Denial of service"], "synonyms": ["NoName057"]}},
        {"value": "Zarya", "uuid": "00000000-0000-4000-8000-000000000007",
         "description": "Zarya is a pro-Russian hacktivist group that emerged in March 2022. Initially operating as a special forces unit under the command of Killnet, Zarya has since become an independent entity.",
         "meta": {"country": "RU"}},
        {"value": "Denim Tsunami", "uuid": "00000000-0000-4000-8000-000000000008",
         "meta": {"country": "AT", "synonyms": ["KNOTWEED"]}},
    ]});
    galaxy::to_stix(&g).unwrap().0
}

fn kb() -> KnowledgeBase {
    let mut objs = vec![
        ap(1, "T1566.001"),
        ap(2, "T1059.001"),
        ap(3, "T1486"),
        set(7, "G0007", "APT28", &["APT28", "Sofacy", "Fancy Bear"],
            "[APT28](https://attack.mitre.org/groups/G0007) is a threat group that has been attributed to Russia's General Staff Main Intelligence Directorate (GRU) 85th Main Special Service Center (GTsSS) military unit 26165.(Citation: X)"),
        set(85, "G0085", "FIN4", &["FIN4"],
            "FIN4 is a financially-motivated threat group that has targeted confidential information related to the public financial market."),
        set(102, "G0102", "Wizard Spider", &["Wizard Spider", "WIZARD SPIDER"],
            "Wizard Spider is a Russia-based financially motivated threat group originally known for the creation and deployment of TrickBot since at least 2016."),
        set(1001, "G1001", "HEXANE", &["HEXANE"], "HEXANE is a cyber espionage threat group."),
        json!({"type": "campaign", "id": "campaign--38", "name": "HomeLand Justice",
            "description": "HomeLand Justice was a disruptive campaign involving the use of ransomware conducted by Iranian state cyber actors against Albanian government networks in July and September 2022.",
            "external_references": [{"source_name": "mitre-attack", "external_id": "C0038"}]}),
        rel(1, "uses", "intrusion-set--7", "attack-pattern--1"),
        rel(2, "uses", "campaign--38", "attack-pattern--3"),
        rel(3, "attributed-to", "campaign--38", "intrusion-set--1001"),
    ];
    objs.extend(galaxy_objects());
    KnowledgeBase::build(objs.iter())
}

#[test]
fn sponsors_carry_source_and_reliability() {
    let kb = kb();
    let apt28 = kb.group("Fancy Bear").unwrap();
    assert_eq!(apt28.attack_id.as_deref(), Some("G0007"));
    assert_eq!(apt28.kind, ActorKind::State);
    assert_eq!(apt28.sponsor(), Some("RUS"));
    let best = &apt28.sponsors[0];
    assert_eq!((best.state.as_str(), best.reliability), ("RUS", 'A'));
    assert_eq!(best.source, "intrusion-set--7");
    assert!(
        best.origin.starts_with("ATT&CK description (G0007)"),
        "{}",
        best.origin
    );
    assert!(best.note.contains("GRU"));
    // the galaxy's suspected sponsor is there too, rated C, and its country is an origin
    assert!(apt28
        .sponsors
        .iter()
        .any(|l| l.origin == "MISP galaxy" && l.reliability == 'C'));
    assert!(apt28
        .sponsors
        .iter()
        .any(|l| l.relation == Relation::Origin && l.state == "RUS"));
    assert!(apt28.weight_of("RUS") > 0.98);
    assert!(
        apt28.merged[0].contains("references ATT&CK group G0007"),
        "{:?}",
        apt28.merged
    );
}

#[test]
fn country_is_never_a_sponsor_and_criminals_are_criminal() {
    let kb = kb();
    let fin4 = kb.group("FIN4").unwrap();
    assert_eq!(fin4.kind, ActorKind::Criminal);
    assert_eq!(
        fin4.sponsor(),
        None,
        "Romania is FIN4's origin, not its sponsor"
    );
    assert!(fin4.sponsors.iter().all(|l| l.relation == Relation::Origin));
    // a criminal group keeps a suspected sponsor (CFR), and stays criminal
    let wizard = kb.group("Wizard Spider").unwrap();
    assert_eq!(wizard.kind, ActorKind::Criminal);
    assert!(wizard.kind_reason.contains("financially motivated"));
    assert_eq!(wizard.sponsor(), Some("RUS"));
    assert!((wizard.weight_of("RUS") - 0.8).abs() < 1e-9);
    // a galaxy entry with only a country: no sponsor, unknown
    let denim = kb.group("KNOTWEED").unwrap();
    assert_eq!(denim.kind, ActorKind::Unknown);
    assert_eq!(denim.sponsor(), None);
    assert!(!denim.has_profile());
}

#[test]
fn ddos_collectives_are_state_aligned() {
    let kb = kb();
    let killnet = kb.group("Killnet").unwrap();
    assert_eq!(killnet.kind, ActorKind::StateAligned);
    assert_eq!(killnet.sponsor(), Some("RUS"));
    // Zarya says it served under Killnet and is pro-Russian: both reasons are kept
    assert!(killnet
        .sponsors
        .iter()
        .any(|l| l.origin.contains("named as an associate by Zarya")));
    assert!(killnet
        .sponsors
        .iter()
        .any(|l| l.note.contains("pro-russian")));
    let zarya = kb.group("Zarya").unwrap();
    assert_eq!(zarya.kind, ActorKind::StateAligned);
    assert_eq!(zarya.sponsors[0].reliability, 'C');
    // an activist group nobody links to a state: unknown
    let noname = kb.group("NoName057").unwrap();
    assert_eq!(noname.kind, ActorKind::Unknown);
}

#[test]
fn campaigns_add_profile_and_claims() {
    let kb = kb();
    let hexane = kb.group("HEXANE").unwrap();
    assert!(hexane.techniques.contains("T1486"));
    assert_eq!(hexane.campaigns, ["C0038 HomeLand Justice"]);
    assert_eq!(hexane.sponsor(), Some("IRN"));
    assert!(hexane.sponsors[0].origin.contains("campaign C0038"));
    assert_eq!(hexane.sponsors[0].reliability, 'B');
    let s = kb.summary();
    assert_eq!(s["attack_groups"], 4);
    assert_eq!(
        s["groups"],
        4 + 4,
        "three of seven galaxy entries merge into ATT&CK groups"
    );
}
