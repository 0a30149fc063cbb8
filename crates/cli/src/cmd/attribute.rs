//! `concord attribute ID`: who is behind a stored incident or campaign, how sure (in ICD 203
//! words), why, and which single piece of evidence the leading state, the level and the
//! decision hang on.

use super::{Ctx, PolicyArgs};
use crate::exit;
use concord_assess::attribution::{
    attribute_guarded, decision_sensitivity, Attribution, Params, TtpIndex,
};
use concord_assess::estimative::{percent, statement};
use std::collections::BTreeSet;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of a stored incident or campaign.
    id: String,
    /// Use only evidence timestamped at or before this instant (a STIX timestamp).
    #[arg(long, value_name = "TIMESTAMP")]
    at: Option<String>,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Print {"groups", "states", "level", "estimate", "reasons", "ach", "sensitivity", ...}
    /// as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    if let Some(t) = &args.at {
        if concord_stix::timestamp::Timestamp::parse(t).is_err() {
            eprintln!("error: --at {t}: not a STIX timestamp (e.g. 2026-03-01T00:00:00Z)");
            return Ok(exit::INVALID);
        }
    }
    let (alliance, policies) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let store = ctx.open()?;
    let Some(policies) = args.policy.in_force(&store, &alliance, policies)? else {
        return Ok(exit::INVALID);
    };
    let reader = store.reader(&ctx.viewer());
    let kb = concord_app::views::knowledge_base(&reader)?;
    let Some(mut ids) = concord_app::views::incident_ids(&reader, &args.id)? else {
        eprintln!(
            "error: {}: no stored incident or campaign with this id",
            args.id
        );
        return Ok(exit::INVALID);
    };
    if !ids.contains(&args.id) {
        ids.insert(0, args.id.clone());
    }
    let obs = concord_app::views::observation(&reader, &kb, &ids)?;
    let params = Params::default();
    let ttp = TtpIndex::new(&kb, &params);
    let protected: BTreeSet<String> = alliance.members.iter().map(|m| m.code.clone()).collect();
    let at = args.at.as_deref();
    let mut r = attribute_guarded(&kb, &ttp, &obs, at, &params, &protected);
    // the decision at hand: the assessment vector with this attribution, decided again with
    // each evidence item removed or downgraded
    let model = concord_assess::SeverityModel::default();
    let mut no_decision = None;
    match concord_app::views::assess_with(&reader, &kb, &args.id, &model, &alliance, &policies) {
        Ok((mut a, _)) => {
            a.set_attribution(&r);
            let base = a.vector.clone();
            let decide = |level: &str, actor: &str| -> Vec<(String, bool)> {
                use concord_policy::vocab::{index, ACTOR, ATTRIBUTION};
                let (Some(level), Some(actor)) = (index(ATTRIBUTION, level), index(ACTOR, actor))
                else {
                    return Vec::new();
                };
                let v = concord_policy::Vector {
                    attribution: level,
                    actor,
                    ..base.clone()
                };
                concord_policy::decide(&alliance, &policies, &v)
                    .options
                    .into_iter()
                    .map(|o| (o.id, o.adopted))
                    .collect()
            };
            let s = decision_sensitivity(&kb, &ttp, &obs, at, &params, &protected, &r, &decide);
            r.sensitivity = Some(s);
        }
        Err(concord_app::Error::Invalid(m) | concord_app::Error::NotFound(m)) => {
            no_decision = Some(m)
        }
        Err(e) => return Err(e.into()),
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
        out.flush()?;
        return Ok(exit::OK);
    }
    print_text(&mut out, &args.id, &r, no_decision.as_deref())?;
    out.flush()?;
    Ok(exit::OK)
}

fn print_text(
    out: &mut impl Write,
    id: &str,
    r: &Attribution,
    no_decision: Option<&str>,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "attribution of {id}{}: {}",
        r.as_of
            .as_deref()
            .map(|t| format!(" as of {t}"))
            .unwrap_or_default(),
        r.statement
    )?;
    writeln!(out, "  level {}: {}", r.level, r.level_words)?;
    writeln!(out, "states (groups pooled by their sponsors):")?;
    for s in r.ranked_states.iter().take(5) {
        writeln!(
            out,
            "  {:<4} {:<28} {}",
            s.state,
            s.name.chars().take(28).collect::<String>(),
            statement(s.p)
        )?;
    }
    writeln!(
        out,
        "  no state                          {}",
        statement(r.no_state)
    )?;
    let withheld: Vec<String> = r
        .withheld
        .iter()
        .filter(|(_, p)| **p >= 0.01)
        .map(|(s, p)| format!("{s} {}", percent(*p)))
        .collect();
    if !withheld.is_empty() {
        writeln!(
            out,
            "  withheld (alliance members no rated claim names): {}",
            withheld.join(", ")
        )?;
    }
    writeln!(out, "groups:")?;
    for g in r.groups.iter().take(5) {
        writeln!(
            out,
            "  {:<10} {:<26} {:<4} {:<13} {} ({}): {}  [{}]",
            g.group_id.chars().take(10).collect::<String>(),
            g.name.chars().take(26).collect::<String>(),
            g.sponsor.as_deref().unwrap_or("-"),
            g.kind,
            g.words,
            g.range,
            percent(g.score),
            if g.evidence.is_empty() {
                "no evidence".to_string()
            } else {
                g.evidence.join(", ")
            }
        )?;
    }
    writeln!(out, "reasons:")?;
    for x in &r.reasons {
        writeln!(out, "  - {x}")?;
    }
    writeln!(out, "ACH ({}):", r.ach.hypotheses.join(" | "))?;
    for row in &r.ach.rows {
        writeln!(
            out,
            "  {:<44} {}{}",
            row.evidence,
            row.ratings.join(" "),
            if row.diagnostic { "  diagnostic" } else { "" }
        )?;
    }
    writeln!(
        out,
        "  inconsistency: {}; least inconsistent: {}",
        r.ach
            .inconsistency
            .iter()
            .map(|(h, x)| format!("{h} {x:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        r.ach.least_inconsistent.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "sensitivity:")?;
    match (&r.sensitivity, no_decision) {
        (Some(s), _) => {
            for (what, c) in [("leading state", &s.state), ("level", &s.level)] {
                match c {
                    None => writeln!(
                        out,
                        "  {what}: no single item's removal or downgrade changes it"
                    )?,
                    Some(c) => {
                        let rungs = if c.rungs.is_empty() {
                            "no rung's adoption changes".to_string()
                        } else {
                            c.rungs
                                .iter()
                                .map(|x| {
                                    format!(
                                        "{} {}",
                                        x.id,
                                        if x.adopted_after {
                                            "becomes adopted"
                                        } else {
                                            "is no longer adopted"
                                        }
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        writeln!(
                            out,
                            "  {what}: {} {} -> state {}, level {}, actor {}; {rungs}",
                            c.evidence,
                            c.change,
                            c.state.as_deref().unwrap_or("none"),
                            c.level,
                            c.actor
                        )?;
                    }
                }
            }
        }
        (None, Some(m)) => writeln!(out, "  no decision at hand: {m}")?,
        (None, None) => writeln!(out, "  not computed")?,
    }
    Ok(())
}
