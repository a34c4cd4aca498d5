//! The price tables as tables.
use super::*;

#[test]
fn an_unknown_cost_has_a_placeholder_at_or_above_the_nearest_known_price() {
    let rows: &[(CostInput, u32)] = &[
        // Known prices are their own placeholder.
        (video("MiniMax-Hailuo-02", "512P", 6), 1_500),
        // 768P 10 s is not priced: the nearest known above is none for the model, so the dearest clip
        // (768P 6 s, 4,500) scaled to 10 s.
        (video("MiniMax-Hailuo-2.3", "768P", 10), 7_500),
        // 1080P 6 s: nothing that large is priced; the model's dearest clip at 6 s.
        (video("MiniMax-Hailuo-2.3", "1080P", 6), 4_500),
        // 720P 6 s on 02: the nearest known at or above is 768P 6 s.
        (video("MiniMax-Hailuo-02", "720P", 6), 4_500),
        // An unknown model: any model's nearest clip above.
        (video("MiniMax-H3", "768P", 6), 3_000),
        (CostInput::Music { model: "music-2.6".into() }, 3_000),
        (CostInput::Text { model: "MiniMax-M3".into() }, 2),
        (CostInput::Image { model: "image-02".into(), count: 2 }, 150),
        (speech("speech-3.0-hd", false, 1_000), 600),
    ];
    for (input, expected) in rows {
        assert_eq!(placeholder(input), Some(*expected), "{input:?}");
    }
}

fn speech(model: &str, asynchronous: bool, characters: u32) -> CostInput {
    CostInput::Speech { model: model.into(), asynchronous, characters, billed_characters: None }
}

fn video(model: &str, resolution: &str, duration_s: u32) -> CostInput {
    CostInput::Video { model: model.into(), resolution: resolution.into(), duration_s }
}

#[test]
fn speech_rounds_up_once_per_generation() {
    let rows: &[(&str, bool, u32, u32)] = &[
        ("speech-2.8-hd", false, 91, 55), // 54.6 → 55 (PRODUCT.md's example)
        ("speech-2.8-hd", false, 1_000, 600),
        ("speech-2.8-hd", false, 1, 1), // 0.6 → 1
        ("speech-2.8-hd", false, 0, 0),
        ("speech-2.6-turbo", false, 91, 28), // 27.3 → 28
        ("speech-02-turbo", false, 10, 3),   // exactly 3
        ("speech-2.6-hd", true, 91, 41),     // 40.95 → 41
        ("speech-2.6-hd", true, 50_000, 22_500),
        ("speech-2.6-turbo", true, 91, 21), // 20.475 → 21
        ("speech-01-turbo", true, 4, 1),    // 0.9 → 1
        ("Speech-2.8-HD", false, 100, 60),  // case-insensitive
    ];
    for &(model, asynchronous, chars, want) in rows {
        assert_eq!(estimate(&speech(model, asynchronous, chars)), Cost::Requests(want), "{model} {chars}");
    }
}

#[test]
fn server_usage_characters_replace_the_estimate() {
    let input = CostInput::Speech {
        model: "speech-2.8-hd".into(),
        asynchronous: false,
        characters: 91,
        billed_characters: Some(163),
    };
    assert_eq!(estimate(&input), Cost::Requests(98)); // 97.8 → 98
}

#[test]
fn video_by_model_resolution_and_duration() {
    let rows: &[(&str, &str, u32, Option<u32>)] = &[
        ("MiniMax-Hailuo-2.3-Fast", "768P", 6, Some(3_000)),
        ("MiniMax-Hailuo-2.3", "768P", 6, Some(4_500)),
        ("MiniMax-Hailuo-02", "768P", 6, Some(4_500)),
        ("MiniMax-Hailuo-02", "512P", 6, Some(1_500)),
        ("MiniMax-Hailuo-02", "512P", 10, Some(2_250)),
        ("minimax-hailuo-02", "512p", 10, Some(2_250)),
        ("MiniMax-Hailuo-2.3", "1080P", 6, None),
        ("MiniMax-Hailuo-2.3", "768P", 10, None),
        ("MiniMax-Hailuo-2.3-Fast", "768P", 10, None),
        ("MiniMax-Hailuo-2.3", "512P", 6, None),
        ("T2V-01", "720P", 6, None),
    ];
    for &(model, res, dur, want) in rows {
        let got = estimate(&video(model, res, dur));
        assert_eq!(got.requests(), want, "{model} {res} {dur}");
    }
    match estimate(&video("MiniMax-Hailuo-2.3", "1080P", 6)) {
        Cost::Unknown { reason } => assert!(reason.contains("1080P"), "{reason}"),
        other => panic!("1080P must be unknown, got {other:?}"),
    }
}

#[test]
fn text_music_lyrics_and_images() {
    let rows: Vec<(CostInput, Option<u32>)> = vec![
        (CostInput::Text { model: "MiniMax-M2.7".into() }, Some(1)),
        (CostInput::Text { model: "MiniMax-M2.7-highspeed".into() }, Some(2)),
        (CostInput::Text { model: "MiniMax-M3".into() }, None),
        (CostInput::Music { model: "music-2.5+".into() }, Some(3_000)),
        (CostInput::Music { model: "Music-2.5".into() }, Some(3_000)),
        (CostInput::Music { model: "music-2.0".into() }, Some(450)),
        (CostInput::Music { model: "music-2.6".into() }, None),
        (CostInput::Lyrics, Some(75)),
        (CostInput::Image { model: "image-01".into(), count: 1 }, Some(75)),
        (CostInput::Image { model: "image-01-live".into(), count: 9 }, Some(675)),
        (CostInput::Image { model: "image-02".into(), count: 1 }, None),
        (speech("speech-2.8-hd-x", false, 10), None),
        (speech("speech-", false, 10), None),
    ];
    for (input, want) in rows {
        assert_eq!(estimate(&input).requests(), want, "{input:?}");
    }
}

#[test]
fn an_empty_table_prices_nothing_at_zero() {
    for input in [CostInput::Lyrics, CostInput::Text { model: "MiniMax-M2.7".into() }] {
        assert!(matches!(estimate_with(&[], &input), Cost::Unknown { .. }));
    }
}

#[test]
fn huge_inputs_saturate_instead_of_wrapping() {
    assert_eq!(estimate(&speech("speech-2.8-hd", false, u32::MAX)), Cost::Requests(2_576_980_377));
    let images = CostInput::Image { model: "image-01".into(), count: u32::MAX };
    assert_eq!(estimate(&images), Cost::Requests(u32::MAX));
}

#[test]
fn cost_serialises_for_the_ui() {
    assert_eq!(
        serde_json::to_value(Cost::Requests(55)).unwrap(),
        serde_json::json!({"kind": "requests", "value": 55})
    );
    let input: CostInput =
        serde_json::from_value(serde_json::json!({"modality": "video", "model": "MiniMax-Hailuo-02", "resolution": "512P", "durationS": 10}))
            .unwrap();
    assert_eq!(estimate(&input), Cost::Requests(2_250));
}

#[test]
fn each_profile_prices_with_its_own_table() {
    use crate::plan::PlanFamily;
    let h3 = |resolution: &str, duration_s| CostInput::Video {
        model: "MiniMax-H3".into(),
        resolution: resolution.into(),
        duration_s,
    };
    let max = |resolution: &str, duration_s| CostInput::Video {
        model: "MiniMax-H3-Max".into(),
        resolution: resolution.into(),
        duration_s,
    };
    // The M Plan prices MiniMax-H3 per output second (an ESTIMATE with its source).
    let rows: &[(CostInput, Option<u32>)] = &[
        (h3("768P", 4), Some(3_000)),
        (h3("768P", 15), Some(11_250)),
        (h3("2K", 10), Some(12_000)),
        (max("480P", 5), Some(2_500)),
        (max("768P", 5), Some(3_750)),
        (max("2K", 5), None),
        (video("MiniMax-Hailuo-02", "512P", 10), Some(2_250)),
        (CostInput::Text { model: "MiniMax-M3".into() }, Some(1)),
        (CostInput::Text { model: "MiniMax-M3.1-Flash".into() }, Some(1)),
        (speech("speech-2.8-turbo", false, 1_000), Some(300)),
        (CostInput::Image { model: "image-01".into(), count: 2 }, Some(150)),
    ];
    for (input, want) in rows {
        assert_eq!(estimate_for(PlanFamily::MPlan, input).requests(), *want, "M Plan {input:?}");
    }
    // The legacy Token Plan's table does not price H3 (legacy keys may be refused); a placeholder holds it.
    match estimate_for(PlanFamily::TokenPlan, &h3("768P", 4)) {
        Cost::Unknown { reason } => {
            assert!(reason.contains("Token Plan price table") && reason.contains("2013"), "{reason}");
        }
        other => panic!("H3 is not in the Token Plan table: {other:?}"),
    }
    assert_eq!(placeholder_for(PlanFamily::TokenPlan, &h3("768P", 4)), Some(3_000));
    assert_eq!(placeholder_for(PlanFamily::MPlan, &h3("2K", 10)), Some(12_000), "a known price is its own");
    assert_eq!(
        estimate_for(PlanFamily::TokenPlan, &video("MiniMax-Hailuo-2.3", "768P", 6)),
        Cost::Requests(4_500)
    );
    assert!(H3_RATE_SOURCE.contains("ESTIMATE") && H3_RATE_SOURCE.contains("§3.8"));
    // The two tables agree on everything the Token Plan publishes.
    for rule in PRICE_RULES {
        assert!(M_PLAN_RULES.contains(rule) || rule.modality == Modality::Text, "{rule:?}");
    }
}
