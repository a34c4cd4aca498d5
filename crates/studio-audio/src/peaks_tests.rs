//! Peaks of generated files, and the cache's reuse and invalidation.

use std::time::SystemTime;

use super::*;

/// A mono 16-bit WAV file of `samples`.
fn wav(samples: &[i16], rate: u32) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::new();
    out.extend(b"RIFF");
    out.extend((36 + data_len).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes()); // PCM
    out.extend(1u16.to_le_bytes()); // mono
    out.extend(rate.to_le_bytes());
    out.extend((rate * 2).to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend(data_len.to_le_bytes());
    out.extend(samples.iter().flat_map(|s| s.to_le_bytes()));
    out
}

/// One second of a half-scale 200 Hz tone, then one second of silence, at 8 kHz.
fn tone_then_silence() -> Vec<i16> {
    let tone =
        (0..8000).map(|i| ((i as f32 * 200.0 / 8000.0 * std::f32::consts::TAU).sin() * 16384.0) as i16);
    tone.chain(std::iter::repeat_n(0, 8000)).collect()
}

#[test]
fn a_tone_then_silence_shows_in_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("take.wav");
    std::fs::write(&path, wav(&tone_then_silence(), 8000)).unwrap();
    let w = peaks(&path, 100).unwrap();
    assert_eq!((w.width, w.peaks.len(), w.duration_ms), (100, 100, 2000));
    for (i, &(min, max)) in w.peaks.iter().enumerate() {
        if i < 50 {
            assert!(
                (0.45..=0.51).contains(&max) && (-0.51..=-0.45).contains(&min),
                "column {i}: {min} {max}"
            );
        } else {
            assert_eq!((min, max), (0.0, 0.0), "column {i}");
        }
    }
}

#[test]
fn the_cache_is_reused_and_invalidated_by_a_newer_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("take.wav");
    std::fs::write(&path, wav(&tone_then_silence(), 8000)).unwrap();
    let first = peaks(&path, 20).unwrap();
    let cache = cache_path(&path, 20);
    assert_eq!(cache, dir.path().join("take.wav.peaks-20.json"));

    // Doctor the cache: a current cache is returned as it is, without decoding.
    let mut cached: Cached = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    cached.waveform.peaks[0] = (-0.125, 0.125);
    std::fs::write(&cache, serde_json::to_vec(&cached).unwrap()).unwrap();
    assert_eq!(peaks(&path, 20).unwrap().peaks[0], (-0.125, 0.125));
    assert_eq!(peaks(&path, 10).unwrap().width, 10, "each width has its own cache");
    let elsewhere = dir.path().join("caches");
    assert_eq!(peaks_cached_in(&path, 20, None, &elsewhere).unwrap(), first);
    assert!(elsewhere.join("take.wav.peaks-20.json").exists(), "a cache folder of the caller's choosing");

    // A newer file of the same size is decoded again.
    let silent = vec![0i16; 16_000];
    std::fs::write(&path, wav(&silent, 8000)).unwrap();
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    let again = peaks(&path, 20).unwrap();
    assert_ne!(again, first);
    assert!(again.peaks.iter().all(|&p| p == (0.0, 0.0)));
}

#[test]
fn raw_pcm_needs_its_format_and_bad_widths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("take.pcm");
    let bytes: Vec<u8> = tone_then_silence().iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(&path, bytes).unwrap();
    let format = AudioFormat::Pcm { sample_rate: 8000, channels: 1 };
    let w = peaks_with_format(&path, 4, Some(format)).unwrap();
    assert_eq!(w.duration_ms, 2000);
    assert!(w.peaks[0].1 > 0.45 && w.peaks[3] == (0.0, 0.0), "{:?}", w.peaks);
    assert!(matches!(peaks(&path, 0), Err(AudioError::Invalid(_))));
    assert!(matches!(peaks(&path, MAX_WIDTH + 1), Err(AudioError::Invalid(_))));
    assert!(matches!(peaks(&dir.path().join("missing.wav"), 10), Err(AudioError::Io { .. })));
}

#[test]
fn long_inputs_merge_blocks_without_losing_extremes() {
    let mut acc = Accumulator::new(10);
    let frames = 1_000_000u64;
    for i in 0..frames {
        // A ramp from -1 to 1, with one spike in the middle of column 3.
        let v = -1.0 + 2.0 * i as f32 / frames as f32;
        let v = if i == 350_000 { 0.99 } else { v };
        acc.push((v, v));
    }
    assert!(acc.blocks.len() < acc.cap, "memory stays bounded");
    let columns = acc.columns(10);
    assert_eq!(columns.len(), 10);
    assert!((columns[0].0 + 1.0).abs() < 1e-3 && (columns[9].1 - 1.0).abs() < 1e-3);
    assert_eq!(columns[3].1, 0.99, "a one-sample spike survives every merge");
    for pair in columns.windows(2) {
        assert!(pair[0].0 < pair[1].0, "columns follow the ramp: {columns:?}");
    }
}
