//! Conformance against the OASIS reference validator's verdicts
//! (`../shared/data/stix-conformance`). Needs the shared data; skips when it is absent
//! (a fresh clone). CI always has it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::{json, pattern, validate, Options};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.is_dir().then_some(p)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn verdict(text: &str, opts: &Options) -> (bool, Vec<String>) {
    let doc = match json::parse_document(text, "case") {
        Ok(d) => d,
        Err(e) => return (false, vec![e.to_string()]),
    };
    let r = validate::validate_document(&doc, opts);
    (
        r.is_valid(),
        r.errors
            .iter()
            .map(|f| format!("[{}] {} {}", f.code, f.path, f.message))
            .collect(),
    )
}

#[test]
fn reference_validator_agreement() {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    // CONCORD_CONFORMANCE_CASES: another directory in the same layout (manifest.json and
    // valid/, invalid/, error/, with ../test_schemas), e.g. further reference cases.
    let dir = std::env::var_os("CONCORD_CONFORMANCE_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| data.join("stix-conformance/cti-stix-validator/cases"));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let (mut n, mut agree_opts, mut agree_default) = (0, 0, 0);
    let mut report = String::new();
    for case in manifest["cases"].as_array().unwrap() {
        let Some(expected) = case["valid"].as_bool() else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join(case["file"].as_str().unwrap())).unwrap();
        let o = &case["options"];
        let opts = Options {
            strict: o["strict"].as_bool().unwrap_or(false),
            strict_types: o["strict_types"].as_bool().unwrap_or(false),
            strict_properties: o["strict_properties"].as_bool().unwrap_or(false),
            enforce_refs: o["enforce_refs"].as_bool().unwrap_or(false),
            disabled: strings(o.get("disabled")),
            enabled: strings(o.get("enabled")),
            // the manifest's "test/v21/test_schemas" is ../test_schemas here
            schema_dir: o.get("schema_dir").map(|_| dir.join("../test_schemas")),
            version: o.get("version").and_then(Value::as_str).map(String::from),
            interop: o["interop"].as_bool().unwrap_or(false),
        };
        n += 1;
        let (got, errs) = verdict(&text, &opts);
        if got == expected {
            agree_opts += 1;
        } else {
            report.push_str(&format!(
                "OPTIONS {} expected {expected} got {got} {:?}\n  ref: {:?}\n",
                case["file"], opts, case["errors"]
            ));
            for e in errs.iter().take(4) {
                report.push_str(&format!("  ours: {e}\n"));
            }
        }
        // default mode: same version and schema_dir, no other options
        let default = Options {
            schema_dir: opts.schema_dir.clone(),
            version: opts.version.clone(),
            ..Options::default()
        };
        let (got, errs) = verdict(&text, &default);
        let expected = case["must_only_valid"].as_bool().unwrap();
        if got == expected {
            agree_default += 1;
        } else {
            report.push_str(&format!(
                "DEFAULT {} expected {expected} got {got}\n  ref: {:?}\n",
                case["file"], case["must_only_errors"]
            ));
            for e in errs.iter().take(4) {
                report.push_str(&format!("  ours: {e}\n"));
            }
        }
    }
    let (a, b) = (
        agree_opts as f64 / n as f64,
        agree_default as f64 / n as f64,
    );
    eprintln!("{report}");
    eprintln!("cases {n}: agreement with options {a:.4} ({agree_opts}), default mode {b:.4} ({agree_default})");
    assert!(
        a >= 0.99 && b >= 0.99,
        "agreement below 99% (issue 19): {a:.4} / {b:.4}"
    );
}

#[test]
fn pattern_verdicts_match_reference() {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    // CONCORD_PATTERN_CASES: another file of pattern cases, `{"cases": [{"pattern",
    // "reference_valid"}]}` or a list of `{"pattern", "valid"}`.
    let file = std::env::var_os("CONCORD_PATTERN_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| data.join("stix-conformance/stix2-patterns/patterns-v21.json"));
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let list = cases.get("cases").unwrap_or(&cases).as_array().unwrap();
    let mut bad = Vec::new();
    for c in list {
        let p = c["pattern"].as_str().unwrap();
        let want = c
            .get("reference_valid")
            .unwrap_or(&c["valid"])
            .as_bool()
            .unwrap();
        let got = pattern::validate(p);
        if got.is_ok() != want {
            bad.push(format!("{p:?}: reference {want}, ours {got:?}"));
        }
    }
    eprintln!(
        "patterns {}: {} with the reference's verdict",
        list.len(),
        list.len() - bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn real_bundles_validate_without_errors() {
    let Some(data) = shared() else {
        eprintln!("skipped: ../shared/data not present");
        return;
    };
    let mut files = Vec::new();
    for sub in ["attack", "stix-examples"] {
        let mut stack = vec![data.join(sub)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.to_string_lossy().ends_with(".json")
                    || p.to_string_lossy().ends_with(".json.gz")
                {
                    files.push(p);
                }
            }
        }
    }
    assert!(files.len() >= 20);
    let mut failures = Vec::new();
    for f in &files {
        match concord_stix::validate_file(f, json::DEFAULT_MAX_BYTES, &Options::default()) {
            Ok(r) if r.is_valid() => {}
            Ok(r) => failures.push(format!(
                "{}: {:?}",
                f.display(),
                &r.errors[..r.errors.len().min(3)]
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
