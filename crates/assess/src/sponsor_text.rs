//! Sponsor claims in prose: what a group's (or campaign's) description says about the state
//! behind it, whether it is a criminal or an activist group, each finding with the sentence
//! it came from (docs/knowledge-base.md, "Sponsor claims in descriptions").
//!
//! The extractor reads only sentences about the entity itself (they name it or one of its
//! aliases, or open with "The group", "They", ...), and in them only a state mention in a
//! sponsor context; a mention after a word that introduces another actor or a victim
//! ("such as", "overlap", "targeting", "against", an appositive ", a ...") is not read.
//!
//! | finding | example | reliability |
//! |---|---|---|
//! | sponsor: a state organ | "attributed to Russia's General Staff Main Intelligence Directorate (GRU)" | A |
//! | sponsor: state-sponsored, government ties | "North Korean state-sponsored", "Iranian-sponsored", "attributed to China" | B |
//! | sponsor: a link short of sponsorship | "China-nexus", "Türkiye-linked", "aligns with Russian state interests" | C |
//! | sponsor: a national espionage actor | "suspected Chinese cyber espionage group", "Iranian threat group", "China-based espionage actor" | D |
//! | aligned (activists) | "pro-Russian hacktivist group", "Turkish nationalist" | C |
//! | origin only (never a sponsor) | "China-based threat group", "operating out of China" | - |
//!
//! A hedge before the mention ("suspected", "likely", "believed", ...) lowers a sponsor
//! finding by one letter (D stays D); a negation ("no direct evidence", "not definite")
//! drops findings A to C from that sentence. Languages are never states ("Russian-speaking").
//!
//! Invariant: pure; never panics on any text.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What a finding says of the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The state sponsors, directs or backs the group.
    Sponsor,
    /// The group (an activist or hacktivist one) acts in the state's interest.
    Aligned,
    /// The group operates from, or is reported from, the state: not a sponsor claim.
    Origin,
}

/// One finding: a state, what the text says of it, how strongly, and the sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextClaim {
    /// ISO 3166 alpha-3.
    pub state: String,
    pub relation: Relation,
    /// A (a named state organ) to D (a national espionage actor); see the module table.
    pub reliability: char,
    /// The rule that fired ("state organ", "state-sponsored", "link", ...).
    pub basis: &'static str,
    /// The sentence it was read from (citations and links removed).
    pub quote: String,
}

/// Everything the extractor reads from one description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextFindings {
    pub claims: Vec<TextClaim>,
    /// The sentence that types the entity as criminal (financially motivated, ransomware...).
    pub criminal: Option<String>,
    /// The sentence that types the entity as an activist or hacktivist group.
    pub activist: Option<String>,
}

/// States the extractor recognises: (surface form, alpha-3, adjective?). Longest first
/// where one form contains another.
const STATES: &[(&str, &str, bool)] = &[
    ("Democratic People's Republic of Korea", "PRK", false),
    ("People's Republic of China", "CHN", false),
    ("Islamic Republic of Iran", "IRN", false),
    ("United Arab Emirates", "ARE", false),
    ("Russian Federation", "RUS", false),
    ("United Kingdom", "GBR", false),
    ("United States", "USA", false),
    ("North Korean", "PRK", true),
    ("North Korea", "PRK", false),
    ("South Korean", "KOR", true),
    ("South Korea", "KOR", false),
    ("Belorussian", "BLR", true),
    ("Belarussian", "BLR", true),
    ("Belarusian", "BLR", true),
    ("Belarus", "BLR", false),
    ("Vietnamese", "VNM", true),
    ("Viet Nam", "VNM", false),
    ("Vietnam", "VNM", false),
    ("Palestinian", "PSE", true),
    ("Ukrainian", "UKR", true),
    ("Ukraine", "UKR", false),
    ("Pakistani", "PAK", true),
    ("Pakistan", "PAK", false),
    ("Lebanese", "LBN", true),
    ("Lebanon", "LBN", false),
    ("Nigerian", "NGA", true),
    ("Nigeria", "NGA", false),
    ("Emirati", "ARE", true),
    ("Russian", "RUS", true),
    ("Russia", "RUS", false),
    ("Chinese", "CHN", true),
    ("China", "CHN", false),
    ("Iranian", "IRN", true),
    ("Iran", "IRN", false),
    ("Indian", "IND", true),
    ("India", "IND", false),
    ("Israeli", "ISR", true),
    ("Israel", "ISR", false),
    ("Syrian", "SYR", true),
    ("Syria", "SYR", false),
    ("Türkiye", "TUR", false),
    ("Turkiye", "TUR", false),
    ("Turkish", "TUR", true),
    ("Turkey", "TUR", false),
    ("British", "GBR", true),
    ("French", "FRA", true),
    ("France", "FRA", false),
    ("Spain", "ESP", false),
    ("DPRK", "PRK", false),
    ("U.S.", "USA", false),
    ("PRC", "CHN", false),
    ("UAE", "ARE", false),
];

/// State organs: (pattern, alpha-3 it implies).
const ORGANS: &[(&str, &str)] = &[
    (r"General Staff Main Intelligence Directorate", "RUS"),
    (r"Main Intelligence Directorate", "RUS"),
    (r"\bGRU\b", "RUS"),
    (r"\bGTsSS\b", "RUS"),
    (r"\bGTsST\b", "RUS"),
    (r"Foreign Intelligence Service", "RUS"),
    (r"\bSVR\b", "RUS"),
    (r"Federal Security Service", "RUS"),
    (r"\bFSB\b", "RUS"),
    (r"Ministry of State Security", "CHN"),
    (r"\bMSS\b", "CHN"),
    (r"People's Liberation Army", "CHN"),
    (r"\bPLA\b", "CHN"),
    (r"State Security (?:Bureau|Department)", "CHN"),
    (r"Reconnaissance General Bureau", "PRK"),
    (r"\bRGB\b", "PRK"),
    (r"Ministry of Intelligence and Security", "IRN"),
    (r"Ministry of Intelligence", "IRN"),
    (r"\bMOIS\b", "IRN"),
    (r"Islamic Revolutionary Guard Corps", "IRN"),
    (r"\bIRGC\b", "IRN"),
    (r"General Directorate of General Security", "LBN"),
    (r"\bGDGS\b", "LBN"),
];

#[allow(clippy::expect_used)] // constant patterns, checked by the tests
fn re(p: &str) -> Regex {
    Regex::new(p).expect("constant pattern")
}

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = STATES.iter().map(|(s, _, _)| regex::escape(s)).collect();
    re(&format!(r"\b(?:{})", alts.join("|")))
});
static ORGAN: LazyLock<Vec<(Regex, &'static str)>> =
    LazyLock::new(|| ORGANS.iter().map(|(p, s)| (re(p), *s)).collect());
static CITATION: LazyLock<Regex> = LazyLock::new(|| re(r"\(Citation:[^)]*\)"));
static LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]*)\]\([^)]*\)"));
static SPACE: LazyLock<Regex> = LazyLock::new(|| re(r"\s+"));
/// Words that, between the entity and a state mention, introduce another actor or a victim.
static BLOCKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:other|overlap\w*|similar\w*|alongside|such as|including|collaborat\w*|coordinat\w*|connections? (?:to|with)|resembl\w*|mimic\w*|imitat\w*|partner\w*|distinct|unlike|formerly|previously|customer of|target\w*|against|victims?|attacks? on|compromis\w*|intrusions? into|focus\w* on|shift\w* from|opposition)\b|, an? ",
    )
});
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:suspected|likely|possibl[ey]|probabl[ey]|believed|may be|might|could|alleged\w*|reportedly|appears? to|thought to|circumstantial|potential\w*)\b",
    )
});
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:no direct evidence|not been directly linked|not definite|not been definitively|no evidence|unaffiliated|unattributed|not attributed|is not linked)\b",
    )
});
static ORGAN_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:attributed|linked|link|tied|ties|subordinate|within|part of|behalf of|association with|associated with|sponsored by|directed by|operated by|conducted by|run by|works? for|working for|affiliated with|element of|unit of)\b",
    )
});
static LANGUAGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:-speaking|-speaker|-language| speakers?\b| speaking\b| language\b)"));
static SPONSORED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s*\(\w+\))?\s*(?:-|\s)(?:state[- ](?:sponsored|backed|directed|affiliated)|state (?:cyber )?actors?|government[- ](?:sponsored|backed|directed)|sponsored|backed)\b",
    )
});
static GOVERNMENT_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:'s)?(?:\s*\(\w+\))?\s+government\b"));
static GOVERNMENT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:nexus|ties|tied|link|links|linked|connection|associated|association|behalf of|sponsored by|backed by|directed by)\s+(?:to|with|of|by)?\s*the\s*$|link between (?:this|the) group and the\s*$",
    )
});
static STATE_SPONSORED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bstate[- ](?:sponsored|backed)\b[^.]{0,60}\b(?:operating out of|operating from|out of|from|based in)\s*$",
    )
});
static ATTRIBUTED_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\battributed to\s*(?:the\s*)?$"));
static LINKED_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:\s*\(\w+\))?\s*-\s*(nexus|linked|related|affiliated|aligned)\b"));
static NEXUS_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^ nexus\b"));
static INTERESTS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?: and \w+)?(?: state)? interests\b"));
static INTERESTS_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:linked to|support of|aligned? (?:closely )?with|align closely with|serv\w+)\s+(?:\w+ and\s+)?$",
    )
});
static REGIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:interests of|on behalf of|in support of|serv\w+|support\w*) the\s*$")
});
static REGIME_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^ (?:regime|state)\b"));
static PRO_BEFORE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bpro-\s*$"));
static PATRIOTIC_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^ (?:nationalist|patriotic|patriots?)\b"));
static ALIGNED_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:ideologically )?aligned with\s*$"));
static ORIGIN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:operat(?:es|ed|ing|e) (?:out of|from|in)|based (?:in|out of)|originat\w* (?:in|from)|located in|emanat\w* from)\b[^.,]{0,40}$",
    )
});
static BASED_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*-\s*based\b"));
static ORIGINS_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^ origins?\b"));
static GROUP_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s*\(\w+\))?\s+(?:(?:cyber[ -]?)?espionage |cyberespionage |threat |hacking |hacker |APT |cyber threat |advanced persistent threat |intrusion |activity |cyber )*(?:group|actors?|threat actors?|entity|cluster|team|collective|organi[sz]ation|adversary|operators?)\b",
    )
});
static ESPIONAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:espionage|cyberespionage|spying|intelligence collection|intelligence gathering|APT)\b",
    )
});
static CRIMINAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:cyber ?criminal\w*|cyber ?crime|financially[- ]motivated|ransomware[- ]as[- ]a[- ]service|RaaS|ransomware (?:group|gang|operators?|threat actor|deployment entity|variant|affiliates?|and data extortion)|(?:data )?extortion (?:group|gang)|initial access broker|cryptojacking|(?:cryptocurrency|monero)[ -]min\w+|banking trojan|spam botnet|business email compromise|payment card data)\b",
    )
});
static ACTIVIST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:hacktivis\w+|activist (?:group|collective)|hack(?:ing|er) collective|ddos collective|nationalist hack\w+|patriotic (?:hackers?|volunteers))\b",
    )
});
static GROUP_REFERENCE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:this|the) group\b"));
static PRONOUN_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:The|This|These) (?:group|threat group|threat actors?|actors?|operators?|collective|adversary)\b|^(?:They|It|Its|Members of the group)\b",
    )
});

/// Whether a sentence speaks of espionage (a state-type mission).
pub fn is_espionage(sentence: &str) -> bool {
    ESPIONAGE.is_match(sentence)
}

/// Description text without ATT&CK citations and markdown links, spaces collapsed,
/// typographic quotes and dashes made plain.
pub fn clean(text: &str) -> String {
    let t = CITATION.replace_all(text, "");
    let t = LINK.replace_all(&t, "$1");
    let t = t
        .replace(['’', '‘'], "'")
        .replace(['–', '—'], "-")
        .replace("<code>", "")
        .replace("</code>", "");
    SPACE.replace_all(t.trim(), " ").into_owned()
}

/// Sentences of cleaned text ("U.S." and similar abbreviations do not end one).
pub fn sentences(text: &str) -> Vec<&str> {
    const ABBREV: &[&str] = &[
        "U.S", "U.K", "Inc", "Ltd", "Co", "Corp", "e.g", "i.e", "St", "No", "vs", "Jr", "Dr", "Mr",
        "Ms", "al",
    ];
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len() {
        if !matches!(b[i], b'.' | b'!' | b'?') {
            continue;
        }
        let next_is_start = b.get(i + 1) == Some(&b' ')
            && b.get(i + 2)
                .is_some_and(|c| c.is_ascii_uppercase() || *c == b'[' || *c == b'"');
        if !next_is_start {
            continue;
        }
        let word_start = text[..i].rfind(' ').map_or(0, |p| p + 1);
        if ABBREV.contains(&&text[word_start..i]) {
            continue;
        }
        let s = text[start..=i].trim();
        if !s.is_empty() {
            out.push(s);
        }
        start = i + 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Where a sentence speaks of the entity: the byte offset just after the entity's name, or
/// 0 for a sentence opening with a subject pronoun ("The group", "They"); `None` when it is
/// about something else.
fn subject_end(sentence: &str, names: &[&str]) -> Option<usize> {
    if PRONOUN_START.is_match(sentence) {
        return Some(0);
    }
    if let Some(m) = GROUP_REFERENCE.find(sentence) {
        return Some(m.end());
    }
    // ASCII lower case keeps byte offsets, so they index the sentence itself
    let lower = sentence.to_ascii_lowercase();
    names
        .iter()
        .filter(|n| n.chars().count() >= 3)
        .filter_map(|n| {
            let ln = n.to_ascii_lowercase();
            let mut from = 0;
            while let Some(p) = lower[from..].find(&ln) {
                let a = from + p;
                let z = a + ln.len();
                let before_ok = lower[..a]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = lower[z..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if before_ok && after_ok && sentence.is_char_boundary(z) {
                    return Some(z);
                }
                from = z;
                if !lower.is_char_boundary(from) {
                    break;
                }
            }
            None
        })
        .min()
}

fn lower_one(r: char) -> char {
    match r {
        'A' => 'B',
        'B' => 'C',
        _ => 'D',
    }
}

/// Read a description: sponsor, alignment and origin findings, and the criminal or
/// activist typing. `names` are the entity's name and aliases.
pub fn extract(description: &str, names: &[&str]) -> TextFindings {
    let text = clean(description);
    let mut out = TextFindings::default();
    for s in sentences(&text) {
        let Some(subject) = subject_end(s, names) else {
            continue;
        };
        if out.criminal.is_none() && CRIMINAL.is_match(s) {
            out.criminal = Some(s.to_string());
        }
        if out.activist.is_none() && ACTIVIST.is_match(s) {
            out.activist = Some(s.to_string());
        }
        let negated = NEGATION.is_match(s);
        let espionage = ESPIONAGE.is_match(s);
        let mut push = |state: &str, relation: Relation, rel: char, basis: &'static str| {
            let c = TextClaim {
                state: state.to_string(),
                relation,
                reliability: rel,
                basis,
                quote: s.to_string(),
            };
            if !out
                .claims
                .iter()
                .any(|x| x.state == c.state && x.relation == c.relation && x.reliability <= rel)
            {
                out.claims
                    .retain(|x| !(x.state == c.state && x.relation == c.relation));
                out.claims.push(c);
            }
        };
        // a state organ named after a trigger word ("attributed to ... the GRU")
        for (organ, implied) in ORGAN.iter() {
            for m in organ.find_iter(s) {
                if m.start() < subject {
                    continue;
                }
                let prefix = &s[..m.start()];
                let Some(t) = ORGAN_TRIGGER.find_iter(prefix).last() else {
                    continue;
                };
                if BLOCKER.is_match(&s[subject..m.start()]) || negated {
                    continue;
                }
                // a nationality named right before the organ decides the state
                let near = &prefix[t.end()..];
                let state = MENTION
                    .find_iter(near)
                    .last()
                    .and_then(|x| STATES.iter().find(|(f, _, _)| *f == x.as_str()))
                    .map_or(*implied, |(_, a3, _)| *a3);
                let hedged = HEDGE.is_match(&s[..m.start()]);
                push(
                    state,
                    Relation::Sponsor,
                    if hedged { 'B' } else { 'A' },
                    "state organ",
                );
            }
        }
        for m in MENTION.find_iter(s) {
            let Some(&(_, state, adjective)) = STATES.iter().find(|(f, _, _)| *f == m.as_str())
            else {
                continue;
            };
            let (before, after) = (&s[..m.start()], &s[m.end()..]);
            if LANGUAGE.is_match(after) {
                continue;
            }
            let from_subject = if m.start() >= subject {
                &s[subject..m.start()]
            } else {
                // a mention before the entity's name ("Chinese state-sponsored APT41")
                before
            };
            if BLOCKER.is_match(from_subject) {
                continue;
            }
            let hedged = HEDGE.is_match(before);
            let hedge = |r: char| if hedged { lower_one(r) } else { r };
            if SPONSORED_AFTER.is_match(after)
                || (GOVERNMENT_BEFORE.is_match(before) && GOVERNMENT_AFTER.is_match(after))
                || STATE_SPONSORED_BEFORE.is_match(before)
            {
                if !negated {
                    push(state, Relation::Sponsor, hedge('B'), "state-sponsored");
                }
            } else if ATTRIBUTED_BEFORE.is_match(before) && !adjective {
                if !negated {
                    push(
                        state,
                        Relation::Sponsor,
                        hedge('B'),
                        "attributed to the state",
                    );
                }
            } else if let Some(c) = LINKED_AFTER.captures(after) {
                if c.get(1)
                    .is_some_and(|x| x.as_str().eq_ignore_ascii_case("aligned"))
                {
                    push(state, Relation::Aligned, hedge('C'), "aligned");
                } else {
                    push(state, Relation::Sponsor, hedge('C'), "link");
                }
            } else if adjective && NEXUS_AFTER.is_match(after) {
                push(state, Relation::Sponsor, hedge('C'), "link");
            } else if (INTERESTS_BEFORE.is_match(before) && INTERESTS_AFTER.is_match(after))
                || (REGIME_BEFORE.is_match(before) && REGIME_AFTER.is_match(after))
            {
                push(state, Relation::Sponsor, hedge('C'), "state interests");
            } else if PRO_BEFORE.is_match(before)
                || (adjective && PATRIOTIC_AFTER.is_match(after))
                || ALIGNED_BEFORE.is_match(before)
            {
                push(state, Relation::Aligned, hedge('C'), "aligned");
            } else if BASED_AFTER.is_match(after)
                || ORIGIN_BEFORE.is_match(before)
                || (adjective && ORIGINS_AFTER.is_match(after))
            {
                if espionage {
                    push(state, Relation::Sponsor, 'D', "national espionage actor");
                } else {
                    push(state, Relation::Origin, 'D', "origin");
                }
            } else if adjective && GROUP_NOUN_AFTER.is_match(after) {
                push(state, Relation::Sponsor, 'D', "national actor");
            }
        }
    }
    // a sponsor or alignment finding from the same text outweighs its criminal typing
    // (APT41, Moonstone Sleet), and so does a national espionage actor (Earth Lusca)
    if out.claims.iter().any(|c| {
        (c.relation != Relation::Origin && c.reliability <= 'C')
            || (c.relation == Relation::Sponsor && ESPIONAGE.is_match(&c.quote))
    }) {
        out.criminal = None;
    }
    out
}

#[cfg(test)]
#[path = "sponsor_text_tests.rs"]
mod tests;
