//! Writing an alliance and a policy set back as files (`rift --harmonise K --out DIR`):
//! canonical TOML that parses back to equal values (tested), so anyone can re-run `rift`
//! and `cases` on an edited set.

use crate::alliance::{Alliance, Request};
use crate::doctrine::Doctrine;
use crate::policy::{MemberPolicy, PolicySet};
use crate::vocab::LEGAL;
use std::fmt::Write;

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The alliance file.
pub fn alliance_toml(a: &Alliance) -> String {
    let mut s = format!("name = {}\n", quote(&a.name));
    for m in &a.members {
        let _ = write!(
            s,
            "\n[[member]]\ncode = {}\nname = {}\nlat = {:?}\nlon = {:?}\n",
            quote(&m.code),
            quote(&m.name),
            m.lat,
            m.lon
        );
    }
    for r in &a.ladder {
        let _ = write!(
            s,
            "\n[[rung]]\nid = {}\noption = {}\nrule = {}\n",
            quote(&r.id),
            quote(&r.option),
            quote(&r.rule.text())
        );
        if let Some(b) = r.legal_basis {
            let _ = writeln!(s, "legal_basis = {}", quote(LEGAL[usize::from(b)]));
        }
        if !r.requires.is_empty() {
            let ids: Vec<String> = r.requires.iter().map(|q| quote(&a.ladder[*q].id)).collect();
            let _ = writeln!(s, "requires = [{}]", ids.join(", "));
        }
        if let Some(n) = r.contributors {
            let _ = writeln!(s, "contributors = {n}");
        }
        if r.request == Some(Request::Victim) {
            s.push_str("request = \"victim\"\n");
        }
    }
    s
}

/// One member's policy file.
pub fn policy_toml(a: &Alliance, p: &MemberPolicy) -> String {
    let mut s = format!("member = {}\n", quote(&p.member));
    if let Some(src) = &p.source {
        let _ = writeln!(s, "source = {}", quote(src));
    }
    if p.doctrine != Doctrine::default() {
        let d = &p.doctrine;
        let _ = write!(
            s,
            "\n[doctrine]\nsovereignty_rule = {}\nsovereignty_threshold = {}\nnonphysical_force = {}\n",
            d.sovereignty_rule,
            quote(d.sovereignty_threshold.word()),
            d.nonphysical_force
        );
    }
    let cap: Vec<&str> = p
        .capacity
        .iter()
        .enumerate()
        .filter(|(_, c)| **c)
        .filter_map(|(r, _)| a.ladder.get(r).map(|x| x.id.as_str()))
        .collect();
    if !cap.is_empty() {
        s.push_str("\n[capacity]\n");
        for id in cap {
            let _ = writeln!(s, "{id} = true");
        }
    }
    for (r, st) in p.stances.iter().enumerate() {
        let Some(rung) = a.ladder.get(r) else {
            continue;
        };
        if st.support.is_none() && st.block.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n[stance.{}]", rung.id);
        if let Some(c) = &st.support {
            let _ = writeln!(s, "support = {}", quote(&c.to_text()));
        }
        if !st.block.is_empty() {
            let _ = writeln!(s, "\n[stance.{}.block]", rung.id);
            for (reason, c) in &st.block {
                let _ = writeln!(s, "{} = {}", reason.word(), quote(&c.to_text()));
            }
        }
    }
    s
}

/// Every member's policy file: (file name `CODE.toml`, text).
pub fn policy_files(a: &Alliance, set: &PolicySet) -> Vec<(String, String)> {
    set.by_member
        .iter()
        .flatten()
        .map(|p| (format!("{}.toml", p.member), policy_toml(a, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in sets and alliances round-trip through the writer.
    #[test]
    fn builtins_round_trip() {
        for a in [Alliance::nato(), Alliance::eu()] {
            let back = Alliance::parse("a.toml", &alliance_toml(&a)).unwrap();
            assert_eq!(back, a);
            let set = PolicySet::builtin(&a);
            let files = policy_files(&a, &set);
            let again = PolicySet::from_texts(&files, &back).unwrap();
            for (x, y) in set.by_member.iter().zip(&again.by_member) {
                let (x, y) = (x.as_ref().unwrap(), y.as_ref().unwrap());
                assert_eq!(
                    (&x.member, &x.source, x.doctrine, &x.stances, &x.capacity),
                    (&y.member, &y.source, y.doctrine, &y.stances, &y.capacity)
                );
            }
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
