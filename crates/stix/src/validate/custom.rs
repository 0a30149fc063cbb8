//! Custom JSON schemas (`--schema-dir`, as the reference validator's `schema_dir`): a file
//! `<type>.json` applies to every object of that type; a file
//! `extension-definition--<uuid>.json` applies to every object using that extension.

use super::{Finding, Sink};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Compiled custom schemas by file stem, and problems loading them.
pub struct CustomSchemas {
    /// A schema that cannot be read or compiled is kept as its error, reported when used.
    by_name: HashMap<String, Result<jsonschema::Validator, String>>,
    pub problems: Vec<Finding>,
}

impl std::fmt::Debug for CustomSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CustomSchemas({} schemas)", self.by_name.len())
    }
}

impl CustomSchemas {
    pub fn load(dir: &Path) -> CustomSchemas {
        let mut s = CustomSchemas {
            by_name: HashMap::new(),
            problems: Vec::new(),
        };
        let problem = |file: &Path, message: String| Finding {
            code: "schema-dir".into(),
            id: None,
            path: "$".into(),
            message: format!("custom schema {}: {message}", file.display()),
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                s.problems
                    .push(problem(dir, format!("cannot read the directory: {e}")));
                return s;
            }
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let Some(stem) = p.file_stem().map(|x| x.to_string_lossy().into_owned()) else {
                continue;
            };
            let parsed = std::fs::read_to_string(&p)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()));
            // relative `$ref`s resolve against the schema's own directory (files only, no network)
            let base = std::fs::canonicalize(&p)
                .map(|c| format!("file://{}", c.display()))
                .unwrap_or_default();
            let compiled = parsed.and_then(|v| {
                jsonschema::options()
                    .with_base_uri(base)
                    .build(&v)
                    .map_err(|e| e.to_string())
            });
            s.by_name
                .insert(stem, compiled.map_err(|m| problem(&p, m).message));
        }
        s
    }

    /// Apply the schemas that match an object.
    pub(crate) fn check(&self, value: &Value, path: &str, sink: &mut Sink) {
        let id = value.get("id").and_then(Value::as_str);
        let mut names: Vec<&str> = value
            .get("type")
            .and_then(Value::as_str)
            .into_iter()
            .collect();
        if let Some(ext) = value.get("extensions").and_then(Value::as_object) {
            names.extend(
                ext.keys()
                    .filter(|k| k.starts_with("extension-definition--"))
                    .map(String::as_str),
            );
        }
        for name in names {
            let v = match self.by_name.get(name) {
                None => continue,
                Some(Err(m)) => {
                    sink.must("schema-dir", id, path, m);
                    continue;
                }
                Some(Ok(v)) => v,
            };
            for e in v.iter_errors(value) {
                let at = e.instance_path().to_string();
                let p = if at.is_empty() {
                    path.to_string()
                } else {
                    format!("{path}{}", at.replace('/', "."))
                };
                sink.must(
                    "custom-schema",
                    id,
                    p,
                    format_args!("{e} (custom schema {name}.json)"),
                );
            }
        }
    }
}
