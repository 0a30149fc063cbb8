//! Canonical text of a condition, with exactly the parentheses the structure needs.

use super::{Cond, NomTest};

fn nominal_word(c: &Cond, i: u8) -> &'static str {
    match c {
        Cond::Nom { dim, .. } => dim.values().get(usize::from(i)).copied().unwrap_or("?"),
        _ => "?",
    }
}

fn atomic(c: &Cond) -> bool {
    !matches!(c, Cond::And(..) | Cond::Or(..))
}

fn write(c: &Cond, out: &mut String) {
    match c {
        Cond::True => out.push_str("true"),
        Cond::False => out.push_str("false"),
        Cond::AffectedSelf => out.push_str("affected_self"),
        Cond::Ord { dim, op, level } => out.push_str(&format!(
            "{} {} {}",
            dim.name(),
            op.symbol(),
            dim.levels()
                .get(usize::from(*level))
                .copied()
                .unwrap_or("?")
        )),
        Cond::MembersAffected { op, n } => {
            out.push_str(&format!("members_affected {} {n}", op.symbol()))
        }
        Cond::Nom { dim, test } => match test {
            NomTest::Eq(v) => out.push_str(&format!("{} == {}", dim.name(), nominal_word(c, *v))),
            NomTest::Ne(v) => out.push_str(&format!("{} != {}", dim.name(), nominal_word(c, *v))),
            NomTest::In(vs) => {
                let words: Vec<&str> = vs.iter().map(|v| nominal_word(c, *v)).collect();
                out.push_str(&format!("{} in [{}]", dim.name(), words.join(", ")));
            }
        },
        Cond::Not(a) => {
            out.push_str("not ");
            paren(a, atomic(a), out);
        }
        Cond::And(xs) => {
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(" and ");
                }
                paren(x, atomic(x), out);
            }
        }
        Cond::Or(xs) => {
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(" or ");
                }
                paren(x, !matches!(x, Cond::Or(..)), out);
            }
        }
    }
}

fn paren(c: &Cond, bare: bool, out: &mut String) {
    if bare {
        write(c, out);
    } else {
        out.push('(');
        write(c, out);
        out.push(')');
    }
}

pub fn print(c: &Cond) -> String {
    let mut s = String::new();
    write(c, &mut s);
    s
}
