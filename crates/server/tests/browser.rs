//! Browser tests in headless Chromium through chromedriver (WebDriver, fantoccini): every
//! page of the demo loads without script errors and shows its key content; a member signs
//! in, edits its policy, sees an error for a bad condition, fixes it, and the decision
//! changes. Screenshots go to target/screenshots/. Skips when chromium or chromedriver is
//! not installed (`.ci/run` installs Debian's chromium and chromium-driver).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use concord_policy::Alliance;
use concord_server::{app, demo, AppState};
use concord_store::access::Principal;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BALTIC: &str = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn have(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn screenshots() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Serve an app on a free port in the background; returns its base URL.
async fn serve(demo_mode: bool) -> (String, String) {
    let mut store = demo::store().unwrap();
    let token = store
        .create_token(&Principal::Member("FRA".into()))
        .unwrap();
    let texts = concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    let st = Arc::new(AppState::new(store, Alliance::nato(), texts, demo_mode).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(st)).await;
    });
    (format!("http://{addr}"), token)
}

/// A browser session and the chromedriver port (for its log endpoint).
async fn browser() -> Option<(Client, Kill, u16)> {
    if !have("chromedriver") || !(have("chromium") || have("chromium-browser")) {
        eprintln!("skipped: chromium or chromedriver not installed");
        return None;
    }
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = Kill(child);
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({"browser": "ALL"}),
    );
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"]}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();
    Some((c, guard, port))
}

/// Console messages at level SEVERE since the last call (chromedriver's log endpoint).
async fn console_errors(c: &Client, port: u16) -> Vec<String> {
    let sid = c.session_id().await.unwrap().unwrap();
    let url = format!("http://127.0.0.1:{port}/session/{sid}/se/log");
    let body = tokio::task::spawn_blocking(move || {
        ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(serde_json::json!({"type": "browser"}).to_string())
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap()
    })
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn script_errors(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return window.__concordErrors || ['no error collector: the page did not load']",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_pages_in_a_browser() {
    let Some((c, _driver, port)) = browser().await else {
        return;
    };
    let (base, _) = serve(true).await;
    let pages: &[(&str, &str, &[&str])] = &[
        (
            "overview",
            "/",
            &[
                "Baltic grid campaign",
                "Article 5 collective defence",
                "FICTIONAL DEMO SCENARIO",
            ],
        ),
        (
            "campaign",
            &format!("/campaigns/{BALTIC}"),
            &[
                "AMBER WOLF",
                "Analysis of competing hypotheses",
                "Path to consensus",
                "Evidence timeline and replay",
            ],
        ),
        (
            "campaign-countermeasures",
            &format!("/campaigns/{BALTIC}?rung=countermeasures"),
            &["FRA\nblocks"],
        ),
        (
            "brief",
            &format!("/campaigns/{BALTIC}/brief"),
            &["Decision brief", "Recommendation"],
        ),
        ("rift", "/rift", &["Rift", "Charts"]),
        ("policies", "/policies", &["Member policies"]),
        ("ingest", "/ingest", &["Ingest a STIX bundle"]),
    ];
    for (name, path, wants) in pages {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let text = body_text(&c).await;
        for w in *wants {
            assert!(
                text.contains(w),
                "{path} shows no '{w}':\n{}",
                &text[..text.len().min(2000)]
            );
        }
        if *name != "brief" {
            assert_eq!(script_errors(&c).await, Vec::<String>::new(), "{path}");
        }
        assert_eq!(
            console_errors(&c, port).await,
            Vec::<String>::new(),
            "console errors on {path}"
        );
        shot(&c, name).await;
    }
    // the rung selector is keyboard-usable: choose another rung and the map follows
    c.goto(&format!("{base}/campaigns/{BALTIC}")).await.unwrap();
    c.execute("var s = document.getElementById('rung'); s.value = 'art5'; s.dispatchEvent(new Event('change'));", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("rung=art5"));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_signs_in_edits_its_policy_and_the_decision_changes() {
    let Some((c, _driver, port)) = browser().await else {
        return;
    };
    let (base, token) = serve(false).await;
    c.goto(&format!("{base}/")).await.unwrap();
    assert!(c.current_url().await.unwrap().as_str().ends_with("/login"));
    c.find(Locator::Id("token"))
        .await
        .unwrap()
        .send_keys(&token)
        .await
        .unwrap();
    c.find(Locator::Css("form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(body_text(&c).await.contains("signed in as FRA"));
    // before: FRA blocks countermeasures on the Baltic campaign
    c.goto(&format!("{base}/campaigns/{BALTIC}?rung=countermeasures"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("FRA\nblocks"));
    shot(&c, "before-edit").await;
    c.goto(&format!("{base}/policies")).await.unwrap();
    let area = c.find(Locator::Id("text")).await.unwrap();
    let text = area.prop("value").await.unwrap().unwrap();
    let old = "legal = \"not affected_self\"";
    assert!(text.contains(old));
    let set = |t: String| {
        let c = c.clone();
        async move {
            c.execute(
                "document.getElementById('text').value = arguments[0];",
                vec![serde_json::json!(t)],
            )
            .await
            .unwrap();
            c.find(Locator::Css("form[action='/policies/FRA'] button"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    set(text.replace(old, "legal = \"atribution < high\"")).await;
    let page = body_text(&c).await;
    assert!(page.contains("The policy was not saved"), "{page}");
    assert!(page.contains("line "), "{page}");
    shot(&c, "policy-error").await;
    set(text.replace(old, "legal = \"attribution < high\"")).await;
    assert!(body_text(&c).await.contains("checked and saved"));
    shot(&c, "policy-saved").await;
    c.goto(&format!("{base}/campaigns/{BALTIC}?rung=countermeasures"))
        .await
        .unwrap();
    let after = body_text(&c).await;
    assert!(!after.contains("FRA\nblocks"), "FRA still blocks");
    assert_eq!(script_errors(&c).await, Vec::<String>::new());
    // the only console errors of the whole flow: the deliberate 422 of the bad policy
    let errs = console_errors(&c, port).await;
    assert!(errs.iter().all(|e| e.contains("422")), "{errs:?}");
    shot(&c, "after-edit").await;
    c.close().await.unwrap();
}
