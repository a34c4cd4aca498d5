//! Voices designed or cloned here: made through the runner (the preview's cost shown first, charged once),
//! remembered in the library with the job that made them, and watched for MiniMax's 7-day rule — a voice
//! not used in a real synthesis within 168 hours is deleted. [`voice_status`] tells, before anything is
//! spent, whether a voice a film character or a preset names can still be spoken with.

use std::path::Path;

use minimax_api::MiniMaxClient;
use minimax_api::files::{FilePurpose, UploadSource};
use minimax_api::speech::DeleteVoiceRequest;
use sha2::{Digest, Sha256};

use super::VoiceKind;
use super::clone_sample::{SampleFacts, SampleProblem, check_sample};
use super::model::{
    CUSTOM_VOICE_TTL_MS, CustomVoice, FirstUseCharge, PREVIEW_MODEL, VoiceMakingQuote, VoiceRef, VoiceSample,
    VoiceSettings, VoiceStatus, VoiceTake,
};
use super::preview::{now_ms, preview_voice};
use super::sample_line::{SampleLanguage, VoiceMetadata};
use crate::error::{CoreError, Result};
use crate::ipc::{IpcError, IpcErrorKind};
use crate::pricing;
use crate::request::{GenerationRequest, VoiceCloneParams, VoiceDesignParams};
use crate::runner::{Runner, SubmitOptions};
use crate::settings::Region;
use crate::storage::voice_rows::CustomVoiceRow;
use crate::storage::{JobState, Library, SharedLibrary};

/// Why making or removing a voice did not happen.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// The library or the request.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// MiniMax refused or could not be reached.
    #[error(transparent)]
    Api(#[from] minimax_api::Error),
    /// The sample was refused before upload.
    #[error(transparent)]
    Sample(#[from] SampleProblem),
}

impl From<VoiceError> for IpcError {
    fn from(error: VoiceError) -> Self {
        match error {
            VoiceError::Core(e) => e.into(),
            VoiceError::Api(e) => e.into(),
            VoiceError::Sample(e) => IpcError::new(IpcErrorKind::InvalidInput, e.to_string()),
        }
    }
}

/// A voice to design from words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DesignAsk {
    /// The name it is kept under.
    pub name: String,
    /// The voice in words ("warm, low female narrator, late-night radio").
    pub description: String,
    /// What the preview says; empty: a short line in the description's language.
    #[serde(default)]
    pub preview_text: String,
}

/// A voice to clone from a checked, uploaded sample.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CloneAsk {
    /// The name it is kept under.
    pub name: String,
    /// The sample ([`upload_sample`]).
    #[ts(type = "number")]
    pub sample_id: i64,
    /// What the preview says; empty: a short line in `language`.
    #[serde(default)]
    pub preview_text: String,
    /// The language the sample speaks, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The user confirmed they have the right to clone this voice.
    pub consent: bool,
}

/// The fee MiniMax charges at a designed or cloned voice's first real use (minimax-api-2026.md §4.5), as
/// data: CN pay-as-you-go states ¥9.90; global states a fee without a figure (US$1.5 clone / US$3 design is
/// only reported). No plan's request table prices it, so it is shown, never added to the plan's count.
pub fn first_use_charge(region: &Region, kind: VoiceKind) -> FirstUseCharge {
    let pay_as_you_go = match (region, kind) {
        (Region::Mainland, _) => "¥9.90".to_owned(),
        (_, VoiceKind::Cloned) => "about US$1.50 (reported)".to_owned(),
        (_, _) => "about US$3 (reported)".to_owned(),
    };
    FirstUseCharge { pay_as_you_go, plan_requests: None }
}

/// An id of ours for a new voice: MiniMax's rules (8–256 characters, a letter first, letters, digits, `-`,
/// `_`, not ending in either), readable from the name, unique by the time.
pub fn new_voice_id(prefix: &str, name: &str, at_ms: i64) -> String {
    let stem: String = name.chars().filter(char::is_ascii_alphanumeric).take(24).collect();
    let stem = if stem.starts_with(|c: char| c.is_ascii_alphabetic()) { stem } else { format!("v{stem}") };
    format!("{prefix}-{stem}-{at_ms:x}")
}

fn design_request(ask: &DesignAsk, voice_id: &str) -> GenerationRequest {
    let preview_text = if ask.preview_text.trim().is_empty() {
        let metadata = VoiceMetadata { description: &ask.description, ..VoiceMetadata::default() };
        SampleLanguage::of_voice(metadata).line().to_owned()
    } else {
        ask.preview_text.trim().to_owned()
    };
    GenerationRequest::VoiceDesign(VoiceDesignParams {
        prompt: ask.description.trim().to_owned(),
        preview_text,
        voice_id: voice_id.to_owned(),
    })
}

/// Where a quote is made: the region (the first-use fee), what the window holds, and now.
#[derive(Debug, Clone, Copy)]
pub struct QuoteContext<'a> {
    /// The API region.
    pub region: &'a Region,
    /// Requests the plan window holds.
    pub remaining: u64,
    /// Epoch ms.
    pub now_ms: i64,
}

fn making_quote(
    request: &GenerationRequest,
    kind: VoiceKind,
    at: QuoteContext<'_>,
) -> Result<VoiceMakingQuote> {
    request.to_call(Path::new("")).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
    Ok(VoiceMakingQuote {
        preview: pricing::estimate(&request.cost_input(None)),
        remaining: at.remaining,
        first_use: first_use_charge(at.region, kind),
        expires_at_ms: at.now_ms + CUSTOM_VOICE_TTL_MS,
    })
}

/// The cost of a design before the click: its preview now, the fee at first use, the expiry if unused.
/// Calls nothing.
pub fn quote_design(ask: &DesignAsk, at: QuoteContext<'_>) -> Result<VoiceMakingQuote> {
    making_quote(&design_request(ask, "tpsQuoteOnly1"), VoiceKind::Designed, at)
}

/// Designs a voice: the voice is recorded under an id of ours, then its job runs (the preview is the job's
/// file). Returns the voice, `creating` until the job ends.
pub fn design_voice(runner: &Runner, library: &SharedLibrary, ask: &DesignAsk) -> Result<CustomVoice> {
    if ask.name.trim().is_empty() {
        return Err(CoreError::InvalidRequest("give the voice a name".into()));
    }
    let now = runner.now_ms();
    let voice_id = new_voice_id("tpsd", &ask.name, now);
    let request = design_request(ask, &voice_id);
    request.to_call(library.root()).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
    let language =
        SampleLanguage::named_in(&ask.description).or_else(|| SampleLanguage::script_of(&ask.description));
    let language = language.map(|l| l.language_boost().to_owned());
    let demo = runner.is_demo();
    library.with(|lib| {
        lib.insert_custom_voice(
            &voice_id,
            VoiceKind::Designed,
            ask.name.trim(),
            ask.description.trim(),
            language.as_deref(),
            None,
            demo,
            now,
        )
    })?;
    made(runner, library, &voice_id, &request)
}

/// Submits the job that makes a recorded voice and links them.
fn made(
    runner: &Runner,
    library: &SharedLibrary,
    voice_id: &str,
    request: &GenerationRequest,
) -> Result<CustomVoice> {
    let job = runner.submit(request, SubmitOptions::default())?;
    library.with(|lib| lib.set_custom_voice_job(voice_id, job.id))?;
    custom_voice(library, voice_id)?
        .ok_or_else(|| CoreError::InvalidRequest(format!("voice {voice_id} vanished")))
}

/// The hex SHA-256 of a file, read in blocks (a 20 MB sample is never held whole).
fn sha256_of(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks a sample and uploads it (purpose `voice_clone`) unless the same content was uploaded before in
/// this ledger: its file id is reused, so a failed clone is retried without a second upload.
pub async fn upload_sample(
    client: &MiniMaxClient,
    library: &SharedLibrary,
    path: &Path,
    facts: &SampleFacts,
    demo: bool,
) -> std::result::Result<VoiceSample, VoiceError> {
    let decoded = check_sample(facts)?;
    let read = |e: std::io::Error| CoreError::MediaFile { path: path.to_path_buf(), source: e };
    let sha = sha256_of(path).map_err(read)?;
    let now = now_ms();
    let sample = match library.with(|lib| lib.voice_sample_by_hash(&sha, demo))? {
        Some(sample) if sample.remote_file_id.is_some() => return Ok(sample),
        Some(sample) => sample,
        None => library.with(|lib| {
            lib.insert_voice_sample(&sha, &facts.file_name, facts.size_bytes, decoded.duration_ms, demo, now)
        })?,
    };
    let extension = facts.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    // The server records a name of ours, never the user's path.
    let server_name = format!("sample-{}.{extension}", sample.id);
    let uploaded = client
        .files()
        .upload(FilePurpose::VoiceClone, &server_name, UploadSource::Path(path.to_path_buf()))
        .await?;
    let file_id = uploaded.file.file_id;
    library.with(|lib| lib.set_voice_sample_file_id(sample.id, &file_id, now_ms()))?;
    Ok(VoiceSample { remote_file_id: Some(file_id), ..sample })
}

fn clone_request(ask: &CloneAsk, file_id: &str, voice_id: &str) -> GenerationRequest {
    let language = ask.language.as_deref().and_then(SampleLanguage::named_in);
    let preview_text = if ask.preview_text.trim().is_empty() {
        language.unwrap_or(SampleLanguage::English).line().to_owned()
    } else {
        ask.preview_text.trim().to_owned()
    };
    GenerationRequest::VoiceClone(VoiceCloneParams {
        file_id: file_id.to_owned(),
        voice_id: voice_id.to_owned(),
        preview_text,
        model: PREVIEW_MODEL.to_owned(),
        language_boost: language.map(|l| l.language_boost().to_owned()),
        noise_reduction: false,
        volume_normalization: true,
    })
}

/// The cost of a clone before the click. Calls nothing.
pub fn quote_clone(ask: &CloneAsk, at: QuoteContext<'_>) -> Result<VoiceMakingQuote> {
    making_quote(&clone_request(ask, "1", "tpsQuoteOnly1"), VoiceKind::Cloned, at)
}

/// Clones a voice from an uploaded sample, once the user has confirmed they may. A failed clone keeps its
/// job (and so the sample's file id): retrying the job never uploads again.
pub fn clone_voice(runner: &Runner, library: &SharedLibrary, ask: &CloneAsk) -> Result<CustomVoice> {
    if !ask.consent {
        return Err(CoreError::InvalidRequest(
            "confirm that you have the right to clone this voice (your own, or with the speaker's permission)".into(),
        ));
    }
    if ask.name.trim().is_empty() {
        return Err(CoreError::InvalidRequest("give the voice a name".into()));
    }
    let sample = library.with(|lib| lib.voice_sample(ask.sample_id))?;
    let Some(file_id) = sample.as_ref().and_then(|s| s.remote_file_id.clone()) else {
        return Err(CoreError::InvalidRequest(format!("sample {} is not uploaded yet", ask.sample_id)));
    };
    let now = runner.now_ms();
    let voice_id = new_voice_id("tpsc", &ask.name, now);
    let request = clone_request(ask, &file_id, &voice_id);
    request.to_call(library.root()).map_err(|e| CoreError::InvalidRequest(e.to_string()))?;
    let description = sample.map(|s| s.file_name).unwrap_or_default();
    let demo = runner.is_demo();
    library.with(|lib| {
        lib.insert_custom_voice(
            &voice_id,
            VoiceKind::Cloned,
            ask.name.trim(),
            &description,
            ask.language.as_deref(),
            Some(ask.sample_id),
            demo,
            now,
        )
    })?;
    made(runner, library, &voice_id, &request)
}

/// Where a stored custom voice stands at `now_ms`.
pub fn status_of(row: &CustomVoiceRow, now_ms: i64) -> VoiceStatus {
    if let Some(deleted_at_ms) = row.deleted_at_ms {
        return VoiceStatus::Deleted { deleted_at_ms };
    }
    match row.job_state.as_deref().and_then(JobState::parse) {
        Some(JobState::Succeeded) => {}
        Some(JobState::Failed | JobState::Cancelled | JobState::Interrupted) => return VoiceStatus::Failed,
        // A job removed from the Library after it made the voice: the voice itself may live on.
        None if row.job_id.is_none() => {}
        _ => return VoiceStatus::Creating,
    }
    if row.first_used_at_ms.is_some() {
        return VoiceStatus::Available { expires_at_ms: None };
    }
    let expires_at_ms = row.created_at_ms + CUSTOM_VOICE_TTL_MS;
    if now_ms >= expires_at_ms {
        VoiceStatus::Expired { expired_at_ms: expires_at_ms }
    } else {
        VoiceStatus::Available { expires_at_ms: Some(expires_at_ms) }
    }
}

/// Whether `voice_id` can be spoken with at `now_ms`, from the library alone (no call): a voice made here
/// by its record, a MiniMax voice by its naming, anything else unknown. The film side calls this for each
/// character's voice before costing or rendering lines; the runner refuses a synthesis with a voice that is
/// expired, deleted or failed.
pub fn voice_status(library: &Library, voice_id: &str, now_ms: i64) -> Result<VoiceStatus> {
    if let Some(row) = library.custom_voice(voice_id)? {
        return Ok(status_of(&row, now_ms));
    }
    let minimax_naming = super::language_of(voice_id).is_some();
    Ok(if minimax_naming { VoiceStatus::System } else { VoiceStatus::Unknown })
}

/// Every voice made here in this ledger (demo or real), newest first, with its status now.
pub fn custom_voices(library: &SharedLibrary, demo: bool) -> Result<Vec<CustomVoice>> {
    let now = now_ms();
    let rows = library.with(|lib| lib.custom_voices(demo))?;
    Ok(rows.into_iter().map(|row| custom_from(row, now)).collect())
}

/// One voice made here.
pub fn custom_voice(library: &SharedLibrary, voice_id: &str) -> Result<Option<CustomVoice>> {
    let now = now_ms();
    Ok(library.with(|lib| lib.custom_voice(voice_id))?.map(|row| custom_from(row, now)))
}

fn custom_from(row: CustomVoiceRow, now: i64) -> CustomVoice {
    let status = status_of(&row, now);
    CustomVoice {
        voice_id: row.voice_id,
        kind: row.kind,
        name: row.name,
        description: row.description,
        language: row.language,
        job_id: row.job_id,
        demo: row.demo,
        created_at_ms: row.created_at_ms,
        first_used_at_ms: row.first_used_at_ms,
        deleted_at_ms: row.deleted_at_ms,
        status,
    }
}

/// Keeps a voice alive: one short line in it, a real synthesis (never a cached replay), which MiniMax counts
/// as its first use (it then keeps the voice; the first-use fee applies).
pub fn keep_voice_alive(runner: &Runner, library: &SharedLibrary, voice_id: &str) -> Result<VoiceTake> {
    let voice = custom_voice(library, voice_id)?
        .ok_or_else(|| CoreError::InvalidRequest(format!("{voice_id} was not made here")))?;
    if !voice.status.usable() {
        return Err(CoreError::InvalidRequest(format!(
            "{voice_id} cannot be used any more ({:?})",
            voice.status
        )));
    }
    let reference = VoiceRef {
        voice_id: voice.voice_id.clone(),
        name: voice.name.clone(),
        description: voice.description.clone(),
        language: voice.language.clone(),
    };
    preview_voice(runner, library, &reference, "", &VoiceSettings::default(), true)
}

/// Deletes a voice at MiniMax (its id can never be used again) and marks it deleted here. A voice MiniMax
/// already dropped (expired: `2042`) is marked deleted too.
pub async fn delete_custom_voice(
    client: &MiniMaxClient,
    library: &SharedLibrary,
    voice_id: &str,
) -> std::result::Result<(), VoiceError> {
    let Some(voice) = custom_voice(library, voice_id)? else {
        return Err(CoreError::InvalidRequest(format!("{voice_id} was not made here")).into());
    };
    let voice_type = if voice.kind == VoiceKind::Cloned { "voice_cloning" } else { "voice_generation" };
    let request = DeleteVoiceRequest { voice_type: voice_type.into(), voice_id: voice_id.into() };
    match client.speech().delete_voice(&request).await {
        Ok(_) => {}
        Err(e) if e.code() == Some(2042) => {}
        Err(e) => return Err(e.into()),
    }
    library.with(|lib| lib.mark_custom_voice_deleted(voice_id, now_ms()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(job_state: Option<&str>, first_used: Option<i64>, deleted: Option<i64>) -> CustomVoiceRow {
        CustomVoiceRow {
            voice_id: "tpsd-Mara-1".into(),
            kind: VoiceKind::Designed,
            name: "Mara".into(),
            description: String::new(),
            language: None,
            job_id: Some(1),
            demo: false,
            created_at_ms: 1_000,
            first_used_at_ms: first_used,
            deleted_at_ms: deleted,
            job_state: job_state.map(str::to_owned),
        }
    }

    #[test]
    fn a_custom_voice_lives_seven_days_unless_used() {
        let expiry = 1_000 + CUSTOM_VOICE_TTL_MS;
        assert_eq!(
            status_of(&row(Some("succeeded"), None, None), 2_000),
            VoiceStatus::Available { expires_at_ms: Some(expiry) }
        );
        assert_eq!(
            status_of(&row(Some("succeeded"), None, None), expiry),
            VoiceStatus::Expired { expired_at_ms: expiry }
        );
        assert_eq!(
            status_of(&row(Some("succeeded"), Some(5_000), None), expiry * 2),
            VoiceStatus::Available { expires_at_ms: None }
        );
        assert_eq!(
            status_of(&row(Some("succeeded"), None, Some(9)), 2_000),
            VoiceStatus::Deleted { deleted_at_ms: 9 }
        );
        assert_eq!(status_of(&row(Some("running"), None, None), 2_000), VoiceStatus::Creating);
        assert_eq!(status_of(&row(Some("failed"), None, None), 2_000), VoiceStatus::Failed);
        assert!(!VoiceStatus::Expired { expired_at_ms: 1 }.usable());
        assert!(VoiceStatus::Unknown.usable());
    }

    #[test]
    fn our_voice_ids_follow_minimaxs_rules() {
        for name in ["Mara", "9 lives", "", "Ünïcode name", &"x".repeat(300)] {
            let id = new_voice_id("tpsc", name, 1_780_000_000_000);
            assert!(minimax_api::speech::check_voice_id("voice_id", &id).is_ok(), "{id}");
        }
        assert_eq!(first_use_charge(&Region::Mainland, VoiceKind::Cloned).pay_as_you_go, "¥9.90");
        assert_eq!(first_use_charge(&Region::Global, VoiceKind::Designed).plan_requests, None);
    }
}
