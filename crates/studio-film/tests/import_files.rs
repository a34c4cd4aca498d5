//! Script files as a user would import them: a realistic Fountain screenplay with every element, malformed
//! JSON and Fountain files with the lines their errors must name, and a 120-page screenplay.

mod support;

use std::path::PathBuf;
use std::time::Instant;

use studio_film::FilmError;
use studio_film::script::fountain::import_fountain;
use studio_film::script::json::import_json;
use studio_film::script::{LineEmotion, NARRATOR, ScriptSource, import_bytes, import_text};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_screenplay_with_every_element_becomes_a_film() {
    let imported = import_text(&fixture("the_lighthouse.fountain")).unwrap();
    assert_eq!(imported.source, ScriptSource::Fountain);
    let script = &imported.script;
    assert_eq!(script.title, "THE LIGHTHOUSE KEEPER");
    assert!(script.logline.as_deref().is_some_and(|l| l.starts_with("An old keeper")));
    let cast: Vec<&str> = script.cast.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cast, ["Ada", "Bram", "McGREGOR"]);

    let descriptions: Vec<&str> = script.shots.iter().map(|s| s.description.as_str()).collect();
    assert_eq!(
        descriptions,
        [
            "Harbour (exterior, dawn). Fog on black water. Fishing boats knock together at their moorings. A gull \
             screams. A girl, ADA (12, soaked, a too-big green parka), runs along the quay with a rucksack bouncing \
             on her back.",
            "Lighthouse (interior, stairwell, continuous). An iron staircase spirals up into darkness. Ada climbs, \
             counting the steps under her breath. Ada freezes.",
            "Lighthouse Gallery (interior/exterior, day). BRAM (70s, white beard, oilskin coat) steps out onto the \
             gallery. Wind tears at his coat. He hands her the end of a rope.",
            "Bram's Truck (interior/exterior, moving, day). Rain hammers the windscreen. Bram drives with one hand; \
             Ada studies a tide table.",
            "The Coast (establishing, dusk). WIDE. The lighthouse stands alone on the cliff as the storm rolls in \
             from the sea.",
            "Flashback (bram as a young keeper). Young Bram polishes the great lens by candlelight.",
            "Lighthouse Lamp Room (interior, night). The lamp is dark. Bram wrestles with the mechanism. She reaches \
             into the gears. The lamp BLAZES to life.",
        ]
    );
    let characters: Vec<Vec<&str>> =
        script.shots.iter().map(|s| s.characters.iter().map(String::as_str).collect()).collect();
    assert_eq!(
        characters,
        [
            vec!["Ada"],
            vec!["Ada"],
            vec!["Ada", "Bram"],
            vec!["Ada", "Bram"],
            vec![],
            vec!["Bram"],
            vec!["Ada", "Bram"]
        ]
    );

    let stairwell: Vec<(&str, &str, Option<LineEmotion>)> =
        script.shots[1].lines.iter().map(|l| (l.speaker.as_str(), l.text.as_str(), l.emotion)).collect();
    assert_eq!(
        stairwell,
        [
            ("Ada", "Ninety-eight... ninety-nine...", Some(LineEmotion::Calm)),
            ("Bram", "Who's there? This is private property!", Some(LineEmotion::Angry)),
            ("Ada", "Nobody!", Some(LineEmotion::Fearful)),
            ("Bram", "Nobody doesn't talk.", None),
        ]
    );
    assert_eq!(script.shots[0].lines[0].speaker, NARRATOR);
    assert_eq!(script.shots[3].lines[0].emotion, Some(LineEmotion::Happy));
    let lamp_room: Vec<(&str, &str)> =
        script.shots[6].lines.iter().map(|l| (l.speaker.as_str(), l.text.as_str())).collect();
    assert_eq!(
        lamp_room,
        [
            ("Bram", "Come on, old girl."),
            ("Ada", "Let me try. My hands are smaller."),
            ("McGREGOR", "Keeper! Is your light out? I have a trawler off the rocks!"),
            ("Bram", "It's coming, McGregor! It's coming!"),
            ("Ada", "I did it. We did it."),
        ]
    );
    assert_eq!(script.shots[6].lines[2].emotion, Some(LineEmotion::Angry));
    let lyrics = script.music.as_ref().and_then(|m| m.lyrics.as_deref());
    assert_eq!(
        lyrics,
        Some("The light goes round, the light goes round,\nand no ship is lost that the light has found.")
    );

    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(
        warnings[0].starts_with("line 67: dual dialogue flattened: Bram's line with Ada"),
        "{warnings:?}"
    );
    assert!(warnings[1].starts_with("line 92: lyrics outside dialogue"), "{warnings:?}");
    assert!(warnings[2].starts_with("line 100: (whispering)"), "{warnings:?}");
    assert!(warnings[3].starts_with("line 122: centered text \"THE END\""), "{warnings:?}");
}

#[test]
fn crlf_line_endings_read_the_same() {
    let text = fixture("the_lighthouse.fountain");
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(import_fountain(&crlf).unwrap(), import_fountain(&text).unwrap());
}

#[test]
fn malformed_files_name_the_line_and_what_was_expected() {
    struct Case {
        file: &'static str,
        line: u32,
        says: &'static str,
    }
    let cases = [
        Case {
            file: "missing_comma.json",
            line: 6,
            says: "malformed JSON at line 6, column 5: expected `,` or `]`",
        },
        Case { file: "cut_short.json", line: 6, says: "the text ends before the JSON does" },
        Case {
            file: "unknown_speaker.json",
            line: 13,
            says: "shot 4, line 2: unknown speaker \"Bob\": the cast is Mara",
        },
        Case {
            file: "unknown_camera.json",
            line: 6,
            says: "unknown camera move \"Dolly zoom\"; the Hailuo palette is:",
        },
        Case { file: "bad_values.json", line: 2, says: "format \"tokenplan-film/2\" is not supported" },
        Case {
            file: "unclosed_boneyard.fountain",
            line: 7,
            says: "line 7, column 1: a boneyard opened with `/*`",
        },
        Case { file: "title_only.fountain", line: 4, says: "no scene heading, action or dialogue" },
    ];
    for case in cases {
        let err = import_text(&fixture(&format!("malformed/{}", case.file))).unwrap_err();
        let line = match &err {
            FilmError::MalformedJson { line, .. } | FilmError::MalformedFountain { line, .. } => Some(*line),
            FilmError::InvalidScript { problems } => problems[0].line,
            other => panic!("{}: unexpected {other:?}", case.file),
        };
        assert_eq!(line, Some(case.line), "{}: {err}", case.file);
        assert!(err.to_string().contains(case.says), "{}: {err}", case.file);
    }
}

#[test]
fn every_problem_of_a_file_is_listed_with_its_position() {
    let Err(FilmError::InvalidScript { problems }) = import_json(&fixture("malformed/bad_values.json"))
    else {
        panic!("bad_values.json must be invalid");
    };
    let placed: Vec<(&str, Option<u32>, Option<u32>)> =
        problems.iter().map(|p| (p.path.as_str(), p.line, p.column)).collect();
    assert_eq!(
        placed,
        [
            ("format", Some(2), Some(13)),
            ("title", Some(3), Some(12)),
            ("shots[0].durationS", Some(7), Some(78)),
            ("shots[0].characters[0]", Some(7), Some(97)),
        ]
    );
}

#[test]
fn a_file_that_is_not_text_is_refused_with_its_position() {
    let err = import_bytes(b"{\n  \"title\": \"\xc3\x28\"\n}").unwrap_err();
    assert!(matches!(err, FilmError::NotText { line: 2, column: 13 }), "{err:?}");
}

#[test]
fn a_120_page_screenplay_imports_whole_and_fast() {
    let text = support::screenplay(120);
    let lines = text.lines().count();
    assert!((120 * 55..120 * 55 + 40).contains(&lines), "{lines} lines");
    let started = Instant::now();
    let imported = import_fountain(&text).unwrap();
    let elapsed = started.elapsed();
    let script = &imported.script;
    assert_eq!(script.title, "The Last Light");
    assert!(script.shots.len() > 100, "{} shots", script.shots.len());
    assert_eq!(script.cast.len(), 7, "{:?}", script.cast);
    let spoken: usize = script.shots.iter().map(|s| s.lines.len()).sum();
    assert!(spoken > 500, "{spoken} lines");
    // The figure is asserted in release by the bench; a debug test build gets generous headroom.
    assert!(elapsed.as_millis() < 2000, "{elapsed:?}");
}

#[test]
fn the_readme_example_is_a_valid_shot_list() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```json\n").map(|i| i + 8).unwrap();
    let end = start + readme[start..].find("```").unwrap();
    let imported = import_json(&readme[start..end]).unwrap();
    assert_eq!(imported.warnings, vec![]);
    assert_eq!(imported.script.title, "Paper Boat");
}
