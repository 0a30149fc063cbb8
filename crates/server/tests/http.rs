//! The HTTP application without a socket: TAXII 2.1 behaviour, bad input, authentication,
//! the leak matrix (every principal x every marking x every endpoint that returns data or
//! aggregates), policy editing and concurrency.

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
const TLP: &[(&str, &str)] = &[
    (
        "clear",
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    ),
    (
        "green",
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    ),
    (
        "amber",
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    ),
    (
        "amber+strict",
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    ),
    (
        "red",
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    ),
];
const CAMPAIGN: &str = "campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

fn incident_id(n: usize) -> String {
    format!("incident--{n:08x}-95f3-4c04-a882-116832996da0")
}

/// The app, (incident id, TLP level, victim) per incident, (principal, token) per principal.
type Fixture = (
    Shared,
    Vec<(String, Option<&'static str>, String)>,
    Vec<(Principal, String)>,
);

/// One incident per marking (and one unmarked), all submitted by EST; the amber and red
/// ones name LVA as a recipient; each has its own victim so aggregates show what leaked.
/// A green campaign relates them all.
fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let victims = ["DEU", "FRA", "LTU", "NOR", "ROU", "ITA"];
    let mut objs = Vec::new();
    let mut out = Vec::new();
    for (n, v) in victims.iter().enumerate() {
        let tlp = TLP.get(n).copied();
        let id = incident_id(n);
        let mut o = json!({"type": "incident", "spec_version": "2.1", "id": id,
            "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": format!("incident {n}"),
            "extensions": {EXT: {"extension_type": "property-extension", "victims": [v], "sectors": ["energy"],
                "effects": "disruption", "recipients": ["LVA"]}}});
        if let Some((_, m)) = tlp {
            o["object_marking_refs"] = json!([m]);
        }
        objs.push(o);
        objs.push(json!({"type": "relationship", "spec_version": "2.1",
            "id": format!("relationship--{n:08x}-aaaa-4f0c-87a3-1824e67d7fad"),
            "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z",
            "relationship_type": "related-to", "source_ref": CAMPAIGN, "target_ref": id,
            "extensions": {EXT: {"extension_type": "property-extension", "recipients": ["LVA"]}},
            "object_marking_refs": tlp.map(|(_, m)| vec![m]).unwrap_or_default()}));
        out.push((id, tlp.map(|(l, _)| l), (*v).to_string()));
    }
    // the unmarked relationship must not carry an empty marking list
    for o in &mut objs {
        if o["object_marking_refs"] == json!([]) {
            o.as_object_mut().unwrap().remove("object_marking_refs");
        }
    }
    objs.push(json!({"type": "campaign", "spec_version": "2.1", "id": CAMPAIGN,
        "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z", "name": "grid"}));
    let s = store.ingest_values(&objs, "EST", "test").unwrap();
    assert!(s.rejections.is_empty(), "{:?}", s.rejections);
    let mut tokens = Vec::new();
    for p in [
        Principal::Member("EST".into()),
        Principal::Member("LVA".into()),
        Principal::Member("POL".into()),
        Principal::Hub,
        Principal::Admin,
    ] {
        let t = store.create_token(&p).unwrap();
        tokens.push((p, t));
    }
    let alliance = Alliance::nato();
    let texts = concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    let state = Arc::new(AppState::new(store, alliance, texts, false).unwrap());
    (state, out, tokens)
}

async fn call(state: &Shared, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let r = app(state.clone()).oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header("Accept", TAXII)
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

fn post(uri: &str, token: &str, ct: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header("Accept", TAXII)
        .header("Content-Type", ct)
        .header("Authorization", format!("Bearer {token}"))
        .body(body.into())
        .unwrap()
}

fn objects_uri() -> String {
    format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/objects/")
}

fn expected(p: &Principal, tlp: Option<&str>) -> bool {
    // the rules of DESIGN 9, written out again independently of the store's code
    let submitter = matches!(p, Principal::Member(m) if m == "EST");
    let recipient = matches!(p, Principal::Member(m) if m == "LVA");
    let hub = matches!(p, Principal::Hub | Principal::Admin);
    match tlp {
        None | Some("clear") | Some("green") => true,
        Some("amber") => submitter || recipient || hub,
        Some("amber+strict") => submitter || hub,
        Some("red") => submitter || recipient,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn leak_matrix() {
    let (state, incidents, tokens) = fixture();
    let mut checked = 0;
    for (p, tok) in &tokens {
        // TAXII list (all pages of 2), manifest and the API lists
        let mut seen = std::collections::BTreeSet::new();
        let mut next: Option<String> = None;
        loop {
            let uri = match &next {
                None => format!("{}?limit=2", objects_uri()),
                Some(n) => format!("{}?limit=2&next={n}", objects_uri()),
            };
            let (st, _, body) = call(&state, get(&uri, tok)).await;
            assert_eq!(st, StatusCode::OK);
            let env: Value = serde_json::from_slice(&body).unwrap();
            for o in env["objects"].as_array().into_iter().flatten() {
                seen.insert(o["id"].as_str().unwrap().to_string());
            }
            if env["more"] == true {
                next = Some(env["next"].as_str().unwrap().to_string());
            } else {
                break;
            }
        }
        let (_, _, body) = call(
            &state,
            get(
                &format!("/taxii2/alliance/collections/{DEFAULT_COLLECTION}/manifest/?limit=1000"),
                tok,
            ),
        )
        .await;
        let manifest: Value = serde_json::from_slice(&body).unwrap();
        let in_manifest: Vec<&str> = manifest["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        let (_, _, body) = call(&state, get("/api/v1/incidents", tok)).await;
        let api: Value = serde_json::from_slice(&body).unwrap();
        let in_api: Vec<&str> = api["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        // the campaign's aggregate: victims of the incidents this principal may read
        let (st, _, body) =
            call(&state, get(&format!("/api/v1/assessments/{CAMPAIGN}"), tok)).await;
        assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let assessment: Value = serde_json::from_slice(&body).unwrap();
        let victims: Vec<&str> = assessment["victims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let (_, _, body) = call(&state, get(&format!("/api/v1/decisions/{CAMPAIGN}"), tok)).await;
        let decision: Value = serde_json::from_slice(&body).unwrap();
        let decided_victims: Vec<&str> = decision["vector"]["victims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for (id, tlp, victim) in &incidents {
            let want = expected(p, *tlp);
            let ctx = format!("{} reading {tlp:?}", p.name());
            assert_eq!(seen.contains(id), want, "objects list: {ctx}");
            assert_eq!(in_manifest.contains(&id.as_str()), want, "manifest: {ctx}");
            assert_eq!(in_api.contains(&id.as_str()), want, "api incidents: {ctx}");
            assert_eq!(
                victims.contains(&victim.as_str()),
                want,
                "campaign assessment: {ctx}"
            );
            assert_eq!(
                decided_victims.contains(&victim.as_str()),
                want,
                "decision: {ctx}"
            );
            for uri in [
                format!("{}{id}/", objects_uri()),
                format!("{}{id}/versions/", objects_uri()),
                format!("/api/v1/assessments/{id}"),
                format!("/api/v1/decisions/{id}"),
                format!("/api/v1/attribution/{id}"),
            ] {
                let (st, _, _) = call(&state, get(&uri, tok)).await;
                let expect = if want {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                assert_eq!(st, expect, "{uri}: {ctx}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * 6 * 5);
}

#[tokio::test]
async fn unauthenticated_and_wrong_tokens_are_refused() {
    let (state, _, tokens) = fixture();
    let r = Request::get("/taxii2/").body(Body::empty()).unwrap();
    let (st, h, body) = call(&state, r).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(h.get("www-authenticate").is_some());
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["http_status"], "401");
    let (st, _, _) = call(&state, get("/taxii2/", "concord_wrong")).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    // Basic: the user must be the token's principal
    use base64::Engine;
    let est = &tokens[0].1;
    let basic = |u: &str| {
        Request::get("/taxii2/")
            .header(
                "Authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{u}:{est}"))
                ),
            )
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(&state, basic("EST")).await.0, StatusCode::OK);
    assert_eq!(call(&state, basic("LVA")).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn post_stores_valid_objects_and_reports_failures() {
    let (state, _, tokens) = fixture();
    let lva = &tokens[1].1;
    let good = json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--11111111-2222-4333-8444-555555555555",
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z", "pattern": "[ipv4-addr:value = '198.51.100.7']",
        "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
    let bad = json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--21111111-2222-4333-8444-555555555555",
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z", "pattern": "[ipv4-addr:value = ",
        "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
    let env = json!({"objects": [good.clone(), bad]}).to_string();
    let (st, _, body) = call(&state, post(&objects_uri(), lva, TAXII, env.clone())).await;
    assert_eq!(
        st,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let status: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status["success_count"], 1);
    assert_eq!(status["failure_count"], 1);
    assert_eq!(
        status["failures"][0]["id"],
        "indicator--21111111-2222-4333-8444-555555555555"
    );
    // the status resource can be read back by its maker
    let (st, _, _) = call(
        &state,
        get(
            &format!(
                "/taxii2/alliance/status/{}/",
                status["id"].as_str().unwrap()
            ),
            lva,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _, _) = call(
        &state,
        get(
            &format!(
                "/taxii2/alliance/status/{}/",
                status["id"].as_str().unwrap()
            ),
            &tokens[2].1,
        ),
    )
    .await;
    assert_eq!(
        st,
        StatusCode::NOT_FOUND,
        "another member's status is not visible"
    );
    // re-posting the identical object succeeds
    let again = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": [good]}).to_string();
    let (st, _, body) = call(&state, post(&objects_uri(), lva, TAXII, again)).await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let status: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status["success_count"], 1);
    // it is there, once
    let (_, _, body) = call(
        &state,
        get(
            &format!(
                "{}indicator--11111111-2222-4333-8444-555555555555/versions/",
                objects_uri()
            ),
            lva,
        ),
    )
    .await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_requests_get_the_right_taxii_error_and_store_nothing() {
    let (state, _, tokens) = fixture();
    let est = &tokens[0].1;
    let hub = &tokens[3].1;
    let count = |state: &Shared| {
        state
            .store
            .lock()
            .unwrap()
            // every request below is EST's (or refused): EST reads all it may have stored
            .reader(&Principal::Member("EST".into()))
            .count_by_type()
            .unwrap()
            .values()
            .sum::<u64>()
    };
    let before = count(&state);
    let cases: Vec<(Request<Body>, StatusCode)> = vec![
        (
            post(&objects_uri(), est, TAXII, "{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            post(&objects_uri(), est, "application/json", "{\"objects\": []}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            post(&objects_uri(), est, TAXII, "{\"type\": \"indicator\"}"),
            StatusCode::BAD_REQUEST,
        ),
        (
            post(
                "/taxii2/alliance/collections/00000000-0000-4000-8000-000000000000/objects/",
                est,
                TAXII,
                "{\"objects\": []}",
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            post(&objects_uri(), hub, TAXII, "{\"objects\": []}"),
            StatusCode::FORBIDDEN,
        ),
        (
            post(&objects_uri(), est, TAXII, vec![b' '; 17 * 1024 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            Request::get(objects_uri())
                .header("Accept", "text/html")
                .header("Authorization", format!("Bearer {est}"))
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_ACCEPTABLE,
        ),
        (
            get(&format!("{}?limit=zero", objects_uri()), est),
            StatusCode::BAD_REQUEST,
        ),
        (
            get(&format!("{}?added_after=yesterday", objects_uri()), est),
            StatusCode::BAD_REQUEST,
        ),
        (
            get("/taxii2/alliance/collections/nope/", est),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (i, (req, want)) in cases.into_iter().enumerate() {
        let (st, h, body) = call(&state, req).await;
        assert_eq!(st, want, "case {i}: {}", String::from_utf8_lossy(&body));
        if want != StatusCode::PAYLOAD_TOO_LARGE {
            assert_eq!(h.get("content-type").unwrap(), TAXII, "case {i}");
            let e: Value = serde_json::from_slice(&body).unwrap();
            assert!(
                e["title"].is_string() && e["description"].is_string(),
                "case {i}"
            );
        }
    }
    assert_eq!(count(&state), before);
}

#[tokio::test]
async fn a_member_may_not_post_in_anothers_name() {
    let (state, _, tokens) = fixture();
    let lva = &tokens[1].1;
    let est_identity = json!({"type": "identity", "spec_version": "2.1", "id": "identity--00000001-f010-4473-83ec-1edf84858f4c",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "EST CERT", "identity_class": "organization",
        "extensions": {EXT: {"extension_type": "property-extension", "member": "EST"}}});
    // EST's identity is stored by the hub first
    state
        .store
        .lock()
        .unwrap()
        .ingest_values(&[est_identity], "hub", "test")
        .unwrap();
    let forged = json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--31111111-2222-4333-8444-555555555555",
        "created_by_ref": "identity--00000001-f010-4473-83ec-1edf84858f4c",
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z", "pattern": "[ipv4-addr:value = '198.51.100.8']",
        "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
    let (st, _, body) = call(
        &state,
        post(
            &objects_uri(),
            lva,
            TAXII,
            json!({"objects": [forged]}).to_string(),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let status: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status["failure_count"], 1, "{status}");
    assert_eq!(status["success_count"], 0);
    let (st, _, _) = call(
        &state,
        get(
            &format!(
                "{}indicator--31111111-2222-4333-8444-555555555555/",
                objects_uri()
            ),
            lva,
        ),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_edits_only_its_own_policy_and_errors_come_back() {
    let (state, _, tokens) = fixture();
    let (est, lva) = (&tokens[0].1, &tokens[1].1);
    let put = |uri: &str, tok: &str, text: &str| {
        Request::put(uri)
            .header("Authorization", format!("Bearer {tok}"))
            .body(Body::from(text.to_string()))
            .unwrap()
    };
    let (_, _, body) = call(&state, get("/api/v1/policies/EST", est)).await;
    let current: Value = serde_json::from_slice(&body).unwrap();
    let text = current["text"].as_str().unwrap().to_string();
    let (st, _, _) = call(&state, put("/api/v1/policies/EST", lva, &text)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let broken = text.replacen("severity", "severty", 1);
    let (st, _, body) = call(&state, put("/api/v1/policies/EST", est, &broken)).await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let r: Value = serde_json::from_slice(&body).unwrap();
    assert!(r["diagnostics"][0]["line"].as_u64().unwrap() > 0, "{r}");
    let (st, _, _) = call(&state, put("/api/v1/policies/EST", est, &text)).await;
    assert_eq!(st, StatusCode::OK);
    // the audit log (hub only) has the update
    let (st, _, _) = call(&state, get("/api/v1/audit", est)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, _, body) = call(&state, get("/api/v1/audit", &tokens[3].1)).await;
    let audit: Value = serde_json::from_slice(&body).unwrap();
    assert!(audit["audit"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "policy-update" && a["principal"] == "EST"));
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let (state, _, tokens) = fixture();
    let (st, _, body) = call(&state, get("/api/v1/openapi.json", &tokens[0].1)).await;
    assert_eq!(st, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for p in [
        "/api/v1/incidents",
        "/api/v1/campaigns",
        "/api/v1/assessments/{id}",
        "/api/v1/decisions/{id}",
        "/api/v1/rift",
        "/api/v1/policies/{member}",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_writers_and_readers_lose_nothing() {
    let (state, _, tokens) = fixture();
    let members: Vec<String> = tokens
        .iter()
        .filter(|(p, _)| matches!(p, Principal::Member(_)))
        .map(|(_, t)| t.clone())
        .collect();
    let mut tasks = Vec::new();
    for w in 0..16usize {
        let state = state.clone();
        let tok = members[w % members.len()].clone();
        tasks.push(tokio::spawn(async move {
            for k in 0..10usize {
                let id = format!("indicator--{w:08x}-{k:04x}-4333-8444-555555555555");
                let o = json!({"type": "indicator", "spec_version": "2.1", "id": id,
                    "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
                    "pattern": format!("[ipv4-addr:value = '198.51.{w}.{k}']"), "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"});
                let (st, _, _) = call(&state, post(&objects_uri(), &tok, TAXII, json!({"objects": [o]}).to_string())).await;
                assert_eq!(st, StatusCode::ACCEPTED);
                let (st, _, _) = call(&state, get(&format!("{}?match[type]=indicator&limit=50", objects_uri()), &tok)).await;
                assert_eq!(st, StatusCode::OK);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let n = state
        .store
        .lock()
        .unwrap()
        .reader(&Principal::Hub)
        .count_by_type()
        .unwrap()["indicator"];
    assert_eq!(n, 160);
}
