//! The video request: Hailuo (V1: text→video, first frame, first+last frame) and MiniMax-H3 / H3-Max (V2:
//! text→video with a ratio, frames, or reference images; 4–15 s; `generate_audio`). One composer shape for
//! both; the model decides which API it goes to ([`VideoParams::is_v2`]).

use minimax_api::video::{VideoMode, VideoRequest, allowed_resolutions};
use minimax_api::video_v2::{self, ContentItem, MediaRole, VideoV2Request};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ApiCall, ImageInput, InputFiles, RequestProblem};
use crate::reference_media::{MAX_CLIPS_TOTAL_MS, ReferenceClip, ReferenceKind, check_clip_length};

/// Room left in the 64 MB body for the prompt and the JSON around the media.
const BODY_HEADROOM: usize = 64 * 1024;

/// The ratio a V2 text-to-video request gets when none is chosen (the official CLI's default).
pub const DEFAULT_V2_RATIO: &str = "16:9";
/// The duration a V2 request gets when none is chosen (the official CLI's default).
pub const DEFAULT_V2_DURATION_S: u32 = 5;

/// A video generation: text→video, image→video (`first_frame`), first+last frame, or (MiniMax-H3) reference
/// images.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VideoParams {
    /// `MiniMax-H3`, `MiniMax-H3-Max` (V2), or the older `MiniMax-Hailuo-2.3`, … (V1).
    pub model: String,
    /// ≤ 2,000 characters (Hailuo, camera commands like `[Pan left]`) or ≤ 7,000 (H3).
    pub prompt: String,
    /// `512P`, `768P`, `1080P` (Hailuo); `768P`, `2K` (H3); `480P`, `768P` (H3-Max). Absent ⇒ the model's
    /// default.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Seconds; absent ⇒ 6 (Hailuo) or 5 (H3).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u32>,
    /// Let the server improve the prompt (Hailuo; the API's default is on).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_optimizer: Option<bool>,
    /// The first frame (image→video).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_frame: Option<ImageInput>,
    /// The last frame (first+last frame mode).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame: Option<ImageInput>,
    /// `16:9`, `9:16`, `adaptive`, … (H3; text→video needs a concrete one, frames make it `adaptive`).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// Make the clip's own soundtrack (H3; the API's default is on).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
    /// Reference images (H3 reference mode, up to 9; not with frames).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_images: Option<Vec<ImageInput>>,
    /// Reference videos (H3 reference mode, up to 3, 2–15 s each and 15 s in all; billed per second).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_videos: Option<Vec<ReferenceClip>>,
    /// Reference audios (H3 reference mode, up to 3, 2–15 s each and 15 s in all; only together with a
    /// reference image or video).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_audios: Option<Vec<ReferenceClip>>,
}

impl VideoParams {
    /// Whether the model is a V2 one (MiniMax-H3, H3-Max: `/v2/video_generation`).
    pub fn is_v2(&self) -> bool {
        video_v2::V2_MODELS.iter().any(|m| m.eq_ignore_ascii_case(&self.model))
    }

    /// The Hailuo mode the given frames select.
    pub fn mode(&self) -> VideoMode {
        match (&self.first_frame, &self.last_frame) {
            (_, Some(_)) => VideoMode::FirstLastFrame,
            (Some(_), None) => VideoMode::ImageToVideo,
            (None, None) => VideoMode::TextToVideo,
        }
    }

    /// The resolution that will be produced (the model's default when unset).
    pub fn effective_resolution(&self) -> String {
        if let Some(resolution) = &self.resolution {
            return resolution.clone();
        }
        if self.is_v2() {
            return video_v2::resolutions_for(&self.model).first().copied().unwrap_or("768P").to_owned();
        }
        allowed_resolutions(&self.model, self.mode()).first().map_or("768P", |r| r.0).to_owned()
    }

    /// The duration that will be produced (when unset: 6 s for Hailuo, the API's default; 5 s for H3).
    pub fn effective_duration_s(&self) -> u32 {
        self.duration_s.unwrap_or(if self.is_v2() { DEFAULT_V2_DURATION_S } else { 6 })
    }

    /// The seconds MiniMax bills: the clip's, plus every second of reference video (billed at the output
    /// resolution's rate, minimax-api-2026.md §3.8), rounded up.
    pub fn billed_duration_s(&self) -> u32 {
        let input_ms: u32 = self.clips(ReferenceKind::Video).iter().map(|c| c.duration_ms).sum();
        self.effective_duration_s().saturating_add(input_ms.div_ceil(1000))
    }

    fn references(&self) -> &[ImageInput] {
        self.reference_images.as_deref().unwrap_or_default()
    }

    fn clips(&self, kind: ReferenceKind) -> &[ReferenceClip] {
        match kind {
            ReferenceKind::Video => self.reference_videos.as_deref().unwrap_or_default(),
            ReferenceKind::Audio => self.reference_audios.as_deref().unwrap_or_default(),
        }
    }

    fn has_references(&self) -> bool {
        !self.references().is_empty() || !self.clips(ReferenceKind::Video).is_empty()
    }

    /// The reference clips of one kind as content items, checked first against MiniMax's limits (count,
    /// 2–15 s each, 15 s in all) so a refusal names the field and the reason before anything is paid.
    fn clip_items(
        &self,
        kind: ReferenceKind,
        files: InputFiles<'_>,
    ) -> Result<Vec<ContentItem>, RequestProblem> {
        let clips = self.clips(kind);
        let problem = |reason: String| RequestProblem::Input { field: kind.field(), reason };
        if clips.len() > kind.max_count() {
            return Err(problem(format!(
                "{} clips; MiniMax takes at most {}",
                clips.len(),
                kind.max_count()
            )));
        }
        for clip in clips {
            check_clip_length(kind, clip.duration_ms)
                .map_err(|reason| problem(format!("{}: {reason}", clip.path)))?;
        }
        let total: u32 = clips.iter().map(|c| c.duration_ms).sum();
        if total > MAX_CLIPS_TOTAL_MS {
            return Err(problem(format!(
                "{:.1} s in all; MiniMax takes at most 15 s of reference clips of one kind",
                f64::from(total) / 1000.0
            )));
        }
        clips
            .iter()
            .map(|clip| {
                let url = files
                    .data_url(&clip.path, kind.max_bytes(), kind.mime(&clip.path))
                    .map_err(|e| RequestProblem::input(kind.field(), e))?;
                Ok(match kind {
                    ReferenceKind::Video => ContentItem::video(url),
                    ReferenceKind::Audio => ContentItem::audio(url),
                })
            })
            .collect()
    }

    /// The wire request (input files read as `files` says), validated.
    pub(crate) fn to_call(&self, files: InputFiles<'_>) -> Result<ApiCall, RequestProblem> {
        let image = |field: &'static str, input: &ImageInput| {
            files.image(input).map_err(|e| RequestProblem::input(field, e))
        };
        if !self.is_v2() && (self.has_references() || !self.clips(ReferenceKind::Audio).is_empty()) {
            // Hailuo has no reference mode: sent anyway they would be dropped, and priced as clip seconds.
            return Err(RequestProblem::Input {
                field: "referenceImages",
                reason: format!("{} takes no reference media; only MiniMax-H3 does", self.model),
            });
        }
        if !self.is_v2() {
            let frame = |field: &'static str, input: &Option<ImageInput>| {
                input.as_ref().map(|i| image(field, i)).transpose()
            };
            let request = VideoRequest {
                model: self.model.clone(),
                prompt: Some(self.prompt.clone()).filter(|s| !s.is_empty()),
                prompt_optimizer: self.prompt_optimizer,
                duration: Some(self.effective_duration_s()),
                resolution: Some(self.effective_resolution()),
                first_frame_image: frame("firstFrame", &self.first_frame)?,
                last_frame_image: frame("lastFrame", &self.last_frame)?,
                ..VideoRequest::default()
            };
            request.validate()?;
            return Ok(ApiCall::Video(request));
        }
        let mut content = vec![ContentItem::text(self.prompt.clone())];
        if let Some(first) = &self.first_frame {
            content.push(ContentItem::image(image("firstFrame", first)?, MediaRole::FirstFrame));
        }
        if let Some(last) = &self.last_frame {
            content.push(ContentItem::image(image("lastFrame", last)?, MediaRole::LastFrame));
        }
        for reference in self.references() {
            content.push(ContentItem::image(image("referenceImages", reference)?, MediaRole::ReferenceImage));
        }
        if !self.clips(ReferenceKind::Audio).is_empty() && !self.has_references() {
            return Err(RequestProblem::Input {
                field: ReferenceKind::Audio.field(),
                reason: "a reference audio needs a reference image or video beside it".into(),
            });
        }
        content.extend(self.clip_items(ReferenceKind::Video, files)?);
        content.extend(self.clip_items(ReferenceKind::Audio, files)?);
        // Inline media grow by a third in Base64; the whole body must stay within MiniMax's 64 MB.
        let inline: usize = content.iter().map(ContentItem::url_len).sum();
        if inline > video_v2::MAX_BODY_BYTES - BODY_HEADROOM {
            return Err(RequestProblem::Input {
                field: "referenceVideos",
                reason: format!(
                    "the references make a {:.0} MB request; MiniMax takes at most 64 MB (use fewer or shorter clips)",
                    inline as f64 / 1_048_576.0
                ),
            });
        }
        let frames = self.first_frame.is_some() || self.last_frame.is_some();
        // Text alone needs a concrete ratio; frames make the server use `adaptive` whatever is sent.
        let ratio = match (&self.ratio, frames, !self.has_references()) {
            (_, true, _) => None,
            (Some(r), false, true) if r == "adaptive" => Some(DEFAULT_V2_RATIO.to_owned()),
            (None, false, true) => Some(DEFAULT_V2_RATIO.to_owned()),
            (ratio, false, _) => ratio.clone(),
        };
        let request = VideoV2Request {
            model: canonical_v2(&self.model).to_owned(),
            content,
            resolution: self.effective_resolution(),
            duration: self.effective_duration_s(),
            ratio,
            generate_audio: self.generate_audio,
            ..VideoV2Request::default()
        };
        request.validate()?;
        Ok(ApiCall::VideoV2(request))
    }
}

/// The model id as the V2 API spells it.
fn canonical_v2(model: &str) -> &str {
    video_v2::V2_MODELS.iter().copied().find(|m| m.eq_ignore_ascii_case(model)).unwrap_or(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h3(model: &str) -> VideoParams {
        VideoParams {
            model: model.into(),
            prompt: "A paper boat on a rainy street".into(),
            ..VideoParams::default()
        }
    }

    fn v2(params: &VideoParams) -> VideoV2Request {
        match params.to_call(InputFiles::Library(&std::env::temp_dir())) {
            Ok(ApiCall::VideoV2(request)) => request,
            other => panic!("a V2 request: {other:?}"),
        }
    }

    #[test]
    fn h3_goes_to_the_v2_api_with_its_defaults() {
        let params = h3("MiniMax-H3");
        assert!(params.is_v2() && !h3("MiniMax-Hailuo-2.3").is_v2());
        assert_eq!((params.effective_resolution().as_str(), params.effective_duration_s()), ("768P", 5));
        let request = v2(&params);
        assert_eq!(request.model, "MiniMax-H3");
        assert_eq!(request.ratio.as_deref(), Some("16:9"), "text→video needs a concrete ratio");
        assert_eq!(request.generate_audio, None, "the API's default (on) is left to the API");
        let chosen = VideoParams {
            resolution: Some("2K".into()),
            duration_s: Some(15),
            ratio: Some("9:16".into()),
            generate_audio: Some(false),
            ..h3("minimax-h3")
        };
        let request = v2(&chosen);
        assert_eq!(
            (request.model.as_str(), request.resolution.as_str(), request.duration),
            ("MiniMax-H3", "2K", 15)
        );
        assert_eq!((request.ratio.as_deref(), request.generate_audio), (Some("9:16"), Some(false)));
        assert_eq!(serde_json::to_value(&request).expect("json")["generate_audio"], false);
    }

    #[test]
    fn h3_limits_are_checked_before_anything_is_sent() {
        for (params, field) in [
            (VideoParams { duration_s: Some(3), ..h3("MiniMax-H3") }, "duration"),
            (VideoParams { duration_s: Some(16), ..h3("MiniMax-H3") }, "duration"),
            (VideoParams { duration_s: Some(4), ..h3("MiniMax-H3-Max") }, "duration"),
            (VideoParams { resolution: Some("2K".into()), ..h3("MiniMax-H3-Max") }, "resolution"),
            (VideoParams { resolution: Some("1080P".into()), ..h3("MiniMax-H3") }, "resolution"),
            (VideoParams { prompt: " ".into(), ..h3("MiniMax-H3") }, "content.text"),
        ] {
            match params.to_call(InputFiles::Library(&std::env::temp_dir())) {
                Err(RequestProblem::Invalid(e)) => assert_eq!(e.field, field, "{params:?}"),
                other => panic!("{params:?} must be refused: {other:?}"),
            }
        }
        assert_eq!(h3("MiniMax-H3-Max").effective_resolution(), "768P");
    }

    #[test]
    fn frames_and_references_pick_the_mode_and_its_ratio() {
        let url = |u: &str| ImageInput::Url { url: u.into() };
        let framed = VideoParams {
            first_frame: Some(url("https://x/a.png")),
            ratio: Some("1:1".into()),
            ..h3("MiniMax-H3")
        };
        let request = v2(&framed);
        assert_eq!(request.ratio, None, "frames: the server uses adaptive");
        assert_eq!(request.mode(), video_v2::VideoV2Mode::ImageToVideo);
        let referenced = VideoParams {
            reference_images: Some(vec![url("https://x/hero.png"), url("https://x/street.png")]),
            ..h3("MiniMax-H3")
        };
        let request = v2(&referenced);
        assert_eq!(request.mode(), video_v2::VideoV2Mode::ReferenceToVideo);
        assert_eq!(request.ratio, None, "optional in reference mode");
        // H3-Max has no reference mode; frames and references do not mix.
        let max = VideoParams { model: "MiniMax-H3-Max".into(), ..referenced.clone() };
        assert!(max.to_call(InputFiles::Library(&std::env::temp_dir())).is_err());
        let mixed = VideoParams { first_frame: Some(url("https://x/a.png")), ..referenced };
        assert!(mixed.to_call(InputFiles::Library(&std::env::temp_dir())).is_err());
    }

    #[test]
    fn reference_videos_and_audios_are_sent_inline_checked_and_billed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("inputs")).unwrap();
        std::fs::write(dir.path().join("inputs/move.mp4"), b"\0\0\0\x20ftypisom").unwrap();
        std::fs::write(dir.path().join("inputs/voice.wav"), b"RIFF\0\0\0\0WAVE").unwrap();
        let clip = |path: &str, duration_ms| ReferenceClip { path: path.into(), duration_ms };
        let params = VideoParams {
            duration_s: Some(6),
            reference_videos: Some(vec![clip("inputs/move.mp4", 4_200)]),
            reference_audios: Some(vec![clip("inputs/voice.wav", 3_000)]),
            ..h3("MiniMax-H3")
        };
        let request = match params.to_call(InputFiles::Library(dir.path())) {
            Ok(ApiCall::VideoV2(request)) => request,
            other => panic!("a V2 request: {other:?}"),
        };
        assert_eq!(request.mode(), video_v2::VideoV2Mode::ReferenceToVideo);
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["content"][1]["role"], "reference_video");
        assert!(
            json["content"][1]["video_url"]["url"].as_str().unwrap().starts_with("data:video/mp4;base64,")
        );
        assert_eq!(json["content"][2]["role"], "reference_audio");
        assert!(
            json["content"][2]["audio_url"]["url"].as_str().unwrap().starts_with("data:audio/wav;base64,")
        );
        // Input video is billed per second like output: 6 s out + 4.2 s in ⇒ 11 s; audio is free.
        assert_eq!(params.billed_duration_s(), 11);
        let call = super::super::GenerationRequest::Video(params.clone());
        assert!(matches!(call.cost_input(None), crate::pricing::CostInput::Video { duration_s: 11, .. }));

        let refused = |params: VideoParams| match params.to_call(InputFiles::Library(dir.path())) {
            Err(RequestProblem::Input { field, reason }) => format!("{field}: {reason}"),
            other => panic!("{params:?} must be refused: {other:?}"),
        };
        let alone = VideoParams { reference_videos: None, ..params.clone() };
        assert!(
            refused(alone).contains("referenceAudios: a reference audio needs a reference image or video")
        );
        let short =
            VideoParams { reference_videos: Some(vec![clip("inputs/move.mp4", 1_900)]), ..params.clone() };
        assert!(refused(short).contains("1.9 s long"));
        let long = VideoParams {
            reference_videos: Some(vec![clip("inputs/move.mp4", 8_000), clip("inputs/move.mp4", 7_500)]),
            ..params.clone()
        };
        assert!(refused(long).contains("15.5 s in all"));
        let hailuo = VideoParams { model: "MiniMax-Hailuo-2.3".into(), ..params.clone() };
        assert!(refused(hailuo).contains("only MiniMax-H3"));
        let outside =
            VideoParams { reference_videos: Some(vec![clip("/etc/passwd", 4_000)]), ..params.clone() };
        assert!(refused(outside.clone()).contains("outside the library"));

        // A dry run checks the limits without reading the files (they are not in the library yet).
        let check = |p: &VideoParams| super::super::GenerationRequest::Video(p.clone()).check();
        assert!(check(&outside).is_ok(), "{:?}", check(&outside));
        let alone = VideoParams { reference_videos: None, ..outside.clone() };
        assert!(check(&alone).unwrap_err().to_string().contains("needs a reference image or video"));
        let too_long = VideoParams { duration_s: Some(16), ..outside };
        assert!(matches!(check(&too_long), Err(RequestProblem::Invalid(e)) if e.field == "duration"));
    }

    #[test]
    fn older_stored_requests_still_read() {
        let stored = serde_json::json!({"model": "MiniMax-Hailuo-02", "prompt": "p", "resolution": "768P"});
        let params: VideoParams = serde_json::from_value(stored).expect("older shape");
        assert_eq!((params.ratio.clone(), params.reference_images.clone()), (None, None));
        let call = params.to_call(InputFiles::Library(&std::env::temp_dir()));
        assert!(matches!(call, Ok(ApiCall::Video(_))), "{:?}", call.map(|_| ()).err());
    }
}
