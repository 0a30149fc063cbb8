//! The brief as Markdown.

use super::*;
use crate::room::{self};
use std::fmt::Write;

fn md_spans(s: &[Span]) -> String {
    s.iter()
        .map(|x| {
            if x.bold && !x.text.trim().is_empty() {
                let lead = &x.text[..x.text.len() - x.text.trim_start().len()];
                let trail = &x.text[x.text.trim_end().len()..];
                format!("{lead}**{}**{trail}", x.text.trim())
            } else {
                x.text.clone()
            }
        })
        .collect()
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The brief as Markdown.
pub fn markdown(brief: &Brief) -> String {
    let mut s = String::new();
    for blk in &brief.blocks {
        match blk {
            Block::Tlp(l, why) => {
                if why.is_empty() {
                    let _ = writeln!(s, "\n---\n\n**{}**", crate::inputs::banner(l));
                } else {
                    let _ = writeln!(s, "**{}**: {why}.\n", crate::inputs::banner(l));
                }
            }
            Block::Stamp(st, why) => {
                let _ = writeln!(s, "> **{st}**: {why}.\n");
            }
            Block::Title(x) => {
                let _ = writeln!(s, "# {x}\n");
            }
            Block::Heading(x) => {
                let _ = writeln!(s, "## {x}\n");
            }
            Block::Para(x) => {
                let _ = writeln!(s, "{}\n", md_spans(x));
            }
            Block::Bullets(items) => {
                for i in items {
                    let _ = writeln!(s, "- {}", md_spans(i));
                }
                s.push('\n');
            }
            Block::Table { head, rows } => {
                let _ = writeln!(
                    s,
                    "| {} |\n|{}",
                    head.iter()
                        .map(|h| md_cell(h))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    "---|".repeat(head.len())
                );
                for r in rows {
                    let _ = writeln!(
                        s,
                        "| {} |",
                        r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                s.push('\n');
            }
            Block::Ladder(cells) => {
                let _ = writeln!(s, "{}", room::ladder_markdown(cells));
            }
            Block::Tiles(map) => {
                let _ = writeln!(s, "{}", room::tiles_text(map));
            }
        }
    }
    s
}
