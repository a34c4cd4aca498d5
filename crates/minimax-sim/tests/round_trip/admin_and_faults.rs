//! The `/_sim` admin API: every fault kind, the request log, reset, clock, pacing, and the binary.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use minimax_sim::SimConfig;
use serde_json::{Value, json};

use crate::common::{Harness, KEY, code, config, sse_events};

fn tts() -> Value {
    json!({ "model": "speech-2.8-turbo", "text": "Fault injection test sentence.",
            "voice_setting": { "voice_id": "English_expressive_narrator" } })
}

async fn arm(h: &Harness, fault: Value) {
    let armed = h.admin("/_sim/faults", fault).await;
    assert!(!armed["armed"].as_array().expect("armed").is_empty());
}

async fn raw_tts(h: &Harness) -> reqwest::Response {
    h.http.post(h.url("/v1/t2a_v2")).bearer_auth(KEY).json(&tts()).send().await.expect("send")
}

#[tokio::test]
async fn http_status_faults() {
    let h = Harness::new().await;
    for (kind, status, error_type, suffix) in [
        ("http500", 500, "api_error", "(1000)"),
        ("http429", 429, "rate_limit_error", "(1002)"),
        ("http529", 529, "overloaded_error", "(1000)"),
    ] {
        arm(&h, json!({ "endpoint": "/v1/t2a_v2", "kind": kind })).await;
        let response = raw_tts(&h).await;
        assert_eq!(response.status().as_u16(), status, "{kind}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["type"], error_type);
        assert!(body["error"]["message"].as_str().expect("msg").ends_with(suffix));
    }
    assert_eq!(code(&raw_tts(&h).await.json::<Value>().await.expect("json")), 0, "faults are used up");
}

#[tokio::test]
async fn base_resp_faults() {
    let h = Harness::new().await;
    arm(
        &h,
        json!([
            { "endpoint": "*", "kind": "rateLimit" },
            { "endpoint": "*", "kind": "contentFlagged" },
            { "endpoint": "*", "kind": "baseResp", "code": 1008, "msg": "insufficient balance" },
        ]),
    )
    .await;
    for expected in [1002, 1026, 1008] {
        let (status, body) =
            h.post("/v1/image_generation", json!({ "model": "image-01", "prompt": "x" })).await;
        assert_eq!((status.as_u16(), code(&body)), (200, expected));
    }
    let log = h.requests().await;
    let entries = log["requests"].as_array().expect("log");
    assert_eq!(entries[0]["fault"], "rateLimit");
    assert_eq!(entries[0]["outcome"], "fault");
    assert_eq!(entries[2]["statusCode"], 1008);
}

#[tokio::test]
async fn body_faults() {
    let h = Harness::new().await;
    arm(&h, json!({ "endpoint": "/v1/t2a_v2", "kind": "malformedJson" })).await;
    let response = raw_tts(&h).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "body must be malformed: {text}");

    arm(&h, json!({ "endpoint": "/v1/t2a_v2", "kind": "truncatedHex" })).await;
    let body: Value = raw_tts(&h).await.json().await.expect("still JSON");
    let hex = body["data"]["audio"].as_str().expect("hex");
    assert_eq!(hex.len() % 2, 1, "odd length hex");
    assert!(hex::decode(hex).is_err());

    let mut streamed = tts();
    streamed["stream"] = json!(true);
    arm(&h, json!({ "endpoint": "/v1/t2a_v2", "kind": "truncatedHex" })).await;
    let text = h
        .http
        .post(h.url("/v1/t2a_v2"))
        .bearer_auth(KEY)
        .json(&streamed)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    let first: Value = serde_json::from_str(&sse_events(&text)[0]).expect("json");
    assert_eq!(first["data"]["audio"].as_str().expect("hex").len() % 2, 1);

    arm(&h, json!({ "endpoint": "/v1/t2a_v2", "kind": "cutMidBody" })).await;
    let response = raw_tts(&h).await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the connection is cut mid-body");
}

#[tokio::test]
async fn slow_fault_and_times() {
    let h = Harness::new().await;
    arm(&h, json!({ "endpoint": "/v1/get_voice", "kind": "slow", "ms": 300, "times": 2 })).await;
    for _ in 0..2 {
        let started = Instant::now();
        h.post("/v1/get_voice", json!({ "voice_type": "system" })).await;
        assert!(started.elapsed() >= Duration::from_millis(300));
    }
    let started = Instant::now();
    h.post("/v1/get_voice", json!({ "voice_type": "system" })).await;
    assert!(started.elapsed() < Duration::from_millis(300), "fired exactly twice");
}

#[tokio::test]
async fn task_fail_fault() {
    let h = Harness::with(SimConfig { video_task_ms: 1_000, speech_task_ms: 1_000, ..config() }).await;
    arm(&h, json!({ "endpoint": "/v1/video_generation", "kind": "taskFail" })).await;
    let (_, created) = h.post("/v1/video_generation", json!({ "model": "T2V-01", "prompt": "x" })).await;
    assert_eq!(code(&created), 0, "creation itself succeeds");
    h.advance(1_000);
    let (_, failed) = h
        .get(&format!("/v1/query/video_generation?task_id={}", created["task_id"].as_str().expect("id")))
        .await;
    assert_eq!(failed["status"], "Fail");
    assert!(failed.get("video_width").is_none());

    arm(&h, json!({ "endpoint": "/v1/t2a_async_v2", "kind": "taskFail" })).await;
    let request =
        json!({ "model": "speech-02-hd", "text": "x", "voice_setting": { "voice_id": "female-shaonv" } });
    let (_, created) = h.post("/v1/t2a_async_v2", request).await;
    h.advance(1_000);
    let (_, failed) = h.get(&format!("/v1/query/t2a_async_query_v2?task_id={}", created["task_id"])).await;
    assert_eq!(failed["status"], "Failed");
}

#[tokio::test]
async fn request_log_reset_and_clock() {
    let h = Harness::new().await;
    h.post("/v1/video_generation", json!({ "model": "T2V-01", "prompt": "x" })).await;
    h.post("/v1/video_generation", json!({ "model": "T2V-01" })).await;
    let log = h.requests().await;
    let creates: Vec<&Value> = log["requests"]
        .as_array()
        .expect("log")
        .iter()
        .filter(|r| r["endpoint"] == "/v1/video_generation")
        .collect();
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[0]["outcome"], "ok");
    assert_eq!(creates[0]["body"]["model"], "T2V-01");
    assert_eq!(creates[1]["outcome"], "validation");
    assert_eq!(creates[1]["validationField"], "prompt");
    assert_eq!(creates[1]["seq"], 2);
    assert!(creates[0]["receivedAtMs"].as_u64().is_some());

    let clock = h.admin("/_sim/clock/advance", json!({ "ms": 60_000 })).await;
    assert_eq!(clock["offsetMs"], 60_000);
    assert!(clock["now"].as_str().is_some_and(|n| n.ends_with('Z')));
    h.admin("/_sim/reset", json!({})).await;
    let log = h.requests().await;
    assert_eq!(log["requests"], json!([]), "admin calls are not logged, reset clears");
}

#[tokio::test]
async fn streaming_pace_follows_the_knobs() {
    let h =
        Harness::with(SimConfig { ttfb_ms: 300, chunk_interval_ms: 50, stream_chunks: 20, ..config() }).await;
    let mut request = tts();
    request["text"] =
        json!("A long enough sentence to split into twenty streamed chunks of audio. ".repeat(4));
    request["stream"] = json!(true);
    let started = Instant::now();
    let response =
        h.http.post(h.url("/v1/t2a_v2")).bearer_auth(KEY).json(&request).send().await.expect("send");
    let mut body = response.bytes_stream();
    let first = body.next().await.expect("first chunk").expect("bytes");
    let ttfb = started.elapsed();
    assert!(ttfb >= Duration::from_millis(300), "{ttfb:?}");
    let mut text = String::from_utf8(first.to_vec()).expect("utf8");
    while let Some(chunk) = body.next().await {
        text.push_str(std::str::from_utf8(&chunk.expect("bytes")).expect("utf8"));
    }
    let total = started.elapsed();
    assert_eq!(sse_events(&text).len(), 21);
    assert!(total >= Duration::from_millis(300 + 20 * 50), "{total:?}");

    h.admin("/_sim/config", json!({ "latencyMs": 200, "ttfbMs": 0, "chunkIntervalMs": 0 })).await;
    let started = Instant::now();
    h.post("/v1/get_voice", json!({ "voice_type": "system" })).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn binary_prints_its_url_and_serves() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_minimax-sim"))
        .args(["--port", "0", "--key", "sk-cp-bin", "--task-seconds", "2"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let url = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("in time")
        .expect("read")
        .expect("line");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let http = reqwest::Client::new();
    let health: Value =
        http.get(format!("{url}/_sim/health")).send().await.expect("send").json().await.expect("json");
    assert_eq!(health["ok"], true);
    let config: Value =
        http.get(format!("{url}/_sim/config")).send().await.expect("send").json().await.expect("json");
    assert_eq!(config["key"], "sk-cp-bin");
    assert_eq!(config["videoTaskMs"], 2000);
    child.kill().await.expect("kill");
}

#[tokio::test]
async fn quota_prefill_log_filters_and_public_url() {
    let h = Harness::with(SimConfig {
        quota: 4_500,
        public_url: Some("http://sim.example:9/".into()),
        ..config()
    })
    .await;
    let filled = h.admin("/_sim/quota/charge", json!({ "cost": 4_480 })).await;
    assert_eq!(filled["used"], 4_480);
    let (_, refused) = h.post("/v1/image_generation", json!({ "model": "image-01", "prompt": "x" })).await;
    assert_eq!(code(&refused), 2056);
    let over =
        h.http.post(h.url("/_sim/quota/charge")).json(&json!({ "cost": 100 })).send().await.expect("send");
    assert_eq!(over.status(), 409);

    h.post("/v1/get_voice", json!({ "voice_type": "system" })).await;
    h.post("/v1/get_voice", json!({ "voice_type": "all" })).await;
    let voices: Value = h
        .http
        .get(h.url("/_sim/requests?endpoint=/v1/get_voice&since=2"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let entries = voices["requests"].as_array().expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["seq"], 3);
    assert_eq!(entries[0]["body"]["voice_type"], "all");

    let request = json!({ "model": "speech-2.8-turbo", "text": "hi", "output_format": "url",
                          "voice_setting": { "voice_id": "English_expressive_narrator" } });
    let (_, body) = h.post("/v1/t2a_v2", request).await;
    assert_eq!(code(&body), 0, "2 turbo characters cost 1 request, which still fits: {body}");
    assert!(body["data"]["audio"].as_str().is_some_and(|u| u.starts_with("http://sim.example:9/")));
    h.admin("/_sim/reset", json!({})).await;
    let request = json!({ "model": "image-01", "prompt": "x" });
    let (_, body) = h.post("/v1/image_generation", request).await;
    let url = body["data"]["image_urls"][0].as_str().expect("url");
    assert!(url.starts_with("http://sim.example:9/_sim/files/"), "{url}");
}

#[tokio::test]
async fn rpm_limit_and_unknown_paths() {
    let h = Harness::with(SimConfig { rpm: 2, ..config() }).await;
    let ask = json!({ "voice_type": "system" });
    assert_eq!(code(&h.post("/v1/get_voice", ask.clone()).await.1), 0);
    assert_eq!(code(&h.post("/v1/get_voice", ask.clone()).await.1), 0);
    let (status, throttled) = h.post("/v1/get_voice", ask.clone()).await;
    assert_eq!((status.as_u16(), code(&throttled)), (200, 1002));
    assert_eq!(code(&h.post("/v1/lyrics_generation", json!({ "mode": "edit" })).await.1), 0, "per endpoint");
    h.advance(60_000);
    assert_eq!(code(&h.post("/v1/get_voice", ask).await.1), 0, "a minute later");

    let missing = h.http.get(h.url("/v1/nothing_here")).bearer_auth(KEY).send().await.expect("send");
    assert_eq!(missing.status(), 404);
    let log = h.requests().await;
    let last = log["requests"].as_array().expect("log").last().cloned().expect("entry");
    assert_eq!((last["outcome"].as_str(), last["statusCode"].as_i64()), (Some("error"), Some(404)));
}
