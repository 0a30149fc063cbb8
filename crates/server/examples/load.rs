//! A small TAXII load generator: C connections (threads), each walking R pages of a
//! collection (`limit` objects per page, following `next`), timing every request.
//!
//! usage: cargo run --release -p concord-server --example load -- \
//!          OBJECTS_URL AUTH CONNECTIONS PAGES_PER_CONNECTION [LIMIT]
//! AUTH is `bearer:TOKEN` or `basic:USER:PASSWORD`. Prints requests, median, p90, p99,
//! max latency and requests per second.

use base64::Engine;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 5 {
        eprintln!("usage: load OBJECTS_URL AUTH CONNECTIONS PAGES [LIMIT]");
        std::process::exit(2);
    }
    let url = a[1].clone();
    let auth = if let Some(t) = a[2].strip_prefix("bearer:") {
        format!("Bearer {t}")
    } else if let Some(up) = a[2].strip_prefix("basic:") {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(up)
        )
    } else {
        String::new()
    };
    let conns: usize = a[3].parse()?;
    let pages: usize = a[4].parse()?;
    let limit: usize = a.get(5).and_then(|x| x.parse().ok()).unwrap_or(100);
    let start = Instant::now();
    let handles: Vec<_> = (0..conns)
        .map(|_| {
            let (url, auth) = (url.clone(), auth.clone());
            std::thread::spawn(move || -> Vec<(Duration, usize)> {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(600)))
                    .build()
                    .into();
                let mut out = Vec::new();
                let mut next: Option<String> = None;
                for _ in 0..pages {
                    let mut u = format!("{url}?limit={limit}");
                    if let Some(n) = &next {
                        u.push_str(&format!("&next={n}"));
                    }
                    let t = Instant::now();
                    let resp = agent
                        .get(&u)
                        .header("Accept", "application/taxii+json;version=2.1")
                        .header("Authorization", &auth)
                        .call();
                    let Ok(mut resp) = resp else { break };
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(1 << 30)
                        .read_to_string()
                        .unwrap_or_default();
                    let dt = t.elapsed();
                    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    let n = v["objects"].as_array().map_or(0, Vec::len);
                    out.push((dt, n));
                    next = if v["more"] == true {
                        v["next"].as_str().map(|s| s.replace('+', "%2B"))
                    } else {
                        None
                    };
                }
                out
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.join().map_err(|_| "worker panicked")?);
    }
    let wall = start.elapsed();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |x| x.0.as_secs_f64() * 1e3)
    };
    let objects: usize = all.iter().map(|x| x.1).sum();
    println!(
        "{} requests ({} objects) over {conns} connection(s) in {:.2} s: median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.1} requests/s",
        all.len(),
        objects,
        wall.as_secs_f64(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        all.len() as f64 / wall.as_secs_f64()
    );
    Ok(())
}
