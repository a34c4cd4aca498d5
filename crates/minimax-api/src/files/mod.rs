//! Files: `POST /v1/files/upload` ([`Files::upload`]), `GET /v1/files/retrieve`,
//! `GET /v1/files/retrieve_content`, and downloads of `download_url`s and media URLs streamed to an
//! `AsyncWrite` chunk by chunk (never the whole body in memory).

mod upload;

pub use upload::*;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::envelope::{BaseResp, decode_body, enveloped};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::{MiniMaxClient, RequestSpec};
use crate::validation::ValidationError;
use crate::wire::{opt_count, opt_string_or_number, string_or_number};

const RETRIEVE_PATH: &str = "/v1/files/retrieve";
const RETRIEVE_CONTENT_PATH: &str = "/v1/files/retrieve_content";

/// A stored file as described by `/v1/files/retrieve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// The file id (int64 in the spec, a string in video answers — kept as a string).
    #[serde(deserialize_with = "string_or_number")]
    pub file_id: String,
    /// Size in bytes.
    #[serde(default, deserialize_with = "opt_count")]
    pub bytes: Option<i64>,
    /// Creation time, Unix seconds.
    #[serde(default, deserialize_with = "opt_count")]
    pub created_at: Option<i64>,
    /// Server-side file name (never used as a local name).
    #[serde(default)]
    pub filename: Option<String>,
    /// Purpose (`video_generation`, `t2a_async`, …).
    #[serde(default)]
    pub purpose: Option<String>,
    /// Short-lived URL (1 h for video, 9 h for async speech): download right away.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub download_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RetrieveWire {
    #[serde(default)]
    file: Option<FileInfo>,
    #[serde(default)]
    base_resp: Option<BaseResp>,
}
enveloped!(RetrieveWire);

/// A retrieved file with the trace id of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrievedFile {
    /// The file.
    pub file: FileInfo,
    /// The `Trace-Id` header.
    pub trace_id: Option<String>,
}

/// What to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadSource {
    /// An absolute `http(s)` URL (a `download_url`, an image or audio URL).
    Url(String),
    /// A file id: retrieved first to get a fresh `download_url` (§7: "always re-call retrieve right before
    /// downloading").
    FileId(String),
}

impl DownloadSource {
    /// A URL when the text starts with `http://` or `https://`, a file id otherwise.
    pub fn parse(text: &str) -> Self {
        if text.starts_with("https://") || text.starts_with("http://") {
            DownloadSource::Url(text.to_owned())
        } else {
            DownloadSource::FileId(text.to_owned())
        }
    }
}

/// File calls.
#[derive(Debug, Clone, Copy)]
pub struct Files<'c> {
    pub(crate) client: &'c MiniMaxClient,
}

impl Files<'_> {
    /// `GET /v1/files/retrieve?file_id=…`: metadata and a fresh `download_url`.
    pub async fn retrieve(self, file_id: &str) -> Result<RetrievedFile> {
        check_file_id(file_id)?;
        let spec = RequestSpec::get(RETRIEVE_PATH, vec![("file_id", file_id.to_owned())]);
        self.client
            .execute(&spec, |reply| {
                let wire: RetrieveWire =
                    decode_body(RETRIEVE_PATH, &reply.body, reply.status, reply.trace_id.as_deref())?;
                let file = wire.file.ok_or_else(|| Error::Decode {
                    endpoint: RETRIEVE_PATH.to_owned(),
                    reason: "the answer has no `file` object".into(),
                    trace_id: reply.trace_id.clone(),
                    body: crate::error::RawBody::from_bytes(&reply.body),
                })?;
                Ok(RetrievedFile { file, trace_id: reply.trace_id.clone() })
            })
            .await
    }

    /// `GET /v1/files/retrieve_content?file_id=…` streamed into `writer`; returns the bytes written.
    pub async fn retrieve_content<W: AsyncWrite + Unpin>(self, file_id: &str, writer: &mut W) -> Result<u64> {
        check_file_id(file_id)?;
        let spec = RequestSpec::get(RETRIEVE_CONTENT_PATH, vec![("file_id", file_id.to_owned())]);
        let response = self.client.open_stream(&spec).await?;
        copy_body(response, writer, RETRIEVE_CONTENT_PATH, self.client.read_timeout()).await
    }

    /// Downloads a URL, or a file id through a fresh `download_url`, into `writer`, chunk by chunk.
    /// Returns the number of bytes written. The API key is never sent to hosts other than the API's.
    pub async fn download_to<W: AsyncWrite + Unpin>(
        self,
        source: &DownloadSource,
        writer: &mut W,
    ) -> Result<u64> {
        let url = match source {
            DownloadSource::Url(url) => url.clone(),
            DownloadSource::FileId(file_id) => {
                let retrieved = self.retrieve(file_id).await?;
                retrieved.file.download_url.ok_or_else(|| Error::Decode {
                    endpoint: RETRIEVE_PATH.to_owned(),
                    reason: format!("file {file_id} has no download_url"),
                    trace_id: retrieved.trace_id,
                    body: crate::error::RawBody(String::new()),
                })?
            }
        };
        let response = self.client.open_url(&url).await?;
        copy_body(response, writer, crate::error::DOWNLOAD_ENDPOINT, self.client.read_timeout()).await
    }
}

/// Copies a response body to a writer chunk by chunk. A connection cut mid-body is a network error;
/// a body shorter than its `Content-Length` is reported rather than silently accepted.
async fn copy_body<W: AsyncWrite + Unpin>(
    mut response: reqwest::Response,
    writer: &mut W,
    endpoint: &str,
    idle: std::time::Duration,
) -> Result<u64> {
    let expected = response.content_length();
    let mut written = 0u64;
    loop {
        let next = tokio::time::timeout(idle, response.chunk())
            .await
            .map_err(|_| Error::Stalled { endpoint: endpoint.to_owned(), after: idle })?;
        let chunk = next.map_err(|e| Error::Transport {
            endpoint: endpoint.to_owned(),
            kind: if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Network },
            source: e.without_url(),
        })?;
        let Some(chunk) = chunk else { break };
        writer.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    writer.flush().await?;
    if let Some(expected) = expected.filter(|expected| *expected != written) {
        return Err(Error::Decode {
            endpoint: endpoint.to_owned(),
            reason: format!("download ended after {written} of {expected} bytes"),
            trace_id: None,
            body: crate::error::RawBody(String::new()),
        });
    }
    Ok(written)
}

/// File ids are int64 numbers sent as text.
fn check_file_id(file_id: &str) -> Result<()> {
    if file_id.is_empty() || file_id.len() > 20 || !file_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValidationError::new(
            "file_id",
            format!("{file_id:?} is not a file id"),
            "a decimal int64 id",
        )
        .into());
    }
    Ok(())
}

impl MiniMaxClient {
    /// File calls (retrieve, content, downloads).
    pub fn files(&self) -> Files<'_> {
        Files { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_sources() {
        assert_eq!(
            DownloadSource::parse("https://cdn/x.mp4"),
            DownloadSource::Url("https://cdn/x.mp4".into())
        );
        assert_eq!(
            DownloadSource::parse("176844028768320"),
            DownloadSource::FileId("176844028768320".into())
        );
    }

    #[test]
    fn file_ids_are_digits() {
        assert!(check_file_id("176844028768320").is_ok());
        assert!(check_file_id("").is_err());
        assert!(check_file_id("../etc").is_err());
    }
}
