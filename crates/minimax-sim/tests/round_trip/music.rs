//! `/v1/music_generation` and `/v1/lyrics_generation`.

use minimax_sim::media::audio::mp3_frames;
use serde_json::json;

use crate::common::{Harness, assert_invalid, code, download, sse_events};

#[tokio::test]
async fn song_with_lyrics_in_hex_and_url() {
    let h = Harness::new().await;
    let lyrics = "[Verse]\nStreetlights flicker on empty roads\n[Chorus]\nI'll find my way home";
    let request = json!({ "model": "music-2.6", "prompt": "Indie folk, melancholic, rainy night", "lyrics": lyrics,
                          "audio_setting": { "sample_rate": 44100, "bitrate": 256000, "format": "mp3" },
                          "output_format": "hex" });
    let (_, body) = h.post("/v1/music_generation", request.clone()).await;
    assert_eq!(code(&body), 0, "{body}");
    assert_eq!(body["data"]["status"], 2);
    assert!(body["analysis_info"].is_null());
    let audio = hex::decode(body["data"]["audio"].as_str().expect("hex")).expect("hex");
    assert_eq!(mp3_frames(&audio).iter().map(|f| f.len()).sum::<usize>(), audio.len());
    let extra = &body["extra_info"];
    assert_eq!(extra["music_sample_rate"], 44100);
    assert_eq!(extra["music_channel"], 2);
    assert_eq!(extra["music_size"], audio.len() as u64);
    let short = extra["music_duration"].as_u64().expect("ms");
    assert!((13_900..=14_200).contains(&short), "{short}");

    let mut longer = request.clone();
    longer["lyrics"] = json!(format!("{lyrics}\n{}", "Another line\n".repeat(20)));
    longer["output_format"] = json!("url");
    let (_, body) = h.post("/v1/music_generation", longer).await;
    assert!(body["extra_info"]["music_duration"].as_u64().expect("ms") > short + 50_000);
    let (status, _, bytes) = download(&h.http, body["data"]["audio"].as_str().expect("url")).await;
    assert_eq!(status, 200);
    assert_eq!(bytes.len() as u64, body["extra_info"]["music_size"].as_u64().expect("size"));

    let mut streamed = request;
    streamed["stream"] = json!(true);
    let text = h
        .http
        .post(h.url("/v1/music_generation"))
        .bearer_auth(crate::common::KEY)
        .json(&streamed)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    let last: serde_json::Value =
        serde_json::from_str(sse_events(&text).last().expect("event")).expect("json");
    assert_eq!(last["data"]["status"], 2);
}

#[tokio::test]
async fn lyrics_and_instrumental_rules() {
    let h = Harness::new().await;
    let instrumental = json!({ "model": "music-2.6", "prompt": "Calm piano", "is_instrumental": true });
    assert_eq!(code(&h.post("/v1/music_generation", instrumental).await.1), 0);
    let cases = [
        (json!({ "model": "music-2.6", "prompt": "pop" }), "lyrics"),
        (
            json!({ "model": "music-2.0", "prompt": "Calm piano", "lyrics": "la la la la la", "is_instrumental": true }),
            "is_instrumental",
        ),
        (json!({ "model": "music-2.6", "is_instrumental": true }), "prompt"),
        (json!({ "model": "music-2.0", "prompt": "short", "lyrics": "la la la la la" }), "prompt"),
        (json!({ "model": "music-2.6", "lyrics": "x".repeat(3501) }), "lyrics"),
        (json!({ "model": "music-cover", "prompt": "A cover in jazz style" }), "audio_url"),
        (
            json!({ "model": "music-2.6", "lyrics": "la", "stream": true, "output_format": "url" }),
            "output_format",
        ),
        (
            json!({ "model": "music-2.6", "lyrics": "la", "audio_setting": { "sample_rate": 48000 } }),
            "audio_setting.sample_rate",
        ),
        (json!({ "model": "music-9", "lyrics": "la" }), "model"),
    ];
    for (request, field) in cases {
        assert_invalid(&h.post("/v1/music_generation", request).await.1, field);
    }
    let optimizer = json!({ "model": "music-2.6", "prompt": "upbeat", "lyrics_optimizer": true });
    assert_eq!(code(&h.post("/v1/music_generation", optimizer).await.1), 0);
}

#[tokio::test]
async fn lyrics_generation() {
    let h = Harness::new().await;
    let (_, body) = h
        .post(
            "/v1/lyrics_generation",
            json!({ "mode": "write_full_song", "prompt": "summer by the sea", "title": "Tides" }),
        )
        .await;
    assert_eq!(code(&body), 0);
    assert_eq!(body["song_title"], "Tides", "title kept verbatim");
    let lyrics = body["lyrics"].as_str().expect("lyrics");
    assert!(lyrics.starts_with("[Intro]") && lyrics.contains("[Pre-Chorus]"), "{lyrics}");
    assert!(body["style_tags"].as_str().is_some_and(|s| s.contains(',')));
    assert_invalid(&h.post("/v1/lyrics_generation", json!({ "prompt": "x" })).await.1, "mode");
    assert_invalid(
        &h.post("/v1/lyrics_generation", json!({ "mode": "write_full_song", "lyrics": "x" })).await.1,
        "lyrics",
    );
}
