//! The voice workspace.
//!
//! * This module: the voice browser's list — every voice `get_voice` returns, with the language, gender and
//!   kind the browser filters on, read from MiniMax's naming (`Language_Name`, `Language (Dialect)_Name`,
//!   legacy ids such as `male-qn-qingse`) and descriptions — plus the voices made here that MiniMax does
//!   not list yet (it lists a designed or cloned voice only after its first use).
//! * [`sample_line`]: the short line a preview speaks, in the voice's own language.
//! * [`preview`]: previews and auditions that replay from the library instead of paying twice.
//! * [`custom`]: designing and cloning (through the runner), the 7-day rule, [`voice_status`].
//! * [`clone_sample`]: the checks a clone sample passes before it is uploaded.
//! * [`model`]: the shapes the UI, the command line and a film's cast use.

pub mod clone_sample;
pub mod custom;
pub mod model;
pub mod preview;
pub mod sample_line;

pub use clone_sample::{DecodedSample, SampleCheck, SampleFacts, SampleProblem, check_sample};
pub use custom::{
    CloneAsk, DesignAsk, QuoteContext, VoiceError, clone_voice, custom_voice, custom_voices,
    delete_custom_voice, design_voice, first_use_charge, keep_voice_alive, quote_clone, quote_design,
    upload_sample, voice_status,
};
pub use model::*;
pub use preview::{
    audition, preview_key, preview_key_of, preview_request, preview_voice, quote_audition, run_audition,
};
pub use sample_line::{SampleLanguage, VoiceMetadata};

use minimax_api::MiniMaxClient;
use minimax_api::speech::{Voice, VoiceList, VoicesRequest};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a voice comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum VoiceKind {
    /// One of MiniMax's voices.
    System,
    /// Cloned from the user's recording.
    Cloned,
    /// Designed from a description.
    Designed,
}

/// A voice's apparent gender, when its name or description says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum VoiceGender {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// One voice as the browser lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoiceInfo {
    /// The id to synthesize with.
    pub voice_id: String,
    /// Display name (the id when the server gives none).
    pub name: String,
    /// The description, one line.
    pub description: String,
    /// System, cloned or designed.
    pub kind: VoiceKind,
    /// The language, e.g. `English`, `Chinese (Mandarin)`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Gender, when the name or description tells.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<VoiceGender>,
}

/// The language of a voice id: the part before the first `_` of `Language_Name` ids; legacy ids are
/// Mandarin.
pub fn language_of(voice_id: &str) -> Option<String> {
    match voice_id.split_once('_') {
        Some((lang, _)) if lang.chars().next().is_some_and(char::is_uppercase) => Some(lang.to_owned()),
        _ if voice_id.starts_with("male-")
            || voice_id.starts_with("female-")
            || voice_id.starts_with("presenter_")
            || voice_id.starts_with("audiobook_") =>
        {
            Some("Chinese (Mandarin)".to_owned())
        }
        _ => None,
    }
}

/// The gender a voice's id, name or description states (female words are checked first: "female"
/// contains "male").
pub fn gender_of(voice_id: &str, name: &str, description: &str) -> Option<VoiceGender> {
    let text = format!("{voice_id} {name} {description}").to_lowercase();
    const FEMALE: [&str; 12] = [
        "female", "woman", "lady", "girl", "princess", "(f)", "（f)", "女", "queen", "mother", "sister",
        "she ",
    ];
    const MALE: [&str; 9] = ["male", "man", "men", "guy", "bloke", "boy", "gentleman", "男", "(m)"];
    if FEMALE.iter().any(|w| text.contains(w)) {
        Some(VoiceGender::Female)
    } else if MALE.iter().any(|w| text.contains(w)) {
        Some(VoiceGender::Male)
    } else {
        None
    }
}

fn info(voice: Voice, kind: VoiceKind) -> VoiceInfo {
    let name = voice.voice_name.clone().unwrap_or_else(|| voice.voice_id.clone());
    let description = voice.description.join(" ");
    VoiceInfo {
        language: language_of(&voice.voice_id),
        gender: gender_of(&voice.voice_id, &name, &description),
        voice_id: voice.voice_id,
        name,
        description,
        kind,
    }
}

/// Flattens the server's three lists into one, system voices first.
pub fn from_list(list: VoiceList) -> Vec<VoiceInfo> {
    let system = list.system_voice.into_iter().map(|v| info(v, VoiceKind::System));
    let cloned = list.voice_cloning.into_iter().map(|v| info(v, VoiceKind::Cloned));
    let designed = list.voice_generation.into_iter().map(|v| info(v, VoiceKind::Designed));
    system.chain(cloned).chain(designed).collect()
}

/// Every voice the key may use (free: `get_voice` is not billed).
pub async fn list_voices(client: &MiniMaxClient) -> minimax_api::Result<Vec<VoiceInfo>> {
    let list = client.speech().voices(&VoicesRequest { voice_type: "all".into() }).await?;
    Ok(from_list(list))
}

/// The server's list with the voices made here: a listed one gets the name it was given here, and a usable
/// one MiniMax does not list yet (unused so far) is added after the others.
pub fn with_custom_voices(mut voices: Vec<VoiceInfo>, custom: &[CustomVoice]) -> Vec<VoiceInfo> {
    for made in custom {
        let info = VoiceInfo {
            voice_id: made.voice_id.clone(),
            name: made.name.clone(),
            description: made.description.clone(),
            kind: made.kind,
            language: made.language.clone(),
            gender: gender_of(&made.voice_id, &made.name, &made.description),
        };
        match voices.iter_mut().find(|v| v.voice_id == made.voice_id) {
            Some(listed) => *listed = info,
            None if made.status.usable() => voices.push(info),
            None => {}
        }
    }
    voices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_genders_from_names() {
        assert_eq!(language_of("English_Graceful_Lady").as_deref(), Some("English"));
        assert_eq!(language_of("Chinese (Mandarin)_Warm_Girl").as_deref(), Some("Chinese (Mandarin)"));
        assert_eq!(language_of("male-qn-qingse").as_deref(), Some("Chinese (Mandarin)"));
        assert_eq!(language_of("moss_audio_123"), None);
        assert_eq!(gender_of("English_Graceful_Lady", "Graceful Lady", ""), Some(VoiceGender::Female));
        assert_eq!(gender_of("female-shaonv", "少女音色", ""), Some(VoiceGender::Female));
        assert_eq!(gender_of("English_Aussie_Bloke", "Aussie Bloke", ""), Some(VoiceGender::Male));
        assert_eq!(gender_of("x", "Narrator", "A calm voice"), None);
    }
}
