//! The quota reset time carried in 2056 messages, e.g.
//! `"... resets at 2026-05-15T15:00:00Z (2056)"` (minimax-api.md §2.3, §8).

/// A reset time found in an error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetTime {
    /// The text as the server wrote it (e.g. `2026-05-15T15:00:00Z`).
    pub raw: String,
    /// The same instant as Unix epoch milliseconds (UTC).
    pub epoch_ms: i64,
}

/// Finds `resets at <time>` (also "reset at", "resets on", any case) in a message and parses the time.
/// Accepted times: RFC 3339 / ISO 8601 with `T` or a space, optional fraction, `Z`, `±HH:MM`, `±HHMM` or
/// no offset (taken as UTC), and a bare Unix timestamp in seconds or milliseconds.
pub fn parse_reset_time(message: &str) -> Option<ResetTime> {
    let lower = message.to_ascii_lowercase();
    for marker in ["resets at ", "reset at ", "resets on ", "reset on ", "resets: ", "reset time: "] {
        if let Some(at) = lower.find(marker) {
            let rest = &message[at + marker.len()..];
            let candidate = time_token(rest);
            if let Some(epoch_ms) = parse_timestamp(candidate) {
                return Some(ResetTime { raw: candidate.to_owned(), epoch_ms });
            }
        }
    }
    None
}

/// The time text at the start of `rest`: up to the first character that cannot belong to it,
/// keeping a space between a date and a time ("2026-05-15 15:00:00").
fn time_token(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    let mut end = 0;
    while end < bytes.len() {
        let c = bytes[end];
        let date_time_space = c == b' '
            && end == 10
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            && bytes.get(4) == Some(&b'-');
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'.' | b'+') || date_time_space {
            end += 1;
        } else {
            break;
        }
    }
    rest[..end].trim_end_matches(['.', ':'])
}

/// Parses an ISO time or a bare Unix timestamp into epoch milliseconds.
fn parse_timestamp(text: &str) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let number: i64 = text.parse().ok()?;
        // 13 digits ⇒ milliseconds, 10 digits ⇒ seconds.
        return Some(if text.len() >= 13 { number } else { number * 1000 });
    }
    parse_iso(text)
}

fn parse_iso(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded: String = fraction[..digits].chars().chain("000".chars()).take(3).collect();
        millis = padded.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            sign * (digits[0..2].parse::<i64>().ok()? * 60 + digits[2..4].parse::<i64>().ok()?)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_2056_message_is_parsed() {
        let message = "usage limit exceeded, 5-hour usage limit reached for Token Plan Starter (0/0 used), \
                       resets at 2026-05-15T15:00:00Z (2056)";
        let reset = parse_reset_time(message).expect("reset time");
        assert_eq!(reset.raw, "2026-05-15T15:00:00Z");
        assert_eq!(reset.epoch_ms, 1_778_857_200_000);
    }

    #[test]
    fn time_shapes_table() {
        let base = 1_778_857_200_000; // 2026-05-15T15:00:00Z
        let cases: &[(&str, Option<i64>)] = &[
            ("resets at 2026-05-15T15:00:00Z", Some(base)),
            ("Resets At 2026-05-15T15:00:00.250Z.", Some(base + 250)),
            ("resets at 2026-05-15T23:00:00+08:00 (2056)", Some(base)),
            ("resets at 2026-05-15T10:00:00-0500", Some(base)),
            ("reset at 2026-05-15 15:00:00 UTC", Some(base)),
            ("resets at 2026-05-15T15:00:00", Some(base)),
            ("resets at 1778857200", Some(base)),
            ("resets at 1778857200000", Some(base)),
            ("resets at soon", None),
            ("exceeded Coding Plan resource limit (2056)", None),
            ("resets at 2026-13-15T15:00:00Z", None),
        ];
        for (message, expected) in cases {
            assert_eq!(parse_reset_time(message).map(|r| r.epoch_ms), *expected, "{message}");
        }
    }

    #[test]
    fn epoch_start_is_zero() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn no_message_makes_the_parser_panic(message in "\\PC{0,120}") {
                let _ = parse_reset_time(&message);
            }

            #[test]
            fn no_time_after_the_marker_makes_it_panic(marker in proptest::sample::select(vec!["resets at ", "reset on ", "Resets: ", "reset time: "]),
                                                      time in "[0-9TZz:+. -]{0,40}", tail in "\\PC{0,10}") {
                let _ = parse_reset_time(&format!("limit reached, {marker}{time}{tail}"));
            }

            #[test]
            fn every_formatted_utc_time_parses_back(seconds in 0i64..4_102_444_800, millis in 0i64..1000) {
                let days = seconds.div_euclid(86_400);
                let rest = seconds.rem_euclid(86_400);
                // Back from days to a civil date by search over the month lengths (independent of the parser).
                let (mut year, mut left) = (1970i64, days);
                loop {
                    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                    let length = if leap { 366 } else { 365 };
                    if left < length { break; }
                    left -= length;
                    year += 1;
                }
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                let months = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
                let mut month = 1;
                for length in months {
                    if left < length { break; }
                    left -= length;
                    month += 1;
                }
                let text = format!("{year:04}-{month:02}-{:02}T{:02}:{:02}:{:02}.{millis:03}Z", left + 1, rest / 3600, rest % 3600 / 60, rest % 60);
                let parsed = parse_reset_time(&format!("usage limit exceeded, resets at {text} (2056)"));
                prop_assert_eq!(parsed.map(|r| r.epoch_ms), Some(seconds * 1000 + millis));
            }
        }
    }
}
