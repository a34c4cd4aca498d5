//! Fast decoding of the hex audio MiniMax returns in `data.audio` (T2A, music).
//!
//! The hex text is borrowed straight from the response bytes (serde borrows a `&str` when the JSON string
//! has no escapes, which hex never has) and decoded with `faster-hex` (AVX2 when the CPU has it).

/// Why a hex text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// The text has an odd number of characters (e.g. a body cut in the middle of the audio).
    #[error("hex audio has an odd length ({0} characters): truncated?")]
    OddLength(usize),
    /// The text holds a character that is not a hex digit.
    #[error("hex audio contains a non-hex character")]
    InvalidCharacter,
}

/// Decodes hex text into bytes.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let src = text.as_bytes();
    if !src.len().is_multiple_of(2) {
        return Err(HexError::OddLength(src.len()));
    }
    let mut out = vec![0u8; src.len() / 2];
    faster_hex::hex_decode(src, &mut out).map_err(|_| HexError::InvalidCharacter)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_upper_and_lower_case() {
        assert_eq!(decode_hex("00ffA0").unwrap(), vec![0x00, 0xff, 0xa0]);
        assert_eq!(decode_hex("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn rejects_truncated_and_invalid_hex() {
        assert_eq!(decode_hex("abc"), Err(HexError::OddLength(3)));
        assert_eq!(decode_hex("zz"), Err(HexError::InvalidCharacter));
        // A bad character deep inside a long (SIMD-path) text.
        let mut long = "ab".repeat(1000);
        long.replace_range(1501..1502, "g");
        assert_eq!(decode_hex(&long), Err(HexError::InvalidCharacter));
    }

    proptest! {
        #[test]
        fn round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096), upper in any::<bool>()) {
            let mut text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            if upper {
                text = text.to_uppercase();
            }
            prop_assert_eq!(decode_hex(&text).unwrap(), bytes);
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "[0-9a-fA-Fxyz ]{0,300}") {
            let expected_ok = text.len() % 2 == 0 && text.bytes().all(|b| b.is_ascii_hexdigit());
            prop_assert_eq!(decode_hex(&text).is_ok(), expected_ok);
        }
    }
}
