//! Previews and auditions that do not waste quota.
//!
//! A preview is an ordinary speech job (the runner shows its cost first and charges it once, so it stays in
//! the ledger at its true cost) marked `preview` and keyed by what it says and how ([`preview_key`]). Asked
//! again with the same text and settings, the take in the library is replayed for free; one still on its
//! way is joined rather than paid twice. An audition is one preview per picked voice, run as one batch.

use sha2::{Digest, Sha256};

use super::model::{
    Audition, AuditionQuote, MAX_AUDITION_VOICES, TakeQuote, VoiceRef, VoiceSettings, VoiceTake,
};
use super::sample_line::{SampleLanguage, VoiceMetadata};
use crate::error::{CoreError, Result};
use crate::pricing::{self, Cost};
use crate::request::{GenerationRequest, JobParams, SpeechDelivery, SpeechParams};
use crate::runner::{Runner, SubmitOptions};
use crate::storage::voice_rows::AuditionTakeRow;
use crate::storage::{JobWithMedia, SharedLibrary};

/// Bumped when what a key covers changes, so old keys stop matching instead of matching wrongly.
const KEY_VERSION: &str = "pv1";

/// The cache key of a preview: every setting that changes the sound (voice, model, text, speed, pitch,
/// emotion, volume, format, sample rate, language hint), with the API's defaults written out so "speed 1"
/// and "no speed" are one key. Whitespace around the text does not count. Delivery does not count either:
/// streamed and whole-file audio of the same request sound the same.
pub fn preview_key(p: &SpeechParams) -> String {
    let number = |value: Option<f64>, default: f64| format!("{:.2}", value.unwrap_or(default));
    let canonical = serde_json::json!([
        KEY_VERSION,
        p.voice_id,
        p.model.to_ascii_lowercase(),
        p.text.trim(),
        number(p.speed, 1.0),
        p.pitch.unwrap_or(0),
        p.emotion.as_deref().unwrap_or(""),
        number(p.volume, 1.0),
        p.format(),
        p.sample_rate.unwrap_or(0),
        p.language_boost.as_deref().unwrap_or(""),
    ]);
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{KEY_VERSION}-{hex}")
}

/// The cache key a job is stored with: previews only.
pub fn preview_key_of(params: &JobParams) -> Option<String> {
    match params.request()? {
        GenerationRequest::Speech(p) if p.preview => Some(preview_key(p)),
        _ => None,
    }
}

/// The request of one preview: `text`, or the voice's own sample line in its language.
pub fn preview_request(voice: &VoiceRef, text: &str, settings: &VoiceSettings) -> SpeechParams {
    let (text, language_boost) = if text.trim().is_empty() {
        let language = SampleLanguage::of_voice(VoiceMetadata {
            voice_id: &voice.voice_id,
            name: &voice.name,
            description: &voice.description,
            language: voice.language.as_deref(),
        });
        (language.line().to_owned(), Some(language.language_boost().to_owned()))
    } else {
        (text.trim().to_owned(), None)
    };
    SpeechParams {
        model: settings.model.clone(),
        text,
        voice_id: voice.voice_id.clone(),
        delivery: SpeechDelivery::Sync,
        speed: settings.speed,
        volume: None,
        pitch: settings.pitch,
        emotion: settings.emotion.clone(),
        format: None,
        sample_rate: None,
        subtitles: false,
        language_boost,
        preview: true,
    }
}

fn take_of(voice: &VoiceRef, found: JobWithMedia, cached: bool, starred: bool) -> VoiceTake {
    VoiceTake {
        voice_id: voice.voice_id.clone(),
        voice_name: if voice.name.is_empty() { voice.voice_id.clone() } else { voice.name.clone() },
        job: found.job,
        media: found.media,
        cached,
        starred,
    }
}

/// Plays a voice: a cached take replays for free, else a preview job is submitted (its cost was shown by
/// [`quote_audition`] with one voice). `fresh` skips the cache (a keep-alive must really synthesize).
pub fn preview_voice(
    runner: &Runner,
    library: &SharedLibrary,
    voice: &VoiceRef,
    text: &str,
    settings: &VoiceSettings,
    fresh: bool,
) -> Result<VoiceTake> {
    let params = preview_request(voice, text, settings);
    let key = preview_key(&params);
    let demo = runner.is_demo();
    if !fresh && let Some(found) = library.with(|lib| lib.cached_preview(&key, demo))? {
        let starred = library.with(|lib| lib.take_starred(found.job.id))?;
        let cached = found.job.state.is_finished();
        return Ok(take_of(voice, found, cached, starred));
    }
    let job = runner.submit(&GenerationRequest::Speech(params), SubmitOptions::default())?;
    Ok(take_of(voice, JobWithMedia { job, media: Vec::new() }, false, false))
}

fn check_voices(voices: &[VoiceRef]) -> Result<()> {
    if voices.is_empty() {
        return Err(CoreError::InvalidRequest("pick at least one voice".into()));
    }
    if voices.len() > MAX_AUDITION_VOICES {
        return Err(CoreError::InvalidRequest(format!(
            "an audition takes at most {MAX_AUDITION_VOICES} voices ({} picked)",
            voices.len()
        )));
    }
    Ok(())
}

/// What an audition will cost: each voice's take, zero for those the library already holds (in the demo's
/// or the real ledger, `demo`), beside what the plan window holds (`remaining`). Calls nothing.
pub fn quote_audition(
    library: &SharedLibrary,
    demo: bool,
    remaining: u64,
    text: &str,
    voices: &[VoiceRef],
    settings: &VoiceSettings,
) -> Result<AuditionQuote> {
    check_voices(voices)?;
    let mut takes = Vec::with_capacity(voices.len());
    let (mut total, mut unknown) = (0u32, false);
    for voice in voices {
        let params = preview_request(voice, text, settings);
        let cached = library.with(|lib| lib.cached_preview(&preview_key(&params), demo))?.is_some();
        let request = GenerationRequest::Speech(params);
        let cost = if cached { Cost::Requests(0) } else { pricing::estimate(&request.cost_input(None)) };
        match cost.requests() {
            Some(n) => total = total.saturating_add(n),
            None => unknown = true,
        }
        let GenerationRequest::Speech(params) = request else { continue };
        takes.push(TakeQuote { voice_id: voice.voice_id.clone(), text: params.text, cost, cached });
    }
    Ok(AuditionQuote { takes, total_requests: total, unknown, remaining })
}

/// Runs an audition as one batch: a take per voice (cached ones replay), recorded so its grid can be
/// reopened.
pub fn run_audition(
    runner: &Runner,
    library: &SharedLibrary,
    text: &str,
    voices: &[VoiceRef],
    settings: &VoiceSettings,
) -> Result<Audition> {
    check_voices(voices)?;
    // Check every request before sending any, so a bad setting never leaves half a batch paid for.
    for voice in voices {
        let request = GenerationRequest::Speech(preview_request(voice, text, settings));
        request.to_call(library.root()).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
    }
    let mut takes = Vec::with_capacity(voices.len());
    for voice in voices {
        takes.push(preview_voice(runner, library, voice, text, settings, false)?);
    }
    let rows: Vec<AuditionTakeRow> = takes
        .iter()
        .map(|t| AuditionTakeRow {
            voice_id: t.voice_id.clone(),
            voice_name: t.voice_name.clone(),
            job_id: t.job.id,
            cached: t.cached,
        })
        .collect();
    let settings_json = serde_json::to_string(settings)?;
    let now = runner.now_ms();
    let demo = runner.is_demo();
    let id = library.with(|lib| lib.insert_audition(text.trim(), &settings_json, demo, now, &rows))?;
    Ok(Audition { id, text: text.trim().to_owned(), settings: settings.clone(), takes, created_at_ms: now })
}

/// An audition as it stands now (its takes' jobs and files re-read).
pub fn audition(library: &SharedLibrary, id: i64) -> Result<Option<Audition>> {
    library.with(|lib| {
        let Some(row) = lib.audition(id)? else { return Ok(None) };
        let settings: VoiceSettings = serde_json::from_str(&row.settings_json).unwrap_or_default();
        let mut takes = Vec::with_capacity(row.takes.len());
        for take in row.takes {
            // A take whose job was deleted from the Library leaves the grid.
            let Ok(found) = lib.job_with_media(take.job_id) else { continue };
            let starred = lib.take_starred(take.job_id)?;
            let voice = VoiceRef { voice_id: take.voice_id, name: take.voice_name, ..VoiceRef::default() };
            takes.push(take_of(&voice, found, take.cached, starred));
        }
        Ok(Some(Audition { id: row.id, text: row.text, settings, takes, created_at_ms: row.created_at_ms }))
    })
}

/// Epoch ms now (auditions are records of when they ran, not pricing: the wall clock is right here).
pub(super) fn now_ms() -> i64 {
    crate::runner::Clock::now_ms(&crate::runner::SystemClock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(id: &str, description: &str) -> VoiceRef {
        VoiceRef { voice_id: id.into(), name: id.into(), description: description.into(), language: None }
    }

    #[test]
    fn the_key_covers_what_changes_the_sound_and_nothing_else() {
        let base = preview_request(
            &voice("English_CalmWoman", "A calm voice"),
            "Hello there.",
            &VoiceSettings::default(),
        );
        let key = preview_key(&base);
        assert!(key.starts_with("pv1-") && key.len() == 4 + 32, "{key}");
        let same = [
            SpeechParams { text: "  Hello there.\n".into(), ..base.clone() },
            SpeechParams { speed: Some(1.0), pitch: Some(0), volume: Some(1.0), ..base.clone() },
            SpeechParams { delivery: SpeechDelivery::Stream, ..base.clone() },
            SpeechParams { format: Some("mp3".into()), ..base.clone() },
        ];
        for params in same {
            assert_eq!(preview_key(&params), key, "{params:?}");
        }
        let different = [
            SpeechParams { text: "Hello there!".into(), ..base.clone() },
            SpeechParams { voice_id: "English_Wiselady".into(), ..base.clone() },
            SpeechParams { model: "speech-2.8-hd".into(), ..base.clone() },
            SpeechParams { speed: Some(1.1), ..base.clone() },
            SpeechParams { pitch: Some(-2), ..base.clone() },
            SpeechParams { emotion: Some("happy".into()), ..base.clone() },
            SpeechParams { volume: Some(2.0), ..base.clone() },
            SpeechParams { format: Some("wav".into()), ..base.clone() },
            SpeechParams { language_boost: Some("English".into()), ..base.clone() },
        ];
        for params in different {
            assert_ne!(preview_key(&params), key, "{params:?}");
        }
    }

    #[test]
    fn only_previews_are_keyed() {
        let preview = preview_request(&voice("English_CalmWoman", ""), "", &VoiceSettings::default());
        let key = preview_key_of(&JobParams::Request(GenerationRequest::Speech(preview.clone())));
        assert_eq!(key, Some(preview_key(&preview)));
        let generation = SpeechParams { preview: false, ..preview };
        assert_eq!(preview_key_of(&JobParams::Request(GenerationRequest::Speech(generation))), None);
        assert_eq!(preview_key_of(&JobParams::seeded()), None);
    }

    #[test]
    fn an_empty_line_speaks_the_voices_own_sample_in_turbo() {
        let settings = VoiceSettings::default();
        let japanese = preview_request(&voice("moss_audio_1", "A calm voice in Japanese."), "", &settings);
        assert_eq!(japanese.text, SampleLanguage::Japanese.line());
        assert_eq!(japanese.language_boost.as_deref(), Some("Japanese"));
        assert_eq!(japanese.model, "speech-2.8-turbo");
        assert!(japanese.preview);
        let mine =
            preview_request(&voice("moss_audio_1", "A calm voice in Japanese."), " My line. ", &settings);
        assert_eq!((mine.text.as_str(), mine.language_boost), ("My line.", None));
    }
}
