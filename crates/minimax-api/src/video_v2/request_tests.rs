//! The V2 validation table (minimax-api-2026.md §8 item 8) and the documented request shapes (§3.2).

use super::*;

const IMAGE: &str = "https://cdn.example.com/start.png";

fn t2v(model: &str) -> VideoV2Request {
    VideoV2Request::text_to_video(model, "A captain at a huge window", "768P", 5, "16:9")
}

fn with(model: &str, change: impl FnOnce(&mut VideoV2Request)) -> VideoV2Request {
    let mut request = t2v(model);
    change(&mut request);
    request
}

fn push(request: &mut VideoV2Request, items: impl IntoIterator<Item = ContentItem>) {
    request.content.extend(items);
}

#[test]
fn documented_examples_serialize_as_documented_and_are_valid() {
    let request = VideoV2Request {
        resolution: "2K".into(),
        generate_audio: Some(true),
        ..VideoV2Request::text_to_video(H3, "Epic space-opera teaser", "2K", 5, "16:9")
    };
    assert!(request.validate().is_ok());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({ "model": "MiniMax-H3", "content": [{ "type": "text", "text": "Epic space-opera teaser" }],
                            "resolution": "2K", "duration": 5, "ratio": "16:9", "generate_audio": true })
    );
    let reference = VideoV2Request {
        content: vec![
            ContentItem::text("Reference image 1 is the hero"),
            ContentItem::image("mm_file://205258526306433", MediaRole::ReferenceImage),
            ContentItem::audio("https://cdn.example.com/voice.mp3"),
        ],
        duration: 8,
        ratio: Some("9:16".into()),
        ..t2v(H3)
    };
    assert_eq!(reference.mode(), VideoV2Mode::ReferenceToVideo);
    assert!(reference.validate().is_ok(), "{:?}", reference.validate());
    let json = serde_json::to_value(&reference).unwrap();
    assert_eq!(json["content"][1]["image_url"]["url"], "mm_file://205258526306433");
    assert_eq!(json["content"][1]["role"], "reference_image");
    assert_eq!(json["content"][2]["type"], "audio_url");
    let frames = VideoV2Request {
        model: H3_MAX.into(),
        content: vec![
            ContentItem::text("The door swings open"),
            ContentItem::image(IMAGE, MediaRole::FirstFrame),
            ContentItem::image("https://cdn.example.com/end.png", MediaRole::LastFrame),
        ],
        resolution: "480P".into(),
        duration: 5,
        ratio: None,
        extra: Some(VideoV2Extra { prompt_expansion_mode: Some("balanced".into()) }),
        ..VideoV2Request::default()
    };
    assert_eq!(frames.mode(), VideoV2Mode::ImageToVideo);
    assert!(frames.validate().is_ok(), "{:?}", frames.validate());
}

#[test]
fn validation_table() {
    let lone_image = ContentItem::ImageUrl { image_url: MediaUrl { url: IMAGE.into() }, role: None };
    let cases: Vec<(VideoV2Request, &str)> = vec![
        (with("MiniMax-Hailuo-2.3", |_| {}), "model"),
        (with(H3, |r| r.content.clear()), "content"),
        (with(H3, |r| push(r, [ContentItem::text("second")])), "content"),
        (with(H3, |r| r.content = vec![ContentItem::text("   ")]), "content.text"),
        (with(H3, |r| r.content = vec![ContentItem::text("x".repeat(7_001))]), "content.text"),
        (with(H3, |r| r.ratio = None), "ratio"),
        (with(H3, |r| r.ratio = Some("adaptive".into())), "ratio"),
        (with(H3, |r| r.ratio = Some("2:1".into())), "ratio"),
        (with(H3, |r| r.resolution = "480P".into()), "resolution"),
        (with(H3, |r| r.resolution = "1080P".into()), "resolution"),
        (with(H3, |r| r.duration = 3), "duration"),
        (with(H3, |r| r.duration = 16), "duration"),
        (with(H3_MAX, |r| r.duration = 4), "duration"),
        (with(H3_MAX, |r| r.resolution = "2K".into()), "resolution"),
        (with(H3, |r| r.extra = Some(VideoV2Extra::default())), "extra"),
        (
            with(H3_MAX, |r| r.extra = Some(VideoV2Extra { prompt_expansion_mode: Some("max".into()) })),
            "extra.prompt_expansion_mode",
        ),
        (
            with(H3, |r| {
                push(
                    r,
                    [
                        ContentItem::image(IMAGE, MediaRole::FirstFrame),
                        ContentItem::image(IMAGE, MediaRole::ReferenceImage),
                    ],
                )
            }),
            "content",
        ),
        (
            with(H3, |r| {
                push(
                    r,
                    [
                        ContentItem::image(IMAGE, MediaRole::FirstFrame),
                        ContentItem::image(IMAGE, MediaRole::FirstFrame),
                    ],
                )
            }),
            "content",
        ),
        (with(H3, |r| push(r, [ContentItem::audio("https://x/voice.mp3")])), "content"),
        (
            with(H3, |r| push(r, (0..10).map(|_| ContentItem::image(IMAGE, MediaRole::ReferenceImage)))),
            "content",
        ),
        (with(H3, |r| push(r, (0..4).map(|_| ContentItem::video("https://x/v.mp4")))), "content"),
        (
            with(H3, |r| {
                push(r, [ContentItem::image(IMAGE, MediaRole::ReferenceImage)]);
                push(r, (0..4).map(|_| ContentItem::audio("https://x/a.mp3")));
            }),
            "content",
        ),
        (
            with(H3, |r| {
                push(r, (0..9).map(|_| ContentItem::image(IMAGE, MediaRole::ReferenceImage)));
                push(r, (0..3).map(|_| ContentItem::video("https://x/v.mp4")));
                push(r, [ContentItem::audio("https://x/a.mp3")]);
            }),
            "content",
        ),
        (with(H3_MAX, |r| push(r, [ContentItem::image(IMAGE, MediaRole::ReferenceImage)])), "content"),
        (
            with(H3, |r| push(r, [ContentItem::image("ftp://x/a.png", MediaRole::FirstFrame)])),
            "content.image_url.url",
        ),
        (
            with(H3, |r| push(r, [ContentItem::image("data:video/mp4;base64,AAAA", MediaRole::FirstFrame)])),
            "content.image_url.url",
        ),
        (
            with(H3, |r| push(r, [ContentItem::image("mm_file://abc", MediaRole::FirstFrame)])),
            "content.image_url.url",
        ),
        (
            with(H3, |r| {
                push(
                    r,
                    [ContentItem::VideoUrl {
                        video_url: MediaUrl { url: IMAGE.into() },
                        role: Some(MediaRole::FirstFrame),
                    }],
                )
            }),
            "content.video_url.role",
        ),
        (with(H3, |r| push(r, [lone_image.clone(), lone_image.clone()])), "content.image_url.role"),
    ];
    for (request, field) in cases {
        let error = request.validate().expect_err(field);
        assert_eq!(error.field, field, "{request:?}: {error}");
    }
    let fine: Vec<VideoV2Request> = vec![
        with(H3, |r| r.duration = 4),
        with(H3, |r| {
            r.duration = 15;
            r.resolution = "2K".into();
        }),
        with(H3_MAX, |r| r.duration = 15),
        with(H3, |r| {
            r.ratio = None;
            push(r, [lone_image.clone()]);
        }),
        with(H3, |r| {
            r.ratio = Some("1:1".into());
            push(r, [ContentItem::image("data:image/png;base64,iVBOR", MediaRole::LastFrame)]);
        }),
        with(H3, |r| {
            r.ratio = None;
            push(r, (0..9).map(|_| ContentItem::image(IMAGE, MediaRole::ReferenceImage)));
            push(r, (0..3).map(|_| ContentItem::audio("https://x/a.mp3")));
        }),
        with(H3, |r| push(r, [ContentItem::video("https://x/v.mp4"), ContentItem::audio("https://x/a.mp3")])),
    ];
    for request in fine {
        assert!(request.validate().is_ok(), "{request:?}: {:?}", request.validate());
    }
}

#[test]
fn model_tables() {
    assert_eq!(resolutions_for(H3), ["768P", "2K"]);
    assert_eq!(resolutions_for(H3_MAX), ["768P", "480P"]);
    assert_eq!(durations_for(H3), Some((4, 15)));
    assert_eq!(durations_for(H3_MAX), Some((5, 15)));
    assert!(supports_references(H3) && !supports_references(H3_MAX));
    assert!(resolutions_for("x").is_empty());
}
