//! Helpers the CLI test files share.

#![allow(dead_code, clippy::unwrap_used)]

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::Path;

/// The `concord` binary, run in `dir`, with no RUST_LOG from the environment.
pub fn concord(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("concord").unwrap();
    c.current_dir(dir).env_remove("RUST_LOG");
    c
}

/// Write `objects` as a bundle named `name` in `dir` and ingest it; it must succeed.
pub fn ingest(dir: &Path, name: &str, objects: Vec<Value>) {
    let b = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objects});
    std::fs::write(dir.join(name), serde_json::to_vec(&b).unwrap()).unwrap();
    let out = concord(dir).args(["ingest", name]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run concord with `args` in `dir`; it must exit 0; its standard output parsed as JSON.
pub fn run_json(dir: &Path, args: &[&str]) -> Value {
    let out = concord(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
