//! Inputs made with ffmpeg's lavfi sources, and checks made with ffprobe/ffmpeg (never with our own code).

use std::path::{Path, PathBuf};
use std::process::Command;

use studio_film::ffmpeg::{Ffmpeg, MediaProbe};
use studio_film::timeline::{
    ClipInput, Ducking, FilmInput, KeyframeInput, LineAudio, LineInput, MusicBed, ShotInput,
};

/// ffmpeg from PATH (the tests need Debian's `ffmpeg` package).
pub async fn ffmpeg() -> Ffmpeg {
    Ffmpeg::locate(None).await.expect("ffmpeg and ffprobe on PATH (apt-get install -y ffmpeg)")
}

/// Runs ffmpeg quietly and panics with its stderr on failure.
pub fn run_ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "ffmpeg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// An H.264 test clip (testsrc2) like Hailuo's: `seconds` long at `fps`, with a sine soundtrack when
/// `tone` is given.
pub fn clip(
    dir: &Path,
    name: &str,
    seconds: u32,
    (w, h): (u32, u32),
    fps: u32,
    tone: Option<u32>,
) -> PathBuf {
    let path = dir.join(name);
    let video = format!("testsrc2=size={w}x{h}:rate={fps}:duration={seconds}");
    let mut args = vec!["-f", "lavfi", "-i", &video];
    let audio;
    if let Some(freq) = tone {
        audio = format!("sine=frequency={freq}:duration={seconds}:sample_rate=48000");
        args.extend(["-f", "lavfi", "-i", &audio, "-c:a", "aac"]);
    }
    args.extend(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "48"]);
    let path_text = path.to_string_lossy().into_owned();
    args.push(&path_text);
    run_ffmpeg(&args);
    path
}

/// A sine tone as MP3 (a stand-in for a voiced line or the music), at `volume` (linear).
pub fn tone(dir: &Path, name: &str, millis: u64, freq: u32, volume: f32) -> PathBuf {
    let path = dir.join(name);
    let source = format!(
        "sine=frequency={freq}:sample_rate=32000:duration={}.{:03},volume={volume}",
        millis / 1000,
        millis % 1000
    );
    run_ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &source,
        "-c:a",
        "libmp3lame",
        "-b:a",
        "128k",
        &path.to_string_lossy(),
    ]);
    path
}

/// A still keyframe as PNG.
pub fn still(dir: &Path, name: &str, (w, h): (u32, u32)) -> PathBuf {
    let path = dir.join(name);
    let source = format!("testsrc2=size={w}x{h}:rate=1");
    run_ffmpeg(&["-f", "lavfi", "-i", &source, "-frames:v", "1", &path.to_string_lossy()]);
    path
}

/// ffprobe of a file.
pub async fn probe(ffmpeg: &Ffmpeg, path: &Path) -> MediaProbe {
    ffmpeg.probe(path).await.expect("ffprobe reads the output")
}

/// The subtitle track of an MP4 as SRT text, extracted by ffmpeg.
pub fn extract_srt(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-i"])
        .arg(path)
        .args(["-map", "0:s", "-f", "srt", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Mean volume in dB (ffmpeg's volumedetect) of the audio between `from_ms` and `to_ms`, after `filter`.
pub fn mean_volume(path: &Path, from_ms: u64, to_ms: u64, filter: &str) -> f64 {
    let af = if filter.is_empty() { "volumedetect".to_owned() } else { format!("{filter},volumedetect") };
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-ss", &format!("{}", from_ms as f64 / 1000.0)])
        .args(["-t", &format!("{}", (to_ms - from_ms) as f64 / 1000.0), "-i"])
        .arg(path)
        .args(["-map", "0:a", "-af", &af, "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("mean_volume:"))
        .unwrap_or_else(|| panic!("no volumedetect in {stderr}"));
    let value = line.split("mean_volume:").nth(1).expect("value").trim().trim_end_matches(" dB");
    value.parse().unwrap_or(-120.0)
}

/// A line with voiced audio.
pub fn line(id: i64, speaker: &str, text: &str, audio: PathBuf, duration_ms: u64) -> LineInput {
    LineInput {
        id,
        speaker: speaker.into(),
        text: text.into(),
        audio: Some(LineAudio { path: audio, duration_ms, subtitles: None }),
        offset_ms: None,
    }
}

/// A clip shot.
pub fn clip_shot(id: i64, path: PathBuf, media_ms: u64, has_audio: bool, lines: Vec<LineInput>) -> ShotInput {
    ShotInput {
        id,
        planned_ms: media_ms,
        clip: Some(ClipInput { path, media_ms, trim_in_ms: 0, trim_out_ms: None, has_audio }),
        keyframe: None,
        lines,
    }
}

/// A keyframe shot with camera moves.
pub fn still_shot(
    id: i64,
    path: PathBuf,
    planned_ms: u64,
    camera: &[&str],
    lines: Vec<LineInput>,
) -> ShotInput {
    ShotInput {
        id,
        planned_ms,
        clip: None,
        keyframe: Some(KeyframeInput { path, camera: camera.iter().map(|c| c.to_string()).collect() }),
        lines,
    }
}

/// A music bed ducked by 18 dB.
pub fn music(path: PathBuf, media_ms: u64) -> MusicBed {
    MusicBed {
        path,
        media_ms,
        volume: 0.8,
        fade_in_ms: 300,
        fade_out_ms: 300,
        ducking: Some(Ducking { amount_db: -18.0 }),
    }
}

/// A film of the given shots.
pub fn film(shots: Vec<ShotInput>, music: Option<MusicBed>) -> FilmInput {
    FilmInput { shots, music, ..FilmInput::default() }
}

/// Asserts that a folder holds nothing but `expected` names (no temporary or partial files).
pub fn assert_only(dir: &Path, expected: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected, "files in {}", dir.display());
}

/// What ffmpeg complains about while decoding every stream of a file (empty when it decodes cleanly).
pub fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v", "-map", "0:a", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}
