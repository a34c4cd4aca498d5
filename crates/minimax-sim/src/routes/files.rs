//! Files: `POST /v1/files/upload` (multipart `purpose` + `file`, purpose and format checked, up to
//! `upload_max_bytes`), `GET /v1/files/retrieve` (a `download_url` that expires), `GET /v1/files/retrieve_content`,
//! and the pre-signed download route the URLs point to. Both downloads support single HTTP Range requests and
//! stream padded files without holding them in memory.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::envelope::{ApiError, ApiResult, Outcome, OutcomeKind, base_ok, ok_json};
use crate::media::FileContent;
use crate::state::{SimState, StoredFile};

fn find_file(state: &SimState, query: &HashMap<String, String>) -> Result<StoredFile, ApiError> {
    let raw = query.get("file_id").map(String::as_str).unwrap_or("");
    if raw.is_empty() {
        return Err(ApiError::invalid("file_id", "is required"));
    }
    let file_id: u64 = raw.parse().map_err(|_| ApiError::invalid("file_id", "must be a numeric file id"))?;
    state.settle_tasks();
    state
        .lock()
        .files
        .get(&file_id)
        .cloned()
        .ok_or_else(|| ApiError::invalid("file_id", format!("no such file {file_id}")))
}

/// The formats each upload purpose takes (minimax-api.md §7).
fn upload_formats(purpose: &str) -> Option<&'static [&'static str]> {
    match purpose {
        "voice_clone" | "prompt_audio" => Some(&["mp3", "m4a", "wav"]),
        "t2a_async_input" => Some(&["txt", "zip"]),
        _ => None,
    }
}

/// `POST /v1/files/upload` (multipart: `purpose`, `file`).
pub async fn upload(
    State(state): State<Arc<SimState>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    let mut multipart = multipart.map_err(|_| ApiError::invalid("body", "must be multipart/form-data"))?;
    let (mut purpose, mut file) = (None, None);
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|e| ApiError::invalid("body", format!("bad multipart ({e})")))?;
        let Some(field) = field else { break };
        match field.name() {
            Some("purpose") => {
                purpose = Some(field.text().await.map_err(|_| ApiError::invalid("purpose", "unreadable"))?)
            }
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| ApiError::invalid("file", "unreadable"))?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let purpose = purpose.ok_or_else(|| ApiError::invalid("purpose", "is required"))?;
    let formats = upload_formats(&purpose).ok_or_else(|| {
        ApiError::invalid("purpose", "must be voice_clone, prompt_audio or t2a_async_input")
    })?;
    let (filename, bytes) = file.ok_or_else(|| ApiError::invalid("file", "is required"))?;
    let extension = filename.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    if !formats.contains(&extension.as_str()) {
        return Err(ApiError::invalid("file", format!("{purpose} takes {}", formats.join(", "))));
    }
    let limit = state.config().upload_max_bytes;
    if bytes.is_empty() || bytes.len() as u64 > limit {
        return Err(ApiError::invalid("file", format!("{} bytes is outside 1 to {limit}", bytes.len())));
    }
    let mime = match extension.as_str() {
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    };
    let size = bytes.len();
    let stored = state.new_file(
        filename.clone(),
        &purpose,
        state.config().media_url_ttl_ms,
        FileContent::plain(bytes, mime),
    );
    let (file_id, created_at) = (stored.file_id, stored.created_at);
    state.store_file(stored);
    Ok(ok_json(json!({
        "file": { "file_id": file_id, "bytes": size, "created_at": created_at, "filename": filename, "purpose": purpose },
        "base_resp": base_ok(),
    })))
}

/// `GET /v1/files/retrieve?file_id=`.
pub async fn retrieve(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let file = find_file(&state, &query)?;
    Ok(ok_json(json!({
        "file": {
            "file_id": file.file_id, "bytes": file.content.len(), "created_at": file.created_at,
            "filename": file.filename, "purpose": file.purpose, "download_url": state.signed_url(&file),
        },
        "base_resp": base_ok(),
    })))
}

/// `GET /v1/files/retrieve_content?file_id=`: the bytes themselves.
pub async fn retrieve_content(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> ApiResult {
    let file = find_file(&state, &query)?;
    Ok(serve_content(&file.content, &file.filename, &headers))
}

/// An object-storage style XML error (what an expired or forged pre-signed link gets).
pub(crate) fn storage_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    );
    let mut response = (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response();
    response.extensions_mut().insert(Outcome {
        kind: OutcomeKind::Error,
        status_code: i64::from(status.as_u16()),
        field: None,
        message: message.to_owned(),
    });
    response
}

/// `GET /_sim/files/{file_id}/{filename}?Expires=&Signature=`: the pre-signed download link.
pub async fn download(
    State(state): State<Arc<SimState>>,
    Path((file_id, _filename)): Path<(u64, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let expires: u64 = query.get("Expires").and_then(|v| v.parse().ok()).unwrap_or(0);
    let signature = query.get("Signature").map(String::as_str).unwrap_or("");
    if signature != format!("{:016x}", state.signature(file_id, expires)) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature does not match.",
        );
    }
    if state.clock.now_ms() / 1000 >= expires {
        return storage_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired.");
    }
    let file = state.lock().files.get(&file_id).cloned();
    match file {
        Some(file) => serve_content(&file.content, &file.filename, &headers),
        None => storage_error(StatusCode::NOT_FOUND, "NoSuchKey", "The specified key does not exist."),
    }
}

/// Parses a single `bytes=` range against `len`: `Ok(None)` = whole file, `Err(())` = unsatisfiable.
fn parse_range(value: &str, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None); // Multiple ranges: serve the whole file, as servers may.
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 {
                return Err(());
            }
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (s, "") => (s.parse().map_err(|_| ())?, len.saturating_sub(1)),
        (s, e) => (s.parse().map_err(|_| ())?, e.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1))),
    };
    if start >= len || start > end {
        return Err(());
    }
    Ok(Some((start, end)))
}

/// Serves `content`, honouring a `Range` header (206 / 416), streaming the bytes.
pub fn serve_content(content: &FileContent, filename: &str, headers: &HeaderMap) -> Response {
    let len = content.len();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(|v| parse_range(v, len));
    let (status, start, end) = match range {
        None | Some(Ok(None)) => (StatusCode::OK, 0, len),
        Some(Ok(Some((start, last)))) => (StatusCode::PARTIAL_CONTENT, start, last + 1),
        Some(Err(())) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response.extensions_mut().insert(Outcome {
                kind: OutcomeKind::Error,
                status_code: 416,
                field: None,
                message: "range not satisfiable".to_owned(),
            });
            return response;
        }
    };
    let mut response = Response::new(Body::from_stream(content.stream(start, end)));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content.content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1))
    {
        h.insert(header::CONTENT_RANGE, value);
    }
    response.extensions_mut().insert(Outcome::ok());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), Ok(Some((0, 99))));
        assert_eq!(parse_range("bytes=900-", 1000), Ok(Some((900, 999))));
        assert_eq!(parse_range("bytes=-100", 1000), Ok(Some((900, 999))));
        assert_eq!(parse_range("bytes=990-5000", 1000), Ok(Some((990, 999))));
        assert_eq!(parse_range("bytes=1000-", 1000), Err(()));
        assert_eq!(parse_range("bytes=5-2", 1000), Err(()));
        assert_eq!(parse_range("items=0-1", 1000), Ok(None));
    }
}
