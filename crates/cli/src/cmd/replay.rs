//! `concord replay ID`: re-decide a stored incident or campaign at each instant its
//! evidence changed; when each rung was first adopted and who held it back until then.

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;
use concord_assess::{assess_campaign, assess_incident, IncidentFacts, SeverityModel};
use concord_rift::replay::{replay, Moment};
use concord_store::Store;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Print {"steps": [...], "rungs": [...]} as JSON.
    #[arg(long)]
    json: bool,
}

fn first_seen(v: &Value) -> String {
    v.get("extensions")
        .and_then(|e| e.get(concord_stix::concord_ext::EXTENSION_ID))
        .and_then(|e| e.get("first_seen"))
        .or_else(|| v.get("created"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn key(t: &str) -> i64 {
    concord_stix::timestamp::Timestamp::parse(t)
        .map(|t| t.unix_seconds())
        .unwrap_or(i64::MAX)
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let Some(ids) = concord_server::views::incident_ids(&store, &args.id, &ctx.viewer())? else {
        eprintln!(
            "error: {}: no stored incident or campaign with this id",
            args.id
        );
        return Ok(exit::INVALID);
    };
    let is_campaign = args.id.starts_with("campaign--");
    // the incidents and when each joined
    let mut incidents: Vec<(String, IncidentFacts)> = Vec::new();
    for id in &ids {
        let Some(o) = store.get(id)? else { continue };
        let v = o.value()?;
        match IncidentFacts::from_stix(&v) {
            Ok(f) => incidents.push((first_seen(&v), f)),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(exit::INVALID);
            }
        }
    }
    if incidents.is_empty() {
        eprintln!("error: {}: no incidents to replay", args.id);
        return Ok(exit::INVALID);
    }
    // every instant something changed: an incident joined, or evidence arrived
    let kb = concord_server::views::knowledge_base(&store, &ctx.viewer())?;
    let mut all_ids = ids.clone();
    if !all_ids.contains(&args.id) {
        all_ids.insert(0, args.id.clone());
    }
    let obs = concord_server::views::observation(&store, &kb, &all_ids, &ctx.viewer())?;
    let mut changes: BTreeMap<(i64, String), Vec<String>> = BTreeMap::new();
    let mut add = |at: &str, what: String| {
        changes
            .entry((key(at), at.to_string()))
            .or_default()
            .push(what);
    };
    for (at, f) in &incidents {
        add(at, format!("incident {} first seen", f.id));
    }
    for (t, at, rel) in &obs.techniques {
        add(at, format!("technique {t} ({rel})"));
    }
    for (s, at) in obs.software.iter().chain(&obs.infrastructure) {
        add(at, format!("linked {s}"));
    }
    for c in &obs.claims {
        add(&c.at, format!("claim {} by {}", c.id, c.by));
    }
    let model = SeverityModel::default();
    let params = concord_assess::attribution::Params::default();
    let ttp = concord_assess::attribution::TtpIndex::new(&kb, &params);
    let mut moments = Vec::new();
    for ((k, at), what) in changes {
        let present: Vec<IncidentFacts> = incidents
            .iter()
            .filter(|(t, _)| key(t) <= k)
            .map(|(_, f)| f.clone())
            .collect();
        if present.is_empty() {
            continue;
        }
        let mut a = if is_campaign {
            assess_campaign(&args.id, None, &present, &model, &alliance, &policies)
        } else {
            assess_incident(&present[0], &model, &alliance, &policies)
        };
        let r = concord_assess::attribution::attribute(&kb, &ttp, &obs, Some(&at), &params);
        a.set_attribution(&r);
        let Some(vector) = a.to_vector() else {
            anyhow::bail!(
                "internal: the assessment's vector did not parse: {}",
                a.vector
            );
        };
        moments.push(Moment { at, what, vector });
    }
    let result = replay(&alliance, &policies, &moments);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&result)?)?;
    } else {
        writeln!(
            out,
            "replay of {} over {} instant(s)",
            args.id,
            result.steps.len()
        )?;
        for s in &result.steps {
            writeln!(
                out,
                "{}  attribution {:<8} severity {:<9} highest adopted: {}",
                s.at,
                s.vector["attribution"].as_str().unwrap_or(""),
                s.vector["severity"].as_str().unwrap_or(""),
                s.highest_adopted.as_deref().unwrap_or("none")
            )?;
            for w in &s.what {
                writeln!(out, "    + {w}")?;
            }
        }
        writeln!(out)?;
        for r in &result.rungs {
            match &r.first_adopted {
                Some(t) => writeln!(
                    out,
                    "{:<28} first adopted {t}{}",
                    r.option,
                    if r.held_back_by.is_empty() {
                        String::new()
                    } else {
                        format!("; held back until then by {}", r.held_back_by.join(", "))
                    }
                )?,
                None => writeln!(
                    out,
                    "{:<28} never adopted; {}",
                    r.option,
                    if r.held_back_by.is_empty() {
                        format!(
                            "nobody blocks at the end, but {} member(s) support it and the rule is {}",
                            r.support, r.rule
                        )
                    } else {
                        format!("blocked at the end by {}", r.held_back_by.join(", "))
                    }
                )?,
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}
