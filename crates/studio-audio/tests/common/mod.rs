//! Device tests run the player with ALSA routed to a raw capture file (the foundation's test
//! configuration, `tests/alsa/asoundrc.in`) or to a card that does not exist.
//!
//! alsa-lib reads `$XDG_CONFIG_HOME/alsa/asoundrc` when a process first opens a device, and the
//! environment is shared by every thread of a process, so each device test re-runs itself in a child
//! process with its own `XDG_CONFIG_HOME`; the parent runs one child at a time (an unpaced file device
//! keeps a core busy while it is open).
#![allow(dead_code, reason = "each test binary uses part of this module")]

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use studio_audio::{PlaybackStatus, PlayerEvent, PlayerHandle};

const CHILD: &str = "STUDIO_AUDIO_TEST_CHILD";
const CAPTURE: &str = "STUDIO_AUDIO_TEST_CAPTURE";
/// The capture device writes 16-bit stereo at 44.1 kHz.
pub const CAPTURE_RATE: usize = 44_100;
/// How long a child may run before it is killed and the test fails.
const CHILD_TIMEOUT: Duration = Duration::from_secs(90);

/// Where the child's ALSA output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Into a raw capture file.
    Capture,
    /// To a card that does not exist.
    NoCard,
}

static ONE_CHILD_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `body` in a child process of this test binary with ALSA routed as `route`. `name` is the test
/// function's name (the child runs exactly that test). Returns `true` in the child, where the caller
/// runs the body, and `false` in the parent, which only checks the child passed.
pub fn in_child(name: &str, route: Route) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let _turn = ONE_CHILD_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let capture = dir.path().join("played.raw");
    std::fs::create_dir_all(config.join("alsa")).unwrap();
    let asoundrc = match route {
        Route::Capture => {
            let template = include_str!("../../../../tests/alsa/asoundrc.in");
            template.replace("@CAPTURE_FILE@", capture.to_str().unwrap())
        }
        Route::NoCard => {
            "pcm.!default { type hw card \"NoSuchCard\" }\nctl.!default { type hw card \"NoSuchCard\" }\n"
                .to_owned()
        }
    };
    std::fs::write(config.join("alsa/asoundrc"), asoundrc).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env(CAPTURE, &capture)
        .env("XDG_CONFIG_HOME", &config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + CHILD_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    println!("--- child {name} ---\n{out}\n{err}");
    let status = status.unwrap_or_else(|| panic!("child {name} ran over {CHILD_TIMEOUT:?}"));
    assert!(status.success(), "child {name} failed: {status}");
    assert!(out.contains("1 passed"), "the child ran the test: {out}");
    false
}

/// The child's capture file.
pub fn capture_path() -> PathBuf {
    PathBuf::from(std::env::var_os(CAPTURE).expect("set by in_child"))
}

/// Reads a capture file as it grows, counting frames louder than the noise floor (~-60 dBFS) without
/// re-reading what it already saw (the file grows by ~100 MB a second while an unpaced device is open).
pub struct Capture {
    path: PathBuf,
    file: Option<File>,
    leftover: Vec<u8>,
    /// Frames read so far.
    pub frames: usize,
    /// Of those, frames with sound.
    pub non_silent: usize,
    /// When the first frame with sound was seen.
    pub first_sound_at: Option<Instant>,
}

impl Capture {
    /// Watches `path` (which may not exist yet).
    pub fn new(path: &Path) -> Self {
        Capture {
            path: path.to_owned(),
            file: None,
            leftover: Vec::new(),
            frames: 0,
            non_silent: 0,
            first_sound_at: None,
        }
    }

    /// Reads what was appended; returns the count of frames with sound.
    pub fn poll(&mut self) -> usize {
        if self.file.is_none() {
            self.file = File::open(&self.path).ok();
        }
        let Some(file) = self.file.as_mut() else { return 0 };
        let mut block = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut block).unwrap();
            if n == 0 {
                break;
            }
            self.leftover.extend_from_slice(&block[..n]);
            let whole = self.leftover.len() / 4 * 4;
            const FLOOR: u16 = 32;
            let loud = self.leftover[..whole]
                .chunks_exact(4)
                .filter(|f| {
                    let l = i16::from_le_bytes([f[0], f[1]]).unsigned_abs();
                    let r = i16::from_le_bytes([f[2], f[3]]).unsigned_abs();
                    l > FLOOR || r > FLOOR
                })
                .count();
            if loud > 0 && self.first_sound_at.is_none() {
                self.first_sound_at = Some(Instant::now());
            }
            self.frames += whole / 4;
            self.non_silent += loud;
            self.leftover.drain(..whole);
        }
        self.non_silent
    }

    /// Polls until `pred(non_silent)` holds or `limit` passes; returns the last count.
    pub fn wait_for(&mut self, limit: Duration, pred: impl Fn(usize) -> bool) -> usize {
        let deadline = Instant::now() + limit;
        loop {
            let n = self.poll();
            if pred(n) || Instant::now() > deadline {
                return n;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// A 16-bit stereo WAV of a `hz` tone at half scale.
pub fn tone_wav(seconds: f32, rate: u32, hz: f32) -> Vec<u8> {
    let pcm = tone_pcm(seconds, rate, hz);
    let mut out = Vec::new();
    out.extend(b"RIFF");
    out.extend((36 + pcm.len() as u32).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(rate.to_le_bytes());
    out.extend((rate * 4).to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend((pcm.len() as u32).to_le_bytes());
    out.extend(pcm);
    out
}

/// Raw 16-bit stereo PCM of a `hz` tone at half scale.
pub fn tone_pcm(seconds: f32, rate: u32, hz: f32) -> Vec<u8> {
    let frames = (seconds * rate as f32) as usize;
    (0..frames)
        .flat_map(|i| {
            let v = ((i as f32 * hz / rate as f32 * std::f32::consts::TAU).sin() * 16_384.0) as i16;
            [v.to_le_bytes(), v.to_le_bytes()].concat()
        })
        .collect()
}

/// Waits for an event matching `pred`, failing after `limit`.
pub fn wait_event(
    events: &Receiver<PlayerEvent>,
    limit: Duration,
    pred: impl Fn(&PlayerEvent) -> bool,
) -> PlayerEvent {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) if pred(&event) => return event,
            Ok(_) => {}
            Err(e) => panic!("no matching player event within {limit:?}: {e}"),
        }
    }
}

/// Waits until the player reports `status`.
pub fn wait_status(player: &PlayerHandle, status: PlaybackStatus, limit: Duration) {
    let deadline = Instant::now() + limit;
    while player.state().status != status {
        assert!(Instant::now() < deadline, "status {:?}, expected {status:?}", player.state().status);
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `abs_diff(actual, expected) <= expected * percent / 100`.
pub fn near(actual: usize, expected: usize, percent: usize) -> bool {
    actual.abs_diff(expected) * 100 <= expected * percent
}
