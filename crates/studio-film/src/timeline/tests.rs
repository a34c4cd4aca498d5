use std::path::PathBuf;

use super::*;

fn clip(media_ms: Ms, trim_in_ms: Ms, trim_out_ms: Option<Ms>) -> Option<ClipInput> {
    Some(ClipInput { path: PathBuf::from("clip.mp4"), media_ms, trim_in_ms, trim_out_ms, has_audio: false })
}

fn keyframe(camera: &[&str]) -> Option<KeyframeInput> {
    Some(KeyframeInput {
        path: PathBuf::from("key.png"),
        camera: camera.iter().map(|c| c.to_string()).collect(),
    })
}

fn line(id: i64, speaker: &str, duration_ms: Ms, offset_ms: Option<Ms>) -> LineInput {
    LineInput {
        id,
        speaker: speaker.to_owned(),
        text: format!("line {id}"),
        audio: Some(LineAudio { path: PathBuf::from(format!("line{id}.mp3")), duration_ms, subtitles: None }),
        offset_ms,
    }
}

fn shot(id: i64, planned_ms: Ms, clip: Option<ClipInput>, lines: Vec<LineInput>) -> ShotInput {
    ShotInput {
        id,
        planned_ms,
        clip: clip.clone(),
        keyframe: if clip.is_none() { keyframe(&[]) } else { None },
        lines,
    }
}

fn film(shots: Vec<ShotInput>) -> FilmInput {
    FilmInput { shots, ..FilmInput::default() }
}

/// (name, shot, expected length, expected extension, expected line spans)
type LengthCase = (&'static str, ShotInput, Ms, Ms, Vec<(Ms, Ms)>);

#[test]
fn shot_length_and_line_placement_table() {
    let cases: Vec<LengthCase> = vec![
        ("planned only", shot(1, 4_000, None, vec![]), 4_000, 0, vec![]),
        ("clip untrimmed", shot(1, 4_000, clip(6_000, 0, None), vec![]), 6_000, 0, vec![]),
        ("clip trimmed both ends", shot(1, 4_000, clip(6_000, 500, Some(5_000)), vec![]), 4_500, 0, vec![]),
        (
            "trim out past the media is clamped",
            shot(1, 4_000, clip(6_000, 1_000, Some(9_000)), vec![]),
            5_000,
            0,
            vec![],
        ),
        (
            "short line fits the planned length",
            shot(1, 5_000, None, vec![line(10, "Mara", 2_000, None)]),
            5_000,
            0,
            vec![(300, 2_300)],
        ),
        (
            "lines extend a keyframe shot: lead-in + lines + speaker gap + tail",
            shot(1, 3_000, None, vec![line(10, "Mara", 2_000, None), line(11, "Jon", 1_500, None)]),
            300 + 2_000 + 300 + 1_500 + 400,
            300 + 2_000 + 300 + 1_500 + 400 - 3_000,
            vec![(300, 2_300), (2_600, 4_100)],
        ),
        (
            "same speaker gets the short gap",
            shot(1, 1_000, None, vec![line(10, "Mara", 1_000, None), line(11, "Mara", 1_000, None)]),
            300 + 1_000 + 150 + 1_000 + 400,
            300 + 1_000 + 150 + 1_000 + 400 - 1_000,
            vec![(300, 1_300), (1_450, 2_450)],
        ),
        (
            "manual offset, next line follows it",
            shot(1, 8_000, None, vec![line(10, "Mara", 1_000, Some(4_000)), line(11, "Jon", 1_000, None)]),
            8_000,
            0,
            vec![(4_000, 5_000), (5_300, 6_300)],
        ),
        (
            "clip shot keeps its length when a line overflows",
            shot(1, 1_000, clip(3_000, 0, None), vec![line(10, "Mara", 4_000, None)]),
            3_000,
            0,
            vec![(300, 4_300)],
        ),
    ];
    for (name, s, length, extended, spans) in cases {
        let t = build(&film(vec![s]));
        assert_eq!(t.duration_ms, length, "{name}");
        assert_eq!(t.shots[0].duration_ms(), length, "{name}");
        assert_eq!(t.shots[0].extended_ms, extended, "{name}");
        let got: Vec<(Ms, Ms)> = t.lines.iter().map(|l| (l.start_ms, l.end_ms)).collect();
        assert_eq!(got, spans, "{name}");
    }
}

#[test]
fn shots_are_placed_one_after_another_with_absolute_line_times() {
    let t = build(&film(vec![
        shot(1, 2_000, None, vec![]),
        shot(2, 2_000, clip(6_000, 1_000, Some(4_000)), vec![line(20, "Mara", 1_000, None)]),
        shot(3, 1_500, None, vec![line(30, "Jon", 2_000, Some(0))]),
    ]));
    let spans: Vec<(i64, Ms, Ms)> = t.shots.iter().map(|s| (s.id, s.start_ms, s.end_ms)).collect();
    assert_eq!(spans, [(1, 0, 2_000), (2, 2_000, 5_000), (3, 5_000, 7_400)]);
    let lines: Vec<(i64, i64, Ms, Ms)> =
        t.lines.iter().map(|l| (l.id, l.shot_id, l.start_ms, l.end_ms)).collect();
    assert_eq!(lines, [(20, 2, 2_300, 3_300), (30, 3, 5_000, 7_000)]);
    assert_eq!(t.duration_ms, 7_400);
    assert_eq!(t.shots.iter().map(|s| s.index).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(matches!(t.shots[1].picture, Picture::Clip { in_ms: 1_000, out_ms: 4_000, .. }));
}

#[test]
fn warnings_table() {
    let mut silent = line(11, "Mara", 0, None);
    silent.text = "…".to_owned();
    let mut unvoiced = line(12, "Mara", 1_000, None);
    unvoiced.audio = None;
    let cases: Vec<(&str, ShotInput, Vec<TimelineWarning>, usize)> = vec![
        (
            "overflowing line on a clip",
            shot(1, 1_000, clip(2_000, 0, None), vec![line(10, "Mara", 2_500, None)]),
            vec![TimelineWarning::LineOverflowsClip { shot_id: 1, line_id: 10, overflow_ms: 800 }],
            1,
        ),
        (
            "zero-length line is left out",
            shot(1, 1_000, None, vec![silent]),
            vec![TimelineWarning::ZeroLengthLine { shot_id: 1, line_id: 11 }],
            0,
        ),
        ("unvoiced line is not placed and not a warning", shot(1, 1_000, None, vec![unvoiced]), vec![], 0),
        (
            "empty trim uses the whole clip",
            shot(1, 1_000, clip(2_000, 1_500, Some(1_000)), vec![]),
            vec![TimelineWarning::TrimOutOfRange { shot_id: 1 }],
            0,
        ),
        (
            "no picture",
            ShotInput { id: 1, planned_ms: 1_000, clip: None, keyframe: None, lines: vec![] },
            vec![TimelineWarning::NoPicture { shot_id: 1 }],
            0,
        ),
        ("empty shot", shot(1, 0, None, vec![]), vec![TimelineWarning::EmptyShot { shot_id: 1 }], 0),
    ];
    for (name, s, warnings, lines) in cases {
        let t = build(&film(vec![s]));
        assert_eq!(t.warnings, warnings, "{name}");
        assert_eq!(t.lines.len(), lines, "{name}");
    }
    let t = build(&film(vec![shot(1, 2_000, clip(2_000, 0, None), vec![]), shot(2, 0, None, vec![])]));
    assert_eq!(t.shots.len(), 1, "an empty shot is left out");
    assert_eq!(
        t.shots[0].picture,
        Picture::Clip { path: "clip.mp4".into(), in_ms: 0, out_ms: 2_000, media_ms: 2_000, has_audio: false }
    );
}

#[test]
fn music_and_ducking_table() {
    let bed = |media_ms, fade_in_ms, fade_out_ms| MusicBed {
        path: "music.mp3".into(),
        media_ms,
        volume: 0.5,
        fade_in_ms,
        fade_out_ms,
        ducking: Some(Ducking { amount_db: -12.0 }),
    };
    // (name, music, expected end, fades, music warning)
    let cases = [
        ("long music is cut at the film's end", bed(90_000, 1_000, 2_000), 10_000, (1_000, 2_000), false),
        ("short music ends early", bed(6_000, 1_000, 2_000), 6_000, (1_000, 2_000), true),
        (
            "fades longer than the music shrink in proportion",
            bed(3_000, 3_000, 3_000),
            3_000,
            (1_500, 1_500),
            true,
        ),
    ];
    for (name, music, end, fades, early) in cases {
        let mut f = film(vec![shot(1, 10_000, None, vec![])]);
        f.music = Some(music);
        let t = build(&f);
        let m = t.music.expect("music");
        assert_eq!(m.end_ms, end, "{name}");
        assert_eq!((m.fade_in_ms, m.fade_out_ms), fades, "{name}");
        assert_eq!(t.warnings.contains(&TimelineWarning::MusicEndsEarly { end_ms: end }), early, "{name}");
    }
    // Ducking: lines at 300..1300 and 1450..2450 (same speaker) merge; a later line stands alone; the last
    // release is clipped to the film.
    let f = film(vec![
        shot(
            1,
            6_000,
            None,
            vec![line(1, "A", 1_000, None), line(2, "A", 1_000, None), line(3, "A", 1_000, Some(4_000))],
        ),
        shot(2, 1_000, clip(1_000, 0, None), vec![line(4, "B", 900, Some(0))]),
    ]);
    let t = build(&f);
    let spans: Vec<(Ms, Ms)> = t.ducking.iter().map(|s| (s.start_ms, s.end_ms)).collect();
    assert_eq!(spans, [(150, 2_800), (3_850, 5_350), (5_850, 7_000)]);
    assert!((Ducking { amount_db: -12.0 }.gain() - 0.251).abs() < 0.001);
}

#[test]
fn aspect_ratio_frame_sizes() {
    let cases = [
        (AspectRatio::Landscape, 480, (854, 480)),
        (AspectRatio::Portrait, 480, (480, 854)),
        (AspectRatio::Square, 480, (480, 480)),
        (AspectRatio::Landscape, 720, (1280, 720)),
        (AspectRatio::Landscape, 768, (1366, 768)),
        (AspectRatio::Portrait, 1080, (1080, 1920)),
    ];
    for (ratio, short, size) in cases {
        assert_eq!(ratio.frame_size(short), size, "{ratio:?} {short}");
    }
    assert_eq!(serde_json::to_string(&AspectRatio::Portrait).expect("json"), "\"9:16\"");
}

#[test]
fn camera_commands_table() {
    let m = |zoom, horizontal, vertical, shake| Motion { zoom, horizontal, vertical, shake };
    let cases: [(&[&str], Motion); 9] = [
        (&["Push in"], m(1, 0, 0, false)),
        (&["[Pull out]"], m(-1, 0, 0, false)),
        (&["zoom OUT"], m(-1, 0, 0, false)),
        (&["Pan left"], m(0, -1, 0, false)),
        (&["Truck right", "Pedestal up"], m(0, 1, -1, false)),
        (&["[Pan left,Tilt down]"], m(0, -1, 1, false)),
        (&["Static shot"], m(0, 0, 0, false)),
        (&["推进", "晃动"], m(1, 0, 0, true)),
        (&["Dolly zoom"], m(0, 0, 0, false)),
    ];
    for (commands, motion) in cases {
        assert_eq!(Motion::from_camera(commands), motion, "{commands:?}");
    }
    assert!(Motion::from_camera(&["Static shot"]).is_still());
}

#[test]
fn every_edit_applies_and_its_inverse_restores_the_film() {
    let mut f = film(vec![
        shot(1, 2_000, clip(6_000, 0, None), vec![line(10, "A", 1_000, None)]),
        shot(2, 2_000, None, vec![line(20, "B", 1_000, None)]),
        shot(3, 2_000, None, vec![]),
    ]);
    f.music = Some(MusicBed {
        path: "m.mp3".into(),
        media_ms: 60_000,
        volume: 0.5,
        fade_in_ms: 500,
        fade_out_ms: 1_000,
        ducking: None,
    });
    let edits = [
        TimelineEdit::TrimClip { shot_id: 1, trim_in_ms: 1_000, trim_out_ms: Some(4_000) },
        TimelineEdit::SetLineOffset { line_id: 20, offset_ms: Some(900) },
        TimelineEdit::SetMusicVolume { volume: 0.8 },
        TimelineEdit::SetMusicFades { fade_in_ms: 0, fade_out_ms: 3_000 },
        TimelineEdit::SetDucking { ducking: Some(Ducking { amount_db: -18.0 }) },
        TimelineEdit::SetClipAudio { clip_audio: ClipAudio::Mute },
        TimelineEdit::MoveShot { shot_id: 3, to_index: 0 },
        TimelineEdit::SetCueText { line_id: 10, cue_index: 0, text: Some("Retyped".to_owned()) },
    ];
    for edit in edits {
        let before = f.clone();
        let inverse = edit.apply(&mut f).expect("applies");
        assert_ne!(f, before, "{edit:?} changes the film");
        inverse.apply(&mut f).expect("inverse applies");
        assert_eq!(f, before, "{edit:?} is undone by {inverse:?}");
    }
    // Effects on the timeline.
    TimelineEdit::TrimClip { shot_id: 1, trim_in_ms: 1_000, trim_out_ms: Some(4_000) }
        .apply(&mut f)
        .expect("trim");
    TimelineEdit::MoveShot { shot_id: 3, to_index: 0 }.apply(&mut f).expect("move");
    let t = build(&f);
    assert_eq!(
        t.shots.iter().map(|s| (s.id, s.start_ms, s.end_ms)).collect::<Vec<_>>(),
        [(3, 0, 2_000), (1, 2_000, 5_000), (2, 5_000, 7_000)]
    );
}

#[test]
fn invalid_edits_leave_the_film_unchanged() {
    let mut f = film(vec![shot(1, 2_000, clip(6_000, 0, None), vec![]), shot(2, 2_000, None, vec![])]);
    let before = f.clone();
    let bad = [
        TimelineEdit::TrimClip { shot_id: 1, trim_in_ms: 5_000, trim_out_ms: Some(5_000) },
        TimelineEdit::TrimClip { shot_id: 1, trim_in_ms: 0, trim_out_ms: Some(7_000) },
        TimelineEdit::TrimClip { shot_id: 2, trim_in_ms: 0, trim_out_ms: None },
        TimelineEdit::TrimClip { shot_id: 9, trim_in_ms: 0, trim_out_ms: None },
        TimelineEdit::SetLineOffset { line_id: 99, offset_ms: None },
        TimelineEdit::SetMusicVolume { volume: 0.5 },
        TimelineEdit::MoveShot { shot_id: 1, to_index: 2 },
        TimelineEdit::SetCueText { line_id: 99, cue_index: 0, text: None },
    ];
    for edit in bad {
        assert!(matches!(edit.apply(&mut f), Err(crate::FilmError::InvalidEdit(_))), "{edit:?}");
        assert_eq!(f, before, "{edit:?}");
    }
    f.music = Some(MusicBed {
        path: "m".into(),
        media_ms: 1,
        volume: 1.0,
        fade_in_ms: 0,
        fade_out_ms: 0,
        ducking: None,
    });
    assert!(TimelineEdit::SetMusicVolume { volume: 9.0 }.apply(&mut f).is_err());
    assert!(TimelineEdit::SetDucking { ducking: Some(Ducking { amount_db: 6.0 }) }.apply(&mut f).is_err());
}

#[test]
fn edits_round_trip_as_json() {
    let edit = TimelineEdit::TrimClip { shot_id: 4, trim_in_ms: 250, trim_out_ms: None };
    let json = serde_json::to_value(&edit).expect("json");
    assert_eq!(
        json,
        serde_json::json!({ "kind": "trimClip", "shotId": 4, "trimInMs": 250, "trimOutMs": null })
    );
    assert_eq!(serde_json::from_value::<TimelineEdit>(json).expect("back"), edit);
}
