//! `concord assess ID`: the assessment of a stored incident or campaign.

use super::{Ctx, PolicyArgs};
use crate::exit;
use concord_assess::{Assessment, SeverityModel};
use concord_policy::{Alliance, PolicySet};
use concord_store::Store;
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
    SeverityModel::parse(&name, &text).map_err(|e| (exit::INVALID, e.to_string()))
}

/// Assess a stored incident or campaign as the CLI's viewer; a refusal carries the exit code.
pub fn assess_stored(
    store: &Store,
    id: &str,
    model: &SeverityModel,
    alliance: &Alliance,
    policies: &PolicySet,
    viewer: &concord_store::access::Principal,
) -> anyhow::Result<Result<Assessment, Refusal>> {
    use concord_app::{views::assess, Error};
    match assess(&store.reader(viewer), id, model, alliance, policies) {
        Ok(a) => Ok(Ok(a)),
        Err(Error::NotFound(m) | Error::Invalid(m)) => Ok(Err((exit::INVALID, m))),
        Err(e) => Err(e.into()),
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
    let store = ctx.open()?;
    let Some(policies) = args.policy.in_force(&store, &alliance, policies)? else {
        return Ok(exit::INVALID);
    };
    let a = match assess_stored(
        &store,
        &args.id,
        &model,
        &alliance,
        &policies,
        &ctx.viewer(),
    )? {
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
            a.attribution.statement,
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
        writeln!(out, "vector       {}", a.vector.to_json())?;
    }
    out.flush()?;
    Ok(exit::OK)
}
