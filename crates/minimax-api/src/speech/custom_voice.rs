//! Designed and cloned voices: `POST /v1/voice_design`, `POST /v1/voice_clone` and
//! `POST /v1/delete_voice` (minimax-api.md §3.3–3.5, minimax-api-2026.md §4.3–4.5).
//!
//! A designed or cloned voice is charged at its first real synthesis, appears in `get_voice` only after
//! that, and is deleted after 7 days unused. Cloning needs real-name verification (`2038`); a clone that
//! fails keeps its uploaded `file_id`, so retry with the same id rather than uploading again.

use std::borrow::Cow;

use serde::{Deserialize, Serialize, Serializer};

use super::{AudioExtraInfo, LANGUAGE_BOOSTS, SPEECH_MODELS, Speech};
use crate::envelope::{BaseResp, decode_body, decode_reply, enveloped, enveloped_and_traced};
use crate::error::{Error, RawBody, Result};
use crate::hex::decode_hex;
use crate::transport::{CallKind, RequestSpec};
use crate::validation::{Bounds, Checked, ValidationError, check_len, check_one_of, check_opt_range};
use crate::wire::{opt_count, opt_cow_str};

const DESIGN_PATH: &str = "/v1/voice_design";
const CLONE_PATH: &str = "/v1/voice_clone";
const DELETE_PATH: &str = "/v1/delete_voice";

/// Preview text of a design, in characters.
pub const MAX_DESIGN_PREVIEW_CHARS: usize = 500;
/// Preview text of a clone, in characters.
pub const MAX_CLONE_PREVIEW_CHARS: usize = 1_000;
/// `text_validation` of a clone, in characters.
pub const MAX_TEXT_VALIDATION_CHARS: usize = 200;
/// `voice_type` values of `/v1/delete_voice` (system voices cannot be deleted).
pub const DELETABLE_VOICE_TYPES: &[&str] = &["voice_cloning", "voice_generation"];

/// Why a voice call was refused, from the error table (minimax-api.md §8), for a message the user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VoiceRefusal {
    /// 2038: cloning needs personal or enterprise real-name verification.
    RealNameVerification,
    /// 1043: the sample did not read as `text_validation` (ASR similarity below `accuracy`).
    AsrSimilarity,
    /// 1044: the prompt clip did not match its text.
    PromptSimilarity,
    /// 2039: the voice id is taken (deleted ids cannot be reused either).
    DuplicateVoiceId,
    /// 20132: the sample or the voice id is invalid.
    InvalidSampleOrVoiceId,
    /// 2037: the sample is shorter than 10 s or longer than 5 min.
    SampleDuration,
    /// 2042: the key has no access to this voice id.
    NoAccess,
    /// 2048: the prompt clip is 8 s or longer.
    PromptAudioTooLong,
}

impl VoiceRefusal {
    /// The refusal of a MiniMax code, if it is a voice code.
    pub fn from_code(code: i64) -> Option<VoiceRefusal> {
        Some(match code {
            2038 => VoiceRefusal::RealNameVerification,
            1043 => VoiceRefusal::AsrSimilarity,
            1044 => VoiceRefusal::PromptSimilarity,
            2039 => VoiceRefusal::DuplicateVoiceId,
            20132 => VoiceRefusal::InvalidSampleOrVoiceId,
            2037 => VoiceRefusal::SampleDuration,
            2042 => VoiceRefusal::NoAccess,
            2048 => VoiceRefusal::PromptAudioTooLong,
            _ => return None,
        })
    }

    /// The refusal behind an error, if it is a voice refusal.
    pub fn of(error: &Error) -> Option<VoiceRefusal> {
        VoiceRefusal::from_code(error.code()?)
    }
}

/// Checks a custom voice id: 8–256 characters, starting with a letter, letters / digits / `-` / `_`, not
/// ending with `-` or `_`.
pub fn check_voice_id(field: &str, voice_id: &str) -> Checked {
    let allowed = "8–256 characters: a letter first, then letters, digits, - or _, not ending in - or _";
    let len = voice_id.chars().count();
    let first_letter = voice_id.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let charset = voice_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let ending = !voice_id.ends_with(['-', '_']);
    if (8..=256).contains(&len) && first_letter && charset && ending {
        return Ok(());
    }
    Err(ValidationError::new(field, format!("{voice_id:?}"), allowed))
}

/// A `/v1/voice_design` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceDesignRequest {
    /// The voice described in words (required).
    pub prompt: String,
    /// What the preview says (required, ≤ 500 characters; billed).
    pub preview_text: String,
    /// An id of your own (see [`check_voice_id`]); the server makes a `ttv-voice-…` id otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    /// Watermark the preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aigc_watermark: Option<bool>,
}

impl VoiceDesignRequest {
    /// Checks §3.5.
    pub fn validate(&self) -> Checked {
        crate::validation::check_not_blank("prompt", &self.prompt)?;
        check_len("preview_text", &self.preview_text, 1, MAX_DESIGN_PREVIEW_CHARS)?;
        crate::validation::check_not_blank("preview_text", &self.preview_text)?;
        match &self.voice_id {
            Some(voice_id) => check_voice_id("voice_id", voice_id),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct DesignWire<'a> {
    #[serde(default)]
    voice_id: Option<String>,
    #[serde(borrow, default, deserialize_with = "opt_cow_str")]
    trial_audio: Option<Cow<'a, str>>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}
enveloped!(DesignWire<'a>);

/// A designed voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceDesign {
    /// The new voice (`ttv-voice-…`); usable at once, charged at its first real synthesis.
    pub voice_id: String,
    /// The preview, decoded (mp3); empty when the server sent none.
    pub trial_audio: Vec<u8>,
    /// The `Trace-Id` header, else the body's `trace_id`.
    pub trace_id: Option<String>,
}

/// `clone_prompt`: a short clip (uploaded with purpose `prompt_audio`) and the words it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClonePrompt {
    /// The clip's file id (sent as a number).
    #[serde(serialize_with = "as_int64")]
    pub prompt_audio: String,
    /// Exactly what the clip says, ending with punctuation.
    pub prompt_text: String,
}

/// A `/v1/voice_clone` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VoiceCloneRequest {
    /// The sample's file id (purpose `voice_clone`; sent as a number, kept as text).
    #[serde(serialize_with = "as_int64")]
    pub file_id: String,
    /// The new voice's id (see [`check_voice_id`]); must be unused.
    pub voice_id: String,
    /// A prompt clip that steers the clone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clone_prompt: Option<ClonePrompt>,
    /// Preview text (≤ 1,000 characters, billed like T2A); needs `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The preview's speech model (only with `text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// One of the speech `language_boost` values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_boost: Option<String>,
    /// What the sample says, checked by ASR (≤ 200 characters; `1043` below `accuracy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_validation: Option<String>,
    /// `[0, 1]`, default 0.7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    /// Denoise the sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_noise_reduction: Option<bool>,
    /// Normalise the sample's volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_volume_normalization: Option<bool>,
    /// Watermark the preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aigc_watermark: Option<bool>,
}

/// Ids are kept as text and sent as the int64 the spec asks for.
fn as_int64<S: Serializer>(id: &str, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    match id.parse::<i64>() {
        Ok(number) => serializer.serialize_i64(number),
        Err(_) => serializer.serialize_str(id),
    }
}

fn check_file_id(field: &str, file_id: &str) -> Checked {
    if !file_id.is_empty() && file_id.len() <= 19 && file_id.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(ValidationError::new(field, format!("{file_id:?}"), "a file id from /v1/files/upload"))
}

impl VoiceCloneRequest {
    /// Checks §3.4.
    pub fn validate(&self) -> Checked {
        check_file_id("file_id", &self.file_id)?;
        check_voice_id("voice_id", &self.voice_id)?;
        if let Some(prompt) = &self.clone_prompt {
            check_file_id("clone_prompt.prompt_audio", &prompt.prompt_audio)?;
            crate::validation::check_not_blank("clone_prompt.prompt_text", &prompt.prompt_text)?;
            if !prompt
                .prompt_text
                .trim_end()
                .ends_with(['.', '!', '?', ',', ';', ':', '。', '！', '？', '，', '；', '…'])
            {
                return Err(ValidationError::new(
                    "clone_prompt.prompt_text",
                    "does not end with punctuation",
                    "the clip's words, ending with punctuation",
                ));
            }
        }
        match (&self.text, &self.model) {
            (Some(text), Some(model)) => {
                check_len("text", text, 1, MAX_CLONE_PREVIEW_CHARS)?;
                check_one_of("model", &model.as_str(), SPEECH_MODELS)?;
            }
            (Some(_), None) => {
                return Err(ValidationError::new("model", "missing with preview text", "a speech model"));
            }
            (None, Some(_)) => {
                return Err(ValidationError::new(
                    "model",
                    "set without preview text",
                    "model only with text",
                ));
            }
            (None, None) => {}
        }
        if let Some(boost) = &self.language_boost {
            check_one_of("language_boost", &boost.as_str(), LANGUAGE_BOOSTS)?;
        }
        if let Some(validation) = &self.text_validation {
            check_len("text_validation", validation, 1, MAX_TEXT_VALIDATION_CHARS)?;
        }
        check_opt_range("accuracy", self.accuracy, 0.0, 1.0, Bounds::Inclusive)
    }
}

/// A cloned voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceClone {
    /// The preview was flagged.
    #[serde(default)]
    pub input_sensitive: Option<bool>,
    /// Why it was flagged.
    #[serde(default, deserialize_with = "opt_count")]
    pub input_sensitive_type: Option<i64>,
    /// A URL of the preview (empty without preview text): download it at once.
    #[serde(default)]
    pub demo_audio: Option<String>,
    /// The preview's length, size, billed characters…
    #[serde(default)]
    pub extra_info: Option<AudioExtraInfo>,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VoiceClone);

impl VoiceClone {
    /// The preview URL, when there is one.
    pub fn demo_audio_url(&self) -> Option<&str> {
        self.demo_audio.as_deref().filter(|url| !url.is_empty())
    }
}

/// A `/v1/delete_voice` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteVoiceRequest {
    /// `voice_cloning` or `voice_generation`.
    pub voice_type: String,
    /// The voice.
    pub voice_id: String,
}

/// The answer of a delete (only `base_resp` is documented, loosely).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedVoice {
    /// The voice, when echoed.
    #[serde(default)]
    pub voice_id: Option<String>,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(DeletedVoice);

impl Speech<'_> {
    /// `POST /v1/voice_design`: a voice from a description, with its preview decoded. Paid (the preview).
    pub async fn design_voice(self, request: &VoiceDesignRequest) -> Result<VoiceDesign> {
        request.validate()?;
        let spec = RequestSpec::post(DESIGN_PATH, request, CallKind::Paid)?;
        self.client
            .execute(&spec, |reply| {
                let wire: DesignWire<'_> =
                    decode_body(DESIGN_PATH, &reply.body, reply.status, reply.trace_id.as_deref())?;
                let trace_id = reply.trace_id.clone().or(wire.trace_id);
                let fail = |reason: String| Error::Decode {
                    endpoint: DESIGN_PATH.to_owned(),
                    reason,
                    trace_id: trace_id.clone(),
                    body: RawBody::from_bytes(&reply.body),
                };
                let voice_id =
                    wire.voice_id.filter(|id| !id.is_empty()).ok_or_else(|| fail("no voice_id".into()))?;
                let trial_audio = match wire.trial_audio.as_deref() {
                    Some(hex) if !hex.is_empty() => {
                        decode_hex(hex).map_err(|e| fail(format!("trial_audio: {e}")))?
                    }
                    _ => Vec::new(),
                };
                Ok(VoiceDesign { voice_id, trial_audio, trace_id })
            })
            .await
    }

    /// `POST /v1/voice_clone`: a voice from an uploaded sample. Paid (the preview; the clone itself is
    /// charged at its first real synthesis). On failure keep the `file_id` and retry with it.
    pub async fn clone_voice(self, request: &VoiceCloneRequest) -> Result<VoiceClone> {
        request.validate()?;
        let spec = RequestSpec::post(CLONE_PATH, request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_reply::<VoiceClone>(CLONE_PATH, reply)).await
    }

    /// `POST /v1/delete_voice`: deletes a cloned or designed voice (its id cannot be used again).
    pub async fn delete_voice(self, request: &DeleteVoiceRequest) -> Result<DeletedVoice> {
        check_one_of("voice_type", &request.voice_type.as_str(), DELETABLE_VOICE_TYPES)?;
        crate::validation::check_not_blank("voice_id", &request.voice_id)?;
        let spec = RequestSpec::post(DELETE_PATH, request, CallKind::Idempotent)?;
        self.client.execute(&spec, |reply| decode_reply::<DeletedVoice>(DELETE_PATH, reply)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clone() -> VoiceCloneRequest {
        VoiceCloneRequest {
            file_id: "205258526306433".into(),
            voice_id: "StudioNarrator01".into(),
            text: Some("This is how I will sound in your film.".into()),
            model: Some("speech-2.8-hd".into()),
            ..VoiceCloneRequest::default()
        }
    }

    #[test]
    fn voice_ids_follow_the_documented_rules() {
        for ok in ["StudioNarrator01", "abcdefgh", "a-b_c-d1", &format!("a{}", "b".repeat(255))] {
            assert!(check_voice_id("voice_id", ok).is_ok(), "{ok}");
        }
        for bad in ["short1", "1abcdefgh", "abcdefg-", "abcdefg_", "abc defgh", "abcdéfgh", &"a".repeat(257)]
        {
            assert!(check_voice_id("voice_id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn clone_requests_serialize_ids_as_numbers_and_check_their_fields() {
        let json = serde_json::to_value(clone()).expect("json");
        assert_eq!(json["file_id"], 205_258_526_306_433_i64);
        assert!(json.get("clone_prompt").is_none());
        assert!(clone().validate().is_ok());
        let prompt = ClonePrompt { prompt_audio: "7".into(), prompt_text: "Hello there.".into() };
        let with_prompt = VoiceCloneRequest { clone_prompt: Some(prompt), ..clone() };
        assert!(with_prompt.validate().is_ok());
        assert_eq!(serde_json::to_value(&with_prompt).expect("json")["clone_prompt"]["prompt_audio"], 7);
        let cases: Vec<(VoiceCloneRequest, &str)> = vec![
            (VoiceCloneRequest { file_id: "abc".into(), ..clone() }, "file_id"),
            (VoiceCloneRequest { voice_id: "x".into(), ..clone() }, "voice_id"),
            (VoiceCloneRequest { model: None, ..clone() }, "model"),
            (VoiceCloneRequest { text: None, ..clone() }, "model"),
            (VoiceCloneRequest { text: Some("x".repeat(1_001)), ..clone() }, "text"),
            (VoiceCloneRequest { model: Some("speech-9".into()), ..clone() }, "model"),
            (VoiceCloneRequest { accuracy: Some(1.5), ..clone() }, "accuracy"),
            (VoiceCloneRequest { text_validation: Some("x".repeat(201)), ..clone() }, "text_validation"),
            (VoiceCloneRequest { language_boost: Some("Klingon".into()), ..clone() }, "language_boost"),
            (
                VoiceCloneRequest {
                    clone_prompt: Some(ClonePrompt {
                        prompt_audio: "7".into(),
                        prompt_text: "no stop".into(),
                    }),
                    ..clone()
                },
                "clone_prompt.prompt_text",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(request.validate().expect_err(field).field, field);
        }
    }

    #[test]
    fn design_requests_and_refusals() {
        let design = VoiceDesignRequest {
            prompt: "Warm, low female narrator".into(),
            preview_text: "Good evening.".into(),
            ..VoiceDesignRequest::default()
        };
        assert!(design.validate().is_ok());
        assert_eq!(
            VoiceDesignRequest { preview_text: "x".repeat(501), ..design.clone() }
                .validate()
                .unwrap_err()
                .field,
            "preview_text"
        );
        assert_eq!(
            VoiceDesignRequest { prompt: " ".into(), ..design.clone() }.validate().unwrap_err().field,
            "prompt"
        );
        assert_eq!(
            VoiceDesignRequest { voice_id: Some("bad".into()), ..design }.validate().unwrap_err().field,
            "voice_id"
        );
        assert_eq!(VoiceRefusal::from_code(2038), Some(VoiceRefusal::RealNameVerification));
        assert_eq!(VoiceRefusal::from_code(1043), Some(VoiceRefusal::AsrSimilarity));
        assert_eq!(VoiceRefusal::from_code(2039), Some(VoiceRefusal::DuplicateVoiceId));
        assert_eq!(VoiceRefusal::from_code(1002), None);
    }
}
