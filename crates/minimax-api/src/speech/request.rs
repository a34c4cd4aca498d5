//! Speech request types (sync `/v1/t2a_v2`, async `/v1/t2a_async_v2`, `/v1/get_voice`) and their
//! documented limits (minimax-api.md §3). Enumerations are strings checked against the documented
//! lists, so a new model only needs a list update.

use serde::{Deserialize, Serialize};

use super::model_rules::{check_interjections, emotion_allowed, emotions_for};

use crate::validation::{
    Bounds, Checked, ValidationError, check_len, check_one_of, check_opt_one_of, check_opt_range,
    check_range, join,
};

/// Models of the synchronous T2A API.
pub const SPEECH_MODELS: &[&str] = &[
    "speech-2.8-hd",
    "speech-2.8-turbo",
    "speech-2.6-hd",
    "speech-2.6-turbo",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-01-hd",
    "speech-01-turbo",
];
/// Models of the asynchronous T2A API. speech-2.8 is priced for async long text on the CN pay-as-you-go
/// page (minimax-api-2026.md §4.1), so it is supported there.
pub const ASYNC_SPEECH_MODELS: &[&str] = &[
    "speech-2.8-hd",
    "speech-2.8-turbo",
    "speech-2.6-hd",
    "speech-2.6-turbo",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-01-hd",
    "speech-01-turbo",
];
/// `voice_setting.emotion` values.
pub const EMOTIONS: &[&str] =
    &["happy", "sad", "angry", "fearful", "disgusted", "surprised", "calm", "fluent", "whisper"];
/// `audio_setting.sample_rate` values (sync).
pub const SAMPLE_RATES: &[u32] = &[8000, 16000, 22050, 24000, 32000, 44100];
/// `audio_setting.bitrate` values.
pub const BITRATES: &[u32] = &[32000, 64000, 128000, 256000];
/// `audio_setting.format` values (sync).
pub const FORMATS: &[&str] = &["mp3", "pcm", "flac", "wav", "pcmu_raw", "pcmu_wav", "opus"];
/// `audio_setting.format` values (async).
pub const ASYNC_FORMATS: &[&str] = &["mp3", "pcm", "flac"];
/// `audio_setting.channel` values.
pub const CHANNELS: &[u8] = &[1, 2];
/// `voice_modify.sound_effects` values.
pub const SOUND_EFFECTS: &[&str] = &["spacious_echo", "auditorium_echo", "lofi_telephone", "robotic"];
/// `subtitle_type` values.
pub const SUBTITLE_TYPES: &[&str] = &["sentence", "word", "word_streaming"];
/// `voice_type` values of `/v1/get_voice`.
pub const VOICE_TYPES: &[&str] = &["system", "voice_cloning", "voice_generation", "all"];
/// `language_boost` values.
pub const LANGUAGE_BOOSTS: &[&str] = &[
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
/// Sync text limit: fewer than 10,000 characters.
pub const MAX_SYNC_TEXT_CHARS: usize = 9_999;
/// Async text limit.
pub const MAX_ASYNC_TEXT_CHARS: usize = 50_000;

/// Hex (default) or a URL valid for 24 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    /// Hex-encoded audio inside the JSON.
    Hex,
    /// A URL to download (non-streaming only).
    Url,
}

/// `voice_setting` of the sync API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VoiceSetting {
    /// System, cloned or designed voice id (empty when `timbre_weights` is used).
    pub voice_id: String,
    /// `[0.5, 2]`, default 1.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// `(0, 10]`, default 1.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vol: Option<f64>,
    /// `[-12, 12]`, default 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// One of [`EMOTIONS`]; omitted ⇒ the model picks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
    /// Read digits as words (sync name; async calls it `english_normalization`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_normalization: Option<bool>,
    /// Read LaTeX formulas in `$$…$$` (Chinese only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latex_read: Option<bool>,
}

/// `audio_setting` of the sync API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioSetting {
    /// One of [`SAMPLE_RATES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// One of [`BITRATES`] (mp3 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u32>,
    /// One of [`FORMATS`]; default mp3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// 1 or 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<u8>,
    /// Constant bitrate, streamed mp3 only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_cbr: Option<bool>,
}

/// `pronunciation_dict`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PronunciationDict {
    /// `"original/replacement"` rules.
    pub tone: Vec<String>,
}

/// One entry of the legacy `timbre_weights` voice mix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimbreWeight {
    /// The voice to mix in.
    pub voice_id: String,
    /// `[1, 100]`.
    pub weight: u32,
}

/// `voice_modify` effects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceModify {
    /// `[-100, 100]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// `[-100, 100]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensity: Option<i32>,
    /// `[-100, 100]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timbre: Option<i32>,
    /// One of [`SOUND_EFFECTS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sound_effects: Option<String>,
}

/// `stream_options` of a streamed synthesis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeechStreamOptions {
    /// `true` ⇒ the final event does not repeat the whole audio.
    pub exclude_aggregated_audio: bool,
}

/// A `/v1/t2a_v2` request. `stream` is set by the call used (`synthesize` / `synthesize_stream`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpeechRequest {
    /// One of [`SPEECH_MODELS`].
    pub model: String,
    /// The text, fewer than 10,000 characters; `<#x#>` pauses with x in `[0.01, 99.99]`.
    pub text: String,
    /// Set by `synthesize_stream`.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub stream: bool,
    /// Streaming options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<SpeechStreamOptions>,
    /// The voice.
    pub voice_setting: VoiceSetting,
    /// The audio encoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_setting: Option<AudioSetting>,
    /// Pronunciation rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronunciation_dict: Option<PronunciationDict>,
    /// Legacy voice mix, up to 4 voices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timbre_weights: Option<Vec<TimbreWeight>>,
    /// One of [`LANGUAGE_BOOSTS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_boost: Option<String>,
    /// Voice effects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_modify: Option<VoiceModify>,
    /// Ask for a subtitle file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle_enable: Option<bool>,
    /// One of [`SUBTITLE_TYPES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle_type: Option<String>,
    /// Hex (default) or URL (non-streaming only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<OutputFormat>,
}

impl SpeechRequest {
    /// A minimal request: model, text and voice.
    pub fn new(model: impl Into<String>, text: impl Into<String>, voice_id: impl Into<String>) -> Self {
        SpeechRequest {
            model: model.into(),
            text: text.into(),
            voice_setting: VoiceSetting { voice_id: voice_id.into(), ..VoiceSetting::default() },
            ..SpeechRequest::default()
        }
    }

    /// Checks every documented limit of §3.1.
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), SPEECH_MODELS)?;
        check_len("text", &self.text, 1, MAX_SYNC_TEXT_CHARS)?;
        check_pauses(&self.text)?;
        check_interjections(&self.model, &self.text)?;
        let mixing = self.timbre_weights.as_ref().is_some_and(|w| !w.is_empty());
        if self.voice_setting.voice_id.trim().is_empty() && !mixing {
            return Err(ValidationError::new(
                "voice_setting.voice_id",
                "is empty",
                "a voice id (or timbre_weights)",
            ));
        }
        check_voice(&self.model, &self.voice_setting)?;
        let format = self.audio_setting.as_ref().and_then(|a| a.format.as_deref()).unwrap_or("mp3");
        if let Some(audio) = &self.audio_setting {
            check_opt_one_of("audio_setting.sample_rate", audio.sample_rate.as_ref(), SAMPLE_RATES)?;
            check_opt_one_of("audio_setting.bitrate", audio.bitrate.as_ref(), BITRATES)?;
            check_one_of("audio_setting.format", &format, FORMATS)?;
            check_opt_one_of("audio_setting.channel", audio.channel.as_ref(), CHANNELS)?;
            if audio.force_cbr == Some(true) && !(self.stream && format == "mp3") {
                return Err(ValidationError::new(
                    "audio_setting.force_cbr",
                    "set outside a streamed mp3",
                    "streamed mp3 only",
                ));
            }
        }
        if self.stream {
            if self.output_format == Some(OutputFormat::Url) {
                return Err(ValidationError::new(
                    "output_format",
                    "url while streaming",
                    "hex when streaming",
                ));
            }
            if format == "wav" {
                return Err(ValidationError::new(
                    "audio_setting.format",
                    "wav while streaming",
                    "a format other than wav when streaming",
                ));
            }
        } else if self.subtitle_type.as_deref() == Some("word_streaming") {
            return Err(ValidationError::new(
                "subtitle_type",
                "word_streaming without streaming",
                "sentence, word",
            ));
        }
        check_opt_one_of("subtitle_type", self.subtitle_type.as_deref().as_ref(), SUBTITLE_TYPES)?;
        if let Some(weights) = &self.timbre_weights {
            if weights.len() > 4 {
                return Err(ValidationError::new(
                    "timbre_weights",
                    format!("{} voices", weights.len()),
                    "up to 4 voices",
                ));
            }
            for weight in weights {
                check_range("timbre_weights.weight", weight.weight, 1, 100, Bounds::Inclusive)?;
            }
        }
        check_language_boost(&self.model, self.language_boost.as_deref())?;
        if let Some(modify) = &self.voice_modify {
            check_voice_modify(modify)?;
            let allowed: &[&str] = if self.stream { &["mp3"] } else { &["mp3", "wav", "flac"] };
            check_one_of("voice_modify (audio_setting.format)", &format, allowed)?;
        }
        check_pronunciation(self.pronunciation_dict.as_ref())
    }
}

/// `voice_setting` of the async API (`english_normalization` instead of `text_normalization`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AsyncVoiceSetting {
    /// The voice id.
    pub voice_id: String,
    /// `[0.5, 2]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// `(0, 10]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vol: Option<f64>,
    /// `[-12, 12]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// One of [`EMOTIONS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
    /// Read digits as words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub english_normalization: Option<bool>,
    /// Read LaTeX formulas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latex_read: Option<bool>,
}

/// `audio_setting` of the async API (`audio_sample_rate`, not `sample_rate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncAudioSetting {
    /// Sample rate, default 32000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_sample_rate: Option<u32>,
    /// One of [`BITRATES`], default 128000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u32>,
    /// One of [`ASYNC_FORMATS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// 1 or 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<u8>,
}

/// A `/v1/t2a_async_v2` request: exactly one of `text` (≤ 50,000 chars) or `text_file_id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AsyncSpeechRequest {
    /// One of [`ASYNC_SPEECH_MODELS`].
    pub model: String,
    /// The text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An uploaded text file (purpose `t2a_async_input`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_file_id: Option<i64>,
    /// The voice.
    pub voice_setting: AsyncVoiceSetting,
    /// The audio encoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_setting: Option<AsyncAudioSetting>,
    /// Pronunciation rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronunciation_dict: Option<PronunciationDict>,
    /// One of [`LANGUAGE_BOOSTS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_boost: Option<String>,
    /// Voice effects (mp3 and flac).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_modify: Option<VoiceModify>,
}

impl AsyncSpeechRequest {
    /// Checks every documented limit of §3.2.
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), ASYNC_SPEECH_MODELS)?;
        match (&self.text, self.text_file_id) {
            (Some(text), None) => {
                check_len("text", text, 1, MAX_ASYNC_TEXT_CHARS)?;
                check_pauses(text)?;
                check_interjections(&self.model, text)?;
            }
            (None, Some(_)) => {}
            _ => {
                return Err(ValidationError::new(
                    "text",
                    "text and text_file_id",
                    "exactly one of text or text_file_id",
                ));
            }
        }
        let voice = &self.voice_setting;
        if voice.voice_id.trim().is_empty() {
            return Err(ValidationError::new("voice_setting.voice_id", "is empty", "a voice id"));
        }
        check_opt_range("voice_setting.speed", voice.speed, 0.5, 2.0, Bounds::Inclusive)?;
        check_opt_range("voice_setting.vol", voice.vol, 0.0, 10.0, Bounds::ExclusiveMin)?;
        check_opt_range("voice_setting.pitch", voice.pitch, -12, 12, Bounds::Inclusive)?;
        check_emotion(&self.model, voice.emotion.as_deref())?;
        let format = self.audio_setting.as_ref().and_then(|a| a.format.as_deref()).unwrap_or("mp3");
        if let Some(audio) = &self.audio_setting {
            check_opt_one_of(
                "audio_setting.audio_sample_rate",
                audio.audio_sample_rate.as_ref(),
                SAMPLE_RATES,
            )?;
            check_opt_one_of("audio_setting.bitrate", audio.bitrate.as_ref(), BITRATES)?;
            check_one_of("audio_setting.format", &format, ASYNC_FORMATS)?;
            check_opt_one_of("audio_setting.channel", audio.channel.as_ref(), CHANNELS)?;
        }
        check_language_boost(&self.model, self.language_boost.as_deref())?;
        if let Some(modify) = &self.voice_modify {
            check_voice_modify(modify)?;
            check_one_of("voice_modify (audio_setting.format)", &format, &["mp3", "flac"])?;
        }
        check_pronunciation(self.pronunciation_dict.as_ref())
    }
}

/// A `/v1/get_voice` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoicesRequest {
    /// One of [`VOICE_TYPES`].
    pub voice_type: String,
}

impl VoicesRequest {
    /// Checks `voice_type`.
    pub fn validate(&self) -> Checked {
        check_one_of("voice_type", &self.voice_type.as_str(), VOICE_TYPES)
    }
}

fn check_voice(model: &str, voice: &VoiceSetting) -> Checked {
    check_opt_range("voice_setting.speed", voice.speed, 0.5, 2.0, Bounds::Inclusive)?;
    check_opt_range("voice_setting.vol", voice.vol, 0.0, 10.0, Bounds::ExclusiveMin)?;
    check_opt_range("voice_setting.pitch", voice.pitch, -12, 12, Bounds::Inclusive)?;
    check_emotion(model, voice.emotion.as_deref())
}

/// Emotions per model, see [`emotions_for`].
fn check_emotion(model: &str, emotion: Option<&str>) -> Checked {
    let Some(emotion) = emotion else { return Ok(()) };
    check_one_of("voice_setting.emotion", &emotion, EMOTIONS)?;
    if !emotion_allowed(model, emotion) {
        return Err(ValidationError::new(
            "voice_setting.emotion",
            format!("{emotion} is not supported by {model}"),
            join(&emotions_for(model)),
        ));
    }
    Ok(())
}

fn check_language_boost(model: &str, boost: Option<&str>) -> Checked {
    let Some(boost) = boost else { return Ok(()) };
    check_one_of("language_boost", &boost, LANGUAGE_BOOSTS)?;
    let older = model.starts_with("speech-01") || model.starts_with("speech-02");
    if older && matches!(boost, "Persian" | "Filipino" | "Tamil") {
        return Err(ValidationError::new(
            "language_boost",
            format!("{boost} with {model}"),
            "speech-2.6/2.8 models for Persian, Filipino, Tamil",
        ));
    }
    Ok(())
}

fn check_voice_modify(modify: &VoiceModify) -> Checked {
    check_opt_range("voice_modify.pitch", modify.pitch, -100, 100, Bounds::Inclusive)?;
    check_opt_range("voice_modify.intensity", modify.intensity, -100, 100, Bounds::Inclusive)?;
    check_opt_range("voice_modify.timbre", modify.timbre, -100, 100, Bounds::Inclusive)?;
    check_opt_one_of("voice_modify.sound_effects", modify.sound_effects.as_deref().as_ref(), SOUND_EFFECTS)
}

fn check_pronunciation(dict: Option<&PronunciationDict>) -> Checked {
    for rule in dict.map(|d| d.tone.as_slice()).unwrap_or_default() {
        let parts: Vec<&str> = rule.splitn(2, '/').collect();
        if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
            return Err(ValidationError::new(
                "pronunciation_dict.tone",
                format!("{rule:?}"),
                "\"original/replacement\"",
            ));
        }
    }
    Ok(())
}

/// Pause markers `<#x#>`: x seconds in `[0.01, 99.99]`, and never two markers in a row.
pub fn check_pauses(text: &str) -> Checked {
    let mut rest = text;
    let mut previous_end: Option<usize> = None;
    let mut offset = 0;
    while let Some(start) = rest.find("<#") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("#>") else { break };
        let value = &after[..end];
        let seconds: f64 = value.parse().map_err(|_| {
            ValidationError::new(
                "text",
                format!("pause <#{value}#>"),
                "<#x#> with x seconds in [0.01, 99.99]",
            )
        })?;
        if !(0.01..=99.99).contains(&seconds) {
            return Err(ValidationError::new(
                "text",
                format!("pause <#{value}#>"),
                "<#x#> with x seconds in [0.01, 99.99]",
            ));
        }
        let absolute_start = offset + start;
        if previous_end.is_some_and(|prev| text[prev..absolute_start].trim().is_empty()) {
            return Err(ValidationError::new(
                "text",
                "two pause markers in a row",
                "pause markers between speakable text",
            ));
        }
        let consumed = start + 2 + end + 2;
        offset += consumed;
        previous_end = Some(offset);
        rest = &rest[consumed..];
    }
    Ok(())
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
