//! What the media server answers to a `Range` header (RFC 9110 §14), decided before the file is sent.
//!
//! * No header, a unit other than `bytes`, or a header that does not parse: the whole file, `200`. RFC 9110
//!   says a server MUST ignore a range unit it does not understand and MAY ignore an invalid
//!   ranges-specifier; ignoring it gives every client a usable answer, and keeps `416` for what it means —
//!   "none of the ranges overlap the file".
//! * One satisfiable range: `206` with that range (a suffix `-N` or open `N-` is resolved against the length).
//! * Several ranges, some satisfiable: the whole file, `200`. A `<video>` asks for one range at a time;
//!   `multipart/byteranges` would be code no client of ours needs, and many small ranges are a well-known way
//!   to make a server work hard (RFC 9110 §14.2 lets a server ignore them).
//! * Ranges of which none is satisfiable (all start at or past the end): `416` with
//!   `Content-Range: bytes */LEN`.

/// The largest number of ranges looked at; a longer list is answered with the whole file without parsing
/// the rest, so a header of a million ranges costs nothing.
const MAX_RANGES: usize = 64;

/// What to send for a request's `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// The whole file, `200 OK`.
    Whole,
    /// `206 Partial Content` with bytes `first..=last`.
    Part {
        /// The first byte sent.
        first: u64,
        /// The last byte sent (inclusive).
        last: u64,
    },
    /// `416 Range Not Satisfiable` with `Content-Range: bytes */LEN`.
    Unsatisfiable,
}

/// One `first-last`, `first-` or `-suffix` of a `bytes=` header, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spec {
    From { first: u64, last: Option<u64> },
    Suffix(u64),
}

/// The answer to `header` (the raw `Range` value, `None` when absent) for a file of `len` bytes.
pub fn answer(header: Option<&[u8]>, len: u64) -> RangeAnswer {
    let Some(specs) = header.and_then(parse) else { return RangeAnswer::Whole };
    let satisfiable: Vec<(u64, u64)> = specs.iter().filter_map(|spec| resolve(*spec, len)).collect();
    match satisfiable.as_slice() {
        [] => RangeAnswer::Unsatisfiable,
        [(first, last)] if specs.len() == 1 => RangeAnswer::Part { first: *first, last: *last },
        _ => RangeAnswer::Whole,
    }
}

/// The specs of a `bytes=` header; `None` when it is not one (unknown unit, bad syntax, too many ranges).
fn parse(header: &[u8]) -> Option<Vec<Spec>> {
    let text = std::str::from_utf8(header).ok()?.trim();
    let (unit, list) = text.split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return None;
    }
    let mut specs = Vec::new();
    // Empty elements (`bytes=0-1,,2-3`) are allowed by the list syntax (RFC 9110 §5.6.1).
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if specs.len() == MAX_RANGES {
            return None;
        }
        let (first, last) = part.split_once('-')?;
        let (first, last) = (first.trim(), last.trim());
        let spec = if first.is_empty() {
            Spec::Suffix(number(last)?)
        } else {
            let first = number(first)?;
            let last = if last.is_empty() { None } else { Some(number(last)?) };
            if last.is_some_and(|last| last < first) {
                return None;
            }
            Spec::From { first, last }
        };
        specs.push(spec);
    }
    (!specs.is_empty()).then_some(specs)
}

/// Digits only (no sign, no spaces inside); `None` when it overflows.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The bytes a spec selects of a file of `len` bytes, or `None` when it selects none.
fn resolve(spec: Spec, len: u64) -> Option<(u64, u64)> {
    match spec {
        Spec::From { first, last } if first < len => {
            Some((first, last.map_or(len - 1, |last| last.min(len - 1))))
        }
        Spec::From { .. } => None,
        Spec::Suffix(0) => None,
        Spec::Suffix(n) if len > 0 => Some((len.saturating_sub(n), len - 1)),
        Spec::Suffix(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn of(header: &str, len: u64) -> RangeAnswer {
        answer(Some(header.as_bytes()), len)
    }

    #[test]
    fn the_cases_of_rfc_9110() {
        use RangeAnswer::{Part, Unsatisfiable, Whole};
        assert_eq!(answer(None, 100), Whole);
        assert_eq!(of("bytes=0-9", 100), Part { first: 0, last: 9 });
        assert_eq!(of("bytes=90-", 100), Part { first: 90, last: 99 });
        assert_eq!(of("bytes=-10", 100), Part { first: 90, last: 99 });
        assert_eq!(of("bytes=-500", 100), Part { first: 0, last: 99 }, "a suffix longer than the file");
        assert_eq!(of("bytes=50-5000", 100), Part { first: 50, last: 99 }, "the end is clipped");
        assert_eq!(of("BYTES = 1-2", 100), Part { first: 1, last: 2 });
        assert_eq!(of("bytes=100-", 100), Unsatisfiable);
        assert_eq!(of("bytes=200-300", 100), Unsatisfiable);
        assert_eq!(of("bytes=-0", 100), Unsatisfiable);
        assert_eq!(of("bytes=0-", 0), Unsatisfiable, "nothing to send of an empty file");
        assert_eq!(of("bytes=200-300, 400-", 100), Unsatisfiable, "none of several");
        assert_eq!(of("bytes=0-1,5-9", 100), Whole, "several: the whole file");
        assert_eq!(of("bytes=0-1, 200-300", 100), Whole);
        for malformed in
            ["bytes=", "bytes=abc", "bytes=5-1", "bytes=--1", "bytes=1-2-3", "bytes=+1-2", "bytes 0-1"]
        {
            assert_eq!(of(malformed, 100), Whole, "{malformed:?} is ignored");
        }
        assert_eq!(of("items=0-1", 100), Whole, "an unknown unit MUST be ignored");
        assert_eq!(of("bytes=99999999999999999999999-", 100), Whole, "an overflowing number");
        let many = format!("bytes={}", vec!["0-0"; 1000].join(","));
        assert_eq!(of(&many, 100), Whole);
        assert_eq!(answer(Some(b"bytes=\xff-1"), 100), Whole, "not UTF-8");
    }

    proptest! {
        /// Any header, any length: no panic, and a part always lies inside the file.
        #[test]
        fn any_header_gives_a_sane_answer(header in prop::collection::vec(any::<u8>(), 0..64), len in 0u64..10_000) {
            if let RangeAnswer::Part { first, last } = answer(Some(&header), len) {
                prop_assert!(first <= last && last < len, "{first}-{last} of {len}");
            }
        }

        /// Headers that look like ranges (the syntax's own characters): no panic, parts inside the file.
        #[test]
        fn range_like_headers_give_a_sane_answer(header in "bytes ?= ?[0-9, -]{0,40}", len in 0u64..1_000) {
            if let RangeAnswer::Part { first, last } = answer(Some(header.as_bytes()), len) {
                prop_assert!(first <= last && last < len);
            }
        }

        /// A valid single range selects exactly the bytes the RFC says.
        #[test]
        fn a_valid_range_selects_its_bytes(len in 1u64..100_000, a in any::<u64>(), b in any::<u64>()) {
            let first = a % len;
            let last = first + b % (len - first);
            prop_assert_eq!(of(&format!("bytes={first}-{last}"), len), RangeAnswer::Part { first, last });
            prop_assert_eq!(of(&format!("bytes={first}-"), len), RangeAnswer::Part { first, last: len - 1 });
            let n = b % (len + 10) + 1;
            prop_assert_eq!(of(&format!("bytes=-{n}"), len), RangeAnswer::Part { first: len.saturating_sub(n), last: len - 1 });
            prop_assert_eq!(of(&format!("bytes={}-", len + a % 1000), len), RangeAnswer::Unsatisfiable);
        }
    }
}
