//! Member policy files (DESIGN 5): loading, checking, the built-in illustrative set.

use crate::alliance::Alliance;
use crate::diag::{self, Diagnostic, FileDiag};
use crate::doctrine::{Doctrine, SovereigntyThreshold};
use crate::lang::{self, Cond};
use crate::vocab;
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{ImDocument, Item, TableLike};

/// A member's stance conditions on one option.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionStance {
    pub support: Option<Cond>,
    pub block: Option<Cond>,
}

/// One member's policy.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberPolicy {
    pub member: String,
    pub source: Option<String>,
    pub doctrine: Doctrine,
    /// Indexed by rung (ladder order).
    pub stances: Vec<OptionStance>,
    pub file: String,
}

/// Policies for every member of an alliance (`None`: no policy, abstains everywhere).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySet {
    pub by_member: Vec<Option<MemberPolicy>>,
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

/// The built-in illustrative policies: (file name, text).
pub const BUILTIN: &[(&str, &str)] =
    &include!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/index.rs"));

/// Byte offset in the file of offset 0 of a string value's content, when exact.
fn content_base(text: &str, span: &std::ops::Range<usize>) -> usize {
    let raw = text.get(span.clone()).unwrap_or("");
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        let mut b = span.start + 3;
        if text.as_bytes().get(b) == Some(&b'\n') {
            b += 1;
        }
        if raw.starts_with("\"\"\"") && raw.contains('\\') {
            return span.start;
        }
        b
    } else if raw.starts_with('"') && raw.contains('\\') {
        span.start
    } else {
        span.start + 1
    }
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
                            if sk != "support" && sk != "block" {
                                d.push_full(
                                    &key,
                                    key_span(ot, sk),
                                    format!("unknown key '{sk}' in a stance"),
                                    vec!["support", "block"],
                                    vocab::suggest(sk, &["support", "block"]),
                                );
                                continue;
                            }
                            let Some(src) = sv.as_str() else {
                                d.push(
                                    &key,
                                    span,
                                    format!("'{sk}' must be a string holding a condition"),
                                );
                                continue;
                            };
                            match lang::compile(src) {
                                Ok(c) => {
                                    if sk == "support" {
                                        policy.stances[ri].support = Some(c);
                                    } else {
                                        policy.stances[ri].block = Some(c);
                                    }
                                }
                                Err(errs) => {
                                    let base = span.as_ref().map(|s| content_base(text, s));
                                    for e in errs {
                                        let at = base.map(|b| b + e.span.start..b + e.span.end);
                                        d.push_full(
                                            &key,
                                            at.or(span.clone()),
                                            e.message,
                                            e.valid,
                                            e.suggestion,
                                        );
                                    }
                                }
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
            other => {
                const TOP: &[&str] = &["member", "source", "doctrine", "stance"];
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
            Ok(PolicySet { by_member })
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
        Self::from_texts(&files, alliance)
    }

    /// The built-in illustrative policies, restricted to the alliance's members and ladder.
    pub fn builtin(alliance: &Alliance) -> PolicySet {
        let files: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        Self::build(&files, alliance, true).unwrap_or(PolicySet {
            by_member: vec![None; alliance.members.len()],
        })
    }

    /// The doctrine of member `i` (default when it has no policy).
    pub fn doctrine(&self, i: usize) -> Doctrine {
        self.by_member
            .get(i)
            .and_then(Option::as_ref)
            .map_or_else(Doctrine::default, |p| p.doctrine)
    }
}
