//! Several servers on one PostgreSQL database (issue 20): what one writes the others read
//! at once, TAXII cursors made by one continue on another, and a lost database answers
//! 503 and recovers. Each test skips, saying so, without a PostgreSQL server
//! (`CONCORD_TEST_PG`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use concord_policy::Alliance;
use concord_server::{app, AppState, Shared};
use concord_store::access::Principal;
use concord_store::taxii::DEFAULT_COLLECTION;
use concord_store::testing::{PgSchema, Proxy};
use concord_store::Store;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const TAXII: &str = "application/taxii+json;version=2.1";

/// A server as `concord serve --db URL` builds it: its own pool, readers sharing it, the
/// cursor key of the database.
fn server(url: &str) -> Shared {
    let store = Store::connect(url).unwrap();
    let texts = concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    let key = store.shared_key("taxii-cursor").unwrap();
    let readers = (0..2)
        .map(|_| std::sync::Mutex::new(store.share().unwrap().unwrap()))
        .collect();
    let mut state = AppState::new(store, Alliance::nato(), texts, false).unwrap();
    state.cursor_key = key;
    state.readers = readers;
    Arc::new(state)
}

async fn call(state: &Shared, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let r = app(state.clone()).oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    (
        status,
        headers,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header("Accept", TAXII)
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

fn post(uri: &str, token: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header("Accept", TAXII)
        .header("Content-Type", TAXII)
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}

fn objects_uri() -> String {
    format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/objects/")
}

fn indicator(n: usize) -> Value {
    json!({"type": "indicator", "spec_version": "2.1", "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
        "pattern": format!("[ipv4-addr:value = '198.51.100.{}']", n % 250), "pattern_type": "stix",
        "valid_from": "2026-03-02T00:00:00Z"})
}

/// Run async test code on a runtime; the stores (synchronous PostgreSQL clients) are made
/// and dropped outside it, as `concord serve` does.
fn run<F: std::future::Future<Output = ()>>(f: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f);
}

#[test]
fn two_servers_on_one_database_read_each_others_writes_and_cursors() {
    let Some(pg) = PgSchema::create() else { return };
    let a = server(&pg.url);
    let b = server(&pg.url);
    // a token made through one server works on the other
    let est = {
        let mut s = a.store.lock().unwrap();
        s.create_token(&Principal::Member("EST".into())).unwrap()
    };
    run(two_servers(&a, &b, &est));
}

async fn two_servers(a: &Shared, b: &Shared, est: &str) {
    let (a, b, est) = (a.clone(), b.clone(), est.to_string());
    // EST writes through A; B reads it at once
    let objs: Vec<Value> = (0..25).map(indicator).collect();
    let env = json!({"objects": objs}).to_string();
    let (st, _, status) = call(&a, post(&objects_uri(), &est, env)).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{status}");
    assert_eq!(status["success_count"], 25);
    let (st, _, one) = call(
        &b,
        get(
            &format!(
                "{}indicator--00000007-2222-4333-8444-555555555555/",
                objects_uri()
            ),
            &est,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        one["objects"][0]["id"],
        "indicator--00000007-2222-4333-8444-555555555555"
    );
    // a page from A, the next page from B with A's cursor, and so on: every object once
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    for turn in 0.. {
        let srv = if turn % 2 == 0 { &a } else { &b };
        let uri = match &next {
            None => format!("{}?limit=10", objects_uri()),
            Some(c) => format!("{}?limit=10&next={c}", objects_uri()),
        };
        let (st, _, page) = call(srv, get(&uri, &est)).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        for o in page["objects"].as_array().unwrap() {
            seen.push(o["id"].as_str().unwrap().to_string());
        }
        // B writes between pages: later objects appear on later pages, none twice
        if turn == 0 {
            let env = json!({"objects": [indicator(100)]}).to_string();
            let (st, _, _) = call(&b, post(&objects_uri(), &est, env)).await;
            assert_eq!(st, StatusCode::ACCEPTED);
        }
        if page["more"] != json!(true) {
            break;
        }
        next = Some(page["next"].as_str().unwrap().to_string());
    }
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no object twice: {seen:?}");
    assert_eq!(
        seen.len(),
        26,
        "every object, the one written meanwhile included"
    );
}

#[test]
fn a_lost_database_answers_503_and_recovers() {
    let Some(pg) = PgSchema::create() else { return };
    let hub = {
        let mut s = pg.open().unwrap();
        s.create_token(&Principal::Member("EST".into())).unwrap()
    };
    let proxy = Proxy::start("127.0.0.1:5432").unwrap();
    let srv = server(&pg.url_via(&proxy));
    run(lost(&srv, &proxy, &hub));
}

async fn lost(srv: &Shared, proxy: &Proxy, hub: &str) {
    let (srv, hub) = (srv.clone(), hub.to_string());
    let (st, _, _) = call(&srv, get(&objects_uri(), &hub)).await;
    assert_eq!(st, StatusCode::OK);
    proxy.cut();
    let (st, headers, body) = call(&srv, get(&objects_uri(), &hub)).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(body["title"], "Database unavailable");
    let env = json!({"objects": [indicator(1)]}).to_string();
    let (st, _, _) = call(&srv, post(&objects_uri(), &hub, env.clone())).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE);
    proxy.restore();
    let (st, _, _) = call(&srv, post(&objects_uri(), &hub, env)).await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let (st, _, page) = call(&srv, get(&objects_uri(), &hub)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(page["objects"].as_array().unwrap().len(), 1);
}

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";

/// A position saved through one server decides on the other from its next request on, and
/// a browser signed in through one server is signed in (and out) on both; the sign-in limit
/// counts both servers' failures.
#[test]
fn two_servers_share_positions_and_web_sessions() {
    let Some(pg) = PgSchema::create() else { return };
    let a = server(&pg.url);
    let b = server(&pg.url);
    let (est, hub) = {
        let mut s = a.store.lock().unwrap();
        let incident = json!({"type": "incident", "spec_version": "2.1",
            "id": "incident--0000000a-95f3-4c04-a882-116832996da0",
            "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": "grid",
            "extensions": {EXT: {"extension_type": "property-extension", "victims": ["EST"],
                "sectors": ["energy"], "effects": "disruption"}}});
        let sum = s.ingest_values(&[incident], "EST", "test").unwrap();
        assert_eq!(sum.stored, 1, "{:?}", sum.rejections);
        (
            s.create_token(&Principal::Member("EST".into())).unwrap(),
            s.create_token(&Principal::Hub).unwrap(),
        )
    };
    run(share_positions_and_sessions(&a, &b, &est, &hub));
}

fn stance_on(decision: &Value, rung: &str, kind: &str) -> Vec<String> {
    decision["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == rung)
        .unwrap()[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

async fn share_positions_and_sessions(a: &Shared, b: &Shared, est: &str, hub: &str) {
    let (a, b) = (a.clone(), b.clone());
    let decision = "/api/v1/decisions/incident--0000000a-95f3-4c04-a882-116832996da0";
    let (st, _, before) = call(&b, get(decision, hub)).await;
    assert_eq!(st, StatusCode::OK, "{before}");
    assert!(!stance_on(&before, "solidarity", "block").contains(&"EST".to_string()));
    // EST saves a position through A that objects to every statement of solidarity
    let text = "member = \"EST\"\nsource = \"test\"\n[stance.solidarity]\nblock = \"true\"\n";
    let put = Request::put("/api/v1/policies/EST")
        .header("Authorization", format!("Bearer {est}"))
        .body(Body::from(text))
        .unwrap();
    let (st, _, body) = call(&a, put).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    // B reads it and decides with it at once
    let (_, _, p) = call(&b, get("/api/v1/policies/EST", hub)).await;
    assert_eq!(p["text"], text);
    let (_, _, after) = call(&b, get(decision, hub)).await;
    assert!(
        stance_on(&after, "solidarity", "block").contains(&"EST".to_string()),
        "{after}"
    );

    // a browser signs in through A; B knows the session; signing out on B ends it on A
    let login = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={hub}")))
        .unwrap();
    let r = app(a.clone()).oneshot(login).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = |srv: &Shared| {
        app(srv.clone()).oneshot(
            Request::get("/policies")
                .header("Cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
    };
    assert_eq!(page(&b).await.unwrap().status(), StatusCode::OK);
    let out = Request::get("/logout")
        .header("Cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let r = app(b.clone()).oneshot(out).await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(page(&a).await.unwrap().status(), StatusCode::SEE_OTHER);

    // failed sign-ins through both servers count together
    let bad = || {
        Request::post("/login")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(Body::from("token=wrong"))
            .unwrap()
    };
    for k in 0..crate_max_failures() {
        let srv = if k % 2 == 0 { &a } else { &b };
        let r = app(srv.clone()).oneshot(bad()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    for srv in [&a, &b] {
        let r = app(srv.clone()).oneshot(bad()).await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

fn crate_max_failures() -> u32 {
    concord_server::session::MAX_FAILURES
}
