//! The client against the local MiniMax simulator (`minimax-sim`), both written independently from
//! `shared/minimax-api.md`: every endpoint the client has, round trip, then every fault the simulator can
//! inject. After each exchange the simulator must have logged no validation failure (the client sent only
//! documented requests).

use std::time::Duration;

use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::image::{ImageOutput, ImageRequest, ImageResponseFormat};
use minimax_api::music::{LyricsRequest, MusicRequest};
use minimax_api::plan::{LEGACY_REMAINS_PATH, REMAINS_PATH};
use minimax_api::speech::{
    AsyncSpeechRequest, AsyncVoiceSetting, OutputFormat, SpeechAudio, SpeechRequest, SpeechStreamEvent,
    SpeechStreamOptions, VoicesRequest,
};
use minimax_api::text::{ChatEvent, ChatMessage, ChatRequest, ChatSummary};
use minimax_api::video::VideoRequest;
use minimax_api::{ApiKey, Config, Error, ErrorKind, MiniMaxClient, Region, RetryPolicy, TaskStatus};
use minimax_sim::request_log::LoggedRequest;
use minimax_sim::{ChatUsageFrame, Fault, FaultKind, SimConfig, Simulator};

const RETRIES: u32 = 2;

async fn start(config: SimConfig) -> Simulator {
    Simulator::start(config).await.expect("simulator starts")
}

/// A plan big enough for media-heavy round trips (Plus allows 4,500 requests per 5 h; one 1080P video
/// costs 9,000 and a song 3,000, minimax-api.md §9.2).
fn roomy() -> SimConfig {
    SimConfig { quota: 1_000_000, weekly_quota: 0, ..SimConfig::default() }
}

fn config_for(sim: &Simulator, key: &str) -> Config {
    let mut config = Config::new(Region::Custom(sim.base_url()), ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: RETRIES,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    };
    config.request_timeout = Duration::from_secs(20);
    config.read_timeout = Duration::from_secs(10);
    config
}

fn client(sim: &Simulator) -> MiniMaxClient {
    MiniMaxClient::new(config_for(sim, &sim.state().config().key)).expect("client")
}

fn arm(sim: &Simulator, endpoint: &str, kind: FaultKind, times: u32) {
    sim.arm(Fault { endpoint: endpoint.to_owned(), kind, times });
}

fn requests_to(sim: &Simulator, endpoint: &str) -> Vec<LoggedRequest> {
    sim.requests().into_iter().filter(|r| r.endpoint == endpoint).collect()
}

fn assert_clean(sim: &Simulator) {
    let failures: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.outcome == minimax_sim::envelope::OutcomeKind::Validation)
        .collect();
    assert_eq!(sim.validation_failures(), 0, "the simulator refused what the client sent: {failures:#?}");
}

fn png_data_url(width: u32, height: u32) -> String {
    use base64::Engine;
    let png = minimax_sim::media::image::render_png(width, height, 7);
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
}

/// Decodes a PNG fully and returns its size.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header decodes");
    let mut pixels = vec![0; reader.output_buffer_size().expect("buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("PNG pixels decode");
    (frame.width, frame.height)
}

// ---------------------------------------------------------------------------------------------- chat

fn chat_request() -> ChatRequest {
    ChatRequest::new(
        "MiniMax-M2.7",
        vec![
            ChatMessage::text("system", "You are a helpful assistant."),
            ChatMessage::text("user", "Hello there"),
        ],
    )
}

async fn collect_chat(client: &MiniMaxClient) -> (String, String, ChatSummary) {
    let mut stream = client.text().chat_stream(&chat_request()).await.expect("stream opens");
    let (mut reasoning, mut content, mut done) = (String::new(), String::new(), None);
    while let Some(event) = stream.next().await {
        match event.expect("stream event") {
            ChatEvent::Reasoning(text) => reasoning.push_str(&text),
            ChatEvent::Content(text) => content.push_str(&text),
            ChatEvent::Done(summary) => {
                assert!(done.is_none(), "two Done events");
                done = Some(summary);
            }
            ChatEvent::ToolCall { .. } => {}
        }
    }
    (reasoning, content, done.expect("a Done event ends the stream"))
}

#[tokio::test]
async fn chat_plain_and_every_stream_ending_agree() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let completion = client.text().chat(&chat_request()).await.expect("chat");
    let message = completion.message().expect("a message");
    let content = message.text_content().expect("content");
    let reasoning = message.reasoning_content.clone().unwrap_or_else(|| {
        message.reasoning_details.iter().flatten().map(|d| d.text.as_str()).collect::<String>()
    });
    assert!(!content.is_empty() && !reasoning.is_empty(), "{completion:?}");
    assert!(completion.usage.as_ref().and_then(|u| u.total_tokens).unwrap_or(0) > 0);
    assert!(completion.trace_id.is_some());
    assert_clean(&sim);

    for frame in [ChatUsageFrame::Completion, ChatUsageFrame::EmptyChoices, ChatUsageFrame::None] {
        for done_marker in [true, false] {
            for cumulative in [false, true] {
                {
                    let mut inner = sim.state().lock();
                    inner.config.chat_usage_frame = frame;
                    inner.config.chat_done_marker = done_marker;
                    inner.config.chat_cumulative_reasoning = cumulative;
                }
                let case = format!("frame {frame:?}, [DONE] {done_marker}, cumulative {cumulative}");
                let (streamed_reasoning, streamed_content, summary) = collect_chat(&client).await;
                assert_eq!(streamed_content, content, "{case}");
                assert_eq!(streamed_reasoning, reasoning, "{case}");
                assert_eq!(summary.content, content, "{case}");
                let tokens = summary.usage.as_ref().and_then(|u| u.total_tokens);
                match frame {
                    ChatUsageFrame::None => {
                        assert!(tokens.is_none_or(|t| t > 0), "{case}: placeholder usage")
                    }
                    _ => assert!(tokens.unwrap_or(0) > 0, "{case}: real usage expected, got {tokens:?}"),
                }
                assert_clean(&sim);
            }
        }
    }
}

// -------------------------------------------------------------------------------------------- speech

fn speech_request() -> SpeechRequest {
    SpeechRequest::new(
        "speech-2.8-hd",
        "Hello world. This is the simulator speaking.",
        "English_expressive_narrator",
    )
}

#[tokio::test]
async fn speech_sync_hex_and_url_then_download() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let result = client.speech().synthesize(&speech_request()).await.expect("t2a hex");
    let SpeechAudio::Bytes(audio) = &result.audio else {
        panic!("hex output gives bytes: {:?}", result.audio)
    };
    assert!(audio.len() > 1000, "{} bytes", audio.len());
    let info = result.extra_info.as_ref().expect("extra_info");
    assert_eq!(info.audio_size, Some(audio.len() as i64));
    assert_clean(&sim);

    let mut url_request = speech_request();
    url_request.output_format = Some(OutputFormat::Url);
    let result = client.speech().synthesize(&url_request).await.expect("t2a url");
    let SpeechAudio::Url(url) = &result.audio else { panic!("url output gives a URL: {:?}", result.audio) };
    let mut downloaded = Vec::new();
    let n = client
        .files()
        .download_to(&DownloadSource::Url(url.clone()), &mut downloaded)
        .await
        .expect("download");
    assert_eq!(n as usize, downloaded.len());
    assert_eq!(&downloaded, audio, "the URL serves the same audio as the hex answer");
    assert_clean(&sim);
}

async fn collect_speech_stream(client: &MiniMaxClient, request: &SpeechRequest) -> (Vec<u8>, u64) {
    let mut stream = client.speech().synthesize_stream(request).await.expect("stream opens");
    let (mut audio, mut total) = (Vec::new(), None);
    while let Some(event) = stream.next().await {
        match event.expect("event") {
            SpeechStreamEvent::Audio(bytes) => {
                assert!(total.is_none(), "audio after Done");
                audio.extend(bytes);
            }
            SpeechStreamEvent::Done { total_bytes, extra_info, .. } => {
                assert_eq!(extra_info.and_then(|e| e.audio_size), Some(audio.len() as i64));
                total = Some(total_bytes);
            }
        }
    }
    (audio, total.expect("Done"))
}

#[tokio::test]
async fn speech_stream_is_the_audio_once_with_or_without_the_aggregated_repeat() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let SpeechAudio::Bytes(whole) = client.speech().synthesize(&speech_request()).await.expect("sync").audio
    else {
        panic!("hex")
    };
    for exclude in [true, false] {
        let mut request = speech_request();
        request.stream_options = Some(SpeechStreamOptions { exclude_aggregated_audio: exclude });
        let (audio, total) = collect_speech_stream(&client, &request).await;
        assert_eq!(
            audio.len(),
            whole.len(),
            "exclude_aggregated_audio {exclude}: the final repeat was appended?"
        );
        assert_eq!(audio, whole, "exclude_aggregated_audio {exclude}");
        assert_eq!(total, whole.len() as u64);
        let sent = requests_to(&sim, "/v1/t2a_v2").last().and_then(|r| r.body.clone()).expect("body logged");
        assert_eq!(sent["stream"], true);
        assert_eq!(sent["stream_options"]["exclude_aggregated_audio"], exclude);
        assert_clean(&sim);
    }
}

#[tokio::test]
async fn async_speech_create_query_advance_retrieve_download() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let request = AsyncSpeechRequest {
        model: "speech-2.6-hd".into(),
        text: Some("A long story, told slowly. It goes on and on.".into()),
        voice_setting: AsyncVoiceSetting {
            voice_id: "English_expressive_narrator".into(),
            ..Default::default()
        },
        ..AsyncSpeechRequest::default()
    };
    let task = client.speech().create_async(&request).await.expect("create");
    assert!(task.task_id.bytes().all(|b| b.is_ascii_digit()), "{task:?}");
    let status = client.speech().query_async(&task.task_id).await.expect("query");
    assert_eq!(status.status, TaskStatus::Processing);
    sim.advance(Duration::from_millis(sim.state().config().speech_task_ms + 1));
    let status = client.speech().query_async(&task.task_id).await.expect("query");
    assert_eq!(status.status, TaskStatus::Success);
    let file_id = status.file_id.or(task.file_id).expect("file id");
    let retrieved = client.files().retrieve(&file_id).await.expect("retrieve");
    let mut out = Vec::new();
    let n = client
        .files()
        .download_to(&DownloadSource::FileId(file_id.clone()), &mut out)
        .await
        .expect("download");
    assert!(n > 0);
    assert_eq!(Some(n as i64), retrieved.file.bytes);
    assert_clean(&sim);
}

#[tokio::test]
async fn voices_list() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let all = client.speech().voices(&VoicesRequest { voice_type: "all".into() }).await.expect("voices");
    assert!(all.system_voice.iter().any(|v| v.voice_id == "English_expressive_narrator"), "{all:?}");
    let system =
        client.speech().voices(&VoicesRequest { voice_type: "system".into() }).await.expect("voices");
    assert!(!system.system_voice.is_empty());
    assert!(system.voice_cloning.is_empty(), "null lists are empty");
    assert_clean(&sim);
}

// --------------------------------------------------------------------------------------------- image

#[tokio::test]
async fn image_url_and_base64_are_real_pngs_at_the_aspect_ratio() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let mut request = ImageRequest {
        model: "image-01".into(),
        prompt: "A cat in a spacesuit on Mars".into(),
        aspect_ratio: Some("16:9".into()),
        n: Some(2),
        response_format: Some(ImageResponseFormat::Url),
        ..ImageRequest::default()
    };
    let result = client.image().generate(&request).await.expect("image url");
    assert_eq!(result.success_count, Some(2));
    let ImageOutput::Urls(urls) = &result.images else { panic!("urls: {result:?}") };
    assert_eq!(urls.len(), 2);
    for url in urls {
        let mut png = Vec::new();
        client
            .files()
            .download_to(&DownloadSource::Url(url.clone()), &mut png)
            .await
            .expect("download image");
        let (w, h) = png_size(&png);
        assert_eq!(w * 9, h * 16, "16:9, got {w}x{h}");
    }
    assert_clean(&sim);

    request.response_format = Some(ImageResponseFormat::Base64);
    request.aspect_ratio = Some("3:4".into());
    request.n = Some(1);
    let result = client.image().generate(&request).await.expect("image base64");
    let ImageOutput::Bytes(images) = &result.images else { panic!("bytes: {result:?}") };
    assert_eq!(images.len(), 1);
    let (w, h) = png_size(&images[0]);
    assert_eq!(w * 4, h * 3, "3:4, got {w}x{h}");
    assert_clean(&sim);
}

// --------------------------------------------------------------------------------------------- video

async fn video_round_trip(
    sim: &Simulator,
    client: &MiniMaxClient,
    request: &VideoRequest,
    dir: &std::path::Path,
) {
    let task = client.video().create(request).await.expect("video create");
    let mut seen = Vec::new();
    let step = sim.state().config().video_task_ms / 10;
    let status = loop {
        let status = client.video().query(&task.task_id).await.expect("video query");
        if seen.last() != Some(&status.status) {
            seen.push(status.status.clone());
        }
        if status.status.is_terminal() {
            break status;
        }
        assert!(status.file_id.is_none(), "file_id before success: {status:?}");
        assert!(seen.len() < 10, "{seen:?}");
        sim.advance(Duration::from_millis(step));
    };
    let expected = [TaskStatus::Preparing, TaskStatus::Queueing, TaskStatus::Processing, TaskStatus::Success];
    assert_eq!(seen, expected, "§4.2 status progression");
    assert!(status.video_width.unwrap_or(0) > 0 && status.video_height.unwrap_or(0) > 0);
    let file_id = status.file_id.expect("file_id on success");
    let retrieved = client.files().retrieve(&file_id).await.expect("retrieve");
    let path = dir.join(format!("{file_id}.mp4"));
    let mut file = tokio::fs::File::create(&path).await.expect("create file");
    let n = client
        .files()
        .download_to(&DownloadSource::FileId(file_id.clone()), &mut file)
        .await
        .expect("download");
    drop(file);
    let bytes = std::fs::read(&path).expect("read back");
    assert_eq!(bytes.len() as u64, n);
    assert_eq!(retrieved.file.bytes, Some(n as i64));
    assert_eq!(&bytes[4..8], b"ftyp", "MP4 ftyp box");
    assert_clean(sim);
}

#[tokio::test]
async fn video_text_image_and_first_last_frame_to_a_file() {
    let sim = start(SimConfig { video_size: 3 << 20, ..roomy() }).await;
    let client = client(&sim);
    let dir = std::env::temp_dir().join(format!("mm-rt-video-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let text = VideoRequest {
        model: "MiniMax-Hailuo-2.3".into(),
        prompt: Some("A man picks up a book [Pedestal up]".into()),
        duration: Some(6),
        resolution: Some("1080P".into()),
        ..VideoRequest::default()
    };
    video_round_trip(&sim, &client, &text, &dir).await;
    let image = VideoRequest {
        model: "MiniMax-Hailuo-2.3".into(),
        prompt: Some("The cat turns its head".into()),
        first_frame_image: Some(png_data_url(512, 512)),
        ..VideoRequest::default()
    };
    video_round_trip(&sim, &client, &image, &dir).await;
    let first_last = VideoRequest {
        model: "MiniMax-Hailuo-02".into(),
        prompt: Some("Day turns to night".into()),
        first_frame_image: Some(png_data_url(512, 512)),
        last_frame_image: Some(png_data_url(512, 512)),
        resolution: Some("768P".into()),
        ..VideoRequest::default()
    };
    video_round_trip(&sim, &client, &first_last, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_expired_download_url_is_a_clear_error() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let task = client
        .video()
        .create(&VideoRequest {
            model: "T2V-01".into(),
            prompt: Some("A cat".into()),
            ..VideoRequest::default()
        })
        .await
        .expect("create");
    sim.advance(Duration::from_millis(sim.state().config().video_task_ms + 1));
    let file_id = client.video().query(&task.task_id).await.expect("query").file_id.expect("file id");
    let url = client.files().retrieve(&file_id).await.expect("retrieve").file.download_url.expect("url");
    sim.advance(Duration::from_millis(sim.state().config().video_url_ttl_ms + 1_000));
    let mut out = Vec::new();
    let error =
        client.files().download_to(&DownloadSource::Url(url), &mut out).await.expect_err("expired link");
    assert!(out.is_empty(), "no bytes of an error page written as media");
    assert!(!error.retryable(), "{error}");
    assert_eq!(error.kind(), ErrorKind::LinkExpired, "{error}");
    let text = error.to_string();
    assert!(text.contains("403") && text.to_lowercase().contains("expired"), "unclear: {text}");
    // A fresh retrieve gives a working link again.
    let n = client.files().download_to(&DownloadSource::FileId(file_id), &mut out).await.expect("fresh link");
    assert!(n > 0);
    assert_clean(&sim);
}

// --------------------------------------------------------------------------------------- music, lyrics

#[tokio::test]
async fn music_hex_and_url_and_lyrics() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let mut request = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Indie folk, melancholic".into()),
        lyrics: Some("[Verse]\nStreetlights flicker\n[Chorus]\nHome again".into()),
        ..MusicRequest::default()
    };
    let song = client.music().generate(&request).await.expect("music hex");
    let SpeechAudio::Bytes(audio) = &song.audio else { panic!("bytes: {:?}", song.audio) };
    let extra = song.extra_info.as_ref().expect("extra_info");
    assert_eq!(extra.size_bytes(), Some(audio.len() as i64));
    assert!(extra.duration_ms().unwrap_or(0) > 0);
    assert_clean(&sim);
    request.output_format = Some(OutputFormat::Url);
    let song = client.music().generate(&request).await.expect("music url");
    let SpeechAudio::Url(url) = &song.audio else { panic!("url: {:?}", song.audio) };
    let mut downloaded = Vec::new();
    client.files().download_to(&DownloadSource::Url(url.clone()), &mut downloaded).await.expect("download");
    assert_eq!(Some(downloaded.len() as i64), song.extra_info.as_ref().and_then(|e| e.size_bytes()));
    assert_clean(&sim);

    let lyrics = client
        .music()
        .lyrics(&LyricsRequest {
            mode: "write_full_song".into(),
            prompt: Some("rain".into()),
            ..Default::default()
        })
        .await
        .expect("lyrics");
    assert!(lyrics.song_title.as_deref().is_some_and(|t| !t.is_empty()), "{lyrics:?}");
    assert!(lyrics.trace_id.is_some());
    assert_clean(&sim);
}

// ---------------------------------------------------------------------------------------------- plan

#[tokio::test]
async fn plan_remains_counts_and_the_legacy_fallback() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    client.speech().synthesize(&speech_request()).await.expect("one charged call");
    let remains = client.plan().remains().await.expect("remains");
    assert_eq!(remains.source_path, REMAINS_PATH);
    let bucket = remains.model_remains.first().expect("a bucket");
    assert_eq!(bucket.current_interval_total_count, Some(1_000_000));
    assert!(bucket.current_interval_usage_count.unwrap_or(0) >= 1, "{bucket:?}");
    assert_clean(&sim);

    // An undecodable answer on the new path makes the client ask the legacy one.
    arm(&sim, REMAINS_PATH, FaultKind::MalformedJson, 1 + RETRIES);
    let legacy = client.plan().remains().await.expect("legacy remains");
    assert_eq!(legacy.source_path, LEGACY_REMAINS_PATH);
    assert!(!requests_to(&sim, LEGACY_REMAINS_PATH).is_empty());
    assert!(!legacy.model_remains.is_empty());
    assert_clean(&sim);
}

// -------------------------------------------------------------------------------------------- faults

#[tokio::test]
async fn http_500_and_529_are_retried_then_succeed() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    for kind in [FaultKind::Http500, FaultKind::Http529] {
        let before = requests_to(&sim, "/v1/get_voice").len();
        arm(&sim, "/v1/get_voice", kind.clone(), 2);
        client.speech().voices(&VoicesRequest { voice_type: "system".into() }).await.expect("retried");
        let log = requests_to(&sim, "/v1/get_voice");
        assert_eq!(log.len() - before, 3, "{kind:?}: two faulted attempts and one success");
        assert_eq!(log.last().map(|r| r.http_status), Some(200));
    }
    assert_clean(&sim);
}

#[tokio::test]
async fn http_429_and_rate_limit_are_retried_with_backoff() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    for kind in [FaultKind::Http429, FaultKind::RateLimit] {
        let before = requests_to(&sim, "/v1/t2a_v2").len();
        arm(&sim, "/v1/t2a_v2", kind.clone(), 2);
        let started = std::time::Instant::now();
        client.speech().synthesize(&speech_request()).await.expect("retried");
        let log = requests_to(&sim, "/v1/t2a_v2");
        assert_eq!(log.len() - before, 3, "{kind:?}");
        // Full-jitter backoff: each wait is random in [0, min(100 ms, 20 ms * 2^n)], so only the bound holds.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{kind:?}: backoff unbounded ({:?})",
            started.elapsed()
        );
    }
    assert_clean(&sim);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_raw_body() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    arm(&sim, "/v1/lyrics_generation", FaultKind::MalformedJson, 1);
    let error = client
        .music()
        .lyrics(&LyricsRequest {
            mode: "write_full_song".into(),
            prompt: Some("rain".into()),
            ..Default::default()
        })
        .await
        .expect_err("malformed");
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    let Error::Decode { body, .. } = &error else { panic!("{error:?}") };
    assert!(body.0.starts_with('{') && body.0.len() > 10, "raw body kept: {body:?}");
    assert_eq!(requests_to(&sim, "/v1/lyrics_generation").len(), 1, "a paid call is not repeated");
    assert_clean(&sim);
}

#[tokio::test]
async fn truncated_hex_is_a_decode_error_not_partial_audio() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    arm(&sim, "/v1/t2a_v2", FaultKind::TruncatedHex, 1);
    let error = client.speech().synthesize(&speech_request()).await.expect_err("truncated hex");
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    arm(&sim, "/v1/t2a_v2", FaultKind::TruncatedHex, 1);
    let mut stream = client.speech().synthesize_stream(&speech_request()).await.expect("stream opens");
    let mut failed = false;
    while let Some(event) = stream.next().await {
        match event {
            Ok(SpeechStreamEvent::Done { .. }) => panic!("a stream with truncated hex finished as a success"),
            Ok(SpeechStreamEvent::Audio(_)) => {}
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
                failed = true;
                break;
            }
        }
    }
    assert!(failed, "the stream reported the truncated hex");
    arm(&sim, "/v1/music_generation", FaultKind::TruncatedHex, 1);
    let request = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Indie folk".into()),
        lyrics: Some("[Verse]\nStreetlights".into()),
        ..MusicRequest::default()
    };
    assert_eq!(client.music().generate(&request).await.expect_err("music").kind(), ErrorKind::Decode);
    assert_clean(&sim);
}

#[tokio::test]
async fn a_paid_create_cut_mid_body_is_outcome_unknown_and_sent_once() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    arm(&sim, "/v1/video_generation", FaultKind::CutMidBody, 1);
    let request =
        VideoRequest { model: "T2V-01".into(), prompt: Some("A cat".into()), ..VideoRequest::default() };
    let error = client.video().create(&request).await.expect_err("cut");
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    assert!(!error.retryable());
    assert_eq!(requests_to(&sim, "/v1/video_generation").len(), 1, "never blindly repeated");
    arm(&sim, "/v1/t2a_v2", FaultKind::CutMidBody, 1);
    let error = client.speech().synthesize(&speech_request()).await.expect_err("cut");
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    assert_eq!(requests_to(&sim, "/v1/t2a_v2").len(), 1, "never blindly repeated");
    assert_clean(&sim);
}

#[tokio::test]
async fn content_flagged_and_auth_codes_map_to_their_kinds() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    arm(&sim, "/v1/t2a_v2", FaultKind::ContentFlagged, 1);
    let error = client.speech().synthesize(&speech_request()).await.expect_err("flagged");
    assert_eq!((error.kind(), error.code()), (ErrorKind::ContentFlagged, Some(1026)), "{error}");
    for (code, kind) in [(1004, ErrorKind::Unauthorized), (2049, ErrorKind::InvalidApiKey)] {
        arm(&sim, "/v1/image_generation", FaultKind::BaseResp { code, msg: format!("auth {code}") }, 1);
        let request =
            ImageRequest { model: "image-01".into(), prompt: "a cat".into(), ..ImageRequest::default() };
        let error = client.image().generate(&request).await.expect_err("auth");
        assert_eq!((error.kind(), error.code()), (kind, Some(code)), "{error}");
        assert!(!error.retryable());
    }
    assert_eq!(requests_to(&sim, "/v1/image_generation").len(), 2, "auth errors are not retried");
    assert_clean(&sim);
}

#[tokio::test]
async fn a_wrong_key_is_invalid_key_with_http_200() {
    let sim = start(roomy()).await;
    let wrong = MiniMaxClient::new(config_for(&sim, "sk-cp-wrong")).expect("client");
    let error = wrong.plan().remains().await.expect_err("wrong key");
    assert_eq!((error.kind(), error.code()), (ErrorKind::InvalidApiKey, Some(2049)), "{error}");
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.http_status, 200);
    assert!(error.trace_id().is_some());
    let error = wrong.speech().synthesize(&speech_request()).await.expect_err("wrong key");
    assert_eq!(error.kind(), ErrorKind::InvalidApiKey);
    assert!(
        sim.requests().iter().all(|r| r.http_status == 200 && r.status_code == 2049),
        "{:#?}",
        sim.requests()
    );
    assert_clean(&sim);
}

#[tokio::test]
async fn an_exhausted_quota_is_2056_with_the_simulators_reset_time() {
    // One request per window: the first chat (cost 1) fits, everything after is refused.
    let sim = start(SimConfig { quota: 1, ..SimConfig::default() }).await;
    let client = client(&sim);
    client.text().chat(&chat_request()).await.expect("the first request fits");
    // The OpenAI-compatible endpoint refuses with HTTP 429 and the `{"type":"error"}` shape.
    let chat = client.text().chat(&chat_request()).await.expect_err("chat refused");
    assert_eq!((chat.kind(), chat.code()), (ErrorKind::QuotaExhausted, Some(2056)), "{chat}");
    assert!(!chat.retryable());
    let Error::Api(api) = &chat else { panic!("{chat:?}") };
    assert_eq!(api.http_status, 429);
    // The native endpoints with HTTP 200 and `base_resp` 2056.
    let lyrics =
        LyricsRequest { mode: "write_full_song".into(), prompt: Some("rain".into()), ..Default::default() };
    let error = client.music().lyrics(&lyrics).await.expect_err("lyrics refused");
    assert_eq!((error.kind(), error.code()), (ErrorKind::QuotaExhausted, Some(2056)), "{error}");
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.http_status, 200);
    let reset = error.reset_at().expect("reset time parsed");
    assert_eq!(chat.reset_at().map(|r| r.epoch_ms), Some(reset.epoch_ms));
    let refusals: Vec<_> = sim.requests().into_iter().filter(|r| r.status_code == 2056).collect();
    assert_eq!(refusals.len(), 2, "2056 is not retried");
    for refusal in &refusals {
        let message = refusal.message.as_deref().unwrap_or("");
        assert!(message.contains(&format!("resets at {}", reset.raw)), "{message} vs {}", reset.raw);
    }
    // The window end the simulator reports through the remains endpoint is the same instant.
    let remains = client.plan().remains().await.expect("remains");
    let end = remains.model_remains[0].end_time.expect("end_time");
    assert_eq!(reset.epoch_ms / 1000, end / 1000, "reset_at equals the window end the simulator reports");
    assert_clean(&sim);
}

#[tokio::test]
async fn a_failed_task_is_a_terminal_failed_status() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    arm(&sim, "/v1/video_generation", FaultKind::TaskFail, 1);
    let request =
        VideoRequest { model: "T2V-01".into(), prompt: Some("A cat".into()), ..VideoRequest::default() };
    let task = client.video().create(&request).await.expect("create succeeds");
    sim.advance(Duration::from_millis(sim.state().config().video_task_ms + 1));
    let status = client.video().query(&task.task_id).await.expect("query");
    assert_eq!(status.status, TaskStatus::Failed);
    assert!(status.status.is_terminal());
    assert!(status.file_id.is_none());
    assert_clean(&sim);
}

#[tokio::test]
async fn a_slow_answer_beyond_the_timeout_is_a_timeout() {
    let sim = start(roomy()).await;
    let mut config = config_for(&sim, &sim.state().config().key);
    config.request_timeout = Duration::from_millis(300);
    config.read_timeout = Duration::from_millis(300);
    config.retry = RetryPolicy::none();
    let client = MiniMaxClient::new(config).expect("client");
    arm(&sim, "/v1/get_voice", FaultKind::Slow { ms: 1_500 }, 1);
    let error =
        client.speech().voices(&VoicesRequest { voice_type: "system".into() }).await.expect_err("slow");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.retryable());
    // The same on a paid call cannot be repeated: its outcome is unknown.
    arm(&sim, "/v1/t2a_v2", FaultKind::Slow { ms: 1_500 }, 1);
    let error = client.speech().synthesize(&speech_request()).await.expect_err("slow");
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    assert_eq!(requests_to(&sim, "/v1/t2a_v2").len(), 1);
    assert_clean(&sim);
}

// ------------------------------------------------------------------------------ optional fields agree

/// Every optional field the client can send, with documented values: the simulator (written separately
/// from the same doc) must accept all of them.
#[tokio::test]
async fn every_optional_field_the_client_sends_is_accepted() {
    use minimax_api::image::ImageSubjectReference;
    use minimax_api::music::MusicAudioSetting;
    use minimax_api::speech::{
        AsyncAudioSetting, AudioSetting, PronunciationDict, VoiceModify, VoiceSetting,
    };
    use minimax_api::text::{FunctionDefinition, Tool};
    let sim = start(roomy()).await;
    let client = client(&sim);

    let speech = SpeechRequest {
        voice_setting: VoiceSetting {
            voice_id: "English_expressive_narrator".into(),
            speed: Some(1.2),
            vol: Some(2.0),
            pitch: Some(-2),
            emotion: Some("happy".into()),
            text_normalization: Some(true),
            latex_read: Some(false),
        },
        audio_setting: Some(AudioSetting {
            sample_rate: Some(44_100),
            bitrate: Some(256_000),
            format: Some("mp3".into()),
            channel: Some(2),
            force_cbr: Some(false),
        }),
        pronunciation_dict: Some(PronunciationDict { tone: vec!["world/(wɜːld)".into()] }),
        language_boost: Some("English".into()),
        voice_modify: Some(VoiceModify {
            pitch: Some(10),
            intensity: Some(-20),
            timbre: Some(5),
            sound_effects: None,
        }),
        subtitle_enable: Some(true),
        ..speech_request()
    };
    let result = client.speech().synthesize(&speech).await.expect("t2a with every field");
    assert!(result.subtitle_file.is_some(), "subtitle_enable gives a subtitle file");
    assert_eq!(result.extra_info.as_ref().and_then(|e| e.audio_sample_rate), Some(44_100));
    let mut wav = speech_request();
    wav.audio_setting =
        Some(AudioSetting { format: Some("wav".into()), sample_rate: Some(16_000), ..Default::default() });
    let SpeechAudio::Bytes(bytes) = client.speech().synthesize(&wav).await.expect("wav").audio else {
        panic!()
    };
    assert_eq!(&bytes[..4], b"RIFF");
    assert_clean(&sim);

    let async_request = AsyncSpeechRequest {
        model: "speech-2.6-turbo".into(),
        text: Some("A long story.".into()),
        voice_setting: AsyncVoiceSetting {
            voice_id: "English_expressive_narrator".into(),
            speed: Some(0.9),
            vol: Some(1.0),
            pitch: Some(1),
            emotion: Some("calm".into()),
            english_normalization: Some(true),
            latex_read: None,
        },
        audio_setting: Some(AsyncAudioSetting {
            audio_sample_rate: Some(32_000),
            bitrate: Some(128_000),
            format: Some("mp3".into()),
            channel: Some(1),
        }),
        language_boost: Some("auto".into()),
        ..AsyncSpeechRequest::default()
    };
    client.speech().create_async(&async_request).await.expect("async with every field");
    assert_clean(&sim);

    let mut chat = chat_request();
    chat.temperature = Some(0.7);
    chat.top_p = Some(0.95);
    chat.max_completion_tokens = Some(1024);
    chat.tools = Some(vec![Tool {
        tool_type: "function".into(),
        function: FunctionDefinition {
            name: "get_weather".into(),
            description: Some("Weather of a city".into()),
            parameters: Some(serde_json::json!({"type":"object","properties":{"city":{"type":"string"}}})),
        },
    }]);
    client.text().chat(&chat).await.expect("chat with options");
    let (_, content, _) = {
        let mut stream = client.text().chat_stream(&chat).await.expect("stream with options");
        let mut text = String::new();
        while let Some(event) = stream.next().await {
            if let ChatEvent::Content(part) = event.expect("event") {
                text.push_str(&part);
            }
        }
        ((), text, ())
    };
    let _ = content;
    assert_clean(&sim);

    let image = ImageRequest {
        model: "image-01".into(),
        prompt: "A portrait in the rain".into(),
        width: Some(1024),
        height: Some(768),
        seed: Some(42),
        n: Some(1),
        prompt_optimizer: Some(true),
        aigc_watermark: Some(false),
        response_format: Some(ImageResponseFormat::Base64),
        subject_reference: Some(vec![ImageSubjectReference {
            reference_type: "character".into(),
            image_file: png_data_url(512, 512),
        }]),
        ..ImageRequest::default()
    };
    let result = client.image().generate(&image).await.expect("image with every field");
    let ImageOutput::Bytes(images) = &result.images else { panic!("{result:?}") };
    assert_eq!(png_size(&images[0]), (1024, 768), "width/height honoured without aspect_ratio");
    assert_clean(&sim);

    let music = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Ambient".into()),
        is_instrumental: Some(true),
        audio_setting: Some(MusicAudioSetting {
            sample_rate: Some(44_100),
            bitrate: Some(256_000),
            format: Some("mp3".into()),
            channel: None,
        }),
        aigc_watermark: Some(false),
        ..MusicRequest::default()
    };
    client.music().generate(&music).await.expect("instrumental music");
    assert_clean(&sim);
}

#[tokio::test]
async fn legacy_remains_counts_remaining_and_async_speech_links_expire() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    client.text().chat(&chat_request()).await.expect("one charged request");
    let new = client.plan().remains().await.expect("remains");
    arm(&sim, REMAINS_PATH, FaultKind::MalformedJson, 1 + RETRIES);
    let legacy = client.plan().remains().await.expect("legacy");
    assert_eq!(legacy.source_path, LEGACY_REMAINS_PATH);
    let (n, l) = (&new.model_remains[0], &legacy.model_remains[0]);
    let total = n.current_interval_total_count.expect("total");
    // §9.1: token_plan/remains counts used requests, the legacy path remaining ones.
    assert_eq!(n.current_interval_usage_count, Some(1));
    assert_eq!(l.current_interval_usage_count, Some(total - 1));

    let request = AsyncSpeechRequest {
        model: "speech-2.6-hd".into(),
        text: Some("Short.".into()),
        voice_setting: AsyncVoiceSetting {
            voice_id: "English_expressive_narrator".into(),
            ..Default::default()
        },
        ..AsyncSpeechRequest::default()
    };
    let task = client.speech().create_async(&request).await.expect("create");
    sim.advance(Duration::from_millis(sim.state().config().speech_task_ms + 1));
    assert_eq!(client.speech().query_async(&task.task_id).await.expect("query").status, TaskStatus::Success);
    sim.advance(Duration::from_millis(sim.state().config().speech_url_ttl_ms + 1_000));
    let status = client.speech().query_async(&task.task_id).await.expect("query");
    assert_eq!(status.status, TaskStatus::Expired, "§3.2: the result expires with its 9 h link");
    assert!(status.status.is_terminal());
    assert_clean(&sim);
}

// -------------------------------------------------------------------------------- streams under faults

/// Drains a chat stream: `Ok(summary)` when it ended with `Done`, else the first error.
async fn chat_outcome(client: &MiniMaxClient) -> Result<ChatSummary, Error> {
    let mut stream = client.text().chat_stream(&chat_request()).await?;
    while let Some(event) = stream.next().await {
        if let ChatEvent::Done(summary) = event? {
            return Ok(summary);
        }
    }
    panic!("the stream ended without Done and without an error");
}

#[tokio::test]
async fn streams_under_faults_retry_before_the_first_byte_and_never_finish_when_cut() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    // A 500/529 answer to a stream start means nothing was generated: retried, then streamed.
    for kind in [FaultKind::Http500, FaultKind::Http529] {
        let before = requests_to(&sim, "/v1/chat/completions").len();
        arm(&sim, "/v1/chat/completions", kind.clone(), 1);
        chat_outcome(&client).await.expect("retried stream");
        assert_eq!(requests_to(&sim, "/v1/chat/completions").len() - before, 2, "{kind:?}");
    }
    // A stream cut half-way (or truncated) must not end as a success, and is not repeated.
    for kind in [FaultKind::CutMidBody, FaultKind::MalformedJson] {
        let before = requests_to(&sim, "/v1/chat/completions").len();
        arm(&sim, "/v1/chat/completions", kind.clone(), 1);
        let error = chat_outcome(&client).await.expect_err("a cut stream is an error");
        assert!(!error.retryable(), "{kind:?}: {error}");
        if kind == FaultKind::CutMidBody {
            assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
        }
        assert_eq!(requests_to(&sim, "/v1/chat/completions").len() - before, 1, "{kind:?}: repeated");
        arm(&sim, "/v1/t2a_v2", kind.clone(), 1);
        let mut stream = client.speech().synthesize_stream(&speech_request()).await.expect("opens");
        let mut ended = None;
        while let Some(event) = stream.next().await {
            match event {
                Ok(SpeechStreamEvent::Done { .. }) => {
                    panic!("{kind:?}: a cut T2A stream finished as a success")
                }
                Ok(SpeechStreamEvent::Audio(_)) => {}
                Err(error) => {
                    ended = Some(error);
                    break;
                }
            }
        }
        let error = ended.expect("the cut T2A stream reported an error");
        assert!(!error.retryable(), "{kind:?}: {error}");
    }
    assert_clean(&sim);
}

#[tokio::test]
async fn a_download_cut_mid_body_is_an_error_not_a_short_file() {
    let sim = start(SimConfig { video_size: 1 << 20, ..roomy() }).await;
    let client = client(&sim);
    let task = client
        .video()
        .create(&VideoRequest {
            model: "T2V-01".into(),
            prompt: Some("A cat".into()),
            ..VideoRequest::default()
        })
        .await
        .expect("create");
    sim.advance(Duration::from_millis(sim.state().config().video_task_ms + 1));
    let file_id = client.video().query(&task.task_id).await.expect("query").file_id.expect("file id");
    arm(&sim, "/_sim/files", FaultKind::CutMidBody, 1);
    let mut out = Vec::new();
    let error = client
        .files()
        .download_to(&DownloadSource::FileId(file_id.clone()), &mut out)
        .await
        .expect_err("a cut download is an error");
    assert!(matches!(error.kind(), ErrorKind::Network | ErrorKind::Decode), "{error}");
    let mut whole = Vec::new();
    let n = client.files().download_to(&DownloadSource::FileId(file_id), &mut whole).await.expect("again");
    assert_eq!(n, 1 << 20);
    assert_clean(&sim);
}

// --------------------------------------------------------------------------------- keys, rpm, region

#[tokio::test]
async fn keys_rpm_and_region_probe() {
    let sim = start(SimConfig { pay_as_you_go_key: Some("sk-api-paygo".into()), rpm: 1, ..roomy() }).await;
    // §9.1: a pay-as-you-go key on the remains endpoint gets 1004 (no active plan); elsewhere it works.
    let paygo = MiniMaxClient::new(config_for(&sim, "sk-api-paygo")).expect("client");
    let error = paygo.plan().remains().await.expect_err("no plan");
    assert_eq!((error.kind(), error.code()), (ErrorKind::Unauthorized, Some(1004)), "{error}");
    paygo.speech().voices(&VoicesRequest { voice_type: "system".into() }).await.expect("paygo voices");
    // rpm 1: the second call within the minute is refused with 1002 on HTTP 200, retried, then reported.
    let error = paygo.speech().voices(&VoicesRequest { voice_type: "system".into() }).await.expect_err("rpm");
    assert_eq!((error.kind(), error.code()), (ErrorKind::RateLimited, Some(1002)), "{error}");
    assert_eq!(requests_to(&sim, "/v1/get_voice").len(), 2 + RETRIES as usize);
    assert_clean(&sim);

    let right = start(roomy()).await;
    let other = start(SimConfig { key: "sk-cp-other-region".into(), ..roomy() }).await;
    let candidates = [Region::Custom(other.base_url()), Region::Custom(right.base_url())];
    let found = MiniMaxClient::probe_region(&config_for(&right, &right.state().config().key), &candidates)
        .await
        .expect("probe");
    assert_eq!(found, Some(candidates[1].clone()), "the host that accepts the key");
    assert_clean(&other);
    assert_clean(&right);
}

// --------------------------------------------------------------------------- enumerations agree

/// Every model and enumerated value the client accepts locally is accepted by the simulator: no
/// request the client lets through may fail the simulator's validation (both follow §3–§6 tables).
#[tokio::test]
async fn every_model_and_enumerated_value_the_client_accepts_the_simulator_accepts() {
    use minimax_api::speech::{
        ASYNC_SPEECH_MODELS, AudioSetting, EMOTIONS, FORMATS, LANGUAGE_BOOSTS, SPEECH_MODELS,
    };
    use minimax_api::video::{FL2V_MODELS, I2V_MODELS, S2V_MODELS, SubjectReference, T2V_MODELS, VideoMode};
    let sim = start(roomy()).await;
    let mut config = config_for(&sim, &sim.state().config().key);
    config.retry = RetryPolicy::none();
    let client = MiniMaxClient::new(config).expect("client");
    let mut refused = Vec::new();
    let mut note = |what: String, result: Result<(), Error>| match result {
        // The simulator does not synthesize FLAC/Opus and says so with an uncharged 1000 (its docs,
        // "Not simulated"); that is a simulator limit, not a disagreement about the request.
        Err(error) if error.code() == Some(1000) && (what.ends_with(" flac") || what.ends_with(" opus")) => {}
        Err(error) => refused.push(format!("{what}: {error}")),
        Ok(()) => {}
    };

    for model in SPEECH_MODELS {
        for format in FORMATS {
            let mut request = speech_request();
            request.model = (*model).to_owned();
            request.audio_setting =
                Some(AudioSetting { format: Some((*format).to_owned()), ..Default::default() });
            if request.validate().is_ok() {
                note(format!("t2a {model} {format}"), client.speech().synthesize(&request).await.map(drop));
            }
        }
        for emotion in EMOTIONS {
            let mut request = speech_request();
            request.model = (*model).to_owned();
            request.voice_setting.emotion = Some((*emotion).to_owned());
            if request.validate().is_ok() {
                note(format!("t2a {model} {emotion}"), client.speech().synthesize(&request).await.map(drop));
            }
        }
    }
    for boost in LANGUAGE_BOOSTS {
        let mut request = speech_request();
        request.language_boost = Some((*boost).to_owned());
        if request.validate().is_ok() {
            note(format!("t2a language_boost {boost}"), client.speech().synthesize(&request).await.map(drop));
        }
    }
    for model in ASYNC_SPEECH_MODELS {
        let request = AsyncSpeechRequest {
            model: (*model).to_owned(),
            text: Some("Hello.".into()),
            voice_setting: AsyncVoiceSetting {
                voice_id: "English_expressive_narrator".into(),
                ..Default::default()
            },
            ..AsyncSpeechRequest::default()
        };
        note(format!("async {model}"), client.speech().create_async(&request).await.map(drop));
    }
    for model in minimax_api::text::TEXT_MODELS {
        let mut request = chat_request();
        request.model = (*model).to_owned();
        if request.validate().is_ok() {
            note(format!("chat {model}"), client.text().chat(&request).await.map(drop));
        }
    }
    for ratio in minimax_api::image::ASPECT_RATIOS {
        for model in minimax_api::image::IMAGE_MODELS {
            let request = ImageRequest {
                model: (*model).to_owned(),
                prompt: "a lighthouse".into(),
                aspect_ratio: Some((*ratio).to_owned()),
                ..ImageRequest::default()
            };
            if request.validate().is_ok() {
                note(format!("image {model} {ratio}"), client.image().generate(&request).await.map(drop));
            }
        }
    }
    for model in minimax_api::music::MUSIC_MODELS {
        let mut request = MusicRequest {
            model: (*model).to_owned(),
            prompt: Some("Indie folk".into()),
            lyrics: Some("[Verse]\nStreetlights".into()),
            ..MusicRequest::default()
        };
        if model.contains("cover") {
            request.audio_url = Some("https://example.com/song.mp3".into());
        }
        if request.validate().is_ok() {
            note(format!("music {model}"), client.music().generate(&request).await.map(drop));
        }
    }
    let image = "https://example.com/first.jpg".to_owned();
    let modes: [(&[&str], VideoMode); 4] = [
        (T2V_MODELS, VideoMode::TextToVideo),
        (I2V_MODELS, VideoMode::ImageToVideo),
        (FL2V_MODELS, VideoMode::FirstLastFrame),
        (S2V_MODELS, VideoMode::SubjectReference),
    ];
    for (models, mode) in modes {
        for model in models {
            for (resolution, durations) in minimax_api::video::allowed_resolutions(model, mode) {
                for duration in *durations {
                    let mut request = VideoRequest {
                        model: (*model).to_owned(),
                        prompt: Some("waves".into()),
                        resolution: Some((*resolution).to_owned()),
                        duration: Some(*duration),
                        ..VideoRequest::default()
                    };
                    match mode {
                        VideoMode::TextToVideo => {}
                        VideoMode::ImageToVideo => request.first_frame_image = Some(image.clone()),
                        VideoMode::FirstLastFrame => {
                            request.first_frame_image = Some(image.clone());
                            request.last_frame_image = Some(image.clone());
                        }
                        VideoMode::SubjectReference => {
                            request.subject_reference = Some(vec![SubjectReference {
                                reference_type: "character".into(),
                                image: vec![image.clone()],
                            }]);
                        }
                    }
                    if request.validate().is_ok() {
                        let what = format!("video {model} {mode:?} {resolution} {duration}s");
                        note(what, client.video().create(&request).await.map(drop));
                    }
                }
            }
        }
    }
    let failures: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.outcome == minimax_sim::envelope::OutcomeKind::Validation)
        .map(|r| format!("{} {:?}: {:?}", r.endpoint, r.validation_field, r.message))
        .collect();
    assert!(failures.is_empty(), "the simulator refused what the client accepted:\n{}", failures.join("\n"));
    assert!(refused.is_empty(), "refused for another reason:\n{}", refused.join("\n"));
}

/// The client's documented maxima and minima are accepted by the simulator too.
#[tokio::test]
async fn the_clients_limits_are_the_simulators_limits() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let mut edges = Vec::new();
    for (speed, vol, pitch) in [(0.5, 10.0, -12), (2.0, 0.01, 12)] {
        let mut request = speech_request();
        request.voice_setting.speed = Some(speed);
        request.voice_setting.vol = Some(vol);
        request.voice_setting.pitch = Some(pitch);
        edges.push(("t2a speed/vol/pitch", client.speech().synthesize(&request).await.map(drop)));
    }
    let mut long = speech_request();
    long.model = "speech-2.8-turbo".into();
    long.text = "Hello world. ".repeat(800).chars().take(minimax_api::speech::MAX_SYNC_TEXT_CHARS).collect();
    edges.push(("t2a 9,999 characters", client.speech().synthesize(&long).await.map(drop)));
    for (model, temperature, tokens) in [
        ("MiniMax-M2.7", 1.0, minimax_api::text::MAX_TOKENS_OTHER),
        ("MiniMax-M3", 2.0, minimax_api::text::MAX_TOKENS_M3),
    ] {
        let mut chat = chat_request();
        chat.model = model.into();
        chat.temperature = Some(temperature);
        chat.top_p = Some(1.0);
        chat.max_completion_tokens = Some(tokens);
        edges.push(("chat temperature/max tokens", client.text().chat(&chat).await.map(drop)));
    }
    let image = ImageRequest {
        model: "image-01".into(),
        prompt: "p".repeat(minimax_api::image::MAX_PROMPT_CHARS),
        n: Some(9),
        ..ImageRequest::default()
    };
    edges.push(("image n=9, 1,500-char prompt", client.image().generate(&image).await.map(drop)));
    let video = VideoRequest {
        model: "MiniMax-Hailuo-02".into(),
        prompt: Some("v".repeat(minimax_api::video::MAX_PROMPT_CHARS)),
        duration: Some(10),
        resolution: Some("768P".into()),
        ..VideoRequest::default()
    };
    edges.push(("video 2,000-char prompt, 10 s", client.video().create(&video).await.map(drop)));
    let music = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("m".repeat(2000)),
        lyrics: Some(format!("[Verse]\n{}", "la ".repeat(1200)).chars().take(3500).collect()),
        ..MusicRequest::default()
    };
    edges.push((
        "music 2,000-char prompt, 3,500-char lyrics",
        client.music().generate(&music).await.map(drop),
    ));
    let failed: Vec<_> =
        edges.iter().filter_map(|(what, r)| r.as_ref().err().map(|e| format!("{what}: {e}"))).collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_clean(&sim);
}
