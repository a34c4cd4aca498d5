//! Edit lists a video editor opens, referencing the film's own media files (clips, keyframes, voiced
//! lines, music) so the cut can be refined elsewhere: FCPXML ([`to_fcpxml`]) and OpenTimelineIO
//! ([`to_otio`]).
//!
//! **FCPXML is the default.** It opens in DaVinci Resolve (free, on Windows, macOS and Linux — the editor
//! our creators most often have) and in Final Cut Pro, with the shots on the primary storyline and the
//! lines and music as connected clips on their own lanes, all on frame boundaries. OpenTimelineIO is the
//! better interchange model on paper and Resolve (18.5+) imports it, but Final Cut Pro does not read it and
//! other editors need adapters; it is offered for pipelines that use it.
//!
//! Every time is whole frames at the film's rate, rounded the way the renders round shot boundaries
//! ([`crate::render::graph::frame_at`]), so the edit list and the MP4 cut at the same frames.

mod fcpxml;
mod otio;
#[cfg(test)]
mod tests;

use std::path::Path;

pub use fcpxml::to_fcpxml;
pub use otio::to_otio;

/// A `file://` URL for a local path (made absolute; bytes outside the unreserved set percent-encoded).
pub fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        // Windows: file:///C:/…
        url.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The path a `file://` URL names (the inverse of [`file_url`]), for checks.
pub fn path_from_url(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(std::path::PathBuf::from(String::from_utf8(out).ok()?))
}

/// The file name shown for a media file in the editor.
fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}
