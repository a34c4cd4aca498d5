//! The wrapper every playing source goes through: pause, volume, seek, stop and position, shared with
//! the player thread through atomics so the audio callback never waits on a lock.
//!
//! rodio's own `Player` does much the same, but its `try_seek` blocks the caller until the audio
//! callback answers (forever if the device stalls) and it cannot tell when the first sample was played.
//! Here a seek is a request the callback applies at the next frame boundary and answers with a notice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use rodio::source::TrackPosition;
use rodio::{ChannelCount, SampleRate, Source};

use crate::command::{Command, Notice};
use crate::state::SoundTiming;

const NO_SEEK: u64 = u64::MAX;
/// Samples between two position updates (~5 ms of 48 kHz stereo): cheap, and fresh for 10 Hz events.
const POSITION_EVERY: u32 = 512;

/// The knobs of one loaded track, set by the player thread and read by the audio callback.
#[derive(Debug)]
pub(crate) struct Controls {
    pub generation: u64,
    paused: AtomicBool,
    stopped: AtomicBool,
    volume_bits: AtomicU32,
    seek_to_us: AtomicU64,
    position_us: AtomicU64,
}

impl Controls {
    /// Controls for the track of `generation`.
    pub fn new(generation: u64, paused: bool, volume: f32, start_at: Duration) -> Arc<Self> {
        let seek = if start_at.is_zero() { NO_SEEK } else { start_at.as_micros() as u64 };
        Arc::new(Controls {
            generation,
            paused: AtomicBool::new(paused),
            stopped: AtomicBool::new(false),
            volume_bits: AtomicU32::new(volume.to_bits()),
            seek_to_us: AtomicU64::new(seek),
            position_us: AtomicU64::new(start_at.as_micros() as u64),
        })
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub fn set_volume(&self, volume: f32) {
        self.volume_bits.store(volume.to_bits(), Ordering::Relaxed);
    }

    /// Asks the callback to seek; the position shows the target at once so the UI does not jump back.
    pub fn seek(&self, to: Duration) {
        let us = to.as_micros() as u64;
        self.seek_to_us.store(us, Ordering::Relaxed);
        self.position_us.store(us, Ordering::Relaxed);
    }

    /// Ends the source at the next frame boundary; the mixer then drops it.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    pub fn position(&self) -> Duration {
        Duration::from_micros(self.position_us.load(Ordering::Relaxed))
    }
}

/// A source that knows where it is in its media.
pub(crate) trait Timeline: Source + Send {
    /// Position in the media (not counting filler played while waiting for data).
    fn position(&self) -> Duration;
    /// Whether the sample just returned was media, not filler while waiting for data.
    fn last_was_audio(&self) -> bool {
        true
    }
}

impl<S: Source + Send> Timeline for TrackPosition<S> {
    fn position(&self) -> Duration {
        self.get_pos()
    }
}

/// The playing wrapper around a track's source.
pub(crate) struct Controlled<T> {
    inner: T,
    controls: Arc<Controls>,
    notify: Sender<Command>,
    /// Channels of the inner source, refreshed at frame boundaries.
    channels: u16,
    /// Samples of the current frame already returned (pausing and seeking wait for 0).
    in_frame: u16,
    /// Zeros still owed to finish a paused frame.
    filler_left: u16,
    until_position: u32,
    decoded_at: Option<Instant>,
    sound_started: bool,
    finished: bool,
}

impl<T: Timeline> Controlled<T> {
    /// Wraps `inner`; `decoded_at` is when its first samples were ready (streams), for the timing notice.
    pub fn new(
        inner: T,
        controls: Arc<Controls>,
        notify: Sender<Command>,
        decoded_at: Option<Instant>,
    ) -> Self {
        let channels = inner.channels().get();
        Controlled {
            inner,
            controls,
            notify,
            channels,
            in_frame: 0,
            filler_left: 0,
            until_position: POSITION_EVERY,
            decoded_at,
            sound_started: false,
            finished: false,
        }
    }

    fn publish_position(&self) {
        self.controls.position_us.store(self.inner.position().as_micros() as u64, Ordering::Relaxed);
    }

    fn send(&self, notice: Notice) {
        // The player thread may be gone during shutdown; nothing to tell then.
        let _ = self.notify.send(Command::Notice(notice));
    }

    /// Applies a pending seek. Runs only at a frame boundary so channels stay aligned.
    fn apply_seek(&mut self) {
        let us = self.controls.seek_to_us.swap(NO_SEEK, Ordering::Relaxed);
        if us == NO_SEEK {
            return;
        }
        match self.inner.try_seek(Duration::from_micros(us)) {
            Ok(()) => self.publish_position(),
            Err(e) => {
                self.publish_position();
                let generation = self.controls.generation;
                self.send(Notice::SeekFailed { generation, reason: e.to_string() });
            }
        }
    }
}

impl<T: Timeline> Iterator for Controlled<T> {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.filler_left > 0 {
            self.filler_left -= 1;
            return Some(0.0);
        }
        if self.in_frame == 0 {
            if self.controls.stopped.load(Ordering::Relaxed) {
                return None;
            }
            self.apply_seek();
            self.channels = self.inner.channels().get();
            if self.controls.paused.load(Ordering::Relaxed) {
                self.filler_left = self.channels - 1;
                return Some(0.0);
            }
        }
        let Some(sample) = self.inner.next() else {
            if !self.finished {
                self.finished = true;
                self.publish_position();
                self.send(Notice::Finished { generation: self.controls.generation });
            }
            return None;
        };
        self.in_frame = (self.in_frame + 1) % self.channels;
        if !self.sound_started && self.inner.last_was_audio() {
            self.sound_started = true;
            let timing = SoundTiming { decoded_at: self.decoded_at, first_sample_at: Instant::now() };
            self.send(Notice::SoundStarted { generation: self.controls.generation, timing });
        }
        self.until_position -= 1;
        if self.until_position == 0 {
            self.until_position = POSITION_EVERY;
            self.publish_position();
        }
        Some(sample * f32::from_bits(self.controls.volume_bits.load(Ordering::Relaxed)))
    }
}

impl<T: Timeline> Source for Controlled<T> {
    /// "No span changes": the wrapper inserts zeros while paused, which would throw off span
    /// counting, and every source we play keeps one rate and channel count from start to end.
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> ChannelCount {
        self.inner.channels()
    }

    fn sample_rate(&self) -> SampleRate {
        self.inner.sample_rate()
    }

    fn total_duration(&self) -> Option<Duration> {
        self.inner.total_duration()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodio::buffer::SamplesBuffer;
    use std::num::NonZero;
    use std::sync::mpsc;

    fn source(frames: usize) -> TrackPosition<SamplesBuffer> {
        let samples: Vec<f32> = (0..frames * 2).map(|i| 0.5 + (i % 2) as f32 * 0.25).collect();
        let (ch, rate) = (NonZero::new(2).unwrap(), NonZero::new(1000).unwrap());
        SamplesBuffer::new(ch, rate, samples).track_position()
    }

    #[test]
    fn pause_volume_seek_and_end() {
        let (tx, rx) = mpsc::channel();
        let controls = Controls::new(7, false, 0.5, Duration::ZERO);
        let mut c = Controlled::new(source(1000), Arc::clone(&controls), tx, None);
        assert_eq!(c.next(), Some(0.25), "volume applies");
        assert!(matches!(rx.try_recv(), Ok(Command::Notice(Notice::SoundStarted { generation: 7, .. }))));
        controls.set_paused(true);
        assert_eq!(c.next(), Some(0.375), "a frame is finished before pausing");
        assert_eq!((c.next(), c.next(), c.next()), (Some(0.0), Some(0.0), Some(0.0)), "paused: silence");
        controls.set_paused(false);
        controls.seek(Duration::from_millis(900));
        assert_eq!(c.next(), Some(0.0), "the paused frame is completed first");
        assert_eq!(c.next(), Some(0.25), "left channel first after the seek");
        assert_eq!(controls.position(), Duration::from_millis(900));
        let rest = c.by_ref().count();
        assert_eq!(rest, 199, "100 frames were left after the seek, one sample already taken");
        assert!(matches!(rx.try_recv(), Ok(Command::Notice(Notice::Finished { generation: 7 }))));
        assert!(controls.position().abs_diff(Duration::from_secs(1)) < Duration::from_millis(1));
    }

    #[test]
    fn stop_ends_at_a_frame_boundary() {
        let (tx, _rx) = mpsc::channel();
        let controls = Controls::new(1, false, 1.0, Duration::ZERO);
        let mut c = Controlled::new(source(10), Arc::clone(&controls), tx, None);
        c.next();
        controls.stop();
        assert!(c.next().is_some(), "the right channel of the frame still comes");
        assert_eq!(c.next(), None);
    }
}
