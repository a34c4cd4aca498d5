//! Serves the media folder to the webview over loopback HTTP with Range support.
//!
//! WebKitGTK hands `<audio>`/`<video>` sources to GStreamer, which cannot read Tauri's custom URI schemes
//! (tauri issue 3725; seen here: audio never loads, video fails with MEDIA_ERR_SRC_NOT_SUPPORTED), so the
//! media folder is served on `127.0.0.1` on a random port. Every URL carries a token chosen at launch, so
//! another local program or web page cannot list or fetch the library. Only plain file names inside the
//! media folder are served, never a path, and a response holds at most [`MAX_CHUNK`] bytes: a file is
//! streamed in ranges, never read whole.

use std::io::SeekFrom;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::error::{CoreError, Result};
use crate::storage::MEDIA_DIR;

/// The most bytes one response carries; players ask for the rest with further ranges.
pub const MAX_CHUNK: u64 = 4 * 1024 * 1024;

struct Served {
    dir: PathBuf,
    token: String,
}

/// The running server.
#[derive(Debug)]
pub struct MediaServer {
    base_url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl MediaServer {
    /// Binds `127.0.0.1:0` and serves `root/media` (must run inside a tokio runtime).
    pub async fn start(root: &std::path::Path) -> Result<MediaServer> {
        let token = random_token()?;
        let served = Arc::new(Served { dir: root.join(MEDIA_DIR), token: token.clone() });
        let app = Router::new().route("/{token}/media/{name}", get(serve)).with_state(served);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| CoreError::MediaServer(e.to_string()))?;
        let addr = listener.local_addr().map_err(|e| CoreError::MediaServer(e.to_string()))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                tracing::error!("the media server stopped: {e}");
            }
        });
        Ok(MediaServer { base_url: format!("http://{addr}/{token}/"), stop: Some(stop) })
    }

    /// The URL a media `rel_path` (`media/42-0.mp3`) is appended to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for MediaServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn random_token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| CoreError::MediaServer(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The MIME type of a media file, from the extension our own names carry.
fn mime_of(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        Some("flac") => "audio/flac",
        Some("pcm") => "audio/L16",
        Some("mp4") => "video/mp4",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("md") => "text/markdown; charset=utf-8",
        Some("txt" | "srt") => "text/plain; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against a file of `len` bytes: the inclusive range, or
/// `None` when it cannot be satisfied. Multiple ranges are not needed by players and not supported.
pub fn parse_range(value: &str, len: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            (len.saturating_sub(n), len - 1)
        }
        (start, "") => (start.parse().ok()?, len - 1),
        (start, end) => (start.parse().ok()?, end.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

async fn serve(
    State(served): State<Arc<Served>>,
    Path((token, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    // Names are ours (`42-0.mp3`): anything with a separator or a dot-dot is not a media file.
    let plain = !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
    if token != served.token || !plain {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = served.dir.join(&name);
    let mut file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let len = match file.metadata().await {
        Ok(meta) => meta.len(),
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let requested = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, end) = match requested {
        Some(value) => match parse_range(value, len) {
            Some((start, end)) => (StatusCode::PARTIAL_CONTENT, start, end.min(start + MAX_CHUNK - 1)),
            None => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return response;
            }
        },
        // A whole small file (an image) in one answer; a large one as its first range.
        None if len <= MAX_CHUNK => (StatusCode::OK, 0, len.saturating_sub(1)),
        None => (StatusCode::PARTIAL_CONTENT, 0, MAX_CHUNK - 1),
    };
    let count = if len == 0 { 0 } else { end - start + 1 };
    let mut body = vec![0u8; usize::try_from(count).unwrap_or(0)];
    let read = async {
        file.seek(SeekFrom::Start(start)).await?;
        file.read_exact(&mut body).await
    };
    if let Err(e) = read.await {
        tracing::warn!(file = %path.display(), "cannot read media: {e}");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime_of(&name)));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}"))
    {
        headers.insert(header::CONTENT_RANGE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_players_send_them() {
        assert_eq!(parse_range("bytes=0-", 100), Some((0, 99)));
        assert_eq!(parse_range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(parse_range("bytes=90-500", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-1", 100), None);
        assert_eq!(parse_range("bytes=0-1,4-5", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }

    #[tokio::test]
    async fn serves_ranges_only_with_the_token_and_only_media_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join(MEDIA_DIR)).unwrap();
        std::fs::write(root.path().join(MEDIA_DIR).join("7-0.mp3"), b"0123456789").unwrap();
        std::fs::write(root.path().join("library.sqlite3"), b"secret").unwrap();
        let server = MediaServer::start(root.path()).await.unwrap();
        let base = server.base_url().to_owned();
        let get = |url: String, range: Option<&'static str>| async move {
            let addr = url.trim_start_matches("http://").split('/').next().unwrap().to_owned();
            let path = format!("/{}", url.trim_start_matches("http://").split_once('/').unwrap().1);
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let range = range.map(|r| format!("Range: {r}\r\n")).unwrap_or_default();
            let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n{range}Connection: close\r\n\r\n");
            tokio::io::AsyncWriteExt::write_all(&mut stream, request.as_bytes()).await.unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.unwrap();
            answer
        };
        let whole = get(format!("{base}media/7-0.mp3"), None).await;
        assert!(whole.starts_with("HTTP/1.1 200"), "{whole}");
        assert!(whole.contains("content-type: audio/mpeg") && whole.ends_with("0123456789"));
        let part = get(format!("{base}media/7-0.mp3"), Some("bytes=2-4")).await;
        assert!(part.starts_with("HTTP/1.1 206") && part.contains("content-range: bytes 2-4/10"), "{part}");
        assert!(part.ends_with("234"));
        let wrong_token = base.replace(&base[base.len() - 9..base.len() - 1], "00000000");
        assert!(get(format!("{wrong_token}media/7-0.mp3"), None).await.starts_with("HTTP/1.1 404"));
        assert!(get(format!("{base}media/..%2Flibrary.sqlite3"), None).await.starts_with("HTTP/1.1 404"));
    }
}
