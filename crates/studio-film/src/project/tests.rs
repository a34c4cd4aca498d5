//! The film model's rules against an in-memory library: import, every edit, undo, takes and their choice,
//! stale lines after a voice change, the stages' plans and the budget.

use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::pricing::Cost;
use studio_core::quota::SpendPoint;
use studio_core::request::GenerationRequest;
use studio_core::storage::media::write_media_file;
use studio_core::storage::{JobState, KeyKind, NewJob, NewMedia, Transition};

use super::budget::{PlanWindow, budget};
use super::edit::{FilmEdit, apply_edit, create_from_script, link_take, undo_edit};
use super::model::{ClipStart, Slot, Voice, chosen};
use super::stages::{StageChoice, StageOptions, plan};
use super::store::load_film;
use crate::demo_film::demo_script;
use crate::schedule::RenderStage;

const NOW: i64 = 1_780_000_000_000;

fn library() -> (tempfile::TempDir, Library, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open_in_memory(dir.path()).unwrap();
    let id = create_from_script(&mut lib, &demo_script(), NOW).unwrap();
    (dir, lib, id)
}

/// A finished job with one file, linked as a take of `slot`.
fn finished_take(
    lib: &mut Library,
    film: i64,
    slot: Slot,
    shot: Option<i64>,
    line: Option<i64>,
    mime: &str,
    made_with: &str,
) -> i64 {
    let job = lib
        .insert_job(&NewJob {
            modality: Modality::Image,
            model: "image-01".into(),
            params: studio_core::request::JobParams::seeded(),
            prompt: "take".into(),
            estimate: Cost::Requests(75),
            key_kind: KeyKind::Plan,
            demo: false,
            state: JobState::Queued,
            created_at_ms: NOW,
        })
        .unwrap();
    link_take(lib.connection(), film, slot, shot, line, job.id, 1, made_with, NOW).unwrap();
    lib.transition(job.id, &Transition::to(JobState::Running, NOW)).unwrap();
    let stored = write_media_file(lib.root(), job.id, 0, mime, &mut &b"bytes"[..]).unwrap();
    let media = NewMedia {
        ordinal: 0,
        rel_path: stored.rel_path,
        mime: mime.into(),
        size_bytes: 5,
        duration_ms: Some(2_000),
        width_px: None,
        height_px: None,
    };
    lib.complete_job(job.id, &[media], None, Some(75), NOW).unwrap();
    job.id
}

#[test]
fn an_imported_script_becomes_cast_shots_and_lines_in_order() {
    let (_dir, mut lib, id) = library();
    let film = load_film(&mut lib, id).unwrap();
    assert_eq!(film.title, "Paper Boat");
    assert_eq!(film.cast.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Mara", "Theo"]);
    assert_eq!(film.shots.len(), 5);
    assert_eq!(film.shots.iter().map(|s| s.index).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    let lines: usize = film.shots.iter().map(|s| s.lines.len()).sum();
    assert_eq!(lines, 7);
    assert!(film.settings.music.is_some());
    assert!(!film.can_undo, "an import is not an edit");
}

#[test]
fn edits_move_split_and_delete_shots_and_undo_brings_each_back() {
    let (_dir, mut lib, id) = library();
    let before = load_film(&mut lib, id).unwrap();
    let first = before.shots[0].id;
    let last = before.shots[4].id;

    apply_edit(&mut lib, id, &FilmEdit::MoveShot { shot_id: last, to_index: 0 }, NOW + 1).unwrap();
    let moved = load_film(&mut lib, id).unwrap();
    assert_eq!(moved.shots[0].id, last);
    assert_eq!(moved.shots[1].id, first);

    let new_id = apply_edit(&mut lib, id, &FilmEdit::SplitShot { shot_id: before.shots[1].id }, NOW + 2)
        .unwrap()
        .unwrap();
    let split = load_film(&mut lib, id).unwrap();
    assert_eq!(split.shots.len(), 6);
    let (a, b) = (split.shot(before.shots[1].id).unwrap(), split.shot(new_id).unwrap());
    assert_eq!(a.duration_s + b.duration_s, before.shots[1].duration_s);
    assert_eq!(a.lines.len() + b.lines.len(), before.shots[1].lines.len(), "lines shared out");
    assert_eq!(b.index, a.index + 1, "the second half follows the first");

    apply_edit(&mut lib, id, &FilmEdit::DeleteShot { shot_id: first }, NOW + 3).unwrap();
    assert_eq!(load_film(&mut lib, id).unwrap().shots.len(), 5);

    // Undo, undo, undo: back to the import, the shot ids kept (their takes still point at them).
    for _ in 0..3 {
        assert!(undo_edit(&mut lib, id, NOW + 4).unwrap().is_some());
    }
    let restored = load_film(&mut lib, id).unwrap();
    assert_eq!(
        restored.shots.iter().map(|s| s.id).collect::<Vec<_>>(),
        before.shots.iter().map(|s| s.id).collect::<Vec<_>>()
    );
    assert_eq!(restored.shots[1].lines.len(), before.shots[1].lines.len());
    assert!(!restored.can_undo);
    assert_eq!(undo_edit(&mut lib, id, NOW + 5).unwrap(), None, "nothing more to undo");
}

#[test]
fn edits_are_checked_and_a_refused_one_changes_nothing() {
    let (_dir, mut lib, id) = library();
    let shot = load_film(&mut lib, id).unwrap().shots[0].id;
    let bad_camera = FilmEdit::UpdateShot {
        shot_id: shot,
        description: Some("changed".into()),
        camera: Some(vec!["Barrel roll".into()]),
        duration_s: None,
        characters: None,
        clip_start: None,
        video_model: None,
        video_resolution: None,
    };
    let error = apply_edit(&mut lib, id, &bad_camera, NOW).unwrap_err().to_string();
    assert!(error.contains("Barrel roll") && error.contains("Push in"), "{error}");
    let film = load_film(&mut lib, id).unwrap();
    assert_ne!(film.shots[0].description, "changed", "one transaction: nothing of a refused edit stays");
    assert!(!film.can_undo, "no snapshot for a refused edit");
    let other_film = create_from_script(&mut lib, &demo_script(), NOW).unwrap();
    let foreign = apply_edit(&mut lib, other_film, &FilmEdit::DeleteShot { shot_id: shot }, NOW);
    assert!(foreign.is_err(), "an edit never reaches into another film");
}

#[test]
fn a_succeeded_take_is_chosen_once_and_a_choice_is_kept() {
    let (_dir, mut lib, id) = library();
    let shot = load_film(&mut lib, id).unwrap().shots[0].id;
    finished_take(&mut lib, id, Slot::Keyframe, Some(shot), None, "image/png", "");
    let second = finished_take(&mut lib, id, Slot::Keyframe, Some(shot), None, "image/png", "");
    let film = load_film(&mut lib, id).unwrap();
    let takes = &film.shots[0].keyframes;
    assert_eq!(takes.len(), 2);
    assert_eq!(takes.iter().filter(|t| t.chosen).count(), 1, "the first success is chosen by itself");
    let other = takes.iter().find(|t| t.job_id == second).unwrap().id;
    apply_edit(&mut lib, id, &FilmEdit::ChooseTake { take_id: other }, NOW).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    assert_eq!(chosen(&film.shots[0].keyframes).unwrap().job_id, second, "the user's choice stays");
}

#[test]
fn a_new_voice_marks_the_characters_voiced_lines_stale_and_nothing_else() {
    let (_dir, mut lib, id) = library();
    let film = load_film(&mut lib, id).unwrap();
    let mara = film.cast.iter().find(|c| c.name == "Mara").unwrap().clone();
    let (shot, line) = film
        .shots
        .iter()
        .find_map(|s| s.lines.iter().find(|l| l.speaker_id == Some(mara.id)).map(|l| (s.id, l.id)))
        .unwrap();
    let made = super::store::voice_fingerprint(mara.voice.as_ref(), &film.settings);
    finished_take(&mut lib, id, Slot::Line, Some(shot), Some(line), "audio/mpeg", &made);
    let fresh = load_film(&mut lib, id).unwrap();
    let take = |f: &super::model::Film| {
        f.shots.iter().flat_map(|s| &s.lines).find(|l| l.id == line).unwrap().takes[0].clone()
    };
    assert!(!take(&fresh).stale);
    let voice = Voice {
        voice_id: "English_radiant_girl".into(),
        model: None,
        speed: None,
        pitch: None,
        emotion: None,
    };
    let change = FilmEdit::UpdateCastMember {
        character_id: mara.id,
        name: None,
        look: None,
        notes: None,
        voice: Some(voice),
    };
    apply_edit(&mut lib, id, &change, NOW).unwrap();
    let after = load_film(&mut lib, id).unwrap();
    assert!(take(&after).stale, "made with the old voice");
    // Stale lines are shown, not re-made: "voice all lines" skips a line with a chosen take unless asked.
    let lines = plan(&after, StageChoice::Lines, &StageOptions::default(), lib.root());
    assert!(lines.iter().all(|j| j.line_id != Some(line)));
    let redo =
        plan(&after, StageChoice::Lines, &StageOptions { redo: true, ..StageOptions::default() }, lib.root());
    let job = redo.iter().find(|j| j.line_id == Some(line)).unwrap();
    let GenerationRequest::Speech(speech) = &job.request else { panic!("a line is speech") };
    assert_eq!(speech.voice_id, "English_radiant_girl");
}

#[test]
fn stages_plan_one_request_per_slot_with_continuity() {
    let (dir, mut lib, id) = library();
    let film = load_film(&mut lib, id).unwrap();
    let keyframes = plan(
        &film,
        StageChoice::Keyframes,
        &StageOptions { takes: 3, ..StageOptions::default() },
        dir.path(),
    );
    assert_eq!(keyframes.len(), 5);
    let GenerationRequest::Image(image) = &keyframes[2].request else { panic!("a keyframe is an image") };
    assert_eq!((image.count, image.aspect_ratio.as_deref()), (Some(3), Some("16:9")));
    assert!(
        image.prompt.contains("yellow raincoat"),
        "the character's look is in the prompt: {}",
        image.prompt
    );
    let clips = plan(&film, StageChoice::Clips, &StageOptions::default(), dir.path());
    assert!(clips.iter().all(|j| j.problem == Some(super::JobProblem::NeedsKeyframe)));

    // With a keyframe, the clip starts from it and carries the camera moves as commands.
    let shot = film.shots[1].clone();
    finished_take(&mut lib, id, Slot::Keyframe, Some(shot.id), None, "image/png", "");
    let film = load_film(&mut lib, id).unwrap();
    let clip = plan(&film, StageChoice::Clips, &StageOptions::default(), dir.path())
        .into_iter()
        .find(|j| j.shot_id == Some(shot.id))
        .unwrap();
    assert_eq!(clip.problem, None);
    // The bindings say `problem?: string`: a sendable job's JSON has no `problem` key at all (a `null` made
    // the Film screen count every job as blocked).
    let wire = serde_json::to_value(&clip).unwrap();
    assert!(wire.get("problem").is_none(), "{wire}");
    assert!(serde_json::to_value(&keyframes[0]).unwrap().get("lineId").is_none());
    let GenerationRequest::Video(video) = &clip.request else { panic!("a clip is video") };
    assert!(video.first_frame.is_some());
    assert!(video.prompt.starts_with('['), "camera commands lead the prompt: {}", video.prompt);
    assert_eq!(video.duration_s, Some(6));
    let start = FilmEdit::UpdateShot {
        shot_id: shot.id,
        description: None,
        camera: None,
        duration_s: None,
        characters: None,
        clip_start: Some(ClipStart::Text),
        video_model: None,
        video_resolution: None,
    };
    apply_edit(&mut lib, id, &start, NOW).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    let clip = plan(&film, StageChoice::Clips, &StageOptions::default(), dir.path())
        .into_iter()
        .find(|j| j.shot_id == Some(shot.id))
        .unwrap();
    let GenerationRequest::Video(video) = &clip.request else { panic!("a clip is video") };
    assert!(video.first_frame.is_none(), "text to video needs no frame");
}

#[test]
fn a_deleted_reference_image_is_said_before_any_spend() {
    let (dir, mut lib, id) = library();
    let film = load_film(&mut lib, id).unwrap();
    let mara = film.cast[0].id;
    std::fs::create_dir_all(dir.path().join("inputs")).unwrap();
    std::fs::write(dir.path().join("inputs/mara.png"), b"png").unwrap();
    let add = FilmEdit::AddReference { character_id: mara, rel_path: "inputs/mara.png".into() };
    apply_edit(&mut lib, id, &add, NOW).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    let with_mara = plan(&film, StageChoice::Keyframes, &StageOptions::default(), dir.path());
    let shot = with_mara
        .iter()
        .find(|j| matches!(&j.request, GenerationRequest::Image(i) if i.subject_reference.is_some()))
        .unwrap();
    assert_eq!(shot.problem, None);
    std::fs::remove_file(dir.path().join("inputs/mara.png")).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    let planned = plan(&film, StageChoice::Keyframes, &StageOptions::default(), dir.path());
    let blocked = planned.iter().find(|j| j.shot_id == shot.shot_id).unwrap();
    assert!(
        matches!(&blocked.problem, Some(super::JobProblem::ReferenceDeleted { character, .. }) if character == "Mara"),
        "{:?}",
        blocked.problem
    );
}

#[test]
fn the_budget_counts_what_is_left_names_the_unknown_and_schedules_on_the_window() {
    let (dir, mut lib, id) = library();
    let film = load_film(&mut lib, id).unwrap();
    let window = PlanWindow {
        quota: 4_500,
        window_ms: 5 * 3_600_000,
        points: vec![SpendPoint { at_ms: NOW - 3_600_000, requests: 4_000 }],
        now_ms: NOW,
    };
    let cost = budget(&film, &window, dir.path()).unwrap();
    let stage = |s: RenderStage| cost.stages.iter().find(|c| c.stage == s).unwrap().clone();
    assert_eq!(stage(RenderStage::Keyframes).requests, 375);
    assert_eq!(stage(RenderStage::Clips).unknown, 2, "two 10 s clips at 768P are not priced");
    assert_eq!(cost.unknown.len(), 2);
    assert!(cost.windows_needed >= 4, "13,500 + 3,000 + … on a 4,500 window that is nearly spent: {cost:?}");
    assert!(cost.finishes_at_ms.unwrap() > NOW + 4 * 3_600_000, "the spent window releases first");
    let cheaper = cost.cheaper.unwrap();
    assert!(cheaper.total_requests < cost.total_requests && cheaper.saving_percent > 0);
    assert_eq!(cost.paid_requests, 0);
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap())
}

/// Gives Mara the voice `voice_id` and returns the film as read again, with Mara's lines' ids.
fn mara_speaks_with(lib: &mut Library, id: i64, voice_id: &str) -> (super::model::Film, Vec<i64>) {
    let film = load_film(lib, id).unwrap();
    let mara = film.cast.iter().find(|c| c.name == "Mara").unwrap().id;
    let voice = Voice { voice_id: voice_id.into(), model: None, speed: None, pitch: None, emotion: None };
    let change = FilmEdit::UpdateCastMember {
        character_id: mara,
        name: None,
        look: None,
        notes: None,
        voice: Some(voice),
    };
    apply_edit(lib, id, &change, NOW).unwrap();
    let film = load_film(lib, id).unwrap();
    let lines = film.shots.iter().flat_map(|s| &s.lines).filter(|l| l.speaker_id == Some(mara)).map(|l| l.id);
    let lines = lines.collect();
    (film, lines)
}

#[test]
fn a_custom_voice_gone_is_flagged_on_the_character_and_its_lines_before_any_spend() {
    use studio_core::voices::{CUSTOM_VOICE_TTL_MS, VoiceKind, VoiceStatus};
    let (dir, mut lib, id) = library();
    let now = wall_clock_ms();
    let day = 24 * 3_600_000;
    lib.insert_custom_voice("tpsc-Mara-old", VoiceKind::Cloned, "Mara", "", None, None, false, now - 8 * day)
        .unwrap();
    lib.insert_custom_voice("tpsd-Mara-new", VoiceKind::Designed, "Mara", "", None, None, false, now - day)
        .unwrap();
    let mara_status = |film: &super::model::Film| {
        film.cast.iter().find(|c| c.name == "Mara").unwrap().voice_status.clone().unwrap()
    };
    let problems = |film: &super::model::Film, lines: &[i64]| {
        let planned = plan(film, StageChoice::Lines, &StageOptions::default(), dir.path());
        let (hers, others): (Vec<_>, Vec<_>) =
            planned.into_iter().partition(|j| j.line_id.is_some_and(|l| lines.contains(&l)));
        assert!(others.iter().all(|j| j.problem.is_none()), "the other speakers' lines go on: {others:?}");
        assert_eq!(hers.len(), lines.len());
        hers.into_iter().map(|j| j.problem).collect::<Vec<_>>()
    };

    // Unused for 8 days: MiniMax has deleted it. The character says so, and every line of hers is held back.
    let (film, lines) = mara_speaks_with(&mut lib, id, "tpsc-Mara-old");
    assert!(!lines.is_empty());
    let expired_at_ms = now - 8 * day + CUSTOM_VOICE_TTL_MS;
    assert_eq!(mara_status(&film), VoiceStatus::Expired { expired_at_ms });
    let expected = super::JobProblem::VoiceUnusable {
        speaker: "Mara".into(),
        voice_id: "tpsc-Mara-old".into(),
        status: VoiceStatus::Expired { expired_at_ms },
    };
    assert!(problems(&film, &lines).iter().all(|p| p.as_ref() == Some(&expected)));
    let window = PlanWindow { quota: 4_500, window_ms: 5 * 3_600_000, points: Vec::new(), now_ms: NOW };
    let cost = budget(&film, &window, dir.path()).unwrap();
    let held = cost.blocked.iter().filter(|b| b.problem == expected).count();
    assert_eq!(held, lines.len(), "the budget lists her lines as not sent: {:?}", cost.blocked);

    // A day-old design still lives (until its 7th day): nothing is held back.
    let (film, lines) = mara_speaks_with(&mut lib, id, "tpsd-Mara-new");
    assert_eq!(
        mara_status(&film),
        VoiceStatus::Available { expires_at_ms: Some(now - day + CUSTOM_VOICE_TTL_MS) }
    );
    assert!(problems(&film, &lines).iter().all(Option::is_none));

    // Deleted in the voice workspace: flagged again.
    lib.mark_custom_voice_deleted("tpsd-Mara-new", now).unwrap();
    let film = load_film(&mut lib, id).unwrap();
    assert_eq!(mara_status(&film), VoiceStatus::Deleted { deleted_at_ms: now });
    assert!(problems(&film, &lines).iter().all(|p| matches!(
        p,
        Some(super::JobProblem::VoiceUnusable { status: VoiceStatus::Deleted { .. }, .. })
    )));

    // MiniMax's own voices and a character without a voice read as before.
    let (film, lines) = mara_speaks_with(&mut lib, id, "English_radiant_girl");
    assert_eq!(mara_status(&film), VoiceStatus::System);
    assert!(problems(&film, &lines).iter().all(Option::is_none));
}

#[tokio::test]
async fn voice_all_lines_refuses_the_lines_of_a_voice_gone_with_the_reason_and_queues_the_rest() {
    use std::sync::Arc;
    use studio_core::runner::{Clock, ManualClock, Runner, RunnerConfig, RunnerPolicy};
    use studio_core::storage::SharedLibrary;
    use studio_core::voices::VoiceKind;

    let (_dir, mut lib, id) = library();
    let now = wall_clock_ms();
    lib.insert_custom_voice(
        "tpsc-Mara-old",
        VoiceKind::Cloned,
        "Mara",
        "",
        None,
        None,
        false,
        now - 8 * 86_400_000,
    )
    .unwrap();
    let (film, lines) = mara_speaks_with(&mut lib, id, "tpsc-Mara-old");
    let all_lines = film.shots.iter().map(|s| s.lines.len()).sum::<usize>();
    let library = SharedLibrary::new(lib);
    // No keys yet: queued jobs wait for them, so nothing is sent anywhere.
    let runner = Runner::start(RunnerConfig {
        library: library.clone(),
        settings: studio_core::settings::Settings::default(),
        clients: None,
        label: "film tests".into(),
        demo: false,
        policy: RunnerPolicy::for_region(&studio_core::settings::Region::Global),
        clock: Arc::new(ManualClock::at(now)) as Arc<dyn Clock>,
    });
    let run = super::service::render_stage(
        &runner,
        &library,
        id,
        StageChoice::Lines,
        &StageOptions::default(),
        KeyKind::Plan,
        None,
    )
    .await
    .unwrap();
    assert_eq!(run.blocked.len(), lines.len(), "{:?}", run.blocked);
    assert!(run.blocked.iter().all(|b| b.to_string().contains("tpsc-Mara-old expired")), "{:?}", run.blocked);
    assert_eq!(run.jobs.len(), all_lines - lines.len(), "the other lines are queued");
}
