//! Server time per dashboard page on the built-in demo: each page is requested N times
//! through the whole application (`app(state)`, no socket, so the figures are the server's
//! own time: routing, store reads, assessment, attribution, decisions, rendering), after one
//! warm-up request per page (the rift figures are computed once per policy set and cached).
//!
//! usage: cargo run --release -p concord-server --example pages [-- N]
//! Prints per page the median, p90 and maximum in milliseconds. The PDF brief is printed by
//! headless Chromium (a separate process) and is listed apart.

use axum::body::Body;
use axum::http::Request;
use concord_policy::Alliance;
use concord_server::{app, demo, AppState};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const BALTIC: &str = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(50);
    let texts = concord_policy::policy::BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    let st = Arc::new(AppState::new(
        demo::store()?,
        Alliance::nato(),
        texts,
        true,
    )?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let campaign = format!("/campaigns/{BALTIC}");
    let pages: Vec<(&str, String)> = vec![
        ("home", "/".into()),
        ("campaign", campaign.clone()),
        ("campaign, another rung", format!("{campaign}?rung=art5")),
        (
            "campaign, what-if (position)",
            format!("{campaign}?pos_member=FRA&pos_rung=countermeasures&pos_stance=abstain"),
        ),
        (
            "campaign, what-if (vector)",
            format!("{campaign}?attribution=low&victims=EST,LVA"),
        ),
        (
            "campaign, what-if (only sharing)",
            format!("{campaign}?attribution=none&actor=unknown"),
        ),
        ("brief html", format!("{campaign}/brief")),
        ("brief md", format!("{campaign}/brief?format=md")),
        ("brief docx", format!("{campaign}/brief?format=docx")),
        ("rift", "/rift".into()),
        ("policies", "/policies".into()),
        ("ingest", "/ingest".into()),
    ];
    let get = |uri: String| {
        let st = st.clone();
        async move {
            let t = Instant::now();
            let r = app(st)
                .oneshot(Request::get(uri.as_str()).body(Body::empty())?)
                .await?;
            let status = r.status();
            let _ = r.into_body().collect().await?;
            if !status.is_success() {
                return Err(format!("{uri}: {status}").into());
            }
            Ok::<Duration, Box<dyn std::error::Error>>(t.elapsed())
        }
    };
    rt.block_on(async {
        // the rift figures: computed once per policy set, then cached
        let t = Instant::now();
        get("/rift".into()).await?;
        println!(
            "first /rift (computes and caches the rift figures and charts): {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        println!(
            "{:<32} {:>9} {:>9} {:>9}   (ms, {n} requests each)",
            "page", "median", "p90", "max"
        );
        for (name, uri) in &pages {
            get(uri.clone()).await?;
            let mut times = Vec::with_capacity(n);
            for _ in 0..n {
                times.push(get(uri.clone()).await?.as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            println!(
                "{:<32} {:>9.2} {:>9.2} {:>9.2}",
                name,
                q(0.5),
                q(0.9),
                times[times.len() - 1]
            );
        }
        if concord_server::brief::chromium().is_some() {
            let mut times = Vec::new();
            for _ in 0..3 {
                times.push(
                    get(format!("{campaign}/brief?format=pdf"))
                        .await?
                        .as_secs_f64()
                        * 1e3,
                );
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{:<32} {:>9.2} {:>9} {:>9.2}   (3 requests; headless Chromium prints it)",
                "brief pdf", times[1], "-", times[2]
            );
        }
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;
    Ok(())
}
