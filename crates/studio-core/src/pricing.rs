//! What a generation costs in Token Plan requests — the PRODUCT.md table held as data — and, per plan
//! generation, the table each profile prices with.
//!
//! [`PRICE_RULES`] is the legacy Token Plan's whole table: one row per published price. [`M_PLAN_RULES`] is
//! the M Plan's: the same request-equivalents (MiniMax draws plan quota at the pay-as-you-go price, so the
//! relative costs carry over) plus MiniMax-H3 per output second, an ESTIMATE with its source; the M Plan
//! shows them as a share of its windows ([`crate::profile`]). [`estimate_for`] finds the row that matches a
//! request and does the arithmetic; nothing else in the crate knows a price.
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
use crate::plan::PlanFamily;

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
    /// `requests` per output second at this resolution (V2 video: MiniMax-H3).
    PerSecond {
        /// Resolution as the API spells it (`768P`, `2K`).
        resolution: &'static str,
        /// Requests per second of video.
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

/// Where the per-second MiniMax-H3 prices come from: no plan publishes one.
pub const H3_RATE_SOURCE: &str = "ESTIMATE: Hailuo 768P (4,500 requests per 6 s = 750/s) scaled by the CN \
    pay-as-you-go prices per second (H3 768P ¥0.50, 2K ¥0.80, H3-Max 480P ¥0.33; minimax-api-2026.md §3.8)";

/// The M Plan's table (request-equivalents, shown as shares of the windows): the Token Plan's rows, the
/// current text models per call, and MiniMax-H3 per output second ([`H3_RATE_SOURCE`]). Music is not named by
/// the M Plan (REPORTED excluded): its rows stay so a key that has music is still costed.
pub static M_PLAN_RULES: &[PriceRule] = &[
    rule(
        Modality::Text,
        ModelMatch::AnyOf(&[
            "MiniMax-M2.7",
            "MiniMax-M3",
            "MiniMax-M3.1-Flash",
            "MiniMax-M3.1-Flash-Preview",
            "MiniMax-M2.5",
        ]),
        Rate::PerCall { requests: 1 },
    ),
    rule(
        Modality::Text,
        ModelMatch::AnyOf(&["MiniMax-M2.7-highspeed", "MiniMax-M2.5-highspeed"]),
        Rate::PerCall { requests: 2 },
    ),
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
        ModelMatch::AnyOf(&["MiniMax-H3"]),
        Rate::PerSecond { resolution: "768P", requests: 750 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-H3"]),
        Rate::PerSecond { resolution: "2K", requests: 1_200 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-H3-Max"]),
        Rate::PerSecond { resolution: "768P", requests: 750 },
    ),
    rule(
        Modality::Video,
        ModelMatch::AnyOf(&["MiniMax-H3-Max"]),
        Rate::PerSecond { resolution: "480P", requests: 500 },
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

/// The table a plan generation prices with.
pub fn rules_for(family: PlanFamily) -> &'static [PriceRule] {
    match family {
        PlanFamily::TokenPlan => PRICE_RULES,
        PlanFamily::MPlan => M_PLAN_RULES,
    }
}

/// The cost of `input` on `family`'s table.
pub fn estimate_for(family: PlanFamily, input: &CostInput) -> Cost {
    estimate_named(rules_for(family), table_name(family), input)
}

/// [`placeholder`] on `family`'s table.
pub fn placeholder_for(family: PlanFamily, input: &CostInput) -> Option<u32> {
    placeholder_with(rules_for(family), input)
}

fn table_name(family: PlanFamily) -> &'static str {
    match family {
        PlanFamily::TokenPlan => "Token Plan",
        PlanFamily::MPlan => "M Plan",
    }
}

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
    estimate_named(rules, "Token Plan", input)
}

fn estimate_named(rules: &[PriceRule], table: &str, input: &CostInput) -> Cost {
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
            (
                Rate::PerSecond { resolution: res, requests },
                CostInput::Video { resolution, duration_s, .. },
            ) if res.eq_ignore_ascii_case(resolution) => {
                return Cost::Requests(requests.saturating_mul(*duration_s));
            }
            (Rate::PerSong { requests }, CostInput::Music { .. } | CostInput::Lyrics) => {
                return Cost::Requests(requests);
            }
            _ => {}
        }
    }
    let reason = match input {
        CostInput::Video { model, resolution, duration_s } if model_known => {
            format!("{model} at {resolution} for {duration_s} s is not in the {table} price table")
        }
        CostInput::Video { model, .. } if model.to_ascii_lowercase().starts_with("minimax-h3") => format!(
            "{model} is not in the {table} price table (legacy Token Plan keys may be refused with 2013; \
             the M Plan's Explore and Build include it)"
        ),
        _ => format!("{model} ({}) is not in the {table} price table", modality.as_str()),
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
                    // A per-second price is a clip of the asked length.
                    Rate::PerSecond { resolution, requests } => Some((
                        r.models.matches(model),
                        resolution_rank(resolution),
                        *duration_s,
                        requests.saturating_mul(*duration_s),
                    )),
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
#[path = "pricing_tests.rs"]
mod tests;
