//! The alliance file (DESIGN 4): members and the response ladder.

use crate::diag::{self, Diagnostic, FileDiag};
use toml_edit::{ImDocument, Item, Table};

/// The built-in alliance file (NATO's 32 members and the DESIGN ladder).
pub const NATO_TOML: &str = include_str!("../alliance/nato.toml");

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
    pub fn adopted(self, support: usize, block: usize) -> bool {
        match self {
            Rule::Any => support >= 1,
            Rule::Consensus => support >= 1 && block == 0,
            Rule::Coalition(n) => support >= n as usize,
        }
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

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub id: String,
    pub option: String,
    pub rule: Rule,
}

/// The alliance: members (sorted by code) and the ladder (lowest rung first).
#[derive(Debug, Clone, PartialEq)]
pub struct Alliance {
    pub name: String,
    pub members: Vec<Member>,
    pub ladder: Vec<Rung>,
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
                    for (i, t) in tables(item).into_iter().enumerate() {
                        let key = format!("rung[{i}]");
                        let mut r = Rung {
                            id: String::new(),
                            option: String::new(),
                            rule: Rule::Any,
                        };
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
                                        d.push_full(&here, span, "'rule' must be \"any\", \"consensus\" or \"coalition:N\" with N >= 1".into(), vec!["any", "consensus", "coalition:N"], None)
                                    }
                                },
                                other => d.push_full(
                                    &here,
                                    span,
                                    format!("unknown key '{other}' in a rung"),
                                    vec!["id", "option", "rule"],
                                    None,
                                ),
                            }
                        }
                        for req in ["id", "rule"] {
                            if t.get(req).is_none() {
                                ok = false;
                                d.push(&key, t.span(), format!("a rung needs '{req}'"));
                            }
                        }
                        if ok && ladder.iter().any(|x| x.id == r.id) {
                            d.push(
                                &format!("{key}.id"),
                                t.get("id").and_then(Item::span),
                                format!("rung id '{}' appears twice", r.id),
                            );
                        } else if ok {
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
        assert_eq!(a.ladder.len(), 10);
        assert_eq!(a.ladder[3].rule, Rule::Coalition(3));
        assert_eq!(a.ladder[9].option, "Article 5 collective defence");
        assert!(a.member_index("USA").is_some());
    }

    #[test]
    fn errors_name_key_line_and_column() {
        let text = "name = \"X\"\n[[member]]\ncode = \"est\"\n[[rung]]\nid = \"a\"\nrule = \"coalition:0\"\ncolour = 1\n";
        let e = Alliance::parse("a.toml", text).unwrap_err();
        assert_eq!(e.len(), 3, "{e:#?}");
        assert_eq!((e[0].key.as_str(), e[0].line), ("member[0].code", 3));
        assert_eq!(
            (e[1].key.as_str(), e[1].line, e[1].column),
            ("rung[0].rule", 6, 8)
        );
        assert_eq!(e[2].key, "rung[0].colour");
    }
}
