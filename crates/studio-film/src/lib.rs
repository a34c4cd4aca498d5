//! Films, the media half: the film as time ([`timeline`]), subtitles from the voiced lines
//! ([`subtitles`]), ffmpeg as a child process ([`ffmpeg`]), the animatic and the export ([`render`]) and edit
//! lists a video editor opens ([`edl`]). Tauri-free and without SQLite: the caller maps the film's rows to
//! [`timeline::FilmInput`].

pub mod edl;
pub mod error;
pub mod ffmpeg;
pub mod render;
pub mod subtitles;
pub mod timeline;

pub use error::{FilmError, Result};
