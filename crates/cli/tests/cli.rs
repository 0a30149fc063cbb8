//! End-to-end tests of the `concord` binary: exit codes, JSON output, bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

fn concord(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("concord").unwrap();
    c.current_dir(dir)
        .env("CONCORD_DB", dir.join("t.db"))
        .env_remove("RUST_LOG");
    c
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn identity(n: u32, member: Option<&str>) -> Value {
    let mut v = json!({"type": "identity", "spec_version": "2.1", "id": format!("identity--{n:08x}-f010-4473-83ec-1edf84858f4c"),
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": format!("org {n}"), "identity_class": "organization"});
    if let Some(m) = member {
        v["extensions"] = json!({"extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41": {"extension_type": "property-extension", "member": m}});
    }
    v
}

fn bundle(objs: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objs})).unwrap()
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn validate_valid_file_exits_0() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "ok.json", &bundle(vec![identity(1, None)]));
    let out = concord(d.path())
        .args(["validate", "--json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["errors"], json!([]));
    assert!(lines[0]["file"].as_str().unwrap().ends_with("ok.json"));
}

#[test]
fn validate_invalid_object_exits_1_with_id_and_path() {
    let d = tempfile::tempdir().unwrap();
    let mut bad = identity(2, None);
    bad["created"] = json!(5);
    let f = write(d.path(), "bad.json", &bundle(vec![identity(1, None), bad]));
    let out = concord(d.path())
        .args(["validate", "--json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let l = &json_lines(&out.stdout)[0];
    assert_eq!(l["valid"], false);
    let e = &l["errors"][0];
    assert_eq!(e["code"], "json-type");
    assert_eq!(e["id"], "identity--00000002-f010-4473-83ec-1edf84858f4c");
    assert_eq!(e["path"], "$.objects[1].created");
}

#[test]
fn strict_turns_should_findings_into_errors() {
    let d = tempfile::tempdir().unwrap();
    let mut v = identity(1, None);
    v["x_custom"] = json!("x");
    let f = write(d.path(), "w.json", &bundle(vec![v]));
    let out = concord(d.path())
        .args(["validate", "--json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_lines(&out.stdout)[0]["warnings"][0]["code"], "401");
    let out = concord(d.path())
        .args(["validate", "--json", "--strict"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = concord(d.path())
        .args([
            "validate",
            "--json",
            "--strict",
            "--disable",
            "extensions-use",
        ])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "custom-prefix (101) then applies: x_custom has no source prefix"
    );
    let out = concord(d.path())
        .args(["validate", "--disable", "no-such-check"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown check name"));
}

fn unusable(d: &Path, name: &str, content: &[u8], extra: &[&str]) -> Value {
    let f = write(d, name, content);
    let out = concord(d)
        .args(["validate", "--json"])
        .args(extra)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{name}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let l = json_lines(&out.stdout).remove(0);
    assert_eq!(l["valid"], false);
    assert_eq!(l["unusable"], true);
    // ingest refuses it the same way and stores nothing
    let out = concord(d)
        .args(["ingest", "--json"])
        .args(extra)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["stored"], 0);
    l["errors"][0].clone()
}

#[test]
fn malformed_json_names_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let e = unusable(
        d.path(),
        "m.json",
        b"{\n  \"type\": \"bundle\",\n  \"id\": oops\n}",
        &[],
    );
    assert_eq!(e["code"], "json");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(9))
    );
    assert!(e["message"].as_str().unwrap().contains("m.json:3:9"));
}

#[test]
fn duplicate_keys_are_refused_with_position() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from_utf8(bundle(vec![identity(1, None)])).unwrap();
    text = text.replacen(
        "\"name\": \"org 1\",",
        "\"name\": \"org 1\", \"name\": \"again\",",
        1,
    );
    let e = unusable(d.path(), "dup.json", text.as_bytes(), &[]);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("duplicate key \"name\""),
        "{e}"
    );
    assert!(e["line"].as_u64().unwrap() > 1);
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let d = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = unusable(d.path(), "deep.json", deep.as_bytes(), &[]);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("expected a JSON object"),
        "{e}"
    );
    let deep_obj = format!("{{\"type\":\"bundle\",\"id\":\"bundle--44af6c39-c09b-49c5-9de2-394224b04982\",\"objects\":[{{\"a\":{}1{}}}]}}", "[".repeat(10_000), "]".repeat(10_000));
    let e = unusable(d.path(), "deep2.json", deep_obj.as_bytes(), &[]);
    assert!(
        e["message"].as_str().unwrap().contains("recursion limit"),
        "{e}"
    );
    let deep_in_object = format!(
        "{{\"type\":\"identity\",\"x\":{}1{}}}",
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    let e = unusable(d.path(), "deep3.json", deep_in_object.as_bytes(), &[]);
    assert!(
        e["message"].as_str().unwrap().contains("recursion limit"),
        "{e}"
    );
}

#[test]
fn invalid_utf8_names_position() {
    let d = tempfile::tempdir().unwrap();
    let mut bytes = bundle(vec![identity(1, None)]);
    let at = bytes.windows(5).position(|w| w == b"org 1").unwrap();
    bytes[at] = 0xff;
    let e = unusable(d.path(), "u.json", &bytes, &[]);
    assert_eq!(e["code"], "utf8");
    assert!(e["line"].as_u64().unwrap() > 1);
}

#[test]
fn truncated_gzip_and_size_limit() {
    let d = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&bundle(vec![identity(1, None), identity(2, None)]))
        .unwrap();
    let gz = enc.finish().unwrap();
    let f = write(d.path(), "ok.json.gz", &gz);
    assert_eq!(
        concord(d.path())
            .args(["validate"])
            .arg(&f)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    let e = unusable(d.path(), "cut.json.gz", &gz[..gz.len() / 2], &[]);
    assert_eq!(e["code"], "gzip");
    let e = unusable(
        d.path(),
        "big.json",
        &bundle(vec![identity(1, None)]),
        &["--max-bytes", "100"],
    );
    assert_eq!(e["code"], "too-large");
    let e = unusable(d.path(), "bomb.json.gz", &gz, &["--max-bytes", "100"]);
    assert_eq!(
        e["code"], "too-large",
        "the limit applies after decompression"
    );
}

#[test]
fn not_an_object_is_unusable() {
    let d = tempfile::tempdir().unwrap();
    unusable(d.path(), "arr.json", b"[1,2,3]", &[]);
    unusable(d.path(), "objs.json", br#"{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":{"a":1}}"#, &[]);
    let out = concord(d.path())
        .args(["validate", "--json", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_lines(&out.stdout)[0]["errors"][0]["code"], "io");
}

fn ingest_json(d: &Path, f: &Path, extra: &[&str]) -> (i32, Value) {
    let out = concord(d)
        .args(["ingest", "--json"])
        .args(extra)
        .arg(f)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn ingest_is_atomic_idempotent_and_summarised() {
    let d = tempfile::tempdir().unwrap();
    let good = write(
        d.path(),
        "good.json",
        &bundle(vec![identity(1, None), identity(2, None)]),
    );
    let (code, doc) = ingest_json(d.path(), &good, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        (
            doc["stored"].as_u64(),
            doc["duplicates"].as_u64(),
            doc["rejected"].as_u64()
        ),
        (Some(2), Some(0), Some(0))
    );
    assert_eq!(doc["by_type"]["identity"]["new"], 2);
    let (code, doc) = ingest_json(d.path(), &good, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        (doc["stored"].as_u64(), doc["duplicates"].as_u64()),
        (Some(0), Some(2))
    );

    // a bundle mixing a valid new object with an invalid one: nothing stored
    let mut bad = identity(4, None);
    bad.as_object_mut().unwrap().remove("name");
    let mixed = write(
        d.path(),
        "mixed.json",
        &bundle(vec![identity(3, None), bad]),
    );
    let (code, doc) = ingest_json(d.path(), &mixed, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        (doc["stored"].as_u64(), doc["rejected"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(doc["files"][0]["errors"][0]["code"], "required");
    let only3 = write(d.path(), "three.json", &bundle(vec![identity(3, None)]));
    assert_eq!(
        ingest_json(d.path(), &only3, &[]).1["stored"],
        1,
        "identity 3 was not stored by the rejected bundle"
    );

    // a new version that changes created_by_ref
    let mut v1 = identity(5, None);
    v1["created_by_ref"] = json!("identity--00000001-f010-4473-83ec-1edf84858f4c");
    let f = write(d.path(), "v1.json", &bundle(vec![v1.clone()]));
    assert_eq!(ingest_json(d.path(), &f, &[]).0, 0);
    let mut v2 = v1.clone();
    v2["modified"] = json!("2026-02-01T00:00:00.000Z");
    v2["created_by_ref"] = json!("identity--00000002-f010-4473-83ec-1edf84858f4c");
    let f = write(d.path(), "v2.json", &bundle(vec![identity(6, None), v2]));
    let (code, doc) = ingest_json(d.path(), &f, &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["stored"], 0);
    let e = &doc["files"][0]["errors"][0];
    assert_eq!(e["id"], "identity--00000005-f010-4473-83ec-1edf84858f4c");
    assert!(e["message"].as_str().unwrap().contains("created_by_ref"));
}

#[test]
fn ingest_walks_directories_and_reports_each_file() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("feeds/est");
    std::fs::create_dir_all(&sub).unwrap();
    write(&sub, "a.json", &bundle(vec![identity(1, None)]));
    write(&sub, "b.json", &bundle(vec![identity(2, None)]));
    write(&sub, "notes.txt", b"not json, ignored");
    let (code, doc) = ingest_json(d.path(), &d.path().join("feeds"), &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["stored"], 2);
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
}

#[test]
fn members_cannot_submit_in_anothers_name() {
    let d = tempfile::tempdir().unwrap();
    let lva = identity(7, Some("LVA"));
    let f = write(d.path(), "id.json", &bundle(vec![lva]));
    assert_eq!(ingest_json(d.path(), &f, &[]).0, 0);
    let mut c = json!({"type": "campaign", "spec_version": "2.1", "id": "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "x"});
    c["created_by_ref"] = json!("identity--00000007-f010-4473-83ec-1edf84858f4c");
    let f = write(d.path(), "c.json", &bundle(vec![c]));
    let (code, doc) = ingest_json(d.path(), &f, &["--as", "EST"]);
    assert_eq!(code, 1);
    assert_eq!(doc["stored"], 0);
    assert_eq!(ingest_json(d.path(), &f, &["--as", "LVA"]).1["stored"], 1);
}

#[test]
fn demo_runs_with_no_external_data() {
    let d = tempfile::tempdir().unwrap();
    let out = concord(d.path()).arg("demo").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FICTIONAL"));
    assert!(text.contains("incident"));
    let out = concord(d.path()).args(["demo", "--json"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["fictional"], true);
    assert_eq!(doc["by_type"]["incident"]["new"], 3);
}

#[test]
fn schema_definition_validates() {
    let d = tempfile::tempdir().unwrap();
    let out = concord(d.path())
        .args(["schema", "--definition"])
        .output()
        .unwrap();
    let f = write(d.path(), "ext.json", &out.stdout);
    let out = concord(d.path())
        .args(["validate", "--strict"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = concord(d.path()).arg("schema").output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema["properties"]["extension_type"]["const"],
        "property-extension"
    );
}

#[test]
fn assess_and_decide_a_stored_campaign() {
    let d = tempfile::tempdir().unwrap();
    let ext = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
    let inc = |n: u32, victims: Value, fi: &str| {
        json!({"type": "incident", "spec_version": "2.1",
        "id": format!("incident--{n:08x}-95f3-4c04-a882-116832996da0"), "created": "2026-03-01T00:00:00.000Z",
        "modified": "2026-03-01T00:00:00.000Z", "name": format!("inc {n}"),
        "extensions": {ext: {"extension_type": "property-extension", "victims": victims, "sectors": ["energy"], "effects": "disruption", "functional_impact": fi}}})
    };
    let camp = "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    let rel = |n: u32| {
        json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"),
        "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "relationship_type": "related-to",
        "source_ref": camp, "target_ref": format!("incident--{n:08x}-95f3-4c04-a882-116832996da0")})
    };
    let objs = vec![
        json!({"type": "campaign", "spec_version": "2.1", "id": camp, "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": "Baltic grid"}),
        inc(1, json!(["EST"]), "degraded"),
        inc(2, json!(["LVA", "LTU"]), "complete_loss"),
        rel(1),
        rel(2),
    ];
    let f = write(d.path(), "c.json", &bundle(objs));
    assert_eq!(
        concord(d.path())
            .arg("ingest")
            .arg(&f)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    let out = concord(d.path())
        .args(["assess", "--json", camp])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["kind"], "campaign");
    assert_eq!(a["victims"], json!(["EST", "LTU", "LVA"]));
    assert_eq!(a["vector"]["members_affected"], 3);
    assert_eq!(a["incidents"].as_array().unwrap().len(), 2);
    // the vector goes straight into decide --assessment, and decide ID gives the same document
    let vf = write(d.path(), "v.json", a["vector"].to_string().as_bytes());
    let by_file: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["decide", "--json", "--assessment"])
            .arg(&vf)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let by_id: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["decide", "--json", camp])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(by_file, by_id);
    // unknown ids and wrong types are clear errors
    let out = concord(d.path())
        .args(["assess", "incident--00000000-95f3-4c04-a882-116832996da0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such object"));
    let out = concord(d.path())
        .args([
            "assess",
            "relationship--00000001-ba52-4f0c-87a3-1824e67d7fad",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an incident or a campaign"));
}

/// The commands that read a store decide with the positions members saved in it (through
/// the server), as the dashboard does; a saved set that does not check is refused.
#[test]
fn commands_on_a_store_decide_with_the_positions_saved_in_it() {
    let d = tempfile::tempdir().unwrap();
    let ext = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
    let id = "incident--0000000b-95f3-4c04-a882-116832996da0";
    let inc = json!({"type": "incident", "spec_version": "2.1", "id": id,
        "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": "grid",
        "extensions": {ext: {"extension_type": "property-extension", "victims": ["EST"], "sectors": ["energy"], "effects": "disruption"}}});
    let f = write(d.path(), "i.json", &bundle(vec![inc]));
    let st = concord(d.path()).arg("ingest").arg(&f).output().unwrap();
    assert_eq!(st.status.code(), Some(0));
    let blocks = |out: &std::process::Output| -> Vec<Value> {
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == "solidarity")
            .unwrap()["block"]
            .as_array()
            .unwrap()
            .clone()
    };
    let before = concord(d.path())
        .args(["decide", "--json", id])
        .output()
        .unwrap();
    assert!(!blocks(&before).contains(&json!("EST")));
    // Estonia saved a position (as the server stores one) that objects to every statement
    let db = rusqlite::Connection::open(d.path().join("t.db")).unwrap();
    let own = "member = \"EST\"\nsource = \"test\"\n[stance.solidarity]\nblock = \"true\"\n";
    db.execute(
        "INSERT INTO policies (member, text, at, principal) VALUES ('EST', ?1, '2026-03-02T00:00:00.000Z', 'EST')",
        [own],
    )
    .unwrap();
    let after = concord(d.path())
        .args(["decide", "--json", id])
        .output()
        .unwrap();
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(blocks(&after).contains(&json!("EST")));
    // a vector file reads no store: the built-in set
    let a: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["assess", "--json", id])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let vf = write(d.path(), "v.json", a["vector"].to_string().as_bytes());
    let by_file = concord(d.path())
        .args(["decide", "--json", "--assessment"])
        .arg(&vf)
        .output()
        .unwrap();
    assert!(!blocks(&by_file).contains(&json!("EST")));
    // the brief names the positions in force
    let brief = concord(d.path())
        .args(["brief", id, "--format", "md"])
        .output()
        .unwrap();
    assert_eq!(
        brief.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&brief.stderr)
    );
    assert!(
        String::from_utf8_lossy(&brief.stdout).contains("own for EST"),
        "{}",
        String::from_utf8_lossy(&brief.stdout)
    );
    // a saved position that does not check with the set: refused, saying why
    db.execute(
        "INSERT INTO policies (member, text, at, principal) VALUES ('EST', 'member = \"EST\"\nbogus = 1\n', '2026-03-03T00:00:00.000Z', 'EST')",
        [],
    )
    .unwrap();
    let bad = concord(d.path()).args(["assess", id]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("saved in the database"));
}

#[test]
fn correlate_links_private_artefacts_not_public_resolvers() {
    let d = tempfile::tempdir().unwrap();
    let ext = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
    let inc = |n: u32| {
        json!({"type": "incident", "spec_version": "2.1", "id": format!("incident--{n:08x}-95f3-4c04-a882-116832996da0"),
        "created": format!("2026-03-{:02}T00:00:00.000Z", n + 1), "modified": format!("2026-03-{:02}T00:00:00.000Z", n + 1), "name": format!("inc {n}"),
        "extensions": {ext: {"extension_type": "property-extension", "victims": ["EST"]}}})
    };
    let ip = |v: &str, n: u32| json!({"type": "ipv4-addr", "spec_version": "2.1", "id": format!("ipv4-addr--{n:08x}-6336-5bc5-b98d-13d6226742dd"), "value": v});
    let rel = |n: u32, inc_n: u32, target: String| {
        json!({"type": "relationship", "spec_version": "2.1",
        "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"), "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z",
        "relationship_type": "related-to", "source_ref": format!("incident--{inc_n:08x}-95f3-4c04-a882-116832996da0"), "target_ref": target})
    };
    let private = "ipv4-addr--00000001-6336-5bc5-b98d-13d6226742dd".to_string();
    let resolver = "ipv4-addr--00000002-6336-5bc5-b98d-13d6226742dd".to_string();
    let objs = vec![
        inc(1),
        inc(2),
        inc(3),
        inc(4),
        ip("198.51.100.7", 1),
        ip("8.8.8.8", 2),
        rel(1, 1, private.clone()),
        rel(2, 2, private),
        rel(3, 3, resolver.clone()),
        rel(4, 4, resolver.clone()),
        rel(5, 1, resolver),
    ];
    let f = write(d.path(), "c.json", &bundle(objs));
    assert_eq!(
        concord(d.path())
            .arg("ingest")
            .arg(&f)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    let out = concord(d.path())
        .args(["correlate", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = doc["campaigns"].as_array().unwrap();
    assert_eq!(
        c.len(),
        1,
        "the decoys sharing only 8.8.8.8 are not merged: {doc}"
    );
    assert_eq!(
        c[0]["incidents"],
        json!([
            "incident--00000001-95f3-4c04-a882-116832996da0",
            "incident--00000002-95f3-4c04-a882-116832996da0"
        ])
    );
    assert!(c[0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("198.51.100.7"));
    assert!(doc["ignored"]["public"]["ipv4-addr:8.8.8.8"]
        .as_str()
        .unwrap()
        .contains("public DNS resolver"));
}

#[test]
fn correlation_recovers_generated_campaigns() {
    let d = tempfile::tempdir().unwrap();
    for seed in ["1", "7"] {
        let out = concord(d.path())
            .args([
                "gen",
                "--out",
                "g.json",
                "--truth",
                "truth.json",
                "--seed",
                seed,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let db = d.path().join(format!("g{seed}.db"));
        let out = concord(d.path())
            .arg("--db")
            .arg(&db)
            .args(["ingest", "g.json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = concord(d.path())
            .arg("--db")
            .arg(&db)
            .args(["correlate", "--json"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let truth: std::collections::BTreeMap<String, String> =
            serde_json::from_slice(&std::fs::read(d.path().join("truth.json")).unwrap()).unwrap();
        let mut pred: std::collections::BTreeMap<&str, String> = truth
            .keys()
            .map(|k| (k.as_str(), format!("single-{k}")))
            .collect();
        for c in doc["campaigns"].as_array().unwrap() {
            for i in c["incidents"].as_array().unwrap() {
                pred.insert(i.as_str().unwrap(), c["id"].as_str().unwrap().to_string());
            }
        }
        let t: Vec<&str> = truth.values().map(String::as_str).collect();
        let p: Vec<&str> = truth.keys().map(|k| pred[k.as_str()].as_str()).collect();
        let ari = concord_assess::gen::adjusted_rand_index(&t, &p);
        assert!(ari >= 0.95, "adjusted Rand index {ari} with seed {seed}");
        assert_eq!(
            doc["campaigns"].as_array().unwrap().len(),
            8,
            "decoys sharing public services are not merged"
        );
        // each campaign's last incident shares only techniques: similarity linked it
        for c in doc["campaigns"].as_array().unwrap() {
            assert_eq!(c["incidents"].as_array().unwrap().len(), 6, "{c}");
            assert!(
                c["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r.as_str().unwrap().starts_with("similar techniques")),
                "{c}"
            );
        }
        // without similarity (a window of zero days) those incidents stand alone
        let out = concord(d.path())
            .arg("--db")
            .arg(&db)
            .args(["correlate", "--json", "--dry-run", "--window-days", "0"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        for c in doc["campaigns"].as_array().unwrap() {
            assert_eq!(c["incidents"].as_array().unwrap().len(), 5, "{c}");
        }
    }
}
