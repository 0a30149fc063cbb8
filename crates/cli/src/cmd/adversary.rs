//! `concord adversary --assessment FILE --target RUNG`: the cheapest change in what an
//! attacker controls that keeps a rung from adoption (docs/adversary.md).

use super::{Ctx, PolicyArgs};
use crate::exit;
use concord_policy::whatif::{cheapest_move, AdversaryError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Assessment vector (JSON, DESIGN 3; `-` for standard input).
    #[arg(long, value_name = "FILE")]
    assessment: PathBuf,
    /// The rung the attacker wants to keep from adoption (a ladder id, e.g. solidarity).
    #[arg(long, value_name = "RUNG")]
    target: String,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Most states the search evaluates.
    #[arg(long, default_value_t = 20_000)]
    budget: usize,
    /// Print one JSON document: the move, and the decision before and after.
    #[arg(long)]
    json: bool,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let vector = match super::decide::read_vector(&args.assessment)? {
        Ok(v) => v,
        Err(code) => return Ok(code),
    };
    let m = match cheapest_move(&alliance, &policies, &vector, &args.target, args.budget) {
        Ok(m) => m,
        Err(e @ AdversaryError::UnknownRung(..)) => {
            eprintln!("error: {e}");
            return Ok(exit::INVALID);
        }
        Err(e) => {
            eprintln!("{e}");
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({"target": args.target, "move": null})
                );
            }
            return Ok(exit::OK);
        }
    };
    let before = concord_policy::decide(&alliance, &policies, &vector);
    let after = concord_policy::decide(&alliance, &policies, &m.vector);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"move": m, "before": before, "after": after})
        )?;
        out.flush()?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}: {}", alliance.name, vector.summary())?;
    if !m.adopted_before {
        writeln!(
            out,
            "'{}' is not adopted as it is: the attacker need change nothing",
            m.target
        )?;
        out.flush()?;
        return Ok(exit::OK);
    }
    writeln!(
        out,
        "cheapest move keeping '{}' from adoption: cost {} ({} change(s), {} states searched)",
        m.target,
        m.cost,
        m.changes.len(),
        m.explored
    )?;
    for c in &m.changes {
        writeln!(out, "  {}: {} -> {}", c.dimension, c.from, c.to)?;
    }
    writeln!(out, "after: {}", m.vector.summary())?;
    if let Some(o) = after.option(&m.target) {
        writeln!(
            out,
            "'{}' then: {}",
            m.target,
            concord_policy::explain::missing_phrases(&alliance, o).join("; ")
        )?;
    }
    let lost: Vec<&str> = before
        .options
        .iter()
        .zip(&after.options)
        .filter(|(b, a)| b.adopted && !a.adopted)
        .map(|(b, _)| b.id.as_str())
        .collect();
    writeln!(
        out,
        "rungs the move also keeps from adoption: {}",
        if lost.is_empty() {
            "none".to_string()
        } else {
            lost.join(", ")
        }
    )?;
    out.flush()?;
    Ok(exit::OK)
}
