//! The model table the UI shows, from one place: every model the client can call, its modality, a
//! label, whether it is current or one of the older models, and the parameters and values it accepts.
//! The values come from the same tables the requests are validated against (`speech::emotions_for`,
//! `video::allowed_resolutions`, `video_v2::resolutions_for`, …), so a picker can never offer what
//! validation refuses. [`list_models`] is serde-serialisable in camelCase, for a `list_models` command.

use serde::Serialize;

use crate::{image, music, speech, text, video, video_v2};

/// What a model makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelModality"))]
pub enum Modality {
    /// Chat.
    Text,
    /// Speech synthesis.
    Speech,
    /// Video clips.
    Video,
    /// Still images.
    Image,
    /// Songs.
    Music,
    /// Song lyrics.
    Lyrics,
}

/// Current, or kept for existing work ("older models" in the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ModelGeneration {
    /// Offered first.
    Current,
    /// Still selectable, listed under "older models".
    Older,
}

/// How a speech request is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ModelSpeechDelivery"))]
pub enum SpeechDelivery {
    /// One answer.
    Sync,
    /// Streamed chunks.
    Stream,
    /// A long-text task.
    Async,
}

/// A resolution and the durations it takes, in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResolutionOption {
    /// `768P`, `2K`, …
    pub resolution: &'static str,
    /// Allowed durations.
    pub durations: Vec<u32>,
}

/// The resolutions of a video model in one mode, default first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VideoModeOption {
    /// `text`, `image` (first frame), `firstLast`, `subject` (V1); `text`, `frames`, `reference` (V2).
    pub mode: &'static str,
    /// Resolutions, default first.
    pub resolutions: Vec<ResolutionOption>,
}

/// What a model accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ModelParams {
    /// Chat models.
    #[serde(rename_all = "camelCase")]
    Text {
        /// `max_completion_tokens` ceiling.
        max_tokens: u32,
        /// Only on the High-Speed plans (the dedicated highspeed models).
        highspeed_only: bool,
        /// Takes image and video parts.
        multimodal: bool,
    },
    /// Speech models.
    #[serde(rename_all = "camelCase")]
    Speech {
        /// How it can be delivered.
        deliveries: Vec<SpeechDelivery>,
        /// `voice_setting.emotion` values.
        emotions: Vec<&'static str>,
        /// Sync / streamed formats.
        formats: &'static [&'static str],
        /// Async formats (empty without async).
        async_formats: &'static [&'static str],
        /// Reads `(laughs)`-style tags as sounds.
        interjections: bool,
        /// Characters per sync request.
        max_text_chars: usize,
        /// Characters per async request.
        max_async_text_chars: usize,
    },
    /// Video models.
    #[serde(rename_all = "camelCase")]
    Video {
        /// `v1` (Hailuo, `/v1/video_generation`) or `v2` (H3, `/v2/video_generation`).
        api: &'static str,
        /// Modes with their resolutions and durations.
        modes: Vec<VideoModeOption>,
        /// Aspect ratios (V2; empty when the model has none to pick).
        ratios: &'static [&'static str],
        /// Prompt limit in characters.
        max_prompt_chars: usize,
        /// Camera moves like `[Pan left]` work in the prompt (Hailuo).
        camera_moves: bool,
        /// Makes a soundtrack (`generate_audio`, V2).
        native_audio: bool,
        /// Reference images a `reference` mode request takes (0 without that mode).
        max_reference_images: usize,
        /// Reference videos (MP4/MOV, 2–15 s each, 15 s in all) a `reference` mode request takes.
        max_reference_videos: usize,
        /// Reference audios (WAV/MP3, 2–15 s each, 15 s in all) a `reference` mode request takes.
        max_reference_audios: usize,
        /// Reference media of all kinds in one request.
        max_reference_items: usize,
    },
    /// Image models.
    #[serde(rename_all = "camelCase")]
    Image {
        /// `aspect_ratio` values.
        aspect_ratios: &'static [&'static str],
        /// Prompt limit in characters.
        max_prompt_chars: usize,
        /// Images per request.
        max_images: u32,
    },
    /// Music models.
    #[serde(rename_all = "camelCase")]
    Music {
        /// Takes `is_instrumental`.
        instrumental: bool,
        /// Takes `lyrics_optimizer`.
        lyrics_optimizer: bool,
        /// `audio_setting.format` values.
        formats: &'static [&'static str],
        /// Prompt limit in characters.
        max_prompt_chars: usize,
        /// Lyrics limit in characters.
        max_lyrics_chars: usize,
        /// Needs a reference song (covers).
        cover: bool,
    },
    /// Lyrics writing.
    #[serde(rename_all = "camelCase")]
    Lyrics {
        /// `write_full_song`, `edit`.
        modes: &'static [&'static str],
    },
}

/// One row of the model table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelInfo {
    /// The id sent as `model`.
    pub id: &'static str,
    /// What it makes.
    pub modality: Modality,
    /// A short name for pickers.
    pub label: &'static str,
    /// Current or older.
    pub generation: ModelGeneration,
    /// A remark for the picker (e.g. why it is older, or who may use it).
    pub note: Option<&'static str>,
    /// What it accepts.
    pub params: ModelParams,
}

/// The Hailuo camera moves, inserted into a prompt as `[Pan left]`.
pub const CAMERA_MOVES: &[&str] = &[
    "Truck left",
    "Truck right",
    "Pan left",
    "Pan right",
    "Push in",
    "Pull out",
    "Pedestal up",
    "Pedestal down",
    "Tilt up",
    "Tilt down",
    "Zoom in",
    "Zoom out",
    "Shake",
    "Tracking shot",
    "Static shot",
];

fn text_model(id: &'static str, label: &'static str, generation: ModelGeneration) -> ModelInfo {
    let m3 = id == "MiniMax-M3";
    ModelInfo {
        id,
        modality: Modality::Text,
        label,
        generation,
        note: id.ends_with("-highspeed").then_some("High-Speed plans"),
        params: ModelParams::Text {
            max_tokens: if m3 { text::MAX_TOKENS_M3 } else { text::MAX_TOKENS_OTHER },
            highspeed_only: id.ends_with("-highspeed"),
            multimodal: m3,
        },
    }
}

fn speech_model(id: &'static str, label: &'static str, generation: ModelGeneration) -> ModelInfo {
    let has_async = speech::ASYNC_SPEECH_MODELS.contains(&id);
    let mut deliveries = vec![SpeechDelivery::Sync, SpeechDelivery::Stream];
    if has_async {
        deliveries.push(SpeechDelivery::Async);
    }
    ModelInfo {
        id,
        modality: Modality::Speech,
        label,
        generation,
        note: (generation == ModelGeneration::Older).then_some("Older speech model"),
        params: ModelParams::Speech {
            deliveries,
            emotions: speech::emotions_for(id),
            formats: speech::FORMATS,
            async_formats: if has_async { speech::ASYNC_FORMATS } else { &[] },
            interjections: speech::supports_interjections(id),
            max_text_chars: speech::MAX_SYNC_TEXT_CHARS,
            max_async_text_chars: if has_async { speech::MAX_ASYNC_TEXT_CHARS } else { 0 },
        },
    }
}

fn hailuo(id: &'static str, label: &'static str) -> ModelInfo {
    let modes = [
        ("text", video::VideoMode::TextToVideo, video::T2V_MODELS),
        ("image", video::VideoMode::ImageToVideo, video::I2V_MODELS),
        ("firstLast", video::VideoMode::FirstLastFrame, video::FL2V_MODELS),
        ("subject", video::VideoMode::SubjectReference, video::S2V_MODELS),
    ];
    let modes = modes
        .into_iter()
        .filter(|(_, _, models)| models.contains(&id))
        .map(|(name, mode, _)| VideoModeOption {
            mode: name,
            resolutions: video::allowed_resolutions(id, mode)
                .iter()
                .map(|(resolution, durations)| ResolutionOption { resolution, durations: durations.to_vec() })
                .collect(),
        })
        .collect();
    ModelInfo {
        id,
        modality: Modality::Video,
        label,
        generation: ModelGeneration::Older,
        note: Some("Hailuo 2.3/02 — older models"),
        params: ModelParams::Video {
            api: "v1",
            modes,
            ratios: &[],
            max_prompt_chars: video::MAX_PROMPT_CHARS,
            camera_moves: true,
            native_audio: false,
            max_reference_images: 0,
            max_reference_videos: 0,
            max_reference_audios: 0,
            max_reference_items: 0,
        },
    }
}

fn h3(id: &'static str, label: &'static str, note: &'static str) -> ModelInfo {
    let (min, max) = video_v2::durations_for(id).unwrap_or((0, 0));
    let resolutions: Vec<ResolutionOption> = video_v2::resolutions_for(id)
        .iter()
        .map(|resolution| ResolutionOption { resolution, durations: (min..=max).collect() })
        .collect();
    let mut modes = vec![
        VideoModeOption { mode: "text", resolutions: resolutions.clone() },
        VideoModeOption { mode: "frames", resolutions: resolutions.clone() },
    ];
    let references = video_v2::supports_references(id);
    if references {
        modes.push(VideoModeOption { mode: "reference", resolutions });
    }
    ModelInfo {
        id,
        modality: Modality::Video,
        label,
        generation: ModelGeneration::Current,
        note: Some(note),
        params: ModelParams::Video {
            api: "v2",
            modes,
            ratios: video_v2::RATIOS,
            max_prompt_chars: video_v2::MAX_PROMPT_CHARS,
            camera_moves: false,
            native_audio: true,
            max_reference_images: if references { video_v2::MAX_IMAGES } else { 0 },
            max_reference_videos: if references { video_v2::MAX_VIDEOS } else { 0 },
            max_reference_audios: if references { video_v2::MAX_AUDIOS } else { 0 },
            max_reference_items: if references { video_v2::MAX_MEDIA_ITEMS } else { 0 },
        },
    }
}

fn music_model(id: &'static str, label: &'static str, generation: ModelGeneration) -> ModelInfo {
    let older = matches!(id, "music-2.0" | "music-1.5");
    ModelInfo {
        id,
        modality: Modality::Music,
        label,
        generation,
        note: Some("Only for keys with music access (closed to new users since 2026-08-20)"),
        params: ModelParams::Music {
            instrumental: music::INSTRUMENTAL_MODELS.contains(&id),
            lyrics_optimizer: music::LYRICS_OPTIMIZER_MODELS.contains(&id),
            formats: music::MUSIC_FORMATS,
            max_prompt_chars: if older { 300 } else { 2_000 },
            max_lyrics_chars: if older { 600 } else { 3_500 },
            cover: id == "music-cover",
        },
    }
}

/// Every model the UI offers, current ones first within each modality. The `-free` music models (shut
/// down) and the `*-01` video and speech models (superseded) are left out.
pub fn list_models() -> Vec<ModelInfo> {
    use ModelGeneration::{Current, Older};
    let image = |id, label| ModelInfo {
        id,
        modality: Modality::Image,
        label,
        generation: Current,
        note: None,
        params: ModelParams::Image {
            aspect_ratios: image::ASPECT_RATIOS,
            max_prompt_chars: image::MAX_PROMPT_CHARS,
            max_images: 9,
        },
    };
    vec![
        text_model("MiniMax-M3", "MiniMax M3", Current),
        text_model("MiniMax-M2.7", "MiniMax M2.7", Current),
        text_model("MiniMax-M2.7-highspeed", "MiniMax M2.7 High-Speed", Current),
        text_model("MiniMax-M2.5", "MiniMax M2.5", Older),
        text_model("MiniMax-M2.5-highspeed", "MiniMax M2.5 High-Speed", Older),
        speech_model("speech-2.8-hd", "Speech 2.8 HD", Current),
        speech_model("speech-2.8-turbo", "Speech 2.8 Turbo", Current),
        speech_model("speech-2.6-hd", "Speech 2.6 HD", Older),
        speech_model("speech-2.6-turbo", "Speech 2.6 Turbo", Older),
        speech_model("speech-02-hd", "Speech 02 HD", Older),
        speech_model("speech-02-turbo", "Speech 02 Turbo", Older),
        h3(
            video_v2::H3,
            "MiniMax H3",
            "768P or 2K, 4–15 s, with sound; M Plan Explore/Build or pay-as-you-go",
        ),
        h3(video_v2::H3_MAX, "MiniMax H3 Max", "480P or 768P, 5–15 s, text and frames only"),
        hailuo("MiniMax-Hailuo-2.3", "Hailuo 2.3"),
        hailuo("MiniMax-Hailuo-2.3-Fast", "Hailuo 2.3 Fast"),
        hailuo("MiniMax-Hailuo-02", "Hailuo 02"),
        image("image-01", "Image 01"),
        image("image-01-live", "Image 01 Live"),
        music_model("music-2.6", "Music 2.6", Current),
        music_model("music-cover", "Music Cover", Current),
        music_model("music-2.5+", "Music 2.5+", Older),
        music_model("music-2.5", "Music 2.5", Older),
        music_model("music-2.0", "Music 2.0", Older),
        ModelInfo {
            id: "lyrics",
            modality: Modality::Lyrics,
            label: "Lyrics",
            generation: Current,
            note: Some("Only for keys with music access"),
            params: ModelParams::Lyrics { modes: music::LYRICS_MODES },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(id: &str) -> ModelInfo {
        list_models().into_iter().find(|m| m.id == id).unwrap_or_else(|| panic!("{id} listed"))
    }

    #[test]
    fn every_listed_model_is_one_the_client_accepts() {
        for info in list_models() {
            let known = match info.modality {
                Modality::Text => text::TEXT_MODELS.contains(&info.id),
                Modality::Speech => speech::SPEECH_MODELS.contains(&info.id),
                Modality::Video => {
                    video_v2::V2_MODELS.contains(&info.id) || video::I2V_MODELS.contains(&info.id)
                }
                Modality::Image => image::IMAGE_MODELS.contains(&info.id),
                Modality::Music => music::MUSIC_MODELS.contains(&info.id),
                Modality::Lyrics => true,
            };
            assert!(known, "{}", info.id);
        }
        let ids: Vec<&str> = list_models().iter().map(|m| m.id).collect();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique);
    }

    #[test]
    fn the_table_says_what_each_model_takes() {
        let h3 = model("MiniMax-H3");
        let ModelParams::Video { api, modes, native_audio, .. } = &h3.params else { panic!("video") };
        assert_eq!((*api, *native_audio, modes.len()), ("v2", true, 3));
        assert_eq!(modes[0].resolutions.iter().map(|r| r.resolution).collect::<Vec<_>>(), ["768P", "2K"]);
        assert_eq!(modes[0].resolutions[0].durations, (4..=15).collect::<Vec<u32>>());
        let ModelParams::Video { modes, .. } = &model("MiniMax-H3-Max").params else { panic!("video") };
        assert_eq!(modes.iter().map(|m| m.mode).collect::<Vec<_>>(), ["text", "frames"], "no reference mode");
        assert_eq!(modes[0].resolutions[0].durations.first(), Some(&5));
        let hailuo = model("MiniMax-Hailuo-02");
        assert_eq!(hailuo.generation, ModelGeneration::Older);
        let ModelParams::Video { modes, .. } = &hailuo.params else { panic!("video") };
        let image = modes.iter().find(|m| m.mode == "image").expect("image mode");
        assert!(image.resolutions.iter().any(|r| r.resolution == "512P" && r.durations == [6, 10]));
        let ModelParams::Speech { emotions, deliveries, interjections, .. } = &model("speech-2.8-hd").params
        else {
            panic!("speech")
        };
        assert!(!emotions.contains(&"whisper") && !emotions.contains(&"fluent"));
        assert!(deliveries.contains(&SpeechDelivery::Async) && *interjections);
        let ModelParams::Text { highspeed_only, .. } = model("MiniMax-M2.7-highspeed").params else {
            panic!("text")
        };
        assert!(highspeed_only);
    }

    #[test]
    fn serialises_in_camel_case_for_the_ui() {
        let json = serde_json::to_value(model("MiniMax-H3")).expect("json");
        assert_eq!(json["params"]["kind"], "video");
        assert_eq!(json["params"]["nativeAudio"], true);
        assert_eq!(json["params"]["maxPromptChars"], 7_000);
        assert_eq!(json["generation"], "current");
        let speech = serde_json::to_value(model("speech-2.6-hd")).expect("json");
        assert_eq!(speech["params"]["asyncFormats"], serde_json::json!(["mp3", "pcm", "flac"]));
        assert_eq!(speech["modality"], "speech");
    }
}
