//! Issue 12 over HTTP: identity takeover and version hijack refused, refusals that reveal
//! nothing, versions consistent with objects, opaque cursors, strict JSON and media types,
//! request budgets, revocation ending web sessions, CSRF, security headers, a limit on
//! sign-in attempts, early 413, slow clients timed out, writers that wait, hub deletion,
//! no Host echo.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use concord_policy::Alliance;
use concord_server::{app, AppState, Shared};
use concord_store::access::Principal;
use concord_store::taxii::DEFAULT_COLLECTION;
use concord_store::Store;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const TAXII: &str = "application/taxii+json;version=2.1";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const EST_ID: &str = "identity--00000001-f010-4473-83ec-1edf84858f4c";

struct Fx {
    st: Shared,
    est: String,
    lva: String,
    fra: String,
    hub: String,
}

fn texts() -> Vec<(String, String)> {
    concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect()
}

fn fixture_with(store: Store, tweak: impl FnOnce(&mut AppState)) -> Fx {
    let mut store = store;
    let est = store
        .create_token(&Principal::Member("EST".into()))
        .unwrap();
    let lva = store
        .create_token(&Principal::Member("LVA".into()))
        .unwrap();
    let fra = store
        .create_token(&Principal::Member("FRA".into()))
        .unwrap();
    let hub = store.create_token(&Principal::Hub).unwrap();
    let mut st = AppState::new(store, Alliance::nato(), texts(), false).unwrap();
    tweak(&mut st);
    Fx {
        st: Arc::new(st),
        est,
        lva,
        fra,
        hub,
    }
}

fn fixture() -> Fx {
    fixture_with(Store::open_in_memory().unwrap(), |_| {})
}

async fn call(st: &Shared, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let r = app(st.clone()).oneshot(req).await.unwrap();
    let (s, h) = (r.status(), r.headers().clone());
    let b = r.into_body().collect().await.unwrap().to_bytes();
    (s, h, String::from_utf8_lossy(&b).into_owned())
}

fn get(uri: &str, tok: &str) -> Request<Body> {
    Request::get(uri)
        .header("Accept", TAXII)
        .header("Authorization", format!("Bearer {tok}"))
        .body(Body::empty())
        .unwrap()
}

fn post_body(uri: &str, tok: &str, ct: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header("Accept", TAXII)
        .header("Content-Type", ct)
        .header("Authorization", format!("Bearer {tok}"))
        .body(Body::from(body))
        .unwrap()
}

fn objects() -> String {
    format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/objects/")
}

async fn post_objects(st: &Shared, tok: &str, objs: Vec<Value>) -> Value {
    let (s, _, b) = call(
        st,
        post_body(&objects(), tok, TAXII, json!({"objects": objs}).to_string()),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    serde_json::from_str(&b).unwrap()
}

fn identity(member: &str, modified: &str) -> Value {
    json!({"type": "identity", "spec_version": "2.1", "id": EST_ID, "created": "2026-01-01T00:00:00.000Z",
        "modified": modified, "name": "EST CERT", "identity_class": "organization",
        "extensions": {EXT: {"extension_type": "property-extension", "member": member}}})
}

fn indicator(n: u32, cbr: Option<&str>, modified: &str, marking: Option<&str>) -> Value {
    let mut v = json!({"type": "indicator", "spec_version": "2.1", "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "created": "2026-03-02T00:00:00.000Z", "modified": modified, "name": format!("ind {n}"),
        "pattern": "[ipv4-addr:value = '198.51.100.8']", "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
    if let Some(c) = cbr {
        v["created_by_ref"] = json!(c);
    }
    if let Some(m) = marking {
        v["object_marking_refs"] = json!([m]);
    }
    v
}

const T1: &str = "2026-03-02T00:00:00.000Z";
const T2: &str = "2026-04-02T00:00:00.000Z";

#[tokio::test]
async fn identity_takeover_and_version_hijack_are_refused_over_taxii() {
    let fx = fixture();
    let s = post_objects(
        &fx.st,
        &fx.est,
        vec![identity("EST", T1), indicator(1, Some(EST_ID), T1, None)],
    )
    .await;
    assert_eq!(s["success_count"], 2, "{s}");
    // LVA takes over EST's identity, then speaks through it (separately and in one bundle)
    let s = post_objects(&fx.st, &fx.lva, vec![identity("LVA", T2)]).await;
    assert_eq!(s["success_count"], 0, "{s}");
    let s = post_objects(
        &fx.st,
        &fx.lva,
        vec![identity("LVA", T2), indicator(2, Some(EST_ID), T1, None)],
    )
    .await;
    assert_eq!(s["success_count"], 0, "{s}");
    // EST is still itself
    let s = post_objects(&fx.st, &fx.est, vec![indicator(3, Some(EST_ID), T1, None)]).await;
    assert_eq!(s["success_count"], 1, "{s}");
    // LVA versions or re-marks EST's indicator: refused, EST still reads its own
    let mut plain = indicator(4, None, T1, None);
    let s = post_objects(&fx.st, &fx.est, vec![plain.clone()]).await;
    assert_eq!(s["success_count"], 1, "{s}");
    plain["modified"] = json!(T2);
    plain["object_marking_refs"] = json!([RED]);
    let s = post_objects(&fx.st, &fx.lva, vec![plain]).await;
    assert_eq!(s["success_count"], 0, "{s}");
    let (st, _, _) = call(
        &fx.st,
        get(
            &format!(
                "{}indicator--00000004-2222-4333-8444-555555555555/",
                objects()
            ),
            &fx.est,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
}

#[tokio::test]
async fn a_colliding_post_reveals_nothing_of_a_hidden_object() {
    let fx = fixture();
    let red = indicator(1, None, T1, Some(RED));
    assert_eq!(
        post_objects(&fx.st, &fx.est, vec![red.clone()]).await["success_count"],
        1
    );
    let mut guesses = Vec::new();
    for o in [
        red.clone(),
        indicator(1, None, T1, None),
        indicator(1, None, T2, None),
    ] {
        let s = post_objects(&fx.st, &fx.lva, vec![o]).await;
        assert_eq!(
            s["success_count"], 0,
            "an identical re-post confirms a guess: {s}"
        );
        let msg = s["failures"][0]["message"].as_str().unwrap().to_string();
        for leak in ["2026-03-02", "EST", "created", "modified", "red"] {
            assert!(!msg.contains(leak), "'{leak}' in {msg}");
        }
        guesses.push(msg);
    }
    assert!(guesses.windows(2).all(|w| w[0] == w[1]), "{guesses:?}");
}

#[tokio::test]
async fn versions_follow_the_latest_versions_marking() {
    let fx = fixture();
    let id = "indicator--00000001-2222-4333-8444-555555555555";
    assert_eq!(
        post_objects(&fx.st, &fx.est, vec![indicator(1, None, T1, None)]).await["success_count"],
        1
    );
    assert_eq!(
        post_objects(&fx.st, &fx.est, vec![indicator(1, None, T2, Some(RED))]).await
            ["success_count"],
        1
    );
    let hidden = [
        format!("{}{id}/", objects()),
        format!("{}{id}/versions/", objects()),
        format!("{}{id}/?match[version]=first", objects()),
        format!("{}{id}/?match[version]=all", objects()),
    ];
    for uri in &hidden {
        let (st, _, b) = call(&fx.st, get(uri, &fx.lva)).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{uri}: {b}");
        let (st, _, _) = call(&fx.st, get(uri, &fx.est)).await;
        assert_eq!(st, StatusCode::OK, "{uri}");
    }
    for uri in [
        format!("{}?match[version]=all", objects()),
        format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/manifest/?match[version]=all"),
    ] {
        let (_, _, b) = call(&fx.st, get(&uri, &fx.lva)).await;
        assert!(!b.contains(id), "{uri}: {b}");
    }
    let (_, _, b) = call(
        &fx.st,
        get(&format!("{}{id}/versions/", objects()), &fx.est),
    )
    .await;
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_next_cursor_is_opaque() {
    let fx = fixture();
    let objs: Vec<Value> = (1..=3).map(|n| indicator(n, None, T1, None)).collect();
    post_objects(&fx.st, &fx.est, objs).await;
    let (_, _, b) = call(&fx.st, get(&format!("{}?limit=1", objects()), &fx.lva)).await;
    let page: Value = serde_json::from_str(&b).unwrap();
    let next = page["next"].as_str().unwrap().to_string();
    assert!(next.parse::<i64>().is_err(), "next is a row number: {next}");
    let (st, _, b) = call(
        &fx.st,
        get(&format!("{}?limit=1&next={next}", objects()), &fx.lva),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let second: Value = serde_json::from_str(&b).unwrap();
    assert_ne!(second["objects"][0]["id"], page["objects"][0]["id"]);
    // a forged row number is refused
    let (st, _, _) = call(
        &fx.st,
        get(&format!("{}?limit=1&next=2", objects()), &fx.lva),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn strict_json_media_types_and_budgets() {
    let fx = fixture();
    // a duplicate key: the red marking would silently become clear
    let dup = r#"{"objects": [{"type": "indicator", "spec_version": "2.1", "id": "indicator--00000009-2222-4333-8444-555555555555",
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z", "pattern": "[ipv4-addr:value = '198.51.100.8']",
        "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z", "object_marking_refs": ["RED"], "object_marking_refs": ["CLEAR"]}]}"#
        .replace("RED", RED)
        .replace("CLEAR", CLEAR);
    let (st, _, b) = call(&fx.st, post_body(&objects(), &fx.est, TAXII, dup)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(b.contains("duplicate key"), "{b}");
    // unsupported versions of the media type
    let (st, _, _) = call(
        &fx.st,
        post_body(
            &objects(),
            &fx.est,
            "application/taxii+json;version=9.9",
            json!({"objects": []}).to_string(),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let req = Request::get(objects())
        .header("Accept", "application/taxii+json;version=9.9")
        .header("Authorization", format!("Bearer {}", fx.est))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&fx.st, req).await.0, StatusCode::NOT_ACCEPTABLE);
    // filter budgets: too many values, too long a query
    let ids: Vec<String> = (0..1_200)
        .map(|n| format!("indicator--{n:08x}-2222-4333-8444-555555555555"))
        .collect();
    let (st, _, b) = call(
        &fx.st,
        get(
            &format!("{}?match[id]={}", objects(), ids.join(",")),
            &fx.est,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, _, _) = call(
        &fx.st,
        get(
            &format!("{}?{}", objects(), "match[type]=x&".repeat(500)),
            &fx.est,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    // a policy text over its budget
    let req = Request::put("/api/v1/policies/EST")
        .header("Authorization", format!("Bearer {}", fx.est))
        .body(Body::from(format!(
            "member = \"EST\"\n#{}",
            "x".repeat(300 * 1024)
        )))
        .unwrap();
    assert_eq!(call(&fx.st, req).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // deep nesting is a clean 400
    let deep = format!("{{\"objects\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
    let (st, _, _) = call(&fx.st, post_body(&objects(), &fx.est, TAXII, deep)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn discovery_does_not_echo_the_host_header_and_the_hub_deletes() {
    let fx = fixture();
    let req = Request::get("/taxii2/")
        .header("Host", "evil.example")
        .header("Authorization", format!("Bearer {}", fx.est))
        .body(Body::empty())
        .unwrap();
    let (st, _, b) = call(&fx.st, req).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!b.contains("evil.example"), "{b}");
    post_objects(&fx.st, &fx.est, vec![indicator(1, None, T1, None)]).await;
    let uri = format!(
        "{}indicator--00000001-2222-4333-8444-555555555555/",
        objects()
    );
    let del = |tok: &str| {
        Request::delete(&uri)
            .header("Accept", TAXII)
            .header("Authorization", format!("Bearer {tok}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(&fx.st, del(&fx.lva)).await.0, StatusCode::FORBIDDEN);
    let (st, _, b) = call(&fx.st, del(&fx.hub)).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(
        call(&fx.st, get(&uri, &fx.est)).await.0,
        StatusCode::NOT_FOUND
    );
}

/// Sign in through the form; the session cookie.
async fn sign_in(st: &Shared, token: &str) -> String {
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap();
    let (s, h, b) = call(st, req).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    h.get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The CSRF token of a page's forms.
fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..].split('"').next().unwrap().to_string()
}

fn form(uri: &str, cookie: &str, body: String) -> axum::http::request::Builder {
    let _ = body;
    Request::post(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", cookie)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn revoking_a_token_ends_its_web_sessions() {
    let fx = fixture();
    let cookie = sign_in(&fx.st, &fx.fra).await;
    let (s, _, _) = call(
        &fx.st,
        Request::get("/policies")
            .header("Cookie", &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    {
        let mut store = fx.st.store.lock().unwrap();
        let id = store
            .tokens()
            .unwrap()
            .into_iter()
            .find(|t| t.principal == "FRA")
            .unwrap()
            .id;
        assert!(store.revoke_token(id).unwrap());
    }
    let (s, h, _) = call(
        &fx.st,
        Request::get("/policies")
            .header("Cookie", &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h.get("location").unwrap(), "/login");
    let text = texts()
        .into_iter()
        .find(|(n, _)| n == "FRA.toml")
        .unwrap()
        .1;
    let req = form("/policies/FRA", &cookie, String::new())
        .body(Body::from(format!("text={}", enc(&text))))
        .unwrap();
    let (s, _, _) = call(&fx.st, req).await;
    assert_ne!(s, StatusCode::OK, "a revoked session still edits");
}

#[tokio::test]
async fn web_forms_need_a_csrf_token_and_a_same_origin() {
    let fx = fixture();
    let cookie = sign_in(&fx.st, &fx.fra).await;
    let (_, _, page) = call(
        &fx.st,
        Request::get("/policies")
            .header("Cookie", &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = csrf_of(&page);
    let text = texts()
        .into_iter()
        .find(|(n, _)| n == "FRA.toml")
        .unwrap()
        .1;
    let body = |csrf: &str| format!("csrf={csrf}&text={}", enc(&text));
    // no token, a wrong one, a foreign origin: refused
    let (s, _, _) = call(
        &fx.st,
        form("/policies/FRA", &cookie, String::new())
            .body(Body::from(format!("text={}", enc(&text))))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = call(
        &fx.st,
        form("/policies/FRA", &cookie, String::new())
            .body(Body::from(body("nope")))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let req = form("/policies/FRA", &cookie, String::new())
        .header("Origin", "http://evil.example")
        .body(Body::from(body(&csrf)))
        .unwrap();
    assert_eq!(call(&fx.st, req).await.0, StatusCode::FORBIDDEN);
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "http://evil.example")
        .body(Body::from(format!("token={}", fx.fra)))
        .unwrap();
    assert_eq!(call(&fx.st, req).await.0, StatusCode::FORBIDDEN);
    // the page's own token: saved
    let (s, _, b) = call(
        &fx.st,
        form("/policies/FRA", &cookie, String::new())
            .body(Body::from(body(&csrf)))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn pages_carry_security_headers_and_tls_cookies_are_secure() {
    let fx = fixture_with(Store::open_in_memory().unwrap(), |s| s.tls = true);
    let (_, h, _) = call(&fx.st, Request::get("/login").body(Body::empty()).unwrap()).await;
    let csp = h
        .get("content-security-policy")
        .expect("CSP")
        .to_str()
        .unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'unsafe-inline'"), "{csp}");
    assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h.get("strict-transport-security").is_some());
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={}", fx.fra)))
        .unwrap();
    let (_, h, _) = call(&fx.st, req).await;
    let c = h.get("set-cookie").unwrap().to_str().unwrap();
    assert!(c.contains("Secure") && c.contains("HttpOnly"), "{c}");
    // without TLS no HSTS (it would pin a plain-HTTP host)
    let fx = fixture();
    let (_, h, _) = call(&fx.st, Request::get("/login").body(Body::empty()).unwrap()).await;
    assert!(h.get("strict-transport-security").is_none());
    assert!(h.get("content-security-policy").is_some());
}

#[tokio::test]
async fn sign_in_attempts_are_limited() {
    let fx = fixture();
    let attempt = |tok: String| {
        Request::post("/login")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("token={tok}")))
            .unwrap()
    };
    let mut statuses = Vec::new();
    for n in 0..12 {
        statuses.push(call(&fx.st, attempt(format!("concord_guess{n}"))).await.0);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // while limited, even a good token waits
    assert_eq!(
        call(&fx.st, attempt(fx.fra.clone())).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// A request body that never arrives.
struct Never;

impl http_body::Body for Never {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn a_huge_claimed_length_is_refused_at_once() {
    let fx = fixture();
    let req = Request::post(objects())
        .header("Accept", TAXII)
        .header("Content-Type", TAXII)
        .header("Content-Length", "600000000")
        .header("Authorization", format!("Bearer {}", fx.est))
        .body(Body::new(Never))
        .unwrap();
    let r = tokio::time::timeout(Duration::from_secs(5), app(fx.st.clone()).oneshot(req))
        .await
        .expect("answered at once")
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_slow_client_is_timed_out() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let fx = fixture_with(Store::open_in_memory().unwrap(), |s| {
        s.limits.header_read = Duration::from_secs(1);
        s.limits.body_idle = Duration::from_secs(1);
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(concord_server::serve_on(
        fx.st.clone(),
        listener.into_std().unwrap(),
    ));
    // headers that never end
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(b"GET /taxii2/ HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let r = tokio::time::timeout(Duration::from_secs(8), c.read_to_end(&mut buf)).await;
    assert!(r.is_ok(), "the connection was held open");
    // a body that stops arriving
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: {TAXII}\r\nContent-Length: 1000\r\n\r\n{{\"obj", objects(), fx.est);
    c.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let r = tokio::time::timeout(Duration::from_secs(8), c.read_to_end(&mut buf)).await;
    assert!(r.is_ok(), "the connection was held open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_waits_for_another_writer_or_says_busy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let fx = fixture_with(Store::open(&db).unwrap(), |_| {});
    let hold = |secs: u64| {
        let db = db.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let h = std::thread::spawn(move || {
            let c = rusqlite::Connection::open(&db).unwrap();
            c.execute_batch("BEGIN IMMEDIATE; INSERT INTO audit_log (at, principal, action, detail) VALUES ('x', 'hub', 'hold', '');").unwrap();
            tx.send(()).unwrap();
            std::thread::sleep(Duration::from_secs(secs));
            c.execute_batch("COMMIT").unwrap();
        });
        rx.recv().unwrap();
        h
    };
    // longer than the old 10 s: the POST waits and succeeds
    let h = hold(12);
    let s = post_objects(&fx.st, &fx.est, vec![indicator(1, None, T1, None)]).await;
    h.join().unwrap();
    assert_eq!(s["success_count"], 1, "{s}");
    // beyond the server's wait: 503 with Retry-After, never a 500
    fx.st
        .store
        .lock()
        .unwrap()
        .set_lock_wait(Duration::from_millis(300))
        .unwrap();
    let h = hold(2);
    let (st, hd, b) = call(
        &fx.st,
        post_body(
            &objects(),
            &fx.est,
            TAXII,
            json!({"objects": [indicator(2, None, T1, None)]}).to_string(),
        ),
    )
    .await;
    h.join().unwrap();
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{b}");
    assert!(hd.get("retry-after").is_some());
}
