//! The generated reference corpus (`tests/reference/cases.json`, made by
//! `tests/reference/generate.py`): for every JSON-schema rule and every check of the OASIS
//! reference validator, valid and invalid instances with the reference's recorded
//! verdicts in default and strict mode, and STIX patterns with the reference pattern
//! validator's verdicts. concord must give the same verdict, except for the cases listed
//! in `tests/reference/known-differences.json`, each with its justification; a listed
//! case that agrees again fails the test too (the list must stay exact).
//! `crates/cli/tests/validator_peers.rs` re-runs the reference itself on the same cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::{pattern, validate, Options};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn load(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
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

/// concord's options for a case's options (`strict` added for strict mode).
pub fn options(o: &Value, strict: bool) -> Options {
    Options {
        strict,
        strict_types: o["strict_types"].as_bool().unwrap_or(false),
        strict_properties: o["strict_properties"].as_bool().unwrap_or(false),
        enforce_refs: o["enforce_refs"].as_bool().unwrap_or(false),
        disabled: strings(o.get("disabled")),
        enabled: strings(o.get("enabled")),
        interop: o["interop"].as_bool().unwrap_or(false),
        version: o["version"].as_str().map(String::from),
        ..Options::default()
    }
}

fn verdict(instance: &Value, opts: &Options) -> (bool, Vec<String>) {
    let text = instance.to_string();
    let doc = match concord_stix::json::parse_document(&text, "case") {
        Ok(d) => d,
        Err(e) => return (false, vec![e.to_string()]),
    };
    let r = validate::validate_document(&doc, opts);
    let msgs = r
        .errors
        .iter()
        .map(|f| format!("[{}] {}", f.code, f.message))
        .collect();
    (r.is_valid(), msgs)
}

#[test]
fn generated_cases_agree_with_the_reference() {
    let corpus = load("cases.json");
    let known: BTreeMap<String, String> =
        serde_json::from_value(load("known-differences.json")["differences"].clone()).unwrap();
    let mut report = Vec::new();
    let mut stale = Vec::new();
    let (mut n, mut agree_default, mut agree_strict) = (0, 0, 0);
    for c in corpus["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        n += 1;
        let mut differs = false;
        for (mode, strict) in [("default", false), ("strict", true)] {
            let want = c["reference"][mode].as_bool().expect("recorded verdict");
            let (got, msgs) = verdict(&c["instance"], &options(&c["options"], strict));
            if got == want {
                if strict {
                    agree_strict += 1;
                } else {
                    agree_default += 1;
                }
            } else {
                differs = true;
                if !known.contains_key(name) {
                    report.push(format!(
                        "{name} ({mode}): reference {want}, concord {got} {msgs:?}"
                    ));
                }
            }
        }
        if !differs && known.contains_key(name) {
            stale.push(name.to_string());
        }
    }
    let (mut pn, mut pagree) = (0, 0);
    for c in corpus["patterns"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let want = c["reference"].as_bool().unwrap();
        let got = pattern::validate(c["pattern"].as_str().unwrap());
        pn += 1;
        if got.is_ok() == want {
            pagree += 1;
            if known.contains_key(name) {
                stale.push(name.to_string());
            }
        } else if !known.contains_key(name) {
            report.push(format!("{name}: reference {want}, concord {got:?}"));
        }
    }
    eprintln!(
        "generated corpus: {n} cases, agreement default {agree_default}/{n} ({:.2} %), strict {agree_strict}/{n} ({:.2} %); patterns {pagree}/{pn}; {} documented differences",
        100.0 * agree_default as f64 / n as f64,
        100.0 * agree_strict as f64 / n as f64,
        known.len()
    );
    assert!(n >= 300 && pn >= 40, "the corpus is incomplete");
    assert!(
        report.is_empty(),
        "undocumented disagreements:\n{}",
        report.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as different but agree now: {stale:?}"
    );
}
