//! `concord policy check [DIR]`

use super::{Ctx, PolicyArgs};
use crate::exit;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check a policy directory (default: the built-in set) against the alliance.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Policy directory (every *.toml file in it); the built-in set when omitted.
    dir: Option<PathBuf>,
    /// Alliance file replacing the built-in NATO-32 alliance.
    #[arg(long, value_name = "FILE")]
    alliance: Option<PathBuf>,
    /// Print {"ok", "policies", "diagnostics": [{"file","key","line","column","message",...}]}.
    #[arg(long)]
    json: bool,
}

pub fn run(_ctx: &Ctx, cmd: Command) -> anyhow::Result<i32> {
    let Command::Check(args) = cmd;
    let pa = PolicyArgs {
        alliance: args.alliance.clone(),
        policies: args.dir.clone(),
    };
    match pa.load() {
        Err(e) => {
            super::print_config_errors(&e, args.json)?;
            Ok(exit::INVALID)
        }
        Ok((alliance, set)) => {
            let n = set.by_member.iter().flatten().count();
            let missing: Vec<&str> = alliance
                .members
                .iter()
                .zip(&set.by_member)
                .filter(|(_, p)| p.is_none())
                .map(|(m, _)| m.code.as_str())
                .collect();
            let mut out = std::io::stdout().lock();
            if args.json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"ok": true, "policies": n, "without_policy": missing, "diagnostics": []})
                )?;
            } else {
                let what = args
                    .dir
                    .as_ref()
                    .map_or("built-in policies".to_string(), |d| d.display().to_string());
                writeln!(
                    out,
                    "{what}: {n} member policies OK for {} ({} members, {} rungs)",
                    alliance.name,
                    alliance.members.len(),
                    alliance.ladder.len()
                )?;
                if !missing.is_empty() {
                    writeln!(
                        out,
                        "without a policy (abstain on everything, default doctrine): {}",
                        missing.join(", ")
                    )?;
                }
            }
            Ok(exit::OK)
        }
    }
}
