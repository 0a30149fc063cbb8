//! Tests of the sponsor-claim extractor on sentences from ATT&CK 18.1 and the MISP galaxy.
use super::*;

fn claims(text: &str, names: &[&str]) -> Vec<(String, Relation, char)> {
    let mut v: Vec<(String, Relation, char)> = extract(text, names)
        .claims
        .into_iter()
        .map(|c| (c.state, c.relation, c.reliability))
        .collect();
    v.sort();
    v
}

fn one(state: &str, relation: Relation, r: char) -> Vec<(String, Relation, char)> {
    vec![(state.to_string(), relation, r)]
}

#[test]
fn state_organs_are_reliability_a() {
    let apt28 = "[APT28](https://attack.mitre.org/groups/G0007) is a threat group that has been attributed to Russia's General Staff Main Intelligence Directorate (GRU) 85th Main Special Service Center (GTsSS) military unit 26165.(Citation: NSA/FBI Drovorub August 2020) This group has been active since at least 2004.";
    assert_eq!(
        claims(apt28, &["APT28"]),
        one("RUS", Relation::Sponsor, 'A')
    );
    let lazarus = "Lazarus Group is a North Korean state-sponsored cyber threat group attributed to the Reconnaissance General Bureau (RGB).";
    assert_eq!(
        claims(lazarus, &["Lazarus Group"]),
        one("PRK", Relation::Sponsor, 'A')
    );
    let apt1 = "APT1 is a Chinese threat group that has been attributed to the 2nd Bureau of the People’s Liberation Army (PLA) General Staff Department’s (GSD) 3rd Department.";
    assert_eq!(claims(apt1, &["APT1"]), one("CHN", Relation::Sponsor, 'A'));
    // the organ named in a later sentence that names the group
    let agrius = "Agrius is an Iranian threat actor active since 2020. Public reporting has linked Agrius to Iran's Ministry of Intelligence and Security (MOIS).";
    assert_eq!(
        claims(agrius, &["Agrius"]),
        one("IRN", Relation::Sponsor, 'A')
    );
    let menupass = "menuPass is a threat group that has been active since at least 2006. Individual members of menuPass are known to have acted in association with the Chinese Ministry of State Security's (MSS) Tianjin State Security Bureau.";
    assert_eq!(
        claims(menupass, &["menuPass"]),
        one("CHN", Relation::Sponsor, 'A')
    );
    // hedged: B
    let magic = "Magic Hound is an Iranian-sponsored threat group that conducts long term, resource-intensive cyber espionage operations, likely on behalf of the Islamic Revolutionary Guard Corps.";
    assert_eq!(
        claims(magic, &["Magic Hound"]),
        one("IRN", Relation::Sponsor, 'B')
    );
}

#[test]
fn state_sponsored_links_and_national_actors() {
    let volt = "Volt Typhoon is a People's Republic of China (PRC) state-sponsored actor that has been active since at least 2021 primarily targeting critical infrastructure organizations in the US.";
    assert_eq!(
        claims(volt, &["Volt Typhoon"]),
        one("CHN", Relation::Sponsor, 'B')
    );
    let apt12 = "APT12 is a threat group that has been attributed to China.";
    assert_eq!(
        claims(apt12, &["APT12"]),
        one("CHN", Relation::Sponsor, 'B')
    );
    let hafnium = "HAFNIUM is a likely state-sponsored cyber espionage group operating out of China that has been active since at least January 2021.";
    assert_eq!(
        claims(hafnium, &["HAFNIUM"]),
        one("CHN", Relation::Sponsor, 'C')
    );
    let fox = "Fox Kitten is threat actor with a suspected nexus to the Iranian government that has been active since at least 2017.";
    assert_eq!(
        claims(fox, &["Fox Kitten"]),
        one("IRN", Relation::Sponsor, 'C')
    );
    let sea = "Sea Turtle is a Türkiye-linked threat actor active since at least 2017 performing espionage.";
    assert_eq!(
        claims(sea, &["Sea Turtle"]),
        one("TUR", Relation::Sponsor, 'C')
    );
    let vivern = "Winter Vivern is a group linked to Russian and Belorussian interests active since at least 2020.";
    assert_eq!(
        claims(vivern, &["Winter Vivern"]),
        vec![
            ("BLR".to_string(), Relation::Sponsor, 'C'),
            ("RUS".to_string(), Relation::Sponsor, 'C')
        ]
    );
    let axiom = "Axiom is a suspected Chinese cyber espionage group that has targeted the aerospace, defense, government, manufacturing, and media sectors since at least 2008.";
    assert_eq!(
        claims(axiom, &["Axiom"]),
        one("CHN", Relation::Sponsor, 'D')
    );
    let kimsuky = "Kimsuky is a North Korea-based cyber espionage group that has been active since at least 2012.";
    assert_eq!(
        claims(kimsuky, &["Kimsuky"]),
        one("PRK", Relation::Sponsor, 'D')
    );
    let stealth = "Stealth Falcon is a threat group that has conducted targeted spyware attacks against Emirati journalists since at least 2012. Circumstantial evidence suggests there could be a link between this group and the United Arab Emirates (UAE) government.";
    assert_eq!(
        claims(stealth, &["Stealth Falcon"]),
        one("ARE", Relation::Sponsor, 'C')
    );
}

#[test]
fn origins_languages_and_victims_are_not_sponsors() {
    let apt17 = "APT17 is a China-based threat group that has conducted network intrusions against U.S. government entities.";
    assert_eq!(claims(apt17, &["APT17"]), one("CHN", Relation::Origin, 'D'));
    let octopus = "Nomadic Octopus is a Russian-speaking cyber espionage threat group that has primarily targeted Central Asia.";
    assert!(claims(octopus, &["Nomadic Octopus"]).is_empty());
    let strider = "Strider is a threat group that has been active since at least 2011 and has targeted victims in Russia, China, Sweden, Belgium, Iran, and Rwanda.";
    assert!(claims(strider, &["Strider"]).is_empty());
    let promethium = "PROMETHIUM is an activity group focused on espionage that has been active since at least 2012. The group has conducted operations globally with a heavy emphasis on Turkish targets.";
    assert!(claims(promethium, &["PROMETHIUM"]).is_empty());
    // another group's sponsor is not this group's
    let xaknet = "XakNet is a self-proclaimed hacktivist group that has targeted Ukraine. They coordinate their operations with other hacktivist groups and have connections to APT28, a cyber espionage group sponsored by the GRU.";
    assert!(claims(xaknet, &["XakNet"])
        .iter()
        .all(|c| c.1 != Relation::Sponsor));
    let frwl = "From Russia with Love is a threat actor group. While there is no direct evidence linking FRwL to the Russian Main Intelligence Directorate, it is possible that they coordinate.";
    assert!(claims(frwl, &["FRwL", "From Russia with Love"]).is_empty());
    // a sentence about something else
    let other = "Sofacy is active. The SolarWinds Compromise was attributed to Russia's SVR.";
    assert!(claims(other, &["Sofacy"]).is_empty());
}

#[test]
fn criminal_and_activist_typing() {
    let wizard = "Wizard Spider is a Russia-based financially motivated threat group originally known for the creation and deployment of TrickBot since at least 2016.";
    let f = extract(wizard, &["Wizard Spider"]);
    assert!(f.criminal.is_some());
    assert_eq!(f.claims[0].relation, Relation::Origin);
    let fin4 = "FIN4 is a financially-motivated threat group that has targeted confidential information related to the public financial market.";
    assert!(extract(fin4, &["FIN4"]).criminal.is_some());
    // state sponsorship in the same text outweighs financial motivation
    let apt41 = "APT41 is a threat group that researchers have assessed as Chinese state-sponsored espionage group that also conducts financially-motivated operations.";
    let f = extract(apt41, &["APT41"]);
    assert!(f.criminal.is_none());
    assert_eq!(f.claims[0].reliability, 'B');
    let zarya = "Zarya is a pro-Russian hacktivist group that emerged in March 2022.";
    let f = extract(zarya, &["Zarya"]);
    assert!(f.activist.is_some());
    assert_eq!(
        f.claims,
        vec![TextClaim {
            state: "RUS".into(),
            relation: Relation::Aligned,
            reliability: 'C',
            basis: "aligned",
            quote: zarya.into(),
        }]
    );
}

#[test]
fn cleaning_and_sentences() {
    let t = clean("[APT28](https://attack.mitre.org/groups/G0007) is a group.(Citation: X Y) It hit the U.S. Department of State.\n\nDone.");
    assert_eq!(
        t,
        "APT28 is a group. It hit the U.S. Department of State. Done."
    );
    assert_eq!(sentences(&t).len(), 3);
    // nothing panics on odd text
    for s in [
        "",
        ".",
        "é. É",
        "pro-",
        "Russia's",
        "attributed to",
        "’–—",
        "a. b. c",
    ] {
        let _ = extract(s, &["x", "é", ""]);
    }
}

proptest::proptest! {
    #[test]
    fn never_panics(text in ".{0,300}", name in ".{0,12}") {
        let f = extract(&text, &[name.as_str(), "APT28"]);
        for c in f.claims {
            proptest::prop_assert!(('A'..='D').contains(&c.reliability));
        }
    }

    #[test]
    fn never_panics_on_sponsor_words(words in proptest::collection::vec(proptest::sample::select(vec![
        "APT28", "is", "a", "Russian", "Chinese", "state-sponsored", "attributed", "to", "the",
        "GRU", "İ", "ß", "pro-", "-based", "group", "suspected", ".", "(PRC)", "’s", "—", "U.S.",
        "They", "targeting", "espionage", "MSS", "Türkiye", "-linked", "government",
    ]), 0..40)) {
        let text = words.join(" ");
        let _ = extract(&text, &["APT28", "İİ"]);
    }
}
