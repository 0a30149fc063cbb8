//! `concord token create|list|revoke`: the principals' tokens (stored hashed).

use super::Ctx;
use crate::exit;
use anyhow::Context;
use concord_store::access::Principal;
use concord_store::Store;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a token and print it alone on standard output (it is shown only once).
    Create {
        /// A member's national node (ISO 3166 alpha-3 code).
        #[arg(long, group = "who")]
        member: Option<String>,
        /// The alliance hub.
        #[arg(long, group = "who")]
        hub: bool,
        /// An administrator.
        #[arg(long, group = "who")]
        admin: bool,
    },
    /// List tokens (ids, principals, dates; never the secrets).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<i32> {
    let mut store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let mut out = std::io::stdout().lock();
    match cmd {
        Command::Create { member, hub, admin } => {
            let p = match (member, hub, admin) {
                (Some(m), _, _) => {
                    let alliance = concord_policy::Alliance::nato();
                    if alliance.member_index(&m).is_none() {
                        eprintln!(
                            "error: {m} is not a member of {} (ISO 3166 alpha-3 codes, e.g. EST)",
                            alliance.name
                        );
                        return Ok(exit::INVALID);
                    }
                    Principal::Member(m)
                }
                (None, true, _) => Principal::Hub,
                (None, _, true) => Principal::Admin,
                _ => {
                    eprintln!("error: say whose token: --member CODE, --hub or --admin");
                    return Ok(exit::INVALID);
                }
            };
            let t = store.create_token(&p)?;
            writeln!(out, "{t}")?;
        }
        Command::List { json } => {
            let list = store.tokens()?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&list)?)?;
            } else {
                for t in list {
                    writeln!(
                        out,
                        "{:>4}  {:<6} {}{}",
                        t.id,
                        t.principal,
                        t.created,
                        if t.revoked { "  revoked" } else { "" }
                    )?;
                }
            }
        }
        Command::Revoke { id } => {
            if !store.revoke_token(id)? {
                eprintln!("error: no token {id}");
                return Ok(exit::INVALID);
            }
            eprintln!("token {id} revoked");
        }
    }
    Ok(exit::OK)
}
