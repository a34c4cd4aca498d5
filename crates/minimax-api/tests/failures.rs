//! Every error shape and fault: `base_resp` errors on HTTP 200, the `{"type":"error"}` shape, HTTP
//! 429/500/504/529, malformed JSON, truncated hex, bodies cut mid-way, timeouts, retry counts, and the
//! rule that a paid call whose answer was lost is never repeated.

mod common;

use std::time::Duration;

use common::{KEY, RETRIES, client, json};
use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::speech::SpeechRequest;
use minimax_api::text::{ChatMessage, ChatRequest};
use minimax_api::video::VideoRequest;
use minimax_api::{Error, ErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn video_request() -> VideoRequest {
    VideoRequest { model: "T2V-01".into(), prompt: Some("A cat".into()), ..VideoRequest::default() }
}

fn chat_request() -> ChatRequest {
    ChatRequest::new("MiniMax-M2.7", vec![ChatMessage::text("user", "Hello")])
}

fn assert_no_key(error: &Error) {
    assert!(!error.to_string().contains(KEY), "{error}");
    assert!(!format!("{error:?}").contains(KEY), "{error:?}");
}

#[tokio::test]
async fn base_resp_error_on_http_200_is_an_api_error_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/t2a_v2"))
        .respond_with(json(200, "error_invalid_key_2049.json"))
        .expect(1)
        .mount(&server)
        .await;
    let request = SpeechRequest::new("speech-2.8-hd", "Hi", "English_expressive_narrator");
    let error = client(&server.uri()).speech().synthesize(&request).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidApiKey);
    assert_eq!(error.code(), Some(2049));
    assert_eq!(error.trace_id(), Some("trace-from-header"));
    assert!(!error.retryable());
    assert_no_key(&error);
}

#[tokio::test]
async fn rate_limit_on_http_200_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/video_generation"))
        .respond_with(json(200, "error_rate_limit_1002.json"))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/video_generation"))
        .respond_with(json(200, "video_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    let task = client(&server.uri()).video().create(&video_request()).await.unwrap();
    assert_eq!(task.task_id, "106916112212032");
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(json(500, "error_unknown_500.json"))
        .expect(1 + u64::from(RETRIES))
        .mount(&server)
        .await;
    let error = client(&server.uri()).video().query("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.code(), Some(1000));
    assert!(error.retryable());
}

#[tokio::test]
async fn retry_after_longer_than_the_policy_allows_stops_retrying() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server.uri()).video().query("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    let short = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(1 + u64::from(RETRIES))
        .mount(&short)
        .await;
    assert!(client(&short.uri()).video().query("1").await.is_err());
}

#[tokio::test]
async fn quota_2056_in_the_error_shape_carries_the_reset_time_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(json(429, "error_quota_2056.json"))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server.uri()).text().chat(&chat_request()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::QuotaExhausted);
    assert_eq!(error.code(), Some(2056));
    assert_eq!(error.reset_at().map(|r| r.epoch_ms), Some(1_778_857_200_000));
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.http_status, api.error_type.as_deref()), (429, Some("rate_limit_error")));
}

#[tokio::test]
async fn error_shapes_map_to_kinds() {
    let cases: &[(u16, &str, ErrorKind, Option<i64>, u64)] = &[
        (400, "error_invalid_params_2013.json", ErrorKind::InvalidParams, Some(2013), 1),
        (529, "error_overloaded_529.json", ErrorKind::Overloaded, None, 1 + u64::from(RETRIES)),
        (200, "error_flagged_1026.json", ErrorKind::ContentFlagged, Some(1026), 1),
        (200, "error_no_plan_1004.json", ErrorKind::Unauthorized, Some(1004), 1),
    ];
    for &(status, fixture, kind, code, calls) in cases {
        let server = MockServer::start().await;
        Mock::given(path("/v1/video_generation"))
            .respond_with(json(status, fixture))
            .expect(calls)
            .mount(&server)
            .await;
        let error = client(&server.uri()).video().create(&video_request()).await.unwrap_err();
        assert_eq!((error.kind(), error.code()), (kind, code), "{fixture}: {error}");
    }
}

#[tokio::test]
async fn video_query_flagged_and_both_fail_spellings() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(json(200, "error_video_flagged_1027.json"))
        .mount(&server)
        .await;
    let error = client(&server.uri()).video().query("176843862716480").await.unwrap_err();
    assert_eq!((error.kind(), error.code()), (ErrorKind::ContentFlagged, Some(1027)));
    for status in ["Fail", "Failed", "Unknown"] {
        let server = MockServer::start().await;
        let body = format!(
            r#"{{"task_id":"1","status":"{status}","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#
        );
        Mock::given(path("/v1/query/video_generation"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let answer = client(&server.uri()).video().query("1").await.unwrap();
        assert_eq!(answer.status.is_terminal(), status != "Unknown", "{status}");
    }
}

#[tokio::test]
async fn plain_http_errors_and_malformed_bodies_keep_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .expect(1 + u64::from(RETRIES))
        .mount(&server)
        .await;
    Mock::given(path("/v1/t2a_v2"))
        .respond_with(json(200, "malformed_truncated.json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = client.video().query("1").await.unwrap_err();
    let Error::Http { status, body, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*status, body.0.as_str()), (502, "<html>bad gateway</html>"));
    let request = SpeechRequest::new("speech-2.8-hd", "Hi", "English_expressive_narrator");
    let error = client.speech().synthesize(&request).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    let Error::Decode { body, .. } = &error else { panic!("{error:?}") };
    assert!(body.0.starts_with(r#"{"data": {"audio""#));
}

#[tokio::test]
async fn truncated_hex_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/t2a_v2")).respond_with(json(200, "t2a_truncated_hex.json")).mount(&server).await;
    let request = SpeechRequest::new("speech-2.8-hd", "Hi", "English_expressive_narrator");
    let error = client(&server.uri()).speech().synthesize(&request).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.to_string().contains("odd length"), "{error}");
}

#[tokio::test]
async fn a_paid_call_that_times_out_is_outcome_unknown_and_sent_once() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/video_generation"))
        .respond_with(json(200, "video_create.json").set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server.uri()).video().create(&video_request()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    assert!(!error.retryable());
    assert_no_key(&error);
}

#[tokio::test]
async fn a_gateway_failure_on_a_paid_call_is_outcome_unknown() {
    for status in [502, 504] {
        let server = MockServer::start().await;
        Mock::given(path("/v1/video_generation"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let error = client(&server.uri()).video().create(&video_request()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{status}: {error}");
    }
}

#[tokio::test]
async fn an_idempotent_call_that_times_out_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/query/video_generation"))
        .respond_with(json(200, "video_query_success.json").set_delay(Duration::from_secs(2)))
        .expect(1 + u64::from(RETRIES))
        .mount(&server)
        .await;
    let error = client(&server.uri()).video().query("1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[test]
fn the_client_debug_output_hides_the_key() {
    let client = client("http://127.0.0.1:9");
    assert!(!format!("{client:?}").contains(KEY));
    assert!(!format!("{:?}", common::config("http://127.0.0.1:9")).contains(KEY));
}

#[tokio::test]
async fn connection_refused_is_a_retryable_network_error_even_for_paid_calls() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = client(&format!("http://{address}")).video().create(&video_request()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_no_key(&error);
}

/// A raw server that answers every connection with `head` + `body` and then closes (a cut body when
/// `Content-Length` promises more).
async fn cutting_server(head: &'static str, body: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 8192];
            let _ = socket.read(&mut buffer).await;
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}")
}

/// A raw server that sends `head` + `body` and then goes silent for 5 s (a stalled stream).
async fn stalling_server(head: &'static str, body: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                let _ = socket.read(&mut buffer).await;
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body).await;
                tokio::time::sleep(Duration::from_secs(5)).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn stalled_downloads_and_streams_time_out() {
    let base = stalling_server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"some bytes").await;
    let mut out = Vec::new();
    let client_for_download = client(&base);
    let source = DownloadSource::Url(format!("{base}/f.mp4"));
    let download = client_for_download.files().download_to(&source, &mut out);
    let error = download.await.unwrap_err();
    assert!(matches!(error, Error::Stalled { .. }), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    let base = stalling_server(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 5000\r\n\r\n",
        b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
    )
    .await;
    let events: Vec<_> = client(&base).text().chat_stream(&chat_request()).await.unwrap().collect().await;
    assert!(matches!(events.last(), Some(Err(Error::Stalled { .. }))), "{events:?}");
}

#[tokio::test]
async fn plain_calls_may_take_longer_than_the_stream_silence_limit() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/music_generation"))
        .respond_with(json(200, "music_hex.json").set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let mut config = common::config(&server.uri());
    config.read_timeout = Duration::from_millis(100);
    config.request_timeout = Duration::from_secs(2);
    let client = minimax_api::MiniMaxClient::new(config).unwrap();
    let request = minimax_api::music::MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Indie folk".into()),
        lyrics: Some("[Verse]\nStreetlights".into()),
        ..Default::default()
    };
    assert!(client.music().generate(&request).await.is_ok());
}

#[tokio::test]
async fn a_download_cut_mid_body_is_an_error() {
    let base = cutting_server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"partial bytes").await;
    let client = client(&base);
    let mut out = Vec::new();
    let error = client
        .files()
        .download_to(&DownloadSource::Url(format!("{base}/f.mp4")), &mut out)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
}

#[tokio::test]
async fn a_paid_answer_cut_mid_body_is_outcome_unknown() {
    let base = cutting_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
        b"{\"task_id\": \"1069",
    )
    .await;
    let error = client(&base).video().create(&video_request()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
}

#[tokio::test]
async fn a_chat_stream_cut_mid_body_ends_with_an_error() {
    let base = cutting_server(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 5000\r\n\r\n",
        b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choi",
    )
    .await;
    let mut stream = client(&base).text().chat_stream(&chat_request()).await.unwrap();
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        events.push(event);
    }
    assert!(matches!(events[0], Ok(minimax_api::text::ChatEvent::Content(ref t)) if t == "Hel"));
    assert!(events.last().unwrap().is_err(), "{events:?}");
}

#[tokio::test]
async fn a_stream_call_answered_with_json_reports_the_error_inside() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(json(200, "error_invalid_key_2049.json"))
        .mount(&server)
        .await;
    let error = match client(&server.uri()).text().chat_stream(&chat_request()).await {
        Err(error) => error,
        Ok(_) => panic!("expected an error"),
    };
    assert_eq!(error.kind(), ErrorKind::InvalidApiKey);
}

#[tokio::test]
async fn a_stream_call_answered_with_a_retryable_json_error_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(json(200, "error_rate_limit_1002.json"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/chat/completions"))
        .respond_with(common::sse("chat_stream_usage_chunk.sse"))
        .expect(1)
        .mount(&server)
        .await;
    let stream = client(&server.uri()).text().chat_stream(&chat_request()).await.unwrap();
    let events: Vec<_> = stream.collect().await;
    assert!(matches!(events.last(), Some(Ok(minimax_api::text::ChatEvent::Done(_)))), "{events:?}");
}

#[tokio::test]
async fn invalid_requests_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/video_generation"))
        .respond_with(json(200, "video_create.json"))
        .expect(0)
        .mount(&server)
        .await;
    let request = VideoRequest {
        duration: Some(10),
        resolution: Some("1080P".into()),
        model: "MiniMax-Hailuo-2.3".into(),
        ..video_request()
    };
    let error = client(&server.uri()).video().create(&request).await.unwrap_err();
    let Error::Validation(validation) = &error else { panic!("{error:?}") };
    assert_eq!(validation.field, "duration");
    assert!(validation.allowed.contains('6'), "{validation}");
}

#[tokio::test]
async fn https_urls_get_a_client_with_roots_and_a_redirect_to_https_is_reported() {
    // An http API host (the simulator, a proxy) is served without TLS roots; an https download URL from it
    // still gets a client with the platform's roots: the attempt fails to connect, not to configure.
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let mut out = Vec::new();
    let closed_port = "https://127.0.0.1:9/f.mp4";
    let error =
        client.files().download_to(&DownloadSource::Url(closed_port.into()), &mut out).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error:?}");
    assert!(!matches!(error, Error::InvalidConfig { .. }), "{error:?}");

    // A redirect from http to https stops there with the redirect's status (naming where to go), rather than
    // failing inside a TLS handshake the plain client cannot make.
    Mock::given(path("/f.mp4"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", closed_port))
        .mount(&server)
        .await;
    let source = DownloadSource::Url(format!("{}/f.mp4", server.uri()));
    let error = client.files().download_to(&source, &mut out).await.unwrap_err();
    assert!(matches!(error, Error::Http { status: 301, .. }), "{error:?}");
}
