//! The `concord` binary: parses arguments and dispatches to one module per subcommand.
//! No business logic lives here.

mod cmd;
mod exit;
mod input;

use clap::{Parser, Subcommand};

/// concord: decision support for an alliance facing state-sponsored cyber campaigns.
#[derive(Debug, Parser)]
#[command(name = "concord", version, about, long_about = None)]
struct Cli {
    /// The database: an SQLite file (PATH or sqlite:PATH), or PostgreSQL
    /// (postgres://USER[:PASSWORD]@HOST[:PORT]/DB).
    #[arg(long, global = true, env = "CONCORD_DB", default_value = "concord.db")]
    db: cmd::DbArg,
    /// Act as this member (ISO 3166 alpha-3 code of an alliance member, uppercase) instead
    /// of the hub.
    #[arg(long = "as", global = true, value_name = "MEMBER", value_parser = member_code)]
    as_member: Option<String>,
    /// More log output on standard error (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate STIX 2.1 files (bundles or single objects, .json or .json.gz).
    Validate(cmd::validate::Args),
    /// Validate and store STIX 2.1 files or directories; each bundle is stored whole or not at all.
    Ingest(cmd::ingest::Args),
    /// Ingest the built-in fictional demo bundle into a temporary store and show what was stored.
    Demo(cmd::demo::Args),
    /// Print concord's STIX extension: its extension-definition object and JSON schema.
    Schema(cmd::schema::Args),
    /// Member policies: check a policy directory (or the built-in set).
    #[command(subcommand)]
    Policy(cmd::policy::Command),
    /// Write a synthetic STIX bundle with known ground truth (campaigns, noise, decoys).
    Gen(cmd::gen::Args),
    /// Group stored incidents into campaigns by shared private artefacts.
    Correlate(cmd::correlate::Args),
    /// The knowledge base from the store (ATT&CK groups, techniques, software, sponsors); MISP galaxy import.
    #[command(subcommand)]
    Kb(cmd::kb::Command),
    /// Attribute a stored incident or campaign: groups, states, level, reasons, ACH matrix.
    Attribute(cmd::attribute::Args),
    /// Assess a stored incident or campaign: severity, effects, victims, legal class, the vector.
    Assess(cmd::assess::Args),
    /// Decide on an assessment vector: each option's outcome, blockers, path to consensus.
    Decide(cmd::decide::Args),
    /// The cheapest change in what an attacker controls that keeps a rung from adoption.
    Adversary(cmd::adversary::Args),
    /// Decide every case of the case library (real incidents) and compare with history.
    Cases(cmd::cases::Args),
    /// Re-decide a stored incident or campaign at each instant its evidence changed.
    Replay(cmd::replay::Args),
    /// A decision brief for the council: situation, assessment, options, path to consensus, recommendation.
    Brief(cmd::brief::Args),
    /// Serve TAXII 2.1 and the JSON API over HTTP.
    #[cfg(feature = "serve")]
    Serve(cmd::serve::Args),
    /// Copy a whole store into another, empty one (e.g. SQLite to PostgreSQL) and verify
    /// the copy: counts and hashes per object type.
    Migrate(cmd::migrate::Args),
    /// Pull a collection from another TAXII 2.1 server.
    Sync(cmd::sync::Args),
    /// Principals' tokens: create (printed once), list, revoke.
    #[command(subcommand)]
    Token(cmd::token::Command),
    /// TAXII collections: create, list.
    #[command(subcommand)]
    Collection(cmd::collection::Command),
    /// Rift analytics over the whole scenario space: rift index, adoption, pivotal members, ceilings.
    Rift(cmd::rift::Args),
}

/// `--as`: an alliance member's code exactly as the alliance spells it (`est` is refused,
/// not read as the hub or as a stranger who reads only green).
fn member_code(s: &str) -> Result<String, String> {
    let alliance = concord_policy::Alliance::nato();
    if alliance.member_index(s).is_some() {
        Ok(s.to_string())
    } else {
        Err(format!(
            "--as takes the code of a member of {} in uppercase (ISO 3166 alpha-3, e.g. EST); '{s}' is not one",
            alliance.name
        ))
    }
}

fn main() {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| level.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let ctx = cmd::Ctx {
        db: cli.db,
        principal: cli
            .as_member
            .map_or(concord_store::access::Principal::Hub, |m| {
                concord_store::access::Principal::Member(m)
            }),
    };
    let code = match cli.command {
        Command::Validate(a) => cmd::validate::run(&ctx, a),
        Command::Ingest(a) => cmd::ingest::run(&ctx, a),
        Command::Demo(a) => cmd::demo::run(&ctx, a),
        Command::Schema(a) => cmd::schema::run(&ctx, a),
        Command::Policy(c) => cmd::policy::run(&ctx, c),
        Command::Kb(c) => cmd::kb::run(&ctx, c),
        Command::Attribute(a) => cmd::attribute::run(&ctx, a),
        Command::Assess(a) => cmd::assess::run(&ctx, a),
        Command::Correlate(a) => cmd::correlate::run(&ctx, a),
        Command::Gen(a) => cmd::gen::run(&ctx, a),
        Command::Decide(a) => cmd::decide::run(&ctx, a),
        Command::Cases(a) => cmd::cases::run(&ctx, a),
        Command::Adversary(a) => cmd::adversary::run(&ctx, a),
        Command::Replay(a) => cmd::replay::run(&ctx, a),
        Command::Brief(a) => cmd::brief::run(&ctx, a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => cmd::serve::run(&ctx, a),
        Command::Migrate(a) => cmd::migrate::run(&ctx, a),
        Command::Sync(a) => cmd::sync::run(&ctx, a),
        Command::Token(c) => cmd::token::run(&ctx, c),
        Command::Collection(c) => cmd::collection::run(&ctx, c),
        Command::Rift(a) => cmd::rift::run(&ctx, a),
    };
    let code = code.unwrap_or_else(|e| {
        // a closed pipe (`concord ... | head`) is not an error
        let broken_pipe = e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            return exit::OK;
        }
        eprintln!("error: {e:#}");
        exit::FAILURE
    });
    std::process::exit(code);
}
