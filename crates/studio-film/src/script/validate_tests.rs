use super::*;
use crate::script::{AspectRatio, ScriptCast, ScriptLine, ScriptMusic, ScriptShot};

fn valid() -> Script {
    Script {
        format: FORMAT_V1.into(),
        title: "Paper Boat".into(),
        logline: None,
        aspect_ratio: Some(AspectRatio::Landscape),
        style: None,
        target_length_s: Some(30.0),
        cast: vec![
            ScriptCast { name: "Mara".into(), look: None, voice: None },
            ScriptCast { name: "Theo".into(), look: None, voice: None },
        ],
        shots: vec![ScriptShot {
            description: "A paper boat on a puddle.".into(),
            camera: vec![],
            duration_s: Some(6.0),
            characters: vec!["Mara".into()],
            lines: vec![ScriptLine { speaker: "Narrator".into(), text: "Once.".into(), emotion: None }],
        }],
        music: Some(ScriptMusic { prompt: "Soft piano".into(), lyrics: None }),
    }
}

fn paths(script: &Script) -> Vec<String> {
    validate(script).into_iter().map(|p| p.path).collect()
}

#[test]
fn a_valid_script_has_no_problems() {
    assert_eq!(validate(&valid()), vec![]);
}

#[test]
fn each_broken_rule_is_reported_at_its_path() {
    type Breaker = fn(&mut Script);
    let table: Vec<(&str, Breaker, &str, &str)> = vec![
        ("format missing", |s| s.format.clear(), "format", "is missing"),
        ("format other", |s| s.format = "fdx".into(), "format", "found \"fdx\""),
        ("format newer", |s| s.format = "tokenplan-film/2".into(), "format", "newer version"),
        ("empty title", |s| s.title = "  ".into(), "title", "title is empty"),
        ("long title", |s| s.title = "x".repeat(201), "title", "at most 200"),
        ("no shots", |s| s.shots.clear(), "shots", "no shots"),
        (
            "empty description",
            |s| s.shots[0].description = "".into(),
            "shots[0].description",
            "shot 1 has no description",
        ),
        (
            "long description",
            |s| s.shots[0].description = "é".repeat(2001),
            "shots[0].description",
            "2001 characters",
        ),
        ("duration 0", |s| s.shots[0].duration_s = Some(0.5), "shots[0].durationS", "6 or 10 s"),
        ("duration 16", |s| s.shots[0].duration_s = Some(16.0), "shots[0].durationS", "outside 1–15 s"),
        ("duration NaN", |s| s.shots[0].duration_s = Some(f64::NAN), "shots[0].durationS", "outside"),
        (
            "unknown speaker",
            |s| s.shots[0].lines[0].speaker = "Bob".into(),
            "shots[0].lines[0].speaker",
            "shot 1, line 1: unknown speaker \"Bob\": the cast is Mara, Theo (or \"Narrator\")",
        ),
        ("empty line", |s| s.shots[0].lines[0].text = " ".into(), "shots[0].lines[0].text", "no text"),
        (
            "long line",
            |s| s.shots[0].lines[0].text = "a".repeat(10_000),
            "shots[0].lines[0].text",
            "at most 9999",
        ),
        (
            "unknown character",
            |s| s.shots[0].characters.push("Zed".into()),
            "shots[0].characters[1]",
            "\"Zed\" is in frame but not in the cast",
        ),
        ("duplicate cast", |s| s.cast[1].name = "MARA".into(), "cast[1].name", "twice"),
        (
            "narrator in cast",
            |s| s.cast[1].name = "narrator".into(),
            "cast[1].name",
            "cannot be a cast member",
        ),
        ("nameless cast", |s| s.cast[1].name = "".into(), "cast[1].name", "cast member 2 has no name"),
        ("empty voice", |s| s.cast[0].voice = Some("".into()), "cast[0].voice", "voice is empty"),
        ("long look", |s| s.cast[0].look = Some("l".repeat(1501)), "cast[0].look", "at most 1500"),
        (
            "empty music",
            |s| s.music = Some(ScriptMusic { prompt: "".into(), lyrics: None }),
            "music.prompt",
            "no prompt",
        ),
        (
            "long lyrics",
            |s| s.music = Some(ScriptMusic { prompt: "p".into(), lyrics: Some("l".repeat(3501)) }),
            "music.lyrics",
            "at most 3500",
        ),
        ("target length", |s| s.target_length_s = Some(0.0), "targetLengthS", "target length"),
    ];
    for (name, breaker, path, message) in table {
        let mut script = valid();
        breaker(&mut script);
        let problems = validate(&script);
        assert_eq!(problems.len(), 1, "{name}: {problems:?}");
        assert_eq!(problems[0].path, path, "{name}");
        assert!(problems[0].message.contains(message), "{name}: {}", problems[0].message);
    }
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let mut script = valid();
    script.title.clear();
    script.shots[0].duration_s = Some(99.0);
    script.shots[0].lines[0].speaker = "Bob".into();
    assert_eq!(paths(&script), ["title", "shots[0].durationS", "shots[0].lines[0].speaker"]);
    assert_eq!(validate(&script)[1].shot, Some(1));
}

#[test]
fn names_are_matched_case_insensitively_and_spelled_as_the_cast() {
    let mut script = valid();
    script.shots[0].lines.push(ScriptLine { speaker: " THEO ".into(), text: " Hi ".into(), emotion: None });
    script.shots[0].lines.push(ScriptLine {
        speaker: "NARRATOR".into(),
        text: "Then.".into(),
        emotion: None,
    });
    script.shots[0].characters = vec!["theo".into()];
    normalise_names(&mut script);
    assert_eq!(validate(&script), vec![]);
    assert_eq!(script.shots[0].lines[1].speaker, "Theo");
    assert_eq!(script.shots[0].lines[1].text, "Hi");
    assert_eq!(script.shots[0].lines[2].speaker, "Narrator");
    assert_eq!(script.shots[0].characters, ["Theo"]);
}

#[test]
fn durations_at_the_bounds_are_allowed() {
    for duration in [1.0, 6.0, 10.0, 15.0, 2.5] {
        let mut script = valid();
        script.shots[0].duration_s = Some(duration);
        assert_eq!(validate(&script), vec![], "{duration}");
    }
}
