//! A film's own sound through the library, the timeline and ffmpeg: the simulator's MiniMax-H3 clip with its
//! soundtrack kept, muted or mixed, a Hailuo clip with no audio stream at all, and a music bed imported from
//! a file — each export checked with ffprobe and ffmpeg's volumedetect.

use std::path::{Path, PathBuf};

use minimax_sim::media::video::{CLIP_TONE_HZ, clip_content_with_sound};
use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::pricing::Cost;
use studio_core::request::JobParams;
use studio_core::storage::media::write_media_file;
use studio_core::storage::{JobState, KeyKind, NewJob, NewMedia, SharedLibrary, Transition};
use studio_film::FilmError;
use studio_film::ffmpeg::StreamKind;
use studio_film::project::assemble;
use studio_film::project::edit::{FilmEdit, apply_edit, create_film, link_take};
use studio_film::project::load_film;
use studio_film::project::model::Slot;
use studio_film::project::music_import::{check_music_file, import_music};
use studio_film::render::{ExportOptions, ExportResolution, SubtitleMode};
use studio_film::script::AspectRatio;
use studio_film::timeline::ClipAudio;
use tokio_util::sync::CancellationToken;

use crate::common::{clip, ffmpeg, mean_volume, probe, tone};

const NOW: i64 = 1_780_000_000_000;
/// Around the H3 clips' tone.
const CLIP_BAND: &str = "highpass=f=350,lowpass=f=550";
/// Around the imported bed's 220 Hz tone.
const MUSIC_BAND: &str = "highpass=f=150,lowpass=f=290";

/// A film of one 4 s shot whose chosen clip is `clip_bytes` (as the simulator served it).
fn film_with_clip(library: &SharedLibrary, clip_bytes: &[u8]) -> i64 {
    library.with(|lib: &mut Library| {
        let id = create_film(lib, "Sound", AspectRatio::Landscape, NOW).unwrap();
        let edit =
            FilmEdit::AddShot { after: None, description: "Rain on a window".into(), duration_s: Some(4.0) };
        let shot = apply_edit(lib, id, &edit, NOW).unwrap().expect("a shot");
        let job = lib
            .insert_job(&NewJob {
                modality: Modality::Video,
                model: "MiniMax-H3".into(),
                params: JobParams::seeded(),
                prompt: "Rain on a window".into(),
                estimate: Cost::Requests(0),
                key_kind: KeyKind::Plan,
                demo: false,
                state: JobState::Queued,
                created_at_ms: NOW,
            })
            .unwrap();
        link_take(lib.connection(), id, Slot::Clip, Some(shot), None, job.id, 1, "", NOW).unwrap();
        lib.transition(job.id, &Transition::to(JobState::Running, NOW)).unwrap();
        let stored = write_media_file(lib.root(), job.id, 0, "video/mp4", &mut &clip_bytes[..]).unwrap();
        let media = NewMedia {
            ordinal: 0,
            rel_path: stored.rel_path,
            mime: "video/mp4".into(),
            size_bytes: stored.size_bytes,
            duration_ms: Some(4_000),
            width_px: Some(1366),
            height_px: Some(768),
        };
        lib.complete_job(job.id, &[media], None, Some(0), NOW).unwrap();
        id
    })
}

fn set_clip_audio(library: &SharedLibrary, id: i64, clip_audio: ClipAudio) {
    library.with(|lib| {
        let mut settings = load_film(lib, id).unwrap().settings;
        settings.clip_audio = clip_audio;
        let edit = FilmEdit::settings(settings);
        apply_edit(lib, id, &edit, NOW).unwrap();
    });
}

/// Exports the film and returns the MP4 in the library.
async fn export(library: &SharedLibrary, id: i64) -> PathBuf {
    let options = ExportOptions {
        resolution: ExportResolution::P768,
        subtitles: SubtitleMode::None,
        sidecars: false,
        ..ExportOptions::default()
    };
    let done = assemble::export(
        library,
        &ffmpeg().await,
        id,
        &options,
        None,
        &mut |_| {},
        &CancellationToken::new(),
    )
    .await
    .expect("exports");
    library.root().join(&done.item.media[0].rel_path)
}

fn shared(dir: &Path) -> SharedLibrary {
    SharedLibrary::new(Library::open_at(dir).expect("library").0)
}

#[tokio::test]
async fn an_h3_clip_s_sound_is_heard_when_kept_or_mixed_and_not_when_muted() {
    let home = tempfile::tempdir().expect("dir");
    let library = shared(home.path());
    let served = clip_content_with_sound(1366, 768, 4, true, 0).await;
    let id = film_with_clip(&library, &served.head);
    let ff = ffmpeg().await;
    let film = library.with(|lib| load_film(lib, id)).unwrap();
    let clip_path = library.root().join(film.shots[0].clips[0].rel_path.as_deref().expect("filed"));
    assert!(
        probe(&ff, &clip_path).await.has(StreamKind::Audio),
        "the simulator's H3 clip has its soundtrack"
    );

    set_clip_audio(&library, id, ClipAudio::Keep);
    let kept = export(&library, id).await;
    let p = probe(&ff, &kept).await;
    assert!(p.has(StreamKind::Audio) && p.has(StreamKind::Video), "{p:?}");
    let heard = mean_volume(&kept, 500, 3_500, CLIP_BAND);
    assert!(heard > -40.0, "the clip's {CLIP_TONE_HZ} Hz tone plays when kept ({heard:.1} dB)");

    set_clip_audio(&library, id, ClipAudio::UnderLines);
    let mixed = mean_volume(&export(&library, id).await, 500, 3_500, CLIP_BAND);
    assert!(mixed > -40.0, "with no line over it, the mixed clip plays at its level ({mixed:.1} dB)");

    set_clip_audio(&library, id, ClipAudio::Mute);
    let muted = export(&library, id).await;
    let silent = mean_volume(&muted, 500, 3_500, CLIP_BAND);
    assert!(silent < heard - 40.0, "muted: {silent:.1} dB against {heard:.1} dB kept");

    // The animatic mixes the same way.
    set_clip_audio(&library, id, ClipAudio::Keep);
    let animatic = assemble::animatic(&library, &ff, id, &mut |_| {}, &CancellationToken::new())
        .await
        .expect("animatic");
    let preview = mean_volume(&animatic.path, 500, 3_500, CLIP_BAND);
    assert!(preview > -40.0, "the animatic plays the kept clip sound ({preview:.1} dB)");
}

#[tokio::test]
async fn a_clip_without_an_audio_stream_exports_whatever_the_setting() {
    let home = tempfile::tempdir().expect("dir");
    let library = shared(home.path());
    // What a Hailuo clip (or H3 asked for no audio) is: no audio stream at all.
    let served = clip_content_with_sound(1366, 768, 4, false, 0).await;
    let id = film_with_clip(&library, &served.head);
    let ff = ffmpeg().await;
    for setting in [ClipAudio::Keep, ClipAudio::UnderLines, ClipAudio::Mute] {
        set_clip_audio(&library, id, setting);
        let out = export(&library, id).await;
        let p = probe(&ff, &out).await;
        assert!(p.has(StreamKind::Video) && p.has(StreamKind::Audio), "{setting:?}: {p:?}");
        assert!(mean_volume(&out, 500, 3_500, "") < -60.0, "{setting:?}: nothing to hear");
    }
}

#[tokio::test]
async fn an_imported_audio_file_is_checked_then_mixed_as_the_music_bed() {
    let home = tempfile::tempdir().expect("dir");
    let outside = tempfile::tempdir().expect("dir");
    let library = shared(home.path());
    let served = clip_content_with_sound(1366, 768, 4, false, 0).await;
    let id = film_with_clip(&library, &served.head);
    let ff = ffmpeg().await;

    // Checked before use: a text file named .mp3, a video named .m4a, a blip, another kind of file.
    let text = outside.path().join("notes.mp3");
    std::fs::write(&text, "not audio at all").unwrap();
    let video = outside.path().join("clip.m4a");
    std::fs::copy(clip(outside.path(), "c.mp4", 1, (320, 180), 24, Some(300)), &video).unwrap();
    let blip = tone(outside.path(), "blip.mp3", 400, 220, 0.5);
    let sheet = outside.path().join("score.pdf");
    std::fs::write(&sheet, "%PDF").unwrap();
    for (path, said) in
        [(&text, ""), (&video, "a video"), (&blip, "shorter than a second"), (&sheet, "MP3, WAV")]
    {
        match check_music_file(&ff, path).await {
            Err(FilmError::MediaInvalid { reason, .. }) => {
                assert!(reason.contains(said), "{path:?}: {reason}")
            }
            other => panic!("{path:?} is refused, not {other:?}"),
        }
    }
    assert!(matches!(
        import_music(&library, &ff, id, &outside.path().join("gone.mp3"), NOW).await,
        Err(FilmError::MediaUnreadable { .. })
    ));
    assert!(
        library.with(|lib| load_film(lib, id)).unwrap().music.is_empty(),
        "a refused file leaves nothing"
    );

    let bed = tone(outside.path(), "Harbour Theme.mp3", 6_000, 220, 0.5);
    let film = import_music(&library, &ff, id, &bed, NOW).await.expect("imports");
    let take = &film.music[0];
    assert!(take.chosen && take.imported_from.as_deref() == Some("Harbour Theme.mp3"), "{take:?}");
    assert!((5_900..=6_100).contains(&take.duration_ms.unwrap_or(0)), "{take:?}");
    let spend: i64 = library
        .with(|lib| lib.connection().query_row("SELECT COUNT(*) FROM spend", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(spend, 0, "an import is never spend");

    let out = export(&library, id).await;
    let music = mean_volume(&out, 1_600, 2_400, MUSIC_BAND);
    assert!(music > -40.0, "the imported bed plays under the film ({music:.1} dB)");
}
