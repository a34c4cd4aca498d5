//! The `POST /v2/video_generation` request (MiniMax-H3, MiniMax-H3-Max) and its validation, exactly as
//! minimax-api-2026.md §3.2 and §8 item 8 describe it (the rules the official CLI enforces).

use serde::{Deserialize, Serialize};

use crate::validation::{Checked, ValidationError, char_len, check_one_of, join};

/// The standard H3 model: 768P or 2K, 4–15 s, every mode.
pub const H3: &str = "MiniMax-H3";
/// The H3-Max model: 480P or 768P, 5–15 s, text and frames only (no reference mode).
pub const H3_MAX: &str = "MiniMax-H3-Max";
/// Every V2 video model.
pub const V2_MODELS: &[&str] = &[H3, H3_MAX];
/// `ratio` values; `adaptive` is the default and not allowed for text-to-video.
pub const RATIOS: &[&str] = &["adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"];
/// `extra.prompt_expansion_mode` values (H3-Max only, CN copy of the create page).
pub const PROMPT_EXPANSION_MODES: &[&str] = &["disabled", "balanced", "quality"];
/// The only text item's limit.
pub const MAX_PROMPT_CHARS: usize = 7_000;
/// Reference images allowed.
pub const MAX_IMAGES: usize = 9;
/// Reference videos allowed.
pub const MAX_VIDEOS: usize = 3;
/// Reference audios allowed.
pub const MAX_AUDIOS: usize = 3;
/// Media items allowed in total (the CLI's `VIDEO_V2_MAX_REFERENCE_INPUTS`).
pub const MAX_MEDIA_ITEMS: usize = 12;
/// The request body limit (Base64 media adds about a third: use `mm_file://` ids or URLs for large media).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The resolutions a V2 model accepts, default first.
pub fn resolutions_for(model: &str) -> &'static [&'static str] {
    match model {
        H3 => &["768P", "2K"],
        H3_MAX => &["768P", "480P"],
        _ => &[],
    }
}

/// The inclusive duration range in seconds a V2 model accepts.
pub fn durations_for(model: &str) -> Option<(u32, u32)> {
    match model {
        H3 => Some((4, 15)),
        H3_MAX => Some((5, 15)),
        _ => None,
    }
}

/// Whether the model accepts reference images / videos / audios.
pub fn supports_references(model: &str) -> bool {
    model == H3
}

/// What a media item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaRole {
    /// The clip starts on this image.
    FirstFrame,
    /// The clip ends on this image.
    LastFrame,
    /// An image reference (a character, a place).
    ReferenceImage,
    /// A video reference (motion, style).
    ReferenceVideo,
    /// An audio reference (a voice timbre); needs a reference image or video too.
    ReferenceAudio,
}

impl MediaRole {
    /// Whether this is a frame role (image-to-video) rather than a reference role.
    pub fn is_frame(self) -> bool {
        matches!(self, MediaRole::FirstFrame | MediaRole::LastFrame)
    }
}

/// `{ "url": … }`: a public URL, `mm_file://{file_id}` or a `data:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaUrl {
    /// The address.
    pub url: String,
}

/// One `content[]` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentItem {
    /// The prompt (exactly one, non-empty, ≤ 7,000 characters).
    Text {
        /// The prompt.
        text: String,
    },
    /// An image: a frame or a reference.
    ImageUrl {
        /// Where it is.
        image_url: MediaUrl,
        /// Its role; a single image without one is the first frame.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<MediaRole>,
    },
    /// A reference video.
    VideoUrl {
        /// Where it is.
        video_url: MediaUrl,
        /// `reference_video`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<MediaRole>,
    },
    /// A reference audio.
    AudioUrl {
        /// Where it is.
        audio_url: MediaUrl,
        /// `reference_audio`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<MediaRole>,
    },
}

impl ContentItem {
    /// The prompt item.
    pub fn text(text: impl Into<String>) -> Self {
        ContentItem::Text { text: text.into() }
    }

    /// An image with a role.
    pub fn image(url: impl Into<String>, role: MediaRole) -> Self {
        ContentItem::ImageUrl { image_url: MediaUrl { url: url.into() }, role: Some(role) }
    }

    /// The length of the item's media address (0 for the prompt): inline `data:` media make the body large.
    pub fn url_len(&self) -> usize {
        match self {
            ContentItem::Text { .. } => 0,
            ContentItem::ImageUrl { image_url: media, .. }
            | ContentItem::VideoUrl { video_url: media, .. }
            | ContentItem::AudioUrl { audio_url: media, .. } => media.url.len(),
        }
    }

    /// A reference video.
    pub fn video(url: impl Into<String>) -> Self {
        ContentItem::VideoUrl {
            video_url: MediaUrl { url: url.into() },
            role: Some(MediaRole::ReferenceVideo),
        }
    }

    /// A reference audio.
    pub fn audio(url: impl Into<String>) -> Self {
        ContentItem::AudioUrl {
            audio_url: MediaUrl { url: url.into() },
            role: Some(MediaRole::ReferenceAudio),
        }
    }
}

/// `extra` (H3-Max only; the server rejects unknown keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2Extra {
    /// One of [`PROMPT_EXPANSION_MODES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_expansion_mode: Option<String>,
}

/// Which of the three modes a request is in (§3.2 "Modes and ratio rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VideoV2Mode {
    /// Text only (t2va): needs a concrete `ratio`.
    TextToVideo,
    /// First and/or last frame (i2va): `ratio` is treated as `adaptive`.
    ImageToVideo,
    /// Reference images / videos / audios (r2va).
    ReferenceToVideo,
}

/// A `POST /v2/video_generation` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoV2Request {
    /// One of [`V2_MODELS`].
    pub model: String,
    /// The prompt and the media.
    pub content: Vec<ContentItem>,
    /// See [`resolutions_for`].
    pub resolution: String,
    /// Seconds, see [`durations_for`].
    pub duration: u32,
    /// One of [`RATIOS`]; required (and not `adaptive`) for text-to-video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// Default `true`; `false` makes a silent clip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
    /// Default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aigc_watermark: Option<bool>,
    /// Status callbacks (a desktop app polls instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// H3-Max options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<VideoV2Extra>,
}

impl VideoV2Request {
    /// A text-to-video request.
    pub fn text_to_video(
        model: impl Into<String>,
        prompt: impl Into<String>,
        resolution: impl Into<String>,
        duration: u32,
        ratio: impl Into<String>,
    ) -> Self {
        VideoV2Request {
            model: model.into(),
            content: vec![ContentItem::text(prompt)],
            resolution: resolution.into(),
            duration,
            ratio: Some(ratio.into()),
            ..VideoV2Request::default()
        }
    }

    /// The mode the media items select.
    pub fn mode(&self) -> VideoV2Mode {
        let roles = self.roles();
        if roles.iter().any(|r| !r.is_frame()) {
            VideoV2Mode::ReferenceToVideo
        } else if roles.is_empty() {
            VideoV2Mode::TextToVideo
        } else {
            VideoV2Mode::ImageToVideo
        }
    }

    /// The effective role of every media item (a lone image without a role is the first frame).
    fn roles(&self) -> Vec<MediaRole> {
        let images = self.content.iter().filter(|i| matches!(i, ContentItem::ImageUrl { .. })).count();
        self.content
            .iter()
            .filter_map(|item| match item {
                ContentItem::Text { .. } => None,
                ContentItem::ImageUrl { role, .. } => Some(role.unwrap_or(if images == 1 {
                    MediaRole::FirstFrame
                } else {
                    MediaRole::ReferenceImage
                })),
                ContentItem::VideoUrl { role, .. } => Some(role.unwrap_or(MediaRole::ReferenceVideo)),
                ContentItem::AudioUrl { role, .. } => Some(role.unwrap_or(MediaRole::ReferenceAudio)),
            })
            .collect()
    }

    /// Checks every rule of minimax-api-2026.md §8 item 8 (the limits that need decoding the media — clip
    /// lengths, pixel sizes — are left to the caller).
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), V2_MODELS)?;
        self.check_prompt()?;
        self.check_media()?;
        let mode = self.mode();
        if mode == VideoV2Mode::ReferenceToVideo && !supports_references(&self.model) {
            return Err(ValidationError::new(
                "content",
                format!("reference media with {}", self.model),
                "first_frame / last_frame only (reference mode needs MiniMax-H3)",
            ));
        }
        if let Some(ratio) = &self.ratio {
            check_one_of("ratio", &ratio.as_str(), RATIOS)?;
        }
        if mode == VideoV2Mode::TextToVideo && self.ratio.as_deref().is_none_or(|r| r == "adaptive") {
            return Err(ValidationError::new(
                "ratio",
                format!("{} for text-to-video", self.ratio.as_deref().unwrap_or("missing")),
                join(&RATIOS[1..]),
            ));
        }
        check_one_of("resolution", &self.resolution.as_str(), resolutions_for(&self.model))?;
        if let Some((min, max)) = durations_for(&self.model)
            && !(min..=max).contains(&self.duration)
        {
            return Err(ValidationError::new(
                "duration",
                format!("{} s with {}", self.duration, self.model),
                format!("{min} to {max} seconds"),
            ));
        }
        if let Some(extra) = &self.extra {
            if self.model != H3_MAX {
                return Err(ValidationError::new(
                    "extra",
                    format!("set for {}", self.model),
                    "MiniMax-H3-Max only",
                ));
            }
            if let Some(mode) = &extra.prompt_expansion_mode {
                check_one_of("extra.prompt_expansion_mode", &mode.as_str(), PROMPT_EXPANSION_MODES)?;
            }
        }
        Ok(())
    }

    fn check_prompt(&self) -> Checked {
        let texts: Vec<&str> = self
            .content
            .iter()
            .filter_map(|item| match item {
                ContentItem::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let [text] = texts.as_slice() else {
            return Err(ValidationError::new(
                "content",
                format!("{} text items", texts.len()),
                "exactly one non-empty text item",
            ));
        };
        if text.trim().is_empty() {
            return Err(ValidationError::new("content.text", "is empty", "a non-empty prompt"));
        }
        let len = char_len(text);
        if len > MAX_PROMPT_CHARS {
            return Err(ValidationError::new(
                "content.text",
                format!("{len} characters"),
                format!("at most {MAX_PROMPT_CHARS} characters"),
            ));
        }
        Ok(())
    }

    fn check_media(&self) -> Checked {
        let images = self.content.iter().filter(|i| matches!(i, ContentItem::ImageUrl { .. })).count();
        for item in &self.content {
            let (kind, url, role, allowed): (&str, &str, Option<MediaRole>, &[MediaRole]) = match item {
                ContentItem::Text { .. } => continue,
                ContentItem::ImageUrl { image_url, role } => (
                    "image",
                    &image_url.url,
                    *role,
                    &[MediaRole::FirstFrame, MediaRole::LastFrame, MediaRole::ReferenceImage],
                ),
                ContentItem::VideoUrl { video_url, role } => {
                    ("video", &video_url.url, *role, &[MediaRole::ReferenceVideo])
                }
                ContentItem::AudioUrl { audio_url, role } => {
                    ("audio", &audio_url.url, *role, &[MediaRole::ReferenceAudio])
                }
            };
            check_media_url(kind, url)?;
            if let Some(role) = role
                && !allowed.contains(&role)
            {
                return Err(ValidationError::new(
                    format!("content.{kind}_url.role"),
                    format!("{role:?} on an {kind}"),
                    "first_frame / last_frame / reference_image on images, reference_video on videos, \
                     reference_audio on audios",
                ));
            }
            if kind == "image" && role.is_none() && images > 1 {
                return Err(ValidationError::new(
                    "content.image_url.role",
                    "missing on one of several images",
                    "a role on every image when there is more than one",
                ));
            }
        }
        let roles = self.roles();
        let count = |role: MediaRole| roles.iter().filter(|r| **r == role).count();
        let frames = roles.iter().filter(|r| r.is_frame()).count();
        if frames > 0 && frames < roles.len() {
            return Err(ValidationError::new(
                "content",
                "frame roles mixed with reference roles",
                "either first_frame/last_frame or reference media",
            ));
        }
        for (role, name) in [(MediaRole::FirstFrame, "first_frame"), (MediaRole::LastFrame, "last_frame")] {
            if count(role) > 1 {
                return Err(ValidationError::new(
                    "content",
                    format!("{} {name} images", count(role)),
                    "at most one",
                ));
            }
        }
        let limits = [
            (MediaRole::ReferenceImage, MAX_IMAGES, "reference images"),
            (MediaRole::ReferenceVideo, MAX_VIDEOS, "reference videos"),
            (MediaRole::ReferenceAudio, MAX_AUDIOS, "reference audios"),
        ];
        for (role, max, name) in limits {
            if count(role) > max {
                return Err(ValidationError::new(
                    "content",
                    format!("{} {name}", count(role)),
                    format!("at most {max}"),
                ));
            }
        }
        if roles.len() > MAX_MEDIA_ITEMS {
            return Err(ValidationError::new(
                "content",
                format!("{} media items", roles.len()),
                format!("at most {MAX_MEDIA_ITEMS} in total"),
            ));
        }
        if count(MediaRole::ReferenceAudio) > 0
            && count(MediaRole::ReferenceImage) + count(MediaRole::ReferenceVideo) == 0
        {
            return Err(ValidationError::new(
                "content",
                "reference audio without a reference image or video",
                "reference audio together with at least one reference image or video",
            ));
        }
        Ok(())
    }
}

/// A media address: `http(s)://`, `mm_file://<digits>`, or a `data:<kind>/…;base64,` URI of the right kind.
fn check_media_url(kind: &str, url: &str) -> Checked {
    let field = format!("content.{kind}_url.url");
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(());
    }
    if let Some(id) = url.strip_prefix("mm_file://") {
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(());
        }
        return Err(ValidationError::new(field, format!("{url:?}"), "mm_file://<file id>"));
    }
    let prefix = format!("data:{kind}/");
    if url.starts_with(&prefix) && url.contains(";base64,") {
        return Ok(());
    }
    Err(ValidationError::new(
        field,
        "not a URL, file id or data URI",
        format!("https://…, mm_file://<file id> or {prefix}<format>;base64,…"),
    ))
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
