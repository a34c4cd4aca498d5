//! `/v1/video_generation`, its query, file retrieve and downloads with Range and expiry.

use minimax_sim::SimConfig;
use serde_json::{Value, json};

use crate::common::{Harness, KEY, assert_invalid, code, config, download};

const IMAGE: &str = "https://example.com/first.jpg";

async fn create(h: &Harness, request: Value) -> String {
    let (_, body) = h.post("/v1/video_generation", request).await;
    assert_eq!(code(&body), 0, "{body}");
    body["task_id"].as_str().expect("task_id is a string").to_owned()
}

#[tokio::test]
async fn task_advances_through_every_status_and_downloads() {
    let h = Harness::new().await;
    let task = create(
        &h,
        json!({ "model": "MiniMax-Hailuo-2.3", "prompt": "A man picks up a book [Pedestal up]", "duration": 6, "resolution": "1080P" }),
    )
    .await;
    let query = format!("/v1/query/video_generation?task_id={task}");
    let mut seen = Vec::new();
    for _ in 0..12 {
        let (_, body) = h.get(&query).await;
        let status = body["status"].as_str().expect("status").to_owned();
        if status != "Success" {
            assert!(body.get("file_id").is_none(), "file_id only on success: {body}");
        }
        if seen.last() != Some(&status) {
            seen.push(status);
        }
        h.advance(3_000);
    }
    assert_eq!(seen, ["Preparing", "Queueing", "Processing", "Success"]);
    let (_, done) = h.get(&query).await;
    assert_eq!((done["video_width"].as_u64(), done["video_height"].as_u64()), (Some(1920), Some(1080)));
    let file_id = done["file_id"].as_str().expect("file_id string");
    let (_, file) = h.get(&format!("/v1/files/retrieve?file_id={file_id}")).await;
    assert_eq!(file["file"]["purpose"], "video_generation");
    let url = file["file"]["download_url"].as_str().expect("url").to_owned();
    let (status, headers, bytes) = download(&h.http, &url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(&bytes[4..8], b"ftyp");

    let partial = h.http.get(&url).header("Range", "bytes=4-7").send().await.expect("send");
    assert_eq!(partial.status(), 206);
    assert_eq!(partial.headers()["content-range"], format!("bytes 4-7/{}", bytes.len()));
    assert_eq!(partial.bytes().await.expect("bytes").as_ref(), b"ftyp");
    let beyond =
        h.http.get(&url).header("Range", format!("bytes={}-", bytes.len())).send().await.expect("send");
    assert_eq!(beyond.status(), 416);

    let content = h
        .http
        .get(h.url(&format!("/v1/files/retrieve_content?file_id={file_id}")))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("send");
    assert_eq!(content.bytes().await.expect("bytes").len(), bytes.len());

    let forged = url.replace("Signature=", "Signature=0");
    assert_eq!(download(&h.http, &forged).await.0, 403);
    h.advance(3_600_000);
    let (status, _, _) = download(&h.http, &url).await;
    assert_eq!(status, 403, "video links live 1 h");
    let (_, fresh) = h.get(&format!("/v1/files/retrieve?file_id={file_id}")).await;
    assert_eq!(download(&h.http, fresh["file"]["download_url"].as_str().expect("url")).await.0, 200);
}

#[tokio::test]
async fn padded_video_streams_its_full_size() {
    let h = Harness::with(SimConfig { video_size: 3 << 20, video_task_ms: 1_000, ..config() }).await;
    let task = create(&h, json!({ "model": "MiniMax-Hailuo-02", "prompt": "waves" })).await;
    h.advance(1_000);
    let (_, done) = h.get(&format!("/v1/query/video_generation?task_id={task}")).await;
    let (_, file) =
        h.get(&format!("/v1/files/retrieve?file_id={}", done["file_id"].as_str().expect("id"))).await;
    assert_eq!(file["file"]["bytes"], 3 << 20);
    let url = file["file"]["download_url"].as_str().expect("url");
    let (_, headers, bytes) = download(&h.http, url).await;
    assert_eq!(headers["content-length"], (3u64 << 20).to_string().as_str());
    assert_eq!(bytes.len(), 3 << 20);
    let tail = h.http.get(url).header("Range", "bytes=-10").send().await.expect("send");
    assert_eq!(tail.bytes().await.expect("bytes").as_ref(), &[0u8; 10]);
}

#[tokio::test]
async fn model_resolution_duration_rules() {
    let h = Harness::new().await;
    let cases = [
        (
            json!({ "model": "MiniMax-Hailuo-2.3", "prompt": "x", "resolution": "1080P", "duration": 10 }),
            "duration",
        ),
        (json!({ "model": "MiniMax-Hailuo-2.3", "prompt": "x", "resolution": "512P" }), "resolution"),
        (json!({ "model": "MiniMax-Hailuo-02", "prompt": "x", "resolution": "512P" }), "resolution"),
        (json!({ "model": "MiniMax-Hailuo-2.3-Fast", "prompt": "x" }), "first_frame_image"),
        (
            json!({ "model": "MiniMax-Hailuo-2.3", "first_frame_image": IMAGE, "last_frame_image": IMAGE }),
            "last_frame_image",
        ),
        (json!({ "model": "MiniMax-Hailuo-02", "last_frame_image": IMAGE }), "first_frame_image"),
        (
            json!({ "model": "MiniMax-Hailuo-02", "first_frame_image": IMAGE, "last_frame_image": IMAGE, "resolution": "512P" }),
            "resolution",
        ),
        (json!({ "model": "T2V-01", "prompt": "x", "resolution": "768P" }), "resolution"),
        (json!({ "model": "T2V-01" }), "prompt"),
        (json!({ "model": "MiniMax-Hailuo-2.3", "first_frame_image": "ftp://x" }), "first_frame_image"),
        (json!({ "model": "S2V-01", "prompt": "x" }), "subject_reference"),
        (json!({ "model": "MiniMax-Hailuo-2.3", "prompt": "x".repeat(2001) }), "prompt"),
        (json!({ "model": "Hailuo-3", "prompt": "x" }), "model"),
    ];
    for (request, field) in cases {
        let (_, body) = h.post("/v1/video_generation", request.clone()).await;
        assert_invalid(&body, field);
    }
    let fine = [
        json!({ "model": "MiniMax-Hailuo-02", "first_frame_image": IMAGE, "resolution": "512P", "duration": 10 }),
        json!({ "model": "MiniMax-Hailuo-2.3-Fast", "first_frame_image": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAE" }),
        json!({ "model": "MiniMax-Hailuo-02", "first_frame_image": IMAGE, "last_frame_image": IMAGE, "resolution": "1080P" }),
        json!({ "model": "T2V-01", "prompt": "x" }),
        json!({ "model": "S2V-01", "subject_reference": [{ "type": "character", "image": [IMAGE] }] }),
    ];
    let h = Harness::with(SimConfig { quota: 1_000_000, weekly_quota: 0, ..config() }).await;
    for request in fine {
        create(&h, request).await;
    }
    let (_, unknown) = h.get("/v1/query/video_generation?task_id=123").await;
    assert_invalid(&unknown, "task_id");
}
