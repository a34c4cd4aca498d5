//! The library's media, for the webview.
//!
//! * [`MediaServer`]: a loopback HTTP server (127.0.0.1, a random port) that serves the media folder and the
//!   thumbnail cache with `Range` support, behind a per-launch random token in the path. WebKitGTK cannot
//!   always play video from a custom URI scheme (tauri issue 3725); plain HTTP with byte ranges plays
//!   everywhere, and media never crosses IPC as bytes.
//! * [`thumbnail`]: a small JPEG made in Rust for an image, or for the first frame of an H.264 MP4
//!   (demuxed with `re_mp4`, decoded with OpenH264), cached under `thumbs/` and rebuilt when the source is newer.

pub mod error;
mod range;
mod server;
mod thumbnail;
mod video_frame;

pub use error::{MediaError, Result};
pub use server::MediaServer;
pub use thumbnail::{
    LIBRARY_THUMB_EDGE, THUMBS_DIR, fresh_thumbnail, has_thumbnail, thumbnail, thumbnail_path,
};
pub use video_frame::first_frame;
