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
    /// Only report: do not store the campaigns as STIX objects.
    #[arg(long)]
    dry_run: bool,
}

/// Store each campaign (and its `related-to` relationships) unless an equal one is stored.
/// A changed campaign gets a new version (`modified` = now); `created` stays.
fn store_campaigns(
    store: &mut Store,
    campaigns: &[concord_assess::correlate::Campaign],
    submitter: &str,
) -> anyhow::Result<(usize, usize)> {
    use concord_assess::correlate::{campaign_objects, Member};
    let (mut new_versions, mut unchanged) = (0, 0);
    for c in campaigns {
        let mut members = Vec::new();
        for id in &c.incidents {
            let Some(inc) = store.get(id)? else { continue };
            let v = inc.value()?;
            let created = v
                .get("created")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let first_seen = v
                .get("extensions")
                .and_then(|e| e.get(EXTENSION_ID))
                .and_then(|e| e.get("first_seen"))
                .and_then(Value::as_str)
                .unwrap_or(&created)
                .to_string();
            members.push(Member {
                id: id.clone(),
                created,
                first_seen,
                tlp: inc.tlp.clone(),
            });
        }
        let earliest = members
            .iter()
            .map(|m| m.created.clone())
            .min()
            .unwrap_or_default();
        let previous = store.get(&c.id)?.map(|p| p.value()).transpose()?;
        let created = previous
            .as_ref()
            .and_then(|p| p.get("created"))
            .and_then(Value::as_str)
            .map_or(earliest, String::from);
        let now = concord_stix::timestamp::now();
        let mut objects = campaign_objects(c, &members, &created, &now);
        if let Some(prev) = &previous {
            let mut same = objects[0].clone();
            same["modified"] = prev["modified"].clone();
            if concord_stix::canonical::canonical(&same) == concord_stix::canonical::canonical(prev)
            {
                objects[0] = prev.clone();
                unchanged += 1;
            } else {
                new_versions += 1;
            }
        } else {
            new_versions += 1;
        }
        for o in &objects {
            let report =
                concord_stix::validate::validate_object(o, "$", &concord_stix::Options::default());
            anyhow::ensure!(
                report.is_valid(),
                "derived object for campaign {} is invalid: {:?}",
                c.id,
                report.errors
            );
        }
        let s = store.ingest_values(&objects, submitter, "concord correlate")?;
        anyhow::ensure!(
            s.rejections.is_empty(),
            "storing campaign {} was refused: {:?}",
            c.id,
            s.rejections
        );
    }
    Ok((new_versions, unchanged))
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
    let mut store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let incidents = gather(&store)?;
    let (campaigns, ignored) = correlate(&incidents);
    if !args.dry_run {
        let (changed, same) = store_campaigns(&mut store, &campaigns, &ctx.submitter)?;
        eprintln!("stored {changed} new or changed campaign(s); {same} unchanged");
    }
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
