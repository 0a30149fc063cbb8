//! Sponsor links and actor kinds: every statement that ties a group to a state, gathered
//! from `attributed-to` and `originates-from` relationships, from the descriptions of the
//! group's objects and of the ATT&CK campaigns attributed to it, from the references of
//! activist groups, and from activist groups naming their allies; then the group's kind and
//! the states its probability pools into (docs/knowledge-base.md).
//!
//! Pooling: a link of reliability A, B, C, D (E, F for rated relationships) weighs 0.95,
//! 0.9, 0.8, 0.6 (0.5, 0.6); links to one state combine as independent sources
//! (1 - product of (1 - w)); if the states' weights add up to more than 1 they are scaled
//! to 1. What is left is "no state". Origins never pool. Which links pool depends on the
//! kind: a criminal group pools only links of reliability C or better (a suspected sponsor,
//! never a national label), an activist group its alignments and sponsor links of C or
//! better.
//!
//! Kind (first rule that applies): an activist typing from the group's ATT&CK description,
//! else from its STIX properties, else from other descriptions, gives `state_aligned` when
//! the group pools into a state and `unknown` otherwise; a sponsor link of reliability A or
//! B gives `state`; the first criminal typing (same order) gives `criminal`; otherwise
//! `state` when the group pools into a state, else `unknown`.

use crate::kb::{attack_id, s, strings, ActorKind, KnowledgeBase, SponsorLink};
use crate::sponsor_text::{self, Relation};
use concord_stix::concord_ext::EXTENSION_ID;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Weight in pooling of a link of a reliability.
pub fn link_weight(reliability: char) -> f64 {
    match reliability {
        'A' => 0.95,
        'B' => 0.9,
        'C' => 0.8,
        'E' => 0.5,
        _ => 0.6, // D, F
    }
}

/// An ATT&CK campaign: its names, description and profile, and the groups it is
/// attributed to.
#[derive(Debug)]
pub(crate) struct Campaign {
    attack_id: String,
    id: String,
    names: Vec<String>,
    description: String,
    pub(crate) techniques: BTreeSet<String>,
    pub(crate) software: BTreeSet<String>,
    pub(crate) groups: Vec<usize>,
}

impl Campaign {
    pub(crate) fn new(v: &Value) -> Campaign {
        let name = s(v, "name").unwrap_or("").to_string();
        let mut names = vec![name];
        names.extend(strings(v, "aliases"));
        Campaign {
            attack_id: attack_id(v).unwrap_or("").to_string(),
            id: s(v, "id").unwrap_or("").to_string(),
            names,
            description: s(v, "description").unwrap_or("").to_string(),
            techniques: BTreeSet::new(),
            software: BTreeSet::new(),
            groups: Vec::new(),
        }
    }

    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.attack_id, self.names[0])
    }
}

/// How a source types a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typing {
    Criminal,
    Activist,
    State,
}

/// Statements gathered from relationships while the knowledge base is read.
#[derive(Debug, Default)]
pub(crate) struct Statements {
    links: Vec<(usize, SponsorLink)>,
}

impl Statements {
    /// An `attributed-to` relationship from group `g` naming `state`.
    pub(crate) fn relationship(
        &mut self,
        g: usize,
        state: &str,
        r: &Value,
        target: Option<&&Value>,
    ) {
        let ext = r.get("extensions").and_then(|e| e.get(EXTENSION_ID));
        let reliability = ext
            .and_then(|e| s(e, "reliability"))
            .and_then(|x| x.chars().next())
            .filter(|c| ('A'..='F').contains(c))
            .unwrap_or('C');
        let description = s(r, "description").unwrap_or("");
        let origin = if description.starts_with("MISP") {
            "MISP galaxy"
        } else {
            "attributed-to relationship"
        };
        let note = if description.is_empty() {
            format!(
                "attributed-to {}",
                target
                    .and_then(|t| s(t, "name"))
                    .unwrap_or(s(r, "target_ref").unwrap_or(""))
            )
        } else {
            description.to_string()
        };
        self.links.push((
            g,
            SponsorLink {
                state: state.to_string(),
                relation: Relation::Sponsor,
                reliability,
                source: s(r, "id").unwrap_or("").to_string(),
                origin: origin.to_string(),
                note,
            },
        ));
    }

    /// An `originates-from` relationship from group `g` to a country.
    pub(crate) fn origin(&mut self, g: usize, state: &str, r: &Value) {
        let description = s(r, "description").unwrap_or("originates-from");
        self.links.push((
            g,
            SponsorLink {
                state: state.to_string(),
                relation: Relation::Origin,
                reliability: 'D',
                source: s(r, "id").unwrap_or("").to_string(),
                origin: if description.starts_with("MISP") {
                    "MISP galaxy".into()
                } else {
                    "originates-from relationship".into()
                },
                note: description.to_string(),
            },
        ));
    }
}

/// What a source object is, for provenance.
fn origin_of(v: &Value) -> String {
    if let Some(id) = attack_id(v) {
        return format!("ATT&CK description ({id})");
    }
    let galaxy = v
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| s(r, "source_name") == Some("misp-galaxy"));
    if galaxy {
        "MISP galaxy description".into()
    } else {
        format!("description of {}", s(v, "name").unwrap_or("an object"))
    }
}

static PRO_SLUG: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\bpro-(russian|chinese|iranian|ukrainian|palestinian|turkish|israeli|indian|pakistani|belarusian|korean)\b").ok()
});
static ALLY_PHRASE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:such as|like|including|under the command of|joined forces with|allegiance to|associated with|alongside|collaborat\w+ with|coordinat\w+ with|member of|affiliated with)\b").ok()
});

fn slug_state(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "russian" => "RUS",
        "chinese" => "CHN",
        "iranian" => "IRN",
        "ukrainian" => "UKR",
        "palestinian" => "PSE",
        "turkish" => "TUR",
        "israeli" => "ISR",
        "indian" => "IND",
        "pakistani" => "PAK",
        "belarusian" => "BLR",
        _ => return None,
    })
}

/// Gather every group's links, then decide kinds and pooled states.
pub(crate) fn resolve(
    kb: &mut KnowledgeBase,
    sources: &[Vec<&Value>],
    campaigns: &[(&str, Campaign)],
    statements: Statements,
) {
    let n = kb.groups.len();
    let mut links: Vec<Vec<SponsorLink>> = vec![Vec::new(); n];
    // (priority, typing, reason): 0 ATT&CK text, 1 STIX properties, 2 other text
    let mut typings: Vec<Vec<(u8, Typing, String)>> = vec![Vec::new(); n];
    for (g, l) in statements.links {
        links[g].push(l);
    }
    for (g, objs) in sources.iter().enumerate() {
        let group_names: Vec<String> = std::iter::once(kb.groups[g].name.clone())
            .chain(kb.groups[g].aliases.iter().cloned())
            .collect();
        for v in objs {
            let id = s(v, "id").unwrap_or("");
            let origin = origin_of(v);
            let priority = if attack_id(v).is_some() { 0 } else { 2 };
            // structured typing
            let motivation = s(v, "primary_motivation");
            let types = strings(v, "threat_actor_types");
            if motivation == Some("personal-gain")
                || types
                    .iter()
                    .any(|t| t == "crime-syndicate" || t == "criminal")
            {
                typings[g].push((
                    1,
                    Typing::Criminal,
                    format!("{origin}: primary motivation personal gain"),
                ));
            }
            if motivation == Some("ideology")
                || types.iter().any(|t| t == "activist" || t == "hacktivist")
            {
                typings[g].push((
                    1,
                    Typing::Activist,
                    format!("{origin}: activist (motivation ideology)"),
                ));
            }
            // references naming the group as pro-X ("...-the-pro-russian-hacktivist-group")
            for r in v
                .get("external_references")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(url) = s(r, "url") else { continue };
                if let Some(c) = PRO_SLUG.as_ref().and_then(|re| re.captures(url)) {
                    if let Some(st) = c.get(1).and_then(|m| slug_state(m.as_str())) {
                        links[g].push(SponsorLink {
                            state: st.into(),
                            relation: Relation::Aligned,
                            reliability: 'D',
                            source: id.to_string(),
                            origin: format!("{origin}: reference"),
                            note: url.to_string(),
                        });
                    }
                }
            }
            let Some(desc) = s(v, "description") else {
                continue;
            };
            let mut names: Vec<&str> = vec![s(v, "name").unwrap_or("")];
            names.extend(
                v.get("aliases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
            names.extend(group_names.iter().map(String::as_str));
            let f = sponsor_text::extract(desc, &names);
            if let Some(q) = &f.criminal {
                typings[g].push((priority, Typing::Criminal, format!("{origin}: \"{q}\"")));
            }
            if let Some(q) = &f.activist {
                typings[g].push((priority, Typing::Activist, format!("{origin}: \"{q}\"")));
            }
            // a state's group by this text: a link of C or better, or an espionage actor (a
            // bare "Nigerian threat group" does not type a group)
            if let Some(c) = f.claims.iter().find(|c| {
                c.relation != Relation::Origin
                    && (c.reliability <= 'C' || sponsor_text::is_espionage(&c.quote))
            }) {
                typings[g].push((
                    priority,
                    Typing::State,
                    format!("{origin}: \"{}\"", c.quote),
                ));
            }
            for c in f.claims {
                links[g].push(SponsorLink {
                    state: c.state,
                    relation: c.relation,
                    reliability: c.reliability,
                    source: id.to_string(),
                    origin: format!("{origin}, {}", c.basis),
                    note: c.quote,
                });
            }
        }
    }
    // what the descriptions of ATT&CK campaigns say of the groups they are attributed to
    for (_, c) in campaigns {
        if c.groups.is_empty() || c.description.is_empty() {
            continue;
        }
        let names: Vec<&str> = c.names.iter().map(String::as_str).collect();
        for claim in sponsor_text::extract(&c.description, &names).claims {
            if claim.relation == Relation::Origin {
                continue;
            }
            for &g in &c.groups {
                links[g].push(SponsorLink {
                    state: claim.state.clone(),
                    relation: claim.relation,
                    reliability: claim.reliability,
                    source: c.id.clone(),
                    origin: format!("ATT&CK campaign {} description, {}", c.label(), claim.basis),
                    note: claim.quote.clone(),
                });
            }
        }
    }
    let activist = |t: &[(u8, Typing, String)]| t.iter().any(|x| x.1 == Typing::Activist);
    mentions(kb, sources, &typings, activist, &mut links);
    for g in 0..n {
        decide(kb, g, std::mem::take(&mut links[g]), &typings[g]);
    }
}

/// An activist group aligned with a state names its allies ("joined forces with KillNet",
/// "alongside other pro-Russian threat actors, such as NoName057"): each named group gets
/// an alignment with that state, reliability D.
fn mentions(
    kb: &KnowledgeBase,
    sources: &[Vec<&Value>],
    typings: &[Vec<(u8, Typing, String)>],
    activist: impl Fn(&[(u8, Typing, String)]) -> bool,
    links: &mut [Vec<SponsorLink>],
) {
    let Some(phrase) = ALLY_PHRASE.as_ref() else {
        return;
    };
    let mut found: Vec<(usize, SponsorLink)> = Vec::new();
    for g in 0..kb.groups.len() {
        if !activist(&typings[g]) {
            continue;
        }
        let aligned: BTreeSet<&str> = links[g]
            .iter()
            .filter(|l| l.relation == Relation::Aligned && l.reliability <= 'C')
            .map(|l| l.state.as_str())
            .collect();
        if aligned.is_empty() {
            continue;
        }
        for v in &sources[g] {
            let Some(desc) = s(v, "description") else {
                continue;
            };
            let text = sponsor_text::clean(desc);
            for sentence in sponsor_text::sentences(&text) {
                let Some(m) = phrase.find(sentence) else {
                    continue;
                };
                let rest = sentence[m.end()..].to_lowercase();
                for (h, other) in kb.groups.iter().enumerate() {
                    if h == g {
                        continue;
                    }
                    let hit = std::iter::once(&other.name)
                        .chain(other.aliases.iter())
                        .filter(|n| n.chars().count() >= 5)
                        .any(|n| contains_word(&rest, &n.to_lowercase()));
                    if !hit {
                        continue;
                    }
                    for st in &aligned {
                        found.push((
                            h,
                            SponsorLink {
                                state: (*st).to_string(),
                                relation: Relation::Aligned,
                                reliability: 'D',
                                source: s(v, "id").unwrap_or("").to_string(),
                                origin: format!(
                                    "named as an associate by {} ({}-aligned)",
                                    kb.groups[g].name, st
                                ),
                                note: sentence.to_string(),
                            },
                        ));
                    }
                }
            }
        }
    }
    for (h, l) in found {
        links[h].push(l);
    }
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(p) = hay.get(from..).and_then(|h| h.find(needle)) {
        let a = from + p;
        let z = a + needle.len();
        let ok_before = hay[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let ok_after = hay
            .get(z..)
            .and_then(|t| t.chars().next())
            .is_none_or(|c| !c.is_alphanumeric());
        if ok_before && ok_after {
            return true;
        }
        from = z;
    }
    false
}

/// The group's kind, its links in order, and its pooled states.
fn decide(
    kb: &mut KnowledgeBase,
    g: usize,
    mut links: Vec<SponsorLink>,
    typings: &[(u8, Typing, String)],
) {
    links.sort_by(|a, b| {
        (a.relation == Relation::Origin)
            .cmp(&(b.relation == Relation::Origin))
            .then(a.reliability.cmp(&b.reliability))
            .then(a.state.cmp(&b.state))
            .then(a.origin.cmp(&b.origin))
    });
    links.dedup_by(|a, b| {
        a.state == b.state && a.relation == b.relation && a.source == b.source && a.note == b.note
    });
    let mut ordered: Vec<&(u8, Typing, String)> = typings.iter().collect();
    ordered.sort_by_key(|t| t.0);
    let first = |want: Typing| ordered.iter().find(|t| t.1 == want).copied();
    let activist = first(Typing::Activist).filter(|a| {
        // an activist typing counts unless an earlier source types it otherwise
        !ordered.iter().any(|t| t.0 < a.0 && t.1 != Typing::Activist)
    });
    let strong = links
        .iter()
        .find(|l| l.relation == Relation::Sponsor && l.reliability <= 'B');
    let decisive = ordered.iter().find(|t| t.1 != Typing::State).copied();
    let pool = |links: &[SponsorLink], criminal: bool, activist: bool| -> Vec<(String, f64)> {
        let mut keep: BTreeMap<&str, f64> = BTreeMap::new();
        for l in links {
            let ok = match l.relation {
                Relation::Origin => false,
                Relation::Aligned => !criminal || l.reliability <= 'C',
                Relation::Sponsor => (!criminal && !activist) || l.reliability <= 'C',
            };
            if ok {
                let miss = keep.entry(l.state.as_str()).or_insert(1.0);
                *miss *= 1.0 - link_weight(l.reliability);
            }
        }
        let mut w: Vec<(String, f64)> = keep
            .into_iter()
            .map(|(s, miss)| (s.to_string(), 1.0 - miss))
            .collect();
        let total: f64 = w.iter().map(|x| x.1).sum();
        if total > 1.0 {
            for x in &mut w {
                x.1 /= total;
            }
        }
        w.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        w
    };
    let (kind, reason, pooled) = if let Some(a) = activist {
        let p = pool(&links, false, true);
        let k = if p.is_empty() {
            ActorKind::Unknown
        } else {
            ActorKind::StateAligned
        };
        (k, a.2.clone(), p)
    } else if let Some(l) = strong {
        (
            ActorKind::State,
            format!("{} ({}): \"{}\"", l.origin, l.reliability, l.note),
            pool(&links, false, false),
        )
    } else if let Some(c) = decisive.filter(|t| t.1 == Typing::Criminal) {
        let earlier_state = ordered.iter().any(|t| t.1 == Typing::State && t.0 < c.0);
        if earlier_state {
            let p = pool(&links, false, false);
            let why = ordered
                .iter()
                .find(|t| t.1 == Typing::State)
                .map_or_else(String::new, |t| t.2.clone());
            (ActorKind::State, why, p)
        } else {
            (ActorKind::Criminal, c.2.clone(), pool(&links, true, false))
        }
    } else {
        let p = pool(&links, false, false);
        if p.is_empty() {
            (
                ActorKind::Unknown,
                "no source links the group to a state".into(),
                p,
            )
        } else {
            let why = links
                .iter()
                .find(|l| l.relation != Relation::Origin)
                .map_or_else(String::new, |l| {
                    format!("{} ({}): \"{}\"", l.origin, l.reliability, l.note)
                });
            (ActorKind::State, why, p)
        }
    };
    let gr = &mut kb.groups[g];
    gr.sponsors = links;
    gr.kind = kind;
    gr.kind_reason = reason;
    gr.pooled = pooled;
}
