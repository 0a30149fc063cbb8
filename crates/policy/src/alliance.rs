//! The alliance file (DESIGN 4): members and the response ladder.

use crate::diag::{self, Diagnostic, FileDiag};
use crate::vocab::{self, LEGAL};
use toml_edit::{ImDocument, Item, Table};

/// The built-in alliance file (NATO's 32 members and the DESIGN ladder).
pub const NATO_TOML: &str = include_str!("../alliance/nato.toml");

/// The built-in second forum: the EU's 27 member states and the Cyber Diplomacy Toolbox.
pub const EU_TOML: &str = include_str!("../alliance/eu.toml");

/// How a rung is adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Adopted iff support >= 1.
    Any,
    /// Adopted iff support >= 1 and block = 0.
    Consensus,
    /// Adopted iff support >= N.
    Coalition(u32),
}

impl Rule {
    /// Whether the rule holds (DESIGN 4).
    pub fn adopted(self, support: usize, block: usize) -> bool {
        self.enough_support(support) && !(self == Rule::Consensus && block > 0)
    }
    /// The support the rule needs: N for `coalition:N`, else 1.
    pub fn needed(self) -> usize {
        match self {
            Rule::Any | Rule::Consensus => 1,
            Rule::Coalition(n) => n as usize,
        }
    }
    /// Whether `support` is enough for the rule (DESIGN 6 `missing: support` otherwise).
    pub fn enough_support(self, support: usize) -> bool {
        support >= self.needed()
    }
    pub fn text(self) -> String {
        match self {
            Rule::Any => "any".into(),
            Rule::Consensus => "consensus".into(),
            Rule::Coalition(n) => format!("coalition:{n}"),
        }
    }
    pub fn parse(s: &str) -> Option<Rule> {
        match s {
            "any" => Some(Rule::Any),
            "consensus" => Some(Rule::Consensus),
            _ => {
                let n = s.strip_prefix("coalition:")?;
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                n.parse::<u32>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(Rule::Coalition)
            }
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Who must ask for a rung (DESIGN 4 v2 `request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Request {
    /// At least one supporter must be among the victims.
    Victim,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// One rung of the ladder (DESIGN 4, v2 fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub id: String,
    pub option: String,
    pub rule: Rule,
    /// The legal class (index into [`crate::vocab::LEGAL`]) the act must reach in a
    /// member's own legal class for that member to take part.
    pub legal_basis: Option<u8>,
    /// Indices of earlier rungs that must be adopted for this one to be.
    pub requires: Vec<usize>,
    /// At least this many supporters must have capacity for the rung.
    pub contributors: Option<u32>,
    pub request: Option<Request>,
}

impl Rung {
    /// A rung with only the v1 fields.
    pub fn new(id: &str, option: &str, rule: Rule) -> Rung {
        Rung {
            id: id.to_string(),
            option: option.to_string(),
            rule,
            legal_basis: None,
            requires: Vec::new(),
            contributors: None,
            request: None,
        }
    }
}

/// The alliance: members (sorted by code) and the ladder (lowest rung first).
#[derive(Debug, Clone, PartialEq)]
pub struct Alliance {
    pub name: String,
    pub members: Vec<Member>,
    pub ladder: Vec<Rung>,
}

/// Haversine great-circle distance in km (Earth radius 6371.0 km), degrees in.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6371.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

fn is_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

fn tables(item: &Item) -> Vec<&Table> {
    match item {
        Item::ArrayOfTables(a) => a.iter().collect(),
        _ => Vec::new(),
    }
}

const RUNG_KEYS: &[&str] = &[
    "id",
    "option",
    "rule",
    "legal_basis",
    "requires",
    "contributors",
    "request",
];

/// One `[[rung]]` table; `None` (with diagnostics) when it cannot be used.
fn parse_rung(
    key: &str,
    t: &Table,
    earlier: &[Rung],
    all_ids: &[&str],
    d: &mut FileDiag<'_>,
) -> Option<Rung> {
    let mut r = Rung::new("", "", Rule::Any);
    let mut ok = true;
    for (rk, rv) in t.iter() {
        let span = rv.span().or_else(|| t.key(rk).and_then(|x| x.span()));
        let here = format!("{key}.{rk}");
        match rk {
            "id" => match rv.as_str() {
                Some(s) if is_id(s) => r.id = s.to_string(),
                _ => {
                    ok = false;
                    d.push(
                        &here,
                        span,
                        "'id' must be a lowercase word such as \"consult\"",
                    )
                }
            },
            "option" => match rv.as_str() {
                Some(s) => r.option = s.to_string(),
                None => d.push(&here, span, "'option' must be a string"),
            },
            "rule" => match rv.as_str().and_then(Rule::parse) {
                Some(rule) => r.rule = rule,
                None => {
                    ok = false;
                    d.push_full(
                        &here,
                        span,
                        "'rule' must be \"any\", \"consensus\" or \"coalition:N\" with N >= 1"
                            .into(),
                        vec!["any", "consensus", "coalition:N"],
                        None,
                    )
                }
            },
            "legal_basis" => match rv.as_str() {
                Some(s) => match vocab::index(LEGAL, s) {
                    Some(l) => r.legal_basis = Some(l),
                    None => {
                        ok = false;
                        d.push_full(
                            &here,
                            span,
                            format!("'legal_basis': unknown legal class '{s}'"),
                            LEGAL.to_vec(),
                            vocab::suggest(s, LEGAL),
                        )
                    }
                },
                None => {
                    ok = false;
                    d.push_full(
                        &here,
                        span,
                        "'legal_basis' must be a string naming a legal class".into(),
                        LEGAL.to_vec(),
                        None,
                    )
                }
            },
            "requires" => {
                let earlier_ids: Vec<&str> = earlier.iter().map(|x| x.id.as_str()).collect();
                let Some(arr) = rv.as_array() else {
                    ok = false;
                    d.push_full(
                        &here,
                        span,
                        "'requires' must be a list of ids of earlier rungs, e.g. [\"solidarity\"]"
                            .into(),
                        earlier_ids,
                        None,
                    );
                    continue;
                };
                for (j, v) in arr.iter().enumerate() {
                    let vspan = v.span().or(span.clone());
                    let at = format!("{here}[{j}]");
                    match v.as_str() {
                        Some(id) => match earlier.iter().position(|x| x.id == id) {
                            Some(p) if !r.requires.contains(&p) => r.requires.push(p),
                            Some(_) => {
                                d.push(&at, vspan, format!("'{id}' is listed twice in 'requires'"))
                            }
                            None if all_ids.contains(&id) => {
                                ok = false;
                                d.push_full(
                                    &at,
                                    vspan,
                                    format!("'requires' names '{id}', which is not an earlier rung (a rung may require only rungs below it)"),
                                    earlier_ids.clone(),
                                    None,
                                )
                            }
                            None => {
                                ok = false;
                                d.push_full(
                                    &at,
                                    vspan,
                                    format!("'requires' names unknown rung '{id}'"),
                                    earlier_ids.clone(),
                                    vocab::suggest(id, &earlier_ids),
                                )
                            }
                        },
                        None => {
                            ok = false;
                            d.push_full(
                                &at,
                                vspan,
                                "each entry of 'requires' must be a rung id (a string)".into(),
                                earlier_ids.clone(),
                                None,
                            )
                        }
                    }
                }
            }
            "contributors" => match rv.as_integer() {
                // more than any alliance has members is never met: kept as the largest count
                Some(n) if n >= 1 => r.contributors = Some(u32::try_from(n).unwrap_or(u32::MAX)),
                _ => {
                    ok = false;
                    d.push(&here, span, "'contributors' must be an integer >= 1")
                }
            },
            "request" => match rv.as_str() {
                Some("victim") => r.request = Some(Request::Victim),
                other => {
                    ok = false;
                    d.push_full(
                        &here,
                        span,
                        match other {
                            Some(s) => format!("'request': unknown value '{s}'"),
                            None => "'request' must be the string \"victim\"".into(),
                        },
                        vec!["victim"],
                        other.and_then(|s| vocab::suggest(s, &["victim"])),
                    )
                }
            },
            other => d.push_full(
                &here,
                span,
                format!("unknown key '{other}' in a rung"),
                RUNG_KEYS.to_vec(),
                vocab::suggest(other, RUNG_KEYS),
            ),
        }
    }
    for req in ["id", "option", "rule"] {
        if t.get(req).is_none() {
            ok = false;
            d.push(key, t.span(), format!("a rung needs '{req}'"));
        }
    }
    if ok && earlier.iter().any(|x| x.id == r.id) {
        d.push(
            &format!("{key}.id"),
            t.get("id").and_then(Item::span),
            format!("rung id '{}' appears twice", r.id),
        );
        return None;
    }
    ok.then_some(r)
}

impl Alliance {
    /// The built-in NATO alliance.
    pub fn nato() -> Alliance {
        // The built-in file is tested to parse; fall back to an empty alliance rather than panic.
        Alliance::parse("nato.toml", NATO_TOML).unwrap_or(Alliance {
            name: "NATO".into(),
            members: Vec::new(),
            ladder: Vec::new(),
        })
    }

    /// The built-in EU forum.
    pub fn eu() -> Alliance {
        Alliance::parse("eu.toml", EU_TOML).unwrap_or(Alliance {
            name: "EU".into(),
            members: Vec::new(),
            ladder: Vec::new(),
        })
    }

    /// Index of a member code.
    pub fn member_index(&self, code: &str) -> Option<usize> {
        self.members
            .binary_search_by(|m| m.code.as_str().cmp(code))
            .ok()
    }

    /// Index of a rung id.
    pub fn rung_index(&self, id: &str) -> Option<usize> {
        self.ladder.iter().position(|r| r.id == id)
    }

    /// Great-circle distance in km between the capitals of members `a` and `b` (haversine,
    /// Earth radius 6371.0 km; DESIGN 7).
    pub fn distance_km(&self, a: usize, b: usize) -> f64 {
        let (ma, mb) = (&self.members[a], &self.members[b]);
        haversine_km(ma.lat, ma.lon, mb.lat, mb.lon)
    }

    /// The victims of a scenario cell (DESIGN 7 v2): member `v` and the `k - 1` other members
    /// whose capitals are nearest to `v`'s (ties broken by member code); every member when
    /// `k` exceeds the alliance. `v` comes first, then by distance.
    pub fn nearest_victims(&self, v: usize, k: usize) -> Vec<usize> {
        let mut others: Vec<(f64, usize)> = (0..self.members.len())
            .filter(|m| *m != v)
            .map(|m| (self.distance_km(v, m), m))
            .collect();
        // members are sorted by code, so the index breaks ties by code
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        std::iter::once(v)
            .chain(others.into_iter().map(|(_, m)| m))
            .take(k.max(1))
            .collect()
    }

    /// Parse an alliance file, reporting every problem.
    pub fn parse(file: &str, text: &str) -> Result<Alliance, Vec<Diagnostic>> {
        let doc = ImDocument::parse(text).map_err(|e| vec![diag::toml_error(file, text, &e)])?;
        let mut d = FileDiag::new(file, text);
        let root = doc.as_table();
        let mut name = String::new();
        let mut members: Vec<Member> = Vec::new();
        let mut ladder: Vec<Rung> = Vec::new();
        for (k, item) in root.iter() {
            let kspan = root.key(k).and_then(|k| k.span());
            match k {
                "name" => match item.as_str() {
                    Some(s) => name = s.to_string(),
                    None => d.push("name", item.span().or(kspan), "'name' must be a string"),
                },
                "member" | "rung" if !matches!(item, Item::ArrayOfTables(_)) => d.push(
                    k,
                    item.span().or(kspan),
                    format!("'{k}' must be written as [[{k}]] tables"),
                ),
                "member" => {
                    for (i, t) in tables(item).into_iter().enumerate() {
                        let key = format!("member[{i}]");
                        let tspan = t.span();
                        let mut m = Member {
                            code: String::new(),
                            name: String::new(),
                            lat: 0.0,
                            lon: 0.0,
                        };
                        for (mk, mv) in t.iter() {
                            let span = mv.span().or_else(|| t.key(mk).and_then(|x| x.span()));
                            let here = format!("{key}.{mk}");
                            match mk {
                                "code" => match mv.as_str() {
                                    Some(c) if is_code(c) => m.code = c.to_string(),
                                    _ => d.push(&here, span, "'code' must be an uppercase ISO 3166 alpha-3 code such as \"EST\""),
                                },
                                "name" => match mv.as_str() {
                                    Some(n) => m.name = n.to_string(),
                                    None => d.push(&here, span, "'name' must be a string"),
                                },
                                "lat" | "lon" => match mv.as_float().or_else(|| mv.as_integer().map(|i| i as f64)) {
                                    Some(x) if (mk == "lat" && (-90.0..=90.0).contains(&x)) || (mk == "lon" && (-180.0..=180.0).contains(&x)) => {
                                        if mk == "lat" {
                                            m.lat = x
                                        } else {
                                            m.lon = x
                                        }
                                    }
                                    _ => d.push(&here, span, format!("'{mk}' must be a number of degrees")),
                                },
                                other => d.push_full(&here, span, format!("unknown key '{other}' in a member"), vec!["code", "name", "lat", "lon"], None),
                            }
                        }
                        for req in ["name", "lat", "lon"] {
                            if t.get(req).is_none() {
                                d.push(&key, tspan.clone(), format!("a member needs '{req}'"));
                            }
                        }
                        if t.get("code").is_none() {
                            d.push(&key, tspan, "a member needs a 'code'");
                        } else if members.iter().any(|x| x.code == m.code) && !m.code.is_empty() {
                            d.push(
                                &format!("{key}.code"),
                                t.get("code").and_then(Item::span),
                                format!("member code {} appears twice", m.code),
                            );
                        }
                        if !m.code.is_empty() {
                            members.push(m);
                        }
                    }
                }
                "rung" => {
                    let rung_tables = tables(item);
                    // every id, so that `requires` can tell a later rung from an unknown one
                    let all_ids: Vec<&str> = rung_tables
                        .iter()
                        .filter_map(|t| t.get("id").and_then(Item::as_str))
                        .collect();
                    for (i, t) in rung_tables.iter().enumerate() {
                        if let Some(r) =
                            parse_rung(&format!("rung[{i}]"), t, &ladder, &all_ids, &mut d)
                        {
                            ladder.push(r);
                        }
                    }
                }
                other => d.push_full(
                    other,
                    kspan,
                    format!("unknown key '{other}'"),
                    vec!["name", "member", "rung"],
                    None,
                ),
            }
        }
        if root.get("name").is_none() {
            d.push("name", None, "the alliance has no 'name' (name = \"...\")");
        }
        if root.get("member").is_none() {
            d.push("member", None, "the alliance has no [[member]]");
        }
        if root.get("rung").is_none() {
            d.push("rung", None, "the alliance has no [[rung]]");
        }
        if !d.out.is_empty() {
            return Err(d.out);
        }
        members.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Alliance {
            name,
            members,
            ladder,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nato_default() {
        let a = Alliance::parse("nato.toml", NATO_TOML).unwrap();
        assert_eq!(a.members.len(), 32);
        let ids: Vec<&str> = a.ladder.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "share",
                "assist",
                "solidarity",
                "attribute",
                "diplomatic",
                "sanctions",
                "consult",
                "inform",
                "defend",
                "countermeasures",
                "art5"
            ]
        );
        let rung = |id: &str| &a.ladder[a.rung_index(id).unwrap()];
        assert_eq!(rung("sanctions").rule, Rule::Coalition(3));
        assert_eq!(rung("diplomatic").rule, Rule::Coalition(3));
        assert_eq!(rung("art5").option, "Article 5 collective defence");
        assert_eq!(rung("art5").legal_basis, Some(4));
        assert_eq!(rung("art5").requires, [2]);
        assert_eq!(rung("art5").request, Some(Request::Victim));
        assert_eq!(rung("countermeasures").legal_basis, Some(1));
        assert_eq!(rung("countermeasures").contributors, Some(2));
        assert_eq!(rung("defend").contributors, Some(3));
        for id in ["assist", "solidarity"] {
            assert_eq!(rung(id).request, Some(Request::Victim));
        }
        assert!(a.member_index("USA").is_some());
    }

    #[test]
    fn errors_name_key_line_and_column() {
        let text = "name = \"X\"\n[[member]]\ncode = \"est\"\nname = \"E\"\nlat = 1\nlon = 2\n[[rung]]\nid = \"a\"\noption = \"o\"\nrule = \"coalition:0\"\ncolour = 1\n";
        let e = Alliance::parse("a.toml", text).unwrap_err();
        assert_eq!(e.len(), 3, "{e:#?}");
        assert_eq!((e[0].key.as_str(), e[0].line), ("member[0].code", 3));
        assert_eq!(
            (e[1].key.as_str(), e[1].line, e[1].column),
            ("rung[0].rule", 10, 8)
        );
        assert_eq!(e[2].key, "rung[0].colour");
    }

    #[test]
    fn required_fields_are_required() {
        // DESIGN 4: name; members with code, name, lat, lon; rungs with id, option, rule
        let text = "[[member]]\ncode = \"EST\"\n[[rung]]\nid = \"a\"\nrule = \"any\"\n";
        let e = Alliance::parse("a.toml", text).unwrap_err();
        let said: Vec<String> = e
            .iter()
            .map(|d| format!("{}: {}", d.key, d.message))
            .collect();
        for want in [
            "member[0]: a member needs 'name'",
            "member[0]: a member needs 'lat'",
            "member[0]: a member needs 'lon'",
            "rung[0]: a rung needs 'option'",
        ] {
            assert!(said.iter().any(|s| s == want), "{want} in {said:#?}");
        }
        assert!(said
            .iter()
            .any(|s| s.starts_with("name: the alliance has no 'name'")));
        assert!(e.iter().all(|d| d.line >= 1), "{e:#?}");
        // more contributors than any alliance has members: accepted, never met
        let big = "name = \"X\"\n[[member]]\ncode = \"EST\"\nname = \"E\"\nlat = 1\nlon = 2\n[[rung]]\nid = \"a\"\noption = \"o\"\nrule = \"any\"\ncontributors = 9999999999999\n";
        assert_eq!(
            Alliance::parse("b.toml", big).unwrap().ladder[0].contributors,
            Some(u32::MAX)
        );
    }
}
