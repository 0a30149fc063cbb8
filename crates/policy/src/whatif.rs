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
    #[error("the adversary search handles alliances of at most 128 members, not {0}")]
    TooLarge(usize),
}

/// The cost of presenting as actor `to` instead of `from` (positions along state,
/// state_aligned, criminal, unknown).
fn actor_cost(from: u8, to: u8) -> u32 {
    // vocabulary order is unknown, criminal, state_aligned, state: distance from state
    let pos = |a: u8| match a {
        3 => 0u32,
        2 => 1,
        1 => 2,
        _ => 3,
    };
    pos(from).abs_diff(pos(to))
}

/// A search state: the attacker-controlled part of a vector, compact (victims as a bit set
/// over member indices; victims outside the alliance kept as a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    severity: u8,
    effects: u8,
    actor: u8,
    sectors: u16,
    victims: u128,
}

/// The largest alliance the adversary search handles (victims are a 128-bit set).
pub const MAX_MEMBERS: usize = 128;

/// One move, for the path back to the origin.
#[derive(Debug, Clone, Copy)]
enum Step {
    Actor(u8, u8),
    DropVictim(u16),
    AddVictim(u16),
    DropSector(u8),
    SwapSector(u8, u8),
    Effects(u8, u8),
    Severity(u8, u8),
}

struct Search<'a> {
    alliance: &'a Alliance,
    policies: &'a PolicySet,
    r: usize,
    origin: State,
    /// Victims of the original vector that are not members (they count in
    /// members_affected only).
    outsiders: u64,
    doctrines: Vec<crate::doctrine::Doctrine>,
    attribution: u8,
}

impl Search<'_> {
    fn adopted(&self, st: &State) -> bool {
        let facts: Vec<crate::lang::Facts> = (0..self.alliance.members.len())
            .map(|i| crate::lang::Facts {
                severity: st.severity,
                attribution: self.attribution,
                effects: st.effects,
                legal: crate::doctrine::legal_class_rule(
                    &self.doctrines[i],
                    st.effects,
                    st.severity,
                    st.sectors,
                )
                .0,
                actor: st.actor,
                sectors: st.sectors,
                members_affected: u64::from(st.victims.count_ones()) + self.outsiders,
                affected_self: st.victims & (1u128 << i) != 0,
            })
            .collect();
        rung_adopted_with(
            self.alliance,
            self.policies,
            &facts,
            self.r,
            &mut BTreeMap::new(),
        )
    }

    fn moves(&self, st: &State) -> Vec<(u32, Step, State)> {
        let o = &self.origin;
        let mut out = Vec::new();
        for a in 0..ACTOR.len() as u8 {
            // priced from the original actor, so moving back and forth does not pay
            if a != st.actor && actor_cost(o.actor, a) > actor_cost(o.actor, st.actor) {
                let mut x = *st;
                x.actor = a;
                let c = actor_cost(o.actor, a) - actor_cost(o.actor, st.actor);
                out.push((c, Step::Actor(st.actor, a), x));
            }
        }
        if u64::from(st.victims.count_ones()) + self.outsiders > 1 {
            for m in 0..self.alliance.members.len() {
                let bit = 1u128 << m;
                if st.victims & bit != 0 {
                    let mut x = *st;
                    x.victims &= !bit;
                    out.push((1, Step::DropVictim(m as u16), x));
                }
            }
        }
        for m in 0..self.alliance.members.len() {
            let bit = 1u128 << m;
            if st.victims & bit == 0 && o.victims & bit == 0 {
                let mut x = *st;
                x.victims |= bit;
                out.push((1, Step::AddVictim(m as u16), x));
            }
        }
        let count = st.sectors.count_ones();
        for s in 0..SECTOR.len() as u8 {
            let bit = 1u16 << s;
            if st.sectors & bit == 0 {
                continue;
            }
            if count > 1 {
                let mut x = *st;
                x.sectors &= !bit;
                out.push((1, Step::DropSector(s), x));
            }
            for t in 0..SECTOR.len() as u8 {
                let tb = 1u16 << t;
                if st.sectors & tb == 0 && o.sectors & tb == 0 {
                    let mut x = *st;
                    x.sectors = (x.sectors & !bit) | tb;
                    out.push((1, Step::SwapSector(s, t), x));
                }
            }
        }
        if st.effects > 0 {
            let mut x = *st;
            x.effects -= 1;
            out.push((3, Step::Effects(st.effects, x.effects), x));
        }
        if st.severity > 0 {
            let mut x = *st;
            x.severity -= 1;
            out.push((3, Step::Severity(st.severity, x.severity), x));
        }
        out
    }

    fn change(&self, step: Step) -> Change {
        let code = |m: u16| {
            self.alliance
                .members
                .get(usize::from(m))
                .map_or("?".to_string(), |x| x.code.clone())
        };
        let (dimension, from, to) = match step {
            Step::Actor(a, b) => ("actor", word(ACTOR, a), word(ACTOR, b)),
            Step::DropVictim(m) => ("victims", code(m), "-".into()),
            Step::AddVictim(m) => ("victims", "-".into(), code(m)),
            Step::DropSector(s) => ("sectors", word(SECTOR, s), "-".into()),
            Step::SwapSector(s, t) => ("sectors", word(SECTOR, s), word(SECTOR, t)),
            Step::Effects(a, b) => ("effects", word(EFFECTS, a), word(EFFECTS, b)),
            Step::Severity(a, b) => ("severity", word(SEVERITY, a), word(SEVERITY, b)),
        };
        Change {
            dimension,
            from,
            to,
        }
    }

    fn vector(&self, st: &State, v: &Vector) -> Vector {
        let victims: std::collections::BTreeSet<String> = v
            .victims
            .iter()
            .filter(|c| self.alliance.member_index(c).is_none())
            .cloned()
            .chain(
                self.alliance
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| st.victims & (1u128 << i) != 0)
                    .map(|(_, x)| x.code.clone()),
            )
            .collect();
        Vector {
            severity: st.severity,
            attribution: v.attribution,
            effects: st.effects,
            actor: st.actor,
            sectors: st.sectors,
            members_affected: u64::from(st.victims.count_ones()) + self.outsiders,
            victims,
        }
    }
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
    if alliance.members.len() > MAX_MEMBERS {
        return Err(AdversaryError::TooLarge(alliance.members.len()));
    }
    let victims: u128 = v
        .victims
        .iter()
        .filter_map(|c| alliance.member_index(c))
        .fold(0, |acc, i| acc | (1u128 << i));
    let origin = State {
        severity: v.severity,
        effects: v.effects,
        actor: v.actor,
        sectors: v.sectors,
        victims,
    };
    let members_named = origin.victims.count_ones();
    let search = Search {
        alliance,
        policies,
        r,
        outsiders: v.members_affected.saturating_sub(u64::from(members_named)),
        doctrines: (0..alliance.members.len())
            .map(|i| policies.doctrine(i))
            .collect(),
        attribution: v.attribution,
        origin,
    };
    /// A reached state: the state, the step and parent that reached it, its cost, its depth.
    type Node = (State, Option<(Step, usize)>, u32, u32);
    // Dijkstra: (cost, tie-break key, id) on a min-heap; the states in a list with the
    // step and parent that reached them, and the cheapest cost found per state
    let key = |x: &State, n: u32| (Reverse(x.severity), Reverse(x.effects), n);
    let mut nodes: Vec<Node> = vec![(origin, None, 0, 0)];
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((0u32, key(&origin, 0), 0usize)));
    let mut cheapest: HashMap<State, u32> = HashMap::from([(origin, 0)]);
    let mut explored = 0;
    let mut best: Option<(u32, usize)> = None;
    while let Some(Reverse((cost, _, id))) = heap.pop() {
        let (state, _, c0, depth) = nodes[id];
        if c0 != cost || cheapest.get(&state).is_some_and(|c| *c < cost) {
            continue; // a stale entry: a cheaper way to this state was found
        }
        if id != 0 {
            explored += 1;
            // every cheaper state was popped before: the first goal popped is a cheapest
            // one, and among those the best by the tie-break key
            if !search.adopted(&state) {
                best = Some((cost, id));
                break;
            }
        }
        if explored >= budget {
            break;
        }
        for (c, step, next) in search.moves(&state) {
            let total = cost + c;
            if cheapest.get(&next).is_some_and(|x| *x <= total) {
                continue;
            }
            cheapest.insert(next, total);
            let k = key(&next, depth + 1);
            nodes.push((next, Some((step, id)), total, depth + 1));
            heap.push(Reverse((total, k, nodes.len() - 1)));
        }
    }
    let Some((cost, id)) = best else {
        return Err(AdversaryError::NoMove(target.into()));
    };
    let mut steps = Vec::new();
    let mut at = id;
    while let Some((step, parent)) = nodes[at].1 {
        steps.push(search.change(step));
        at = parent;
    }
    steps.reverse();
    Ok(Move {
        target: target.into(),
        adopted_before,
        changes: steps,
        cost,
        vector: search.vector(&nodes[id].0, v),
        explored,
    })
}
