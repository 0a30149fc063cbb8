//! `concord correlate` as incidents leave a campaign: the stored campaign's old link is
//! revoked, and its assessment no longer counts the incident.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{concord, ingest};

use serde_json::{json, Value};
use std::path::Path;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";

fn incident(n: u32, day: u32, victim: &str) -> Value {
    json!({"type": "incident", "spec_version": "2.1", "id": format!("incident--{n:08x}-95f3-4c04-a882-116832996da0"),
        "created": format!("2026-03-{day:02}T00:00:00.000Z"), "modified": format!("2026-03-{day:02}T00:00:00.000Z"),
        "name": format!("inc {n}"), "extensions": {EXT: {"extension_type": "property-extension", "victims": [victim]}}})
}

fn link(n: u32, inc: u32, ip: &str, modified: &str, revoked: bool) -> Value {
    let mut r = json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"),
        "created": "2026-03-01T00:00:00.000Z", "modified": modified, "relationship_type": "related-to",
        "source_ref": format!("incident--{inc:08x}-95f3-4c04-a882-116832996da0"),
        "target_ref": format!("ipv4-addr--{}", uuid_for(ip))});
    if revoked {
        r["revoked"] = json!(true);
    }
    r
}

fn uuid_for(ip: &str) -> &'static str {
    match ip {
        "x" => "3a6ab0b2-1a0e-4d4b-9f7e-2f4b2a3c5d01",
        _ => "3a6ab0b2-1a0e-4d4b-9f7e-2f4b2a3c5d02",
    }
}

fn correlate(dir: &Path) -> Value {
    let out = concord(dir).args(["correlate", "--json"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_incident_that_leaves_is_unlinked() {
    let d = tempfile::tempdir().unwrap();
    ingest(
        d.path(),
        "a.json",
        vec![
            json!({"type": "ipv4-addr", "spec_version": "2.1", "id": format!("ipv4-addr--{}", uuid_for("x")), "value": "198.51.100.1"}),
            json!({"type": "ipv4-addr", "spec_version": "2.1", "id": format!("ipv4-addr--{}", uuid_for("y")), "value": "198.51.100.2"}),
            incident(1, 1, "EST"),
            incident(2, 2, "LVA"),
            incident(3, 3, "LTU"),
            link(1, 1, "x", "2026-03-01T00:00:00.000Z", false),
            link(2, 2, "x", "2026-03-01T00:00:00.000Z", false),
            link(3, 2, "y", "2026-03-01T00:00:00.000Z", false),
            link(4, 3, "y", "2026-03-01T00:00:00.000Z", false),
        ],
    );
    let first = correlate(d.path());
    let camp = first["campaigns"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        first["campaigns"][0]["incidents"].as_array().unwrap().len(),
        3
    );
    let a: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["assess", "--json", &camp])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(a["victims"], json!(["EST", "LTU", "LVA"]));
    // the link that tied incident 3 in is revoked at its source
    ingest(
        d.path(),
        "b.json",
        vec![link(4, 3, "y", "2026-03-05T00:00:00.000Z", true)],
    );
    let second = correlate(d.path());
    assert_eq!(
        second["campaigns"][0]["id"],
        camp.as_str(),
        "the id stays with the earliest incident"
    );
    assert_eq!(
        second["campaigns"][0]["incidents"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let a: Value = serde_json::from_slice(
        &concord(d.path())
            .args(["assess", "--json", &camp])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        a["victims"],
        json!(["EST", "LVA"]),
        "the stored campaign no longer counts incident 3"
    );
    // and a third run changes nothing
    let out = concord(d.path()).args(["correlate"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stored 0 new or changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
