//! The film draft answer: a deterministic shot list for a system message carrying `tokenplan-film/1`,
//! streamed or not, and the spoilers that make the next replies malformed or invalid.

use serde_json::{Value, json};

use crate::common::{Harness, sse_events};

fn draft(stream: bool) -> Value {
    json!({ "model": "MiniMax-M2.7", "stream": stream, "reasoning_split": true, "messages": [
        { "role": "system", "content": "Answer with a JSON shot list in the tokenplan-film/1 format." },
        { "role": "user", "content": "Idea: A lighthouse keeper finds a message in a bottle\nShots: 4\nAspect ratio: 16:9" } ] })
}

fn content(body: &Value) -> String {
    body["choices"][0]["message"]["content"].as_str().expect("content").to_owned()
}

#[tokio::test]
async fn a_draft_request_gets_the_same_shot_list_streamed_or_not() {
    let h = Harness::new().await;
    let (_, plain) = h.post("/v1/chat/completions", draft(false)).await;
    let film: Value = serde_json::from_str(&content(&plain)).expect("valid JSON");
    assert_eq!(film["format"], "tokenplan-film/1");
    assert_eq!(film["aspectRatio"], "16:9");
    assert_eq!(film["shots"].as_array().expect("shots").len(), 4);
    let response = h
        .http
        .post(h.url("/v1/chat/completions"))
        .bearer_auth(crate::common::KEY)
        .json(&draft(true))
        .send()
        .await
        .expect("send");
    let streamed: String = sse_events(&response.text().await.expect("text"))
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e).ok())
        .filter(|e| e["object"] == "chat.completion.chunk")
        .filter_map(|e| e["choices"][0]["delta"]["content"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(serde_json::from_str::<Value>(&streamed).expect("streamed JSON"), film);
    let (_, other) = h
        .post(
            "/v1/chat/completions",
            json!({ "model": "MiniMax-M2.7", "messages": [{ "role": "user", "content": "Idea: x" }] }),
        )
        .await;
    assert!(serde_json::from_str::<Value>(&content(&other)).is_err(), "no marker, no shot list");
}

#[tokio::test]
async fn spoilers_make_the_next_drafts_malformed_or_invalid() {
    let h = Harness::new().await;
    let pending = h.admin("/_sim/film-draft/faults", json!({ "kind": "malformed" })).await;
    assert_eq!(pending["pending"], json!(["malformed"]));
    h.admin("/_sim/film-draft/faults", json!({ "kind": "invalid", "times": 2 })).await;
    let malformed = content(&h.post("/v1/chat/completions", draft(false)).await.1);
    assert!(malformed.starts_with("Here is") && malformed.contains(",\n}"), "{malformed}");
    assert!(serde_json::from_str::<Value>(&malformed).is_err());
    for _ in 0..2 {
        let invalid: Value =
            serde_json::from_str(&content(&h.post("/v1/chat/completions", draft(false)).await.1))
                .expect("JSON");
        assert!(invalid["shots"][0].get("description").is_none() && !invalid["cast"].is_array());
    }
    let fine: Value =
        serde_json::from_str(&content(&h.post("/v1/chat/completions", draft(false)).await.1)).expect("JSON");
    assert!(fine["shots"][0]["description"].is_string(), "spoilers are used up");
    let response = h.http.delete(h.url("/_sim/film-draft/faults")).send().await.expect("send");
    assert_eq!(response.status(), 200);
}
