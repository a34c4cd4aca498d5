//! Video V2 (MiniMax-H3, MiniMax-H3-Max), minimax-api-2026.md §3: `POST /v2/video_generation`,
//! `GET /v2/query/video_generation/{task_id}`, `GET /v2/query/video_generation` (paged list of the last
//! 7 days) and `DELETE /v2/video_generation/{task_id}`. Every error is a real HTTP status with the
//! OpenAI-style body (§3.7). A task is `queued` for the first fifth of `video_v2_task_ms`, then `running`,
//! then `succeeded` (with a fresh signed `content.url` on every query) or `failed`; `cancelled` when
//! deleted while queued; `expired` once older than `video_v2_expire_ms`. A Token Plan key configured
//! without H3 (`h3_access: false`) is refused with `2013` naming the Token Plan, as the CLI skill expects.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use crate::envelope::{ApiError, ApiResult, OutcomeKind, ok_json};
use crate::ids::numeric_id;
use crate::media::video::clip_content_with_sound;
use crate::quota;
use crate::server::TaskFailInjected;
use crate::state::{KeyKind, SimState, StoredFile};
use crate::validate::{Fields, parse_body};

const MODELS: &[&str] = &["MiniMax-H3", "MiniMax-H3-Max"];
const RATIOS: &[&str] = &["adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"];
const STATUSES: &[&str] = &["queued", "running", "succeeded", "failed", "cancelled", "expired"];

/// One V2 task.
#[derive(Debug, Clone)]
pub struct V2Task {
    /// The id (digits, sent as a string).
    pub id: String,
    /// `MiniMax-H3` or `MiniMax-H3-Max`.
    pub model: String,
    /// Simulated epoch ms at creation.
    pub created_ms: u64,
    /// How long it takes.
    pub duration_ms: u64,
    /// Ends `failed` (fault `taskFail`).
    pub fail: bool,
    /// When it was cancelled.
    pub cancelled_ms: Option<u64>,
    /// Requested resolution.
    pub resolution: String,
    /// Requested seconds.
    pub seconds: u64,
    /// Effective ratio.
    pub ratio: String,
    /// Input images (reported in `usage`).
    pub images: usize,
    /// What was charged, and when (refunded on cancel).
    pub charged: Option<(u64, u64)>,
    /// The clip served at `content.url`.
    pub output: StoredFile,
}

impl V2Task {
    /// The status at `now`.
    pub fn status(&self, now: u64, expire_ms: u64) -> &'static str {
        let elapsed = now.saturating_sub(self.created_ms);
        if self.cancelled_ms.is_some() {
            "cancelled"
        } else if elapsed >= expire_ms {
            "expired"
        } else if elapsed >= self.duration_ms {
            if self.fail { "failed" } else { "succeeded" }
        } else if elapsed * 5 < self.duration_ms {
            "queued"
        } else {
            "running"
        }
    }

    /// The task object of query and list.
    fn to_json(&self, state: &SimState, now: u64, expire_ms: u64) -> Value {
        let status = self.status(now, expire_ms);
        let updated_ms = match status {
            "queued" => self.created_ms,
            "running" => self.created_ms + self.duration_ms / 5,
            "cancelled" => self.cancelled_ms.unwrap_or(self.created_ms),
            _ => self.created_ms + self.duration_ms,
        };
        let mut task = json!({
            "id": self.id, "model": self.model, "status": status,
            "created_at": self.created_ms / 1000, "updated_at": updated_ms / 1000,
            "resolution": self.resolution, "duration": self.seconds, "ratio": self.ratio,
            "task_type": "generation", "modality": "video", "usage": {},
        });
        match status {
            "succeeded" => {
                task["content"] = json!({ "url": state.signed_url(&self.output) });
                task["usage"] = json!({ "total_seconds": self.seconds, "input_seconds": 0,
                                        "output_seconds": self.seconds, "input_image_count": self.images });
            }
            "failed" => {
                task["error"] =
                    json!({ "code": "1026", "message": "video description contains sensitive content" });
                task["usage"] = json!({ "total_seconds": 0, "input_seconds": 0, "output_seconds": 0, "input_image_count": 0 });
            }
            _ => {}
        }
        task
    }
}

/// The validated request: model, resolution, seconds, effective ratio and the image count.
struct Ask<'a> {
    model: &'a str,
    resolution: &'a str,
    seconds: u64,
    ratio: &'a str,
    images: usize,
    /// `generate_audio` (the API's default is on).
    audio: bool,
}

/// Checks `content` (§3.2, §8 item 8); returns the roles of the media items and the image count.
fn check_content(f: &Fields<'_>) -> Result<(Vec<&'static str>, usize), ApiError> {
    let Some(items) = f.opt_array("content")? else {
        return Err(ApiError::invalid("content", "is required"));
    };
    let images = items.iter().filter(|i| i.get("type").and_then(Value::as_str) == Some("image_url")).count();
    let mut texts = 0;
    let mut roles = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return Err(ApiError::invalid(format!("content[{i}]"), "must be an object"));
        };
        let item = Fields::root(object);
        let kind = item.req_enum("type", &["text", "image_url", "video_url", "audio_url"])?;
        if kind == "text" {
            let text = item.req_str("text")?;
            if text.trim().is_empty() {
                return Err(ApiError::invalid(
                    "content",
                    "must include a non-empty text item (prompt is required)",
                ));
            }
            f.check_len("content.text", text, 1, 7_000)?;
            texts += 1;
            continue;
        }
        let media = kind.trim_end_matches("_url");
        let url = item
            .opt_object(kind)?
            .map(|o| o.req_str("url"))
            .transpose()?
            .ok_or_else(|| ApiError::invalid(format!("content[{i}].{kind}.url"), "is required"))?;
        let scheme_ok = url.starts_with("https://")
            || url.starts_with("http://")
            || url
                .strip_prefix("mm_file://")
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            || (url.starts_with(&format!("data:{media}/")) && url.contains(";base64,"));
        if !scheme_ok {
            return Err(ApiError::invalid(
                format!("content[{i}].{kind}.url"),
                format!("must be a public URL, mm_file://<file id> or data:{media}/…;base64"),
            ));
        }
        let allowed: &[&'static str] = match kind {
            "image_url" => &["first_frame", "last_frame", "reference_image"],
            "video_url" => &["reference_video"],
            _ => &["reference_audio"],
        };
        let role = match item.opt_enum("role", allowed)? {
            Some(role) => allowed.iter().copied().find(|r| *r == role).unwrap_or(allowed[0]),
            None if kind == "image_url" && images > 1 => {
                return Err(ApiError::invalid(
                    format!("content[{i}].role"),
                    "is required when there are several images",
                ));
            }
            None if kind == "image_url" => "first_frame",
            None => allowed[0],
        };
        roles.push(role);
    }
    if texts != 1 {
        return Err(ApiError::invalid(
            "content",
            "must include exactly one non-empty text item (prompt is required)",
        ));
    }
    Ok((roles, images))
}

fn validate<'a>(f: &Fields<'a>) -> Result<Ask<'a>, ApiError> {
    let model = f.req_enum("model", MODELS)?;
    let (roles, images) = check_content(f)?;
    let count = |role: &str| roles.iter().filter(|r| **r == role).count();
    let frames = count("first_frame") + count("last_frame");
    if frames > 0 && frames < roles.len() {
        return Err(ApiError::invalid("content", "frame roles and reference roles cannot be mixed"));
    }
    if count("first_frame") > 1 || count("last_frame") > 1 {
        return Err(ApiError::invalid("content", "at most one first_frame and one last_frame"));
    }
    for (role, max) in [("reference_image", 9), ("reference_video", 3), ("reference_audio", 3)] {
        if count(role) > max {
            return Err(ApiError::invalid("content", format!("at most {max} {role} items")));
        }
    }
    if roles.len() > 12 {
        return Err(ApiError::invalid("content", "at most 12 media items"));
    }
    if count("reference_audio") > 0 && count("reference_image") + count("reference_video") == 0 {
        return Err(ApiError::invalid(
            "content",
            "reference_audio needs a reference_image or reference_video",
        ));
    }
    let reference = frames == 0 && !roles.is_empty();
    if reference && model == "MiniMax-H3-Max" {
        return Err(ApiError::invalid("content", "MiniMax-H3-Max supports text and first/last frame only"));
    }
    let ratio = f.opt_enum("ratio", RATIOS)?;
    if roles.is_empty() && ratio.is_none_or(|r| r == "adaptive") {
        return Err(ApiError::invalid("ratio", "text-to-video needs a ratio other than adaptive"));
    }
    let (resolutions, (min, max)): (&[&str], (i64, i64)) =
        if model == "MiniMax-H3" { (&["768P", "2K"], (4, 15)) } else { (&["480P", "768P"], (5, 15)) };
    let resolution =
        f.opt_str("resolution")?.ok_or_else(|| ApiError::invalid("resolution", "is required"))?;
    if !resolutions.contains(&resolution) {
        return Err(ApiError::invalid("resolution", format!("{model} supports {}", resolutions.join(", "))));
    }
    let seconds = f.opt_i64("duration")?.ok_or_else(|| ApiError::invalid("duration", "is required"))?;
    if !(min..=max).contains(&seconds) {
        return Err(ApiError::invalid(
            "duration",
            format!("{model} supports {min} to {max} seconds, not {seconds}"),
        ));
    }
    let audio = f.opt_bool("generate_audio")?.unwrap_or(true);
    f.opt_bool("aigc_watermark")?;
    f.opt_str("callback_url")?;
    if let Some(extra) = f.opt_object("extra")? {
        if model != "MiniMax-H3-Max" {
            return Err(ApiError::invalid("extra", "is only supported by MiniMax-H3-Max"));
        }
        extra.opt_enum("prompt_expansion_mode", &["disabled", "balanced", "quality"])?;
        if let Some(unknown) = extra.keys().find(|k| *k != "prompt_expansion_mode") {
            return Err(ApiError::invalid(extra.path(unknown), "unknown key"));
        }
    }
    let ratio = if frames > 0 { "adaptive" } else { ratio.unwrap_or("adaptive") };
    Ok(Ask { model, resolution, seconds: seconds as u64, ratio, images, audio })
}

/// `POST /v2/video_generation`.
pub async fn create(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    fail: Option<Extension<TaskFailInjected>>,
    body: Bytes,
) -> ApiResult {
    create_task(&state, key, fail.is_some(), &body).await.map_err(ApiError::into_v2)
}

/// The frame of a clip at `resolution` (its short side: 480, 768, or 1440 for 2K) in `ratio` (`adaptive`
/// is taken as 16:9; the real server follows the first frame). Sides are even, as H.264 in 4:2:0 needs.
fn frame_size(resolution: &str, ratio: &str) -> (u32, u32) {
    let short: u32 = match resolution {
        "480P" => 480,
        "2K" => 1440,
        _ => 768,
    };
    let (a, b) = ratio
        .split_once(':')
        .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
        .filter(|(a, b)| *a > 0 && *b > 0)
        .unwrap_or((16, 9));
    let even_long = |wide: u32, narrow: u32| (short * wide + narrow) / (2 * narrow) * 2;
    if a >= b { (even_long(a, b), short) } else { (short, even_long(b, a)) }
}

async fn create_task(state: &SimState, key: KeyKind, fail: bool, body: &[u8]) -> ApiResult {
    let body = parse_body(body)?;
    let f = Fields::root(&body);
    let ask = validate(&f)?;
    let config = state.config();
    if key == KeyKind::TokenPlan && !config.h3_access {
        // The exact server text is undocumented; the CLI skill says a 2013 naming TokenPlan or Credit
        // means "switch to a pay-as-you-go key" (minimax-api-2026.md §3.1).
        return Err(ApiError::Base {
            code: 2013,
            message: format!("invalid params, TokenPlan or Credit does not support model {}", ask.model),
            kind: OutcomeKind::Error,
        });
    }
    let cost = quota::video_v2_cost(ask.model, ask.resolution, ask.seconds);
    let now = state.charge_video(key, cost, true)?;
    let id = numeric_id().to_string();
    // The clip has the asked frame and length, with a soundtrack only when one was asked for.
    let (width, height) = frame_size(ask.resolution, ask.ratio);
    let clip = clip_content_with_sound(width, height, ask.seconds as u32, ask.audio, config.video_size).await;
    let output = state.new_file(format!("{id}.mp4"), "video_generation", config.video_url_ttl_ms, clip);
    let task = V2Task {
        id: id.clone(),
        model: ask.model.to_owned(),
        created_ms: now,
        duration_ms: config.video_v2_task_ms.max(1),
        fail,
        cancelled_ms: None,
        resolution: ask.resolution.to_owned(),
        seconds: ask.seconds,
        ratio: ask.ratio.to_owned(),
        images: ask.images,
        charged: (key == KeyKind::TokenPlan).then_some((now, cost)),
        output,
    };
    let mut inner = state.lock();
    inner.files.insert(task.output.file_id, task.output.clone());
    inner.v2_tasks.insert(id.clone(), task);
    Ok(ok_json(json!({ "task_id": id })))
}

/// A well-formed request about a task that cannot be served (unknown, running, cancelled): logged as an
/// error, not as a validation failure of the request.
fn refusal(message: String) -> ApiError {
    ApiError::Base { code: 2013, message: format!("invalid params, {message}"), kind: OutcomeKind::Error }
        .into_v2()
}

fn unknown_task(task_id: &str) -> ApiError {
    refusal(format!("invalid task_id {task_id}"))
}

/// `GET /v2/query/video_generation/{task_id}`.
pub async fn query(State(state): State<Arc<SimState>>, Path(task_id): Path<String>) -> ApiResult {
    let now = state.clock.now_ms();
    let expire_ms = state.config().video_v2_expire_ms;
    let task = state.lock().v2_tasks.get(&task_id).cloned().ok_or_else(|| unknown_task(&task_id))?;
    Ok(ok_json(json!({ "task": task.to_json(&state, now, expire_ms) })))
}

/// `GET /v2/query/video_generation?page_num&page_size&filter.status&filter.task_ids&filter.model&filter.task_type`.
pub async fn list(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    list_tasks(&state, &query).map_err(ApiError::into_v2)
}

fn list_tasks(state: &SimState, query: &HashMap<String, String>) -> ApiResult {
    let number = |name: &str, default: u64| -> Result<u64, ApiError> {
        match query.get(name) {
            None => Ok(default),
            Some(raw) => raw.parse().map_err(|_| ApiError::invalid(name, "must be a positive integer")),
        }
    };
    let page_num = number("page_num", 1)?;
    let page_size = number("page_size", 20)?;
    if page_num == 0 || !(1..=100).contains(&page_size) {
        return Err(ApiError::invalid("page_size", "page_num from 1, page_size 1 to 100"));
    }
    let status = query.get("filter.status").map(String::as_str);
    if let Some(status) = status
        && !STATUSES.contains(&status)
    {
        return Err(ApiError::invalid("filter.status", format!("must be one of {}", STATUSES.join(", "))));
    }
    let ids: Vec<&str> =
        query.get("filter.task_ids").map(|s| s.split(',').map(str::trim).collect()).unwrap_or_default();
    let model = query.get("filter.model").map(String::as_str);
    let task_type = query.get("filter.task_type").map(String::as_str);
    let now = state.clock.now_ms();
    let expire_ms = state.config().video_v2_expire_ms;
    let mut tasks: Vec<V2Task> = state
        .lock()
        .v2_tasks
        .values()
        .filter(|t| now.saturating_sub(t.created_ms) < expire_ms)
        .filter(|t| status.is_none_or(|s| t.status(now, expire_ms) == s))
        .filter(|t| ids.is_empty() || ids.contains(&t.id.as_str()))
        .filter(|t| model.is_none_or(|m| t.model == m))
        .filter(|_| task_type.is_none_or(|t| t == "generation"))
        .cloned()
        .collect();
    tasks.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then_with(|| b.id.cmp(&a.id)));
    let total = tasks.len();
    let start = ((page_num - 1) * page_size) as usize;
    let items: Vec<Value> =
        tasks.iter().skip(start).take(page_size as usize).map(|t| t.to_json(state, now, expire_ms)).collect();
    Ok(ok_json(json!({ "items": items, "total": total })))
}

/// `DELETE /v2/video_generation/{task_id}`: cancels a queued task (refunded), deletes a finished one,
/// refuses a running or cancelled one.
pub async fn delete(State(state): State<Arc<SimState>>, Path(task_id): Path<String>) -> ApiResult {
    let now = state.clock.now_ms();
    let expire_ms = state.config().video_v2_expire_ms;
    let mut inner = state.lock();
    let Some(task) = inner.v2_tasks.get_mut(&task_id) else {
        return Err(unknown_task(&task_id));
    };
    let refuse = |why: &str| Err(refusal(format!("task_id {task_id}: {why}")));
    match task.status(now, expire_ms) {
        "queued" => {
            task.cancelled_ms = Some(now);
            if let Some((at, cost)) = task.charged.take() {
                inner.ledger.refund(at, cost);
            }
            Ok(ok_json(json!({ "task_id": task_id, "action": "cancelled", "status": "cancelled" })))
        }
        "running" => refuse("a running task cannot be cancelled"),
        "cancelled" => refuse("the task is already cancelled"),
        _ => {
            let file_id = task.output.file_id;
            inner.v2_tasks.remove(&task_id);
            inner.files.remove(&file_id);
            Ok(ok_json(json!({ "task_id": task_id, "action": "deleted", "status": "deleted" })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::frame_size;

    #[test]
    fn clips_have_the_resolution_s_short_side_in_the_ratio() {
        assert_eq!(frame_size("768P", "16:9"), (1366, 768));
        assert_eq!(frame_size("768P", "adaptive"), (1366, 768));
        assert_eq!(frame_size("768P", "9:16"), (768, 1366));
        assert_eq!(frame_size("2K", "16:9"), (2560, 1440));
        assert_eq!(frame_size("480P", "1:1"), (480, 480));
        assert_eq!(frame_size("768P", "21:9"), (1792, 768));
        assert_eq!(frame_size("768P", "3:4"), (768, 1024));
    }
}
