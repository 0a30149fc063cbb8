//! Every file under tests/corpus/ becomes a snapshot test of its diagnostics (invalid/)
//! or of the canonical text of its conditions (valid/).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::{Alliance, PolicySet};
use std::path::Path;

fn render(name: &str, text: &str) -> String {
    let alliance = Alliance::nato();
    match PolicySet::from_texts(&[(name.to_string(), text.to_string())], &alliance) {
        Ok(set) => {
            let mut out = String::from("OK\n");
            for p in set.by_member.iter().flatten() {
                out.push_str(&format!("member {} doctrine {:?}\n", p.member, p.doctrine));
                for (r, s) in p.stances.iter().enumerate() {
                    if let Some(c) = &s.support {
                        out.push_str(&format!(
                            "  {} support: {}\n",
                            alliance.ladder[r].id,
                            c.to_text()
                        ));
                    }
                    for (reason, c) in &s.block {
                        out.push_str(&format!(
                            "  {} block ({}): {}\n",
                            alliance.ladder[r].id,
                            reason.word(),
                            c.to_text()
                        ));
                    }
                }
                let cap: Vec<&str> = p
                    .capacity
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c)
                    .map(|(r, _)| alliance.ladder[r].id.as_str())
                    .collect();
                if !cap.is_empty() {
                    out.push_str(&format!("  capacity: {}\n", cap.join(", ")));
                }
            }
            out
        }
        Err(e) => e.diagnostics.iter().map(|d| format!("{d}\n")).collect(),
    }
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut n = 0;
    for kind in ["valid", "invalid"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = format!("{kind}/{}", f.file_name().unwrap().to_string_lossy());
            let text = std::fs::read_to_string(&f).unwrap();
            let out = render(&name, &text);
            assert_eq!(out.starts_with("OK"), kind == "valid", "{name}:\n{out}");
            insta::assert_snapshot!(name.replace('/', "__"), out);
            n += 1;
        }
    }
    assert!(n >= 10);
}

/// Every alliance file under tests/corpus/alliance/ becomes a snapshot of its ladder
/// (valid/) or of its diagnostics (invalid/).
#[test]
fn alliance_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/alliance");
    let mut n = 0;
    for kind in ["valid", "invalid"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = format!(
                "alliance/{kind}/{}",
                f.file_name().unwrap().to_string_lossy()
            );
            let text = std::fs::read_to_string(&f).unwrap();
            let out = match Alliance::parse(&name, &text) {
                Ok(a) => {
                    let mut out = format!("OK {} ({} members)\n", a.name, a.members.len());
                    for r in &a.ladder {
                        let req: Vec<&str> = r
                            .requires
                            .iter()
                            .map(|q| a.ladder[*q].id.as_str())
                            .collect();
                        out.push_str(&format!(
                            "{} {} legal_basis={:?} requires={:?} contributors={:?} request={:?}\n",
                            r.id,
                            r.rule,
                            r.legal_basis
                                .map(|l| concord_policy::vocab::LEGAL[usize::from(l)]),
                            req,
                            r.contributors,
                            r.request
                        ));
                    }
                    out
                }
                Err(e) => e.iter().map(|d| format!("{d}\n")).collect(),
            };
            assert_eq!(out.starts_with("OK"), kind == "valid", "{name}:\n{out}");
            insta::assert_snapshot!(name.replace('/', "__"), out);
            n += 1;
        }
    }
    assert!(n >= 2);
}
