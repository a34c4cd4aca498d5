//! What a simulator instance is told at start: keys, timings, quota and the streaming pace.
//! The run-time knobs (pace, stream endings, sizes) can also be changed later through `POST /_sim/config`.

use serde::{Deserialize, Serialize};

/// How a streamed chat completion reports its final usage (the sources disagree, `minimax-api.md` §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChatUsageFrame {
    /// A last frame with `object: "chat.completion"` and `message` instead of `delta` (native v2 style).
    Completion,
    /// A last chunk with `choices: []` and the usage (M3 style).
    EmptyChoices,
    /// No usage frame at all.
    None,
}

/// Which `/v1/token_plan/remains` payload the simulator sends (minimax-api-2026.md §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlanPayload {
    /// The legacy request-count Token Plan: a `MiniMax-M*` row with counts (the default).
    #[default]
    Legacy,
    /// The usage-based Token Plan: `general` + `video` rows in percent, statuses and boosts.
    UsagePercent,
    /// The M Plan: one `general` row in percent; video counts only against the weekly window.
    MPlan,
}

/// An odd shape the remains payload can be sent in, to test clients against payloads not seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RemainsQuirk {
    /// `start_time`, `remains_time`, `weekly_start_time`, `weekly_remains_time` and the weekly status are
    /// left out.
    MissingFields,
    /// Percentages and statuses are sent as strings (`"85"`).
    PercentStrings,
    /// A `video` row with status 3 in both windows and zero totals ("not in plan", CLI issue #173).
    NotInPlan,
    /// `*_usage_count` holds the remaining amount, with real totals (the legacy path's meaning).
    CountsRemaining,
}

/// Every setting of a simulator instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SimConfig {
    /// The Token Plan key that every endpoint accepts.
    pub key: String,
    /// The base URL download links use, when clients reach the simulator through another address than
    /// the one it binds (e.g. bound to `0.0.0.0` in a container). Default: the bound address.
    pub public_url: Option<String>,
    /// An optional pay-as-you-go key: accepted everywhere except `/v1/token_plan/remains`, never charged.
    pub pay_as_you_go_key: Option<String>,
    /// Requests allowed per 5-hour window (Plus: 4,500).
    pub quota: u64,
    /// Length of the quota window, in milliseconds (5 h).
    pub quota_window_ms: u64,
    /// Requests allowed per 7-day window; 0 means no weekly cap (reported as 0).
    pub weekly_quota: u64,
    /// Fixed quota windows (aligned to the epoch; weekly to Mondays 00:00 UTC) instead of rolling ones.
    pub fixed_window: bool,
    /// The plan name used in quota messages, e.g. `Plus`.
    pub plan_name: String,
    /// Milliseconds a video task takes from creation to `Success`.
    pub video_task_ms: u64,
    /// Milliseconds an async speech task takes from creation to `Success`.
    pub speech_task_ms: u64,
    /// Lifetime of a video `download_url` (1 h in the video docs).
    pub video_url_ttl_ms: u64,
    /// Lifetime of an async speech `download_url` (9 h in the async speech docs).
    pub speech_url_ttl_ms: u64,
    /// Lifetime of `output_format: url` media links (24 h).
    pub media_url_ttl_ms: u64,
    /// Size in bytes of every generated video file; the real clip is padded with a `free` box and streamed
    /// without being held in memory. `0` serves the bare clip.
    pub video_size: u64,
    /// Requests per minute admitted per endpoint before `1002 rate limit exceeded(RPM)`; 0 = no limit.
    pub rpm: u32,
    /// Extra latency added before every API response, in milliseconds.
    pub latency_ms: u64,
    /// Delay before the first byte of a streamed response, in milliseconds.
    pub ttfb_ms: u64,
    /// Number of audio chunks in a streamed TTS response (before the final `status: 2` event).
    pub stream_chunks: u32,
    /// Pause between streamed chunks, in milliseconds.
    pub chunk_interval_ms: u64,
    /// Characters of text per second of synthesized speech.
    pub chars_per_second: f64,
    /// How a streamed chat completion ends.
    pub chat_usage_frame: ChatUsageFrame,
    /// Whether a streamed chat completion ends with `data: [DONE]`.
    pub chat_done_marker: bool,
    /// Whether streamed `reasoning_details[].text` / `reasoning_content` carry the reasoning so far
    /// (cumulative snapshots, seen with M3) instead of only the new fragment (M2.7, the default).
    pub chat_cumulative_reasoning: bool,
    /// Which remains payload to send (legacy counts by default).
    pub plan_payload: PlanPayload,
    /// `interval_boost_permille` of the percent payloads (not sent when unset).
    pub interval_boost_permille: Option<u64>,
    /// `weekly_boost_permille` of the percent payloads (not sent when unset).
    pub weekly_boost_permille: Option<u64>,
    /// Odd shapes applied to the remains payload.
    pub remains_quirks: Vec<RemainsQuirk>,
    /// Whether the Token Plan key may use MiniMax-H3 (`false`: a legacy Token Plan key, refused with `2013`).
    pub h3_access: bool,
    /// Whether the keys may use music and lyrics (`false`: refused with `2061`, as new accounts are since
    /// 2026-08-20).
    pub music_access: bool,
    /// Whether the account passed real-name verification (`false`: voice cloning is refused with `2038`).
    pub real_name_verified: bool,
    /// Milliseconds a V2 (H3) video task takes from creation to `succeeded`; the first fifth is `queued`.
    pub video_v2_task_ms: u64,
    /// Age after which a V2 task reads `expired` and leaves the list (7 days).
    pub video_v2_expire_ms: u64,
    /// Largest file `/v1/files/upload` accepts (20 MB for voice samples).
    pub upload_max_bytes: u64,
    /// How long a designed or cloned voice lives without being used in a synthesis (7 days).
    pub custom_voice_ttl_ms: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            key: "sk-cp-simulator".to_owned(),
            public_url: None,
            pay_as_you_go_key: None,
            quota: 4_500,
            quota_window_ms: 5 * 3_600_000,
            weekly_quota: 45_000,
            fixed_window: false,
            plan_name: "Plus".to_owned(),
            video_task_ms: 30_000,
            speech_task_ms: 5_000,
            video_url_ttl_ms: 3_600_000,
            speech_url_ttl_ms: 32_400_000,
            media_url_ttl_ms: 86_400_000,
            video_size: 0,
            rpm: 0,
            latency_ms: 0,
            ttfb_ms: 0,
            stream_chunks: 8,
            chunk_interval_ms: 0,
            chars_per_second: 15.0,
            chat_usage_frame: ChatUsageFrame::Completion,
            chat_done_marker: true,
            chat_cumulative_reasoning: false,
            plan_payload: PlanPayload::Legacy,
            interval_boost_permille: None,
            weekly_boost_permille: None,
            remains_quirks: Vec::new(),
            h3_access: true,
            music_access: true,
            real_name_verified: true,
            video_v2_task_ms: 60_000,
            video_v2_expire_ms: 7 * 86_400_000,
            upload_max_bytes: 20 * 1024 * 1024,
            custom_voice_ttl_ms: 7 * 86_400_000,
        }
    }
}
