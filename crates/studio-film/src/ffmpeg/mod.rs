//! ffmpeg and ffprobe as child processes: found on PATH or at a configured path and version-checked
//! ([`Ffmpeg::locate`]), run in their own process group with progress, cancel and temporary outputs
//! ([`Ffmpeg::run`]), and ffprobe read into typed values ([`Ffmpeg::probe`]).

mod locate;
mod probe;
pub mod reference;
mod run;

pub use locate::{Ffmpeg, FfmpegVersion, MIN_VERSION};
pub use probe::{MediaProbe, Rational, StreamKind, StreamProbe, parse_probe};
pub use run::{FfmpegCommand, Scratch, parse_progress_time, temp_path_beside};
