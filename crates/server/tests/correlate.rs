//! Correlation over HTTP (`POST /api/v1/correlate`) and from the dashboard: computed from
//! what the caller may read, stored as concord's own objects scoped to those who may read
//! every input, so a campaign derived from an incident a principal may not read never
//! reaches it (not in lists, pages, assessments or TAXII).

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
use tower::ServiceExt;

const EXT: &str = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41";
const TAXII: &str = "application/taxii+json;version=2.1";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const RED_INCIDENT: &str = "incident--00000001-95f3-4c04-a882-116832996da0";
const GREEN_INCIDENT: &str = "incident--00000002-95f3-4c04-a882-116832996da0";
const IP: &str = "ipv4-addr--00000001-6336-5bc5-b98d-13d6226742dd";

struct Fx {
    st: Shared,
    tokens: Vec<(&'static str, String)>,
}

impl Fx {
    fn token(&self, who: &str) -> &str {
        &self.tokens.iter().find(|(w, _)| *w == who).unwrap().1
    }
}

fn texts() -> Vec<(String, String)> {
    concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect()
}

fn state(store: Store, demo: bool) -> Fx {
    let mut store = store;
    let mut tokens = Vec::new();
    for who in ["EST", "LVA", "FRA"] {
        let t = store.create_token(&Principal::Member(who.into())).unwrap();
        tokens.push((who, t));
    }
    tokens.push(("hub", store.create_token(&Principal::Hub).unwrap()));
    let st = AppState::new(store, Alliance::nato(), texts(), demo).unwrap();
    Fx {
        st: Arc::new(st),
        tokens,
    }
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

fn correlate_req(tok: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post("/api/v1/correlate").header("Content-Type", "application/json");
    if let Some(t) = tok {
        b = b.header("Authorization", format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

async fn correlate(fx: &Fx, who: &str, body: &str) -> Value {
    let (s, _, b) = call(&fx.st, correlate_req(Some(fx.token(who)), body)).await;
    assert_eq!(s, StatusCode::OK, "{who}: {b}");
    serde_json::from_str(&b).unwrap()
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

/// EST's red incident (recipients: LVA) and FRA's green one share an address; posted over
/// TAXII by their members.
async fn red_and_green(fx: &Fx) {
    let ip =
        json!({"type": "ipv4-addr", "spec_version": "2.1", "id": IP, "value": "198.51.100.77"});
    let uri = format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/objects/");
    for (who, objects) in [
        (
            "EST",
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
        ),
        (
            "FRA",
            vec![
                ip.clone(),
                incident(GREEN_INCIDENT, 5, "Paris outage", "FRA", false),
                link(2, GREEN_INCIDENT, false),
            ],
        ),
    ] {
        let req = Request::post(&uri)
            .header("Accept", TAXII)
            .header("Content-Type", TAXII)
            .header("Authorization", format!("Bearer {}", fx.token(who)))
            .body(Body::from(json!({"objects": objects}).to_string()))
            .unwrap();
        let (s, _, b) = call(&fx.st, req).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{b}");
        let status: Value = serde_json::from_str(&b).unwrap();
        assert_eq!(status["failure_count"], 0, "{b}");
    }
}

fn leaks(text: &str) -> bool {
    text.contains(RED_INCIDENT) || text.contains("Nightjar")
}

#[tokio::test]
async fn a_campaign_derived_from_an_unreadable_incident_does_not_leak() {
    let fx = state(Store::open_in_memory().unwrap(), false);
    red_and_green(&fx).await;
    // the hub and FRA may not read the red incident: it is not gathered, so no campaign
    for who in ["hub", "FRA"] {
        let doc = correlate(&fx, who, "").await;
        assert!(!leaks(&doc.to_string()), "{who}: {doc}");
        assert_eq!(doc["incidents"], 1, "{who}: {doc}");
        assert_eq!(doc["campaigns"], json!([]), "{who}: {doc}");
        assert_eq!(doc["stored"], json!([0, 0]), "{who}: {doc}");
    }
    // EST reads both: one campaign linking them, stored by concord, red for EST and LVA
    let doc = correlate(&fx, "EST", "{}").await;
    assert_eq!(doc["incidents"], 2, "{doc}");
    let campaigns = doc["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 1, "{doc}");
    assert_eq!(
        campaigns[0]["incidents"],
        json!([RED_INCIDENT, GREEN_INCIDENT])
    );
    assert!(doc["stored"][0].as_u64().unwrap() >= 3, "{doc}");
    let id = campaigns[0]["id"].as_str().unwrap().to_string();
    {
        let store = fx.st.store.lock().unwrap();
        let camp = store
            .reader(&Principal::Member("EST".into()))
            .get(&id)
            .unwrap()
            .expect("stored, and EST reads it");
        assert_eq!(camp.submitter, "concord");
        assert_eq!(camp.tlp.as_deref(), Some("red"));
        assert_eq!(
            camp.value().unwrap()["extensions"][EXT]["recipients"],
            json!(["EST", "LVA"])
        );
    }
    // who may read every input sees it; the hub and FRA see nothing of it anywhere
    for (who, sees) in [("EST", true), ("LVA", true), ("hub", false), ("FRA", false)] {
        let tok = fx.token(who);
        let (s, _, list) = call(&fx.st, get("/api/v1/campaigns", tok)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list.contains(&id), sees, "{who}: {list}");
        for uri in [
            format!("/api/v1/assessments/{id}"),
            format!("/api/v1/decisions/{id}"),
            format!("/api/v1/attribution/{id}"),
        ] {
            let (s, _, body) = call(&fx.st, get(&uri, tok)).await;
            if sees {
                assert_eq!(s, StatusCode::OK, "{who} {uri}: {body}");
            } else {
                assert_eq!(s, StatusCode::NOT_FOUND, "{who} {uri}: {body}");
                assert!(!leaks(&body), "{who} {uri}: {body}");
            }
        }
        let (s, _, page) = call(
            &fx.st,
            get(
                &format!(
                    "/taxii2/alliance/collections/{DEFAULT_COLLECTION}/objects/?match[type]=campaign,relationship"
                ),
                tok,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(page.contains(&id), sees, "{who}: {page}");
        if !sees {
            assert!(!leaks(&page), "{who}: {page}");
        }
        // a later run of theirs neither sees nor changes EST's campaign
        let again = correlate(&fx, who, r#"{"dry_run": true}"#).await;
        assert_eq!(again.to_string().contains(&id), sees, "{who}: {again}");
    }
    // a second run by EST stores nothing new
    let doc = correlate(&fx, "EST", "").await;
    assert_eq!(doc["stored"][0], 0, "{doc}");
}

#[tokio::test]
async fn a_dry_run_stores_nothing_and_bad_requests_are_refused() {
    let fx = state(Store::open_in_memory().unwrap(), false);
    red_and_green(&fx).await;
    let count = |fx: &Fx| {
        fx.st
            .store
            .lock()
            .unwrap()
            .reader(&Principal::Member("EST".into()))
            .count_by_type()
            .unwrap()
            .values()
            .sum::<u64>()
    };
    let before = count(&fx);
    let doc = correlate(&fx, "EST", r#"{"dry_run": true, "window_days": 30}"#).await;
    assert_eq!(doc["campaigns"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["stored"], Value::Null);
    assert_eq!(count(&fx), before, "a dry run wrote something");
    let est = fx.token("EST");
    for body in [
        "{not json",
        r#"{"dry_run": true, "dry_run": false}"#,
        r#"{"bogus": 1}"#,
        r#"{"min_jaccard": 2}"#,
        r#"{"window_days": -1}"#,
        r#"{"min_shared": "three"}"#,
    ] {
        let (s, _, b) = call(&fx.st, correlate_req(Some(est), body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {b}");
    }
    let (s, _, _) = call(&fx.st, correlate_req(None, "")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&fx), before);
    // the OpenAPI document describes it
    let (_, _, doc) = call(&fx.st, get("/api/v1/openapi.json", est)).await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    assert!(doc["paths"]["/api/v1/correlate"]["post"].is_object());
}

#[tokio::test]
async fn read_only_visitors_may_only_preview() {
    let fx = state(concord_app::demo::store().unwrap(), true);
    // the demo's anonymous visitor is the hub, read-only
    let (s, _, b) = call(&fx.st, correlate_req(None, "")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, _, b) = call(&fx.st, correlate_req(None, r#"{"dry_run": true}"#)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let doc: Value = serde_json::from_str(&b).unwrap();
    assert!(!doc["campaigns"].as_array().unwrap().is_empty(), "{doc}");
    assert_eq!(doc["stored"], Value::Null);
    // the dashboard's action previews too
    let req = Request::post("/correlate")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(""))
        .unwrap();
    let (s, _, page) = call(&fx.st, req).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("read-only: nothing stored"), "{page}");
    assert!(page.contains("FICTIONAL"));
}

fn form(uri: &str, cookie: Option<&str>, body: String) -> Request<Body> {
    let mut b = Request::post(uri).header("Content-Type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("Cookie", c);
    }
    b.body(Body::from(body)).unwrap()
}

async fn sign_in(fx: &Fx, who: &str) -> (String, String) {
    let (s, h, _) = call(
        &fx.st,
        form("/login", None, format!("token={}", fx.token(who))),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cookie = h
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = Request::get("/")
        .header("Cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = call(&fx.st, page).await;
    assert!(body.contains("action=\"/correlate\""), "{body}");
    let at = body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = body[at..].split('"').next().unwrap().to_string();
    (cookie, csrf)
}

/// Sign in and press "Correlate incidents": (the session cookie, the page shown).
async fn correlate_in_browser(fx: &Fx, who: &str) -> (String, String) {
    let (cookie, csrf) = sign_in(fx, who).await;
    let req = form("/correlate", Some(&cookie), format!("csrf={csrf}"));
    let (s, _, page) = call(&fx.st, req).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    (cookie, page)
}

#[tokio::test]
async fn the_dashboard_correlates_as_the_signed_in_member() {
    let fx = state(Store::open_in_memory().unwrap(), false);
    red_and_green(&fx).await;
    // FRA's run: only its own incident, nothing of EST's
    let (cookie, page) = correlate_in_browser(&fx, "FRA").await;
    assert!(
        page.contains("1 incident(s) you may read, 0 campaign(s)"),
        "{page}"
    );
    assert!(!leaks(&page), "{page}");
    // without the session's CSRF token: refused
    let (s, _, _) = call(&fx.st, form("/correlate", Some(&cookie), "csrf=x".into())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // EST's run stores the campaign, and the list shows it at once
    let (_, page) = correlate_in_browser(&fx, "EST").await;
    assert!(
        page.contains("2 incident(s) you may read, 1 campaign(s); stored"),
        "{page}"
    );
    assert!(page.contains("/campaigns/campaign--"), "{page}");
    // FRA's list still shows nothing of it
    let (cookie, _) = sign_in(&fx, "FRA").await;
    let req = Request::get("/")
        .header("Cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (_, _, list) = call(&fx.st, req).await;
    assert!(!list.contains("/campaigns/campaign--"), "{list}");
    assert!(!leaks(&list), "{list}");
}
