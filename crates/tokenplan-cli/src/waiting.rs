//! Waiting for a job without waiting in silence: progress on stderr, and a job that must wait for quota says
//! at once why, until when and what remains. By default the command then exits with `quotaExhausted` and
//! leaves the job queued (the app or `tokenplan resume` runs it when the window frees); `--wait` waits with
//! a countdown instead.

use std::time::Duration;

use studio_core::runner::{Clock, QuotaWait, Runner, SystemClock};
use studio_core::storage::{Job, JobState, SharedLibrary};

use crate::error::{CliError, Result};
use crate::session::Progress;

/// How often the countdown is printed while `--wait` waits for quota.
const COUNTDOWN_EVERY: Duration = Duration::from_secs(30);

/// Ends the runner when the command ends (however it ends but a kill): a job it leaves waiting for quota is
/// free at once for the app or the next `tokenplan resume`.
pub struct Retire(pub Runner);

impl Drop for Retire {
    fn drop(&mut self) {
        // Nothing new starts while the process ends: a call cut by the exit would be an unknown outcome.
        self.0.set_paused(true);
        self.0.retire();
    }
}

/// Waits until `job` is finished or interrupted, with progress on stderr. A wait for quota is said at once;
/// without `wait_for_quota` it ends the command with [`CliError::QuotaWait`]. A job that succeeded has its
/// Library thumbnails made before it is returned, as the app makes them.
pub async fn settle(
    runner: &Runner,
    library: &SharedLibrary,
    job: &Job,
    wait_for_quota: bool,
) -> Result<Job> {
    let settled = settle_state(runner, job, wait_for_quota).await?;
    if settled.state == JobState::Succeeded {
        make_thumbnails(library, settled.id);
    }
    Ok(settled)
}

/// Makes the Library thumbnails of a stored generation, so the app (the Library, a film's storyboard) opens
/// on small JPEGs instead of decoding pictures and video frames while the user waits. A failure only costs
/// that: the media server makes a missing thumbnail on first view.
fn make_thumbnails(library: &SharedLibrary, job_id: i64) {
    let media = match library.with(|lib| lib.job_with_media(job_id)) {
        Ok(with_media) => with_media.media,
        Err(e) => {
            tracing::warn!(job_id, "no thumbnails made: {e}");
            return;
        }
    };
    for file in media.iter().filter(|m| studio_media::has_thumbnail(&m.mime)) {
        if let Err(e) =
            studio_media::thumbnail(library.root(), &file.rel_path, studio_media::LIBRARY_THUMB_EDGE)
        {
            tracing::warn!(file = %file.rel_path, "no thumbnail made: {e}");
        }
    }
}

async fn settle_state(runner: &Runner, job: &Job, wait_for_quota: bool) -> Result<Job> {
    let mut progress = Progress::new();
    loop {
        let settled = runner
            .wait_for(
                job.id,
                |j| {
                    j.state.is_finished()
                        || matches!(j.state, JobState::Interrupted | JobState::WaitingForQuota)
                },
                |j| progress.report(j),
            )
            .await?;
        if settled.state != JobState::WaitingForQuota {
            return Ok(settled);
        }
        let why = runner.quota_wait(&settled)?;
        let sentence = describe(&why, SystemClock.now_ms());
        if !wait_for_quota {
            // Hold new starts before leaving: the quota watcher may release the job at this very moment (a
            // probe of `/remains`), and a call cut by the exit would be an unknown outcome, charged. A job
            // already on its way is waited for instead.
            runner.set_paused(true);
            let now = runner.wait_for(settled.id, |_| true, |_| {}).await?;
            if !matches!(now.state, JobState::WaitingForQuota | JobState::Queued) {
                runner.set_paused(false);
                continue;
            }
        }
        eprintln!("tokenplan: job {} waits for quota: {sentence}", settled.id);
        if !wait_for_quota {
            return Err(CliError::QuotaWait {
                id: settled.id,
                message: format!(
                    "{sentence}. The job stays queued: `tokenplan resume` (or the app) runs it when the window \
                     frees; `--wait` waits here instead"
                ),
            });
        }
        countdown(runner, &settled).await?;
    }
}

/// Prints how long is left every [`COUNTDOWN_EVERY`] until the job leaves `waitingForQuota`.
async fn countdown(runner: &Runner, job: &Job) -> Result<()> {
    let left = runner.wait_for(job.id, |j| j.state != JobState::WaitingForQuota, |_| {});
    tokio::pin!(left);
    loop {
        tokio::select! {
            result = &mut left => {
                result?;
                return Ok(());
            }
            () = tokio::time::sleep(COUNTDOWN_EVERY) => {
                let why = runner.quota_wait(job)?;
                eprintln!("tokenplan: job {} still waits: {} (Ctrl+C stops waiting; the job stays queued)",
                    job.id, describe(&why, SystemClock.now_ms()));
            }
        }
    }
}

/// `needs 4,500 requests, 1,200 of 4,500 left; enough frees at 14:35 UTC (in 2 h 05 min)`.
pub fn describe(why: &QuotaWait, now_ms: i64) -> String {
    let need = match why.needed {
        Some(n) => format!("needs {} requests, ", thousands(u64::from(n))),
        None => String::new(),
    };
    let window =
        format!("{} of {} left in the 5-hour window", thousands(why.remaining), thousands(why.quota));
    let refused = if why.server_refused { "; MiniMax refused it for quota" } else { "" };
    let until = match (why.until_ms, why.server_refused) {
        (Some(at), true) => format!("; it is sent again at {} (in {})", clock(at), span(at - now_ms)),
        (Some(at), false) => format!("; enough frees at {} (in {})", clock(at), span(at - now_ms)),
        (None, _) => "; it never fits this plan's window: use --pay-as-you-go or a smaller request".into(),
    };
    format!("{need}{window}{refused}{until}")
}

/// `14:35 UTC` (the command line has no time zone database; UTC is unambiguous in logs).
fn clock(epoch_ms: i64) -> String {
    let minutes = epoch_ms.div_euclid(60_000);
    let day_minute = minutes.rem_euclid(24 * 60);
    format!("{:02}:{:02} UTC", day_minute / 60, day_minute % 60)
}

/// `2 h 05 min`, `12 min`, `<1 min`.
fn span(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, 0) => "<1 min".into(),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_says_why_until_when_and_what_remains() {
        let why = QuotaWait {
            needed: Some(4_500),
            remaining: 1_200,
            quota: 4_500,
            server_refused: false,
            until_ms: Some(2 * 3_600_000 + 5 * 60_000),
        };
        assert_eq!(
            describe(&why, 0),
            "needs 4,500 requests, 1,200 of 4,500 left in the 5-hour window; enough frees at 02:05 UTC (in 2 h 05 min)"
        );
        let refused = QuotaWait { server_refused: true, until_ms: Some(30_000), ..why.clone() };
        assert!(
            describe(&refused, 0)
                .contains("MiniMax refused it for quota; it is sent again at 00:00 UTC (in <1 min)")
        );
        let never = QuotaWait { until_ms: None, ..why };
        assert!(describe(&never, 0).ends_with("use --pay-as-you-go or a smaller request"));
    }
}
