//! What spends: rendering a stage (ordinary jobs of the runner, each linked to its slot as a take) and
//! drafting a film from an idea with M2.7. Both go through studio-core's runner, so quota holds,
//! pay-as-you-go, cancel, retry and resume after a crash work for films as for any generation.

use serde::{Deserialize, Serialize};
use studio_core::request::{ChatParams, ChatRole, ChatTurn, GenerationRequest, ImageInput};
use studio_core::runner::{Runner, SubmitOptions};
use studio_core::storage::{Job, JobState, KeyKind, SharedLibrary};
use ts_rs::TS;

use super::edit::{create_from_script, link_take};
use super::job_words::{BlockedJob, JobProblem};
use super::stages::{PREVIOUS_CLIP_PREFIX, PlannedJob, StageChoice, StageOptions, plan};
use super::store::load_film;
use crate::draft::{DraftOutcome, DraftStep, after_first_reply, after_repair_reply, draft_messages};
use crate::error::{FilmError, Result};
use crate::ffmpeg::Ffmpeg;
use crate::script::AspectRatio;

/// The text model a draft uses.
pub const DRAFT_MODEL: &str = "MiniMax-M2.7";

/// What a stage run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageRun {
    /// The jobs queued (each waits for quota like any job).
    pub jobs: Vec<Job>,
    /// Slots that could not be sent yet, with why.
    pub blocked: Vec<BlockedJob>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Queues the jobs `choice` needs for film `film_id` on `key_kind` and links each as a take. Clips that start
/// from the previous shot's last frame get it extracted from that clip first (`ffmpeg`).
pub async fn render_stage(
    runner: &Runner,
    library: &SharedLibrary,
    film_id: i64,
    choice: StageChoice,
    options: &StageOptions,
    key_kind: KeyKind,
    ffmpeg: Option<&Ffmpeg>,
) -> Result<StageRun> {
    let film = library.with(|lib| load_film(lib, film_id))?;
    let planned = plan(&film, choice, options, library.root());
    let mut run = StageRun { jobs: Vec::new(), blocked: Vec::new() };
    for job in planned {
        if let Some(problem) = &job.problem {
            run.blocked.push(BlockedJob { label: job.label.clone(), problem: problem.clone() });
            continue;
        }
        let request = match previous_clip_frame(&job.request, library, ffmpeg).await {
            Ok(request) => request,
            Err(e) => {
                let problem = JobProblem::Refused { reason: e.to_string() };
                run.blocked.push(BlockedJob { label: job.label.clone(), problem });
                continue;
            }
        };
        // A request MiniMax's limits refuse is never sent: it is listed with the reason, the others go on.
        let submitted = match runner.submit(&request, SubmitOptions { key_kind, tap: None }) {
            Ok(job) => job,
            Err(studio_core::CoreError::InvalidRequest(reason)) => {
                run.blocked
                    .push(BlockedJob { label: job.label.clone(), problem: JobProblem::Refused { reason } });
                continue;
            }
            Err(other) => return Err(other.into()),
        };
        link(library, film_id, &job, submitted.id)?;
        run.jobs.push(submitted);
    }
    Ok(run)
}

fn link(library: &SharedLibrary, film_id: i64, job: &PlannedJob, job_id: i64) -> Result<()> {
    library.with(|lib| {
        link_take(
            lib.connection(),
            film_id,
            job.slot,
            job.shot_id,
            job.line_id,
            job_id,
            job.files,
            &job.made_with,
            now_ms(),
        )
    })
}

/// A clip planned from the previous shot's last frame gets that frame as a real image under `inputs/`.
async fn previous_clip_frame(
    request: &GenerationRequest,
    library: &SharedLibrary,
    ffmpeg: Option<&Ffmpeg>,
) -> Result<GenerationRequest> {
    let GenerationRequest::Video(video) = request else { return Ok(request.clone()) };
    let Some(ImageInput::File { path }) = &video.first_frame else { return Ok(request.clone()) };
    let Some(clip) = path.strip_prefix(PREVIOUS_CLIP_PREFIX) else { return Ok(request.clone()) };
    let ffmpeg = ffmpeg
        .ok_or_else(|| FilmError::InvalidFilm("taking the previous clip's last frame needs ffmpeg".into()))?;
    let source = library.root().join(clip);
    let name = format!("last-frame-{}.png", clip.replace(['/', '\\', '.'], "-"));
    let target = library.root().join("inputs").join(&name);
    if !target.is_file() {
        crate::render::last_frame(ffmpeg, &source, &target).await?;
    }
    let mut video = video.clone();
    video.first_frame = Some(ImageInput::File { path: format!("inputs/{name}") });
    Ok(GenerationRequest::Video(video))
}

/// How drafting a film from an idea ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum DraftResult {
    /// A film was made from the drafted shot list.
    Created {
        /// The new film.
        #[ts(type = "number")]
        film_id: i64,
        /// What was repaired in the reply.
        warnings: Vec<String>,
        /// The chat jobs it took (one, or two with the re-ask).
        #[ts(type = "Array<number>")]
        jobs: Vec<i64>,
    },
    /// The reply was not a valid shot list after one re-ask: it is kept for the user to edit and import.
    NeedsEditing {
        /// The last reply.
        raw_reply: String,
        /// Why it is not usable.
        problem: String,
        /// The chat jobs it took.
        #[ts(type = "Array<number>")]
        jobs: Vec<i64>,
    },
}

/// Drafts a film from `idea` with M2.7 (a costed chat job, re-asked once when the reply is not a valid shot
/// list) and makes it. Waits for the jobs.
pub async fn draft_film(
    runner: &Runner,
    library: &SharedLibrary,
    idea: &str,
    shots: Option<u32>,
    aspect_ratio: Option<AspectRatio>,
    style: Option<&str>,
    key_kind: KeyKind,
) -> Result<DraftResult> {
    let messages = draft_messages(idea, shots, aspect_ratio, style);
    let (first_job, first) = ask(runner, library, &messages.system, &messages.user, key_kind).await?;
    let mut jobs = vec![first_job];
    let outcome = match after_first_reply(&first) {
        DraftStep::Done(outcome) => outcome,
        DraftStep::Reask { messages, .. } => {
            let (job, reply) = ask(runner, library, &messages.system, &messages.user, key_kind).await?;
            jobs.push(job);
            after_repair_reply(&first, &reply)
        }
    };
    match outcome {
        DraftOutcome::Ready { imported, .. } => {
            let film_id = library.with(|lib| create_from_script(lib, &imported.script, now_ms()))?;
            let warnings = imported.warnings.iter().map(|w| w.message.clone()).collect();
            Ok(DraftResult::Created { film_id, warnings, jobs })
        }
        DraftOutcome::NeedsEditing { raw_reply, problem, .. } => {
            Ok(DraftResult::NeedsEditing { raw_reply, problem: problem.to_string(), jobs })
        }
    }
}

/// One chat job; waits for it and returns its id and reply.
async fn ask(
    runner: &Runner,
    library: &SharedLibrary,
    system: &str,
    user: &str,
    key_kind: KeyKind,
) -> Result<(i64, String)> {
    let request = GenerationRequest::Chat(ChatParams {
        model: DRAFT_MODEL.into(),
        system: Some(system.to_owned()),
        messages: vec![ChatTurn { role: ChatRole::User, content: user.to_owned() }],
        max_tokens: None,
        temperature: None,
    });
    let job = runner.submit(&request, SubmitOptions { key_kind, tap: None })?;
    let done = runner.wait_finished(job.id, |_| {}).await?;
    if done.state != JobState::Succeeded {
        let why =
            done.error.map(|e| e.message).unwrap_or_else(|| format!("it ended {}", done.state.as_str()));
        return Err(FilmError::DraftFailed(why));
    }
    let media = library.with(|lib| lib.job_with_media(done.id))?.media;
    let text = match media.first() {
        Some(m) => std::fs::read_to_string(library.root().join(&m.rel_path))
            .map_err(|e| FilmError::MediaUnreadable { path: library.root().join(&m.rel_path), source: e })?,
        None => String::new(),
    };
    Ok((done.id, text))
}
