//! Streamed audio: chunks decoded as they arrive (on the player thread) into a shared buffer that a
//! rodio source drains (on the audio callback). While the buffer is empty and the stream not finished,
//! the source plays silence instead of ending, so a slow network is a pause, not the end of the speech.

use std::collections::VecDeque;
use std::num::NonZero;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rodio::{ChannelCount, SampleRate, Source};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CODEC_TYPE_MP3, CodecParameters, Decoder as _, DecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::Packet;
use symphonia::default::codecs::MpaDecoder;

use crate::controlled::Timeline;
use crate::error::{AudioError, Result};
use crate::mp3::FrameSplitter;
use crate::state::AudioFormat;

/// Channels and frame rate of decoded audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub channels: u16,
    pub sample_rate: u32,
}

/// Decodes a byte stream chunk by chunk into interleaved `f32` samples.
pub(crate) enum ChunkDecoder {
    /// MP3: cut into frames, each decoded by symphonia as it completes.
    Mp3 {
        splitter: FrameSplitter,
        decoder: Box<MpaDecoder>,
        spec: Option<Spec>,
        buffer: Option<SampleBuffer<f32>>,
    },
    /// Raw 16-bit little-endian PCM; `carry` holds a split sample or frame.
    Pcm { spec: Spec, carry: Vec<u8> },
}

impl ChunkDecoder {
    /// A decoder for a stream in `format` (MP3 or PCM: what the streaming TTS API produces).
    pub fn new(format: AudioFormat) -> Result<Self> {
        match format {
            AudioFormat::Mp3 => {
                let params = CodecParameters::new().for_codec(CODEC_TYPE_MP3).clone();
                let decoder = MpaDecoder::try_new(&params, &DecoderOptions::default())
                    .map_err(|e| AudioError::decode("streamed MP3", e))?;
                Ok(ChunkDecoder::Mp3 {
                    splitter: FrameSplitter::default(),
                    decoder: Box::new(decoder),
                    spec: None,
                    buffer: None,
                })
            }
            AudioFormat::Pcm { sample_rate, channels } if sample_rate > 0 && channels > 0 => {
                Ok(ChunkDecoder::Pcm { spec: Spec { channels, sample_rate }, carry: Vec::new() })
            }
            other => Err(AudioError::Unsupported(format!(
                "streaming {other:?} audio (streamed speech is MP3 or PCM)"
            ))),
        }
    }

    /// The spec of the decoded samples, once known (PCM: at once; MP3: after the first frame).
    pub fn spec(&self) -> Option<Spec> {
        match self {
            ChunkDecoder::Mp3 { spec, .. } => *spec,
            ChunkDecoder::Pcm { spec, .. } => Some(*spec),
        }
    }

    /// Decodes what `bytes` completes, appending samples to `out`. `at_end` flushes a last frame.
    pub fn push(&mut self, bytes: &[u8], at_end: bool, out: &mut Vec<f32>) -> Result<()> {
        match self {
            ChunkDecoder::Mp3 { splitter, decoder, spec, buffer } => {
                splitter.push(bytes);
                let mut failure = None;
                splitter.drain_frames(at_end, |_, frame| {
                    if failure.is_none()
                        && let Err(e) = decode_frame(decoder, frame, spec, buffer, out)
                    {
                        failure = Some(e);
                    }
                });
                failure.map_or(Ok(()), Err)
            }
            ChunkDecoder::Pcm { spec, carry } => {
                carry.extend_from_slice(bytes);
                let frame = 2 * usize::from(spec.channels);
                let whole = carry.len() / frame * frame;
                out.extend(
                    carry[..whole]
                        .chunks_exact(2)
                        .map(|s| f32::from(i16::from_le_bytes([s[0], s[1]])) / 32_768.0),
                );
                carry.drain(..whole);
                Ok(())
            }
        }
    }
}

fn decode_frame(
    decoder: &mut MpaDecoder,
    frame: &[u8],
    spec: &mut Option<Spec>,
    buffer: &mut Option<SampleBuffer<f32>>,
    out: &mut Vec<f32>,
) -> Result<()> {
    let decoded = match decoder.decode(&Packet::new_from_slice(0, 0, 0, frame)) {
        Ok(decoded) => decoded,
        // A frame whose bit reservoir points before the stream's start, or a damaged one: skip it,
        // as players do; the next frames decode.
        Err(SymphoniaError::DecodeError(reason)) => {
            tracing::debug!("skipping an undecodable MP3 frame: {reason}");
            return Ok(());
        }
        Err(e) => return Err(AudioError::decode("streamed MP3", e)),
    };
    let signal = *decoded.spec();
    let this = Spec { channels: signal.channels.count() as u16, sample_rate: signal.rate };
    match spec {
        None => *spec = Some(this),
        // The output was set up for the first frame's layout; a stream does not change it midway.
        Some(first) if *first != this => {
            tracing::warn!(?first, ?this, "dropping an MP3 frame whose layout differs from the stream's");
            return Ok(());
        }
        Some(_) => {}
    }
    let capacity = decoded.capacity() as u64;
    let buf = match buffer {
        Some(buf) if buf.capacity() >= decoded.capacity() * usize::from(this.channels) => buf,
        _ => buffer.insert(SampleBuffer::new(capacity, signal)),
    };
    buf.copy_interleaved_ref(decoded);
    out.extend_from_slice(buf.samples());
    Ok(())
}

/// What the decoder side and the playing side share.
#[derive(Debug, Default)]
struct Shared {
    /// Decoded blocks not yet taken by the source, each of whole frames.
    blocks: VecDeque<Vec<f32>>,
    /// Emptied blocks handed back, so the audio callback never frees memory.
    spare: Vec<Vec<f32>>,
    /// No more blocks will come.
    ended: bool,
}

/// The decoder side of a live buffer.
#[derive(Debug, Clone)]
pub(crate) struct LiveWriter {
    shared: Arc<Mutex<Shared>>,
}

impl LiveWriter {
    /// A block for the next decoded samples (a recycled one when possible).
    pub fn block(&self) -> Vec<f32> {
        let mut block = self.lock().spare.pop().unwrap_or_default();
        block.clear();
        block
    }

    /// Hands decoded samples (whole frames) to the source.
    pub fn push(&self, block: Vec<f32>) {
        if !block.is_empty() {
            self.lock().blocks.push_back(block);
        }
    }

    /// No more samples: the source ends once it has played what it holds.
    pub fn end(&self) {
        self.lock().ended = true;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        // The data stays consistent even if a holder panicked (plain pushes and pops).
        self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The playing side: a rodio source over the blocks, silent while it waits for more.
pub(crate) struct LiveSource {
    shared: Arc<Mutex<Shared>>,
    current: Vec<f32>,
    at: usize,
    channels: ChannelCount,
    sample_rate: SampleRate,
    /// Zeros still owed to finish a frame of silence.
    filler_left: u16,
    last_was_audio: bool,
    played_samples: u64,
}

/// A live buffer for audio of `spec`: the writer for the decoder, the source for the mixer.
pub(crate) fn live_buffer(spec: Spec) -> Result<(LiveWriter, LiveSource)> {
    let (Some(channels), Some(sample_rate)) = (NonZero::new(spec.channels), NonZero::new(spec.sample_rate))
    else {
        return Err(AudioError::decode("streamed audio", "no channels or no sample rate"));
    };
    let shared = Arc::new(Mutex::new(Shared::default()));
    let source = LiveSource {
        shared: Arc::clone(&shared),
        current: Vec::new(),
        at: 0,
        channels,
        sample_rate,
        filler_left: 0,
        last_was_audio: false,
        played_samples: 0,
    };
    Ok((LiveWriter { shared }, source))
}

impl Iterator for LiveSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.filler_left > 0 {
            self.filler_left -= 1;
            return Some(0.0);
        }
        if self.at == self.current.len() {
            // Never block the audio callback: if the decoder holds the lock right now, play a frame
            // of silence and look again at the next frame.
            let Ok(mut shared) = self.shared.try_lock() else {
                return Some(self.silence());
            };
            match shared.blocks.pop_front() {
                Some(block) => {
                    let used = std::mem::replace(&mut self.current, block);
                    shared.spare.push(used);
                    self.at = 0;
                }
                None if shared.ended => return None,
                None => {
                    drop(shared);
                    return Some(self.silence());
                }
            }
        }
        let sample = self.current[self.at];
        self.at += 1;
        self.played_samples += 1;
        self.last_was_audio = true;
        Some(sample)
    }
}

impl LiveSource {
    /// The first zero of a silent frame (we are at a frame boundary: blocks hold whole frames).
    fn silence(&mut self) -> f32 {
        self.filler_left = self.channels.get() - 1;
        self.last_was_audio = false;
        0.0
    }
}

impl Source for LiveSource {
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
        None
    }
}

impl Timeline for LiveSource {
    fn position(&self) -> Duration {
        let frames = self.played_samples / u64::from(self.channels.get());
        Duration::from_secs_f64(frames as f64 / f64::from(self.sample_rate.get()))
    }

    fn last_was_audio(&self) -> bool {
        self.last_was_audio
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcm_chunks_split_anywhere_decode_the_same() {
        let bytes: Vec<u8> = (0i16..400).flat_map(|v| (v * 50).to_le_bytes()).collect();
        let format = AudioFormat::Pcm { sample_rate: 8_000, channels: 2 };
        let mut whole = Vec::new();
        ChunkDecoder::new(format).unwrap().push(&bytes, true, &mut whole).unwrap();
        assert_eq!(whole.len(), 400);
        let mut pieces = Vec::new();
        let mut decoder = ChunkDecoder::new(format).unwrap();
        for chunk in bytes.chunks(3) {
            let before = pieces.len();
            decoder.push(chunk, false, &mut pieces).unwrap();
            assert_eq!((pieces.len() - before) % 2, 0, "only whole frames come out");
        }
        assert_eq!(pieces, whole);
    }

    #[test]
    fn the_source_is_silent_while_waiting_and_ends_after_the_end() {
        let (writer, mut source) = live_buffer(Spec { channels: 2, sample_rate: 8_000 }).unwrap();
        assert_eq!((source.next(), source.next()), (Some(0.0), Some(0.0)));
        assert!(!source.last_was_audio());
        let mut block = writer.block();
        block.extend([0.5, -0.5, 0.25, -0.25]);
        writer.push(block);
        let got: Vec<f32> = source.by_ref().take(4).collect();
        assert_eq!(got, vec![0.5, -0.5, 0.25, -0.25]);
        assert!(source.last_was_audio());
        assert_eq!(source.position(), Duration::from_secs_f64(2.0 / 8000.0));
        writer.end();
        assert_eq!(source.next(), None);
        assert_eq!(writer.block().capacity(), 0, "the first, empty block came back as a spare");
    }

    #[test]
    fn opus_and_containers_are_not_streamable() {
        assert!(matches!(ChunkDecoder::new(AudioFormat::Wav), Err(AudioError::Unsupported(_))));
        assert!(ChunkDecoder::new(AudioFormat::Mp3).unwrap().spec().is_none());
    }
}
