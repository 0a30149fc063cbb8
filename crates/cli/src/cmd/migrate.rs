//! `concord migrate --from sqlite:PATH --to postgres://...`: copy a whole store into a new,
//! empty one (either backend to either), then verify the copy: per object type, the number
//! of stored versions and a SHA-256 over them must be equal, and every other table must
//! hold as many rows (the target's audit log one more: the copy itself).

use super::{Ctx, DbArg};
use crate::exit;
use anyhow::Context;
use concord_store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The store to copy: an SQLite file (PATH or sqlite:PATH) or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    from: DbArg,
    /// The new store (must be empty): a postgres:// URL or an SQLite file.
    #[arg(long, value_name = "DB")]
    to: DbArg,
    /// Print the verification as one JSON document.
    #[arg(long)]
    json: bool,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    if args.from.display() == args.to.display() {
        anyhow::bail!(
            "--from and --to name the same database ({})",
            args.from.display()
        );
    }
    if args.from.sqlite_path().is_some_and(|p| !p.exists()) {
        anyhow::bail!("--from {}: no such SQLite file", args.from.display());
    }
    let src = Store::open(&args.from)
        .with_context(|| format!("opening --from {}", args.from.display()))?;
    let mut dst =
        Store::open(&args.to).with_context(|| format!("opening --to {}", args.to.display()))?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    let started = std::time::Instant::now();
    let copied = src
        .copy_to(&mut dst, &mut |table, n| {
            bar.set_message(format!("{table}: {n} rows"));
            bar.tick();
        })
        .with_context(|| {
            format!(
                "copying {} into {} (the target is left as it was)",
                args.from.display(),
                args.to.display()
            )
        })?;
    bar.finish_and_clear();
    let copy_secs = started.elapsed().as_secs_f64();
    // verify
    let want = src.digest().context("digest of --from")?;
    let got = dst.digest().context("digest of --to")?;
    let mut want_tables = src.table_counts()?;
    if let Some(n) = want_tables.get_mut("audit_log") {
        *n += 1;
    }
    let got_tables = dst.table_counts()?;
    let types: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
    let mut rows = Vec::new();
    let mut ok = true;
    for t in types {
        let (a, b) = (want.get(t), got.get(t));
        let same = a == b;
        ok &= same;
        rows.push(serde_json::json!({
            "type": t, "same": same,
            "from": a, "to": b,
        }));
    }
    let tables_same = want_tables == got_tables;
    ok &= tables_same;
    if args.json {
        let doc = serde_json::json!({
            "from": args.from.display(), "to": args.to.display(), "verified": ok,
            "copied": copied, "types": rows, "tables": {"from": want_tables, "to": got_tables},
            "seconds": copy_secs,
        });
        writeln!(std::io::stdout(), "{doc}")?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "copied {} into {} in {copy_secs:.1} s",
            args.from.display(),
            args.to.display()
        )?;
        writeln!(
            out,
            "{:<28} {:>10}  {:<16} verified",
            "type", "versions", "sha256"
        )?;
        for (t, d) in &got {
            let same = want.get(t) == Some(d);
            writeln!(
                out,
                "{t:<28} {:>10}  {:<16} {}",
                d.count,
                &d.sha256[..16],
                if same { "yes" } else { "NO" }
            )?;
        }
        for t in want.keys().filter(|t| !got.contains_key(*t)) {
            writeln!(out, "{t:<28} {:>10}  {:<16} NO (missing)", 0, "-")?;
        }
        for (t, n) in &got_tables {
            let w = want_tables.get(t).copied().unwrap_or(0);
            if w != *n {
                writeln!(out, "table {t}: {n} rows, expected {w}")?;
            }
        }
        writeln!(
            out,
            "{}",
            if ok {
                "verified: every object type has the same versions and hashes, every table the same rows"
            } else {
                "NOT verified: the copy differs (see above)"
            }
        )?;
    }
    Ok(if ok { exit::OK } else { exit::FAILURE })
}
