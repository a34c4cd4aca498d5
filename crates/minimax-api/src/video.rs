//! Video (Hailuo): `POST /v1/video_generation` in its four modes, `GET /v1/query/video_generation`, and
//! the download of the result through the Files API (minimax-api.md §4).

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWrite;

use crate::envelope::{BaseResp, decode_reply, enveloped_and_traced};
use crate::error::Result;
use crate::files::DownloadSource;
use crate::task::TaskStatus;
use crate::transport::{CallKind, MiniMaxClient, RequestSpec};
use crate::validation::{Checked, ValidationError, check_len, check_not_blank, check_one_of, join};
use crate::wire::{opt_count, opt_string_or_number, string_or_number};

const CREATE_PATH: &str = "/v1/video_generation";
const QUERY_PATH: &str = "/v1/query/video_generation";

/// Text→video models.
pub const T2V_MODELS: &[&str] = &["MiniMax-Hailuo-2.3", "MiniMax-Hailuo-02", "T2V-01-Director", "T2V-01"];
/// Image→video models.
pub const I2V_MODELS: &[&str] = &[
    "MiniMax-Hailuo-2.3",
    "MiniMax-Hailuo-2.3-Fast",
    "MiniMax-Hailuo-02",
    "I2V-01-Director",
    "I2V-01-live",
    "I2V-01",
];
/// First+last frame models.
pub const FL2V_MODELS: &[&str] = &["MiniMax-Hailuo-02"];
/// Subject-reference models.
pub const S2V_MODELS: &[&str] = &["S2V-01"];
/// Models that accept `fast_pretreatment`.
pub const FAST_PRETREATMENT_MODELS: &[&str] =
    &["MiniMax-Hailuo-2.3", "MiniMax-Hailuo-2.3-Fast", "MiniMax-Hailuo-02"];
/// Prompt limit.
pub const MAX_PROMPT_CHARS: usize = 2000;
/// Frame images must be smaller than 20 MB.
pub const MAX_FRAME_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// Which of the four documented modes a request is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoMode {
    /// Text→video.
    TextToVideo,
    /// Image→video (`first_frame_image`).
    ImageToVideo,
    /// First+last frame (`last_frame_image`).
    FirstLastFrame,
    /// Subject reference (`subject_reference`).
    SubjectReference,
}

/// A subject reference: one face image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectReference {
    /// `character`.
    #[serde(rename = "type")]
    pub reference_type: String,
    /// One public URL or data URL.
    pub image: Vec<String>,
}

/// A `/v1/video_generation` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoRequest {
    /// The model (allowed ones depend on the mode).
    pub model: String,
    /// ≤ 2000 characters; camera commands like `[Pan left]` allowed. Required for text→video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_optimizer: Option<bool>,
    /// Default `false`; Hailuo-2.3, 2.3-Fast and 02 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fast_pretreatment: Option<bool>,
    /// Seconds, default 6 (see the model × resolution table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// `512P`, `720P`, `768P` or `1080P` (see the table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// URL or data URL (JPG/JPEG/PNG/WebP, < 20 MB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_frame_image: Option<String>,
    /// URL or data URL; first+last frame mode (Hailuo-02 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame_image: Option<String>,
    /// Subject reference mode (S2V-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_reference: Option<Vec<SubjectReference>>,
    /// Callback URL (a desktop app polls instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl VideoRequest {
    /// The mode implied by the fields present.
    pub fn mode(&self) -> VideoMode {
        if self.subject_reference.is_some() {
            VideoMode::SubjectReference
        } else if self.last_frame_image.is_some() {
            VideoMode::FirstLastFrame
        } else if self.first_frame_image.is_some() {
            VideoMode::ImageToVideo
        } else {
            VideoMode::TextToVideo
        }
    }

    /// Checks the mode's models and required fields, the prompt, images and the documented
    /// model × resolution × duration table of §4.1.
    pub fn validate(&self) -> Checked {
        let mode = self.mode();
        let models = match mode {
            VideoMode::TextToVideo => T2V_MODELS,
            VideoMode::ImageToVideo => I2V_MODELS,
            VideoMode::FirstLastFrame => FL2V_MODELS,
            VideoMode::SubjectReference => S2V_MODELS,
        };
        check_one_of("model", &self.model.as_str(), models)?;
        if let Some(prompt) = &self.prompt {
            check_len("prompt", prompt, 0, MAX_PROMPT_CHARS)?;
        }
        if mode == VideoMode::TextToVideo {
            check_not_blank("prompt", self.prompt.as_deref().unwrap_or_default())?;
        }
        if mode == VideoMode::FirstLastFrame && self.first_frame_image.is_none() {
            return Err(ValidationError::new(
                "first_frame_image",
                "missing",
                "first and last frame together",
            ));
        }
        if let Some(image) = &self.first_frame_image {
            check_image("first_frame_image", image, &["jpeg", "jpg", "png", "webp"], MAX_FRAME_IMAGE_BYTES)?;
        }
        if let Some(image) = &self.last_frame_image {
            check_image("last_frame_image", image, &["jpeg", "jpg", "png", "webp"], MAX_FRAME_IMAGE_BYTES)?;
        }
        if let Some(references) = &self.subject_reference {
            let [reference] = references.as_slice() else {
                return Err(ValidationError::new(
                    "subject_reference",
                    format!("{} entries", references.len()),
                    "exactly one",
                ));
            };
            check_one_of("subject_reference[0].type", &reference.reference_type.as_str(), &["character"])?;
            let [image] = reference.image.as_slice() else {
                return Err(ValidationError::new(
                    "subject_reference[0].image",
                    format!("{} images", reference.image.len()),
                    "exactly one face image",
                ));
            };
            check_image(
                "subject_reference[0].image",
                image,
                &["jpeg", "jpg", "png", "webp"],
                MAX_FRAME_IMAGE_BYTES,
            )?;
        }
        if self.fast_pretreatment.is_some() {
            check_one_of("fast_pretreatment (model)", &self.model.as_str(), FAST_PRETREATMENT_MODELS)?;
        }
        check_resolution_duration(&self.model, mode, self.resolution.as_deref(), self.duration)
    }
}

/// The documented (resolution, durations) pairs of a model in a mode, default resolution first.
pub fn allowed_resolutions(model: &str, mode: VideoMode) -> &'static [(&'static str, &'static [u32])] {
    const HAILUO: &[(&str, &[u32])] = &[("768P", &[6, 10]), ("1080P", &[6])];
    const HAILUO_02_I2V: &[(&str, &[u32])] = &[("768P", &[6, 10]), ("512P", &[6, 10]), ("1080P", &[6])];
    const SERIES_01: &[(&str, &[u32])] = &[("720P", &[6])];
    match (model, mode) {
        ("MiniMax-Hailuo-02", VideoMode::ImageToVideo) => HAILUO_02_I2V,
        ("MiniMax-Hailuo-2.3" | "MiniMax-Hailuo-2.3-Fast" | "MiniMax-Hailuo-02", _) => HAILUO,
        _ => SERIES_01,
    }
}

fn check_resolution_duration(
    model: &str,
    mode: VideoMode,
    resolution: Option<&str>,
    duration: Option<u32>,
) -> Checked {
    let table = allowed_resolutions(model, mode);
    let resolution = resolution.unwrap_or(table[0].0);
    let Some((_, durations)) = table.iter().find(|(r, _)| *r == resolution) else {
        let names: Vec<&str> = table.iter().map(|(r, _)| *r).collect();
        return Err(ValidationError::new("resolution", format!("{resolution} with {model}"), join(&names)));
    };
    let duration = duration.unwrap_or(6);
    if !durations.contains(&duration) {
        return Err(ValidationError::new(
            "duration",
            format!("{duration} s at {resolution} with {model}"),
            format!("{} seconds", join(durations)),
        ));
    }
    Ok(())
}

/// Checks an image given as a public URL or a data URL: format from the data URL's media type, and the
/// decoded size (estimated from the base64 length) below `max_bytes`.
pub fn check_image(field: &str, image: &str, formats: &[&str], max_bytes: usize) -> Checked {
    if image.starts_with("https://") || image.starts_with("http://") {
        return Ok(());
    }
    let Some(rest) = image.strip_prefix("data:image/") else {
        return Err(ValidationError::new(
            field,
            "not a URL or data URL",
            "https://… or data:image/<format>;base64,…",
        ));
    };
    let Some((format, payload)) = rest.split_once(";base64,") else {
        return Err(ValidationError::new(field, "data URL without ;base64,", "data:image/<format>;base64,…"));
    };
    check_one_of(&format!("{field} (format)"), &format, formats)?;
    let estimated = payload.len() / 4 * 3;
    if estimated >= max_bytes {
        return Err(ValidationError::new(
            field,
            format!("about {estimated} bytes"),
            format!("less than {max_bytes} bytes"),
        ));
    }
    Ok(())
}

/// The answer of a create call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoTask {
    /// Task id (kept as a string).
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoTask);

/// The answer of a query. A non-zero `base_resp` (e.g. 1027, video flagged) is returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoStatus {
    /// Task id.
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// `Preparing`, `Queueing`, `Processing`, `Success`, `Fail`/`Failed` (terminal), `Unknown`.
    pub status: TaskStatus,
    /// The video file, on success.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub file_id: Option<String>,
    /// Width in pixels, on success.
    #[serde(default, deserialize_with = "opt_count")]
    pub video_width: Option<i64>,
    /// Height in pixels, on success.
    #[serde(default, deserialize_with = "opt_count")]
    pub video_height: Option<i64>,
    /// The `Trace-Id` header.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VideoStatus);

/// Video calls.
#[derive(Debug, Clone, Copy)]
pub struct Video<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Video<'_> {
    /// Starts a generation. Never retried once the request may have been received.
    pub async fn create(self, request: &VideoRequest) -> Result<VideoTask> {
        request.validate()?;
        let spec = RequestSpec::post(CREATE_PATH, request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_reply::<VideoTask>(CREATE_PATH, reply)).await
    }

    /// Reads a task's status (poll gently: video RPM is 5–20).
    pub async fn query(self, task_id: &str) -> Result<VideoStatus> {
        let spec = RequestSpec::get(QUERY_PATH, vec![("task_id", task_id.to_owned())]);
        self.client.execute(&spec, |reply| decode_reply::<VideoStatus>(QUERY_PATH, reply)).await
    }

    /// Downloads a finished video (fresh `download_url`, valid 1 h) into `writer`; returns bytes written.
    pub async fn download<W: AsyncWrite + Unpin>(self, file_id: &str, writer: &mut W) -> Result<u64> {
        self.client.files().download_to(&DownloadSource::FileId(file_id.to_owned()), writer).await
    }
}

impl MiniMaxClient {
    /// Video calls.
    pub fn video(&self) -> Video<'_> {
        Video { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t2v(model: &str, resolution: Option<&str>, duration: Option<u32>) -> VideoRequest {
        VideoRequest {
            model: model.into(),
            prompt: Some("A man reads [Static shot]".into()),
            resolution: resolution.map(Into::into),
            duration,
            ..VideoRequest::default()
        }
    }

    fn i2v(model: &str, resolution: Option<&str>, duration: Option<u32>) -> VideoRequest {
        VideoRequest {
            first_frame_image: Some("https://x/first.png".into()),
            prompt: None,
            ..t2v(model, resolution, duration)
        }
    }

    #[test]
    fn model_resolution_duration_table() {
        let cases: &[(VideoRequest, bool)] = &[
            (t2v("MiniMax-Hailuo-2.3", None, None), true),
            (t2v("MiniMax-Hailuo-2.3", Some("768P"), Some(10)), true),
            (t2v("MiniMax-Hailuo-2.3", Some("1080P"), Some(6)), true),
            (t2v("MiniMax-Hailuo-2.3", Some("1080P"), Some(10)), false),
            (t2v("MiniMax-Hailuo-2.3", Some("512P"), Some(6)), false),
            (t2v("MiniMax-Hailuo-2.3", Some("720P"), None), false),
            (t2v("MiniMax-Hailuo-2.3-Fast", None, None), false), // image-to-video only
            (i2v("MiniMax-Hailuo-2.3-Fast", Some("768P"), Some(10)), true),
            (i2v("MiniMax-Hailuo-2.3-Fast", Some("1080P"), Some(10)), false),
            (i2v("MiniMax-Hailuo-02", Some("512P"), Some(10)), true),
            (t2v("MiniMax-Hailuo-02", Some("512P"), Some(6)), false), // 512P is I2V only
            (t2v("MiniMax-Hailuo-02", Some("768P"), Some(8)), false),
            (t2v("T2V-01", None, None), true),
            (t2v("T2V-01", Some("720P"), Some(10)), false),
            (t2v("T2V-01-Director", Some("1080P"), None), false),
            (i2v("I2V-01-live", None, Some(6)), true),
            (i2v("T2V-01", None, None), false),
        ];
        for (request, ok) in cases {
            assert_eq!(request.validate().is_ok(), *ok, "{request:?}: {:?}", request.validate());
        }
    }

    #[test]
    fn modes_and_their_rules() {
        let mut fl2v = i2v("MiniMax-Hailuo-02", Some("768P"), None);
        fl2v.last_frame_image = Some("https://x/last.png".into());
        assert_eq!(fl2v.mode(), VideoMode::FirstLastFrame);
        assert!(fl2v.validate().is_ok());
        fl2v.resolution = Some("512P".into());
        assert_eq!(fl2v.validate().unwrap_err().field, "resolution");
        fl2v.model = "MiniMax-Hailuo-2.3".into();
        assert_eq!(fl2v.validate().unwrap_err().field, "model");

        let no_prompt = VideoRequest { model: "T2V-01".into(), ..VideoRequest::default() };
        assert_eq!(no_prompt.validate().unwrap_err().field, "prompt");
        let long = VideoRequest { prompt: Some("x".repeat(2001)), ..t2v("T2V-01", None, None) };
        assert_eq!(long.validate().unwrap_err().field, "prompt");

        let s2v = VideoRequest {
            model: "S2V-01".into(),
            subject_reference: Some(vec![SubjectReference {
                reference_type: "character".into(),
                image: vec!["https://x/f.jpg".into()],
            }]),
            ..VideoRequest::default()
        };
        assert!(s2v.validate().is_ok());
        let fast = VideoRequest { fast_pretreatment: Some(true), ..t2v("T2V-01", None, None) };
        assert!(fast.validate().is_err());
    }

    #[test]
    fn frame_images_are_checked() {
        assert!(check_image("f", "data:image/png;base64,AAAA", &["png"], 100).is_ok());
        assert!(check_image("f", "data:image/gif;base64,AAAA", &["png"], 100).is_err());
        assert!(check_image("f", "/home/me/a.png", &["png"], 100).is_err());
        assert!(
            check_image("f", &format!("data:image/png;base64,{}", "A".repeat(200)), &["png"], 100).is_err()
        );
    }
}
