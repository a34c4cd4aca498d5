//! The Film screen's commands: the film list, a film (new, imported, drafted, the demo film), its edits and
//! undo, its budget and schedule, rendering a stage, the animatic and the export (ffmpeg, with progress on a
//! channel and cancel), the timeline. Each makes one call into studio-film.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use studio_core::ipc::{IpcError, IpcErrorKind};
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::{KeyKind, SharedLibrary};
use studio_film::ffmpeg::Ffmpeg;
use studio_film::project::assemble::{self, FilmExport, animatic_path};
use studio_film::project::budget::{FilmBudget, PlanWindow, budget, schedule_of};
use studio_film::project::ipc::{FfmpegStatus, FilmAnimatic, FilmExportRequest, FilmImport, FilmStagePlan};
use studio_film::project::music_import::{MUSIC_FILE_KINDS, import_music};
use studio_film::project::service::{self, DraftResult, StageRun, render_stage};
use studio_film::project::stages::{PlannedJob, StageChoice, StageOptions, plan};
use studio_film::project::{
    self as project, Film, FilmEdit, FilmSummary, apply_edit, create_from_script, load_film, undo_edit,
};
use studio_film::render::{ExportOptions, RenderProgress};
use studio_film::script::{AspectRatio, import_bytes};
use studio_film::timeline::Timeline;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tokio_util::sync::CancellationToken;

use crate::blocking;
use crate::settings_store::load_settings;
use crate::studio::Studio;

/// Renders (animatic, export) running now, by film: cancel stops ffmpeg at once.
#[derive(Default)]
pub struct FilmRenders {
    running: Mutex<HashMap<i64, CancellationToken>>,
}

impl FilmRenders {
    fn start(&self, film_id: i64) -> CancellationToken {
        let token = CancellationToken::new();
        let mut running = self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(old) = running.insert(film_id, token.clone()) {
            old.cancel();
        }
        token
    }

    fn finish(&self, film_id: i64) {
        self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&film_id);
    }
}

fn now_ms() -> i64 {
    SystemClock.now_ms()
}

pub(crate) async fn ffmpeg(app: &AppHandle) -> Result<Ffmpeg, IpcError> {
    let configured = load_settings(app)?.ffmpeg_path.map(PathBuf::from);
    Ok(Ffmpeg::locate(configured.as_deref()).await?)
}

async fn film_of(library: &SharedLibrary, film_id: i64) -> Result<Film, IpcError> {
    let library = library.clone();
    blocking::run("films", move || Ok(library.with(|lib| load_film(lib, film_id))?)).await
}

/// Every film, most recently edited first.
#[tauri::command]
pub async fn list_films(library: State<'_, SharedLibrary>) -> Result<Vec<FilmSummary>, IpcError> {
    let library = library.inner().clone();
    blocking::run("films", move || Ok(library.with(project::list_films)?)).await
}

/// One film with its cast, shots, lines and takes.
#[tauri::command]
pub async fn get_film(library: State<'_, SharedLibrary>, film_id: i64) -> Result<Film, IpcError> {
    film_of(&library, film_id).await
}

/// Asks for a shot list or screenplay with the system's picker (JSON shot list, Fountain, plain text);
/// `None` when dismissed.
#[tauri::command]
pub async fn choose_script_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    let picker =
        app.dialog().file().add_filter("Shot list or screenplay", &["json", "fountain", "spmd", "txt"]);
    blocking::pick_path(move || picker.blocking_pick_file()).await
}

/// A new, empty film.
#[tauri::command]
pub async fn create_film(
    library: State<'_, SharedLibrary>,
    title: String,
    aspect_ratio: AspectRatio,
) -> Result<Film, IpcError> {
    let shared = library.inner().clone();
    let id = blocking::run("films", move || {
        Ok(shared.with(|lib| project::create_film(lib, &title, aspect_ratio, now_ms()))?)
    })
    .await?;
    film_of(&library, id).await
}

/// A film from a JSON shot list (`tokenplan-film/1`) or a Fountain screenplay: a file, or pasted text (a draft
/// the user fixed). A malformed file names the line and what was expected; nothing is made.
#[tauri::command]
pub async fn import_film(
    library: State<'_, SharedLibrary>,
    path: Option<String>,
    text: Option<String>,
) -> Result<FilmImport, IpcError> {
    let bytes = match (path, text) {
        (Some(path), _) => {
            let path = PathBuf::from(path.trim());
            blocking::run("films", move || {
                std::fs::read(&path).map_err(|e| {
                    IpcError::new(IpcErrorKind::NotFound, format!("cannot read {}: {e}", path.display()))
                })
            })
            .await?
        }
        (None, Some(text)) => text.into_bytes(),
        (None, None) => {
            return Err(IpcError::new(IpcErrorKind::InvalidInput, "give a file or the text of a shot list"));
        }
    };
    let imported = import_bytes(&bytes)?;
    let shared = library.inner().clone();
    let script = imported.script.clone();
    let id =
        blocking::run("films", move || Ok(shared.with(|lib| create_from_script(lib, &script, now_ms()))?))
            .await?;
    Ok(FilmImport { film: film_of(&library, id).await?, warnings: imported.warnings })
}

/// The built-in short film "Paper Boat" (works in demo mode): a storyboard to try every stage on.
#[tauri::command]
pub async fn create_demo_film(library: State<'_, SharedLibrary>) -> Result<Film, IpcError> {
    let shared = library.inner().clone();
    let script = studio_film::demo_film::demo_script();
    let id =
        blocking::run("films", move || Ok(shared.with(|lib| create_from_script(lib, &script, now_ms()))?))
            .await?;
    film_of(&library, id).await
}

/// Drafts a film from an idea with M2.7 (one costed chat job; one re-ask if the reply is not a valid shot
/// list). A reply that stays invalid comes back as text for the user to fix and import.
#[tauri::command]
pub async fn draft_film(
    studio: State<'_, Studio>,
    idea: String,
    shots: Option<u32>,
    aspect_ratio: Option<AspectRatio>,
    style: Option<String>,
    key_kind: Option<KeyKind>,
) -> Result<DraftResult, IpcError> {
    let key = key_kind.unwrap_or(KeyKind::Plan);
    Ok(service::draft_film(
        &studio.runner,
        &studio.library,
        &idea,
        shots,
        aspect_ratio,
        style.as_deref(),
        key,
    )
    .await?)
}

/// Applies one edit (after an undo snapshot) and returns the film as it now is.
#[tauri::command]
pub async fn edit_film(
    library: State<'_, SharedLibrary>,
    film_id: i64,
    edit: FilmEdit,
) -> Result<Film, IpcError> {
    let shared = library.inner().clone();
    blocking::run("films", move || Ok(shared.with(|lib| apply_edit(lib, film_id, &edit, now_ms()))?)).await?;
    film_of(&library, film_id).await
}

/// Undoes the film's last edit and returns the film.
#[tauri::command]
pub async fn undo_film_edit(library: State<'_, SharedLibrary>, film_id: i64) -> Result<Film, IpcError> {
    let shared = library.inner().clone();
    blocking::run("films", move || Ok(shared.with(|lib| undo_edit(lib, film_id, now_ms()))?)).await?;
    film_of(&library, film_id).await
}

/// Deletes a film (its takes stay in the Library). While jobs of it run, nothing happens unless
/// `cancel_running`: then they are cancelled first (an accepted task runs on at MiniMax and is charged).
/// Returns the jobs that were still running.
#[tauri::command]
pub async fn delete_film(
    studio: State<'_, Studio>,
    film_id: i64,
    cancel_running: bool,
) -> Result<Vec<i64>, IpcError> {
    let shared = studio.library.clone();
    let running = blocking::run("films", move || {
        Ok(shared.with(|lib| studio_film::project::edit::running_jobs(lib, film_id))?)
    })
    .await?;
    if !running.is_empty() && !cancel_running {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!(
                "{} job(s) of this film are still running: cancel them, or let them finish first",
                running.len()
            ),
        ));
    }
    for id in &running {
        studio.runner.cancel(*id)?;
    }
    let shared = studio.library.clone();
    blocking::run("films", move || {
        Ok(shared.with(|lib| studio_film::project::delete_film(lib, film_id, now_ms()))?)
    })
    .await?;
    Ok(running)
}

/// Brings a deleted film back (the undo of a delete).
#[tauri::command]
pub async fn restore_film(library: State<'_, SharedLibrary>, film_id: i64) -> Result<Film, IpcError> {
    let shared = library.inner().clone();
    blocking::run("films", move || {
        Ok(shared.with(|lib| studio_film::project::edit::restore_film(lib, film_id))?)
    })
    .await?;
    film_of(&library, film_id).await
}

fn plan_window(app: &AppHandle, studio: &Studio) -> Result<PlanWindow, IpcError> {
    let settings = load_settings(app)?;
    let now = now_ms();
    let points = studio.library.with(|lib| lib.window_points(now, WINDOW_MS))?;
    // Jobs running now hold requests the ledger does not have yet.
    let window = studio.runner.window()?;
    let mut points = points;
    let ledger_used: u64 = points.iter().map(|p| p.requests).sum();
    if window.used > ledger_used {
        points.push(studio_core::quota::SpendPoint { at_ms: now, requests: window.used - ledger_used });
    }
    Ok(PlanWindow {
        quota: u64::from(settings.quota_per_window()),
        window_ms: WINDOW_MS,
        points,
        now_ms: now,
    })
}

/// What the film still costs per stage, what is paid, how many windows the rest needs and when it would be
/// done if queued now, and a cheaper path.
#[tauri::command]
pub async fn get_film_budget(
    app: AppHandle,
    studio: State<'_, Studio>,
    film_id: i64,
) -> Result<FilmBudget, IpcError> {
    let window = plan_window(&app, &studio)?;
    let library = studio.library.clone();
    blocking::run("films", move || {
        let film = library.with(|lib| load_film(lib, film_id))?;
        Ok(budget(&film, &window, library.root())?)
    })
    .await
}

/// Plans a stage without sending anything.
#[tauri::command]
pub async fn plan_film_stage(
    app: AppHandle,
    studio: State<'_, Studio>,
    film_id: i64,
    stage: StageChoice,
    options: StageOptions,
) -> Result<FilmStagePlan, IpcError> {
    let window = plan_window(&app, &studio)?;
    let library = studio.library.clone();
    blocking::run("films", move || {
        let film = library.with(|lib| load_film(lib, film_id))?;
        let jobs = plan(&film, stage, &options, library.root());
        let sendable: Vec<PlannedJob> = jobs.iter().filter(|j| j.problem.is_none()).cloned().collect();
        let scheduled = schedule_of(&sendable, &window, 0)?;
        Ok(FilmStagePlan {
            total_requests: scheduled.total_requests,
            unknown: u32::try_from(scheduled.unknown_cost.len()).unwrap_or(u32::MAX),
            windows_needed: scheduled.windows_needed,
            finishes_at_ms: scheduled.finishes_at_ms,
            jobs,
        })
    })
    .await
}

/// Queues a stage's jobs (ordinary jobs: they wait for quota, run on the chosen key, resume after a crash)
/// and links each as a take.
#[tauri::command]
pub async fn render_film_stage(
    app: AppHandle,
    studio: State<'_, Studio>,
    film_id: i64,
    stage: StageChoice,
    options: StageOptions,
    key_kind: Option<KeyKind>,
) -> Result<StageRun, IpcError> {
    let ffmpeg = ffmpeg(&app).await.ok();
    let key = key_kind.unwrap_or(KeyKind::Plan);
    Ok(render_stage(&studio.runner, &studio.library, film_id, stage, &options, key, ffmpeg.as_ref()).await?)
}

/// Renders the animatic (keyframes standing in for missing clips, the lines, the music), reporting progress
/// on `on_progress`; `cancel_film_render` stops it.
#[tauri::command]
pub async fn render_film_animatic(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    renders: State<'_, FilmRenders>,
    film_id: i64,
    on_progress: Channel<RenderProgress>,
) -> Result<FilmAnimatic, IpcError> {
    let ffmpeg = ffmpeg(&app).await?;
    let cancel = renders.start(film_id);
    let mut progress = move |p: RenderProgress| {
        let _ = on_progress.send(p);
    };
    let result = assemble::animatic(&library, &ffmpeg, film_id, &mut progress, &cancel).await;
    renders.finish(film_id);
    let report = result?;
    let (_, timeline) = assemble::film_timeline(&library, &ffmpeg, film_id).await?;
    let rel_path = animatic_path(std::path::Path::new(""), film_id).display().to_string();
    Ok(FilmAnimatic {
        rel_path,
        duration_ms: report.duration_ms,
        shots_rendered: report.shots_rendered,
        timeline,
    })
}

/// The film as time (shots, lines, music bed, ducking), for the timeline under the player.
#[tauri::command]
pub async fn get_film_timeline(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    film_id: i64,
) -> Result<Timeline, IpcError> {
    let ffmpeg = ffmpeg(&app).await?;
    Ok(assemble::film_timeline(&library, &ffmpeg, film_id).await?.1)
}

/// Exports the film (progress on `on_progress`; `cancel_film_render` stops it) and files it in the Library.
#[tauri::command]
pub async fn export_film(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    renders: State<'_, FilmRenders>,
    film_id: i64,
    request: FilmExportRequest,
    on_progress: Channel<RenderProgress>,
) -> Result<FilmExport, IpcError> {
    let dest = request.dest.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(PathBuf::from);
    if let Some(dest) = &dest
        && !dest.is_absolute()
    {
        return Err(IpcError::new(
            IpcErrorKind::InvalidInput,
            format!("“{}” is not a full path", dest.display()),
        ));
    }
    let ffmpeg = ffmpeg(&app).await?;
    let options = ExportOptions {
        resolution: request.resolution,
        subtitles: request.subtitles,
        edl: request.edl,
        ..ExportOptions::default()
    };
    let cancel = renders.start(film_id);
    let mut progress = move |p: RenderProgress| {
        let _ = on_progress.send(p);
    };
    let result =
        assemble::export(&library, &ffmpeg, film_id, &options, dest.as_deref(), &mut progress, &cancel).await;
    renders.finish(film_id);
    Ok(result?)
}

/// Stops the film's animatic or export (nothing partial is kept).
#[tauri::command]
pub async fn cancel_film_render(renders: State<'_, FilmRenders>, film_id: i64) -> Result<(), IpcError> {
    if let Some(token) =
        renders.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&film_id)
    {
        token.cancel();
    }
    Ok(())
}

/// The system's picker for a film's music bed (MP3, WAV, FLAC, OGG, M4A); `None` when dismissed.
#[tauri::command]
pub async fn choose_film_music_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    let kinds: Vec<&str> = MUSIC_FILE_KINDS.iter().map(|(ext, _)| *ext).collect();
    let picker = app.dialog().file().add_filter("Audio", &kinds);
    blocking::pick_path(move || picker.blocking_pick_file()).await
}

/// Copies an audio file into the library (checked with ffprobe first; never charged) and makes it the
/// film's music bed; returns the film.
#[tauri::command]
pub async fn import_film_music(
    app: AppHandle,
    library: State<'_, SharedLibrary>,
    film_id: i64,
    path: String,
) -> Result<Film, IpcError> {
    let ffmpeg = ffmpeg(&app).await?;
    Ok(import_music(&library, &ffmpeg, film_id, std::path::Path::new(&path), now_ms()).await?)
}

/// The ffmpeg films use (Settings shows it; a missing one is an error that says how to install it).
#[tauri::command]
pub async fn get_ffmpeg_status(app: AppHandle) -> Result<FfmpegStatus, IpcError> {
    let ffmpeg = ffmpeg(&app).await?;
    Ok(FfmpegStatus {
        path: ffmpeg.ffmpeg_path().display().to_string(),
        version: ffmpeg.version().text.clone(),
    })
}
