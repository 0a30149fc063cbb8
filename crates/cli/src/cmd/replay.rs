//! `concord replay ID`: re-decide a stored incident or campaign at each instant its
//! evidence changed; when each rung was first adopted and who held it back until then.

use super::{Ctx, PolicyArgs};
use crate::exit;
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

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let store = ctx.open()?;
    let Some(policies) = args.policy.in_force(&store, &alliance, policies)? else {
        return Ok(exit::INVALID);
    };
    use concord_app::Error;
    let result = match concord_app::views::replay(
        &store.reader(&ctx.viewer()),
        &args.id,
        &alliance,
        &policies,
    ) {
        Ok(r) => r,
        Err(Error::NotFound(m) | Error::Invalid(m)) => {
            eprintln!("error: {m}");
            return Ok(exit::INVALID);
        }
        Err(e) => return Err(e.into()),
    };
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
                s.vector.attribution_word(),
                s.vector.severity_word(),
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
                        format!("; held back until then by {}", held_back(r))
                    }
                )?,
                None => writeln!(
                    out,
                    "{:<28} never adopted; {}",
                    r.option,
                    if r.held_back_by.is_empty() {
                        format!(
                            "missing at the end: {} ({} supporter(s), rule {})",
                            r.missing.join(", "),
                            r.support,
                            r.rule
                        )
                    } else {
                        format!(
                            "blocked at the end by {}; missing: {}",
                            held_back(r),
                            r.missing.join(", ")
                        )
                    }
                )?,
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

/// "FRA (risk), DEU (threshold)".
fn held_back(r: &concord_rift::replay::RungHistory) -> String {
    r.held_back_by
        .iter()
        .map(|m| match r.reasons.get(m) {
            Some(rs) if !rs.is_empty() => format!("{m} ({})", rs.words().join(", ")),
            _ => m.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
