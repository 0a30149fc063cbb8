//! `concord correlate`: group stored incidents into campaigns by shared artefacts.

use super::Ctx;
use crate::exit;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print {"campaigns": [{"id", "name", "incidents", "reasons"}], "ignored": {...}}.
    #[arg(long)]
    json: bool,
    /// Only report: do not store the campaigns as STIX objects.
    #[arg(long)]
    dry_run: bool,
    /// Technique similarity: incidents first seen at most this many days apart.
    #[arg(long, default_value_t = 14.0)]
    window_days: f64,
    /// Technique similarity: at least this many techniques in common.
    #[arg(long, default_value_t = 3)]
    min_shared: usize,
    /// Technique similarity: at least this Jaccard similarity of the technique sets.
    #[arg(long, default_value_t = 0.5)]
    min_jaccard: f64,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let mut store = ctx.open()?;
    let viewer = ctx.viewer();
    let params = concord_assess::correlate::Params {
        window_days: args.window_days,
        min_shared: args.min_shared,
        min_jaccard: args.min_jaccard,
    };
    let found = if args.dry_run {
        concord_app::correlate::preview(&store.reader(&viewer), &params)?
    } else {
        concord_app::correlate::correlate(&mut store, &viewer, &params)?
    };
    if let Some((changed, same)) = found.stored {
        eprintln!("stored {changed} new or changed object(s) (campaigns and their relationships); {same} unchanged");
    }
    let (campaigns, ignored) = (&found.campaigns, &found.ignored);
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
            found.incidents,
            campaigns.len()
        )?;
        for c in campaigns {
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
