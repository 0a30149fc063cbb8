//! `concord collection create|list`: TAXII collections.

use super::Ctx;
use crate::exit;
use anyhow::Context;
use concord_store::Store;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a collection and print its id.
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: Option<String>,
        /// Members may not write (they still read).
        #[arg(long)]
        members_read_only: bool,
        /// The hub may write too.
        #[arg(long)]
        hub_write: bool,
    },
    /// List collections.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: Command) -> anyhow::Result<i32> {
    let mut store =
        Store::open(&ctx.db).with_context(|| format!("opening database {}", ctx.db.display()))?;
    let mut out = std::io::stdout().lock();
    match cmd {
        Command::Create {
            title,
            description,
            members_read_only,
            hub_write,
        } => {
            let id = store.create_collection(
                &title,
                description.as_deref(),
                !members_read_only,
                hub_write,
            )?;
            writeln!(out, "{id}")?;
        }
        Command::List { json } => {
            let list = store.collections()?;
            if json {
                writeln!(out, "{}", serde_json::to_string(&list)?)?;
            } else {
                for c in list {
                    writeln!(
                        out,
                        "{}  {}  (members {}, hub {})",
                        c.id,
                        c.title,
                        if c.members_write { "write" } else { "read" },
                        if c.hub_write { "write" } else { "read" }
                    )?;
                }
            }
        }
    }
    Ok(exit::OK)
}
