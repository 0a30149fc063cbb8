//! Everything the store offers, on both backends (SQLite and PostgreSQL), and what only a
//! shared database has to get right: several handles writing at once, pages read while
//! others write, migrations started together, a writer waiting for another, a database
//! down at start or lost while in use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use concord_store::access::Principal;
use concord_store::taxii::{PageQuery, Versions, DEFAULT_COLLECTION};
use concord_store::testing::{PgSchema, Proxy, TestBackend};
use concord_store::{Store, StoreError};
use serde_json::{json, Value};
use std::collections::HashSet;

fn indicator(n: usize, modified: &str) -> Value {
    json!({"type": "indicator", "spec_version": "2.1", "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "created": "2026-03-02T00:00:00.000Z", "modified": modified,
        "pattern": format!("[ipv4-addr:value = '198.51.{}.{}']", n / 256 % 256, n % 256), "pattern_type": "stix",
        "valid_from": "2026-03-02T00:00:00Z"})
}

fn rel(n: usize, kind: &str) -> Value {
    json!({"type": "relationship", "spec_version": "2.1", "id": format!("relationship--{n:08x}-ba52-4f0c-87a3-1824e67d7fad"),
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "relationship_type": kind,
        "source_ref": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "target_ref": "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"})
}

const T1: &str = "2026-03-02T00:00:00.000Z";
const T2: &str = "2026-04-02T00:00:00.000Z";

fn query(collection: &str, limit: usize, after: Option<i64>) -> PageQuery {
    PageQuery {
        collection: collection.to_string(),
        added_after: None,
        ids: Vec::new(),
        types: Vec::new(),
        versions: Versions::Last,
        spec_versions: Vec::new(),
        limit,
        after_seq: after,
    }
}

/// Every page of a query, as ids in order.
fn walk(s: &Store, q: &PageQuery, viewer: &Principal) -> Vec<String> {
    let mut q = q.clone();
    let mut out = Vec::new();
    loop {
        let p = s.page(&q, viewer).unwrap();
        q.after_seq = p.objects.last().map(|o| o.seq).or(q.after_seq);
        out.extend(p.objects.into_iter().map(|o| o.id));
        if !p.more {
            return out;
        }
    }
}

fn the_whole_interface(b: &TestBackend) {
    let mut s = b.store();
    let hub = Principal::Hub;
    let est = Principal::Member("EST".into());
    // objects: two versions of one, relationships, a red one
    let mut objs: Vec<Value> = (0..10).map(|n| indicator(n, T1)).collect();
    objs.push(rel(1, "indicates"));
    objs.push(rel(2, "related-to"));
    let r = s.ingest_values(&objs, "hub", "t").unwrap();
    assert_eq!(r.stored, 12, "{r:?}");
    let mut v2 = indicator(3, T2);
    v2["object_marking_refs"] = json!(["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]);
    assert_eq!(s.ingest_values(&[v2], "hub", "t").unwrap().stored, 1);
    let id3 = "indicator--00000003-2222-4333-8444-555555555555";
    let h = s.reader(&hub);
    assert_eq!(h.versions(id3).unwrap().len(), 2);
    let latest = h.get(id3).unwrap().unwrap();
    assert_eq!(latest.modified.as_deref(), Some(T2));
    assert_eq!(latest.tlp.as_deref(), Some("red"));
    assert!(!latest.readable_by(&est));
    assert_eq!(h.latest_of_type("indicator").unwrap().len(), 10);
    assert_eq!(h.count_by_type().unwrap()["indicator"], 11);
    assert_eq!(s.reader(&est).count_by_type().unwrap()["indicator"], 9);
    assert_eq!(
        h.relationships_of("campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
            .unwrap()
            .len(),
        2
    );
    let e = h.edges(&["indicates"]).unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].source_ref,
        "indicator--00000001-2222-4333-8444-555555555555"
    );
    // streaming stops at the caller's error
    let mut seen = 0;
    let stop: Result<(), StoreError> = h.for_each_latest(&["indicator", "relationship"], |_| {
        seen += 1;
        if seen == 4 {
            Err(StoreError::Refused("enough".into()))
        } else {
            Ok(())
        }
    });
    assert!(matches!(stop, Err(StoreError::Refused(m)) if m == "enough"));
    assert_eq!(seen, 4);
    let mut all = 0;
    h.for_each_latest::<StoreError>(&["indicator", "relationship"], |_| {
        all += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(all, 12);
    // pages: insertion order, readable only, no repeats at any page size
    let ids = walk(&s, &query(DEFAULT_COLLECTION, 3, None), &est);
    assert_eq!(ids.len(), 11, "EST reads all but the red one: {ids:?}");
    assert!(!ids.iter().any(|i| i == id3));
    // the hub submitted the red version, so it reads it
    assert_eq!(
        walk(&s, &query(DEFAULT_COLLECTION, 1000, None), &hub).len(),
        12
    );
    let mut q = query(DEFAULT_COLLECTION, 100, None);
    q.versions = Versions::All;
    q.types = vec!["indicator".into()];
    assert_eq!(walk(&s, &q, &hub).len(), 11);
    assert_eq!(
        walk(&s, &q, &est).len(),
        9,
        "EST may not read the latest version, so no version of it"
    );
    assert_eq!(
        s.readable_versions(DEFAULT_COLLECTION, id3, &hub)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        s.readable_versions(DEFAULT_COLLECTION, id3, &est)
            .unwrap()
            .len(),
        0
    );
    // collections
    let c = s
        .create_collection("National feeds", Some("from the nodes"), true, false)
        .unwrap();
    let cols = s.collections().unwrap();
    assert_eq!(cols[0].id, DEFAULT_COLLECTION, "the default first");
    assert!(cols
        .iter()
        .any(|x| x.id == c && x.members_write && !x.hub_write));
    s.add_to_collection(
        &c,
        &[
            (
                "indicator--00000001-2222-4333-8444-555555555555".into(),
                T1.into(),
            ),
            (
                "indicator--00000002-2222-4333-8444-555555555555".into(),
                T1.into(),
            ),
        ],
    )
    .unwrap();
    // adding twice is harmless
    s.add_to_collection(
        &c,
        &[(
            "indicator--00000001-2222-4333-8444-555555555555".into(),
            T1.into(),
        )],
    )
    .unwrap();
    assert_eq!(walk(&s, &query(&c, 1, None), &est).len(), 2);
    // deletion: only the submitter's (or the hub's)
    let id5 = "indicator--00000005-2222-4333-8444-555555555555";
    assert_eq!(s.delete_versions(id5, &[], &est).unwrap(), 0);
    assert_eq!(s.delete_versions(id5, &[], &hub).unwrap(), 1);
    assert!(s.reader(&hub).get(id5).unwrap().is_none());
    // status resources are replaced, and read by their maker (or the hub)
    s.put_status("st-1", &est, "{\"a\":1}").unwrap();
    s.put_status("st-1", &est, "{\"a\":2}").unwrap();
    assert_eq!(
        s.status("st-1", &est).unwrap().as_deref(),
        Some("{\"a\":2}")
    );
    assert_eq!(
        s.status("st-1", &Principal::Member("LVA".into())).unwrap(),
        None
    );
    assert!(s.status("st-1", &hub).unwrap().is_some());
    // tokens
    let t = s.create_token(&est).unwrap();
    let (tid, who) = s.authenticate_with_id(&t).unwrap().unwrap();
    assert_eq!(who, est);
    assert!(s.token_active(tid).unwrap());
    assert_eq!(s.tokens().unwrap().len(), 1);
    assert!(s.revoke_token(tid).unwrap());
    assert!(!s.revoke_token(9_999).unwrap());
    assert_eq!(s.authenticate(&t).unwrap(), None);
    assert!(!s.token_active(tid).unwrap());
    // policies: the latest per member
    s.put_policy("EST", "v1", &est).unwrap();
    s.put_policy("EST", "v2", &est).unwrap();
    s.put_policy("LVA", "l1", &Principal::Admin).unwrap();
    let p = s.stored_policies().unwrap();
    assert_eq!(
        p.iter()
            .map(|(m, t, _)| (m.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
        vec![("EST", "v2"), ("LVA", "l1")]
    );
    // the audit log has every write, newest last
    let audit = s.audit(3).unwrap();
    assert_eq!(audit.len(), 3);
    assert_eq!(audit[2].2, "policy-update");
    assert_eq!(audit[2].3, "LVA");
    // ingest x2, collection, delete, token x2, policies x3
    assert_eq!(s.audit_len().unwrap(), 9);
    assert!(s.ping().is_ok());
}

/// Two handles on one database that can be used from two threads at once.
fn two_handles(b: &TestBackend) -> (Store, Store, Option<tempfile::TempDir>) {
    match b {
        TestBackend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let a = Store::open(&dir.path().join("c.db")).unwrap();
            let b = a.share().unwrap().unwrap();
            (a, b, Some(dir))
        }
        TestBackend::Postgres(_) => {
            let a = b.store();
            let s = a.share().unwrap().unwrap();
            (a, s, None)
        }
    }
}

fn pages_stay_consistent_while_others_write(b: &TestBackend) {
    let (reader, w1, _dir) = two_handles(b);
    let w2 = w1.share().unwrap().unwrap();
    const BUNDLES: usize = 60;
    const PER: usize = 5;
    let writer = |mut s: Store, base: usize| {
        std::thread::spawn(move || {
            for k in 0..BUNDLES {
                let objs: Vec<Value> = (0..PER)
                    .map(|i| indicator(base + k * PER + i, T1))
                    .collect();
                assert_eq!(s.ingest_values(&objs, "hub", "w").unwrap().stored, PER);
            }
        })
    };
    // (a writer that fails ends its thread; the reader then stops and the counts fail)
    let a = writer(w1, 0);
    let c = writer(w2, 100_000);
    // page while they write: small pages, continuing from the cursor each time
    let hub = Principal::Hub;
    let mut q = query(DEFAULT_COLLECTION, 7, None);
    let mut seen: Vec<String> = Vec::new();
    let mut finished = false;
    loop {
        let done = a.is_finished() && c.is_finished();
        let p = reader.page(&q, &hub).unwrap();
        let mut last = q.after_seq.unwrap_or(0);
        for o in p.objects {
            assert!(o.seq > last, "pages in sequence order");
            last = o.seq;
            seen.push(o.id);
        }
        q.after_seq = Some(last);
        if !p.more {
            if finished {
                break;
            }
            // one more pass after both writers finished, to read what they committed last
            finished = done;
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    a.join().unwrap();
    c.join().unwrap();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no object repeated across pages");
    assert_eq!(seen.len(), 2 * BUNDLES * PER, "no object skipped");
}

fn concurrent_writes_resolve_by_the_rules(b: &TestBackend) {
    let (s1, s2, _dir) = two_handles(b);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    // the same versions from two writers at once: one stores, the other finds duplicates
    let run = |mut s: Store, bar: std::sync::Arc<std::sync::Barrier>, name: &'static str| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            for k in 0..20 {
                let same: Vec<Value> = (0..10).map(|i| indicator(k * 10 + i, T1)).collect();
                // and a conflicting version of one object: same key, other content
                let mut mine = indicator(10_000 + k, T2);
                mine["name"] = json!(name);
                bar.wait();
                // no panic in here: the other thread would wait at the barrier forever
                let r1 = s.ingest_values(&same, "hub", name);
                let r2 = s.ingest_values(&[mine], "hub", name);
                out.push((r1, r2));
            }
            (s, out)
        })
    };
    let h1 = run(s1, barrier.clone(), "one");
    let h2 = run(s2, barrier, "two");
    let (s1, o1) = h1.join().unwrap();
    let (_, o2) = h2.join().unwrap();
    for ((a1, a2), (b1, b2)) in o1.into_iter().zip(o2) {
        let (a1, a2, b1, b2) = (a1.unwrap(), a2.unwrap(), b1.unwrap(), b2.unwrap());
        assert_eq!(a1.stored + b1.stored, 10, "{a1:?} {b1:?}");
        assert_eq!(a1.duplicates + b1.duplicates, 10);
        assert_eq!(
            a2.stored + b2.stored,
            1,
            "exactly one of two conflicting versions"
        );
        let lost = if a2.stored == 1 { &b2 } else { &a2 };
        assert!(
            lost.rejections[0].reason.contains("different content"),
            "the other is refused by the versioning rule: {:?}",
            lost.rejections
        );
    }
    assert_eq!(
        s1.reader(&Principal::Hub).count_by_type().unwrap()["indicator"],
        220
    );
}

/// A collection other than the default pages by when objects joined it: an object stored
/// long ago and added to the collection while a reader pages is seen by that reader, once,
/// with the time it joined as its `date_added`; first and last versions are the
/// collection's.
fn a_collection_pages_by_when_objects_joined_it(b: &TestBackend) {
    let mut s = b.store();
    let hub = Principal::Hub;
    let objs: Vec<Value> = (0..10).map(|n| indicator(n, T1)).collect();
    s.ingest_values(&objs, "hub", "feed").unwrap();
    s.ingest_values(&[indicator(3, T2)], "hub", "feed").unwrap();
    let id = |n: usize| format!("indicator--{n:08x}-2222-4333-8444-555555555555");
    let c = s.create_collection("feed", None, true, true).unwrap();
    s.add_to_collection(&c, &[(id(5), T1.into()), (id(6), T1.into())])
        .unwrap();
    // a reader takes the first page
    let mut q = query(&c, 1, None);
    let p1 = s.page(&q, &hub).unwrap();
    assert_eq!(p1.objects[0].id, id(5));
    q.after_seq = Some(p1.objects[0].seq);
    // meanwhile two objects stored before 5 and 6 join the collection, and 5 again
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.add_to_collection(
        &c,
        &[(id(1), T1.into()), (id(3), T1.into()), (id(5), T1.into())],
    )
    .unwrap();
    let rest = walk(&s, &q, &hub);
    assert_eq!(rest, vec![id(6), id(1), id(3)], "in the order they joined");
    // the whole collection, once each
    assert_eq!(
        walk(&s, &query(&c, 2, None), &hub),
        vec![id(5), id(6), id(1), id(3)]
    );
    // date_added is the time of joining: later for the late ones than their storing
    let all = s.page(&query(&c, 10, None), &hub).unwrap().objects;
    let stored_1 = s.reader(&hub).get(&id(1)).unwrap().unwrap().date_added;
    let joined_1 = &all.iter().find(|o| o.id == id(1)).unwrap().date_added;
    assert!(*joined_1 > stored_1, "{joined_1} after {stored_1}");
    // added_after counts in the collection's times
    let mut after = query(&c, 10, None);
    after.added_after = Some(all[1].date_added.clone());
    assert_eq!(walk(&s, &after, &hub), vec![id(1), id(3)]);
    // the collection holds only 3's first version: that is its last there, too
    let last = s.page(&query(&c, 10, None), &hub).unwrap().objects;
    let three = last.iter().find(|o| o.id == id(3)).unwrap();
    assert_eq!(three.modified.as_deref(), Some(T1));
    // while the default collection's last is the newest stored
    let mut d = query(DEFAULT_COLLECTION, 100, None);
    d.ids = vec![id(3)];
    assert_eq!(
        s.page(&d, &hub).unwrap().objects[0].modified.as_deref(),
        Some(T2)
    );
}

/// Paging a collection while another handle adds already stored objects to it: nothing
/// skipped, nothing repeated.
fn collection_pages_stay_consistent_while_others_add(b: &TestBackend) {
    let (mut reader, mut w, _dir) = two_handles(b);
    const N: usize = 300;
    let objs: Vec<Value> = (0..N).map(|n| indicator(n, T1)).collect();
    reader.ingest_values(&objs, "hub", "feed").unwrap();
    let c = reader.create_collection("late", None, true, true).unwrap();
    let c2 = c.clone();
    // joins in an order unrelated to storage order: from the newest stored down
    let adder = std::thread::spawn(move || {
        for k in (0..N / 10).rev() {
            let batch: Vec<(String, String)> = (k * 10..k * 10 + 10)
                .map(|n| {
                    (
                        format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
                        T1.to_string(),
                    )
                })
                .collect();
            w.add_to_collection(&c2, &batch).unwrap();
        }
    });
    let hub = Principal::Hub;
    let mut q = query(&c, 7, None);
    let mut seen: Vec<String> = Vec::new();
    let mut finished = false;
    loop {
        let done = adder.is_finished();
        let p = reader.page(&q, &hub).unwrap();
        for o in p.objects {
            assert!(
                o.seq > q.after_seq.unwrap_or(0),
                "pages in collection order"
            );
            q.after_seq = Some(o.seq);
            seen.push(o.id);
        }
        if !p.more {
            if finished {
                break;
            }
            finished = done;
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    adder.join().unwrap();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no object repeated across pages");
    assert_eq!(seen.len(), N, "no object skipped");
}

/// Web sessions and the sign-in limit are the database's: what one handle (server) opens,
/// revokes, closes or counts, another sees at once.
fn web_sessions_are_shared(b: &TestBackend) {
    use concord_store::sessions::SigninLimit;
    let (mut one, mut two, _dir) = two_handles(b);
    let est = Principal::Member("EST".into());
    let token = one.create_token(&est).unwrap();
    let (tid, _) = one.authenticate_with_id(&token).unwrap().unwrap();
    let now = 1_800_000_000;
    one.open_session("sid-a", tid, "csrf-a", now, now + 100)
        .unwrap();
    one.open_session("sid-b", tid, "csrf-b", now, now + 100)
        .unwrap();
    let s = two.web_session("sid-a", now + 1).unwrap().unwrap();
    assert_eq!(
        (s.principal, s.token, s.csrf.as_str()),
        (est.clone(), tid, "csrf-a")
    );
    assert!(two.web_session("sid-unknown", now).unwrap().is_none());
    // expired
    assert!(two.web_session("sid-a", now + 100).unwrap().is_none());
    // signed out on one server: gone on the other; the other session stays
    two.close_session("sid-a").unwrap();
    assert!(one.web_session("sid-a", now + 1).unwrap().is_none());
    assert!(one.web_session("sid-b", now + 1).unwrap().is_some());
    // the cookie value itself is not what the database holds
    assert!(two.web_session("csrf-b", now + 1).unwrap().is_none());
    // revoking the token ends its sessions everywhere
    assert!(two.revoke_token(tid).unwrap());
    assert!(one.web_session("sid-b", now + 1).unwrap().is_none());
    // expired sessions are removed when a new one opens
    let t2 = one.create_token(&est).unwrap();
    let (tid2, _) = one.authenticate_with_id(&t2).unwrap().unwrap();
    one.open_session("sid-c", tid2, "c", now + 200, now + 300)
        .unwrap();
    assert!(two.web_session("sid-c", now + 201).unwrap().is_some());

    // the sign-in limit counts the failures of both servers
    let limit = SigninLimit {
        per_client: 3,
        all_clients: 5,
        window_secs: 60,
    };
    for k in 0..3 {
        let s = if k % 2 == 0 { &mut one } else { &mut two };
        assert!(s.signin_allowed("10.0.0.1", now, limit).unwrap());
        s.signin_failed("10.0.0.1", now + k, limit).unwrap();
    }
    assert!(!one.signin_allowed("10.0.0.1", now + 5, limit).unwrap());
    assert!(!two.signin_allowed("10.0.0.1", now + 5, limit).unwrap());
    assert!(two.signin_allowed("10.0.0.2", now + 5, limit).unwrap());
    two.signin_failed("10.0.0.2", now + 5, limit).unwrap();
    one.signin_failed("10.0.0.3", now + 5, limit).unwrap();
    // five from all clients: nobody may try
    assert!(!one.signin_allowed("10.0.0.4", now + 6, limit).unwrap());
    // after the window, everyone may again
    assert!(two.signin_allowed("10.0.0.1", now + 66, limit).unwrap());
    assert!(two.signin_allowed("10.0.0.4", now + 66, limit).unwrap());
}

concord_store::both_backends!(
    the_whole_interface,
    pages_stay_consistent_while_others_write,
    concurrent_writes_resolve_by_the_rules,
    a_collection_pages_by_when_objects_joined_it,
    collection_pages_stay_consistent_while_others_add,
    web_sessions_are_shared
);

// ------------------------------------------------------------- PostgreSQL only

#[test]
fn postgres_migrations_run_once_when_servers_start_together() {
    let Some(pg) = PgSchema::create() else { return };
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = pg.url.clone();
            std::thread::spawn(move || Store::connect(&url).map(|s| s.describe()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let mut c = pg.client().unwrap();
    let v: i64 = c
        .query_one("SELECT version FROM concord_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(v, 10);
    let rows: i64 = c
        .query_one("SELECT COUNT(*) FROM concord_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
    let cols: i64 = c
        .query_one("SELECT COUNT(*) FROM collections", &[])
        .unwrap()
        .get(0);
    assert_eq!(cols, 1, "the default collection once");
}

#[test]
fn postgres_a_newer_schema_is_refused() {
    let Some(pg) = PgSchema::create() else { return };
    drop(pg.open().unwrap());
    pg.execute("UPDATE concord_schema SET version = 99")
        .unwrap();
    assert!(matches!(
        pg.open(),
        Err(StoreError::TooNew {
            found: 99,
            known: 10
        })
    ));
}

#[test]
fn postgres_a_writer_waits_for_another_then_gives_up_as_busy() {
    let Some(pg) = PgSchema::create() else { return };
    let mut s = pg.open().unwrap();
    let holder = pg.hold_write_lock().unwrap();
    s.set_lock_wait(std::time::Duration::from_secs(1)).unwrap();
    let t0 = std::time::Instant::now();
    let r = s.ingest_values(&[indicator(1, T1)], "hub", "t");
    assert!(
        matches!(r, Err(StoreError::Busy { waited_secs: 1 })),
        "{r:?}"
    );
    assert!(t0.elapsed() >= std::time::Duration::from_millis(900));
    // a longer wait outlasts the other writer
    s.set_lock_wait(std::time::Duration::from_secs(30)).unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        let mut holder = holder;
        holder.batch_execute("COMMIT").unwrap();
    });
    assert_eq!(
        s.ingest_values(&[indicator(1, T1)], "hub", "t")
            .unwrap()
            .stored,
        1
    );
    release.join().unwrap();
}

/// `sslmode=require` and up: the connection is TLS, and the server's certificate and name
/// are verified against `sslrootcert` (or the Mozilla roots). Uses the server's own
/// certificate as the root when the test server has TLS on (Debian's default: a
/// self-signed certificate for `localhost`); skips, saying so, otherwise.
#[test]
fn postgres_over_tls_verifies_the_server() {
    let Some(pg) = PgSchema::create() else { return };
    let mut admin = pg.client().unwrap();
    let on: String = admin.query_one("SHOW ssl", &[]).unwrap().get(0);
    let cert: String = admin.query_one("SHOW ssl_cert_file", &[]).unwrap().get(0);
    if on != "on" || std::fs::read(&cert).is_err() {
        eprintln!("skipping: the test server has no TLS certificate this test can read");
        return;
    }
    let app = format!("concord_tls_{}", uuid_like());
    let local = pg.url.replacen("127.0.0.1", "localhost", 1);
    let url = format!("{local}&sslmode=verify-full&sslrootcert={cert}&application_name={app}");
    let mut s = Store::connect(&url).unwrap();
    assert_eq!(
        s.ingest_values(&[indicator(1, T1)], "hub", "tls")
            .unwrap()
            .stored,
        1
    );
    let ssl: bool = admin
        .query_one(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
              WHERE a.application_name = $1",
            &[&app],
        )
        .unwrap()
        .get(0);
    assert!(ssl, "every connection of the pool is TLS");
    // without a root that signs the server's certificate: refused, saying why
    let e = Store::connect(&format!("{local}&sslmode=require")).unwrap_err();
    assert!(matches!(e, StoreError::Unavailable(_)), "{e}");
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
    // the name is verified too: the certificate is for localhost, not 127.0.0.1
    let by_ip = format!("{}&sslmode=require&sslrootcert={cert}", pg.url);
    let e = Store::connect(&by_ip).unwrap_err();
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
    // an unknown mode is a clear error
    let e = Store::connect(&format!("{local}&sslmode=sometimes")).unwrap_err();
    assert!(e.to_string().contains("verify-full"), "{e}");
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

#[test]
fn postgres_down_at_start_is_unavailable() {
    let t0 = std::time::Instant::now();
    let r = Store::connect("postgres://postgres:pw@127.0.0.1:1/test");
    match r {
        Err(StoreError::Unavailable(m)) => {
            assert!(m.contains("127.0.0.1:1"), "{m}");
            assert!(!m.contains("pw"), "no password in messages: {m}");
        }
        other => panic!("{other:?}"),
    }
    assert!(t0.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn postgres_a_lost_database_fails_calls_then_recovers_and_bundles_stay_whole() {
    let Some(pg) = PgSchema::create() else { return };
    drop(pg.open().unwrap());
    let proxy = Proxy::start("127.0.0.1:5432").unwrap();
    let mut s = Store::connect(&pg.url_via(&proxy)).unwrap();
    assert_eq!(
        s.ingest_values(&[indicator(1, T1)], "hub", "t")
            .unwrap()
            .stored,
        1
    );
    proxy.cut();
    let lost = s.ingest_values(&[indicator(2, T1)], "hub", "t");
    assert!(matches!(lost, Err(StoreError::Unavailable(_))), "{lost:?}");
    assert!(matches!(
        s.reader(&Principal::Hub).get("x"),
        Err(StoreError::Unavailable(_))
    ));
    proxy.restore();
    assert_eq!(
        s.ingest_values(&[indicator(2, T1)], "hub", "t")
            .unwrap()
            .stored,
        1
    );
    // a bundle in flight when the connection goes is stored whole or not at all
    let big: Vec<Value> = (100..6100).map(|n| indicator(n, T1)).collect();
    let writer = {
        let mut s = s.share().unwrap().unwrap();
        std::thread::spawn(move || s.ingest_values(&big, "hub", "big"))
    };
    std::thread::sleep(std::time::Duration::from_millis(150));
    proxy.cut();
    let r = writer.join().unwrap();
    proxy.restore();
    let direct = pg.open().unwrap();
    let n = direct.reader(&Principal::Hub).count_by_type().unwrap()["indicator"];
    match r {
        Ok(sum) => {
            assert_eq!(sum.stored, 6000);
            assert_eq!(n, 6002);
        }
        Err(e) => {
            assert!(matches!(e, StoreError::Unavailable(_)), "{e}");
            assert_eq!(n, 2, "nothing of the interrupted bundle");
        }
    }
}

#[test]
fn postgres_handles_share_one_database() {
    let Some(pg) = PgSchema::create() else { return };
    let mut a = pg.open().unwrap();
    let b = Store::connect(&pg.url).unwrap();
    assert_eq!(a.backend_name(), "postgres");
    assert!(a.describe().starts_with("postgres://"));
    a.ingest_values(&[indicator(7, T1)], "hub", "t").unwrap();
    assert!(b
        .reader(&Principal::Hub)
        .get("indicator--00000007-2222-4333-8444-555555555555")
        .unwrap()
        .is_some());
}

fn servers_share_their_keys(b: &TestBackend) {
    let (s1, s2, _dir) = two_handles(b);
    let k = s1.shared_key("taxii-cursor").unwrap();
    assert_eq!(s2.shared_key("taxii-cursor").unwrap(), k);
    assert_ne!(s1.shared_key("other").unwrap(), k);
}

concord_store::both_backends!(servers_share_their_keys);

/// A store with something in every table.
fn filled(s: &mut Store) {
    let objs: Vec<Value> = (0..300).map(|n| indicator(n, T1)).collect();
    s.ingest_values(&objs, "EST", "feed").unwrap();
    let mut v2 = indicator(3, T2);
    v2["object_marking_refs"] = json!(["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]);
    s.ingest_values(&[v2, rel(1, "indicates")], "EST", "feed")
        .unwrap();
    let c = s.create_collection("copied", None, true, true).unwrap();
    s.add_to_collection(
        &c,
        &[(
            "indicator--00000003-2222-4333-8444-555555555555".into(),
            T2.into(),
        )],
    )
    .unwrap();
    s.create_token(&Principal::Hub).unwrap();
    s.put_policy("EST", "text", &Principal::Member("EST".into()))
        .unwrap();
    s.put_status("st", &Principal::Hub, "{}").unwrap();
    s.shared_key("taxii-cursor").unwrap();
}

fn a_copy_holds_the_same_objects_and_goes_on(b: &TestBackend) {
    // from an SQLite file into this backend
    let dir = tempfile::tempdir().unwrap();
    let mut src = Store::open(&dir.path().join("src.db")).unwrap();
    filled(&mut src);
    let mut dst = b.store();
    let copied = src.copy_to(&mut dst, &mut |_, _| {}).unwrap();
    assert_eq!(copied["objects"], 302);
    assert_eq!(src.digest().unwrap(), dst.digest().unwrap());
    let mut want = src.table_counts().unwrap();
    *want.get_mut("audit_log").unwrap() += 1; // the copy itself
    assert_eq!(dst.table_counts().unwrap(), want);
    // the same pages, the same cursors, the same tokens
    let est = Principal::Member("EST".into());
    let q = query(DEFAULT_COLLECTION, 50, None);
    assert_eq!(walk(&src, &q, &est), walk(&dst, &q, &est));
    let a = src.page(&q, &est).unwrap();
    let b2 = dst.page(&q, &est).unwrap();
    assert_eq!(
        a.objects.iter().map(|o| o.seq).collect::<Vec<_>>(),
        b2.objects.iter().map(|o| o.seq).collect::<Vec<_>>()
    );
    assert_eq!(
        src.shared_key("taxii-cursor").unwrap(),
        dst.shared_key("taxii-cursor").unwrap()
    );
    let c = &dst.collections().unwrap()[1];
    assert_eq!(
        walk(&dst, &query(&c.id, 10, None), &est).len(),
        1,
        "collection membership copied"
    );
    // writes go on after the copied sequence numbers
    let last = dst
        .reader(&est)
        .get("indicator--00000003-2222-4333-8444-555555555555")
        .unwrap()
        .unwrap()
        .seq;
    dst.ingest_values(&[indicator(5_000, T1)], "hub", "after")
        .unwrap();
    let new = dst
        .reader(&Principal::Hub)
        .get("indicator--00001388-2222-4333-8444-555555555555")
        .unwrap()
        .unwrap();
    assert!(new.seq > last);
    assert_ne!(src.digest().unwrap(), dst.digest().unwrap());
    // a target that is not empty is refused, and left as it was
    let before = dst.table_counts().unwrap();
    let e = src.copy_to(&mut dst, &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("not empty"), "{e}");
    assert_eq!(dst.table_counts().unwrap(), before);
}

concord_store::both_backends!(a_copy_holds_the_same_objects_and_goes_on);
