//! The late-2026 endpoints against recorded fixtures written from the documented examples
//! (minimax-api-2026.md), served by wiremock: Video V2 answers and errors, the music refusal.

mod common;

use common::{KEY, client, json};
use minimax_api::files::{FilePurpose, UploadSource};
use minimax_api::music::{LyricsRequest, MusicRequest};
use minimax_api::speech::{VoiceCloneRequest, VoiceDesignRequest, VoiceRefusal};
use minimax_api::video_v2::{VideoV2ListRequest, VideoV2Request, VideoV2StatusFilter};
use minimax_api::{ErrorKind, TaskStatus};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer};

fn t2v() -> VideoV2Request {
    VideoV2Request::text_to_video("MiniMax-H3", "Epic space-opera teaser", "2K", 5, "16:9")
}

#[tokio::test]
async fn v2_create_query_list_delete_decode_the_documented_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/video_generation"))
        .and(header("Authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(serde_json::json!({ "model": "MiniMax-H3", "ratio": "16:9",
            "content": [{ "type": "text", "text": "Epic space-opera teaser" }] })))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(r#"{"task_id":"424010985738629"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/query/video_generation/424010985738629"))
        .respond_with(json(200, "video_v2_query_success.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/query/video_generation/424010985738630"))
        .respond_with(json(200, "video_v2_query_failed.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/query/video_generation"))
        .and(query_param("page_num", "1"))
        .and(query_param("page_size", "4"))
        .and(query_param("filter.status", "failed"))
        .and(query_param("filter.task_ids", "1,2"))
        .respond_with(json(200, "video_v2_list.json"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v2/video_generation/424010985738629"))
        .respond_with(json(200, "video_v2_delete.json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let created = client.video_v2().create(&t2v()).await.expect("create");
    assert_eq!(created.task_id, "424010985738629");
    let done = client.video_v2().query(&created.task_id).await.expect("query");
    assert_eq!(done.trace_id.as_deref(), Some("trace-from-header"));
    assert_eq!(done.task.status, TaskStatus::Success);
    assert!(done.task.video_url().expect("url").ends_with("output.mp4"));
    assert_eq!(done.task.usage.as_ref().and_then(|u| u.output_seconds), Some(5));
    let failed = client.video_v2().query("424010985738630").await.expect("query").task;
    assert_eq!(failed.status, TaskStatus::Failed);
    assert_eq!(failed.error.as_ref().and_then(|e| e.code_number()), Some(1026));
    assert!(failed.video_url().is_none());
    let request = VideoV2ListRequest {
        page_size: 4,
        status: Some(VideoV2StatusFilter::Failed),
        task_ids: vec!["1".into(), "2".into()],
        ..VideoV2ListRequest::default()
    };
    let page = client.video_v2().list(&request).await.expect("list");
    assert_eq!(page.total, Some(476));
    let statuses: Vec<TaskStatus> = page.items.iter().map(|t| t.status.clone()).collect();
    assert_eq!(statuses, [TaskStatus::Success, TaskStatus::Processing, TaskStatus::Failed]);
    assert_eq!(page.items[0].usage.as_ref().and_then(|u| u.total_tokens), Some(273_890));
    let deleted = client.video_v2().delete("424010985738629").await.expect("delete");
    assert_eq!((deleted.action.as_str(), deleted.status.as_str()), ("cancelled", "cancelled"));
    assert!(client.video_v2().query("../etc").await.is_err(), "task ids never reach the path unchecked");
}

#[tokio::test]
async fn v2_errors_keep_their_http_status_code_and_kind() {
    let server = MockServer::start().await;
    for (fixture, status, task) in [
        ("error_v2_2013_prompt.json", 400, "1"),
        ("error_v2_2013_token_plan.json", 400, "2"),
        ("error_v2_unauthorized.json", 401, "3"),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/v2/query/video_generation/{task}")))
            .respond_with(json(status, fixture))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    let table = [
        ("1", ErrorKind::InvalidParams, 2013),
        ("2", ErrorKind::ModelNotInPlan, 2013),
        ("3", ErrorKind::Unauthorized, 1004),
    ];
    for (task, kind, code) in table {
        let error = client.video_v2().query(task).await.expect_err("error");
        assert_eq!((error.kind(), error.code()), (kind, Some(code)), "{error}");
        assert_eq!(error.trace_id(), Some("trace-from-header"));
        assert!(!error.retryable());
    }
}

#[tokio::test]
async fn music_and_lyrics_refused_with_2061_are_not_in_plan() {
    let server = MockServer::start().await;
    for endpoint in ["/v1/music_generation", "/v1/lyrics_generation"] {
        Mock::given(method("POST"))
            .and(path(endpoint))
            .respond_with(json(200, "error_music_2061.json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    let song = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Indie folk".into()),
        lyrics: Some("[Verse]\nStreetlights".into()),
        ..MusicRequest::default()
    };
    let error = client.music().generate(&song).await.expect_err("refused");
    assert_eq!((error.kind(), error.code()), (ErrorKind::ModelNotInPlan, Some(2061)));
    let lyrics = LyricsRequest { mode: "write_full_song".into(), ..LyricsRequest::default() };
    let error = client.music().lyrics(&lyrics).await.expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::ModelNotInPlan);
}

#[tokio::test]
async fn upload_clone_and_design_decode_the_documented_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files/upload"))
        .and(header("Authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(json(200, "file_upload.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/voice_clone"))
        .and(body_partial_json(
            serde_json::json!({ "file_id": 205258526306433_i64, "voice_id": "StudioNarrator01" }),
        ))
        .respond_with(json(200, "voice_clone.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/voice_design"))
        .respond_with(json(200, "voice_design.json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let sample = bytes::Bytes::from_static(b"RIFF\x24\x00\x00\x00WAVEfmt data");
    let uploaded = client
        .files()
        .upload(FilePurpose::VoiceClone, "narrator_sample.wav", UploadSource::Bytes(sample))
        .await
        .expect("upload");
    assert_eq!(uploaded.file.file_id, "205258526306433");
    let body =
        String::from_utf8_lossy(&server.received_requests().await.expect("requests")[0].body).into_owned();
    assert!(
        body.contains("name=\"purpose\"")
            && body.contains("voice_clone")
            && body.contains("filename=\"narrator_sample.wav\""),
        "{body}"
    );
    let request = VoiceCloneRequest {
        file_id: uploaded.file.file_id,
        voice_id: "StudioNarrator01".into(),
        text: Some("This is how I will sound in your film.".into()),
        model: Some("speech-2.8-hd".into()),
        ..VoiceCloneRequest::default()
    };
    let cloned = client.speech().clone_voice(&request).await.expect("clone");
    assert_eq!(cloned.demo_audio_url(), Some("https://cdn.example.com/preview.mp3"));
    assert_eq!(cloned.extra_info.as_ref().and_then(|e| e.usage_characters), Some(38));
    let design = VoiceDesignRequest {
        prompt: "Warm narrator".into(),
        preview_text: "Good evening.".into(),
        ..VoiceDesignRequest::default()
    };
    let designed = client.speech().design_voice(&design).await.expect("design");
    assert_eq!(designed.voice_id, "ttv-voice-2026100512000000-a1B2c3D4");
    assert_eq!(&designed.trial_audio[..3], b"ID3");
}

#[tokio::test]
async fn a_clone_without_real_name_verification_is_a_voice_refusal() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/voice_clone"))
        .respond_with(json(200, "error_clone_2038.json"))
        .expect(1)
        .mount(&server)
        .await;
    let request = VoiceCloneRequest {
        file_id: "1".into(),
        voice_id: "StudioNarrator01".into(),
        ..VoiceCloneRequest::default()
    };
    let error = client(&server.uri()).speech().clone_voice(&request).await.expect_err("2038");
    assert_eq!(error.kind(), ErrorKind::Voice);
    assert_eq!(VoiceRefusal::of(&error), Some(VoiceRefusal::RealNameVerification));
}
