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
                "Held back until",
                "DEU (risk), FRA (risk)",
            ],
        ),
        (
            &format!("/campaigns/{BALTIC}?rung=countermeasures"),
            &["<b>FRA</b><small><span aria-hidden=\"true\">✕ </span>blocks: legal</small>"],
        ),
        (
            &format!("/campaigns/{BALTIC}/brief"),
            &["Decision brief", "Recommendation", "FICTIONAL", "TLP:AMBER"],
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
        // no external network resources: scripts, styles and images come from the server
        for external in [
            "src=\"http",
            "src=\"//",
            "<link rel=\"stylesheet\" href=\"http",
            "url(http",
            "@import",
        ] {
            assert!(
                !body.contains(external),
                "{uri} loads an external resource ({external})"
            );
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

/// The home page: the members as a map coloured by how many campaigns hit them, the rift in
/// figures with their meaning (computed in the background), each campaign with a ladder strip.
#[tokio::test]
async fn home_shows_the_map_the_rift_and_a_ladder_strip_per_campaign() {
    let (st, _) = state(true);
    let mut body = String::new();
    for _ in 0..600 {
        let (status, _, b) = send(&st, page("/", None)).await;
        assert_eq!(status, StatusCode::OK);
        body = b;
        if !body.contains("is being computed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(body.contains("The alliance at a glance"));
    assert_eq!(
        body.matches("role=\"listitem\" class=\"tile h").count(),
        32,
        "every member on the map"
    );
    // EST is hit by the Baltic campaign only; POL by the Baltic campaign and the DoS wave
    assert!(
        body.contains("<b>EST</b><small>1 campaign</small>"),
        "{body}"
    );
    assert!(body.contains("<b>POL</b><small>2 campaigns</small>"));
    assert!(body.contains("<b>TUR</b><small>no campaign</small>"));
    assert_eq!(body.matches("<ol class=\"ladder compact\"").count(), 3);
    assert!(body.contains("blocked: legal"));
    // a strip cell leads to the campaign page with that rung on the map
    assert!(body.contains(&format!(
        "href=\"/campaigns/{BALTIC}?rung=countermeasures#map\""
    )));
    for w in [
        "Rift index",
        "Veto index",
        "Widest gap",
        "Victims left alone",
        "ILLUSTRATIVE",
    ] {
        assert!(body.contains(w), "home lacks {w}");
    }
    // the most severe campaign first
    let first = &body[body.find("<h3 id=\"c1\">").unwrap()..];
    assert!(
        first[..200].contains("Baltic grid campaign"),
        "{}",
        &first[..200]
    );
}

/// The campaign page puts the decision first: bottom line, ladder, map, forums, what-if,
/// timeline; then assessment, attribution and ACH.
#[tokio::test]
async fn the_campaign_page_puts_the_decision_first() {
    let (st, _) = state(true);
    let (status, _, body) = send(&st, page(&format!("/campaigns/{BALTIC}"), None)).await;
    assert_eq!(status, StatusCode::OK);
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("no '{s}'"));
    let order = [
        "<div class=\"tlp amber\"",
        "Bottom line up front",
        "Blocked: proportionate cyber countermeasures",
        "What would unblock it:",
        "<ol class=\"ladder\"",
        "id=\"map\"",
        "Forums side by side",
        "What if",
        "Evidence timeline: when each rung became adoptable",
        "id=\"assessment-h\"",
        "Analysis of competing hypotheses",
    ];
    for w in order.windows(2) {
        assert!(at(w[0]) < at(w[1]), "{} before {}", w[0], w[1]);
    }
    // without a rung asked for, the map shows the blocked rung
    assert!(body.contains("Members on: proportionate cyber countermeasures"));
    assert!(body.contains("class=\"rung blocked current\""));
    // both forums, each with its ladder strip
    assert!(
        body.contains("the NATO ladder, lowest rung first")
            && body.contains("the EU ladder, lowest rung first")
    );
    // the replay grid marks the moment each rung was first adopted
    assert!(body.contains("<td class=\"first\">★"));
}

/// What-if: a member's position or the vector changed in the page, decided again, not saved.
#[tokio::test]
async fn what_if_changes_the_decision_shown_and_saves_nothing() {
    let (st, _) = state(true);
    let url = format!(
        "/campaigns/{BALTIC}?pos_member=FRA&pos_rung=countermeasures&pos_stance=abstain&rung=countermeasures"
    );
    let (status, _, body) = send(&st, page(&url, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("WHAT-IF, NOT SAVED."));
    assert!(
        body.contains("FRA&#x27;s position on countermeasures: always abstains")
            || body.contains("FRA's position on countermeasures: always abstains"),
        "{body}"
    );
    assert!(body.contains(
        "proportionate cyber countermeasures (voluntary national effects): not adopted → adopted"
    ));
    assert!(body.contains("The alliance can agree now (11 of 11 options"));
    assert!(body.contains("<b>FRA</b><small><span aria-hidden=\"true\">· </span>abstains</small>"));
    // a rung link keeps the what-if
    assert!(
        body.contains(
            "?pos_member=FRA&amp;pos_rung=countermeasures&amp;pos_stance=abstain&amp;rung=art5#map"
        ),
        "links keep the what-if"
    );
    // the vector: low attribution loses most of the ladder
    let (_, _, low) = send(
        &st,
        page(&format!("/campaigns/{BALTIC}?attribution=low"), None),
    )
    .await;
    assert!(low.contains("attribution: high → low"));
    assert!(low.contains("Article 5 collective defence: adopted → not adopted"));
    // a rung no attacker move can avoid: the page's adversary search stops at its budget
    // and says so (never "nothing is adopted")
    let (_, _, share) = send(
        &st,
        page(
            &format!("/campaigns/{BALTIC}?attribution=none&actor=unknown"),
            None,
        ),
    )
    .await;
    assert!(
        share.contains("No move found within 1000 states"),
        "{share}"
    );
    assert!(!share.contains("Nothing is adopted"));
    // bad input is named, and changes nothing
    let (status, _, bad) = send(
        &st,
        page(
            &format!("/campaigns/{BALTIC}?severity=huge&victims=EST,XXX"),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        bad.contains("severity: &#x27;huge&#x27; is not one of")
            || bad.contains("severity: 'huge' is not one of"),
        "{bad}"
    );
    assert!(bad.contains("XXX is not a member of NATO"));
    assert!(bad.contains("No change from the assessed case."));
    // nothing was saved
    let (_, _, plain) = send(&st, page(&format!("/campaigns/{BALTIC}"), None)).await;
    assert!(!plain.contains("WHAT-IF"));
    assert!(plain.contains("The alliance can agree now (10 of 11 options"));
}

/// The brief in every format, with the TLP banner of the inputs the viewer read.
#[tokio::test]
async fn the_brief_comes_in_every_format() {
    let (st, _) = state(true);
    let get = |f: &str| page(&format!("/campaigns/{BALTIC}/brief?format={f}"), None);
    let (status, h, md) = send(&st, get("md")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert!(md.starts_with("**TLP:AMBER**"));
    assert!(md.contains("## Bottom line up front"));
    let (status, h, html) = send(&st, get("html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(html.contains("<span class=\"stamp\">ILLUSTRATIVE POSITIONS</span>"));
    let r = app(st.clone()).oneshot(get("docx")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"brief-b2168e2d.docx\""));
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"));
    let r = app(st.clone()).oneshot(get("pdf")).await.unwrap();
    let chromium = concord_server::brief::chromium().is_some();
    if chromium {
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        assert!(bytes.starts_with(b"%PDF"));
    } else {
        eprintln!("PDF not checked: no chromium");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    let (status, _, body) = send(&st, get("odt")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not one of html, md, pdf, docx"));
}

/// A liaison officer previews an edit of its own position: the case library and the
/// campaigns are decided with the edited set and the changes listed; nothing is saved.
#[tokio::test]
async fn a_liaison_officer_previews_an_edit_against_the_case_library_before_saving() {
    let (st, token) = state(false);
    let req = Request::post("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap();
    let (_, h, _) = send(&st, req).await;
    let cookie = h["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (_, _, body) = send(&st, page("/policies", Some(&cookie))).await;
    assert!(body.contains("formaction=\"/policies/FRA/preview\""));
    let at = body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = body[at..].split('"').next().unwrap().to_string();
    let text = concord_policy::policy::BUILTIN
        .iter()
        .find(|(n, _)| *n == "FRA.toml")
        .unwrap()
        .1;
    let post = |uri: &str, t: &str| {
        Request::post(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie.clone())
            .body(Body::from(format!("csrf={csrf}&text={}", percent(t))))
            .unwrap()
    };
    // France drops its objection to countermeasures it is not the victim of
    let edited = text.replace(
        "legal = \"not affected_self\"",
        "legal = \"attribution < high\"",
    );
    assert_ne!(edited, text);
    let (status, _, body) = send(&st, post("/policies/FRA/preview", &edited)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Preview: the effect of your edit (nothing saved)"));
    assert!(body.contains("NATO outcomes reproduced"));
    assert!(body.contains("Campaigns whose decision changes"));
    assert!(body.contains(
        "proportionate cyber countermeasures (voluntary national effects): not adopted → adopted"
    ));
    // the edited text stays in the form, ready to save
    assert!(body.contains("attribution &lt; high"));
    // nothing saved: the decision still has France blocking
    let req = Request::get(format!("/api/v1/decisions/{BALTIC}"))
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (_, _, d) = send(&st, req).await;
    let d: Value = serde_json::from_str(&d).unwrap();
    let cm = d["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "countermeasures")
        .unwrap()
        .clone();
    assert_eq!(cm["block"], serde_json::json!(["FRA"]));
    // France always blocking solidarity: the record's statements of solidarity are lost
    let blocking = text.replace(
        "[stance.attribute]\n",
        "[stance.solidarity.block]\npolicy = \"true\"\n\n[stance.attribute]\n",
    );
    assert_ne!(blocking, text);
    let (status, _, body) = send(&st, post("/policies/FRA/preview", &blocking)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("no longer reproduces the record"), "{body}");
    assert!(!body.contains("now reproduces the record"));
    // a bad edit: the errors inline, no preview
    let bad = text.replace(
        "legal = \"not affected_self\"",
        "legal = \"atribution < high\"",
    );
    let (status, _, body) = send(&st, post("/policies/FRA/preview", &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("role=\"alert\""));
    assert!(!body.contains("Preview: the effect"));
    // another member's position cannot be previewed
    let (status, _, _) = send(&st, post("/policies/DEU/preview", text)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
