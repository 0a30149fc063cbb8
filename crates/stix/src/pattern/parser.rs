//! Recursive descent over the tokens, with flat operator chains and the budgets of the
//! module ([`MAX_DEPTH`], [`MAX_TERMS`], [`MAX_PATTERN_BYTES`]).

use super::lexer::{describe, Lexer, Tok, Token};
use super::{
    Comparison, Literal, ObjectPath, Observation, Op, PathStep, Pattern, PatternError, Qualifier,
    MAX_DEPTH, MAX_PATTERN_BYTES, MAX_TERMS,
};

type R<T> = Result<T, PatternError>;

struct Parser {
    lexer: Lexer,
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    terms: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(&Tok::Eof, |t| &t.tok)
    }
    fn col(&self) -> usize {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or(0, |t| t.start)
    }
    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        t
    }
    fn err<T>(&self, expecting: &str) -> R<T> {
        Err(PatternError::syntax(
            self.col(),
            format!(
                "mismatched input {} expecting {expecting}",
                describe(self.peek())
            ),
        ))
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Tok::Sym(x) if *x == s) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_kw(&mut self, k: &str) -> bool {
        if matches!(self.peek(), Tok::Kw(x) if *x == k) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(PatternError::limit(
                self.col(),
                format!("parentheses and brackets nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }
    fn term(&mut self) -> R<()> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(PatternError::limit(
                self.col(),
                format!("more than {MAX_TERMS} terms (comparisons, observation expressions and qualifiers)"),
            ));
        }
        Ok(())
    }

    /// A left-associative chain of `sub` joined by keyword `kw`, flattened.
    fn chain<T>(&mut self, kw: &str, sub: fn(&mut Parser) -> R<T>, join: fn(Vec<T>) -> T) -> R<T> {
        let first = sub(self)?;
        if !matches!(self.peek(), Tok::Kw(x) if *x == kw) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_kw(kw) {
            items.push(sub(self)?);
        }
        Ok(join(items))
    }

    fn observations(&mut self) -> R<Observation> {
        self.chain("FOLLOWEDBY", Parser::obs_or, Observation::FollowedBy)
    }
    fn obs_or(&mut self) -> R<Observation> {
        self.chain("OR", Parser::obs_and, Observation::Or)
    }
    fn obs_and(&mut self) -> R<Observation> {
        self.chain("AND", Parser::obs_qualified, Observation::And)
    }
    fn obs_qualified(&mut self) -> R<Observation> {
        let o = self.obs_primary()?;
        let mut quals = Vec::new();
        loop {
            let q = if self.eat_kw("START") {
                let a = self.timestamp()?;
                if !self.eat_kw("STOP") {
                    return self.err("'STOP'");
                }
                Qualifier::StartStop(a, self.timestamp()?)
            } else if self.eat_kw("WITHIN") {
                let v = match self.peek() {
                    Tok::IntPos(v) => *v as f64,
                    Tok::FloatPos(v) => *v,
                    _ => return self.err("{IntPosLiteral, FloatPosLiteral}"),
                };
                self.bump();
                if !self.eat_kw("SECONDS") {
                    return self.err("'SECONDS'");
                }
                Qualifier::Within(v)
            } else if self.eat_kw("REPEATS") {
                let Tok::IntPos(v) = *self.peek() else {
                    return self.err("IntPosLiteral");
                };
                self.bump();
                if !self.eat_kw("TIMES") {
                    return self.err("'TIMES'");
                }
                Qualifier::Repeats(v)
            } else {
                break;
            };
            self.term()?;
            quals.push(q);
        }
        Ok(if quals.is_empty() {
            o
        } else {
            Observation::Qualified(Box::new(o), quals)
        })
    }
    fn timestamp(&mut self) -> R<String> {
        match self.peek() {
            Tok::Lit(Literal::Timestamp(s)) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => self.err("TimestampLiteral"),
        }
    }
    fn obs_primary(&mut self) -> R<Observation> {
        self.term()?;
        if self.eat_sym("[") {
            self.enter()?;
            let c = self.cmp_or()?;
            if !self.eat_sym("]") {
                return self.err("']'");
            }
            self.depth -= 1;
            Ok(Observation::Brackets(c))
        } else if self.eat_sym("(") {
            self.enter()?;
            let o = self.observations()?;
            if !self.eat_sym(")") {
                return self.err("')'");
            }
            self.depth -= 1;
            Ok(Observation::Group(Box::new(o)))
        } else {
            self.err("{'(', '['}")
        }
    }
    fn cmp_or(&mut self) -> R<Comparison> {
        self.chain("OR", Parser::cmp_and, Comparison::Or)
    }
    fn cmp_and(&mut self) -> R<Comparison> {
        self.chain("AND", Parser::prop_test, Comparison::And)
    }
    fn prop_test(&mut self) -> R<Comparison> {
        if self.eat_sym("(") {
            self.enter()?;
            let c = self.cmp_or()?;
            if !self.eat_sym(")") {
                return self.err("')'");
            }
            self.depth -= 1;
            return Ok(c);
        }
        self.term()?;
        if matches!(self.peek(), Tok::Kw("NOT"))
            && matches!(
                self.toks.get(self.i + 1).map(|t| &t.tok),
                Some(Tok::Kw("EXISTS"))
            )
        {
            self.i += 2;
            return Ok(Comparison::Exists {
                path: self.object_path()?,
                negated: true,
            });
        }
        if self.eat_kw("EXISTS") {
            return Ok(Comparison::Exists {
                path: self.object_path()?,
                negated: false,
            });
        }
        let path = self.object_path()?;
        let negated = self.eat_kw("NOT");
        let op = match self.peek() {
            Tok::Sym("=" | "==") => Op::Eq,
            Tok::Sym("!=" | "<>") => Op::Neq,
            Tok::Sym("<") => Op::Lt,
            Tok::Sym("<=") => Op::Le,
            Tok::Sym(">") => Op::Gt,
            Tok::Sym(">=") => Op::Ge,
            Tok::Kw("IN") => Op::In,
            Tok::Kw("LIKE") => Op::Like,
            Tok::Kw("MATCHES") => Op::Matches,
            Tok::Kw("ISSUBSET") => Op::IsSubset,
            Tok::Kw("ISSUPERSET") => Op::IsSuperset,
            _ => return self.err("a comparison operator"),
        };
        self.bump();
        let first = self.i;
        let value = match op {
            Op::In => {
                if !self.eat_sym("(") {
                    return self.err("'('");
                }
                let mut vals = Vec::new();
                if !self.eat_sym(")") {
                    loop {
                        vals.push(self.literal(true)?);
                        if self.eat_sym(")") {
                            break;
                        }
                        if !self.eat_sym(",") {
                            return self.err("{',', ')'}");
                        }
                    }
                }
                vals
            }
            Op::Like | Op::Matches | Op::IsSubset | Op::IsSuperset => match self.peek() {
                Tok::Lit(Literal::Str(s)) => {
                    let v = vec![Literal::Str(s.clone())];
                    self.bump();
                    v
                }
                _ => return self.err("StringLiteral"),
            },
            Op::Eq | Op::Neq => vec![self.literal(true)?],
            _ => vec![self.literal(false)?],
        };
        let text = self.toks[first..self.i]
            .iter()
            .map(|t| self.lexer.text(t.start, t.end))
            .collect();
        Ok(Comparison::Test {
            path,
            negated,
            op,
            value,
            text,
        })
    }
    fn literal(&mut self, allow_bool: bool) -> R<Literal> {
        let lit = match self.peek() {
            Tok::IntPos(v) | Tok::IntNeg(v) => Literal::Int(*v),
            Tok::FloatPos(v) | Tok::FloatNeg(v) => Literal::Float(*v),
            Tok::Lit(Literal::Bool(_)) if !allow_bool => {
                return self.err("an orderable literal");
            }
            Tok::Lit(l) => l.clone(),
            _ => {
                return self.err("{IntNegLiteral, IntPosLiteral, FloatNegLiteral, FloatPosLiteral, HexLiteral, BinaryLiteral, StringLiteral, BoolLiteral, TimestampLiteral}");
            }
        };
        self.bump();
        Ok(lit)
    }
    fn object_path(&mut self) -> R<ObjectPath> {
        let object_type = match self.peek() {
            Tok::Ident(s, _) => s.clone(),
            _ => return self.err("an object type"),
        };
        self.bump();
        if !self.eat_sym(":") {
            return self.err("':'");
        }
        let property = match self.peek() {
            Tok::Ident(s, false) | Tok::Lit(Literal::Str(s)) => s.clone(),
            _ => return self.err("a property name"),
        };
        self.bump();
        let mut steps = Vec::new();
        loop {
            if self.eat_sym(".") {
                match self.peek() {
                    Tok::Ident(s, false) | Tok::Lit(Literal::Str(s)) => {
                        steps.push(PathStep::Property(s.clone()));
                    }
                    _ => return self.err("a property name"),
                }
                self.bump();
            } else if self.eat_sym("[") {
                match self.peek() {
                    Tok::IntPos(v) | Tok::IntNeg(v) => steps.push(PathStep::Index(*v)),
                    Tok::Sym("*") => steps.push(PathStep::AnyIndex),
                    _ => return self.err("{IntPosLiteral, IntNegLiteral, '*'}"),
                }
                self.bump();
                if !self.eat_sym("]") {
                    return self.err("']'");
                }
            } else {
                return Ok(ObjectPath {
                    object_type,
                    property,
                    steps,
                });
            }
        }
    }
}

/// The reference validator's quick check: after any opening parentheses and white space,
/// a pattern starts with `[`.
fn brackets_check(src: &str) -> bool {
    src.chars()
        .find(|c| *c != '(' && !(c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(c)))
        == Some('[')
}

/// Parse a STIX pattern (grammar only; see [`super::validate`] for the full verdict).
pub fn parse(src: &str) -> Result<Pattern, PatternError> {
    if src.len() > MAX_PATTERN_BYTES {
        return Err(PatternError::limit(
            0,
            format!(
                "the pattern is {} bytes long, more than the limit of {MAX_PATTERN_BYTES}",
                src.len()
            ),
        ));
    }
    if !brackets_check(src) {
        return Err(PatternError::syntax(0, "input is missing square brackets"));
    }
    let mut lexer = Lexer::new(src);
    let mut toks = Vec::new();
    loop {
        let t = lexer.next()?;
        let end = t.tok == Tok::Eof;
        toks.push(t);
        if end {
            break;
        }
    }
    let mut p = Parser {
        lexer,
        toks,
        i: 0,
        depth: 0,
        terms: 0,
    };
    let root = p.observations()?;
    if *p.peek() != Tok::Eof {
        return p.err("end of pattern");
    }
    Ok(Pattern { root })
}
