//! concord's validator against the OASIS reference validator itself (stix2-validator and
//! stix2-patterns in the peers venv): both judge every instance and pattern of the
//! generated corpus `crates/stix/tests/reference/cases.json`, in default and strict mode.
//! Reports the agreement; fails on any disagreement not listed (with its justification)
//! in `crates/stix/tests/reference/known-differences.json`, and when the live reference
//! no longer gives the verdict recorded in the corpus. Skips when the venv is absent
//! (`bash ../shared/peers/setup.sh target/peers-venv`, which `.ci/run` does).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::{json, pattern, validate, Options};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv_python() -> Option<PathBuf> {
    let v = std::env::var_os("CONCORD_PEERS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/peers-venv"));
    let py = v.join("bin/python");
    std::process::Command::new(&py)
        .args(["-c", "import stix2validator, stix2patterns"])
        .status()
        .is_ok_and(|s| s.success())
        .then_some(py)
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

fn concord_valid(instance: &Value, o: &Value, strict: bool) -> bool {
    let opts = Options {
        strict,
        strict_types: o["strict_types"].as_bool().unwrap_or(false),
        strict_properties: o["strict_properties"].as_bool().unwrap_or(false),
        enforce_refs: o["enforce_refs"].as_bool().unwrap_or(false),
        disabled: strings(o.get("disabled")),
        enabled: strings(o.get("enabled")),
        interop: o["interop"].as_bool().unwrap_or(false),
        version: o["version"].as_str().map(String::from),
        ..Options::default()
    };
    let text = instance.to_string();
    json::parse_document(&text, "case")
        .map(|d| validate::validate_document(&d, &opts).is_valid())
        .unwrap_or(false)
}

#[test]
fn reference_validator_agrees_on_the_generated_corpus() {
    let Some(py) = venv_python() else {
        eprintln!(
            "skipped: the peers venv with stix2-validator (target/peers-venv) is not installed"
        );
        return;
    };
    let dir = workspace().join("crates/stix/tests/reference");
    let corpus: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let known: BTreeMap<String, String> = serde_json::from_value(
        serde_json::from_str::<Value>(
            &std::fs::read_to_string(dir.join("known-differences.json")).unwrap(),
        )
        .unwrap()["differences"]
            .clone(),
    )
    .unwrap();
    let out = std::process::Command::new(py)
        .arg(workspace().join("crates/cli/tests/peers/stix_validator_verdicts.py"))
        .arg(dir.join("cases.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let live: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (mut n, mut agree) = (BTreeMap::new(), BTreeMap::new());
    let mut problems = Vec::new();
    for c in corpus["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        for (mode, strict) in [("default", false), ("strict", true)] {
            let reference = live["cases"][name][mode].as_bool().unwrap();
            if Some(reference) != c["reference"][mode].as_bool() {
                problems.push(format!(
                    "{name} ({mode}): the recorded verdict is stale (reference now {reference})"
                ));
            }
            let ours = concord_valid(&c["instance"], &c["options"], strict);
            *n.entry(mode).or_insert(0) += 1;
            if ours == reference {
                *agree.entry(mode).or_insert(0) += 1;
            } else if !known.contains_key(name) {
                problems.push(format!(
                    "{name} ({mode}): reference {reference}, concord {ours}"
                ));
            }
        }
    }
    for c in corpus["patterns"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let reference = live["patterns"][name].as_bool().unwrap();
        let ours = pattern::validate(c["pattern"].as_str().unwrap()).is_ok();
        *n.entry("patterns").or_insert(0) += 1;
        if ours == reference {
            *agree.entry("patterns").or_insert(0) += 1;
        } else if !known.contains_key(name) {
            problems.push(format!("{name}: reference {reference}, concord {ours}"));
        }
    }
    for (mode, total) in &n {
        let a = agree.get(mode).copied().unwrap_or(0);
        eprintln!(
            "agreement with the reference, {mode}: {a}/{total} ({:.2} %)",
            100.0 * a as f64 / *total as f64
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `concord validate --interop` end to end (no venv needed): the same bundle is valid by
/// default and invalid in interoperability mode, with the profile's codes and paths; the
/// live reference, when installed, agrees on both verdicts.
#[test]
fn validate_interop_flag() {
    let d = tempfile::tempdir().unwrap();
    let t = "2016-04-06T20:03:48.000Z";
    let bundle = serde_json::json!({"type": "bundle", "id": "bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "objects": [
        {"type": "identity", "spec_version": "2.1", "id": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "created": t, "modified": t, "name": "ACME", "identity_class": "organization"},
        {"type": "campaign", "spec_version": "2.1", "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
         "created": t, "modified": t, "name": "c", "created_by_ref": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "object_marking_refs": ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
                                 "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"]}]});
    let f = d.path().join("b.json");
    std::fs::write(&f, bundle.to_string()).unwrap();
    let run = |extra: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("concord")
            .unwrap()
            .current_dir(d.path())
            .env_remove("RUST_LOG")
            .args(["validate", "--json"])
            .args(extra)
            .arg(&f)
            .output()
            .unwrap();
        let line: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), line)
    };
    let (code, line) = run(&[]);
    assert_eq!(code, Some(0), "{line}");
    let (code, line) = run(&["--interop"]);
    assert_eq!(code, Some(1));
    let errors: Vec<(&str, &str)> = line["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("interop-marking", "$.objects[1].object_marking_refs"),
            ("interop-producer", "$.objects[1].created_by_ref")
        ],
        "{line}"
    );
    if let Some(py) = venv_python() {
        let script = "import json,sys\nfrom stix2validator import validate_instance, ValidationOptions\n\
            b=json.load(open(sys.argv[1]))\n\
            print(json.dumps([validate_instance(b, ValidationOptions(interop=i)).is_valid for i in (False, True)]))";
        let out = std::process::Command::new(py)
            .args(["-c", script])
            .arg(&f)
            .output()
            .unwrap();
        let verdicts: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(verdicts, serde_json::json!([true, false]));
    }
}
