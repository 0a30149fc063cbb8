//! STIX 2.1 Patterning: a lexer and a recursive-descent parser following the OASIS ANTLR
//! grammar (`STIXPattern.g4`), an AST, and the semantic rules of the OASIS reference
//! pattern validator (`stix2-patterns`): hash values that cannot be valid for their
//! algorithm, and a qualifier type repeated on one observation expression.
//!
//! Budgets (hostile input cannot exhaust the stack or memory):
//! - a pattern is at most [`MAX_PATTERN_BYTES`] bytes long;
//! - it holds at most [`MAX_TERMS`] terms (comparisons, observation expressions and
//!   qualifiers together);
//! - parentheses and brackets nest at most [`MAX_DEPTH`] levels.
//!
//! Chains of `AND`, `OR` and `FOLLOWEDBY` are stored flat (a vector of operands), and a
//! chain of qualifiers is a vector on one node, so the AST is never deeper than the
//! nesting of parentheses and brackets: every walk over it (validation, extraction,
//! printing, drop) recurses at most `MAX_DEPTH` levels.

mod check;
mod lexer;
mod parser;

use std::fmt;

pub use check::semantic_errors;
pub use parser::parse;

/// Deepest nesting of parentheses and brackets accepted.
pub const MAX_DEPTH: usize = 64;

/// Most terms (comparisons, observation expressions and qualifiers) in one pattern.
pub const MAX_TERMS: usize = 10_000;

/// Longest pattern accepted, in bytes.
pub const MAX_PATTERN_BYTES: usize = 1 << 20;

/// What kind of problem a [`PatternError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text does not follow the grammar.
    Syntax,
    /// The pattern exceeds a budget ([`MAX_PATTERN_BYTES`], [`MAX_TERMS`], [`MAX_DEPTH`]).
    Limit,
    /// Grammatical, but breaks a rule of the reference pattern validator.
    Semantic,
}

/// A problem with a pattern, with its 0-based character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub kind: ErrorKind,
    pub column: usize,
    pub message: String,
}

impl PatternError {
    pub(crate) fn syntax(column: usize, message: impl Into<String>) -> PatternError {
        PatternError {
            kind: ErrorKind::Syntax,
            column,
            message: message.into(),
        }
    }
    pub(crate) fn limit(column: usize, message: impl Into<String>) -> PatternError {
        PatternError {
            kind: ErrorKind::Limit,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Semantic => f.write_str(&self.message),
            _ => write!(f, "error at 1:{}: {}", self.column, self.message),
        }
    }
}

impl std::error::Error for PatternError {}

/// A literal value in a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Binary(String),
    Hex(String),
    Timestamp(String),
}

/// One step of an object path after the first property.
#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Property(String),
    Index(i64),
    AnyIndex,
}

/// `type:property.step[0]...`
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPath {
    pub object_type: String,
    pub property: String,
    pub steps: Vec<PathStep>,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Like,
    Matches,
    IsSubset,
    IsSuperset,
}

/// A comparison expression (inside brackets).
#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    /// Two or more operands joined by `AND`.
    And(Vec<Comparison>),
    /// Two or more operands joined by `OR`.
    Or(Vec<Comparison>),
    Test {
        path: ObjectPath,
        negated: bool,
        op: Op,
        value: Vec<Literal>,
        /// The literal as written (tokens without spaces, as the reference inspector
        /// reports it: `'abc'`, `('a','b')`, `5`).
        text: String,
    },
    Exists {
        path: ObjectPath,
        negated: bool,
    },
}

/// Qualifiers of an observation expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Qualifier {
    StartStop(String, String),
    Within(f64),
    Repeats(i64),
}

/// An observation expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// `[ comparison ]`
    Brackets(Comparison),
    /// `( observations )`
    Group(Box<Observation>),
    /// Two or more operands joined by `AND`.
    And(Vec<Observation>),
    /// Two or more operands joined by `OR`.
    Or(Vec<Observation>),
    /// Two or more operands joined by `FOLLOWEDBY`.
    FollowedBy(Vec<Observation>),
    /// A bracketed or parenthesised expression with its qualifiers, in order.
    Qualified(Box<Observation>, Vec<Qualifier>),
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub root: Observation,
}

impl Comparison {
    /// Visit every test and existence test (depth bounded by [`MAX_DEPTH`]).
    pub fn for_each_leaf<'a>(&'a self, f: &mut impl FnMut(&'a Comparison)) {
        match self {
            Comparison::And(v) | Comparison::Or(v) => {
                for c in v {
                    c.for_each_leaf(f);
                }
            }
            leaf => f(leaf),
        }
    }
}

impl Observation {
    /// Visit every bracketed comparison expression.
    pub fn for_each_comparison<'a>(&'a self, f: &mut impl FnMut(&'a Comparison)) {
        match self {
            Observation::Brackets(c) => f(c),
            Observation::Group(o) | Observation::Qualified(o, _) => o.for_each_comparison(f),
            Observation::And(v) | Observation::Or(v) | Observation::FollowedBy(v) => {
                for o in v {
                    o.for_each_comparison(f);
                }
            }
        }
    }

    /// Visit every observation node (pre-order).
    pub fn for_each_observation<'a>(&'a self, f: &mut impl FnMut(&'a Observation)) {
        f(self);
        match self {
            Observation::Brackets(_) => {}
            Observation::Group(o) | Observation::Qualified(o, _) => o.for_each_observation(f),
            Observation::And(v) | Observation::Or(v) | Observation::FollowedBy(v) => {
                for o in v {
                    o.for_each_observation(f);
                }
            }
        }
    }
}

impl Pattern {
    /// Every comparison and existence test, in order.
    pub fn leaves(&self) -> Vec<&Comparison> {
        let mut out = Vec::new();
        self.root
            .for_each_comparison(&mut |c| c.for_each_leaf(&mut |l| out.push(l)));
        out
    }

    /// Every property test and existence test, with its object path.
    pub fn paths(&self) -> Vec<&ObjectPath> {
        self.leaves()
            .into_iter()
            .filter_map(|l| match l {
                Comparison::Test { path, .. } | Comparison::Exists { path, .. } => Some(path),
                _ => None,
            })
            .collect()
    }

    /// Equality tests `type:property = 'value'` (property path joined with dots), for
    /// extracting observables from indicators.
    pub fn equalities(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for l in self.leaves() {
            if let Comparison::Test {
                path,
                negated: false,
                op: Op::Eq,
                value,
                ..
            } = l
            {
                if let Some(Literal::Str(s)) = value.first() {
                    let mut prop = path.property.clone();
                    for s in &path.steps {
                        if let PathStep::Property(p) = s {
                            prop.push('.');
                            prop.push_str(p);
                        }
                    }
                    out.push((path.object_type.clone(), prop, s.clone()));
                }
            }
        }
        out
    }
}

/// Parse a pattern and apply the reference pattern validator's semantic rules: the
/// verdict `stix2-patterns` gives (for STIX 2.1 patterns).
pub fn validate(src: &str) -> Result<Pattern, Vec<PatternError>> {
    let p = parse(src).map_err(|e| vec![e])?;
    let errs = semantic_errors(&p);
    if errs.is_empty() {
        Ok(p)
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests;
