//! `concord rift`: rift analytics over the scenario space (DESIGN 7).

use super::{Ctx, PolicyArgs};
use crate::exit;
use concord_rift::{space::Weights, Metrics};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    policy: PolicyArgs,
    /// Prior weights: [weights.<dimension>] tables of level = weight (levels not listed weigh 1).
    #[arg(long, value_name = "FILE")]
    prior: Option<PathBuf>,
    /// Print exactly the DESIGN 7 document on standard output.
    #[arg(long)]
    json: bool,
    /// Write SVG charts directly into DIR.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
    /// Propose up to K policy edits (threshold, clause, rule, abstention), applied greedily,
    /// that cut the rift and veto index and victims' unmet requests most.
    #[arg(long, value_name = "K")]
    harmonise: Option<usize>,
    /// The safe-harbour map: per rung and actor presentation, the highest severity an
    /// attacker can reach at each effects level while the rung stays unadopted
    /// (`--json`: `{"safe_harbours": {rung: {actor: {attribution: {effects: severity}}}}}`).
    #[arg(long, conflicts_with = "harmonise")]
    safe_harbours: bool,
    /// With --safe-harbours (text): the attribution level to show (default high).
    #[arg(
        long,
        value_name = "LEVEL",
        default_value = "high",
        requires = "safe_harbours"
    )]
    attribution: String,
    /// With --harmonise: write the edited set as DIR/alliance.toml and DIR/policies/.
    #[arg(long, value_name = "DIR", requires = "harmonise")]
    out: Option<PathBuf>,
}

pub fn run(_ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let weights = match &args.prior {
        None => Weights::uniform(alliance.members.len()),
        Some(p) => {
            let name = p.display().to_string();
            let text = match std::fs::read_to_string(p) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {name}: cannot read: {e}");
                    return Ok(exit::UNUSABLE);
                }
            };
            match Weights::parse_prior(&name, &text, &alliance) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(exit::INVALID);
                }
            }
        }
    };
    if args.safe_harbours {
        use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
        let Some(t) = ATTRIBUTION.iter().position(|x| *x == args.attribution) else {
            eprintln!(
                "error: --attribution: unknown level '{}' (valid: {})",
                args.attribution,
                ATTRIBUTION.join(", ")
            );
            return Ok(exit::INVALID);
        };
        let h = concord_rift::engine::Engine::new(&alliance, &policies).safe_harbours();
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"safe_harbours": concord_rift::harbours_json(&alliance, &h)})
            )?;
            out.flush()?;
            return Ok(exit::OK);
        }
        writeln!(out, "{}: safe harbours at attribution {}: the highest severity at which some incident leaves the rung unadopted, per actor presentation and effects (- = always adopted)", alliance.name, args.attribution)?;
        for (r, rung) in alliance.ladder.iter().enumerate() {
            writeln!(out, "\n{} ({})", rung.id, rung.rule)?;
            write!(out, "  {:<14}", "actor")?;
            for e in EFFECTS {
                write!(out, " {e:>16}")?;
            }
            writeln!(out)?;
            for (a, actor) in ACTOR.iter().enumerate().rev() {
                write!(out, "  {actor:<14}")?;
                for cell in &h[r][a][t] {
                    let s = cell.map_or("-", |s| SEVERITY[usize::from(s)]);
                    write!(out, " {s:>16}")?;
                }
                writeln!(out)?;
            }
        }
        out.flush()?;
        return Ok(exit::OK);
    }
    let started = std::time::Instant::now();
    let m = concord_rift::rift(&alliance, &policies, &weights);
    tracing::info!("{} cells in {:?}", m.cells, started.elapsed());
    if let Some(dir) = &args.svg {
        std::fs::create_dir_all(dir)?;
        let stamp = concord_rift::svg::Stamp {
            policy_set: policies.origin.name.clone(),
            illustrative: policies.origin.illustrative,
            date: concord_stix::timestamp::now().chars().take(10).collect(),
        };
        let files = concord_rift::svg::write_all(dir, &alliance, &m, &stamp)?;
        for f in files {
            eprintln!("wrote {}", f.display());
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json && args.harmonise.is_none() {
        writeln!(out, "{}", concord_rift::to_json(&m))?;
        out.flush()?;
        return Ok(exit::OK);
    }
    if let Some(k) = args.harmonise {
        let h = concord_rift::harmonise::harmonise(&alliance, &policies, &weights, k);
        if let Some(dir) = &args.out {
            write_set(dir, &h.alliance, &h.policies)?;
            eprintln!(
                "wrote {}/alliance.toml and {}/policies/",
                dir.display(),
                dir.display()
            );
        }
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"proposals": h.proposals,
                    "before": concord_rift::to_json(&h.before),
                    "after": concord_rift::to_json(&h.after)})
            )?;
        } else {
            print_summary(&mut out, &alliance, &m)?;
            concord_rift::harmonise::print(&mut out, &h.proposals)?;
        }
        out.flush()?;
        return Ok(exit::OK);
    }
    print_summary(&mut out, &alliance, &m)?;
    out.flush()?;
    Ok(exit::OK)
}

fn print_summary(
    out: &mut impl Write,
    alliance: &concord_policy::Alliance,
    m: &Metrics,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} scenarios; rift index {:.4} (a majority wants a consensus option but someone blocks), veto index {:.4} (everything else in place, only objections stop it)\n",
        alliance.name, m.cells, m.rift_index, m.veto_index
    )?;
    writeln!(
        out,
        "{:<16} {:<12} {:>8} {:>8} {:>8} {:>8}  pivotal (alone block)  blocked by  missing",
        "option", "rule", "rift", "veto", "adopted", "unmet"
    )?;
    let shares = |x: &std::collections::BTreeMap<&'static str, f64>| -> String {
        x.iter()
            .map(|(k, v)| format!("{k} {v:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (o, rung) in m.options.iter().zip(&alliance.ladder) {
        let mut piv: Vec<(&String, &u64)> = o.pivotal.iter().collect();
        piv.sort_by(|a, b| b.1.cmp(a.1));
        let piv: Vec<String> = piv
            .iter()
            .take(3)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        writeln!(
            out,
            "{:<16} {:<12} {:>8.4} {:>8.4} {:>8.4} {:>8.4}  {}  [{}]  [{}]",
            o.id,
            rung.rule.text(),
            o.rift_index,
            o.veto_index,
            o.adopted_share,
            o.victim_unmet,
            if piv.is_empty() {
                "-".to_string()
            } else {
                piv.join(", ")
            },
            shares(&o.blocked_by),
            shares(&o.missing_share)
        )?;
    }
    writeln!(
        out,
        "\nceiling: the most severe state attack left without the rung, by attribution level"
    )?;
    writeln!(
        out,
        "{:<16} {:>10} {:>10} {:>10} {:>10}",
        "rung", "none", "low", "moderate", "high"
    )?;
    for rung in &alliance.ladder {
        let c = &m.ceiling[&rung.id];
        let cell = |a: &str| c.get(a).copied().flatten().unwrap_or("-");
        writeln!(
            out,
            "{:<16} {:>10} {:>10} {:>10} {:>10}",
            rung.id,
            cell("none"),
            cell("low"),
            cell("moderate"),
            cell("high")
        )?;
    }
    Ok(())
}

/// Write an alliance and a policy set as files anyone can run `rift` and `cases` on.
fn write_set(
    dir: &std::path::Path,
    alliance: &concord_policy::Alliance,
    policies: &concord_policy::PolicySet,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let pol = dir.join("policies");
    std::fs::create_dir_all(&pol).with_context(|| format!("creating {}", pol.display()))?;
    std::fs::write(
        dir.join("alliance.toml"),
        concord_policy::write::alliance_toml(alliance),
    )?;
    for (name, text) in concord_policy::write::policy_files(alliance, policies) {
        std::fs::write(pol.join(name), text)?;
    }
    Ok(())
}
