//! `POST /v1/files/upload` (multipart: `purpose` + `file`), minimax-api.md §7 and minimax-api-2026.md §4.3:
//! voice-clone samples (mp3/m4a/wav, 10 s–5 min, ≤ 20 MB), prompt audio (< 8 s, ≤ 20 MB) and async speech
//! input (txt/zip). A file on disk is streamed, never read whole. The size, the format (by name and by
//! the first bytes) are checked here; the length of a sample cannot be known without decoding it, so
//! checking 10 s–5 min is the caller's job ([`CLONE_SAMPLE_SECONDS`]).

use std::path::PathBuf;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

use super::{FileInfo, Files};
use crate::envelope::{BaseResp, decode_body, enveloped};
use crate::error::{Error, RawBody, Result};
use crate::transport::{CallKind, RequestSpec};
use crate::validation::{Checked, ValidationError, join};

const UPLOAD_PATH: &str = "/v1/files/upload";

/// The largest voice sample or prompt audio.
pub const MAX_AUDIO_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;
/// The length a clone sample must have, in seconds (checked by the caller, who can decode it).
pub const CLONE_SAMPLE_SECONDS: (u32, u32) = (10, 300);
/// Prompt audio must be shorter than this, in seconds.
pub const PROMPT_AUDIO_MAX_SECONDS: u32 = 8;

/// What an upload is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A voice sample to clone (mp3/m4a/wav, 10 s–5 min, ≤ 20 MB).
    VoiceClone,
    /// The optional prompt clip of a clone (mp3/m4a/wav, < 8 s, ≤ 20 MB).
    PromptAudio,
    /// The text of an async synthesis (txt or zip).
    T2aAsyncInput,
}

impl FilePurpose {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            FilePurpose::VoiceClone => "voice_clone",
            FilePurpose::PromptAudio => "prompt_audio",
            FilePurpose::T2aAsyncInput => "t2a_async_input",
        }
    }

    /// The file extensions allowed.
    pub fn formats(self) -> &'static [&'static str] {
        match self {
            FilePurpose::VoiceClone | FilePurpose::PromptAudio => &["mp3", "m4a", "wav"],
            FilePurpose::T2aAsyncInput => &["txt", "zip"],
        }
    }

    /// The largest file allowed, when the docs give one.
    pub fn max_bytes(self) -> Option<u64> {
        match self {
            FilePurpose::VoiceClone | FilePurpose::PromptAudio => Some(MAX_AUDIO_UPLOAD_BYTES),
            FilePurpose::T2aAsyncInput => None,
        }
    }

    fn is_audio(self) -> bool {
        self != FilePurpose::T2aAsyncInput
    }
}

/// What to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadSource {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file streamed from disk.
    Path(PathBuf),
}

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// Its id (for `voice_clone`'s `file_id`, `clone_prompt.prompt_audio`, `text_file_id`, `mm_file://`).
    pub file: FileInfo,
    /// The `Trace-Id` header.
    pub trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct UploadWire {
    #[serde(default)]
    file: Option<FileInfo>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}
enveloped!(UploadWire);

/// The audio container the first bytes show: `mp3` (an ID3 tag or a frame sync), `wav` (RIFF/WAVE) or
/// `m4a` (an MP4 `ftyp` box); `None` for anything else.
pub fn sniff_audio_format(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        Some("mp3")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        Some("wav")
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Some("m4a")
    } else {
        None
    }
}

/// Checks an upload before it is sent: the purpose's formats by the file name's extension, the size,
/// and for audio purposes that the first bytes (when given) are audio at all.
pub fn check_upload(purpose: FilePurpose, file_name: &str, size: u64, head: Option<&[u8]>) -> Checked {
    let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    if !purpose.formats().contains(&extension.as_str()) {
        return Err(ValidationError::new(
            "file",
            format!("{file_name:?} for {}", purpose.as_str()),
            format!("a {} file", join(purpose.formats())),
        ));
    }
    if size == 0 {
        return Err(ValidationError::new("file", "is empty", "a non-empty file"));
    }
    if let Some(max) = purpose.max_bytes()
        && size > max
    {
        return Err(ValidationError::new(
            "file",
            format!("{size} bytes"),
            format!("at most {max} bytes (20 MB)"),
        ));
    }
    if purpose.is_audio()
        && let Some(head) = head
        && sniff_audio_format(head).is_none()
    {
        return Err(ValidationError::new(
            "file",
            "does not start like mp3, m4a or wav audio",
            "an audio file",
        ));
    }
    Ok(())
}

/// The MIME type sent with a file part.
fn mime_of(file_name: &str) -> &'static str {
    match file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        Some("m4a") => "audio/mp4",
        Some("txt") => "text/plain",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The size and the first bytes of a source.
async fn measure(source: &UploadSource) -> Result<(u64, Vec<u8>)> {
    match source {
        UploadSource::Bytes(bytes) => Ok((bytes.len() as u64, bytes[..bytes.len().min(16)].to_vec())),
        UploadSource::Path(path) => {
            let mut file = tokio::fs::File::open(path).await?;
            let size = file.metadata().await?.len();
            let mut head = vec![0u8; 16];
            let read = file.read(&mut head).await?;
            head.truncate(read);
            Ok((size, head))
        }
    }
}

impl Files<'_> {
    /// `POST /v1/files/upload`: checks the purpose's formats, the size and the first bytes, then sends the
    /// file as a multipart part (a path is streamed from disk; on a retry it is opened again). `file_name`
    /// is what the server records (a name of ours, never a user's path).
    pub async fn upload(
        self,
        purpose: FilePurpose,
        file_name: &str,
        source: UploadSource,
    ) -> Result<UploadedFile> {
        let (size, head) = measure(&source).await?;
        check_upload(purpose, file_name, size, Some(&head))?;
        let mime = mime_of(file_name);
        let make_form = || {
            let source = source.clone();
            let file_name = file_name.to_owned();
            async move {
                let part = match source {
                    UploadSource::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(bytes, size),
                    UploadSource::Path(path) => reqwest::multipart::Part::file(&path).await?,
                };
                let part = part.file_name(file_name).mime_str(mime).map_err(|e| Error::Decode {
                    endpoint: UPLOAD_PATH.to_owned(),
                    reason: format!("cannot build the upload: {e}"),
                    trace_id: None,
                    body: RawBody(String::new()),
                })?;
                Ok(reqwest::multipart::Form::new().text("purpose", purpose.as_str()).part("file", part))
            }
        };
        // A lost answer may leave an unused copy on the server; uploads are free, so they are retried.
        let spec = RequestSpec { kind: CallKind::Idempotent, ..RequestSpec::get(UPLOAD_PATH, Vec::new()) };
        self.client
            .execute_multipart(&spec, make_form, |reply| {
                let wire: UploadWire =
                    decode_body(UPLOAD_PATH, &reply.body, reply.status, reply.trace_id.as_deref())?;
                let file = wire.file.ok_or_else(|| Error::Decode {
                    endpoint: UPLOAD_PATH.to_owned(),
                    reason: "the answer has no `file` object".into(),
                    trace_id: reply.trace_id.clone(),
                    body: RawBody::from_bytes(&reply.body),
                })?;
                Ok(UploadedFile { file, trace_id: reply.trace_id.clone() })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAV: &[u8] = b"RIFF\x24\x00\x00\x00WAVEfmt ";

    #[test]
    fn formats_sizes_and_first_bytes() {
        assert!(check_upload(FilePurpose::VoiceClone, "narrator.WAV", 1_843_200, Some(WAV)).is_ok());
        assert!(check_upload(FilePurpose::VoiceClone, "a.mp3", 10, Some(b"ID3\x04")).is_ok());
        assert!(
            check_upload(FilePurpose::PromptAudio, "a.m4a", 10, Some(b"\x00\x00\x00\x20ftypM4A ")).is_ok()
        );
        assert!(check_upload(FilePurpose::T2aAsyncInput, "book.txt", 10, Some(b"Once upon")).is_ok());
        let refused = [
            check_upload(FilePurpose::VoiceClone, "a.flac", 10, Some(WAV)),
            check_upload(FilePurpose::VoiceClone, "noext", 10, Some(WAV)),
            check_upload(FilePurpose::VoiceClone, "a.wav", 0, Some(WAV)),
            check_upload(FilePurpose::VoiceClone, "a.wav", MAX_AUDIO_UPLOAD_BYTES + 1, Some(WAV)),
            check_upload(FilePurpose::VoiceClone, "a.wav", 10, Some(b"%PDF-1.7")),
            check_upload(FilePurpose::T2aAsyncInput, "a.mp3", 10, None),
        ];
        for result in refused {
            assert_eq!(result.expect_err("refused").field, "file");
        }
        assert_eq!(sniff_audio_format(&[0xFF, 0xFB, 0x90]), Some("mp3"));
        assert_eq!(sniff_audio_format(b""), None);
    }
}
