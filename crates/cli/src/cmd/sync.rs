//! `concord sync`: pull a collection from another TAXII 2.1 server (every version, so new
//! versions and revocations arrive). Idempotent: what is already stored is a duplicate.
//! Invalid remote objects are skipped and reported; they never block the rest.

use super::Ctx;
use crate::exit;
use anyhow::Context;
use base64::Engine;
use serde_json::Value;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote API root (e.g. http://localhost:5000/trustgroup1/).
    #[arg(long)]
    from: String,
    /// The remote collection id.
    #[arg(long)]
    collection: String,
    /// Bearer token.
    #[arg(long, conflicts_with_all = ["user", "password"])]
    token: Option<String>,
    /// HTTP Basic user.
    #[arg(long, requires = "password")]
    user: Option<String>,
    #[arg(long, requires = "user")]
    password: Option<String>,
    /// Objects per page to ask for.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

const TAXII: &str = "application/taxii+json;version=2.1";

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    use concord_app::submit::{submit, Atomicity, Input, Submission};
    let mut store = ctx.open()?;
    let viewer = ctx.viewer();
    let root = if args.from.ends_with('/') {
        args.from.clone()
    } else {
        format!("{}/", args.from)
    };
    let auth = match (&args.token, &args.user, &args.password) {
        (Some(t), _, _) => Some(format!("Bearer {t}")),
        (None, Some(u), Some(p)) => Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
        )),
        _ => None,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (mut fetched, mut stored, mut duplicates) = (0usize, 0usize, 0usize);
    let mut skipped: Vec<Value> = Vec::new();
    let mut next: Option<String> = None;
    let opts = concord_stix::Options::default();
    loop {
        let mut url = format!(
            "{root}collections/{}/objects/?limit={}&match%5Bversion%5D=all",
            args.collection, args.limit
        );
        if let Some(n) = &next {
            url.push_str(&format!(
                "&next={}",
                n.replace('&', "%26").replace('+', "%2B")
            ));
        }
        let mut req = agent.get(&url).header("Accept", TAXII);
        if let Some(a) = &auth {
            req = req.header("Authorization", a);
        }
        let mut resp = req.call().with_context(|| format!("GET {url}"))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .with_context(|| format!("reading {url}"))?;
        if status != 200 {
            eprintln!(
                "error: GET {url}: HTTP {status}: {}",
                body.chars().take(300).collect::<String>()
            );
            return Ok(if status == 401 || status == 403 || status == 404 {
                exit::INVALID
            } else {
                exit::FAILURE
            });
        }
        let page: Value = match serde_json::from_str(&body) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: GET {url}: the response is not JSON: {e}");
                return Ok(exit::UNUSABLE);
            }
        };
        let objects = page
            .get("objects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        fetched += objects.len();
        // each object on its own: invalid or refused objects are skipped, never blocking
        let done = submit(
            &mut store,
            Submission {
                input: Input::Objects(&objects),
                options: &opts,
                submitter: &viewer,
                source: &format!("sync {root} {}", args.collection),
                atomicity: Atomicity::EachObject,
            },
        )?;
        stored += done.summary.stored;
        duplicates += done.summary.duplicates;
        for s in &done.skipped {
            skipped
                .push(serde_json::json!({"id": s.id, "version": s.version, "errors": s.reasons()}));
        }
        let more = page.get("more").and_then(Value::as_bool).unwrap_or(false);
        next = page.get("next").and_then(|n| {
            n.as_str()
                .map(String::from)
                .or_else(|| n.as_i64().map(|x| x.to_string()))
        });
        if !more || next.is_none() || objects.is_empty() {
            break;
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"fetched": fetched, "stored": stored, "duplicates": duplicates, "skipped": skipped})
        )?;
    } else {
        writeln!(out, "fetched {fetched} object version(s): {stored} stored, {duplicates} already here, {} skipped", skipped.len())?;
        for s in &skipped {
            writeln!(out, "  skipped {}: {}", s["id"], s["errors"])?;
        }
    }
    Ok(if skipped.is_empty() {
        exit::OK
    } else {
        exit::INVALID
    })
}
