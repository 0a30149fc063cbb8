//! One module per subcommand.

pub mod adversary;
pub mod assess;
pub mod attribute;
pub mod brief;
pub mod cases;
pub mod collection;
pub mod correlate;
pub mod decide;
pub mod demo;
pub mod gen;
pub mod ingest;
pub mod kb;
pub mod migrate;
pub mod policy;
pub mod replay;
pub mod rift;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sync;
pub mod token;
pub mod validate;

use std::path::{Path, PathBuf};

/// The `--db` option: an SQLite file (`PATH`, `sqlite:PATH`) or a PostgreSQL URL
/// (`postgres://...`, `postgresql://...`). It reads as a path (what `Store::open` takes;
/// the store tells the two apart), and shows without a password.
#[derive(Debug, Clone)]
pub struct DbArg(PathBuf);

impl std::str::FromStr for DbArg {
    type Err = String;
    fn from_str(s: &str) -> Result<DbArg, String> {
        if s.is_empty() {
            return Err("give an SQLite file or a postgres:// URL".into());
        }
        if s.contains("://") && !concord_store::is_postgres_url(s) && !s.starts_with("sqlite:") {
            let scheme = s.split("://").next().unwrap_or_default();
            return Err(format!(
                "unknown database URL scheme '{scheme}': use an SQLite file (PATH or sqlite:PATH) or postgres://USER@HOST/DB"
            ));
        }
        Ok(DbArg(PathBuf::from(s)))
    }
}

impl std::ops::Deref for DbArg {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl DbArg {
    /// For messages: the path, or the URL without its password.
    pub fn display(&self) -> String {
        concord_store::redact_url(&self.0.to_string_lossy())
    }

    /// The SQLite file this names (none for PostgreSQL).
    pub fn sqlite_path(&self) -> Option<&Path> {
        if self.is_postgres() {
            return None;
        }
        Some(
            match self.0.to_str().and_then(|s| s.strip_prefix("sqlite:")) {
                Some(rest) => Path::new(rest.strip_prefix("//").unwrap_or(rest)),
                None => &self.0,
            },
        )
    }

    /// Whether this names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.0.to_str().is_some_and(concord_store::is_postgres_url)
    }
}

/// What every subcommand may need from the global options.
#[derive(Debug)]
pub struct Ctx {
    pub db: DbArg,
    /// The hub, or the member given with `--as` (checked to be an alliance member).
    pub principal: concord_store::access::Principal,
}

impl Ctx {
    /// The database of `--db`, or (with `demo`) the built-in fictional scenario in memory.
    pub fn store(&self, demo: bool) -> anyhow::Result<concord_store::Store> {
        use anyhow::Context;
        if demo {
            Ok(concord_app::demo::store()?)
        } else {
            concord_store::Store::open(&self.db)
                .with_context(|| format!("opening database {}", self.db.display()))
        }
    }

    /// The principal the CLI reads and writes as (the hub, or the member of `--as`).
    pub fn viewer(&self) -> concord_store::access::Principal {
        self.principal.clone()
    }

    /// The database of `--db` (opened, migrated).
    pub fn open(&self) -> anyhow::Result<concord_store::Store> {
        self.store(false)
    }
}

/// The validator options shared by `validate` and `ingest`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Treat SHOULD recommendations as errors.
    #[arg(long)]
    pub strict: bool,
    /// Custom object types are errors.
    #[arg(long)]
    pub strict_types: bool,
    /// Custom properties are errors.
    #[arg(long)]
    pub strict_properties: bool,
    /// References must resolve within the bundle.
    #[arg(long)]
    pub enforce_refs: bool,
    /// SHOULD checks to switch off (names or codes, comma separated), e.g. 401,relationship-types.
    #[arg(long, value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Run only these SHOULD checks (names or codes, comma separated).
    #[arg(long, value_delimiter = ',')]
    pub enable: Vec<String>,
    /// Directory of custom JSON schemas applied on top: `<type>.json`, `extension-definition--<uuid>.json`.
    #[arg(long, value_name = "DIR")]
    pub schema_dir: Option<std::path::PathBuf>,
    /// The reference validator's interoperability mode: the STIX 2.1 Interoperability
    /// profile (required properties per type, at most one TLP marking, a producer
    /// identity named by every object's created_by_ref).
    #[arg(long)]
    pub interop: bool,
    /// STIX version to check against: 2.1 (default) or 2.0 (checks a 2.0 bundle envelope only).
    #[arg(long, value_parser = ["2.0", "2.1"])]
    pub version: Option<String>,
    /// Refuse input larger than this many bytes (after decompression).
    #[arg(long, default_value_t = concord_stix::json::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
}

impl CheckArgs {
    pub fn options(&self) -> anyhow::Result<concord_stix::Options> {
        let o = concord_stix::Options {
            strict: self.strict,
            strict_types: self.strict_types,
            strict_properties: self.strict_properties,
            enforce_refs: self.enforce_refs,
            disabled: self.disable.clone(),
            enabled: self.enable.clone(),
            schema_dir: self.schema_dir.clone(),
            version: self.version.clone(),
            interop: self.interop,
        };
        let unknown = o.unknown_check_names();
        if !unknown.is_empty() {
            anyhow::bail!(
                "unknown check name(s): {} (see docs/validator-checks.md)",
                unknown.join(", ")
            );
        }
        Ok(o)
    }
}

/// The alliance and policy options shared by `decide`, `policy check`, `rift`.
#[derive(Debug, Clone, clap::Args)]
pub struct PolicyArgs {
    /// Alliance file (TOML) replacing the built-in NATO-32 alliance.
    #[arg(long, value_name = "FILE")]
    pub alliance: Option<std::path::PathBuf>,
    /// Policy directory replacing the built-in illustrative set entirely.
    #[arg(long, value_name = "DIR")]
    pub policies: Option<std::path::PathBuf>,
}

/// Why the alliance or the policies could not be loaded: diagnostics to render.
pub struct ConfigErrors {
    pub diagnostics: Vec<concord_policy::Diagnostic>,
    pub sources: std::collections::BTreeMap<String, String>,
}

impl ConfigErrors {
    fn usage(message: String) -> ConfigErrors {
        ConfigErrors {
            diagnostics: vec![concord_policy::Diagnostic {
                file: "command line".into(),
                key: String::new(),
                line: 0,
                column: 0,
                message,
                span: 0..0,
                valid: Vec::new(),
                suggestion: None,
            }],
            sources: Default::default(),
        }
    }
}

impl PolicyArgs {
    /// The alliance and policies: the files given, else the built-in NATO forum.
    pub fn load(
        &self,
    ) -> Result<(concord_policy::Alliance, concord_policy::PolicySet), ConfigErrors> {
        self.load_for("nato")
    }

    /// One forum: the built-in forum `id`, with `--alliance` and `--policies` replacing its
    /// alliance file and policy set when given.
    pub fn load_for(
        &self,
        id: &str,
    ) -> Result<(concord_policy::Alliance, concord_policy::PolicySet), ConfigErrors> {
        use concord_policy::{Alliance, PolicySet};
        let alliance = match &self.alliance {
            None if id == "eu" => Alliance::eu(),
            None => Alliance::nato(),
            Some(p) => {
                let name = p.display().to_string();
                let text = std::fs::read_to_string(p).map_err(|e| ConfigErrors {
                    diagnostics: vec![concord_policy::Diagnostic {
                        file: name.clone(),
                        key: String::new(),
                        line: 0,
                        column: 0,
                        message: format!("cannot read: {e}"),
                        span: 0..0,
                        valid: Vec::new(),
                        suggestion: None,
                    }],
                    sources: Default::default(),
                })?;
                Alliance::parse(&name, &text).map_err(|d| ConfigErrors {
                    diagnostics: d,
                    sources: [(name.clone(), text.clone())].into(),
                })?
            }
        };
        let policies = match &self.policies {
            None => PolicySet::builtin(&alliance),
            Some(dir) => PolicySet::load_dir(dir, &alliance).map_err(|e| ConfigErrors {
                diagnostics: e.diagnostics,
                sources: e.sources,
            })?,
        };
        Ok((alliance, policies))
    }

    /// The starting policy texts (file name, text): the built-in set, or the `*.toml` files
    /// of `--policies DIR`.
    pub fn texts(&self) -> anyhow::Result<Vec<(String, String)>> {
        use anyhow::Context;
        let Some(dir) = &self.policies else {
            return Ok(concord_policy::policy::BUILTIN
                .iter()
                .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
                .collect());
        };
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "toml") {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push((name, std::fs::read_to_string(&p)?));
            }
        }
        Ok(out)
    }

    /// The positions in force over a store: `set` (what [`PolicyArgs::load`] gave) when no
    /// member saved a position in it, else the starting texts with the saved positions in
    /// place of their members' (`concord_app::positions`), as the server decides. `None`
    /// (after printing why) when that set does not check.
    pub fn in_force(
        &self,
        store: &concord_store::Store,
        alliance: &concord_policy::Alliance,
        set: concord_policy::PolicySet,
    ) -> anyhow::Result<Option<concord_policy::PolicySet>> {
        use concord_app::positions::{Positions, PositionsError};
        if store.policy_version()? == 0 {
            return Ok(Some(set));
        }
        match Positions::load(self.texts()?, store, alliance) {
            Ok(p) => Ok(Some(std::sync::Arc::unwrap_or_clone(p.set))),
            Err(PositionsError::Store(e)) => Err(e.into()),
            Err(PositionsError::Policies(diagnostics)) => {
                eprintln!("error: the positions saved in the database do not check with the starting set:");
                print_config_errors(
                    &ConfigErrors {
                        diagnostics,
                        sources: Default::default(),
                    },
                    false,
                )?;
                Ok(None)
            }
        }
    }

    /// The forums of `--forum LIST` (default: `nato`). `--alliance` and `--policies` apply
    /// to a single forum only.
    pub fn forums(&self, list: Option<&str>) -> Result<Vec<concord_policy::Forum>, ConfigErrors> {
        let ids = concord_policy::Forum::parse_list(list.unwrap_or("nato"))
            .map_err(|e| ConfigErrors::usage(e.to_string()))?;
        if ids.len() > 1 && (self.alliance.is_some() || self.policies.is_some()) {
            return Err(ConfigErrors::usage(
                "--alliance and --policies replace one forum: give a single --forum with them"
                    .into(),
            ));
        }
        ids.iter()
            .map(|id| {
                self.load_for(id)
                    .map(|(alliance, policies)| concord_policy::Forum {
                        id: id.clone(),
                        alliance,
                        policies,
                    })
            })
            .collect()
    }
}

/// Print configuration diagnostics: rendered with source snippets, or as JSON.
pub fn print_config_errors(e: &ConfigErrors, json: bool) -> std::io::Result<()> {
    use std::io::Write;
    if json {
        let doc = serde_json::json!({"ok": false, "diagnostics": e.diagnostics});
        writeln!(std::io::stdout(), "{doc}")?;
        return Ok(());
    }
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    for d in &e.diagnostics {
        match e.sources.get(&d.file) {
            Some(text) => {
                let r = d.render(text);
                if handler.render_report(&mut out, &r).is_err() {
                    out.push_str(&format!("{d}\n"));
                }
            }
            None => out.push_str(&format!("{d}\n")),
        }
    }
    out.push_str(&format!(
        "{} problem(s); the policy set is rejected as a whole\n",
        e.diagnostics.len()
    ));
    std::io::stderr().write_all(out.as_bytes())
}

/// A JSON line/document for an unusable input.
pub fn unusable_json(e: &concord_stix::InputError) -> serde_json::Value {
    use concord_stix::InputError as E;
    let (code, line, column) = match e {
        E::Io { .. } => ("io", None, None),
        E::TooLarge { .. } => ("too-large", None, None),
        E::Gzip { .. } => ("gzip", None, None),
        E::Utf8 { line, column, .. } => ("utf8", Some(*line), Some(*column)),
        E::Json { line, column, .. } => ("json", Some(*line), Some(*column)),
        E::Shape { .. } => ("shape", None, None),
    };
    serde_json::json!({"code": code, "id": null, "path": "$", "line": line, "column": column, "message": e.to_string()})
}
