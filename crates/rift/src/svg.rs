//! SVG charts (placeholder until implemented below).
pub fn write_all(
    _dir: &std::path::Path,
    _a: &concord_policy::Alliance,
    _m: &crate::Metrics,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    Ok(Vec::new())
}
