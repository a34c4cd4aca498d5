use super::*;
use crate::script::CameraMove;

const GOOD: &str = r#"{"format": "tokenplan-film/1", "title": "Paper Boat", "aspectRatio": "16:9",
 "cast": [{"name": "Mara", "look": "girl, yellow raincoat"}],
 "shots": [{"description": "A paper boat on a puddle.", "camera": ["Push in"], "durationS": 6,
   "characters": ["Mara"], "lines": [{"speaker": "Mara", "text": "Go!", "emotion": "happy"}]}],
 "music": {"prompt": "soft piano"}}"#;

fn ready(reply: &str) -> ImportedScript {
    parse_draft_reply(reply).unwrap_or_else(|p| panic!("{p}"))
}

fn warnings(imported: &ImportedScript) -> Vec<String> {
    imported.warnings.iter().map(|w| w.message.clone()).collect()
}

#[test]
fn the_request_carries_the_marker_the_idea_and_the_shot_count() {
    let messages =
        draft_messages("A boy and\na paper boat", Some(5), Some(AspectRatio::Portrait), Some(" ink  wash "));
    assert!(messages.system.contains(DRAFT_MARKER));
    assert!(messages.system.contains("\"Push in\"") && messages.system.contains("\"calm\""));
    let lines: Vec<&str> = messages.user.lines().collect();
    assert!(lines.contains(&"Idea: A boy and a paper boat"), "{lines:?}");
    assert!(lines.contains(&"Shots: 5"), "{lines:?}");
    assert!(lines.contains(&"Aspect ratio: 9:16"), "{lines:?}");
    assert!(lines.contains(&"Style: ink wash"), "{lines:?}");
    let without = draft_messages("Idea", None, None, None);
    assert!(!without.user.contains(SHOTS_PREFIX), "{}", without.user);
    assert!(!without.user.contains("Aspect ratio"), "{}", without.user);
}

#[test]
fn json_is_found_bare_fenced_or_in_prose() {
    let table = [
        GOOD.to_owned(),
        format!("```json\n{GOOD}\n```"),
        format!("Here is your film:\n```\n{GOOD}\n```\nEnjoy!"),
        format!("Sure! {GOOD} Let me know if you want changes."),
        format!("```text\nno json here\n```\nThen: {GOOD}"),
    ];
    for reply in table {
        let imported = ready(&reply);
        assert_eq!(imported.script.title, "Paper Boat", "{reply}");
        assert_eq!(imported.warnings, vec![], "{reply}");
        assert_eq!(imported.source, ScriptSource::Draft);
    }
}

#[test]
fn syntax_faults_are_repaired_and_reported() {
    let reply = "{\u{201c}format\u{201d}: \u{201c}tokenplan-film/1\u{201d}, // the format\n\
                 \"title\": \"Paper \u{201c}Boat\u{201d}\",\n\"shots\": [{\"description\": \"Rain\nfalls.\",},],}";
    let imported = ready(reply);
    assert_eq!(imported.script.title, "Paper \u{201c}Boat\u{201d}");
    assert_eq!(imported.script.shots[0].description, "Rain\nfalls.");
    let said = warnings(&imported).join(" | ");
    for fix in ["smart quotes", "trailing commas", "comments", "line breaks"] {
        assert!(said.contains(fix), "{fix}: {said}");
    }
}

#[test]
fn shape_faults_are_repaired_and_reported() {
    let reply = r#"{"title": "Boat", "aspect_ratio": "16x9", "target_length": "30s",
      "cast": ["Mara"],
      "scenes": [
        {"visual": "Rain.", "camera_movement": "[pan left, Pedestal up]", "duration": "10 seconds",
         "dialogue": [{"character": "THEO", "line": "Look!", "tone": "excitedly"}, "NARRATOR: It sailed.", "Quietly."]},
        {"description": "Sea.", "camera": ["Dolly zoom", "zoom IN"], "duration": 30, "characters": "Mara",
         "lines": [{"speaker": "Mara", "text": "Bye", "emotion": "whisper"}]}
      ],
      "music": "strings"}"#;
    let imported = ready(reply);
    let script = &imported.script;
    assert_eq!(script.format, FORMAT_V1);
    assert_eq!(script.aspect_ratio, Some(AspectRatio::Landscape));
    assert_eq!(script.target_length_s, Some(30.0));
    assert_eq!(script.cast.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Mara", "THEO"]);
    let first = &script.shots[0];
    assert_eq!(first.description, "Rain.");
    assert_eq!(first.camera, [CameraMove::PanLeft, CameraMove::PedestalUp]);
    assert_eq!(first.duration_s, Some(10.0));
    assert_eq!(first.lines[0].emotion, Some(LineEmotion::Happy));
    assert_eq!((first.lines[1].speaker.as_str(), first.lines[1].text.as_str()), (NARRATOR, "It sailed."));
    assert_eq!((first.lines[2].speaker.as_str(), first.lines[2].text.as_str()), (NARRATOR, "Quietly."));
    let second = &script.shots[1];
    assert_eq!(second.camera, [CameraMove::ZoomIn]);
    assert_eq!(second.duration_s, Some(15.0));
    assert_eq!(second.characters, ["Mara"]);
    assert_eq!(second.lines[0].emotion, None);
    assert_eq!(script.music.as_ref().map(|m| m.prompt.as_str()), Some("strings"));
    let said = warnings(&imported).join(" | ");
    for expected in [
        "the missing \"format\" was set",
        "\"duration\" read as \"durationS\"",
        "\"scenes\" read as \"shots\"",
        "camera move \"Dolly zoom\" is not in the Hailuo palette",
        "shot 2: duration 30 s set to 15 s",
        "emotion \"whisper\" is not one the voices have",
        "\"THEO\" (shot 1) was not in the cast; added",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
}

#[test]
fn unusable_replies_say_why() {
    assert_eq!(parse_draft_reply("I cannot help with that."), Err(DraftProblem::NoJson));
    match parse_draft_reply("Here:\n{\"title\": \"X\" \"shots\": []}") {
        Err(DraftProblem::Malformed { line, column, message }) => {
            assert_eq!((line, column), (2, 15));
            assert!(message.contains("expected `,` or `}`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match parse_draft_reply("{\"title\": \"X\", \"shots\": []}") {
        Err(DraftProblem::Invalid { problems }) => assert!(problems[0].message.contains("no shots")),
        other => panic!("{other:?}"),
    }
    match parse_draft_reply("{\"title\": \"X\", \"shots\": [{\"description\": 5}]}") {
        Err(DraftProblem::Invalid { problems }) => {
            assert_eq!(problems[0].path, "shots[0].description");
            assert!(
                problems[0].message.starts_with("shot 1, description: invalid type"),
                "{}",
                problems[0].message
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_flow_reasks_once_then_keeps_the_text() {
    let DraftStep::Done(DraftOutcome::Ready { reasked: false, .. }) = after_first_reply(GOOD) else {
        panic!("a good reply is ready at once");
    };
    let bad = "Sorry, here is a plan: shot one, a boat.";
    let DraftStep::Reask { messages, problem } = after_first_reply(bad) else {
        panic!("a bad reply is re-asked")
    };
    assert_eq!(problem, DraftProblem::NoJson);
    assert!(messages.system.contains(DRAFT_MARKER));
    assert!(!messages.user.contains(IDEA_PREFIX));
    assert!(
        messages.user.contains("not a valid tokenplan-film/1 shot list because: the reply contains no JSON")
    );
    assert!(messages.user.contains(bad));
    assert!(matches!(after_repair_reply(bad, GOOD), DraftOutcome::Ready { reasked: true, .. }));
    match after_repair_reply(bad, "still no json") {
        DraftOutcome::NeedsEditing { raw_reply, first_reply, problem } => {
            assert_eq!(raw_reply, "still no json");
            assert_eq!(first_reply.as_deref(), Some(bad));
            assert_eq!(problem, DraftProblem::NoJson);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_reply_cut_off_mid_json_is_malformed_not_lost() {
    let cut = &GOOD[..GOOD.len() / 2];
    assert!(matches!(parse_draft_reply(cut), Err(DraftProblem::Malformed { .. })));
    let DraftStep::Reask { problem, .. } = after_first_reply(cut) else { panic!() };
    assert!(problem.to_string().starts_with("the JSON is malformed at line"), "{problem}");
}
