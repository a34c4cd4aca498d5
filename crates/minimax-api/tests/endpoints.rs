//! Every endpoint against recorded fixtures written from the documented examples (minimax-api.md),
//! served by wiremock: request shape and headers out, typed answer in, trace id kept.

mod common;

use common::{KEY, client, fixture, json, sse};
use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::image::{ImageOutput, ImageRequest};
use minimax_api::music::{LyricsRequest, MusicRequest};
use minimax_api::plan::{LEGACY_REMAINS_PATH, REMAINS_PATH};
use minimax_api::speech::{
    AsyncSpeechRequest, AsyncVoiceSetting, OutputFormat, SpeechAudio, SpeechRequest, SpeechStreamEvent,
    VoicesRequest,
};
use minimax_api::text::{ChatEvent, ChatMessage, ChatRequest, split_think};
use minimax_api::video::VideoRequest;
use minimax_api::{MiniMaxClient, TaskStatus};
use wiremock::matchers::{body_partial_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn chat_request() -> ChatRequest {
    ChatRequest::new(
        "MiniMax-M2.7",
        vec![ChatMessage::text("system", "You are a helpful assistant."), ChatMessage::text("user", "Hello")],
    )
}

#[tokio::test]
async fn chat_sends_auth_user_agent_and_source_and_decodes_the_documented_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("Authorization", format!("Bearer {KEY}").as_str()))
        .and(header("MM-API-Source", "token-plan-studio"))
        .and(header("Content-Type", "application/json"))
        .and(body_partial_json(serde_json::json!({"model":"MiniMax-M2.7","reasoning_split":true})))
        .respond_with(json(200, "chat_completion.json"))
        .expect(1)
        .mount(&server)
        .await;
    let mut config = common::config(&server.uri());
    config.api_source = Some("token-plan-studio".into());
    let client = MiniMaxClient::new(config).unwrap();
    let completion = client.text().chat(&chat_request()).await.unwrap();
    assert_eq!(completion.trace_id.as_deref(), Some("trace-from-header"));
    assert_eq!(completion.usage.as_ref().and_then(|u| u.total_tokens), Some(80));
    let content = completion.message().and_then(|m| m.text_content()).unwrap();
    assert_eq!(split_think(&content).1, "Hello! How can I help you today?");
    let request = &server.received_requests().await.unwrap()[0];
    let agent = request.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("token-plan-studio/"), "{agent}");
    assert!(request.body_json::<serde_json::Value>().unwrap().get("stream").is_none());
}

async fn stream_texts(client: &MiniMaxClient) -> (String, String, Option<i64>, Option<String>) {
    let mut stream = client.text().chat_stream(&chat_request()).await.unwrap();
    let (mut reasoning, mut content) = (String::new(), String::new());
    let mut done = None;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            ChatEvent::Reasoning(text) => reasoning.push_str(&text),
            ChatEvent::Content(text) => content.push_str(&text),
            ChatEvent::Done(summary) => done = Some(summary),
            ChatEvent::ToolCall { .. } => {}
        }
    }
    let summary = done.expect("Done event");
    assert_eq!(summary.content, content);
    (reasoning, content, summary.usage.and_then(|u| u.total_tokens), summary.trace_id)
}

#[tokio::test]
async fn chat_stream_with_a_final_chat_completion_frame_and_no_done_marker() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_partial_json(serde_json::json!({"stream": true})))
        .respond_with(sse("chat_stream_final_frame.sse"))
        .mount(&server)
        .await;
    let (reasoning, content, tokens, trace) = stream_texts(&client(&server.uri())).await;
    assert_eq!(reasoning, "The user says hello.");
    assert_eq!(content, "Hello! How can I help you today?");
    assert_eq!(tokens, Some(80));
    assert_eq!(trace.as_deref(), Some("trace-sse"));
}

#[tokio::test]
async fn chat_stream_with_cumulative_reasoning_a_usage_chunk_and_done() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(sse("chat_stream_usage_chunk.sse"))
        .mount(&server)
        .await;
    let (reasoning, content, tokens, _) = stream_texts(&client(&server.uri())).await;
    assert_eq!(reasoning, "Plan: greet back");
    assert_eq!(content, "Hi!");
    assert_eq!(tokens, Some(12));
}

fn speech_request() -> SpeechRequest {
    SpeechRequest::new("speech-2.8-hd", "Hello world.", "English_expressive_narrator")
}

#[tokio::test]
async fn t2a_hex_and_url_outputs() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/t2a_v2"))
        .and(body_partial_json(serde_json::json!({"output_format":"url"})))
        .respond_with(json(200, "t2a_url.json"))
        .mount(&server)
        .await;
    Mock::given(path("/v1/t2a_v2")).respond_with(json(200, "t2a_hex.json")).mount(&server).await;
    let client = client(&server.uri());
    let result = client.speech().synthesize(&speech_request()).await.unwrap();
    assert_eq!(result.audio, SpeechAudio::Bytes(vec![0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0]));
    assert_eq!(result.extra_info.unwrap().usage_characters, Some(163));
    assert_eq!(result.subtitle_file.as_deref(), Some("https://cdn.example/sub.json"));
    let mut url_request = speech_request();
    url_request.output_format = Some(OutputFormat::Url);
    let result = client.speech().synthesize(&url_request).await.unwrap();
    assert_eq!(result.audio, SpeechAudio::Url("https://cdn.example/tts/abc.mp3".into()));
}

#[tokio::test]
async fn t2a_stream_never_appends_the_final_repeat() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/t2a_v2"))
        .and(body_partial_json(
            serde_json::json!({"stream": true, "stream_options": {"exclude_aggregated_audio": true}}),
        ))
        .respond_with(sse("t2a_stream.sse"))
        .mount(&server)
        .await;
    let mut stream = client(&server.uri()).speech().synthesize_stream(&speech_request()).await.unwrap();
    let mut audio = Vec::new();
    let mut done = false;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            SpeechStreamEvent::Audio(bytes) => audio.extend(bytes),
            SpeechStreamEvent::Done { total_bytes, extra_info, .. } => {
                assert_eq!(total_bytes, 4);
                assert_eq!(extra_info.unwrap().audio_size, Some(4));
                done = true;
            }
        }
    }
    assert!(done);
    assert_eq!(audio, vec![0x49, 0x44, 0x33, 0x04]);
}

#[tokio::test]
async fn async_speech_create_and_query_and_voices() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/t2a_async_v2"))
        .respond_with(json(200, "t2a_async_create.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/query/t2a_async_query_v2"))
        .and(query_param("task_id", "95157322514444"))
        .respond_with(json(200, "t2a_async_query.json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/get_voice"))
        .and(body_partial_json(serde_json::json!({"voice_type":"all"})))
        .respond_with(json(200, "get_voice.json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let request = AsyncSpeechRequest {
        model: "speech-2.6-hd".into(),
        text: Some("A long story.".into()),
        voice_setting: AsyncVoiceSetting {
            voice_id: "audiobook_male_1".into(),
            ..AsyncVoiceSetting::default()
        },
        ..AsyncSpeechRequest::default()
    };
    let task = client.speech().create_async(&request).await.unwrap();
    assert_eq!((task.task_id.as_str(), task.file_id.as_deref()), ("95157322514444", Some("95157322514444")));
    let status = client.speech().query_async(&task.task_id).await.unwrap();
    assert_eq!(status.status, TaskStatus::Processing);
    assert!(!status.status.is_terminal());
    let voices = client.speech().voices(&VoicesRequest { voice_type: "all".into() }).await.unwrap();
    assert_eq!(voices.system_voice[0].voice_name.as_deref(), Some("News Anchor (Female)"));
    assert_eq!(voices.voice_cloning[0].voice_id, "test12345");
    assert!(voices.voice_generation.is_empty());
}

#[tokio::test]
async fn video_create_query_and_download_without_leaking_the_key_to_the_cdn() {
    let server = MockServer::start().await;
    let cdn = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/video_generation"))
        .and(body_partial_json(
            serde_json::json!({"model":"MiniMax-Hailuo-2.3","duration":6,"resolution":"1080P"}),
        ))
        .respond_with(json(200, "video_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(json(200, "video_query_success.json"))
        .mount(&server)
        .await;
    let retrieve = fixture("file_retrieve.json").replace("{{CDN}}", &cdn.uri());
    Mock::given(path("/v1/files/retrieve"))
        .and(query_param("file_id", "176844028768320"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(retrieve, "application/json"))
        .mount(&server)
        .await;
    let video_bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(path("/video/output.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(video_bytes.clone()))
        .mount(&cdn)
        .await;
    let client = client(&server.uri());
    let request = VideoRequest {
        model: "MiniMax-Hailuo-2.3".into(),
        prompt: Some("A man picks up a book [Pedestal up], then reads [Static shot].".into()),
        duration: Some(6),
        resolution: Some("1080P".into()),
        ..VideoRequest::default()
    };
    let task = client.video().create(&request).await.unwrap();
    assert_eq!(task.task_id, "106916112212032");
    let status = client.video().query(&task.task_id).await.unwrap();
    assert_eq!(status.status, TaskStatus::Success);
    assert_eq!((status.video_width, status.video_height), (Some(1920), Some(1080)));
    let mut written = Vec::new();
    let bytes = client.video().download(status.file_id.as_deref().unwrap(), &mut written).await.unwrap();
    assert_eq!(bytes, 200_000);
    assert_eq!(written, video_bytes);
    let cdn_request = &cdn.received_requests().await.unwrap()[0];
    assert!(cdn_request.headers.get("authorization").is_none(), "key sent to a third-party host");
}

#[tokio::test]
async fn files_retrieve_content_streams_to_the_writer() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/files/retrieve_content"))
        .and(query_param("file_id", "42"))
        .and(header_exists("Authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 70_000]))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut out = Vec::new();
    assert_eq!(client.files().retrieve_content("42", &mut out).await.unwrap(), 70_000);
    assert!(out.iter().all(|b| *b == 7));
    assert!(client.files().download_to(&DownloadSource::parse("not-an-id"), &mut out).await.is_err());
}

#[tokio::test]
async fn image_music_and_lyrics() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/image_generation"))
        .and(body_partial_json(serde_json::json!({"aspect_ratio":"16:9","n":1,"response_format":"url"})))
        .respond_with(json(200, "image_url.json"))
        .mount(&server)
        .await;
    Mock::given(path("/v1/music_generation")).respond_with(json(200, "music_hex.json")).mount(&server).await;
    Mock::given(path("/v1/lyrics_generation")).respond_with(json(200, "lyrics.json")).mount(&server).await;
    let client = client(&server.uri());
    let image = client
        .image()
        .generate(&ImageRequest {
            model: "image-01".into(),
            prompt: "A cat in a spacesuit on Mars".into(),
            aspect_ratio: Some("16:9".into()),
            n: Some(1),
            response_format: Some(minimax_api::image::ImageResponseFormat::Url),
            prompt_optimizer: Some(false),
            ..ImageRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(image.images, ImageOutput::Urls(vec!["https://cdn.example/1.jpeg".into()]));
    assert_eq!(image.success_count, Some(1));
    let song = client
        .music()
        .generate(&MusicRequest {
            model: "music-2.6".into(),
            prompt: Some("Indie folk".into()),
            lyrics: Some("[Verse]\nStreetlights".into()),
            ..MusicRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(song.audio, SpeechAudio::Bytes(vec![0xff, 0xfb, 0x90, 0x64]));
    assert_eq!(song.extra_info.unwrap().music_sample_rate, Some(44100));
    let lyrics = client
        .music()
        .lyrics(&LyricsRequest {
            mode: "write_full_song".into(),
            prompt: Some("rain".into()),
            ..LyricsRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(lyrics.song_title.as_deref(), Some("Rainy Roads"));
    assert_eq!(lyrics.trace_id.as_deref(), Some("trace-from-header"));
}

#[tokio::test]
async fn plan_remains_exposes_every_field_and_falls_back_to_the_legacy_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(REMAINS_PATH))
        .respond_with(json(200, "remains.json"))
        .mount(&server)
        .await;
    let remains = client(&server.uri()).plan().remains().await.unwrap();
    assert_eq!(remains.source_path, REMAINS_PATH);
    let bucket = &remains.model_remains[0];
    assert_eq!(bucket.model_name.as_deref(), Some("general"));
    assert_eq!(bucket.end_time, Some(1_776_373_200_000));
    assert_eq!(bucket.current_interval_usage_count, Some(228));
    assert_eq!(bucket.current_weekly_remaining_percent, Some(85.0));
    assert_eq!(bucket.weekly_remains_time, Some(248_351_954));
    assert_eq!(remains.other["current_subscribe_title"], "Plus");

    let legacy = MockServer::start().await;
    Mock::given(path(REMAINS_PATH)).respond_with(ResponseTemplate::new(404)).expect(1).mount(&legacy).await;
    Mock::given(path(LEGACY_REMAINS_PATH))
        .respond_with(json(200, "remains.json"))
        .expect(1)
        .mount(&legacy)
        .await;
    let remains = client(&legacy.uri()).plan().remains().await.unwrap();
    assert_eq!(remains.source_path, LEGACY_REMAINS_PATH);
}

#[tokio::test]
async fn region_probe_keeps_the_host_that_accepts_the_key() {
    let wrong = MockServer::start().await;
    let right = MockServer::start().await;
    Mock::given(path(REMAINS_PATH))
        .respond_with(json(200, "error_invalid_key_2049.json"))
        .expect(2)
        .mount(&wrong)
        .await;
    Mock::given(path(REMAINS_PATH)).respond_with(json(200, "remains.json")).expect(1).mount(&right).await;
    let candidates = [minimax_api::Region::Custom(wrong.uri()), minimax_api::Region::Custom(right.uri())];
    let found = MiniMaxClient::probe_region(&common::config(&wrong.uri()), &candidates).await.unwrap();
    assert_eq!(found, Some(candidates[1].clone()));
    let none = MiniMaxClient::probe_region(&common::config(&wrong.uri()), &candidates[..1]).await.unwrap();
    assert_eq!(none, None);
}
