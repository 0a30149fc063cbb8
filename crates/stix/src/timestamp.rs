//! STIX timestamps: `YYYY-MM-DDTHH:mm:ss[.s+]Z`, always UTC, with calendar checks.

use std::cmp::Ordering;

/// A parsed STIX timestamp, comparable at nanosecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since 0000-03-01 in a proleptic Gregorian calendar (only compared).
    secs: i64,
    nanos: u32,
}

/// Why a string is not a STIX timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// Does not match `YYYY-MM-DDTHH:mm:ss[.s+]Z`.
    Format,
    /// Matches the format but names a day or time that does not exist.
    Range(&'static str),
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days from civil (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

impl Timestamp {
    /// Parse a STIX timestamp.
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(TimestampError::Format);
        }
        if *b.last().unwrap_or(&0) != b'Z' {
            return Err(TimestampError::Format);
        }
        let y = digits(&b[0..4]).ok_or(TimestampError::Format)?;
        let mo = digits(&b[5..7]).ok_or(TimestampError::Format)?;
        let d = digits(&b[8..10]).ok_or(TimestampError::Format)?;
        let h = digits(&b[11..13]).ok_or(TimestampError::Format)?;
        let mi = digits(&b[14..16]).ok_or(TimestampError::Format)?;
        let sec = digits(&b[17..19]).ok_or(TimestampError::Format)?;
        let rest = &b[19..b.len() - 1];
        let nanos = if rest.is_empty() {
            0
        } else {
            if rest[0] != b'.' || rest.len() < 2 || !rest[1..].iter().all(u8::is_ascii_digit) {
                return Err(TimestampError::Format);
            }
            let mut n: u32 = 0;
            for i in 0..9 {
                n = n * 10 + rest.get(1 + i).map_or(0, |d| u32::from(d - b'0'));
            }
            n
        };
        // Format-level ranges (as the STIX JSON schema's pattern does)
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return Err(TimestampError::Format);
        }
        if d > days_in_month(y, mo) {
            return Err(TimestampError::Range("day is out of range for month"));
        }
        if sec == 60 {
            return Err(TimestampError::Range("second must be in 0..59"));
        }
        let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec;
        Ok(Timestamp { secs, nanos })
    }

    /// Compare two timestamp strings; `None` if either does not parse.
    pub fn cmp_str(a: &str, b: &str) -> Option<Ordering> {
        Some(Timestamp::parse(a).ok()?.cmp(&Timestamp::parse(b).ok()?))
    }

    /// Seconds since the Unix epoch (fractional part dropped).
    pub fn unix_seconds(&self) -> i64 {
        self.secs - days_from_civil(1970, 1, 1) * 86_400
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let a = Timestamp::parse("2016-04-06T20:03:48.000Z").unwrap();
        let b = Timestamp::parse("2016-04-06T20:03:48.000123Z").unwrap();
        assert!(a < b);
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:00Z")
                .unwrap()
                .unix_seconds(),
            0
        );
    }

    #[test]
    fn rejects_bad_dates() {
        assert_eq!(
            Timestamp::parse("2017-02-29T08:17:27.000Z"),
            Err(TimestampError::Range("day is out of range for month"))
        );
        assert!(Timestamp::parse("2016-02-29T08:17:27Z").is_ok());
        assert_eq!(
            Timestamp::parse("2016-03-42T08:17:27.000Z"),
            Err(TimestampError::Format)
        );
        assert_eq!(
            Timestamp::parse("2016-03-12T99:17:27.000Z"),
            Err(TimestampError::Format)
        );
        assert_eq!(
            Timestamp::parse("2016-03-12T09:17:27.000"),
            Err(TimestampError::Format)
        );
        assert_eq!(
            Timestamp::parse("2016-03-12T09:17:27.Z"),
            Err(TimestampError::Format)
        );
    }
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Format milliseconds since the Unix epoch as a STIX timestamp with milliseconds.
pub fn format_unix_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The current time as a STIX timestamp with milliseconds.
pub fn now() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    format_unix_millis(ms)
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn formats_round_trip() {
        let s = super::format_unix_millis(1_700_000_000_123);
        assert_eq!(s, "2023-11-14T22:13:20.123Z");
        assert_eq!(
            super::Timestamp::parse(&s).unwrap().unix_seconds(),
            1_700_000_000
        );
    }
}
