//! The versioning rules of DESIGN 8 and bundle atomicity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_store::access::Principal;
use concord_store::testing::TestBackend;
use concord_store::{NewObject, ObjectMeta, Store};
use serde_json::{json, Value};

fn ingest(store: &mut Store, objs: &[Value], who: &str) -> concord_store::IngestSummary {
    store.ingest_values(objs, who, "test").unwrap()
}

fn campaign(modified: &str, name: &str) -> Value {
    json!({"type": "campaign", "spec_version": "2.1", "id": "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           "created": "2026-01-01T00:00:00.000Z", "modified": modified, "name": name,
           "created_by_ref": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c"})
}

fn identity(id: &str, member: &str) -> Value {
    json!({"type": "identity", "spec_version": "2.1", "id": id, "created": "2026-01-01T00:00:00.000Z",
           "modified": "2026-01-01T00:00:00.000Z", "name": member,
           "extensions": {"extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41": {"extension_type": "property-extension", "member": member}}})
}

fn reingest_is_harmless(b: &TestBackend) {
    let mut s = b.store();
    let objs = vec![campaign("2026-01-01T00:00:00.000Z", "A")];
    let a = ingest(&mut s, &objs, "hub");
    assert_eq!((a.stored, a.duplicates), (1, 0));
    let b = ingest(&mut s, &objs, "hub");
    assert_eq!((b.stored, b.duplicates, b.rejected), (0, 1, 0));
    assert_eq!(
        s.reader(&Principal::Hub).count_by_type().unwrap()["campaign"],
        1
    );
}

fn key_order_does_not_make_a_conflict(b: &TestBackend) {
    let mut s = b.store();
    ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "hub");
    // same object, different key order and whitespace in its raw text
    let v = campaign("2026-01-01T00:00:00.000Z", "A");
    let raw = "{ \"name\": \"A\", \"type\": \"campaign\", \"spec_version\": \"2.1\", \"id\": \"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\", \"created\": \"2026-01-01T00:00:00.000Z\", \"modified\": \"2026-01-01T00:00:00.000Z\", \"created_by_ref\": \"identity--311b2d2d-f010-4473-83ec-1edf84858f4c\" }";
    let r = s
        .ingest(
            &[NewObject {
                raw,
                path: "$",
                meta: ObjectMeta::of(&v),
            }],
            "hub",
            "t",
        )
        .unwrap();
    assert_eq!(r.duplicates, 1);
}

fn conflicting_content_rejects_the_whole_bundle(b: &TestBackend) {
    let mut s = b.store();
    ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "hub");
    let other = json!({"type": "campaign", "spec_version": "2.1", "id": "campaign--11111111-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "B"});
    let r = ingest(
        &mut s,
        &[other, campaign("2026-01-01T00:00:00.000Z", "changed")],
        "hub",
    );
    assert_eq!((r.stored, r.rejected), (0, 2));
    assert!(
        r.rejections[0].reason.contains("different content"),
        "{:?}",
        r.rejections
    );
    assert_eq!(
        s.reader(&Principal::Hub).count_by_type().unwrap()["campaign"],
        1,
        "nothing of the rejected bundle is stored"
    );
}

fn new_versions_keep_created_and_creator(b: &TestBackend) {
    let mut s = b.store();
    ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "hub");
    let ok = ingest(
        &mut s,
        &[campaign("2026-02-01T00:00:00.000Z", "A, updated")],
        "hub",
    );
    assert_eq!(ok.stored, 1);
    assert_eq!(
        s.reader(&Principal::Hub)
            .versions("campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
            .unwrap()
            .len(),
        2
    );
    let latest = s
        .reader(&Principal::Hub)
        .get("campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
        .unwrap()
        .unwrap();
    assert_eq!(latest.value().unwrap()["name"], "A, updated");

    let mut v = campaign("2026-03-01T00:00:00.000Z", "A");
    v["created_by_ref"] = json!("identity--99999999-f010-4473-83ec-1edf84858f4c");
    let r = ingest(&mut s, &[v], "hub");
    assert_eq!(r.stored, 0);
    assert!(r.rejections[0].reason.contains("created_by_ref"));

    let mut v = campaign("2026-03-01T00:00:00.000Z", "A");
    v["created"] = json!("2025-01-01T00:00:00.000Z");
    let r = ingest(&mut s, &[v], "hub");
    assert!(r.rejections[0].reason.contains("'created'"));
}

fn revoked_stays_revoked(b: &TestBackend) {
    let mut s = b.store();
    let mut v = campaign("2026-02-01T00:00:00.000Z", "A");
    v["revoked"] = json!(true);
    assert_eq!(ingest(&mut s, &[v], "hub").stored, 1);
    let r = ingest(
        &mut s,
        &[campaign("2026-03-01T00:00:00.000Z", "A back")],
        "hub",
    );
    assert!(
        r.rejections[0].reason.contains("revoked"),
        "{:?}",
        r.rejections
    );
    // an older version may still be added (history), it does not un-revoke
    assert_eq!(
        ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "hub").stored,
        1
    );
}

fn unversioned_objects_cannot_change(b: &TestBackend) {
    let mut s = b.store();
    let ip = |v: &str| json!({"type": "ipv4-addr", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": v});
    assert_eq!(ingest(&mut s, &[ip("198.51.100.1")], "hub").stored, 1);
    assert_eq!(ingest(&mut s, &[ip("198.51.100.1")], "hub").duplicates, 1);
    let r = ingest(&mut s, &[ip("198.51.100.2")], "hub");
    assert!(r.rejections[0].reason.contains("no 'modified'"));
}

fn a_member_may_not_speak_for_another(b: &TestBackend) {
    let mut s = b.store();
    let lva = "identity--311b2d2d-f010-4473-83ec-1edf84858f4c";
    assert_eq!(ingest(&mut s, &[identity(lva, "LVA")], "hub").stored, 1);
    let r = ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "EST");
    assert_eq!(r.stored, 0);
    assert!(
        r.rejections[0]
            .reason
            .contains("may not speak for another member"),
        "{:?}",
        r.rejections
    );
    assert_eq!(
        ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "LVA").stored,
        1
    );
    let r = ingest(
        &mut s,
        &[identity(
            "identity--5e2b7d2d-f010-4473-83ec-1edf84858f4c",
            "POL",
        )],
        "EST",
    );
    assert!(r.rejections[0].reason.contains("standing for member POL"));
}

#[test]
fn file_store_uses_wal_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut s = Store::open(&path).unwrap();
        ingest(&mut s, &[campaign("2026-01-01T00:00:00.000Z", "A")], "hub");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.reader(&Principal::Hub).count_by_type().unwrap()["campaign"],
        1
    );
    assert_eq!(s.audit_len().unwrap(), 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(&path),
        Err(concord_store::StoreError::TooNew { found: 99, .. })
    ));
}

fn relationships_are_indexed_by_endpoint(b: &TestBackend) {
    let mut s = b.store();
    let rel = json!({"type": "relationship", "spec_version": "2.1", "id": "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "relationship_type": "related-to",
        "source_ref": "incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "target_ref": "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"});
    assert_eq!(ingest(&mut s, &[rel], "hub").stored, 1);
    assert_eq!(
        s.reader(&Principal::Hub)
            .relationships_of("campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.reader(&Principal::Hub)
            .relationships_of("incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
            .unwrap()
            .len(),
        1
    );
    assert!(s
        .reader(&Principal::Hub)
        .relationships_of("incident--00000000-17d4-4cbf-938f-98ee46b3cd3f")
        .unwrap()
        .is_empty());
}

concord_store::both_backends!(
    reingest_is_harmless,
    key_order_does_not_make_a_conflict,
    conflicting_content_rejects_the_whole_bundle,
    new_versions_keep_created_and_creator,
    revoked_stays_revoked,
    unversioned_objects_cannot_change,
    a_member_may_not_speak_for_another,
    relationships_are_indexed_by_endpoint
);
