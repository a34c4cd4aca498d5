//! Video V2 (H3) round trips: create → poll → download, list and reconcile, cancel and delete, errors.

use std::time::Duration;

use minimax_api::video_v2::{
    ContentItem, MediaRole, VideoV2ListRequest, VideoV2Request, VideoV2StatusFilter,
};
use minimax_api::{ErrorKind, TaskStatus};
use minimax_sim::{FaultKind, SimConfig};

use crate::common::{PAYGO, arm, assert_clean, client, client_with_key, requests_to, roomy, start};

fn t2v() -> VideoV2Request {
    VideoV2Request::text_to_video("MiniMax-H3", "A captain at a huge observation window", "2K", 5, "16:9")
}

#[tokio::test]
async fn create_poll_download_a_text_a_frame_and_a_reference_clip() {
    let sim = start(SimConfig { video_v2_task_ms: 20_000, ..roomy() }).await;
    let client = client(&sim);
    let frames = VideoV2Request {
        model: "MiniMax-H3-Max".into(),
        content: vec![
            ContentItem::text("The door swings open"),
            ContentItem::image("https://cdn.example.com/start.png", MediaRole::FirstFrame),
            ContentItem::image("https://cdn.example.com/end.png", MediaRole::LastFrame),
        ],
        resolution: "480P".into(),
        duration: 5,
        ..VideoV2Request::default()
    };
    let reference = VideoV2Request {
        content: vec![
            ContentItem::text("Reference image 1 is the hero"),
            ContentItem::image("mm_file://205258526306433", MediaRole::ReferenceImage),
            ContentItem::audio("https://cdn.example.com/voice.mp3"),
        ],
        resolution: "768P".into(),
        duration: 8,
        ratio: Some("9:16".into()),
        generate_audio: Some(false),
        ..t2v()
    };
    for request in [t2v(), frames, reference] {
        let created = client.video_v2().create(&request).await.expect("create");
        let first = client.video_v2().query(&created.task_id).await.expect("query");
        assert_eq!(first.task.status, TaskStatus::Queueing);
        assert!(first.task.cancellable());
        sim.advance(Duration::from_secs(10));
        assert_eq!(
            client.video_v2().query(&created.task_id).await.expect("query").task.status,
            TaskStatus::Processing
        );
        sim.advance(Duration::from_secs(10));
        let done = client.video_v2().query(&created.task_id).await.expect("query").task;
        assert_eq!(done.status, TaskStatus::Success);
        assert!(done.status.is_terminal());
        assert_eq!(done.duration, Some(i64::from(request.duration)));
        let url = done.video_url().expect("content.url").to_owned();
        let mut file = Vec::new();
        let written = client.video_v2().download(&url, &mut file).await.expect("download");
        assert_eq!(written as usize, file.len());
        assert_eq!(&file[4..8], b"ftyp");
    }
    assert_clean(&sim);
}

#[tokio::test]
async fn the_list_reconciles_and_delete_cancels_or_removes() {
    let sim = start(SimConfig { video_v2_task_ms: 10_000, ..roomy() }).await;
    let client = client(&sim);
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(client.video_v2().create(&t2v()).await.expect("create").task_id);
        sim.advance(Duration::from_millis(5));
    }
    let page = client
        .video_v2()
        .list(&VideoV2ListRequest { page_size: 2, ..VideoV2ListRequest::default() })
        .await
        .expect("list");
    assert_eq!(page.total, Some(3));
    assert_eq!(
        page.items.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        [ids[2].as_str(), ids[1].as_str()]
    );
    let picked = client
        .video_v2()
        .list(&VideoV2ListRequest { task_ids: vec![ids[0].clone()], ..VideoV2ListRequest::default() })
        .await
        .expect("list by id");
    assert_eq!(picked.items.len(), 1);
    let cancelled = client.video_v2().delete(&ids[2]).await.expect("cancel");
    assert_eq!((cancelled.action.as_str(), cancelled.status.as_str()), ("cancelled", "cancelled"));
    let status = client.video_v2().query(&ids[2]).await.expect("query").task.status;
    assert_eq!(status, TaskStatus::Cancelled);
    assert!(status.is_terminal());
    let only_cancelled = client
        .video_v2()
        .list(&VideoV2ListRequest {
            status: Some(VideoV2StatusFilter::Cancelled),
            ..VideoV2ListRequest::default()
        })
        .await
        .expect("list");
    assert_eq!(only_cancelled.total, Some(1));
    sim.advance(Duration::from_secs(5));
    let running = client.video_v2().delete(&ids[1]).await.expect_err("a running task is refused");
    assert_eq!(running.kind(), ErrorKind::InvalidParams);
    assert_eq!(running.code(), Some(2013));
    sim.advance(Duration::from_secs(10));
    assert_eq!(client.video_v2().delete(&ids[0]).await.expect("delete").action, "deleted");
    let gone = client.video_v2().query(&ids[0]).await.expect_err("deleted");
    assert_eq!(gone.code(), Some(2013));
    sim.advance(Duration::from_secs(7 * 86_400));
    assert_eq!(client.video_v2().query(&ids[1]).await.expect("query").task.status, TaskStatus::Expired);
    assert_clean(&sim);
}

#[tokio::test]
async fn a_plan_key_without_h3_is_not_in_plan_and_a_pay_as_you_go_key_works() {
    let sim = start(SimConfig { h3_access: false, ..roomy() }).await;
    let error = client(&sim).video_v2().create(&t2v()).await.expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::ModelNotInPlan, "{error}");
    assert_eq!(error.code(), Some(2013));
    assert!(!error.retryable());
    assert_eq!(requests_to(&sim, "/v2/video_generation").len(), 1, "never resubmitted");
    client_with_key(&sim, PAYGO).video_v2().create(&t2v()).await.expect("pay-as-you-go works");
}

#[tokio::test]
async fn http_errors_map_to_their_kinds_and_a_lost_create_is_never_repeated() {
    let sim = start(SimConfig { weekly_quota: 4_000, ..SimConfig::default() }).await;
    let client = client(&sim);
    client.video_v2().create(&VideoV2Request { resolution: "768P".into(), ..t2v() }).await.expect("fits");
    let quota = client
        .video_v2()
        .create(&VideoV2Request { resolution: "768P".into(), ..t2v() })
        .await
        .expect_err("week full");
    assert_eq!(quota.kind(), ErrorKind::QuotaExhausted);
    assert!(quota.reset_at().is_some());
    arm(&sim, "/v2/query/video_generation/{task_id}", FaultKind::Http500, 1);
    arm(
        &sim,
        "/v2/query/video_generation/{task_id}",
        FaultKind::BaseResp { code: 1008, msg: "insufficient balance".into() },
        1,
    );
    let balance = client.video_v2().query("1").await.expect_err("fault");
    assert_eq!(balance.kind(), ErrorKind::InsufficientBalance, "the 500 was retried, then 402");
    let sim2 = start(roomy()).await;
    arm(&sim2, "/v2/video_generation", FaultKind::CutMidBody, 1);
    let lost = crate::common::client(&sim2).video_v2().create(&t2v()).await.expect_err("cut");
    assert_eq!(lost.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(requests_to(&sim2, "/v2/video_generation").len(), 1);
    let invalid = client
        .video_v2()
        .create(&VideoV2Request { ratio: Some("adaptive".into()), ..t2v() })
        .await
        .expect_err("refused locally");
    assert_eq!(invalid.kind(), ErrorKind::Validation);
}
