//! When a film's remaining jobs would run on the plan if queued now: a pure function of the jobs, the spend
//! already in the rolling window, the quota and the time (passed in; no clocks).
//!
//! **Window rule** (the same as `studio-core`'s `quota.rs`): a request billed at `t` counts while
//! `now − window < t` and is released at exactly `t + window`. Points stamped after `now` (clock skew) still
//! count, as there: better to under-promise. A job is billed when it starts.
//!
//! **Order.** Stages run cheapest first by their mean known cost per job (typically lines and keyframes,
//! then music, then clips); stages of equal cost keep the order keyframes, lines, music, clips. Within a
//! stage jobs keep the order given (the caller passes them oldest first, in film order). Jobs are a queue:
//! each starts at the earliest instant the window has room for it, and never before the job ahead of it.
//!
//! **Input size.** The caller (the library database) hands over only the points inside the current window,
//! not the whole ledger: the ledger may hold a million rows, the window at most a few thousand. Placing
//! 300 jobs against 1,000 points takes well under a millisecond (see `examples/script_bench.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FilmError, Result};

/// Expected run time of a keyframe (image-01 answers in about 10–20 s).
pub const KEYFRAME_RUN_MS: i64 = 15_000;
/// Expected run time of a voiced line (sync T2A of a short line: a few seconds).
pub const LINE_RUN_MS: i64 = 5_000;
/// Expected run time of a music cue (music generation takes about a minute).
pub const MUSIC_RUN_MS: i64 = 60_000;
/// Expected run time of a clip (Hailuo tasks take a few minutes, queueing included).
pub const CLIP_RUN_MS: i64 = 180_000;

/// The stages a film is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RenderStage {
    /// image-01 keyframes.
    Keyframes,
    /// Voiced lines.
    Lines,
    /// Hailuo clips.
    Clips,
    /// The music cue.
    Music,
}

impl RenderStage {
    /// All stages, in the order they are listed to people.
    pub const ALL: [RenderStage; 4] =
        [RenderStage::Keyframes, RenderStage::Lines, RenderStage::Clips, RenderStage::Music];

    /// How long one job of the stage is expected to run.
    pub fn run_ms(self) -> i64 {
        match self {
            RenderStage::Keyframes => KEYFRAME_RUN_MS,
            RenderStage::Lines => LINE_RUN_MS,
            RenderStage::Clips => CLIP_RUN_MS,
            RenderStage::Music => MUSIC_RUN_MS,
        }
    }

    /// The order among stages of equal cost per job: the usual cheapest first.
    fn tie_rank(self) -> u8 {
        match self {
            RenderStage::Keyframes => 0,
            RenderStage::Lines => 1,
            RenderStage::Music => 2,
            RenderStage::Clips => 3,
        }
    }
}

/// One job the film still needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleJob {
    /// Its stage.
    pub stage: RenderStage,
    /// Its cost in requests; `None` when the pricing table does not know it (never counted as zero).
    pub requests: Option<u64>,
    /// How people know it ("Shot 3 clip").
    pub label: String,
}

/// Requests billed at one instant, inside the current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerPoint {
    /// When they were billed, epoch ms.
    pub at_ms: i64,
    /// How many requests.
    pub requests: u64,
}

/// Everything the schedule depends on.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleInput<'a> {
    /// The jobs still to run, oldest first.
    pub jobs: &'a [ScheduleJob],
    /// Spend inside the current window (older points are ignored).
    pub window_points: &'a [LedgerPoint],
    /// Requests per window.
    pub quota: u64,
    /// The window's length in ms (5 hours on the Token Plan).
    pub window_ms: i64,
    /// Now, epoch ms.
    pub now_ms: i64,
    /// Requests already paid for the film's chosen takes, passed through for the budget.
    pub paid_requests: u64,
}

/// When one job starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchedulePlacement {
    /// The job's index in the input.
    pub job: u32,
    /// When it can start (and is billed), epoch ms.
    #[ts(type = "number")]
    pub start_ms: i64,
    /// When it is expected to finish, epoch ms.
    #[ts(type = "number")]
    pub finish_ms: i64,
}

/// A job the schedule could not place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnplacedJob {
    /// The job's index in the input.
    pub job: u32,
    /// Its label.
    pub label: String,
    /// Its cost, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub requests: Option<u64>,
}

/// What one stage costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StageTotal {
    /// The stage.
    pub stage: RenderStage,
    /// Known requests of its jobs.
    #[ts(type = "number")]
    pub requests: u64,
    /// How many jobs.
    pub count: u32,
    /// How many of them have an unknown cost.
    pub unknown: u32,
}

/// The film's schedule on the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmSchedule {
    /// The placed jobs, in the order they start.
    pub placements: Vec<SchedulePlacement>,
    /// Jobs costing more than a whole window's quota: they never run on the plan, only with the
    /// pay-as-you-go key.
    pub needs_pay_as_you_go: Vec<UnplacedJob>,
    /// Jobs whose cost is unknown: not placed, and the schedule is a lower bound while they exist.
    pub unknown_cost: Vec<UnplacedJob>,
    /// How many 5-hour windows the placed jobs span, counted from now: the k-th window is
    /// `[now + (k−1)·window, now + k·window)`, and this is the k of the last start (0 when nothing is
    /// placed). A film that fits in what remains now needs 1.
    pub windows_needed: u32,
    /// When the last placed job is expected to finish (the latest start + run time), epoch ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub finishes_at_ms: Option<i64>,
    /// Cost per stage, in the order keyframes, lines, clips, music.
    pub stages: Vec<StageTotal>,
    /// Known requests of all jobs.
    #[ts(type = "number")]
    pub total_requests: u64,
    /// Requests already paid (passed through).
    #[ts(type = "number")]
    pub paid_requests: u64,
}

/// Places the jobs on the rolling window; see the module documentation for the rules.
pub fn schedule(input: &ScheduleInput<'_>) -> Result<FilmSchedule> {
    if input.window_ms <= 0 {
        return Err(FilmError::ScheduleInput(format!(
            "the window must be longer than 0 ms, got {}",
            input.window_ms
        )));
    }
    let window = input.window_ms;
    let stages = stage_totals(input.jobs);
    let order = placement_order(input.jobs, &stages);

    // Billed instants in time order; `head` is the first not yet released, `used` the sum from `head` on.
    let mut events: Vec<(i64, u64)> =
        input.window_points.iter().filter(|p| p.requests > 0).map(|p| (p.at_ms, p.requests)).collect();
    events.sort_unstable_by_key(|&(at, _)| at);
    let mut head = 0usize;
    let mut used: u64 = events.iter().map(|&(_, r)| r).fold(0, u64::saturating_add);

    let mut schedule = FilmSchedule {
        placements: Vec::with_capacity(order.len()),
        needs_pay_as_you_go: Vec::new(),
        unknown_cost: Vec::new(),
        windows_needed: 0,
        finishes_at_ms: None,
        total_requests: stages.iter().map(|s| s.requests).fold(0, u64::saturating_add),
        stages,
        paid_requests: input.paid_requests,
    };
    let mut t = input.now_ms;
    for index in order {
        let job = &input.jobs[index];
        let unplaced =
            || UnplacedJob { job: index_u32(index), label: job.label.clone(), requests: job.requests };
        let cost = match job.requests {
            None => {
                schedule.unknown_cost.push(unplaced());
                continue;
            }
            Some(cost) if cost > input.quota => {
                schedule.needs_pay_as_you_go.push(unplaced());
                continue;
            }
            Some(cost) => cost,
        };
        release(t, window, &events, &mut head, &mut used);
        while used.saturating_add(cost) > input.quota {
            // Something is in the window (used > quota − cost ≥ 0): wait for its release.
            let Some(&(at, _)) = events.get(head) else { break };
            t = t.max(at.saturating_add(window));
            release(t, window, &events, &mut head, &mut used);
        }
        if cost > 0 {
            let at = events.partition_point(|&(e, _)| e <= t);
            events.insert(at, (t, cost));
            used = used.saturating_add(cost);
        }
        let finish_ms = t.saturating_add(job.stage.run_ms());
        schedule.placements.push(SchedulePlacement { job: index_u32(index), start_ms: t, finish_ms });
        schedule.finishes_at_ms = Some(schedule.finishes_at_ms.map_or(finish_ms, |f| f.max(finish_ms)));
    }
    if let Some(last) = schedule.placements.last() {
        let windows = (last.start_ms.saturating_sub(input.now_ms)) / window + 1;
        schedule.windows_needed = u32::try_from(windows).unwrap_or(u32::MAX);
    }
    Ok(schedule)
}

/// Moves `head` past every event released at `t` (billed at or before `t − window`), taking it off `used`.
fn release(t: i64, window: i64, events: &[(i64, u64)], head: &mut usize, used: &mut u64) {
    while let Some(&(at, requests)) = events.get(*head) {
        if at > t.saturating_sub(window) {
            break;
        }
        *used = used.saturating_sub(requests);
        *head += 1;
    }
}

/// Totals per stage, in [`RenderStage::ALL`] order.
fn stage_totals(jobs: &[ScheduleJob]) -> Vec<StageTotal> {
    RenderStage::ALL
        .iter()
        .map(|&stage| {
            let mut total = StageTotal { stage, requests: 0, count: 0, unknown: 0 };
            for job in jobs.iter().filter(|j| j.stage == stage) {
                total.count = total.count.saturating_add(1);
                match job.requests {
                    Some(r) => total.requests = total.requests.saturating_add(r),
                    None => total.unknown = total.unknown.saturating_add(1),
                }
            }
            total
        })
        .collect()
}

/// Job indices in placement order: stages by mean known cost per job (ties by [`RenderStage::tie_rank`]),
/// then input order.
fn placement_order(jobs: &[ScheduleJob], stages: &[StageTotal]) -> Vec<usize> {
    let mut ranked: Vec<&StageTotal> = stages.iter().collect();
    ranked.sort_by(|a, b| {
        let known = |s: &StageTotal| u128::from(s.count - s.unknown);
        // Compare requests_a / known_a with requests_b / known_b without division; a stage with no known
        // cost sorts last (it has nothing to place anyway).
        let mean = |s: &StageTotal, other: &StageTotal| u128::from(s.requests) * known(other);
        match (known(a), known(b)) {
            (0, 0) => std::cmp::Ordering::Equal,
            (0, _) => std::cmp::Ordering::Greater,
            (_, 0) => std::cmp::Ordering::Less,
            _ => mean(a, b).cmp(&mean(b, a)),
        }
        .then(a.stage.tie_rank().cmp(&b.stage.tie_rank()))
    });
    let mut order = Vec::with_capacity(jobs.len());
    for stage in ranked {
        order.extend(jobs.iter().enumerate().filter(|(_, j)| j.stage == stage.stage).map(|(i, _)| i));
    }
    order
}

fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
