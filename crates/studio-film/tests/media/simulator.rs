//! An export journey over the simulator's own media: its Hailuo 768P clips and its voiced lines, as a film
//! would get them from `minimax-sim`; checked frame-exactly with ffprobe.

use std::path::{Path, PathBuf};

use minimax_sim::media::synthesize;
use minimax_sim::media::video::clip_content;
use studio_film::ffmpeg::StreamKind;
use studio_film::render::{ExportOptions, ExportResolution, SubtitleMode, export_film};
use studio_film::timeline::build;
use tokio_util::sync::CancellationToken;

use crate::common::{clip_shot, decode_errors, extract_srt, ffmpeg, film, line, music, probe};

/// Writes what the simulator would serve for a Hailuo 768P 6 s clip.
async fn sim_clip(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, &clip_content(1366, 768, 6, 0).await.head).expect("write");
    path
}

/// Writes what the simulator's speech endpoint would return for `seconds` of speech; returns its length.
fn sim_speech(dir: &Path, name: &str, seconds: f64) -> (PathBuf, u64) {
    let (bytes, info) = synthesize("mp3", seconds, 32_000, 1).expect("mp3");
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write");
    (path, info.length_ms)
}

#[tokio::test]
async fn simulator_clips_export_frame_exactly_by_stream_copy_and_by_re_encoding() {
    let ff = ffmpeg().await;
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let dir = media.path();
    let mut shots = Vec::new();
    for i in 1..=3 {
        let (speech, ms) = sim_speech(dir, &format!("line{i}.mp3"), 2.0);
        let lines = vec![line(10 * i, "Mara", &format!("Line number {i}."), speech, ms)];
        shots.push(clip_shot(i, sim_clip(dir, &format!("clip{i}.mp4")).await, 6_000, false, lines));
    }
    let (bed, bed_ms) = sim_speech(dir, "music.mp3", 20.0);
    let timeline = build(&film(shots, Some(music(bed, bed_ms))));
    assert_eq!(timeline.duration_ms, 18_000);

    let out = out_dir.path().join("film.mp4");
    let options = ExportOptions { resolution: ExportResolution::P768, ..ExportOptions::default() };
    let report = export_film(&ff, &timeline, "Sim", &out, &options, &mut |_| {}, &CancellationToken::new())
        .await
        .expect("export");
    assert!(report.stream_copy, "{:?}", report.copy_refused);
    let p = probe(&ff, &out).await;
    let video = p.first(StreamKind::Video).expect("video");
    assert_eq!((video.width, video.height, video.frames), (Some(1366), Some(768), Some(432)));
    assert!(p.has(StreamKind::Audio) && p.has(StreamKind::Subtitle));
    assert!((p.duration_ms.expect("duration") as i64 - 18_000).abs() <= 100);
    assert!(extract_srt(&out).contains("Line number 2."));
    assert_eq!(decode_errors(&out), "");

    let burned = out_dir.path().join("burned.mp4");
    let options = ExportOptions {
        resolution: ExportResolution::P1080,
        subtitles: SubtitleMode::Burn,
        sidecars: false,
        preset: "ultrafast".to_owned(),
        ..ExportOptions::default()
    };
    let report =
        export_film(&ff, &timeline, "Sim", &burned, &options, &mut |_| {}, &CancellationToken::new())
            .await
            .expect("export");
    assert!(!report.stream_copy);
    let p = probe(&ff, &burned).await;
    let video = p.first(StreamKind::Video).expect("video");
    assert_eq!((video.width, video.height, video.frames), (Some(1920), Some(1080), Some(432)));
    assert!(!p.has(StreamKind::Subtitle));
}
