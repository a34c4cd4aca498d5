//! `/v1/token_plan/remains`, the legacy path, quota exhaustion (2056) and recovery, key kinds and auth.

use minimax_sim::SimConfig;
use serde_json::{Value, json};

use crate::common::{Harness, PAYGO, code, config};

const HOUR: u64 = 3_600_000;

fn image() -> Value {
    json!({ "model": "image-01", "prompt": "a red kite", "response_format": "base64" })
}

fn chat() -> Value {
    json!({ "model": "MiniMax-M2.7-highspeed", "messages": [{ "role": "user", "content": "hi" }] })
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` into epoch ms (enough for the test).
fn parse_iso(text: &str) -> u64 {
    let n = |range: std::ops::Range<usize>| text[range].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 719_469;
    ((days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)) * 1000) as u64
}

#[tokio::test]
async fn remains_reports_the_window() {
    let h = Harness::with(SimConfig { quota: 4_500, weekly_quota: 45_000, ..config() }).await;
    h.post("/v1/chat/completions", chat()).await;
    let before = h.sim.state().clock.now_ms();
    let (status, body) = h.get("/v1/token_plan/remains").await;
    assert_eq!((status.as_u16(), code(&body)), (200, 0));
    let bucket = &body["model_remains"][0];
    assert_eq!(bucket["current_interval_total_count"], 4500);
    assert_eq!(bucket["current_interval_usage_count"], 2, "highspeed costs 2; counts are used here");
    assert_eq!(bucket["current_interval_remaining_percent"], 99);
    assert_eq!(bucket["current_interval_status"], 1);
    let start = bucket["start_time"].as_u64().expect("start");
    assert_eq!(bucket["end_time"].as_u64(), Some(start + 5 * HOUR));
    assert!(bucket["remains_time"].as_u64().expect("remains") <= 5 * HOUR);
    assert!(start <= before);
    assert_eq!(bucket["current_weekly_total_count"], 45_000);
    for field in [
        "weekly_start_time",
        "weekly_end_time",
        "weekly_remains_time",
        "current_weekly_usage_count",
        "current_weekly_status",
        "current_weekly_remaining_percent",
    ] {
        assert!(bucket[field].is_number(), "{field}");
    }
    let (_, legacy) = h.get("/v1/api/openplatform/coding_plan/remains").await;
    assert_eq!(legacy["model_remains"][0]["current_interval_usage_count"], 4498, "legacy path: remaining");
}

#[tokio::test]
async fn exhaustion_returns_2056_with_a_reset_time_and_recovers() {
    let h = Harness::with(SimConfig { quota: 100, ..config() }).await;
    let first_at = h.sim.state().clock.now_ms();
    assert_eq!(code(&h.post("/v1/image_generation", image()).await.1), 0);
    h.advance(HOUR);
    let (status, refused) = h.post("/v1/image_generation", image()).await;
    assert_eq!(status, 200);
    assert_eq!(code(&refused), 2056);
    let message = refused["base_resp"]["status_msg"].as_str().expect("msg");
    assert!(message.contains("(75/100 used)"), "{message}");
    let reset = parse_iso(message.rsplit("resets at ").next().expect("reset time"));
    assert_eq!(reset / 1000, (first_at + 5 * HOUR) / 1000, "{message}");

    // The OpenAI-compatible endpoint reports it as HTTP 429 with the code in the message: 75 + 12 × 2 = 99
    // fits, the 13th highspeed call does not.
    for _ in 0..12 {
        assert_eq!(h.post("/v1/chat/completions", chat()).await.0, 200);
    }
    let (status, error) = h.post("/v1/chat/completions", chat()).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(error["type"], "error");
    assert_eq!(error["error"]["type"], "rate_limit_error");
    assert_eq!(error["error"]["http_code"], "429");
    let message = error["error"]["message"].as_str().expect("msg");
    assert!(message.contains("resets at ") && message.ends_with("(2056)"), "{message}");
    let (_, body) = h.get("/v1/token_plan/remains").await;
    assert_eq!(body["model_remains"][0]["current_interval_status"], 1, "99/100: one request left");
    let cheap = json!({ "model": "MiniMax-M2.7", "messages": [{ "role": "user", "content": "hi" }] });
    assert_eq!(h.post("/v1/chat/completions", cheap).await.0, 200, "a 1-request call still fits");
    let (_, body) = h.get("/v1/token_plan/remains").await;
    assert_eq!(body["model_remains"][0]["current_interval_status"], 2);
    assert_eq!(body["model_remains"][0]["current_interval_remaining_percent"], 0);

    let log = h.requests().await;
    assert!(log["requests"].as_array().expect("log").iter().any(|r| r["outcome"] == "quota"));
    h.advance(4 * HOUR);
    assert_eq!(code(&h.post("/v1/image_generation", image()).await.1), 0, "the first charge left the window");
}

#[tokio::test]
async fn pay_as_you_go_key_is_free_but_has_no_plan() {
    let h = Harness::with(SimConfig { quota: 10, ..config() }).await;
    for _ in 0..3 {
        assert_eq!(code(&h.post_as(PAYGO, "/v1/image_generation", image()).await.1), 0, "never charged");
    }
    let (status, body) = h.get_as(PAYGO, "/v1/token_plan/remains").await;
    assert_eq!((status.as_u16(), code(&body)), (200, 1004));
    assert_eq!(code(&h.get("/v1/token_plan/remains").await.1), 0);
}

#[tokio::test]
async fn auth_errors_come_with_http_200() {
    let h = Harness::new().await;
    let response = h.http.post(h.url("/v1/t2a_v2")).json(&json!({})).send().await.expect("send");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(code(&body), 1004);
    assert!(body["base_resp"]["status_msg"].as_str().expect("msg").contains("Authorization"));
    let (status, body) = h.post_as("sk-cp-wrong", "/v1/video_generation", json!({})).await;
    assert_eq!((status.as_u16(), code(&body)), (200, 2049));
    assert_eq!(body["base_resp"]["status_msg"], "invalid api key");
    let log = h.requests().await;
    assert_eq!(log["requests"][0]["outcome"], "auth");
    assert_eq!(log["validationFailures"], 0);
}

#[tokio::test]
async fn fixed_windows_reset_at_the_aligned_boundary() {
    let h = Harness::with(SimConfig { quota: 100, fixed_window: true, ..config() }).await;
    let start = h.sim.state().clock.now_ms();
    if 5 * HOUR - start % (5 * HOUR) < 60_000 {
        h.advance(120_000); // Keep clear of a window boundary while the test runs.
    }
    assert_eq!(code(&h.post("/v1/image_generation", image()).await.1), 0);
    let now = h.sim.state().clock.now_ms();
    let window_start = now - now % (5 * HOUR);
    let (_, refused) = h.post("/v1/image_generation", image()).await;
    let message = refused["base_resp"]["status_msg"].as_str().expect("msg");
    let reset = parse_iso(message.rsplit("resets at ").next().expect("reset"));
    assert_eq!(reset, window_start + 5 * HOUR, "{message}");
    let (_, body) = h.get("/v1/token_plan/remains").await;
    assert_eq!(body["model_remains"][0]["start_time"], window_start);
    assert_eq!(body["model_remains"][0]["end_time"], window_start + 5 * HOUR);
    h.advance(window_start + 5 * HOUR - now);
    assert_eq!(code(&h.post("/v1/image_generation", image()).await.1), 0, "a new window");
}
