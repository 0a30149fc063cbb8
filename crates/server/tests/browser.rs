//! Browser tests in headless Chromium through chromedriver (WebDriver, fantoccini): every
//! page of the demo loads without script errors and shows its key content; the home page
//! shows the map and the ladder strips; the campaign page's first screen shows the bottom
//! line; the what-if controls change the decision shown; the brief renders in every format;
//! the pages work from the keyboard and axe-core (installed by `.ci/run` under target/axe)
//! reports no serious or critical accessibility violation; a member signs in, edits its
//! policy, sees an error for a bad condition, fixes it, and the decision changes.
//! Screenshots go to target/browser-artifacts/. Skips when chromium or chromedriver is not
//! installed (`.ci/run` installs Debian's chromium and chromium-driver).

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
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-artifacts");
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
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({"browser": "ALL"}),
    );
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"]}),
    );
    // a free port can be taken by another test's server before chromedriver binds it:
    // try again on another port
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let guard = Kill(child);
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
            && t.elapsed() < Duration::from_secs(20)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Some((c, guard, port)),
            Err(e) => last = e.to_string(),
        }
    }
    panic!("chromedriver did not start: {last}");
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
                "Evidence timeline: when each rung became adoptable",
            ],
        ),
        (
            "campaign-countermeasures",
            &format!("/campaigns/{BALTIC}?rung=countermeasures"),
            &["FRA\n✕ blocks: legal"],
        ),
        (
            "brief",
            &format!("/campaigns/{BALTIC}/brief"),
            &[
                "Decision brief",
                "Recommendation",
                "TLP:AMBER",
                "Bottom line up front",
            ],
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
    assert!(body_text(&c).await.contains("FRA\n✕ blocks: legal"));
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
            c.find(Locator::Css(
                "form[action='/policies/FRA'] button:not([formaction])",
            ))
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
    assert!(!after.contains("FRA\n✕ blocks"), "FRA still blocks");
    assert_eq!(script_errors(&c).await, Vec::<String>::new());
    // the only console errors of the whole flow: the deliberate 422 of the bad policy
    let errs = console_errors(&c, port).await;
    assert!(errs.iter().all(|e| e.contains("422")), "{errs:?}");
    shot(&c, "after-edit").await;
    c.close().await.unwrap();
}

/// axe-core's browser script, installed by `.ci/run` (`npm install --prefix target/axe
/// axe-core`); `CONCORD_AXE` names another copy.
fn axe_script() -> Option<String> {
    let path = std::env::var_os("CONCORD_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).ok()
}

/// Run axe-core on the current page: the violations of impact serious or critical
/// ("id (impact): help: first nodes"), and the number of violations of any impact.
async fn axe(c: &Client, axe: &str) -> (Vec<String>, usize) {
    c.execute(&format!("{axe}\n;return 1;"), vec![])
        .await
        .unwrap();
    let v = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
               .then(function (r) { done(r.violations.map(function (v) {
                   return {id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })};
               })); })
               .catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });",
            vec![],
        )
        .await
        .unwrap();
    let all = v.as_array().cloned().unwrap_or_default();
    let bad = all
        .iter()
        .filter(|x| matches!(x["impact"].as_str(), Some("serious" | "critical")))
        .map(|x| {
            format!(
                "{} ({}): {}: {}",
                x["id"], x["impact"], x["help"], x["nodes"]
            )
        })
        .collect();
    (bad, all.len())
}

async fn js(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.unwrap()
}

/// The staff officer's pages: the home page shows the map and the ladder strips, the
/// campaign page's first screen shows the bottom line, the what-if controls change the
/// decision shown, the brief renders in every format, the keyboard reaches everything, and
/// axe-core finds no serious or critical violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_decision_room_in_a_browser() {
    let Some((c, _driver, port)) = browser().await else {
        return;
    };
    let (base, _) = serve(true).await;
    let axe_js = axe_script();
    if axe_js.is_none() {
        eprintln!("accessibility check skipped: axe-core not installed (run `npm install --prefix target/axe axe-core`, as .ci/run does)");
    }
    let mut axe_report = Vec::new();
    let check_axe = |name: &'static str| {
        let c = c.clone();
        let axe_js = axe_js.clone();
        async move {
            if let Some(a) = axe_js {
                let (bad, n) = axe(&c, &a).await;
                assert!(bad.is_empty(), "axe-core on {name}: {bad:#?}");
                Some(format!("{name}: {n} violation(s) of minor or moderate impact, none serious or critical"))
            } else {
                None
            }
        }
    };

    // home: the map and the ladder strips (the rift figures come from the background)
    let mut ready = false;
    for _ in 0..120 {
        c.goto(&format!("{base}/")).await.unwrap();
        if !body_text(&c).await.contains("is being computed") {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(ready, "the rift figures never arrived on the home page");
    let tiles = c.find_all(Locator::Css(".tilemap .tile")).await.unwrap();
    assert_eq!(tiles.len(), 32, "every member on the map");
    let strips = c.find_all(Locator::Css("ol.ladder.compact")).await.unwrap();
    assert_eq!(strips.len(), 3, "one ladder strip per campaign");
    let text = body_text(&c).await;
    for w in [
        "Members hit by the campaigns",
        "Rift index",
        "EST\n1 campaign",
        "countermeasures\nblocked: legal",
    ] {
        assert!(text.contains(w), "home shows no '{w}':\n{text}");
    }
    shot(&c, "home").await;
    axe_report.extend(check_axe("home").await);
    // no external network resources: everything the page loaded came from the server
    let loaded = js(
        &c,
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
    )
    .await;
    let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
    assert!(
        loaded.iter().any(|u| u.ends_with("/static/concord.css")),
        "{loaded:?}"
    );
    assert!(
        loaded.iter().all(|u| u.starts_with(&base)),
        "external resources: {loaded:?}"
    );

    // the campaign page: the bottom line on the first screen (1280 x 800)
    c.set_window_size(1280, 800).await.unwrap();
    c.goto(&format!("{base}/campaigns/{BALTIC}")).await.unwrap();
    let first_screen = js(
        &c,
        "var h = window.innerHeight; var r = function (s) { return document.querySelector(s).getBoundingClientRect(); };
         return {bluf: r('#bluf-h').bottom <= h, blocked: r('.bluf dt:nth-of-type(2)').bottom <= h, height: h};",
    )
    .await;
    assert_eq!(first_screen["bluf"], true, "{first_screen}");
    assert_eq!(
        first_screen["blocked"], true,
        "the blocked rung is on the first screen: {first_screen}"
    );
    shot(&c, "campaign-first-screen").await;
    c.set_window_size(1280, 1600).await.unwrap();
    axe_report.extend(check_axe("campaign").await);

    // keyboard: the first Tab reaches the skip link, which is then visible; Enter moves to
    // the content
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let press = |k: Key| {
        KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k.into() })
            .then(KeyAction::Up { value: k.into() })
    };
    c.perform_actions(press(Key::Tab)).await.unwrap();
    let focus = js(&c, "var e = document.activeElement; return {cls: e.className, left: e.getBoundingClientRect().left, outline: getComputedStyle(e).outlineStyle};").await;
    assert_eq!(focus["cls"], "skip", "{focus}");
    assert!(
        focus["left"].as_f64().unwrap() >= 0.0,
        "the skip link shows when focused: {focus}"
    );
    c.perform_actions(press(Key::Enter)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(js(&c, "return document.activeElement.id").await, "main");
    // every control on the page has a label
    let unlabelled = js(&c, "return Array.from(document.querySelectorAll('select, input:not([type=hidden]), textarea')).filter(function (e) { return !(e.labels && e.labels.length); }).map(function (e) { return e.name; });").await;
    assert_eq!(unlabelled, serde_json::json!([]));

    // the rung selector from the keyboard: the arrows move the choice without leaving the
    // page (no change of context on input), Enter shows the chosen rung
    js(&c, "document.getElementById('rung').focus(); return 1;").await;
    let before = c.current_url().await.unwrap();
    c.perform_actions(press(Key::Down)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        c.current_url().await.unwrap(),
        before,
        "an arrow key changed the page"
    );
    assert_eq!(
        js(&c, "return document.getElementById('rung').value;").await,
        "art5"
    );
    c.perform_actions(press(Key::Enter)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("rung=art5"));
    assert!(body_text(&c)
        .await
        .contains("Members on: Article 5 collective defence"));

    // what-if: France abstaining on countermeasures, chosen with the page's controls
    c.find(Locator::Id("wi-member"))
        .await
        .unwrap()
        .select_by_value("FRA")
        .await
        .unwrap();
    c.find(Locator::Id("wi-rung"))
        .await
        .unwrap()
        .select_by_value("countermeasures")
        .await
        .unwrap();
    c.find(Locator::Id("wi-stance"))
        .await
        .unwrap()
        .select_by_value("abstain")
        .await
        .unwrap();
    c.find(Locator::Css("form.whatif button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = body_text(&c).await;
    assert!(after.contains("WHAT-IF, NOT SAVED."), "{after}");
    assert!(after.contains("not adopted → adopted"), "{after}");
    assert!(
        after.contains("The alliance can agree now (11 of 11 options"),
        "{after}"
    );
    let state = js(&c, "return Array.from(document.querySelectorAll('ol.ladder:not(.compact) li.rung')).map(function (l) { return l.className; });").await;
    assert!(
        state
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x.as_str().unwrap().starts_with("rung adopted")),
        "{state}"
    );
    shot(&c, "what-if-position").await;
    // and the vector: attribution low
    c.find(Locator::Id("wi-member"))
        .await
        .unwrap()
        .select_by_value("")
        .await
        .unwrap();
    c.find(Locator::Id("wi-attribution"))
        .await
        .unwrap()
        .select_by_value("low")
        .await
        .unwrap();
    c.find(Locator::Css("form.whatif button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let low = body_text(&c).await;
    assert!(low.contains("attribution: high → low"), "{low}");
    assert!(
        low.contains("Article 5 collective defence: adopted → not adopted"),
        "{low}"
    );
    shot(&c, "what-if-attribution").await;
    axe_report.extend(check_axe("campaign what-if").await);

    // the brief in every format
    c.goto(&format!("{base}/campaigns/{BALTIC}/brief"))
        .await
        .unwrap();
    let brief = body_text(&c).await;
    for w in [
        "TLP:AMBER",
        "ILLUSTRATIVE POSITIONS",
        "DTG",
        "Bottom line up front",
        "Sources",
    ] {
        assert!(brief.contains(w), "the brief shows no '{w}'");
    }
    shot(&c, "brief").await;
    axe_report.extend(check_axe("brief").await);
    // Markdown and PDF open in the browser; docx is a download (checked over HTTP below)
    c.goto(&format!("{base}/campaigns/{BALTIC}/brief?format=md"))
        .await
        .unwrap();
    let md = js(
        &c,
        "return [document.contentType, document.body.innerText];",
    )
    .await;
    assert_eq!(md[0], "text/markdown", "{md}");
    assert!(md[1].as_str().unwrap().starts_with("**TLP:AMBER**"), "{md}");
    assert!(md[1].as_str().unwrap().contains("## Bottom line up front"));
    shot(&c, "brief-md").await;
    c.goto(&format!("{base}/campaigns/{BALTIC}/brief?format=pdf"))
        .await
        .unwrap();
    assert_eq!(
        js(&c, "return document.contentType;").await,
        "application/pdf"
    );
    // keep the formats as artefacts too
    let dir = screenshots();
    for (fmt, head) in [
        ("md", &b"**TLP:AMBER"[..]),
        ("pdf", b"%PDF"),
        ("docx", b"PK"),
    ] {
        let url = format!("{base}/campaigns/{BALTIC}/brief?format={fmt}");
        let (ctype, bytes) = tokio::task::spawn_blocking(move || {
            let mut r = ureq::get(&url).call().unwrap();
            let t = r.headers()["content-type"].to_str().unwrap().to_string();
            (
                t,
                r.body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_vec()
                    .unwrap(),
            )
        })
        .await
        .unwrap();
        assert!(bytes.starts_with(head), "{fmt}: {ctype}");
        std::fs::write(dir.join(format!("brief.{fmt}")), bytes).unwrap();
    }

    // rift and policies
    c.goto(&format!("{base}/rift")).await.unwrap();
    assert!(body_text(&c).await.contains("Charts"));
    let captions = c
        .find_all(Locator::Css("figure.chart figcaption"))
        .await
        .unwrap();
    assert!(captions.len() >= 10, "every chart has a caption");
    let cap = captions[0].text().await.unwrap();
    assert!(
        cap.contains("ILLUSTRATIVE") && cap.contains("computed 20"),
        "{cap}"
    );
    shot(&c, "rift").await;
    axe_report.extend(check_axe("rift").await);
    c.goto(&format!("{base}/policies")).await.unwrap();
    axe_report.extend(check_axe("policies").await);
    assert_eq!(console_errors(&c, port).await, Vec::<String>::new());
    for line in &axe_report {
        eprintln!("axe-core: {line}");
    }
    c.close().await.unwrap();
}

/// A liaison officer previews an edit of its own position in the browser: the case outcomes
/// and campaign decisions it changes, before saving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_officer_previews_an_edit_in_the_browser() {
    let Some((c, _driver, _port)) = browser().await else {
        return;
    };
    let (base, token) = serve(false).await;
    c.goto(&format!("{base}/login")).await.unwrap();
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
    c.goto(&format!("{base}/policies")).await.unwrap();
    let text = c
        .find(Locator::Id("text"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let edited = text.replace(
        "legal = \"not affected_self\"",
        "legal = \"attribution < high\"",
    );
    c.execute(
        "document.getElementById('text').value = arguments[0];",
        vec![serde_json::json!(edited)],
    )
    .await
    .unwrap();
    c.find(Locator::Css("button[formaction='/policies/FRA/preview']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let page = body_text(&c).await;
    assert!(
        page.contains("Preview: the effect of your edit (nothing saved)"),
        "{page}"
    );
    assert!(page.contains("Baltic grid campaign"), "{page}");
    assert!(page.contains("not adopted → adopted"), "{page}");
    shot(&c, "policy-preview").await;
    // not saved: France still blocks
    c.goto(&format!("{base}/campaigns/{BALTIC}?rung=countermeasures"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("FRA\n✕ blocks: legal"));
    if let Some(a) = axe_script() {
        c.goto(&format!("{base}/policies")).await.unwrap();
        let (bad, _) = axe(&c, &a).await;
        assert!(
            bad.is_empty(),
            "axe-core on the member's policy page: {bad:#?}"
        );
    }
    c.close().await.unwrap();
}
