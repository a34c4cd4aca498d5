//! The film draft through the client's chat, plain and streamed, and with the simulator's spoilers.

use futures_util::StreamExt;
use minimax_api::text::{ChatEvent, ChatMessage, ChatRequest};

use crate::common::{client, roomy, start};

fn draft_request(shots: usize) -> ChatRequest {
    ChatRequest::new(
        "MiniMax-M2.7",
        vec![
            ChatMessage::text("system", "You draft films. Answer only with tokenplan-film/1 JSON."),
            ChatMessage::text("user", format!("Idea: Two rivals restore a flooded cinema\nShots: {shots}")),
        ],
    )
}

#[tokio::test]
async fn the_draft_is_a_valid_shot_list_plain_and_streamed() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let completion = client.text().chat(&draft_request(12)).await.expect("chat");
    let text = completion.message().and_then(|m| m.text_content()).expect("content");
    let film: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(film["shots"].as_array().expect("shots").len(), 12);
    assert!(film["title"].as_str().expect("title").starts_with("Two Rivals"));
    let mut stream = client.text().chat_stream(&draft_request(12)).await.expect("stream");
    let mut streamed = String::new();
    while let Some(event) = stream.next().await {
        if let ChatEvent::Content(piece) = event.expect("event") {
            streamed.push_str(&piece);
        }
    }
    assert_eq!(serde_json::from_str::<serde_json::Value>(&streamed).expect("JSON"), film);
    sim.state()
        .lock()
        .film_draft_spoilers
        .push_back(minimax_sim::routes::film_draft::DraftSpoiler::Malformed);
    let spoiled = client.text().chat(&draft_request(3)).await.expect("chat");
    let text = spoiled.message().and_then(|m| m.text_content()).expect("content");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "{text}");
}
