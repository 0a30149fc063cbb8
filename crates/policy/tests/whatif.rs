//! Sensitivity and the adversary's cheapest move, on the tiny alliance (checked by hand)
//! and on the built-in positions (checked against every cheaper single move).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::tiny;

use concord_policy::whatif::{self, cheapest_move, sensitivity};
use concord_policy::{Alliance, PolicySet, Vector};
use serde_json::json;

fn vector(v: serde_json::Value) -> Vector {
    Vector::from_json(&v).unwrap()
}

#[test]
fn the_cheapest_move_against_countermeasures_is_to_spare_bbb() {
    let (a, p) = tiny();
    // casualties, severe, high attribution, AAA and BBB hit: cm adopted (AAA and BBB have
    // capacity); BBB blocks cm when it is not a victim (risk)
    let v = vector(
        json!({"severity": "severe", "attribution": "high", "effects": "casualties",
        "actor": "state", "sectors": ["energy"], "victims": ["AAA", "BBB"]}),
    );
    let m = cheapest_move(&a, &p, &v, "cm", 10_000).unwrap();
    assert!(m.adopted_before);
    assert_eq!(m.cost, 1);
    assert_eq!(m.changes.len(), 1);
    assert_eq!(
        (
            m.changes[0].dimension,
            m.changes[0].from.as_str(),
            m.changes[0].to.as_str()
        ),
        ("victims", "BBB", "-")
    );
    // severity and effects kept
    assert_eq!(
        (m.vector.severity, m.vector.effects),
        (v.severity, v.effects)
    );
    assert!(!whatif::rung_adopted(
        &a,
        &p,
        &m.vector,
        a.rung_index("cm").unwrap()
    ));
    // already unadopted: nothing to do
    let m = cheapest_move(&a, &p, &v, "war", 10_000).unwrap();
    assert_eq!((m.adopted_before, m.cost), (false, 0));
    assert!(cheapest_move(&a, &p, &v, "nuke", 10).is_err());
}

#[test]
fn sensitivity_lists_single_changes_that_flip_a_rung() {
    let (a, p) = tiny();
    let v = vector(
        json!({"severity": "severe", "attribution": "high", "effects": "casualties",
        "actor": "state", "sectors": ["energy"], "victims": ["AAA", "BBB"]}),
    );
    let s = sensitivity(&a, &p, &v);
    // cm flips when BBB is no longer a victim, or at moderate attribution (BBB's threshold)
    let cm = &s["cm"];
    assert!(cm.iter().any(|f| f.change.dimension == "victims"
        && f.change.to.contains("without BBB")
        && f.before
        && !f.after));
    assert!(cm
        .iter()
        .any(|f| f.change.dimension == "attribution" && f.change.to == "moderate"));
    // war flips at emergency severity (CCC's threshold)
    assert!(s["war"]
        .iter()
        .any(|f| f.change.dimension == "severity" && f.change.to == "emergency" && f.after));
    // every listed flip is real
    for (rung, flips) in &s {
        let r = a.rung_index(rung).unwrap();
        for f in flips {
            assert_eq!(whatif::rung_adopted(&a, &p, &v, r), f.before);
        }
    }
}

/// On the built-in positions: the move leaves the target unadopted, and no single
/// attacker move of lower cost does.
#[test]
fn builtin_moves_are_cheapest() {
    let a = Alliance::nato();
    let p = PolicySet::builtin(&a);
    for (v, target) in [
        (
            json!({"severity": "medium", "attribution": "high", "effects": "espionage", "actor": "state",
            "sectors": ["government", "defence"], "victims": ["DEU", "CZE", "LTU", "POL", "SVK", "SWE"]}),
            "solidarity",
        ),
        (
            json!({"severity": "high", "attribution": "high", "effects": "data_destruction", "actor": "state",
            "sectors": ["government"], "victims": ["ALB"]}),
            "diplomatic",
        ),
        (
            json!({"severity": "high", "attribution": "moderate", "effects": "disruption", "actor": "state",
            "sectors": ["energy"], "victims": ["EST", "LVA", "LTU"]}),
            "defend",
        ),
    ] {
        let v = vector(v);
        let r = a.rung_index(target).unwrap();
        assert!(
            whatif::rung_adopted(&a, &p, &v, r),
            "{target} adopted to start with"
        );
        let m = cheapest_move(&a, &p, &v, target, 50_000).unwrap();
        assert!(m.cost > 0);
        let d = concord_policy::decide(&a, &p, &m.vector);
        assert!(!d.option(target).unwrap().adopted, "{target}: {m:?}");
        for (c, x) in whatif::single_changes(&a, &v) {
            let _ = c;
            let cost = move_cost(&v, &x);
            if let Some(cost) = cost {
                if cost < m.cost {
                    assert!(
                        whatif::rung_adopted(&a, &p, &x, r),
                        "{target}: a cheaper move {x:?}"
                    );
                }
            }
        }
    }
}

/// The documented cost of a single change an attacker controls (None if it does not).
fn move_cost(from: &Vector, to: &Vector) -> Option<u32> {
    let pos = |a: u8| match a {
        3 => 0i64,
        2 => 1,
        1 => 2,
        _ => 3,
    };
    if to.severity < from.severity {
        return Some(3);
    }
    if to.effects < from.effects {
        return Some(3);
    }
    if to.actor != from.actor {
        return (pos(to.actor) > pos(from.actor)).then(|| (pos(to.actor) - pos(from.actor)) as u32);
    }
    if to.victims.len() + 1 == from.victims.len() || to.victims.len() == from.victims.len() + 1 {
        return Some(1);
    }
    None
}
