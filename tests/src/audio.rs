//! Routing a process's ALSA output to a file so tests can check the bytes that were played.
//!
//! The configuration is `tests/alsa/asoundrc.in`; see its comments for the format and the caveats.

use std::path::{Path, PathBuf};

use crate::Result;

/// Frames of 16-bit stereo at 44.1 kHz, as the capture device writes them.
pub const CAPTURE_RATE_HZ: u32 = 44_100;
const BYTES_PER_FRAME: usize = 4;

/// Writes `<config_home>/alsa/asoundrc` routing the default ALSA device into `capture_file`.
/// Returns the path of the written configuration.
pub fn route_alsa_to_file(config_home: &Path, capture_file: &Path) -> Result<PathBuf> {
    let template = include_str!("../alsa/asoundrc.in");
    let capture = capture_file.to_str().ok_or("capture path is not UTF-8")?;
    if capture.contains('"') {
        return Err("capture path must not contain a double quote".into());
    }
    let dir = config_home.join("alsa");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("asoundrc");
    std::fs::write(&path, template.replace("@CAPTURE_FILE@", capture))?;
    Ok(path)
}

/// What a capture file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureStats {
    /// Stereo frames written.
    pub frames: usize,
    /// Frames where either channel is louder than the noise floor.
    pub non_silent_frames: usize,
}

/// Reads a capture written through [`route_alsa_to_file`]; a missing file counts as nothing played.
pub fn capture_stats(capture_file: &Path) -> Result<CaptureStats> {
    let bytes = match std::fs::read(capture_file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    // Below ~-60 dBFS counts as silence: dither and rounding stay under it, real audio does not.
    const NOISE_FLOOR: i16 = 32;
    let frames = bytes.len() / BYTES_PER_FRAME;
    let non_silent_frames = bytes
        .chunks_exact(BYTES_PER_FRAME)
        .filter(|f| {
            let left = i16::from_le_bytes([f[0], f[1]]);
            let right = i16::from_le_bytes([f[2], f[3]]);
            left.unsigned_abs() > NOISE_FLOOR as u16 || right.unsigned_abs() > NOISE_FLOOR as u16
        })
        .count();
    Ok(CaptureStats { frames, non_silent_frames })
}
