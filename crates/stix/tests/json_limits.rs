//! The JSON reader bounds nesting on every entry point (serde_json's 128 levels), also for
//! values it only skips (envelope keys, a non-bundle's `objects`), and bounds a flat array
//! only by the byte limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_stix::json;

fn deep(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

#[test]
fn deep_nesting_is_an_error_on_every_path() {
    let d = deep(100_000);
    for text in [
        format!(
            r#"{{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[{{"type":"x","v":{d}}}]}}"#
        ),
        format!(
            r#"{{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","x":{d},"objects":[]}}"#
        ),
        format!(r#"{{"type":"observed-data","objects":{{"a":{d}}}}}"#),
        format!(r#"{{"type":"identity","objects":{d}}}"#),
        d.clone(),
    ] {
        assert!(json::parse_document(&text, "t").is_err());
    }
}

#[test]
fn a_flat_array_is_bounded_by_size_only() {
    let items = vec!["1"; 200_000].join(",");
    let text = format!(r#"{{"type":"identity","x_list":[{items}]}}"#);
    assert!(json::parse_document(&text, "t").is_ok());
    let err = json::read_limited(text.as_bytes(), "t", 1000).unwrap_err();
    assert!(matches!(err, json::InputError::TooLarge { .. }));
}
