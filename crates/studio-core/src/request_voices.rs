//! The requests that make a voice: a design from words, a clone from an uploaded sample (part of
//! [`super::GenerationRequest`], so they run through the runner with their cost shown first and their
//! preview charged once in the ledger).

use minimax_api::speech::{VoiceCloneRequest, VoiceDesignRequest};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::RequestProblem;

/// A voice designed from words. The voice id is ours, chosen before the call, so the library knows the voice
/// even when the answer is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceDesignParams {
    /// The voice described in words.
    pub prompt: String,
    /// What the preview says (≤ 500 characters; billed at the Turbo rate).
    pub preview_text: String,
    /// The new voice's id.
    pub voice_id: String,
}

/// A voice cloned from a sample already uploaded (the file id is kept, so a retry never uploads again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceCloneParams {
    /// The sample's file id (`/v1/files/upload`, purpose `voice_clone`).
    pub file_id: String,
    /// The new voice's id.
    pub voice_id: String,
    /// What the preview says (≤ 1,000 characters; billed like speech with `model`).
    pub preview_text: String,
    /// The preview's model.
    pub model: String,
    /// A language hint for the preview.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_boost: Option<String>,
    /// Denoise the sample.
    #[serde(default)]
    pub noise_reduction: bool,
    /// Even out the sample's volume.
    #[serde(default)]
    pub volume_normalization: bool,
}

/// The model a design preview is billed as (the simulator and MiniMax's CN page: the Turbo rate).
pub const VOICE_DESIGN_PRICED_AS: &str = "speech-2.8-turbo";
/// The model name a design job and its ledger rows carry.
pub const VOICE_DESIGN_MODEL: &str = "voice-design";

impl VoiceDesignParams {
    /// The wire request, checked.
    pub(crate) fn to_call(&self) -> Result<VoiceDesignRequest, RequestProblem> {
        let request = VoiceDesignRequest {
            prompt: self.prompt.clone(),
            preview_text: self.preview_text.clone(),
            voice_id: Some(self.voice_id.clone()),
            aigc_watermark: None,
        };
        request.validate()?;
        Ok(request)
    }
}

impl VoiceCloneParams {
    /// The wire request, checked.
    pub(crate) fn to_call(&self) -> Result<VoiceCloneRequest, RequestProblem> {
        let request = VoiceCloneRequest {
            file_id: self.file_id.clone(),
            voice_id: self.voice_id.clone(),
            text: Some(self.preview_text.clone()),
            model: Some(self.model.clone()),
            language_boost: self.language_boost.clone(),
            need_noise_reduction: self.noise_reduction.then_some(true),
            need_volume_normalization: self.volume_normalization.then_some(true),
            ..VoiceCloneRequest::default()
        };
        request.validate()?;
        Ok(request)
    }
}
