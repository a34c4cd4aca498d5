//! The export against the real ffmpeg, checked with ffprobe, ffmpeg's subtitle extraction and volumedetect.

use std::path::{Path, PathBuf};

use studio_film::FilmError;
use studio_film::ffmpeg::{MediaProbe, StreamKind};
use studio_film::render::{
    EdlFormat, ExportOptions, ExportReport, ExportResolution, SubtitleMode, export_film,
};
use studio_film::subtitles::{self, CueLayout};
use studio_film::timeline::{ClipAudio, FilmInput, ShotInput, Timeline, TimelineWarning, build};
use tokio_util::sync::CancellationToken;

use crate::common::{
    assert_only, clip, clip_shot, decode_errors, extract_srt, ffmpeg, film, line, mean_volume, music, probe,
    still, still_shot, tone,
};

async fn export(
    timeline: &Timeline,
    out: &Path,
    options: &ExportOptions,
) -> studio_film::Result<ExportReport> {
    export_film(&ffmpeg().await, timeline, "Test film", out, options, &mut |_| {}, &CancellationToken::new())
        .await
}

fn assert_length(probe: &MediaProbe, timeline: &Timeline) {
    let length = probe.duration_ms.expect("duration") as i64;
    assert!(
        (length - timeline.duration_ms as i64).abs() <= 100,
        "{length} ms vs timeline {} ms",
        timeline.duration_ms
    );
    for stream in &probe.streams {
        if let Some(d) = stream.duration_ms.filter(|_| stream.kind != StreamKind::Subtitle) {
            assert!((d as i64 - timeline.duration_ms as i64).abs() <= 100, "{stream:?}");
        }
    }
}

fn kinds(probe: &MediaProbe) -> Vec<(StreamKind, String)> {
    probe.streams.iter().map(|s| (s.kind, s.codec.clone())).collect()
}

/// Clips (one without sound, though said to have it), a keyframe with two lines, music.
fn dialogue_film(dir: &Path) -> FilmInput {
    let mut silent_clip = clip_shot(2, clip(dir, "c2.mp4", 2, (640, 360), 24, None), 2_000, true, vec![]);
    silent_clip.planned_ms = 2_000;
    film(
        vec![
            clip_shot(
                1,
                clip(dir, "c1.mp4", 3, (640, 360), 24, Some(300)),
                3_000,
                true,
                vec![line(
                    10,
                    "Mara",
                    "Where were you? I waited all night.",
                    tone(dir, "l10.mp3", 2_000, 1_000, 0.5),
                    2_000,
                )],
            ),
            silent_clip,
            still_shot(
                3,
                still(dir, "k3.png", (1366, 768)),
                2_000,
                &["Push in"],
                vec![
                    line(30, "Jon", "Out. 外面。", tone(dir, "l30.mp3", 1_200, 1_000, 0.5), 1_200),
                    line(31, "Mara", "", tone(dir, "l31.mp3", 300, 1_000, 0.5), 0),
                ],
            ),
        ],
        Some(music(tone(dir, "music.mp3", 20_000, 220, 0.5), 20_000)),
    )
}

#[tokio::test]
async fn export_with_a_subtitle_track_sidecars_and_an_edit_list() {
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let mut input = dialogue_film(media.path());
    input.shots[2].lines[1].audio.as_mut().expect("audio").duration_ms = 0;
    let timeline = build(&input);
    assert!(timeline.warnings.contains(&TimelineWarning::ZeroLengthLine { shot_id: 3, line_id: 31 }));
    let out = out_dir.path().join("film.mp4");
    let options = ExportOptions {
        resolution: ExportResolution::P720,
        edl: Some(EdlFormat::Fcpxml),
        ..ExportOptions::default()
    };
    let report = export(&timeline, &out, &options).await.expect("exports");
    assert!(!report.stream_copy);
    assert!(
        report.copy_refused.as_ref().is_some_and(|r| r.to_string().contains("no clip")),
        "{:?}",
        report.copy_refused
    );
    let p = probe(&ffmpeg().await, &out).await;
    assert_eq!(
        kinds(&p),
        [
            (StreamKind::Video, "h264".to_owned()),
            (StreamKind::Audio, "aac".to_owned()),
            (StreamKind::Subtitle, "mov_text".to_owned())
        ]
    );
    let video = p.first(StreamKind::Video).expect("video");
    assert_eq!((video.width, video.height), (Some(1280), Some(720)));
    assert_length(&p, &timeline);
    assert_eq!(report.probe, p);

    // The track holds our cues, as ffmpeg reads them back.
    let cues = subtitles::cues(&timeline, &CueLayout::default());
    let extracted = subtitles::parse_srt(&extract_srt(&out)).expect("SRT from the track");
    assert_eq!(
        extracted.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        cues.iter().map(|c| c.text.as_str()).collect::<Vec<_>>()
    );
    for (got, want) in extracted.iter().zip(&cues) {
        assert!(
            got.start_ms.abs_diff(want.start_ms) <= 10 && got.end_ms.abs_diff(want.end_ms) <= 10,
            "{got:?} vs {want:?}"
        );
    }
    assert_eq!(
        cues.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
        ["Where were you?", "I waited all night.", "Out.", "外面。"]
    );

    // Sidecars parse back to the same cues; the edit list references files that exist.
    let srt = std::fs::read_to_string(out_dir.path().join("film.srt")).expect("srt");
    assert_eq!(subtitles::parse_srt(&srt).expect("srt").len(), cues.len());
    let vtt = std::fs::read_to_string(out_dir.path().join("film.vtt")).expect("vtt");
    assert_eq!(subtitles::parse_vtt(&vtt).expect("vtt"), cues);
    let fcpxml = std::fs::read_to_string(out_dir.path().join("film.fcpxml")).expect("fcpxml");
    for url in fcpxml.split("src=\"").skip(1).map(|s| s.split('"').next().expect("url")) {
        let path = studio_film::edl::path_from_url(url).expect("file URL");
        assert!(path.is_file(), "{url}");
    }
    assert_eq!(report.subtitle_files, [out_dir.path().join("film.srt"), out_dir.path().join("film.vtt")]);
    assert_only(out_dir.path(), &["film.mp4", "film.srt", "film.vtt", "film.fcpxml"]);
}

#[tokio::test]
async fn speech_is_audible_over_the_ducked_music() {
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let dir = media.path();
    // One 6 s keyframe shot; a 2 s line (1 kHz) from 0.3 s; music (220 Hz) ducked by 18 dB under it.
    let input = film(
        vec![still_shot(
            1,
            still(dir, "k.png", (640, 360)),
            6_000,
            &[],
            vec![line(1, "Mara", "Listen.", tone(dir, "l.mp3", 2_000, 1_000, 0.5), 2_000)],
        )],
        Some(music(tone(dir, "m.mp3", 8_000, 220, 0.5), 8_000)),
    );
    let timeline = build(&input);
    let out = out_dir.path().join("mix.mp4");
    let options = ExportOptions {
        resolution: ExportResolution::P720,
        subtitles: SubtitleMode::None,
        sidecars: false,
        ..ExportOptions::default()
    };
    export(&timeline, &out, &options).await.expect("exports");
    let music_band = "highpass=f=150,lowpass=f=300";
    let speech_band = "highpass=f=800,lowpass=f=1200";
    let music_under_speech = mean_volume(&out, 800, 2_000, music_band);
    let music_alone = mean_volume(&out, 3_500, 5_000, music_band);
    let speech = mean_volume(&out, 800, 2_000, speech_band);
    let ducked_by = music_alone - music_under_speech;
    assert!(
        (14.0..=22.0).contains(&ducked_by),
        "music ducked by {ducked_by:.1} dB ({music_alone:.1} → {music_under_speech:.1})"
    );
    assert!(
        speech - music_under_speech >= 12.0,
        "speech {speech:.1} dB over music {music_under_speech:.1} dB"
    );
    let no_speech = mean_volume(&out, 3_500, 5_000, speech_band);
    assert!(
        speech - no_speech >= 20.0,
        "the line is only where it is placed ({speech:.1} vs {no_speech:.1})"
    );
}

/// Three 768P clips made alike (as Hailuo's are), with sound.
fn clips_film(dir: &Path) -> FilmInput {
    let shots: Vec<ShotInput> = (1..=3)
        .map(|i| {
            let path = clip(dir, &format!("c{i}.mp4"), 2, (1366, 768), 24, Some(200 + 100 * i as u32));
            clip_shot(i, path, 2_000, true, vec![])
        })
        .collect();
    let mut input = film(shots, None);
    input.shots[1].lines.push(line(20, "Mara", "Copy that.", tone(dir, "l.mp3", 1_000, 1_000, 0.5), 1_000));
    input.clip_audio = ClipAudio::Keep;
    input
}

#[tokio::test]
async fn clips_that_match_are_stream_copied_with_a_subtitle_track() {
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let timeline = build(&clips_film(media.path()));
    let out = out_dir.path().join("copy.mp4");
    let options = ExportOptions { resolution: ExportResolution::P768, ..ExportOptions::default() };
    let report = export(&timeline, &out, &options).await.expect("exports");
    assert!(report.stream_copy, "{:?}", report.copy_refused);
    let p = probe(&ffmpeg().await, &out).await;
    assert_eq!(
        kinds(&p).iter().map(|k| k.0).collect::<Vec<_>>(),
        [StreamKind::Video, StreamKind::Audio, StreamKind::Subtitle]
    );
    let video = p.first(StreamKind::Video).expect("video");
    assert_eq!((video.width, video.height, video.frames), (Some(1366), Some(768), Some(144)));
    assert_length(&p, &timeline);
    assert_eq!(subtitles::parse_srt(&extract_srt(&out)).expect("srt")[0].text, "Copy that.");
    assert_eq!(decode_errors(&out), "", "the copied clips join cleanly");

    // Burning in needs new pictures: no copy, no subtitle stream.
    let burned = out_dir.path().join("burned.mp4");
    let options = ExportOptions {
        resolution: ExportResolution::P768,
        subtitles: SubtitleMode::Burn,
        sidecars: false,
        ..ExportOptions::default()
    };
    let report = export(&timeline, &burned, &options).await.expect("exports");
    assert!(!report.stream_copy);
    let p = probe(&ffmpeg().await, &burned).await;
    assert_eq!(kinds(&p).iter().map(|k| k.0).collect::<Vec<_>>(), [StreamKind::Video, StreamKind::Audio]);
    assert_length(&p, &timeline);
}

#[tokio::test]
async fn burn_in_survives_a_folder_name_that_needs_escaping() {
    let media = tempfile::tempdir().expect("dir");
    let root = tempfile::tempdir().expect("dir");
    let out_dir: PathBuf = root.path().join("it's [a]: film, 1; \\ x");
    std::fs::create_dir(&out_dir).expect("dir");
    let input = film(
        vec![still_shot(
            1,
            still(media.path(), "k.png", (640, 360)),
            1_000,
            &[],
            vec![line(1, "Mara", "Hi.", tone(media.path(), "l.mp3", 500, 1_000, 0.5), 500)],
        )],
        None,
    );
    let timeline = build(&input);
    let out = out_dir.join("burn.mp4");
    let options = ExportOptions {
        resolution: ExportResolution::P720,
        subtitles: SubtitleMode::Burn,
        ..ExportOptions::default()
    };
    export(&timeline, &out, &options).await.expect("exports");
    assert_only(&out_dir, &["burn.mp4", "burn.srt", "burn.vtt"]);
}

#[tokio::test]
async fn bad_input_and_cancel_leave_no_file() {
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let timeline = build(&dialogue_film(media.path()));
    let out = out_dir.path().join("film.mp4");
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let ff = ffmpeg().await;
    let err = export_film(
        &ff,
        &timeline,
        "Film",
        &out,
        &ExportOptions::default(),
        &mut |p| {
            if p.stage == studio_film::render::RenderStage::Encoding {
                trigger.cancel();
            }
        },
        &cancel,
    )
    .await
    .expect_err("cancelled");
    assert!(matches!(err, FilmError::Cancelled), "{err:?}");
    assert_only(out_dir.path(), &[]);

    std::fs::remove_file(media.path().join("c1.mp4")).expect("remove");
    let err = export(&timeline, &out, &ExportOptions::default()).await.expect_err("missing clip");
    assert!(matches!(&err, FilmError::MediaUnreadable { path, .. } if path.ends_with("c1.mp4")), "{err:?}");
    assert!(err.to_string().contains("c1.mp4"), "{err}");
    assert_only(out_dir.path(), &[]);
}
