//! The brief's tests.

use super::*;
use concord_policy::{Forum, PolicySet};
use concord_store::access::Principal;
use std::io::Read;

const BALTIC: &str = "campaign--b2168e2d-0232-4697-80b7-ea8e3628e748";
const NOW: &str = "2026-03-21T09:30:00Z";

fn demo_brief(viewer: &Principal) -> Brief {
    let store = crate::demo::store().unwrap();
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    let eu = Forum::builtin("eu").unwrap();
    from_store(&store.reader(viewer), BALTIC, &a, &p, &[&eu], true, NOW).unwrap()
}

#[test]
fn the_brief_puts_the_bottom_line_first_under_the_most_restrictive_marking() {
    let brief = demo_brief(&Principal::Hub);
    // the wiper incident is TLP:AMBER; everything else green or unmarked
    assert_eq!(brief.tlp, "amber");
    assert_eq!(brief.dtg, "210930Z MAR 26");
    let md = markdown(&brief);
    assert!(md.starts_with("**TLP:AMBER**"), "{md}");
    assert!(md.trim_end().ends_with("**TLP:AMBER**"), "bottom banner");
    assert!(md.contains("> **ILLUSTRATIVE POSITIONS**"));
    assert!(md.contains("> **FICTIONAL DEMO SCENARIO**"));
    assert!(md.contains("**DTG** 210930Z MAR 26"), "{md}");
    let at = |s: &str| md.find(s).expect(s);
    assert!(at("## Bottom line up front") < at("## The NATO ladder"));
    assert!(at("## The NATO ladder") < at("## Situation"));
    assert!(at("## Situation") < at("## Sources"));
    assert!(md.contains("**Blocked: proportionate cyber countermeasures (voluntary national effects)**, by FRA (legal doubts"), "{md}");
    assert!(md.contains("| ✕ blocked: legal |"), "ladder strip");
    assert!(
        md.contains("## Members on: proportionate cyber countermeasures"),
        "map of the blocked rung"
    );
    assert!(md.contains("FRA✕"));
    assert!(md.contains("**In the EU:** can agree"), "{md}");
    // the sources name the amber incident with its marking
    assert!(
        md.contains("| incident | EST | 2026-03-19 | TLP:AMBER |"),
        "{md}"
    );
}

#[test]
fn a_member_outside_the_amber_recipients_gets_a_green_brief_without_the_amber_incident() {
    // DEU may not read the wiper incident (AMBER, recipients EST LVA LTU POL)
    let brief = demo_brief(&Principal::Member("DEU".into()));
    assert_eq!(brief.tlp, "green");
    let md = markdown(&brief);
    assert!(!md.contains("TLP:AMBER"), "{md}");
    assert!(!md.contains("Wiper attack"), "{md}");
}

#[test]
fn html_is_self_contained_and_carries_banner_stamps_and_graphics() {
    let brief = demo_brief(&Principal::Hub);
    let h = html(&brief);
    assert!(h.contains("<div class=\"tlp top amber\""));
    assert!(h.contains("<div class=\"tlp bottom amber\">TLP:AMBER</div>"));
    assert!(h.contains("<span class=\"stamp\">ILLUSTRATIVE POSITIONS</span>"));
    assert!(h.contains("<ol class=\"ladder\""));
    assert!(h.contains("<div class=\"tilemap\""));
    assert!(h.contains("<main>") && h.contains("</main>"));
    for external in ["http://", "https://", "src=", "<script", "@import"] {
        assert!(!h.contains(external), "external resource: {external}");
    }
    let bluf = h.find("Bottom line up front").unwrap();
    assert!(bluf < h.find("<h2>Situation</h2>").unwrap());
}

#[test]
fn docx_is_a_word_document_with_the_same_content() {
    let brief = demo_brief(&Principal::Hub);
    let bytes = docx(&brief).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip archive");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut doc = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    for want in [
        "Bottom line up front",
        "ILLUSTRATIVE POSITIONS",
        "210930Z MAR 26",
        "FRA ✕ blocks: legal",
        "✕ 10. countermeasures: blocked: legal",
        "w:fill=\"D55E00\"",
    ] {
        assert!(doc.contains(want), "document.xml lacks {want}");
    }
    let headers: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("word/header"))
        .map(String::from)
        .collect();
    assert!(!headers.is_empty());
    let mut header = String::new();
    zip.by_name(&headers[0])
        .unwrap()
        .read_to_string(&mut header)
        .unwrap();
    assert!(header.contains("TLP:AMBER"), "{header}");
}
