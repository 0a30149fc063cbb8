//! Member legal doctrines and the legal class of an act (DESIGN 3.1, rules v2).

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

// Indices into vocab::EFFECTS, SEVERITY, LEGAL and SECTOR bits.
const DISRUPTION: u8 = 1;
const DATA_DESTRUCTION: u8 = 2;
const DESTRUCTION: u8 = 3;
const CASUALTIES: u8 = 4;
const MEDIUM: u8 = 2;
const HIGH: u8 = 3;
const SEVERE: u8 = 4;
const EMERGENCY: u8 = 5;
const GOVERNMENT: u16 = 1 << 6;
const ELECTIONS: u16 = 1 << 7;
const SOVEREIGNTY_VIOLATION: u8 = 1;
const INTERVENTION: u8 = 2;
const USE_OF_FORCE: u8 = 3;
const ARMED_ATTACK: u8 = 4;

/// The legal class (index into [`crate::vocab::LEGAL`]) and the number (1-based) of the
/// DESIGN 3.1 rule that decided it: first match wins.
pub fn legal_class_rule(d: &Doctrine, effects: u8, severity: u8, sectors: u16) -> (u8, u8) {
    let nonphysical = d.nonphysical_force && matches!(effects, DISRUPTION | DATA_DESTRUCTION);
    if effects == CASUALTIES && severity >= SEVERE {
        (ARMED_ATTACK, 1)
    } else if effects == DESTRUCTION && severity >= SEVERE {
        (ARMED_ATTACK, 2)
    } else if nonphysical && severity == EMERGENCY {
        (ARMED_ATTACK, 3)
    } else if effects >= DESTRUCTION && severity >= MEDIUM {
        (USE_OF_FORCE, 4)
    } else if nonphysical && severity >= SEVERE {
        (USE_OF_FORCE, 5)
    } else if effects >= DISRUPTION
        && ((sectors & ELECTIONS != 0 && severity >= MEDIUM)
            || (sectors & GOVERNMENT != 0 && severity >= HIGH))
    {
        (INTERVENTION, 6)
    } else if d.sovereignty_rule && effects >= DISRUPTION {
        (SOVEREIGNTY_VIOLATION, 7)
    } else if d.sovereignty_rule && d.sovereignty_threshold == SovereigntyThreshold::AnyIntrusion {
        (SOVEREIGNTY_VIOLATION, 8)
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
    "nonphysical_force and effects in {disruption, data_destruction} and severity = emergency",
    "effects >= destruction and severity >= medium",
    "nonphysical_force and effects in {disruption, data_destruction} and severity >= severe",
    "effects >= disruption and (sectors include elections and severity >= medium, or government and severity >= high)",
    "sovereignty_rule and effects >= disruption",
    "sovereignty_rule and sovereignty_threshold = any_intrusion",
    "otherwise",
];

#[cfg(test)]
mod tests {
    use super::*;

    const ESPIONAGE: u8 = 0;
    const LOW: u8 = 1;

    fn fr() -> Doctrine {
        Doctrine {
            sovereignty_rule: true,
            sovereignty_threshold: SovereigntyThreshold::AnyIntrusion,
            nonphysical_force: false,
        }
    }

    fn nf() -> Doctrine {
        Doctrine {
            nonphysical_force: true,
            ..Doctrine::default()
        }
    }

    #[test]
    fn uk_and_france_differ_on_espionage() {
        let uk = Doctrine::default();
        // espionage against government networks, severity high
        assert_eq!(legal_class_rule(&uk, ESPIONAGE, HIGH, GOVERNMENT), (0, 9));
        assert_eq!(legal_class_rule(&fr(), ESPIONAGE, HIGH, GOVERNMENT), (1, 8));
    }

    #[test]
    fn first_match_wins() {
        assert_eq!(
            legal_class_rule(&nf(), DISRUPTION, EMERGENCY, GOVERNMENT).0,
            4
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), DISRUPTION, EMERGENCY, GOVERNMENT),
            (INTERVENTION, 6)
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), DESTRUCTION, HIGH, 0),
            (USE_OF_FORCE, 4)
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), CASUALTIES, SEVERE, 0),
            (ARMED_ATTACK, 1)
        );
        assert_eq!(
            legal_class_rule(&nf(), DISRUPTION, SEVERE, 0),
            (USE_OF_FORCE, 5)
        );
    }

    /// v2: a wiper is never an armed attack (nor a use of force) without nonphysical_force.
    #[test]
    fn wiper_needs_nonphysical_force() {
        for sev in 0..=EMERGENCY {
            let (class, _) = legal_class_rule(&fr(), DATA_DESTRUCTION, sev, 0);
            assert!(class <= SOVEREIGNTY_VIOLATION, "severity {sev}: {class}");
        }
        assert_eq!(
            legal_class_rule(&nf(), DATA_DESTRUCTION, EMERGENCY, 0),
            (ARMED_ATTACK, 3)
        );
        assert_eq!(
            legal_class_rule(&nf(), DATA_DESTRUCTION, SEVERE, 0),
            (USE_OF_FORCE, 5)
        );
        assert_eq!(legal_class_rule(&nf(), DATA_DESTRUCTION, HIGH, 0), (0, 9));
        // NotPetya-like: severe wiper, no government or election sector
        assert_eq!(
            legal_class_rule(&fr(), DATA_DESTRUCTION, SEVERE, 1 << 10),
            (SOVEREIGNTY_VIOLATION, 7)
        );
    }

    /// v2: physical destruction below medium severity is not a use of force.
    #[test]
    fn destruction_needs_medium_severity() {
        assert_eq!(
            legal_class_rule(&fr(), DESTRUCTION, LOW, 0),
            (SOVEREIGNTY_VIOLATION, 7)
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), CASUALTIES, LOW, 0),
            (0, 9)
        );
        assert_eq!(
            legal_class_rule(&Doctrine::default(), CASUALTIES, MEDIUM, 0),
            (USE_OF_FORCE, 4)
        );
    }

    /// v2: intervention needs medium severity for elections, high for government.
    #[test]
    fn intervention_thresholds() {
        let d = Doctrine::default();
        assert_eq!(
            legal_class_rule(&d, DISRUPTION, MEDIUM, ELECTIONS),
            (INTERVENTION, 6)
        );
        assert_eq!(legal_class_rule(&d, DISRUPTION, LOW, ELECTIONS), (0, 9));
        assert_eq!(legal_class_rule(&d, DISRUPTION, MEDIUM, GOVERNMENT), (0, 9));
        assert_eq!(
            legal_class_rule(&d, DISRUPTION, HIGH, GOVERNMENT),
            (INTERVENTION, 6)
        );
        assert_eq!(
            legal_class_rule(&fr(), DATA_DESTRUCTION, HIGH, GOVERNMENT),
            (INTERVENTION, 6)
        );
        assert_eq!(
            legal_class_rule(&d, ESPIONAGE, EMERGENCY, ELECTIONS),
            (0, 9)
        );
    }
}
