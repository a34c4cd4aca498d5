//! The whole film costed and scheduled before anything is spent: what each stage still costs, what is
//! already paid, how many windows the rest needs on the user's plan and when it would be done if queued now,
//! and a cheaper path with its saving. Unknown costs are named, never counted as zero.
//!
//! Pure over its inputs (the film, the ledger's points in the current window, the quota, the time): the
//! caller reads the window's points from the ledger (`Library::window_points`), so a 1M-row ledger costs
//! one index range scan, not a sum over the ledger.

use serde::{Deserialize, Serialize};
use studio_core::pricing;
use studio_core::quota::SpendPoint;
use studio_core::request::GenerationRequest;
use ts_rs::TS;

use super::job_words::{BlockedJob, CheaperChange, JobLabel};
use super::model::{Film, Take};
use super::stages::{PlannedJob, StageChoice, StageOptions, plan};
use crate::error::Result;
use crate::schedule::{FilmSchedule, LedgerPoint, RenderStage, ScheduleInput, ScheduleJob, schedule};

/// The cheaper path's clips: Hailuo-02 at 512P, the table's cheapest clip.
pub const DRAFT_VIDEO_MODEL: &str = "MiniMax-Hailuo-02";
/// The cheaper path's clip resolution.
pub const DRAFT_VIDEO_RESOLUTION: &str = "512P";

/// One stage's cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageCost {
    /// The stage.
    pub stage: RenderStage,
    /// Requests still to spend (known costs).
    #[ts(type = "number")]
    pub requests: u64,
    /// Jobs still to make.
    pub jobs: u32,
    /// Jobs whose cost the table does not know.
    pub unknown: u32,
    /// Requests already paid for this stage's takes.
    #[ts(type = "number")]
    pub paid: u64,
}

/// The cheaper path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheaperPath {
    /// What the rest would cost that way.
    #[ts(type = "number")]
    pub total_requests: u64,
    /// What changes.
    pub changes: Vec<CheaperChange>,
    /// The saving in percent of the current plan (0–100).
    pub saving_percent: u32,
}

/// The film's budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmBudget {
    /// Per stage, keyframes, lines, clips, music.
    pub stages: Vec<StageCost>,
    /// Requests still to spend (known costs).
    #[ts(type = "number")]
    pub total_requests: u64,
    /// Requests already paid for the film's takes.
    #[ts(type = "number")]
    pub paid_requests: u64,
    /// 5-hour windows the rest spans on this plan, from now.
    pub windows_needed: u32,
    /// When it would be done if queued now, epoch ms (none: nothing to do, or only unknown costs).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finishes_at_ms: Option<i64>,
    /// Jobs whose cost is unknown (named; the finish time is a lower bound while they exist).
    pub unknown: Vec<JobLabel>,
    /// Jobs bigger than a whole window: only the pay-as-you-go key can run them.
    pub needs_pay_as_you_go: Vec<JobLabel>,
    /// Jobs that cannot be sent yet, with why.
    pub blocked: Vec<BlockedJob>,
    /// A cheaper way to the same film, when there is one.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cheaper: Option<CheaperPath>,
}

/// What the plan holds: its quota per window and the window's spend now.
#[derive(Debug, Clone)]
pub struct PlanWindow {
    /// Requests per window.
    pub quota: u64,
    /// The window's length, ms.
    pub window_ms: i64,
    /// Spend inside the window.
    pub points: Vec<SpendPoint>,
    /// Now, epoch ms.
    pub now_ms: i64,
}

fn cost(request: &GenerationRequest) -> Option<u64> {
    pricing::estimate(&request.cost_input(None)).requests().map(u64::from)
}

fn paid(takes: &[Take]) -> u64 {
    takes.iter().filter_map(|t| (t.ordinal == 0).then_some(t.requests).flatten()).map(u64::from).sum()
}

/// The budget of `film` on `window`.
pub fn budget(film: &Film, window: &PlanWindow, root: &std::path::Path) -> Result<FilmBudget> {
    let jobs = plan(film, StageChoice::All, &StageOptions::default(), root);
    let scheduled = schedule_of(&jobs, window, paid_of(film))?;
    let mut stages: Vec<StageCost> = scheduled
        .stages
        .iter()
        .map(|s| StageCost {
            stage: s.stage,
            requests: s.requests,
            jobs: s.count,
            unknown: s.unknown,
            paid: 0,
        })
        .collect();
    for stage in &mut stages {
        stage.paid = match stage.stage {
            RenderStage::Keyframes => film.shots.iter().map(|s| paid(&s.keyframes)).sum(),
            RenderStage::Clips => film.shots.iter().map(|s| paid(&s.clips)).sum(),
            RenderStage::Lines => film.shots.iter().flat_map(|s| &s.lines).map(|l| paid(&l.takes)).sum(),
            RenderStage::Music => paid(&film.music),
        };
    }
    let cheaper = cheaper_path(&jobs, scheduled.total_requests);
    Ok(FilmBudget {
        stages,
        total_requests: scheduled.total_requests,
        paid_requests: scheduled.paid_requests,
        windows_needed: scheduled.windows_needed,
        finishes_at_ms: scheduled.finishes_at_ms,
        unknown: scheduled.unknown_cost.iter().filter_map(|u| label_of(&jobs, u.job)).collect(),
        needs_pay_as_you_go: scheduled
            .needs_pay_as_you_go
            .iter()
            .filter_map(|u| label_of(&jobs, u.job))
            .collect(),
        blocked: jobs
            .iter()
            .filter_map(|j| j.problem.clone().map(|problem| BlockedJob { label: j.label.clone(), problem }))
            .collect(),
        cheaper,
    })
}

/// The label of the planned job the schedule calls `index`.
fn label_of(jobs: &[PlannedJob], index: u32) -> Option<JobLabel> {
    jobs.get(usize::try_from(index).ok()?).map(|j| j.label.clone())
}

fn paid_of(film: &Film) -> u64 {
    film.shots
        .iter()
        .map(|s| paid(&s.keyframes) + paid(&s.clips) + s.lines.iter().map(|l| paid(&l.takes)).sum::<u64>())
        .sum::<u64>()
        + paid(&film.music)
}

/// Places `jobs` on the plan's rolling window (see [`crate::schedule`]).
pub fn schedule_of(jobs: &[PlannedJob], window: &PlanWindow, paid_requests: u64) -> Result<FilmSchedule> {
    let schedule_jobs: Vec<ScheduleJob> = jobs
        .iter()
        .map(|j| ScheduleJob { stage: j.stage, requests: cost(&j.request), label: j.label.to_string() })
        .collect();
    let points: Vec<LedgerPoint> =
        window.points.iter().map(|p| LedgerPoint { at_ms: p.at_ms, requests: p.requests }).collect();
    schedule(&ScheduleInput {
        jobs: &schedule_jobs,
        window_points: &points,
        quota: window.quota,
        window_ms: window.window_ms,
        now_ms: window.now_ms,
        paid_requests,
    })
}

/// The same film with Hailuo-02 512P clips and Turbo voices, when that is cheaper.
fn cheaper_path(jobs: &[PlannedJob], current: u64) -> Option<CheaperPath> {
    let mut changes = Vec::new();
    let mut total = 0u64;
    let mut drafted_clips = 0u32;
    let mut turbo_lines = 0u32;
    for job in jobs {
        let cheaper = match &job.request {
            GenerationRequest::Video(video)
                if video.model != DRAFT_VIDEO_MODEL
                    || video.resolution.as_deref() != Some(DRAFT_VIDEO_RESOLUTION) =>
            {
                let mut draft = video.clone();
                draft.model = DRAFT_VIDEO_MODEL.into();
                draft.resolution = Some(DRAFT_VIDEO_RESOLUTION.into());
                draft.duration_s = Some(if video.duration_s.unwrap_or(6) >= 10 { 10 } else { 6 });
                drafted_clips += 1;
                GenerationRequest::Video(draft)
            }
            GenerationRequest::Speech(speech) if speech.model.ends_with("-hd") => {
                let mut turbo = speech.clone();
                turbo.model = speech.model.trim_end_matches("-hd").to_owned() + "-turbo";
                turbo_lines += 1;
                GenerationRequest::Speech(turbo)
            }
            other => other.clone(),
        };
        total += cost(&cheaper).unwrap_or(0);
    }
    if drafted_clips > 0 {
        changes.push(CheaperChange::DraftClips {
            count: drafted_clips,
            model: DRAFT_VIDEO_MODEL.into(),
            resolution: DRAFT_VIDEO_RESOLUTION.into(),
        });
    }
    if turbo_lines > 0 {
        changes.push(CheaperChange::TurboLines { count: turbo_lines });
    }
    (total < current && !changes.is_empty()).then(|| CheaperPath {
        total_requests: total,
        changes,
        saving_percent: u32::try_from((current - total) * 100 / current.max(1)).unwrap_or(0),
    })
}
