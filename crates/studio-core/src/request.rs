//! What a composer or the command line asks for: one typed request per modality.
//!
//! A [`GenerationRequest`] is what is stored in a job's `params` (so a job can be re-run, remixed or resumed
//! after a crash) and what the UI builds, hence camelCase and TypeScript bindings. It is deliberately smaller
//! than the wire requests of `minimax-api`: the fields a creator chooses, with the API's own defaults left to
//! the API. [`GenerationRequest::to_call`] turns it into the wire request, and [`GenerationRequest::cost_input`]
//! into what the price table needs, so the estimate shown before the click is computed from exactly what will
//! be sent.
//!
//! Images used as inputs (a video's first/last frame, an image subject reference) are stored as **paths or
//! URLs**, never as inline data: a 20 MB frame would bloat every history row. The file is read and turned into
//! a data URL only when the request is sent ([`ImageInput`]).

use std::path::Path;

use minimax_api::image::{ImageRequest, ImageSubjectReference};
use minimax_api::music::{LyricsRequest, MusicAudioSetting, MusicRequest};
use minimax_api::speech::{
    AsyncAudioSetting, AsyncSpeechRequest, AsyncVoiceSetting, AudioSetting, SpeechRequest, VoiceCloneRequest,
    VoiceDesignRequest, VoiceSetting,
};
use minimax_api::text::{ChatMessage, ChatRequest};
use minimax_api::validation::char_len;
use minimax_api::video::VideoRequest;
use minimax_api::video_v2::VideoV2Request;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::InputImageError;
use crate::input_images::read_library_image;
use crate::modality::Modality;
use crate::pricing::CostInput;

#[path = "request_voices.rs"]
mod voice_requests;
pub use voice_requests::*;

/// One generation as a composer describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum GenerationRequest {
    /// A chat completion (one request per call).
    Chat(ChatParams),
    /// Text to speech: synchronous, streamed or the async long-text API.
    Speech(SpeechParams),
    /// Images from a prompt.
    Image(ImageParams),
    /// A video clip.
    Video(VideoParams),
    /// A song.
    Music(MusicParams),
    /// Lyrics for a song.
    Lyrics(LyricsParams),
    /// A voice designed from a description (`/v1/voice_design`), with its preview.
    VoiceDesign(VoiceDesignParams),
    /// A voice cloned from an uploaded sample (`/v1/voice_clone`), with its preview.
    VoiceClone(VoiceCloneParams),
}

/// What a job row keeps of how it was made: the request (re-run, remix, resume after a crash), or a mark
/// for generations that were not requested from MiniMax (demo items made by `tokenplan seed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum JobParams {
    /// The request the job sends (or sent).
    Request(GenerationRequest),
    /// A film exported from its storyboard (ffmpeg, on this machine): what it was made from.
    FilmExport(FilmExportParams),
    /// A demo generation made locally, with no request behind it.
    Seeded(SeededParams),
    /// A file the user brought in (a film's music bed when the key has no music): nothing was requested or
    /// paid.
    Imported(ImportedParams),
}

/// How an exported film was made, kept on its Library item (re-export, the sidecar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FilmExportParams {
    /// Always `"film"`, which tells this shape from a request.
    pub kind: FilmExportKind,
    /// The film.
    #[ts(type = "number")]
    pub film_id: i64,
    /// Its title when exported.
    pub title: String,
    /// `720p`, `768p`, `1080p`.
    pub resolution: String,
    /// `track`, `burn` or `none`.
    pub subtitles: String,
    /// `fcpxml` or `otio`, when an edit list was written.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edl: Option<String>,
    /// Every shot was a real clip copied without re-encoding.
    pub stream_copy: bool,
}

/// The tag of [`FilmExportParams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FilmExportKind {
    /// An exported film.
    Film,
}

/// No request behind the job: a seeded demo generation (`{"seeded": true}`), or stored parameters this
/// version cannot read (`{"seeded": false}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SeededParams {
    /// `true` for a demo item; `false` when the stored parameters could not be read.
    pub seeded: bool,
}

/// A file brought into the library from outside (`{"imported": "song.mp3"}`): nothing was requested, so it
/// never counts against the plan or the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportedParams {
    /// The original file's name (shown in the Library; the copy is named from the job id).
    pub imported: String,
}

impl JobParams {
    /// The mark of a seeded demo item.
    pub const fn seeded() -> JobParams {
        JobParams::Seeded(SeededParams { seeded: true })
    }

    /// The request, when the job has one.
    pub fn request(&self) -> Option<&GenerationRequest> {
        match self {
            JobParams::Request(request) => Some(request),
            JobParams::FilmExport(_) | JobParams::Seeded(_) | JobParams::Imported(_) => None,
        }
    }
}

impl From<GenerationRequest> for JobParams {
    fn from(request: GenerationRequest) -> Self {
        JobParams::Request(request)
    }
}

/// Who said a line of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChatRole {
    /// The creator.
    User,
    /// The model.
    Assistant,
}

/// One line of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatTurn {
    /// Who said it.
    pub role: ChatRole,
    /// What was said.
    pub content: String,
}

/// A chat call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatParams {
    /// `MiniMax-M2.7`, `MiniMax-M2.7-highspeed`, …
    pub model: String,
    /// The system prompt.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The conversation so far, ending with the user's new message.
    pub messages: Vec<ChatTurn>,
    /// Output token limit.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Sampling temperature.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
}

/// How speech is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SpeechDelivery {
    /// One call, the whole file in the answer (up to 10,000 characters).
    #[default]
    Sync,
    /// One call whose audio arrives in chunks and can play while it arrives.
    Stream,
    /// The async long-text API (up to 50,000 characters): a task polled until its file is ready.
    Async,
}

/// A speech generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SpeechParams {
    /// `speech-2.8-hd`, …
    pub model: String,
    /// The text; `<#0.5#>` inserts a pause.
    pub text: String,
    /// The voice id.
    pub voice_id: String,
    /// Sync, streamed or async.
    #[serde(default)]
    pub delivery: SpeechDelivery,
    /// `[0.5, 2]`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// `(0, 10]`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
    /// `[-12, 12]`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<i32>,
    /// One of the API's emotions; absent ⇒ the model picks.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<String>,
    /// `mp3` (default), `wav`, `flac`, `pcm`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Hz.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Ask for a subtitle file (sync only).
    #[serde(default)]
    pub subtitles: bool,
    /// A language hint, e.g. `English`, `Chinese`, `auto`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_boost: Option<String>,
    /// A voice preview or audition take: kept apart from generations in the Library, and replayed from it
    /// for free when the same text and settings are asked for again (`crate::voices::preview_key`).
    #[ts(as = "Option<bool>", optional)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
}

impl SpeechParams {
    /// The audio format asked for (`mp3` when unset).
    pub fn format(&self) -> &str {
        self.format.as_deref().unwrap_or("mp3")
    }
}

/// An input image: a local file (from the disk or the library) or a public URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "source", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum ImageInput {
    /// A file; read and sent as a data URL when the request goes out.
    File {
        /// Relative to the data folder (`inputs/…` for imported images, `media/…` for generations). An
        /// absolute path is accepted only when it, too, lies in those folders.
        path: String,
    },
    /// A public `http(s)` URL sent as is.
    Url {
        /// The URL.
        url: String,
    },
}

impl ImageInput {
    /// The value the API takes: the URL, or the file as a `data:` URL (`root` resolves relative paths).
    /// Only files of the library's `media/` and `inputs/` folders are read
    /// ([`crate::input_images::read_library_image`]); anything else is refused before it is opened.
    pub fn to_api_value(&self, root: &Path) -> Result<String, InputImageError> {
        match self {
            ImageInput::Url { url } => Ok(url.clone()),
            ImageInput::File { path } => {
                let bytes = read_library_image(root, path)?;
                let mime =
                    match Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
                        Some(ext) if ext == "png" => "image/png",
                        Some(ext) if ext == "webp" => "image/webp",
                        _ => "image/jpeg",
                    };
                use base64::Engine as _;
                let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                Ok(format!("data:{mime};base64,{encoded}"))
            }
        }
    }
}

/// Where a request's input files come from when it is turned into the wire request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum InputFiles<'a> {
    /// Read from the library folder (relative paths resolve from it).
    Library(&'a Path),
    /// Not read: each file stands in as a tiny `data:` URL, so only the documented limits are checked.
    Unread,
}

impl InputFiles<'_> {
    /// An input image's value for the API.
    pub(crate) fn image(self, input: &ImageInput) -> Result<String, InputImageError> {
        match (self, input) {
            (InputFiles::Library(root), input) => input.to_api_value(root),
            (InputFiles::Unread, ImageInput::File { .. }) => Ok(UNREAD_FILE.replace("{mime}", "image/png")),
            (InputFiles::Unread, ImageInput::Url { url }) => Ok(url.clone()),
        }
    }

    /// A library file of at most `limit` bytes as a `data:` URL of `mime`.
    pub(crate) fn data_url(self, path: &str, limit: u64, mime: &str) -> Result<String, InputImageError> {
        let InputFiles::Library(root) = self else { return Ok(UNREAD_FILE.replace("{mime}", mime)) };
        let bytes = crate::input_images::read_library_file(root, path, limit)?;
        use base64::Engine as _;
        Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
    }
}

/// The stand-in for a file that is not read ([`InputFiles::Unread`]).
const UNREAD_FILE: &str = "data:{mime};base64,AAAA";

/// An image generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageParams {
    /// `image-01` or `image-01-live`.
    pub model: String,
    /// ≤ 1500 characters.
    pub prompt: String,
    /// `1:1`, `16:9`, …
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// Images, 1–9 (default 1).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Same seed and parameters ⇒ a similar image.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Let the server improve the prompt.
    #[serde(default)]
    pub prompt_optimizer: bool,
    /// A portrait to keep the subject of.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_reference: Option<ImageInput>,
}

impl ImageParams {
    /// Images asked for.
    pub fn image_count(&self) -> u32 {
        self.count.unwrap_or(1)
    }
}

/// A song.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MusicParams {
    /// `music-2.6`, …
    pub model: String,
    /// Style, mood, instruments.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Lyrics with structure tags (`[Verse]`, `[Chorus]`…).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    /// No vocals.
    #[serde(default)]
    pub instrumental: bool,
    /// `mp3` (default) or `wav`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

impl MusicParams {
    /// The audio format asked for (`mp3` when unset).
    pub fn format(&self) -> &str {
        self.format.as_deref().unwrap_or("mp3")
    }
}

/// Lyrics: a whole song from a theme, or an edit of existing lyrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LyricsParams {
    /// Theme, style or edit instruction.
    pub prompt: String,
    /// Lyrics to edit (edit mode).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    /// A title kept verbatim.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A request ready for the client, with inputs resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiCall {
    /// `chat()`.
    Chat(ChatRequest),
    /// `synthesize()` / `synthesize_stream()`.
    Speech {
        /// The request.
        request: SpeechRequest,
        /// Streamed.
        stream: bool,
    },
    /// `create_async()`.
    SpeechAsync(AsyncSpeechRequest),
    /// `image().generate()`.
    Image(ImageRequest),
    /// `video().create()` (Hailuo).
    Video(VideoRequest),
    /// `video_v2().create()` (MiniMax-H3).
    VideoV2(VideoV2Request),
    /// `music().generate()`.
    Music(MusicRequest),
    /// `music().lyrics()`.
    Lyrics(LyricsRequest),
    /// `speech().design_voice()`.
    VoiceDesign(VoiceDesignRequest),
    /// `speech().clone_voice()`.
    VoiceClone(VoiceCloneRequest),
}

impl GenerationRequest {
    /// The modality (and so the price rule and the concurrency lane).
    pub fn modality(&self) -> Modality {
        match self {
            GenerationRequest::Chat(_) => Modality::Text,
            GenerationRequest::Speech(p) if p.delivery == SpeechDelivery::Async => Modality::SpeechAsync,
            GenerationRequest::Speech(_) => Modality::Speech,
            GenerationRequest::Image(_) => Modality::Image,
            GenerationRequest::Video(_) => Modality::Video,
            GenerationRequest::Music(_) => Modality::Music,
            GenerationRequest::Lyrics(_) => Modality::Lyrics,
            GenerationRequest::VoiceDesign(_) | GenerationRequest::VoiceClone(_) => Modality::Speech,
        }
    }

    /// The model id (`lyrics` has none to choose).
    pub fn model(&self) -> &str {
        match self {
            GenerationRequest::Chat(p) => &p.model,
            GenerationRequest::Speech(p) => &p.model,
            GenerationRequest::Image(p) => &p.model,
            GenerationRequest::Video(p) => &p.model,
            GenerationRequest::Music(p) => &p.model,
            GenerationRequest::Lyrics(_) => "lyrics",
            GenerationRequest::VoiceDesign(_) => VOICE_DESIGN_MODEL,
            GenerationRequest::VoiceClone(p) => &p.model,
        }
    }

    /// The searchable text of the job: the prompt, the spoken text, the last chat message.
    pub fn prompt(&self) -> String {
        match self {
            GenerationRequest::Chat(p) => p.messages.last().map(|m| m.content.clone()).unwrap_or_default(),
            GenerationRequest::Speech(p) => p.text.clone(),
            GenerationRequest::Image(p) => p.prompt.clone(),
            GenerationRequest::Video(p) => p.prompt.clone(),
            GenerationRequest::Music(p) => {
                let parts = [p.prompt.as_deref(), p.lyrics.as_deref()];
                parts.into_iter().flatten().collect::<Vec<_>>().join("\n")
            }
            GenerationRequest::Lyrics(p) => p.prompt.clone(),
            GenerationRequest::VoiceDesign(p) => format!("{}\n{}", p.prompt, p.preview_text),
            GenerationRequest::VoiceClone(p) => p.preview_text.clone(),
        }
    }

    /// What the price table needs; `billed_characters` is the server's `usage_characters` once known.
    pub fn cost_input(&self, billed_characters: Option<u32>) -> CostInput {
        match self {
            GenerationRequest::Chat(p) => CostInput::Text { model: p.model.clone() },
            GenerationRequest::Speech(p) => CostInput::Speech {
                model: p.model.clone(),
                asynchronous: p.delivery == SpeechDelivery::Async,
                characters: u32::try_from(char_len(&p.text)).unwrap_or(u32::MAX),
                billed_characters,
            },
            GenerationRequest::Image(p) => {
                CostInput::Image { model: p.model.clone(), count: p.image_count() }
            }
            GenerationRequest::Video(p) => CostInput::Video {
                model: p.model.clone(),
                resolution: p.effective_resolution(),
                duration_s: p.billed_duration_s(),
            },
            GenerationRequest::Music(p) => CostInput::Music { model: p.model.clone() },
            GenerationRequest::Lyrics(_) => CostInput::Lyrics,
            GenerationRequest::VoiceDesign(p) => CostInput::Speech {
                model: VOICE_DESIGN_PRICED_AS.to_owned(),
                asynchronous: false,
                characters: u32::try_from(char_len(&p.preview_text)).unwrap_or(u32::MAX),
                billed_characters,
            },
            GenerationRequest::VoiceClone(p) => CostInput::Speech {
                model: p.model.clone(),
                asynchronous: false,
                characters: u32::try_from(char_len(&p.preview_text)).unwrap_or(u32::MAX),
                billed_characters,
            },
        }
    }

    /// Units produced, for the ledger: characters, images, clips, songs, calls.
    pub fn units(&self, billed_characters: Option<u32>) -> u64 {
        match self {
            GenerationRequest::Speech(p) => {
                u64::from(billed_characters.unwrap_or_else(|| u32::try_from(char_len(&p.text)).unwrap_or(0)))
            }
            GenerationRequest::VoiceDesign(VoiceDesignParams { preview_text, .. })
            | GenerationRequest::VoiceClone(VoiceCloneParams { preview_text, .. }) => u64::from(
                billed_characters.unwrap_or_else(|| u32::try_from(char_len(preview_text)).unwrap_or(0)),
            ),
            GenerationRequest::Image(p) => u64::from(p.image_count()),
            _ => 1,
        }
    }

    /// The wire request. Input images are read here (relative paths from `root`), so the caller learns about a
    /// missing frame before anything is sent. The request is validated against the documented limits.
    pub fn to_call(&self, root: &Path) -> Result<ApiCall, RequestProblem> {
        self.to_call_with(InputFiles::Library(root))
    }

    /// Whether MiniMax would take the request, by its documented limits, without reading its input files (a
    /// dry run names files that are not in the library yet).
    pub fn check(&self) -> Result<(), RequestProblem> {
        self.to_call_with(InputFiles::Unread).map(|_| ())
    }

    fn to_call_with(&self, files: InputFiles<'_>) -> Result<ApiCall, RequestProblem> {
        let call = match self {
            GenerationRequest::Chat(p) => {
                let mut messages = Vec::with_capacity(p.messages.len() + 1);
                if let Some(system) = p.system.as_deref().filter(|s| !s.trim().is_empty()) {
                    messages.push(ChatMessage::text("system", system));
                }
                for turn in &p.messages {
                    let role = match turn.role {
                        ChatRole::User => "user",
                        ChatRole::Assistant => "assistant",
                    };
                    messages.push(ChatMessage::text(role, turn.content.clone()));
                }
                let mut request = ChatRequest::new(p.model.clone(), messages);
                request.max_completion_tokens = p.max_tokens;
                request.temperature = p.temperature;
                request.validate()?;
                ApiCall::Chat(request)
            }
            GenerationRequest::Speech(p) if p.delivery == SpeechDelivery::Async => {
                let request = AsyncSpeechRequest {
                    model: p.model.clone(),
                    text: Some(p.text.clone()),
                    voice_setting: AsyncVoiceSetting {
                        voice_id: p.voice_id.clone(),
                        speed: p.speed,
                        vol: p.volume,
                        pitch: p.pitch,
                        emotion: p.emotion.clone(),
                        ..AsyncVoiceSetting::default()
                    },
                    audio_setting: Some(AsyncAudioSetting {
                        audio_sample_rate: p.sample_rate,
                        format: Some(p.format().to_owned()),
                        ..AsyncAudioSetting::default()
                    }),
                    language_boost: p.language_boost.clone(),
                    ..AsyncSpeechRequest::default()
                };
                request.validate()?;
                ApiCall::SpeechAsync(request)
            }
            GenerationRequest::Speech(p) => {
                let request = SpeechRequest {
                    model: p.model.clone(),
                    text: p.text.clone(),
                    voice_setting: VoiceSetting {
                        voice_id: p.voice_id.clone(),
                        speed: p.speed,
                        vol: p.volume,
                        pitch: p.pitch,
                        emotion: p.emotion.clone(),
                        ..VoiceSetting::default()
                    },
                    audio_setting: Some(AudioSetting {
                        sample_rate: p.sample_rate,
                        format: Some(p.format().to_owned()),
                        ..AudioSetting::default()
                    }),
                    language_boost: p.language_boost.clone(),
                    subtitle_enable: (p.subtitles && p.delivery == SpeechDelivery::Sync).then_some(true),
                    ..SpeechRequest::default()
                };
                request.validate()?;
                ApiCall::Speech { request, stream: p.delivery == SpeechDelivery::Stream }
            }
            GenerationRequest::Image(p) => {
                let subject_reference = match &p.subject_reference {
                    Some(input) => Some(vec![ImageSubjectReference {
                        reference_type: "character".into(),
                        image_file: files
                            .image(input)
                            .map_err(|e| RequestProblem::input("subjectReference", e))?,
                    }]),
                    None => None,
                };
                let request = ImageRequest {
                    model: p.model.clone(),
                    prompt: p.prompt.clone(),
                    aspect_ratio: p.aspect_ratio.clone(),
                    seed: p.seed,
                    n: p.count,
                    prompt_optimizer: p.prompt_optimizer.then_some(true),
                    subject_reference,
                    ..ImageRequest::default()
                };
                request.validate()?;
                ApiCall::Image(request)
            }
            GenerationRequest::Video(p) => p.to_call(files)?,
            GenerationRequest::Music(p) => {
                let request = MusicRequest {
                    model: p.model.clone(),
                    prompt: p.prompt.clone().filter(|s| !s.is_empty()),
                    lyrics: p.lyrics.clone().filter(|s| !s.is_empty()),
                    is_instrumental: p.instrumental.then_some(true),
                    audio_setting: Some(MusicAudioSetting {
                        format: Some(p.format().to_owned()),
                        ..MusicAudioSetting::default()
                    }),
                    ..MusicRequest::default()
                };
                request.validate()?;
                ApiCall::Music(request)
            }
            GenerationRequest::Lyrics(p) => {
                let request = LyricsRequest {
                    mode: if p.lyrics.is_some() { "edit" } else { "write_full_song" }.into(),
                    prompt: Some(p.prompt.clone()),
                    lyrics: p.lyrics.clone(),
                    title: p.title.clone(),
                };
                request.validate()?;
                ApiCall::Lyrics(request)
            }
            GenerationRequest::VoiceDesign(p) => ApiCall::VoiceDesign(p.to_call()?),
            GenerationRequest::VoiceClone(p) => ApiCall::VoiceClone(p.to_call()?),
        };
        Ok(call)
    }
}

/// Why a request cannot be sent (it was never sent, so it costs nothing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestProblem {
    /// A value breaks a documented limit.
    #[error("{0}")]
    Invalid(#[from] minimax_api::ValidationError),
    /// An input file is refused (outside the library, not a file, too large) or could not be read.
    #[error("{field}: {reason}")]
    Input {
        /// The camelCase field.
        field: &'static str,
        /// Why, with the path.
        reason: String,
    },
}

impl RequestProblem {
    pub(crate) fn input(field: &'static str, error: InputImageError) -> Self {
        RequestProblem::Input { field, reason: error.to_string() }
    }
}

#[path = "request_video.rs"]
mod video;
pub use video::VideoParams;

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
