//! Tests of the chat stream assembly: both endings, `[DONE]` or not, incremental and cumulative
//! reasoning, empty roles, tool calls, cuts, and arbitrary chunking (proptest).

use super::*;
use crate::sse::{assemble, block_on};
use futures_util::StreamExt;
use proptest::prelude::*;

fn chunk(delta: &str) -> String {
    format!(
        "data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"MiniMax-M2.7\",\"choices\":[{{\"index\":0,\"delta\":{delta}}}],\"usage\":{{\"total_tokens\":0,\"total_characters\":0}}}}\n\n"
    )
}

const FINISH: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"\",\"content\":\"\"},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
const FINAL_FRAME: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\",\"reasoning_content\":\"think more\"}}],\"usage\":{\"total_tokens\":80,\"prompt_tokens\":42,\"completion_tokens\":38},\"base_resp\":{\"status_code\":0,\"status_msg\":\"\"}}\n\n";
const USAGE_CHUNK: &str = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"total_tokens\":80,\"prompt_tokens\":42,\"completion_tokens\":38}}\n\n";

/// Incremental (M2.7) or cumulative (M3) reasoning, then two content deltas, then an ending.
fn body(cumulative: bool, ending: &str, done: bool) -> String {
    let mut text = String::new();
    if cumulative {
        text.push_str(&chunk(
            r#"{"role":"assistant","reasoning_details":[{"type":"reasoning.text","text":"think"}]}"#,
        ));
        text.push_str(&chunk(
            r#"{"role":"","reasoning_details":[{"type":"reasoning.text","text":"think more"}]}"#,
        ));
    } else {
        text.push_str(&chunk(r#"{"role":"assistant","reasoning_content":"think"}"#));
        text.push_str(&chunk(r#"{"role":"","reasoning_content":" more"}"#));
    }
    text.push_str(&chunk(r#"{"role":"","content":"Hello"}"#));
    text.push_str(&chunk(r#"{"content":" there"}"#));
    text.push_str(FINISH);
    text.push_str(ending);
    if done {
        text.push_str("data: [DONE]\n\n");
    }
    text
}

fn run(chunks: Vec<Vec<u8>>) -> Vec<std::result::Result<ChatEvent, String>> {
    let source = futures_util::stream::iter(
        chunks.into_iter().map(|chunk| Ok::<_, std::io::Error>(bytes::Bytes::from(chunk))),
    );
    let stream = assemble(
        source,
        ChatStreamAssembler::new(Some("trace-9".into())),
        "/v1/chat/completions",
        std::time::Duration::from_secs(60),
        crate::sse::io_failure,
    );
    block_on(stream.map(|r| r.map_err(|e| e.to_string())).collect())
}

fn texts(events: &[std::result::Result<ChatEvent, String>]) -> (String, String) {
    let mut reasoning = String::new();
    let mut content = String::new();
    for event in events.iter().flatten() {
        match event {
            ChatEvent::Reasoning(text) => reasoning.push_str(text),
            ChatEvent::Content(text) => content.push_str(text),
            _ => {}
        }
    }
    (reasoning, content)
}

fn summary(events: &[std::result::Result<ChatEvent, String>]) -> ChatSummary {
    match events.last() {
        Some(Ok(ChatEvent::Done(summary))) => summary.clone(),
        other => panic!("no Done event: {other:?}"),
    }
}

#[test]
fn every_ending_gives_the_same_text_once_and_the_real_usage() {
    for cumulative in [false, true] {
        for ending in [FINAL_FRAME, USAGE_CHUNK, ""] {
            for done in [false, true] {
                let events = run(vec![body(cumulative, ending, done).into_bytes()]);
                let label = format!("cumulative={cumulative} ending={} done={done}", ending.len());
                assert_eq!(texts(&events), ("think more".to_owned(), "Hello there".to_owned()), "{label}");
                let summary = summary(&events);
                assert_eq!(summary.content, "Hello there", "{label}");
                assert_eq!(summary.reasoning, "think more", "{label}");
                assert_eq!(summary.finish_reason.as_deref(), Some("stop"), "{label}");
                assert_eq!(summary.trace_id.as_deref(), Some("trace-9"));
                let expected_tokens = if ending.is_empty() { None } else { Some(80) };
                assert_eq!(summary.usage.and_then(|u| u.total_tokens), expected_tokens, "{label}");
            }
        }
    }
}

#[test]
fn final_frame_alone_delivers_the_text() {
    let events = run(vec![FINAL_FRAME.as_bytes().to_vec()]);
    assert_eq!(texts(&events), ("think more".to_owned(), "Hello there".to_owned()));
}

#[test]
fn a_stream_cut_before_its_end_is_an_error() {
    let text = body(false, "", false);
    let cut = text.find("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"\",\"content\":\"\"},\"finish").unwrap();
    let events = run(vec![text.as_bytes()[..cut].to_vec()]);
    assert!(events.last().unwrap().as_ref().unwrap_err().contains("ended before"));
}

#[test]
fn tool_calls_are_assembled_by_index() {
    let mut text = String::new();
    text.push_str(&chunk(r#"{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]}"#));
    text.push_str(&chunk(r#"{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"#));
    text.push_str("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n");
    let events = run(vec![text.into_bytes()]);
    let summary = summary(&events);
    assert_eq!(summary.tool_calls.len(), 1);
    assert_eq!(summary.tool_calls[0].id, "call_1");
    assert_eq!(summary.tool_calls[0].function.name, "get_weather");
    assert_eq!(summary.tool_calls[0].function.arguments, r#"{"city":"Paris"}"#);
}

#[test]
fn an_error_frame_stops_the_stream() {
    let text = format!(
        "{}data: {{\"base_resp\":{{\"status_code\":1002,\"status_msg\":\"rate limit\"}}}}\n\n",
        chunk(r#"{"content":"x"}"#)
    );
    let events = run(vec![text.into_bytes()]);
    assert!(events.last().unwrap().as_ref().unwrap_err().contains("1002"));
    let bad = run(vec![b"data: {not json\n\n".to_vec()]);
    assert!(bad[0].as_ref().unwrap_err().contains("invalid chunk"));
}

#[test]
fn reasoning_dedup_rules() {
    let mut acc = String::new();
    assert_eq!(reasoning_novelty(&mut acc, "ha"), Some("ha".into()));
    assert_eq!(reasoning_novelty(&mut acc, "ha"), Some("ha".into()), "short repeats are incremental");
    assert_eq!(reasoning_novelty(&mut acc, "haha, yes"), Some(", yes".into()));
    assert_eq!(reasoning_novelty(&mut acc, "haha, yes"), None, "an identical long snapshot adds nothing");
    assert_eq!(acc, "haha, yes");
}

proptest! {
    #[test]
    fn chunking_at_any_byte_gives_the_same_events(
        cuts in proptest::collection::vec(0usize..4000, 0..16),
        cumulative in any::<bool>(),
        ending in 0usize..3,
        done in any::<bool>(),
    ) {
        let ending = [FINAL_FRAME, USAGE_CHUNK, ""][ending];
        let text = body(cumulative, ending, done).into_bytes();
        let whole = run(vec![text.clone()]);
        let mut points: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for point in points {
            chunks.push(text[start..point].to_vec());
            start = point;
        }
        chunks.push(text[start..].to_vec());
        let split = run(chunks);
        prop_assert_eq!(texts(&split), texts(&whole));
        prop_assert_eq!(summary(&split), summary(&whole));
    }
}

#[test]
fn crlf_line_endings_and_comments_are_understood() {
    let text = format!(": keep-alive\n\n{}", body(false, USAGE_CHUNK, true)).replace('\n', "\r\n");
    let events = run(vec![text.into_bytes()]);
    assert_eq!(texts(&events), ("think more".to_owned(), "Hello there".to_owned()));
}

/// Chunk-shaped JSON: the keys the assembler reads, with any values.
fn chunk_like() -> impl Strategy<Value = serde_json::Value> {
    use crate::json_strategies::{json_value, object_with};
    let delta = object_with(&["role", "content", "reasoning_content", "reasoning_details", "tool_calls"]);
    let choice = (delta, json_value(), json_value()).prop_map(|(delta, finish, message)| {
        serde_json::json!({ "index": 0, "delta": delta, "finish_reason": finish, "message": message })
    });
    (proptest::collection::vec(choice, 0..3), object_with(&["object", "id", "model", "usage", "base_resp"]))
        .prop_map(|(choices, mut frame)| {
            frame["choices"] = serde_json::Value::from(choices);
            frame
        })
}

proptest! {
    #[test]
    fn no_event_payload_makes_the_chat_stream_panic(
        frames in proptest::collection::vec(prop_oneof![
            chunk_like().prop_map(|v| v.to_string()),
            crate::json_strategies::json_value().prop_map(|v| v.to_string()),
            "\\PC{0,40}",
        ], 0..8),
        done in any::<bool>(),
    ) {
        let mut text: String = frames.iter().map(|f| format!("data: {}\n\n", f.replace('\n', " "))).collect();
        if done {
            text.push_str("data: [DONE]\n\n");
        }
        let events = run(vec![text.into_bytes()]);
        prop_assert!(events.iter().filter(|e| matches!(e, Ok(ChatEvent::Done(_)))).count() <= 1);
    }

    #[test]
    fn no_byte_stream_makes_the_sse_parser_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), cut in 0usize..600) {
        let cut = cut.min(bytes.len());
        let _ = run(vec![bytes[..cut].to_vec(), bytes[cut..].to_vec()]);
    }
}
