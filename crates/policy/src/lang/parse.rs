//! The grammar of DESIGN 5 with winnow. Conditions longer than [`MAX_CONDITION_BYTES`],
//! characters outside tokens and nesting beyond [`MAX_NESTING`] are rejected before
//! parsing; `and`/`or` chains become flat lists. So no input can exhaust the stack, here or
//! in any later walk of the tree (check, print, evaluate, drop).

use super::{CmpOp, CondError, Rhs, Syn, Word};
use winnow::combinator::{alt, cut_err, delimited, opt, preceded, repeat, separated};
use winnow::error::{ContextError, ErrMode, StrContext, StrContextValue};
use winnow::prelude::*;
use winnow::stream::{LocatingSlice, Location};
use winnow::token::{literal, take_while};

/// Deepest nesting of parentheses and `not` accepted (DESIGN 5 requires at least 64).
pub const MAX_NESTING: usize = 128;

/// Longest condition accepted, in bytes: as long as the longest policy text the server
/// takes (real conditions are a few hundred bytes; DESIGN 5 sets no limit, so the budget is
/// only what bounds memory and time, never a limit a policy file could meet).
pub const MAX_CONDITION_BYTES: usize = 256 * 1024;

type In<'a> = LocatingSlice<&'a str>;

const KEYWORDS: &[&str] = &["and", "or", "not", "in"];

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn ws(i: &mut In<'_>) -> ModalResult<()> {
    take_while(0.., is_ws).void().parse_next(i)
}

fn expected(what: &'static str) -> StrContext {
    StrContext::Expected(StrContextValue::Description(what))
}

fn raw_word(i: &mut In<'_>) -> ModalResult<Word> {
    (
        take_while(1, |c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .take()
        .with_span()
        .map(|(t, span): (&str, _)| Word {
            text: t.to_string(),
            span,
        })
        .parse_next(i)
}

/// A word that is not a keyword.
fn word(i: &mut In<'_>) -> ModalResult<Word> {
    raw_word
        .verify(|w: &Word| !KEYWORDS.contains(&w.text.as_str()))
        .parse_next(i)
}

fn kw<'a>(k: &'static str) -> impl Parser<In<'a>, (), ErrMode<ContextError>> {
    raw_word.verify(move |w: &Word| w.text == k).void()
}

fn int(i: &mut In<'_>) -> ModalResult<Rhs> {
    take_while(1.., |c: char| c.is_ascii_digit())
        .with_span()
        .map(|(t, span): (&str, _)| Rhs::Int(t.parse::<u128>().unwrap_or(u128::MAX), span))
        .parse_next(i)
}

fn cmp_op(i: &mut In<'_>) -> ModalResult<CmpOp> {
    alt((
        literal("<=").value(CmpOp::Le),
        literal(">=").value(CmpOp::Ge),
        literal("==").value(CmpOp::Eq),
        literal("!=").value(CmpOp::Ne),
        literal("<").value(CmpOp::Lt),
        literal(">").value(CmpOp::Gt),
    ))
    .parse_next(i)
}

fn atom(i: &mut In<'_>) -> ModalResult<Syn> {
    let lhs = word.context(expected("a condition")).parse_next(i)?;
    let save = i.checkpoint();
    ws(i)?;
    if let Some(op) = opt(cmp_op).parse_next(i)? {
        ws(i)?;
        let rhs = cut_err(alt((int, word.map(Rhs::Word))))
            .context(expected("a level, value or number after the operator"))
            .parse_next(i)?;
        return Ok(Syn::Cmp { lhs, op, rhs });
    }
    if opt(kw("in")).parse_next(i)?.is_some() {
        ws(i)?;
        let values: Vec<Word> = cut_err(delimited(
            ("[", ws),
            separated(1.., (word, ws).map(|(w, _)| w), (",", ws)),
            "]",
        ))
        .context(expected("a list of values like [energy, water]"))
        .parse_next(i)?;
        return Ok(Syn::In { lhs, values });
    }
    i.reset(&save);
    Ok(Syn::Word(lhs))
}

fn primary(i: &mut In<'_>) -> ModalResult<Syn> {
    alt((
        delimited(
            ("(", ws),
            cut_err(or_expr),
            (ws, cut_err(")").context(expected("')'"))),
        ),
        atom,
    ))
    .parse_next(i)
}

fn unary(i: &mut In<'_>) -> ModalResult<Syn> {
    alt((
        preceded((kw("not"), ws), cut_err(unary)).map(|s| Syn::Not(Box::new(s))),
        primary,
    ))
    .parse_next(i)
}

fn and_expr(i: &mut In<'_>) -> ModalResult<Syn> {
    let first = unary(i)?;
    let rest: Vec<Syn> =
        repeat(0.., preceded((ws, kw("and"), ws), cut_err(unary))).parse_next(i)?;
    Ok(chain(first, rest, Syn::And))
}

/// One operand alone, or the n-ary node of all of them.
fn chain(first: Syn, rest: Vec<Syn>, node: fn(Vec<Syn>) -> Syn) -> Syn {
    if rest.is_empty() {
        first
    } else {
        let mut all = Vec::with_capacity(rest.len() + 1);
        all.push(first);
        all.extend(rest);
        node(all)
    }
}

fn or_expr(i: &mut In<'_>) -> ModalResult<Syn> {
    let first = and_expr(i)?;
    let rest: Vec<Syn> =
        repeat(0.., preceded((ws, kw("or"), ws), cut_err(and_expr))).parse_next(i)?;
    Ok(chain(first, rest, Syn::Or))
}

fn err(at: usize, len: usize, message: String) -> CondError {
    CondError {
        span: at..at + len,
        message,
        valid: Vec::new(),
        suggestion: None,
    }
}

/// Reject characters outside tokens and too-deep nesting before parsing.
fn precheck(src: &str) -> Result<(), CondError> {
    if src.chars().all(is_ws) {
        return Err(err(0, src.len(), "empty condition".into()));
    }
    if src.len() > MAX_CONDITION_BYTES {
        return Err(err(
            0,
            0,
            format!(
                "condition too long: {} bytes (at most {MAX_CONDITION_BYTES})",
                src.len()
            ),
        ));
    }
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut i = 0;
    let b = src.as_bytes();
    while i < b.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if &src[start..i] == "not" {
                nots += 1;
            } else {
                nots = 0;
            }
        } else {
            match c {
                '(' => {
                    depth += 1;
                }
                ')' => depth = depth.saturating_sub(1),
                c if is_ws(c) || c.is_ascii_digit() || "[],<>=!".contains(c) => {}
                other => {
                    return Err(err(
                        i,
                        other.len_utf8(),
                        format!("unexpected character '{}'", other.escape_default()),
                    ))
                }
            }
            if !is_ws(c) && c != '(' {
                nots = 0;
            }
            i += c.len_utf8();
        }
        if depth + nots > MAX_NESTING {
            return Err(err(
                i.saturating_sub(1),
                1,
                format!("nested more than {MAX_NESTING} levels deep"),
            ));
        }
    }
    Ok(())
}

/// Parse a condition into its syntax tree.
pub fn parse(src: &str) -> Result<Syn, CondError> {
    precheck(src)?;
    let mut input = LocatingSlice::new(src);
    let result = (ws, or_expr, ws).map(|(_, s, _)| s).parse_next(&mut input);
    let at = input.current_token_start();
    match result {
        Ok(syn) if at == src.len() => Ok(syn),
        Ok(_) => {
            let rest = &src[at..];
            let tok: String = rest.chars().take_while(|c| !is_ws(*c)).take(20).collect();
            Err(err(at, tok.len().max(1), format!("syntax error: unexpected '{tok}' (expected 'and', 'or' or the end of the condition)")))
        }
        Err(e) => {
            let ctx = match &e {
                ErrMode::Backtrack(c) | ErrMode::Cut(c) => c.to_string(),
                ErrMode::Incomplete(_) => String::new(),
            };
            let rest = &src[at.min(src.len())..];
            let tok: String = rest.chars().take_while(|c| !is_ws(*c)).take(20).collect();
            let found = if tok.is_empty() {
                "the end of the condition".to_string()
            } else {
                format!("'{tok}'")
            };
            let want = if ctx.is_empty() {
                String::new()
            } else {
                format!(": {ctx}")
            };
            Err(err(
                at,
                tok.len().max(1),
                format!("syntax error at {found}{want}"),
            ))
        }
    }
}
