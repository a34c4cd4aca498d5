//! Local checks of documented limits, run before a request is sent. Each failure names the field and
//! what is allowed, so the UI can show it next to the input.

use std::fmt;

/// A request that breaks a documented limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {problem} (allowed: {allowed})")]
pub struct ValidationError {
    /// The wire name of the field, with a path for nested ones (e.g. `voice_setting.speed`).
    pub field: String,
    /// What is wrong with the value.
    pub problem: String,
    /// What the documentation allows.
    pub allowed: String,
}

impl ValidationError {
    /// A new validation error.
    pub fn new(field: impl Into<String>, problem: impl Into<String>, allowed: impl Into<String>) -> Self {
        ValidationError { field: field.into(), problem: problem.into(), allowed: allowed.into() }
    }
}

/// The result of a check.
pub type Checked = Result<(), ValidationError>;

/// Length of a text in characters (Unicode scalar values), as the docs count "characters".
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Checks a text length in characters against `[min, max]`.
pub fn check_len(field: &str, text: &str, min: usize, max: usize) -> Checked {
    let len = char_len(text);
    if len < min || len > max {
        return Err(ValidationError::new(
            field,
            format!("{len} characters"),
            if min == 0 { format!("at most {max} characters") } else { format!("{min} to {max} characters") },
        ));
    }
    Ok(())
}

/// Checks an optional text with [`check_len`].
pub fn check_opt_len(field: &str, text: Option<&str>, min: usize, max: usize) -> Checked {
    text.map_or(Ok(()), |text| check_len(field, text, min, max))
}

/// Checks that a value is one of the allowed values.
pub fn check_one_of<T: PartialEq + fmt::Display>(field: &str, value: &T, allowed: &[T]) -> Checked {
    if allowed.contains(value) {
        return Ok(());
    }
    Err(ValidationError::new(field, format!("{value} is not supported"), join(allowed)))
}

/// Checks an optional value with [`check_one_of`].
pub fn check_opt_one_of<T: PartialEq + fmt::Display>(
    field: &str,
    value: Option<&T>,
    allowed: &[T],
) -> Checked {
    value.map_or(Ok(()), |value| check_one_of(field, value, allowed))
}

/// How the ends of a numeric range are treated.
#[derive(Debug, Clone, Copy)]
pub enum Bounds {
    /// `[min, max]`.
    Inclusive,
    /// `(min, max]`.
    ExclusiveMin,
}

/// Checks a number against a range (NaN is always rejected).
pub fn check_range<T: PartialOrd + fmt::Display + Copy>(
    field: &str,
    value: T,
    min: T,
    max: T,
    bounds: Bounds,
) -> Checked {
    let above_min = match bounds {
        Bounds::Inclusive => value >= min,
        Bounds::ExclusiveMin => value > min,
    };
    if above_min && value <= max {
        return Ok(());
    }
    let allowed = match bounds {
        Bounds::Inclusive => format!("[{min}, {max}]"),
        Bounds::ExclusiveMin => format!("({min}, {max}]"),
    };
    Err(ValidationError::new(field, format!("{value} is out of range"), allowed))
}

/// Checks an optional number with [`check_range`].
pub fn check_opt_range<T: PartialOrd + fmt::Display + Copy>(
    field: &str,
    value: Option<T>,
    min: T,
    max: T,
    bounds: Bounds,
) -> Checked {
    value.map_or(Ok(()), |value| check_range(field, value, min, max, bounds))
}

/// Rejects an empty or whitespace-only required text.
pub fn check_not_blank(field: &str, text: &str) -> Checked {
    if text.trim().is_empty() {
        return Err(ValidationError::new(field, "is empty", "a non-empty text"));
    }
    Ok(())
}

/// Joins allowed values for a message: `a, b, c`.
pub fn join<T: fmt::Display>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_respect_their_bounds() {
        assert!(check_range("vol", 10.0, 0.0, 10.0, Bounds::ExclusiveMin).is_ok());
        assert!(check_range("vol", 0.0, 0.0, 10.0, Bounds::ExclusiveMin).is_err());
        assert!(check_range("speed", 0.5, 0.5, 2.0, Bounds::Inclusive).is_ok());
        assert!(check_range("speed", f64::NAN, 0.5, 2.0, Bounds::Inclusive).is_err());
        let err = check_range("pitch", 13, -12, 12, Bounds::Inclusive).unwrap_err();
        assert_eq!(err.field, "pitch");
        assert_eq!(err.allowed, "[-12, 12]");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_len("text", &"字".repeat(10), 1, 10).is_ok());
        assert!(check_len("text", &"字".repeat(11), 1, 10).is_err());
        assert!(check_len("text", "", 1, 10).is_err());
    }

    #[test]
    fn one_of_names_the_allowed_values() {
        let err = check_one_of("format", &"ogg", &["mp3", "wav"]).unwrap_err();
        assert_eq!(err.to_string(), "invalid format: ogg is not supported (allowed: mp3, wav)");
    }
}
