//! Speech: `POST /v1/t2a_v2` (hex or url, SSE streaming whose final `status: 2` event repeats the whole
//! audio), `POST /v1/get_voice`, and async long text `POST /v1/t2a_async_v2` +
//! `GET /v1/query/t2a_async_query_v2` (result through the files API).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use serde_json::{Value, json};

use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::ids::{numeric_id, request_trace_id, trace_id};
use crate::media::{AudioInfo, FileContent, audio::mp3_frames, synthesize};
use crate::quota;
use crate::routes::custom_voices::{self, CustomKind};
use crate::routes::{paced_sse, split_ranges, voices};
use crate::server::TaskFailInjected;
use crate::state::{KeyKind, SimState, Task, TaskKind};
use crate::validate::{Fields, parse_body};

/// Models of the synchronous endpoint.
pub const SYNC_MODELS: &[&str] = &[
    "speech-2.8-hd",
    "speech-2.8-turbo",
    "speech-2.6-hd",
    "speech-2.6-turbo",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-01-hd",
    "speech-01-turbo",
];
/// Models of the async endpoint (speech-2.8 is priced for async on the CN pay-as-you-go page,
/// minimax-api-2026.md §4.1).
pub const ASYNC_MODELS: &[&str] = &[
    "speech-2.8-hd",
    "speech-2.8-turbo",
    "speech-2.6-hd",
    "speech-2.6-turbo",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-01-hd",
    "speech-01-turbo",
];
const EMOTIONS: &[&str] =
    &["happy", "sad", "angry", "fearful", "disgusted", "surprised", "calm", "fluent", "whisper"];
const LANGUAGES: &[&str] = &[
    "auto",
    "Chinese",
    "Chinese,Yue",
    "English",
    "Arabic",
    "Russian",
    "Spanish",
    "French",
    "Portuguese",
    "German",
    "Turkish",
    "Dutch",
    "Ukrainian",
    "Vietnamese",
    "Indonesian",
    "Japanese",
    "Italian",
    "Korean",
    "Thai",
    "Polish",
    "Romanian",
    "Greek",
    "Czech",
    "Finnish",
    "Hindi",
    "Bulgarian",
    "Danish",
    "Hebrew",
    "Malay",
    "Persian",
    "Slovak",
    "Swedish",
    "Croatian",
    "Filipino",
    "Hungarian",
    "Norwegian",
    "Slovenian",
    "Catalan",
    "Nynorsk",
    "Tamil",
    "Afrikaans",
];

/// Seconds of speech and billed characters for `text` (pause markers `<#x#>` add x seconds and are not billed).
pub fn speech_length(text: &str, chars_per_second: f64, speed: f64) -> (f64, u64) {
    let mut pauses = 0.0;
    let mut spoken = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<#") {
        spoken.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("#>").and_then(|end| after[..end].parse::<f64>().ok().map(|s| (end, s))) {
            Some((end, seconds)) => {
                pauses += seconds;
                rest = &after[end + 2..];
            }
            None => {
                spoken.push_str("<#");
                rest = after;
            }
        }
    }
    spoken.push_str(rest);
    let chars = spoken.chars().count() as u64;
    (chars as f64 / chars_per_second.max(0.1) / speed.max(0.1) + pauses, chars)
}

/// Words, not counting punctuation; every CJK character counts as one word.
fn word_count(text: &str) -> u64 {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// The validated voice part shared by both endpoints.
struct Voice {
    speed: f64,
    /// Every voice id the request speaks with (marked as used after a successful synthesis).
    ids: Vec<String>,
}

/// A system voice, a voice id of the `moss_audio_` / `ttv-voice-` shapes, or a live designed/cloned voice.
fn voice_known(state: &SimState, voice_id: &str) -> bool {
    voices::is_known(voice_id) || custom_voices::is_custom(state, voice_id)
}

fn validate_voice(state: &SimState, f: &Fields<'_>, model: &str, async_api: bool) -> Result<Voice, ApiError> {
    let mut ids = Vec::new();
    let has_weights = f.opt_array("timbre_weights")?.is_some_and(|w| !w.is_empty());
    if let Some(weights) = f.opt_array("timbre_weights")? {
        if weights.len() > 4 {
            return Err(ApiError::invalid("timbre_weights", "at most 4 voices"));
        }
        for (i, item) in weights.iter().enumerate() {
            let id = item.get("voice_id").and_then(Value::as_str).unwrap_or("");
            let weight = item.get("weight").and_then(Value::as_i64).unwrap_or(0);
            ids.push(id.to_owned());
            if !voice_known(state, id) {
                return Err(ApiError::invalid(format!("timbre_weights[{i}].voice_id"), "unknown voice"));
            }
            if !(1..=100).contains(&weight) {
                return Err(ApiError::invalid(
                    format!("timbre_weights[{i}].weight"),
                    "must be an integer in [1, 100]",
                ));
            }
        }
    }
    let Some(voice) = f.opt_object("voice_setting")? else {
        if has_weights && !async_api {
            return Ok(Voice { speed: 1.0, ids });
        }
        return Err(ApiError::invalid("voice_setting", "is required"));
    };
    let voice_id = voice.opt_str("voice_id")?.unwrap_or("");
    if voice_id.is_empty() && !has_weights {
        return Err(ApiError::invalid("voice_setting.voice_id", "is required"));
    }
    if !voice_id.is_empty() {
        ids.push(voice_id.to_owned());
    }
    if !voice_id.is_empty() && !voice_known(state, voice_id) {
        return Err(ApiError::Base {
            code: 20132,
            message: format!("invalid samples or voice_id: {voice_id}"),
            kind: crate::envelope::OutcomeKind::Error,
        });
    }
    let speed = voice.opt_range("speed", 0.5, 2.0, false)?.unwrap_or(1.0);
    voice.opt_range("vol", 0.0, 10.0, true)?;
    if let Some(pitch) = voice.opt_i64("pitch")?
        && !(-12..=12).contains(&pitch)
    {
        return Err(ApiError::invalid("voice_setting.pitch", format!("{pitch} is outside [-12, 12]")));
    }
    match voice.opt_enum("emotion", EMOTIONS)? {
        Some("whisper") if !model.starts_with("speech-2.6") => {
            return Err(ApiError::invalid(
                "voice_setting.emotion",
                "whisper is only supported by speech-2.6-*",
            ));
        }
        Some("fluent") if !model.starts_with("speech-2.6") => {
            return Err(ApiError::invalid(
                "voice_setting.emotion",
                "fluent is only supported by speech-2.6-*",
            ));
        }
        _ => {}
    }
    voice.opt_bool(if async_api { "english_normalization" } else { "text_normalization" })?;
    voice.opt_bool("latex_read")?;
    f.opt_enum("language_boost", LANGUAGES)?;
    if let Some(modify) = f.opt_object("voice_modify")? {
        for name in ["pitch", "intensity", "timbre"] {
            if let Some(v) = modify.opt_i64(name)?
                && !(-100..=100).contains(&v)
            {
                return Err(ApiError::invalid(modify.path(name), format!("{v} is outside [-100, 100]")));
            }
        }
        modify
            .opt_enum("sound_effects", &["spacious_echo", "auditorium_echo", "lofi_telephone", "robotic"])?;
    }
    if let Some(dict) = f.opt_object("pronunciation_dict")?
        && let Some(tones) = dict.opt_array("tone")?
        && let Some(i) = tones.iter().position(|t| !t.as_str().is_some_and(|s| s.contains('/')))
    {
        return Err(ApiError::invalid(
            format!("pronunciation_dict.tone[{i}]"),
            "must be \"original/replacement\"",
        ));
    }
    Ok(Voice { speed, ids })
}

/// The validated audio settings.
struct AudioAsk {
    format: String,
    sample_rate: u32,
    channels: u16,
}

fn validate_audio(f: &Fields<'_>, async_api: bool) -> Result<AudioAsk, ApiError> {
    let Some(audio) = f.opt_object("audio_setting")? else {
        return Ok(AudioAsk { format: "mp3".into(), sample_rate: 32_000, channels: 1 });
    };
    let rate_field = if async_api { "audio_sample_rate" } else { "sample_rate" };
    let rates: &[i64] = &[8_000, 16_000, 22_050, 24_000, 32_000, 44_100];
    let sample_rate = audio.opt_int_enum(rate_field, rates)?.unwrap_or(32_000) as u32;
    audio.opt_int_enum("bitrate", &[32_000, 64_000, 128_000, 256_000])?;
    let formats: &[&str] = if async_api {
        &["mp3", "pcm", "flac"]
    } else {
        &["mp3", "pcm", "flac", "wav", "pcmu_raw", "pcmu_wav", "opus"]
    };
    let format = audio.opt_enum("format", formats)?.unwrap_or("mp3").to_owned();
    let channels = audio.opt_int_enum("channel", &[1, 2])?.unwrap_or(1) as u16;
    audio.opt_bool("force_cbr")?;
    Ok(AudioAsk { format, sample_rate, channels })
}

fn synthesize_or_refuse(ask: &AudioAsk, seconds: f64) -> Result<(Bytes, AudioInfo), ApiError> {
    synthesize(&ask.format, seconds, ask.sample_rate, ask.channels).ok_or_else(|| {
        ApiError::other(1000, format!("unknown error: the simulator cannot synthesize {} audio", ask.format))
    })
}

fn extra_info(info: &AudioInfo, text: &str, chars: u64) -> Value {
    json!({
        "audio_length": info.length_ms, "audio_sample_rate": info.sample_rate, "audio_size": info.size,
        "bitrate": info.bitrate, "word_count": word_count(text), "invisible_character_ratio": 0,
        "usage_characters": chars, "audio_format": info.format, "audio_channel": info.channels,
    })
}

/// Sentence subtitles `{text, time_begin, time_end}` (ms) spread over the audio length.
fn subtitles(text: &str, length_ms: u64) -> Value {
    let sentences: Vec<&str> = text
        .split_inclusive(['.', '!', '?', '。', '！', '？'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let total: usize = sentences.iter().map(|s| s.chars().count()).sum::<usize>().max(1);
    let mut at = 0u64;
    let items: Vec<Value> = sentences
        .iter()
        .map(|s| {
            let span = length_ms * s.chars().count() as u64 / total as u64;
            let item = json!({ "text": s, "time_begin": at, "time_end": at + span });
            at += span;
            item
        })
        .collect();
    Value::Array(items)
}

/// `POST /v1/t2a_v2`.
pub async fn t2a(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let model = f.req_enum("model", SYNC_MODELS)?;
    let text = f.req_str("text")?;
    f.check_len("text", text, 1, 9_999)?;
    let stream = f.opt_bool("stream")?.unwrap_or(false);
    let exclude_aggregated = match f.opt_object("stream_options")? {
        Some(options) => options.opt_bool("exclude_aggregated_audio")?.unwrap_or(false),
        None => false,
    };
    let voice = validate_voice(&state, &f, model, false)?;
    let ask = validate_audio(&f, false)?;
    if stream && ask.format == "wav" {
        return Err(ApiError::invalid("audio_setting.format", "wav is not supported when streaming"));
    }
    let output_format = f.opt_enum("output_format", &["hex", "url"])?.unwrap_or("hex");
    if stream && output_format == "url" {
        return Err(ApiError::invalid("output_format", "only hex is supported when streaming"));
    }
    let subtitle_enable = f.opt_bool("subtitle_enable")?.unwrap_or(false);
    if f.opt_enum("subtitle_type", &["sentence", "word", "word_streaming"])? == Some("word_streaming")
        && !stream
    {
        return Err(ApiError::invalid("subtitle_type", "word_streaming needs stream: true"));
    }
    let invisible = text
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace() || ('\u{200b}'..='\u{200f}').contains(c))
        .count();
    if invisible * 10 > text.chars().count() {
        return Err(ApiError::other(1042, "illegal characters exceed 10%"));
    }
    let config = state.config();
    let (seconds, chars) = speech_length(text, config.chars_per_second, voice.speed);
    let (audio, info) = synthesize_or_refuse(&ask, seconds)?;
    state.charge(key, quota::speech_cost(model, chars), false)?;
    custom_voices::mark_used(&state, &voice.ids);
    let extra = extra_info(&info, text, chars);
    let trace = request_trace_id();
    if stream {
        let events =
            audio_sse_events(&audio, &info.format, config.stream_chunks, &extra, &trace, !exclude_aggregated);
        return Ok(paced_sse(events, config.ttfb_ms, config.chunk_interval_ms));
    }
    let audio_field = audio_output_field(
        &state,
        output_format == "url",
        audio,
        &info,
        &trace,
        "t2a",
        config.media_url_ttl_ms,
    );
    let mut data = json!({ "audio": audio_field, "status": 2 });
    if subtitle_enable {
        let json_bytes = Bytes::from(subtitles(text, info.length_ms).to_string());
        let file = state.new_file(
            format!("{trace}.json"),
            "t2a",
            config.media_url_ttl_ms,
            FileContent::plain(json_bytes, "application/json"),
        );
        data["subtitle_file"] = Value::String(state.signed_url(&file));
        state.store_file(file);
    }
    Ok(ok_json(json!({ "data": data, "extra_info": extra, "trace_id": trace, "base_resp": base_ok() })))
}

/// The SSE events of streamed audio: `chunks` events with `status: 1` and a hex fragment (MP3 split on
/// frame boundaries), then a `status: 2` event with `extra_info` that repeats the whole audio unless
/// `aggregated` is false.
pub fn audio_sse_events(
    audio: &[u8],
    format: &str,
    chunks: u32,
    extra: &Value,
    trace: &str,
    aggregated: bool,
) -> Vec<String> {
    let pieces: Vec<String> = if format == "mp3" {
        let frames = mp3_frames(audio);
        split_ranges(frames.len(), chunks as usize)
            .into_iter()
            .map(|r| hex::encode(frames[r].concat()))
            .collect()
    } else {
        // Whole 4-byte groups (a stereo 16-bit frame) per chunk; the last chunk takes any tail.
        let groups = audio.len() / 4;
        split_ranges(groups, chunks as usize)
            .into_iter()
            .map(|r| hex::encode(&audio[r.start * 4..if r.end == groups { audio.len() } else { r.end * 4 }]))
            .collect()
    };
    let mut events: Vec<String> = pieces
        .into_iter()
        .map(|piece| {
            json!({ "data": { "audio": piece, "status": 1 }, "trace_id": trace,
                    "base_resp": { "status_code": 0, "status_msg": "" } })
            .to_string()
        })
        .collect();
    let whole = if aggregated { hex::encode(audio) } else { String::new() };
    events.push(
        json!({ "data": { "audio": whole, "status": 2 }, "extra_info": extra, "trace_id": trace,
                "base_resp": base_ok() })
        .to_string(),
    );
    events
}

/// The `data.audio` value of a finished synthesis (speech or music): with `as_url`, a signed link to a
/// stored file that expires after `url_ttl_ms`; else the audio as lowercase hex.
pub fn audio_output_field(
    state: &SimState,
    as_url: bool,
    audio: Bytes,
    info: &AudioInfo,
    trace: &str,
    purpose: &str,
    url_ttl_ms: u64,
) -> String {
    if !as_url {
        return hex::encode(&audio);
    }
    let content = FileContent::plain(audio, audio_mime(&info.format));
    let file = state.new_file(format!("{trace}.{}", info.format), purpose, url_ttl_ms, content);
    let url = state.signed_url(&file);
    state.store_file(file);
    url
}

/// The MIME type of an audio format.
pub fn audio_mime(format: &str) -> &'static str {
    match format {
        "mp3" => "audio/mpeg",
        "wav" | "pcmu_wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// `POST /v1/get_voice`: system voices, and designed / cloned voices once a synthesis has used them.
pub async fn get_voice(State(state): State<Arc<SimState>>, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let voice_type = f.req_enum("voice_type", &["system", "voice_cloning", "voice_generation", "all"])?;
    let system: Vec<Value> = voices::SYSTEM_VOICES
        .iter()
        .map(|(id, name, description)| {
            json!({ "voice_id": id, "voice_name": name, "description": [description], "created_time": "1970-01-01" })
        })
        .collect();
    let pick = |wanted: &str, list: Value| {
        if voice_type == "all" || voice_type == wanted { list } else { Value::Null }
    };
    Ok(ok_json(json!({
        "system_voice": pick("system", Value::Array(system)),
        "voice_cloning": pick("voice_cloning", Value::Array(custom_voices::listed(&state, CustomKind::Cloned))),
        "voice_generation": pick("voice_generation", Value::Array(custom_voices::listed(&state, CustomKind::Designed))),
        "base_resp": base_ok(),
    })))
}

/// `POST /v1/t2a_async_v2`.
pub async fn t2a_async(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    fail: Option<Extension<TaskFailInjected>>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let model = f.req_enum("model", ASYNC_MODELS)?;
    let text = match (f.opt_str("text")?, f.has("text_file_id")) {
        (Some(text), false) => {
            f.check_len("text", text, 1, 50_000)?;
            text
        }
        (None, true) => return Err(ApiError::invalid("text_file_id", "no such t2a_async_input file")),
        (Some(_), true) => {
            return Err(ApiError::invalid("text", "send either text or text_file_id, not both"));
        }
        (None, false) => return Err(ApiError::invalid("text", "text or text_file_id is required")),
    };
    let voice = validate_voice(&state, &f, model, true)?;
    let ask = validate_audio(&f, true)?;
    let config = state.config();
    let (seconds, chars) = speech_length(text, config.chars_per_second, voice.speed);
    let (audio, info) = synthesize_or_refuse(&ask, seconds)?;
    state.charge(key, quota::async_speech_cost(model, chars), false)?;
    custom_voices::mark_used(&state, &voice.ids);
    let task_id = numeric_id();
    let content = FileContent::plain(audio, audio_mime(&info.format));
    let output =
        state.new_file(format!("{task_id}.{}", info.format), "t2a_async", config.speech_url_ttl_ms, content);
    let file_id = output.file_id;
    let task = Task {
        kind: TaskKind::Speech,
        created_ms: state.clock.now_ms(),
        duration_ms: config.speech_task_ms,
        fail: fail.is_some(),
        size: (0, 0),
        output,
    };
    state.lock().tasks.insert(task_id, task);
    Ok(ok_json(json!({
        "task_id": task_id, "task_token": format!("eyJhbGciOiJSUzI1NiJ9.{}", trace_id()), "file_id": file_id,
        "usage_characters": chars, "base_resp": base_ok(),
    })))
}

/// Reads and checks the `task_id` query parameter.
pub fn task_id_param(query: &HashMap<String, String>) -> Result<u64, ApiError> {
    let raw = query.get("task_id").map(String::as_str).unwrap_or("");
    if raw.is_empty() {
        return Err(ApiError::invalid("task_id", "is required"));
    }
    raw.parse().map_err(|_| ApiError::invalid("task_id", "must be a numeric task id"))
}

/// `GET /v1/query/t2a_async_query_v2?task_id=`.
pub async fn t2a_async_query(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let task_id = task_id_param(&query)?;
    state.settle_tasks();
    let now = state.clock.now_ms();
    let task = state.lock().tasks.get(&task_id).filter(|t| t.kind == TaskKind::Speech).cloned();
    let Some(task) = task else {
        return Err(ApiError::invalid("task_id", format!("no such task {task_id}")));
    };
    let done_at = task.created_ms + task.duration_ms;
    let status = if now < done_at {
        "Processing"
    } else if task.fail {
        "Failed"
    } else if now >= done_at + task.output.url_ttl_ms {
        "Expired"
    } else {
        "Success"
    };
    Ok(ok_json(
        json!({ "task_id": task_id, "status": status, "file_id": task.output.file_id, "base_resp": base_ok() }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_follows_the_text_and_pauses() {
        let (seconds, chars) = speech_length("Hello world, fifteen chars.", 15.0, 1.0);
        assert_eq!(chars, 27);
        assert!((seconds - 1.8).abs() < 1e-9);
        let (paused, chars) = speech_length("Hi<#1.5#>there", 15.0, 1.0);
        assert_eq!(chars, 7);
        assert!((paused - (7.0 / 15.0 + 1.5)).abs() < 1e-9);
        assert_eq!(word_count("Hello, world! 你好"), 4);
    }
}
