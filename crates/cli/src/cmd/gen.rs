//! `concord gen`: a synthetic STIX bundle with known ground truth, for tests and scale.

use super::Ctx;
use crate::exit;
use concord_assess::gen::{generate, Mix};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the bundle.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Where to write the ground truth (JSON: incident id -> campaign label).
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
    #[arg(long, default_value_t = Mix::default().campaigns)]
    campaigns: usize,
    #[arg(long, default_value_t = Mix::default().incidents_per_campaign)]
    incidents_per_campaign: usize,
    /// Unrelated incidents, each with its own artefact.
    #[arg(long, default_value_t = Mix::default().noise)]
    noise: usize,
    /// Unrelated incidents sharing only public services (resolvers, common domains).
    #[arg(long, default_value_t = Mix::default().decoys)]
    decoys: usize,
    /// Extra private indicators (with STIX patterns) per incident, for scale.
    #[arg(long, default_value_t = 0)]
    indicators: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write bundles of at most this many objects into the directory --out instead of one file.
    #[arg(long, value_name = "N")]
    per_file: Option<usize>,
}

pub fn run(_ctx: &Ctx, a: Args) -> anyhow::Result<i32> {
    let mix = Mix {
        campaigns: a.campaigns,
        incidents_per_campaign: a.incidents_per_campaign,
        noise: a.noise,
        decoys: a.decoys,
        indicators: a.indicators,
        seed: a.seed,
    };
    let (bundle, truth) = generate(mix);
    match a.per_file {
        None => std::fs::write(&a.out, serde_json::to_vec(&bundle)?)?,
        Some(n) => {
            std::fs::create_dir_all(&a.out)?;
            let objects = bundle["objects"].as_array().map_or(&[][..], Vec::as_slice);
            for (k, chunk) in objects.chunks(n.max(1)).enumerate() {
                let part = serde_json::json!({"type": "bundle",
                    "id": format!("bundle--{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("{}:{k}", bundle["id"]).as_bytes())),
                    "objects": chunk});
                std::fs::write(
                    a.out.join(format!("part-{k:05}.json")),
                    serde_json::to_vec(&part)?,
                )?;
            }
        }
    }
    if let Some(t) = &a.truth {
        std::fs::write(t, serde_json::to_vec_pretty(&truth)?)?;
    }
    eprintln!(
        "wrote {} objects ({} incidents) to {}",
        bundle["objects"].as_array().map_or(0, Vec::len),
        truth.len(),
        a.out.display()
    );
    Ok(exit::OK)
}
