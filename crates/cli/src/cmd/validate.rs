//! `concord validate FILE...`

use super::{CheckArgs, Ctx};
use crate::{exit, input};
use concord_stix::Finding;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (.json, .json.gz).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    check: CheckArgs,
    /// One compact JSON object per file, one per line.
    #[arg(long)]
    json: bool,
    /// List every finding; by default more than 20 findings of one kind are summarised by check code.
    #[arg(long)]
    all: bool,
}

const LIST_LIMIT: usize = 20;

fn print_findings(
    out: &mut impl Write,
    kind: &str,
    fs: &[Finding],
    all: bool,
) -> std::io::Result<()> {
    let line = |out: &mut dyn Write, f: &Finding| {
        writeln!(
            out,
            "  {kind} [{}] {}{}: {}",
            f.code,
            f.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default(),
            f.path,
            f.message
        )
    };
    if all || fs.len() <= LIST_LIMIT {
        for f in fs {
            line(out, f)?;
        }
        return Ok(());
    }
    // Summarise by check code: count and the first example of each.
    let mut by_code: std::collections::BTreeMap<&str, (usize, &Finding)> =
        std::collections::BTreeMap::new();
    for f in fs {
        by_code.entry(f.code.as_str()).or_insert((0, f)).0 += 1;
    }
    writeln!(out, "  {} {kind}s by check (first of each shown; --all lists every one, --json gives them all):", fs.len())?;
    for (code, (n, first)) in by_code {
        writeln!(out, "  {n:>7} x [{code}]")?;
        line(out, first)?;
    }
    Ok(())
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let opts = args.check.options()?;
    let mut code = exit::OK;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in input::expand(&args.files) {
        let name = file.display().to_string();
        match concord_stix::validate_file(&file, args.check.max_bytes, &opts) {
            Ok(report) => {
                if !report.is_valid() {
                    code = code.max(exit::INVALID);
                }
                if args.json {
                    let line = serde_json::json!({"file": name, "valid": report.is_valid(), "errors": report.errors, "warnings": report.warnings});
                    writeln!(out, "{line}")?;
                } else {
                    let verdict = if report.is_valid() {
                        "valid"
                    } else {
                        "INVALID"
                    };
                    writeln!(
                        out,
                        "{name}: {verdict} ({} errors, {} warnings)",
                        report.errors.len(),
                        report.warnings.len()
                    )?;
                    print_findings(&mut out, "error", &report.errors, args.all)?;
                    print_findings(&mut out, "warning", &report.warnings, args.all)?;
                }
            }
            Err(e) => {
                code = exit::UNUSABLE;
                if args.json {
                    let line = serde_json::json!({"file": name, "valid": false, "unusable": true, "errors": [super::unusable_json(&e)], "warnings": []});
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(out, "{name}: UNUSABLE\n  error {e}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(code)
}
