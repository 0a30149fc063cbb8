//! The policy condition language (DESIGN 5): parse (winnow) into a syntax tree with spans,
//! check it into a typed [`Cond`] (collecting every error, with the valid words and a
//! suggestion), print it back, and evaluate it against [`Facts`].

mod check;
mod eval;
mod parse;
mod print;
mod simplify;

pub use check::check;
pub use eval::{naive_eval, Facts};
pub use parse::{parse, MAX_CONDITION_BYTES, MAX_NESTING};

use crate::vocab::{Nominal, Ordinal};
use std::ops::Range;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
        }
    }
    pub fn holds<T: Ord>(self, a: T, b: T) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Ge => a >= b,
            CmpOp::Gt => a > b,
        }
    }
}

/// A word of the source with its byte span in the condition string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rhs {
    Word(Word),
    /// A decimal integer; one too large for `u128` reads as `u128::MAX`, which compares with
    /// any `members_affected` (a `u64`) as the written number would.
    Int(u128, Range<usize>),
}

/// The syntax tree: words are not yet resolved to dimensions and levels. `and` and `or`
/// chains are n-ary (two or more operands), so a long chain is a flat list, never a deep
/// tree: only parentheses and `not` nest, and [`MAX_NESTING`] bounds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Syn {
    Or(Vec<Syn>),
    And(Vec<Syn>),
    Not(Box<Syn>),
    /// `true`, `false`, `affected_self` (or a word used wrongly).
    Word(Word),
    Cmp {
        lhs: Word,
        op: CmpOp,
        rhs: Rhs,
    },
    In {
        lhs: Word,
        values: Vec<Word>,
    },
}

/// The form of a nominal test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NomTest {
    Eq(u8),
    Ne(u8),
    In(Vec<u8>),
}

/// A checked condition: dimensions and levels resolved to indices. `And` and `Or` hold two
/// or more operands, none of them of the same kind (chains are flat): build them with
/// [`Cond::and`] and [`Cond::or`], which keep that form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond {
    True,
    False,
    AffectedSelf,
    Ord { dim: Ordinal, op: CmpOp, level: u8 },
    MembersAffected { op: CmpOp, n: u128 },
    Nom { dim: Nominal, test: NomTest },
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

/// One problem in a condition, located by a byte span of the condition string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondError {
    pub span: Range<usize>,
    pub message: String,
    /// The words that would be valid here.
    pub valid: Vec<&'static str>,
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for CondError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean '{s}'?")?;
        }
        if !self.valid.is_empty() {
            write!(f, " (valid: {})", self.valid.join(", "))?;
        }
        Ok(())
    }
}

/// Parse and check a condition string.
pub fn compile(src: &str) -> Result<Cond, Vec<CondError>> {
    let syn = parse(src).map_err(|e| vec![e])?;
    check(&syn)
}

/// Which facts a condition reads (a bit set; see the constants).
pub mod uses {
    pub const SEVERITY: u8 = 1;
    pub const ATTRIBUTION: u8 = 2;
    pub const EFFECTS: u8 = 4;
    pub const LEGAL: u8 = 8;
    pub const ACTOR: u8 = 16;
    pub const SECTOR: u8 = 32;
    pub const MEMBERS_AFFECTED: u8 = 64;
    pub const AFFECTED_SELF: u8 = 128;
}

impl Cond {
    /// The facts this condition reads ([`uses`] bits): an evaluator may evaluate it once per
    /// combination of those and reuse the result wherever only other facts differ.
    pub fn uses(&self) -> u8 {
        match self {
            Cond::True | Cond::False => 0,
            Cond::AffectedSelf => uses::AFFECTED_SELF,
            Cond::Ord { dim, .. } => match dim {
                Ordinal::Severity => uses::SEVERITY,
                Ordinal::Attribution => uses::ATTRIBUTION,
                Ordinal::Effects => uses::EFFECTS,
                Ordinal::Legal => uses::LEGAL,
            },
            Cond::MembersAffected { .. } => uses::MEMBERS_AFFECTED,
            Cond::Nom { dim, .. } => match dim {
                Nominal::Actor => uses::ACTOR,
                Nominal::Sector => uses::SECTOR,
            },
            Cond::Not(a) => a.uses(),
            Cond::And(xs) | Cond::Or(xs) => xs.iter().fold(0, |acc, x| acc | x.uses()),
        }
    }

    /// The conjunction of `parts`, flattened (an operand that is itself an `And` gives its
    /// operands); a single operand is returned as is, none gives `true`.
    pub fn and(parts: impl IntoIterator<Item = Cond>) -> Cond {
        Self::chain(parts, true)
    }

    /// The disjunction of `parts`, flattened; a single operand is returned as is, none
    /// gives `false`.
    pub fn or(parts: impl IntoIterator<Item = Cond>) -> Cond {
        Self::chain(parts, false)
    }

    fn chain(parts: impl IntoIterator<Item = Cond>, and: bool) -> Cond {
        let mut out = Vec::new();
        for p in parts {
            match (p, and) {
                (Cond::And(xs), true) | (Cond::Or(xs), false) => out.extend(xs),
                (p, _) => out.push(p),
            }
        }
        match out.len() {
            0 => {
                if and {
                    Cond::True
                } else {
                    Cond::False
                }
            }
            1 => out.pop().unwrap_or(Cond::True),
            _ if and => Cond::And(out),
            _ => Cond::Or(out),
        }
    }

    /// The canonical text of the condition; `compile(&c.to_text()) == Ok(c)`.
    pub fn to_text(&self) -> String {
        print::print(self)
    }
}
