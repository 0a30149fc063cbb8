//! What-ifs on one vector: the sensitivity of a decision (every single-dimension change that
//! flips a rung) and the adversary's view (the cheapest change in what an attacker controls
//! that keeps a rung from adoption). See docs/adversary.md.
//!
//! The adversary's measure of cost (documented, deliberately simple):
//! - presenting as another kind of actor: one step per position along state,
//!   state_aligned, criminal, unknown (a state posing as a criminal group costs 2);
//! - one victim fewer, or one other member hit instead (added): 1 each;
//! - one sector fewer (when there are several), or one sector swapped for another: 1 each;
//! - effects or severity one level lower: 3 each (the attacker gives up what it came for).
//!
//! The search is uniform-cost (Dijkstra) over these moves, so the answer is a cheapest one;
//! among equally cheap answers it keeps severity, then effects, as high as possible, then the
//! fewest moves.

use crate::alliance::Alliance;
use crate::decide::{adopt, counts, member_facts, stance_of, RungCounts, Stance};
use crate::policy::PolicySet;
use crate::vector::Vector;
use crate::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SECTOR, SEVERITY};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// Whether each rung is adopted for a vector (DESIGN 6 adoption, no explanations).
pub fn adopted(alliance: &Alliance, policies: &PolicySet, v: &Vector) -> Vec<bool> {
    let facts = member_facts(alliance, policies, v);
    let table = crate::decide::stance_table(alliance, policies, &facts);
    adopt(alliance, &counts(policies, &table, &facts))
        .into_iter()
        .map(|(a, _)| a)
        .collect()
}

/// Whether rung `r` is adopted: only it and the rungs it requires are evaluated.
pub fn rung_adopted(alliance: &Alliance, policies: &PolicySet, v: &Vector, r: usize) -> bool {
    let facts = member_facts(alliance, policies, v);
    let mut memo: BTreeMap<usize, bool> = BTreeMap::new();
    rung_adopted_with(alliance, policies, &facts, r, &mut memo)
}

fn rung_adopted_with(
    alliance: &Alliance,
    policies: &PolicySet,
    facts: &[crate::lang::Facts],
    r: usize,
    memo: &mut BTreeMap<usize, bool>,
) -> bool {
    if let Some(x) = memo.get(&r) {
        return *x;
    }
    let rung = &alliance.ladder[r];
    let mut c = RungCounts::default();
    for (i, f) in facts.iter().enumerate() {
        match stance_of(policies.get(i), rung, r, f).0 {
            Stance::Support => {
                c.support += 1;
                c.victim_supports |= f.affected_self;
                c.capable += usize::from(policies.capable(i, r));
            }
            Stance::Block => c.block += 1,
            Stance::Abstain => {}
        }
    }
    let ok = crate::decide::missing_bits(rung, &c) == 0
        && rung
            .requires
            .clone()
            .into_iter()
            .all(|q| rung_adopted_with(alliance, policies, facts, q, memo));
    memo.insert(r, ok);
    ok
}

/// One change of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    /// `severity`, `attribution`, `effects`, `actor`, `victims`, `sectors`.
    pub dimension: &'static str,
    pub from: String,
    pub to: String,
}

/// A rung whose adoption a single change flips.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Flip {
    pub change: Change,
    /// Adopted before and after the change.
    pub before: bool,
    pub after: bool,
}

fn word(list: &[&str], i: u8) -> String {
    list.get(usize::from(i)).copied().unwrap_or("?").to_string()
}

/// Every single-dimension change of a vector: one level up or down (severity,
/// attribution, effects), another actor, one victim more (any other member) or fewer.
pub fn single_changes(alliance: &Alliance, v: &Vector) -> Vec<(Change, Vector)> {
    let mut out = Vec::new();
    for (dim, list, get) in [
        ("severity", SEVERITY, v.severity),
        ("attribution", ATTRIBUTION, v.attribution),
        ("effects", EFFECTS, v.effects),
    ] {
        for to in [get.checked_sub(1), get.checked_add(1)]
            .into_iter()
            .flatten()
        {
            if usize::from(to) >= list.len() {
                continue;
            }
            let mut x = v.clone();
            match dim {
                "severity" => x.severity = to,
                "attribution" => x.attribution = to,
                _ => x.effects = to,
            }
            out.push((
                Change {
                    dimension: dim,
                    from: word(list, get),
                    to: word(list, to),
                },
                x,
            ));
        }
    }
    for a in 0..ACTOR.len() as u8 {
        if a != v.actor {
            let mut x = v.clone();
            x.actor = a;
            out.push((
                Change {
                    dimension: "actor",
                    from: word(ACTOR, v.actor),
                    to: word(ACTOR, a),
                },
                x,
            ));
        }
    }
    let names = |x: &Vector| x.victims.iter().cloned().collect::<Vec<_>>().join(", ");
    for victim in &v.victims {
        let mut x = v.clone();
        x.victims.remove(victim);
        x.members_affected = x.members_affected.saturating_sub(1);
        out.push((
            Change {
                dimension: "victims",
                from: names(v),
                to: format!("{} (without {victim})", names(&x)),
            },
            x,
        ));
    }
    for m in &alliance.members {
        if !v.victims.contains(&m.code) {
            let mut x = v.clone();
            x.victims.insert(m.code.clone());
            x.members_affected = x.members_affected.saturating_add(1);
            out.push((
                Change {
                    dimension: "victims",
                    from: names(v),
                    to: format!("{} (with {})", names(&x), m.code),
                },
                x,
            ));
        }
    }
    out
}

/// For each rung, the single changes that flip its adoption (rung id -> flips).
pub fn sensitivity(
    alliance: &Alliance,
    policies: &PolicySet,
    v: &Vector,
) -> BTreeMap<String, Vec<Flip>> {
    let now = adopted(alliance, policies, v);
    let mut out: BTreeMap<String, Vec<Flip>> = BTreeMap::new();
    for (change, x) in single_changes(alliance, v) {
        let then = adopted(alliance, policies, &x);
        for (r, rung) in alliance.ladder.iter().enumerate() {
            if now[r] != then[r] {
                out.entry(rung.id.clone()).or_default().push(Flip {
                    change: change.clone(),
                    before: now[r],
                    after: then[r],
                });
            }
        }
    }
    out
}

/// The adversary's cheapest move.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Move {
    pub target: String,
    /// The target rung is adopted for the vector as given.
    pub adopted_before: bool,
    /// The moves, in the order found; empty when the rung is not adopted anyway.
    pub changes: Vec<Change>,
    pub cost: u32,
    /// The vector after the moves.
    pub vector: Vector,
    /// States evaluated by the search.
    pub explored: usize,
}

/// Why no move was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdversaryError {
    #[error("'{0}' is not a rung of the ladder (valid: {1})")]
    UnknownRung(String, String),
    #[error("no change within the search budget keeps '{0}' from adoption")]
    NoMove(String),
}

/// The cost of presenting as actor `to` instead of `from` (positions along state,
/// state_aligned, criminal, unknown).
fn actor_cost(from: u8, to: u8) -> u32 {
    // vocabulary order is unknown, criminal, state_aligned, state: map to distance from state
    let pos = |a: u8| match a {
        3 => 0u32,
        2 => 1,
        1 => 2,
        _ => 3,
    };
    pos(from).abs_diff(pos(to))
}

/// Moves an attacker controls from one vector, with their costs.
fn attacker_moves(alliance: &Alliance, v: &Vector, origin: &Vector) -> Vec<(u32, Change, Vector)> {
    let mut out = Vec::new();
    for a in 0..ACTOR.len() as u8 {
        // each presentation is priced from the original actor, so moving back and forth
        // does not pay
        if a != v.actor && actor_cost(origin.actor, a) > actor_cost(origin.actor, v.actor) {
            let mut x = v.clone();
            x.actor = a;
            out.push((
                actor_cost(origin.actor, a) - actor_cost(origin.actor, v.actor),
                Change {
                    dimension: "actor",
                    from: word(ACTOR, v.actor),
                    to: word(ACTOR, a),
                },
                x,
            ));
        }
    }
    for victim in &v.victims {
        if v.victims.len() > 1 {
            let mut x = v.clone();
            x.victims.remove(victim);
            x.members_affected = x.members_affected.saturating_sub(1);
            out.push((
                1,
                Change {
                    dimension: "victims",
                    from: victim.clone(),
                    to: "-".into(),
                },
                x,
            ));
        }
    }
    for m in &alliance.members {
        if !v.victims.contains(&m.code) && !origin.victims.contains(&m.code) {
            let mut x = v.clone();
            x.victims.insert(m.code.clone());
            x.members_affected = x.members_affected.saturating_add(1);
            out.push((
                1,
                Change {
                    dimension: "victims",
                    from: "-".into(),
                    to: m.code.clone(),
                },
                x,
            ));
        }
    }
    let count = v.sectors.count_ones();
    for (s, sector) in SECTOR.iter().enumerate() {
        let bit = 1u16 << s;
        if v.sectors & bit == 0 {
            continue;
        }
        if count > 1 {
            let mut x = v.clone();
            x.sectors &= !bit;
            out.push((
                1,
                Change {
                    dimension: "sectors",
                    from: (*sector).into(),
                    to: "-".into(),
                },
                x,
            ));
        }
        for (t, other) in SECTOR.iter().enumerate() {
            let tb = 1u16 << t;
            if v.sectors & tb == 0 && origin.sectors & tb == 0 {
                let mut x = v.clone();
                x.sectors = (x.sectors & !bit) | tb;
                out.push((
                    1,
                    Change {
                        dimension: "sectors",
                        from: (*sector).into(),
                        to: (*other).into(),
                    },
                    x,
                ));
            }
        }
    }
    if v.effects > 0 {
        let mut x = v.clone();
        x.effects -= 1;
        out.push((
            3,
            Change {
                dimension: "effects",
                from: word(EFFECTS, v.effects),
                to: word(EFFECTS, x.effects),
            },
            x,
        ));
    }
    if v.severity > 0 {
        let mut x = v.clone();
        x.severity -= 1;
        out.push((
            3,
            Change {
                dimension: "severity",
                from: word(SEVERITY, v.severity),
                to: word(SEVERITY, x.severity),
            },
            x,
        ));
    }
    out
}

/// The cheapest change in what an attacker controls that keeps rung `target` from
/// adoption (see the module documentation for the measure). `budget` caps the states
/// evaluated.
pub fn cheapest_move(
    alliance: &Alliance,
    policies: &PolicySet,
    v: &Vector,
    target: &str,
    budget: usize,
) -> Result<Move, AdversaryError> {
    let Some(r) = alliance.rung_index(target) else {
        let ids: Vec<&str> = alliance.ladder.iter().map(|x| x.id.as_str()).collect();
        return Err(AdversaryError::UnknownRung(target.into(), ids.join(", ")));
    };
    let adopted_before = rung_adopted(alliance, policies, v, r);
    if !adopted_before {
        return Ok(Move {
            target: target.into(),
            adopted_before,
            changes: Vec::new(),
            cost: 0,
            vector: v.clone(),
            explored: 1,
        });
    }
    // Dijkstra: (cost, tie-break key, id) on a min-heap; states kept in a list with the
    // cheapest cost found so far for each vector
    let mut states: Vec<(Vector, Vec<Change>, u32)> = vec![(v.clone(), Vec::new(), 0)];
    let mut heap = BinaryHeap::new();
    let key = |x: &Vector, n: usize| (Reverse(x.severity), Reverse(x.effects), n);
    heap.push(Reverse((0u32, key(v, 0), 0usize)));
    let mut cheapest: HashMap<Vector, u32> = HashMap::from([(v.clone(), 0)]);
    let mut explored = 0;
    let mut best: Option<(u32, usize)> = None;
    while let Some(Reverse((cost, _, id))) = heap.pop() {
        let (state, changes, c0) = states[id].clone();
        if c0 != cost || cheapest.get(&state).is_some_and(|c| *c < cost) {
            continue; // a stale entry: a cheaper way to this state was found
        }
        if id != 0 {
            explored += 1;
            // every state of a lower cost was popped before: the first goal popped is a
            // cheapest one, and among those the best by the tie-break key
            if !rung_adopted(alliance, policies, &state, r) {
                best = Some((cost, id));
                break;
            }
        }
        if explored >= budget {
            break;
        }
        for (c, change, next) in attacker_moves(alliance, &state, v) {
            let total = cost + c;
            if cheapest.get(&next).is_some_and(|x| *x <= total) {
                continue;
            }
            cheapest.insert(next.clone(), total);
            let mut ch = changes.clone();
            ch.push(change);
            let k = key(&next, ch.len());
            states.push((next, ch, total));
            heap.push(Reverse((total, k, states.len() - 1)));
        }
    }
    match best {
        Some((cost, id)) => Ok(Move {
            target: target.into(),
            adopted_before,
            changes: states[id].1.clone(),
            cost,
            vector: states[id].0.clone(),
            explored,
        }),
        None => Err(AdversaryError::NoMove(target.into())),
    }
}
