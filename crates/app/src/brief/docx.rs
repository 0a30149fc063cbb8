//! The brief as docx (docx-rs), for editing by staff.

use super::*;

fn hex(class: &str) -> &'static str {
    match class {
        "adopted" | "S" => "009E73",
        "blocked" | "B" => "D55E00",
        "A" => "DDDDDD",
        "h1" => "C6DBEF",
        "h2" => "6BAED6",
        "h3" => "08519C",
        _ => "FFFFFF",
    }
}

fn tlp_colour(level: &str) -> &'static str {
    match level {
        "red" => "FF2B2B",
        "amber" | "amber+strict" => "FFC000",
        "green" => "33FF00",
        _ => "FFFFFF",
    }
}

/// The brief as a Word document (docx) for staff to edit: the TLP banner in every page's
/// header and footer, the ladder and the tile map as shaded tables (each cell also says its
/// state in words).
pub fn docx(brief: &Brief) -> Result<Vec<u8>, BriefError> {
    use docx_rs::*;
    let banner_par = |l: &str| {
        Paragraph::new().align(AlignmentType::Center).add_run(
            Run::new()
                .add_text(format!(" {} ", crate::inputs::banner(l)))
                .bold()
                .size(22)
                .color(tlp_colour(l))
                .shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .fill("000000")
                        .color("auto"),
                ),
        )
    };
    let runs = |spans: &[Span]| {
        spans.iter().fold(Paragraph::new(), |p, s| {
            let r = Run::new().add_text(s.text.clone());
            p.add_run(if s.bold { r.bold() } else { r })
        })
    };
    let cell = |text: &str, fill: Option<&str>, bold: bool, size: usize| {
        let r = Run::new().add_text(text).size(size);
        let mut c = TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            r.bold()
        } else {
            r
        }));
        if let Some(f) = fill {
            c = c.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .fill(f)
                    .color("auto"),
            );
        }
        c
    };
    let mut doc = Docx::new()
        .header(Header::new().add_paragraph(banner_par(brief.tlp)))
        .footer(Footer::new().add_paragraph(banner_par(brief.tlp)))
        .default_size(20);
    for blk in &brief.blocks {
        doc = match blk {
            Block::Tlp(_, why) if why.is_empty() => doc,
            Block::Tlp(l, why) => doc.add_paragraph(banner_par(l)).add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(format!("({why})")).size(16).italic()),
            ),
            Block::Stamp(st, why) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(st.clone())
                            .bold()
                            .color("A33D00")
                            .size(24),
                    )
                    .add_run(Run::new().add_text(format!(": {why}.")).size(18)),
            ),
            Block::Title(x) => doc.add_paragraph(
                Paragraph::new()
                    .outline_lvl(0)
                    .add_run(Run::new().add_text(x.clone()).bold().size(34)),
            ),
            Block::Heading(x) => doc.add_paragraph(
                Paragraph::new().outline_lvl(1).keep_next(true).add_run(
                    Run::new()
                        .add_text(x.clone())
                        .bold()
                        .size(26)
                        .color("12263A"),
                ),
            ),
            Block::Para(x) => doc.add_paragraph(runs(x)),
            Block::Bullets(items) => items.iter().fold(doc, |doc, i| {
                let mut spans = vec![t("• ")];
                spans.extend(i.iter().cloned());
                doc.add_paragraph(runs(&spans).indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ))
            }),
            Block::Table { head, rows } => {
                let mut trs = vec![TableRow::new(
                    head.iter()
                        .map(|h| cell(h, Some("EEF2F6"), true, 18))
                        .collect(),
                )];
                for r in rows {
                    trs.push(TableRow::new(
                        r.iter().map(|c| cell(c, None, false, 18)).collect(),
                    ));
                }
                doc.add_table(Table::new(trs))
            }
            Block::Ladder(cells) => {
                let row = TableRow::new(
                    cells
                        .iter()
                        .map(|c| {
                            let text = format!("{} {}. {}: {}", c.mark, c.n, c.id, c.label);
                            cell(&text, Some(hex(c.state)), c.state != "unsupported", 16)
                        })
                        .collect(),
                );
                doc.add_table(Table::new(vec![row]))
            }
            Block::Tiles(map) => {
                let mut rows = Vec::new();
                for r in 1..=map.rows {
                    let cells = (1..=map.cols)
                        .map(
                            |c| match map.tiles.iter().find(|t| t.row == r && t.col == c) {
                                Some(t) => {
                                    let text = format!("{} {} {}", t.code, t.mark, t.word);
                                    let mut x = cell(&text, Some(hex(&t.class)), true, 14);
                                    if t.class == "h3" {
                                        x = TableCell::new()
                                            .add_paragraph(
                                                Paragraph::new().add_run(
                                                    Run::new()
                                                        .add_text(text)
                                                        .size(14)
                                                        .bold()
                                                        .color("FFFFFF"),
                                                ),
                                            )
                                            .shading(
                                                Shading::new()
                                                    .shd_type(ShdType::Clear)
                                                    .fill(hex("h3"))
                                                    .color("auto"),
                                            );
                                    }
                                    x
                                }
                                None => TableCell::new().add_paragraph(Paragraph::new()),
                            },
                        )
                        .collect();
                    rows.push(TableRow::new(cells));
                }
                doc.add_table(Table::new(rows))
            }
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| BriefError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
