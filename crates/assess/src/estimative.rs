//! Estimative language (US ICD 203, DOMAIN 5): every probability concord shows carries its
//! words and their range, and the figure shown never contradicts the attribution level.
//!
//! | p | words |
//! |---|---|
//! | below 0.05 | almost no chance (1-5 %) |
//! | 0.05 to below 0.20 | very unlikely (5-20 %) |
//! | 0.20 to below 0.45 | unlikely (20-45 %) |
//! | 0.45 to below 0.55 | roughly even chance (45-55 %) |
//! | 0.55 to below 0.80 | likely (55-80 %) |
//! | 0.80 to below 0.95 | very likely (80-95 %) |
//! | 0.95 and above | almost certain (95-99 %) |
//!
//! The bands' lower bounds are the DESIGN 3.2 level thresholds (low 0.55, moderate 0.80,
//! high 0.95), so a level and the words of its p always agree. Figures are shown as whole
//! percents rounded *down* and capped at 99 %: a p of 0.7996 (level low) shows as 79 %,
//! never 80 %; 1.0 shows as 99 % (ICD 203 has no certainty); below 1 %, "< 1 %".

use serde::Serialize;

/// A probability with its ICD 203 words.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The probability, rounded down to four decimals (never across a level boundary).
    pub p: f64,
    /// ICD 203 words ("very likely").
    pub words: &'static str,
    /// Their range ("80-95 %").
    pub range: &'static str,
}

const BANDS: &[(f64, &str, &str)] = &[
    (0.95, "almost certain", "95-99 %"),
    (0.80, "very likely", "80-95 %"),
    (0.55, "likely", "55-80 %"),
    (0.45, "roughly even chance", "45-55 %"),
    (0.20, "unlikely", "20-45 %"),
    (0.05, "very unlikely", "5-20 %"),
];

/// A probability rounded down to four decimals: a value at or above a level threshold
/// stays at or above it, one below stays below.
pub fn floor4(p: f64) -> f64 {
    if !p.is_finite() {
        return 0.0;
    }
    (p.clamp(0.0, 1.0) * 10_000.0).floor() / 10_000.0
}

/// The ICD 203 words of a probability.
pub fn estimate(p: f64) -> Estimate {
    let (words, range) = BANDS
        .iter()
        .find(|(lo, _, _)| p >= *lo)
        .map_or(("almost no chance", "1-5 %"), |(_, w, r)| (*w, *r));
    Estimate {
        p: floor4(p),
        words,
        range,
    }
}

/// The figure as shown to people: whole percent, rounded down, at most 99 %.
pub fn percent(p: f64) -> String {
    let x = (p.clamp(0.0, 1.0) * 100.0).floor().min(99.0);
    if x < 1.0 {
        "< 1 %".into()
    } else {
        format!("{x:.0} %")
    }
}

/// "very likely (80-95 %): 87 %".
pub fn statement(p: f64) -> String {
    let e = estimate(p);
    format!("{} ({}): {}", e.words, e.range, percent(p))
}

/// What an attribution level means in ICD 203 words (DESIGN 3.2 thresholds).
pub fn level_words(level: &str) -> &'static str {
    match level {
        "high" => "almost certain (95-99 %), and two independent evidence kinds rated B2 or better",
        "moderate" => "very likely or better (80 % and above)",
        "low" => "likely (55-80 %)",
        _ => "no state is likely (below 55 %)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_boundaries() {
        assert_eq!(estimate(0.0).words, "almost no chance");
        assert_eq!(estimate(0.05).words, "very unlikely");
        assert_eq!(estimate(0.5).words, "roughly even chance");
        assert_eq!(estimate(0.55).words, "likely");
        assert_eq!(estimate(0.7999).words, "likely");
        assert_eq!(estimate(0.80).words, "very likely");
        assert_eq!(estimate(0.95).range, "95-99 %");
        assert_eq!(estimate(1.0).words, "almost certain");
        // rounding never crosses a level threshold
        assert_eq!(estimate(0.799_96).p, 0.7999);
        assert_eq!(percent(0.799_96), "79 %");
        assert_eq!(percent(0.8), "80 %");
        assert_eq!(estimate(0.8).p, 0.8);
        assert_eq!(estimate(0.95).p, 0.95);
        assert_eq!(percent(1.0), "99 %");
        assert_eq!(percent(0.004), "< 1 %");
        assert_eq!(statement(0.87), "very likely (80-95 %): 87 %");
        for i in 0..=10_000 {
            let p = f64::from(i) / 10_000.0 - 1e-12;
            for t in [0.55, 0.80, 0.95] {
                assert_eq!(p >= t, estimate(p).p >= t, "{p}");
            }
        }
        assert_eq!(estimate(f64::NAN).p, 0.0);
    }
}
