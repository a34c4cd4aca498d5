//! Image: `POST /v1/image_generation` (synchronous; URLs valid 24 h or base64), minimax-api.md §5.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::envelope::{BaseResp, decode_body, enveloped};
use crate::error::{ApiError, Error, ErrorKind, RawBody, Result};
use crate::transport::{CallKind, MiniMaxClient, RequestSpec};
use crate::validation::{
    Bounds, Checked, ValidationError, check_len, check_one_of, check_opt_range, check_range,
};
use crate::video::check_image;
use crate::wire::opt_count;

const IMAGE_PATH: &str = "/v1/image_generation";

/// Image models (`image-01-live` is in the I2I and CN T2I enums, not the global T2I enum, §11.11).
pub const IMAGE_MODELS: &[&str] = &["image-01", "image-01-live"];
/// Aspect ratios (`21:9` only for `image-01`).
pub const ASPECT_RATIOS: &[&str] = &["1:1", "16:9", "4:3", "3:2", "2:3", "3:4", "9:16", "21:9"];
/// `style.style_type` values (CN spec, `image-01-live` only), as documented.
pub const STYLE_TYPES: &[&str] = &["漫画", "元气", "中世纪", "水彩"];
/// Prompt limit.
pub const MAX_PROMPT_CHARS: usize = 1500;
/// Subject reference images must be smaller than 10 MB.
pub const MAX_REFERENCE_BYTES: usize = 10 * 1024 * 1024;

/// URL (default) or base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageResponseFormat {
    /// URLs valid 24 h.
    Url,
    /// Base64 strings in the answer.
    Base64,
}

/// `style` (CN spec, `image-01-live` only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageStyle {
    /// One of [`STYLE_TYPES`].
    pub style_type: String,
    /// `(0, 1]`, default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_weight: Option<f64>,
}

/// A subject reference (image-to-image): one front-facing portrait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSubjectReference {
    /// `character`.
    #[serde(rename = "type")]
    pub reference_type: String,
    /// URL or data URL (JPG/JPEG/PNG, < 10 MB).
    pub image_file: String,
}

/// A `/v1/image_generation` request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageRequest {
    /// One of [`IMAGE_MODELS`].
    pub model: String,
    /// ≤ 1500 characters.
    pub prompt: String,
    /// One of [`ASPECT_RATIOS`]; wins over `width`/`height` when both are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// `[512, 2048]`, multiple of 8, with `height`; `image-01` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// `[512, 2048]`, multiple of 8, with `width`; `image-01` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// URL (default) or base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ImageResponseFormat>,
    /// Same seed and parameters ⇒ similar image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// `[1, 9]`, default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_optimizer: Option<bool>,
    /// Default `false` (CN spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aigc_watermark: Option<bool>,
    /// Style (`image-01-live` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ImageStyle>,
    /// One portrait for image-to-image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_reference: Option<Vec<ImageSubjectReference>>,
}

impl ImageRequest {
    /// Checks every documented limit of §5.
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), IMAGE_MODELS)?;
        check_len("prompt", &self.prompt, 1, MAX_PROMPT_CHARS)?;
        let image_01 = self.model == "image-01";
        if let Some(ratio) = &self.aspect_ratio {
            check_one_of("aspect_ratio", &ratio.as_str(), ASPECT_RATIOS)?;
            if ratio == "21:9" && !image_01 {
                return Err(ValidationError::new(
                    "aspect_ratio",
                    "21:9 with image-01-live",
                    "21:9 with image-01 only",
                ));
            }
        }
        match (self.width, self.height) {
            (None, None) => {}
            (Some(width), Some(height)) => {
                if !image_01 {
                    return Err(ValidationError::new(
                        "width",
                        "width/height with image-01-live",
                        "image-01 only",
                    ));
                }
                for (field, value) in [("width", width), ("height", height)] {
                    check_range(field, value, 512, 2048, Bounds::Inclusive)?;
                    if !value.is_multiple_of(8) {
                        return Err(ValidationError::new(field, format!("{value}"), "a multiple of 8"));
                    }
                }
            }
            _ => {
                return Err(ValidationError::new(
                    "width",
                    "only one of width/height",
                    "width and height together",
                ));
            }
        }
        check_opt_range("n", self.n, 1, 9, Bounds::Inclusive)?;
        if let Some(style) = &self.style {
            if self.model != "image-01-live" {
                return Err(ValidationError::new("style", "style with image-01", "image-01-live only"));
            }
            check_one_of("style.style_type", &style.style_type.as_str(), STYLE_TYPES)?;
            check_opt_range("style.style_weight", style.style_weight, 0.0, 1.0, Bounds::ExclusiveMin)?;
        }
        if let Some(references) = &self.subject_reference {
            let [reference] = references.as_slice() else {
                return Err(ValidationError::new(
                    "subject_reference",
                    format!("{} entries", references.len()),
                    "exactly one image",
                ));
            };
            check_one_of("subject_reference[0].type", &reference.reference_type.as_str(), &["character"])?;
            check_image(
                "subject_reference[0].image_file",
                &reference.image_file,
                &["jpeg", "jpg", "png"],
                MAX_REFERENCE_BYTES,
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Default, Deserialize)]
struct ImageData {
    #[serde(default)]
    image_urls: Option<Vec<String>>,
    #[serde(default)]
    image_base64: Option<Vec<String>>,
    #[serde(default, deserialize_with = "opt_count")]
    success_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_count")]
    failed_count: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
struct ImageMetadata {
    #[serde(default, deserialize_with = "opt_count")]
    success_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_count")]
    failed_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct ImageWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    data: Option<ImageData>,
    #[serde(default)]
    metadata: Option<ImageMetadata>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}
enveloped!(ImageWire);

/// The generated images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageOutput {
    /// URLs valid 24 h: download them right away.
    Urls(Vec<String>),
    /// Decoded image bytes (from `response_format: base64`).
    Bytes(Vec<Vec<u8>>),
}

/// The answer of an image generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageResult {
    /// The response id (a trace/task id).
    pub id: Option<String>,
    /// The images.
    pub images: ImageOutput,
    /// Images produced (from `metadata` or `data`, string or number).
    pub success_count: Option<i64>,
    /// Images dropped by content safety.
    pub failed_count: Option<i64>,
    /// The `Trace-Id` header, else `id`.
    pub trace_id: Option<String>,
}

/// Image calls.
#[derive(Debug, Clone, Copy)]
pub struct Image<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Image<'_> {
    /// Generates images. When every image was rejected (`success_count` 0, no images) the answer is a
    /// [`ErrorKind::ContentFlagged`] error, as the official CLI reports it.
    pub async fn generate(self, request: &ImageRequest) -> Result<ImageResult> {
        request.validate()?;
        let spec = RequestSpec::post(IMAGE_PATH, request, CallKind::Paid)?;
        self.client
            .execute(&spec, |reply| decode_image(&reply.body, reply.status, reply.trace_id.as_deref()))
            .await
    }
}

fn decode_image(body: &[u8], status: u16, header_trace: Option<&str>) -> Result<ImageResult> {
    let wire: ImageWire = decode_body(IMAGE_PATH, body, status, header_trace)?;
    let trace_id = header_trace.map(str::to_owned).or_else(|| wire.id.clone());
    let data = wire.data.unwrap_or_default();
    let metadata = wire.metadata.unwrap_or_default();
    let success_count = metadata.success_count.or(data.success_count);
    let failed_count = metadata.failed_count.or(data.failed_count);
    let decode_error = |reason: String| Error::Decode {
        endpoint: IMAGE_PATH.to_owned(),
        reason,
        trace_id: trace_id.clone(),
        body: RawBody::from_bytes(body),
    };
    let images = match (data.image_urls, data.image_base64) {
        (_, Some(encoded)) if !encoded.is_empty() => ImageOutput::Bytes(
            encoded
                .iter()
                .map(|text| base64::engine::general_purpose::STANDARD.decode(text))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| decode_error(format!("data.image_base64: {e}")))?,
        ),
        (Some(urls), _) if !urls.is_empty() => ImageOutput::Urls(urls),
        _ if success_count == Some(0) => {
            return Err(Error::Api(Box::new(ApiError {
                code: None,
                message: format!(
                    "all images were rejected by content safety (failed_count {})",
                    failed_count.unwrap_or(0)
                ),
                error_type: None,
                http_status: status,
                trace_id,
                reset_at: None,
                kind: ErrorKind::ContentFlagged,
            })));
        }
        _ => return Err(decode_error("the answer has no images".into())),
    };
    Ok(ImageResult { id: wire.id, images, success_count, failed_count, trace_id })
}

impl MiniMaxClient {
    /// Image calls.
    pub fn image(&self) -> Image<'_> {
        Image { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ImageRequest {
        ImageRequest {
            model: "image-01".into(),
            prompt: "A cat in a spacesuit on Mars".into(),
            ..ImageRequest::default()
        }
    }

    #[test]
    fn validation_table() {
        assert!(request().validate().is_ok());
        let cases: Vec<(ImageRequest, &str)> = vec![
            (ImageRequest { model: "dall-e".into(), ..request() }, "model"),
            (ImageRequest { prompt: String::new(), ..request() }, "prompt"),
            (ImageRequest { prompt: "x".repeat(1501), ..request() }, "prompt"),
            (ImageRequest { aspect_ratio: Some("5:4".into()), ..request() }, "aspect_ratio"),
            (
                ImageRequest {
                    model: "image-01-live".into(),
                    aspect_ratio: Some("21:9".into()),
                    ..request()
                },
                "aspect_ratio",
            ),
            (ImageRequest { width: Some(1024), ..request() }, "width"),
            (ImageRequest { width: Some(1020), height: Some(1024), ..request() }, "width"),
            (ImageRequest { width: Some(1024), height: Some(4096), ..request() }, "height"),
            (ImageRequest { n: Some(0), ..request() }, "n"),
            (ImageRequest { n: Some(10), ..request() }, "n"),
            (
                ImageRequest {
                    style: Some(ImageStyle { style_type: "水彩".into(), style_weight: None }),
                    ..request()
                },
                "style",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(request.validate().expect_err(field).field, field);
        }
        let live = ImageRequest {
            model: "image-01-live".into(),
            style: Some(ImageStyle { style_type: "水彩".into(), style_weight: Some(0.8) }),
            n: Some(9),
            ..request()
        };
        assert!(live.validate().is_ok());
    }

    #[test]
    fn counts_as_strings_or_numbers_under_metadata_or_data() {
        let spec = br#"{"id":"03ff","data":{"image_urls":["https://x/1.jpeg"]},"metadata":{"success_count":"1","failed_count":"0"},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        let result = decode_image(spec, 200, None).unwrap();
        assert_eq!((result.success_count, result.failed_count), (Some(1), Some(0)));
        assert_eq!(result.trace_id.as_deref(), Some("03ff"));
        let cli = br#"{"data":{"image_base64":["AAEC"],"success_count":1,"failed_count":2,"task_id":"t"},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        let result = decode_image(cli, 200, Some("hdr")).unwrap();
        assert_eq!(result.images, ImageOutput::Bytes(vec![vec![0, 1, 2]]));
        assert_eq!(
            (result.success_count, result.failed_count, result.trace_id.as_deref()),
            (Some(1), Some(2), Some("hdr"))
        );
    }

    #[test]
    fn all_rejected_is_content_flagged() {
        let body = br#"{"data":{"image_urls":[]},"metadata":{"success_count":"0","failed_count":"1"},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        assert_eq!(decode_image(body, 200, None).unwrap_err().kind(), ErrorKind::ContentFlagged);
    }
}
