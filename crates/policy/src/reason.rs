//! Why a member blocks (DESIGN 5 v2): a small set of reasons, reported in a fixed order.

use serde::Serialize;

/// One reason for blocking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// Legal doubts (also: no legal basis for the rung in the member's own legal class).
    Legal,
    /// Below the member's threshold for collective action.
    Threshold,
    /// The member cannot carry its share.
    Capacity,
    /// Escalation risk beyond the member's appetite.
    Risk,
    /// Any other reason (a `block` written as one string).
    Policy,
}

impl Reason {
    /// Every reason, in reporting order.
    pub const ALL: [Reason; 5] = [
        Reason::Legal,
        Reason::Threshold,
        Reason::Capacity,
        Reason::Risk,
        Reason::Policy,
    ];

    pub fn word(self) -> &'static str {
        crate::vocab::REASONS[self as usize]
    }

    /// A short phrase for people (briefs, tables).
    pub fn phrase(self) -> &'static str {
        match self {
            Reason::Legal => "legal doubts",
            Reason::Threshold => "below its threshold",
            Reason::Capacity => "capacity",
            Reason::Risk => "escalation risk",
            Reason::Policy => "national policy",
        }
    }

    pub fn parse(w: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.word() == w)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of reasons (a bit set; iterates in reporting order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Reasons(pub u8);

impl Reasons {
    pub const NONE: Reasons = Reasons(0);

    pub fn only(r: Reason) -> Reasons {
        Reasons(r.bit())
    }
    pub fn insert(&mut self, r: Reason) {
        self.0 |= r.bit();
    }
    pub fn contains(self, r: Reason) -> bool {
        self.0 & r.bit() != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Reason> {
        Reason::ALL.into_iter().filter(move |r| self.contains(*r))
    }
    /// The words, in reporting order.
    pub fn words(self) -> Vec<&'static str> {
        self.iter().map(Reason::word).collect()
    }
}

impl Serialize for Reasons {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
