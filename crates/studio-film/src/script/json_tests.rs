use super::*;
use crate::script::{CameraMove, FORMAT_V1, LineEmotion};

const VALID: &str = r#"{
  "format": "tokenplan-film/1",
  "title": "Paper Boat",
  "aspectRatio": "16:9",
  "cast": [{"name": "Mara", "look": "a girl in a yellow raincoat"}, {"name": "Theo"}],
  "shots": [
    {"description": "Rain on a window.", "camera": ["[push in]"], "durationS": 6},
    {
      "description": "Mara folds a boat.",
      "characters": ["mara"],
      "lines": [
        {"speaker": "MARA", "text": "It will float.", "emotion": "happy"},
        {"speaker": "narrator", "text": "It did not."}
      ]
    }
  ],
  "music": {"prompt": "soft piano"}
}"#;

fn problems_of(text: &str) -> Vec<ScriptProblem> {
    match import_json(text) {
        Err(FilmError::InvalidScript { problems }) => problems,
        other => panic!("expected InvalidScript, got {other:?}"),
    }
}

#[test]
fn a_valid_list_is_read_and_normalised() {
    let imported = import_json(VALID).unwrap();
    let script = imported.script;
    assert_eq!(imported.warnings, vec![]);
    assert_eq!(script.format, FORMAT_V1);
    assert_eq!(script.shots[0].camera, vec![CameraMove::PushIn]);
    assert_eq!(script.shots[1].characters, ["Mara"]);
    assert_eq!(script.shots[1].lines[0].speaker, "Mara");
    assert_eq!(script.shots[1].lines[0].emotion, Some(LineEmotion::Happy));
    assert_eq!(script.shots[1].lines[1].speaker, "Narrator");
    // What is written back is canonical and reads again to the same script.
    let written = serde_json::to_string_pretty(&script).unwrap();
    assert!(written.contains("\"camera\": [\n        \"Push in\"\n      ]"), "{written}");
    assert_eq!(import_json(&written).unwrap().script, script);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    assert!(import_json(&format!("\u{feff}{VALID}")).is_ok());
}

#[test]
fn malformed_json_names_the_line_column_and_what_was_expected() {
    let table = [
        // A missing comma between two members.
        ("{\n  \"title\": \"T\"\n  \"shots\": []\n}", 3, 3, "expected `,` or `}`"),
        // A trailing comma.
        ("{\n  \"title\": \"T\",\n}", 3, 1, "trailing comma"),
        // Cut short.
        ("{\n  \"title\": \"T\",\n  \"shots\": [\n", 4, 0, "ends before the JSON does"),
        // An unquoted key.
        ("{\n  title: 1}", 2, 3, "key must be a string"),
        // Text after the document.
        ("{\"title\": \"T\", \"shots\": []} extra", 1, 29, "trailing characters"),
        // Non-ASCII before the fault: the column counts characters.
        ("{\"title\": \"Ünïcødé\" \"shots\": []}", 1, 21, "expected `,` or `}`"),
    ];
    for (text, line, column, expected) in table {
        match import_json(text) {
            Err(FilmError::MalformedJson { line: l, column: c, message }) => {
                assert_eq!(l, line, "{text:?}: {message}");
                if column > 0 {
                    assert_eq!(c, column, "{text:?}: {message}");
                }
                assert!(message.contains(expected), "{text:?}: {message}");
            }
            other => panic!("{text:?}: expected MalformedJson, got {other:?}"),
        }
    }
}

#[test]
fn a_value_of_the_wrong_shape_names_its_shot_and_position() {
    let text = VALID.replace("\"emotion\": \"happy\"", "\"emotion\": \"joyful\"");
    let problems = problems_of(&text);
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert_eq!(p.path, "shots[1].lines[0].emotion");
    assert_eq!(p.shot, Some(2));
    assert_eq!((p.line, p.column), (Some(12), Some(66)));
    assert!(p.message.starts_with("shot 2, line 1, emotion: unknown variant `joyful`"), "{}", p.message);

    let text = VALID.replace("[push in]", "Dolly zoom");
    let p = &problems_of(&text)[0];
    assert_eq!(p.path, "shots[0].camera[0]");
    assert_eq!(p.line, Some(7));
    assert!(
        p.message.contains("unknown camera move \"Dolly zoom\"; the Hailuo palette is: Truck left"),
        "{}",
        p.message
    );

    let text = VALID.replace("\"aspectRatio\": \"16:9\"", "\"aspectRatio\": \"4:3\"");
    let p = &problems_of(&text)[0];
    assert_eq!((p.path.as_str(), p.line, p.column), ("aspectRatio", Some(4), Some(18)));
    assert!(p.message.contains("expected one of `16:9`, `9:16`, `1:1`"), "{}", p.message);

    let p = &problems_of("\n  [1, 2]")[0];
    assert_eq!((p.line, p.column), (Some(2), Some(3)));
    assert!(p.message.contains("is a JSON object ({ \"format\": … }), found an array"), "{}", p.message);
    let p = &problems_of("{\"format\": \"tokenplan-film/1\", \"title\": 5, \"shots\": []}")[0];
    assert!(p.message.contains("title: invalid type: integer `5`, expected a string"), "{}", p.message);

    let p =
        &problems_of("{\"format\": \"tokenplan-film/1\", \"title\": \"T\", \"shots\": [{\"camera\": []}]}")
            [0];
    assert_eq!(p.path, "shots[0]");
    assert!(p.message.contains("shot 1: missing field `description`"), "{}", p.message);
}

#[test]
fn broken_rules_are_all_reported_at_their_lines() {
    let text = VALID
        .replace("\"format\": \"tokenplan-film/1\"", "\"format\": \"celtx\"")
        .replace("\"speaker\": \"narrator\"", "\"speaker\": \"Bob\"")
        .replace("\"durationS\": 6", "\"durationS\": 40");
    let problems = problems_of(&text);
    let placed: Vec<(&str, Option<u32>)> = problems.iter().map(|p| (p.path.as_str(), p.line)).collect();
    assert_eq!(
        placed,
        vec![("format", Some(2)), ("shots[0].durationS", Some(7)), ("shots[1].lines[1].speaker", Some(13))]
    );
    assert!(problems[0].message.contains("found \"celtx\""));
    assert!(problems[2].message.contains("shot 2, line 2: unknown speaker \"Bob\""));
    let shown = FilmError::InvalidScript { problems }.to_string();
    assert!(shown.starts_with("line 2, column 13: format must be"), "{shown}");
    assert!(shown.ends_with("(and 2 more)"), "{shown}");
}

#[test]
fn unknown_fields_are_ignored_with_a_warning_at_their_line() {
    let text = VALID.replace("\"durationS\": 6", "\"durationS\": 6, \"durationSec\": 6");
    let imported = import_json(&text).unwrap();
    assert_eq!(imported.warnings.len(), 1);
    let warning = &imported.warnings[0];
    assert_eq!(warning.line, Some(7));
    assert_eq!(
        warning.message,
        "unknown field \"durationSec\" in shot 1 ignored (this version does not read it)"
    );
}

#[test]
fn thousands_of_the_same_fault_are_placed_only_for_the_first_hundred() {
    let shots: Vec<String> =
        (0..150).map(|i| format!("{{\"description\": \"d\", \"typo{i}\": 1, \"lines\": [{{\"speaker\": \"P{i}\", \"text\": \"t\"}}]}}")).collect();
    let text =
        format!("{{\"format\": \"{FORMAT_V1}\", \"title\": \"T\", \"shots\": [\n{}\n]}}", shots.join(",\n"));
    let problems = problems_of(&text);
    assert_eq!(problems.len(), 150);
    assert_eq!(problems[99].line, Some(101));
    assert_eq!(problems[100].line, None);
    let text = text.replace("\"speaker\": \"P", "\"speaker\": \"Narrator\", \"was\": \"P");
    let warnings = import_json(&text).unwrap().warnings;
    assert_eq!(warnings.len(), 101);
    assert_eq!(warnings[100].message, "and 200 more unknown fields ignored");
}
