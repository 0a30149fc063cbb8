//! `concord brief ID --format md|html|pdf|docx`: the decision brief for the council, in a
//! staff-ready layout (TLP banner, date-time group, bottom line up front, ladder and tile
//! map, sources).

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;
use concord_app::brief::{self, BriefError};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    #[arg(long, default_value = "md", value_parser = ["md", "html", "pdf", "docx"])]
    format: String,
    /// Where to write (required for pdf and docx; standard output otherwise).
    #[arg(long, short)]
    out: Option<PathBuf>,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Use the built-in FICTIONAL demo scenario instead of the database.
    #[arg(long)]
    demo: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    if matches!(args.format.as_str(), "pdf" | "docx") && args.out.is_none() {
        eprintln!("error: --format {} needs --out FILE", args.format);
        return Ok(exit::INVALID);
    }
    let store = ctx.store(args.demo)?;
    let Some(policies) = args.policy.in_force(&store, &alliance, policies)? else {
        return Ok(exit::INVALID);
    };
    // the EU beside NATO, unless another alliance replaces the built-in one
    let eu = concord_policy::Forum::builtin("eu").filter(|_| args.policy.alliance.is_none());
    let others: Vec<&concord_policy::Forum> = eu.iter().collect();
    let now = concord_stix::timestamp::now();
    use concord_app::Error;
    let doc = match brief::from_store(
        &store.reader(&ctx.viewer()),
        &args.id,
        &alliance,
        &policies,
        &others,
        args.demo,
        &now,
    ) {
        Ok(x) => x,
        Err(Error::NotFound(m) | Error::Invalid(m)) => {
            eprintln!("error: {m}");
            return Ok(exit::INVALID);
        }
        Err(e) => return Err(e.into()),
    };
    let bytes = match args.format.as_str() {
        "md" => brief::markdown(&doc).into_bytes(),
        "docx" => brief::docx(&doc)?,
        "pdf" => match brief::pdf(&brief::html(&doc)) {
            Ok(b) => b,
            Err(e @ (BriefError::NoChromium | BriefError::Print(..))) => {
                eprintln!("error: {e}");
                return Ok(exit::FAILURE);
            }
            Err(e) => return Err(e.into()),
        },
        _ => brief::html(&doc).into_bytes(),
    };
    match &args.out {
        Some(p) => {
            std::fs::write(p, &bytes).with_context(|| format!("writing {}", p.display()))?;
            eprintln!("wrote {} ({} under {})", p.display(), args.format, doc.dtg);
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(exit::OK)
}
