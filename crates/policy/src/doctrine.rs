//! Member legal doctrines and the legal class of an act (DESIGN 3.1).

use crate::vector::Vector;

/// The sovereignty threshold of a doctrine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SovereigntyThreshold {
    AnyIntrusion,
    LossOfFunctionality,
}

impl SovereigntyThreshold {
    pub const WORDS: &'static [&'static str] = &["any_intrusion", "loss_of_functionality"];
    pub fn word(self) -> &'static str {
        match self {
            SovereigntyThreshold::AnyIntrusion => "any_intrusion",
            SovereigntyThreshold::LossOfFunctionality => "loss_of_functionality",
        }
    }
}

/// A member's legal doctrine. The default is the most restrictive reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Doctrine {
    pub sovereignty_rule: bool,
    pub sovereignty_threshold: SovereigntyThreshold,
    pub nonphysical_force: bool,
}

impl Default for Doctrine {
    fn default() -> Self {
        Doctrine {
            sovereignty_rule: false,
            sovereignty_threshold: SovereigntyThreshold::LossOfFunctionality,
            nonphysical_force: false,
        }
    }
}

const DISRUPTION: u8 = 1;
const DESTRUCTION: u8 = 2;
const CASUALTIES: u8 = 3;
const SEVERE: u8 = 4;
const EMERGENCY: u8 = 5;
const GOVERNMENT: u16 = 1 << 6;
const ELECTIONS: u16 = 1 << 7;

/// Which rule of DESIGN 3.1 decided the class (1-based), for explanations.
pub fn legal_class_rule(d: &Doctrine, effects: u8, severity: u8, sectors: u16) -> (u8, u8) {
    // (class index into vocab::LEGAL, rule number)
    if effects == CASUALTIES && severity >= SEVERE {
        (4, 1)
    } else if effects == DESTRUCTION && severity >= SEVERE {
        (4, 2)
    } else if d.nonphysical_force && effects == DISRUPTION && severity == EMERGENCY {
        (4, 3)
    } else if effects >= DESTRUCTION {
        (3, 4)
    } else if d.nonphysical_force && effects == DISRUPTION && severity >= SEVERE {
        (3, 5)
    } else if effects == DISRUPTION && sectors & (GOVERNMENT | ELECTIONS) != 0 {
        (2, 6)
    } else if d.sovereignty_rule && effects == DISRUPTION {
        (1, 7)
    } else if d.sovereignty_rule && d.sovereignty_threshold == SovereigntyThreshold::AnyIntrusion {
        (1, 8)
    } else {
        (0, 9)
    }
}

/// The legal class (index into [`crate::vocab::LEGAL`]) of the act under a doctrine; it
/// characterises the act as if a state did it, ignoring actor and attribution.
pub fn legal_class(d: &Doctrine, v: &Vector) -> u8 {
    legal_class_rule(d, v.effects, v.severity, v.sectors).0
}

/// Human reading of the rules, for explanations.
pub const RULE_TEXT: [&str; 9] = [
    "effects = casualties and severity >= severe",
    "effects = destruction and severity >= severe",
    "nonphysical_force and effects = disruption and severity = emergency",
    "effects >= destruction",
    "nonphysical_force and effects = disruption and severity >= severe",
    "effects = disruption and sectors include government or elections",
    "sovereignty_rule and effects = disruption",
    "sovereignty_rule and sovereignty_threshold = any_intrusion",
    "otherwise",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_and_france_differ_on_espionage() {
        let uk = Doctrine::default();
        let fr = Doctrine {
            sovereignty_rule: true,
            sovereignty_threshold: SovereigntyThreshold::AnyIntrusion,
            nonphysical_force: false,
        };
        // espionage against government networks, severity high
        assert_eq!(legal_class_rule(&uk, 0, 3, GOVERNMENT), (0, 9));
        assert_eq!(legal_class_rule(&fr, 0, 3, GOVERNMENT), (1, 8));
    }

    #[test]
    fn first_match_wins() {
        let nf = Doctrine {
            nonphysical_force: true,
            ..Doctrine::default()
        };
        assert_eq!(
            legal_class_rule(&nf, DISRUPTION, EMERGENCY, GOVERNMENT).0,
            4
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), DISRUPTION, EMERGENCY, GOVERNMENT).0,
            2
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), DESTRUCTION, 3, 0).0,
            3
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), CASUALTIES, SEVERE, 0).0,
            4
        );
        assert_eq!(legal_class_rule(&nf, DISRUPTION, SEVERE, 0).0, 3);
    }
}
