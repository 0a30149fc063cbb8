//! `concord attribute ID`: who is behind a stored incident or campaign, how sure, and why.

use super::Ctx;
use crate::exit;
use anyhow::Context;
use concord_store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    /// Use only evidence timestamped at or before this instant (a STIX timestamp).
    #[arg(long, value_name = "TIMESTAMP")]
    at: Option<String>,
    /// Print {"groups", "states", "level", "reasons", "ach", ...} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    if let Some(t) = &args.at {
        if concord_stix::timestamp::Timestamp::parse(t).is_err() {
            eprintln!("error: --at {t}: not a STIX timestamp (e.g. 2026-03-01T00:00:00Z)");
            return Ok(exit::INVALID);
        }
    }
    let store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let kb = concord_server::views::knowledge_base(&store, &ctx.viewer())?;
    let Some(r) = concord_server::views::attribution_of(
        &store,
        &kb,
        &args.id,
        args.at.as_deref(),
        &ctx.viewer(),
    )?
    else {
        eprintln!(
            "error: {}: no stored incident or campaign with this id",
            args.id
        );
        return Ok(exit::INVALID);
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    writeln!(
        out,
        "attribution of {}{}: {} (actor {})",
        args.id,
        r.as_of
            .as_deref()
            .map(|t| format!(" as of {t}"))
            .unwrap_or_default(),
        r.level,
        r.actor
    )?;
    let mut states: Vec<(&String, &f64)> = r.states.iter().collect();
    states.sort_by(|a, b| b.1.total_cmp(a.1));
    write!(out, "states:")?;
    for (s, p) in states.iter().take(5) {
        write!(out, " {s} {p:.3}")?;
    }
    writeln!(out, "; no state {:.3}", r.no_state)?;
    writeln!(out, "groups:")?;
    for g in r.groups.iter().take(5) {
        writeln!(
            out,
            "  {:<10} {:<28} {:.4}  {}",
            g.group_id,
            g.name,
            g.score,
            g.sponsor.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "reasons:")?;
    for x in &r.reasons {
        writeln!(out, "  - {x}")?;
    }
    writeln!(out, "ACH ({}):", r.ach.hypotheses.join(" | "))?;
    for row in &r.ach.rows {
        writeln!(
            out,
            "  {:<44} {}{}",
            row.evidence,
            row.ratings.join(" "),
            if row.diagnostic { "  diagnostic" } else { "" }
        )?;
    }
    writeln!(
        out,
        "  inconsistency: {}; least inconsistent: {}",
        r.ach
            .inconsistency
            .iter()
            .map(|(h, x)| format!("{h} {x:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        r.ach.least_inconsistent.as_deref().unwrap_or("-")
    )?;
    if !r.ach.sensitive_to.is_empty() {
        writeln!(
            out,
            "  the leading state changes without: {}",
            r.ach.sensitive_to.join(", ")
        )?;
    }
    out.flush()?;
    Ok(exit::OK)
}
