//! The brief printed to PDF by headless Chromium.

use super::*;

/// The first headless-capable Chromium on the PATH.
pub fn chromium() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "headless_shell",
    ]
    .into_iter()
    .find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Print an HTML brief to PDF with headless Chromium (no network: the page is
/// self-contained).
pub fn pdf(html: &str) -> Result<Vec<u8>, BriefError> {
    let browser = chromium().ok_or(BriefError::NoChromium)?;
    let dir = tempfile::tempdir()?;
    let page = dir.path().join("brief.html");
    let out = dir.path().join("brief.pdf");
    std::fs::write(&page, html)?;
    let st = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--disable-dev-shm-usage",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    match std::fs::read(&out) {
        Ok(bytes) if st.status.success() && bytes.starts_with(b"%PDF") => Ok(bytes),
        _ => Err(BriefError::Print(
            browser.to_string(),
            String::from_utf8_lossy(&st.stderr).into_owned(),
        )),
    }
}
