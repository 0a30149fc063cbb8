//! Issue 12 through the CLI: correlation computed from what the viewer may read (no red
//! incident leaks into what the hub or another member sees or into a campaign they read),
//! `--as` validated, directories with symlink loops, and a writer that waits for a long
//! lock instead of failing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::concord;

use concord_store::access::Principal;
use concord_store::Store;
use serde_json::{json, Value};
use std::path::Path;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const RED_INCIDENT: &str = "incident--00000001-95f3-4c04-a882-116832996da0";
const GREEN_INCIDENT: &str = "incident--00000002-95f3-4c04-a882-116832996da0";
const IP: &str = "ipv4-addr--00000001-6336-5bc5-b98d-13d6226742dd";

fn bundle_file(dir: &Path, name: &str, objects: Vec<Value>) -> String {
    let b = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objects});
    std::fs::write(dir.join(name), serde_json::to_vec(&b).unwrap()).unwrap();
    name.to_string()
}

fn ingest_as(dir: &Path, who: &str, name: &str, objects: Vec<Value>) {
    let f = bundle_file(dir, name, objects);
    let out = concord(dir)
        .args(["--as", who, "ingest", &f])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn incident(id: &str, day: u32, name: &str, victim: &str, red: bool) -> Value {
    let mut v = json!({"type": "incident", "spec_version": "2.1", "id": id,
        "created": format!("2026-03-{day:02}T00:00:00.000Z"), "modified": format!("2026-03-{day:02}T00:00:00.000Z"),
        "name": name, "extensions": {EXT: {"extension_type": "property-extension", "victims": [victim],
            "first_seen": format!("2026-03-{day:02}T00:00:00Z")}}});
    if red {
        v["object_marking_refs"] = json!([RED]);
        v["extensions"][EXT]["recipients"] = json!(["LVA"]);
    }
    v
}

fn link(n: u32, from: &str, red: bool) -> Value {
    let mut v = json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"),
        "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z",
        "relationship_type": "related-to", "source_ref": from, "target_ref": IP});
    if red {
        v["object_marking_refs"] = json!([RED]);
        v["extensions"] =
            json!({EXT: {"extension_type": "property-extension", "recipients": ["LVA"]}});
    }
    v
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = concord(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// EST's red incident and FRA's green one share an address.
fn red_and_green(dir: &Path) {
    let ip =
        json!({"type": "ipv4-addr", "spec_version": "2.1", "id": IP, "value": "198.51.100.77"});
    ingest_as(
        dir,
        "EST",
        "est.json",
        vec![
            ip.clone(),
            incident(
                RED_INCIDENT,
                1,
                "Operation Nightjar (EST eyes only)",
                "EST",
                true,
            ),
            link(1, RED_INCIDENT, true),
        ],
    );
    ingest_as(
        dir,
        "FRA",
        "fra.json",
        vec![
            ip,
            incident(GREEN_INCIDENT, 5, "Paris outage", "FRA", false),
            link(2, GREEN_INCIDENT, false),
        ],
    );
}

#[test]
fn correlate_is_computed_from_what_the_viewer_may_read() {
    let d = tempfile::tempdir().unwrap();
    red_and_green(d.path());
    // the hub and FRA may not read the red incident: nothing of it in what they get
    for who in [None, Some("FRA")] {
        let mut args = vec![];
        if let Some(w) = who {
            args.extend(["--as", w]);
        }
        args.extend(["correlate", "--json"]);
        let (code, out, err) = run(d.path(), &args);
        assert_eq!(code, 0, "{err}");
        for leak in [RED_INCIDENT, "Nightjar", "2026-03-01"] {
            assert!(!out.contains(leak), "{who:?} sees {leak}: {out}");
        }
        let (_, text, _) = run(d.path(), &args[..args.len() - 1]);
        assert!(!text.contains(RED_INCIDENT), "{text}");
    }
    // EST may read both: its campaign links them, and is stored red for the members that
    // may read every input (EST and LVA), never for the hub or FRA
    let (code, out, err) = run(d.path(), &["--as", "EST", "correlate", "--json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["campaigns"].as_array().unwrap().len(), 1, "{doc}");
    let id = doc["campaigns"][0]["id"].as_str().unwrap().to_string();
    let store = Store::open(&d.path().join("concord.db")).unwrap();
    let est = Principal::Member("EST".into());
    let camp = store
        .reader(&est)
        .get(&id)
        .unwrap()
        .expect("the campaign is stored, and EST reads it");
    assert_eq!(camp.tlp.as_deref(), Some("red"));
    let v = camp.value().unwrap();
    assert_eq!(v["extensions"][EXT]["recipients"], json!(["EST", "LVA"]));
    for p in [
        Principal::Hub,
        Principal::Admin,
        Principal::Member("FRA".into()),
    ] {
        assert!(!camp.readable_by(&p), "{p:?} reads the campaign");
        assert!(store.reader(&p).get(&id).unwrap().is_none(), "{p:?}");
        for rel in store.reader(&est).relationships_of(&id).unwrap() {
            assert!(!rel.readable_by(&p), "{p:?} reads {}", rel.id);
        }
    }
    assert!(camp.readable_by(&Principal::Member("EST".into())));
    assert!(camp.readable_by(&Principal::Member("LVA".into())));
    // every campaign the hub or FRA may read is free of red data
    for p in [Principal::Hub, Principal::Member("FRA".into())] {
        store
            .reader(&p)
            .for_each_latest::<concord_store::StoreError>(&["campaign", "relationship"], |o| {
                assert!(!o.raw.contains(RED_INCIDENT), "{p:?}: {}", o.raw);
                assert!(!o.raw.contains("Nightjar"), "{p:?}: {}", o.raw);
                Ok(())
            })
            .unwrap();
    }
    // the hub's own run afterwards does not see or change EST's campaign
    let (code, out, _) = run(d.path(), &["correlate", "--json"]);
    assert_eq!(code, 0);
    assert!(!out.contains(&id), "{out}");
}

#[test]
fn as_must_name_an_alliance_member() {
    let d = tempfile::tempdir().unwrap();
    for bad in ["est", "XXX", "hub", "concord", ""] {
        let (code, _, err) = run(d.path(), &["--as", bad, "correlate", "--dry-run"]);
        assert_ne!(code, 0, "--as {bad:?} was accepted");
        assert!(err.contains("--as"), "{err}");
    }
    let (code, _, err) = run(d.path(), &["--as", "EST", "correlate", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn ingest_survives_symlink_loops_and_reads_each_file_once() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    std::fs::create_dir_all(data.join("sub")).unwrap();
    bundle_file(
        &data,
        "one.json",
        vec![
            json!({"type": "ipv4-addr", "spec_version": "2.1", "id": IP, "value": "198.51.100.1"}),
        ],
    );
    // two loops: a link to the directory itself and one to its parent from below
    std::os::unix::fs::symlink(&data, data.join("loop")).unwrap();
    std::os::unix::fs::symlink(&data, data.join("sub").join("back")).unwrap();
    std::os::unix::fs::symlink(data.join("one.json"), data.join("alias.json")).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("concord"))
        .current_dir(d.path())
        .args(["ingest", "--json", "data"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("ingest did not finish within 60 s on a directory with symlink loops");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["stored"], 1);
}

#[test]
fn an_ingest_waits_for_another_writer_instead_of_failing() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("concord.db");
    drop(Store::open(&db).unwrap());
    let f = bundle_file(
        d.path(),
        "one.json",
        vec![
            json!({"type": "ipv4-addr", "spec_version": "2.1", "id": IP, "value": "198.51.100.1"}),
        ],
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let db2 = db.clone();
    let holder = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&db2).unwrap();
        c.execute_batch("BEGIN IMMEDIATE; INSERT INTO audit_log (at, principal, action, detail) VALUES ('x', 'hub', 'hold', '');")
            .unwrap();
        tx.send(()).unwrap();
        // longer than the 10 s the CLI used to wait before exiting 3
        std::thread::sleep(std::time::Duration::from_secs(12));
        c.execute_batch("COMMIT").unwrap();
    });
    rx.recv().unwrap();
    let (code, out, err) = run(d.path(), &["ingest", &f]);
    holder.join().unwrap();
    assert_eq!(code, 0, "{out}{err}");
}
