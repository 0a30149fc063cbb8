//! The policy language, policy files and alliance files (decision model v2: block reasons,
//! `[capacity]`, rung `legal_basis`, `requires`, `contributors`, `request`) never panic or
//! overflow the stack; whatever compiles prints back to an equal condition; a policy set
//! that loads decides without panicking.
#![no_main]

use concord_policy::{decide, lang, Alliance, PolicySet, Vector};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ALLIANCE: OnceLock<Alliance> = OnceLock::new();
static VECTOR: OnceLock<Option<Vector>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(c) = lang::compile(s) {
        let again = lang::compile(&c.to_text());
        assert_eq!(again.as_ref(), Ok(&c), "round trip of {s:?}");
    }
    let alliance = ALLIANCE.get_or_init(Alliance::nato);
    if let Ok(set) = PolicySet::from_texts(&[("fuzz.toml".to_string(), s.to_string())], alliance) {
        let v = VECTOR.get_or_init(|| {
            Vector::from_json(&serde_json::json!({"severity": "high", "attribution": "moderate",
                "effects": "data_destruction", "actor": "state", "sectors": ["energy"],
                "victims": ["EST", "FRA"]}))
            .ok()
        });
        if let Some(v) = v {
            let _ = decide(alliance, &set, v);
        }
    }
    if let Ok(a) = Alliance::parse("fuzz-alliance.toml", s) {
        let set = PolicySet::builtin(&a);
        if let Some(v) = VECTOR.get().and_then(Option::as_ref) {
            let _ = decide(&a, &set, v);
        }
    }
});
