//! Finding, running, cancelling and probing the real ffmpeg.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use studio_film::FilmError;
use studio_film::ffmpeg::{Ffmpeg, FfmpegCommand, StreamKind};
use tokio_util::sync::CancellationToken;

use crate::common::{assert_only, clip, ffmpeg};

#[tokio::test]
async fn locates_ffmpeg_on_path_and_at_a_configured_path() {
    let found = ffmpeg().await;
    assert!(found.version().is_supported(), "{:?}", found.version());
    assert!(found.ffprobe_path().ends_with("ffprobe"));
    let folder = found.ffmpeg_path().parent().expect("folder").to_path_buf();
    let configured = Ffmpeg::locate(Some(&folder)).await.expect("the folder works");
    assert_eq!(configured.ffmpeg_path(), found.ffmpeg_path());
}

#[cfg(unix)]
#[tokio::test]
async fn a_missing_or_wrong_ffmpeg_says_what_to_do() {
    let err = Ffmpeg::locate(Some(Path::new("/nowhere/ffmpeg"))).await.expect_err("missing");
    assert!(matches!(err, FilmError::FfmpegMissing { tool: "ffmpeg", .. }), "{err:?}");
    let message = err.to_string();
    for hint in [
        "/nowhere/ffmpeg",
        "apt install ffmpeg",
        "brew install ffmpeg",
        "Gyan.FFmpeg",
        "https://ffmpeg.org/download.html",
    ] {
        assert!(message.contains(hint), "{message} should mention {hint}");
    }
    // A folder holding programs named ffmpeg/ffprobe that are not ffmpeg.
    let dir = tempfile::tempdir().expect("dir");
    for name in ["ffmpeg", "ffprobe"] {
        std::os::unix::fs::symlink("/bin/echo", dir.path().join(name)).expect("link");
    }
    let err = Ffmpeg::locate(Some(dir.path())).await.expect_err("not ffmpeg");
    assert!(matches!(err, FilmError::NotFfmpeg { .. }), "{err:?}");
}

#[tokio::test]
async fn probe_reads_streams_and_a_missing_file_is_named() {
    let ff = ffmpeg().await;
    let dir = tempfile::tempdir().expect("dir");
    let path = clip(dir.path(), "c.mp4", 2, (320, 180), 24, Some(440));
    let probe = ff.probe(&path).await.expect("probe");
    let video = probe.first(StreamKind::Video).expect("video");
    assert_eq!((video.codec.as_str(), video.width, video.height), ("h264", Some(320), Some(180)));
    assert_eq!(video.fps.map(|f| f.as_f64()), Some(24.0));
    assert!(probe.has(StreamKind::Audio));
    assert!((probe.duration_ms.expect("duration") as i64 - 2_000).abs() <= 50);
    let keys = ff.keyframe_times(&path).await.expect("keyframes");
    assert_eq!(keys.first(), Some(&0));
    assert!(keys.contains(&2_000) || keys.len() == 1, "keyframes every 48 frames: {keys:?}");
    let missing = dir.path().join("gone.mp4");
    let err = ff.probe(&missing).await.expect_err("missing");
    assert!(matches!(&err, FilmError::MediaUnreadable { path, .. } if path == &missing), "{err:?}");
    std::fs::write(dir.path().join("junk.mp4"), b"not a video").expect("write");
    let err = ff.probe(&dir.path().join("junk.mp4")).await.expect_err("junk");
    assert!(matches!(err, FilmError::MediaInvalid { .. }), "{err:?}");
}

/// A slow encode: 60 s of 720p noise (long enough to cancel in the middle).
fn slow_command(out: &Path) -> FfmpegCommand {
    let mut command = FfmpegCommand::new(60_000);
    command.args(["-f", "lavfi", "-i", "nullsrc=s=1280x720:r=24:d=60,geq=random(1)*255:128:128"]);
    command.args(["-c:v", "libx264", "-preset", "medium"]);
    command.output(out);
    command
}

#[tokio::test]
async fn progress_is_reported_and_the_output_appears_only_on_success() {
    let ff = ffmpeg().await;
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("ok.mp4");
    let mut command = FfmpegCommand::new(3_000);
    command.args([
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x180:r=24:d=3",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
    ]);
    command.output(&out);
    let mut seen = Vec::new();
    ff.run(command, &mut |f| seen.push(f), &CancellationToken::new()).await.expect("runs");
    assert_eq!(seen.last(), Some(&1.0), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "monotonic: {seen:?}");
    assert_only(dir.path(), &["ok.mp4"]);
}

#[tokio::test]
async fn cancel_stops_the_process_group_and_leaves_no_file() {
    let ff = ffmpeg().await;
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("cancelled.mp4");
    let cancel = CancellationToken::new();
    let progressed = Arc::new(Mutex::new(0.0f64));
    let (trigger, seen) = (cancel.clone(), progressed.clone());
    let mut on_progress = move |f: f64| {
        *seen.lock().expect("lock") = f;
        if f > 0.01 {
            trigger.cancel();
        }
    };
    let started = Instant::now();
    let err = ff.run(slow_command(&out), &mut on_progress, &cancel).await.expect_err("cancelled");
    assert!(matches!(err, FilmError::Cancelled), "{err:?}");
    assert!(*progressed.lock().expect("lock") > 0.01, "it was cancelled mid-way");
    assert!(started.elapsed() < Duration::from_secs(20), "cancel is prompt");
    assert_only(dir.path(), &[]);
    // Cancelled before it starts: nothing runs.
    let err = ff.run(slow_command(&out), &mut |_| {}, &cancel).await.expect_err("already cancelled");
    assert!(matches!(err, FilmError::Cancelled));
    assert_only(dir.path(), &[]);
}

#[tokio::test]
async fn a_failure_keeps_the_end_of_stderr_and_leaves_no_file() {
    let ff = ffmpeg().await;
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("bad.mp4");
    let mut command = FfmpegCommand::new(1_000);
    command.args(["-f", "lavfi", "-i", "testsrc2=d=1", "-vf", "nosuchfilter"]);
    command.output(&out);
    let err = ff.run(command, &mut |_| {}, &CancellationToken::new()).await.expect_err("fails");
    match &err {
        FilmError::FfmpegFailed { stderr, .. } => assert!(stderr.contains("nosuchfilter"), "{stderr}"),
        other => panic!("{other:?}"),
    }
    assert_only(dir.path(), &[]);
}

/// A 2 MiB tmpfs, unmounted when dropped; `None` when this machine does not let us mount (not root).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.dir.path()).status();
    }
}

#[tokio::test]
async fn a_full_disk_is_said_plainly_and_leaves_no_file() {
    let Some(disk) = SmallDisk::mount() else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let ff = ffmpeg().await;
    let out = disk.dir.path().join("big.mp4");
    let mut command = FfmpegCommand::new(20_000);
    command.args(["-f", "lavfi", "-i", "nullsrc=s=640x360:r=24:d=20,geq=random(1)*255:128:128"]);
    command.args(["-c:v", "libx264", "-preset", "ultrafast", "-crf", "0"]);
    command.output(&out);
    let err = ff.run(command, &mut |_| {}, &CancellationToken::new()).await.expect_err("disk full");
    assert!(matches!(&err, FilmError::DiskFull { path } if path == &out), "{err:?}");
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_only(disk.dir.path(), &[]);
}
