//! The STIX 2.1 validator: MUST requirements (always errors) and SHOULD recommendations
//! (warnings by default, errors under `strict`), each with a stable check code, the
//! object id and the JSON path of the offending value. Check codes of SHOULD findings
//! follow the OASIS reference validator (`stix2-validator`) so that its option names work
//! here too; MUST findings carry kebab-case codes listed in `docs/validator-checks.md`.

mod checks;
mod custom;
mod extensions;
mod formats;
mod interop;
mod objects;
mod observables;
mod semantics;
mod values;

use crate::json::{Document, InputError, RawDocument, RawObject};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Validation options (names follow the reference validator).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// SHOULD findings are errors.
    pub strict: bool,
    /// Custom object types are errors.
    pub strict_types: bool,
    /// Custom properties are errors.
    pub strict_properties: bool,
    /// References must resolve within the bundle.
    pub enforce_refs: bool,
    /// SHOULD checks switched off, by name or code.
    pub disabled: Vec<String>,
    /// When not empty, only these SHOULD checks run, by name or code.
    pub enabled: Vec<String>,
    /// Directory of custom JSON schemas applied on top (`<type>.json`,
    /// `extension-definition--<uuid>.json`).
    pub schema_dir: Option<std::path::PathBuf>,
    /// `Some("2.0")`: check a STIX 2.0 bundle envelope (its objects are not validated).
    pub version: Option<String>,
    /// The reference validator's interoperability mode: the STIX 2.1 Interoperability
    /// profile's required properties, at most one TLP marking, and in a bundle a
    /// producer identity (`created_by_ref`) for every object.
    pub interop: bool,
}

/// One finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// Stable check code (`"401"`, `"required"`, ...).
    pub code: String,
    /// Id of the object the finding is about, when known.
    pub id: Option<String>,
    /// JSON path of the value (`$.objects[3].created`).
    pub path: String,
    pub message: String,
}

/// The outcome of validating one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// SHOULD checks: (code, name).
pub const SHOULD_CHECKS: &[(&str, &str)] = &[
    ("101", "custom-prefix"),
    ("102", "custom-prefix-lax"),
    ("103", "uuid-check"),
    ("111", "open-vocab-format"),
    ("121", "kill-chain-names"),
    ("141", "observable-object-keys"),
    ("142", "observable-dictionary-keys"),
    ("143", "malware-analysis-product"),
    ("149", "windows-process-priority-format"),
    ("150", "hash-length"),
    ("201", "marking-definition-type"),
    ("202", "relationship-types"),
    ("203", "duplicate-ids"),
    ("211", "attack-motivation"),
    ("212", "attack-resource-level"),
    ("213", "identity-class"),
    ("214", "indicator-types"),
    ("215", "industry-sector"),
    ("216", "malware-types"),
    ("218", "report-types"),
    ("219", "threat-actor-types"),
    ("220", "threat-actor-role"),
    ("221", "threat-actor-sophistication"),
    ("222", "tool-types"),
    ("223", "region"),
    ("225", "grouping-context"),
    ("226", "implementation-languages"),
    ("227", "infrastructure-types"),
    ("228", "malware-capabilities"),
    ("230", "processor-architecture"),
    ("231", "malware-result"),
    ("241", "hash-algo"),
    ("242", "encryption-algo"),
    ("243", "windows-pebinary-type"),
    ("244", "account-type"),
    ("245", "indicator-pattern-types"),
    ("271", "mime-type"),
    ("272", "protocols"),
    ("273", "ipfix"),
    ("274", "http-request-headers"),
    ("275", "socket-options"),
    ("276", "pdf-doc-info"),
    ("277", "countries"),
    ("301", "network-traffic-ports"),
    ("302", "extref-hashes"),
    ("303", "indicator-properties"),
    ("304", "deprecated-properties"),
    ("305", "extension-description"),
    ("306", "extension-properties"),
    ("401", "extensions-use"),
];

/// Group names of SHOULD checks (code, name), as the reference validator's.
const GROUPS: &[(&str, &str)] = &[
    ("1", "format-checks"),
    ("2", "approved-values"),
    ("210", "all-vocabs"),
    ("270", "all-external-sources"),
];

const FORMAT: &[&str] = &["103", "111", "121", "141", "142", "143", "149", "150"];
const VOCABS: &[&str] = &[
    "211", "212", "225", "226", "227", "228", "231", "230", "213", "214", "215", "216", "245",
    "218", "219", "220", "221", "222", "223", "241", "243", "244",
];
const EXTERNAL: &[&str] = &["271", "272", "273", "274", "275", "276", "277"];
/// Checks the reference validator leaves out when any check is disabled (its
/// `--disable` branch does not list them).
const NOT_IN_DISABLE_MODE: &[&str] = &[
    "103", "225", "226", "227", "228", "230", "231", "305", "306",
];

fn name_of(code: &str) -> &'static str {
    SHOULD_CHECKS
        .iter()
        .chain(GROUPS)
        .find(|(c, _)| *c == code)
        .map_or("", |(_, n)| *n)
}

impl Options {
    /// Whether the SHOULD check `code` runs, exactly as the reference validator's
    /// `list_shoulds` decides it.
    fn runs(&self, code: &str) -> bool {
        if self.enabled.is_empty() && self.disabled.is_empty() {
            return !matches!(code, "101" | "102");
        }
        (!self.disabled.is_empty() && self.runs_despite_disabled(code))
            || (!self.enabled.is_empty() && self.runs_enabled(code))
    }

    fn runs_despite_disabled(&self, code: &str) -> bool {
        let d = |n: &str| self.disabled_has(n);
        if d("all") || NOT_IN_DISABLE_MODE.contains(&code) {
            return false;
        }
        let own = !d(name_of(code));
        match code {
            "401" => own,
            "101" => d("extensions-use") && !d("format-checks") && own,
            "102" => d("extensions-use") && !d("format-checks") && d("custom-prefix") && own,
            c if FORMAT.contains(&c) => !d("format-checks") && own,
            "201" | "202" | "203" => !d("approved-values") && own,
            c if VOCABS.contains(&c) => !d("approved-values") && !d("all-vocabs") && own,
            c if EXTERNAL.contains(&c) => {
                !d("approved-values") && !d("all-external-sources") && own
            }
            _ => own,
        }
    }

    fn runs_enabled(&self, code: &str) -> bool {
        self.enabled.iter().any(|x| {
            let n = match name_of(x) {
                "" => x.as_str(),
                n => n,
            };
            match n {
                "all" => !matches!(code, "101" | "102"),
                "format-checks" => FORMAT.contains(&code),
                "approved-values" => {
                    matches!(code, "201" | "202" | "203")
                        || VOCABS.contains(&code)
                        || EXTERNAL.contains(&code)
                }
                "all-vocabs" => VOCABS.contains(&code),
                "all-external-sources" => EXTERNAL.contains(&code),
                n => n == name_of(code),
            }
        })
    }

    /// Whether `disabled` names this check or group (by name or by code).
    pub fn disabled_has(&self, name: &str) -> bool {
        let code = SHOULD_CHECKS
            .iter()
            .chain(GROUPS)
            .find(|(_, n)| *n == name)
            .map(|(c, _)| *c);
        self.disabled
            .iter()
            .any(|x| x == name || code.is_some_and(|c| x == c))
    }

    /// The codes of the SHOULD checks these options run.
    pub fn running(&self) -> Vec<&'static str> {
        SHOULD_CHECKS
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| self.runs(c))
            .collect()
    }

    /// Whether each SHOULD check runs, indexed by its code's number (see [`code_number`]).
    fn running_table(&self) -> Vec<bool> {
        let mut t = vec![false; 1000];
        for (c, _) in SHOULD_CHECKS {
            if let Some(slot) = code_number(c).and_then(|n| t.get_mut(n)) {
                *slot = self.runs(c);
            }
        }
        t
    }

    /// Whether every name in `disabled` and `enabled` is a known check.
    pub fn unknown_check_names(&self) -> Vec<String> {
        self.disabled
            .iter()
            .chain(&self.enabled)
            .filter(|x| {
                !SHOULD_CHECKS.iter().any(|(c, n)| c == x || n == x)
                    && !GROUPS.iter().any(|(c, n)| c == x || n == x)
                    && *x != "all"
            })
            .cloned()
            .collect()
    }
}

/// The number of a three-digit SHOULD check code (`"401"` is 401), so that finding out
/// whether a check runs is an index, not a search (it is asked for every finding).
fn code_number(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
            Some(usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0'))
        }
        _ => None,
    }
}

/// Raw findings before options sort them into errors and warnings.
///
/// SHOULD findings of checks the options switch off are never formatted.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub must: Vec<Finding>,
    pub should: Vec<Finding>,
    /// Always warnings, whatever the options.
    pub notes: Vec<Finding>,
    /// Whether each SHOULD check runs, by code number ([`Options::running_table`]).
    running: std::sync::Arc<Vec<bool>>,
}

impl Sink {
    pub fn new(opts: &Options) -> Sink {
        Sink::with(std::sync::Arc::new(opts.running_table()))
    }
    fn with(running: std::sync::Arc<Vec<bool>>) -> Sink {
        Sink {
            running,
            ..Sink::default()
        }
    }
    pub fn must(
        &mut self,
        code: &str,
        id: Option<&str>,
        path: impl std::fmt::Display,
        message: impl std::fmt::Display,
    ) {
        self.must.push(Finding {
            code: code.into(),
            id: id.map(str::to_owned),
            path: path.to_string(),
            message: message.to_string(),
        });
    }
    /// A finding of the reference's SHOULD level that no check name switches off
    /// (`--strict-types`, `--strict-properties`): a warning, an error under `strict`.
    pub fn soft(
        &mut self,
        code: &str,
        id: Option<&str>,
        path: impl std::fmt::Display,
        message: impl std::fmt::Display,
    ) {
        self.should.push(Finding {
            code: code.into(),
            id: id.map(str::to_owned),
            path: path.to_string(),
            message: message.to_string(),
        });
    }
    pub fn should(
        &mut self,
        code: &'static str,
        id: Option<&str>,
        path: impl std::fmt::Display,
        message: impl std::fmt::Display,
    ) {
        let on = code_number(code).is_some_and(|n| self.running.get(n).copied().unwrap_or(false));
        if on {
            self.should.push(Finding {
                code: code.into(),
                id: id.map(str::to_owned),
                path: path.to_string(),
                message: message.to_string(),
            });
        }
    }
}

fn finish(sink: Sink, opts: &Options) -> Report {
    let mut report = Report {
        errors: sink.must,
        warnings: sink.notes,
    };
    for f in sink.should {
        if opts.strict {
            report.errors.push(f);
        } else {
            report.warnings.push(f);
        }
    }
    report
}

/// Validate one object (a JSON value), with `path` its JSON path in its document.
pub fn validate_object(value: &Value, path: &str, opts: &Options) -> Report {
    let mut sink = Sink::new(opts);
    objects::check_object(value, path, opts, &mut sink, false, opts.interop);
    finish(sink, opts)
}

/// What the bundle-level checks need to know of each object.
#[derive(Debug, Default)]
struct ObjInfo {
    id: Option<String>,
    modified: Option<String>,
    path: String,
    /// (property, referenced id), only collected when `enforce_refs` is on.
    refs: Vec<(String, String)>,
    /// Type and `created_by_ref`, only collected when `interop` is on.
    producer: Option<interop::Producer>,
}

fn check_one(
    value: &Value,
    path: &str,
    opts: &Options,
    env: &Envelope,
    in_bundle: bool,
    sink: &mut Sink,
) -> ObjInfo {
    let legacy_bundle = env.legacy;
    let sv = value.get("spec_version").and_then(Value::as_str);
    let id = value.get("id").and_then(Value::as_str).map(String::from);
    if let (Some(expect), Some(v)) = (env.expect.as_deref(), value.get("spec_version")) {
        if v.as_str() != Some(expect) {
            spec_version_mismatch(sink, id.as_deref(), path, expect);
        }
    }
    if sv == Some("2.0") || (legacy_bundle && sv.is_none()) {
        sink.notes.push(Finding {
            code: "stix-2.0".into(),
            id: id.clone(),
            path: path.to_string(),
            message:
                "STIX 2.0 content: concord validates STIX 2.1 only, so this object was not checked"
                    .into(),
        });
    } else {
        // a STIX 2.0 bundle makes its objects 2.0 for the reference: no interop profile
        let interop = opts.interop && !legacy_bundle;
        objects::check_object(value, path, opts, sink, in_bundle, interop);
        let mut ext = Vec::new();
        crate::concord_ext::check_object(value, path, &mut ext);
        sink.must.extend(ext);
    }
    let mut refs = Vec::new();
    if opts.enforce_refs {
        if let Some(obj) = value.as_object() {
            for (k, v) in obj {
                if k.ends_with("_ref") {
                    refs.extend(v.as_str().map(|r| (k.clone(), r.to_string())));
                } else if k.ends_with("_refs") {
                    refs.extend(
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(|r| (k.clone(), r.to_string())),
                    );
                }
            }
        }
    }
    ObjInfo {
        id,
        modified: value
            .get("modified")
            .and_then(Value::as_str)
            .map(String::from),
        path: path.to_string(),
        refs,
        producer: if opts.interop {
            interop::Producer::of(value)
        } else {
            None
        },
    }
}

/// Validate a parsed document (also runs the concord extension checks).
pub fn validate_document(doc: &Document<'_>, opts: &Options) -> Report {
    use rayon::prelude::*;
    let mut sink = Sink::new(opts);
    let env = envelope(doc.bundle.as_ref(), opts, &mut sink);
    let schemas = custom_schemas(opts, &mut sink);
    let in_bundle = doc.bundle.is_some();
    let table = sink.running.clone();
    let per: Vec<(Sink, ObjInfo)> = doc
        .objects
        .par_iter()
        .map(|o: &RawObject<'_>| {
            let mut s = Sink::with(table.clone());
            let info = check_one(&o.value, &o.path, opts, &env, in_bundle, &mut s);
            if let Some(c) = &schemas {
                c.check(&o.value, &o.path, &mut s);
            }
            (s, info)
        })
        .collect();
    finish_all(sink, per, doc.bundle.as_ref(), opts).0
}

/// Parse and validate a split document object by object in parallel, handing each parsed
/// value to `each` and dropping it, so memory stays near the size of the text.
/// Returns the report and `each`'s results in document order.
pub fn validate_stream<T: Send>(
    doc: &RawDocument<'_>,
    opts: &Options,
    each: impl Fn(&Value) -> T + Sync,
) -> Result<(Report, Vec<T>), InputError> {
    use rayon::prelude::*;
    let mut sink = Sink::new(opts);
    let env = envelope(doc.bundle.as_ref(), opts, &mut sink);
    let schemas = custom_schemas(opts, &mut sink);
    let in_bundle = doc.bundle.is_some();
    let table = sink.running.clone();
    let per: Vec<(Sink, ObjInfo, T)> = doc
        .parts
        .par_iter()
        .map(|p| {
            let value = doc.parse_part(p)?;
            let mut s = Sink::with(table.clone());
            let info = check_one(&value, &p.path, opts, &env, in_bundle, &mut s);
            if let Some(c) = &schemas {
                c.check(&value, &p.path, &mut s);
            }
            let t = each(&value);
            Ok((s, info, t))
        })
        .collect::<Result<_, InputError>>()?;
    let mut results = Vec::with_capacity(per.len());
    let per: Vec<(Sink, ObjInfo)> = per
        .into_iter()
        .map(|(s, i, t)| {
            results.push(t);
            (s, i)
        })
        .collect();
    Ok((finish_all(sink, per, doc.bundle.as_ref(), opts).0, results))
}

/// What the objects of a document need to know of its bundle envelope.
struct Envelope {
    /// The objects are STIX 2.0 (a 2.0 bundle, or `--version 2.0`).
    legacy: bool,
    /// The version objects declaring another `spec_version` are warned about: the
    /// `version` option, else the bundle's `spec_version` (the reference's
    /// `_schema_validate_bundle`).
    expect: Option<String>,
}

/// The reference's "spec_version mismatch" warning: a warning, an error under `strict`.
fn spec_version_mismatch(sink: &mut Sink, id: Option<&str>, path: &str, expect: &str) {
    sink.soft(
        "spec-version-mismatch",
        id,
        format_args!("{path}.spec_version"),
        format_args!("spec_version mismatch with supplied option. Treating as {expect} content."),
    );
}

fn envelope(
    bundle: Option<&serde_json::Map<String, Value>>,
    opts: &Options,
    sink: &mut Sink,
) -> Envelope {
    if let Some(env) = bundle {
        objects::check_bundle_envelope(env, opts, sink);
    }
    let declared = bundle
        .and_then(|b| b.get("spec_version"))
        .and_then(Value::as_str);
    let expect = bundle.and_then(|_| opts.version.as_deref().or(declared));
    if let (Some(b), Some(expect)) = (bundle, expect) {
        if b.get("spec_version")
            .is_some_and(|v| v.as_str() != Some(expect))
        {
            spec_version_mismatch(sink, b.get("id").and_then(Value::as_str), "$", expect);
        }
    }
    Envelope {
        legacy: envelope_legacy(bundle, declared, opts, sink),
        expect: expect.map(String::from),
    }
}

fn envelope_legacy(
    bundle: Option<&serde_json::Map<String, Value>>,
    declared: Option<&str>,
    opts: &Options,
    sink: &mut Sink,
) -> bool {
    if opts.version.as_deref() == Some("2.0") {
        if let Some(env) = bundle {
            let id = env.get("id").and_then(Value::as_str);
            match declared {
                Some("2.0") => {}
                None => sink.must(
                    "required",
                    id,
                    "$",
                    "'spec_version' is a required property of a STIX 2.0 bundle",
                ),
                Some(other) => sink.must(
                    "enum",
                    id,
                    "$.spec_version",
                    format_args!("spec_version: '{other}' is not one of ['2.0']"),
                ),
            }
        }
        return true;
    }
    declared == Some("2.0")
}

fn custom_schemas(opts: &Options, sink: &mut Sink) -> Option<custom::CustomSchemas> {
    let dir = opts.schema_dir.as_ref()?;
    let c = custom::CustomSchemas::load(dir);
    sink.must.extend(c.problems.iter().cloned());
    Some(c)
}

fn finish_all(
    mut sink: Sink,
    per: Vec<(Sink, ObjInfo)>,
    bundle: Option<&serde_json::Map<String, Value>>,
    opts: &Options,
) -> (Report, ()) {
    let mut infos = Vec::with_capacity(per.len());
    for (s, info) in per {
        sink.must.extend(s.must);
        sink.should.extend(s.should);
        sink.notes.extend(s.notes);
        infos.push(info);
    }
    if let Some(b) = bundle {
        bundle_checks(b.get("id").and_then(Value::as_str), &infos, opts, &mut sink);
        // the reference's `find_version` of the bundle: the option, else its spec_version
        let version = opts
            .version
            .as_deref()
            .or_else(|| b.get("spec_version").and_then(Value::as_str));
        if opts.interop && version != Some("2.0") {
            let objects: Vec<_> = infos
                .iter()
                .filter_map(|o| {
                    o.producer
                        .as_ref()
                        .map(|p| (o.id.as_deref(), o.path.as_str(), p))
                })
                .collect();
            interop::producers(&objects, &mut sink);
        }
    }
    (finish(sink, opts), ())
}

fn bundle_checks(bundle_id: Option<&str>, infos: &[ObjInfo], opts: &Options, sink: &mut Sink) {
    // {203} duplicate ids with the same `modified`
    let mut seen: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for o in infos {
        let Some(id) = o.id.as_deref() else { continue };
        let n = seen.entry((id, o.modified.as_deref())).or_insert(0);
        *n += 1;
        if *n == 2 {
            sink.should(
                "203",
                bundle_id,
                &o.path,
                format_args!("Duplicate ID '{id}' has identical `modified` timestamp. If they are different versions of the same object, they should have different `modified` properties."),
            );
        }
    }
    if opts.enforce_refs {
        let ids: std::collections::HashSet<&str> =
            infos.iter().filter_map(|o| o.id.as_deref()).collect();
        for o in infos {
            for (k, r) in &o.refs {
                if !ids.contains(r.as_str()) && !r.starts_with("marking-definition--") {
                    sink.must(
                        "unresolved-ref",
                        o.id.as_deref(),
                        format_args!("{}.{k}", o.path),
                        format_args!("{k} refers to {r}, which is not in this bundle"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Sink::should` keeps a finding exactly when `Options::runs` says its check runs.
    #[test]
    fn sink_keeps_the_findings_of_running_checks() {
        for opts in [
            Options::default(),
            Options {
                disabled: vec!["format-checks".into(), "401".into()],
                ..Options::default()
            },
            Options {
                enabled: vec!["approved-values".into(), "custom-prefix".into()],
                ..Options::default()
            },
        ] {
            let mut sink = Sink::new(&opts);
            for (code, _) in SHOULD_CHECKS {
                assert!(code_number(code).is_some(), "{code}");
                sink.should(code, None, "$", "m");
            }
            let kept: Vec<&str> = sink.should.iter().map(|f| f.code.as_str()).collect();
            assert_eq!(kept, opts.running(), "{opts:?}");
        }
        assert_eq!(code_number("40"), None);
        assert_eq!(code_number("4x1"), None);
    }
}
