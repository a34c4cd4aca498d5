//! Running ffmpeg: in its own process group (so cancel stops everything it started), with `-progress`
//! parsed into a fraction, the end of stderr kept for the error, and outputs written to temporary names in
//! their destination folders that are renamed on success and removed on failure, cancel or drop — no
//! partial file is ever left behind.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use tokio_util::sync::CancellationToken;

use super::Ffmpeg;
use crate::error::{FilmError, Result};
use crate::timeline::Ms;

/// How long ffmpeg may take to stop after SIGTERM before it gets SIGKILL.
const TERM_GRACE: Duration = Duration::from_millis(1_500);
/// Lines of stderr kept for the error message.
const STDERR_TAIL_LINES: usize = 25;
/// What ffmpeg (through the C library) prints on ENOSPC.
const DISK_FULL: &str = "No space left on device";

/// Tells temporary names of concurrent renders apart.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary name beside `path`: hidden, unique to this process and call, and ending in the same extension
/// so ffmpeg picks the same muxer.
pub fn temp_path_beside(path: &Path) -> PathBuf {
    let name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".to_owned());
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.part-{}-{n}{ext}", std::process::id()))
}

/// Files removed when dropped unless kept: temporary outputs and scratch files.
#[derive(Debug, Default)]
pub struct Scratch {
    paths: Vec<PathBuf>,
}

impl Scratch {
    /// Removes `path` when this guard is dropped.
    pub fn add(&mut self, path: PathBuf) {
        self.paths.push(path);
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for path in &self.paths {
            let removed =
                if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
            if let Err(e) = removed
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(path = %path.display(), error = %e, "cannot remove a temporary file");
            }
        }
    }
}

/// One ffmpeg invocation. Outputs are declared with [`FfmpegCommand::output`], which puts a temporary
/// name on the command line; [`Ffmpeg::run`] renames them when ffmpeg succeeds.
#[derive(Debug)]
pub struct FfmpegCommand {
    args: Vec<OsString>,
    outputs: Vec<(PathBuf, PathBuf)>,
    /// Where this command writes, for a disk-full message.
    writes_to: Option<PathBuf>,
    expected_ms: Ms,
}

impl FfmpegCommand {
    /// A command whose output lasts `expected_ms` (progress is measured against it). Quiet but for errors,
    /// no stdin, progress on stdout.
    pub fn new(expected_ms: Ms) -> Self {
        let args =
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y"];
        FfmpegCommand {
            args: args.iter().map(OsString::from).collect(),
            outputs: Vec::new(),
            writes_to: None,
            expected_ms,
        }
    }

    /// Appends an argument.
    pub fn arg(&mut self, arg: impl Into<OsString>) -> &mut Self {
        self.args.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Appends an output file: ffmpeg writes a temporary name beside `path`, renamed to `path` on success.
    pub fn output(&mut self, path: &Path) -> &mut Self {
        let temp = temp_path_beside(path);
        self.args.push(temp.clone().into_os_string());
        self.outputs.push((temp, path.to_path_buf()));
        self
    }

    /// Appends an output that the caller cleans up itself (e.g. a segment pattern in a scratch folder);
    /// nothing is renamed, and a full disk is reported against `path`.
    pub fn scratch_output(&mut self, path: &Path) -> &mut Self {
        self.args.push(path.as_os_str().to_owned());
        self.writes_to.get_or_insert_with(|| path.to_path_buf());
        self
    }

    /// The arguments as given to ffmpeg (for logs and tests).
    pub fn arguments(&self) -> &[OsString] {
        &self.args
    }
}

/// Reads one `-progress` block's current time, in ms: `out_time_us` (ffmpeg ≥ 4.x), else `out_time_ms`
/// (which despite its name is in microseconds too), else `out_time=HH:MM:SS.micro`.
pub fn parse_progress_time(key: &str, value: &str) -> Option<Ms> {
    match key {
        "out_time_us" | "out_time_ms" => value.trim().parse::<i64>().ok().map(|us| (us.max(0) / 1_000) as Ms),
        "out_time" => {
            let mut parts = value.trim().split(':');
            let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
            let seconds =
                h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?;
            (seconds >= 0.0).then(|| (seconds * 1000.0).round() as Ms)
        }
        _ => None,
    }
}

/// Sends SIGTERM to the process group, then SIGKILL when it has not stopped after the grace period.
async fn stop_group(child: &mut Child) {
    signal_group(child, false);
    if tokio::time::timeout(TERM_GRACE, child.wait()).await.is_err() {
        signal_group(child, true);
        let _ = child.wait().await;
    }
}

#[cfg(unix)]
fn signal_group(child: &mut Child, kill: bool) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    if let Some(pid) = child.id() {
        let signal = if kill { Signal::SIGKILL } else { Signal::SIGTERM };
        // The child leads its own group (process_group(0)), so its pid is the group id.
        let _ = killpg(Pid::from_raw(pid as i32), signal);
    }
}

#[cfg(not(unix))]
fn signal_group(child: &mut Child, _kill: bool) {
    let _ = child.start_kill();
}

/// Kills the process group if the run is abandoned (its future dropped) while ffmpeg still runs.
struct GroupGuard {
    pid: Option<u32>,
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.pid {
            use nix::sys::signal::{Signal, killpg};
            let _ = killpg(nix::unistd::Pid::from_raw(pid as i32), Signal::SIGKILL);
        }
    }
}

impl Ffmpeg {
    /// Runs ffmpeg with `command`, reporting progress (0..=1) as it goes. On success every declared output is
    /// renamed into place; on failure, cancel, or if this future is dropped, ffmpeg's process group is
    /// stopped and the temporary outputs removed. A full disk is reported as [`FilmError::DiskFull`].
    pub async fn run(
        &self,
        command: FfmpegCommand,
        on_progress: &mut (dyn FnMut(f64) + Send),
        cancel: &CancellationToken,
    ) -> Result<()> {
        let mut scratch = Scratch::default();
        for (temp, _) in &command.outputs {
            scratch.add(temp.clone());
        }
        if cancel.is_cancelled() {
            return Err(FilmError::Cancelled);
        }
        let mut process = tokio::process::Command::new(&self.ffmpeg);
        process.args(&command.args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        process.kill_on_drop(true);
        #[cfg(unix)]
        process.process_group(0);
        tracing::debug!(args = ?command.args, "ffmpeg");
        let mut child = process.spawn().map_err(|source| FilmError::Spawn { tool: "ffmpeg", source })?;
        let mut guard = GroupGuard { pid: child.id() };
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(FilmError::Spawn { tool: "ffmpeg", source: std::io::Error::other("no pipes") });
        };
        let mut stdout = BufReader::new(stdout).lines();
        let mut stderr = BufReader::new(stderr).lines();
        let (mut stdout_open, mut stderr_open) = (true, true);
        let mut tail: VecDeque<String> = VecDeque::with_capacity(STDERR_TAIL_LINES);
        let mut disk_full = false;
        let mut out_time: Ms = 0;
        while stdout_open || stderr_open {
            tokio::select! {
                line = stdout.next_line(), if stdout_open => match line {
                    Ok(Some(line)) => {
                        let Some((key, value)) = line.split_once('=') else { continue };
                        if let Some(ms) = parse_progress_time(key, value) {
                            out_time = ms;
                        } else if key == "progress" {
                            let fraction = if value.trim() == "end" {
                                1.0
                            } else {
                                (out_time as f64 / command.expected_ms.max(1) as f64).min(0.999)
                            };
                            on_progress(fraction);
                        }
                    }
                    _ => stdout_open = false,
                },
                line = stderr.next_line(), if stderr_open => match line {
                    Ok(Some(line)) => {
                        disk_full |= line.contains(DISK_FULL);
                        if tail.len() == STDERR_TAIL_LINES {
                            tail.pop_front();
                        }
                        tail.push_back(line);
                    }
                    _ => stderr_open = false,
                },
                () = cancel.cancelled() => {
                    stop_group(&mut child).await;
                    guard.pid = None;
                    return Err(FilmError::Cancelled);
                }
            }
        }
        let status = tokio::select! {
            status = child.wait() => status.map_err(|source| FilmError::Spawn { tool: "ffmpeg", source })?,
            () = cancel.cancelled() => {
                stop_group(&mut child).await;
                guard.pid = None;
                return Err(FilmError::Cancelled);
            }
        };
        guard.pid = None;
        if !status.success() {
            if disk_full {
                let path =
                    command.outputs.first().map(|(_, f)| f.clone()).or(command.writes_to).unwrap_or_default();
                return Err(FilmError::DiskFull { path });
            }
            let stderr = Vec::from(tail).join("\n");
            return Err(FilmError::FfmpegFailed { tool: "ffmpeg", status: status.to_string(), stderr });
        }
        for (temp, path) in &command.outputs {
            std::fs::rename(temp, path).map_err(|e| FilmError::write(path, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_time_table() {
        let cases = [
            ("out_time_us", "1500000", Some(1_500)),
            ("out_time_ms", "2500000", Some(2_500)),
            ("out_time_us", "N/A", None),
            ("out_time_us", "-23220", Some(0)),
            ("out_time", "00:01:02.500000", Some(62_500)),
            ("out_time", "N/A", None),
            ("frame", "12", None),
        ];
        for (key, value, expected) in cases {
            assert_eq!(parse_progress_time(key, value), expected, "{key}={value}");
        }
    }

    #[test]
    fn temp_names_sit_beside_the_output_and_keep_its_extension() {
        let a = temp_path_beside(Path::new("/films/cut.mp4"));
        let b = temp_path_beside(Path::new("/films/cut.mp4"));
        assert_ne!(a, b);
        assert_eq!(a.parent(), Some(Path::new("/films")));
        assert_eq!(a.extension().and_then(|e| e.to_str()), Some("mp4"));
        assert!(a.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(".cut.mp4.part-")));
    }
}
