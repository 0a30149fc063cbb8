//! `concord brief ID --format md|html|pdf`: the decision brief for the council.

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;
use concord_app::brief::{html, markdown, BriefInput};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    #[arg(long, default_value = "md", value_parser = ["md", "html", "pdf"])]
    format: String,
    /// Where to write (required for pdf; standard output otherwise).
    #[arg(long, short)]
    out: Option<PathBuf>,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Use the built-in FICTIONAL demo scenario instead of the database.
    #[arg(long)]
    demo: bool,
}

fn chromium() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "headless_shell",
    ]
    .into_iter()
    .find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let store = ctx.store(args.demo)?;
    use concord_app::{views, Error};
    let (a, attr, d) = match views::decision(
        &store.reader(&ctx.viewer()),
        &args.id,
        &Default::default(),
        &alliance,
        &policies,
    ) {
        Ok(x) => x,
        Err(Error::NotFound(m) | Error::Invalid(m)) => {
            eprintln!("error: {m}");
            return Ok(exit::INVALID);
        }
        Err(e) => return Err(e.into()),
    };
    let eu = concord_policy::Forum::builtin("eu");
    let eu_decision = eu
        .as_ref()
        .map(|f| concord_policy::decide(&f.alliance, &f.policies, &d.vector));
    let also = match (&eu, &eu_decision) {
        (Some(f), Some(ed)) if args.policy.alliance.is_none() => {
            vec![concord_app::brief::ForumDecision {
                alliance: &f.alliance,
                decision: ed,
                policies: &f.policies.origin,
            }]
        }
        _ => Vec::new(),
    };
    let input = BriefInput {
        assessment: &a,
        attribution: attr.as_ref(),
        decision: &d,
        alliance: &alliance,
        policies: &policies.origin,
        also,
        fictional: args.demo,
    };
    let text = match args.format.as_str() {
        "md" => markdown(&input),
        _ => html(&input),
    };
    if args.format == "pdf" {
        let Some(out) = &args.out else {
            eprintln!("error: --format pdf needs --out FILE");
            return Ok(exit::INVALID);
        };
        let Some(browser) = chromium() else {
            eprintln!("error: PDF needs headless Chromium (Debian: apt-get install chromium); use --format html instead");
            return Ok(exit::FAILURE);
        };
        let dir = tempfile::tempdir()?;
        let page = dir.path().join("brief.html");
        std::fs::write(&page, &text)?;
        let abs = std::path::absolute(out)?;
        let st = std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--print-to-pdf={}", abs.display()))
            .arg(format!("file://{}", page.display()))
            .output()?;
        if !st.status.success() || !abs.exists() {
            eprintln!(
                "error: {browser} could not print the brief: {}",
                String::from_utf8_lossy(&st.stderr)
            );
            return Ok(exit::FAILURE);
        }
        eprintln!("wrote {}", abs.display());
        return Ok(exit::OK);
    }
    match &args.out {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(exit::OK)
}
