//! Speech: synchronous T2A (`/v1/t2a_v2`, hex or URL, plain or streamed), asynchronous T2A
//! (`/v1/t2a_async_v2` + `/v1/query/t2a_async_query_v2`), the voice list (`/v1/get_voice`), and designed
//! and cloned voices (`/v1/voice_design`, `/v1/voice_clone`, `/v1/delete_voice`).

mod custom_voice;
mod model_rules;
mod request;
mod stream;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use custom_voice::*;
pub use model_rules::{INTERJECTION_TAGS, emotions_for, find_interjection, supports_interjections};
pub use request::*;
pub(crate) use stream::SpeechStreamAssembler;
pub use stream::SpeechStreamEvent;

use crate::envelope::{BaseResp, decode_body, decode_reply, enveloped, enveloped_and_traced};
use crate::error::{Error, RawBody, Result};
use crate::hex::decode_hex;
use crate::sse::{EventStream, open_event_stream};
use crate::task::TaskStatus;
use crate::transport::{CallKind, MiniMaxClient, Reply, RequestSpec};
use crate::wire::{opt_count, opt_cow_str, opt_string_or_number, string_or_number};

const T2A_PATH: &str = "/v1/t2a_v2";
const T2A_ASYNC_PATH: &str = "/v1/t2a_async_v2";
const T2A_ASYNC_QUERY_PATH: &str = "/v1/query/t2a_async_query_v2";
const VOICES_PATH: &str = "/v1/get_voice";

/// `extra_info` of a synthesis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioExtraInfo {
    /// Duration in ms.
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_length: Option<i64>,
    /// Sample rate.
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_sample_rate: Option<i64>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_size: Option<i64>,
    /// Bitrate.
    #[serde(default, deserialize_with = "opt_count")]
    pub bitrate: Option<i64>,
    /// Words, punctuation excluded.
    #[serde(default, deserialize_with = "opt_count")]
    pub word_count: Option<i64>,
    /// Share of invisible characters (> 10% ⇒ error 1042).
    #[serde(default)]
    pub invisible_character_ratio: Option<f64>,
    /// Billed characters.
    #[serde(default, deserialize_with = "opt_count")]
    pub usage_characters: Option<i64>,
    /// Container format.
    #[serde(default)]
    pub audio_format: Option<String>,
    /// Channels.
    #[serde(default, deserialize_with = "opt_count")]
    pub audio_channel: Option<i64>,
}

/// The `data` object of a T2A answer, borrowing the hex text from the body.
#[derive(Debug, Deserialize)]
pub(crate) struct T2aData<'a> {
    #[serde(borrow, default, deserialize_with = "opt_cow_str")]
    pub audio: Option<Cow<'a, str>>,
    #[serde(default)]
    pub audio_url: Option<String>,
    #[serde(default)]
    pub status: Option<i64>,
    #[serde(default)]
    pub subtitle_file: Option<String>,
}

/// A whole T2A answer or one streamed T2A event (same shape).
#[derive(Debug, Deserialize)]
pub(crate) struct T2aWire<'a> {
    #[serde(borrow, default)]
    pub data: Option<T2aData<'a>>,
    #[serde(default)]
    pub extra_info: Option<AudioExtraInfo>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub base_resp: Option<BaseResp>,
}
enveloped!(T2aWire<'a>);

/// Audio bytes or a URL to fetch them from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechAudio {
    /// Decoded audio in the requested format.
    Bytes(Vec<u8>),
    /// A URL valid for 24 h (`output_format: url`): download it right away.
    Url(String),
}

/// The answer of a non-streamed synthesis.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechResult {
    /// The audio.
    pub audio: SpeechAudio,
    /// URL of a JSON subtitle file, when asked for.
    pub subtitle_file: Option<String>,
    /// Duration, size, billed characters…
    pub extra_info: Option<AudioExtraInfo>,
    /// The `Trace-Id` header, else the body's `trace_id`.
    pub trace_id: Option<String>,
}

/// The answer of `/v1/t2a_async_v2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncSpeechTask {
    /// Task id (a number in examples, a string in the schema: kept as a string).
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// Task token.
    #[serde(default)]
    pub task_token: Option<String>,
    /// File id of the future result.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub file_id: Option<String>,
    /// Billed characters.
    #[serde(default, deserialize_with = "opt_count")]
    pub usage_characters: Option<i64>,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(AsyncSpeechTask);

/// The answer of the async speech query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsyncSpeechStatus {
    /// Task id.
    #[serde(deserialize_with = "string_or_number")]
    pub task_id: String,
    /// Status, compared case-insensitively.
    pub status: TaskStatus,
    /// The result file, on success (retrieve it within 9 h).
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub file_id: Option<String>,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(AsyncSpeechStatus);

/// One voice of `/v1/get_voice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// The id to synthesize with.
    pub voice_id: String,
    /// Display name (system voices).
    #[serde(default)]
    pub voice_name: Option<String>,
    /// Description lines (`null` ⇒ empty).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: Vec<String>,
    /// Creation date, e.g. `2025-08-20`.
    #[serde(default)]
    pub created_time: Option<String>,
}

/// The voices available to the key (arrays may be `null`: read as empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceList {
    /// System voices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub system_voice: Vec<Voice>,
    /// Cloned voices (listed after first successful use).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub voice_cloning: Vec<Voice>,
    /// Designed voices.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub voice_generation: Vec<Voice>,
    /// The trace id.
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing)]
    base_resp: Option<BaseResp>,
}
enveloped_and_traced!(VoiceList);

fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Speech calls.
#[derive(Debug, Clone, Copy)]
pub struct Speech<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Speech<'_> {
    /// `POST /v1/t2a_v2` without streaming: decoded audio (hex) or a URL.
    pub async fn synthesize(self, request: &SpeechRequest) -> Result<SpeechResult> {
        let mut request = request.clone();
        request.stream = false;
        request.stream_options = None;
        request.validate()?;
        let wants_url = request.output_format == Some(OutputFormat::Url);
        let spec = RequestSpec::post(T2A_PATH, &request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_speech(T2A_PATH, reply, wants_url)).await
    }

    /// `POST /v1/t2a_v2` with `stream: true`: audio chunks as they arrive, then a summary. The final
    /// event's repeat of the whole audio is never emitted twice.
    ///
    /// When the caller leaves `stream_options` unset, `exclude_aggregated_audio: true` is sent: the
    /// repeat is never used when chunks came first, and receiving it doubles the download and makes
    /// one huge SSE event. A server that repeats the audio anyway is still handled.
    pub async fn synthesize_stream(self, request: &SpeechRequest) -> Result<EventStream<SpeechStreamEvent>> {
        let mut request = request.clone();
        request.stream = true;
        if request.stream_options.is_none() {
            request.stream_options = Some(SpeechStreamOptions { exclude_aggregated_audio: true });
        }
        request.validate()?;
        let spec = RequestSpec::post(T2A_PATH, &request, CallKind::Paid)?;
        open_event_stream(self.client, &spec, |trace_id| SpeechStreamAssembler::new(T2A_PATH, trace_id)).await
    }

    /// `POST /v1/t2a_async_v2`: starts a long synthesis. Never retried once sent.
    pub async fn create_async(self, request: &AsyncSpeechRequest) -> Result<AsyncSpeechTask> {
        request.validate()?;
        let spec = RequestSpec::post(T2A_ASYNC_PATH, request, CallKind::Paid)?;
        self.client.execute(&spec, |reply| decode_reply::<AsyncSpeechTask>(T2A_ASYNC_PATH, reply)).await
    }

    /// `GET /v1/query/t2a_async_query_v2?task_id=…` (at most 10 queries per second).
    pub async fn query_async(self, task_id: &str) -> Result<AsyncSpeechStatus> {
        let spec = RequestSpec::get(T2A_ASYNC_QUERY_PATH, vec![("task_id", task_id.to_owned())]);
        self.client
            .execute(&spec, |reply| decode_reply::<AsyncSpeechStatus>(T2A_ASYNC_QUERY_PATH, reply))
            .await
    }

    /// `POST /v1/get_voice`: the voices of a type (`system`, `voice_cloning`, `voice_generation`, `all`).
    pub async fn voices(self, request: &VoicesRequest) -> Result<VoiceList> {
        request.validate()?;
        let spec = RequestSpec::post(VOICES_PATH, request, CallKind::Idempotent)?;
        self.client.execute(&spec, |reply| decode_reply::<VoiceList>(VOICES_PATH, reply)).await
    }
}

/// Decodes a whole `/v1/t2a_v2` answer body (checks `base_resp`, decodes the hex audio from the
/// borrowed body text). Public so benchmarks and the simulator's tests can use the same hot path.
pub fn parse_speech_body(
    body: bytes::Bytes,
    trace_id: Option<String>,
    wants_url: bool,
) -> Result<SpeechResult> {
    decode_speech(T2A_PATH, &Reply { status: 200, trace_id, body }, wants_url)
}

/// Decodes a whole T2A answer: hex audio decoded from the borrowed body text, or a URL read
/// from `data.audio` (MiniMax-MCP) or `data.audio_url` (mmx-cli).
pub(crate) fn decode_speech(endpoint: &str, reply: &Reply, wants_url: bool) -> Result<SpeechResult> {
    let wire: T2aWire<'_> = decode_body(endpoint, &reply.body, reply.status, reply.trace_id.as_deref())?;
    let trace_id = reply.trace_id.clone().or(wire.trace_id);
    let missing = |reason: &str| Error::Decode {
        endpoint: endpoint.to_owned(),
        reason: reason.to_owned(),
        trace_id: trace_id.clone(),
        body: RawBody::from_bytes(&reply.body),
    };
    let data = wire.data.ok_or_else(|| missing("the answer has no `data`"))?;
    let audio = match (wants_url, data.audio, data.audio_url) {
        (_, Some(text), _) if text.starts_with("http://") || text.starts_with("https://") => {
            SpeechAudio::Url(text.into_owned())
        }
        (true, _, Some(url)) => SpeechAudio::Url(url),
        // Hex even when a URL was asked for: use what the server sent.
        (_, Some(hex), _) if !hex.is_empty() => {
            SpeechAudio::Bytes(decode_hex(&hex).map_err(|e| missing(&format!("data.audio: {e}")))?)
        }
        (_, _, Some(url)) => SpeechAudio::Url(url),
        _ => return Err(missing("the answer has no audio")),
    };
    Ok(SpeechResult { audio, subtitle_file: data.subtitle_file, extra_info: wire.extra_info, trace_id })
}

impl MiniMaxClient {
    /// Speech calls.
    pub fn speech(&self) -> Speech<'_> {
        Speech { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_audio_survives_the_json_hex_path(audio in proptest::collection::vec(any::<u8>(), 0..3000), upper in any::<bool>()) {
            let mut hex: String = audio.iter().map(|b| format!("{b:02x}")).collect();
            if upper {
                hex = hex.to_uppercase();
            }
            let body = format!(r#"{{"data":{{"audio":"{hex}","status":2}},"trace_id":"t","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#);
            let result = parse_speech_body(bytes::Bytes::from(body), None, false);
            if audio.is_empty() {
                prop_assert!(result.is_err(), "an empty audio is reported, not returned");
            } else {
                prop_assert_eq!(result.unwrap().audio, SpeechAudio::Bytes(audio));
            }
        }

        #[test]
        fn a_body_cut_anywhere_is_an_error_never_a_panic(cut in 0usize..200) {
            let body = r#"{"data":{"audio":"494433040000","status":2},"trace_id":"t","base_resp":{"status_code":0,"status_msg":"success"}}"#;
            let cut = cut.min(body.len() - 1);
            let result = parse_speech_body(bytes::Bytes::from(body[..cut].to_owned()), None, false);
            prop_assert!(result.is_err());
        }
    }
}
