//! The voice workspace's shapes, as the UI, the command line and a film's cast see them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::VoiceKind;
use crate::pricing::Cost;
use crate::storage::{Job, Media};

/// The model a preview uses unless told otherwise: Turbo costs half of HD (300 requests per 1,000
/// characters against 600), and a preview is for choosing a voice, not for the final take.
pub const PREVIEW_MODEL: &str = "speech-2.8-turbo";
/// The most voices one audition runs (a grid the keyboard's 1–9 reach, plus a few).
pub const MAX_AUDITION_VOICES: usize = 12;
/// MiniMax deletes a designed or cloned voice not used in a real synthesis within this long (168 h).
pub const CUSTOM_VOICE_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// How a voice speaks: what a preset saves, a preview or audition uses, and a film character keeps
/// (`studio_film`'s `Voice` is this plus the voice id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceSettings {
    /// `speech-2.8-turbo` (the preview default), `speech-2.8-hd`, …
    pub model: String,
    /// `[0.5, 2]`; absent: 1.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// `[-12, 12]`; absent: 0.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// One of the model's emotions; absent: the model picks.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        VoiceSettings { model: PREVIEW_MODEL.to_owned(), speed: None, pitch: None, emotion: None }
    }
}

/// A voice to preview or audition, with what it tells about itself (its language is read from this).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceRef {
    /// The voice id.
    pub voice_id: String,
    /// Its display name (the id when unknown).
    #[serde(default)]
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// Its language, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl From<&super::VoiceInfo> for VoiceRef {
    fn from(info: &super::VoiceInfo) -> Self {
        VoiceRef {
            voice_id: info.voice_id.clone(),
            name: info.name.clone(),
            description: info.description.clone(),
            language: info.language.clone(),
        }
    }
}

/// One take of an audition or preview: a job (made now, or a cached one replayed for free).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceTake {
    /// The voice.
    pub voice_id: String,
    /// Its name.
    pub voice_name: String,
    /// The job (its state, cost and request).
    pub job: Job,
    /// Its files once done (the audio first).
    pub media: Vec<Media>,
    /// Replayed from the library: nothing was spent now.
    pub cached: bool,
    /// A favourite take.
    pub starred: bool,
}

/// "My line in these voices": the takes, in the order the voices were picked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Audition {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The line (empty: each voice said its own sample line).
    pub text: String,
    /// How the takes were made.
    pub settings: VoiceSettings,
    /// One take per voice.
    pub takes: Vec<VoiceTake>,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
}

/// What one voice of an audition will cost before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TakeQuote {
    /// The voice.
    pub voice_id: String,
    /// What it says (the line, or its own sample line).
    pub text: String,
    /// Its cost now: zero when a cached take replays.
    pub cost: Cost,
    /// A take with the same text and settings is in the library.
    pub cached: bool,
}

/// The cost of an audition before the click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditionQuote {
    /// Per voice.
    pub takes: Vec<TakeQuote>,
    /// The known costs added up (cached takes count nothing).
    pub total_requests: u32,
    /// Some take's price is not in the table (needs a confirmation).
    pub unknown: bool,
    /// What the plan window holds now.
    #[ts(type = "number")]
    pub remaining: u64,
}

/// A saved voice with its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoicePreset {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its name (unique, case-insensitively).
    pub name: String,
    /// The voice.
    pub voice_id: String,
    /// Model, speed, pitch, emotion.
    pub settings: VoiceSettings,
}

/// A voice designed or cloned here, with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomVoice {
    /// The voice id.
    pub voice_id: String,
    /// Designed or cloned.
    pub kind: VoiceKind,
    /// The name given to it.
    pub name: String,
    /// The design's description, or the sample's file name.
    pub description: String,
    /// Its language, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The design or clone job (its preview is that job's file).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// Made in demo mode.
    pub demo: bool,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
    /// When a real synthesis first used it (from then on MiniMax keeps it).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_used_at_ms: Option<i64>,
    /// When it was deleted here.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at_ms: Option<i64>,
    /// Where it stands now.
    pub status: VoiceStatus,
}

/// Whether a voice can be spoken with, told before anything is spent on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum VoiceStatus {
    /// A MiniMax voice (by its naming).
    System,
    /// A designed or cloned voice that can be used; unless used in a real synthesis first, it is deleted at
    /// `expires_at_ms`.
    Available {
        /// When MiniMax deletes it if still unused; absent once used.
        #[ts(optional, type = "number")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at_ms: Option<i64>,
    },
    /// Its design or clone job has not finished.
    Creating,
    /// Its design or clone failed (a retry reuses the uploaded sample).
    Failed,
    /// Deleted by MiniMax: unused for 7 days.
    Expired {
        /// When.
        #[ts(type = "number")]
        expired_at_ms: i64,
    },
    /// Deleted here.
    Deleted {
        /// When.
        #[ts(type = "number")]
        deleted_at_ms: i64,
    },
    /// Neither a MiniMax voice nor one made here (made elsewhere, or a typo).
    Unknown,
}

impl VoiceStatus {
    /// Whether a synthesis with it can be sent.
    pub fn usable(&self) -> bool {
        matches!(self, VoiceStatus::System | VoiceStatus::Available { .. } | VoiceStatus::Unknown)
    }
}

/// A clone sample as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceSample {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The file's name as picked (shown, never used as a path).
    pub file_name: String,
    /// Bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// Measured length.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// MiniMax's file id once uploaded.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_file_id: Option<String>,
}

/// What a designed or cloned voice costs beyond its preview: MiniMax charges a fee at its first real use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FirstUseCharge {
    /// The fee on pay-as-you-go for this region, as MiniMax states it (`¥9.90`).
    pub pay_as_you_go: String,
    /// The plan's requests for it; absent: the plan's table does not price it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_requests: Option<u32>,
}

/// The cost of designing or cloning a voice, shown before the click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceMakingQuote {
    /// The preview, now.
    pub preview: Cost,
    /// What the plan window holds now.
    #[ts(type = "number")]
    pub remaining: u64,
    /// The fee at its first real use.
    pub first_use: FirstUseCharge,
    /// When MiniMax deletes it if it is not used in a real synthesis by then (from now).
    #[ts(type = "number")]
    pub expires_at_ms: i64,
}
