//! The date-time group of the brief.

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A date-time group (`301452Z NOV 26`) from an RFC 3339 UTC timestamp
/// (`2026-11-30T14:52:07Z`); `None` when it is not one.
pub fn dtg(ts: &str) -> Option<String> {
    let b = ts.as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| ts.get(r).and_then(|x| x.parse::<usize>().ok());
    let (year, month, day, hour, minute) = (
        num(2..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let mon = MONTHS.get(month.checked_sub(1)?)?;
    if day == 0 || day > 31 || hour > 23 || minute > 59 {
        return None;
    }
    Some(format!("{day:02}{hour:02}{minute:02}Z {mon} {year:02}"))
}
