//! `/v1/chat/completions`, plain and streamed, with every stream ending.

use serde_json::{Value, json};

use crate::common::{Harness, KEY, assert_invalid, sse_events};

fn request(extra: Value) -> Value {
    let mut body = json!({ "model": "MiniMax-M2.7",
        "messages": [{ "role": "system", "content": "You are a helpful assistant." }, { "role": "user", "content": "Hello" }],
        "max_completion_tokens": 1024 });
    if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), extra) {
        target.extend(extra);
    }
    body
}

async fn stream(h: &Harness, body: Value) -> Vec<String> {
    let response =
        h.http.post(h.url("/v1/chat/completions")).bearer_auth(KEY).json(&body).send().await.expect("send");
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    sse_events(&response.text().await.expect("text"))
}

#[tokio::test]
async fn non_streaming_with_and_without_reasoning_split() {
    let h = Harness::new().await;
    let (_, split) = h.post("/v1/chat/completions", request(json!({ "reasoning_split": true }))).await;
    assert_eq!(split["object"], "chat.completion");
    let message = &split["choices"][0]["message"];
    assert!(!message["content"].as_str().expect("content").contains("<think>"));
    assert!(message["reasoning_content"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(message["reasoning_details"][0]["type"], "reasoning.text");
    assert_eq!(message["reasoning_details"][0]["format"], "MiniMax-response-v1");
    assert_eq!(split["choices"][0]["finish_reason"], "stop");
    let usage = &split["usage"];
    assert_eq!(
        usage["total_tokens"].as_u64(),
        Some(usage["prompt_tokens"].as_u64().expect("p") + usage["completion_tokens"].as_u64().expect("c"))
    );
    assert!(usage["completion_tokens_details"]["reasoning_tokens"].as_u64().is_some_and(|r| r > 0));
    assert_eq!(split["base_resp"]["status_code"], 0);
    assert_eq!(split["input_sensitive"], false);

    let (_, short) = h.post("/v1/chat/completions", request(json!({ "max_completion_tokens": 5 }))).await;
    assert_eq!(short["choices"][0]["finish_reason"], "length");

    let (_, inline) = h.post("/v1/chat/completions", request(json!({}))).await;
    assert!(inline["choices"][0]["message"]["content"].as_str().expect("content").starts_with("<think>\n"));
}

#[tokio::test]
async fn stream_ends_with_a_completion_frame_and_done() {
    let h = Harness::new().await;
    let events = stream(&h, request(json!({ "stream": true, "reasoning_split": true }))).await;
    assert_eq!(events.last().map(String::as_str), Some("[DONE]"));
    let frames: Vec<Value> =
        events[..events.len() - 1].iter().map(|e| serde_json::from_str(e).expect("json")).collect();
    let last = frames.last().expect("final frame");
    assert_eq!(last["object"], "chat.completion", "native-style final frame");
    assert!(last["choices"][0]["message"]["content"].is_string());
    assert!(last["usage"]["total_tokens"].as_u64().is_some_and(|t| t > 0));
    let chunks = &frames[..frames.len() - 1];
    assert!(chunks.iter().all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["usage"]["total_tokens"], 0, "placeholder usage on chunks");
    let reasoning: String =
        chunks.iter().filter_map(|c| c["choices"][0]["delta"]["reasoning_content"].as_str()).collect();
    let content: String =
        chunks.iter().filter_map(|c| c["choices"][0]["delta"]["content"].as_str()).collect();
    assert_eq!(reasoning, last["choices"][0]["message"]["reasoning_content"].as_str().expect("reasoning"));
    assert_eq!(content, last["choices"][0]["message"]["content"].as_str().expect("content"));
    let finish: Vec<&Value> = chunks.iter().map(|c| &c["choices"][0]["finish_reason"]).collect();
    assert!(finish[..finish.len() - 1].iter().all(|f| f.is_null()));
    assert_eq!(finish.last().copied(), Some(&json!("stop")));
}

#[tokio::test]
async fn stream_with_an_empty_choices_usage_chunk_and_no_done() {
    let h = Harness::new().await;
    h.admin("/_sim/config", json!({ "chatUsageFrame": "emptyChoices", "chatDoneMarker": false })).await;
    let events =
        stream(&h, request(json!({ "stream": true, "stream_options": { "include_usage": true } }))).await;
    let last: Value = serde_json::from_str(events.last().expect("event")).expect("json, not [DONE]");
    assert_eq!(last["choices"], json!([]));
    assert!(last["usage"]["completion_tokens"].as_u64().is_some());
    let content: String = events[..events.len() - 1]
        .iter()
        .map(|e| serde_json::from_str::<Value>(e).expect("json"))
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str().map(str::to_owned))
        .collect();
    assert!(content.starts_with("<think>\n") && content.contains("</think>\n\n"), "{content}");
    let without = stream(&h, request(json!({ "stream": true }))).await;
    let last: Value = serde_json::from_str(without.last().expect("event")).expect("json");
    assert_eq!(last["object"], "chat.completion.chunk", "no usage chunk without include_usage");
}

#[tokio::test]
async fn chat_validation_and_tools() {
    let h = Harness::new().await;
    assert_invalid(
        &h.post("/v1/chat/completions", request(json!({ "temperature": 1.5 }))).await.1,
        "temperature",
    );
    let mut m3 = request(json!({ "temperature": 1.5 }));
    m3["model"] = json!("MiniMax-M3");
    assert_eq!(h.post("/v1/chat/completions", m3).await.1["base_resp"]["status_code"], 0, "M3 allows [0, 2]");
    assert_invalid(&h.post("/v1/chat/completions", request(json!({ "n": 2 }))).await.1, "n");
    assert_invalid(
        &h.post("/v1/chat/completions", request(json!({ "max_completion_tokens": 300000 }))).await.1,
        "max_completion_tokens",
    );
    assert_invalid(&h.post("/v1/chat/completions", request(json!({ "messages": [] }))).await.1, "messages");
    let tool_without_id = request(json!({ "messages": [{ "role": "tool", "content": "42" }] }));
    assert_invalid(&h.post("/v1/chat/completions", tool_without_id).await.1, "messages[0].tool_call_id");
    let image_on_m27 = request(json!({ "messages": [{ "role": "user", "content": [
        { "type": "image_url", "image_url": { "url": "https://x/y.png" } }] }] }));
    assert_invalid(&h.post("/v1/chat/completions", image_on_m27).await.1, "messages[0].content[0].type");

    let tools = json!([{ "type": "function", "function": { "name": "get_weather", "parameters": { "type": "object" } } }]);
    let (_, called) = h.post("/v1/chat/completions", request(json!({ "tools": tools }))).await;
    assert_eq!(called["choices"][0]["finish_reason"], "tool_calls");
    let call = &called["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(call["function"]["name"], "get_weather");
    assert_eq!(call["function"]["arguments"], "{}");
    let follow_up = request(json!({ "tools": tools, "messages": [
        { "role": "user", "content": "Weather?" }, called["choices"][0]["message"].clone(),
        { "role": "tool", "tool_call_id": call["id"].clone(), "content": "sunny" }] }));
    let (_, answered) = h.post("/v1/chat/completions", follow_up).await;
    assert_eq!(answered["choices"][0]["finish_reason"], "stop");
}

#[tokio::test]
async fn cumulative_reasoning_snapshots_when_configured() {
    let h = Harness::new().await;
    h.admin("/_sim/config", json!({ "chatCumulativeReasoning": true })).await;
    let events = stream(&h, request(json!({ "stream": true, "reasoning_split": true }))).await;
    let snapshots: Vec<String> = events
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e).ok())
        .filter_map(|c| c["choices"][0]["delta"]["reasoning_details"][0]["text"].as_str().map(str::to_owned))
        .collect();
    assert!(snapshots.len() >= 2);
    for pair in snapshots.windows(2) {
        assert!(pair[1].starts_with(&pair[0]) && pair[1].len() > pair[0].len(), "{pair:?}");
    }
}

#[tokio::test]
async fn flac_is_refused_without_charging() {
    let h = Harness::new().await;
    let body = json!({ "model": "speech-2.8-hd", "text": "Hello", "voice_setting": { "voice_id": "English_CalmWoman" },
                       "audio_setting": { "format": "flac" } });
    let (_, refused) = h.post("/v1/t2a_v2", body).await;
    assert_eq!(refused["base_resp"]["status_code"], 1000);
    let (_, remains) = h.get("/v1/token_plan/remains").await;
    assert_eq!(remains["model_remains"][0]["current_interval_usage_count"], 0);
    assert_eq!(h.requests().await["requests"][0]["outcome"], "error", "not a validation failure");
}
