//! Tokens of STIX Patterning, as the ANTLR lexer of `STIXPattern.g4` cuts them.

use super::{Literal, PatternError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Identifier text and whether it contains a hyphen.
    Ident(String, bool),
    Kw(&'static str),
    Lit(Literal),
    IntPos(i64),
    IntNeg(i64),
    FloatPos(f64),
    FloatNeg(f64),
    Sym(&'static str),
    Eof,
}

/// A token with its start and end (character offsets, end exclusive).
pub(super) struct Token {
    pub start: usize,
    pub end: usize,
    pub tok: Tok,
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

const SYMBOLS2: &[&str] = &["==", "!=", "<>", "<=", ">="];
const SYMBOLS1: &[&str] = &[
    "=", "<", ">", "[", "]", "(", ")", ":", ".", ",", "*", "+", "-", "^", "/",
];

pub(super) fn describe(t: &Tok) -> String {
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

/// The `TimestampLiteral` body: `YYYY-MM-DDTHH:mm:ss[.s+]Z` with the grammar's ranges.
pub(super) fn is_ts_literal(s: &str) -> bool {
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
    match &b[19..] {
        [b'Z'] => true,
        [b'.', mid @ .., b'Z'] => !mid.is_empty() && mid.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The `BinaryLiteral` body: padded base64, at least one group of four.
fn is_b64(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

pub(super) struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    pub(super) fn new(src: &str) -> Lexer {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn skip_ws(&mut self) -> Result<(), PatternError> {
        loop {
            match self.at(self.pos) {
                Some(c) if c.is_whitespace() => self.pos += 1,
                Some('/') if self.at(self.pos + 1) == Some('*') => {
                    let start = self.pos;
                    self.pos += 2;
                    loop {
                        match self.at(self.pos) {
                            None => {
                                return Err(PatternError::syntax(start, "unterminated comment"))
                            }
                            Some('*') if self.at(self.pos + 1) == Some('/') => {
                                self.pos += 2;
                                break;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                Some('/') if self.at(self.pos + 1) == Some('/') => {
                    while self.at(self.pos).is_some_and(|c| c != '\n' && c != '\r') {
                        self.pos += 1;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// A quoted string starting at `self.pos` (the quote). Returns the unescaped text.
    fn quoted(&mut self) -> Result<String, PatternError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.at(self.pos) {
                None => {
                    return Err(PatternError::syntax(start, "unterminated string literal"));
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => match self.at(self.pos + 1) {
                    Some(c @ ('\'' | '\\')) => {
                        out.push(c);
                        self.pos += 2;
                    }
                    _ => {
                        return Err(PatternError::syntax(
                            self.pos,
                            "invalid escape in string literal (only \\' and \\\\ are allowed)",
                        ))
                    }
                },
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn digits(&mut self) -> String {
        let mut s = String::new();
        while let Some(d) = self.at(self.pos).filter(char::is_ascii_digit) {
            s.push(d);
            self.pos += 1;
        }
        s
    }

    /// The source text of a token.
    pub(super) fn text(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.chars.len())..end.min(self.chars.len())]
            .iter()
            .collect()
    }

    pub(super) fn next(&mut self) -> Result<Token, PatternError> {
        self.skip_ws()?;
        let start = self.pos;
        let tok = self.token()?;
        Ok(Token {
            start,
            end: self.pos,
            tok,
        })
    }

    fn token(&mut self) -> Result<Tok, PatternError> {
        let start = self.pos;
        let Some(c) = self.at(self.pos) else {
            return Ok(Tok::Eof);
        };
        let next = self.at(self.pos + 1);
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
                return Err(PatternError::syntax(
                    start,
                    format!("invalid {kind} literal {c}'{s}'"),
                ));
            }
            return Ok(Tok::Lit(match c {
                't' => Literal::Timestamp(s),
                'b' => Literal::Binary(s),
                _ => Literal::Hex(s),
            }));
        }
        if c == '\'' {
            return Ok(Tok::Lit(Literal::Str(self.quoted()?)));
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            let mut hy = false;
            while let Some(c) = self
                .at(self.pos)
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            {
                hy |= c == '-';
                s.push(c);
                self.pos += 1;
            }
            if let Some(k) = KEYWORDS.iter().find(|k| **k == s) {
                return Ok(Tok::Kw(k));
            }
            return Ok(match s.as_str() {
                "true" => Tok::Lit(Literal::Bool(true)),
                "false" => Tok::Lit(Literal::Bool(false)),
                _ => Tok::Ident(s, hy),
            });
        }
        let signed = c == '-' || c == '+';
        let num_start = if signed { self.pos + 1 } else { self.pos };
        let n0 = self.at(num_start);
        let n1 = self.at(num_start + 1);
        let starts_number = n0.is_some_and(|d| d.is_ascii_digit())
            || (n0 == Some('.') && n1.is_some_and(|d| d.is_ascii_digit()));
        if starts_number {
            let neg = c == '-';
            self.pos = num_start;
            let int = self.digits();
            if self.at(self.pos) == Some('.')
                && self.at(self.pos + 1).is_some_and(|d| d.is_ascii_digit())
            {
                self.pos += 1;
                let frac = self.digits();
                let v: f64 = format!("{}.{frac}", if int.is_empty() { "0" } else { &int })
                    .parse()
                    .unwrap_or(0.0);
                return Ok(if neg {
                    Tok::FloatNeg(-v)
                } else {
                    Tok::FloatPos(v)
                });
            }
            if int.len() > 1 && int.starts_with('0') {
                return Err(PatternError::syntax(
                    start,
                    format!("integer literal '{int}' has a leading zero"),
                ));
            }
            // The grammar has no bound on integers: a longer one saturates.
            let v: i64 = int.parse().unwrap_or(i64::MAX);
            return Ok(if neg { Tok::IntNeg(-v) } else { Tok::IntPos(v) });
        }
        for s in SYMBOLS2 {
            let mut it = s.chars();
            if it.next() == Some(c) && it.next() == next {
                self.pos += 2;
                return Ok(Tok::Sym(s));
            }
        }
        for s in SYMBOLS1 {
            if s.starts_with(c) {
                self.pos += 1;
                return Ok(Tok::Sym(s));
            }
        }
        Err(PatternError::syntax(
            start,
            format!("token recognition error at: '{c}'"),
        ))
    }
}
