//! Member policy files (DESIGN 5): loading, checking, the built-in illustrative set.

use crate::alliance::Alliance;
use crate::diag::{self, Diagnostic, FileDiag};
use crate::doctrine::{Doctrine, SovereigntyThreshold};
use crate::lang::{self, Cond, Facts};
use crate::reason::{Reason, Reasons};
use crate::vocab;
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{ImDocument, Item, TableLike};

/// A member's stance conditions on one option.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionStance {
    pub support: Option<Cond>,
    /// The block conditions by reason, in reporting order (legal, threshold, capacity,
    /// risk, policy), each reason at most once; a `block` string is the reason `policy`.
    pub block: Vec<(Reason, Cond)>,
}

impl OptionStance {
    /// The reasons whose block condition holds (empty: the member does not block).
    pub fn block_reasons(&self, f: &Facts) -> Reasons {
        let mut out = Reasons::NONE;
        for (r, c) in &self.block {
            if c.eval(f) {
                out.insert(*r);
            }
        }
        out
    }

    /// The block condition of one reason.
    pub fn block_for(&self, r: Reason) -> Option<&Cond> {
        self.block.iter().find(|(x, _)| *x == r).map(|(_, c)| c)
    }

    /// Set (or, with `None`, remove) the block condition of one reason, keeping the order.
    pub fn set_block(&mut self, r: Reason, c: Option<Cond>) {
        self.block.retain(|(x, _)| *x != r);
        if let Some(c) = c {
            self.block.push((r, c));
            self.block.sort_by_key(|(x, _)| *x);
        }
    }
}

/// One member's policy.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberPolicy {
    pub member: String,
    pub source: Option<String>,
    pub doctrine: Doctrine,
    /// Indexed by rung (ladder order).
    pub stances: Vec<OptionStance>,
    /// `[capacity]`: whether the member can contribute forces or effects, by rung.
    pub capacity: Vec<bool>,
    pub file: String,
}

/// Policies for every member of an alliance (`None`: no policy, abstains everywhere).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySet {
    pub by_member: Vec<Option<MemberPolicy>>,
    /// Where the set comes from, for stamps on charts and briefs.
    pub origin: Origin,
}

/// The name of a policy set and whether built-in illustrative positions are in it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Origin {
    pub name: String,
    /// At least one member's policy is a built-in illustrative position.
    pub illustrative: bool,
}

/// The name of the built-in set.
pub const BUILTIN_NAME: &str = "built-in positions";

impl Origin {
    /// The origin of a set of (file name, text): built-in texts are recognised by content.
    pub fn of_texts(files: &[(String, String)]) -> Origin {
        let builtin = |t: &str| BUILTIN.iter().chain(BUILTIN_EU).any(|(_, b)| *b == t);
        let own: Vec<String> = files
            .iter()
            .filter(|(_, t)| !builtin(t))
            .map(|(n, _)| {
                n.trim_end_matches(".toml")
                    .rsplit('/')
                    .next()
                    .unwrap_or(n)
                    .to_string()
            })
            .collect();
        let illustrative = own.len() < files.len();
        let name = match (illustrative, own.is_empty()) {
            (true, true) => BUILTIN_NAME.to_string(),
            (true, false) => format!(
                "{BUILTIN_NAME}, with positions of their own for {}",
                own.join(", ")
            ),
            (false, _) => "policy files".to_string(),
        };
        Origin { name, illustrative }
    }
}

/// Why a policy set was rejected: every problem, and the texts of the files for rendering.
#[derive(Debug, Clone)]
pub struct PolicyErrors {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: BTreeMap<String, String>,
}

impl std::fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

/// The built-in illustrative NATO positions: (file name, text).
pub const BUILTIN: &[(&str, &str)] = &include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/policies/nato/index.rs"
));

/// The built-in illustrative EU positions: (file name, text).
pub const BUILTIN_EU: &[(&str, &str)] =
    &include!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/eu/index.rs"));

/// The built-in policy texts for an alliance: the EU set for the built-in EU file's name,
/// else the NATO set.
pub fn builtin_texts(alliance: &Alliance) -> &'static [(&'static str, &'static str)] {
    if alliance.name == "EU" {
        BUILTIN_EU
    } else {
        BUILTIN
    }
}

/// Where each byte of a string value's content is in the file: `offsets[i]` is the file
/// offset of content byte `i` (and `offsets[len]` the end), through escapes (`\t`,
/// `\u0020`, ...) and a multi-line string's line-ending backslash, so a position in a
/// condition is the same position in the TOML file.
fn content_offsets(text: &str, span: &std::ops::Range<usize>) -> Vec<usize> {
    let raw = text.get(span.clone()).unwrap_or("");
    let (open, literal) = if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with("'''") {
        (3, true)
    } else {
        (1, raw.starts_with('\''))
    };
    let b = raw.as_bytes();
    let mut i = open;
    // a newline right after the opening delimiter of a multi-line string is trimmed
    if open == 3 && b.get(i) == Some(&b'\n') {
        i += 1;
    } else if open == 3 && b.get(i) == Some(&b'\r') && b.get(i + 1) == Some(&b'\n') {
        i += 2;
    }
    let close = b.len().saturating_sub(open).max(i);
    let mut out = Vec::with_capacity(raw.len());
    while i < close {
        if literal || b[i] != b'\\' {
            out.push(span.start + i);
            i += 1;
            continue;
        }
        let at = span.start + i;
        match b.get(i + 1) {
            Some(c @ (b'u' | b'U')) => {
                let n = if *c == b'u' { 4 } else { 8 };
                let ch = raw
                    .get(i + 2..i + 2 + n)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32);
                // every byte of the decoded character stands at the escape
                out.extend(std::iter::repeat_n(at, ch.map_or(1, char::len_utf8)));
                i += 2 + n;
            }
            Some(c) if open == 3 && c.is_ascii_whitespace() => {
                // a line-ending backslash: the whitespace and newlines after it vanish
                i += 1;
                while i < close && b[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            _ => {
                out.push(at);
                i += 2;
            }
        }
    }
    out.push(span.start + close);
    out
}

/// A condition string at `key`; errors located in the TOML file.
fn condition(
    text: &str,
    key: &str,
    item: &Item,
    span: Option<std::ops::Range<usize>>,
    d: &mut FileDiag<'_>,
) -> Option<Cond> {
    let Some(src) = item.as_str() else {
        d.push(
            key,
            span,
            format!(
                "'{}' must be a string holding a condition",
                key.rsplit('.').next().unwrap_or(key)
            ),
        );
        return None;
    };
    match lang::compile(src) {
        Ok(c) => Some(c),
        Err(errs) => {
            let offsets = span.as_ref().map(|s| content_offsets(text, s));
            let file_at = |o: &[usize], k: usize| o.get(k).or(o.last()).copied().unwrap_or(0);
            for e in errs {
                let at = offsets.as_deref().map(|o| {
                    let start = file_at(o, e.span.start);
                    start..file_at(o, e.span.end).max(start)
                });
                d.push_full(key, at.or(span.clone()), e.message, e.valid, e.suggestion);
            }
            None
        }
    }
}

/// `block`: a condition string (the reason `policy`) or a table of reasons.
fn block(
    text: &str,
    key: &str,
    item: &Item,
    span: Option<std::ops::Range<usize>>,
    d: &mut FileDiag<'_>,
) -> Vec<(Reason, Cond)> {
    if item.is_str() {
        return condition(text, key, item, span, d)
            .map(|c| vec![(Reason::Policy, c)])
            .unwrap_or_default();
    }
    let Some(t) = item.as_table_like() else {
        d.push_full(
            key,
            span,
            "'block' must be a condition string or a table of reasons, each a condition".into(),
            vocab::REASONS.to_vec(),
            None,
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (rk, rv) in t.iter() {
        let here = format!("{key}.{rk}");
        let rspan = rv
            .span()
            .or_else(|| t.get_key_value(rk).and_then(|(k, _)| k.span()));
        let Some(reason) = Reason::parse(rk) else {
            d.push_full(
                &here,
                t.get_key_value(rk).and_then(|(k, _)| k.span()),
                format!("unknown reason '{rk}'"),
                vocab::REASONS.to_vec(),
                vocab::suggest(rk, vocab::REASONS),
            );
            continue;
        };
        if let Some(c) = condition(text, &here, rv, rspan, d) {
            out.push((reason, c));
        }
    }
    out.sort_by_key(|(r, _)| *r);
    out
}

fn parse_file(
    file: &str,
    text: &str,
    alliance: &Alliance,
    lenient: bool,
    d: &mut FileDiag<'_>,
) -> Option<MemberPolicy> {
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            d.out.push(diag::toml_error(file, text, &e));
            return None;
        }
    };
    let root = doc.as_table();
    let mut policy = MemberPolicy {
        member: String::new(),
        source: None,
        doctrine: Doctrine::default(),
        stances: vec![OptionStance::default(); alliance.ladder.len()],
        capacity: vec![false; alliance.ladder.len()],
        file: file.to_string(),
    };
    let key_span = |t: &dyn TableLike, k: &str| t.get_key_value(k).and_then(|(key, _)| key.span());
    let mut member_ok = false;
    for (k, item) in root.iter() {
        let kspan = key_span(root, k);
        match k {
            "member" => match item.as_str() {
                Some(m) => {
                    if alliance.member_index(m).is_some() {
                        policy.member = m.to_string();
                        member_ok = true;
                    } else if !lenient {
                        let codes: Vec<&str> =
                            alliance.members.iter().map(|x| x.code.as_str()).collect();
                        let sugg = vocab::suggest(m, &codes);
                        d.push_full(
                            "member",
                            item.span(),
                            format!("member '{m}' is not in the alliance"),
                            Vec::<String>::new(),
                            sugg,
                        );
                    } else {
                        return None;
                    }
                }
                None => d.push(
                    "member",
                    item.span().or(kspan),
                    "'member' must be a string (the member's code, e.g. \"EST\")",
                ),
            },
            "source" => match item.as_str() {
                Some(s) => policy.source = Some(s.to_string()),
                None => d.push("source", item.span().or(kspan), "'source' must be a string"),
            },
            "doctrine" => match item.as_table_like() {
                Some(t) => {
                    for (dk, dv) in t.iter() {
                        let span = dv.span().or_else(|| key_span(t, dk));
                        let key = format!("doctrine.{dk}");
                        match dk {
                            "sovereignty_rule" | "nonphysical_force" => match dv.as_bool() {
                                Some(b) if dk == "sovereignty_rule" => {
                                    policy.doctrine.sovereignty_rule = b
                                }
                                Some(b) => policy.doctrine.nonphysical_force = b,
                                None => d.push(&key, span, format!("'{dk}' must be true or false")),
                            },
                            "sovereignty_threshold" => match dv.as_str() {
                                Some("any_intrusion") => {
                                    policy.doctrine.sovereignty_threshold =
                                        SovereigntyThreshold::AnyIntrusion
                                }
                                Some("loss_of_functionality") => {
                                    policy.doctrine.sovereignty_threshold =
                                        SovereigntyThreshold::LossOfFunctionality
                                }
                                Some(other) => d.push_full(
                                    &key,
                                    span,
                                    format!("unknown sovereignty_threshold '{other}'"),
                                    SovereigntyThreshold::WORDS.to_vec(),
                                    vocab::suggest(other, SovereigntyThreshold::WORDS),
                                ),
                                None => d.push_full(
                                    &key,
                                    span,
                                    "'sovereignty_threshold' must be a string".into(),
                                    SovereigntyThreshold::WORDS.to_vec(),
                                    None,
                                ),
                            },
                            other => {
                                const F: &[&str] = &[
                                    "sovereignty_rule",
                                    "sovereignty_threshold",
                                    "nonphysical_force",
                                ];
                                d.push_full(
                                    &key,
                                    key_span(t, other),
                                    format!("unknown doctrine field '{other}'"),
                                    F.to_vec(),
                                    vocab::suggest(other, F),
                                )
                            }
                        }
                    }
                }
                None => d.push(
                    "doctrine",
                    item.span().or(kspan),
                    "'doctrine' must be a table",
                ),
            },
            "stance" => match item.as_table_like() {
                Some(t) => {
                    let ids: Vec<&str> = alliance.ladder.iter().map(|r| r.id.as_str()).collect();
                    for (opt, ov) in t.iter() {
                        let Some(ri) = alliance.rung_index(opt) else {
                            if lenient {
                                continue;
                            }
                            let sugg = vocab::suggest(opt, &ids);
                            let valid = ids.clone();
                            d.push_full(
                                &format!("stance.{opt}"),
                                key_span(t, opt),
                                format!("'{opt}' is not an option of the ladder"),
                                valid,
                                sugg,
                            );
                            continue;
                        };
                        let Some(ot) = ov.as_table_like() else {
                            d.push(
                                &format!("stance.{opt}"),
                                ov.span().or_else(|| key_span(t, opt)),
                                "a stance must be a table with 'support' and/or 'block'",
                            );
                            continue;
                        };
                        for (sk, sv) in ot.iter() {
                            let key = format!("stance.{opt}.{sk}");
                            let span = sv.span().or_else(|| key_span(ot, sk));
                            match sk {
                                "support" => {
                                    policy.stances[ri].support = condition(text, &key, sv, span, d);
                                }
                                "block" => {
                                    policy.stances[ri].block = block(text, &key, sv, span, d);
                                }
                                _ => d.push_full(
                                    &key,
                                    key_span(ot, sk),
                                    format!("unknown key '{sk}' in a stance"),
                                    vec!["support", "block"],
                                    vocab::suggest(sk, &["support", "block"]),
                                ),
                            }
                        }
                    }
                }
                None => d.push(
                    "stance",
                    item.span().or(kspan),
                    "'stance' must be a table of [stance.<option>] tables",
                ),
            },
            "capacity" => match item.as_table_like() {
                Some(t) => {
                    let ids: Vec<&str> = alliance.ladder.iter().map(|r| r.id.as_str()).collect();
                    for (opt, ov) in t.iter() {
                        let key = format!("capacity.{opt}");
                        let Some(ri) = alliance.rung_index(opt) else {
                            if !lenient {
                                d.push_full(
                                    &key,
                                    key_span(t, opt),
                                    format!("'{opt}' is not an option of the ladder"),
                                    ids.clone(),
                                    vocab::suggest(opt, &ids),
                                );
                            }
                            continue;
                        };
                        match ov.as_bool() {
                            Some(b) => policy.capacity[ri] = b,
                            None => d.push(
                                &key,
                                ov.span().or_else(|| key_span(t, opt)),
                                format!("'capacity.{opt}' must be true or false"),
                            ),
                        }
                    }
                }
                None => d.push(
                    "capacity",
                    item.span().or(kspan),
                    "'capacity' must be a table of option = true or false",
                ),
            },
            other => {
                const TOP: &[&str] = &["member", "source", "doctrine", "capacity", "stance"];
                d.push_full(
                    other,
                    kspan,
                    format!("unknown key '{other}'"),
                    TOP.to_vec(),
                    vocab::suggest(other, TOP),
                )
            }
        }
    }
    if root.get("member").is_none() {
        d.push(
            "member",
            Some(0..0),
            "'member' is missing (the member's code, e.g. member = \"EST\")",
        );
    }
    member_ok.then_some(policy)
}

impl PolicySet {
    /// Check a set of (file name, text) policies against an alliance; all or nothing.
    pub fn from_texts(
        files: &[(String, String)],
        alliance: &Alliance,
    ) -> Result<PolicySet, PolicyErrors> {
        Self::build(files, alliance, false)
    }

    fn build(
        files: &[(String, String)],
        alliance: &Alliance,
        lenient: bool,
    ) -> Result<PolicySet, PolicyErrors> {
        let mut by_member: Vec<Option<MemberPolicy>> = vec![None; alliance.members.len()];
        let mut diagnostics = Vec::new();
        let mut sources = BTreeMap::new();
        for (file, text) in files {
            let mut d = FileDiag::new(file, text);
            let p = parse_file(file, text, alliance, lenient, &mut d);
            if let Some(p) = p {
                if let Some(i) = alliance.member_index(&p.member) {
                    if let Some(prev) = &by_member[i] {
                        let span = ImDocument::parse(text.as_str())
                            .ok()
                            .and_then(|doc| doc.as_table().get("member").and_then(Item::span));
                        d.push(
                            "member",
                            span,
                            format!(
                                "a second policy for {} (the first is {})",
                                p.member, prev.file
                            ),
                        );
                    } else if d.out.is_empty() {
                        by_member[i] = Some(p);
                    }
                }
            }
            if !d.out.is_empty() {
                sources.insert(file.clone(), text.clone());
            }
            diagnostics.extend(d.out);
        }
        if diagnostics.is_empty() {
            Ok(PolicySet {
                by_member,
                origin: Origin::of_texts(files),
            })
        } else {
            Err(PolicyErrors {
                diagnostics,
                sources,
            })
        }
    }

    /// Load every `*.toml` file of a directory (in name order).
    pub fn load_dir(dir: &Path, alliance: &Alliance) -> Result<PolicySet, PolicyErrors> {
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| PolicyErrors {
            diagnostics: vec![Diagnostic {
                file: dir.display().to_string(),
                key: String::new(),
                line: 0,
                column: 0,
                message: format!("cannot read the policy directory: {e}"),
                span: 0..0,
                valid: Vec::new(),
                suggestion: None,
            }],
            sources: BTreeMap::new(),
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let name = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(t) => files.push((name, t)),
                Err(e) => files.push((name, format!("# unreadable: {e}\n=="))),
            }
        }
        let mut set = Self::from_texts(&files, alliance)?;
        if !set.origin.illustrative {
            set.origin.name = format!("policies in {}", dir.display());
        }
        Ok(set)
    }

    /// The built-in illustrative policies (the EU set for an alliance named "EU", else the
    /// NATO set), restricted to the alliance's members and ladder.
    pub fn builtin(alliance: &Alliance) -> PolicySet {
        let files: Vec<(String, String)> = builtin_texts(alliance)
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        Self::build(&files, alliance, true).unwrap_or(PolicySet {
            by_member: vec![None; alliance.members.len()],
            origin: Origin {
                name: BUILTIN_NAME.into(),
                illustrative: true,
            },
        })
    }

    /// The policy of member `i`, if it has one.
    pub fn get(&self, i: usize) -> Option<&MemberPolicy> {
        self.by_member.get(i).and_then(Option::as_ref)
    }

    /// Whether member `i` has capacity for rung `r` (false without a policy).
    pub fn capable(&self, i: usize, r: usize) -> bool {
        self.get(i)
            .is_some_and(|p| p.capacity.get(r).copied().unwrap_or(false))
    }

    /// The doctrine of member `i` (default when it has no policy).
    pub fn doctrine(&self, i: usize) -> Doctrine {
        self.by_member
            .get(i)
            .and_then(Option::as_ref)
            .map_or_else(Doctrine::default, |p| p.doctrine)
    }
}
