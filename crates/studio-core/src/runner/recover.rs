//! Paid MiniMax-H3 tasks the library does not know about: the V2 task list of the last 7 days compared with
//! the library (a task made by another tool on the same key, or one whose id a crash lost), offered for
//! import; and "recover by task id", which files such a task as a job that polls it and downloads its video
//! — never a second paid task.

use minimax_api::TaskStatus;
use minimax_api::video_v2::{VideoV2ListRequest, VideoV2Task};
use serde::Serialize;
use ts_rs::TS;

use super::settle::{Charge, charge_key};
use super::{Runner, watch};
use crate::error::{CoreError, Result};
use crate::request::{GenerationRequest, JobParams, VideoParams};
use crate::storage::{Job, JobState, KeyKind, NewJob, NewSpend, SpendBasis};

/// Pages of the task list read at most (100 tasks each: more than a week of work).
const MAX_PAGES: u32 = 5;

/// A V2 video task MiniMax has and the library does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RemoteTask {
    /// The task id.
    pub id: String,
    /// `MiniMax-H3`, `MiniMax-H3-Max`.
    pub model: String,
    /// `queued`, `running`, `succeeded`.
    pub status: String,
    /// When it was made, epoch ms.
    #[ts(optional, type = "number")]
    pub created_at_ms: Option<i64>,
    /// Its resolution.
    #[ts(optional)]
    pub resolution: Option<String>,
    /// Its length, seconds.
    #[ts(optional)]
    pub duration_s: Option<u32>,
}

fn status_word(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Queueing => "queued",
        TaskStatus::Success => "succeeded",
        TaskStatus::Failed => "failed",
        TaskStatus::Expired => "expired",
        TaskStatus::Cancelled => "cancelled",
        _ => "running",
    }
}

impl RemoteTask {
    fn of(task: &VideoV2Task) -> RemoteTask {
        RemoteTask {
            id: task.id.clone(),
            model: task.model.clone().unwrap_or_else(|| minimax_api::video_v2::H3.to_owned()),
            status: status_word(&task.status).to_owned(),
            created_at_ms: task.created_at.map(|s| s.saturating_mul(1_000)),
            resolution: task.resolution.clone().filter(|r| !r.is_empty()),
            duration_s: task.duration.and_then(|d| u32::try_from(d).ok()),
        }
    }
}

/// Whether a task holds (or will hold) a paid video worth importing.
fn worth_importing(task: &VideoV2Task) -> bool {
    matches!(
        task.status,
        TaskStatus::Success | TaskStatus::Processing | TaskStatus::Queueing | TaskStatus::Preparing
    ) && task.task_type.as_deref().is_none_or(|t| t == "generation" || t == "regeneration")
}

impl Runner {
    /// The V2 video tasks of the last 7 days that hold a video (made, or being made) and that no job of the
    /// library knows: paid work to offer for import. Every model is listed (no model filter: H3-Max too).
    pub async fn unknown_video_tasks(&self) -> Result<Vec<RemoteTask>> {
        let client = self.plan_client().ok_or_else(|| CoreError::InvalidRequest(NO_KEY.into()))?;
        let mut unknown = Vec::new();
        for page in 1..=MAX_PAGES {
            let request =
                VideoV2ListRequest { page_num: page, page_size: 100, ..VideoV2ListRequest::default() };
            let answer = client.video_v2().list(&request).await?;
            for task in answer.items.iter().filter(|t| worth_importing(t)) {
                if self.shared.with_library(|lib| lib.job_id_of_task(&task.id))?.is_none() {
                    unknown.push(RemoteTask::of(task));
                }
            }
            let seen = u64::from(page) * 100;
            if answer.items.len() < 100 || answer.total.is_some_and(|t| u64::try_from(t).unwrap_or(0) <= seen)
            {
                break;
            }
        }
        Ok(unknown)
    }

    /// Recovers V2 task `task_id`: a task the library knows is resumed (polled and downloaded, never created
    /// again); one it does not know becomes a video job holding that task, charged as the estimate of what it
    /// made (MiniMax billed it to this key), which then downloads its video. A task MiniMax no longer has
    /// (older than 7 days, or never this key's) is an error that says so.
    pub async fn recover_video_task(&self, task_id: &str) -> Result<Job> {
        let task_id = task_id.trim();
        if let Some(id) = self.shared.with_library(|lib| lib.job_id_of_task(task_id))? {
            let job = self.shared.with_library(|lib| lib.job(id))?;
            return match job.state {
                JobState::Succeeded => Ok(job),
                _ if job.state.is_finished() || job.state == JobState::Interrupted => self.retry(id),
                _ => Ok(job),
            };
        }
        let client = self.plan_client().ok_or_else(|| CoreError::InvalidRequest(NO_KEY.into()))?;
        let task = client.video_v2().query(task_id).await?.task;
        if !matches!(
            task.status,
            TaskStatus::Success | TaskStatus::Processing | TaskStatus::Queueing | TaskStatus::Preparing
        ) {
            return Err(CoreError::InvalidRequest(format!(
                "MiniMax's task {task_id} is {}: it holds no video to recover",
                status_word(&task.status)
            )));
        }
        let request = GenerationRequest::Video(VideoParams {
            model: task.model.clone().unwrap_or_else(|| minimax_api::video_v2::H3.to_owned()),
            prompt: format!("Recovered MiniMax video task {task_id}"),
            resolution: task.resolution.clone().filter(|r| !r.is_empty()),
            duration_s: task.duration.and_then(|d| u32::try_from(d).ok()),
            ratio: task.ratio.clone().filter(|r| !r.is_empty()),
            ..VideoParams::default()
        });
        let family = self.shared.profile().family;
        let charge = Charge::of(&request, family);
        let now = self.shared.clock.now_ms();
        let new = NewJob {
            modality: request.modality(),
            model: request.model().to_owned(),
            params: JobParams::Request(request.clone()),
            prompt: request.prompt(),
            estimate: self.shared.profile().estimate(&request.cost_input(None)),
            key_kind: KeyKind::Plan,
            demo: self.is_demo(),
            state: JobState::Queued,
            created_at_ms: now,
        };
        let job = self.shared.with_library(|lib| {
            let job = lib.insert_job_for(&new, Some(&self.shared.runner_id))?;
            lib.attach_remote_task(job.id, task_id, now)
        })?;
        if let Some(requests) = charge.requests {
            // Billed to this key already: the window counts it from now on (the server's count has it too;
            // the gauge takes the stricter figure, never the sum).
            let spend = NewSpend {
                charge_key: Some(charge_key(Some(task_id), 0)),
                basis: charge.basis.max_known(SpendBasis::Estimate),
                job_id: Some(job.id),
                modality: job.modality,
                model: job.model.clone(),
                key_kind: KeyKind::Plan,
                demo: job.demo,
                requests,
                units: 0,
                at_ms: now,
            };
            self.shared.with_library(|lib| lib.record_spend(&spend))?;
        }
        tracing::info!(job = job.id, task = task_id, "recovered a MiniMax video task");
        self.shared.emit(job.clone());
        watch::spawn_job(&self.shared, job.id);
        Ok(job)
    }
}

const NO_KEY: &str = "no Token Plan key: add one in Settings to look up MiniMax's video tasks";

impl SpendBasis {
    /// A placeholder stays a placeholder; anything else is `known`.
    fn max_known(self, known: SpendBasis) -> SpendBasis {
        if self == SpendBasis::Placeholder { self } else { known }
    }
}
