//! What the film screen says about its jobs — which slot a job fills, why it cannot be sent yet, what the
//! cheaper path changes — as data, not sentences: the UI words them in the user's language, the command line
//! (which stays English) through [`std::fmt::Display`].

use std::fmt;

use serde::{Deserialize, Serialize};
use studio_core::voices::VoiceStatus;
use ts_rs::TS;

/// Which slot of the film a job fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum JobLabel {
    /// Shot `shot`'s keyframe (shots count from 1).
    Keyframe {
        /// The shot's number.
        shot: u32,
    },
    /// Shot `shot`'s clip.
    Clip {
        /// The shot's number.
        shot: u32,
    },
    /// A spoken line of shot `shot`.
    Line {
        /// The shot's number.
        shot: u32,
        /// Who speaks it.
        speaker: String,
        /// Its first words (at most 40 characters).
        excerpt: String,
    },
    /// The film's music bed.
    Music,
}

impl fmt::Display for JobLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobLabel::Keyframe { shot } => write!(f, "Shot {shot} keyframe"),
            JobLabel::Clip { shot } => write!(f, "Shot {shot} clip"),
            JobLabel::Line { shot, speaker, excerpt } => write!(f, "Shot {shot} · {speaker}: “{excerpt}”"),
            JobLabel::Music => f.write_str("Music bed"),
        }
    }
}

/// Why a job cannot be sent yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum JobProblem {
    /// The speaker is a cast member without a voice.
    NoVoice {
        /// The character.
        speaker: String,
    },
    /// The speaker's designed or cloned voice cannot be spoken with: expired (unused for 7 days), deleted,
    /// never made (its design or clone failed) or still being made.
    VoiceUnusable {
        /// The character.
        speaker: String,
        /// Their voice.
        voice_id: String,
        /// Where it stands.
        status: VoiceStatus,
    },
    /// The music cue has no prompt.
    NoMusicPrompt,
    /// A character's reference image is gone from the library.
    ReferenceDeleted {
        /// The character.
        character: String,
        /// The image, relative to the library folder.
        path: String,
    },
    /// The clip starts from the shot's keyframe, and none is chosen.
    NeedsKeyframe,
    /// First+last frame needs the next shot's chosen keyframe.
    NeedsNextKeyframe,
    /// The clip starts from the previous shot's last frame, and that shot has no chosen clip.
    NeedsPreviousClip,
    /// Refused when it was about to be sent (MiniMax's documented limits, or the previous clip's last frame
    /// could not be taken); the reason as studio-core or ffmpeg gave it.
    Refused {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for JobProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobProblem::NoVoice { speaker } => {
                write!(f, "{speaker} has no voice yet: choose one in the cast panel")
            }
            JobProblem::VoiceUnusable { speaker, voice_id, status } => {
                let why = match status {
                    VoiceStatus::Expired { .. } => "expired (MiniMax deletes a voice unused for 7 days)",
                    VoiceStatus::Deleted { .. } => "was deleted",
                    VoiceStatus::Failed => "was never made (its design or clone failed)",
                    VoiceStatus::Creating => "is still being made",
                    _ => "cannot be used",
                };
                write!(f, "{speaker}'s voice {voice_id} {why}: choose another in the cast panel")
            }
            JobProblem::NoMusicPrompt => f.write_str("the music cue has no prompt"),
            JobProblem::ReferenceDeleted { character, path } => {
                write!(f, "{character}'s reference image {path} was deleted: add another or remove it")
            }
            JobProblem::NeedsKeyframe => f.write_str("make and choose its keyframe first"),
            JobProblem::NeedsNextKeyframe => {
                f.write_str("the next shot needs a chosen keyframe for first+last frame")
            }
            JobProblem::NeedsPreviousClip => f.write_str("the previous shot needs a chosen clip first"),
            JobProblem::Refused { reason } => write!(f, "not sent: {reason}"),
        }
    }
}

/// A job that was not sent (or would not be), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BlockedJob {
    /// The slot.
    pub label: JobLabel,
    /// Why.
    pub problem: JobProblem,
}

impl fmt::Display for BlockedJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.problem)
    }
}

/// One change the cheaper path makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CheaperChange {
    /// `count` clips made as drafts with `model` at `resolution`.
    DraftClips {
        /// How many clips.
        count: u32,
        /// The draft model.
        model: String,
        /// Its resolution.
        resolution: String,
    },
    /// `count` lines voiced with the Turbo model of their voice's model.
    TurboLines {
        /// How many lines.
        count: u32,
    },
}

impl fmt::Display for CheaperChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheaperChange::DraftClips { count, model, resolution } => {
                write!(f, "{count} clips as {model} {resolution} drafts")
            }
            CheaperChange::TurboLines { count } => write!(f, "{count} lines with Turbo voices"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_reads_the_same_sentences_as_before() {
        let blocked = BlockedJob {
            label: JobLabel::Line { shot: 3, speaker: "Mara".into(), excerpt: "This one".into() },
            problem: JobProblem::NoVoice { speaker: "Mara".into() },
        };
        assert_eq!(
            blocked.to_string(),
            "Shot 3 · Mara: “This one”: Mara has no voice yet: choose one in the cast panel"
        );
        assert_eq!(JobLabel::Clip { shot: 2 }.to_string(), "Shot 2 clip");
        let expired = JobProblem::VoiceUnusable {
            speaker: "Mara".into(),
            voice_id: "tpsc-Mara-1".into(),
            status: VoiceStatus::Expired { expired_at_ms: 9 },
        };
        assert_eq!(
            expired.to_string(),
            "Mara's voice tpsc-Mara-1 expired (MiniMax deletes a voice unused for 7 days): choose another in the cast panel"
        );
        assert_eq!(CheaperChange::TurboLines { count: 4 }.to_string(), "4 lines with Turbo voices");
    }

    #[test]
    fn the_ui_gets_data_not_sentences() {
        let value = serde_json::to_value(BlockedJob {
            label: JobLabel::Keyframe { shot: 1 },
            problem: JobProblem::ReferenceDeleted { character: "Ada".into(), path: "media/4-0.png".into() },
        })
        .unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "label": { "kind": "keyframe", "shot": 1 },
                "problem": { "kind": "referenceDeleted", "character": "Ada", "path": "media/4-0.png" },
            })
        );
        let deleted = JobProblem::VoiceUnusable {
            speaker: "Ada".into(),
            voice_id: "tpsd-Ada-1".into(),
            status: VoiceStatus::Deleted { deleted_at_ms: 7 },
        };
        assert_eq!(
            serde_json::to_value(deleted).unwrap(),
            serde_json::json!({
                "kind": "voiceUnusable", "speaker": "Ada", "voiceId": "tpsd-Ada-1",
                "status": { "status": "deleted", "deletedAtMs": 7 },
            })
        );
    }
}
