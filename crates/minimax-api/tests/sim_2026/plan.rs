//! The remains payloads of every plan generation through `client.plan().remains()` and `plan::interpret`.

use std::time::Duration;

use minimax_api::plan::{
    Availability, Gate, PlanGeneration, WindowLength, WindowName, WindowState, interpret,
};
use minimax_api::video_v2::VideoV2Request;
use minimax_sim::{PlanPayload, RemainsQuirk, SimConfig};

use crate::common::{client, now_ms, start};

fn plan(payload: PlanPayload) -> SimConfig {
    SimConfig { quota: 1_000, weekly_quota: 10_000, plan_payload: payload, ..SimConfig::default() }
}

#[tokio::test]
async fn every_generation_is_detected_and_reads_the_simulators_windows() {
    for (payload, generation, buckets) in [
        (PlanPayload::Legacy, PlanGeneration::RequestCounts, 1),
        (PlanPayload::UsagePercent, PlanGeneration::Percent, 2),
        (PlanPayload::MPlan, PlanGeneration::Percent, 1),
    ] {
        let sim = start(plan(payload)).await;
        let client = client(&sim);
        let view = interpret(&client.plan().remains().await.expect("remains"), now_ms(&sim));
        assert_eq!(view.generation, generation, "{payload:?}");
        assert_eq!(view.buckets.len(), buckets, "{payload:?}");
        let text = view.bucket_for(false).expect("a bucket");
        assert_eq!(text.interval.length, Some(WindowLength::FiveHours), "{payload:?}");
        assert_eq!(text.weekly.length, Some(WindowLength::OneWeek), "{payload:?}");
        assert_eq!(text.interval.remaining_percent, Some(100.0), "{payload:?}");
        assert_eq!(view.gate(false), Gate::Room);
    }
}

#[tokio::test]
async fn spend_moves_the_percentages_and_video_only_the_weekly_one() {
    let sim = start(plan(PlanPayload::MPlan)).await;
    let client = client(&sim);
    let remains = |client: &minimax_api::MiniMaxClient| {
        let client = client.clone();
        async move { client.plan().remains().await.expect("remains") }
    };
    client
        .video_v2()
        .create(&VideoV2Request::text_to_video("MiniMax-H3", "waves", "768P", 4, "16:9"))
        .await
        .expect("video"); // 3,000 requests, weekly only
    let view = interpret(&remains(&client).await, now_ms(&sim));
    let general = view.bucket("general").expect("general");
    assert_eq!(general.interval.remaining_percent, Some(100.0));
    assert_eq!(general.weekly.remaining_percent, Some(70.0));
    assert_eq!(general.weekly.used_percent, Some(30.0));
    // Another tool on the same key spends 60 % of the 5-hour window: the app sees it without having made it.
    let elsewhere = sim.state().charge(minimax_sim::state::KeyKind::TokenPlan, 600, false);
    assert!(elsewhere.is_ok());
    let view = interpret(&remains(&client).await, now_ms(&sim));
    assert_eq!(view.bucket("general").expect("general").interval.remaining_percent, Some(40.0));
    sim.state().charge(minimax_sim::state::KeyKind::TokenPlan, 400, false).expect("fills the window");
    let view = interpret(&remains(&client).await, now_ms(&sim));
    assert!(matches!(
        view.gate(false),
        Gate::Blocked { window: WindowName::Interval, resets_at_ms: Some(_) }
    ));
    assert_eq!(view.gate(true), Gate::Room, "video still has weekly room");
    sim.advance(Duration::from_secs(5 * 3600));
    let view = interpret(&remains(&client).await, now_ms(&sim));
    assert_eq!(view.gate(false), Gate::Room, "the 5-hour window reset");
}

#[tokio::test]
async fn boosts_odd_shapes_and_not_in_plan_rows_never_break_the_view() {
    let config = SimConfig {
        interval_boost_permille: Some(2_000),
        weekly_boost_permille: Some(3_000),
        remains_quirks: vec![RemainsQuirk::PercentStrings, RemainsQuirk::NotInPlan],
        ..plan(PlanPayload::UsagePercent)
    };
    let sim = start(config).await;
    let client = client(&sim);
    let remains = client.plan().remains().await.expect("odd shapes still parse");
    let view = interpret(&remains, now_ms(&sim));
    let general = view.bucket("general").expect("general");
    assert_eq!(general.interval.remaining_percent, Some(200.0), "100 % × 2000 ‰");
    assert!(general.interval.boosted);
    assert_eq!(general.weekly.remaining_percent, Some(200.0), "clamped at 200");
    assert_eq!(view.bucket("video").expect("video").availability, Availability::NotInPlan);
    assert_eq!(view.gate(true), Gate::NotInPlan);
    let counts = SimConfig {
        remains_quirks: vec![RemainsQuirk::CountsRemaining, RemainsQuirk::MissingFields],
        ..plan(PlanPayload::MPlan)
    };
    let sim = start(counts).await;
    let client = self::client(&sim);
    sim.state().charge(minimax_sim::state::KeyKind::TokenPlan, 250, false).expect("spend");
    let view = interpret(&client.plan().remains().await.expect("remains"), now_ms(&sim));
    let general = view.bucket("general").expect("general");
    let counts = general.interval.counts.expect("counts agree when read as remaining");
    assert_eq!((counts.used, counts.total, counts.inverted), (250, 1_000, true));
    assert_eq!(
        general.weekly.state,
        WindowState::Available,
        "the missing weekly status falls back to the share"
    );
    assert!(general.interval.resets_at_ms.is_some(), "end_time stands in for the missing remains_time");
}
