//! Commands of the generation flow: cost before the click, submit with live output, the job list, cancel,
//! retry, pay-as-you-go per job, the quota window, and reading a text result.

use studio_core::ipc::{IpcError, IpcErrorKind, JobOutput};
use studio_core::quota::WindowSummary;
use studio_core::runner::{Estimate, GenerationRequest, SubmitOptions, TapItem};
use studio_core::storage::{Job, JobCursor, JobFilter, JobPage, JobWithMedia, KeyKind, SharedLibrary};
use tauri::State;
use tauri::ipc::Channel;

use crate::blocking;
use crate::player::Audio;
use crate::studio::Studio;

/// Largest page of jobs one call returns.
const MAX_PAGE: u32 = 200;

/// Largest text result read into the UI (a chat reply or lyrics are a few KiB; this bounds a mistake).
const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// The cost of `request` in requests, what the window holds, and when enough will be free.
#[tauri::command]
pub async fn estimate_cost(
    studio: State<'_, Studio>,
    request: GenerationRequest,
) -> Result<Estimate, IpcError> {
    Ok(studio.runner.estimate(&request)?)
}

/// Saves the job and starts it (or parks it until the window frees). What a streamed job produces (chat
/// tokens, speech chunks) is sent on `on_output` while it runs; with `play`, streamed speech also plays in
/// the native player as its chunks arrive.
#[tauri::command]
pub async fn submit_job(
    studio: State<'_, Studio>,
    audio: State<'_, Audio>,
    request: GenerationRequest,
    key_kind: Option<KeyKind>,
    play: Option<bool>,
    on_output: Channel<JobOutput>,
) -> Result<Job, IpcError> {
    let (tap, mut items) = tokio::sync::mpsc::unbounded_channel();
    let mut speech = if play.unwrap_or(false) { audio.speech_stream(&request) } else { None };
    tauri::async_runtime::spawn(async move {
        let mut composer_open = true;
        while let Some(item) = items.recv().await {
            match &item {
                TapItem::Audio(bytes) => {
                    if let Some(speech) = speech.as_mut() {
                        speech.push(bytes.clone());
                    }
                }
                TapItem::End => {
                    if let Some(speech) = speech.take() {
                        speech.finish();
                    }
                }
                TapItem::Text(_) | TapItem::Reasoning(_) => {}
            }
            // A closed composer only stops the echo: the job and its sound run on, its file is kept.
            if composer_open && on_output.send(JobOutput::from(item)).is_err() {
                composer_open = false;
            }
        }
        // The tap closed without its end: the job failed or was cancelled, so the fragment is silenced
        // rather than played to its end.
        if let Some(speech) = speech {
            speech.abandon();
        }
    });
    let options = SubmitOptions { key_kind: key_kind.unwrap_or(KeyKind::Plan), tap: Some(tap) };
    Ok(studio.runner.submit(&request, options)?)
}

/// One page of jobs, newest first.
#[tauri::command]
pub async fn list_jobs(
    library: State<'_, SharedLibrary>,
    filter: Option<JobFilter>,
    after: Option<JobCursor>,
    limit: Option<u32>,
) -> Result<JobPage, IpcError> {
    let filter = filter.unwrap_or_default();
    let limit = limit.unwrap_or(50).clamp(1, MAX_PAGE);
    blocking::with_library(&library, move |lib| lib.list_jobs(&filter, after, limit)).await
}

/// A job with its files.
#[tauri::command]
pub async fn get_job(library: State<'_, SharedLibrary>, id: i64) -> Result<JobWithMedia, IpcError> {
    blocking::with_library(&library, move |lib| lib.job_with_media(id)).await
}

/// Cancels a job (an accepted remote task runs on at MiniMax and is billed).
#[tauri::command]
pub async fn cancel_job(studio: State<'_, Studio>, id: i64) -> Result<Job, IpcError> {
    Ok(studio.runner.cancel(id)?)
}

/// Runs a failed, cancelled or interrupted job again.
#[tauri::command]
pub async fn retry_job(studio: State<'_, Studio>, id: i64) -> Result<Job, IpcError> {
    Ok(studio.runner.retry(id)?)
}

/// Moves a waiting job to the pay-as-you-go key and starts it.
#[tauri::command]
pub async fn run_job_on_pay_as_you_go(studio: State<'_, Studio>, id: i64) -> Result<Job, IpcError> {
    Ok(studio.runner.use_pay_as_you_go(id)?)
}

/// The plan window now.
#[tauri::command]
pub async fn get_quota_window(studio: State<'_, Studio>) -> Result<WindowSummary, IpcError> {
    Ok(studio.runner.window()?)
}

/// The text of a job's text file (a chat reply, its reasoning, lyrics), by the file's position.
#[tauri::command]
pub async fn read_text_media(
    library: State<'_, SharedLibrary>,
    job_id: i64,
    ordinal: u32,
) -> Result<String, IpcError> {
    let found = blocking::with_library(&library, move |lib| lib.job_with_media(job_id)).await?;
    let media = found.media.into_iter().find(|m| m.ordinal == ordinal).ok_or_else(|| {
        IpcError::new(IpcErrorKind::NotFound, format!("job {job_id} has no file {ordinal}"))
    })?;
    if !media.mime.starts_with("text/") || media.size_bytes > MAX_TEXT_BYTES {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("{} is not a text result", media.rel_path),
        ));
    }
    let path = library.root().join(&media.rel_path);
    tokio::fs::read_to_string(&path)
        .await
        .map_err(|e| IpcError::new(IpcErrorKind::NotFound, format!("cannot read {}: {e}", path.display())))
}
