//! How loud a take is, measured over its decoded samples, and the gains that make takes equally loud, so an
//! A/B comparison is decided by the voice and not by the volume (a louder take tends to win).
//!
//! The measure is LUFS-like without the K-weighting filter: mean square over 400 ms blocks (here 50 ms
//! windows, averaged), gated twice like EBU R128 — windows below −70 dBFS are ignored, then those more than
//! 10 dB under the mean of the rest — so pauses between words do not make a take read as quiet. The same
//! pass gives a clone sample's length, level and how much of it is voiced.

use std::path::Path;

use crate::decode;
use crate::error::Result;
use crate::state::Track;

/// Analysis window.
const WINDOW_MS: u64 = 50;
/// Windows under this are silence for the gate (EBU R128's absolute gate).
const ABSOLUTE_GATE_DBFS: f32 = -70.0;
/// Windows this far below the gated mean are ignored (R128's relative gate).
const RELATIVE_GATE_DB: f32 = 10.0;
/// A window louder than this is voiced (for a clone sample's "mostly silence" check).
const VOICED_DBFS: f32 = -45.0;
/// Loudness matching never cuts a take by more than this (a near-silent take is not worth muting the rest).
const MAX_CUT_DB: f32 = 20.0;
/// Matched takes keep their peaks under this (−0.5 dBFS): a quiet take is raised only as far as it can be.
const PEAK_CEILING: f32 = 0.944;

/// What one decoding pass tells about a take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loudness {
    /// Playing time.
    pub duration_ms: u64,
    /// Gated loudness, dBFS (LUFS-like, unweighted); −120 for silence.
    pub loudness_dbfs: f32,
    /// Plain RMS over everything, dBFS.
    pub rms_dbfs: f32,
    /// The largest sample, 0–1.
    pub peak: f32,
    /// Share of windows louder than −45 dBFS.
    pub voiced_share: f32,
}

fn dbfs(mean_square: f64) -> f32 {
    if mean_square <= 1e-12 { -120.0 } else { (10.0 * mean_square.log10()) as f32 }
}

/// Decodes `track` once and measures it.
pub fn analyze(track: &Track) -> Result<Loudness> {
    let opened = decode::open(track)?;
    let source = opened.source;
    let channels = u64::from(source.channels().get());
    let rate = u64::from(source.sample_rate().get());
    let per_window = (rate * channels * WINDOW_MS / 1000).max(1);
    let (mut windows, mut window_sum, mut in_window) = (Vec::new(), 0.0f64, 0u64);
    let (mut total_sum, mut samples, mut peak) = (0.0f64, 0u64, 0.0f32);
    for sample in source {
        let s = f64::from(sample);
        window_sum += s * s;
        total_sum += s * s;
        peak = peak.max(sample.abs());
        samples += 1;
        in_window += 1;
        if in_window == per_window {
            windows.push(window_sum / per_window as f64);
            (window_sum, in_window) = (0.0, 0);
        }
    }
    if in_window > per_window / 2 {
        windows.push(window_sum / in_window as f64);
    }
    let duration_ms = samples * 1000 / (rate * channels).max(1);
    Ok(measure(&windows, total_sum / samples.max(1) as f64, peak, duration_ms))
}

/// [`analyze`] for a file.
pub fn analyze_file(path: &Path) -> Result<Loudness> {
    analyze(&Track::file("analysis", "", path))
}

/// The figures of a take from its window mean squares.
fn measure(windows: &[f64], mean_square: f64, peak: f32, duration_ms: u64) -> Loudness {
    let above = |floor: f32| windows.iter().copied().filter(move |w| dbfs(*w) > floor);
    let mean = |it: &mut dyn Iterator<Item = f64>| {
        let (sum, n) = it.fold((0.0, 0u32), |(s, n), w| (s + w, n + 1));
        (n > 0).then(|| sum / f64::from(n))
    };
    let loudness_dbfs = match mean(&mut above(ABSOLUTE_GATE_DBFS)) {
        Some(ungated) => {
            let floor = dbfs(ungated) - RELATIVE_GATE_DB;
            dbfs(mean(&mut above(floor)).unwrap_or(ungated))
        }
        None => -120.0,
    };
    let voiced = above(VOICED_DBFS).count();
    Loudness {
        duration_ms,
        loudness_dbfs,
        rms_dbfs: dbfs(mean_square),
        peak,
        voiced_share: if windows.is_empty() { 0.0 } else { voiced as f32 / windows.len() as f32 },
    }
}

/// Linear gains that bring every take to the loudness of the quietest (cuts, so nothing clips), but never
/// cut by more than 20 dB: a take quieter than that is raised instead, as far as its peak allows.
pub fn matching_gains(takes: &[Loudness]) -> Vec<f32> {
    let loudest = takes.iter().map(|t| t.loudness_dbfs).fold(f32::MIN, f32::max);
    let quietest = takes.iter().map(|t| t.loudness_dbfs).fold(f32::MAX, f32::min);
    let target = quietest.max(loudest - MAX_CUT_DB);
    takes
        .iter()
        .map(|t| {
            if t.loudness_dbfs <= -119.0 {
                return 1.0;
            }
            let gain = 10f32.powf((target - t.loudness_dbfs) / 20.0);
            if t.peak > 0.0 { gain.min(PEAK_CEILING / t.peak).max(gain.min(1.0)) } else { gain }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AudioFormat;

    /// A WAV of a 440 Hz tone at `amplitude`, with `silence_s` of silence after `tone_s`.
    fn wav(amplitude: f32, tone_s: f32, silence_s: f32) -> Vec<u8> {
        let rate = 16_000u32;
        let samples: Vec<i16> = (0..((tone_s + silence_s) * rate as f32) as u32)
            .map(|i| {
                let t = i as f32 / rate as f32;
                if t < tone_s {
                    (amplitude * (t * 440.0 * std::f32::consts::TAU).sin() * 32767.0) as i16
                } else {
                    0
                }
            })
            .collect();
        let data_len = (samples.len() * 2) as u32;
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data_len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&(rate * 2).to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        for s in samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    fn measured(amplitude: f32, tone_s: f32, silence_s: f32) -> Loudness {
        analyze(&Track::bytes("t", "", wav(amplitude, tone_s, silence_s), AudioFormat::Wav)).unwrap()
    }

    #[test]
    fn a_sine_reads_at_its_level_and_pauses_do_not_lower_it() {
        // A full-scale sine is −3 dBFS RMS; at 0.1 it is −23.
        let loud = measured(1.0, 2.0, 0.0);
        assert!((loud.loudness_dbfs + 3.0).abs() < 0.2, "{loud:?}");
        let quiet = measured(0.1, 2.0, 0.0);
        assert!((quiet.loudness_dbfs + 23.0).abs() < 0.2, "{quiet:?}");
        let with_pauses = measured(0.1, 2.0, 2.0);
        assert!((with_pauses.loudness_dbfs - quiet.loudness_dbfs).abs() < 0.3, "gated: {with_pauses:?}");
        assert!(with_pauses.rms_dbfs < quiet.rms_dbfs - 2.5, "plain RMS does drop: {with_pauses:?}");
        assert!((with_pauses.voiced_share - 0.5).abs() < 0.05 && with_pauses.duration_ms == 4_000);
        let silent = measured(0.0, 1.0, 0.0);
        assert_eq!((silent.loudness_dbfs, silent.voiced_share), (-120.0, 0.0));
    }

    #[test]
    fn matched_takes_are_equally_loud_and_never_clip() {
        let takes = [measured(0.8, 1.0, 0.0), measured(0.2, 1.0, 0.5), measured(0.4, 1.0, 0.0)];
        let gains = matching_gains(&takes);
        let levels: Vec<f32> =
            takes.iter().zip(&gains).map(|(t, g)| t.loudness_dbfs + 20.0 * g.log10()).collect();
        for level in &levels {
            assert!((level - levels[1]).abs() < 0.3, "{levels:?} with {gains:?}");
        }
        assert!(gains.iter().all(|g| *g <= 1.0), "only cuts: {gains:?}");
        // A whisper 30 dB under the rest is raised (peak permitting) rather than muting the others.
        let whisper = [measured(0.9, 1.0, 0.0), measured(0.028, 1.0, 0.0)];
        let gains = matching_gains(&whisper);
        assert!(gains[1] > 1.0 && gains[1] * whisper[1].peak <= PEAK_CEILING + 1e-3, "{gains:?}");
        assert!(gains[0] < 1.0 && gains[0] > 0.09, "cut at most 20 dB: {gains:?}");
    }
}
