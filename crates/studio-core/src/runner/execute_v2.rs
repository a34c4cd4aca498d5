//! A MiniMax-H3 (V2) task from acceptance to the file: polled no more often than every 10 s (the official
//! CLI skill's rule), downloaded as soon as it succeeds (its URL and the task expire; MiniMax keeps tasks
//! 7 days), a failed download answered by asking for a fresh URL — never by a second task. A task still
//! queued when the user cancels is cancelled at MiniMax too, which charges nothing for it.

use std::time::Duration;

use minimax_api::TaskStatus;
use minimax_api::files::DownloadSource;
use minimax_api::video_v2::VideoV2Query;

use super::super::PollPolicy;
use super::{Execution, Produced, Stopped};
use crate::ipc::IpcErrorKind;
use crate::quota::FailureKind;
use crate::runner::failure;

/// Fresh URLs asked for after a failed download, before the job fails (a retry asks again).
const FRESH_URLS: u32 = 2;
/// How long a cancel waits for MiniMax to cancel a queued task.
const CANCEL_PATIENCE: Duration = Duration::from_secs(10);

/// The V2 polling pace: at least 5 × the first delay of `policy` (10 s by default) between queries.
pub(crate) fn v2_policy(policy: &PollPolicy) -> PollPolicy {
    let first = policy.first.saturating_mul(5);
    PollPolicy { first, max: policy.max.max(first), deadline: policy.deadline }
}

impl Execution<'_> {
    /// Polls V2 task `task_id` until it is terminal, then downloads its video at once.
    pub(crate) async fn finish_video_v2(
        &mut self,
        task_id: &str,
        policy: &PollPolicy,
    ) -> Result<Produced, Stopped> {
        let client = self.client.clone();
        let pace = v2_policy(policy);
        let polled =
            self.poll(&pace, || client.video_v2().query(task_id), |q: &VideoV2Query| &q.task.status).await;
        let mut done = match polled {
            Ok(done) => done,
            Err(Stopped::Cancelled { .. }) => return Err(self.cancel_at_minimax(task_id).await),
            Err(other) => return Err(other),
        };
        self.downloading()?;
        let mut fresh = 0;
        loop {
            let Some(url) = done.task.video_url().map(str::to_owned) else {
                return Err(Stopped::Failed(failure::local(
                    IpcErrorKind::Api,
                    "MiniMax reported success without a video URL. Retry asks for it again (nothing is paid twice).",
                    FailureKind::DownloadFailed,
                )));
            };
            match self.save_download(0, DownloadSource::Url(url), Some("video/mp4")).await {
                Ok(mut file) => {
                    file.duration_ms = done.task.duration.filter(|s| *s > 0).map(|s| s.saturating_mul(1_000));
                    return Ok(Produced { files: vec![file], billed_characters: None });
                }
                Err(Stopped::Failed(f)) if f.kind == FailureKind::DownloadFailed && fresh < FRESH_URLS => {
                    fresh += 1;
                    tracing::warn!(
                        job = self.job_id,
                        task = task_id,
                        "download failed; asking for a fresh URL"
                    );
                    done = self.guarded(super::Phase::Poll, client.video_v2().query(task_id)).await?;
                    if done.task.status != TaskStatus::Success {
                        return Err(Stopped::Failed(failure::dead_task(
                            "is no longer available for download (expired); it was paid for, and its charge \
                             stays in the ledger",
                        )));
                    }
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// The user cancelled while the task was polled: a task still queued is cancelled at MiniMax (nothing is
    /// charged, so the provisional charge is taken back); a running one cannot be, and is charged.
    async fn cancel_at_minimax(&self, task_id: &str) -> Stopped {
        let deleted = tokio::time::timeout(CANCEL_PATIENCE, self.client.video_v2().delete(task_id)).await;
        match deleted {
            Ok(Ok(answer)) if answer.action == "cancelled" => {
                if let Err(e) = super::super::settle::refund_task(self.shared, self.job_id, task_id) {
                    tracing::error!(job = self.job_id, error = %e, "cannot take back the charge of a cancelled task");
                }
                Stopped::Cancelled { accepted: false, sent: false }
            }
            Ok(Ok(_)) | Ok(Err(_)) | Err(_) => Stopped::Cancelled { accepted: true, sent: true },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_tasks_are_polled_at_most_every_ten_seconds() {
        let pace = v2_policy(&PollPolicy::default());
        let secs: Vec<u64> = (0..4).map(|a| pace.delay(a).as_secs()).collect();
        assert_eq!(secs, [10, 10, 10, 10]);
    }
}
