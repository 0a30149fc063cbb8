//! Authority over objects and identities (issue 12): who may version what, who an identity
//! stands for, references to identities resolved at write time, markings that govern
//! reading (granular and custom), and refusals that reveal nothing about hidden objects.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_store::testing::TestBackend;

use concord_store::access::Principal;
use concord_store::Store;
use serde_json::{json, Value};

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const EST_ID: &str = "identity--00000001-f010-4473-83ec-1edf84858f4c";
const CAMPAIGN: &str = "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

fn ingest(s: &mut Store, objs: &[Value], who: &str) -> concord_store::IngestSummary {
    s.ingest_values(objs, who, "test").unwrap()
}

fn identity(id: &str, member: &str, modified: &str, name: &str) -> Value {
    json!({"type": "identity", "spec_version": "2.1", "id": id, "created": "2026-01-01T00:00:00.000Z",
           "modified": modified, "name": name, "identity_class": "organization",
           "extensions": {EXT: {"extension_type": "property-extension", "member": member}}})
}

fn indicator(n: u32, cbr: Option<&str>) -> Value {
    let mut v = json!({"type": "indicator", "spec_version": "2.1", "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
        "pattern": "[ipv4-addr:value = '198.51.100.8']", "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
    if let Some(c) = cbr {
        v["created_by_ref"] = json!(c);
    }
    v
}

fn campaign(modified: &str, name: &str, marking: Option<&str>) -> Value {
    let mut v = json!({"type": "campaign", "spec_version": "2.1", "id": CAMPAIGN,
           "created": "2026-01-01T00:00:00.000Z", "modified": modified, "name": name});
    if let Some(m) = marking {
        v["object_marking_refs"] = json!([m]);
    }
    v
}

fn reasons(s: &concord_store::IngestSummary) -> String {
    s.rejections
        .iter()
        .map(|r| r.reason.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn a_member_cannot_take_over_another_members_identity(b: &TestBackend) {
    let mut s = b.store();
    let v1 = identity(EST_ID, "EST", "2026-01-01T00:00:00.000Z", "EST CERT");
    assert_eq!(ingest(&mut s, &[v1], "hub").stored, 1);
    // LVA versions EST's identity, naming itself
    let hijack = identity(EST_ID, "LVA", "2026-02-01T00:00:00.000Z", "EST CERT");
    let r = ingest(&mut s, std::slice::from_ref(&hijack), "LVA");
    assert_eq!(r.stored, 0, "{r:?}");
    // or keeping EST as member
    let r = ingest(
        &mut s,
        &[identity(
            EST_ID,
            "EST",
            "2026-02-01T00:00:00.000Z",
            "renamed",
        )],
        "LVA",
    );
    assert_eq!(r.stored, 0, "{r:?}");
    // the same bundle variant: the forged identity and an object created by it
    let r = ingest(&mut s, &[hijack, indicator(1, Some(EST_ID))], "LVA");
    assert_eq!((r.stored, r.rejected), (0, 2), "{r:?}");
    // EST still speaks for itself and may version its own identity
    assert_eq!(
        ingest(&mut s, &[indicator(2, Some(EST_ID))], "EST").stored,
        1
    );
    let r = ingest(
        &mut s,
        &[identity(
            EST_ID,
            "EST",
            "2026-03-01T00:00:00.000Z",
            "EST CERT (new name)",
        )],
        "EST",
    );
    assert_eq!(r.stored, 1, "{}", reasons(&r));
    // nobody changes the member an identity stands for, not even the hub or EST itself
    for who in ["hub", "EST"] {
        let r = ingest(
            &mut s,
            &[identity(EST_ID, "LVA", "2026-04-01T00:00:00.000Z", "x")],
            who,
        );
        assert_eq!(r.stored, 0, "{who}");
        assert!(reasons(&r).contains("member"), "{}", reasons(&r));
    }
}

fn references_to_unknown_identities_are_resolved_at_write_time(b: &TestBackend) {
    let mut s = b.store();
    let x = "identity--00000002-f010-4473-83ec-1edf84858f4c";
    // a member may not name an identity that is neither stored nor in the bundle
    let r = ingest(&mut s, &[indicator(1, Some(x))], "EST");
    assert_eq!(r.stored, 0);
    assert!(reasons(&r).contains("no identity"), "{}", reasons(&r));
    // in the same bundle it resolves, and the object is EST's
    let r = ingest(
        &mut s,
        &[
            indicator(1, Some(x)),
            identity(x, "EST", "2026-01-01T00:00:00.000Z", "EST"),
        ],
        "EST",
    );
    assert_eq!(r.stored, 2, "{}", reasons(&r));
    assert_eq!(
        s.reader(&Principal::Member("EST".into()))
            .get("indicator--00000001-2222-4333-8444-555555555555")
            .unwrap()
            .unwrap()
            .author
            .as_deref(),
        Some("EST")
    );
    // the hub may store an object naming an unknown identity; whoever stores that identity
    // later does not become its author
    let y = "identity--00000003-f010-4473-83ec-1edf84858f4c";
    assert_eq!(ingest(&mut s, &[indicator(3, Some(y))], "hub").stored, 1);
    assert_eq!(
        ingest(
            &mut s,
            &[identity(y, "LVA", "2026-01-01T00:00:00.000Z", "LVA")],
            "LVA"
        )
        .stored,
        1
    );
    let o = s
        .reader(&Principal::Hub)
        .get("indicator--00000003-2222-4333-8444-555555555555")
        .unwrap()
        .unwrap();
    assert_eq!(o.author, None);
    // a member may not use concord's own identity
    let r = ingest(
        &mut s,
        &[indicator(4, Some(concord_stix::concord_ext::IDENTITY_ID))],
        "EST",
    );
    assert_eq!(r.stored, 0);
}

fn only_the_submitter_versions_an_object(b: &TestBackend) {
    let mut s = b.store();
    assert_eq!(
        ingest(
            &mut s,
            &[campaign("2026-01-01T00:00:00.000Z", "grid", None)],
            "EST"
        )
        .stored,
        1
    );
    for v in [
        campaign("2026-02-01T00:00:00.000Z", "grid (LVA)", None),
        campaign("2026-02-01T00:00:00.000Z", "grid", Some(RED)),
    ] {
        let r = ingest(&mut s, &[v], "LVA");
        assert_eq!(r.stored, 0, "{r:?}");
        assert!(reasons(&r).contains("another principal"), "{}", reasons(&r));
    }
    // the hub does not version a member's object either
    let r = ingest(
        &mut s,
        &[campaign("2026-02-01T00:00:00.000Z", "grid (hub)", None)],
        "hub",
    );
    assert_eq!(r.stored, 0);
    let est = Principal::Member("EST".into());
    let latest = s.reader(&est).get(CAMPAIGN).unwrap().unwrap();
    assert!(latest.readable_by(&est));
    assert_eq!(latest.value().unwrap()["name"], "grid");
    // EST itself may
    let r = ingest(
        &mut s,
        &[campaign("2026-02-01T00:00:00.000Z", "grid v2", Some(GREEN))],
        "EST",
    );
    assert_eq!(r.stored, 1, "{}", reasons(&r));
}

fn refusals_reveal_nothing_about_hidden_objects(b: &TestBackend) {
    let mut s = b.store();
    let red = campaign("2026-01-01T00:00:00.000Z", "secret", Some(RED));
    assert_eq!(ingest(&mut s, std::slice::from_ref(&red), "EST").stored, 1);
    // identical content: no duplicate "success" that would confirm a guess
    let same = ingest(&mut s, &[red], "LVA");
    assert_eq!((same.stored, same.duplicates), (0, 0));
    // different content under the same key, and a new version
    let other = ingest(
        &mut s,
        &[campaign("2026-01-01T00:00:00.000Z", "guess", Some(RED))],
        "LVA",
    );
    let newer = ingest(
        &mut s,
        &[campaign("2026-05-01T00:00:00.000Z", "guess", None)],
        "LVA",
    );
    let (a, b2, c) = (reasons(&same), reasons(&other), reasons(&newer));
    assert_eq!(a, b2);
    assert_eq!(b2, c);
    for leak in [
        "2026-01-01",
        "EST",
        "created",
        "modified",
        "created_by_ref",
        "red",
    ] {
        assert!(!a.contains(leak), "'{leak}' in {a}");
    }
    // an object LVA may read gives the ordinary answers
    let mut s = b.store();
    let green = campaign("2026-01-01T00:00:00.000Z", "open", None);
    ingest(&mut s, std::slice::from_ref(&green), "EST");
    assert_eq!(ingest(&mut s, &[green], "LVA").duplicates, 1);
}

fn granular_and_custom_markings_govern_reading(b: &TestBackend) {
    let mut s = b.store();
    let lva = Principal::Member("LVA".into());
    let mut gran = indicator(1, None);
    gran["object_marking_refs"] = json!([GREEN]);
    gran["granular_markings"] = json!([{"selectors": ["description"], "marking_ref": RED}]);
    gran["description"] = json!("the red part");
    let custom = "marking-definition--a0000000-0000-4000-8000-000000000001";
    let mut unknown = indicator(2, None);
    unknown["object_marking_refs"] = json!([custom]);
    let tlp2_def = "marking-definition--a0000000-0000-4000-8000-000000000002";
    let def = json!({"type": "marking-definition", "spec_version": "2.1", "id": tlp2_def, "created": "2026-01-01T00:00:00.000Z",
        "name": "TLP:AMBER", "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
            {"extension_type": "property-extension", "tlp_2_0": "amber"}}});
    let mut amber = indicator(3, None);
    amber["object_marking_refs"] = json!([tlp2_def]);
    let stmt_def = "marking-definition--a0000000-0000-4000-8000-000000000003";
    let stmt = json!({"type": "marking-definition", "spec_version": "2.1", "id": stmt_def, "created": "2026-01-01T00:00:00.000Z",
        "definition_type": "statement", "definition": {"statement": "Copyright EST"}});
    let mut stated = indicator(4, None);
    stated["object_marking_refs"] = json!([stmt_def]);
    let r = ingest(&mut s, &[gran, unknown, def, amber, stmt, stated], "EST");
    assert_eq!(r.stored, 6, "{}", reasons(&r));
    // read as the submitter (EST stored 1 to 4, POL 5), which reads its own objects
    let tlp = |s: &Store, n: u32| {
        s.reader(&Principal::Member(
            if n == 5 { "POL" } else { "EST" }.into(),
        ))
        .get(&format!("indicator--{n:08x}-2222-4333-8444-555555555555"))
        .unwrap()
        .unwrap()
    };
    assert_eq!(tlp(&s, 1).tlp.as_deref(), Some("red"));
    assert!(!tlp(&s, 1).readable_by(&lva));
    assert_eq!(tlp(&s, 2).tlp.as_deref(), Some("red"));
    assert!(!tlp(&s, 2).readable_by(&lva));
    assert_eq!(tlp(&s, 3).tlp.as_deref(), Some("amber"));
    assert!(tlp(&s, 3).readable_by(&Principal::Hub));
    assert!(!tlp(&s, 3).readable_by(&lva));
    assert!(
        tlp(&s, 4).readable_by(&lva),
        "a statement marking restricts nothing"
    );
    // a definition stored by another member is not trusted for POL's objects
    let mut pol = indicator(5, None);
    pol["object_marking_refs"] = json!([stmt_def]);
    ingest(&mut s, &[pol], "POL");
    assert_eq!(tlp(&s, 5).tlp.as_deref(), Some("red"));
}

#[test]
fn a_writer_waits_for_a_long_lock_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut s = Store::open(&path).unwrap();
    let p2 = path.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&p2).unwrap();
        c.execute_batch("BEGIN IMMEDIATE; INSERT INTO audit_log (at, principal, action, detail) VALUES ('x', 'hub', 'hold', '');")
            .unwrap();
        tx.send(()).unwrap();
        // longer than the 10 s busy timeout the store used to give up after
        std::thread::sleep(std::time::Duration::from_secs(12));
        c.execute_batch("COMMIT").unwrap();
    });
    rx.recv().unwrap();
    let r = s.ingest_values(
        &[campaign("2026-01-01T00:00:00.000Z", "A", None)],
        "hub",
        "test",
    );
    holder.join().unwrap();
    assert_eq!(r.unwrap().stored, 1);
}

#[test]
fn an_older_database_is_remarked_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut s = Store::open(&path).unwrap();
        let mut o = indicator(1, None);
        o["object_marking_refs"] =
            json!(["marking-definition--a0000000-0000-4000-8000-000000000009"]);
        assert_eq!(ingest(&mut s, &[o], "EST").stored, 1);
    }
    // as an older build stored it: an unknown marking read as green
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("UPDATE objects SET tlp = NULL; PRAGMA user_version = 6;")
        .unwrap();
    drop(c);
    let s = Store::open(&path).unwrap();
    let o = s
        .reader(&Principal::Member("EST".into()))
        .get("indicator--00000001-2222-4333-8444-555555555555")
        .unwrap()
        .unwrap();
    assert_eq!(o.tlp.as_deref(), Some("red"));
}

#[test]
fn campaigns_derived_by_an_older_build_go_to_concord() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut s = Store::open(&path).unwrap();
        let mut c = campaign("2026-01-01T00:00:00.000Z", "Campaign around red", Some(RED));
        c["created_by_ref"] = json!(concord_stix::concord_ext::IDENTITY_ID);
        assert_eq!(ingest(&mut s, &[c], "hub").stored, 1);
    }
    // an older build stored derived campaigns in the name of whoever ran correlate, so the
    // hub read a red campaign as its submitter
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("ALTER TABLE objects DROP COLUMN member; ALTER TABLE objects DROP COLUMN author; UPDATE objects SET submitter = 'hub'; PRAGMA user_version = 5;")
        .unwrap();
    drop(c);
    let s = Store::open(&path).unwrap();
    let o = s
        .reader(&Principal::Concord)
        .get(CAMPAIGN)
        .unwrap()
        .unwrap();
    assert_eq!(o.submitter, "concord");
    assert!(!o.readable_by(&Principal::Hub));
}

concord_store::both_backends!(
    a_member_cannot_take_over_another_members_identity,
    references_to_unknown_identities_are_resolved_at_write_time,
    only_the_submitter_versions_an_object,
    refusals_reveal_nothing_about_hidden_objects,
    granular_and_custom_markings_govern_reading
);
