//! Raw PCM as a rodio source: interleaved little-endian `i16`, read in blocks and seekable, so a long
//! file plays without being loaded whole. Symphonia cannot open it (raw PCM has no header to probe).

use std::io::{Read, Seek, SeekFrom};
use std::num::NonZero;
use std::time::Duration;

use rodio::source::SeekError;
use rodio::{ChannelCount, SampleRate, Source};

use crate::error::{AudioError, Result};

const BLOCK_BYTES: usize = 16 * 1024;

/// A seekable reader of raw 16-bit PCM.
pub(crate) struct PcmSource<R> {
    reader: R,
    channels: ChannelCount,
    sample_rate: SampleRate,
    /// Bytes of whole frames in the input.
    data_len: u64,
    block: Vec<u8>,
    /// Next byte to read in `block`.
    at: usize,
    /// Bytes of `block` that hold data.
    filled: usize,
    /// Input offset of `block[0]`.
    block_offset: u64,
}

impl<R: Read + Seek> PcmSource<R> {
    /// A source over `reader`, whose `len` bytes are all samples.
    pub fn new(reader: R, len: u64, sample_rate: u32, channels: u16) -> Result<Self> {
        let (Some(rate), Some(ch)) = (NonZero::new(sample_rate), NonZero::new(channels)) else {
            return Err(AudioError::Invalid(format!(
                "PCM needs a sample rate and channels, got {sample_rate} Hz × {channels}"
            )));
        };
        let frame = 2 * u64::from(channels);
        Ok(PcmSource {
            reader,
            channels: ch,
            sample_rate: rate,
            data_len: len / frame * frame,
            block: vec![0; BLOCK_BYTES],
            at: 0,
            filled: 0,
            block_offset: 0,
        })
    }

    fn refill(&mut self) -> bool {
        self.block_offset += self.filled as u64;
        self.at = 0;
        self.filled = 0;
        let remaining = self.data_len.saturating_sub(self.block_offset);
        let want = (remaining.min(BLOCK_BYTES as u64)) as usize;
        while self.filled < want {
            match self.reader.read(&mut self.block[self.filled..want]) {
                Ok(0) => break,
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::warn!("PCM read failed, ending the track: {e}");
                    break;
                }
            }
        }
        // Keep whole samples only; a short read at the very end drops a dangling byte.
        self.filled -= self.filled % 2;
        self.filled > 0
    }
}

impl<R: Read + Seek> Iterator for PcmSource<R> {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.at + 2 > self.filled && !self.refill() {
            return None;
        }
        let sample = i16::from_le_bytes([self.block[self.at], self.block[self.at + 1]]);
        self.at += 2;
        Some(f32::from(sample) / 32_768.0)
    }
}

impl<R: Read + Seek> Source for PcmSource<R> {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.channels
    }

    fn sample_rate(&self) -> SampleRate {
        self.sample_rate
    }

    fn total_duration(&self) -> Option<Duration> {
        let frames = self.data_len / (2 * u64::from(self.channels.get()));
        Some(Duration::from_secs_f64(frames as f64 / f64::from(self.sample_rate.get())))
    }

    fn try_seek(&mut self, pos: Duration) -> std::result::Result<(), SeekError> {
        let frame_bytes = 2 * u64::from(self.channels.get());
        let frame = (pos.as_secs_f64() * f64::from(self.sample_rate.get())) as u64;
        let offset = (frame * frame_bytes).min(self.data_len);
        self.reader.seek(SeekFrom::Start(offset)).map_err(|e| SeekError::Other(std::sync::Arc::new(e)))?;
        self.block_offset = offset;
        self.at = 0;
        self.filled = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn pcm(frames: i16, channels: u16) -> Vec<u8> {
        // Values wrap past i16::MAX; tests only look at small frame numbers.
        (0..frames)
            .flat_map(|f| {
                (0..channels).flat_map(move |c| f.wrapping_mul(10).wrapping_add(c as i16).to_le_bytes())
            })
            .collect()
    }

    #[test]
    fn samples_come_out_interleaved_and_scaled() {
        let bytes = pcm(3, 2);
        let source = PcmSource::new(Cursor::new(bytes), 12, 8_000, 2).unwrap();
        let got: Vec<i32> = source.map(|s| (s * 32_768.0).round() as i32).collect();
        assert_eq!(got, vec![0, 1, 10, 11, 20, 21]);
    }

    #[test]
    fn seeking_lands_on_a_frame_and_length_is_known() {
        let bytes = pcm(20_000, 1);
        let len = bytes.len() as u64;
        let mut source = PcmSource::new(Cursor::new(bytes), len, 10_000, 1).unwrap();
        assert_eq!(source.total_duration(), Some(Duration::from_secs(2)));
        for _ in 0..5000 {
            source.next();
        }
        source.try_seek(Duration::from_millis(100)).unwrap();
        let next = (source.next().unwrap() * 32_768.0).round() as i32;
        assert_eq!(next, 10_000, "frame 1000");
        source.try_seek(Duration::from_secs(60)).unwrap();
        assert_eq!(source.next(), None, "seeking past the end ends the source");
    }

    #[test]
    fn a_trailing_partial_frame_is_ignored() {
        let mut bytes = pcm(2, 2);
        bytes.push(7);
        let len = bytes.len() as u64;
        let source = PcmSource::new(Cursor::new(bytes), len, 8_000, 2).unwrap();
        assert_eq!(source.count(), 4);
        assert!(PcmSource::new(Cursor::new(vec![]), 0, 0, 1).is_err());
    }
}
