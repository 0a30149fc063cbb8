//! Reads a JSON array of STIX patterns on standard input and prints, per pattern, a JSON
//! line `{"pattern": ..., "valid": bool, "errors": [...]}` with concord's verdict (grammar
//! and the reference pattern validator's semantic rules). For comparing with peers.

use std::io::Read;

fn main() {
    let mut input = String::new();
    if std::io::stdin().read_to_string(&mut input).is_err() {
        eprintln!("cannot read standard input");
        std::process::exit(2);
    }
    let patterns: Vec<String> = match serde_json::from_str(&input) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("expected a JSON array of strings: {e}");
            std::process::exit(2);
        }
    };
    for p in patterns {
        let (valid, errors) = match concord_stix::pattern::validate(&p) {
            Ok(_) => (true, vec![]),
            Err(es) => (false, es.iter().map(ToString::to_string).collect()),
        };
        println!(
            "{}",
            serde_json::json!({"pattern": p, "valid": valid, "errors": errors})
        );
    }
}
