//! Property tests: the compiled evaluator equals the naive interpreter, printing and
//! parsing round-trip, and the parser never panics.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use concord_policy::lang::{self, naive_eval, CmpOp, Cond, Facts, NomTest};
use concord_policy::vocab::{
    Nominal, Ordinal, ACTOR, ATTRIBUTION, EFFECTS, LEGAL, SECTOR, SEVERITY,
};
use proptest::prelude::*;

fn op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Ge),
        Just(CmpOp::Gt)
    ]
}

fn leaf() -> impl Strategy<Value = Cond> {
    prop_oneof![
        Just(Cond::True),
        Just(Cond::False),
        Just(Cond::AffectedSelf),
        (0..Ordinal::ALL.len(), op()).prop_flat_map(|(d, op)| {
            let dim = Ordinal::ALL[d];
            (0..dim.levels().len() as u8).prop_map(move |level| Cond::Ord { dim, op, level })
        }),
        (op(), 0..40u128).prop_map(|(op, n)| Cond::MembersAffected { op, n }),
        (prop::bool::ANY, 0..3u8).prop_flat_map(|(sector, form)| {
            let dim = if sector {
                Nominal::Sector
            } else {
                Nominal::Actor
            };
            let n = dim.values().len() as u8;
            match form {
                0 => (0..n)
                    .prop_map(move |v| Cond::Nom {
                        dim,
                        test: NomTest::Eq(v),
                    })
                    .boxed(),
                1 => (0..n)
                    .prop_map(move |v| Cond::Nom {
                        dim,
                        test: NomTest::Ne(v),
                    })
                    .boxed(),
                _ => prop::collection::vec(0..n, 1..4)
                    .prop_map(move |vs| Cond::Nom {
                        dim,
                        test: NomTest::In(vs),
                    })
                    .boxed(),
            }
        }),
    ]
}

fn cond() -> impl Strategy<Value = Cond> {
    leaf().prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            prop::collection::vec(inner.clone(), 2..5).prop_map(Cond::and),
            prop::collection::vec(inner, 2..5).prop_map(Cond::or),
        ]
    })
}

fn facts() -> impl Strategy<Value = Facts> {
    (
        0..SEVERITY.len() as u8,
        0..ATTRIBUTION.len() as u8,
        0..EFFECTS.len() as u8,
        0..LEGAL.len() as u8,
        0..ACTOR.len() as u8,
        0..(1u16 << SECTOR.len()),
        0..40u32,
        prop::bool::ANY,
    )
        .prop_map(
            |(
                severity,
                attribution,
                effects,
                legal,
                actor,
                sectors,
                members_affected,
                affected_self,
            )| Facts {
                severity,
                attribution,
                effects,
                legal,
                actor,
                sectors,
                members_affected: members_affected.into(),
                affected_self,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn print_then_parse_is_identity(c in cond()) {
        let text = c.to_text();
        let back = lang::compile(&text).map_err(|e| format!("{text}: {e:?}")).unwrap();
        prop_assert_eq!(back, c);
    }

    #[test]
    fn compiled_equals_naive(c in cond(), f in prop::collection::vec(facts(), 8)) {
        let text = c.to_text();
        let syn = lang::parse(&text).unwrap();
        let compiled = lang::check(&syn).unwrap();
        for fact in &f {
            prop_assert_eq!(Some(compiled.eval(fact)), naive_eval(&syn, fact), "{} on {:?}", text, fact);
        }
    }

    /// Simplification keeps meaning; fixing affected_self is evaluation with that value.
    #[test]
    fn simplified_means_the_same(c in cond(), f in prop::collection::vec(facts(), 8)) {
        let s = c.simplified();
        let (t, u) = (c.assume_affected(true), c.assume_affected(false));
        for fact in &f {
            prop_assert_eq!(s.eval(fact), c.eval(fact), "{} vs {}", c.to_text(), s.to_text());
            let mut x = *fact;
            x.affected_self = true;
            prop_assert_eq!(t.eval(fact), c.eval(&x));
            x.affected_self = false;
            prop_assert_eq!(u.eval(fact), c.eval(&x));
        }
        // what simplification gives still prints and parses back
        let text = s.to_text();
        prop_assert_eq!(lang::compile(&text).unwrap(), s);
    }

    #[test]
    fn parser_never_panics(s in "[a-z_ ()\\[\\],<>=!0-9\\t\\n]{0,80}") {
        let _ = lang::compile(&s);
    }

    #[test]
    fn parser_never_panics_on_any_unicode(s in "\\PC{0,60}") {
        let _ = lang::compile(&s);
    }
}

#[test]
fn nesting_limit_is_an_error_not_a_crash() {
    for depth in [64, lang::MAX_NESTING] {
        let s = format!("{}true{}", "(".repeat(depth), ")".repeat(depth));
        assert!(lang::compile(&s).is_ok(), "{depth} levels work");
        let s = format!("{}affected_self", "not ".repeat(depth));
        assert!(lang::compile(&s).is_ok(), "{depth} nots work");
    }
    for depth in [lang::MAX_NESTING + 1, 10_000, 1_000_000] {
        let s = format!("{}true{}", "(".repeat(depth), ")".repeat(depth));
        assert!(lang::compile(&s).is_err());
        let s = format!("{}true", "not ".repeat(depth));
        assert!(lang::compile(&s).is_err());
        let s = format!("{}true", "not (".repeat(depth));
        assert!(lang::compile(&s).is_err());
    }
}

/// Long `and`/`or` chains are flat lists: thousands of terms never exhaust the stack in
/// parse, check, evaluate, print or drop; past the size budget they are an error.
#[test]
fn long_chains_are_flat_and_bounded() {
    for (op, n) in [("and", 600), ("or", 600), ("and", 4_000), ("or", 50_000)] {
        let s = vec!["severity >= high"; n].join(&format!(" {op} "));
        match lang::compile(&s) {
            Ok(c) => {
                assert!(s.len() <= lang::MAX_CONDITION_BYTES);
                let parts = match &c {
                    Cond::And(xs) | Cond::Or(xs) => xs.len(),
                    _ => 0,
                };
                assert_eq!(parts, n);
                assert!(c.eval(&Facts {
                    severity: 3,
                    ..Facts::default()
                }));
                assert_eq!(lang::compile(&c.to_text()).unwrap(), c);
            }
            Err(e) => {
                assert!(s.len() > lang::MAX_CONDITION_BYTES, "{n} {op}: {e:?}");
                assert!(e[0].message.contains("too long"), "{e:?}");
            }
        }
    }
    // a 4,000-term chain in a policy file works (DESIGN 5 sets no length limit)...
    let a = concord_policy::Alliance::nato();
    let cond = vec!["severity >= high"; 4_000].join(" and ");
    let text = format!("member = \"EST\"\n[stance.share]\nsupport = \"{cond}\"\n");
    assert!(concord_policy::PolicySet::from_texts(&[("x.toml".into(), text)], &a).is_ok());
    // ...and one past the budget is rejected with a located error, not a crash
    let cond = vec!["severity >= high"; 20_000].join(" and ");
    let text = format!("member = \"EST\"\n[stance.share]\nsupport = \"{cond}\"\n");
    let e = concord_policy::PolicySet::from_texts(&[("x.toml".into(), text)], &a).unwrap_err();
    assert_eq!(
        (e.diagnostics[0].line, e.diagnostics[0].key.as_str()),
        (3, "stance.share.support")
    );
}

#[test]
fn two_files_for_one_member_reject_the_set() {
    let a = concord_policy::Alliance::nato();
    let files = vec![
        ("a.toml".to_string(), "member = \"EST\"\n".to_string()),
        ("b.toml".to_string(), "member = \"EST\"\n".to_string()),
    ];
    let e = concord_policy::PolicySet::from_texts(&files, &a).unwrap_err();
    assert_eq!(e.diagnostics.len(), 1);
    assert_eq!(e.diagnostics[0].file, "b.toml");
    assert!(e.diagnostics[0].message.contains("second policy for EST"));
    let files = vec![("a.toml".to_string(), "member = 7\n".to_string())];
    assert!(concord_policy::PolicySet::from_texts(&files, &a).is_err());
}
