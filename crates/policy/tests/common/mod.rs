//! The tiny four-member alliance with every v2 feature, shared by the policy tests.

#![allow(dead_code, clippy::unwrap_used)]

use concord_policy::{Alliance, PolicySet};

pub const ALLIANCE: &str = r#"
name = "Tiny"
[[member]]
code = "AAA"
lat = 0.0
lon = 0.0
name = "AAA"
[[member]]
code = "BBB"
lat = 0.0
lon = 1.0
name = "BBB"
[[member]]
code = "CCC"
lat = 0.0
lon = 5.0
name = "CCC"
[[member]]
code = "DDD"
lat = 0.0
lon = 20.0
name = "DDD"
[[rung]]
id = "talk"
rule = "any"
request = "victim"
option = "talk"
[[rung]]
id = "solid"
rule = "consensus"
request = "victim"
option = "solid"
[[rung]]
id = "act"
rule = "coalition:2"
legal_basis = "intervention"
option = "act"
[[rung]]
id = "cm"
rule = "consensus"
legal_basis = "sovereignty_violation"
requires = ["solid"]
contributors = 2
option = "cm"
[[rung]]
id = "war"
rule = "consensus"
legal_basis = "armed_attack"
requires = ["solid", "cm"]
request = "victim"
option = "war"
"#;

pub const AAA: &str = r#"
member = "AAA"
[doctrine]
sovereignty_rule = true
sovereignty_threshold = "any_intrusion"
nonphysical_force = true
[capacity]
cm = true
war = true
[stance.talk]
support = "true"
[stance.solid]
support = "true"
[stance.act]
support = "true"
[stance.cm]
support = "attribution >= moderate"
[stance.war]
support = "true"
"#;

// sovereignty is no rule for BBB (default doctrine)
pub const BBB: &str = r#"
member = "BBB"
[capacity]
cm = true
[stance.talk]
support = "affected_self"
[stance.solid]
support = "true"
[stance.act]
support = "true"
[stance.cm]
support = "true"
[stance.cm.block]
risk = "not affected_self"
threshold = "attribution < high"
[stance.war]
support = "true"
"#;

pub const CCC: &str = r#"
member = "CCC"
[doctrine]
sovereignty_rule = true
[stance.solid]
support = "attribution >= low"
block = "actor == criminal"
[stance.act]
support = "true"
[stance.cm]
support = "true"
[stance.war.block]
threshold = "severity < emergency"
"#;

/// The alliance and its policy set (DDD has no policy file).
pub fn tiny() -> (Alliance, PolicySet) {
    let a = Alliance::parse("tiny.toml", ALLIANCE).unwrap();
    let files: Vec<(String, String)> = [("AAA", AAA), ("BBB", BBB), ("CCC", CCC)]
        .iter()
        .map(|(n, t)| (format!("{n}.toml"), (*t).to_string()))
        .collect();
    let p = PolicySet::from_texts(&files, &a).unwrap();
    (a, p)
}
