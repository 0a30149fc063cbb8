//! The semantic rules of the OASIS reference pattern validator (`stix2-patterns`, STIX
//! 2.1) beyond the grammar:
//! - a comparison on a `hashes` path whose last step names a known algorithm must
//!   compare with a value of that algorithm's shape (`object_validator.verify_object`);
//! - the qualifiers applied directly to one bracketed observation expression are of
//!   distinct types (`ValidationListener`: WITHIN, REPEATS, START/STOP each at most once;
//!   qualifiers applied to a parenthesised group are not counted).

use super::{Comparison, ErrorKind, Observation, PathStep, Pattern, PatternError, Qualifier};

fn semantic(message: String) -> PatternError {
    PatternError {
        kind: ErrorKind::Semantic,
        column: 0,
        message,
    }
}

/// `^[a-fA-F0-9]{n}$` as Python's `re.match` reads it (`$` also matches before one final
/// newline).
fn hex_exactly(v: &str, n: usize) -> bool {
    let v = v.strip_suffix('\n').unwrap_or(v);
    v.len() == n && v.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Whether `value` (the literal as written, quotes removed) fits the algorithm `algo`
/// (upper-cased, hyphens and quotes removed). Unknown algorithms are not checked.
pub(crate) fn hash_fits(algo: &str, value: &str) -> Option<bool> {
    Some(match algo {
        "MD5" => hex_exactly(value, 32),
        "SHA1" | "RIPEMD160" => hex_exactly(value, 40),
        "SHA224" | "SHA3224" => hex_exactly(value, 56),
        "SHA256" | "SHA3256" => hex_exactly(value, 64),
        "SHA384" | "SHA3384" => hex_exactly(value, 96),
        "SHA512" | "SHA3512" | "WHIRLPOOL" => hex_exactly(value, 128),
        // The reference's MD6 expression is an unanchored alternation: a value starting
        // with 32 hex digits (or a newline, four spaces and 64 hex digits) matches.
        "MD6" => {
            value.len() >= 32 && value.bytes().take(32).all(|c| c.is_ascii_hexdigit())
                || value.strip_prefix("\n    ").is_some_and(|r| {
                    r.len() >= 64 && r.bytes().take(64).all(|c| c.is_ascii_hexdigit())
                })
        }
        "SSDEEP" => {
            let v = value.strip_suffix('\n').unwrap_or(value);
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+' | b':' | b'.'))
        }
        _ => return None,
    })
}

fn check_hashes(c: &Comparison, out: &mut Vec<PatternError>) {
    let Comparison::Test { path, text, .. } = c else {
        return;
    };
    let on_hashes = path.property == "hashes"
        || path
            .steps
            .iter()
            .any(|s| matches!(s, PathStep::Property(p) if p == "hashes"));
    if !on_hashes {
        return;
    }
    let selector = match path.steps.last() {
        None => path.property.as_str(),
        Some(PathStep::Property(p)) => p.as_str(),
        Some(PathStep::AnyIndex) => return,
        Some(PathStep::Index(i)) => {
            // The reference validator fails on a list index after `hashes`.
            out.push(semantic(format!(
                "'{}:{}' selects a hash by the list index [{i}], not by an algorithm name",
                path.object_type, path.property
            )));
            return;
        }
    };
    let algo: String = selector
        .to_uppercase()
        .chars()
        .filter(|c| *c != '-' && *c != '\'')
        .collect();
    let value: String = text.chars().filter(|c| *c != '\'').collect();
    if hash_fits(&algo, &value) == Some(false) {
        out.push(semantic(format!(
            "'{value}' is not a valid {selector} hash"
        )));
    }
}

fn kind(q: &Qualifier) -> &'static str {
    match q {
        Qualifier::StartStop(..) => "STARTSTOP",
        Qualifier::Within(_) => "WITHIN",
        Qualifier::Repeats(_) => "REPEATS",
    }
}

fn check_qualifiers(o: &Observation, out: &mut Vec<PatternError>) {
    let Observation::Qualified(inner, quals) = o else {
        return;
    };
    if !matches!(**inner, Observation::Brackets(_)) {
        return;
    }
    for (i, q) in quals.iter().enumerate() {
        if quals[..i].iter().any(|p| kind(p) == kind(q)) {
            out.push(semantic(format!(
                "Duplicate qualifier type encountered: {}",
                kind(q)
            )));
            return;
        }
    }
}

/// The semantic errors of a parsed pattern (empty when it is valid).
pub fn semantic_errors(p: &Pattern) -> Vec<PatternError> {
    let mut out = Vec::new();
    p.root
        .for_each_observation(&mut |o| check_qualifiers(o, &mut out));
    p.root
        .for_each_comparison(&mut |c| c.for_each_leaf(&mut |l| check_hashes(l, &mut out)));
    out
}
