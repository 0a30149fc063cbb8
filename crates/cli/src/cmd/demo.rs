//! `concord demo`: ingest the built-in FICTIONAL demo bundle into a temporary SQLite
//! store and show what was stored. Needs no external data.

use super::Ctx;
use crate::exit;
use anyhow::Context;
use concord_stix::concord_ext;
use concord_store::access::Principal;
use concord_store::Store;
use serde_json::Value;
use std::io::Write;

/// The demo bundle: fictional actors, members' national CERT identities, incidents with
/// concord's extension facts, indicators and Admiralty-rated attribution claims.
pub const DEMO_BUNDLE: &str = include_str!("../../data/demo-bundle.json");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the ingest summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let db = dir.path().join("demo.db");
    let mut store = Store::open(&db)?;
    let summary = concord_app::demo::load(&mut store, DEMO_BUNDLE, "demo-bundle.json")?.summary;
    // what the hub, which stored it, reads
    let reader = store.reader(&Principal::Hub);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"fictional": true, "database": db.display().to_string(), "stored": summary.stored, "duplicates": summary.duplicates, "rejected": summary.rejected, "by_type": summary.by_type})
        )?;
        return Ok(exit::OK);
    }
    writeln!(
        out,
        "concord demo: FICTIONAL scenario (no real actors or incidents)"
    )?;
    writeln!(
        out,
        "stored {} objects into a temporary SQLite store ({})\n",
        summary.stored,
        db.display()
    )?;
    writeln!(out, "{:<24} {:>6}", "type", "stored")?;
    for (t, n) in reader.count_by_type()? {
        writeln!(out, "{t:<24} {n:>6}")?;
    }
    writeln!(out, "\nincidents:")?;
    for inc in reader.latest_of_type("incident")? {
        let v = inc.value()?;
        let facts = &v["extensions"][concord_ext::EXTENSION_ID];
        let list = |k: &str| {
            facts[k]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default()
        };
        writeln!(
            out,
            "  {}  victims {}  sectors {}  effects {}  TLP:{}\n    {}",
            v["created"].as_str().unwrap_or(""),
            list("victims"),
            list("sectors"),
            facts["effects"].as_str().unwrap_or("?"),
            inc.tlp.as_deref().unwrap_or("green").to_uppercase(),
            v["name"].as_str().unwrap_or("")
        )?;
    }
    writeln!(out, "\naudit log entries: {}", store.audit_len()?)?;
    out.flush()?;
    Ok(exit::OK)
}
