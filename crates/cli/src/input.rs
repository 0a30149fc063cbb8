//! Finding input files: plain files as given, directories walked for `.json` and
//! `.json.gz` files in name order. Symbolic links are followed, but every directory is
//! entered once and every file read once (by their resolved paths), so a link loop ends
//! the walk instead of repeating it and a file reached by two paths is not read twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen_dirs = HashSet::new();
    let mut seen_files = HashSet::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out, &mut seen_dirs, &mut seen_files);
        } else if first_time(p, &mut seen_files) {
            out.push(p.clone());
        }
    }
    out
}

/// True the first time a path's resolved form is seen (a path that cannot be resolved is
/// kept, so its error is reported where it is read).
fn first_time(p: &Path, seen: &mut HashSet<PathBuf>) -> bool {
    match std::fs::canonicalize(p) {
        Ok(c) => seen.insert(c),
        Err(_) => true,
    }
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen_dirs: &mut HashSet<PathBuf>,
    seen_files: &mut HashSet<PathBuf>,
) {
    if !first_time(dir, seen_dirs) {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk(&e, out, seen_dirs, seen_files);
        } else {
            let name = e.to_string_lossy();
            if (name.ends_with(".json") || name.ends_with(".json.gz")) && first_time(&e, seen_files)
            {
                out.push(e);
            }
        }
    }
}
