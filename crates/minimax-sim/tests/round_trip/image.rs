//! `/v1/image_generation`.

use base64::Engine;
use serde_json::json;

use crate::common::{Harness, assert_invalid, code, download};

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("valid PNG");
    (reader.info().width, reader.info().height)
}

#[tokio::test]
async fn url_images_at_the_aspect_ratio_with_string_counts() {
    let h = Harness::new().await;
    let request = json!({ "model": "image-01", "prompt": "A cat in a spacesuit on Mars", "aspect_ratio": "16:9",
                          "n": 3, "response_format": "url", "prompt_optimizer": false });
    let (_, body) = h.post("/v1/image_generation", request).await;
    assert_eq!(code(&body), 0, "{body}");
    assert_eq!(body["metadata"]["success_count"], "3", "counts are strings under metadata");
    assert_eq!(body["metadata"]["failed_count"], "0");
    let urls = body["data"]["image_urls"].as_array().expect("urls");
    assert_eq!(urls.len(), 3);
    let (status, headers, bytes) = download(&h.http, urls[0].as_str().expect("url")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(png_size(&bytes), (1280, 720));
    assert!(body["id"].as_str().is_some());
    h.advance(24 * 3_600_000);
    assert_eq!(download(&h.http, urls[1].as_str().expect("url")).await.0, 403, "image links live 24 h");
}

#[tokio::test]
async fn base64_images_and_custom_sizes() {
    let h = Harness::new().await;
    let request = json!({ "model": "image-01", "prompt": "A lighthouse", "width": 512, "height": 768,
                          "response_format": "base64", "seed": 42 });
    let (_, body) = h.post("/v1/image_generation", request.clone()).await;
    let b64 = body["data"]["image_base64"][0].as_str().expect("base64");
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).expect("base64");
    assert_eq!(png_size(&bytes), (512, 768));
    let (_, again) = h.post("/v1/image_generation", request).await;
    assert_eq!(again["data"]["image_base64"][0], body["data"]["image_base64"][0], "same seed, same image");

    let both = json!({ "model": "image-01", "prompt": "x", "width": 512, "height": 768, "aspect_ratio": "1:1",
                       "response_format": "base64" });
    let (_, body) = h.post("/v1/image_generation", both).await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body["data"]["image_base64"][0].as_str().expect("b64"))
        .expect("b64");
    assert_eq!(png_size(&bytes), (1024, 1024), "aspect_ratio wins over width/height");
}

#[tokio::test]
async fn image_validation() {
    let h = Harness::new().await;
    let cases = [
        (json!({ "model": "image-01", "prompt": "x", "n": 10 }), "n"),
        (json!({ "model": "image-01", "prompt": "x", "width": 513, "height": 512 }), "width"),
        (json!({ "model": "image-01", "prompt": "x", "width": 512 }), "height"),
        (json!({ "model": "image-01-live", "prompt": "x", "aspect_ratio": "21:9" }), "aspect_ratio"),
        (json!({ "model": "image-01", "prompt": "x", "aspect_ratio": "5:4" }), "aspect_ratio"),
        (json!({ "model": "image-02", "prompt": "x" }), "model"),
        (json!({ "model": "image-01" }), "prompt"),
        (json!({ "model": "image-01", "prompt": "x", "style": { "style_type": "漫画" } }), "style"),
        (json!({ "model": "image-01", "prompt": "x".repeat(1501) }), "prompt"),
    ];
    for (request, field) in cases {
        assert_invalid(&h.post("/v1/image_generation", request).await.1, field);
    }
    let live = json!({ "model": "image-01-live", "prompt": "x", "style": { "style_type": "水彩", "style_weight": 0.5 },
                       "response_format": "base64" });
    assert_eq!(code(&h.post("/v1/image_generation", live).await.1), 0);
}
