//! A key without music access (2061 for music and lyrics, set by config or the admin call) and speech-2.8
//! on every speech path.

use minimax_sim::SimConfig;
use serde_json::json;

use crate::common::{Harness, PAYGO, code, config, sse_events};

fn song() -> serde_json::Value {
    json!({ "model": "music-2.6", "prompt": "Indie folk", "lyrics": "[Verse]\nStreetlights flicker" })
}

#[tokio::test]
async fn a_key_without_music_gets_2061_for_music_and_lyrics_uncharged() {
    let h = Harness::with(SimConfig { music_access: false, quota: 10_000, ..config() }).await;
    for (path, body) in
        [("/v1/music_generation", song()), ("/v1/lyrics_generation", json!({ "mode": "write_full_song" }))]
    {
        let (status, answer) = h.post(path, body.clone()).await;
        assert_eq!((status.as_u16(), code(&answer)), (200, 2061), "{answer}");
        assert!(
            answer["base_resp"]["status_msg"]
                .as_str()
                .expect("msg")
                .starts_with("your current token plan not support model")
        );
        assert_eq!(code(&h.post_as(PAYGO, path, body).await.1), 2061, "the pay-as-you-go key too");
    }
    let (_, remains) = h.get("/v1/token_plan/remains").await;
    assert_eq!(remains["model_remains"][0]["current_interval_usage_count"], 0, "refusals cost nothing");
    let flags = h.admin("/_sim/entitlements", json!({ "music": true })).await;
    assert_eq!(flags["music"], true);
    assert_eq!(code(&h.post("/v1/music_generation", song()).await.1), 0);
    h.admin("/_sim/entitlements", json!({ "music": false })).await;
    assert_eq!(code(&h.post("/v1/lyrics_generation", json!({ "mode": "write_full_song" })).await.1), 2061);
}

#[tokio::test]
async fn speech_2_8_serves_sync_stream_and_async_and_refuses_fluent() {
    let h = Harness::new().await;
    let voice = json!({ "voice_id": "English_expressive_narrator" });
    for model in ["speech-2.8-hd", "speech-2.8-turbo"] {
        let body = json!({ "model": model, "text": "Hello (laughs) there.", "voice_setting": voice });
        assert_eq!(code(&h.post("/v1/t2a_v2", body.clone()).await.1), 0);
        let mut streamed = body.clone();
        streamed["stream"] = json!(true);
        let response = h
            .http
            .post(h.url("/v1/t2a_v2"))
            .bearer_auth(crate::common::KEY)
            .json(&streamed)
            .send()
            .await
            .expect("send");
        let events = sse_events(&response.text().await.expect("text"));
        assert!(events.len() > 1, "{model} streams");
        assert_eq!(code(&h.post("/v1/t2a_async_v2", body).await.1), 0, "{model} async");
        let fluent = json!({ "model": model, "text": "Hi.", "voice_setting": { "voice_id": "English_expressive_narrator", "emotion": "fluent" } });
        crate::common::assert_invalid(&h.post("/v1/t2a_v2", fluent).await.1, "voice_setting.emotion");
    }
}
