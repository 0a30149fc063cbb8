//! What-if: the vector or one member's position changed and decided again, nothing saved.

use concord_policy::lang::Cond;
use concord_policy::vocab::{ACTOR, ATTRIBUTION, EFFECTS, SEVERITY};
use concord_policy::{Alliance, Decision, PolicySet, Reason, Vector};
use serde::Serialize;

/// What-if changes from a form (query parameters): a field left empty keeps the assessed
/// value. `victims` is a list of member codes (commas or spaces); `pos_member`,
/// `pos_rung` and `pos_stance` (`support`, `abstain`, `block`) set one member's position on
/// one rung.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, PartialEq)]
pub struct WhatIfQuery {
    pub severity: Option<String>,
    pub attribution: Option<String>,
    pub effects: Option<String>,
    pub actor: Option<String>,
    pub victims: Option<String>,
    pub pos_member: Option<String>,
    pub pos_rung: Option<String>,
    pub pos_stance: Option<String>,
}

fn given(x: &Option<String>) -> Option<&str> {
    x.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl WhatIfQuery {
    /// Whether any change is asked for.
    pub fn is_empty(&self) -> bool {
        [
            &self.severity,
            &self.attribution,
            &self.effects,
            &self.actor,
            &self.victims,
            &self.pos_member,
        ]
        .iter()
        .all(|x| given(x).is_none())
    }
}

/// A what-if applied: the vector and the policy set to decide with, what changed, and
/// what could not be applied (each naming the field).
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub vector: Vector,
    /// The policy set with one member's position changed (`None`: unchanged).
    pub policies: Option<PolicySet>,
    /// What changed, in words ("severity: emergency → high").
    pub changes: Vec<String>,
    /// Fields that could not be applied ("victims: 'XXX' is not a member").
    pub errors: Vec<String>,
}

fn level(field: &str, list: &[&str], want: Option<&str>, now: u8, w: &mut WhatIf) -> u8 {
    let Some(want) = want else { return now };
    match list.iter().position(|x| *x == want) {
        Some(i) => {
            let i = u8::try_from(i).unwrap_or(now);
            if i != now {
                w.changes.push(format!(
                    "{field}: {} → {want}",
                    list.get(usize::from(now)).copied().unwrap_or("?")
                ));
            }
            i
        }
        None => {
            w.errors.push(format!(
                "{field}: '{want}' is not one of {}",
                list.join(", ")
            ));
            now
        }
    }
}

/// Apply a what-if to the assessed vector and the policy set in use. Nothing is saved.
pub fn what_if(
    alliance: &Alliance,
    policies: &PolicySet,
    base: &Vector,
    q: &WhatIfQuery,
) -> WhatIf {
    let mut w = WhatIf {
        vector: base.clone(),
        policies: None,
        changes: Vec::new(),
        errors: Vec::new(),
    };
    let mut v = base.clone();
    v.severity = level("severity", SEVERITY, given(&q.severity), v.severity, &mut w);
    v.attribution = level(
        "attribution",
        ATTRIBUTION,
        given(&q.attribution),
        v.attribution,
        &mut w,
    );
    v.effects = level("effects", EFFECTS, given(&q.effects), v.effects, &mut w);
    v.actor = level("actor", ACTOR, given(&q.actor), v.actor, &mut w);
    if let Some(list) = given(&q.victims) {
        let mut victims = std::collections::BTreeSet::new();
        let mut bad = Vec::new();
        for code in list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|c| !c.is_empty())
        {
            let code = code.to_ascii_uppercase();
            if alliance.member_index(&code).is_some() {
                victims.insert(code);
            } else {
                bad.push(code);
            }
        }
        if !bad.is_empty() {
            w.errors.push(format!(
                "victims: {} {} not a member of {}",
                bad.join(", "),
                if bad.len() == 1 { "is" } else { "are" },
                alliance.name
            ));
        } else if victims.is_empty() {
            w.errors
                .push("victims: name at least one member (codes such as EST, LVA)".into());
        } else if victims != v.victims {
            // members affected outside the alliance stay as assessed
            let outside = v
                .members_affected
                .saturating_sub(u64::try_from(v.victims.len()).unwrap_or(u64::MAX));
            w.changes.push(format!(
                "victims: {} → {}",
                v.victims.iter().cloned().collect::<Vec<_>>().join(", "),
                victims.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            v.members_affected =
                outside.saturating_add(u64::try_from(victims.len()).unwrap_or(u64::MAX));
            v.victims = victims;
        }
    }
    if let Some(member) = given(&q.pos_member) {
        let member = member.to_ascii_uppercase();
        let rung = given(&q.pos_rung).unwrap_or("");
        let stance = given(&q.pos_stance).unwrap_or("");
        match (
            alliance.member_index(&member),
            alliance.rung_index(rung),
            stance,
        ) {
            (None, _, _) => w.errors.push(format!(
                "position: {member} is not a member of {}",
                alliance.name
            )),
            (_, None, _) => w.errors.push(format!(
                "position: choose a rung ({})",
                alliance
                    .ladder
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            (Some(i), Some(r), s @ ("support" | "abstain" | "block")) => {
                let mut set = policies.clone();
                match set.by_member.get_mut(i).and_then(Option::as_mut) {
                    Some(p) => {
                        if p.stances.len() <= r {
                            p.stances.resize(r + 1, Default::default());
                        }
                        let st = &mut p.stances[r];
                        st.support = (s == "support").then_some(Cond::True);
                        st.block = if s == "block" {
                            vec![(Reason::Policy, Cond::True)]
                        } else {
                            Vec::new()
                        };
                        set.origin.name = format!(
                            "{}, with a what-if position of {member} on {rung} (not saved)",
                            set.origin.name
                        );
                        w.changes.push(format!(
                            "{member}'s position on {rung}: always {}{}",
                            match s {
                                "support" => "supports",
                                "block" => "blocks",
                                _ => "abstains",
                            },
                            if s == "support" {
                                " (a missing legal basis still blocks: it comes from its doctrine)"
                            } else {
                                ""
                            }
                        ));
                        w.policies = Some(set);
                    }
                    None => w
                        .errors
                        .push(format!("position: {member} has no policy to change")),
                }
            }
            (_, _, other) => w.errors.push(format!(
                "position: '{other}' is not a stance (support, abstain, block)"
            )),
        }
    }
    w.vector = v;
    w
}

/// The rungs whose adoption differs between two decisions of the same ladder:
/// "countermeasures: not adopted → adopted".
pub fn changed_rungs(before: &Decision, after: &Decision) -> Vec<String> {
    before
        .options
        .iter()
        .zip(&after.options)
        .filter(|(a, b)| a.adopted != b.adopted)
        .map(|(a, b)| {
            let w = |x: bool| if x { "adopted" } else { "not adopted" };
            format!("{}: {} → {}", a.option, w(a.adopted), w(b.adopted))
        })
        .collect()
}
