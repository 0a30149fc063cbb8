//! Finding input files: plain files as given, directories walked for `.json` and
//! `.json.gz` files in name order.

use std::path::{Path, PathBuf};

pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk(&e, out);
        } else {
            let name = e.to_string_lossy();
            if name.ends_with(".json") || name.ends_with(".json.gz") {
                out.push(e);
            }
        }
    }
}
