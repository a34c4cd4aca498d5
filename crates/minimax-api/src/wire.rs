//! Wire-format quirks shared by several endpoints: ids and counts that arrive as numbers or strings
//! (minimax-api.md §3.2, §5, §7: "`task_id` is shown as a number in examples and typed string").

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Deserializes a string or an integer into a `String` (ids are kept as strings, §7).
pub fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringOrNumber)
}

/// Like [`string_or_number`] for an optional field (`null` or missing ⇒ `None`, `""` ⇒ `None`).
pub fn opt_string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(OptStringOrNumber)
}

/// Deserializes an integer that may arrive as a string (`"1"`) or number (`1`); `null` ⇒ `None`.
pub fn opt_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(OptCount)
}

/// Deserializes an optional string, borrowing it from the input when it has no escapes (the hex audio
/// fast path) and owning it otherwise (e.g. a URL written with `\/`).
pub fn opt_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    deserializer.deserialize_option(OptCowStr(std::marker::PhantomData))
}

/// Like [`opt_count`] but never fails: a value that is not a whole number (an object, a word, a
/// fraction) reads as `None`, so one odd field cannot fail a whole answer (the remains payload's shape
/// has changed several times, minimax-api-2026.md §2).
pub fn lenient_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(Lenient(LenientKind::Count)).map(|v| v.and_then(LenientValue::count))
}

/// A percentage that may arrive as a number (`85`, `85.5`) or a string (`"85"`, `"85%"`); anything else
/// (or a non-finite number) reads as `None`, never as an error.
pub fn lenient_percent<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    deserializer.deserialize_any(Lenient(LenientKind::Percent)).map(|v| v.and_then(LenientValue::number))
}

/// A string that may arrive as a number; anything else reads as `None`, never as an error.
pub fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(Lenient(LenientKind::Text)).map(|v| v.and_then(LenientValue::text))
}

/// What a lenient field was read as.
enum LenientValue {
    Number(f64),
    Text(String),
}

impl LenientValue {
    fn number(self) -> Option<f64> {
        let value = match self {
            LenientValue::Number(n) => n,
            LenientValue::Text(text) => text.trim().trim_end_matches('%').trim().parse().ok()?,
        };
        value.is_finite().then_some(value)
    }

    fn count(self) -> Option<i64> {
        let value = self.number()?;
        // Whole numbers only; beyond 2^53 an f64 no longer holds every integer.
        if value.fract() != 0.0 || value.abs() > 9.0e15 {
            return None;
        }
        #[allow(clippy::cast_possible_truncation)]
        Some(value as i64)
    }

    fn text(self) -> Option<String> {
        match self {
            LenientValue::Text(text) => Some(text),
            LenientValue::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(format!("{n:.0}")),
            LenientValue::Number(n) => Some(n.to_string()),
        }
    }
}

/// Which lenient reader is asking (only for the `expecting` text).
#[derive(Clone, Copy)]
enum LenientKind {
    Count,
    Percent,
    Text,
}

/// Accepts any JSON value: numbers and strings are kept, everything else (objects and arrays are
/// skipped whole) becomes `None`.
struct Lenient(LenientKind);

impl<'de> Visitor<'de> for Lenient {
    type Value = Option<LenientValue>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self.0 {
            LenientKind::Count => "a count",
            LenientKind::Percent => "a percentage",
            LenientKind::Text => "a text",
        })
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(Some(LenientValue::Number(v as f64)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(Some(LenientValue::Number(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(LenientValue::Number(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(LenientValue::Text(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(LenientValue::Text(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct OptCowStr<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for OptCowStr<'a> {
    type Value = Option<Cow<'a, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or null")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

struct StringOrNumber;

impl Visitor<'_> for StringOrNumber {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an integer")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

struct OptStringOrNumber;

impl<'de> Visitor<'de> for OptStringOrNumber {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, an integer or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then(|| v.to_owned()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct OptCount;

impl<'de> Visitor<'de> for OptCount {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer, a string holding an integer, or null")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let trimmed = v.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        trimmed.parse().map(Some).map_err(|_| E::custom(format!("not a count: {v:?}")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v).map(Some).map_err(|_| E::custom("count too large"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            return Ok(Some(v as i64));
        }
        Err(E::custom(format!("not a whole count: {v}")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "super::string_or_number")]
        id: String,
        #[serde(default, deserialize_with = "super::opt_string_or_number")]
        file_id: Option<String>,
        #[serde(default, deserialize_with = "super::opt_count")]
        count: Option<i64>,
    }

    #[derive(Deserialize)]
    struct Audio<'a> {
        #[serde(borrow, default, deserialize_with = "super::opt_cow_str")]
        audio: Option<std::borrow::Cow<'a, str>>,
    }

    #[test]
    fn hex_is_borrowed_and_escaped_text_is_owned() {
        let body = r#"{"audio":"00ff"}"#.to_owned();
        let a: Audio = serde_json::from_str(&body).unwrap();
        assert!(matches!(a.audio, Some(std::borrow::Cow::Borrowed("00ff"))));
        let b: Audio = serde_json::from_str(r#"{"audio":"https:\/\/x"}"#).unwrap();
        assert!(matches!(b.audio, Some(std::borrow::Cow::Owned(ref url)) if url == "https://x"));
        let c: Audio = serde_json::from_str(r#"{"audio":null}"#).unwrap();
        assert!(c.audio.is_none());
    }

    #[test]
    fn ids_and_counts_accept_both_shapes() {
        let a: Sample =
            serde_json::from_str(r#"{"id":95157322514444,"file_id":"176844028768320","count":"1"}"#).unwrap();
        assert_eq!(
            (a.id.as_str(), a.file_id.as_deref(), a.count),
            ("95157322514444", Some("176844028768320"), Some(1))
        );
        let b: Sample = serde_json::from_str(r#"{"id":"x","file_id":null,"count":2}"#).unwrap();
        assert_eq!((b.file_id, b.count), (None, Some(2)));
        let c: Sample = serde_json::from_str(r#"{"id":"x"}"#).unwrap();
        assert_eq!((c.file_id, c.count), (None, None));
        assert!(serde_json::from_str::<Sample>(r#"{"id":"x","count":"many"}"#).is_err());
    }

    #[derive(Deserialize)]
    struct Odd {
        #[serde(default, deserialize_with = "super::lenient_count")]
        count: Option<i64>,
        #[serde(default, deserialize_with = "super::lenient_percent")]
        percent: Option<f64>,
        #[serde(default, deserialize_with = "super::lenient_string")]
        name: Option<String>,
    }

    #[test]
    fn lenient_fields_never_fail() {
        type Row<'a> = (&'a str, Option<i64>, Option<f64>, Option<&'a str>);
        let table: &[Row] = &[
            (r#"{"count":3,"percent":85,"name":"general"}"#, Some(3), Some(85.0), Some("general")),
            (r#"{"count":"3","percent":"85%","name":7}"#, Some(3), Some(85.0), Some("7")),
            (r#"{"count":"many","percent":" 12.5 ","name":null}"#, None, Some(12.5), None),
            (r#"{"count":1.5,"percent":{"a":[1]},"name":[1,2]}"#, None, None, None),
            (r#"{"count":true,"percent":"n/a","name":{"x":1}}"#, None, None, None),
            (r#"{}"#, None, None, None),
        ];
        for (body, count, percent, name) in table {
            let odd: Odd = serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!((odd.count, odd.percent, odd.name.as_deref()), (*count, *percent, *name), "{body}");
        }
    }
}
