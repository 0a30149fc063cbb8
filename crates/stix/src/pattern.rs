//! STIX 2.1 Patterning: lexer and recursive-descent parser following the OASIS ANTLR
//! grammar (`STIXPattern.g4`), producing an AST. Nesting is bounded, so hostile input
//! cannot overflow the stack.

use std::fmt;

/// Deepest nesting of parentheses and brackets accepted.
pub const MAX_DEPTH: usize = 64;

/// A syntax error with its 0-based character column, as the reference tools report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error at 1:{}: {}", self.column, self.message)
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
    And(Box<Comparison>, Box<Comparison>),
    Or(Box<Comparison>, Box<Comparison>),
    Test {
        path: ObjectPath,
        negated: bool,
        op: Op,
        value: Vec<Literal>,
    },
    Exists(ObjectPath),
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
    Brackets(Comparison),
    And(Box<Observation>, Box<Observation>),
    Or(Box<Observation>, Box<Observation>),
    FollowedBy(Box<Observation>, Box<Observation>),
    Qualified(Box<Observation>, Qualifier),
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub root: Observation,
}

impl Pattern {
    /// Every property test and existence test, with its object path.
    pub fn paths(&self) -> Vec<&ObjectPath> {
        fn cmp<'a>(c: &'a Comparison, out: &mut Vec<&'a ObjectPath>) {
            match c {
                Comparison::And(a, b) | Comparison::Or(a, b) => {
                    cmp(a, out);
                    cmp(b, out);
                }
                Comparison::Test { path, .. } | Comparison::Exists(path) => out.push(path),
            }
        }
        fn obs<'a>(o: &'a Observation, out: &mut Vec<&'a ObjectPath>) {
            match o {
                Observation::Brackets(c) => cmp(c, out),
                Observation::And(a, b) | Observation::Or(a, b) | Observation::FollowedBy(a, b) => {
                    obs(a, out);
                    obs(b, out);
                }
                Observation::Qualified(a, _) => obs(a, out),
            }
        }
        let mut out = Vec::new();
        obs(&self.root, &mut out);
        out
    }

    /// Equality tests `type:property = 'value'` (property path joined with dots), for
    /// extracting observables from indicators.
    pub fn equalities(&self) -> Vec<(String, String, String)> {
        fn cmp(c: &Comparison, out: &mut Vec<(String, String, String)>) {
            match c {
                Comparison::And(a, b) | Comparison::Or(a, b) => {
                    cmp(a, out);
                    cmp(b, out);
                }
                Comparison::Test {
                    path,
                    negated: false,
                    op: Op::Eq,
                    value,
                } => {
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
                _ => {}
            }
        }
        fn obs(o: &Observation, out: &mut Vec<(String, String, String)>) {
            match o {
                Observation::Brackets(c) => cmp(c, out),
                Observation::And(a, b) | Observation::Or(a, b) | Observation::FollowedBy(a, b) => {
                    obs(a, out);
                    obs(b, out);
                }
                Observation::Qualified(a, _) => obs(a, out),
            }
        }
        let mut out = Vec::new();
        obs(&self.root, &mut out);
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String, bool), // text, contains hyphen
    Kw(&'static str),
    Lit(Literal),
    IntPos(i64),
    IntNeg(i64),
    FloatPos(f64),
    FloatNeg(f64),
    Sym(&'static str),
    Eof,
}

const KEYWORDS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "FOLLOWEDBY",
    "LIKE",
    "MATCHES",
    "ISSUPERSET",
    "ISSUBSET",
    "EXISTS",
    "LAST",
    "IN",
    "START",
    "STOP",
    "SECONDS",
    "WITHIN",
    "REPEATS",
    "TIMES",
];

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s, _) => format!("'{s}'"),
        Tok::Kw(k) => format!("'{k}'"),
        Tok::Lit(_) | Tok::IntPos(_) | Tok::IntNeg(_) | Tok::FloatPos(_) | Tok::FloatNeg(_) => {
            "literal".into()
        }
        Tok::Sym(s) => format!("'{s}'"),
        Tok::Eof => "end of pattern".into(),
    }
}

fn is_ts_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() < 20
        || !(0..4).all(d)
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let two = |i: usize| -> Option<u32> {
        if d(i) && d(i + 1) {
            Some(u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'))
        } else {
            None
        }
    };
    let (Some(mo), Some(da), Some(h), Some(mi), Some(se)) =
        (two(5), two(8), two(11), two(14), two(17))
    else {
        return false;
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || se > 60 {
        return false;
    }
    let rest = &b[19..];
    match rest {
        [b'Z'] => true,
        [b'.', mid @ .., b'Z'] => !mid.is_empty() && mid.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

fn is_b64(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 || (b.is_empty() && pad > 0) {
        return false;
    }
    if b.len() == 4 && pad == 4 {
        return false;
    }
    b[..b.len() - pad]
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    _src: &'a str,
}

impl<'a> Lexer<'a> {
    fn skip_ws(&mut self) {
        loop {
            let c = self.chars.get(self.pos).copied();
            match c {
                Some(c) if c.is_whitespace() => self.pos += 1,
                Some('/') if self.chars.get(self.pos + 1) == Some(&'*') => {
                    self.pos += 2;
                    while self.pos < self.chars.len()
                        && !(self.chars[self.pos] == '*'
                            && self.chars.get(self.pos + 1) == Some(&'/'))
                    {
                        self.pos += 1;
                    }
                    self.pos = (self.pos + 2).min(self.chars.len());
                }
                Some('/') if self.chars.get(self.pos + 1) == Some(&'/') => {
                    while self.pos < self.chars.len() && self.chars[self.pos] != '\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// A quoted string starting at `self.pos` (the quote). Returns the unescaped text.
    fn quoted(&mut self) -> Result<String, PatternError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.chars.get(self.pos) {
                None => {
                    return Err(PatternError {
                        column: start,
                        message: "unterminated string literal".into(),
                    })
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    match self.chars.get(self.pos + 1) {
                        Some(c @ ('\'' | '\\')) => {
                            out.push(*c);
                            self.pos += 2;
                        }
                        _ => return Err(PatternError {
                            column: self.pos,
                            message:
                                "invalid escape in string literal (only \\' and \\\\ are allowed)"
                                    .into(),
                        }),
                    }
                }
                Some(c) => {
                    out.push(*c);
                    self.pos += 1;
                }
            }
        }
    }

    fn next(&mut self) -> Result<(usize, Tok), PatternError> {
        self.skip_ws();
        let start = self.pos;
        let Some(&c) = self.chars.get(self.pos) else {
            return Ok((start, Tok::Eof));
        };
        let next = self.chars.get(self.pos + 1).copied();
        // prefixed literals
        if matches!(c, 't' | 'b' | 'h') && next == Some('\'') {
            self.pos += 1;
            let s = self.quoted()?;
            let ok = match c {
                't' => is_ts_literal(&s),
                'b' => is_b64(&s),
                _ => s.len() % 2 == 0 && s.chars().all(|c| c.is_ascii_hexdigit()),
            };
            if !ok {
                let kind = match c {
                    't' => "timestamp",
                    'b' => "binary (base64)",
                    _ => "hex",
                };
                return Err(PatternError {
                    column: start,
                    message: format!("invalid {kind} literal {c}'{s}'"),
                });
            }
            return Ok((
                start,
                Tok::Lit(match c {
                    't' => Literal::Timestamp(s),
                    'b' => Literal::Binary(s),
                    _ => Literal::Hex(s),
                }),
            ));
        }
        if c == '\'' {
            let s = self.quoted()?;
            return Ok((start, Tok::Lit(Literal::Str(s))));
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            let mut hy = false;
            while let Some(&c) = self.chars.get(self.pos) {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    hy |= c == '-';
                    s.push(c);
                    self.pos += 1;
                } else {
                    break;
                }
            }
            if let Some(k) = KEYWORDS.iter().find(|k| **k == s) {
                return Ok((start, Tok::Kw(k)));
            }
            return Ok((
                start,
                match s.as_str() {
                    "true" => Tok::Lit(Literal::Bool(true)),
                    "false" => Tok::Lit(Literal::Bool(false)),
                    _ => Tok::Ident(s, hy),
                },
            ));
        }
        if c.is_ascii_digit()
            || ((c == '-' || c == '+') && next.is_some_and(|n| n.is_ascii_digit() || n == '.'))
            || (c == '.' && next.is_some_and(|n| n.is_ascii_digit()))
        {
            let neg = c == '-';
            if c == '-' || c == '+' {
                self.pos += 1;
            }
            let mut int = String::new();
            while let Some(&d) = self.chars.get(self.pos).filter(|d| d.is_ascii_digit()) {
                int.push(d);
                self.pos += 1;
            }
            if self.chars.get(self.pos) == Some(&'.')
                && self
                    .chars
                    .get(self.pos + 1)
                    .is_some_and(|d| d.is_ascii_digit())
            {
                self.pos += 1;
                let mut frac = String::new();
                while let Some(&d) = self.chars.get(self.pos).filter(|d| d.is_ascii_digit()) {
                    frac.push(d);
                    self.pos += 1;
                }
                let v: f64 = format!("{}.{}", if int.is_empty() { "0" } else { &int }, frac)
                    .parse()
                    .unwrap_or(0.0);
                return Ok((
                    start,
                    if neg {
                        Tok::FloatNeg(-v)
                    } else {
                        Tok::FloatPos(v)
                    },
                ));
            }
            if int.len() > 1 && int.starts_with('0') {
                return Err(PatternError {
                    column: start,
                    message: format!("integer literal '{int}' has a leading zero"),
                });
            }
            let v: i64 = int.parse().map_err(|_| PatternError {
                column: start,
                message: format!("integer literal '{int}' is out of range"),
            })?;
            return Ok((start, if neg { Tok::IntNeg(-v) } else { Tok::IntPos(v) }));
        }
        let two: String = [c, next.unwrap_or('\0')].iter().collect();
        for s in ["==", "!=", "<>", "<=", ">="] {
            if two == s {
                self.pos += 2;
                return Ok((start, Tok::Sym(s)));
            }
        }
        for s in ["=", "<", ">", "[", "]", "(", ")", ":", ".", ",", "*"] {
            if c.to_string() == s {
                self.pos += 1;
                return Ok((start, Tok::Sym(s)));
            }
        }
        Err(PatternError {
            column: start,
            message: format!("token recognition error at: '{c}'"),
        })
    }
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    i: usize,
    depth: usize,
}

type R<T> = Result<T, PatternError>;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i.min(self.toks.len() - 1)].1
    }
    fn col(&self) -> usize {
        self.toks[self.i.min(self.toks.len() - 1)].0
    }
    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }
    fn err<T>(&self, expecting: &str) -> R<T> {
        Err(PatternError {
            column: self.col(),
            message: format!(
                "mismatched input {} expecting {expecting}",
                describe(self.peek())
            ),
        })
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if *self.peek()
            == Tok::Sym(match s {
                "[" => "[",
                "]" => "]",
                "(" => "(",
                ")" => ")",
                ":" => ":",
                "." => ".",
                "," => ",",
                "*" => "*",
                _ => return false,
            })
        {
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
            return Err(PatternError {
                column: self.col(),
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(())
    }

    fn observations(&mut self) -> R<Observation> {
        let mut left = self.obs_or()?;
        while self.eat_kw("FOLLOWEDBY") {
            let right = self.obs_or()?;
            left = Observation::FollowedBy(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn obs_or(&mut self) -> R<Observation> {
        let mut left = self.obs_and()?;
        while self.eat_kw("OR") {
            let right = self.obs_and()?;
            left = Observation::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn obs_and(&mut self) -> R<Observation> {
        let mut left = self.obs_qualified()?;
        while self.eat_kw("AND") {
            let right = self.obs_qualified()?;
            left = Observation::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn obs_qualified(&mut self) -> R<Observation> {
        let mut o = self.obs_primary()?;
        loop {
            if self.eat_kw("START") {
                let a = self.timestamp()?;
                if !self.eat_kw("STOP") {
                    return self.err("'STOP'");
                }
                let b = self.timestamp()?;
                o = Observation::Qualified(Box::new(o), Qualifier::StartStop(a, b));
            } else if self.eat_kw("WITHIN") {
                let v = match self.bump() {
                    Tok::IntPos(v) => v as f64,
                    Tok::FloatPos(v) => v,
                    _ => {
                        self.i -= 1;
                        return self.err("{IntPosLiteral, FloatPosLiteral}");
                    }
                };
                if !self.eat_kw("SECONDS") {
                    return self.err("'SECONDS'");
                }
                o = Observation::Qualified(Box::new(o), Qualifier::Within(v));
            } else if self.eat_kw("REPEATS") {
                let Tok::IntPos(v) = self.bump() else {
                    self.i -= 1;
                    return self.err("IntPosLiteral");
                };
                if !self.eat_kw("TIMES") {
                    return self.err("'TIMES'");
                }
                o = Observation::Qualified(Box::new(o), Qualifier::Repeats(v));
            } else {
                return Ok(o);
            }
        }
    }
    fn timestamp(&mut self) -> R<String> {
        match self.bump() {
            Tok::Lit(Literal::Timestamp(s)) => Ok(s),
            _ => {
                self.i -= 1;
                self.err("TimestampLiteral")
            }
        }
    }
    fn obs_primary(&mut self) -> R<Observation> {
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
            Ok(o)
        } else {
            self.err("{'(', '['}")
        }
    }
    fn cmp_or(&mut self) -> R<Comparison> {
        let mut left = self.cmp_and()?;
        while self.eat_kw("OR") {
            let right = self.cmp_and()?;
            left = Comparison::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn cmp_and(&mut self) -> R<Comparison> {
        let mut left = self.prop_test()?;
        while self.eat_kw("AND") {
            let right = self.prop_test()?;
            left = Comparison::And(Box::new(left), Box::new(right));
        }
        Ok(left)
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
        if self.eat_kw("EXISTS") {
            return Ok(Comparison::Exists(self.object_path()?));
        }
        let path = self.object_path()?;
        let negated = self.eat_kw("NOT");
        let op = match self.bump() {
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
            _ => {
                self.i -= 1;
                return self.err("a comparison operator");
            }
        };
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
            Op::Like | Op::Matches | Op::IsSubset | Op::IsSuperset => match self.bump() {
                Tok::Lit(Literal::Str(s)) => vec![Literal::Str(s)],
                _ => {
                    self.i -= 1;
                    return self.err("StringLiteral");
                }
            },
            Op::Eq | Op::Neq => vec![self.literal(true)?],
            _ => vec![self.literal(false)?],
        };
        Ok(Comparison::Test {
            path,
            negated,
            op,
            value,
        })
    }
    fn literal(&mut self, allow_bool: bool) -> R<Literal> {
        let lit = match self.bump() {
            Tok::IntPos(v) | Tok::IntNeg(v) => Literal::Int(v),
            Tok::FloatPos(v) | Tok::FloatNeg(v) => Literal::Float(v),
            Tok::Lit(Literal::Bool(_)) if !allow_bool => {
                self.i -= 1;
                return self.err("an orderable literal");
            }
            Tok::Lit(l) => l,
            _ => {
                self.i -= 1;
                return self.err("{IntNegLiteral, IntPosLiteral, FloatNegLiteral, FloatPosLiteral, HexLiteral, BinaryLiteral, StringLiteral, BoolLiteral, TimestampLiteral}");
            }
        };
        Ok(lit)
    }
    fn object_path(&mut self) -> R<ObjectPath> {
        let object_type = match self.bump() {
            Tok::Ident(s, _) => s,
            _ => {
                self.i -= 1;
                return self.err("an object type");
            }
        };
        if !self.eat_sym(":") {
            return self.err("':'");
        }
        let property = match self.bump() {
            Tok::Ident(s, false) => s,
            Tok::Lit(Literal::Str(s)) => s,
            _ => {
                self.i -= 1;
                return self.err("a property name");
            }
        };
        let mut steps = Vec::new();
        loop {
            if self.eat_sym(".") {
                match self.bump() {
                    Tok::Ident(s, false) => steps.push(PathStep::Property(s)),
                    Tok::Lit(Literal::Str(s)) => steps.push(PathStep::Property(s)),
                    _ => {
                        self.i -= 1;
                        return self.err("a property name");
                    }
                }
            } else if self.eat_sym("[") {
                match self.bump() {
                    Tok::IntPos(v) | Tok::IntNeg(v) => steps.push(PathStep::Index(v)),
                    Tok::Sym("*") => steps.push(PathStep::AnyIndex),
                    _ => {
                        self.i -= 1;
                        return self.err("{IntPosLiteral, IntNegLiteral, '*'}");
                    }
                }
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

/// Parse a STIX pattern.
pub fn parse(src: &str) -> Result<Pattern, PatternError> {
    let mut lx = Lexer {
        chars: src.chars().collect(),
        pos: 0,
        _src: src,
    };
    let mut toks = Vec::new();
    loop {
        let (c, t) = lx.next()?;
        let end = t == Tok::Eof;
        toks.push((c, t));
        if end {
            break;
        }
    }
    let mut p = Parser {
        toks,
        i: 0,
        depth: 0,
    };
    if !matches!(p.peek(), Tok::Sym("[" | "(")) {
        return Err(PatternError {
            column: 0,
            message: "input is missing square brackets".into(),
        });
    }
    let root = p.observations()?;
    if *p.peek() != Tok::Eof {
        return p.err("end of pattern");
    }
    Ok(Pattern { root })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        for ok in [
            "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS",
            "([a:b = 1] AND [c:d IN ('x', 2)]) FOLLOWEDBY [e:f[*].g NOT LIKE 'x%']",
            "[x:y = t'2016-06-01T01:30:00.123Z'] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
            "[x:y > -1.5 AND EXISTS x:z]",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
        for bad in [
            "file:size = 1",
            "[file.size = 1]",
            "[a:b = ]",
            "[a:b = 1] WITHIN 5 HOURS",
            "[a:b = 01]",
            "[a:b = 'x'",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}[a:b = 1]{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn equalities_extracted() {
        let p = parse("[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example']")
            .unwrap();
        assert_eq!(p.equalities().len(), 2);
    }
}
