//! `/v1/t2a_v2`, `/v1/get_voice`, `/v1/t2a_async_v2` and its query.

use minimax_sim::media::audio::mp3_frames;
use serde_json::{Value, json};

use crate::common::{Harness, assert_invalid, code, download, sse_events};

fn tts(text: &str) -> Value {
    json!({
        "model": "speech-2.8-hd", "text": text,
        "voice_setting": { "voice_id": "English_expressive_narrator", "speed": 1, "vol": 1, "pitch": 0 },
        "audio_setting": { "sample_rate": 32000, "bitrate": 128000, "format": "mp3", "channel": 1 },
        "output_format": "hex",
    })
}

#[tokio::test]
async fn hex_mp3_length_follows_the_text() {
    let h = Harness::new().await;
    let text = "The quick brown fox jumps over the lazy dog. ".repeat(4);
    let response = h
        .http
        .post(h.url("/v1/t2a_v2"))
        .bearer_auth(crate::common::KEY)
        .json(&tts(&text))
        .send()
        .await
        .expect("send");
    let header =
        response.headers().get("Trace-Id").expect("Trace-Id header").to_str().expect("ascii").to_owned();
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["trace_id"], header, "the body's trace_id is the header's");
    assert_eq!(code(&body), 0);
    assert_eq!(body["data"]["status"], 2);
    let audio = hex::decode(body["data"]["audio"].as_str().expect("hex")).expect("valid hex");
    let frames = mp3_frames(&audio);
    assert!(!frames.is_empty());
    assert_eq!(frames.iter().map(|f| f.len()).sum::<usize>(), audio.len(), "whole MP3 frames");
    let extra = &body["extra_info"];
    let chars = text.chars().count() as u64;
    assert_eq!(extra["usage_characters"], chars);
    let expected_ms = chars * 1000 / 15;
    let length = extra["audio_length"].as_u64().expect("audio_length");
    assert!(length.abs_diff(expected_ms) < 100, "{length} vs {expected_ms}");
    assert_eq!(extra["audio_size"], audio.len() as u64);
    assert_eq!(extra["audio_format"], "mp3");
    assert_eq!(extra["word_count"], 36);
    assert!(body["trace_id"].as_str().is_some_and(|t| t.len() == 32));
}

#[tokio::test]
async fn wav_and_url_outputs() {
    let h = Harness::new().await;
    let mut request = tts("Hello world.");
    request["audio_setting"]["format"] = json!("wav");
    request["audio_setting"]["sample_rate"] = json!(16000);
    let (_, body) = h.post("/v1/t2a_v2", request).await;
    let wav = hex::decode(body["data"]["audio"].as_str().expect("hex")).expect("hex");
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(u32::from_le_bytes([wav[24], wav[25], wav[26], wav[27]]), 16000);

    let mut request = tts("Hello world.");
    request["output_format"] = json!("url");
    request["subtitle_enable"] = json!(true);
    let (_, body) = h.post("/v1/t2a_v2", request).await;
    let url = body["data"]["audio"].as_str().expect("url");
    assert!(url.starts_with("http://"), "{url}");
    let (status, headers, bytes) = download(&h.http, url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "audio/mpeg");
    assert_eq!(bytes[0], 0xFF, "MP3 frame sync");
    let (_, _, subtitles) =
        download(&h.http, body["data"]["subtitle_file"].as_str().expect("subtitles")).await;
    let subtitles: Value = serde_json::from_slice(&subtitles).expect("json");
    assert_eq!(subtitles[0]["text"], "Hello world.");
}

#[tokio::test]
async fn stream_final_event_repeats_the_whole_audio() {
    let h = Harness::new().await;
    let mut request = tts(&"A sentence to stream. ".repeat(10));
    request["stream"] = json!(true);
    let response = h
        .http
        .post(h.url("/v1/t2a_v2"))
        .bearer_auth(crate::common::KEY)
        .json(&request)
        .send()
        .await
        .expect("send");
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let events: Vec<Value> = sse_events(&response.text().await.expect("text"))
        .iter()
        .map(|e| serde_json::from_str(e).expect("event json"))
        .collect();
    assert_eq!(events.len(), 9, "8 chunks + final");
    let mut streamed = String::new();
    for event in &events[..8] {
        assert_eq!(event["data"]["status"], 1);
        assert_eq!(event["base_resp"]["status_msg"], "");
        streamed.push_str(event["data"]["audio"].as_str().expect("hex"));
    }
    let last = &events[8];
    assert_eq!(last["data"]["status"], 2);
    assert_eq!(last["base_resp"]["status_msg"], "success");
    assert_eq!(last["data"]["audio"].as_str(), Some(streamed.as_str()), "final event repeats everything");
    assert!(last["extra_info"]["audio_length"].as_u64().is_some());

    request["stream_options"] = json!({ "exclude_aggregated_audio": true });
    let (_, text) = {
        let r = h
            .http
            .post(h.url("/v1/t2a_v2"))
            .bearer_auth(crate::common::KEY)
            .json(&request)
            .send()
            .await
            .expect("send");
        (r.status(), r.text().await.expect("text"))
    };
    let last: Value = serde_json::from_str(sse_events(&text).last().expect("event")).expect("json");
    assert_eq!(last["data"]["audio"], "");
}

#[tokio::test]
async fn validation_names_the_field() {
    let h = Harness::new().await;
    let mut request = tts("Hi");
    request["voice_setting"]["speed"] = json!(3);
    let (status, body) = h.post("/v1/t2a_v2", request).await;
    assert_eq!(status, 200, "errors come with HTTP 200");
    assert_invalid(&body, "voice_setting.speed");
    assert_eq!(body.get("data"), Some(&Value::Null), "data is null on errors");

    let mut request = tts("Hi");
    request["voice_setting"]["vol"] = json!(0);
    assert_invalid(&h.post("/v1/t2a_v2", request).await.1, "voice_setting.vol");

    let mut request = tts("Hi");
    request["model"] = json!("speech-3");
    assert_invalid(&h.post("/v1/t2a_v2", request).await.1, "model");

    let mut request = tts("Hi");
    request["stream"] = json!(true);
    request["output_format"] = json!("url");
    assert_invalid(&h.post("/v1/t2a_v2", request).await.1, "output_format");

    let mut request = tts("Hi");
    request["voice_setting"]["emotion"] = json!("whisper");
    assert_invalid(&h.post("/v1/t2a_v2", request).await.1, "voice_setting.emotion");

    let mut request = tts("Hi");
    request["voice_setting"]["voice_id"] = json!("Nobody_voice");
    assert_eq!(code(&h.post("/v1/t2a_v2", request).await.1), 20132);

    assert_invalid(&h.post("/v1/t2a_v2", json!({ "model": "speech-2.8-hd" })).await.1, "text");
    let log = h.requests().await;
    assert_eq!(log["validationFailures"], 6);
    assert_eq!(log["requests"][0]["validationField"], "voice_setting.speed");
    assert_eq!(h.sim.validation_failures(), 6);
}

#[tokio::test]
async fn voice_list_is_realistic() {
    let h = Harness::new().await;
    let (_, body) = h.post("/v1/get_voice", json!({ "voice_type": "system" })).await;
    let voices = body["system_voice"].as_array().expect("system voices");
    assert!(voices.len() > 20);
    assert!(voices.iter().any(|v| v["voice_id"] == "English_expressive_narrator"));
    assert!(
        voices.iter().any(|v| v["voice_id"].as_str().is_some_and(|id| id.starts_with("Chinese (Mandarin)_")))
    );
    assert!(body["voice_cloning"].is_null(), "arrays may be null");
    let (_, all) = h.post("/v1/get_voice", json!({ "voice_type": "all" })).await;
    assert_eq!(all["voice_cloning"], json!([]));
    assert_eq!(all["voice_generation"], json!([]));
    assert_invalid(&h.post("/v1/get_voice", json!({ "voice_type": "mine" })).await.1, "voice_type");
}

#[tokio::test]
async fn async_speech_advances_and_its_link_expires() {
    let h = Harness::new().await;
    let request = json!({
        "model": "speech-2.6-hd", "text": "A long chapter. ".repeat(50),
        "voice_setting": { "voice_id": "English_expressive_narrator", "english_normalization": true },
        "audio_setting": { "audio_sample_rate": 32000, "format": "mp3" },
    });
    let (_, created) = h.post("/v1/t2a_async_v2", request).await;
    assert_eq!(code(&created), 0, "{created}");
    let task_id = created["task_id"].as_u64().expect("numeric task id");
    let file_id = created["file_id"].as_u64().expect("numeric file id");
    assert_eq!(created["usage_characters"], 800);
    let query = format!("/v1/query/t2a_async_query_v2?task_id={task_id}");
    assert_eq!(h.get(&query).await.1["status"], "Processing");
    h.advance(5_000);
    let (_, done) = h.get(&query).await;
    assert_eq!(done["status"], "Success");
    assert_eq!(done["file_id"], file_id);
    let (_, file) = h.get(&format!("/v1/files/retrieve?file_id={file_id}")).await;
    assert_eq!(file["file"]["purpose"], "t2a_async");
    let url = file["file"]["download_url"].as_str().expect("url").to_owned();
    let (status, _, bytes) = download(&h.http, &url).await;
    assert_eq!(status, 200);
    assert_eq!(bytes.len() as u64, file["file"]["bytes"].as_u64().expect("bytes"));
    h.advance(32_400_000);
    let (status, _, body) = download(&h.http, &url).await;
    assert_eq!(status, 403, "link valid 9 h");
    assert!(String::from_utf8_lossy(&body).contains("expired"));
    assert_eq!(h.get(&query).await.1["status"], "Expired");
    // The async enum takes speech-2.8 (priced for async, minimax-api-2026.md §4.1), not unknown models.
    let bad = json!({ "model": "speech-3", "text": "x", "voice_setting": { "voice_id": "English_expressive_narrator" } });
    assert_invalid(&h.post("/v1/t2a_async_v2", bad).await.1, "model");
    let fine = json!({ "model": "speech-2.8-turbo", "text": "x", "voice_setting": { "voice_id": "English_expressive_narrator" } });
    assert_eq!(crate::common::code(&h.post("/v1/t2a_async_v2", fine).await.1), 0);
    assert_invalid(&h.get("/v1/query/t2a_async_query_v2").await.1, "task_id");
}
