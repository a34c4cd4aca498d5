//! The animatic against the real ffmpeg, checked with ffprobe.

use std::path::Path;

use studio_film::FilmError;
use studio_film::ffmpeg::StreamKind;
use studio_film::render::{AnimaticOptions, RenderProgress, RenderStage, render_animatic};
use studio_film::timeline::{FilmInput, Timeline, TimelineEdit, build};
use tokio_util::sync::CancellationToken;

use crate::common::{
    assert_only, clip, clip_shot, decode_errors, ffmpeg, film, line, music, probe, still, still_shot, tone,
};

/// A clip shot with sound, a pushed-in keyframe with a line, a panned keyframe, a blank shot, a still
/// keyframe of another shape, music.
fn mixed_film(dir: &Path) -> FilmInput {
    let shots = vec![
        clip_shot(1, clip(dir, "c1.mp4", 2, (640, 360), 24, Some(300)), 2_000, true, vec![]),
        still_shot(
            2,
            still(dir, "k2.png", (1366, 768)),
            2_000,
            &["Push in"],
            vec![line(20, "Mara", "We go now.", tone(dir, "l20.mp3", 1_500, 1_000, 0.5), 1_500)],
        ),
        still_shot(3, still(dir, "k3.png", (1366, 768)), 1_500, &["Pan left", "Shake"], vec![]),
        studio_film::timeline::ShotInput {
            id: 4,
            planned_ms: 1_000,
            clip: None,
            keyframe: None,
            lines: vec![],
        },
        still_shot(5, still(dir, "k5.png", (800, 800)), 1_000, &["Static shot"], vec![]),
    ];
    film(shots, Some(music(tone(dir, "music.mp3", 10_000, 220, 0.5), 10_000)))
}

async fn render(
    timeline: &Timeline,
    out: &Path,
    cache: &Path,
) -> studio_film::Result<studio_film::render::AnimaticReport> {
    let ff = ffmpeg().await;
    let mut last = RenderProgress { stage: RenderStage::Checking, fraction: 0.0 };
    let report = render_animatic(
        &ff,
        timeline,
        out,
        &AnimaticOptions::preview(cache),
        &mut |p| last = p,
        &CancellationToken::new(),
    )
    .await;
    if report.is_ok() {
        assert_eq!(last.fraction, 1.0);
    }
    report
}

#[tokio::test]
async fn animatic_has_the_timeline_s_length_and_reuses_pieces_after_an_edit() {
    let ff = ffmpeg().await;
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let cache = tempfile::tempdir().expect("dir");
    let mut input = mixed_film(media.path());
    let timeline = build(&input);
    // The line (lead-in 300 + 1500 + tail 400) grows the keyframe shot from 2000 to 2200 ms.
    assert_eq!(timeline.duration_ms, 2_000 + 2_200 + 1_500 + 1_000 + 1_000);
    let out = out_dir.path().join("animatic.mp4");

    let first = render(&timeline, &out, cache.path()).await.expect("renders");
    assert_eq!((first.shots_rendered, first.shots_reused, first.audio_reused), (5, 0, false));
    let p = probe(&ff, &out).await;
    let video = p.first(StreamKind::Video).expect("video");
    assert_eq!((video.codec.as_str(), video.width, video.height), ("h264", Some(854), Some(480)));
    assert_eq!(video.frames, Some(185), "7.7 s at 24 fps");
    assert_eq!(video.fps.map(|f| (f.num, f.den)), Some((24, 1)));
    assert_eq!(p.first(StreamKind::Audio).map(|a| a.codec.as_str()), Some("aac"));
    let length = p.duration_ms.expect("duration") as i64;
    assert!((length - 7_700).abs() <= 100, "{length} ms");
    assert_only(out_dir.path(), &["animatic.mp4"]);

    let again = render(&timeline, &out, cache.path()).await.expect("renders");
    assert_eq!((again.shots_rendered, again.shots_reused, again.audio_reused), (0, 5, true));

    // Trimming the clip re-renders that shot and the audio; the others shift by whole frames and are reused.
    TimelineEdit::TrimClip { shot_id: 1, trim_in_ms: 500, trim_out_ms: None }
        .apply(&mut input)
        .expect("edit");
    let edited = build(&input);
    let third = render(&edited, &out, cache.path()).await.expect("renders");
    assert_eq!((third.shots_rendered, third.shots_reused, third.audio_reused), (1, 4, false));
    let length = probe(&ff, &out).await.duration_ms.expect("duration") as i64;
    assert!((length - 7_200).abs() <= 100, "{length} ms");
    assert_eq!(decode_errors(&out), "", "pieces from two renders join cleanly");
    assert_no_partial_pieces(cache.path());
}

/// The cache holds only finished pieces: no work folders, no temporary names.
fn assert_no_partial_pieces(cache: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(cache)
        .expect("cache")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no work folders or temporary pieces: {leftovers:?}");
}

#[tokio::test]
async fn cancel_and_missing_media_leave_no_animatic() {
    let media = tempfile::tempdir().expect("dir");
    let out_dir = tempfile::tempdir().expect("dir");
    let cache = tempfile::tempdir().expect("dir");
    let timeline = build(&mixed_film(media.path()));
    let out = out_dir.path().join("animatic.mp4");
    let ff = ffmpeg().await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let err = render_animatic(
        &ff,
        &timeline,
        &out,
        &AnimaticOptions::preview(cache.path()),
        &mut |p| {
            if p.stage == RenderStage::Encoding {
                trigger.cancel();
            }
        },
        &cancel,
    )
    .await
    .expect_err("cancelled");
    assert!(matches!(err, FilmError::Cancelled), "{err:?}");
    assert_only(out_dir.path(), &[]);
    assert_no_partial_pieces(cache.path());

    std::fs::remove_file(media.path().join("k3.png")).expect("remove");
    let err = render(&timeline, &out, cache.path()).await.expect_err("missing keyframe");
    assert!(matches!(&err, FilmError::MediaUnreadable { path, .. } if path.ends_with("k3.png")), "{err:?}");
    assert_only(out_dir.path(), &[]);
}
