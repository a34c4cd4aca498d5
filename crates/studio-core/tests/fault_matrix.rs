//! The fault matrix of issue 14, in process: a runner against the simulator, one test per (fault, modality).
//! The rows that need a real process to kill (kill −9 after create, mid-poll, mid-download; the app and the
//! command line on one folder; the command line's quota exit) are in `tokenplan-cli/tests/fault_matrix.rs`.
//!
//! Every row checks, after the fault and again after the retry that follows it: the job's state, the
//! requests that reached the fake's create endpoint, what the fake charged, the job's spend rows and their
//! total (and that the window holds exactly that), and the files (media rows with their files, nothing
//! missing, unowned or left over). The invariants behind the numbers: never two creates for one accepted
//! task, never two charges for one request, no unknown outcome charged at zero, every request the fake
//! charged is in the ledger.
//!
//! Rows that do not apply:
//!
//! | fault | modalities | why |
//! |---|---|---|
//! | success without a file id | music, sync speech, image | synchronous answers carry the media (or its URLs); there is no file id to leave out |
//! | expired URL | music, sync speech | the audio is hex in the answer; there is no URL |
//! | truncated hex | video, async speech, image | their results are downloaded files (images as URLs), not hex |

#[path = "fault_matrix/world.rs"]
mod world;

use std::time::Duration;

use minimax_sim::{FaultKind, SimConfig};
use studio_core::storage::JobState;
use world::{CLIENT_RETRIES, Expect, Kind, World, sim_config};

/// One test per modality of a row: `rows!(row_fn: video, async_speech, …)`.
macro_rules! rows {
    ($row:ident: $($kind:ident),+ $(,)?) => {
        mod $row {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $kind() {
                    super::$row(super::kind(stringify!($kind))).await;
                }
            )+
        }
    };
}

fn kind(name: &str) -> Kind {
    match name {
        "video" => Kind::Video,
        "async_speech" => Kind::AsyncSpeech,
        "music" => Kind::Music,
        "sync_speech" => Kind::SyncSpeech,
        "image" => Kind::Image,
        other => panic!("no modality {other}"),
    }
}

/// After a failure the row's request is still whole: a retry on a healthy server runs it to the end, a
/// task kind by resuming its task (no second create), a synchronous kind with a second call (MiniMax billed
/// the first, which produced nothing we could keep).
fn after_retry(kind: Kind, creates: usize, server: Option<u64>, charged: u64) -> Expect {
    let again = usize::from(!kind.has_task());
    Expect {
        state: JobState::Succeeded,
        creates: creates + again,
        server: server.map(|n| n + u64::from(!kind.has_task())),
        spend_rows: usize::try_from(charged).unwrap_or(0) + again,
        charged: charged + u64::from(!kind.has_task()),
        files: 1,
    }
}

async fn retry_to_the_end(world: &World, id: i64) {
    world.runner.retry(id).expect("retry");
    world.finish(id).await;
}

/// HTTP 500 or 529 on every create: the client retries, then the job fails; nothing is billed.
async fn server_error_persistent(kind: Kind, fault: FaultKind) {
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), fault, 1_000);
    let job = world.submit(kind);
    let done = world.finish(job.id).await;
    let creates = 1 + CLIENT_RETRIES as usize;
    let failed =
        Expect { state: JobState::Failed, creates, server: Some(0), spend_rows: 0, charged: 0, files: 0 };
    world.check(kind, job.id, failed, "after the server errors");
    assert!(done.error.is_some(), "{done:?}");

    world.heal();
    retry_to_the_end(&world, job.id).await;
    let done = Expect {
        state: JobState::Succeeded,
        creates: creates + 1,
        server: Some(1),
        spend_rows: 1,
        charged: 1,
        files: 1,
    };
    world.check(kind, job.id, done, "after the retry");
}

async fn http_500(kind: Kind) {
    server_error_persistent(kind, FaultKind::Http500).await;
}

async fn http_529(kind: Kind) {
    server_error_persistent(kind, FaultKind::Http529).await;
}

rows!(http_500: video, async_speech, music, sync_speech, image);
rows!(http_529: video, async_speech, music, sync_speech, image);

/// A 2056 naming its reset: the job waits (no resend) until the reset, then runs once.
async fn quota_with_reset(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), FaultKind::QuotaExhausted { resets_in_ms: Some(60_000) }, 1);
    let job = world.submit(kind);
    let waiting = world.until(job.id, "waited for quota", |j| j.state == JobState::WaitingForQuota).await;
    let why = world.runner.quota_wait(&waiting).expect("why");
    assert!(why.server_refused, "{why:?}");
    let reset = why.until_ms.expect("until the reset");
    let expected = i64::try_from(world.sim.state().clock.now_ms()).unwrap_or(0) + 60_000;
    assert!((reset - expected).abs() < 2_000, "the reset the server named: {reset} vs {expected}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let parked = Expect {
        state: JobState::WaitingForQuota,
        creates: 1,
        server: Some(0),
        spend_rows: 0,
        charged: 0,
        files: 0,
    };
    world.check(kind, job.id, parked, "parked until the reset");

    world.clock.advance(Duration::from_secs(61));
    world.finish(job.id).await;
    let done = Expect {
        state: JobState::Succeeded,
        creates: 2,
        server: Some(1),
        spend_rows: 1,
        charged: 1,
        files: 1,
    };
    world.check(kind, job.id, done, "after the reset");
}

rows!(quota_with_reset: video, async_speech, music, sync_speech, image);

/// A 2056 without a reset time (the mainland wording) while `/remains` still shows room: the job is parked
/// for a bounded backoff — at most one resend when the server's own count says there is room — never a
/// resend loop; once the backoff has passed on a healthy server it runs.
async fn quota_without_reset(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), FaultKind::QuotaExhausted { resets_in_ms: None }, 1_000);
    let job = world.submit(kind);
    world.until(job.id, "waited for quota", |j| j.state == JobState::WaitingForQuota).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let creates = world.creates(kind);
    assert!((1..=2).contains(&creates), "{kind:?}: {creates} creates in 1.5 s: a resend loop");
    let parked = Expect {
        state: JobState::WaitingForQuota,
        creates,
        server: Some(0),
        spend_rows: 0,
        charged: 0,
        files: 0,
    };
    world.check(kind, job.id, parked, "parked for the backoff");

    world.heal();
    world.clock.advance(Duration::from_secs(31 * 60));
    world.finish(job.id).await;
    let done = Expect {
        state: JobState::Succeeded,
        creates: creates + 1,
        server: Some(1),
        spend_rows: 1,
        charged: 1,
        files: 1,
    };
    world.check(kind, job.id, done, "after the backoff");
}

rows!(quota_without_reset: video, async_speech, music, sync_speech, image);

/// A task reported `Success` without a file id: the job fails holding its task (charged once, the estimate);
/// a retry polls the same task again and downloads it.
async fn success_without_file_id(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm(kind.poll_endpoint().expect("a task kind"), FaultKind::NoFileId, 1_000);
    let job = world.submit(kind);
    let done = world.finish(job.id).await;
    assert!(done.error.as_ref().is_some_and(|e| e.message.contains("file id")), "{done:?}");
    let failed =
        Expect { state: JobState::Failed, creates: 1, server: Some(1), spend_rows: 1, charged: 1, files: 0 };
    world.check(kind, job.id, failed, "after the success without a file");

    world.heal();
    retry_to_the_end(&world, job.id).await;
    world.check(kind, job.id, after_retry(kind, 1, Some(1), 1), "after the retry");
}

rows!(success_without_file_id: video, async_speech);

/// The download link has expired: the job fails (the work was done: charged once); a retry resumes the task
/// (a fresh link), or sends the synchronous call again.
async fn expired_url(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm("/_sim/files", FaultKind::ExpiredUrl, 1);
    let job = world.submit(kind);
    world.finish(job.id).await;
    let failed =
        Expect { state: JobState::Failed, creates: 1, server: Some(1), spend_rows: 1, charged: 1, files: 0 };
    world.check(kind, job.id, failed, "after the expired link");

    retry_to_the_end(&world, job.id).await;
    world.check(kind, job.id, after_retry(kind, 1, Some(1), 1), "after the retry");
}

rows!(expired_url: video, async_speech, image);

/// The hex audio of the answer is cut: the call ran (the fake billed it) but its answer is unreadable, so it
/// is charged as an unknown outcome; a retry is a second call.
async fn truncated_hex(kind: Kind) {
    let world = World::start(sim_config()).await;
    world.arm(kind.create_endpoint(), FaultKind::TruncatedHex, 1);
    let job = world.submit(kind);
    world.finish(job.id).await;
    let failed =
        Expect { state: JobState::Failed, creates: 1, server: Some(1), spend_rows: 1, charged: 1, files: 0 };
    world.check(kind, job.id, failed, "after the truncated hex");

    retry_to_the_end(&world, job.id).await;
    world.check(kind, job.id, after_retry(kind, 1, Some(1), 1), "after the retry");
}

rows!(truncated_hex: music, sync_speech);

/// A tmpfs mounted over the library's media folder (the database stays on the real disk), unmounted when
/// dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    /// Mounts `size` (e.g. `4k`) at `dir`, or says why it cannot (not root, no mount namespace).
    fn mount(dir: &std::path::Path, size: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| e.to_string())?;
        match out.status.success() {
            true => Ok(SmallDisk(dir.to_path_buf())),
            false => Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        }
    }

    /// Frees space (grows the folder to `size`).
    fn grow(&self, size: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .expect("mount");
        assert!(status.success(), "remount {}", self.0.display());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The media folder is full (4 KiB): the result cannot be stored; the work was done, so it is charged once
/// and nothing half-written is left. With room again, a retry resumes the task (or calls again).
async fn disk_full(kind: Kind) {
    let world = World::start(sim_config()).await;
    let disk = match SmallDisk::mount(&world.media_dir(), "4k") {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("skipped: the disk-full row needs a tmpfs (mount as root): {why}");
            return;
        }
    };
    let job = world.submit(kind);
    let done = world.finish(job.id).await;
    assert!(
        done.error
            .as_ref()
            .is_some_and(|e| e.message.contains("No space left") || e.message.contains("Cannot store")),
        "{done:?}"
    );
    let failed =
        Expect { state: JobState::Failed, creates: 1, server: Some(1), spend_rows: 1, charged: 1, files: 0 };
    world.check(kind, job.id, failed, "on a full disk");

    disk.grow("64m");
    retry_to_the_end(&world, job.id).await;
    world.check(kind, job.id, after_retry(kind, 1, Some(1), 1), "after the retry with room");
}

rows!(disk_full: video, async_speech, music, sync_speech, image);

/// Cancel, then Retry. A task kind is cancelled once MiniMax accepted it (it runs on and is billed: charged
/// once), and the retry resumes that task; a synchronous kind is cancelled while its call is in flight (an
/// unknown outcome: charged its estimate), and the retry is a second call.
async fn cancel_then_retry(kind: Kind) {
    let world =
        World::start(SimConfig { video_task_ms: 60_000, speech_task_ms: 60_000, ..sim_config() }).await;
    if !kind.has_task() {
        world.arm(kind.create_endpoint(), FaultKind::Slow { ms: 1_500 }, 1);
    }
    let job = world.submit(kind);
    if kind.has_task() {
        world.until(job.id, "stored its task", |j| j.remote_task_id.is_some()).await;
    } else {
        world.until(job.id, "ran", |j| j.state == JobState::Running).await;
        // Let the call leave: it is in the fake's slow fault when the cancel comes.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    world.runner.cancel(job.id).expect("cancel");
    world.finish(job.id).await;
    // A cut call is logged by the fake when it notices; give it the slow fault's time.
    tokio::time::sleep(Duration::from_millis(if kind.has_task() { 0 } else { 1_500 })).await;
    let server = kind.has_task().then_some(1);
    let cancelled =
        Expect { state: JobState::Cancelled, creates: 1, server, spend_rows: 1, charged: 1, files: 0 };
    world.check(kind, job.id, cancelled, "after the cancel");

    world.sim.advance(Duration::from_secs(61));
    retry_to_the_end(&world, job.id).await;
    let server = if kind.has_task() { Some(1) } else { None };
    world.check(kind, job.id, after_retry(kind, 1, server, 1), "after the retry");
}

rows!(cancel_then_retry: video, async_speech, music, sync_speech, image);
