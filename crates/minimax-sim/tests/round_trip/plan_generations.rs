//! The three remains payloads (legacy counts, usage-based percent, M Plan), their percentages moving with
//! spend (video only weekly), spend from another tool on the same key, and the odd shapes.

use minimax_sim::{PlanPayload, SimConfig};
use serde_json::{Value, json};

use crate::common::{Harness, code, config};

fn plan(payload: PlanPayload) -> SimConfig {
    SimConfig { quota: 1_000, weekly_quota: 10_000, plan_payload: payload, ..config() }
}

fn image() -> Value {
    json!({ "model": "image-01", "prompt": "a red kite", "response_format": "base64" })
}

fn video() -> Value {
    json!({ "model": "MiniMax-Hailuo-02", "prompt": "waves", "resolution": "512P", "first_frame_image": "https://x/a.png" })
}

async fn rows(h: &Harness) -> Vec<Value> {
    let (_, body) = h.get("/v1/token_plan/remains").await;
    assert_eq!(code(&body), 0, "{body}");
    body["model_remains"].as_array().expect("rows").clone()
}

#[tokio::test]
async fn legacy_counts_stay_the_default() {
    let h = Harness::with(SimConfig { quota: 1_000, weekly_quota: 10_000, ..config() }).await;
    let rows = rows(&h).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["model_name"], "MiniMax-M*");
    assert_eq!(rows[0]["current_interval_total_count"], 1_000);
}

#[tokio::test]
async fn m_plan_percentages_move_and_video_counts_only_weekly() {
    let h = Harness::with(plan(PlanPayload::MPlan)).await;
    let fresh = rows(&h).await;
    assert_eq!(fresh.len(), 1, "M Plan: a general row only");
    let general = &fresh[0];
    assert_eq!(general["model_name"], "general");
    assert_eq!(general["current_interval_total_count"], 0);
    assert_eq!(general["current_interval_remaining_percent"], 100);
    assert_eq!(general["current_weekly_remaining_percent"], 100);
    assert!(general.get("weekly_boost_permille").is_none());
    assert_eq!(code(&h.post("/v1/image_generation", image()).await.1), 0); // 75
    let after_image = rows(&h).await;
    assert_eq!(after_image[0]["current_interval_remaining_percent"], 92, "75 of 1000");
    assert_eq!(after_image[0]["current_weekly_remaining_percent"], 99, "75 of 10000");
    assert_eq!(code(&h.post("/v1/video_generation", video()).await.1), 0); // 1,500, weekly only
    let after_video = rows(&h).await;
    assert_eq!(
        after_video[0]["current_interval_remaining_percent"], 92,
        "video leaves the 5-hour window alone"
    );
    assert_eq!(after_video[0]["current_weekly_remaining_percent"], 84);
    // A 1,500 video fits even though the 5-hour window only has 925 left.
    assert_eq!(code(&h.post("/v1/video_generation", video()).await.1), 0);
}

#[tokio::test]
async fn usage_percent_has_general_and_video_rows_with_boosts() {
    let config = SimConfig {
        interval_boost_permille: Some(2_000),
        weekly_boost_permille: Some(1_500),
        ..plan(PlanPayload::UsagePercent)
    };
    let h = Harness::with(config).await;
    assert_eq!(code(&h.post("/v1/video_generation", video()).await.1), 0);
    let rows = rows(&h).await;
    let names: Vec<&str> = rows.iter().map(|r| r["model_name"].as_str().expect("name")).collect();
    assert_eq!(names, ["general", "video"]);
    assert_eq!(rows[0]["interval_boost_permille"], 2_000);
    assert_eq!(rows[0]["weekly_boost_permille"], 1_500);
    assert_eq!(rows[0]["current_interval_remaining_percent"], 100);
    assert_eq!(rows[0]["current_weekly_remaining_percent"], 85);
    assert_eq!(rows[1]["current_interval_remaining_percent"], 85, "the video row shows the weekly share");
    let day = rows[1]["end_time"].as_u64().expect("end") - rows[1]["start_time"].as_u64().expect("start");
    assert_eq!(day, 24 * 3_600_000);
}

#[tokio::test]
async fn spend_from_elsewhere_drops_the_remains() {
    let h = Harness::with(plan(PlanPayload::MPlan)).await;
    let answer = h.admin("/_sim/quota/elsewhere", json!({ "percent": 30 })).await;
    assert_eq!(answer["charged"], 300);
    assert_eq!(answer["spentElsewhere"], 300);
    assert_eq!(answer["remains"]["model_remains"][0]["current_interval_remaining_percent"], 70);
    let answer =
        h.admin("/_sim/quota/elsewhere", json!({ "percent": 10, "window": "weekly", "video": true })).await;
    assert_eq!(answer["charged"], 1_000);
    let rows = rows(&h).await;
    assert_eq!(rows[0]["current_interval_remaining_percent"], 70);
    assert_eq!(rows[0]["current_weekly_remaining_percent"], 87);
    let refused = h
        .http
        .post(h.url("/_sim/quota/elsewhere"))
        .json(&json!({ "cost": 5_000 }))
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 409, "the plan refuses the other tool too");
}

#[tokio::test]
async fn the_admin_call_switches_payloads_and_sends_odd_shapes() {
    let h = Harness::new().await;
    let body = h
        .admin("/_sim/plan", json!({ "payload": "usagePercent", "quirks": ["percentStrings", "notInPlan"] }))
        .await;
    let rows = body["model_remains"].as_array().expect("rows");
    assert_eq!(rows[0]["current_interval_remaining_percent"], "100");
    assert_eq!(rows[0]["current_interval_status"], "1");
    let video = rows.iter().find(|r| r["model_name"] == "video").expect("video row");
    assert_eq!(
        (video["current_interval_status"].clone(), video["current_weekly_total_count"].clone()),
        (json!("3"), json!(0))
    );
    let body = h
        .admin("/_sim/plan", json!({ "payload": "mPlan", "quirks": ["missingFields", "countsRemaining"] }))
        .await;
    let general = &body["model_remains"][0];
    assert!(general.get("remains_time").is_none() && general.get("start_time").is_none());
    assert!(general.get("end_time").is_some());
    assert_eq!(
        general["current_interval_usage_count"], general["current_interval_total_count"],
        "nothing used: all remains"
    );
    let body = h.admin("/_sim/plan", json!({ "payload": "legacy", "quirks": [] })).await;
    assert_eq!(body["model_remains"][0]["model_name"], "MiniMax-M*");
    let bad =
        h.http.post(h.url("/_sim/plan")).json(&json!({ "payload": "gold" })).send().await.expect("send");
    assert_eq!(bad.status(), 400);
}
