//! Reading and validating arbitrary bytes as a STIX document never panics.
#![no_main]

use concord_stix::{json, validate, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = json::utf8(data, "fuzz") else { return };
    let Ok(doc) = json::split_document(text, "fuzz") else { return };
    let _ = validate::validate_stream(&doc, &Options { strict: true, enforce_refs: true, ..Options::default() }, |_| ());
    let _ = concord_stix::pattern::parse(text);
});
