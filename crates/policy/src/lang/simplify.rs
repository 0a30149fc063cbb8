//! Simplification of checked conditions: constants folded, double negations and negated
//! comparisons removed, and `affected_self` fixed to a value. Used to write edits people
//! can read (harmonisation's constructive abstention); meaning is kept (tested against the
//! evaluator).

use super::{CmpOp, Cond, NomTest};

fn negate(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::Gt => CmpOp::Le,
    }
}

impl Cond {
    /// The same condition with constants folded and negations pushed into comparisons.
    pub fn simplified(&self) -> Cond {
        self.fold(None)
    }

    /// The condition with `affected_self` fixed to `value`, simplified.
    pub fn assume_affected(&self, value: bool) -> Cond {
        self.fold(Some(value))
    }

    fn fold(&self, affected: Option<bool>) -> Cond {
        match self {
            Cond::AffectedSelf => match affected {
                Some(true) => Cond::True,
                Some(false) => Cond::False,
                None => Cond::AffectedSelf,
            },
            Cond::Not(a) => match a.fold(affected) {
                Cond::True => Cond::False,
                Cond::False => Cond::True,
                Cond::Not(x) => *x,
                Cond::Ord { dim, op, level } => Cond::Ord {
                    dim,
                    op: negate(op),
                    level,
                },
                Cond::MembersAffected { op, n } => Cond::MembersAffected { op: negate(op), n },
                Cond::Nom {
                    dim,
                    test: NomTest::Eq(v),
                } => Cond::Nom {
                    dim,
                    test: NomTest::Ne(v),
                },
                Cond::Nom {
                    dim,
                    test: NomTest::Ne(v),
                } => Cond::Nom {
                    dim,
                    test: NomTest::Eq(v),
                },
                other => Cond::Not(Box::new(other)),
            },
            Cond::And(xs) => {
                let mut parts = Vec::new();
                for x in xs {
                    match x.fold(affected) {
                        Cond::False => return Cond::False,
                        Cond::True => {}
                        c => parts.push(c),
                    }
                }
                Cond::and(parts)
            }
            Cond::Or(xs) => {
                let mut parts = Vec::new();
                for x in xs {
                    match x.fold(affected) {
                        Cond::True => return Cond::True,
                        Cond::False => {}
                        c => parts.push(c),
                    }
                }
                Cond::or(parts)
            }
            other => other.clone(),
        }
    }
}
