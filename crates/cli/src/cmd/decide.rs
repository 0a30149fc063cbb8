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
    /// Forums to decide in, comma separated: nato (default), eu, or nato,eu side by side.
    #[arg(long, value_name = "LIST")]
    forum: Option<String>,
    /// Also list, per rung, every single-dimension change of the vector (one level up or
    /// down, another actor, one victim more or fewer) that flips its adoption
    /// (`sensitivity` in the JSON document).
    #[arg(long)]
    sensitivity: bool,
    /// Print exactly the DESIGN 6 document (plus explanations) on standard output; with
    /// several forums, `{"forums": {"nato": ..., "eu": ...}}`.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let forums = match args.policy.forums(args.forum.as_deref()) {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let mut forums = forums;
    let vector = match (&args.id, &args.assessment) {
        (Some(id), _) => {
            let model = match super::assess::model(args.severity.as_ref()) {
                Ok(m) => m,
                Err((code, m)) => {
                    eprintln!("error: {m}");
                    return Ok(code);
                }
            };
            let store = ctx.open()?;
            // the first forum decides with the positions in force in the database (the
            // others are the built-in forums, whose positions are not saved there)
            let first = &mut forums[0];
            let set = std::mem::replace(
                &mut first.policies,
                concord_policy::PolicySet::builtin(&first.alliance),
            );
            let Some(set) = args.policy.in_force(&store, &first.alliance, set)? else {
                return Ok(exit::INVALID);
            };
            first.policies = set;
            // a stored incident is assessed (legal classes, attribution) with the first forum
            match super::assess::assess_stored(
                &store,
                id,
                &model,
                &forums[0].alliance,
                &forums[0].policies,
                &ctx.viewer(),
            )? {
                Ok(a) => a.vector,
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
    let (alliance, policies) = (&forums[0].alliance, &forums[0].policies);
    if args.forum.is_none() || forums.len() == 1 {
        return decide_and_print(alliance, policies, &vector, args.json, args.sensitivity);
    }
    let decisions: Vec<(String, concord_policy::Decision)> = forums
        .iter()
        .map(|f| (f.id.clone(), decide(&f.alliance, &f.policies, &vector)))
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = decisions
            .iter()
            .map(|(id, d)| Ok((id.clone(), serde_json::to_value(d)?)))
            .collect::<anyhow::Result<_>>()?;
        writeln!(out, "{}", serde_json::json!({ "forums": map }))?;
    } else {
        writeln!(out, "{}\n", vector.summary())?;
        for (f, (_, d)) in forums.iter().zip(&decisions) {
            writeln!(
                out,
                "== {} ({}) ==\n",
                f.alliance.name, f.policies.origin.name
            )?;
            print_table(&mut out, &f.alliance, d)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

pub(crate) fn read_vector(path: &std::path::Path) -> anyhow::Result<Result<Vector, i32>> {
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
    sensitivity: bool,
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
    let flips =
        sensitivity.then(|| concord_policy::whatif::sensitivity(alliance, policies, vector));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        let mut doc = serde_json::to_value(&d)?;
        if let Some(f) = &flips {
            doc["sensitivity"] = serde_json::to_value(f)?;
        }
        writeln!(out, "{doc}")?;
        out.flush()?;
        return Ok(exit::OK);
    }
    writeln!(out, "{}: {}", alliance.name, d.vector.summary())?;
    writeln!(
        out,
        "positions: {}{}\n",
        policies.origin.name,
        if policies.origin.illustrative {
            " (ILLUSTRATIVE POSITIONS)"
        } else {
            ""
        }
    )?;
    print_table(&mut out, alliance, &d)?;
    if let Some(f) = &flips {
        writeln!(out, "\nsensitivity: single changes that flip a rung")?;
        if f.is_empty() {
            writeln!(out, "  none: no single change flips any rung")?;
        }
        for rung in &alliance.ladder {
            for x in f.get(&rung.id).into_iter().flatten() {
                writeln!(
                    out,
                    "  {:<16} {} {} -> {}: {}",
                    rung.id,
                    x.change.dimension,
                    x.change.from,
                    x.change.to,
                    if x.after {
                        "adopted"
                    } else {
                        "no longer adopted"
                    }
                )?;
            }
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

/// The human form of a decision: the ladder, the package, what is missing and why, the
/// path to consensus and the legal classes.
pub fn print_table(
    out: &mut impl Write,
    alliance: &concord_policy::Alliance,
    d: &concord_policy::Decision,
) -> anyhow::Result<()> {
    use concord_policy::explain;
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
            format!("{} ({})", truncate(&o.option, 60), o.id),
            o.rule.to_string(),
            if o.adopted { "yes" } else { "no" },
            o.support.len(),
            o.block.len(),
            o.abstain.len()
        )?;
    }
    let package: Vec<&str> = explain::package(d).iter().map(|o| o.id.as_str()).collect();
    if package.is_empty() {
        writeln!(out, "\nthe alliance can agree now: nothing")?;
    } else {
        writeln!(out, "\nthe alliance can agree now: {}", package.join(", "))?;
    }
    if let Some(next) = explain::next_step(d) {
        writeln!(
            out,
            "next step: {} ({}): {}",
            next.id,
            next.option,
            explain::missing_phrases(alliance, next).join("; ")
        )?;
    }
    writeln!(out, "\nnot adopted, and what is missing:")?;
    for o in d.options.iter().filter(|o| !o.adopted) {
        writeln!(
            out,
            "  {:<16} {}",
            o.id,
            explain::missing_phrases(alliance, o).join("; ")
        )?;
        for (reason, members) in explain::blockers_by_reason(o) {
            writeln!(
                out,
                "  {:<16}   {}: {}",
                "",
                reason.phrase(),
                members.join(", ")
            )?;
        }
        for m in &o.block {
            if let Some(w) = o.why.get(m) {
                writeln!(out, "  {:<16}     {m}: {w}", "")?;
            }
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
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
