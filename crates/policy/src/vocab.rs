//! The dimensions of the assessment vector (DESIGN 3) and their words, in ascending order
//! for ordinal dimensions. Levels are handled as indices into these lists.

pub const SEVERITY: &[&str] = &["baseline", "low", "medium", "high", "severe", "emergency"];
pub const ATTRIBUTION: &[&str] = &["none", "low", "moderate", "high"];
/// v2: `data_destruction` (data or systems wiped or encrypted beyond recovery, no physical
/// damage) sits between disruption and destruction (physical damage).
pub const EFFECTS: &[&str] = &[
    "espionage",
    "disruption",
    "data_destruction",
    "destruction",
    "casualties",
];
pub const LEGAL: &[&str] = &[
    "below_threshold",
    "sovereignty_violation",
    "intervention",
    "use_of_force",
    "armed_attack",
];
/// Why a member blocks (DESIGN 5 v2), in the order reasons are reported.
pub const REASONS: &[&str] = &["legal", "threshold", "capacity", "risk", "policy"];
pub const ACTOR: &[&str] = &["unknown", "criminal", "state_aligned", "state"];
pub const SECTOR: &[&str] = &[
    "energy",
    "water",
    "health",
    "finance",
    "transport",
    "telecom",
    "government",
    "elections",
    "defence",
    "space",
    "industry",
    "other",
];

/// An ordinal dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ordinal {
    Severity,
    Attribution,
    Effects,
    Legal,
}

impl Ordinal {
    pub const ALL: [Ordinal; 4] = [
        Ordinal::Severity,
        Ordinal::Attribution,
        Ordinal::Effects,
        Ordinal::Legal,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Ordinal::Severity => "severity",
            Ordinal::Attribution => "attribution",
            Ordinal::Effects => "effects",
            Ordinal::Legal => "legal",
        }
    }
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Ordinal::Severity => SEVERITY,
            Ordinal::Attribution => ATTRIBUTION,
            Ordinal::Effects => EFFECTS,
            Ordinal::Legal => LEGAL,
        }
    }
}

/// A nominal dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nominal {
    Actor,
    Sector,
}

impl Nominal {
    pub fn name(self) -> &'static str {
        match self {
            Nominal::Actor => "actor",
            Nominal::Sector => "sector",
        }
    }
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Nominal::Actor => ACTOR,
            Nominal::Sector => SECTOR,
        }
    }
}

/// Every word that can start a primary condition, for error messages.
pub const DIMENSIONS: &[&str] = &[
    "severity",
    "attribution",
    "effects",
    "legal",
    "actor",
    "sector",
    "members_affected",
    "affected_self",
    "true",
    "false",
];

/// Index of `w` in `list`.
pub fn index(list: &[&str], w: &str) -> Option<u8> {
    list.iter()
        .position(|x| *x == w)
        .and_then(|i| u8::try_from(i).ok())
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest word of `list` to `w`, if close enough to be a likely typo.
pub fn suggest<'a>(w: &str, list: &[&'a str]) -> Option<&'a str> {
    if list.contains(&w) {
        return None;
    }
    let lw = w.to_lowercase();
    list.iter()
        .map(|c| (distance(&lw, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
