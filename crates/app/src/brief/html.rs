//! The brief as self-contained HTML (no external resources), which is also what is printed to PDF.

use super::*;
use crate::room::{self, esc};
use std::fmt::Write;

fn html_spans(s: &[Span]) -> String {
    s.iter()
        .map(|x| {
            if x.bold {
                format!("<strong>{}</strong>", esc(&x.text))
            } else {
                esc(&x.text)
            }
        })
        .collect()
}

const BRIEF_CSS: &str = "body{font-family:system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:0 1.5rem;color:#1b1b1b;background:#fff}\
main{padding:.5rem 0 1rem}h1{font-size:1.6rem;margin:.6rem 0 .3rem}h2{font-size:1.15rem;border-bottom:2px solid #12263a;padding-bottom:.1rem;margin-top:1.2rem}\
table{border-collapse:collapse;margin:.4rem 0 .8rem}th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top;font-size:.88rem}th{background:#eef2f6}\
.stamps{margin:.4rem 0}.stamp{margin-right:.5rem}.stampwhy{font-size:.85rem;color:#333}.bluf{font-size:1rem}.dtg{font-family:ui-monospace,monospace}\
@page{margin:16mm 12mm}@media print{body{max-width:none;padding:0}.tlp.top{position:fixed;top:0;left:0;right:0}.tlp.bottom{position:fixed;bottom:0;left:0;right:0}main{padding-top:1.6rem}h2{break-after:avoid}.ladder,.tilemap,tr{break-inside:avoid}}";

/// The brief as one self-contained HTML page (inline CSS, no script, no external resource).
pub fn html(brief: &Brief) -> String {
    let mut body = String::new();
    let mut stamps = String::new();
    let mut first_tlp = true;
    let mut in_main = false;
    for blk in &brief.blocks {
        match blk {
            Block::Tlp(l, why) => {
                if first_tlp {
                    let _ = write!(
                        body,
                        "<header><div class=\"tlp top {l}\" role=\"note\" aria-label=\"Traffic Light Protocol marking\">{} <span class=\"sr\">({})</span></div>",
                        esc(&crate::inputs::banner(l)),
                        esc(why)
                    );
                    first_tlp = false;
                } else {
                    if in_main {
                        body.push_str("</main>");
                        in_main = false;
                    }
                    let _ = write!(
                        body,
                        "<footer><div class=\"tlp bottom {l}\">{}</div></footer>",
                        esc(&crate::inputs::banner(l))
                    );
                }
            }
            Block::Stamp(st, why) => {
                let _ = write!(
                    stamps,
                    "<p><span class=\"stamp\">{}</span> <span class=\"stampwhy\">{}.</span></p>",
                    esc(st),
                    esc(why)
                );
            }
            Block::Title(x) => {
                let _ = write!(
                    body,
                    "<div class=\"stamps\">{stamps}</div></header><main><h1>{}</h1>",
                    esc(x)
                );
                in_main = true;
            }
            Block::Heading(x) => {
                let _ = write!(body, "<h2>{}</h2>", esc(x));
            }
            Block::Para(x) => {
                let _ = write!(body, "<p>{}</p>", html_spans(x));
            }
            Block::Bullets(items) => {
                body.push_str("<ul>");
                for i in items {
                    let _ = write!(body, "<li>{}</li>", html_spans(i));
                }
                body.push_str("</ul>");
            }
            Block::Table { head, rows } => {
                body.push_str("<table><thead><tr>");
                for h in head {
                    let _ = write!(body, "<th scope=\"col\">{}</th>", esc(h));
                }
                body.push_str("</tr></thead><tbody>");
                for r in rows {
                    body.push_str("<tr>");
                    for c in r {
                        let _ = write!(body, "<td>{}</td>", esc(c));
                    }
                    body.push_str("</tr>");
                }
                body.push_str("</tbody></table>");
            }
            Block::Ladder(cells) => {
                body.push_str(&room::ladder_html(
                    cells,
                    "the ladder, lowest rung first",
                    None,
                    false,
                    None,
                ));
            }
            Block::Tiles(map) => {
                body.push_str(&room::tiles_html(
                    map,
                    "members' stances, laid out like the map",
                ));
            }
        }
    }
    if in_main {
        body.push_str("</main>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{} ({})</title><style>{}{}.sr{{position:absolute;left:-9999px}}</style></head><body>{body}</body></html>",
        esc(&brief.title),
        esc(&crate::inputs::banner(brief.tlp)),
        room::CSS,
        BRIEF_CSS
    )
}
