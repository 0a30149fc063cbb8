//! Evaluation: the compiled evaluator over [`Cond`] (indices and bit sets), and a
//! deliberately naive interpreter of the syntax tree used as the reference in tests.

use super::{CmpOp, Cond, NomTest, Rhs, Syn};
use crate::vocab::{Nominal, Ordinal, ACTOR, ATTRIBUTION, EFFECTS, LEGAL, SECTOR, SEVERITY};

/// The facts one member's conditions are evaluated against: the vector with that
/// member's own `legal` and `affected_self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Facts {
    pub severity: u8,
    pub attribution: u8,
    pub effects: u8,
    pub legal: u8,
    pub actor: u8,
    pub sectors: u16,
    pub members_affected: u64,
    pub affected_self: bool,
}

impl Facts {
    fn ordinal(&self, d: Ordinal) -> u8 {
        match d {
            Ordinal::Severity => self.severity,
            Ordinal::Attribution => self.attribution,
            Ordinal::Effects => self.effects,
            Ordinal::Legal => self.legal,
        }
    }
}

impl Cond {
    /// Evaluate (the compiled form: no strings, no allocation).
    pub fn eval(&self, f: &Facts) -> bool {
        match self {
            Cond::True => true,
            Cond::False => false,
            Cond::AffectedSelf => f.affected_self,
            Cond::Ord { dim, op, level } => op.holds(f.ordinal(*dim), *level),
            Cond::MembersAffected { op, n } => op.holds(u128::from(f.members_affected), *n),
            Cond::Nom {
                dim: Nominal::Actor,
                test,
            } => match test {
                NomTest::Eq(v) => f.actor == *v,
                NomTest::Ne(v) => f.actor != *v,
                NomTest::In(vs) => vs.contains(&f.actor),
            },
            Cond::Nom {
                dim: Nominal::Sector,
                test,
            } => match test {
                NomTest::Eq(v) => f.sectors & (1 << v) != 0,
                NomTest::Ne(v) => f.sectors & (1 << v) == 0,
                NomTest::In(vs) => vs.iter().any(|v| f.sectors & (1 << v) != 0),
            },
            Cond::Not(a) => !a.eval(f),
            Cond::And(xs) => xs.iter().all(|x| x.eval(f)),
            Cond::Or(xs) => xs.iter().any(|x| x.eval(f)),
        }
    }
}

/// Interpret a syntax tree directly, by word lookups, with no compilation. `None` when the
/// tree does not type-check. Slow on purpose: it is the reference for the compiled form.
pub fn naive_eval(s: &Syn, f: &Facts) -> Option<bool> {
    let level_of = |dim: &str| -> Option<(&'static [&'static str], usize)> {
        Some(match dim {
            "severity" => (SEVERITY, usize::from(f.severity)),
            "attribution" => (ATTRIBUTION, usize::from(f.attribution)),
            "effects" => (EFFECTS, usize::from(f.effects)),
            "legal" => (LEGAL, usize::from(f.legal)),
            _ => return None,
        })
    };
    let sector_words: Vec<&str> = SECTOR
        .iter()
        .enumerate()
        .filter(|(i, _)| f.sectors & (1 << i) != 0)
        .map(|(_, s)| *s)
        .collect();
    let actor_word = ACTOR.get(usize::from(f.actor)).copied()?;
    Some(match s {
        Syn::Or(xs) => {
            let mut any = false;
            for x in xs {
                any |= naive_eval(x, f)?;
            }
            any
        }
        Syn::And(xs) => {
            let mut all = true;
            for x in xs {
                all &= naive_eval(x, f)?;
            }
            all
        }
        Syn::Not(a) => !naive_eval(a, f)?,
        Syn::Word(w) => match w.text.as_str() {
            "true" => true,
            "false" => false,
            "affected_self" => f.affected_self,
            _ => return None,
        },
        Syn::Cmp { lhs, op, rhs } => match (lhs.text.as_str(), rhs) {
            ("members_affected", Rhs::Int(n, _)) => op.holds(u128::from(f.members_affected), *n),
            ("actor", Rhs::Word(w)) if ACTOR.contains(&w.text.as_str()) => match op {
                CmpOp::Eq => actor_word == w.text,
                CmpOp::Ne => actor_word != w.text,
                _ => return None,
            },
            ("sector", Rhs::Word(w)) if SECTOR.contains(&w.text.as_str()) => match op {
                CmpOp::Eq => sector_words.contains(&w.text.as_str()),
                CmpOp::Ne => !sector_words.contains(&w.text.as_str()),
                _ => return None,
            },
            (dim, Rhs::Word(w)) => {
                let (levels, have) = level_of(dim)?;
                let want = levels.iter().position(|l| *l == w.text)?;
                op.holds(have, want)
            }
            _ => return None,
        },
        Syn::In { lhs, values } => {
            let words: Vec<&str> = values.iter().map(|w| w.text.as_str()).collect();
            match lhs.text.as_str() {
                "actor" if words.iter().all(|w| ACTOR.contains(w)) => words.contains(&actor_word),
                "sector" if words.iter().all(|w| SECTOR.contains(w)) => {
                    words.iter().any(|w| sector_words.contains(w))
                }
                _ => return None,
            }
        }
    })
}
