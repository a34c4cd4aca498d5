//! Designed and cloned voices (minimax-api.md §3.3–3.5, minimax-api-2026.md §4.3–4.5):
//! `POST /v1/voice_design` (a `ttv-voice-…` id and a hex `trial_audio` preview), `POST /v1/voice_clone`
//! (an uploaded `voice_clone` sample, a voice id of the caller's, an optional preview at a `demo_audio`
//! URL) and `POST /v1/delete_voice`.
//!
//! Quirks reproduced: a new voice is usable at once but listed by `get_voice` only after its first
//! synthesis; unused for `custom_voice_ttl_ms` (7 days) it is deleted; deleted ids cannot be reused
//! (`2039`); cloning without real-name verification is `2038`; a sample shorter than 10 s or longer than
//! 5 min (WAV and MP3 are measured) is `2037`; a failed clone leaves the uploaded file usable for a retry.
//! Not simulated: the ASR check of `text_validation` (`1043`) — inject it with a `baseResp` fault.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Value, json};

use crate::clock::{date, iso8601};
use crate::envelope::{ApiError, ApiResult, OutcomeKind, base_ok, ok_json};
use crate::ids::{fnv1a, request_trace_id};
use crate::media::synthesize;
use crate::quota;
use crate::routes::speech::{SYNC_MODELS, audio_output_field, speech_length};
use crate::routes::voices::SYSTEM_VOICES;
use crate::state::{KeyKind, SimState};
use crate::validate::{Fields, parse_body};

/// How a custom voice was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomKind {
    /// `/v1/voice_clone` (listed under `voice_cloning`).
    Cloned,
    /// `/v1/voice_design` (listed under `voice_generation`).
    Designed,
}

/// A designed or cloned voice.
#[derive(Debug, Clone)]
pub struct CustomVoice {
    /// How it was made.
    pub kind: CustomKind,
    /// Simulated epoch ms at creation.
    pub created_ms: u64,
    /// Whether a synthesis has used it (then it is listed and never expires).
    pub used: bool,
}

/// Drops voices left unused past their lifetime (their ids are retired).
fn expire_unused(state: &SimState) {
    let now = state.clock.now_ms();
    let mut inner = state.lock();
    let ttl = inner.config.custom_voice_ttl_ms;
    let expired: Vec<String> = inner
        .custom_voices
        .iter()
        .filter(|(_, v)| !v.used && now >= v.created_ms + ttl)
        .map(|(id, _)| id.clone())
        .collect();
    for id in expired {
        inner.custom_voices.remove(&id);
        inner.retired_voice_ids.insert(id);
    }
}

/// Whether `voice_id` is a live designed or cloned voice.
pub fn is_custom(state: &SimState, voice_id: &str) -> bool {
    expire_unused(state);
    state.lock().custom_voices.contains_key(voice_id)
}

/// Marks voices as used by a synthesis: from now on they are listed and kept.
pub fn mark_used(state: &SimState, voice_ids: &[String]) {
    let mut inner = state.lock();
    for id in voice_ids {
        if let Some(voice) = inner.custom_voices.get_mut(id) {
            voice.used = true;
        }
    }
}

/// The `get_voice` entries of the used voices of a kind.
pub fn listed(state: &SimState, kind: CustomKind) -> Vec<Value> {
    expire_unused(state);
    let inner = state.lock();
    let mut voices: Vec<(&String, &CustomVoice)> =
        inner.custom_voices.iter().filter(|(_, v)| v.kind == kind && v.used).collect();
    voices.sort_by_key(|(id, v)| (v.created_ms, (*id).clone()));
    voices
        .into_iter()
        .map(|(id, v)| json!({ "voice_id": id, "description": [], "created_time": date(v.created_ms) }))
        .collect()
}

fn refuse(code: i64, message: impl Into<String>) -> ApiError {
    ApiError::Base { code, message: message.into(), kind: OutcomeKind::Error }
}

/// The documented voice id rules: 8–256 characters, a letter first, letters/digits/`-`/`_`, not ending in
/// `-` or `_`.
fn check_voice_id(f: &Fields<'_>, voice_id: &str) -> Result<(), ApiError> {
    let len = voice_id.chars().count();
    let fine = (8..=256).contains(&len)
        && voice_id.starts_with(|c: char| c.is_ascii_alphabetic())
        && voice_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !voice_id.ends_with(['-', '_']);
    if fine {
        return Ok(());
    }
    Err(ApiError::invalid(
        f.path("voice_id"),
        "8-256 characters, a letter first, letters/digits/-/_, not ending in - or _",
    ))
}

/// `2039` when the id is taken: a system voice, a live custom voice, or a deleted / expired one.
fn check_unused(state: &SimState, voice_id: &str) -> Result<(), ApiError> {
    expire_unused(state);
    let inner = state.lock();
    let taken = inner.custom_voices.contains_key(voice_id)
        || inner.retired_voice_ids.contains(voice_id)
        || SYSTEM_VOICES.iter().any(|(id, _, _)| *id == voice_id);
    if taken { Err(refuse(2039, format!("voice_id duplicate: {voice_id}"))) } else { Ok(()) }
}

/// The length of WAV (from its header) or MP3 (frames × 1152 samples) audio; `None` for anything else.
pub fn audio_seconds(bytes: &[u8]) -> Option<f64> {
    if bytes.len() >= 44 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WAVE" {
        let byte_rate = u32::from_le_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]);
        let mut at = 12;
        while at + 8 <= bytes.len() {
            let size =
                u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
            if &bytes[at..at + 4] == b"data" {
                let size = size.min(bytes.len() - at - 8);
                return (byte_rate > 0).then(|| size as f64 / f64::from(byte_rate));
            }
            at += 8 + size + size % 2;
        }
        return None;
    }
    let frames = crate::media::audio::mp3_frames(bytes);
    let first = frames.first()?;
    let rate = match (first.get(2)? >> 2) & 0b11 {
        0 => 44_100.0,
        1 => 48_000.0,
        2 => 32_000.0,
        _ => return None,
    };
    Some(frames.len() as f64 * 1152.0 / rate)
}

/// `POST /v1/voice_clone`.
pub async fn clone(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let file_id = f.opt_i64("file_id")?.ok_or_else(|| ApiError::invalid("file_id", "is required"))?;
    let voice_id = f.req_str("voice_id")?;
    check_voice_id(&f, voice_id)?;
    let prompt_audio = match f.opt_object("clone_prompt")? {
        Some(prompt) => {
            let audio = prompt
                .opt_i64("prompt_audio")?
                .ok_or_else(|| ApiError::invalid(prompt.path("prompt_audio"), "is required"))?;
            prompt.req_str("prompt_text")?;
            Some(audio)
        }
        None => None,
    };
    let text = f.opt_str("text")?;
    let model = f.opt_enum("model", SYNC_MODELS)?;
    if let Some(text) = text {
        f.check_len("text", text, 1, 1_000)?;
        if model.is_none() {
            return Err(ApiError::invalid("model", "is required with text"));
        }
    }
    if let Some(validation) = f.opt_str("text_validation")? {
        f.check_len("text_validation", validation, 0, 200)?;
    }
    f.opt_range("accuracy", 0.0, 1.0, false)?;
    for flag in ["need_noise_reduction", "need_volume_normalization", "aigc_watermark"] {
        f.opt_bool(flag)?;
    }
    f.opt_str("language_boost")?;
    let config = state.config();
    if !config.real_name_verified {
        return Err(refuse(2038, "voice cloning is disabled, please complete real-name verification"));
    }
    let sample = {
        let inner = state.lock();
        let find = |id: i64, purpose: &str| {
            u64::try_from(id)
                .ok()
                .and_then(|id| inner.files.get(&id))
                .filter(|file| file.purpose == purpose)
                .cloned()
        };
        if let Some(prompt) = prompt_audio
            && find(prompt, "prompt_audio").is_none()
        {
            return Err(refuse(20132, format!("invalid samples: {prompt} is not a prompt_audio upload")));
        }
        find(file_id, "voice_clone")
            .ok_or_else(|| refuse(20132, format!("invalid samples: {file_id} is not a voice_clone upload")))?
    };
    check_unused(&state, voice_id)?;
    if let Some(seconds) = audio_seconds(&sample.content.head)
        && !(10.0..=300.0).contains(&seconds)
    {
        return Err(refuse(
            2037,
            format!("voice duration too short or too long: {seconds:.1} s (10 s to 5 min)"),
        ));
    }
    let (demo_audio, extra) = match (text, model) {
        (Some(text), Some(model)) => {
            let (seconds, chars) = speech_length(text, config.chars_per_second, 1.0);
            state.charge(key, quota::speech_cost(model, chars), false)?;
            let Some((audio, info)) = synthesize("mp3", seconds, 32_000, 1) else {
                return Err(refuse(1000, "unknown error"));
            };
            let extra = json!({ "audio_length": info.length_ms, "audio_sample_rate": info.sample_rate,
                                "audio_size": info.size, "bitrate": info.bitrate, "word_count": text.split_whitespace().count(),
                                "usage_characters": chars });
            let trace = request_trace_id();
            (
                audio_output_field(
                    &state,
                    true,
                    audio,
                    &info,
                    &trace,
                    "voice_clone",
                    config.media_url_ttl_ms,
                ),
                extra,
            )
        }
        _ => (String::new(), json!({})),
    };
    let voice = CustomVoice { kind: CustomKind::Cloned, created_ms: state.clock.now_ms(), used: false };
    state.lock().custom_voices.insert(voice_id.to_owned(), voice);
    Ok(ok_json(json!({ "input_sensitive": false, "input_sensitive_type": 0, "demo_audio": demo_audio,
                       "extra_info": extra, "base_resp": base_ok() })))
}

/// `POST /v1/voice_design`.
pub async fn design(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let prompt = f.req_str("prompt")?;
    if prompt.trim().is_empty() {
        return Err(ApiError::invalid("prompt", "must describe the voice"));
    }
    let preview = f.req_str("preview_text")?;
    f.check_len("preview_text", preview, 1, 500)?;
    f.opt_bool("aigc_watermark")?;
    let now = state.clock.now_ms();
    let voice_id = match f.opt_str("voice_id")? {
        Some(voice_id) => {
            check_voice_id(&f, voice_id)?;
            voice_id.to_owned()
        }
        None => {
            let digits: String = iso8601(now).chars().filter(char::is_ascii_digit).collect();
            let hash = fnv1a(format!("{prompt}{now}{}", request_trace_id()).as_bytes());
            let alphabet = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            let tail: String = (0..8)
                .map(|i| alphabet[((hash >> (i * 6)) % alphabet.len() as u64) as usize] as char)
                .collect();
            format!("ttv-voice-{digits}{:02}-{tail}", (now % 1000) / 10)
        }
    };
    check_unused(&state, &voice_id)?;
    let config = state.config();
    let (seconds, chars) = speech_length(preview, config.chars_per_second, 1.0);
    state.charge(key, quota::speech_cost("speech-2.8-turbo", chars), false)?;
    let Some((audio, _)) = synthesize("mp3", seconds, 32_000, 1) else {
        return Err(refuse(1000, "unknown error"));
    };
    let voice = CustomVoice { kind: CustomKind::Designed, created_ms: now, used: false };
    state.lock().custom_voices.insert(voice_id.clone(), voice);
    Ok(ok_json(
        json!({ "voice_id": voice_id, "trial_audio": hex::encode(&audio), "trace_id": request_trace_id(),
                       "base_resp": base_ok() }),
    ))
}

/// `POST /v1/delete_voice`.
pub async fn delete(State(state): State<Arc<SimState>>, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let voice_type = f.req_enum("voice_type", &["voice_cloning", "voice_generation"])?;
    let voice_id = f.req_str("voice_id")?;
    let kind = if voice_type == "voice_cloning" { CustomKind::Cloned } else { CustomKind::Designed };
    expire_unused(&state);
    let mut inner = state.lock();
    match inner.custom_voices.get(voice_id) {
        Some(voice) if voice.kind == kind => {
            inner.custom_voices.remove(voice_id);
            inner.retired_voice_ids.insert(voice_id.to_owned());
            Ok(ok_json(json!({ "voice_id": voice_id, "base_resp": base_ok() })))
        }
        _ => Err(refuse(2042, format!("no access to this voice_id: {voice_id} ({voice_type})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_wav_and_mp3_samples() {
        let (wav, _) = synthesize("wav", 12.0, 16_000, 1).expect("wav");
        let seconds = audio_seconds(&wav).expect("wav length");
        assert!((seconds - 12.0).abs() < 0.1, "{seconds}");
        let (mp3, info) = synthesize("mp3", 3.0, 32_000, 1).expect("mp3");
        let seconds = audio_seconds(&mp3).expect("mp3 length");
        assert!((seconds * 1000.0 - info.length_ms as f64).abs() < 100.0, "{seconds} vs {}", info.length_ms);
        assert_eq!(audio_seconds(b"not audio at all"), None);
    }
}
