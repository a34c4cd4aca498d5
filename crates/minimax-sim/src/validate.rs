//! Strict request validation over the raw JSON: every failure becomes `2013 invalid params` naming the
//! field (dotted path) and what is allowed, so tests and third-party clients see exactly what was wrong.

use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// A JSON object being validated, with the dotted path that leads to it (`""` for the body itself).
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
}

/// Parses a request body that must be a JSON object.
pub fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("body", "must be a JSON object")),
        Err(e) => Err(ApiError::invalid("body", format!("not valid JSON ({e})"))),
    }
}

impl<'a> Fields<'a> {
    /// Validates the top-level body.
    pub fn root(object: &'a Map<String, Value>) -> Self {
        Self { object, prefix: String::new() }
    }

    /// The dotted path of `name` under this object.
    pub fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() { name.to_owned() } else { format!("{}.{name}", self.prefix) }
    }

    fn present(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|v| !v.is_null())
    }

    /// The names of the object's fields (to refuse unknown keys).
    pub fn keys(&self) -> impl Iterator<Item = &'a String> + use<'a> {
        self.object.keys()
    }

    /// Whether `name` is present and not null.
    pub fn has(&self, name: &str) -> bool {
        self.present(name).is_some()
    }

    /// A required string.
    pub fn req_str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.opt_str(name)?.ok_or_else(|| ApiError::invalid(self.path(name), "is required"))
    }

    /// An optional string.
    pub fn opt_str(&self, name: &str) -> Result<Option<&'a str>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::invalid(self.path(name), "must be a string")),
        }
    }

    /// An optional boolean.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid(self.path(name), "must be a boolean")),
        }
    }

    /// An optional number.
    pub fn opt_f64(&self, name: &str) -> Result<Option<f64>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(ApiError::invalid(self.path(name), "must be a number")),
        }
    }

    /// An optional integer.
    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                n.as_i64().map(Some).ok_or_else(|| ApiError::invalid(self.path(name), "must be an integer"))
            }
            Some(_) => Err(ApiError::invalid(self.path(name), "must be an integer")),
        }
    }

    /// An optional nested object, validated under its own path.
    pub fn opt_object(&self, name: &str) -> Result<Option<Fields<'a>>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Fields { object: map, prefix: self.path(name) })),
            Some(_) => Err(ApiError::invalid(self.path(name), "must be an object")),
        }
    }

    /// An optional array.
    pub fn opt_array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(ApiError::invalid(self.path(name), "must be an array")),
        }
    }

    /// An optional string that must be one of `allowed`.
    pub fn opt_enum(&self, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, ApiError> {
        match self.opt_str(name)? {
            Some(value) if !allowed.contains(&value) => Err(ApiError::invalid(
                self.path(name),
                format!("{value:?} is not one of {}", allowed.join(", ")),
            )),
            other => Ok(other),
        }
    }

    /// A required string that must be one of `allowed`.
    pub fn req_enum(&self, name: &str, allowed: &[&str]) -> Result<&'a str, ApiError> {
        self.opt_enum(name, allowed)?.ok_or_else(|| ApiError::invalid(self.path(name), "is required"))
    }

    /// An optional integer that must be one of `allowed`.
    pub fn opt_int_enum(&self, name: &str, allowed: &[i64]) -> Result<Option<i64>, ApiError> {
        match self.opt_i64(name)? {
            Some(value) if !allowed.contains(&value) => {
                let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
                Err(ApiError::invalid(self.path(name), format!("{value} is not one of {}", list.join(", "))))
            }
            other => Ok(other),
        }
    }

    /// An optional number in a range; `open_low` excludes the lower bound (e.g. `vol` in `(0, 10]`).
    pub fn opt_range(
        &self,
        name: &str,
        low: f64,
        high: f64,
        open_low: bool,
    ) -> Result<Option<f64>, ApiError> {
        let Some(value) = self.opt_f64(name)? else { return Ok(None) };
        let low_ok = if open_low { value > low } else { value >= low };
        if low_ok && value <= high {
            Ok(Some(value))
        } else {
            let bracket = if open_low { "(" } else { "[" };
            Err(ApiError::invalid(self.path(name), format!("{value} is outside {bracket}{low}, {high}]")))
        }
    }

    /// Checks a string's length in characters against `[min, max]`.
    pub fn check_len(&self, name: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
        let len = value.chars().count();
        if len < min || len > max {
            return Err(ApiError::invalid(
                self.path(name),
                format!("length {len} is outside [{min}, {max}] characters"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: &Value) -> Fields<'_> {
        Fields::root(value.as_object().expect("object"))
    }

    #[test]
    fn names_nested_fields_and_ranges() {
        let body = json!({ "voice_setting": { "vol": 0, "speed": 1.5 }, "model": "x" });
        let root = fields(&body);
        let voice = root.opt_object("voice_setting").expect("ok").expect("present");
        assert_eq!(voice.opt_range("speed", 0.5, 2.0, false).expect("in range"), Some(1.5));
        let ApiError::Invalid { field, reason } =
            voice.opt_range("vol", 0.0, 10.0, true).expect_err("open low")
        else {
            panic!("not a 2013")
        };
        assert_eq!(field, "voice_setting.vol");
        assert!(reason.contains("(0, 10]"), "{reason}");
        assert!(matches!(root.req_enum("model", &["a", "b"]), Err(ApiError::Invalid { .. })));
        assert!(matches!(root.req_str("text"), Err(ApiError::Invalid { field, .. }) if field == "text"));
    }

    #[test]
    fn rejects_non_objects_and_bad_json() {
        assert!(parse_body(b"[1]").is_err());
        assert!(parse_body(b"{\"a\":").is_err());
        assert!(parse_body(b"{}").is_ok());
    }
}
