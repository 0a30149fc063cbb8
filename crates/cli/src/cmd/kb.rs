//! `concord kb`: the knowledge base built from the store (ATT&CK groups, techniques,
//! software, sponsor states), and the MISP galaxy importer.

use super::Ctx;
use crate::exit;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Summarise the knowledge base, or show one group (STIX id, G-id, name or alias).
    Show {
        /// A group to show; without it, counts.
        group: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import actor-to-sponsor links from a MISP threat-actor galaxy file (threat-actor.json).
    ImportGalaxy {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<i32> {
    let mut store = ctx.open()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match cmd {
        Command::Show { group, json } => {
            let kb = concord_app::views::knowledge_base(&store.reader(&ctx.viewer()))?;
            match group {
                None => {
                    let s = kb.summary();
                    if json {
                        writeln!(out, "{s}")?;
                    } else {
                        writeln!(out, "knowledge base (from {}):", ctx.db.display())?;
                        if let Some(m) = s.as_object() {
                            for (k, v) in m {
                                writeln!(out, "  {k}: {v}")?;
                            }
                        }
                    }
                }
                Some(key) => {
                    let Some(g) = kb.group(&key) else {
                        eprintln!("error: no group named '{key}' in the knowledge base");
                        return Ok(exit::INVALID);
                    };
                    if json {
                        writeln!(out, "{}", serde_json::to_string(g)?)?;
                    } else {
                        writeln!(
                            out,
                            "{} {} ({})",
                            g.attack_id.as_deref().unwrap_or("-"),
                            g.name,
                            g.stix_id
                        )?;
                        writeln!(out, "  aliases: {}", g.aliases.join(", "))?;
                        writeln!(out, "  kind: {} ({})", g.kind.as_str(), g.kind_reason)?;
                        if g.pooled.is_empty() {
                            writeln!(out, "  sponsor: none")?;
                        } else {
                            writeln!(
                                out,
                                "  sponsor: {}",
                                g.pooled
                                    .iter()
                                    .map(|(s, w)| format!("{s} (weight {w:.2})"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )?;
                        }
                        writeln!(out, "  sponsor links ({}):", g.sponsors.len())?;
                        for l in &g.sponsors {
                            let relation = match l.relation {
                                concord_assess::sponsor_text::Relation::Sponsor => "sponsor",
                                concord_assess::sponsor_text::Relation::Aligned => "aligned",
                                concord_assess::sponsor_text::Relation::Origin => "origin",
                            };
                            let rel =
                                if l.relation == concord_assess::sponsor_text::Relation::Origin {
                                    "-".to_string()
                                } else {
                                    l.reliability.to_string()
                                };
                            writeln!(
                                out,
                                "    {} {relation:<7} reliability {rel}  {}  [{}]",
                                l.state, l.origin, l.source
                            )?;
                            writeln!(out, "      \"{}\"", l.note)?;
                        }
                        for m in &g.merged {
                            writeln!(out, "  merged: {m}")?;
                        }
                        if !g.campaigns.is_empty() {
                            writeln!(out, "  campaigns: {}", g.campaigns.join(", "))?;
                        }
                        writeln!(out, "  techniques ({}):", g.techniques.len())?;
                        for t in &g.techniques {
                            let name = kb.techniques.get(t).map_or("", |t| t.name.as_str());
                            writeln!(out, "    {t} {name}")?;
                        }
                        let sw: Vec<&str> = g
                            .software
                            .iter()
                            .filter_map(|s| kb.software.get(s).map(|s| s.name.as_str()))
                            .collect();
                        writeln!(out, "  software ({}): {}", sw.len(), sw.join(", "))?;
                    }
                }
            }
        }
        Command::ImportGalaxy { file, json } => {
            let name = file.display().to_string();
            let doc: serde_json::Value =
                match concord_stix::json::read_file(&file, concord_stix::json::DEFAULT_MAX_BYTES)
                    .and_then(|bytes| {
                        let text = concord_stix::json::utf8(&bytes, &name)?;
                        serde_json::from_str(text).map_err(|e| concord_stix::InputError::Json {
                            path: name.clone(),
                            line: e.line(),
                            column: e.column(),
                            message: e.to_string(),
                        })
                    }) {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return Ok(exit::UNUSABLE);
                    }
                };
            let (objects, report) = match concord_assess::galaxy::to_stix(&doc) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("error: {name}: {e}");
                    return Ok(exit::INVALID);
                }
            };
            let (changed, same) = concord_app::submit::upsert_derived(
                &mut store,
                objects,
                &format!("kb import-galaxy {name}"),
            )?;
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"file": name, "report": report, "stored": changed, "unchanged": same})
                )?;
            } else {
                writeln!(
                    out,
                    "{name}: {} actors, {} with a sponsor state, {} criminal, {} hacktivist; stored {changed} object(s), {same} unchanged",
                    report.actors, report.with_sponsor, report.criminal, report.hacktivist
                )?;
                for (path, msg) in &report.warnings {
                    writeln!(out, "  warning: {path}: {msg}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}
