//! The web dashboard without a socket: every page of the demo loads and shows its key
//! content and the fictional label; a member signs in, sees an inline error for a bad
//! condition, fixes it, and the decision changes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use concord_policy::Alliance;
use concord_server::{app, demo, AppState, Shared};
use concord_store::access::Principal;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const BALTIC: &str = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";

fn state(demo_mode: bool) -> (Shared, String) {
    let mut store = demo::store().unwrap();
    let token = store
        .create_token(&Principal::Member("FRA".into()))
        .unwrap();
    let texts = concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    let st = AppState::new(store, Alliance::nato(), texts, demo_mode).unwrap();
    (Arc::new(st), token)
}

async fn send(st: &Shared, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let r = app(st.clone()).oneshot(req).await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    let body = r.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn page(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(c) = cookie {
        b = b.header("Cookie", c);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn every_demo_page_loads_with_its_key_content() {
    let (st, _) = state(true);
    let pages: &[(&str, &[&str])] = &[
        (
            "/",
            &[
                "Baltic grid campaign",
                "Ministry espionage campaign",
                "Denial-of-service wave",
                "Article 5 collective defence",
            ],
        ),
        (
            &format!("/campaigns/{BALTIC}"),
            &[
                "Severity",
                "emergency",
                "AMBER WOLF",
                "Analysis of competing hypotheses",
                "Article 5 collective defence",
                "coordinated national restrictive measures",
                "The alliance can agree now",
                "ILLUSTRATIVE POSITIONS",
                "class=\"tile",
                "Path to consensus",
                "Evidence timeline",
                "Held back until then by",
                "DEU (risk), FRA (risk)",
            ],
        ),
        (
            &format!("/campaigns/{BALTIC}?rung=countermeasures"),
            &["FRA<small>blocks</small>"],
        ),
        (
            &format!("/campaigns/{BALTIC}/brief"),
            &["Decision brief", "Recommendation", "FICTIONAL"],
        ),
        (
            "/rift",
            &[
                "rift index",
                "<svg",
                "Harmonisation: what policy would close the gap",
                "Safe harbours",
                "Veto index per option",
            ],
        ),
        ("/policies", &["Member policies", "EST"]),
        ("/ingest", &["Ingest a STIX bundle"]),
        ("/login", &["Sign in"]),
    ];
    for (uri, wants) in pages {
        let (status, _, body) = send(&st, page(uri, None)).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            body.contains("FICTIONAL"),
            "{uri} lacks the fictional label"
        );
        for w in *wants {
            assert!(body.contains(w), "{uri} lacks '{w}'");
        }
    }
    // demo visitors are read-only: an upload is validated, not stored
    let form = format!("bundle={}", percent(demo::SCENARIO));
    let req = Request::post("/ingest")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let (status, _, body) = send(&st, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("read-only session: nothing stored"), "{body}");
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn without_demo_pages_need_a_session() {
    let (st, _) = state(false);
    let (status, h, _) = send(&st, page("/", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(h.get("location").unwrap(), "/login");
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from("token=wrong"))
        .unwrap();
    let (status, _, body) = send(&st, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("not valid"));
}

#[tokio::test]
async fn a_member_edits_its_policy_and_the_decision_changes() {
    let (st, token) = state(false);
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap();
    let (status, h, _) = send(&st, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = h
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let decision = |st: Shared, token: String| async move {
        let req = Request::get(format!("/api/v1/decisions/{BALTIC}"))
            .header("Authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let (_, _, body) = send(&st, req).await;
        let d: Value = serde_json::from_str(&body).unwrap();
        d["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == "countermeasures")
            .unwrap()
            .clone()
    };
    let before = decision(st.clone(), token.clone()).await;
    assert_eq!(before["adopted"], false);
    assert_eq!(before["block"], serde_json::json!(["FRA"]));
    // the policies page offers FRA's own policy for editing
    let (_, _, body) = send(&st, page("/policies", Some(&cookie))).await;
    assert!(body.contains("Your policy (FRA)"));
    // the form carries the session's CSRF token
    let at = body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = body[at..].split('"').next().unwrap().to_string();
    let text = concord_policy::policy::BUILTIN
        .iter()
        .find(|(n, _)| *n == "FRA.toml")
        .unwrap()
        .1;
    let old = "legal = \"not affected_self\"";
    assert!(text.contains(old));
    let post = |body: String| {
        Request::post("/policies/FRA")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie.clone())
            .body(Body::from(body))
            .unwrap()
    };
    // a bad condition: an inline error with line and column, nothing saved
    let bad = text.replace(old, "legal = \"atribution < high\"");
    let (status, _, body) = send(&st, post(format!("csrf={csrf}&text={}", percent(&bad)))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("role=\"alert\""), "{body}");
    assert!(body.contains("line "), "{body}");
    assert!(
        body.contains("attribution"),
        "the suggestion names the right word"
    );
    assert_eq!(decision(st.clone(), token.clone()).await["adopted"], false);
    // fixed: saved, and the decision changes
    let good = text.replace(old, "legal = \"attribution < high\"");
    let (status, _, body) = send(&st, post(format!("csrf={csrf}&text={}", percent(&good)))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("checked and saved"));
    let after = decision(st.clone(), token.clone()).await;
    assert_eq!(after["block"], serde_json::json!([]), "{after}");
    assert_ne!(after["adopted"], before["adopted"], "{after}");
}

/// The rift page computes harmonisation proposals in the background; once ready, applying
/// one shows the edited set's figures and charts without saving anything.
#[tokio::test]
async fn rift_proposals_apply_without_saving() {
    let (st, _) = state(true);
    let mut ready = String::new();
    for _ in 0..600 {
        let (status, _, body) = send(&st, page("/rift", None)).await;
        assert_eq!(status, StatusCode::OK);
        if !body.contains("Proposals are being computed") {
            ready = body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(ready.contains("/rift?apply=1"), "proposals listed");
    let (status, _, body) = send(&st, page("/rift?apply=1", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("What if: proposal 1 applied (not saved)"),
        "{body}"
    );
    // nothing was saved: the page without `apply` shows the same figures as before
    let (_, _, again) = send(&st, page("/rift", None)).await;
    assert!(!again.contains("What if: proposal"));
    let (_, _, harbour) = send(&st, page("/rift?rung=solidarity", None)).await;
    assert!(harbour.contains("For <strong>solidarity</strong>"));
}
