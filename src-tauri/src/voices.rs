//! The Voices screen's commands (issue 18): the shortlist and favourite takes, named presets, an audition
//! (its cost first, then one batch; cached takes replay for free), voice design and cloning (the sample
//! checked before upload, consent, the 7-day rule and keep-alive). Each makes one call into
//! `studio_core::voices`; the A/B compare of takes is the player's (`player.rs`), which owns the device.

use std::io::Read;
use std::path::{Path, PathBuf};

use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::SharedLibrary;
use studio_core::voices::{
    self, Audition, AuditionQuote, CloneAsk, CustomVoice, DecodedSample, DesignAsk, QuoteContext,
    SampleCheck, SampleFacts, VoiceMakingQuote, VoicePreset, VoiceRef, VoiceSample, VoiceSettings, VoiceTake,
};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::blocking;
use crate::settings_store::load_settings;
use crate::studio::Studio;

/// Bytes of a sample's start read to sniff its container (the checks need the first 12).
const SAMPLE_HEAD_BYTES: usize = 16;

fn now_ms() -> i64 {
    SystemClock.now_ms()
}

/// The shortlist: starred voice ids, most recently starred first.
#[tauri::command]
pub async fn list_starred_voices(library: State<'_, SharedLibrary>) -> Result<Vec<String>, IpcError> {
    blocking::with_library(&library, |lib| lib.starred_voices()).await
}

/// Stars or unstars a voice; returns the shortlist as it now is.
#[tauri::command]
pub async fn set_voice_starred(
    library: State<'_, SharedLibrary>,
    voice_id: String,
    starred: bool,
) -> Result<Vec<String>, IpcError> {
    blocking::with_library(&library, move |lib| {
        lib.set_voice_starred(&voice_id, starred, now_ms())?;
        lib.starred_voices()
    })
    .await
}

/// Marks a take (its job) as a favourite or not; returns whether it now is.
#[tauri::command]
pub async fn set_take_starred(
    library: State<'_, SharedLibrary>,
    job_id: i64,
    starred: bool,
) -> Result<bool, IpcError> {
    blocking::with_library(&library, move |lib| {
        lib.set_take_starred(job_id, starred, now_ms())?;
        lib.take_starred(job_id)
    })
    .await
}

/// Every named preset (voice, model, speed, pitch, emotion), by name.
#[tauri::command]
pub async fn list_voice_presets(library: State<'_, SharedLibrary>) -> Result<Vec<VoicePreset>, IpcError> {
    blocking::with_library(&library, |lib| lib.voice_presets()).await
}

/// Saves a preset under `name` (a preset of the same name, in any case, is replaced).
#[tauri::command]
pub async fn save_voice_preset(
    library: State<'_, SharedLibrary>,
    name: String,
    voice_id: String,
    settings: VoiceSettings,
) -> Result<VoicePreset, IpcError> {
    let name = name.trim().to_owned();
    if name.is_empty() || voice_id.trim().is_empty() {
        return Err(IpcError::new(IpcErrorKind::InvalidInput, "a preset needs a name and a voice"));
    }
    blocking::with_library(&library, move |lib| lib.save_voice_preset(&name, &voice_id, &settings, now_ms()))
        .await
}

/// Deletes a preset; `false` when there was none.
#[tauri::command]
pub async fn delete_voice_preset(library: State<'_, SharedLibrary>, id: i64) -> Result<bool, IpcError> {
    blocking::with_library(&library, move |lib| lib.delete_voice_preset(id)).await
}

/// What an audition of `voices` saying `text` would cost (cached takes free), beside what the window holds.
/// Calls nothing.
#[tauri::command]
pub async fn quote_audition(
    studio: State<'_, Studio>,
    text: String,
    voices: Vec<VoiceRef>,
    settings: VoiceSettings,
) -> Result<AuditionQuote, IpcError> {
    let remaining = studio.runner.window()?.remaining;
    let demo = studio.runner.is_demo();
    let library = studio.library.clone();
    blocking::run("voices", move || {
        Ok(voices::quote_audition(&library, demo, remaining, &text, &voices, &settings)?)
    })
    .await
}

/// Runs an audition as one batch (its cost was shown by [`quote_audition`]); its jobs report through
/// `job-updated` like any other.
#[tauri::command]
pub async fn run_audition(
    studio: State<'_, Studio>,
    text: String,
    voices: Vec<VoiceRef>,
    settings: VoiceSettings,
) -> Result<Audition, IpcError> {
    let runner = studio.runner.clone();
    let library = studio.library.clone();
    blocking::run("voices", move || Ok(voices::run_audition(&runner, &library, &text, &voices, &settings)?))
        .await
}

/// An audition with its takes as they stand now; `None` when there is none with this id.
#[tauri::command]
pub async fn get_audition(library: State<'_, SharedLibrary>, id: i64) -> Result<Option<Audition>, IpcError> {
    let library = library.inner().clone();
    blocking::run("voices", move || Ok(voices::audition(&library, id)?)).await
}

/// The newest audition of this ledger (demo or real), so the grid is there again when the screen reopens.
#[tauri::command]
pub async fn get_latest_audition(studio: State<'_, Studio>) -> Result<Option<Audition>, IpcError> {
    let demo = studio.runner.is_demo();
    let library = studio.library.clone();
    blocking::run("voices", move || {
        let newest = library.with(|lib| lib.recent_auditions(demo, 1))?;
        match newest.first() {
            Some(&id) => Ok(voices::audition(&library, id)?),
            None => Ok(None),
        }
    })
    .await
}

fn saved_region(app: &AppHandle) -> Result<studio_core::settings::Region, IpcError> {
    Ok(load_settings(app)?.region)
}

/// What designing a voice costs before the click: its preview now, the fee at its first real use, and the
/// date it expires unless used.
#[tauri::command]
pub async fn quote_voice_design(
    app: AppHandle,
    studio: State<'_, Studio>,
    ask: DesignAsk,
) -> Result<VoiceMakingQuote, IpcError> {
    let region = saved_region(&app)?;
    let remaining = studio.runner.window()?.remaining;
    Ok(voices::quote_design(&ask, QuoteContext { region: &region, remaining, now_ms: now_ms() })?)
}

/// Designs a voice (its preview is the job's file); `creating` until that job ends.
#[tauri::command]
pub async fn design_voice(studio: State<'_, Studio>, ask: DesignAsk) -> Result<CustomVoice, IpcError> {
    let runner = studio.runner.clone();
    let library = studio.library.clone();
    blocking::run("voices", move || Ok(voices::design_voice(&runner, &library, &ask)?)).await
}

/// Every voice designed or cloned here (in this ledger), newest first, with where it stands now.
#[tauri::command]
pub async fn list_custom_voices(studio: State<'_, Studio>) -> Result<Vec<CustomVoice>, IpcError> {
    let demo = studio.runner.is_demo();
    let library = studio.library.clone();
    blocking::run("voices", move || Ok(voices::custom_voices(&library, demo)?)).await
}

/// Asks for a clone sample with the system's picker; `None` when dismissed.
#[tauri::command]
pub async fn choose_voice_sample(app: AppHandle) -> Result<Option<String>, IpcError> {
    let picker = app.dialog().file().add_filter("Voice sample", &["mp3", "m4a", "wav"]);
    blocking::pick_path(move || picker.blocking_pick_file()).await
}

/// What the checks need of a sample: its name, size, first bytes, and what decoding it tells.
fn sample_facts(path: &Path) -> Result<SampleFacts, IpcError> {
    let unreadable = |e: std::io::Error| {
        IpcError::new(IpcErrorKind::NotFound, format!("cannot read {}: {e}", path.display()))
    };
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size_bytes = file.metadata().map_err(unreadable)?.len();
    let mut head = vec![0u8; SAMPLE_HEAD_BYTES];
    let n = file.read(&mut head).map_err(unreadable)?;
    head.truncate(n);
    // A file that does not decode is refused by the checks as "not audio", with that reason shown.
    let decoded = studio_audio::analyze_file(path).ok().map(|l| DecodedSample {
        duration_ms: l.duration_ms,
        rms_dbfs: l.rms_dbfs,
        voiced_share: l.voiced_share,
    });
    Ok(SampleFacts { file_name, size_bytes, head, decoded })
}

/// Checks a clone sample (format, size, length, silence) by decoding it here; nothing is uploaded.
#[tauri::command]
pub async fn check_voice_sample(path: String) -> Result<SampleCheck, IpcError> {
    blocking::run("voices", move || {
        let facts = sample_facts(&PathBuf::from(&path))?;
        Ok(SampleCheck::of(&path, &facts))
    })
    .await
}

/// Checks and uploads a clone sample (the same content uploaded before is not sent again).
#[tauri::command]
pub async fn upload_voice_sample(studio: State<'_, Studio>, path: String) -> Result<VoiceSample, IpcError> {
    let client = studio.runner.plan_client().ok_or_else(|| {
        IpcError::new(
            IpcErrorKind::InvalidApiKey,
            "No Token Plan key is set: add it in Settings, or try the demo.",
        )
    })?;
    let path = PathBuf::from(path);
    let read = path.clone();
    let facts = blocking::run("voices", move || sample_facts(&read)).await?;
    let demo = studio.runner.is_demo();
    Ok(voices::upload_sample(&client, &studio.library, &path, &facts, demo).await?)
}

/// What cloning costs before the click (as [`quote_voice_design`]).
#[tauri::command]
pub async fn quote_voice_clone(
    app: AppHandle,
    studio: State<'_, Studio>,
    ask: CloneAsk,
) -> Result<VoiceMakingQuote, IpcError> {
    let region = saved_region(&app)?;
    let remaining = studio.runner.window()?.remaining;
    Ok(voices::quote_clone(&ask, QuoteContext { region: &region, remaining, now_ms: now_ms() })?)
}

/// Clones a voice from an uploaded sample, once the user confirmed they may.
#[tauri::command]
pub async fn clone_voice(studio: State<'_, Studio>, ask: CloneAsk) -> Result<CustomVoice, IpcError> {
    let runner = studio.runner.clone();
    let library = studio.library.clone();
    blocking::run("voices", move || Ok(voices::clone_voice(&runner, &library, &ask)?)).await
}

/// Keeps a designed or cloned voice: one short real synthesis with it (never a cached replay).
#[tauri::command]
pub async fn keep_voice_alive(studio: State<'_, Studio>, voice_id: String) -> Result<VoiceTake, IpcError> {
    let runner = studio.runner.clone();
    let library = studio.library.clone();
    blocking::run("voices", move || Ok(voices::keep_voice_alive(&runner, &library, &voice_id)?)).await
}

/// Deletes a designed or cloned voice at MiniMax and here (its id can never be used again).
#[tauri::command]
pub async fn delete_custom_voice(studio: State<'_, Studio>, voice_id: String) -> Result<(), IpcError> {
    let client = studio.runner.plan_client().ok_or_else(|| {
        IpcError::new(
            IpcErrorKind::InvalidApiKey,
            "No Token Plan key is set: add it in Settings, or try the demo.",
        )
    })?;
    Ok(voices::delete_custom_voice(&client, &studio.library, &voice_id).await?)
}
