//! The loopback media server.
//!
//! URLs look like `http://127.0.0.1:PORT/TOKEN/media/42-0.mp4` and `http://127.0.0.1:PORT/TOKEN/thumbs/256/42-0.mp4`.
//! The token is 128 random bits drawn at start: other local users' processes and web pages cannot guess it, and
//! a wrong token gets the same 404 as a missing file. Only plain file names of the media folder are served
//! (no sub-paths, no `..`), and only when, after following links, they are regular files inside that folder:
//! a link planted in `media/` that points at `~/.ssh/id_ed25519` or `/dev/zero` is a 404 too.
//!
//! Every response says `X-Content-Type-Options: nosniff`, so the webview never runs a file as something its
//! type does not say. Byte ranges are decided by [`crate::range`] (bad, multiple and unsatisfiable ranges).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::oneshot;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::error::{MediaError, Result};
use crate::range::{self, RangeAnswer};
use crate::thumbnail::{fresh_thumbnail, thumbnail};

/// Largest thumbnail edge served (keeps a crafted URL from asking for a huge resize).
const MAX_THUMB_EDGE: u32 = 1024;

struct Shared {
    root: PathBuf,
    token: String,
    /// Thumbnails made at once. A fast scroll asks for hundreds; making them one per core keeps the CPU for
    /// the UI and stops the blocking pool from growing a thread (and a malloc arena) per request.
    making: tokio::sync::Semaphore,
}

/// A running media server; stops when dropped.
pub struct MediaServer {
    addr: SocketAddr,
    token: String,
    stop: Option<oneshot::Sender<()>>,
}

impl MediaServer {
    /// Serves `root/media`, thumbnails made from it and imported input images (`root/inputs`), on 127.0.0.1 at a free port. Needs a tokio runtime.
    pub async fn start(root: impl Into<PathBuf>) -> Result<MediaServer> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|e| MediaError::Random(e.to_string()))?;
        let token = faster_hex::hex_string(&random);
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let making = tokio::sync::Semaphore::new(cores);
        let shared = Arc::new(Shared { root: root.into(), token: token.clone(), making });
        let app = Router::new()
            .route("/{token}/media/{name}", get(serve_media))
            .route("/{token}/inputs/{name}", get(serve_input))
            .route("/{token}/films/{name}", get(serve_film))
            .route("/{token}/thumbs/{edge}/{name}", get(serve_thumbnail))
            .with_state(shared)
            .layer(axum::middleware::map_response(no_sniffing));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.map_err(MediaError::Bind)?;
        let addr = listener.local_addr().map_err(MediaError::Bind)?;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = served.await {
                tracing::error!(error = %e, "media server stopped");
            }
        });
        Ok(MediaServer { addr, token, stop: Some(stop) })
    }

    /// `http://127.0.0.1:PORT`, for the content security policy.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/TOKEN`: what every URL of this server starts with. The UI builds a file's URL
    /// from it (`{base}/media/NAME`, `{base}/thumbs/EDGE/NAME`) instead of receiving one URL per file.
    pub fn base_url(&self) -> String {
        format!("{}/{}", self.origin(), self.token)
    }

    /// The URL of a media file given by its path relative to the data folder (`media/42-0.mp4`).
    pub fn media_url(&self, rel_path: &str) -> String {
        format!("{}/media/{}", self.base_url(), file_name(rel_path))
    }

    /// The URL of the thumbnail of a media file (`max_edge` pixels, at most 1024).
    pub fn thumbnail_url(&self, rel_path: &str, max_edge: u32) -> String {
        format!("{}/thumbs/{}/{}", self.base_url(), max_edge.min(MAX_THUMB_EDGE), file_name(rel_path))
    }
}

impl Drop for MediaServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn file_name(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

/// A plain file name: no separators, no dot-files (temporary files start with a dot), nothing odd.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// Compares without an early exit, so response timing does not reveal how much of a guess was right.
fn token_matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Media files never change under a name (a retry replaces the whole job's files and URLs are per launch),
/// so the webview may keep them, and thumbnails, for the session.
const MEDIA_CACHE_CONTROL: HeaderValue = HeaderValue::from_static("private, max-age=3600");

/// Adds `X-Content-Type-Options: nosniff` to every response, errors included.
async fn no_sniffing(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The file `name` of `dir` after following links, when it is a regular file inside `dir`; `None` otherwise
/// (missing, a folder, a device, or a link that leaves `dir`). One trip to the blocking pool for all of it.
async fn inside(dir: PathBuf, name: &str) -> Option<PathBuf> {
    let path = dir.join(name);
    let resolved = tokio::task::spawn_blocking(move || {
        let dir = std::fs::canonicalize(&dir).ok()?;
        let file = std::fs::canonicalize(&path).ok()?;
        let regular = std::fs::metadata(&file).ok()?.is_file();
        (regular && file.starts_with(&dir) && file != dir).then_some(file)
    })
    .await;
    resolved.ok().flatten()
}

/// Sends a file with the range answer [`range::answer`] decides: the range is rewritten to the one part
/// sent (or removed) before the file server sees it, and a range of no byte of the file is a `416` here.
async fn send_file(path: &Path, mut request: Request) -> Response {
    let Ok(meta) = tokio::fs::metadata(path).await else { return not_found() };
    let asked = request.headers().get(header::RANGE).map(HeaderValue::as_bytes);
    match range::answer(asked, meta.len()) {
        RangeAnswer::Whole => {
            request.headers_mut().remove(header::RANGE);
        }
        RangeAnswer::Part { first, last } => {
            if let Ok(value) = HeaderValue::from_str(&format!("bytes={first}-{last}")) {
                request.headers_mut().insert(header::RANGE, value);
            }
        }
        RangeAnswer::Unsatisfiable => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{}", meta.len())) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return response;
        }
    }
    match ServeFile::new(path).oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            response.headers_mut().insert(header::CACHE_CONTROL, MEDIA_CACHE_CONTROL);
            response
        }
        Err(infallible) => match infallible {},
    }
}

/// A thumbnail's bytes, cached like the files [`send_file`] sends.
fn jpeg_response(jpeg: Vec<u8>) -> Response {
    let mut response = Body::from(jpeg).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(header::CACHE_CONTROL, MEDIA_CACHE_CONTROL);
    response
}

async fn serve_media(
    State(shared): State<Arc<Shared>>,
    UrlPath((token, name)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    serve_from(&shared, "media", &token, &name, request).await
}

/// An image the user imported as a job's input (studio-core's `inputs` folder), for the composers' previews.
async fn serve_input(
    State(shared): State<Arc<Shared>>,
    UrlPath((token, name)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    serve_from(&shared, "inputs", &token, &name, request).await
}

/// A film's animatic or preview render (studio-film's `films` folder), for the storyboard's player.
async fn serve_film(
    State(shared): State<Arc<Shared>>,
    UrlPath((token, name)): UrlPath<(String, String)>,
    request: Request,
) -> Response {
    serve_from(&shared, "films", &token, &name, request).await
}

/// A plain-named file of one folder under the root, behind the token.
async fn serve_from(shared: &Shared, folder: &str, token: &str, name: &str, request: Request) -> Response {
    if !token_matches(&shared.token, token) || !safe_name(name) {
        return not_found();
    }
    match inside(shared.root.join(folder), name).await {
        Some(file) => send_file(&file, request).await,
        None => not_found(),
    }
}

async fn serve_thumbnail(
    State(shared): State<Arc<Shared>>,
    UrlPath((token, edge, name)): UrlPath<(String, u32, String)>,
    request: Request,
) -> Response {
    if !token_matches(&shared.token, &token) || !safe_name(&name) || edge == 0 || edge > MAX_THUMB_EDGE {
        return not_found();
    }
    // A thumbnail shows its source: a link out of the media folder gets none, made or cached.
    if inside(shared.root.join("media"), &name).await.is_none() {
        return not_found();
    }
    let root = shared.root.clone();
    let rel_path = format!("media/{name}");
    // Made ones (nearly all: thumbnails are made when a generation is stored) are read and sent whole, in
    // one trip to the blocking pool (a file server's open, stat and reads are one trip each, and on two
    // busy cores each trip waits its turn); only making one waits for the maker's semaphore.
    let (cache_root, cache_rel) = (root.clone(), rel_path.clone());
    let cached = tokio::task::spawn_blocking(move || {
        fresh_thumbnail(&cache_root, &cache_rel, edge).and_then(|path| std::fs::read(path).ok())
    })
    .await;
    if let Ok(Some(jpeg)) = cached {
        return jpeg_response(jpeg);
    }
    let made = {
        let Ok(_turn) = shared.making.acquire().await else {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        };
        tokio::task::spawn_blocking(move || thumbnail(&root, &rel_path, edge)).await
    };
    match made {
        Ok(Ok(path)) => send_file(&path, request).await,
        Ok(Err(MediaError::Io { source, .. })) if source.kind() == std::io::ErrorKind::NotFound => {
            not_found()
        }
        Ok(Err(MediaError::Unsupported(_))) => StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "thumbnail");
            StatusCode::UNPROCESSABLE_ENTITY.into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_served() {
        assert!(safe_name("42-0.mp4"));
        assert!(!safe_name("../secret"));
        assert!(!safe_name(".tmp-42-0"));
        assert!(!safe_name("a/b.mp4"));
        assert!(!safe_name(""));
        assert!(token_matches("abcd", "abcd"));
        assert!(!token_matches("abcd", "abce"));
        assert!(!token_matches("abcd", "abc"));
        assert_eq!(file_name("media/42-0.mp4"), "42-0.mp4");
    }
}
