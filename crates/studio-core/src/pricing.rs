//! What a generation costs in Token Plan requests — the PRODUCT.md table held as data.
//!
//! [`PRICE_RULES`] is the whole table: one row per published price. [`estimate`] finds the row that
//! matches a request and does the arithmetic; nothing else in the crate knows a price.
//!
//! **Rounding rule.** A fractional cost rounds **up** to a whole request, once per generation (not per
//! character): 91 characters of HD speech = 91 × 600 / 1000 = 54.6 → 55 requests. An estimate must never
//! promise more than the quota holds. When the server reports what it billed (`usage_characters` for
//! speech), that count replaces our character count for the actual cost.
//!
//! **Unknown is not zero.** A combination the table does not price (1080P video, 768P 10 s video, a model
//! the table does not name such as `music-2.6`) is [`Cost::Unknown`] with a reason; the UI asks for an
//! explicit confirmation. It is never priced at zero.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::modality::Modality;

/// The cost of one generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
#[ts(export)]
pub enum Cost {
    /// A whole number of Token Plan requests.
    Requests(u32),
    /// The table does not price this combination; the reason says which part is unpriced.
    Unknown {
        /// A sentence for the user, e.g. "MiniMax-Hailuo-2.3 at 1080P is not in the price table".
        reason: String,
    },
}

impl Cost {
    /// The number of requests, if known.
    pub fn requests(&self) -> Option<u32> {
        match self {
            Cost::Requests(n) => Some(*n),
            Cost::Unknown { .. } => None,
        }
    }
}

/// Which model names a rule applies to. Names compare case-insensitively (docs write `Music-2.5`, the API
/// takes `music-2.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelMatch {
    /// Exactly one of these names.
    AnyOf(&'static [&'static str]),
    /// Any name that starts with `prefix` and ends with `suffix` (e.g. every `speech-*-hd`).
    Family {
        /// The start of the name.
        prefix: &'static str,
        /// The end of the name.
        suffix: &'static str,
    },
    /// Every model of the modality.
    Any,
}

impl ModelMatch {
    /// Whether `model` is named by this matcher.
    pub fn matches(&self, model: &str) -> bool {
        let model = model.to_ascii_lowercase();
        match self {
            ModelMatch::AnyOf(names) => names.iter().any(|name| name.eq_ignore_ascii_case(&model)),
            ModelMatch::Family { prefix, suffix } => {
                model.len() > prefix.len() + suffix.len()
                    && model.starts_with(prefix)
                    && model.ends_with(suffix)
            }
            ModelMatch::Any => true,
        }
    }
}

/// How a rule counts: the unit a price is quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// `requests` per call (text models).
    PerCall {
        /// Requests per call.
        requests: u32,
    },
    /// `requests` per `per_characters` characters of input text, rounded up per generation.
    PerCharacters {
        /// Requests per block.
        requests: u32,
        /// Characters per block (1,000 in the published table).
        per_characters: u32,
    },
    /// `requests` per image produced (× `n`).
    PerImage {
        /// Requests per image.
        requests: u32,
    },
    /// `requests` per video of exactly this resolution and duration.
    PerClip {
        /// Resolution as the API spells it (`768P`).
        resolution: &'static str,
        /// Duration in seconds.
        duration_s: u32,
        /// Requests per clip.
        requests: u32,
    },
    /// `requests` per song (music up to 5 minutes, or one lyrics sheet).
    PerSong {
        /// Requests per song.
        requests: u32,
    },
}

/// One row of the price table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRule {
    /// The modality the row prices.
    pub modality: Modality,
    /// The models it applies to.
    pub models: ModelMatch,
    /// The price.
    pub rate: Rate,
}

const fn rule(modality: Modality, models: ModelMatch, rate: Rate) -> PriceRule {
    PriceRule { modality, models, rate }
}

/// The Token Plan request-cost table (PRODUCT.md; `minimax-api.md` §9.2). The first matching row wins.
pub static PRICE_RULES: &[PriceRule] = &[
    rule(Modality::Text, ModelMatch::AnyOf(&["MiniMax-M2.7"]), Rate::PerCall { requests: 1 }),
    rule(Modality::Text, ModelMatch::AnyOf(&["MiniMax-M2.7-highspeed"]), Rate::PerCall { requests: 2 }),
    rule(
        Modality::Speech,
        ModelMatch::Family { prefix: "speech-", suffix: "-hd" },
        Rate::PerCharacters { requests: 600, per_characters: 1_000 },
    ),
    rule(
        Modality::Speech,
        ModelMatch::Family { prefix: "speech-", suffix: "-turbo" },
        Rate::PerCharacters { requests: 300, per_characters: 1_000 },
    ),
    rule(
        Modality::SpeechAsync,
        ModelMatch::Family { prefix: "speech-", suffix: "-hd" },
        Rate::PerCharacters { requests: 450, per_characters: 1_000 },
    ),
    rule(
        Modality::SpeechAsync,
        ModelMatch::Family { prefix: "speech-", suffix: "-turbo" },
        Rate::PerCharacters { requests: 225, per_characters: 1_000 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-Hailuo-2.3-Fast"]),
        Rate::PerClip { resolution: "768P", duration_s: 6, requests: 3_000 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-Hailuo-2.3", "MiniMax-Hailuo-02"]),
        Rate::PerClip { resolution: "768P", duration_s: 6, requests: 4_500 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-Hailuo-02"]),
        Rate::PerClip { resolution: "512P", duration_s: 6, requests: 1_500 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-Hailuo-02"]),
        Rate::PerClip { resolution: "512P", duration_s: 10, requests: 2_250 },
    ),
    rule(Modality::Music, ModelMatch::AnyOf(&["music-2.5+", "music-2.5"]), Rate::PerSong { requests: 3_000 }),
    rule(Modality::Music, ModelMatch::AnyOf(&["music-2.0"]), Rate::PerSong { requests: 450 }),
    rule(Modality::Lyrics, ModelMatch::Any, Rate::PerSong { requests: 75 }),
    rule(Modality::Image, ModelMatch::AnyOf(&["image-01", "image-01-live"]), Rate::PerImage { requests: 75 }),
];

/// What is about to be generated, with exactly the parameters that change the price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "modality", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum CostInput {
    /// One chat call.
    Text {
        /// The model id.
        model: String,
    },
    /// Speech, synchronous/streamed (`asynchronous: false`) or the async long-text API.
    Speech {
        /// The model id, e.g. `speech-2.8-hd`.
        model: String,
        /// Whether the async long-text API is used (cheaper per character).
        asynchronous: bool,
        /// Characters of the text we send (the estimate).
        characters: u32,
        /// `usage_characters` from the server's response; when present it replaces `characters`.
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        billed_characters: Option<u32>,
    },
    /// `count` images from one call (`n`).
    Image {
        /// The model id.
        model: String,
        /// Images requested (`n`, 1–9).
        count: u32,
    },
    /// One video clip.
    Video {
        /// The model id.
        model: String,
        /// `512P`, `720P`, `768P` or `1080P`.
        resolution: String,
        /// Seconds.
        duration_s: u32,
    },
    /// One song.
    Music {
        /// The model id.
        model: String,
    },
    /// One lyrics sheet.
    Lyrics,
}

impl CostInput {
    /// The modality priced.
    pub fn modality(&self) -> Modality {
        match self {
            CostInput::Text { .. } => Modality::Text,
            CostInput::Speech { asynchronous: false, .. } => Modality::Speech,
            CostInput::Speech { asynchronous: true, .. } => Modality::SpeechAsync,
            CostInput::Image { .. } => Modality::Image,
            CostInput::Video { .. } => Modality::Video,
            CostInput::Music { .. } => Modality::Music,
            CostInput::Lyrics => Modality::Lyrics,
        }
    }

    /// The model id (`lyrics` has no model choice).
    pub fn model(&self) -> &str {
        match self {
            CostInput::Text { model }
            | CostInput::Speech { model, .. }
            | CostInput::Image { model, .. }
            | CostInput::Video { model, .. }
            | CostInput::Music { model } => model,
            CostInput::Lyrics => "lyrics",
        }
    }
}

/// `ceil(units × requests / per)` in 64-bit, saturating at `u32::MAX` (never wraps to a small number).
fn rounded_up(units: u32, requests: u32, per: u32) -> u32 {
    let per = u64::from(per.max(1));
    let total = (u64::from(units) * u64::from(requests)).div_ceil(per);
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// The cost of `input` under [`PRICE_RULES`]. See the module docs for the rounding rule.
pub fn estimate(input: &CostInput) -> Cost {
    estimate_with(PRICE_RULES, input)
}

/// [`estimate`] against another table (tests, a table loaded from a newer price list).
pub fn estimate_with(rules: &[PriceRule], input: &CostInput) -> Cost {
    let modality = input.modality();
    let model = input.model();
    let mut model_known = false;
    for rule in rules.iter().filter(|r| r.modality == modality && r.models.matches(model)) {
        model_known = true;
        match (rule.rate, input) {
            (Rate::PerCall { requests }, CostInput::Text { .. }) => return Cost::Requests(requests),
            (
                Rate::PerCharacters { requests, per_characters },
                CostInput::Speech { characters, billed_characters, .. },
            ) => {
                let chars = billed_characters.unwrap_or(*characters);
                return Cost::Requests(rounded_up(chars, requests, per_characters));
            }
            (Rate::PerImage { requests }, CostInput::Image { count, .. }) => {
                return Cost::Requests(requests.saturating_mul(*count));
            }
            (
                Rate::PerClip { resolution: res, duration_s: dur, requests },
                CostInput::Video { resolution, duration_s, .. },
            ) if res.eq_ignore_ascii_case(resolution) && dur == *duration_s => {
                return Cost::Requests(requests);
            }
            (Rate::PerSong { requests }, CostInput::Music { .. } | CostInput::Lyrics) => {
                return Cost::Requests(requests);
            }
            _ => {}
        }
    }
    let reason = match input {
        CostInput::Video { model, resolution, duration_s } if model_known => {
            format!("{model} at {resolution} for {duration_s} s is not in the Token Plan price table")
        }
        _ => format!("{model} ({}) is not in the Token Plan price table", modality.as_str()),
    };
    Cost::Unknown { reason }
}

/// A conservative stand-in for a cost the table does not know, so a job of unknown cost is held for quota
/// and charged like any other (issue 14: an unknown cost is never counted as zero), marked as a
/// placeholder wherever it shows. It is the nearest known price **above** the combination:
///
/// * video: the cheapest clip of the model (else of any model) whose resolution and duration are both at
///   least the asked ones; when none is that large (1080P, 2K), the dearest clip of the model (else of any
///   model) scaled up to the asked duration;
/// * other modalities: the dearest price the table knows for the modality, for the asked units (characters,
///   images, one call, one song).
///
/// `None` only when the table has no price at all for the modality.
pub fn placeholder(input: &CostInput) -> Option<u32> {
    placeholder_with(PRICE_RULES, input)
}

/// [`placeholder`] against another table.
pub fn placeholder_with(rules: &[PriceRule], input: &CostInput) -> Option<u32> {
    if let Cost::Requests(n) = estimate_with(rules, input) {
        return Some(n);
    }
    let modality = input.modality();
    let of_modality = rules.iter().filter(|r| r.modality == modality);
    match input {
        CostInput::Video { model, resolution, duration_s } => {
            let clips: Vec<(bool, u32, u32, u32)> = of_modality
                .filter_map(|r| match r.rate {
                    Rate::PerClip { resolution, duration_s, requests } => {
                        Some((r.models.matches(model), resolution_rank(resolution), duration_s, requests))
                    }
                    _ => None,
                })
                .collect();
            let asked = resolution_rank(resolution);
            let at_least = |same_model: bool| {
                clips
                    .iter()
                    .filter(|c| (!same_model || c.0) && c.1 >= asked && c.2 >= *duration_s)
                    .map(|c| c.3)
                    .min()
            };
            let dearest_scaled = |same_model: bool| {
                clips
                    .iter()
                    .filter(|c| !same_model || c.0)
                    .map(|c| rounded_up(duration_s.max(&c.2).to_owned(), c.3, c.2))
                    .max()
            };
            at_least(true)
                .or_else(|| at_least(false))
                .or_else(|| dearest_scaled(true))
                .or_else(|| dearest_scaled(false))
        }
        _ => of_modality
            .filter_map(|r| {
                let stand_in = PriceRule { models: ModelMatch::Any, ..*r };
                estimate_with(std::slice::from_ref(&stand_in), input).requests()
            })
            .max(),
    }
}

/// A resolution's height-like rank for "at least as large" (`768P` → 768, `2K` → 1440, `4K` → 2160).
fn resolution_rank(resolution: &str) -> u32 {
    let upper = resolution.trim().to_ascii_uppercase();
    match upper.as_str() {
        "2K" => 1_440,
        "4K" => 2_160,
        _ => upper.trim_end_matches('P').parse().unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
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
            assert_eq!(
                estimate(&speech(model, asynchronous, chars)),
                Cost::Requests(want),
                "{model} {chars}"
            );
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
}
