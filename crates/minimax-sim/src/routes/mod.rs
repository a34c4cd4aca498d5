//! The HTTP routes, one module per section of `minimax-api.md`, plus the `/_sim` admin API.

pub mod admin;
pub mod chat;
pub mod custom_voices;
pub mod files;
pub mod film_draft;
pub mod image;
pub mod music;
pub mod plan;
pub mod speech;
pub mod video;
pub mod video_v2;
pub mod voices;

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;

use crate::envelope::Outcome;

/// Builds a `text/event-stream` response from ready `data:` payloads, waiting `ttfb_ms` before the first
/// event and `interval_ms` between events.
pub fn paced_sse(events: Vec<String>, ttfb_ms: u64, interval_ms: u64) -> Response {
    let stream =
        futures_util::stream::unfold((events.into_iter(), 0usize), move |(mut events, index)| async move {
            let event = events.next()?;
            let wait = if index == 0 { ttfb_ms } else { interval_ms };
            if wait > 0 {
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
            let frame = Bytes::from(format!("data: {event}\n\n"));
            Some((Ok::<Bytes, std::io::Error>(frame), (events, index + 1)))
        });
    let mut response = Response::new(Body::from_stream(stream));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/event-stream"));
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
    response.extensions_mut().insert(Outcome::ok());
    response
}

/// Splits `len` items into `parts` contiguous, nearly equal ranges (fewer when there are fewer items).
pub fn split_ranges(len: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let parts = parts.clamp(1, len.max(1));
    (0..parts).map(|i| (len * i / parts)..(len * (i + 1) / parts)).filter(|r| !r.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once() {
        let ranges = split_ranges(10, 3);
        assert_eq!(ranges, vec![0..3, 3..6, 6..10]);
        assert_eq!(split_ranges(2, 8).len(), 2);
        assert!(split_ranges(0, 4).is_empty());
    }
}
