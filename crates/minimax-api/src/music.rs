//! Music: `POST /v1/music_generation` (songs, instrumentals, covers; hex or URL output) and lyrics:
//! `POST /v1/lyrics_generation` (minimax-api.md §6).

use serde::{Deserialize, Serialize};

use crate::envelope::{BaseResp, decode_body, decode_reply, enveloped, enveloped_and_traced};
use crate::error::{Error, RawBody, Result};
use crate::hex::decode_hex;
use crate::speech::{OutputFormat, SpeechAudio, T2aData};
use crate::transport::{CallKind, MiniMaxClient, Reply, RequestSpec};
use crate::validation::{
    Bounds, Checked, ValidationError, check_len, check_one_of, check_opt_one_of, check_opt_range,
};
use crate::wire::opt_count;

const MUSIC_PATH: &str = "/v1/music_generation";
const LYRICS_PATH: &str = "/v1/lyrics_generation";

/// Music models of every documented era (`music-3.0` is third-party only and not listed).
pub const MUSIC_MODELS: &[&str] = &[
    "music-2.6",
    "music-2.6-free",
    "music-cover",
    "music-cover-free",
    "music-2.5+",
    "music-2.5",
    "music-2.0",
    "music-1.5",
];
/// Models that accept `is_instrumental` (music-2.5+ earlier, music-2.6 now).
pub const INSTRUMENTAL_MODELS: &[&str] = &["music-2.6", "music-2.6-free", "music-2.5+"];
/// Models that accept `lyrics_optimizer`.
pub const LYRICS_OPTIMIZER_MODELS: &[&str] = &["music-2.6", "music-2.6-free", "music-2.5+", "music-2.5"];
/// `audio_setting.sample_rate` values.
pub const MUSIC_SAMPLE_RATES: &[u32] = &[16000, 24000, 32000, 44100];
/// `audio_setting.bitrate` values.
pub const MUSIC_BITRATES: &[u32] = &[32000, 64000, 128000, 256000];
/// `audio_setting.format` values.
pub const MUSIC_FORMATS: &[&str] = &["mp3", "wav", "pcm"];
/// Lyrics modes.
pub const LYRICS_MODES: &[&str] = &["write_full_song", "edit"];

/// `audio_setting` of a music request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MusicAudioSetting {
    /// One of [`MUSIC_SAMPLE_RATES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// One of [`MUSIC_BITRATES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u32>,
    /// One of [`MUSIC_FORMATS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// 1 or 2 (mmx-cli cover command only; UNCONFIRMED).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<u8>,
}

/// A `/v1/music_generation` request (non-streamed: the streamed format is undocumented).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MusicRequest {
    /// One of [`MUSIC_MODELS`].
    pub model: String,
    /// Style description (limits depend on the model and mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// `\n`-separated lyrics with structure tags (`[Verse]`, `[Chorus]`…), ≤ 3500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    /// No vocals (music-2.6 / -free, music-2.5+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_instrumental: Option<bool>,
    /// Write lyrics from the prompt when `lyrics` is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics_optimizer: Option<bool>,
    /// Hex (default) or a URL valid 24 h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<OutputFormat>,
    /// Audio encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_setting: Option<MusicAudioSetting>,
    /// AIGC watermark (non-stream only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aigc_watermark: Option<bool>,
    /// Covers: reference audio URL (exactly one of `audio_url` / `audio_base64` unless `cover_feature_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Covers: reference audio as base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_base64: Option<String>,
    /// Covers: id from `/v1/music_cover_preprocess` (valid 24 h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_feature_id: Option<String>,
    /// `[0, 1000000]` (mmx-cli cover flag; UNCONFIRMED in the spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
}

impl MusicRequest {
    /// Checks the documented limits of §6.1 for the model and mode.
    pub fn validate(&self) -> Checked {
        check_one_of("model", &self.model.as_str(), MUSIC_MODELS)?;
        let prompt = self.prompt.as_deref().unwrap_or_default();
        let lyrics = self.lyrics.as_deref().unwrap_or_default();
        let instrumental = self.is_instrumental == Some(true);
        let optimizer = self.lyrics_optimizer == Some(true);
        if self.is_instrumental.is_some() {
            check_one_of("is_instrumental (model)", &self.model.as_str(), INSTRUMENTAL_MODELS)?;
        }
        if self.lyrics_optimizer.is_some() {
            check_one_of("lyrics_optimizer (model)", &self.model.as_str(), LYRICS_OPTIMIZER_MODELS)?;
        }
        if self.model.starts_with("music-cover") {
            check_len("prompt", prompt, 10, 300)?;
            if self.cover_feature_id.is_some() {
                check_len("lyrics", lyrics, 10, 1000)?;
            } else {
                if self.lyrics.is_some() {
                    check_len("lyrics", lyrics, 10, 1000)?;
                }
                if self.audio_url.is_some() == self.audio_base64.is_some() {
                    return Err(ValidationError::new(
                        "audio_url",
                        "both or neither of audio_url/audio_base64",
                        "exactly one of audio_url or audio_base64",
                    ));
                }
            }
        } else if matches!(self.model.as_str(), "music-2.0" | "music-1.5") {
            check_len("prompt", prompt, 10, 300)?;
            check_len("lyrics", lyrics, 10, 600)?;
        } else if instrumental {
            check_len("prompt", prompt, 1, 2000)?;
            check_len("lyrics", lyrics, 0, 3500)?;
        } else {
            check_len("prompt", prompt, 0, 2000)?;
            let min_lyrics = if optimizer { 0 } else { 1 };
            check_len("lyrics", lyrics, min_lyrics, 3500)?;
        }
        if let Some(audio) = &self.audio_setting {
            check_opt_one_of("audio_setting.sample_rate", audio.sample_rate.as_ref(), MUSIC_SAMPLE_RATES)?;
            check_opt_one_of("audio_setting.bitrate", audio.bitrate.as_ref(), MUSIC_BITRATES)?;
            check_opt_one_of("audio_setting.format", audio.format.as_deref().as_ref(), MUSIC_FORMATS)?;
            check_opt_one_of("audio_setting.channel", audio.channel.as_ref(), &[1, 2])?;
        }
        check_opt_range("seed", self.seed, 0, 1_000_000, Bounds::Inclusive)
    }
}

/// `extra_info` of a song: the spec's `music_*` names, plus the `audio_*` names mmx-cli's types use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MusicExtraInfo {
    /// Duration in ms (spec).
    #[serde(default, deserialize_with = "opt_count")]
    pub music_duration: Option<i64>,
    /// Sample rate (spec).
    #[serde(default, deserialize_with = "opt_count")]
    pub music_sample_rate: Option<i64>,
    /// Channels (spec).
    #[serde(default, deserialize_with = "opt_count")]
    pub music_channel: Option<i64>,
    /// Size in bytes (spec).
    #[serde(default, deserialize_with = "opt_count")]
    pub music_size: Option<i64>,
    /// Bitrate.
    #[serde(default, deserialize_with = "opt_count")]
    pub bitrate: Option<i64>,
    /// Duration in ms (mmx-cli variant).
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_length: Option<i64>,
    /// Sample rate (mmx-cli variant).
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_sample_rate: Option<i64>,
    /// Size (mmx-cli variant).
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_size: Option<i64>,
    /// Channels (mmx-cli variant).
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_channel: Option<i64>,
}

impl MusicExtraInfo {
    /// Duration in ms from whichever variant is present.
    pub fn duration_ms(&self) -> Option<i64> {
        self.music_duration.or(self.audio_length)
    }
    /// Size in bytes from whichever variant is present.
    pub fn size_bytes(&self) -> Option<i64> {
        self.music_size.or(self.audio_size)
    }
}

#[derive(Debug, Deserialize)]
struct MusicWire<'a> {
    #[serde(borrow, default)]
    data: Option<T2aData<'a>>,
    #[serde(default)]
    extra_info: Option<MusicExtraInfo>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}
enveloped!(MusicWire<'a>);

/// A generated song.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MusicResult {
    /// Decoded audio, or a URL valid 24 h.
    pub audio: SpeechAudio,
    /// Duration, sample rate, size…
    pub extra_info: Option<MusicExtraInfo>,
    /// The `Trace-Id` header, else the body's `trace_id`.
    pub trace_id: Option<String>,
}

/// A `/v1/lyrics_generation` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LyricsRequest {
    /// `write_full_song` or `edit`.
    pub mode: String,
    /// Theme, style or edit instruction, ≤ 2000 (empty ⇒ random).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Lyrics to edit, ≤ 3500; `edit` mode only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
    /// Kept verbatim in the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl LyricsRequest {
    /// Checks §6.3.
    pub fn validate(&self) -> Checked {
        check_one_of("mode", &self.mode.as_str(), LYRICS_MODES)?;
        check_len("prompt", self.prompt.as_deref().unwrap_or_default(), 0, 2000)?;
        if self.lyrics.is_some() && self.mode != "edit" {
            return Err(ValidationError::new(
                "lyrics",
                "lyrics with write_full_song",
                "lyrics only in edit mode",
            ));
        }
        check_len("lyrics", self.lyrics.as_deref().unwrap_or_default(), 0, 3500)
    }
}

/// Generated lyrics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lyrics {
    /// Title.
    #[serde(default)]
    pub song_title: Option<String>,
    /// e.g. `Pop, Upbeat, Female Vocals`.
    #[serde(default)]
    pub style_tags: Option<String>,
    /// Lyrics with structure tags.
    #[serde(default)]
    pub lyrics: String,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(Lyrics);

/// Music and lyrics calls.
#[derive(Debug, Clone, Copy)]
pub struct Music<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Music<'_> {
    /// Generates a song (synchronous but slow: give the client a long `request_timeout`).
    pub async fn generate(self, request: &MusicRequest) -> Result<MusicResult> {
        request.validate()?;
        let wants_url = request.output_format == Some(OutputFormat::Url);
        let spec = RequestSpec::post(MUSIC_PATH, request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_music(reply, wants_url)).await
    }

    /// Writes or edits lyrics.
    pub async fn lyrics(self, request: &LyricsRequest) -> Result<Lyrics> {
        request.validate()?;
        let spec = RequestSpec::post(LYRICS_PATH, request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_reply::<Lyrics>(LYRICS_PATH, reply)).await
    }
}

/// Decodes a song: hex from the borrowed body, or the URL from `data.audio` / `data.audio_url`.
/// `data.status` other than 2 means the song is not finished and is an error.
fn decode_music(reply: &Reply, wants_url: bool) -> Result<MusicResult> {
    let wire: MusicWire<'_> = decode_body(MUSIC_PATH, &reply.body, reply.status, reply.trace_id.as_deref())?;
    let trace_id = reply.trace_id.clone().or(wire.trace_id);
    let fail = |reason: String| Error::Decode {
        endpoint: MUSIC_PATH.to_owned(),
        reason,
        trace_id: trace_id.clone(),
        body: RawBody::from_bytes(&reply.body),
    };
    let data = wire.data.ok_or_else(|| fail("the answer has no `data`".into()))?;
    if let Some(status) = data.status.filter(|s| *s != 2) {
        return Err(fail(format!("data.status is {status}, not 2 (done)")));
    }
    let audio = match (data.audio, data.audio_url) {
        (Some(text), _) if is_url(&text) => SpeechAudio::Url(text.into_owned()),
        // Hex, unless a URL was asked for and is there too.
        (Some(hex), url) if !hex.is_empty() && (!wants_url || url.is_none()) => {
            SpeechAudio::Bytes(decode_hex(&hex).map_err(|e| fail(format!("data.audio: {e}")))?)
        }
        (_, Some(url)) => SpeechAudio::Url(url),
        _ => return Err(fail("the answer has no audio".into())),
    };
    Ok(MusicResult { audio, extra_info: wire.extra_info, trace_id })
}

fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

impl MiniMaxClient {
    /// Music and lyrics calls.
    pub fn music(&self) -> Music<'_> {
        Music { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn song() -> MusicRequest {
        MusicRequest {
            model: "music-2.6".into(),
            prompt: Some("Indie folk, melancholic, rainy night".into()),
            lyrics: Some(
                "[Verse]\nStreetlights flicker on empty roads\n[Chorus]\nI'll find my way home".into(),
            ),
            ..MusicRequest::default()
        }
    }

    #[test]
    fn validation_table() {
        assert!(song().validate().is_ok());
        let cases: Vec<(MusicRequest, &str)> = vec![
            (MusicRequest { model: "music-9".into(), ..song() }, "model"),
            (MusicRequest { lyrics: None, ..song() }, "lyrics"),
            (MusicRequest { lyrics: Some("x".repeat(3501)), ..song() }, "lyrics"),
            (MusicRequest { prompt: Some("x".repeat(2001)), ..song() }, "prompt"),
            (MusicRequest { is_instrumental: Some(true), prompt: None, ..song() }, "prompt"),
            (
                MusicRequest { model: "music-2.5".into(), is_instrumental: Some(true), ..song() },
                "is_instrumental (model)",
            ),
            (MusicRequest { model: "music-2.0".into(), prompt: Some("short".into()), ..song() }, "prompt"),
            (MusicRequest { model: "music-cover".into(), ..song() }, "audio_url"),
            (
                MusicRequest {
                    audio_setting: Some(MusicAudioSetting { sample_rate: Some(48000), ..Default::default() }),
                    ..song()
                },
                "audio_setting.sample_rate",
            ),
            (MusicRequest { seed: Some(1_000_001), ..song() }, "seed"),
        ];
        for (request, field) in cases {
            assert_eq!(request.validate().expect_err(field).field, field);
        }
        let instrumental = MusicRequest { is_instrumental: Some(true), lyrics: None, ..song() };
        assert!(instrumental.validate().is_ok());
        let optimized = MusicRequest { lyrics_optimizer: Some(true), lyrics: None, ..song() };
        assert!(optimized.validate().is_ok());
        let cover = MusicRequest {
            model: "music-cover".into(),
            audio_url: Some("https://x/ref.mp3".into()),
            lyrics: None,
            ..song()
        };
        assert!(cover.validate().is_ok());
    }

    #[test]
    fn lyrics_validation() {
        let ok = LyricsRequest {
            mode: "write_full_song".into(),
            prompt: Some("summer".into()),
            ..LyricsRequest::default()
        };
        assert!(ok.validate().is_ok());
        assert_eq!(LyricsRequest { mode: "poem".into(), ..ok.clone() }.validate().unwrap_err().field, "mode");
        assert_eq!(
            LyricsRequest { lyrics: Some("la".into()), ..ok.clone() }.validate().unwrap_err().field,
            "lyrics"
        );
        assert!(LyricsRequest { mode: "edit".into(), lyrics: Some("la".into()), ..ok }.validate().is_ok());
    }

    fn reply(body: &str) -> Reply {
        Reply { status: 200, trace_id: None, body: bytes::Bytes::from(body.to_owned()) }
    }

    #[test]
    fn both_extra_info_variants_and_url_shapes() {
        let spec = r#"{"data":{"audio":"4944","status":2},"trace_id":"04ed","extra_info":{"music_duration":25364,"music_sample_rate":44100,"music_channel":2,"bitrate":256000,"music_size":813651},"analysis_info":null,"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        let result = decode_music(&reply(spec), false).unwrap();
        assert_eq!(result.audio, SpeechAudio::Bytes(b"ID".to_vec()));
        assert_eq!(result.extra_info.as_ref().and_then(MusicExtraInfo::duration_ms), Some(25364));
        assert_eq!(result.trace_id.as_deref(), Some("04ed"));
        let cli = r#"{"data":{"audio_url":"https://cdn/x.mp3","status":2},"extra_info":{"audio_length":1000,"audio_size":5},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        let result = decode_music(&reply(cli), true).unwrap();
        assert_eq!(result.audio, SpeechAudio::Url("https://cdn/x.mp3".into()));
        assert_eq!(result.extra_info.as_ref().and_then(MusicExtraInfo::duration_ms), Some(1000));
        let mcp = r#"{"data":{"audio":"https:\/\/cdn\/y.mp3","status":2},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        assert_eq!(
            decode_music(&reply(mcp), true).unwrap().audio,
            SpeechAudio::Url("https://cdn/y.mp3".into())
        );
        let unfinished =
            r#"{"data":{"audio":"","status":1},"base_resp":{"status_code":0,"status_msg":"success"}}"#;
        assert!(decode_music(&reply(unfinished), false).is_err());
    }
}
