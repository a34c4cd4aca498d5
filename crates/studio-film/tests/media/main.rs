//! studio-film against the real ffmpeg (Debian's `ffmpeg` package): inputs are made with lavfi, outputs
//! are checked with ffprobe and ffmpeg, never with our own code.

mod animatic;
mod common;
mod export;
mod ffmpeg;
mod simulator;
mod sound;
