//! The fast path for the one time form nearly every GPS logger writes,
//! `YYYY-MM-DDTHH:MM:SS[.fff…]Z`: read with integer arithmetic instead of
//! a general parser, because a long track holds a million of them. Any
//! other form (offsets, no `Z`, a leap second, a year before 1970) answers `None` and is left
//! to jiff; property tests check the two agree on every time.

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + i64::from(byte - b'0'))
    })
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Milliseconds since the epoch of a `…Z` time, fractions beyond the
/// millisecond truncated as jiff's `as_millisecond` does; `None` for any
/// other form.
pub(crate) fn parse(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || !matches!(bytes.last(), Some(b'Z' | b'z'))
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    let hour = digits(&bytes[11..13])?;
    let minute = digits(&bytes[14..16])?;
    let second = digits(&bytes[17..19])?;
    // Before 1970 the millisecond rounds the other way (jiff truncates
    // toward zero); no logger writes such times, so jiff reads them.
    if year < 1970
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let fraction = &bytes[19..bytes.len() - 1];
    let millis = match fraction {
        [] => 0,
        [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => {
            digits(rest)?;
            let mut padded = [b'0'; 3];
            for (slot, digit) in padded.iter_mut().zip(rest) {
                *slot = *digit;
            }
            digits(&padded)?
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_jiff(text: &str) -> Option<i64> {
        text.parse::<jiff::Timestamp>()
            .ok()
            .map(|timestamp| timestamp.as_millisecond())
    }

    proptest! {
        #[test]
        fn agrees_with_jiff_on_every_utc_time(
            seconds in 0i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
            places in 0usize..10,
        ) {
            let timestamp = jiff::Timestamp::new(seconds, nanos as i32).expect("in range");
            let base = timestamp.strftime("%Y-%m-%dT%H:%M:%S").to_string();
            let fraction = format!("{nanos:09}");
            let text = if places == 0 { format!("{base}Z") } else { format!("{base}.{}Z", &fraction[..places]) };
            prop_assert_eq!(parse(&text), by_jiff(&text), "{}", text);
        }

        #[test]
        fn never_accepts_what_jiff_refuses(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,10})?Z?") {
            if let Some(ms) = parse(&text) {
                prop_assert_eq!(Some(ms), by_jiff(&text), "{}", text);
            }
        }
    }

    #[test]
    fn other_forms_are_left_to_the_general_parser() {
        assert_eq!(parse("2024-07-14T08:00:00+02:00"), None);
        assert_eq!(parse("2024-07-14T08:00:00"), None);
        assert_eq!(parse("2024-02-30T08:00:00Z"), None);
        assert_eq!(parse("2016-12-31T23:59:60Z"), None);
        assert_eq!(parse("2024-07-14T08:00:00.Z"), None);
        assert_eq!(parse("1969-12-31T23:59:59.5996Z"), None);
        assert_eq!(
            parse("2024-07-14T08:00:00.123Z"),
            by_jiff("2024-07-14T08:00:00.123Z")
        );
    }
}
