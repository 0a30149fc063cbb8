//! `concord decide --assessment FILE`: the decision of DESIGN 6 for a vector.

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;
use concord_policy::{decide, Vector};
use std::io::{Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign to decide on (its assessment's vector).
    #[arg(required_unless_present = "assessment", conflicts_with = "assessment")]
    id: Option<String>,
    /// Assessment vector (JSON, DESIGN 3; `-` for standard input). `assess --json`'s `vector` works as is.
    #[arg(long, value_name = "FILE")]
    assessment: Option<PathBuf>,
    /// Severity model for a stored incident or campaign (docs/severity.md).
    #[arg(long, value_name = "FILE")]
    severity: Option<PathBuf>,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Print exactly the DESIGN 6 document (plus explanations) on standard output.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let vector = match (&args.id, &args.assessment) {
        (Some(id), _) => {
            let model = match super::assess::model(args.severity.as_ref()) {
                Ok(m) => m,
                Err((code, m)) => {
                    eprintln!("error: {m}");
                    return Ok(code);
                }
            };
            let store = concord_store::Store::open(&ctx.db)
                .with_context(|| format!("opening database {}", ctx.db.display()))?;
            match super::assess::assess_stored(
                &store,
                id,
                &model,
                &alliance,
                &policies,
                &ctx.viewer(),
            )? {
                Ok(a) => match a.to_vector() {
                    Some(v) => v,
                    None => anyhow::bail!("the assessment of {id} gave an invalid vector"),
                },
                Err((code, m)) => {
                    eprintln!("error: {m}");
                    return Ok(code);
                }
            }
        }
        (None, Some(path)) => match read_vector(path)? {
            Ok(v) => v,
            Err(code) => return Ok(code),
        },
        (None, None) => anyhow::bail!("give an incident or campaign id, or --assessment FILE"),
    };
    decide_and_print(&alliance, &policies, &vector, args.json)
}

fn read_vector(path: &std::path::Path) -> anyhow::Result<Result<Vector, i32>> {
    let name = path.display().to_string();
    let mut text = String::new();
    if name == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the assessment from standard input")?;
    } else {
        match std::fs::read_to_string(path) {
            Ok(t) => text = t,
            Err(e) => {
                eprintln!("error: {name}: cannot read: {e}");
                return Ok(Err(exit::UNUSABLE));
            }
        }
    }
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {name}:{}:{}: not JSON: {e}", e.line(), e.column());
            return Ok(Err(exit::UNUSABLE));
        }
    };
    match Vector::from_json(&value) {
        Ok(v) => Ok(Ok(v)),
        Err(e) => {
            eprintln!("error: {name}: {e}");
            Ok(Err(exit::INVALID))
        }
    }
}

fn decide_and_print(
    alliance: &concord_policy::Alliance,
    policies: &concord_policy::PolicySet,
    vector: &Vector,
    json: bool,
) -> anyhow::Result<i32> {
    for v in &vector.victims {
        if alliance.member_index(v).is_none() {
            tracing::warn!(
                "victim {v} is not a member of {}; it counts in members_affected only",
                alliance.name
            );
        }
    }
    let d = decide(alliance, policies, vector);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        writeln!(out, "{}", serde_json::to_string(&d)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    let v = &d.vector;
    let list = |k: &str| {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    writeln!(
        out,
        "{}: severity {}, attribution {}, effects {}, actor {}, sectors [{}], victims [{}], members affected {}\n",
        alliance.name, v["severity"].as_str().unwrap_or(""), v["attribution"].as_str().unwrap_or(""), v["effects"].as_str().unwrap_or(""),
        v["actor"].as_str().unwrap_or(""), list("sectors"), list("victims"), v["members_affected"]
    )?;
    writeln!(
        out,
        "{:>2}  {:<66} {:<12} {:<7} {:>7} {:>5} {:>7}",
        "#", "option", "rule", "adopted", "support", "block", "abstain"
    )?;
    for (i, o) in d.options.iter().enumerate() {
        writeln!(
            out,
            "{:>2}  {:<66} {:<12} {:<7} {:>7} {:>5} {:>7}",
            i + 1,
            format!("{} ({})", o.option, o.id),
            o.rule,
            if o.adopted { "yes" } else { "no" },
            o.support.len(),
            o.block.len(),
            o.abstain.len()
        )?;
    }
    match &d.highest_adopted {
        Some(h) => writeln!(
            out,
            "\nhighest adopted: {h} ({})",
            alliance
                .ladder
                .iter()
                .find(|r| &r.id == h)
                .map_or("", |r| r.option.as_str())
        )?,
        None => writeln!(out, "\nhighest adopted: none")?,
    }
    writeln!(out, "\nblocked and who blocks:")?;
    for o in d.options.iter().filter(|o| !o.adopted) {
        if o.block.is_empty() {
            writeln!(
                out,
                "  {:<16} not enough support ({} of {} needed)",
                o.id,
                o.support.len(),
                match o.rule.as_str() {
                    r if r.starts_with("coalition:") => r[10..].to_string(),
                    _ => "1".into(),
                }
            )?;
        } else {
            writeln!(out, "  {:<16} blocked by {}", o.id, o.block.join(", "))?;
            for m in &o.block {
                if let Some(w) = o.why.get(m) {
                    writeln!(out, "  {:<16}   {m}: {w}", "")?;
                }
            }
        }
    }
    writeln!(out, "\npath to consensus (raising attribution only):")?;
    for p in &d.paths {
        match p.attribution {
            Some(a) => writeln!(
                out,
                "  {:<16} at attribution {a}: {} change stance",
                p.option,
                if p.flips.is_empty() {
                    "nobody needs to".into()
                } else {
                    p.flips.join(", ")
                }
            )?,
            None => writeln!(out, "  {:<16} no attribution level suffices", p.option)?,
        }
    }
    writeln!(
        out,
        "\nlegal class per member: {}",
        d.legal
            .iter()
            .map(|(m, l)| format!("{m} {l}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    out.flush()?;
    Ok(exit::OK)
}
