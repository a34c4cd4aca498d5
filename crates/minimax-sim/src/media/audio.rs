//! Audio synthesis. MP3 is made of whole frames of a shipped fixture (encoded without the bit reservoir,
//! so any run of frames decodes); WAV, PCM and G.711 μ-law are synthesized as a soft, pulsing two-tone buzz.

use bytes::Bytes;

static MP3_32K_MONO: &[u8] = include_bytes!("../../fixtures/tone-32k-mono-128k.mp3");
static MP3_44K_STEREO: &[u8] = include_bytes!("../../fixtures/tone-44k-stereo-256k.mp3");

/// What the synthesized audio really is (reported in `extra_info`).
#[derive(Debug, Clone, PartialEq)]
pub struct AudioInfo {
    /// The container/codec name as the API spells it (`mp3`, `wav`, `pcm`, `pcmu_raw`, `pcmu_wav`).
    pub format: String,
    /// Duration in milliseconds.
    pub length_ms: u64,
    /// Sample rate of the bytes.
    pub sample_rate: u32,
    /// Bit rate (for PCM formats: sample rate × 16 × channels).
    pub bitrate: u32,
    /// Channel count.
    pub channels: u16,
    /// Size in bytes.
    pub size: u64,
}

/// Synthesizes `seconds` of audio. `sample_rate` and `channels` are honoured exactly for the PCM formats;
/// MP3 uses the closest fixture (32 kHz mono 128 kbps, or 44.1 kHz stereo 256 kbps when stereo or
/// 44.1 kHz is asked for). Returns `None` for formats the simulator cannot produce (`flac`, `opus`).
pub fn synthesize(format: &str, seconds: f64, sample_rate: u32, channels: u16) -> Option<(Bytes, AudioInfo)> {
    let seconds = seconds.max(0.2);
    match format {
        "mp3" => Some(mp3(seconds, sample_rate >= 44_100 || channels == 2)),
        "wav" | "pcm" => {
            let samples = pcm16(seconds, sample_rate, channels);
            let data = if format == "wav" { wav(&samples, sample_rate, channels, 1) } else { samples };
            Some(info(format, data, seconds, sample_rate, u32::from(channels) * sample_rate * 16, channels))
        }
        "pcmu_raw" | "pcmu_wav" => {
            let pcm = pcm16(seconds, 8_000, 1);
            let law: Vec<u8> =
                pcm.chunks_exact(2).map(|s| mu_law(i16::from_le_bytes([s[0], s[1]]))).collect();
            let data = if format == "pcmu_wav" { wav(&law, 8_000, 1, 7) } else { law };
            Some(info(format, data, seconds, 8_000, 64_000, 1))
        }
        _ => None,
    }
}

fn info(
    format: &str,
    data: Vec<u8>,
    seconds: f64,
    rate: u32,
    bitrate: u32,
    channels: u16,
) -> (Bytes, AudioInfo) {
    let size = data.len() as u64;
    let info = AudioInfo {
        format: format.to_owned(),
        length_ms: (seconds * 1000.0).round() as u64,
        sample_rate: rate,
        bitrate,
        channels,
        size,
    };
    (Bytes::from(data), info)
}

/// Splits an MP3 stream into its frames (skipping anything before the first frame sync).
pub fn mp3_frames(data: &[u8]) -> Vec<&[u8]> {
    const BITRATES: [u32; 16] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    const RATES: [u32; 4] = [44_100, 48_000, 32_000, 0];
    let mut frames = Vec::new();
    let mut at = 0;
    while at + 4 <= data.len() {
        let h = &data[at..at + 4];
        // MPEG-1 Layer III only (what the fixtures are).
        if h[0] != 0xFF || h[1] & 0xFE != 0xFA {
            at += 1;
            continue;
        }
        let bitrate = BITRATES[usize::from(h[2] >> 4)] * 1000;
        let rate = RATES[usize::from((h[2] >> 2) & 3)];
        if bitrate == 0 || rate == 0 {
            at += 1;
            continue;
        }
        let len = (144 * bitrate / rate) as usize + usize::from((h[2] >> 1) & 1);
        if at + len > data.len() {
            break;
        }
        frames.push(&data[at..at + len]);
        at += len;
    }
    frames
}

fn mp3(seconds: f64, hifi: bool) -> (Bytes, AudioInfo) {
    let (fixture, rate, bitrate, channels) =
        if hifi { (MP3_44K_STEREO, 44_100, 256_000, 2) } else { (MP3_32K_MONO, 32_000, 128_000, 1) };
    let frames = mp3_frames(fixture);
    let wanted = ((seconds * f64::from(rate) / 1152.0).ceil() as usize).max(1);
    let mut out = Vec::new();
    for i in 0..wanted {
        out.extend_from_slice(frames[i % frames.len()]);
    }
    let real_seconds = wanted as f64 * 1152.0 / f64::from(rate);
    info("mp3", out, real_seconds, rate, bitrate, channels)
}

/// Little-endian signed 16-bit samples of a soft 220 Hz + 330 Hz buzz, pulsing ~4 times a second like
/// syllables.
fn pcm16(seconds: f64, rate: u32, channels: u16) -> Vec<u8> {
    let frames = (seconds * f64::from(rate)) as usize;
    let mut out = Vec::with_capacity(frames * 2 * usize::from(channels));
    let rate = f64::from(rate);
    for i in 0..frames {
        let t = i as f64 / rate;
        let envelope = 0.5 - 0.5 * (std::f64::consts::TAU * 4.0 * t).cos();
        let tone =
            (std::f64::consts::TAU * 220.0 * t).sin() * 0.6 + (std::f64::consts::TAU * 330.0 * t).sin() * 0.4;
        let sample = (tone * envelope * 6_000.0) as i16;
        for _ in 0..channels {
            out.extend_from_slice(&sample.to_le_bytes());
        }
    }
    out
}

/// A RIFF/WAVE file around `data` (`format_tag` 1 = PCM 16-bit, 7 = μ-law 8-bit).
fn wav(data: &[u8], rate: u32, channels: u16, format_tag: u16) -> Vec<u8> {
    let bits: u16 = if format_tag == 7 { 8 } else { 16 };
    let block_align = channels * bits / 8;
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&format_tag.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(block_align)).to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// G.711 μ-law encoding of one sample.
fn mu_law(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    let mut value = i32::from(sample);
    let sign = if value < 0 {
        value = -value;
        0x80
    } else {
        0
    };
    value = (value + BIAS).min(32_635 + BIAS);
    let exponent = (0..8).rev().find(|e| value & (0x80 << e) != 0).unwrap_or(0);
    let mantissa = (value >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp3_is_whole_frames_of_the_asked_length() {
        let (bytes, info) = synthesize("mp3", 3.0, 32_000, 1).expect("mp3");
        let frames = mp3_frames(&bytes);
        assert_eq!(frames.iter().map(|f| f.len()).sum::<usize>(), bytes.len(), "only whole frames");
        assert!((2_990..=3_100).contains(&info.length_ms), "{}", info.length_ms);
        assert_eq!(info.sample_rate, 32_000);
        let (_, hifi) = synthesize("mp3", 1.0, 44_100, 2).expect("mp3");
        assert_eq!((hifi.sample_rate, hifi.channels, hifi.bitrate), (44_100, 2, 256_000));
    }

    #[test]
    fn wav_header_matches_the_samples() {
        let (bytes, info) = synthesize("wav", 1.0, 16_000, 2).expect("wav");
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]), 16_000);
        assert_eq!(bytes.len(), 44 + 16_000 * 2 * 2);
        assert_eq!(info.length_ms, 1000);
        assert!(synthesize("flac", 1.0, 32_000, 1).is_none());
        let (mu, _) = synthesize("pcmu_raw", 1.0, 32_000, 1).expect("pcmu");
        assert_eq!(mu.len(), 8_000);
        assert_eq!(mu_law(0), 0xFF);
    }
}
