//! `concord cases [FILE]`: decide every case of the case library in every forum it has
//! known outcomes for, and compare with history. Without FILE: the built-in library.

use super::{Ctx, PolicyArgs};
use crate::exit;
use concord_policy::cases::{self, CaseError};
use concord_policy::{Forum, FORUM_IDS};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case file (JSON, the shape of ../shared/data/cases/cases.json); default: the built-in
    /// library (the shared cases plus sourced EU outcomes).
    file: Option<PathBuf>,
    #[command(flatten)]
    policy: PolicyArgs,
    /// The forum that --alliance and --policies replace (nato or eu); the other forum keeps
    /// its built-in positions.
    #[arg(long, value_name = "ID", default_value = "nato")]
    forum: String,
    /// Print the whole report as one JSON document.
    #[arg(long)]
    json: bool,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    if Forum::parse_list(&args.forum).map_or(true, |l| l.len() != 1) {
        eprintln!(
            "error: --forum takes one of: {} (not '{}')",
            FORUM_IDS.join(", "),
            args.forum
        );
        return Ok(exit::INVALID);
    }
    let mut forums = Vec::new();
    for id in FORUM_IDS {
        let loaded = if id == args.forum {
            args.policy.load_for(id)
        } else {
            PolicyArgs {
                alliance: None,
                policies: None,
            }
            .load_for(id)
        };
        match loaded {
            Ok((alliance, policies)) => forums.push(Forum {
                id: id.to_string(),
                alliance,
                policies,
            }),
            Err(e) => {
                super::print_config_errors(&e, args.json)?;
                return Ok(exit::INVALID);
            }
        }
    }
    let (name, text) = match &args.file {
        None => (
            "built-in cases".to_string(),
            cases::BUILTIN_CASES.to_string(),
        ),
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => (p.display().to_string(), t),
            Err(e) => {
                eprintln!("error: {}: cannot read: {e}", p.display());
                return Ok(exit::UNUSABLE);
            }
        },
    };
    let result = cases::parse(&name, &text).and_then(|c| cases::score(&name, &c, &forums));
    let report = match result {
        Ok(r) => r,
        Err(e @ CaseError::Syntax { .. }) => {
            eprintln!("error: {e}");
            return Ok(exit::UNUSABLE);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(exit::INVALID);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    for f in &forums {
        writeln!(
            out,
            "{}: {}{}",
            f.alliance.name,
            f.policies.origin.name,
            if f.policies.origin.illustrative {
                " (ILLUSTRATIVE POSITIONS)"
            } else {
                ""
            }
        )?;
    }
    writeln!(
        out,
        "\n{:<18} {:<5} {:<18} {:<8} {:<8} agree",
        "case", "forum", "rung", "history", "concord"
    )?;
    let word = |b: bool| if b { "taken" } else { "not" };
    for c in &report.cases {
        for (forum, fs) in FORUM_IDS
            .iter()
            .filter_map(|f| c.forums.get(*f).map(|fs| (f, fs)))
        {
            for r in &fs.rungs {
                writeln!(
                    out,
                    "{:<18} {:<5} {:<18} {:<8} {:<8} {}",
                    c.id,
                    forum,
                    r.rung,
                    word(r.history),
                    word(r.concord),
                    if r.agree { "yes" } else { "NO" }
                )?;
            }
        }
    }
    writeln!(
        out,
        "\nreproduced {} of {} known outcomes ({:.1} %)",
        report.total.reproduced,
        report.total.known,
        100.0 * report.total.share
    )?;
    for (forum, t) in &report.forums {
        writeln!(
            out,
            "  {forum}: {} of {} ({:.1} %)",
            t.reproduced,
            t.known,
            100.0 * t.share
        )?;
    }
    if !report.misses.is_empty() {
        writeln!(out, "\nmisses, and why concord decides otherwise:")?;
        for m in &report.misses {
            let r = &m.rung;
            writeln!(
                out,
                "  {} {} {}: history {}, concord {}",
                m.case,
                m.forum,
                r.rung,
                word(r.history),
                word(r.concord)
            )?;
            if !r.support.is_empty() {
                writeln!(out, "    supported by {}", r.support.join(", "))?;
            }
            for b in &r.block {
                let why = r
                    .reasons
                    .get(b)
                    .map(|x| x.words().join(", "))
                    .unwrap_or_default();
                writeln!(out, "    blocked by {b} ({why})")?;
            }
            for p in &r.missing {
                writeln!(out, "    missing: {p}")?;
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}
