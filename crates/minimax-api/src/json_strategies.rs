//! Proptest strategies for arbitrary JSON, shared by the "never panics on any input" property tests of
//! the parsers (issue 14 item 9).

use proptest::prelude::*;
use serde_json::Value;

/// A JSON scalar: null, a bool, an integer, a finite float, or a short printable string (digits,
/// percentages and words included, as odd payloads carry them).
pub fn json_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        "[0-9]{1,4}(\\.[0-9])?%?".prop_map(Value::from),
        "[ -~]{0,16}".prop_map(Value::from),
    ]
}

/// Any JSON value, nested up to three levels.
pub fn json_value() -> impl Strategy<Value = Value> {
    json_scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// An object whose keys are drawn from `keys` (so the fields a parser knows are hit often) with any
/// values, plus some unknown keys.
pub fn object_with(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let known =
        proptest::collection::btree_map(proptest::sample::select(keys), json_value(), 0..keys.len().max(1));
    let unknown = proptest::collection::btree_map("[a-z_]{1,10}", json_value(), 0..2);
    (known, unknown).prop_map(|(known, unknown)| {
        let mut map = serde_json::Map::new();
        map.extend(unknown);
        map.extend(known.into_iter().map(|(k, v)| (k.to_owned(), v)));
        Value::Object(map)
    })
}
