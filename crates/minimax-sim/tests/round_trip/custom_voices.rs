//! Upload, voice clone, voice design, delete, and how the new voices show up in `get_voice`.

use minimax_sim::SimConfig;
use minimax_sim::media::synthesize;
use serde_json::{Value, json};

use crate::common::{Harness, KEY, assert_invalid, code, config};

async fn upload(h: &Harness, purpose: &str, name: &str, bytes: Vec<u8>) -> Value {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().text("purpose", purpose.to_owned()).part("file", part);
    let response =
        h.http.post(h.url("/v1/files/upload")).bearer_auth(KEY).multipart(form).send().await.expect("send");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

fn wav(seconds: f64) -> Vec<u8> {
    synthesize("wav", seconds, 16_000, 1).expect("wav").0.to_vec()
}

async fn voices(h: &Harness) -> Value {
    h.post("/v1/get_voice", json!({ "voice_type": "all" })).await.1
}

#[tokio::test]
async fn upload_checks_purpose_format_and_size() {
    let h = Harness::with(SimConfig { upload_max_bytes: 1_000_000, ..config() }).await;
    let stored = upload(&h, "voice_clone", "sample.wav", wav(12.0)).await;
    assert_eq!(code(&stored), 0, "{stored}");
    assert_eq!(stored["file"]["purpose"], "voice_clone");
    assert_eq!(stored["file"]["filename"], "sample.wav");
    assert!(stored["file"]["file_id"].is_u64());
    assert_invalid(&upload(&h, "voice_clone", "sample.flac", wav(1.0)).await, "file");
    assert_invalid(&upload(&h, "selfie", "sample.wav", wav(1.0)).await, "purpose");
    assert_invalid(&upload(&h, "prompt_audio", "big.wav", wav(40.0)).await, "file");
    assert_eq!(code(&upload(&h, "t2a_async_input", "book.txt", b"Once upon a time.".to_vec()).await), 0);
    let not_multipart = h.post("/v1/files/upload", json!({ "purpose": "voice_clone" })).await.1;
    assert_invalid(&not_multipart, "body");
}

#[tokio::test]
async fn clone_previews_then_lists_after_first_use_and_refuses_duplicates() {
    let h = Harness::new().await;
    let file_id =
        upload(&h, "voice_clone", "sample.wav", wav(12.0)).await["file"]["file_id"].as_u64().expect("id");
    let request = json!({ "file_id": file_id, "voice_id": "StudioNarrator01", "text": "This is how I will sound.", "model": "speech-2.8-hd" });
    let (_, cloned) = h.post("/v1/voice_clone", request.clone()).await;
    assert_eq!(code(&cloned), 0, "{cloned}");
    let demo = cloned["demo_audio"].as_str().expect("demo_audio url");
    let (status, _, audio) = crate::common::download(&h.http, demo).await;
    assert_eq!(status, 200);
    assert!(audio.starts_with(b"ID3") || audio[0] == 0xFF, "real mp3");
    assert!(cloned["extra_info"]["usage_characters"].as_u64().expect("chars") > 0);
    assert_eq!(voices(&h).await["voice_cloning"], json!([]), "listed only after first use");
    let speak = json!({ "model": "speech-2.8-turbo", "text": "Hello.", "voice_setting": { "voice_id": "StudioNarrator01" } });
    assert_eq!(code(&h.post("/v1/t2a_v2", speak).await.1), 0);
    assert_eq!(voices(&h).await["voice_cloning"][0]["voice_id"], "StudioNarrator01");
    assert_eq!(code(&h.post("/v1/voice_clone", request).await.1), 2039, "the id is taken");
    let plain = json!({ "file_id": file_id, "voice_id": "SecondVoice1" });
    let (_, second) = h.post("/v1/voice_clone", plain).await;
    assert_eq!((code(&second), second["demo_audio"].clone()), (0, json!("")), "no preview without text");
}

#[tokio::test]
async fn failed_clones_keep_the_file_for_a_retry() {
    let h = Harness::with(SimConfig { real_name_verified: false, ..config() }).await;
    let short =
        upload(&h, "voice_clone", "short.wav", wav(4.0)).await["file"]["file_id"].as_u64().expect("id");
    let good =
        upload(&h, "voice_clone", "good.wav", wav(11.0)).await["file"]["file_id"].as_u64().expect("id");
    let clone = |file_id: u64| json!({ "file_id": file_id, "voice_id": "RetryVoice01" });
    assert_eq!(code(&h.post("/v1/voice_clone", clone(good)).await.1), 2038, "real-name verification");
    h.admin("/_sim/entitlements", json!({ "realNameVerified": true })).await;
    assert_eq!(code(&h.post("/v1/voice_clone", clone(short)).await.1), 2037, "4 s is too short");
    assert_eq!(code(&h.post("/v1/voice_clone", clone(123)).await.1), 20132, "an unknown file");
    h.admin("/_sim/faults", json!({ "endpoint": "/v1/voice_clone", "kind": "baseResp", "code": 1043, "msg": "ASR similarity check failed" })).await;
    assert_eq!(code(&h.post("/v1/voice_clone", clone(good)).await.1), 1043);
    assert_eq!(code(&h.post("/v1/voice_clone", clone(good)).await.1), 0, "the same file id, retried");
    assert_invalid(
        &h.post("/v1/voice_clone", json!({ "file_id": good, "voice_id": "bad" })).await.1,
        "voice_id",
    );
    assert_invalid(
        &h.post("/v1/voice_clone", json!({ "file_id": good, "voice_id": "Another001", "text": "hi" }))
            .await
            .1,
        "model",
    );
}

#[tokio::test]
async fn design_returns_a_ttv_voice_with_hex_audio_and_delete_retires_ids() {
    let h = Harness::new().await;
    let (_, designed) = h
        .post(
            "/v1/voice_design",
            json!({ "prompt": "Warm, low female narrator", "preview_text": "Good evening." }),
        )
        .await;
    assert_eq!(code(&designed), 0, "{designed}");
    let voice_id = designed["voice_id"].as_str().expect("voice_id").to_owned();
    assert!(voice_id.starts_with("ttv-voice-"), "{voice_id}");
    let audio = hex::decode(designed["trial_audio"].as_str().expect("hex")).expect("valid hex");
    assert!(audio.len() > 1_000);
    assert_invalid(
        &h.post("/v1/voice_design", json!({ "prompt": "x", "preview_text": "y".repeat(501) })).await.1,
        "preview_text",
    );
    let speak = json!({ "model": "speech-2.8-hd", "text": "Hi.", "voice_setting": { "voice_id": voice_id } });
    assert_eq!(code(&h.post("/v1/t2a_v2", speak.clone()).await.1), 0);
    assert_eq!(voices(&h).await["voice_generation"][0]["voice_id"], voice_id.as_str());
    let deleted =
        h.post("/v1/delete_voice", json!({ "voice_type": "voice_generation", "voice_id": voice_id })).await.1;
    assert_eq!(code(&deleted), 0);
    assert_eq!(voices(&h).await["voice_generation"], json!([]));
    let again = json!({ "prompt": "Another", "preview_text": "Hello.", "voice_id": voice_id });
    assert_eq!(code(&h.post("/v1/voice_design", again).await.1), 2039, "deleted ids cannot be reused");
    let wrong = json!({ "voice_type": "voice_cloning", "voice_id": "English_expressive_narrator" });
    assert_eq!(code(&h.post("/v1/delete_voice", wrong).await.1), 2042);
    // A voice never used for 7 days is gone.
    let (_, unused) = h
        .post(
            "/v1/voice_design",
            json!({ "prompt": "Bright", "preview_text": "Hi.", "voice_id": "BrightVoice1" }),
        )
        .await;
    assert_eq!(code(&unused), 0);
    h.advance(7 * 86_400_000);
    let speak =
        json!({ "model": "speech-2.8-hd", "text": "Hi.", "voice_setting": { "voice_id": "BrightVoice1" } });
    assert_eq!(code(&h.post("/v1/t2a_v2", speak).await.1), 20132);
}
