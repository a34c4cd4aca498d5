//! Video V2 (MiniMax-H3, MiniMax-H3-Max): create `POST /v2/video_generation`, query
//! `GET /v2/query/video_generation/{task_id}`, list `GET /v2/query/video_generation` (last 7 days, paged)
//! and cancel / delete `DELETE /v2/video_generation/{task_id}` (minimax-api-2026.md §3).
//!
//! Errors come as real HTTP statuses with the OpenAI-style body (`{"type":"error","error":{…"message":
//! "… (2013)"}}`, §3.7) and map to the usual [`ErrorKind`](crate::ErrorKind)s; a `2013` that says the
//! Token Plan or credits do not cover H3 is [`ErrorKind::ModelNotInPlan`](crate::ErrorKind::ModelNotInPlan)
//! (mark the model unavailable for the key, never resubmit automatically). Statuses map to
//! [`TaskStatus`](crate::TaskStatus) for the runner. The URL of a succeeded task is time-limited:
//! download it at once ([`VideoV2::download`]); if that fails, query again for a fresh URL, never create
//! again.

mod request;
mod task;

use reqwest::Method;
use tokio::io::AsyncWrite;

pub use request::*;
pub use task::*;

use crate::envelope::decode_reply;
use crate::error::Result;
use crate::files::DownloadSource;
use crate::transport::{CallKind, MiniMaxClient, RequestSpec};
use crate::validation::ValidationError;

const CREATE_PATH: &str = "/v2/video_generation";
const QUERY_PATH: &str = "/v2/query/video_generation";
const TASK_QUERY_PATH: &str = "/v2/query/video_generation/";
const DELETE_PATH: &str = "/v2/video_generation/";

/// V2 video calls.
#[derive(Debug, Clone, Copy)]
pub struct VideoV2<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl VideoV2<'_> {
    /// Starts a generation. Paid: never retried once the request may have been received.
    pub async fn create(self, request: &VideoV2Request) -> Result<VideoV2Created> {
        request.validate()?;
        let spec = RequestSpec::post(CREATE_PATH, request, CallKind::Paid)?;
        let size = spec.body.as_ref().map_or(0, bytes::Bytes::len);
        if size > MAX_BODY_BYTES {
            return Err(ValidationError::new(
                "body",
                format!("{size} bytes"),
                "at most 64 MB (send large media as URLs or mm_file:// ids)",
            )
            .into());
        }
        self.client.execute(&spec, |reply| decode_reply::<VideoV2Created>(CREATE_PATH, reply)).await
    }

    /// Reads one task (poll no more often than every 10 s; only tasks of the last 7 days exist).
    pub async fn query(self, task_id: &str) -> Result<VideoV2Query> {
        check_task_id(task_id)?;
        let spec = RequestSpec::get(TASK_QUERY_PATH, Vec::new()).with_suffix(task_id.to_owned());
        self.client.execute(&spec, |reply| decode_reply::<VideoV2Query>(TASK_QUERY_PATH, reply)).await
    }

    /// One page of the tasks of the last 7 days, newest first (reconcile the library with it on launch).
    pub async fn list(self, request: &VideoV2ListRequest) -> Result<VideoV2Page> {
        if request.page_num == 0 || !(1..=100).contains(&request.page_size) {
            return Err(ValidationError::new(
                "page_num/page_size",
                format!("page {} of {}", request.page_num, request.page_size),
                "page_num from 1, page_size 1 to 100",
            )
            .into());
        }
        for task_id in &request.task_ids {
            check_task_id(task_id)?;
        }
        let spec = RequestSpec::get(QUERY_PATH, request.query());
        self.client.execute(&spec, |reply| decode_reply::<VideoV2Page>(QUERY_PATH, reply)).await
    }

    /// Cancels a queued task (nothing is charged) or deletes the record of a finished one. A running or
    /// cancelled task is refused by the server. Delete a succeeded task only after its file is safe.
    pub async fn delete(self, task_id: &str) -> Result<VideoV2Deleted> {
        check_task_id(task_id)?;
        let mut spec = RequestSpec::get(DELETE_PATH, Vec::new()).with_suffix(task_id.to_owned());
        spec.method = Method::DELETE;
        self.client.execute(&spec, |reply| decode_reply::<VideoV2Deleted>(DELETE_PATH, reply)).await
    }

    /// Streams a succeeded task's video (its `content.url`) into `writer`; returns the bytes written.
    pub async fn download<W: AsyncWrite + Unpin>(self, url: &str, writer: &mut W) -> Result<u64> {
        self.client.files().download_to(&DownloadSource::Url(url.to_owned()), writer).await
    }
}

/// Task ids go into the URL path: only letters, digits, `-` and `_`.
fn check_task_id(task_id: &str) -> Result<()> {
    let fine = !task_id.is_empty()
        && task_id.len() <= 64
        && task_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fine {
        return Ok(());
    }
    Err(ValidationError::new("task_id", format!("{task_id:?}"), "a task id (letters and digits)").into())
}

impl MiniMaxClient {
    /// Video V2 (MiniMax-H3) calls.
    pub fn video_v2(&self) -> VideoV2<'_> {
        VideoV2 { client: self }
    }
}
