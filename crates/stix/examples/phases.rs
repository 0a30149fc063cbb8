//! Times the phases of validating one file: `cargo run --release --example phases FILE`.
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        return;
    };
    let t = Instant::now();
    let bytes = match concord_stix::json::read_file(path.as_ref(), u64::MAX) {
        Ok(b) => b,
        Err(e) => return eprintln!("{e}"),
    };
    let t1 = t.elapsed();
    let Ok(text) = concord_stix::json::utf8(&bytes, &path) else {
        return;
    };
    let t2 = t.elapsed();
    let Ok(doc) = concord_stix::json::split_document(text, &path) else {
        return;
    };
    let tp = Instant::now();
    let n = parse_only(&doc);
    println!("parse only {:?} ({n})", tp.elapsed());
    let t3 = t.elapsed();
    let Ok((report, _)) =
        concord_stix::validate::validate_stream(&doc, &concord_stix::Options::default(), |_| ())
    else {
        return;
    };
    let t4 = t.elapsed();
    println!(
        "read {t1:?} utf8 {:?} split {:?} parse+validate {:?} ({} objects, {} warnings)",
        t2 - t1,
        t3 - t2,
        t4 - t3,
        doc.parts.len(),
        report.warnings.len()
    );
}

#[allow(dead_code)]
fn parse_only(doc: &concord_stix::RawDocument<'_>) -> usize {
    use rayon::prelude::*;
    doc.parts
        .par_iter()
        .map(|p| doc.parse_part(p).map(|_| 1).unwrap_or(0))
        .sum()
}
