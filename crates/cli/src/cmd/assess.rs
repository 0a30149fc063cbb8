//! `concord assess ID`: the assessment of a stored incident or campaign.

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;
use concord_assess::{assess_campaign, assess_incident, Assessment, IncidentFacts, SeverityModel};
use concord_policy::{Alliance, PolicySet};
use concord_store::Store;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Severity model (TOML) replacing the built-in weights (docs/severity.md).
    #[arg(long, value_name = "FILE")]
    pub severity: Option<PathBuf>,
    /// Print the assessment as JSON.
    #[arg(long)]
    json: bool,
}

/// Why an assessment could not be made: (exit code, message).
pub type Refusal = (i32, String);

/// Load the severity model (built-in or from a file).
pub fn model(path: Option<&PathBuf>) -> Result<SeverityModel, Refusal> {
    let Some(p) = path else {
        return Ok(SeverityModel::default());
    };
    let name = p.display().to_string();
    let text = std::fs::read_to_string(p)
        .map_err(|e| (exit::UNUSABLE, format!("{name}: cannot read: {e}")))?;
    SeverityModel::parse(&name, &text).map_err(|e| (exit::INVALID, e))
}

/// Assess a stored incident or campaign (a campaign's incidents are its `related-to` ones).
pub fn assess_stored(
    store: &Store,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> anyhow::Result<Result<Assessment, Refusal>> {
    let Some(obj) = store.get(id)? else {
        return Ok(Err((
            exit::INVALID,
            format!("{id}: no such object in the database"),
        )));
    };
    let v = obj.value()?;
    let mut a = match base_assessment(store, id, &obj.object_type, &v, model, alliance, policies)? {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let kb = crate::stored::knowledge_base(store)?;
    if let Some(r) = crate::stored::attribution_of(store, &kb, id, None)? {
        a.set_attribution(&r);
    }
    Ok(Ok(a))
}

/// Severity, effects, victims and legal class, before attribution.
fn base_assessment(
    store: &Store,
    id: &str,
    object_type: &str,
    v: &Value,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
) -> anyhow::Result<Result<Assessment, Refusal>> {
    match object_type {
        "incident" => Ok(IncidentFacts::from_stix(v)
            .map(|f| assess_incident(&f, model, alliance, policies))
            .map_err(|e| (exit::INVALID, e.to_string()))),
        "campaign" => {
            let mut facts = Vec::new();
            for rel in store.relationships_of(id)? {
                let r = rel.value()?;
                if r.get("relationship_type").and_then(Value::as_str) != Some("related-to") {
                    continue;
                }
                let other = [r.get("source_ref"), r.get("target_ref")]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .find(|x| *x != id)
                    .map(String::from);
                let Some(other) = other.filter(|o| o.starts_with("incident--")) else {
                    continue;
                };
                let Some(inc) = store.get(&other)? else {
                    continue;
                };
                match IncidentFacts::from_stix(&inc.value()?) {
                    Ok(f) => facts.push(f),
                    Err(e) => return Ok(Err((exit::INVALID, e.to_string()))),
                }
            }
            if facts.is_empty() {
                return Ok(Err((
                    exit::INVALID,
                    format!("{id}: the campaign has no related-to incidents in the database"),
                )));
            }
            facts.sort_by(|a, b| a.id.cmp(&b.id));
            let name = v.get("name").and_then(Value::as_str).map(String::from);
            Ok(Ok(assess_campaign(
                id, name, &facts, model, alliance, policies,
            )))
        }
        other => Ok(Err((
            exit::INVALID,
            format!("{id} is a {other}, not an incident or a campaign"),
        ))),
    }
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let model = match model(args.severity.as_ref()) {
        Ok(m) => m,
        Err((code, m)) => {
            eprintln!("error: {m}");
            return Ok(code);
        }
    };
    let store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let a = match assess_stored(&store, &args.id, &model, &alliance, &policies)? {
        Ok(a) => a,
        Err((code, m)) => {
            eprintln!("error: {m}");
            return Ok(code);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&a)?)?;
    } else {
        writeln!(
            out,
            "{} {} {}",
            a.kind,
            a.id,
            a.name.as_deref().unwrap_or("")
        )?;
        writeln!(
            out,
            "severity     {} ({} of 100)",
            a.severity.level, a.severity.score
        )?;
        for f in &a.severity.factors {
            writeln!(
                out,
                "  {:<24} {:<16} x{:.2} = {:>5.1} points{}",
                f.category,
                f.value,
                f.weight,
                f.points,
                if f.defaulted {
                    "  (not given: lowest level)"
                } else {
                    ""
                }
            )?;
        }
        writeln!(out, "effects      {}", a.effects)?;
        writeln!(out, "actor        {}", a.actor)?;
        writeln!(out, "sectors      {}", a.sectors.join(", "))?;
        writeln!(
            out,
            "victims      {} ({} members affected)",
            a.victims.join(", "),
            a.members_affected
        )?;
        writeln!(
            out,
            "attribution  {} ({})",
            a.attribution.level,
            a.attribution.reasons.join("; ")
        )?;
        let mut by_class: std::collections::BTreeMap<&str, Vec<&str>> =
            std::collections::BTreeMap::new();
        for (m, l) in &a.legal {
            by_class.entry(l.class).or_default().push(m);
        }
        for (class, ms) in by_class {
            writeln!(out, "legal        {class}: {}", ms.join(", "))?;
        }
        for r in &a.reasons {
            writeln!(out, "  - {r}")?;
        }
        writeln!(out, "vector       {}", a.vector)?;
    }
    out.flush()?;
    Ok(exit::OK)
}
