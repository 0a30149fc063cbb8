//! The STIX 2.1 validator: MUST requirements (always errors) and SHOULD recommendations
//! (warnings by default, errors under `strict`), each with a stable check code, the
//! object id and the JSON path of the offending value. Check codes of SHOULD findings
//! follow the OASIS reference validator (`stix2-validator`) so that its option names work
//! here too; MUST findings carry kebab-case codes listed in `docs/validator-checks.md`.

mod checks;
mod objects;

use crate::json::{Document, RawObject};
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
    ("229", "processor-architecture"),
    ("230", "malware-result"),
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

/// Group names of SHOULD checks and the code prefix they cover.
const GROUPS: &[(&str, &str)] = &[
    ("1", "format-checks"),
    ("2", "approved-values"),
    ("21", "all-vocabs"),
    ("24", "all-vocabs"),
    ("27", "all-external-sources"),
    ("3", "best-practices"),
    ("4", "extensions"),
];

fn listed(list: &[String], code: &str, name: &str) -> bool {
    list.iter().any(|x| {
        x == code
            || x == name
            || GROUPS.iter().any(|(prefix, g)| (x == g || x == prefix) && code.starts_with(prefix))
            || (x == "210" && (code.starts_with("21") || code.starts_with("22") || code.starts_with("23") || code.starts_with("24")))
            || (x == "270" && code.starts_with("27"))
    })
}

impl Options {
    fn runs(&self, code: &str) -> bool {
        let name = SHOULD_CHECKS.iter().find(|(c, _)| *c == code).map_or("", |(_, n)| *n);
        let on = |c: &str, n: &str| {
            if self.enabled.is_empty() {
                !listed(&self.disabled, c, n)
            } else {
                listed(&self.enabled, c, n)
            }
        };
        match code {
            // The prefix checks only run when the extensions check does not.
            "101" => !on("401", "extensions-use") && on("101", "custom-prefix"),
            "102" => !on("401", "extensions-use") && !on("101", "custom-prefix") && on("102", "custom-prefix-lax"),
            _ => on(code, name),
        }
    }

    /// Whether every name in `disabled` and `enabled` is a known check.
    pub fn unknown_check_names(&self) -> Vec<String> {
        self.disabled
            .iter()
            .chain(&self.enabled)
            .filter(|x| {
                !SHOULD_CHECKS.iter().any(|(c, n)| c == x || n == x)
                    && !GROUPS.iter().any(|(c, n)| c == x || n == x)
                    && *x != "210"
                    && *x != "270"
            })
            .cloned()
            .collect()
    }
}

/// Raw findings before options sort them into errors and warnings.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub must: Vec<Finding>,
    pub should: Vec<Finding>,
    /// Always warnings, whatever the options.
    pub notes: Vec<Finding>,
}

impl Sink {
    pub fn must(&mut self, code: &str, id: Option<&str>, path: &str, message: impl Into<String>) {
        self.must.push(Finding { code: code.into(), id: id.map(str::to_owned), path: path.into(), message: message.into() });
    }
    pub fn should(&mut self, code: &str, id: Option<&str>, path: &str, message: impl Into<String>) {
        self.should.push(Finding { code: code.into(), id: id.map(str::to_owned), path: path.into(), message: message.into() });
    }
}

fn finish(sink: Sink, opts: &Options) -> Report {
    let mut report = Report { errors: sink.must, warnings: sink.notes };
    for f in sink.should {
        if !opts.runs(&f.code) {
            continue;
        }
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
    let mut sink = Sink::default();
    objects::check_object(value, path, opts, &mut sink, false);
    finish(sink, opts)
}

/// Validate a parsed document: a bundle's envelope and every object, or a single object.
pub fn validate_document(doc: &Document<'_>, opts: &Options) -> Report {
    use rayon::prelude::*;
    let mut sink = Sink::default();
    if let Some(env) = &doc.bundle {
        objects::check_bundle_envelope(env, opts, &mut sink);
    }
    let in_bundle = doc.bundle.is_some();
    let legacy_bundle = doc.bundle.as_ref().and_then(|b| b.get("spec_version")).and_then(Value::as_str) == Some("2.0");
    let per: Vec<Sink> = doc
        .objects
        .par_iter()
        .map(|o: &RawObject<'_>| {
            let mut s = Sink::default();
            let sv = o.value.get("spec_version").and_then(Value::as_str);
            if sv == Some("2.0") || (legacy_bundle && sv.is_none()) {
                s.notes.push(Finding {
                    code: "stix-2.0".into(),
                    id: o.value.get("id").and_then(Value::as_str).map(String::from),
                    path: o.path.clone(),
                    message: "STIX 2.0 content: concord validates STIX 2.1 only, so this object was not checked".into(),
                });
            } else {
                objects::check_object(&o.value, &o.path, opts, &mut s, in_bundle);
            }
            s
        })
        .collect();
    for s in per {
        sink.must.extend(s.must);
        sink.should.extend(s.should);
        sink.notes.extend(s.notes);
    }
    if doc.bundle.is_some() {
        bundle_checks(doc, opts, &mut sink);
    }
    finish(sink, opts)
}

fn bundle_checks(doc: &Document<'_>, opts: &Options, sink: &mut Sink) {
    let bundle_id = doc.bundle.as_ref().and_then(|b| b.get("id")).and_then(Value::as_str);
    // {203} duplicate ids with the same `modified`
    let mut seen: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for o in &doc.objects {
        let Some(id) = o.value.get("id").and_then(Value::as_str) else { continue };
        let modified = o.value.get("modified").and_then(Value::as_str);
        let n = seen.entry((id, modified)).or_insert(0);
        *n += 1;
        if *n == 2 {
            sink.should(
                "203",
                bundle_id,
                &o.path,
                format!("Duplicate ID '{id}' has identical `modified` timestamp. If they are different versions of the same object, they should have different `modified` properties."),
            );
        }
    }
    if opts.enforce_refs {
        let ids: std::collections::HashSet<&str> =
            doc.objects.iter().filter_map(|o| o.value.get("id").and_then(Value::as_str)).collect();
        for o in &doc.objects {
            let Some(obj) = o.value.as_object() else { continue };
            let id = obj.get("id").and_then(Value::as_str);
            for (k, v) in obj {
                let refs: Vec<&str> = if k.ends_with("_ref") {
                    v.as_str().into_iter().collect()
                } else if k.ends_with("_refs") {
                    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
                } else {
                    continue;
                };
                for r in refs {
                    if !ids.contains(r) && !r.starts_with("marking-definition--") {
                        sink.must(
                            "unresolved-ref",
                            id,
                            &format!("{}.{k}", o.path),
                            format!("{k} refers to {r}, which is not in this bundle"),
                        );
                    }
                }
            }
        }
    }
}
