//! `concord ingest FILE|DIR...`: validate, then store each bundle atomically.

use super::{CheckArgs, Ctx};
use crate::{exit, input};
use concord_stix::{json, InputError};
use concord_store::access::Principal;
use concord_store::{IngestSummary, Store};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (.json, .json.gz) holding bundles or single objects.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    check: CheckArgs,
    /// Print one JSON document with the summary on standard output.
    #[arg(long)]
    json: bool,
}

/// What happened to one file.
enum FileOutcome {
    Stored(IngestSummary),
    Rejected(IngestSummary, Vec<Value>),
    Unusable(InputError),
}

fn ingest_file(
    store: &mut Store,
    file: &Path,
    opts: &concord_stix::Options,
    max_bytes: u64,
    submitter: &Principal,
) -> anyhow::Result<FileOutcome> {
    use concord_app::submit::{submit, Atomicity, Input, Submission};
    let name = file.display().to_string();
    let bytes = match json::read_file(file, max_bytes) {
        Ok(b) => b,
        Err(e) => return Ok(FileOutcome::Unusable(e)),
    };
    let text = match json::utf8(&bytes, &name) {
        Ok(t) => t,
        Err(e) => return Ok(FileOutcome::Unusable(e)),
    };
    let input = Input::Document { text, name: &name };
    let done = match submit(
        store,
        Submission {
            input,
            options: opts,
            submitter,
            source: &name,
            atomicity: Atomicity::Whole,
        },
    ) {
        Ok(d) => d,
        Err(concord_app::Error::Unusable(e)) => return Ok(FileOutcome::Unusable(e)),
        Err(e) => return Err(anyhow::Error::from(e).context(format!("storing {name}"))),
    };
    if done.is_stored() {
        Ok(FileOutcome::Stored(done.summary))
    } else {
        let errors = done
            .errors()
            .iter()
            .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
            .collect();
        Ok(FileOutcome::Rejected(done.summary, errors))
    }
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let opts = args.check.options()?;
    let files = input::expand(&args.files);
    let mut store = ctx.open()?;
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} files  {wide_msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut total = IngestSummary::default();
    let mut code = exit::OK;
    let mut per_file = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        bar.set_message(name.clone());
        match ingest_file(&mut store, file, &opts, args.check.max_bytes, &ctx.viewer())? {
            FileOutcome::Stored(s) => {
                per_file.push(json!({"file": name, "status": "stored", "stored": s.stored, "duplicates": s.duplicates}));
                total.merge(s);
            }
            FileOutcome::Rejected(s, errors) => {
                code = code.max(exit::INVALID);
                per_file.push(json!({"file": name, "status": "rejected", "rejected": s.rejected, "errors": errors}));
                total.merge(IngestSummary {
                    rejections: Vec::new(),
                    ..s
                });
            }
            FileOutcome::Unusable(e) => {
                code = exit::UNUSABLE;
                per_file.push(json!({"file": name, "status": "unusable", "errors": [super::unusable_json(&e)]}));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let doc = json!({
            "stored": total.stored, "duplicates": total.duplicates, "rejected": total.rejected,
            "by_type": total.by_type, "files": per_file,
        });
        writeln!(out, "{doc}")?;
    } else {
        writeln!(
            out,
            "{:<28} {:>8} {:>10} {:>9}",
            "type", "new", "duplicate", "rejected"
        )?;
        for (t, c) in &total.by_type {
            writeln!(
                out,
                "{t:<28} {:>8} {:>10} {:>9}",
                c.new, c.duplicate, c.rejected
            )?;
        }
        writeln!(
            out,
            "{:<28} {:>8} {:>10} {:>9}",
            "total", total.stored, total.duplicates, total.rejected
        )?;
        for f in &per_file {
            if f["status"] != "stored" {
                writeln!(
                    out,
                    "\n{}: {}",
                    f["file"].as_str().unwrap_or("?"),
                    f["status"].as_str().unwrap_or("?").to_uppercase()
                )?;
                for e in f["errors"].as_array().into_iter().flatten().take(20) {
                    writeln!(
                        out,
                        "  [{}] {} {}: {}",
                        e["code"].as_str().unwrap_or(""),
                        e["id"].as_str().unwrap_or(""),
                        e["path"].as_str().unwrap_or(""),
                        e["message"].as_str().unwrap_or("")
                    )?;
                }
                let n = f["errors"].as_array().map_or(0, Vec::len);
                if n > 20 {
                    writeln!(out, "  ... and {} more (use --json for all)", n - 20)?;
                }
            }
        }
        writeln!(out, "database: {}", ctx.db.display())?;
    }
    out.flush()?;
    Ok(code)
}
