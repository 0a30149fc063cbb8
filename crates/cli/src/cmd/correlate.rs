//! `concord correlate`: group stored incidents into campaigns by shared artefacts.

use super::Ctx;
use crate::exit;
use anyhow::Context;
use concord_assess::correlate::{correlate, IncidentArtefacts};
use concord_stix::concord_ext::EXTENSION_ID;
use concord_store::Store;
use serde_json::Value;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print {"campaigns": [{"id", "name", "incidents", "reasons"}], "ignored": {...}}.
    #[arg(long)]
    json: bool,
}

/// The artefact keys an object contributes.
fn keys_of(v: &Value) -> Vec<String> {
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    let id = v.get("id").and_then(Value::as_str).unwrap_or("");
    match ty {
        "ipv4-addr" | "ipv6-addr" | "domain-name" | "url" | "email-addr" | "mac-addr" => v
            .get("value")
            .and_then(Value::as_str)
            .map(|x| vec![format!("{ty}:{}", x.to_ascii_lowercase())])
            .unwrap_or_default(),
        "file" | "artifact" | "x509-certificate" => v
            .get("hashes")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, x)| {
                        x.as_str().map(|x| {
                            format!("file:{}:{}", k.to_ascii_lowercase(), x.to_ascii_lowercase())
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        "indicator" => {
            let mut out = vec![format!("indicator:{id}")];
            if v.get("pattern_type").and_then(Value::as_str) == Some("stix") {
                if let Some(p) = v
                    .get("pattern")
                    .and_then(Value::as_str)
                    .and_then(|p| concord_stix::pattern::parse(p).ok())
                {
                    for (t, prop, val) in p.equalities() {
                        if prop == "value" {
                            out.push(format!("{t}:{}", val.to_ascii_lowercase()));
                        } else if let Some(algo) = prop.strip_prefix("hashes.") {
                            out.push(format!(
                                "file:{}:{}",
                                algo.trim_matches('\'').to_ascii_lowercase(),
                                val.to_ascii_lowercase()
                            ));
                        }
                    }
                }
            }
            out
        }
        "infrastructure" | "malware" | "tool" => vec![format!("{ty}:{id}")],
        _ => Vec::new(),
    }
}

/// Every stored incident with its artefacts (through `uses` and `related-to` relationships).
pub fn gather(store: &Store) -> anyhow::Result<Vec<IncidentArtefacts>> {
    let mut out = Vec::new();
    for inc in store.latest_of_type("incident")? {
        let v = inc.value()?;
        let first_seen = v
            .get("extensions")
            .and_then(|e| e.get(EXTENSION_ID))
            .and_then(|e| e.get("first_seen"))
            .or_else(|| v.get("created"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut artefacts = Vec::new();
        for rel in store.relationships_of(&inc.id)? {
            let r = rel.value()?;
            let rt = r
                .get("relationship_type")
                .and_then(Value::as_str)
                .unwrap_or("");
            if rt != "uses" && rt != "related-to" {
                continue;
            }
            let other = [r.get("source_ref"), r.get("target_ref")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|x| *x != inc.id);
            let Some(other) = other else { continue };
            let Some(obj) = store.get(other)? else {
                continue;
            };
            for k in keys_of(&obj.value()?) {
                artefacts.push((k, other.to_string()));
            }
        }
        out.push(IncidentArtefacts {
            id: inc.id.clone(),
            name: v.get("name").and_then(Value::as_str).map(String::from),
            first_seen,
            artefacts,
        });
    }
    Ok(out)
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let incidents = gather(&store)?;
    let (campaigns, ignored) = correlate(&incidents);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"campaigns": campaigns, "ignored": ignored})
        )?;
    } else {
        writeln!(
            out,
            "{} incidents, {} campaign(s)",
            incidents.len(),
            campaigns.len()
        )?;
        for c in &campaigns {
            writeln!(
                out,
                "\n{}  {}\n  incidents: {}",
                c.id,
                c.name,
                c.incidents.join(", ")
            )?;
            for r in &c.reasons {
                writeln!(out, "  - {r}")?;
            }
        }
        for (k, why) in &ignored.public {
            writeln!(out, "\nnot linking {k}: {why}")?;
        }
        for (k, n) in &ignored.too_common {
            writeln!(
                out,
                "\nnot linking {k}: seen in {n} incidents (too common to link on its own)"
            )?;
        }
    }
    out.flush()?;
    Ok(exit::OK)
}
