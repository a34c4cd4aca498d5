use super::assemble::{split_text, title_case};
use super::*;
use crate::script::{LineEmotion, NARRATOR, ScriptLine};

fn import(text: &str) -> ImportedScript {
    import_fountain(text).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn line(speaker: &str, text: &str, emotion: Option<LineEmotion>) -> ScriptLine {
    ScriptLine { speaker: speaker.into(), text: text.into(), emotion }
}

#[test]
fn headings_make_shots_and_action_describes_them() {
    let imported = import(
        "Title: Paper Boat\n\nEXT. HARBOUR - DAY\n\nGulls circle.\nA boat drifts.\n\nMARA watches.\n\nINT. MARA'S KITCHEN - NIGHT #2#\n\nRain on glass.\n",
    );
    let script = imported.script;
    assert_eq!(script.title, "Paper Boat");
    assert_eq!(script.shots.len(), 2);
    assert_eq!(
        script.shots[0].description,
        "Harbour (exterior, day). Gulls circle. A boat drifts. MARA watches."
    );
    assert_eq!(script.shots[1].description, "Mara's Kitchen (interior, night). Rain on glass.");
    assert_eq!(imported.warnings, vec![]);
}

#[test]
fn cues_and_dialogue_become_lines_and_cast() {
    let script = import(
        "EXT. PIER - DUSK\n\nTheo skims a stone.\n\nMARA (O.S.)\nTheo! Dinner!\n\nTHEO\n(angrily)\nComing!\n(beat)\nI said coming.\n\nNARRATOR (V.O.)\nHe was not coming.\n\n@McCLANE\nYippee.\n",
    )
    .script;
    let names: Vec<&str> = script.cast.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Mara", "Theo", "McCLANE"]);
    assert_eq!(
        script.shots[0].lines,
        vec![
            line("Mara", "Theo! Dinner!", None),
            line("Theo", "Coming! I said coming.", Some(LineEmotion::Angry)),
            line(NARRATOR, "He was not coming.", None),
            line("McCLANE", "Yippee.", None),
        ]
    );
    // Mara is off screen; Theo speaks on screen and is named in the action; McClane speaks on screen.
    assert_eq!(script.shots[0].characters, ["Theo", "McCLANE"]);
}

#[test]
fn a_new_emotion_mid_speech_starts_a_new_line() {
    let script = import("INT. ROOM\n\nMARA\n(happy)\nWe won!\n(sadly)\nBut Theo is gone.\n").script;
    assert_eq!(
        script.shots[0].lines,
        vec![
            line("Mara", "We won!", Some(LineEmotion::Happy)),
            line("Mara", "But Theo is gone.", Some(LineEmotion::Sad))
        ]
    );
}

#[test]
fn whispering_and_dual_dialogue_are_reported() {
    let imported = import("Title: T\n\nINT. ROOM\n\nMARA\n(whispering)\nHush.\n\nTHEO ^\nWhat?\n");
    let messages: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("line 6: (whispering): speech-2.8 voices cannot whisper"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("line 9: dual dialogue flattened: Theo's line with Mara"),
        "{messages:?}"
    );
    assert_eq!(imported.script.shots[0].lines[0].emotion, None);
}

#[test]
fn dialogue_before_any_heading_makes_an_implicit_first_shot() {
    let script = import("NARRATOR\nOnce, there was a boat.\n\nEXT. SEA - DAY\n\nWaves.\n").script;
    assert_eq!(script.shots.len(), 2);
    assert_eq!(script.shots[0].description, "An establishing image under the narration.");
    assert_eq!(script.shots[0].lines[0].speaker, NARRATOR);
    assert!(script.cast.is_empty());
}

#[test]
fn a_shot_without_action_is_described_by_its_heading_or_speakers() {
    let script =
        import("INT. ATTIC - NIGHT\n\nMARA\nHello?\n\n.DREAM SEQUENCE\n\nTHEO\nHi.\n\nMARA\nOh.\n").script;
    assert_eq!(script.shots[0].description, "Attic (interior, night).");
    assert_eq!(script.shots[1].description, "Dream Sequence.");
    let script = import("MARA\nHi.\n\nTHEO\nHello.\n").script;
    assert_eq!(script.shots[0].description, "Mara and Theo in conversation.");
}

#[test]
fn every_other_element_is_left_out_of_the_film() {
    let text = "Title:\n    _**THE**_\n    *BOAT*\nAuthor: A. Writer\nDraft date: 1/1/2026\n\n# ACT ONE\n\n= The boat is lost.\n\n\
                EXT. SEA - DAY\n\nWaves [[check the tide]] roll.\n/* cut this\nINT. NOWHERE\n*/\n\nCUT TO:\n\n> FADE OUT.\n\n===\n\n\
                >THE END<\n\n!SILENCE.\n";
    let imported = import(text);
    let script = imported.script;
    assert_eq!(script.title, "THE BOAT");
    assert_eq!(script.shots.len(), 1);
    assert_eq!(script.shots[0].description, "Sea (exterior, day). Waves roll. SILENCE.");
    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["line 24: centered text \"THE END\" left out (title cards belong in the edit)"]);
}

#[test]
fn lyrics_are_sung_in_dialogue_and_a_song_outside_it() {
    let imported =
        import("Title: Song\n\nINT. BAR\n\nMARA\n~Row, row, row\n~your boat\n\n~Gently down\n~the stream\n");
    let script = imported.script;
    assert_eq!(script.shots[0].lines[0].text, "Row, row, row\nyour boat");
    let music = script.music.unwrap();
    assert_eq!(music.lyrics.as_deref(), Some("Gently down\nthe stream"));
    assert_eq!(imported.warnings[0].line, Some(9));
}

#[test]
fn crlf_tabs_bom_and_two_space_dialogue_lines_are_handled() {
    let script =
        import("\u{feff}Title: X\r\n\r\nINT. ROOM\r\n\r\n\tMara sits.\r\n\r\nMARA\r\nOne.\r\n  \r\nTwo.\r\n")
            .script;
    assert_eq!(script.shots[0].description, "Room (interior). Mara sits.");
    assert_eq!(script.shots[0].lines[0].text, "One. Two.");
}

#[test]
fn long_action_continues_in_new_shots_of_the_same_scene() {
    let sentence = "The storm tears the sails apart while the crew holds on. ";
    let action = sentence.repeat(80);
    let imported = import(&format!("Title: Storm\n\nINT. SHIP - NIGHT\n\n{action}\n\nMARA\nHold on!\n"));
    let script = imported.script;
    assert!(script.shots.len() >= 3, "{}", script.shots.len());
    for shot in &script.shots {
        assert!(shot.description.chars().count() <= 2000);
        assert!(shot.description.starts_with("Ship (interior, night)."));
    }
    assert_eq!(script.shots.last().map(|s| s.lines.len()), Some(1));
    assert!(imported.warnings[0].message.contains("continued in"), "{:?}", imported.warnings);
}

#[test]
fn files_that_are_not_screenplays_fail_with_a_line() {
    let table: [(&str, u32, &str); 3] = [
        ("", 1, "no scene heading"),
        ("Title: Empty\nAuthor: Nobody\n\n\n", 5, "no scene heading"),
        ("EXT. SEA\n\nWaves.\n\n/* unfinished\n\nMore.", 5, "never closed"),
    ];
    for (text, expected_line, expected) in table {
        match import_fountain(text) {
            Err(FilmError::MalformedFountain { line, message, .. }) => {
                assert_eq!(line, expected_line, "{text:?}: {message}");
                assert!(message.contains(expected), "{text:?}: {message}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn a_title_page_without_title_is_untitled_with_a_warning() {
    let imported = import("Author: A\n\nEXT. SEA\n\nWaves.\n");
    assert_eq!(imported.script.title, "Untitled");
    assert!(imported.warnings[0].message.contains("Untitled"));
}

#[test]
fn rule_problems_are_placed_at_their_source_line() {
    let title = "T".repeat(201);
    match import_fountain(&format!("Title: {title}\n\nEXT. SEA\n\nWaves.\n")) {
        Err(FilmError::InvalidScript { problems }) => {
            assert_eq!((problems[0].path.as_str(), problems[0].line), ("title", Some(1)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_are_title_cased() {
    let table = [
        ("MARA", "Mara"),
        ("MARA'S", "Mara's"),
        ("O'BRIEN", "O'Brien"),
        ("MARY-KATE", "Mary-Kate"),
        ("DR. NO", "Dr. No"),
        ("McCLANE", "McCLANE"),
        ("R2D2", "R2d2"),
    ];
    for (text, expected) in table {
        assert_eq!(title_case(text), expected);
    }
}

#[test]
fn text_is_split_at_sentences_then_words() {
    assert_eq!(split_text("One. Two. Three.", 10), ["One. Two.", "Three."]);
    assert_eq!(split_text("short", 10), ["short"]);
    assert_eq!(split_text("aaaa bbbb cccc", 9), ["aaaa bbbb", "cccc"]);
    assert_eq!(split_text("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    for piece in split_text(&"Word ".repeat(1000), 100) {
        assert!(piece.chars().count() <= 100);
    }
}

#[test]
fn non_ascii_headings_and_names_are_read() {
    let script = import("INT. ÉCOLE - JOUR\n\nZOË\nBonjour.\n\nıNT. not a heading\n").script;
    assert_eq!(script.shots[0].description, "École (interior, jour). ıNT. not a heading");
    assert_eq!(script.cast[0].name, "Zoë");
}
