//! Render figures for `make bench` (issue 16), with the real ffmpeg on this machine:
//! - the animatic of a 10-shot, 60 s film at 480p (every keyframe with a camera move, a line per shot,
//!   ducked music), cold and after an edit, against one bare ffmpeg command doing the same pictures
//!   (stills with a slow zoom, concatenated, a premixed audio file muxed; x264 ultrafast), interleaved in
//!   the same run, median of 5;
//! - the stream-copy export of 10 clips (768P, 6 s, as Hailuo makes them) with a soft subtitle track;
//! - the burn-in export of the same film at 768P, against the film's length.
//!
//! Run: `cargo run -p studio-film --example render_bench`; set `RENDER_BENCH_KEEP=DIR` to keep the outputs
//! there for a look.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use studio_film::ffmpeg::Ffmpeg;
use studio_film::render::{
    AnimaticOptions, ExportOptions, ExportResolution, SubtitleMode, export_film, render_animatic,
};
use studio_film::timeline::{
    ClipAudio, ClipInput, Ducking, FilmInput, KeyframeInput, LineAudio, LineInput, MusicBed, ShotInput,
    TimelineEdit, build,
};
use tokio_util::sync::CancellationToken;

const SHOTS: usize = 10;
/// Interleaved rounds of the animatic comparison (the machine is shared: medians, not single runs).
const ROUNDS: usize = 5;
const SHOT_MS: u64 = 6_000;
const LINE_MS: u64 = 3_000;
const MOVES: [&str; SHOTS] = [
    "Push in",
    "Pull out",
    "Pan left",
    "Pan right",
    "Tilt up",
    "Zoom in",
    "Push in",
    "Truck left",
    "Pull out",
    "Tilt down",
];
const LINES: [&str; SHOTS] = [
    "The rain had not stopped for three days.",
    "Mara counted the lights across the harbour.",
    "你听见了吗？外面有人。",
    "Someone was waiting by the gate. He did not move.",
    "She took the key from the drawer.",
    "The stairs creaked under her weight.",
    "我们必须现在就走，不然就来不及了。",
    "Jon was already in the car, engine running.",
    "Nobody spoke until the bridge.",
    "And then the sea, grey and endless.",
];

fn ffmpeg_quiet(args: &[&str]) {
    let status =
        Command::new("ffmpeg").args(["-hide_banner", "-loglevel", "error", "-y"]).args(args).status();
    assert!(status.is_ok_and(|s| s.success()), "ffmpeg {args:?}");
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Stills, lines, music and clips made with lavfi.
fn make_media(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, PathBuf, Vec<PathBuf>, PathBuf) {
    let mut stills = Vec::new();
    let mut lines = Vec::new();
    let mut clips = Vec::new();
    for i in 0..SHOTS {
        let still = dir.join(format!("key{i}.png"));
        let source = format!("testsrc2=size=1366x768:rate=1,hue=h={}", i * 36);
        ffmpeg_quiet(&["-f", "lavfi", "-i", &source, "-frames:v", "1", &path_text(&still)]);
        stills.push(still);
        let line = dir.join(format!("line{i}.mp3"));
        let voice = format!("sine=frequency={}:sample_rate=32000:duration=3", 300 + 40 * i);
        ffmpeg_quiet(&["-f", "lavfi", "-i", &voice, "-c:a", "libmp3lame", "-b:a", "128k", &path_text(&line)]);
        lines.push(line);
        let clip = dir.join(format!("clip{i}.mp4"));
        let video = format!("testsrc2=size=1366x768:rate=24:duration=6,hue=h={}", i * 36);
        let sound = format!("sine=frequency={}:duration=6:sample_rate=48000", 150 + 20 * i);
        ffmpeg_quiet(&[
            "-f",
            "lavfi",
            "-i",
            &video,
            "-f",
            "lavfi",
            "-i",
            &sound,
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "30",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            &path_text(&clip),
        ]);
        clips.push(clip);
    }
    let music = dir.join("music.mp3");
    ffmpeg_quiet(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=220:duration=70",
        "-c:a",
        "libmp3lame",
        &path_text(&music),
    ]);
    let premix = dir.join("premix.m4a");
    ffmpeg_quiet(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=220:duration=60",
        "-c:a",
        "aac",
        &path_text(&premix),
    ]);
    (stills, lines, music, clips, premix)
}

fn film(stills: &[PathBuf], lines: &[PathBuf], music: &Path, clips: Option<&[PathBuf]>) -> FilmInput {
    let shots = (0..SHOTS)
        .map(|i| ShotInput {
            id: i as i64 + 1,
            planned_ms: SHOT_MS,
            clip: clips.map(|c| ClipInput {
                path: c[i].clone(),
                media_ms: SHOT_MS,
                trim_in_ms: 0,
                trim_out_ms: None,
                has_audio: true,
            }),
            keyframe: Some(KeyframeInput { path: stills[i].clone(), camera: vec![MOVES[i].to_owned()] }),
            lines: vec![LineInput {
                id: 100 + i as i64,
                speaker: if i % 2 == 0 { "Narrator" } else { "Mara" }.to_owned(),
                text: LINES[i].to_owned(),
                audio: Some(LineAudio { path: lines[i].clone(), duration_ms: LINE_MS, subtitles: None }),
                offset_ms: None,
            }],
        })
        .collect();
    FilmInput {
        shots,
        music: Some(MusicBed {
            path: music.to_path_buf(),
            media_ms: 70_000,
            volume: 0.5,
            fade_in_ms: 1_000,
            fade_out_ms: 2_000,
            ducking: Some(Ducking { amount_db: -12.0 }),
        }),
        clip_audio: ClipAudio::UnderLines,
        ..FilmInput::default()
    }
}

/// The reference: one ffmpeg command, stills zoomed slowly, concatenated, a premixed audio file muxed.
fn bare_command(stills: &[PathBuf], premix: &Path, out: &Path) -> f64 {
    let mut args: Vec<String> = Vec::new();
    let mut graph = String::new();
    for (i, still) in stills.iter().enumerate() {
        args.extend(["-i".to_owned(), path_text(still)]);
        graph.push_str(&format!(
            "[{i}:v]scale=854:480,zoompan=z='1+0.15*on/143':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=144:s=854x480:fps=24,setsar=1[v{i}];"
        ));
    }
    let labels: String = (0..stills.len()).map(|i| format!("[v{i}]")).collect();
    graph.push_str(&format!("{labels}concat=n={}:v=1:a=0,format=yuv420p[v]", stills.len()));
    args.extend(["-i".to_owned(), path_text(premix), "-filter_complex".to_owned(), graph]);
    for a in [
        "-map",
        "[v]",
        "-map",
        "10:a",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-c:a",
        "copy",
        "-shortest",
    ] {
        args.push(a.to_owned());
    }
    args.push(path_text(out));
    let started = Instant::now();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ffmpeg_quiet(&refs);
    started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() -> studio_film::Result<()> {
    let ff = Ffmpeg::locate(None).await?;
    println!(
        "ffmpeg {} ({} cores)",
        ff.version().text,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let dir = tempfile::tempdir().map_err(|e| studio_film::FilmError::write(std::env::temp_dir(), e))?;
    let dir = dir.path();
    let (stills, lines, music, clips, premix) = make_media(dir);
    let cancel = CancellationToken::new();

    let input = film(&stills, &lines, &music, None);
    let timeline = build(&input);
    assert_eq!(timeline.duration_ms, 60_000);
    let (mut bare, mut cold, mut edit) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        bare.push(bare_command(&stills, &premix, &dir.join("bare.mp4")));
        let cache = dir.join(format!("cache{round}"));
        let options = AnimaticOptions::preview(&cache);
        let started = Instant::now();
        render_animatic(&ff, &timeline, &dir.join("animatic.mp4"), &options, &mut |_| {}, &cancel).await?;
        cold.push(started.elapsed().as_secs_f64());
        // An edit: move shot 4's line later (the audio changes; the pictures are reused).
        let mut edited = input.clone();
        TimelineEdit::SetLineOffset { line_id: 103, offset_ms: Some(2_000 + round as u64 * 100) }
            .apply(&mut edited)?;
        let started = Instant::now();
        let report =
            render_animatic(&ff, &build(&edited), &dir.join("animatic.mp4"), &options, &mut |_| {}, &cancel)
                .await?;
        edit.push(started.elapsed().as_secs_f64());
        assert_eq!(report.shots_reused, 10);
    }
    let (bare, cold, edit) = (median(bare), median(cold), median(edit));
    println!("animatic, 10 shots, 60 s, 480p (median of {ROUNDS}, interleaved):");
    println!("  bare ffmpeg reference     {bare:6.2} s");
    println!(
        "  animatic, nothing cached  {cold:6.2} s  ({:.2}x the reference; goal <= 1.2x and <= 6 s)",
        cold / bare
    );
    println!("  animatic after an edit    {edit:6.2} s  ({:.2}x the reference)", edit / bare);

    let clip_film = film(&stills, &lines, &music, Some(&clips));
    let timeline = build(&clip_film);
    let options = ExportOptions { resolution: ExportResolution::P768, ..ExportOptions::default() };
    let started = Instant::now();
    let report =
        export_film(&ff, &timeline, "Bench", &dir.join("copy.mp4"), &options, &mut |_| {}, &cancel).await?;
    let copy = started.elapsed().as_secs_f64();
    assert!(report.stream_copy, "{:?}", report.copy_refused);
    println!("export, stream copy, 10 clips, soft subtitles: {copy:.2} s (goal <= 3 s)");

    let options = ExportOptions {
        resolution: ExportResolution::P768,
        subtitles: SubtitleMode::Burn,
        ..ExportOptions::default()
    };
    let started = Instant::now();
    export_film(&ff, &timeline, "Bench", &dir.join("burn.mp4"), &options, &mut |_| {}, &cancel).await?;
    let burn = started.elapsed().as_secs_f64();
    println!(
        "export, burned-in subtitles, 768P: {burn:.2} s for a {:.0} s film ({:.2}x its length; goal <= 1.5x)",
        timeline.duration_ms as f64 / 1000.0,
        burn * 1000.0 / timeline.duration_ms as f64
    );
    if let Some(keep) = std::env::var_os("RENDER_BENCH_KEEP") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).map_err(|e| studio_film::FilmError::write(&keep, e))?;
        for name in ["bare.mp4", "animatic.mp4", "copy.mp4", "copy.srt", "copy.vtt", "burn.mp4"] {
            std::fs::copy(dir.join(name), keep.join(name))
                .map_err(|e| studio_film::FilmError::write(keep.join(name), e))?;
        }
        println!("outputs kept in {}", keep.display());
    }
    Ok(())
}
