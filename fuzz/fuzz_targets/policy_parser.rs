//! The policy language and policy files never panic or overflow the stack, and whatever
//! compiles prints back to an equal condition.
#![no_main]

use concord_policy::{lang, Alliance, PolicySet};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ALLIANCE: OnceLock<Alliance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(c) = lang::compile(s) {
        let again = lang::compile(&c.to_text());
        assert_eq!(again.as_ref(), Ok(&c), "round trip of {s:?}");
    }
    let alliance = ALLIANCE.get_or_init(Alliance::nato);
    let _ = PolicySet::from_texts(&[("fuzz.toml".to_string(), s.to_string())], alliance);
});
