//! Video (Hailuo): `POST /v1/video_generation` with the model × resolution × duration rules of §4.1
//! (text→video, image→video, first+last frame, subject reference) and `GET /v1/query/video_generation`,
//! whose status advances Preparing → Queueing → Processing → Success (or `Fail`) over simulated time.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use serde_json::{Value, json};

use crate::envelope::{ApiError, ApiResult, base_ok, ok_json};
use crate::ids::numeric_id;
use crate::media::video::clip_content;
use crate::quota;
use crate::routes::speech::task_id_param;
use crate::server::TaskFailInjected;
use crate::state::{KeyKind, SimState, Task, TaskKind};
use crate::validate::{Fields, parse_body};

const ALL_MODELS: &[&str] = &[
    "MiniMax-Hailuo-2.3",
    "MiniMax-Hailuo-2.3-Fast",
    "MiniMax-Hailuo-02",
    "T2V-01-Director",
    "T2V-01",
    "I2V-01-Director",
    "I2V-01-live",
    "I2V-01",
    "S2V-01",
];
const T2V_MODELS: &[&str] = &["MiniMax-Hailuo-2.3", "MiniMax-Hailuo-02", "T2V-01-Director", "T2V-01"];
const I2V_MODELS: &[&str] = &[
    "MiniMax-Hailuo-2.3",
    "MiniMax-Hailuo-2.3-Fast",
    "MiniMax-Hailuo-02",
    "I2V-01-Director",
    "I2V-01-live",
    "I2V-01",
];

/// The generation mode a request selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    TextToVideo,
    ImageToVideo,
    FirstLastFrame,
    SubjectReference,
}

/// Allowed `(resolution, durations)` per model and mode; the first entry is the default resolution.
fn allowed(model: &str, mode: Mode) -> &'static [(&'static str, &'static [i64])] {
    match (model, mode) {
        ("MiniMax-Hailuo-02", Mode::ImageToVideo) => {
            &[("768P", &[6, 10]), ("512P", &[6, 10]), ("1080P", &[6])]
        }
        ("MiniMax-Hailuo-2.3" | "MiniMax-Hailuo-2.3-Fast" | "MiniMax-Hailuo-02", _) => {
            &[("768P", &[6, 10]), ("1080P", &[6])]
        }
        _ => &[("720P", &[6])],
    }
}

/// Nominal output size of a resolution (16:9).
fn frame_size(resolution: &str) -> (u32, u32) {
    match resolution {
        "512P" => (912, 512),
        "720P" => (1280, 720),
        "1080P" => (1920, 1080),
        _ => (1366, 768),
    }
}

/// Checks an image given as a public URL or a data URL of an allowed type.
fn check_image(field: &str, value: &str) -> Result<(), ApiError> {
    let ok = value.starts_with("http://")
        || value.starts_with("https://")
        || ["jpeg", "jpg", "png", "webp"]
            .iter()
            .any(|t| value.starts_with(&format!("data:image/{t};base64,")) && value.len() > 30);
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "must be a public URL or a data:image/(jpeg|png|webp);base64 URL"))
    }
}

/// `POST /v1/video_generation`.
pub async fn create(
    State(state): State<Arc<SimState>>,
    Extension(key): Extension<KeyKind>,
    fail: Option<Extension<TaskFailInjected>>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let f = Fields::root(&body);
    let model = f.req_enum("model", ALL_MODELS)?;
    let prompt = f.opt_str("prompt")?;
    if let Some(prompt) = prompt {
        f.check_len("prompt", prompt, 0, 2_000)?;
    }
    let first = f.opt_str("first_frame_image")?;
    let last = f.opt_str("last_frame_image")?;
    for (name, value) in [("first_frame_image", first), ("last_frame_image", last)] {
        if let Some(value) = value {
            check_image(name, value)?;
        }
    }
    let mode = if model == "S2V-01" {
        let refs = f.opt_array("subject_reference")?.filter(|r| !r.is_empty());
        let Some(refs) = refs else {
            return Err(ApiError::invalid("subject_reference", "is required for S2V-01"));
        };
        let image =
            refs[0].get("image").and_then(Value::as_array).and_then(|a| a.first()).and_then(Value::as_str);
        if refs[0].get("type").and_then(Value::as_str) != Some("character") {
            return Err(ApiError::invalid("subject_reference[0].type", "must be \"character\""));
        }
        check_image("subject_reference[0].image", image.unwrap_or(""))?;
        Mode::SubjectReference
    } else if last.is_some() {
        if model != "MiniMax-Hailuo-02" {
            return Err(ApiError::invalid(
                "last_frame_image",
                format!("first+last frame needs MiniMax-Hailuo-02, not {model}"),
            ));
        }
        if first.is_none() {
            return Err(ApiError::invalid("first_frame_image", "is required with last_frame_image"));
        }
        Mode::FirstLastFrame
    } else if first.is_some() {
        if !I2V_MODELS.contains(&model) {
            return Err(ApiError::invalid("model", format!("{model} does not take first_frame_image")));
        }
        Mode::ImageToVideo
    } else {
        if !T2V_MODELS.contains(&model) {
            return Err(ApiError::invalid(
                "first_frame_image",
                format!("is required for {model} (image to video only)"),
            ));
        }
        if prompt.is_none_or(str::is_empty) {
            return Err(ApiError::invalid("prompt", "is required for text to video"));
        }
        Mode::TextToVideo
    };
    f.opt_bool("prompt_optimizer")?;
    f.opt_bool("fast_pretreatment")?;
    f.opt_str("callback_url")?;
    let rules = allowed(model, mode);
    let resolution = f.opt_enum("resolution", &["512P", "720P", "768P", "1080P"])?.unwrap_or(rules[0].0);
    let Some((_, durations)) = rules.iter().find(|(r, _)| *r == resolution) else {
        let list: Vec<&str> = rules.iter().map(|(r, _)| *r).collect();
        return Err(ApiError::invalid(
            "resolution",
            format!("{model} supports {} here, not {resolution}", list.join(", ")),
        ));
    };
    let duration = f.opt_i64("duration")?.unwrap_or(6);
    if !durations.contains(&duration) {
        return Err(ApiError::invalid(
            "duration",
            format!("{model} at {resolution} supports {durations:?} s, not {duration}"),
        ));
    }
    state.charge_video(key, quota::video_cost(model, resolution, duration as u64), false)?;
    let config = state.config();
    let task_id = numeric_id();
    let (width, height) = frame_size(resolution);
    let clip = clip_content(width, height, duration as u32, config.video_size).await;
    let output = state.new_file(format!("{task_id}.mp4"), "video_generation", config.video_url_ttl_ms, clip);
    let task = Task {
        kind: TaskKind::Video,
        created_ms: state.clock.now_ms(),
        duration_ms: config.video_task_ms,
        fail: fail.is_some(),
        size: (width, height),
        output,
    };
    state.lock().tasks.insert(task_id, task);
    Ok(ok_json(json!({ "task_id": task_id.to_string(), "base_resp": base_ok() })))
}

/// `GET /v1/query/video_generation?task_id=`.
pub async fn query(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let task_id = task_id_param(&query)?;
    state.settle_tasks();
    let task = state.lock().tasks.get(&task_id).filter(|t| t.kind == TaskKind::Video).cloned();
    let Some(task) = task else {
        return Err(ApiError::invalid("task_id", format!("no such task {task_id}")));
    };
    let elapsed = state.clock.now_ms().saturating_sub(task.created_ms);
    let total = task.duration_ms.max(1);
    let status = match elapsed {
        e if e >= task.duration_ms => {
            if task.fail {
                "Fail"
            } else {
                "Success"
            }
        }
        e if e * 10 < total => "Preparing",
        e if e * 10 < total * 3 => "Queueing",
        _ => "Processing",
    };
    let mut body = json!({ "task_id": task_id.to_string(), "status": status, "base_resp": base_ok() });
    if status == "Success" {
        body["file_id"] = Value::String(task.output.file_id.to_string());
        body["video_width"] = json!(task.size.0);
        body["video_height"] = json!(task.size.1);
    }
    Ok(ok_json(body))
}
