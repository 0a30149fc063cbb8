//! From syntax to a typed condition: resolve every word, report every problem.

use super::{CmpOp, Cond, CondError, NomTest, Rhs, Syn, Word};
use crate::vocab::{self, Nominal, Ordinal, DIMENSIONS};

enum Dim {
    Ord(Ordinal),
    Nom(Nominal),
    Members,
    Flag(&'static str),
}

fn dimension(w: &Word, errors: &mut Vec<CondError>) -> Option<Dim> {
    let d = match w.text.as_str() {
        "severity" => Dim::Ord(Ordinal::Severity),
        "attribution" => Dim::Ord(Ordinal::Attribution),
        "effects" => Dim::Ord(Ordinal::Effects),
        "legal" => Dim::Ord(Ordinal::Legal),
        "actor" => Dim::Nom(Nominal::Actor),
        "sector" => Dim::Nom(Nominal::Sector),
        "members_affected" => Dim::Members,
        "affected_self" => Dim::Flag("affected_self"),
        "true" => Dim::Flag("true"),
        "false" => Dim::Flag("false"),
        _ => {
            errors.push(CondError {
                span: w.span.clone(),
                message: format!("unknown dimension '{}'", w.text),
                valid: DIMENSIONS.to_vec(),
                suggestion: vocab::suggest(&w.text, DIMENSIONS),
            });
            return None;
        }
    };
    Some(d)
}

fn value(
    dim_name: &str,
    list: &'static [&'static str],
    w: &Word,
    errors: &mut Vec<CondError>,
) -> Option<u8> {
    let found = vocab::index(list, &w.text);
    if found.is_none() {
        errors.push(CondError {
            span: w.span.clone(),
            message: format!(
                "unknown {} '{}' for {dim_name}",
                if dim_name == "sector" || dim_name == "actor" {
                    "value"
                } else {
                    "level"
                },
                w.text
            ),
            valid: list.to_vec(),
            suggestion: vocab::suggest(&w.text, list),
        });
    }
    found
}

fn mismatch(span: std::ops::Range<usize>, message: String, errors: &mut Vec<CondError>) {
    errors.push(CondError {
        span,
        message: format!("type mismatch: {message}"),
        valid: Vec::new(),
        suggestion: None,
    });
}

fn go(s: &Syn, errors: &mut Vec<CondError>) -> Option<Cond> {
    Some(match s {
        Syn::Or(xs) => {
            // every operand is checked, so every error is reported
            let parts: Vec<Option<Cond>> = xs.iter().map(|x| go(x, errors)).collect();
            Cond::or(parts.into_iter().collect::<Option<Vec<Cond>>>()?)
        }
        Syn::And(xs) => {
            let parts: Vec<Option<Cond>> = xs.iter().map(|x| go(x, errors)).collect();
            Cond::and(parts.into_iter().collect::<Option<Vec<Cond>>>()?)
        }
        Syn::Not(a) => Cond::Not(Box::new(go(a, errors)?)),
        Syn::Word(w) => match dimension(w, errors)? {
            Dim::Flag("true") => Cond::True,
            Dim::Flag("false") => Cond::False,
            Dim::Flag(_) => Cond::AffectedSelf,
            Dim::Ord(o) => {
                mismatch(
                    w.span.clone(),
                    format!(
                        "{} is ordinal: compare it with a level, e.g. '{} >= {}'",
                        o.name(),
                        o.name(),
                        o.levels()[1]
                    ),
                    errors,
                );
                return None;
            }
            Dim::Nom(n) => {
                mismatch(
                    w.span.clone(),
                    format!(
                        "{} is nominal: use '{} == {}', '!=' or 'in [...]'",
                        n.name(),
                        n.name(),
                        n.values()[0]
                    ),
                    errors,
                );
                return None;
            }
            Dim::Members => {
                mismatch(
                    w.span.clone(),
                    "members_affected is a number: compare it, e.g. 'members_affected >= 3'".into(),
                    errors,
                );
                return None;
            }
        },
        Syn::Cmp { lhs, op, rhs } => match dimension(lhs, errors)? {
            Dim::Ord(o) => match rhs {
                Rhs::Word(w) => Cond::Ord {
                    dim: o,
                    op: *op,
                    level: value(o.name(), o.levels(), w, errors)?,
                },
                Rhs::Int(_, span) => {
                    mismatch(
                        span.clone(),
                        format!("{} compares with a level word, not a number", o.name()),
                        errors,
                    );
                    return None;
                }
            },
            Dim::Members => match rhs {
                Rhs::Int(n, _) => Cond::MembersAffected { op: *op, n: *n },
                Rhs::Word(w) => {
                    mismatch(
                        w.span.clone(),
                        format!("members_affected compares with a number, not '{}'", w.text),
                        errors,
                    );
                    return None;
                }
            },
            Dim::Nom(n) => {
                let v = match rhs {
                    Rhs::Word(w) => value(n.name(), n.values(), w, errors),
                    Rhs::Int(_, span) => {
                        mismatch(
                            span.clone(),
                            format!("{} compares with a value word, not a number", n.name()),
                            errors,
                        );
                        None
                    }
                };
                let test = match op {
                    CmpOp::Eq => NomTest::Eq(v?),
                    CmpOp::Ne => NomTest::Ne(v?),
                    other => {
                        mismatch(
                            lhs.span.start..lhs.span.end,
                            format!(
                                "{} is nominal: '{}' does not apply, use ==, != or in",
                                n.name(),
                                other.symbol()
                            ),
                            errors,
                        );
                        return None;
                    }
                };
                Cond::Nom { dim: n, test }
            }
            Dim::Flag(f) => {
                mismatch(
                    lhs.span.clone(),
                    format!("'{f}' is a condition by itself and takes no comparison"),
                    errors,
                );
                return None;
            }
        },
        Syn::In { lhs, values } => match dimension(lhs, errors)? {
            Dim::Nom(n) => {
                let vs: Vec<Option<u8>> = values
                    .iter()
                    .map(|w| value(n.name(), n.values(), w, errors))
                    .collect();
                Cond::Nom {
                    dim: n,
                    test: NomTest::In(vs.into_iter().collect::<Option<Vec<u8>>>()?),
                }
            }
            _ => {
                mismatch(
                    lhs.span.clone(),
                    format!("'in' applies to actor and sector only, not '{}'", lhs.text),
                    errors,
                );
                return None;
            }
        },
    })
}

/// Check a syntax tree, collecting every error.
pub fn check(s: &Syn) -> Result<Cond, Vec<CondError>> {
    let mut errors = Vec::new();
    match go(s, &mut errors) {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}
