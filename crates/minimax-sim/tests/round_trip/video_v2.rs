//! Video V2 (H3): create, the task lifecycle over time, `content.url` downloads, list paging, delete and
//! cancel, expiry, the OpenAI-style errors with real HTTP statuses, the 2013 refusal of a plan key without
//! H3, and faults.

use minimax_sim::SimConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Harness, KEY, PAYGO, config, download};

fn t2v() -> Value {
    json!({ "model": "MiniMax-H3", "content": [{ "type": "text", "text": "A captain at a window" }],
            "resolution": "768P", "duration": 5, "ratio": "16:9" })
}

async fn create(h: &Harness, body: Value) -> String {
    let (status, answer) = h.post("/v2/video_generation", body).await;
    assert_eq!(status, 200, "{answer}");
    answer["task_id"].as_str().expect("task_id string").to_owned()
}

async fn task(h: &Harness, id: &str) -> Value {
    let (status, body) = h.get(&format!("/v2/query/video_generation/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body["task"].clone()
}

async fn delete(h: &Harness, id: &str) -> (StatusCode, Value) {
    let response = h
        .http
        .delete(h.url(&format!("/v2/video_generation/{id}")))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.json().await.expect("json"))
}

fn assert_v2_error(status: StatusCode, body: &Value, http: u16, error_type: &str, code: i64) {
    assert_eq!(status.as_u16(), http, "{body}");
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], error_type, "{body}");
    assert_eq!(body["error"]["http_code"], http.to_string());
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.ends_with(&format!("({code})")), "{message}");
}

#[tokio::test]
async fn a_task_goes_queued_running_succeeded_and_its_url_downloads() {
    let h = Harness::with(SimConfig { video_v2_task_ms: 10_000, ..config() }).await;
    let id = create(&h, t2v()).await;
    let mut seen = Vec::new();
    for _ in 0..6 {
        let task = task(&h, &id).await;
        let status = task["status"].as_str().expect("status").to_owned();
        if status != "succeeded" {
            assert!(task.get("content").is_none(), "{task}");
        }
        if seen.last() != Some(&status) {
            seen.push(status);
        }
        h.advance(2_500);
    }
    assert_eq!(seen, ["queued", "running", "succeeded"]);
    let done = task(&h, &id).await;
    assert_eq!(
        (done["model"].clone(), done["resolution"].clone(), done["duration"].clone()),
        (json!("MiniMax-H3"), json!("768P"), json!(5))
    );
    assert_eq!(done["usage"]["output_seconds"], 5);
    assert_eq!(done["task_type"], "generation");
    let url = done["content"]["url"].as_str().expect("url");
    let (status, headers, bytes) = download(&h.http, url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(&bytes[4..8], b"ftyp");
    h.advance(3_600_000);
    assert_eq!(download(&h.http, url).await.0, 403, "content.url is time-limited");
    let fresh = task(&h, &id).await;
    assert_eq!(
        download(&h.http, fresh["content"]["url"].as_str().expect("url")).await.0,
        200,
        "query again for a fresh URL"
    );
    h.advance(7 * 86_400_000);
    assert_eq!(task(&h, &id).await["status"], "expired");
    let (_, list) = h.get("/v2/query/video_generation").await;
    assert_eq!(list["total"], 0, "the list shows the last 7 days only");
}

#[tokio::test]
async fn list_pages_filters_and_delete_cancels_or_deletes() {
    let h = Harness::with(SimConfig { video_v2_task_ms: 10_000, ..config() }).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(create(&h, t2v()).await);
        h.advance(10);
    }
    let max = json!({ "model": "MiniMax-H3-Max", "content": [{ "type": "text", "text": "door" },
        { "type": "image_url", "image_url": { "url": "https://x/a.png" } }], "resolution": "480P", "duration": 5 });
    let max_id = create(&h, max).await;
    let (_, page) = h.get("/v2/query/video_generation?page_num=1&page_size=4").await;
    assert_eq!(page["total"], 6);
    assert_eq!(page["items"].as_array().expect("items").len(), 4);
    assert_eq!(page["items"][0]["id"], max_id.as_str(), "newest first");
    let (_, second) = h.get("/v2/query/video_generation?page_num=2&page_size=4").await;
    assert_eq!(second["items"].as_array().expect("items").len(), 2);
    assert_eq!(second["items"][1]["id"], ids[0].as_str());
    let (_, only_max) = h.get("/v2/query/video_generation?filter.model=MiniMax-H3-Max").await;
    assert_eq!(only_max["total"], 1);
    assert_eq!(only_max["items"][0]["ratio"], "adaptive", "frames are always adaptive");
    let (_, picked) =
        h.get(&format!("/v2/query/video_generation?filter.task_ids={},{}", ids[1], ids[2])).await;
    assert_eq!(picked["total"], 2);
    let used_before = h.sim.state().lock().ledger.used(h.sim.state().clock.now_ms(), 3_600_000);
    let (status, cancelled) = delete(&h, &ids[4]).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled, json!({ "task_id": ids[4], "action": "cancelled", "status": "cancelled" }));
    let used_after = h.sim.state().lock().ledger.used(h.sim.state().clock.now_ms(), 3_600_000);
    assert_eq!(used_before - used_after, 3_750, "a cancelled queued task costs nothing");
    let (status, again) = delete(&h, &ids[4]).await;
    assert_v2_error(status, &again, 400, "bad_request_error", 2013);
    h.advance(5_000);
    let (status, running) = delete(&h, &ids[3]).await;
    assert_v2_error(status, &running, 400, "bad_request_error", 2013);
    h.advance(10_000);
    let (status, deleted) = delete(&h, &ids[0]).await;
    assert_eq!((status.as_u16(), deleted["action"].clone()), (200, json!("deleted")));
    let (status, gone) = h.get(&format!("/v2/query/video_generation/{}", ids[0])).await;
    assert_v2_error(status, &gone, 400, "bad_request_error", 2013);
    let (_, queued) = h.get("/v2/query/video_generation?filter.status=cancelled").await;
    assert_eq!(queued["total"], 1);
    let (status, bad) = h.get("/v2/query/video_generation?page_size=500").await;
    assert_v2_error(status, &bad, 400, "bad_request_error", 2013);
}

#[tokio::test]
async fn validation_errors_are_400_with_the_code_in_the_message() {
    let h = Harness::new().await;
    let text = |t: &str| json!({ "type": "text", "text": t });
    let image =
        |role: &str| json!({ "type": "image_url", "image_url": { "url": "https://x/a.png" }, "role": role });
    let audio =
        json!({ "type": "audio_url", "audio_url": { "url": "https://x/a.mp3" }, "role": "reference_audio" });
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = t2v();
        change(&mut body);
        body
    };
    let cases = [
        (with(&|b| b["model"] = json!("MiniMax-Hailuo-2.3")), "model"),
        (with(&|b| b["content"] = json!([])), "content"),
        (with(&|b| b["content"] = json!([text("  ")])), "content"),
        (with(&|b| b["content"] = json!([text(&"x".repeat(7_001))])), "content.text"),
        (with(&|b| b["ratio"] = json!("adaptive")), "ratio"),
        (with(&|b| b["resolution"] = json!("480P")), "resolution"),
        (with(&|b| b["duration"] = json!(16)), "duration"),
        (
            with(&|b| b["content"] = json!([text("x"), image("first_frame"), image("reference_image")])),
            "content",
        ),
        (with(&|b| b["content"] = json!([text("x"), audio.clone()])), "content"),
        (
            with(&|b| {
                b["model"] = json!("MiniMax-H3-Max");
                b["content"] = json!([text("x"), image("reference_image")])
            }),
            "content",
        ),
        (
            with(&|b| {
                b["model"] = json!("MiniMax-H3-Max");
                b["duration"] = json!(4)
            }),
            "duration",
        ),
        (with(&|b| b["extra"] = json!({ "prompt_expansion_mode": "balanced" })), "extra"),
        (
            with(&|b| {
                b["model"] = json!("MiniMax-H3-Max");
                b["extra"] = json!({ "other": 1 })
            }),
            "extra.other",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = h.post("/v2/video_generation", body).await;
        assert_v2_error(status, &answer, 400, "bad_request_error", 2013);
        let message = answer["error"]["message"].as_str().expect("message");
        assert!(message.starts_with("invalid params") && message.contains(field), "{field}: {message}");
    }
    assert_eq!(h.requests().await["validationFailures"], 13);
}

#[tokio::test]
async fn a_plan_key_without_h3_gets_2013_naming_the_token_plan() {
    let h = Harness::with(SimConfig { h3_access: false, ..config() }).await;
    let (status, body) = h.post("/v2/video_generation", t2v()).await;
    assert_v2_error(status, &body, 400, "bad_request_error", 2013);
    assert!(body["error"]["message"].as_str().expect("msg").contains("TokenPlan"));
    let (status, _) = h.post_as(PAYGO, "/v2/video_generation", t2v()).await;
    assert_eq!(status, 200, "a pay-as-you-go key may use H3");
    h.admin("/_sim/entitlements", json!({ "h3": true })).await;
    assert_eq!(h.post("/v2/video_generation", t2v()).await.0, 200);
}

#[tokio::test]
async fn auth_quota_and_faults_use_real_http_statuses() {
    let h = Harness::with(SimConfig { weekly_quota: 4_000, ..config() }).await;
    let (status, body) = h.post_as("sk-cp-wrong", "/v2/video_generation", t2v()).await;
    assert_v2_error(status, &body, 401, "authorized_error", 2049);
    assert_eq!(h.post("/v2/video_generation", t2v()).await.0, 200);
    let (status, body) = h.post("/v2/video_generation", t2v()).await;
    assert_v2_error(status, &body, 429, "rate_limit_error", 2056);
    assert!(body["error"]["message"].as_str().expect("msg").contains("resets at"));
    for (fault, http, error_type, code) in [
        (json!({ "kind": "http500" }), 500, "api_error", 1000),
        (
            json!({ "kind": "baseResp", "code": 1008, "msg": "insufficient balance" }),
            402,
            "insufficient_balance_error",
            1008,
        ),
        (json!({ "kind": "contentFlagged" }), 422, "unprocessable_entity_error", 1026),
        (json!({ "kind": "rateLimit" }), 429, "rate_limit_error", 1002),
    ] {
        let mut fault = fault;
        fault["endpoint"] = json!("/v2/query/video_generation/{task_id}");
        h.admin("/_sim/faults", fault).await;
        let (status, body) = h.get("/v2/query/video_generation/1").await;
        assert_v2_error(status, &body, http, error_type, code);
    }
    let h = Harness::with(SimConfig { video_v2_task_ms: 1_000, ..config() }).await;
    h.admin("/_sim/faults", json!({ "endpoint": "/v2/video_generation", "kind": "taskFail" })).await;
    let id = create(&h, t2v()).await;
    h.advance(1_000);
    let failed = task(&h, &id).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"]["code"], "1026");
}
