//! One module per subcommand.

pub mod demo;
pub mod ingest;
pub mod schema;
pub mod validate;

use std::path::PathBuf;

/// What every subcommand may need from the global options.
#[derive(Debug)]
pub struct Ctx {
    pub db: PathBuf,
    /// `hub`, or the member code given with `--as`.
    pub submitter: String,
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
