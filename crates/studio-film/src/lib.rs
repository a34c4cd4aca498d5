//! Films in Token Plan Studio, free of Tauri.
//!
//! A film starts as a shot list ([`script`]): read from a `tokenplan-film/1` JSON file or a Fountain
//! screenplay, or drafted from an idea ([`draft`]); its jobs are placed across quota windows
//! ([`schedule`]). Then the film as time ([`timeline`]), subtitles from the voiced lines ([`subtitles`]),
//! ffmpeg as a child process ([`ffmpeg`]), the animatic and the export ([`render`]) and edit lists a video
//! editor opens ([`edl`]). The caller maps the film's rows to [`timeline::FilmInput`].

pub mod demo_film;
pub mod draft;
pub mod edl;
pub mod error;
pub mod ffmpeg;
pub mod project;
pub mod render;
pub mod schedule;
pub mod script;
pub mod subtitles;
pub mod timeline;

pub use error::{FilmError, Result};
pub use script::{ImportedScript, Script};
