//! The answers of the V2 video endpoints: the task object of query and list, the create and delete
//! answers, and the list filter (minimax-api-2026.md §3.3–3.5).

use serde::{Deserialize, Serialize};

use crate::envelope::{BaseResp, enveloped_and_traced};
use crate::task::TaskStatus;
use crate::wire::{lenient_count, lenient_string, opt_string_or_number, string_or_number};

/// The answer of a create: `{"task_id": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2Created {
    /// The task id (store it before the first poll).
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoV2Created);

/// `error` of a failed task (the code is a string on the wire, e.g. `"1026"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2TaskError {
    /// The MiniMax code, e.g. `1026`.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
}

impl VideoV2TaskError {
    /// The code as a number, when it is one.
    pub fn code_number(&self) -> Option<i64> {
        self.code.as_deref()?.trim().parse().ok()
    }
}

/// `content` of a task: the video URL (time-limited: download at once, query again for a fresh one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2Content {
    /// The video, on success.
    #[serde(default)]
    pub url: Option<String>,
    /// The enhanced prompt (H3-Context-IR tasks).
    #[serde(default)]
    pub prompt: Option<String>,
}

/// `usage` of a task (sent after success; `{}` before).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoV2Usage {
    /// Input + output seconds (what is billed).
    #[serde(default, deserialize_with = "lenient_count")]
    pub total_seconds: Option<i64>,
    /// Reference-video seconds.
    #[serde(default, deserialize_with = "lenient_count")]
    pub input_seconds: Option<i64>,
    /// Seconds made.
    #[serde(default, deserialize_with = "lenient_count")]
    pub output_seconds: Option<i64>,
    /// Input images.
    #[serde(default, deserialize_with = "lenient_count")]
    pub input_image_count: Option<i64>,
    /// Reference-audio seconds (global list page).
    #[serde(default, deserialize_with = "lenient_count")]
    pub input_audio_seconds: Option<i64>,
    /// Tokens (Context-IR tasks and the global list page).
    #[serde(default, deserialize_with = "lenient_count")]
    pub total_tokens: Option<i64>,
}

/// One V2 task as query and list return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoV2Task {
    /// The task id.
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// `MiniMax-H3`, `MiniMax-H3-Max`.
    #[serde(default)]
    pub model: Option<String>,
    /// `queued` → [`TaskStatus::Queueing`], `running` → `Processing`, `succeeded` → `Success`, `failed`
    /// → `Failed`, `cancelled` → `Cancelled`, `expired` → `Expired` (the last three are terminal).
    pub status: TaskStatus,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<VideoV2TaskError>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "lenient_count")]
    pub created_at: Option<i64>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "lenient_count")]
    pub updated_at: Option<i64>,
    /// The result.
    #[serde(default)]
    pub content: Option<VideoV2Content>,
    /// Output resolution.
    #[serde(default, deserialize_with = "lenient_string")]
    pub resolution: Option<String>,
    /// Output seconds.
    #[serde(default, deserialize_with = "lenient_count")]
    pub duration: Option<i64>,
    /// Output ratio (`""` when it does not apply).
    #[serde(default, deserialize_with = "lenient_string")]
    pub ratio: Option<String>,
    /// `generation`, `h3_context_ir`, `regeneration`.
    #[serde(default)]
    pub task_type: Option<String>,
    /// `video` or `text`.
    #[serde(default)]
    pub modality: Option<String>,
    /// What was billed.
    #[serde(default)]
    pub usage: Option<VideoV2Usage>,
}

impl VideoV2Task {
    /// The video URL of a succeeded task.
    pub fn video_url(&self) -> Option<&str> {
        self.content.as_ref()?.url.as_deref().filter(|url| !url.is_empty())
    }

    /// Whether `DELETE` would cancel it (only while queued: nothing is charged then).
    pub fn cancellable(&self) -> bool {
        self.status == TaskStatus::Queueing
    }
}

/// The answer of a query: `{"task": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoV2Query {
    /// The task.
    pub task: VideoV2Task,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoV2Query);

/// One page of the task list (tasks of the last 7 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoV2Page {
    /// The tasks of the page (`null` reads as none).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub items: Vec<VideoV2Task>,
    /// Matches in the last 7 days, over every page.
    #[serde(default, deserialize_with = "lenient_count")]
    pub total: Option<i64>,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoV2Page);

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<VideoV2Task>, D::Error> {
    Ok(Option::<Vec<VideoV2Task>>::deserialize(d)?.unwrap_or_default())
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2Deleted {
    /// The task id.
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// `cancelled` (it was queued, nothing is charged) or `deleted` (the record is gone).
    #[serde(default)]
    pub action: String,
    /// The task's status afterwards.
    #[serde(default)]
    pub status: String,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    pub(crate) base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoV2Deleted);

/// `filter.status` of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoV2StatusFilter {
    /// Waiting to start (cancellable).
    Queued,
    /// Being made.
    Running,
    /// Done.
    Succeeded,
    /// Failed.
    Failed,
    /// Cancelled while queued.
    Cancelled,
    /// Expired (older CN copy).
    Expired,
}

impl VideoV2StatusFilter {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            VideoV2StatusFilter::Queued => "queued",
            VideoV2StatusFilter::Running => "running",
            VideoV2StatusFilter::Succeeded => "succeeded",
            VideoV2StatusFilter::Failed => "failed",
            VideoV2StatusFilter::Cancelled => "cancelled",
            VideoV2StatusFilter::Expired => "expired",
        }
    }
}

/// What to list. Leave `model` unset to see H3-Max tasks too (the CLI always filters on MiniMax-H3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2ListRequest {
    /// From 1.
    pub page_num: u32,
    /// Tasks per page (1–100).
    pub page_size: u32,
    /// Only tasks in this status.
    #[serde(default)]
    pub status: Option<VideoV2StatusFilter>,
    /// Only these tasks (sent comma-joined, as the CLI does).
    #[serde(default)]
    pub task_ids: Vec<String>,
    /// Only this model.
    #[serde(default)]
    pub model: Option<String>,
    /// `generation`, `h3_context_ir`, `regeneration`.
    #[serde(default)]
    pub task_type: Option<String>,
}

impl Default for VideoV2ListRequest {
    fn default() -> Self {
        VideoV2ListRequest {
            page_num: 1,
            page_size: 20,
            status: None,
            task_ids: Vec::new(),
            model: None,
            task_type: None,
        }
    }
}

impl VideoV2ListRequest {
    /// The query parameters.
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut query =
            vec![("page_num", self.page_num.to_string()), ("page_size", self.page_size.to_string())];
        if let Some(status) = self.status {
            query.push(("filter.status", status.as_str().to_owned()));
        }
        if !self.task_ids.is_empty() {
            query.push(("filter.task_ids", self.task_ids.join(",")));
        }
        if let Some(model) = &self.model {
            query.push(("filter.model", model.clone()));
        }
        if let Some(task_type) = &self.task_type {
            query.push(("filter.task_type", task_type.clone()));
        }
        query
    }
}
