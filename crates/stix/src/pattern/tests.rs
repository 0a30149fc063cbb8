#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

#[test]
fn spec_examples() {
    for ok in [
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        "([a:b = 1] AND [c:d IN ('x', 2)]) FOLLOWEDBY [e:f[*].g NOT LIKE 'x%']",
        "[x:y = t'2016-06-01T01:30:00.123Z'] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
        "[x:y > -1.5 AND EXISTS x:z]",
        "[x:y = 1 AND NOT EXISTS x:z]",
        "[x:y = 99999999999999999999999]",
    ] {
        assert!(validate(ok).is_ok(), "{ok}: {:?}", validate(ok));
    }
    for bad in [
        "file:size = 1",
        "[file.size = 1]",
        "[a:b = ]",
        "[a:b = 1] WITHIN 5 HOURS",
        "[a:b = 01]",
        "[a:b = 'x'",
        "[a:b = 1] /* unterminated",
        "/* comment first */ [a:b = 1]",
        "",
    ] {
        assert!(validate(bad).is_err(), "{bad}");
    }
}

#[test]
fn hash_values_must_fit_their_algorithm() {
    let md5 = "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']";
    assert!(validate(md5).is_ok());
    for bad in [
        "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb']",
        "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6']",
        "[file:hashes.'sha-1' = 'zz']",
        "[file:hashes.MD5 IN ('79054025255fb1a26e4bc422aef54eb4')]",
        "[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'x']",
        "[file:hashes[0] = 'x']",
    ] {
        let e = validate(bad).unwrap_err();
        assert_eq!(e[0].kind, ErrorKind::Semantic, "{bad}: {e:?}");
    }
    // Unknown algorithms and the whole dictionary are not checked.
    assert!(validate("[file:hashes.TLSH = 'x']").is_ok());
    assert!(validate("[file:hashes.'x-custom' = 'x']").is_ok());
    assert!(validate("[file:hashes[*] = 'x']").is_ok());
}

#[test]
fn a_qualifier_type_appears_once_per_observation() {
    for bad in [
        "[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS",
        "[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS REPEATS 3 TIMES",
        "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z' START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z'",
    ] {
        let e = validate(bad).unwrap_err();
        assert!(e[0].message.contains("Duplicate qualifier"), "{bad}: {e:?}");
    }
    for ok in [
        "([a:b = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS",
        "([a:b = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS",
        "[a:b = 1] WITHIN 5 SECONDS AND [c:d = 1] WITHIN 5 SECONDS",
        "[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS",
    ] {
        assert!(validate(ok).is_ok(), "{ok}: {:?}", validate(ok));
    }
}

fn chain(n: usize, inner: &str, op: &str) -> String {
    vec![inner; n].join(op)
}

#[test]
fn a_50000_term_and_chain_is_an_error_not_a_crash() {
    let p = format!("[{}]", chain(50_000, "a:b = 1", " AND "));
    let e = parse(&p).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert!(e.message.contains("terms"), "{e}");
}

#[test]
fn a_50000_term_or_chain_is_an_error_not_a_crash() {
    let p = format!("[{}]", chain(50_000, "a:b = 1", " OR "));
    assert_eq!(parse(&p).unwrap_err().kind, ErrorKind::Limit);
    let obs = chain(50_000, "[a:b = 1]", " OR ");
    assert_eq!(parse(&obs).unwrap_err().kind, ErrorKind::Limit);
    let fb = chain(50_000, "[a:b = 1]", " FOLLOWEDBY ");
    assert_eq!(parse(&fb).unwrap_err().kind, ErrorKind::Limit);
    let q = format!("[a:b = 1]{}", " WITHIN 1 SECONDS".repeat(50_000));
    assert_eq!(parse(&q).unwrap_err().kind, ErrorKind::Limit);
}

#[test]
fn long_chains_under_the_budget_parse_flat_and_walk() {
    let n = MAX_TERMS / 2;
    let p = parse(&format!("[{}]", chain(n, "a:b = 1", " AND "))).unwrap();
    match &p.root {
        Observation::Brackets(Comparison::And(v)) => assert_eq!(v.len(), n),
        other => panic!("not flat: {other:?}"),
    }
    assert_eq!(p.paths().len(), n);
    assert!(semantic_errors(&p).is_empty());
    let p = parse(&chain(n / 2, "[a:b = 1]", " OR ")).unwrap();
    assert_eq!(p.paths().len(), n / 2);
    let p = parse(&chain(n / 2, "[a:b = 1]", " FOLLOWEDBY ")).unwrap();
    assert_eq!(p.leaves().len(), n / 2);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for deep in [
        format!("{}[a:b = 1]{}", "(".repeat(50_000), ")".repeat(50_000)),
        format!("[{}a:b = 1{}]", "(".repeat(50_000), ")".repeat(50_000)),
        format!("{}[a:b = 1]", "(".repeat(50_000)),
    ] {
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    }
    let ok = format!(
        "{}[a:b = 1]{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert!(parse(&ok).is_ok());
}

#[test]
fn deep_observation_nesting_is_bounded() {
    // ([x] AND ([x] AND ([x] AND ...))) : nesting through observation operators.
    let mut p = String::from("[a:b = 1]");
    for _ in 0..10_000 {
        p = format!("([a:b = 1] AND {p})");
    }
    assert_eq!(parse(&p).unwrap_err().kind, ErrorKind::Limit);
}

#[test]
fn oversized_pattern_is_rejected_before_lexing() {
    let p = format!("[a:b = '{}']", "x".repeat(MAX_PATTERN_BYTES));
    assert_eq!(parse(&p).unwrap_err().kind, ErrorKind::Limit);
}

#[test]
fn equalities_extracted() {
    let p =
        parse("[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example']").unwrap();
    assert_eq!(p.equalities().len(), 2);
}
