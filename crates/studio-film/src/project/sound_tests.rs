//! A film's sound beyond its lines: what H3 is asked for under each clip-audio setting, how the setting is
//! stored and read, and a music bed imported from a file (no spend, chosen, used by the timeline's input).

use studio_core::Library;
use studio_core::request::{GenerationRequest, JobParams};

use super::edit::{FilmEdit, apply_edit, create_from_script};
use super::model::{FilmSettings, chosen};
use super::music_import::{CheckedMusic, file_music};
use super::stages::{StageChoice, StageOptions, plan};
use super::store::load_film;
use crate::demo_film::demo_script;
use crate::timeline::ClipAudio;

const NOW: i64 = 1_780_000_000_000;

fn library() -> (tempfile::TempDir, Library, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    let id = create_from_script(&mut lib, &demo_script(), NOW).unwrap();
    (dir, lib, id)
}

fn set(lib: &mut Library, id: i64, change: impl FnOnce(&mut FilmSettings)) {
    let mut settings = load_film(lib, id).unwrap().settings;
    change(&mut settings);
    let edit = FilmEdit::settings(settings);
    apply_edit(lib, id, &edit, NOW).unwrap();
}

/// (model, generate_audio, ratio, duration) of every planned clip.
fn clip_asks(
    lib: &mut Library,
    id: i64,
    root: &std::path::Path,
) -> Vec<(String, Option<bool>, Option<String>, u32)> {
    let film = load_film(lib, id).unwrap();
    plan(&film, StageChoice::Clips, &StageOptions::default(), root)
        .into_iter()
        .map(|job| match job.request {
            GenerationRequest::Video(v) => {
                (v.model.clone(), v.generate_audio, v.ratio.clone(), v.effective_duration_s())
            }
            other => panic!("a clip asks for video, not {other:?}"),
        })
        .collect()
}

#[test]
fn h3_is_asked_for_a_soundtrack_only_when_the_film_will_play_it() {
    let (dir, mut lib, id) = library();
    // A new film mutes clip sound, and Hailuo is never sent the H3-only field.
    assert_eq!(load_film(&mut lib, id).unwrap().settings.clip_audio, ClipAudio::Mute);
    assert!(
        clip_asks(&mut lib, id, dir.path())
            .iter()
            .all(|(_, audio, ratio, _)| audio.is_none() && ratio.is_none())
    );

    set(&mut lib, id, |s| s.video_model = "MiniMax-H3".into());
    let muted = clip_asks(&mut lib, id, dir.path());
    assert!(!muted.is_empty());
    assert!(muted.iter().all(|(_, audio, _, _)| *audio == Some(false)), "{muted:?}");
    assert!(muted.iter().all(|(_, _, ratio, _)| ratio.as_deref() == Some("16:9")));
    // H3 takes any whole second in 4–15: the plan's length, not Hailuo's 6 or 10.
    let film = load_film(&mut lib, id).unwrap();
    let planned: Vec<u32> = film.shots.iter().map(|s| (s.duration_s.round() as u32).clamp(4, 15)).collect();
    assert_eq!(muted.iter().map(|c| c.3).collect::<Vec<_>>(), planned);

    for (setting, wanted) in [(ClipAudio::Keep, Some(true)), (ClipAudio::UnderLines, Some(true))] {
        set(&mut lib, id, |s| s.clip_audio = setting);
        assert!(
            clip_asks(&mut lib, id, dir.path()).iter().all(|(_, audio, _, _)| *audio == wanted),
            "{setting:?}"
        );
    }
    // A shot on the older model keeps its silent Hailuo request.
    let first = film.shots[0].id;
    let edit = FilmEdit::UpdateShot {
        shot_id: first,
        description: None,
        camera: None,
        duration_s: None,
        characters: None,
        clip_start: None,
        video_model: Some("MiniMax-Hailuo-2.3".into()),
        video_resolution: None,
    };
    apply_edit(&mut lib, id, &edit, NOW).unwrap();
    let asks = clip_asks(&mut lib, id, dir.path());
    assert_eq!((asks[0].0.as_str(), asks[0].1), ("MiniMax-Hailuo-2.3", None));
    assert_eq!(asks[1].1, Some(true));
}

#[test]
fn the_setting_reads_its_stored_names_and_a_word_it_does_not_know_as_muted() {
    let read = |json: &str| serde_json::from_str::<FilmSettings>(json).unwrap().clip_audio;
    assert_eq!(read(r#"{"clipAudio":"underLines"}"#), ClipAudio::UnderLines, "films stored before");
    assert_eq!(read(r#"{"clipAudio":"keep"}"#), ClipAudio::Keep);
    assert_eq!(read(r#"{"clipAudio":"surround"}"#), ClipAudio::Mute);
    assert_eq!(read("{}"), ClipAudio::Mute);
    for word in ["muted", "kept", "mixed"] {
        assert_eq!(ClipAudio::parse(word).map(ClipAudio::word), Some(word));
    }
    assert_eq!(ClipAudio::parse("loud"), None);
}

#[test]
fn an_imported_file_becomes_the_chosen_bed_and_nothing_is_charged() {
    let (dir, mut lib, id) = library();
    apply_edit(&mut lib, id, &FilmEdit::SetMusic { music: None }, NOW).unwrap();
    let source = dir.path().join("outside").join("Rain Theme.flac");
    std::fs::create_dir_all(source.parent().unwrap()).unwrap();
    std::fs::write(&source, b"fLaC and the rest").unwrap();
    let music = CheckedMusic {
        mime: "audio/flac",
        duration_ms: 42_000,
        size_bytes: 17,
        file_name: "Rain Theme.flac".into(),
    };
    let spent = |lib: &mut Library| -> i64 {
        lib.connection().query_row("SELECT COUNT(*) FROM spend", [], |r| r.get(0)).unwrap()
    };
    let before = spent(&mut lib);
    let take_id = file_music(&mut lib, id, &source, &music, NOW).unwrap();

    let film = load_film(&mut lib, id).unwrap();
    let bed = chosen(&film.music).expect("the import is chosen");
    assert_eq!(bed.id, take_id);
    assert_eq!(bed.imported_from.as_deref(), Some("Rain Theme.flac"));
    assert_eq!((bed.duration_ms, bed.requests), (Some(42_000), Some(0)));
    let rel = bed.rel_path.clone().expect("filed");
    assert!(rel.starts_with("media/") && rel.ends_with(".flac"), "{rel}");
    assert_eq!(std::fs::read(dir.path().join(&rel)).unwrap(), b"fLaC and the rest");
    assert!(film.settings.music.is_some(), "a film without a cue gets one, so the bed is mixed");
    assert_eq!(spent(&mut lib), before, "the ledger never sees an import");
    let job = lib.job(bed.job_id).unwrap();
    assert_eq!((job.model.as_str(), job.estimate_requests), ("imported", Some(0)));
    assert!(matches!(job.params, JobParams::Imported(ref p) if p.imported == "Rain Theme.flac"));
    assert!(
        std::fs::read_dir(dir.path().join("media"))
            .unwrap()
            .all(|e| { !e.unwrap().file_name().to_string_lossy().ends_with(".part") })
    );

    // A second import replaces the choice; the first stays a take to go back to.
    let second = file_music(&mut lib, id, &source, &music, NOW + 1).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    assert_eq!(film.music.len(), 2);
    assert_eq!(chosen(&film.music).map(|t| t.id), Some(second));

    // A film that is not there takes nothing in.
    assert!(file_music(&mut lib, id + 99, &source, &music, NOW).is_err());
    assert_eq!(load_film(&mut lib, id).unwrap().music.len(), 2);
}
